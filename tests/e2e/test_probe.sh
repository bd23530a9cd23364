#!/bin/bash
# pseconv probe against local servers (scripts/probe-servers.sh, 127.0.0.1
# only, bounded lifetime): every case of issue 20 with its per-hop outcome
# and the plan step it names; --proxy / HTTPS_PROXY through a CONNECT proxy,
# also for fetch.
. "$(dirname "$0")/lib.sh"
unset HTTPS_PROXY https_proxy NO_PROXY no_proxy
SRV=$T/servers
cleanup() { bash "$PSECONV_SRC/scripts/probe-servers.sh" stop "$SRV"; rm -rf "$T"; }
trap cleanup EXIT
if ! bash "$PSECONV_SRC/scripts/probe-servers.sh" start "$SRV" 300; then
  bad "the probe servers start"
  finish
  exit 1
fi
. "$SRV/servers.env"

# ERP's identity with its key (client_cert as PEM key + chain) and its SSL client PSE
# stand-ins: one that trusts the fake DigiCert root the servers present, one that does not.
cat "$FX/erp-client.key" "$FX/erp-client-fullchain.pem" >"$T/erp-id.pem"
cp "$FX/lb-root.crt" "$T/sslc-good.pem"
cp "$FX/corp-root.crt" "$T/sslc-bad.pem"
ERP_FP=$(fp "$FX/erp-client.crt")

# landscape FILE ERP_CLIENT_CERT SSL_CLIENT_PSE URL [SERVER_CHAIN]
landscape() {
  cat >"$1" <<EOF
[landscape]
name = probe test

[system ERP]
type = abap
client_cert = $2
server_cert = $FX/erp-server.crt
chain = $FX/corp-chain.pem
ssl_client_pse = $3
service_user = CODINTG

[system HCI]
type = cpi
environment = cf
client_cert = $FX/hci-client.crt
client_chain = $FX/hci-client-chain.p7b
server_chain = ${5:-$FX/hci-worker-node.pem}
url = $4

[system C4C]
type = c4c
client_cert = $FX/c4c-client.crt
server_chain = $FX/c4c-server-chain.pem

[flow replicate-material]
path = ERP -> HCI -> C4C
auth = certificate
EOF
}
# jq-like field access: jf FILE PYTHON-EXPRESSION-ON-d
jf() { "$SYSPY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
U_OK="https://127.0.0.1:$PORT_SSERVER/http/replicate"
U_SAP="https://127.0.0.1:$PORT_SAPCAS/http/replicate"
U_HTTP="https://127.0.0.1:$PORT_HTTP/http/replicate"

# ---- everything right: s_server names the Nordwind root and answers GET with 200 ----
landscape "$T/ok.ini" "$T/erp-id.pem" "$T/sslc-good.pem" "$U_OK"
run "$PSECONV" probe "$T/ok.ini"
expect_rc 0 "all right: exit 0"
expect_contains "$OUT" "ERP -> HCI ($U_OK, 127.0.0.1): ok" "all right: the hop line says ok"
expect_contains "$OUT" "HCI accepts client certificates issued under CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE" "all right: the CA name from the CertificateRequest"
expect_contains "$OUT" "authenticated: GET /http/replicate answered 200" "all right: HEAD unanswered by s_server, GET gets 200"
expect_contains "$OUT" "HCI -> C4C: skipped: the server has no url in the landscape" "a hop without url is skipped"
expect_contains "$OUT" "summary: 1 ok, 0 failing, 0 unreachable, 1 skipped" "all right: summary"
run "$PSECONV" probe --json --hop 'ERP -> HCI' "$T/ok.ini"
expect_rc 0 "all right --json --hop: exit 0"
printf '%s' "$OUT" >"$T/ok.json"
expect_eq "$(jf "$T/ok.json" 'len(d["hops"]), d["hops"][0]["status"], d["hops"][0]["http_status"], d["hops"][0]["method"]')" "(1, 'ok', 200, 'GET')" "all right JSON: one hop, ok, GET 200"
expect_eq "$(jf "$T/ok.json" 'd["hops"][0]["client_ca_names"]')" "['CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE']" "all right JSON: client_ca_names"
expect_eq "$("$SYSPY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print([c["sha256"] for c in d["hops"][0]["server_chain"]])' "$T/ok.json")" "['$(fp "$FX/lb-server.crt")', '$(fp "$FX/lb-intermediate.crt")']" "all right JSON: the presented chain (leaf, intermediate)"
expect_eq "$(jf "$T/ok.json" 'd["hops"][0]["failures"], d["summary"]["exit_code"], d["hops"][0]["certificate_requested"], d["hops"][0]["mutual_handshake"]')" "([], 0, True, True)" "all right JSON: no failures, exit_code 0"

# ---- server chain not trusted by ERP's SSL client PSE: R2 ----
landscape "$T/untrusted.ini" "$T/erp-id.pem" "$T/sslc-bad.pem" "$U_OK"
"$PSECONV" plan --format json "$T/untrusted.ini" >"$T/untrusted-plan.json"
R2_FILE=$(jf "$T/untrusted-plan.json" '[s["certificate"]["file"] for s in d["steps"] if s["id"]=="R2" and s["required"]][0]')
expect_eq "$R2_FILE" "01-strust-ssl-client-standard-fake-digicert-global-root-g2.crt" "the plan's R2 file (root of the worker node chain)"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/untrusted.ini"
expect_rc 1 "untrusted server chain: exit 1"
expect_contains "$OUT" "ERP -> HCI ($U_OK, 127.0.0.1): fails: ERP would reject HCI's server certificate: R2 missing in $T/sslc-bad.pem (unable to get local issuer certificate) -> step R2 (ERP/$R2_FILE)" "untrusted: fails -> step R2 with the export file"
expect_not_contains "$OUT" "also fails" "untrusted: the client side is fine"
run "$PSECONV" probe --json --hop 'ERP->HCI' "$T/untrusted.ini"
printf '%s' "$OUT" >"$T/untrusted.json"
expect_eq "$(jf "$T/untrusted.json" '[(f["check"], f["step"], f["system"], f["file"]) for f in d["hops"][0]["failures"]]')" "[('server-trust', 'R2', 'ERP', 'ERP/$R2_FILE')]" "untrusted JSON: server-trust R2 in ERP"

# ---- root rotation: the live root is not the one in the server_chain file ----
landscape "$T/rotated.ini" "$T/erp-id.pem" "$T/sslc-bad.pem" "$U_OK" "$FX/p384-chain.pem"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/rotated.ini"
expect_rc 1 "rotated root, not trusted: exit 1"
expect_contains "$OUT" "fails: chain changed since your server_chain file: new root CN=Fake DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US (ERP would reject it: unable to get local issuer certificate) -> step R2 ($FX/p384-chain.pem)" "rotation: named with the new root and the file to refresh"
cat "$FX/lb-root.crt" "$FX/p384-root.crt" >"$T/sslc-both.pem"
landscape "$T/rotated-ok.ini" "$T/erp-id.pem" "$T/sslc-both.pem" "$U_OK" "$FX/p384-chain.pem"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/rotated-ok.ini"
expect_rc 0 "rotated root already trusted: exit 0"
expect_contains "$OUT" "note: the chain changed since your server_chain file $FX/p384-chain.pem: new root CN=Fake DigiCert Global Root G2" "rotation already trusted: a note"

# ---- ERP's client CA not in the server's acceptable list (SAP's CAs only): R3 ----
landscape "$T/sapcas.ini" "$T/erp-id.pem" "$T/sslc-good.pem" "$U_SAP"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/sapcas.ini"
expect_rc 1 "client CA not accepted: exit 1"
expect_contains "$OUT" "fails: HCI does not accept ERP's client certificate: its 1 acceptable CA name (CN=Fake Baltimore CyberTrust Root, OU=CyberTrust, O=Baltimore, C=IE) do not include CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE, where ERP's chain ends -> step R3" "client CA: names compared -> R3"
run "$PSECONV" probe --json --hop 'ERP->HCI' "$T/sapcas.ini"
printf '%s' "$OUT" >"$T/sapcas.json"
expect_eq "$(jf "$T/sapcas.json" '[(f["check"], f["step"]) for f in d["hops"][0]["failures"]]')" "[('client-ca', 'R3'), ('handshake', 'R3')]" "client CA JSON: client-ca and the handshake's alert, both R3"
expect_eq "$(jf "$T/sapcas.json" 'd["hops"][0]["tls_alert"]')" "unknown CA" "client CA JSON: the server's alert"

# ---- the HTTPS server answering by client certificate: 401, 403, 200 ----
landscape "$T/http.ini" "$T/erp-id.pem" "$T/sslc-good.pem" "$U_HTTP"
"$PSECONV" plan --format json "$T/http.ini" >"$T/http-plan.json"
R1_FILE=$(jf "$T/http-plan.json" '[s["certificate"]["file"] for s in d["steps"] if s["id"]=="R1"][0]')
expect_eq "$R1_FILE" "01-service-key-erp-p41-ssl-client-standard.pem" "the plan's R1 file (ERP's leaf for the service key)"
: >"$SRV/ok.sha256"; : >"$SRV/forbidden.sha256"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/http.ini"
expect_rc 1 "client certificate unknown: exit 1"
expect_contains "$OUT" "fails: HCI answered HEAD /http/replicate with 401: it does not know ERP's client certificate -> step R1 (HCI/$R1_FILE)" "401 -> step R1 with the service key file"
expect_contains "$OUT" "note: HCI asked for a client certificate without naming acceptable CAs" "python server: no CA names, a note"
echo "$ERP_FP" >"$SRV/forbidden.sha256"
run "$PSECONV" probe --json --hop 'ERP->HCI' "$T/http.ini"
expect_rc 1 "wrong role: exit 1"
printf '%s' "$OUT" >"$T/403.json"
expect_eq "$(jf "$T/403.json" '[(f["check"], f["step"], f["file"]) for f in d["hops"][0]["failures"]], d["hops"][0]["http_status"]')" "([('http', 'R1', 'HCI/$R1_FILE')], 403)" "403 -> http failure, step R1"
expect_contains "$(jf "$T/403.json" 'd["hops"][0]["failures"][0]["reason"]')" "403 Forbidden: it knows ERP's client certificate" "403: the reason"
: >"$SRV/forbidden.sha256"; echo "$ERP_FP" >"$SRV/ok.sha256"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/http.ini"
expect_rc 0 "known certificate: exit 0"
expect_contains "$OUT" "note: authenticated: HEAD /http/replicate answered 200" "200 on HEAD: authenticated"

# ---- a cpi -> abap hop: ERP's SSL server PSE must hold HCI's client CAs (R9) ----
cat "$FX/hci-client.key" "$FX/hci-client.crt" >"$T/hci-id.pem"
cat >"$T/b2.ini" <<EOF
[system HCI]
type = cpi
client_cert = $T/hci-id.pem
client_chain = $FX/hci-client-chain.p7b
server_chain = $FX/hci-worker-node.pem
keystore = $T/sslc-good.pem
[system ERP]
type = abap
server_cert = $FX/erp-server.crt
chain = $FX/corp-chain.pem
service_user = CODINTG
url = $U_OK
[flow b2]
path = HCI -> ERP
EOF
run "$PSECONV" probe "$T/b2.ini"
expect_rc 1 "HCI -> ERP with HCI's CA not listed: exit 1"
expect_contains "$OUT" "-> step R9 (ERP/" "client CA not accepted by an abap server -> step R9"
expect_contains "$OUT" "also fails: ERP rejected HCI's client certificate: TLS alert \"unknown CA\" from ERP -> step R9" "the handshake alert -> step R9"

# the same with HCI's key from a password-protected PKCS#12 keystore (keystore_password)
openssl pkcs12 -export -in "$FX/hci-client.crt" -inkey "$FX/hci-client.key" -certfile "$FX/lb-root.crt" \
  -passout pass:ks-secret -out "$T/system.p12" 2>/dev/null
sed -e "s|^client_cert = .*|client_cert = $FX/hci-client.crt|" -e "s|^keystore = .*|keystore = $T/system.p12\nkeystore_password = env:HCI_KS_PW|" "$T/b2.ini" >"$T/b2-p12.ini"
run env HCI_KS_PW=ks-secret "$PSECONV" probe --json "$T/b2-p12.ini"
expect_rc 1 "HCI -> ERP, key from the PKCS#12 keystore: exit 1"
printf '%s' "$OUT" >"$T/b2.json"
expect_eq "$(jf "$T/b2.json" 'd["hops"][0]["mutual_handshake"], [(f["check"], f["step"], f["system"]) for f in d["hops"][0]["failures"]]')" "(True, [('client-ca', 'R9', 'ERP'), ('handshake', 'R9', 'ERP')])" "keystore key used for the mutual handshake; R9 in ERP"
expect_not_contains "$OUT$ERR" "ks-secret" "the keystore password is not printed"

# ---- server down ----
landscape "$T/down.ini" "$T/erp-id.pem" "$T/sslc-good.pem" "https://127.0.0.1:$PORT_DOWN/"
run "$PSECONV" probe --timeout 3 --hop 'ERP->HCI' "$T/down.ini"
expect_rc 3 "server down: exit 3"
expect_contains "$OUT" "ERP -> HCI (https://127.0.0.1:$PORT_DOWN/): unreachable: cannot connect to 127.0.0.1:$PORT_DOWN: Connection refused" "server down: unreachable with the reason"
run "$PSECONV" probe --json --hop 'ERP->HCI' "$T/down.ini"
printf '%s' "$OUT" >"$T/down.json"
expect_eq "$(jf "$T/down.json" 'd["hops"][0]["status"], d["summary"]["exit_code"]')" "('unreachable', 3)" "server down JSON"

# ---- no private key: checks 1 and 2 only ----
landscape "$T/nokey.ini" "$FX/erp-client.crt" "$T/sslc-good.pem" "$U_OK"
run "$PSECONV" probe --hop 'ERP->HCI' "$T/nokey.ini"
expect_rc 0 "no key: exit 0 (what could be checked is right)"
expect_contains "$OUT" "note: no private key for ERP's client certificate in the landscape: the mutual handshake was not tried" "no key: says so"

# ---- through an HTTP CONNECT proxy: --proxy, HTTPS_PROXY, NO_PROXY, fetch ----
run "$PSECONV" probe --proxy "http://127.0.0.1:$PORT_PROXY" --hop 'ERP->HCI' "$T/ok.ini"
expect_rc 0 "via --proxy: exit 0"
expect_contains "$OUT" "ERP -> HCI ($U_OK, via proxy 127.0.0.1:$PORT_PROXY): ok" "via --proxy: ok, through the proxy"
expect_eq "$(grep -c "^CONNECT 127.0.0.1:$PORT_SSERVER\$" "$SRV/proxy.log")" "3" "the proxy saw 3 CONNECTs (look, HEAD, GET)"
run env HTTPS_PROXY="http://127.0.0.1:$PORT_PROXY/" "$PSECONV" probe --hop 'ERP->HCI' "$T/ok.ini"
expect_contains "$OUT" "via proxy 127.0.0.1:$PORT_PROXY): ok" "HTTPS_PROXY honoured"
expect_eq "$(grep -c "^CONNECT" "$SRV/proxy.log")" "6" "HTTPS_PROXY: 3 more CONNECTs"
run env HTTPS_PROXY="http://127.0.0.1:$PORT_PROXY" NO_PROXY=localhost,127.0.0.1 "$PSECONV" probe --hop 'ERP->HCI' "$T/ok.ini"
expect_contains "$OUT" "($U_OK, 127.0.0.1): ok" "NO_PROXY: direct"
expect_eq "$(grep -c "^CONNECT" "$SRV/proxy.log")" "6" "NO_PROXY: the proxy saw nothing"
run env HTTPS_PROXY="http://127.0.0.1:$PORT_PROXY" "$PSECONV" probe --proxy '' --hop 'ERP->HCI' "$T/ok.ini"
expect_contains "$OUT" "($U_OK, 127.0.0.1): ok" "--proxy '': direct despite HTTPS_PROXY"
run "$PSECONV" fetch --proxy "http://127.0.0.1:$PORT_PROXY" "127.0.0.1:$PORT_SSERVER" -o "$T/fetched.pem"
expect_rc 0 "fetch --proxy: exit 0"
expect_contains "$OUT" "127.0.0.1:$PORT_SSERVER (via proxy 127.0.0.1:$PORT_PROXY)" "fetch --proxy: through the proxy"
expect_eq "$(fps_pem "$T/fetched.pem" | tr '\n' ' ')" "$(fp "$FX/lb-server.crt") $(fp "$FX/lb-intermediate.crt") " "fetch --proxy: the chain as presented"
expect_eq "$(grep -c "^CONNECT" "$SRV/proxy.log")" "7" "fetch --proxy: one CONNECT"
run "$PSECONV" fetch --proxy "http://127.0.0.1:$PORT_PROXY" "localhost:$PORT_SSERVER"
expect_rc 3 "proxy refuses CONNECT: exit 3"
expect_contains "$ERR" "pseconv: proxy 127.0.0.1:$PORT_PROXY refused CONNECT localhost:$PORT_SSERVER: HTTP/1.1 403 Forbidden" "proxy refusal named"
run "$PSECONV" probe --proxy "http://user:secret@127.0.0.1:$PORT_PROXY" "$T/ok.ini"
expect_rc 2 "proxy credentials refused: exit 2"
expect_contains "$ERR" "user:password@ in the proxy URL is not supported" "proxy credentials: the reason"
expect_not_contains "$ERR" "secret" "proxy credentials: not echoed"
run "$PSECONV" probe --proxy "https://127.0.0.1:$PORT_PROXY" "$T/ok.ini"
expect_rc 2 "https proxy: exit 2"

# ---- bad input ----
run "$PSECONV" probe --hop 'ERP->C4C' "$T/ok.ini"
expect_rc 2 "--hop not in any flow: exit 2"
expect_contains "$ERR" "hops: ERP->HCI, HCI->C4C" "--hop: lists the hops"
run "$PSECONV" probe --hop 'HCI->C4C' "$T/ok.ini"
expect_rc 3 "--hop whose server has no url: exit 3"
expect_contains "$ERR" "no server of this hop has a url" "no url: says what to add"
sed "s|^url = .*|url = http://127.0.0.1:1/|" "$T/ok.ini" >"$T/badurl.ini"
run "$PSECONV" probe "$T/badurl.ini"
expect_rc 2 "url not https: exit 2"
expect_contains "$ERR" "$T/badurl.ini:$(grep -n "^url" "$T/badurl.ini" | cut -d: -f1): url 'http://127.0.0.1:1/': write https://HOST[:PORT][/PATH] (in [system HCI])" "url not https: FILE:LINE"
sed "s|^url = .*|url = https://admin:secret@127.0.0.1:1/|" "$T/ok.ini" >"$T/credurl.ini"
run "$PSECONV" probe "$T/credurl.ini"
expect_rc 2 "url with a password: exit 2"
expect_contains "$ERR" "credurl.ini:18: url https://127.0.0.1:1: user names and passwords in the URL are not sent" "url with a password: refused"
expect_not_contains "$ERR" "secret" "url with a password: not echoed"
run "$PSECONV" plan "$T/ok.ini"
expect_rc 1 "plan accepts the url key (exit 1: the test CA is no root SAP's load balancer accepts)"
expect_not_contains "$ERR" "url" "plan: no complaint about the url key"
expect_contains "$OUT" ", 1 error," "plan: one error"
expect_contains "$OUT" "error   client-ca-not-accepted  ERP:" "plan: the error is the client CA, nothing about url"
finish
