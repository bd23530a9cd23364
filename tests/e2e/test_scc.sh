#!/bin/bash
# SAP Cloud Connector (issue 22): C4C -> HCI -> SCC -> ERP with and without
# principal propagation.  plan (steps R14..R20 with their certificates,
# findings), loader errors, export (SCC/README.md, ERP files), init's
# commented alternative, and the handshake proof of the SCC -> ERP hop:
# `openssl s_server` with ERP's server key trusting ONLY the files the export
# puts into ERP's SSL server Standard, `openssl s_client` with SCC's system
# certificate trusting ONLY SCC's exported Trust Store file.
. "$(dirname "$0")/lib.sh"
L=$PSECONV_FIXTURES/landscape
S=$L/scc
. "$(dirname "$0")/servers.sh"

SYS=$(fp "$S/scc-system.crt"); ISS=$(fp "$S/scc-issuing.crt"); CA=$(fp "$S/scc-ca.crt")
ROOT=$(fp "$FX/corp-root.crt"); C4C=$(fp "$FX/c4c-client.crt")
# steps as "ID SYSTEM TARGET STATUS REQUIRED SHA256|-", one per line, plan order
steps() { $SYSPY -c '
import json, sys
for s in json.load(sys.stdin)["steps"]:
    c = s["certificate"]
    print(s["id"], s["system"], s["target"], s["status"], "req" if s["required"] else "opt", c["sha256"] if c else "-")'; }
findings() { $SYSPY -c '
import json, sys
print(" ".join(sorted("%s:%s:%s" % (f["severity"], f["code"], f["system"]) for f in json.load(sys.stdin)["findings"])))'; }

# ---- plan: system certificate mapped to a technical user, Trust Store as allowlist ----
run "$PSECONV" plan --format json "$L/scc.ini"
expect_rc 0 "scc.ini: only warnings (exit 0)"
printf '%s' "$OUT" >"$T/scc.json"
expect_eq "$(steps <"$T/scc.json")" "R15 ERP strust-ssl-server-standard todo req $ISS
R16 ERP user-mapping todo req $SYS
R7 HCI service-key todo req $C4C
R14 HCI onpremise-proxy todo req -
R8 C4C trust-list managed req $(fp "$FX/lb-root.crt")
R14 SCC scc-subaccount todo req -
R14 SCC scc-access-control todo req -
R20 SCC scc-trust-store todo req $ROOT" \
  "scc.ini: R15 issuer of SCC's system certificate, R16 its mapping, R14 settings, R20 ERP's root (trust_store lists another root)"
expect_eq "$(findings <"$T/scc.json")" "warning:client-cert-through-scc:HCI" \
  "scc.ini findings: a client certificate in HCI's channel does not reach ERP; no empty-trust-store note"
j=$($SYSPY -c 'import json,sys; d=json.load(open(sys.argv[1])); s=[x for x in d["steps"] if x["id"]=="R16"][0]; print(s["service_user"], "|", s["certificate"]["owner"], "|", [f["message"] for f in d["findings"] if f["code"]=="client-cert-through-scc"][0])' "$T/scc.json")
expect_eq "$j" "CODINTG | SCC | flow account-to-erp: a client certificate in HCI's receiver channel (Authentication \"Client Certificate\") does not reach ERP through SCC, which opens its own TLS session to ERP; this plan takes the Cloud Connector's system certificate mapped to the technical user (R16): channel Authentication \"None\"" \
  "R16 maps SCC's system certificate to service_user; the finding names the choice taken"
run "$PSECONV" plan "$L/scc.ini"
expect_contains "$OUT" "SCC (cloudconnector)" "text: the SCC section"
expect_contains "$OUT" "R14  configure SCC administration UI > Cloud To On-Premise > Access Control > Mapping Virtual To Internal System > Add" "text: SCC access control in SCC's words"
expect_contains "$OUT" "certificate: none (a setting)" "text: R14 steps carry no certificate"
expect_contains "$OUT" "(system certificate of SCC)" "text: the certificate's origin in SCC's words"
expect_contains "$OUT" "Principal Type \"None\"; System Certificate for Logon: checked" "text: R14 mapping without principal propagation"
expect_contains "$OUT" "Summary: 7 to do, 0 blocked, 0 in place, 1 kept by SAP, 0 errors, 1 warning, 0 notes" "text summary"

# ---- plan: principal propagation, no trust_store ----
run "$PSECONV" plan --format json "$L/scc-pp.ini"
expect_rc 0 "scc-pp.ini: exit 0"
printf '%s' "$OUT" >"$T/pp.json"
expect_eq "$(steps <"$T/pp.json" | grep -v ' HCI \| C4C ')" "R15 ERP strust-ssl-server-standard todo req $ISS
R17 ERP strust-ssl-server-standard todo req $CA
R18 ERP icm-trust-scc todo req $SYS
R19 ERP certrule todo req $CA
R14 SCC scc-subaccount todo req -
R14 SCC scc-access-control todo req -
R17 SCC scc-principal-propagation todo req -
R20 SCC scc-trust-store todo opt $ROOT" \
  "scc-pp.ini: R17 SCC's CA certificate, R18 ICM intermediary, R19 CERTRULE, no R16; R20 optional (no allowlist)"
expect_eq "$(findings <"$T/pp.json")" "info:scc-trust-store-empty:SCC warning:client-cert-through-scc:HCI" \
  "scc-pp.ini findings: the empty Trust Store is a note"
detail() { $SYSPY -c 'import json,sys; print([s for s in json.load(open(sys.argv[1]))["steps"] if s["id"]==sys.argv[2] and s["system"]==sys.argv[3]][0].get("detail",""))' "$@"; }
expect_contains "$(detail "$T/pp.json" R18 ERP)" "icm/HTTPS/trust_client_with_issuer = CN=Nordwind Connector CA 01, O=Nordwind Handel AG, C=DE ; icm/HTTPS/trust_client_with_subject = CN=scc.nordwind.example, OU=SAP, O=Nordwind Handel AG, C=DE" "R18: ICM parameters name SCC's system certificate"
expect_contains "$(detail "$T/pp.json" R19 ERP)" "login/certificate_mapping_rulebased = 1" "R19: rule-based mapping switched on"
expect_contains "$(detail "$T/pp.json" R14 HCI)" "Authentication \"Principal Propagation\"" "R14: HCI's channel propagates the principal"

# ---- variants made here: basic, trust store holding ERP's root, empty trust store ----
# mk NAME SED-EXPR: an edited copy of scc.ini in $T/l, where its relative paths
# (../pki, scc/) lead to the fixtures through symbolic links
mkdir -p "$T/l" && ln -s "$PSECONV_FIXTURES/pki" "$T/pki" && ln -s "$S" "$T/l/scc"
mk() {
  sed "$2" "$L/scc.ini" >"$T/l/$1.ini"
  printf '%s\n' "$T/l/$1.ini"
}
B=$(mk basic 's/^auth  = certificate/auth  = basic/')
run "$PSECONV" plan --format json "$B"
expect_rc 0 "auth = basic: exit 0"
expect_eq "$(printf '%s' "$OUT" | steps | grep -v ' HCI service-key \| C4C ' | cut -d' ' -f1-3 | tr '\n' ' ')" \
  "R14 HCI onpremise-proxy R14 SCC scc-subaccount R14 SCC scc-access-control R20 SCC scc-trust-store " \
  "auth = basic: no certificate for ERP to trust or map, SCC still trusts ERP"
expect_not_contains "$(printf '%s' "$OUT" | findings)" "client-cert-through-scc" "auth = basic: no client-cert-through-scc"
cat "$FX/p384-root.crt" "$FX/corp-root.crt" >"$T/trust-with-erp.pem"
P=$(mk present "s|scc/trust-store.pem|$T/trust-with-erp.pem|")
run "$PSECONV" plan --format json "$P"
expect_contains "$(printf '%s' "$OUT" | steps)" "R20 SCC scc-trust-store present req $ROOT" "R20 present when the Trust Store lists ERP's root"
E=$(mk empty "s|scc/trust-store.pem|empty|")
run "$PSECONV" plan --format json "$E"
expect_contains "$(printf '%s' "$OUT" | steps)" "R20 SCC scc-trust-store todo opt $ROOT" "trust_store = empty: R20 optional"
expect_contains "$OUT" "trust_store = empty: SCC trusts the server certificate of every back end" "scc-trust-store-empty says why"
E=$(mk emptyfile "s|scc/trust-store.pem|../pki/empty.pem|")
run "$PSECONV" plan "$E"
expect_rc 3 "an empty trust_store file is unreadable input (write trust_store = empty)"
N=$(mk noca 's/^principal_propagation = no/principal_propagation = yes/; /^ca_cert/d')
run "$PSECONV" plan "$N"
expect_rc 1 "principal propagation without ca_cert: exit 1"
expect_contains "$OUT" "R17 needs the CA certificate of SCC: add 'ca_cert = FILE' to [system SCC]" "missing-input names ca_cert"

# ---- loader: strict keys and hops ----
X=$(mk badkey 's|^system_cert .*|client_cert = scc/scc-system.crt|')
run "$PSECONV" plan "$X"
expect_rc 2 "client_cert in a cloudconnector section: exit 2"
expect_contains "$ERR" "badkey.ini:26: 'client_cert' does not apply to a cloudconnector system ([system SCC]); cloudconnector takes: type, chain, url, system_cert, ca_cert, trust_store, principal_propagation" "the accepted keys of a cloudconnector"
X=$(mk badpp 's/^principal_propagation = no/principal_propagation = maybe/')
run "$PSECONV" plan "$X"
expect_rc 2 "principal_propagation = maybe: exit 2"
expect_contains "$ERR" "badpp.ini:29: principal_propagation = 'maybe' in [system SCC]; accepted: yes, no" "yes or no, with the line"
X=$(mk badhop 's/^path  = C4C -> HCI -> SCC -> ERP/path = C4C -> SCC -> ERP/')
run "$PSECONV" plan "$X"
expect_rc 2 "C4C -> SCC: exit 2"
expect_contains "$ERR" "no rule covers the hop C4C -> SCC (c4c -> cloudconnector); covered hops: abap -> cpi, cpi -> c4c, c4c -> cpi, cpi -> abap, cpi -> webdispatcher, webdispatcher -> abap, cpi -> cloudconnector, cloudconnector -> abap" "the covered hops include the Cloud Connector's"

# ---- export ----
run "$PSECONV" export "$L/scc.ini" -o "$T/out"
expect_rc 0 "export scc.ini"
expect_eq "$(cd "$T/out" && find . -type f | sort | tr '\n' ' ')" "./CHECKLIST.md ./ERP/01-strust-ssl-server-standard-nordwind-connector-ca-01.crt ./ERP/02-user-mapping-scc-nordwind-example.cer ./ERP/02-user-mapping-scc-nordwind-example.txt ./ERP/README.md ./HCI/01-service-key-c4c-my123456-arrangement.pem ./HCI/README.md ./SCC/01-scc-trust-store-nordwind-root-ca.cer ./SCC/README.md ./SHA256SUMS ./manifest.json " \
  "export: ERP's STRUST file and VUSREXTID files, SCC's Trust Store file and README"
expect_eq "$(fp "$T/out/ERP/01-strust-ssl-server-standard-nordwind-connector-ca-01.crt") $(fp "$T/out/SCC/01-scc-trust-store-nordwind-root-ca.cer")" "$ISS $ROOT" "exported files hold the issuer of SCC's system certificate and ERP's root"
expect_eq "$(cat "$T/out/ERP/02-user-mapping-scc-nordwind-example.txt")" "CN=scc.nordwind.example, OU=SAP, O=Nordwind Handel AG, C=DE" "VUSREXTID DN of SCC's system certificate"
R=$(cat "$T/out/SCC/README.md")
expect_contains "$R" "# SCC (cloudconnector)" "SCC/README.md heading"
expect_contains "$R" "SCC administration UI (https://<scc host>:8443) > Connector > Add Subaccount" "SCC/README.md: subaccount"
expect_contains "$R" "SCC administration UI > Cloud To On-Premise > Access Control > Mapping Virtual To Internal System > Add: Back-end Type ABAP System, Protocol HTTPS" "SCC/README.md: access control"
expect_contains "$R" "SCC administration UI > Configuration > On Premise > Trust Store > Add" "SCC/README.md: trust store"
expect_contains "$R" "file:        SCC/01-scc-trust-store-nordwind-root-ca.cer" "SCC/README.md names its file"
(cd "$T/out" && sha256sum -c --quiet SHA256SUMS) && ok "SHA256SUMS checks" || bad "SHA256SUMS"
run "$PSECONV" export "$L/scc-pp.ini" -o "$T/outpp"
expect_rc 0 "export scc-pp.ini"
expect_eq "$(cd "$T/outpp" && ls ERP SCC | tr '\n' ' ')" "ERP: 01-strust-ssl-server-standard-nordwind-connector-ca-01.crt 02-strust-ssl-server-standard-nordwind-scc-principal-propagation-ca.crt 03-icm-trust-scc-scc-nordwind-example.crt 04-certrule-nordwind-scc-principal-propagation-ca.crt README.md  SCC: 01-scc-trust-store-nordwind-root-ca.cer README.md " \
  "export with principal propagation: SCC's CA certificate for STRUST and CERTRULE"
expect_contains "$(cat "$T/outpp/SCC/README.md")" "SCC administration UI > Configuration > On Premise > CA Certificate and Principal Propagation" "SCC/README.md: principal propagation"
grep -rq "PRIVATE KEY" "$T/out" "$T/outpp" && bad "an export holds a private key" || ok "no private key in the exports"

# ---- handshake proof of SCC -> ERP ----
# hop SERVER_CA CLIENT_CA: ERP's server (corp-issuing sent along) asks for a client
# certificate and trusts SERVER_CA; -partial_chain: STRUST accepts a caller when any
# certificate of its chain is in the list.  SCC presents its system certificate alone.
hop() {
  serve -cert "$FX/erp-server.crt" -key "$FX/erp-server.key" -cert_chain "$FX/corp-issuing.crt" \
    -Verify 1 -verify_return_error -CAfile "$1" -no-CApath -no-CAstore -partial_chain || return 2
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 openssl s_client -connect "127.0.0.1:$PORT" -quiet -ign_eof \
    -cert "$S/scc-system.crt" -key "$S/scc-system.key" -CAfile "$2" -no-CApath -no-CAstore \
    -verify_return_error >"$T/response.txt" 2>"$T/client.log"
  cleanup_servers
  grep -q '^HTTP/1.0 200 ok' "$T/response.txt"
}
for v in out outpp; do
  # ERP's side: every file the export puts into SSL server Standard (a filler keeps it non-empty)
  cat "$FX/p384-root.crt" "$T/$v"/ERP/*-strust-ssl-server-standard-*.crt >"$T/erp-ca.pem"
  cat "$T/$v"/SCC/*-scc-trust-store-*.cer >"$T/scc-ca.pem"
  if hop "$T/erp-ca.pem" "$T/scc-ca.pem"; then ok "$v: SCC -> ERP mutual TLS carries GET / (200) with the export's trust"
  else bad "$v: SCC -> ERP failed" "$(tail -3 "$T/client.log")" "$(tail -3 "$T/server.log")"; fi
  cp "$T/response.txt" "$T/response-$v.txt"
  cat "$FX/p384-root.crt" >"$T/filler.pem"
  # necessary: without R15's file ERP refuses SCC; without R20's SCC refuses ERP
  cat "$FX/p384-root.crt" $(ls "$T/$v"/ERP/*-strust-ssl-server-standard-*.crt | grep -v connector-ca-01) >"$T/erp-no-r15.pem"
  if hop "$T/erp-no-r15.pem" "$T/scc-ca.pem"; then bad "$v: SCC -> ERP works without R15's file"
  elif grep -qiE 'verify error|unknown ca|unable to get' "$T/client.log" "$T/server.log"; then ok "$v: without R15 (issuer of SCC's system certificate) ERP refuses SCC"
  else bad "$v: failed without R15, but not on verification" "$(tail -3 "$T/server.log")"; fi
  if hop "$T/erp-ca.pem" "$T/filler.pem"; then bad "$v: SCC -> ERP works without R20's file"
  elif grep -qiE 'verify error|certificate verify failed|unable to get' "$T/client.log"; then ok "$v: SCC with a Trust Store lacking R20 (ERP's root) refuses ERP"
  else bad "$v: failed without R20, but not on verification" "$(tail -3 "$T/client.log")"; fi
done
# what ERP saw: the DN of the VUSREXTID entry (R16), the ICM parameters (R18)
awk '/^Client certificate/{f=1} f' "$T/response-out.txt" | sed -n '/BEGIN CERT/,/END CERT/p' >"$T/seen.pem"
expect_eq "$(fp "$T/seen.pem")" "$SYS" "ERP saw SCC's system certificate"
strust_dn() { openssl x509 -noout "-$2" -nameopt RFC2253 -in "$1" | sed 's/^[a-z]*=//; s/,/, /g'; }
expect_eq "$(cat "$T/out/ERP/02-user-mapping-scc-nordwind-example.txt")" "$(strust_dn "$T/seen.pem" subject)" "R16: VUSREXTID DN = subject ERP saw"
RP=$(cat "$T/outpp/ERP/README.md")
expect_contains "$RP" "icm/HTTPS/trust_client_with_issuer = $(strust_dn "$T/seen.pem" issuer)" "R18: issuer parameter = issuer of the certificate ERP saw"
expect_contains "$RP" "icm/HTTPS/trust_client_with_subject = $(strust_dn "$T/seen.pem" subject)" "R18: subject parameter = subject of the certificate ERP saw"
# principal propagation: a short-lived user certificate from SCC's CA verifies against
# ERP's exported SSL server Standard files (R17), and not without R17's file
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/u.key" -subj "/CN=JDOE" -out "$T/u.csr" 2>/dev/null
openssl x509 -req -in "$T/u.csr" -CA "$S/scc-ca.crt" -CAkey "$S/scc-ca.key" -days 1 -out "$T/u.crt" 2>/dev/null
cat "$T/outpp"/ERP/*-strust-ssl-server-standard-*.crt >"$T/erp-pp.pem"
openssl verify -CAfile "$T/erp-pp.pem" "$T/u.crt" >/dev/null 2>&1 && ok "R17: a short-lived certificate from SCC's CA verifies against ERP's list" || bad "R17: short-lived certificate not trusted"
openssl verify -CAfile "$T/outpp/ERP/01-strust-ssl-server-standard-nordwind-connector-ca-01.crt" -partial_chain "$T/u.crt" >/dev/null 2>&1 \
  && bad "the short-lived certificate verifies without R17" || ok "without R17's file the short-lived certificate is refused"

# ---- init: the Cloud Connector variant, uncommented ----
cd "$T" || exit 1
run "$PSECONV" init -o - 
expect_contains "$OUT" "; [system SCC]
; type                  = cloudconnector" "init: the Cloud Connector as a commented alternative"
expect_contains "$OUT" "; path = C4C -> HCI -> SCC -> ERP" "init: the flow through SCC, commented"
printf '%s\n' "$OUT" | sed '/^; \[system SCC\]/,/^; principal_propagation/s/^; //; /^\[system WD\]/,/^$/d;
  s|^path  = C4C -> HCI -> WD -> ERP|path  = C4C -> HCI -> SCC -> ERP|; /^; path = C4C -> HCI -> SCC/d;
  s|erp/sslc-own.cer|'"$FX"'/erp-client.crt|; s|erp/ssls-own.cer|'"$FX"'/erp-server.crt|; s|erp/corp-chain.pem|'"$FX"'/corp-chain.pem|;
  s|hci/client.cer|'"$FX"'/hci-client.crt|; s|hci/client-chain.p7b|'"$FX"'/hci-client-chain.p7b|; s|hci/worker-node.pem|'"$FX"'/hci-worker-node.pem|;
  s|c4c/arrangement.cer|'"$FX"'/c4c-client.crt|; s|c4c/server.pem|'"$FX"'/c4c-server-chain.pem|;
  s|scc/system.cer|'"$S"'/scc-system.crt|; s|scc/chain.pem|'"$S"'/scc-chain.pem|; s|scc/ca.cer|'"$S"'/scc-ca.crt|;
  s|scc/trust.pem|'"$S"'/trust-store.pem|' >scc-init.ini
run "$PSECONV" plan --format json scc-init.ini
printf '%s' "$OUT" >"$T/init.json"
expect_eq "$(steps <"$T/init.json" | grep ' SCC \|R1[4-9] ERP' | cut -d' ' -f1-3,6 | tr '\n' ' ')" \
  "R15 ERP strust-ssl-server-standard $ISS R16 ERP user-mapping $SYS R14 SCC scc-subaccount - R14 SCC scc-access-control - R20 SCC scc-trust-store $ROOT " \
  "init's Cloud Connector variant, filled in, plans R14..R20"
finish
