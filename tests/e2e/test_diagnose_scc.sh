#!/bin/bash
# pseconv diagnose on the Cloud Connector path (C4C -> HCI -> SCC -> ERP): the
# errors an admin sees there name the concrete step of fixtures/landscape/scc.ini
# (system certificate mapped to a technical user) and scc-pp.ini (principal
# propagation): rule ids R14..R20, the system, target and export file, the
# finding client-cert-through-scc, the exit codes and the JSON fields.
. "$(dirname "$0")/lib.sh"

L=$PSECONV_FIXTURES/landscape/scc.ini
LPP=$PSECONV_FIXTURES/landscape/scc-pp.ini
NOSCC='HTTP 503: There is no SAP Cloud Connector (SCC) connected to your subaccount matching the requested tunnel for subaccount '"'"'f3b1c2d4-0000-4000-8000-000000000001'"'"' and SCC location ID '"'"'nordwind'"'"
MPL401='com.sap.it.rt.adapter.http.api.exception.HttpResponseException: An internal server error occured: HTTP operation failed invoking http://erp-virtual:44300/sap/opu/odata/sap/ZACCOUNT_SRV with statusCode: 401'
R15_FILE=ERP/01-strust-ssl-server-standard-nordwind-connector-ca-01.crt

# causes: "RULE@SYSTEM:TARGET" (a finding: "CODE@SYSTEM") of every cause in $OUT
causes() {
  printf '%s' "$OUT" | $SYSPY -c '
import json,sys
d=json.load(sys.stdin)
print(" ".join("%s@%s:%s" % (c["rule"], c["system"], c["target"]) if c["kind"] == "step"
               else "%s@%s" % (c["finding"]["code"], c["system"]) for c in d["causes"]))'
}
# field EXPR: evaluate a Python expression over the JSON in $OUT (d)
field() { printf '%s' "$OUT" | $SYSPY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# ---- 1. no Cloud Connector connected for the subaccount / location ID -----------
run "$PSECONV" diagnose "$L" "There is no SAP Cloud Connector (SCC) connected to your subaccount"
expect_rc 0 "no SCC connected: a cause"
expect_contains "$OUT" "There is no SAP Cloud Connector (SCC) connected to your subaccount (scc-not-connected)" \
  "names the catalogue row"
expect_contains "$OUT" "  HCI -> SCC (flow account-to-erp)" "the hop HCI -> SCC"
expect_contains "$OUT" "  1. R14  SCC: configure SCC administration UI (https://<scc host>:8443) > Connector > Add Subaccount" \
  "most likely: SCC's subaccount step"
expect_contains "$OUT" "  2. R14  HCI: configure Design > the iFlow > the receiver channel" "then the channel's Location ID"
run "$PSECONV" diagnose --json "$LPP" "$NOSCC"
expect_rc 0 "with the location ID, principal propagation landscape"
expect_eq "$(causes)" "R14@SCC:scc-subaccount R14@HCI:onpremise-proxy" "json: subaccount, then the channel"
expect_eq "$(field 'd["messages"][0]["id"], d["messages"][0]["side"], d["messages"][0]["reporter_types"], d["messages"][0]["pattern"]')" \
  "scc-not-connected client ['cpi'] There is no SAP Cloud Connector (SCC) connected to your subaccount" \
  "json: message id, side, reporter, pattern"
expect_eq "$(field 'd["causes"][0]["hop"], d["causes"][0]["status"], d["causes"][0]["certificate"], d["causes"][0]["file"]')" \
  "HCI -> SCC todo None None" "json: a setting on HCI -> SCC, no certificate, no file"

# ---- 2. the virtual host is not exposed -------------------------------------------
run "$PSECONV" diagnose --json "$L" "Access denied to system erp-virtual:44300"
expect_rc 0 "access denied: a cause"
expect_eq "$(causes)" "R14@SCC:scc-access-control R14@HCI:onpremise-proxy" "access control mapping first"

# ---- 3. ERP refuses SCC's system certificate ---------------------------------------
run "$PSECONV" diagnose --json "$LPP" "Principal propagation forbidden for user JDOE on system erp.nordwind.example:44300, because the backend connection is not mutually authenticated."
expect_rc 0 "not mutually authenticated"
expect_eq "$(field 'd["causes"][0]["rule"], d["causes"][0]["system"], d["causes"][0]["file"], d["causes"][0]["certificate"]["subject"]')" \
  "R15 ERP $R15_FILE CN=Nordwind Connector CA 01, O=Nordwind Handel AG, C=DE" \
  "R15: the issuer of SCC's system certificate into ERP's SSL server Standard"
run "$PSECONV" diagnose --json "$L" "javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure"
expect_rc 0 "a Java alert on the SCC landscape"
expect_eq "$(field '[m["id"] for m in d["messages"]], [h["client"] + " -> " + h["server"] for h in d["hops"]]')" \
  "['scc-backend-handshake'] ['SCC -> ERP']" "SCC's reading, not the tenant's (no cpi -> abap hop here)"
expect_eq "$(causes)" "R15@ERP:strust-ssl-server-standard" "R15 alone"
run "$PSECONV" diagnose --json "$LPP" "[Thr 140361650923264] HttpIsReverseProxyTrustworthy: intermediary is NOT trusted"
expect_rc 0 "ICM: intermediary not trusted"
expect_eq "$(causes)" "R18@ERP:icm-trust-scc R15@ERP:strust-ssl-server-standard" "trusted intermediary, then R15"

# ---- 4. SCC's Trust Store ------------------------------------------------------------
run "$PSECONV" diagnose --json "$L" "SCC ljs_trace.log: javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target"
expect_rc 0 "PKIX in SCC's log"
expect_eq "$(field 'd["causes"][0]["rule"], d["causes"][0]["system"], d["causes"][0]["target"], d["causes"][0]["file"], d["causes"][0]["required"]')" \
  "R20 SCC scc-trust-store SCC/01-scc-trust-store-nordwind-root-ca.cer True" "R20 into SCC's Trust Store (required: an allowlist)"
run "$PSECONV" diagnose --json "$LPP" "Cloud Connector: PKIX path building failed"
expect_eq "$(field 'd["causes"][0]["rule"], d["causes"][0]["required"], d["verdict"]')" "R20 False identified" \
  "scc-pp.ini: R20 optional (empty Trust Store)"
# ERP's root already in the Trust Store: known, unexplained, the file named
sed -e "s#= scc/trust-store.pem#= $FX/corp-root.crt#" -e "s#= scc/#= $PSECONV_FIXTURES/landscape/scc/#" \
  -e "s#= \.\./pki/#= $FX/#" "$L" >"$T/trusted.ini"
run "$PSECONV" diagnose "$T/trusted.ini" "SCC: PKIX path building failed"
expect_rc 1 "ERP's root already in SCC's Trust Store"
expect_contains "$OUT" "  R20  SCC (hop SCC -> ERP): CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE is already in $FX/corp-root.crt (trust_store of SCC)" \
  "ruled out by the current state, with the file"

# ---- 5. 401 from ERP behind SCC; client certificate in the receiver channel ---------
run "$PSECONV" diagnose --json "$L" "$MPL401"
expect_rc 0 "401 behind SCC"
expect_eq "$(causes)" "R16@ERP:user-mapping R15@ERP:strust-ssl-server-standard client-cert-through-scc@HCI" \
  "VUSREXTID for SCC's system certificate, R15, the finding on HCI"
expect_eq "$(field '[(c["kind"], c["hop"]) for c in d["causes"]][2], d["causes"][0]["file"]')" \
  "('finding', 'HCI -> SCC') ERP/02-user-mapping-scc-nordwind-example.cer" "json: the finding on hop HCI -> SCC; the mapping's file"
run "$PSECONV" diagnose "$L" "$MPL401"
expect_contains "$OUT" "warning finding client-cert-through-scc in HCI" "text names the finding"
run "$PSECONV" diagnose --json "$LPP" "$MPL401"
expect_eq "$(causes)" "R18@ERP:icm-trust-scc R19@ERP:certrule R17@ERP:strust-ssl-server-standard R15@ERP:strust-ssl-server-standard R17@SCC:scc-principal-propagation client-cert-through-scc@HCI" \
  "principal propagation: R18, R19, R17, R15, SCC's R17, the finding"
run "$PSECONV" diagnose --json --hop 'SCC -> ERP' "$L" "$MPL401"
expect_eq "$(causes)" "R16@ERP:user-mapping R15@ERP:strust-ssl-server-standard" "--hop SCC->ERP: no finding of HCI"
sed -e "s#auth  = certificate#auth  = basic#" -e "s#= scc/#= $PSECONV_FIXTURES/landscape/scc/#" \
  -e "s#= \.\./pki/#= $FX/#" "$L" >"$T/basic.ini"
run "$PSECONV" diagnose "$T/basic.ini" "$MPL401"
expect_rc 1 "auth = basic through SCC: no certificate step explains a 401"
run "$PSECONV" diagnose --json "$PSECONV_FIXTURES/landscape/landscape.ini" "$MPL401"
expect_eq "$(field '[m["id"] for m in d["messages"]]')" "['erp-401']" "example landscape (no SCC): ERP behind the Web Dispatcher only"

# ---- without a landscape: rules on hop types ---------------------------------------
run "$PSECONV" diagnose --json --hop 'cloudconnector->abap' "Cloud Connector: 401 Unauthorized"
expect_rc 0 "no landscape, --hop cloudconnector->abap"
expect_eq "$(field '" ".join(c["rule"] or c["finding"]["code"] for c in d["causes"]), d["causes"][0]["kind"], d["causes"][0]["hop"]')" \
  "R16 R18 R19 R17 R15 R17 client-cert-through-scc rule cloudconnector -> abap" "rules R15..R19 and the finding"
run "$PSECONV" diagnose --hop 'scc->abap' "Cloud Connector: 401 Unauthorized"
expect_rc 2 "--hop with an unknown type"
expect_eq "$ERR" "pseconv: --hop scc->abap: without a landscape the hop is given by system types (abap, cpi, c4c, webdispatcher, cloudconnector)" \
  "the usage error lists cloudconnector"
finish
