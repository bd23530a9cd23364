#!/bin/bash
# pseconv plan NEW --since OLD / pseconv diff OLD NEW / export --since: the
# steps a replaced certificate file changes, for a renewed leaf with the same
# DN, a renewed leaf with a new DN, a new intermediate and a new root.  The
# certificates are made now (renewal_pki.py); expected values are openssl's
# fingerprints of those files.
. "$(dirname "$0")/lib.sh"

K=$T/pki
mkdir -p "$K"
$SYSPY "$(dirname "$0")/renewal_pki.py" "$K" \
  "dcroot:DigiCert Global Root CA:DigiCert Inc:-:300:ca" \
  "dcg2:DigiCert Global Root G2:DigiCert Inc:-:4000:ca" \
  "int1:SAP Cloud Platform Client CA:SAP SE:dcroot:200:ca" \
  "int2:SAP Cloud Platform Client CA 02:SAP SE:dcroot:900:ca" \
  "v1:hci-tenant client:SAP SE:int1:20:leaf" \
  "v2:hci-tenant client:SAP SE:int1:380:leaf" \
  "v3:hci-tenant client 2027:SAP SE:int1:380:leaf" \
  "v4:hci-tenant client:SAP SE:int2:380:leaf" \
  "lbold:DigiCert TLS CA:DigiCert Inc:dcroot:250:ca" \
  "wold:*.cfapps.eu10.hana.ondemand.com:SAP SE:lbold:100:leaf" \
  "lbnew:DigiCert G2 TLS CA:DigiCert Inc:dcg2:900:ca" \
  "wnew:*.cfapps.eu10.hana.ondemand.com:SAP SE:lbnew:380:leaf" \
  "corproot:Nordwind Root CA:Nordwind:-:3000:ca" \
  "corpint:Nordwind Issuing CA:Nordwind:corproot:1000:ca" \
  "erpclient:ERP SSL Client Standard:Nordwind:corpint:200:leaf" \
  "erpserver:erp.nordwind.example:Nordwind:corpint:300:leaf" \
  "c4croot:C4C Root:SAP SE:-:2000:ca" \
  "c4cclient:C4C arrangement:SAP SE:c4croot:45:leaf" \
  || { echo "FAIL - could not make the test PKI"; exit 1; }
cat "$K/corpint.crt" "$K/corproot.crt" >"$K/corp-chain.pem"
cat "$K/int1.crt" "$K/dcroot.crt" >"$K/chain1.pem"
cat "$K/int2.crt" "$K/dcroot.crt" >"$K/chain2.pem"
cat "$K/wold.crt" "$K/lbold.crt" "$K/dcroot.crt" >"$K/worker-old.pem"
cat "$K/wnew.crt" "$K/lbnew.crt" "$K/dcg2.crt" >"$K/worker-new.pem"
f() { fp "$K/$1.crt"; }
# The client-CA check (issue 15, tested in test_plan.sh) is not what this test is
# about: every root of this test PKI stands for a public root here, so the only exit-1
# cause left is what the delta itself brings.
cat "$K/dcroot.crt" "$K/dcg2.crt" "$K/corproot.crt" "$K/c4croot.crt" >"$K/public-roots.pem"
export PSECONV_PUBLIC_ROOTS=$K/public-roots.pem

landscape() {  # landscape HCI_CLIENT HCI_CHAIN WORKER
  cat <<EOF
[landscape]
name = $1

[system ERP]
type = abap
client_cert = $K/erpclient.crt
server_cert = $K/erpserver.crt
chain = $K/corp-chain.pem
service_user = CODINTG

[system HCI]
type = cpi
environment = cf
client_cert = $K/$2.crt
client_chain = $K/$3
server_chain = $K/$4

[system C4C]
type = c4c
client_cert = $K/c4cclient.crt
client_chain = $K/c4croot.crt

[flow inbound]
path = ERP -> HCI -> C4C
auth = certificate

[flow outbound]
path = HCI -> ERP
auth = certificate
EOF
}
landscape old v1 chain1.pem worker-old.pem >"$T/old.ini"
landscape same-dn v2 chain1.pem worker-old.pem >"$T/same-dn.ini"
landscape new-dn v3 chain1.pem worker-old.pem >"$T/new-dn.ini"
landscape new-int v4 chain2.pem worker-old.pem >"$T/new-int.ini"
landscape new-root v1 chain1.pem worker-new.pem >"$T/new-root.ini"

# delta NAME: sorted "CHANGE SYSTEM ID TARGET SHA256" lines of plan NAME --since old
delta() {
  run "$PSECONV" plan --format json "$T/$1.ini" --since "$T/old.ini"
  printf '%s\n' "$OUT" >"$T/$1.delta.json"
  $SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
print("\n".join(sorted("%s %s %s %s %s" % (s["change"], s["system"], s["id"], s["target"],
      s["certificate"]["sha256"] if s["certificate"] else "-") for s in d["steps"] if s["change"] != "kept")))' "$T/$1.delta.json"
}
kept() {
  $SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
print("\n".join(sorted("%s %s %s %s" % (s["system"], s["id"], s["target"], s.get("old_sha256", "=")) for s in d["steps"] if s["change"] == "kept")))' "$T/$1.delta.json"
}
summary() { $SYSPY -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["new"], s["kept"], s["cleanup"])' "$T/$1.delta.json"; }
sorted() { printf '%s\n' "$@" | sort; }

# ---- nothing changed -------------------------------------------------------------------
run "$PSECONV" plan --format json "$T/old.ini" --since "$T/old.ini"
expect_rc 0 "same landscape: exit 0"
printf '%s\n' "$OUT" >"$T/same.delta.json"
n=$($SYSPY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"]["new"], d["summary"]["cleanup"], d["summary"]["kept"] == len(d["steps"]) > 0)' "$T/same.delta.json")
expect_eq "$n" "0 0 True" "same landscape: every step kept, nothing new, no clean-up"

# ---- renewed leaf, same DN --------------------------------------------------------------
expect_eq "$(delta same-dn)" "$(sorted \
  "new C4C R4 communication-arrangement $(f v2)" \
  "cleanup C4C R4 communication-arrangement $(f v1)")" \
  "renewed leaf, same DN: upload the new one to C4C (R4), remove the old one after cut-over"
expect_rc 0 "renewed leaf, same DN: exit 0"
expect_contains "$(kept same-dn)" "ERP R10 user-mapping $(f v1)" \
  "renewed leaf, same DN: ERP R10 VUSREXTID line stays (same DN, old certificate named)"
expect_eq "$(summary same-dn)" "1 8 1" "renewed leaf, same DN: 1 new, 8 kept, 1 clean-up"
cleanup_task=$($SYSPY -c 'import json,sys; print([s["task"]+" / "+s["when"] for s in json.load(open(sys.argv[1]))["steps"] if s["change"]=="cleanup"][0])' "$T/same-dn.delta.json")
expect_eq "$cleanup_task" "remove the old certificate after cut-over / after cut-over" "clean-up step is marked after cut-over"
run "$PSECONV" plan "$T/same-dn.ini" --since "$T/old.ini"
expect_contains "$OUT" "ERP R10 user-mapping: CN=hci-tenant client, O=SAP SE, C=DE (leaf of HCI, sha256 $(f v2)) -- same DN as before: no change needed, check" \
  "text: the same-DN mapping says no change needed"
expect_contains "$OUT" "file: C4C/01-communication-arrangement-hci-tenant-client.cer (export --since)" "text: the new step's export file name"

# ---- renewed leaf, new DN ----------------------------------------------------------------
expect_eq "$(delta new-dn)" "$(sorted \
  "new C4C R4 communication-arrangement $(f v3)" \
  "new ERP R10 user-mapping $(f v3)" \
  "cleanup C4C R4 communication-arrangement $(f v1)" \
  "cleanup ERP R10 user-mapping $(f v1)")" \
  "renewed leaf, new DN: C4C R4 upload and ERP R10 mapping anew; both old ones cleaned up"
t=$($SYSPY -c 'import json,sys; print([s["task"] for s in json.load(open(sys.argv[1]))["steps"] if s["change"]=="cleanup" and s["id"]=="R10"][0])' "$T/new-dn.delta.json")
expect_eq "$t" "deactivate the old VUSREXTID line after cut-over" "renewed leaf, new DN: deactivate the old VUSREXTID line"

# ---- new intermediate ------------------------------------------------------------------
expect_eq "$(delta new-int)" "$(sorted \
  "new C4C R4 communication-arrangement $(f v4)" \
  "new ERP R9 strust-ssl-server-standard $(f int2)" \
  "cleanup C4C R4 communication-arrangement $(f v1)" \
  "cleanup ERP R9 strust-ssl-server-standard $(f int1)")" \
  "new intermediate: ERP R9 imports it, the old intermediate goes after cut-over"
expect_contains "$(kept new-int)" "ERP R9 strust-ssl-server-standard =" "new intermediate: the unchanged root import (R9) stays"

# ---- new root (BTP rotation of the worker node chain) ----------------------------------------
expect_eq "$(delta new-root)" "$(sorted \
  "new ERP R2 strust-ssl-client-standard $(f dcg2)" \
  "new ERP R2 strust-ssl-client-standard $(f lbnew)" \
  "cleanup ERP R2 strust-ssl-client-standard $(f dcroot)" \
  "cleanup ERP R2 strust-ssl-client-standard $(f lbold)")" \
  "new root: ERP R2 imports G2 (and its optional intermediate), the old root goes after cut-over"
run "$PSECONV" plan --format markdown "$T/new-root.ini" --since "$T/old.ini"
expect_contains "$OUT" "## After cut-over: clean-up" "markdown: clean-up section"
expect_contains "$OUT" "- [ ] **ERP** R2 strust-ssl-client-standard: remove the old certificate after cut-over: CN=DigiCert Global Root CA, O=DigiCert Inc, C=DE (root of HCI, sha256 $(f dcroot))" "markdown: clean-up checklist item names the old root"
expect_contains "$OUT" "**Summary:** 2 new, 7 kept, 2 after cut-over" "markdown: summary"

# ---- diff alias, errors -----------------------------------------------------------------------
run "$PSECONV" plan --format json "$T/new-dn.ini" --since "$T/old.ini"
A=$OUT
run "$PSECONV" diff --format json "$T/old.ini" "$T/new-dn.ini"
expect_rc 0 "diff OLD NEW: exit 0"
expect_eq "$OUT" "$A" "diff OLD NEW prints exactly what plan NEW --since OLD prints"
run "$PSECONV" diff "$T/old.ini"
expect_rc 2 "diff with one landscape: usage error"
run "$PSECONV" plan --format dot "$T/new-dn.ini" --since "$T/old.ini"
expect_rc 2 "plan --since --format dot: usage error"
run "$PSECONV" plan "$T/new-dn.ini" --since "$T/missing.ini"
expect_rc 3 "plan --since a missing file: exit 3"
expect_one_error_line "plan --since a missing file: one pseconv: line"

# ---- export --since: only the new steps ---------------------------------------------------------
run "$PSECONV" export "$T/new-dn.ini" --since "$T/old.ini" -o "$T/x"
expect_rc 0 "export --since: exit 0"
files=$(cd "$T/x" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
expect_eq "$files" "C4C/01-communication-arrangement-hci-tenant-client-2027.cer C4C/README.md CHECKLIST.md DELTA.md ERP/01-user-mapping-hci-tenant-client-2027.cer ERP/01-user-mapping-hci-tenant-client-2027.txt ERP/README.md SHA256SUMS manifest.json " \
  "export --since: only the new steps' files (C4C R4, ERP R10)"
expect_eq "$(fp "$T/x/C4C/01-communication-arrangement-hci-tenant-client-2027.cer")" "$(f v3)" "export --since: the new certificate"
expect_contains "$OUT" "after cut-over: ERP R10 user-mapping: deactivate the old VUSREXTID line after cut-over (CN=hci-tenant client, O=SAP SE, C=DE)" \
  "export --since: prints the clean-up"
(cd "$T/x" && sha256sum -c --quiet SHA256SUMS) && ok "export --since: SHA256SUMS checks" || bad "export --since: SHA256SUMS"
run "$PSECONV" plan --format markdown "$T/new-dn.ini" --since "$T/old.ini"
expect_eq "$(cat "$T/x/DELTA.md")" "$OUT" "export --since: DELTA.md is plan --since's markdown (new, kept, clean-up)"
expect_contains "$(cat "$T/x/DELTA.md")" "deactivate the old VUSREXTID line after cut-over" "export --since: DELTA.md holds the clean-up after cut-over"
expect_contains "$(cat "$T/x/manifest.json")" '"path":	"DELTA.md"' "export --since: DELTA.md is in the manifest"
run "$PSECONV" export "$T/new-dn.ini" -o "$T/x-full"
expect_eq "$(ls "$T/x-full" | grep -c DELTA.md)" "0" "export without --since: no DELTA.md"

finish
