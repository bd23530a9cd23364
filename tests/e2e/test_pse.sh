#!/bin/bash
# SAP PSE and pselist end to end: the pysap corpus PSE (made by sapgenpse,
# PIN 1234567980) against what the openssl CLI says about its certificate,
# PSE -> PKCS#12 -> `openssl pkcs12`, and pselist round trips of the fixtures.
. "$(dirname "$0")/lib.sh"

PSE=$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse
PLAIN=$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse
CERT=$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_cert.der
export PSE_PIN=1234567980
WANT=$(openssl x509 -inform DER -in "$CERT" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')

# ---- inspect: the own certificate first, then the certificate list --------
run "$PSECONV" inspect --password env:PSE_PIN "$PSE"
expect_rc 0 "inspect encrypted PSE"
expect_contains "$OUT" "$PSE: pse, 2 entries" "format detected as pse"
first=$(printf '%s\n' "$OUT" | grep -m1 '^  \[1\]')
expect_contains "$first" "(own, private key)" "entry 1 is the own certificate with its key"
expect_contains "$OUT" "subject:     CN=PSEOwner" "own subject CN=PSEOwner"
expect_contains "$OUT" "sha256:      $WANT" "own sha256 equals openssl's for *_cert.der"
second=$(printf '%s\n' "$OUT" | grep -m1 '^  \[2\]')
expect_contains "$second" "(trusted)" "entry 2 is the certificate list"

run "$PSECONV" inspect --json --password env:PSE_PIN "$PSE"
expect_rc 0 "inspect --json"
got=$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; e=json.load(sys.stdin)["files"][0]["entries"]; print(e[0]["type"], e[0]["certificates"][0]["sha256"], e[0]["private_key"], e[1]["type"])')
expect_eq "$got" "own $WANT True trusted" "json: own (with key) then trusted"

run "$PSECONV" inspect "$PLAIN"
expect_rc 0 "plain PSE needs no PIN"
expect_contains "$OUT" "sha256:      $WANT" "plain PSE: same own certificate"

cp "$PSE" "$T/SAPSSLS.bin"
run "$PSECONV" inspect --password env:PSE_PIN "$T/SAPSSLS.bin"
expect_contains "$OUT" "SAPSSLS.bin: pse," "detected from content, not from the name"

# ---- PIN errors --------------------------------------------------------------
run "$PSECONV" inspect --password pass:0000000000 "$PSE"
expect_rc 3 "wrong PIN"
expect_contains "$ERR" "wrong PIN for $PSE" "wrong PIN message names the file"
expect_one_error_line "wrong PIN: one pseconv: line"
run "$PSECONV" inspect "$PSE"
expect_rc 3 "encrypted PSE without a PIN"
expect_contains "$ERR" "--password" "no PIN: message names --password"
expect_one_error_line "no PIN: one pseconv: line"

# ---- LPS (version 256) --------------------------------------------------------
printf '\x30\x06\x02\x02\x01\x00\xa3\x00' >"$T/lps.pse"
run "$PSECONV" inspect "$T/lps.pse"
expect_rc 3 "LPS PSE refused"
expect_contains "$ERR" "Local Protection Storage" "LPS explained"
expect_contains "$ERR" "sapgenpse export_p12" "LPS: what to do on the host"

# ---- truncated PSE -------------------------------------------------------------
head -c 1500 "$PSE" >"$T/cut.pse"
run "$PSECONV" inspect --password env:PSE_PIN "$T/cut.pse"
expect_rc 3 "truncated PSE"
expect_one_error_line "truncated PSE: one pseconv: line"

# ---- PSE -> PKCS#12 -> openssl pkcs12 -------------------------------------------
run "$PSECONV" convert "$PSE" --password pass:1234567980 -o "$T/s.p12" --out-password pass:x
expect_rc 0 "convert PSE -> p12"
expect_file "$T/s.p12" "p12 written"
expect_eq "$(stat -c %a "$T/s.p12" 2>/dev/null)" "600" "p12 with a key is mode 0600"
if openssl pkcs12 -in "$T/s.p12" -nodes -passin pass:x -out "$T/s.pem" 2>"$T/ossl.err"; then
  ok "openssl pkcs12 opens the p12"
else
  bad "openssl pkcs12 opens the p12" "$(cat "$T/ossl.err")"
fi
key_pub=$(openssl pkey -in "$T/s.pem" -pubout 2>/dev/null)
cert_pub=$(openssl x509 -inform DER -in "$CERT" -pubkey -noout)
expect_eq "$key_pub" "$cert_pub" "p12 key's public part equals the PSE certificate's key"
openssl pkcs12 -in "$T/s.p12" -nokeys -clcerts -passin pass:x -out "$T/leaf.pem" 2>/dev/null
expect_eq "$(fp "$T/leaf.pem")" "$WANT" "p12 certificate is the own certificate"
openssl pkey -in "$T/s.pem" -check -noout >"$T/check.out" 2>&1
expect_contains "$(cat "$T/check.out")" "Key is valid" "rebuilt RSA key passes openssl pkey -check"

run "$PSECONV" convert "$PSE" --password pass:1234567980 -o "$T/legacy.p12" --out-password pass:x --legacy
expect_rc 0 "convert PSE -> legacy p12 (for sapgenpse import_p12)"
openssl pkcs12 -in "$T/legacy.p12" -nodes -passin pass:x -legacy -out "$T/legacy.pem" 2>/dev/null ||
  openssl pkcs12 -in "$T/legacy.p12" -nodes -passin pass:x -out "$T/legacy.pem" 2>/dev/null
expect_eq "$(openssl pkey -in "$T/legacy.pem" -pubout 2>/dev/null)" "$cert_pub" "legacy p12 key matches"

# ---- PSE -> certificate list -----------------------------------------------------
run "$PSECONV" convert "$PSE" --password pass:1234567980 --no-keys -o "$T/list.pem"
expect_rc 0 "convert PSE -> PEM list"
expect_contains "$(fps_pem "$T/list.pem")" "$WANT" "PEM list holds the certificate"
expect_not_contains "$(cat "$T/list.pem")" "PRIVATE KEY" "--no-keys: no key in the list"

# ---- PSE -> pselist -----------------------------------------------------------------
cp "$PSE" "$T/SAPSSLC.pse"
run "$PSECONV" convert "$T/SAPSSLC.pse" --password env:PSE_PIN -o "$T/c.pselist"
expect_rc 0 "convert PSE -> pselist"
expect_eq "$(head -4 "$T/c.pselist")" "pseconv-pselist 1
pse: SSL Client Standard
file: SAPSSLC.pse" "pselist header (then a blank line)"
expect_eq "$(sed -n 4p "$T/c.pselist")" "" "blank line after the header"
expect_contains "$(cat "$T/c.pselist")" "own:
subject: CN=PSEOwner
issuer: CN=PSEOwner
valid: 2018-02-18T18:48:35Z .. 2019-02-18T18:48:35Z
sha256: $WANT" "pselist own block"
expect_not_contains "$(cat "$T/c.pselist")" "PRIVATE" "pselist never holds a key"
expect_contains "$ERR" "private key" "pselist: warns that the key was left out"
run "$PSECONV" inspect --json "$T/c.pselist"
got=$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; e=json.load(sys.stdin)["files"][0]["entries"]; print(" ".join(x["type"] for x in e))')
expect_eq "$got" "own trusted" "pselist json: own then trusted"

# ---- pselist round trips of every fixture certificate and chain ----------------------
n=0
for f in "$FX"/*.crt "$FX"/*-chain.pem "$FX"/hci-worker-node.pem "$FX"/erp-client-fullchain.pem; do
  [ -e "$f" ] || continue
  b=$(basename "$f")
  want=$(fps_pem "$f")
  run "$PSECONV" convert "$f" -o "$T/rt-$b.pselist"
  [ "$RC" -eq 0 ] || { bad "convert $b -> pselist" "exit $RC: $ERR"; continue; }
  run "$PSECONV" convert "$T/rt-$b.pselist" -o "$T/rt-$b.pem"
  [ "$RC" -eq 0 ] || { bad "convert $b.pselist -> pem" "exit $RC: $ERR"; continue; }
  expect_eq "$(fps_pem "$T/rt-$b.pem")" "$want" "round trip $b: same certificates, same order, same bytes"
  "$PSECONV" convert "$f" -o "$T/rt2-$b.pselist" 2>/dev/null
  if cmp -s "$T/rt-$b.pselist" "$T/rt2-$b.pselist"; then ok "$b: writing twice gives the same bytes"; else bad "$b: writing twice differs"; fi
  n=$((n + 1))
done
[ "$n" -ge 20 ] && ok "round-tripped $n fixture files" || bad "only $n fixture files round-tripped"

# A key pair becomes own: + chain:, the key stays out.
run "$PSECONV" convert "$FX/erp-client-keychain.pem" -o "$T/kp.pselist"
expect_rc 0 "key pair -> pselist"
expect_eq "$(grep -c '^own:$' "$T/kp.pselist")" "1" "key pair leaf is the own block"
expect_not_contains "$(cat "$T/kp.pselist")" "PRIVATE" "key pair pselist has no key"
run "$PSECONV" inspect "$T/kp.pselist"
expect_contains "$OUT" "(own, no private key)" "key pair pselist reads back as own"

# ---- hand edits are refused --------------------------------------------------------------
G=$T/rt-corp-chain.pem.pselist
sed '0,/^subject: CN=Nordwind Issuing CA 07/s//subject: CN=Nordwind Issuing CA 08/' "$G" >"$T/edit-subject.pselist"
run "$PSECONV" inspect "$T/edit-subject.pselist"
expect_rc 3 "edited subject line"
expect_contains "$ERR" "'subject:' does not match" "edited subject: says which field"
expect_one_error_line "edited subject: one pseconv: line"
sed '0,/^sha256: ./s//sha256: 0/' "$G" >"$T/edit-sha.pselist"
run "$PSECONV" inspect "$T/edit-sha.pselist"
expect_rc 3 "edited sha256 line"
head -n 14 "$G" >"$T/cut.pselist"
run "$PSECONV" inspect "$T/cut.pselist"
expect_rc 3 "truncated block"
expect_contains "$ERR" "truncated" "truncated block: says so"
sed '1s/.*/pseconv-pselist 9/' "$G" >"$T/ver.pselist"
run "$PSECONV" inspect "$T/ver.pselist"
expect_rc 3 "wrong header line (version)"
sed '2i owner: me' "$G" >"$T/hdr.pselist"
run "$PSECONV" inspect "$T/hdr.pselist"
expect_rc 3 "wrong header line (unknown key)"
expect_contains "$ERR" "wrong header line" "unknown header key: says so"
run "$PSECONV" convert "$T/edit-subject.pselist" -o "$T/never.pem"
expect_rc 3 "convert of an edited pselist fails"
expect_no_file "$T/never.pem" "no output left behind"

# ---- trust-list PSEs (issue 23) ----------------------------------------------------------
# SAP publishes trust lists as PSEs: no PIN, no own certificate, no key, one PKList
# (1.3.36.2.6.1) of signed certificates.  Their licence keeps them out of the repository,
# so tests/make_trust_pse.c (tests/pse_build.h) makes the same shape from the fixture PKI
# and from Debian's public roots; every fingerprint below is openssl's.
# fps_ordered FILE: openssl's SHA-256 of every certificate of a PEM file, in file order
# (lib.sh's fps_pem lists more than nine in the shell's glob order).
fps_ordered() {
  awk -v d="$T/.ord" '/-----BEGIN CERTIFICATE-----/{n++; f=sprintf("%s.%05d", d, n)} f{print > f} /-----END CERTIFICATE-----/{close(f); f=""}' "$1"
  for f in "$T"/.ord.*; do [ -e "$f" ] && fp "$f"; done
  rm -f "$T"/.ord.*
}
MKPSE=${PSECONV_MAKE_TRUST_PSE:-$(dirname "$PSECONV")/tests/make_trust_pse}
ROOTS=/etc/ssl/certs/ca-certificates.crt
cat "$FX/lb-root.crt" "$FX/hci-root.crt" "$FX/hci-intermediate.crt" "$FX/corp-root.crt" \
  "$FX/c4c-root.crt" "$FX/p384-root.crt" >"$T/tl-fixture.pem"
# fixture PKI first, then every Debian root: SAP's list is the same kind of thing
cat "$T/tl-fixture.pem" "$ROOTS" >"$T/tl-all.pem"
"$MKPSE" "$T/trust.pse" "$T/tl-all.pem" || bad "make_trust_pse built trust.pse"
WANT_TL=$(fps_ordered "$T/tl-all.pem")
N_TL=$(printf '%s\n' "$WANT_TL" | grep -c .)
[ "$N_TL" -gt 100 ] && ok "trust list of $N_TL certificates (6 fixture + Debian roots)" || bad "only $N_TL certificates"
# pem_ders FILE: every certificate of a PEM file as one line of base64 DER, in file order:
# equal lines are equal bytes, hence equal SHA-256 (cheaper than openssl per certificate).
pem_ders() { awk '/-----BEGIN CERTIFICATE-----/{c=1; b=""; next} /-----END CERTIFICATE-----/{print b; c=0} c{b=b $0}' "$1"; }
json_fps() { $SYSPY -c 'import json,sys; print("\n".join(c["sha256"] for f in json.load(sys.stdin)["files"] for e in f["entries"] for c in e["certificates"]))'; }

run "$PSECONV" inspect "$T/trust.pse"
expect_rc 0 "inspect trust-list PSE"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$T/trust.pse: pse, $N_TL entries (trust list, no own certificate)" \
  "header: N entries, trust list, no own certificate"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^  \[[0-9]*\] .* (trusted)$')" "$N_TL" "every entry is trusted"
expect_eq "$ERR" "" "a clean trust list: nothing on stderr"
run "$PSECONV" inspect --json "$T/trust.pse"
expect_eq "$(printf '%s' "$OUT" | json_fps)" "$WANT_TL" "json: SHA-256 of every certificate equals openssl's, in file order"
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; f=json.load(sys.stdin)["files"][0]; print(f["trust_list"], f["warnings"], sorted(set(e["type"] for e in f["entries"])))')" \
  "True [] ['trusted']" "json: trust_list true, no warnings, trusted entries only"

# encrypted the same list reads the same (the PIN is the only difference)
"$MKPSE" -p 1234567980 "$T/trust-enc.pse" "$T/tl-fixture.pem"
run "$PSECONV" inspect --json --password env:PSE_PIN "$T/trust-enc.pse"
expect_eq "$(printf '%s' "$OUT" | json_fps)" "$(fps_ordered "$T/tl-fixture.pem")" "encrypted trust list: same certificates"

# convert keeps every certificate: PEM, JKS (keytool), PKCS#12 (openssl), pselist
run "$PSECONV" convert "$T/trust.pse" -o "$T/tl.pem"
expect_rc 0 "trust list -> PEM"
expect_eq "$(pem_ders "$T/tl.pem")" "$(pem_ders "$T/tl-all.pem")" "PEM: the same certificate bytes, same order"
run "$PSECONV" convert "$T/trust.pse" -o "$T/tl.jks" --out-password pass:changeit
expect_rc 0 "trust list -> JKS"
kt=$(keytool -list -v -keystore "$T/tl.jks" -storepass changeit 2>/dev/null)
expect_contains "$kt" "Your keystore contains $N_TL entries" "keytool: $N_TL entries"
expect_eq "$(printf '%s\n' "$kt" | grep -c '^Entry type: trustedCertEntry')" "$N_TL" "keytool: all trustedCertEntry"
expect_eq "$(printf '%s\n' "$kt" | sed -n 's/^[[:space:]]*SHA256: //p' | tr -d ':' | tr 'A-F' 'a-f' | sort)" \
  "$(printf '%s\n' "$WANT_TL" | sort)" "keytool: SHA-256 set equals openssl's"
run "$PSECONV" convert "$T/trust.pse" -o "$T/tl.p12" --out-password pass:x
expect_rc 0 "trust list -> PKCS#12"
openssl pkcs12 -in "$T/tl.p12" -nokeys -passin pass:x -out "$T/tl-p12.pem" 2>/dev/null
expect_eq "$(pem_ders "$T/tl-p12.pem" | sort)" "$(pem_ders "$T/tl-all.pem" | sort)" "openssl pkcs12: the same certificate bytes"
cp "$T/trust.pse" "$T/SAPSSLC.pse"
run "$PSECONV" convert "$T/SAPSSLC.pse" -o "$T/tl.pselist"
expect_rc 0 "trust list -> pselist"
expect_eq "$(grep -c '^trusted:$' "$T/tl.pselist")" "$N_TL" "pselist: $N_TL trusted blocks"
expect_eq "$(grep -c '^own:$' "$T/tl.pselist")" "0" "pselist: no own block"
expect_eq "$(sed -n 's/^sha256: //p' "$T/tl.pselist")" "$WANT_TL" "pselist: sha256 lines equal openssl's, in order"
run "$PSECONV" inspect "$T/tl.pselist"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$T/tl.pselist: pselist, $N_TL entries (trust list, no own certificate)" \
  "the pselist reads back as the same trust list"

# plan: the trust list as ERP's ssl_client_pse makes R2 (the load balancer root) present
{ printf '[landscape]\nname = tl\n'; seed_systems cf | sed "s|^service_user = CODINTG|&\nssl_client_pse = $T/trust.pse|"
  printf '[flow in]\npath = ERP -> HCI -> C4C\nauth = certificate\n'; } >"$T/tl.ini"
run "$PSECONV" plan --format json "$T/tl.ini"
expect_rc 1 "plan with a trust-list PSE as ssl_client_pse: exit 1 for the company-CA client certificate only"
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; print(" ".join(sorted("%s:%s:%s" % (f["severity"], f["code"], f["system"]) for f in json.load(sys.stdin)["findings"] if f["severity"] == "error")))')" \
  "error:client-ca-not-accepted:ERP" "the only error: ERP's company-CA client certificate (issue 15), not the trust list"
r2=$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; print("\n".join(sorted("%s %s %s %s" % (s["id"], s["system"], s["status"], s["certificate"]["sha256"]) for s in json.load(sys.stdin)["steps"] if s["id"] == "R2")))')
expect_eq "$r2" "R2 ERP present $(fp "$FX/lb-root.crt")
R2 ERP todo $(fp "$FX/lb-intermediate.crt")" "R2: the root in the trust list is present, the intermediate (not in it) to do"

# never silent: skipped entries and objects are named; nothing read is exit 3
"$MKPSE" -t 2 -u Foo "$T/mixed.pse" "$T/tl-fixture.pem"
run "$PSECONV" inspect "$T/mixed.pse"
expect_rc 0 "PKList with 2 to-be-signed entries and an unknown object"
expect_contains "$OUT" "$T/mixed.pse: pse, 4 entries (trust list, no own certificate)" "mixed: 4 signed certificates read"
expect_contains "$OUT" "  warning: PKList holds 2 of 6 entries without a signed certificate (to-be-signed part only), not converted: \"CN=Fake SAP Global Root CA, O=SAP SE, C=DE\", \"CN=Nordwind P-384 Root CA, OU=P-384 Test, O=Nordwind Handel AG, C=DE\"" \
  "inspect names the entries it did not convert"
expect_contains "$OUT" "  warning: other PSE objects not read: Foo" "inspect names the unknown object"
expect_contains "$ERR" "pseconv: warning: $T/mixed.pse: other PSE objects not read: Foo" "and warns on stderr"
"$MKPSE" -t 6 "$T/tbs.pse" "$T/tl-fixture.pem"
run "$PSECONV" inspect "$T/tbs.pse"
expect_rc 3 "a PSE whose PKList gives nothing: exit 3, not 0 entries"
expect_contains "$ERR" "pseconv: $T/tbs.pse: nothing read from this pse file (no certificate or key pseconv can use): PKList holds 6 of 6 entries without a signed certificate" \
  "the error names what was not understood"
expect_one_error_line "nothing read: one pseconv: line"
expect_not_contains "$OUT" "0 entries" "no '0 entries' listing"
run "$PSECONV" convert "$T/tbs.pse" -o "$T/tbs.pem"
expect_rc 3 "convert of such a PSE fails too"
expect_no_file "$T/tbs.pem" "no output left behind"

finish
