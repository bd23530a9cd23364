#!/bin/bash
# pseconv verify (the certificate checks plan uses, on loose files) and
# pseconv init (template -> fill in -> plan, as a new user would).
. "$(dirname "$0")/lib.sh"
P=$FX

# ---- verify ----
run "$PSECONV" verify "$P/erp-client.crt" "$P/corp-chain.pem"
expect_rc 0 "good client certificate with its chain"
expect_contains "$OUT" "chain: CN=ERP-P41 SSL Client Standard, OU=SAP, O=Nordwind Handel AG, C=DE <- CN=Nordwind Issuing CA 07, O=Nordwind Handel AG, C=DE <- CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE (complete)" "chain printed leaf to root"
expect_contains "$OUT" "Summary: 1 certificate chain checked, 0 errors, 0 warnings" "summary"

run "$PSECONV" verify "$P/erp-client.crt"
expect_rc 0 "chain-incomplete is a warning"
expect_contains "$OUT" "warning chain-incomplete" "chain-incomplete without the issuers"

run "$PSECONV" verify "$P/expired.crt" "$P/corp-chain.pem"
expect_rc 1 "expired: exit 1"
expect_contains "$OUT" "error   expired: certificate CN=ERP-P41 Expired Client" "expired finding"
expect_contains "$OUT" "2021-01-01T00:00:00Z" "expiry date, as openssl says"
openssl x509 -in "$P/expired.crt" -noout -enddate | grep -q "Jan  1 00:00:00 2021 GMT"
RC=$?; expect_rc 0 "openssl agrees on the end date"

run "$PSECONV" verify "$P/not-yet-valid.crt" "$P/corp-chain.pem"
expect_rc 1 "not yet valid: exit 1"
expect_contains "$OUT" "not-yet-valid" "not-yet-valid finding"

run "$PSECONV" verify "$P/rsa1024.crt" "$P/sha1.crt" "$P/corp-chain.pem"
expect_rc 0 "weak key and signature are warnings"
expect_contains "$OUT" "weak-key: certificate CN=ERP-P41 RSA1024 Client, OU=SAP, O=Nordwind Handel AG, C=DE has a weak key: RSA 1024" "weak-key"
expect_contains "$OUT" "weak-signature: certificate CN=ERP-P41 SHA1 Client, OU=SAP, O=Nordwind Handel AG, C=DE is signed with sha1WithRSAEncryption" "weak-signature"
openssl x509 -in "$P/sha1.crt" -noout -text | grep -q "Signature Algorithm: sha1WithRSAEncryption"
RC=$?; expect_rc 0 "openssl agrees: SHA-1 signature"

run "$PSECONV" verify "$P/erp-client-noeku.crt" "$P/corp-chain.pem"
expect_rc 0 "EKU without TLS use: warning by default"
expect_contains "$OUT" "missing-eku" "missing-eku"
run "$PSECONV" verify --purpose client "$P/erp-client-noeku.crt" "$P/corp-chain.pem"
expect_rc 1 "--purpose client: missing clientAuth is an error"
run "$PSECONV" verify --purpose server "$P/erp-client.crt" "$P/corp-chain.pem"
expect_rc 1 "--purpose server on a client-only certificate: error"
run "$PSECONV" verify --purpose server "$P/erp-server.crt" "$P/corp-chain.pem"
expect_rc 0 "--purpose server on a server certificate"

run "$PSECONV" verify --warn-days 36500 "$P/expires-soon.crt" "$P/corp-chain.pem"
expect_rc 0 "expires-soon is a warning"
expect_contains "$OUT" "expires-soon" "expires-soon with a large --warn-days"

# A worker node chain (leaf first) and a PKCS#7 client chain, through the format layer.
run "$PSECONV" verify "$P/hci-worker-node.pem" "$P/hci-client.crt" "$P/hci-client-chain.p7b"
expect_rc 0 "PEM chain and P7B"
expect_contains "$OUT" "Summary: 2 certificate chains checked, 0 errors, 0 warnings" "two leaves checked"

run "$PSECONV" verify --json "$P/expired.crt" "$P/corp-chain.pem"
expect_rc 1 "json: exit 1"
j=$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; d=json.load(sys.stdin); c=d["certificates"][0]; print(c["sha256"], c["chain_complete"], len(c["chain"]), [f["code"] for f in c["findings"]], d["summary"]["errors"])')
expect_eq "$j" "$(fp $P/expired.crt) True 3 ['expired'] 1" "json: leaf, chain, findings"

run "$PSECONV" verify "$P/garbage.bin"
expect_rc 3 "unreadable input: exit 3"
run "$PSECONV" verify
expect_rc 2 "no FILE: exit 2"
run "$PSECONV" verify --purpose sideways "$P/erp-client.crt"
expect_rc 2 "bad --purpose: exit 2"

# ---- init, as a new user would ----
cd "$T" || exit 1
run "$PSECONV" init
expect_rc 0 "init writes landscape.ini"
expect_file "$T/landscape.ini" "landscape.ini exists"
expect_contains "$ERR" "then run 'pseconv plan landscape.ini'" "init says what to do next"
run "$PSECONV" init
expect_rc 4 "init keeps an existing file"
run "$PSECONV" plan landscape.ini
expect_rc 3 "the unfilled template names the missing file"
expect_contains "$ERR" "erp/sslc-own.cer" "names the first placeholder path"
expect_contains "$ERR" "client_cert of ERP" "and its key"
# fill in the fixture paths
sed -i "s|erp/sslc-own.cer|$P/erp-client.crt|; s|erp/ssls-own.cer|$P/erp-server.crt|; s|erp/corp-chain.pem|$P/corp-chain.pem|;
  s|hci/client.cer|$P/hci-client.crt|; s|hci/client-chain.p7b|$P/hci-client-chain.p7b|; s|hci/worker-node.pem|$P/hci-worker-node.pem|;
  s|c4c/arrangement.cer|$P/c4c-client.crt|; s|c4c/server.pem|$P/c4c-server-chain.pem|;
  s|wd/sslc-own.pem|$P/wd-client.crt|; s|wd/ssls-own.pem|$P/wd-server.crt|; s|wd/chain.pem|$P/corp-chain.pem|" landscape.ini
run "$PSECONV" plan landscape.ini
expect_rc 1 "the filled-in template plans (exit 1: ERP's client certificate is from the company CA)"
expect_contains "$OUT" "Summary: 14 to do, 0 blocked, 0 in place, 2 kept by SAP, 1 error, 0 warnings, 0 notes" "same plan as the fixture landscape"
stepset() { $SYSPY -c 'import json,sys; print(sorted((s["id"],s["system"],s["target"],s["status"],(s["certificate"] or {}).get("sha256")) for s in json.load(sys.stdin)["steps"]))'; }
run "$PSECONV" plan --format json "$PSECONV_FIXTURES/landscape/landscape.ini"
fixture_steps=$(printf '%s' "$OUT" | stepset)
run "$PSECONV" plan --format json landscape.ini
expect_eq "$(printf '%s' "$OUT" | stepset)" "$fixture_steps" "template filled with the fixtures = fixtures/landscape (same steps)"
# the commented keys of the template are keys plan accepts, with the values shown
sed -e 's|^; service_user_roles  =|service_user_roles  =|; s|^; ssl_client_identity =|ssl_client_identity =|' \
    -e 's|^; client_key_alias =|client_key_alias =|; s|^; ssl          =|ssl          =|' landscape.ini >uncommented.ini
expect_eq "$(grep -c '^service_user_roles\|^ssl_client_identity\|^client_key_alias\|^ssl ' uncommented.ini)" "4" "four optional keys uncommented"
run "$PSECONV" plan --format json uncommented.ini
expect_rc 1 "the template with its optional keys uncommented plans (same exit 1)"
expect_eq "$(printf '%s' "$OUT" | stepset)" "$fixture_steps" "the defaults shown in the template change no step"
expect_contains "$OUT" "my-client-key" "client_key_alias is named in the steps"
run "$PSECONV" init -o - 
expect_rc 0 "init -o - prints"
expect_contains "$OUT" "[flow account-to-erp]" "template has the outbound flow"
expect_contains "$OUT" "Monitor > Integrations and APIs > Manage Security >" "template: today's Cloud Integration menu path"
for old in "provisioning mail" "LOD-HCI" "system.jks" "seed" "Berthold"; do
  expect_not_contains "$OUT" "$old" "template: no '$old'"
done
run "$PSECONV" init extra
expect_rc 2 "init: stray argument"
finish
