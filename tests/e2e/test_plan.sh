#!/bin/bash
# pseconv plan: exact step sets for the seed's flows (cf, neo, through a Web
# Dispatcher, basic auth), current state from a PSE / pselist / system.jks,
# every finding code, landscape errors, and the four output formats.
# Expected certificates are named by `openssl x509 -fingerprint` of the fixture
# files (fp), never by our own reader.
. "$(dirname "$0")/lib.sh"

P=$FX   # fixture PKI, absolute

# steps FILE: one sorted line per step "ID SYSTEM TARGET ACTION STATUS required|optional SHA256|-"
steps() {
  $SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
out=[]
for s in d["steps"]:
    c=s["certificate"]
    out.append("%s %s %s %s %s %s %s" % (s["id"], s["system"], s["target"], s["action"], s["status"],
        "required" if s["required"] else "optional", c["sha256"] if c else "-"))
print("\n".join(sorted(out)))' "$1"
}
# findings FILE: sorted "SEVERITY CODE SYSTEM"
findings() {
  $SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
print("\n".join(sorted("%s %s %s" % (f["severity"], f["code"], f["system"]) for f in d["findings"])))' "$1"
}
sorted() { printf '%s\n' "$@" | sort; }
# plan_json NAME: run plan --format json on $T/NAME.ini into $T/NAME.json
plan_json() { run "$PSECONV" plan --format json "$T/$1.ini"; printf '%s\n' "$OUT" >"$T/$1.json"; }

ERP_CLIENT=$(fp $P/erp-client.crt); LB_ROOT=$(fp $P/lb-root.crt); LB_INT=$(fp $P/lb-intermediate.crt)
HCI_CLIENT=$(fp $P/hci-client.crt); HCI_ROOT=$(fp $P/hci-root.crt); HCI_INT=$(fp $P/hci-intermediate.crt)
C4C_CLIENT=$(fp $P/c4c-client.crt); CORP_ROOT=$(fp $P/corp-root.crt); CORP_INT=$(fp $P/corp-issuing.crt)
WD_CLIENT=$(fp $P/wd-client.crt)

# systems ENV: the four systems of the seed (HCI environment cf or neo).
systems() { printf '[landscape]\nname = test\n'; seed_systems "$1"; }
flow() { printf '[flow %s]\npath = %s\nauth = %s\n' "$1" "$2" "$3"; }

# ---- seed A: inbound ERP -> HCI -> C4C ----------------------------------------
INBOUND_COMMON=(
  "R2 ERP strust-ssl-client-standard import todo required $LB_ROOT"
  "R2 ERP strust-ssl-client-standard import todo optional $LB_INT"
  "R4 C4C communication-arrangement upload todo required $HCI_CLIENT"
  "R5 C4C trust-list import managed required $HCI_ROOT")
{ systems cf; flow in "ERP -> HCI -> C4C" certificate; } >"$T/in-cf.ini"
plan_json in-cf
expect_rc 1 "inbound cf: plan (ERP's client certificate is from the company CA)"
expect_eq "$(steps $T/in-cf.json)" "$(sorted "${INBOUND_COMMON[@]}" \
  "R1 HCI service-key upload todo required $ERP_CLIENT")" "inbound cf: exact steps (A.1, A.2; CF service key)"
expect_eq "$(findings $T/in-cf.json)" "error client-ca-not-accepted ERP" "inbound cf: only the company-CA finding"

{ systems neo; flow in "ERP -> HCI -> C4C" certificate; } >"$T/in-neo.ini"
plan_json in-neo
expect_eq "$(steps $T/in-neo.json)" "$(sorted "${INBOUND_COMMON[@]}" \
  "R1 HCI iflow-sender upload todo required $ERP_CLIENT")" "inbound neo: exact steps (iFlow sender channel)"

# A Web Dispatcher in the landscape is a reverse proxy in front of ERP: calls
# from ERP do not pass it, so the inbound plan is the same and WD has nothing to do.
{ systems cf; flow in "ERP -> HCI -> C4C" certificate; } >"$T/in-wd.ini"
plan_json in-wd
expect_eq "$(steps $T/in-wd.json)" "$(steps $T/in-cf.json)" "inbound with a Web Dispatcher present: same steps"
run "$PSECONV" plan "$T/in-wd.ini"
expect_contains "$OUT" "WD (webdispatcher): nothing to do" "inbound with WD: WD has nothing to do"
{ systems cf; flow in "ERP -> WD -> HCI" certificate; } >"$T/in-via-wd.ini"
run "$PSECONV" plan "$T/in-via-wd.ini"
expect_rc 2 "ERP -> WD -> HCI: no rule covers abap -> webdispatcher"
expect_contains "$ERR" "in-via-wd.ini:30: flow in: no rule covers the hop ERP -> WD (abap -> webdispatcher); covered hops:" "hop error names file:line and the covered hops"

# ---- seed B: outbound C4C -> HCI -> ERP ---------------------------------------
OUT_DIRECT=(
  "R8 C4C trust-list import managed required $LB_ROOT"
  "R9 ERP strust-ssl-server-standard import todo required $HCI_ROOT"
  "R9 ERP strust-ssl-server-standard import todo required $HCI_INT"
  "R10 ERP user-mapping map-user todo required $HCI_CLIENT"
  "R11 HCI keystore import todo required $CORP_ROOT")
{ systems cf; flow out "C4C -> HCI -> ERP" certificate; } >"$T/out-cf.ini"
plan_json out-cf
expect_rc 0 "outbound cf: plan"
expect_eq "$(steps $T/out-cf.json)" "$(sorted "${OUT_DIRECT[@]}" \
  "R7 HCI service-key upload todo required $C4C_CLIENT")" "outbound cf: exact steps (B.1, B.2)"
{ systems neo; flow out "C4C -> HCI -> ERP" certificate; } >"$T/out-neo.ini"
plan_json out-neo
expect_eq "$(steps $T/out-neo.json)" "$(sorted "${OUT_DIRECT[@]}" \
  "R7 HCI iflow-sender upload todo required $C4C_CLIENT")" "outbound neo: exact steps"
user=$($SYSPY -c 'import json,sys; print([s["service_user"] for s in json.load(open(sys.argv[1]))["steps"] if s["id"]=="R10"][0])' "$T/out-cf.json")
expect_eq "$user" "CODINTG" "R10 maps to service_user"

OUT_WD=(
  "R8 C4C trust-list import managed required $LB_ROOT"
  "R9 WD strust-ssl-server-standard import todo required $HCI_ROOT"
  "R9 WD strust-ssl-server-standard import todo required $HCI_INT"
  "R11 HCI keystore import todo required $CORP_ROOT"
  "R9 ERP strust-ssl-server-standard import todo required $CORP_ROOT"
  "R9 ERP strust-ssl-server-standard import todo required $CORP_INT"
  "R13 ERP icm-trust-intermediary configure todo required $WD_CLIENT"
  "R13 WD wdisp-forward-client-cert configure todo required $WD_CLIENT"
  "R10 ERP user-mapping map-user todo required $HCI_CLIENT"
  "R11 WD strust-ssl-client-standard import todo required $CORP_ROOT")
for env in cf neo; do
  { systems $env; flow out "C4C -> HCI -> WD -> ERP" certificate; } >"$T/out-wd-$env.ini"
  plan_json out-wd-$env
  if [ $env = cf ]; then r7="R7 HCI service-key upload todo required $C4C_CLIENT"; else r7="R7 HCI iflow-sender upload todo required $C4C_CLIENT"; fi
  expect_eq "$(steps $T/out-wd-$env.json)" "$(sorted "${OUT_WD[@]}" "$r7")" "outbound $env through the Web Dispatcher: exact steps"
done
run "$PSECONV" plan "$T/out-wd-cf.ini"
expect_contains "$OUT" "icm/HTTPS/trust_client_with_subject = CN=WD SSL Client Standard" "R13 names the profile parameter value"
expect_contains "$OUT" "icm/HTTPS/forward_ccert_as_header = true" "R13 says how the proxy forwards"

# Both flows in one landscape: steps merge, one per (system, target, certificate).
{ systems cf; flow in "ERP -> HCI -> C4C" certificate; flow out "C4C -> HCI -> WD -> ERP" certificate; } >"$T/both.ini"
plan_json both
n=$($SYSPY -c 'import json,sys; s=json.load(open(sys.argv[1]))["steps"]; print(len(s), len({(x["system"],x["target"],(x["certificate"] or {}).get("sha256")) for x in s}))' "$T/both.json")
expect_eq "$n" "16 16" "both flows: 16 steps, no duplicates"
merged=$($SYSPY -c 'import json,sys; print(" ".join(s["flows"][0] for s in json.load(open(sys.argv[1]))["steps"] if s["id"]=="R11" and s["system"]=="HCI"))' "$T/both.json")
expect_eq "$merged" "out" "the keystore step lists its flow"

# ---- auth = basic ------------------------------------------------------------
{ systems cf; flow in "ERP -> HCI -> C4C" basic; } >"$T/in-basic.ini"
plan_json in-basic
expect_eq "$(steps $T/in-basic.json)" "$(sorted \
  "R2 ERP strust-ssl-client-standard import todo required $LB_ROOT" \
  "R2 ERP strust-ssl-client-standard import todo optional $LB_INT")" "inbound basic: only ERP trusts HCI, in the destination's PSE (DFAULT by default)"
{ systems cf | sed 's/^service_user = CODINTG/&\nssl_client_identity = ANONYM/'; flow in "ERP -> HCI -> C4C" basic; } >"$T/in-basic-anonym.ini"
plan_json in-basic-anonym
expect_eq "$(steps $T/in-basic-anonym.json)" "$(sorted \
  "R2 ERP strust-ssl-client-anonymous import todo required $LB_ROOT" \
  "R2 ERP strust-ssl-client-anonymous import todo optional $LB_INT")" "inbound basic with ssl_client_identity = ANONYM: SSL client Anonymous"
{ systems cf; flow out "C4C -> HCI -> WD -> ERP" basic; } >"$T/out-basic.ini"
plan_json out-basic
expect_eq "$(steps $T/out-basic.json)" "$(sorted \
  "R8 C4C trust-list import managed required $LB_ROOT" \
  "R11 HCI keystore import todo required $CORP_ROOT" \
  "R11 WD strust-ssl-client-standard import todo required $CORP_ROOT")" "outbound basic via WD: only client-trusts-server steps"

# ---- current state: PSE, pselist, system.jks -----------------------------------
PSE=$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse
PSE_CERT=$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_cert.der
PSE_FP=$(openssl x509 -inform der -in "$PSE_CERT" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
"$PSECONV" convert "$P/lb-root.crt" -o "$T/SAPSSLC.pselist" 2>/dev/null
"$PSECONV" convert "$P/hci-root.crt" "$P/hci-intermediate.crt" -o "$T/SAPSSLS.pselist" 2>/dev/null
keytool -importcert -noprompt -alias nordwind-root -file "$P/corp-root.crt" -keystore "$T/system.jks" \
  -storetype JKS -storepass changeit >/dev/null 2>&1
expect_file "$T/system.jks" "keytool made a system.jks"
{ systems cf | sed "s|^service_user = CODINTG|&\nssl_client_pse = $T/SAPSSLC.pselist\nssl_server_pse = $T/SAPSSLS.pselist|; s|^server_chain = $P/hci-worker-node.pem|&\nkeystore = $T/system.jks\nkeystore_password = env:TEST_KS_PW|"
  flow in "ERP -> HCI -> C4C" certificate; flow out "C4C -> HCI -> ERP" certificate; } >"$T/state.ini"
TEST_KS_PW=changeit run "$PSECONV" plan --format json "$T/state.ini"; printf '%s\n' "$OUT" >"$T/state.json"
expect_rc 1 "current state: plan (exit 1: ERP's company-CA client certificate)"
st=$($SYSPY -c 'import json,sys; print("\n".join(sorted("%s %s %s %s" % (s["id"],s["system"],s["status"],s["certificate"]["sha256"]) for s in json.load(open(sys.argv[1]))["steps"] if s["id"] in ("R2","R9","R11"))))' "$T/state.json")
expect_eq "$st" "$(sorted "R2 ERP present $LB_ROOT" "R2 ERP todo $LB_INT" "R9 ERP present $HCI_ROOT" "R9 ERP present $HCI_INT" "R11 HCI present $CORP_ROOT")" \
  "pselist (SSL client and server) and keytool's system.jks make steps present"
run "$PSECONV" plan "$T/state.ini"
expect_rc 3 "a JKS keystore_password from an unset env var is an input error"
TEST_KS_PW=changeit run "$PSECONV" plan "$T/state.ini"
expect_contains "$OUT" "[x] R11" "text: present step gets a ticked box"
expect_contains "$OUT" "Summary: 5 to do, 0 blocked, 4 in place, 2 kept by SAP, 1 error, 1 warning, 0 notes" "text: summary line"

# A real sapgenpse PSE (corpus): its certificate is the HCI worker node root here.
cat >"$T/pse.ini" <<INI
[system ERP]
type = abap
client_cert = $P/erp-client.crt
chain = $P/corp-chain.pem
ssl_client_pse = $PSE
pse_pin = env:TEST_PSE_PIN
[system HCI]
type = cpi
server_chain = $PSE_CERT
[flow f]
path = ERP -> HCI
INI
TEST_PSE_PIN=1234567980 run "$PSECONV" plan --format json "$T/pse.ini"; printf '%s\n' "$OUT" >"$T/pse.json"
expect_eq "$(steps $T/pse.json | grep '^R2')" "R2 ERP strust-ssl-client-standard import present required $PSE_FP" "a real PSE makes the R2 step present"

# ---- findings -------------------------------------------------------------------
# variant FROM TO: the cf landscape with one line replaced, both flows.
variant() { { systems cf | sed "s|$1|$2|"; flow in "ERP -> HCI -> C4C" certificate; flow out "C4C -> HCI -> ERP" certificate; } ; }

variant "client_cert = $P/erp-client.crt" "client_cert = $P/erp-selfsigned.crt" >"$T/selfsigned.ini"
plan_json selfsigned
expect_rc 1 "self-signed ECC client certificate: exit 1"
expect_contains "$(findings $T/selfsigned.json)" "error self-signed-client-cert ERP" "self-signed-client-cert finding"
expect_contains "$(steps $T/selfsigned.json)" "R3 ERP own-certificate replace todo required $(fp $P/erp-selfsigned.crt)" "R3 replace step for the self-signed certificate"
run "$PSECONV" plan "$T/selfsigned.ini"
expect_contains "$OUT" "remedy: STRUST > SSL client Standard > Create certificate request, have it signed by a CA, Import certificate response, Save" "remedy in SAP's words"

variant "server_cert = $P/erp-server.crt" "server_cert = $P/erp-selfsigned.crt" >"$T/selfsigned-server.ini"
plan_json selfsigned-server
expect_contains "$(findings $T/selfsigned-server.json)" "error self-signed-server-cert ERP" "self-signed-server-cert finding"

variant "client_chain = $P/hci-client-chain.p7b" "client_chain = $P/hci-worker-node.pem" >"$T/mismatch.ini"
plan_json mismatch
expect_rc 1 "load-balancer chain as HCI client chain: exit 1"
expect_contains "$(findings $T/mismatch.json)" "error chain-mismatch HCI" "chain-mismatch finding"
expect_contains "$(steps $T/mismatch.json)" "R9 ERP strust-ssl-server-standard import todo required -" "R9 cannot name a root from the wrong chain"
bad_r9=$($SYSPY -c 'import json,sys; print(sum(1 for s in json.load(open(sys.argv[1]))["steps"] if s["id"]=="R9" and s["certificate"] and s["certificate"]["sha256"]==sys.argv[2]))' "$T/mismatch.json" "$LB_ROOT")
expect_eq "$bad_r9" "0" "no R9 step imports the load balancer root"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/expired.crt" >"$T/expired.ini"
plan_json expired
expect_rc 1 "expired client certificate: exit 1"
expect_contains "$(findings $T/expired.json)" "error expired ERP" "expired finding"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/not-yet-valid.crt" >"$T/future.ini"
plan_json future
expect_contains "$(findings $T/future.json)" "error not-yet-valid ERP" "not-yet-valid finding"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/expires-soon.crt" | sed 's/^name = test/&\nwarn_days = 36500/' >"$T/soon.ini"
plan_json soon
expect_contains "$(findings $T/soon.json)" "warning expires-soon ERP" "expires-soon finding (large warn_days)"
expect_not_contains "$(findings $T/soon.json)" "error expires-soon" "expires-soon is a warning, never an error"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/rsa1024.crt" >"$T/weak.ini"
plan_json weak
expect_contains "$(findings $T/weak.json)" "warning weak-key ERP" "weak-key finding (RSA 1024)"
expect_not_contains "$(findings $T/weak.json)" "error weak-key" "weak-key is a warning, never an error"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/sha1.crt" >"$T/sha1.ini"
plan_json sha1
expect_contains "$(findings $T/sha1.json)" "warning weak-signature ERP" "weak-signature finding (SHA-1)"

variant "client_cert = $P/erp-client.crt" "client_cert = $P/erp-client-noeku.crt" >"$T/noeku.ini"
plan_json noeku
expect_rc 1 "client certificate without clientAuth calling Cloud Integration: exit 1"
expect_contains "$(findings $T/noeku.json)" "error missing-eku ERP" "missing-eku is an error towards SAP Cloud Integration"

variant "chain = $P/corp-chain.pem" "chain = $P/corp-issuing.crt" >"$T/incomplete.ini"
plan_json incomplete
expect_contains "$(findings $T/incomplete.json)" "warning chain-incomplete ERP" "chain-incomplete finding"

variant "server_chain = $P/hci-worker-node.pem" "" >"$T/missing.ini"
plan_json missing
expect_rc 1 "a missing key: exit 1"
expect_contains "$(findings $T/missing.json)" "error missing-input HCI" "missing-input finding"
msg=$($SYSPY -c 'import json,sys; print([f["message"] for f in json.load(open(sys.argv[1]))["findings"] if f["code"]=="missing-input"][0])' "$T/missing.json")
expect_contains "$msg" "add 'server_chain = FILE' to [system HCI]" "missing-input names the key"
expect_contains "$(steps $T/missing.json)" "R2 ERP strust-ssl-client-standard import todo required -" "the plan still lists the step"
expect_contains "$(steps $T/missing.json)" "R10 ERP user-mapping" "and every other step"

variant "service_user = CODINTG" "" >"$T/nouser.ini"
plan_json nouser
expect_contains "$(findings $T/nouser.json)" "error missing-input ERP" "missing service_user is a missing-input"

# ---- landscape errors (exit 2, FILE:LINE, accepted words) -----------------------
printf '[landscape]\nname = x\n[sytem ERP]\ntype = abap\n' >"$T/e1.ini"
run "$PSECONV" plan "$T/e1.ini"
expect_rc 2 "unknown section"
expect_contains "$ERR" "e1.ini:3: unknown section [sytem ERP]; accepted: [landscape], [system NAME], [flow NAME]" "unknown section: file:line and accepted words"
expect_one_error_line "unknown section: one pseconv: line"
printf '[system ERP]\ntype = abap\nclient_crt = a.pem\n' >"$T/e2.ini"
run "$PSECONV" plan "$T/e2.ini"
expect_rc 2 "unknown key"
expect_contains "$ERR" "e2.ini:3: unknown key 'client_crt' in [system ERP]; accepted: type, client_cert," "unknown key: file:line and accepted words"
printf '[system HCI]\ntype = cpi\nserver_cert = %s\n' "$P/lb-server.crt" >"$T/e3.ini"
run "$PSECONV" plan "$T/e3.ini"
expect_rc 2 "key of another type"
expect_contains "$ERR" "e3.ini:3: 'server_cert' does not apply to a cpi system ([system HCI]); cpi takes: type, client_cert, client_chain, server_chain" "key for another type"
{ systems cf; flow x "C4C -> HCI -> ERPP" certificate; } >"$T/e4.ini"
run "$PSECONV" plan "$T/e4.ini"
expect_rc 2 "unknown system in path"
expect_contains "$ERR" "e4.ini:30: flow x: unknown system 'ERPP' in path; systems: ERP, HCI, C4C, WD" "unknown system: file:line and the systems"
expect_eq "$(sed -n 30p "$T/e4.ini")" "path = C4C -> HCI -> ERPP" "line 30 of e4.ini is the path named"
# a system or flow named twice: found through the name index, the first one's line named
printf '[system ERP]\ntype = abap\n[system HCI]\ntype = cpi\n[system ERP]\ntype = abap\n' >"$T/e4b.ini"
run "$PSECONV" plan "$T/e4b.ini"
expect_rc 2 "system named twice"
expect_contains "$ERR" "e4b.ini:5: [system ERP] appears twice (first at line 1)" "system twice: both lines"
{ systems cf; flow x "C4C -> HCI" certificate; flow y "HCI -> ERP" certificate; flow x "ERP -> HCI" certificate; } >"$T/e4c.ini"
run "$PSECONV" plan "$T/e4c.ini"
expect_rc 2 "flow named twice"
FX1=$(grep -n '^\[flow x\]' "$T/e4c.ini" | sed -n 1p | cut -d: -f1)
FX2=$(grep -n '^\[flow x\]' "$T/e4c.ini" | sed -n 2p | cut -d: -f1)
expect_contains "$ERR" "e4c.ini:$FX2: [flow x] appears twice (first at line $FX1)" "flow twice: both lines"
{ systems cf; flow x "C4C -> ERP" certificate; } >"$T/e5.ini"
run "$PSECONV" plan "$T/e5.ini"
expect_rc 2 "c4c -> abap directly"
expect_contains "$ERR" "no rule covers the hop C4C -> ERP (c4c -> abap); covered hops: abap -> cpi, cpi -> c4c, c4c -> cpi, cpi -> abap, cpi -> webdispatcher, webdispatcher -> abap" "uncovered hop lists the covered hops"
{ systems cf; flow x "C4C -> HCI" sometimes; } >"$T/e6.ini"
run "$PSECONV" plan "$T/e6.ini"
expect_rc 2 "bad auth"
expect_contains "$ERR" "accepted: certificate, basic" "bad auth lists the words"
variant "client_cert = $P/erp-client.crt" "client_cert = $T/nonexistent.crt" >"$T/e7.ini"
run "$PSECONV" plan "$T/e7.ini"
expect_rc 3 "unreadable certificate file"
expect_contains "$ERR" "nonexistent.crt" "names the missing file"
expect_contains "$ERR" "client_cert of ERP" "and the key"
variant "client_cert = $P/erp-client.crt" "client_cert = $P/garbage.bin" >"$T/e8.ini"
run "$PSECONV" plan "$T/e8.ini"
expect_rc 3 "garbage certificate file"
run "$PSECONV" plan
expect_rc 2 "no LANDSCAPE"
run "$PSECONV" plan --format pdf "$T/in-cf.ini"
expect_rc 2 "unknown format"

# ---- outputs ---------------------------------------------------------------------
L=$PSECONV_FIXTURES/landscape/landscape.ini
run "$PSECONV" plan "$L"
expect_rc 1 "fixture landscape: exit 1 (ERP's client certificate is from the company CA)"
expect_contains "$OUT" "   1. [ ] R2   import into STRUST > SSL client Standard (SM59/SOAMANAGER identity DFAULT) > Import certificate > Add to Certificate List > Save" "text: numbered step, rule id second, STRUST words ending in Save"
expect_contains "$OUT" "sha256:      $LB_ROOT" "text: SHA-256"
expect_contains "$OUT" "(root of HCI's worker node (server) chain)" "text: which chain the root comes from"
expect_contains "$OUT" "(root of HCI's client chain)" "text: HCI's client chain named as such"
expect_contains "$OUT" 'ref:         SAP Help: "Trust Manager" (transaction STRUST); C4C integration guide for SAP ERP: "Set Up Secure Connection"; SAP Community: "Quick Guide on using Certificates for Integrating C4C and ECC using HCI" (and its comments)' "text: ref line instead of seed labels"
expect_not_contains "$OUT" "seed" "text: no seed section labels"
expect_not_contains "$OUT" "Berthold" "text: no commenter names"
expect_contains "$OUT" "   2. [~] R5   check C4C's list of trusted CAs" "text: managed step numbered, [~]"
expect_contains "$OUT" "  Then: check that every changed PSE is distributed to all application servers (STRUST shows each server under the PSE)" "text: STRUST distribution check after ERP's steps"
expect_contains "$OUT" "Summary: 14 to do, 0 blocked, 0 in place, 2 kept by SAP, 1 error, 0 warnings, 0 notes" "text: summary"
run "$PSECONV" plan --format markdown "$L"
expect_contains "$OUT" '```mermaid' "markdown: Mermaid block"
expect_contains "$OUT" 'flowchart LR' "markdown: flowchart"
expect_contains "$OUT" '1. [ ] **R4** upload to Communication Arrangements' "markdown: numbered checklist item"
expect_contains "$OUT" '2. [~] **R5** check C4C' "markdown: SAP-kept step as [~], as in text"
expect_contains "$OUT" '   - ref:         [^1] [^2] [^3]' "markdown: references as footnotes"
expect_contains "$OUT" '[^1]: SAP Help: "Trust Manager" (transaction STRUST)' "markdown: footnote text"
run "$PSECONV" plan --format dot "$L"
expect_contains "$OUT" 'digraph plan {' "dot: digraph"
expect_contains "$OUT" '"HCI" -> "ERP" [label="R10 map-user user-mapping' "dot: a step as an edge"
[ "$(command -v dot)" ] && { printf '%s\n' "$OUT" | dot -Tsvg >/dev/null 2>&1; RC=$?; expect_rc 0 "graphviz accepts the dot"; }
run "$PSECONV" plan --format json "$L"
keys=$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; d=json.load(sys.stdin); s=d["steps"][0]; print(d["landscape"], sorted(k for k in ("id","flow","flows","hop","system","target","action","status","required","certificate","reason","references") if k in s) == sorted(("id","flow","flows","hop","system","target","action","status","required","certificate","reason","references")), sorted(s["certificate"])[:0], [f["code"] for f in d["findings"]])')
expect_eq "$keys" "Nordwind C4C integration True [] ['client-ca-not-accepted']" "json: rules.md fields"
run "$PSECONV" plan -o "$T/plan.md" --format markdown "$L"
expect_file "$T/plan.md" "-o writes a file"
run "$PSECONV" plan -o "$T/plan.md" --format markdown "$L"
expect_rc 4 "-o does not overwrite without --force"
# the plan is written as it is rendered: --force replaces the file with exactly
# what standard output gets, and a failing write is exit 4 naming the cause
run "$PSECONV" plan --format json -o "$T/plan.md" --force "$L"
expect_rc 1 "-o --force: written (exit 1: the landscape's error finding)"
run "$PSECONV" plan --format json "$L"
expect_eq "$(cat "$T/plan.md")" "$OUT" "-o FILE holds the bytes standard output gets"
expect_eq "$(ls "$T" | grep -c 'plan.md.tmp')" "0" "no temporary file left"
if [ -w /dev/full ]; then
    "$PSECONV" plan --format json "$L" >/dev/full 2>"$T/full.err"; RC=$?
    expect_rc 4 "plan to a full device: exit 4"
    expect_contains "$(cat "$T/full.err")" "cannot write to standard output: No space left on device" "plan to a full device: the cause"
fi
# ---- issue 15: the checklist a Basis admin follows, on the fixture variants ------
LS=$PSECONV_FIXTURES/landscape
LP=$LS/pki
PUB_ROOT=$(fp $LP/pub-root.crt); OLD_ROOT=$(fp $LP/baltimore-expired.crt)
# field FILE PY-EXPR: one value from the plan JSON (d = the document)
field() { $SYSPY -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
lsjson() { run "$PSECONV" plan --format json "$LS/$1.ini"; printf '%s\n' "$OUT" >"$T/$1.json"; }

# 2: client certificates towards SAP Cloud Integration must come from a CA SAP accepts
lsjson sap-trust
expect_rc 1 "sap-trust: exit 1 (company CA)"
expect_eq "$(findings $T/sap-trust.json)" "error client-ca-not-accepted ERP" "sap-trust: ERP's Nordwind certificate is an error, CRM's public one passes"
expect_contains "$(field $T/sap-trust.json '[f["message"] for f in d["findings"]][0]')" "chains to CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE, which is not in $LP/sap-trusted-cas.pem (sap_trusted_cas): HCI's load balancer refuses the handshake; it is the company's own CA" "client-ca-not-accepted names the root and the list"
expect_eq "$(steps $T/sap-trust.json | grep '^R2')" "$(sorted \
  "R2 ERP strust-ssl-client-standard import todo required $LB_ROOT" \
  "R2 ERP strust-ssl-client-standard import todo required $PUB_ROOT" \
  "R2 ERP strust-ssl-client-standard import todo optional $LB_INT" \
  "R2 CRM strust-ssl-client-custom import todo required $LB_ROOT" \
  "R2 CRM strust-ssl-client-custom import todo required $PUB_ROOT" \
  "R2 CRM strust-ssl-client-custom import todo optional $LB_INT")" "sap-trust: R2 adds SAP's other valid root, not the expired one; CRM's custom SSL client identity"
run "$PSECONV" plan "$LS/sap-trust.ini"
expect_contains "$OUT" "into SSL client PARTNR, the PSE CRM's destination uses" "custom SSL client identity named in the reason"
expect_contains "$OUT" "(a root of SAP's list sap_trusted_cas that is valid today: SAP may move the worker node to it)" "the extra root says why"
expect_contains "$OUT" "certificate: CN=Fake DigiCert Global Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US (root of SAP's trusted CA list, sap_trusted_cas)" "the extra root says where it comes from"
PSECONV_PUBLIC_ROOTS=$LP/sap-trusted-cas.pem run "$PSECONV" plan --format json "$T/out-cf.ini"; printf '%s\n' "$OUT" >"$T/c4c-ca.json"
expect_eq "$(findings $T/c4c-ca.json)" "$(sorted "warning backend-on-internet ERP" "warning client-ca-not-accepted C4C")" "a root missing from the public list that is not the company's: warning"
expect_contains "$(field $T/c4c-ca.json '[f["remedy"] for f in d["findings"]][0]')" "C4C: Communication Arrangements" "the remedy fits C4C"

{ printf '[landscape]\nsap_trusted_cas = no-such-list.pem\n'; systems cf | sed 1,2d; flow in "ERP -> HCI" certificate; } >"$T/e-list.ini"
run "$PSECONV" plan "$T/e-list.ini"
expect_rc 3 "unreadable sap_trusted_cas: exit 3"
expect_contains "$ERR" "no-such-list.pem" "names the list file"
expect_contains "$ERR" "e-list.ini:2, sap_trusted_cas)" "and file:line of the key"
PSECONV_PUBLIC_ROOTS=$T/no-such-roots.pem run "$PSECONV" plan "$T/in-cf.ini"
expect_contains "$ERR" "pseconv: warning: public root list $T/no-such-roots.pem: cannot open" "unreadable public roots: a warning"
expect_rc 1 "unreadable public roots: every client root is reported"

# 3: VUSREXTID DN in SAP's notation
run "$PSECONV" export "$LS/direct-erp.ini" -o "$T/direct"
expect_rc 0 "direct-erp: export (warnings only)"
expect_eq "$(cat "$T"/direct/ERP/*-user-mapping-*.txt)" "CN=hci-dn.nordwind.example, OU=Integration, O=Nordwind Handel AG, L=Frankfurt am Main, SP=Hessen, C=DE" "VUSREXTID .txt: SP= for stateOrProvinceName"
lsjson passthrough
expect_eq "$(findings $T/passthrough.json)" "warning dn-notation ERP" "passthrough: the emailAddress DN is a dn-notation warning, no backend-on-internet"
expect_contains "$(field $T/passthrough.json '[f["remedy"] for f in d["findings"]][0]')" "Copy the DN from the certificate display in STRUST" "dn-notation: copy from STRUST or CERTRULE"
expect_contains "$(field $T/passthrough.json '[f["remedy"] for f in d["findings"]][0]')" "transaction CERTRULE" "dn-notation names CERTRULE"

# 4: Web Dispatcher forwarding: a snippet per system; passthrough has no R13
run "$PSECONV" plan "$L"
expect_contains "$OUT" "how:         Profile of WD: icm/HTTPS/verify_client = 1 (or VCLIENT=1 on the HTTPS port: icm/server_port_<xx> = PROT=HTTPS,PORT=<port>,VCLIENT=1) ; icm/HTTPS/forward_ccert_as_header = true ; wdisp/ssl_encrypt = 1 ; wdisp/ssl_auth = 2 ; wdisp/ssl_cred = SAPSSLC.pse" "R13 at WD: verify_client, forwarding, re-encryption, client PSE"
expect_contains "$OUT" "Then restart the Web Dispatcher (sapcontrol -nr <NN> -function RestartInstance, or icmon pf=<profile>)." "R13 at WD: restart the Web Dispatcher"
expect_contains "$OUT" "Then restart the ICM (SMICM > Administration > ICM > Exit Soft > Global). Kernels with icm/trusted_reverse_proxy_<xx> (several proxies, HA pairs) take icm/trusted_reverse_proxy_0 = SUBJECT=\"CN=WD SSL Client Standard" "R13 at ERP: restart the ICM, icm/trusted_reverse_proxy_<xx>"
expect_eq "$(steps $T/passthrough.json | grep -v '^R7\|^R8')" "$(sorted \
  "R9 ERP strust-ssl-server-standard import todo required $CORP_ROOT" \
  "R9 ERP strust-ssl-server-standard import todo required $CORP_INT" \
  "R10 ERP user-mapping map-user todo required $(fp $LP/hci-client-email.crt)" \
  "R11 HCI keystore import todo required $CORP_ROOT")" "passthrough: ERP trusts HCI's client chain itself, no R13, WD has nothing to do"
expect_eq "$(field $T/passthrough.json 'sorted(set(s["hop"] for s in d["steps"] if s["id"] in ("R9","R10","R11")))')" "['HCI -> ERP (through WD, ssl = passthrough)']" "passthrough: the hop names the proxy"
printf '[system WD]\ntype = webdispatcher\nssl = offload\n' >"$T/e-ssl.ini"
run "$PSECONV" plan "$T/e-ssl.ini"
expect_contains "$ERR" "e-ssl.ini:3: ssl = 'offload' in [system WD]; accepted: terminate, passthrough" "ssl: file:line and the accepted words"

# 5: both auth kinds use the PSE the destination names (neo-basic)
lsjson neo-basic
expect_eq "$(steps $T/neo-basic.json | awk '{print $1, $2, $3, $6}')" "$(sorted \
  "R2 ERP strust-ssl-client-standard required" "R2 ERP strust-ssl-client-standard optional" \
  "R2 CRM strust-ssl-client-anonymous required" "R2 CRM strust-ssl-client-anonymous optional")" "basic auth: DFAULT by default, ANONYM when the destination names it"
run "$PSECONV" plan "$LS/neo-basic.ini"
expect_contains "$OUT" "STRUST > SSL client Anonymous (identity ANONYM) > Import certificate > Add to Certificate List > Save" "STRUST name as the tree shows it"

# 6: steps that depend on a replacement are blocked
lsjson blocked
expect_eq "$(field $T/blocked.json '"\n".join(sorted("%s %s %s %s" % (s["id"], s["system"], s["status"], s.get("blocked_by")) for s in d["steps"] if s["status"] == "blocked"))')" \
  "$(sorted "R1 HCI blocked R3" "R11 HCI blocked R12" "R2 ERP blocked expired")" "blocked: R1 after R3, R11 after R12, the expired root's R2"
expect_eq "$(field $T/blocked.json 'd["summary"]["blocked"], d["summary"]["todo"]')" "3 12" "json summary counts blocked steps"
expect_contains "$(field $T/blocked.json '[f["remedy"] for f in d["findings"] if f["code"]=="self-signed-server-cert"][0]')" "Web Dispatcher web admin > SSL and Trust Configuration > PSE Management > SAPSSLS.pse" "the WD's remedy is the web admin, not STRUST"
expect_eq "$(field $T/blocked.json '[f["remedy"] for f in d["findings"] if f["code"]=="expired"][0]')" "kept by SAP (the load balancer's certificate): fetch the current worker node chain again (pseconv fetch)" "the expired worker node root: SAP's, fetch the chain again (not STRUST)"
run "$PSECONV" plan "$LS/blocked.ini"
expect_contains "$OUT" "   1. [!] R1   upload to BTP cockpit" "text: [!] box"
expect_contains "$OUT" "-- blocked: after R3 (the certificate is replaced first)" "text: blocked after R3"
expect_contains "$OUT" "-- blocked: until the expired finding is resolved" "text: blocked by the expired root"
expect_contains "$OUT" "Summary: 12 to do, 3 blocked, 0 in place, 2 kept by SAP, 3 errors, 0 warnings, 0 notes" "text: summary counts blocked"
run "$PSECONV" plan --format markdown "$LS/blocked.ini"
expect_contains "$OUT" "1. [!] **R1** upload to BTP cockpit" "markdown: [!] box"
expect_contains "$OUT" 'S0 -.->|"R1 service-key: leaf (blocked)"| S1' "mermaid: the blocked R1 edge says blocked"
expect_contains "$OUT" 'R2 strust-ssl-client-standard: root (blocked)<br/>R10 user-mapping: leaf' "mermaid: blocked and open steps on one edge"
run "$PSECONV" export "$LS/blocked.ini" -o "$T/blocked-out"
expect_rc 1 "blocked: export exits 1 (error findings)"
expect_eq "$(ls "$T"/blocked-out/HCI | grep -c 'service-key-p41')" "0" "a blocked step gets no export file"
expect_eq "$(field $T/blocked.json '[s for s in d["steps"] if s["id"]=="R1"][0]["certificate"].get("file")')" "None" "json: no file for a blocked step"

# 7: certificate logon allowed where it lands; roles
lsjson direct-erp
r10() { field $T/$1.json "[s['detail'] for s in d['steps'] if s['id']=='R10' and s['system']=='$2'][0]"; }
expect_contains "$(r10 direct-erp ERP)" "with the roles SAP_SD_COD_INTEGRATION and SAP_SD_COD_INTEGRATION_EXT (the C4C-ERP integration roles)" "ERP: the C4C-ERP integration roles"
expect_contains "$(r10 direct-erp CRM)" "with the roles of CRM's inbound services, per your back end's integration guide (set service_user_roles)" "CRM: per its integration guide"
expect_contains "$(r10 passthrough ERP)" "with the roles Z_C4C_INTEGRATION." "service_user_roles from the landscape"
expect_contains "$(r10 direct-erp ERP)" "SICF > the ICF service > Logon Data > Procedure \"Alternative Logon Procedure\" with SSL Certificate Logon, or SOAMANAGER > the endpoint > Configuration > Authentication \"X.509 SSL Client Certificate\"; the HTTPS port must request a client certificate (icm/HTTPS/verify_client = 1, or VCLIENT=1 on its icm/server_port_<xx>)" "R10: ICF/SOAMANAGER logon and the port's client certificate request"

# 8: today's SAP Cloud Integration words
expect_contains "$(field $T/direct-erp.json '[s["reason"] for s in d["steps"] if s["id"]=="R9" and s["system"]=="ERP"][0]')" "(Monitor > Integrations and APIs > Manage Security > Keystore, key \"nordwind-hci\" (the receiver channel's Private Key Alias): Download > Chain; not the worker node's chain)" "R9: the chain from the keystore key client_key_alias names"
run "$PSECONV" plan "$L"
expect_contains "$OUT" "upload HCI's client certificate (Monitor > Integrations and APIs > Manage Security > Keystore, SAP's key sap_cloudintegrationcertificate: Download > Certificate)" "R4: download SAP's key in the keystore"
expect_contains "$OUT" "import into Monitor > Integrations and APIs > Manage Security > Keystore > Add > Certificate (trusted certificate)" "keystore in today's menu words"
expect_not_contains "$OUT" "system.jks" "no system.jks in the instructions"
expect_not_contains "$OUT" "LOD-HCI" "no LOD-HCI ticket"
expect_not_contains "$OUT" "provisioning mail" "no provisioning mail"
expect_eq "$(field $T/neo-basic.json '[(f["severity"], f["code"], f["system"]) for f in d["findings"]]')" "[('info', 'neo-environment', 'HCI')]" "neo: an info finding"
run "$PSECONV" plan "$LS/neo-basic.ini"
expect_contains "$OUT" "info    neo-environment  HCI: HCI runs in the Neo environment, which SAP is retiring: plan the move of the tenant to Cloud Foundry" "neo: text"
expect_contains "$OUT" "0 errors, 0 warnings, 1 note" "neo: counted as a note"
expect_rc 0 "neo: info does not fail the plan"

# 9: a direct HCI -> back end path
expect_eq "$(findings $T/direct-erp.json)" "$(sorted "warning backend-on-internet CRM" "warning backend-on-internet ERP")" "direct-erp: a warning per back end reachable from the internet"
expect_contains "$(field $T/direct-erp.json '[f["remedy"] for f in d["findings"]][0]')" "SAP Web Dispatcher in the DMZ" "backend-on-internet: reverse proxy or Cloud Connector"
expect_contains "$(field $T/direct-erp.json '[f["remedy"] for f in d["findings"]][0]')" "SAP Cloud Connector" "backend-on-internet names SAP Cloud Connector"

# 10: references instead of seed labels
expect_eq "$(field $T/direct-erp.json '[s["references"] for s in d["steps"] if s["id"]=="R11"][0]')" \
  "['SAP Help (Cloud Integration): \"Keystore\"', 'SAP Community: \"Quick Guide on using Certificates for Integrating C4C and ECC using HCI\" (and its comments)']" "json: references of R11"
expect_eq "$(field $T/direct-erp.json 'sum(1 for s in d["steps"] if "seed" in s or not s["references"])')" "0" "json: no seed field, every step has references"

# 11: cross-references name findings that exist; the iFlow of a flow without iflow
expect_contains "$(field $T/in-cf.json '[s["reason"] for s in d["steps"] if s["id"]=="R1"][0]')" 'the iFlow of flow "in" accepts' "the iFlow of flow \"NAME\""
run "$PSECONV" plan "$T/missing.ini"
expect_contains "$OUT" "certificate: NOT GIVEN in the landscape (see the missing-input finding)" "missing certificate: names the missing-input finding"
run "$PSECONV" plan "$T/mismatch.ini"
expect_contains "$OUT" "certificate: NOT GIVEN in the landscape (see the chain-mismatch finding)" "mismatch: names the chain-mismatch finding, which exists"
expect_contains "$OUT" "error   chain-mismatch  HCI" "the chain-mismatch finding is there"
finish
