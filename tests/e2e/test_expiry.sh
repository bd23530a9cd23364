#!/bin/bash
# pseconv expiry: a landscape whose certificates expire at chosen offsets (made
# now by renewal_pki.py), sorted by expiry, the steps each renewal forces, the
# exit code against --within / warn_days, CSV columns, an RFC 5545 calendar
# checked by a strict reader below, JSON, and the root-rotation finding with a
# sap_trusted_cas list (DigiCert Global Root CA -> G2).  The calendar is also
# read by Debian's python3-icalendar (scripts/setup.sh installs it).
. "$(dirname "$0")/lib.sh"

K=$T/pki
mkdir -p "$K"
$SYSPY "$(dirname "$0")/renewal_pki.py" "$K" \
  "dcroot:DigiCert Global Root CA:DigiCert Inc:-:20.5:ca" \
  "dcg2:DigiCert Global Root G2:DigiCert Inc:-:4000.5:ca" \
  "sapint:SAP Cloud Platform Client CA:SAP SE:dcroot:500.5:ca" \
  "hciclient:hci-tenant client:SAP SE:sapint:10.5:leaf" \
  "lbint:DigiCert G2 TLS CA:DigiCert Inc:dcg2:900.5:ca" \
  "worker:*.cfapps.eu10.hana.ondemand.com:SAP SE:lbint:100.5:leaf" \
  "corproot:Nordwind Root CA:Nordwind:-:3000.5:ca" \
  "corpint:Nordwind Issuing CA:Nordwind:corproot:1000.5:ca" \
  "erpclient:ERP SSL Client Standard:Nordwind:corpint:200.5:leaf" \
  "erpserver:erp.nordwind.example:Nordwind:corpint:300.5:leaf" \
  "c4croot:C4C Root:SAP SE:-:2000.5:ca" \
  "c4cclient:C4C arrangement:SAP SE:c4croot:45.5:leaf" \
  || { echo "FAIL - could not make the test PKI"; exit 1; }
cat "$K/corpint.crt" "$K/corproot.crt" >"$K/corp-chain.pem"
cat "$K/sapint.crt" "$K/dcroot.crt" >"$K/hci-client-chain.pem"
cat "$K/worker.crt" "$K/lbint.crt" "$K/dcg2.crt" >"$K/hci-worker.pem"
cat "$K/dcg2.crt" "$K/corproot.crt" >"$K/sap-trusted.pem"
fpk() { fp "$K/$1.crt"; }

landscape() {  # landscape EXTRA_LANDSCAPE_LINE
  cat <<EOF
[landscape]
name = renewal
warn_days = 30
${1:-}

[system ERP]
type = abap
client_cert = $K/erpclient.crt
server_cert = $K/erpserver.crt
chain = $K/corp-chain.pem
service_user = CODINTG

[system HCI]
type = cpi
environment = cf
client_cert = $K/hciclient.crt
client_chain = $K/hci-client-chain.pem
server_chain = $K/hci-worker.pem

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
landscape >"$T/l.ini"
landscape "sap_trusted_cas = $K/sap-trusted.pem" >"$T/rot.ini"

# ---- json: order, owners, forced steps --------------------------------------------
run "$PSECONV" expiry --format json "$T/l.ini"
expect_rc 1 "json: something expires within warn_days (30): exit 1"
printf '%s\n' "$OUT" >"$T/l.json"
order=$($SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(c["sha256"] for c in d["certificates"]))' "$T/l.json")
want=""
for n in hciclient dcroot c4cclient worker erpclient erpserver sapint lbint corpint c4croot corproot dcg2; do
  want="$want $(fpk $n)"
done
expect_eq "$order" "${want# }" "json: every certificate once, sorted by expiry (10, 20, 45 ... 4000 days)"
# forces SHA256: one sorted line per forced step "SYSTEM RULE TARGET ACTION issuer-change?"
forces() {
  $SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
for c in d["certificates"]:
    if c["sha256"]==sys.argv[2]:
        print("\n".join(sorted("%s %s %s %s %s" % (f["system"],f["rule"],f["target"],f["action"],
              "if-issuer-changes" if f["if_issuer_changes"] else "always") for f in c["renewal_forces"])))
        print("OWNER %s %s %s %s" % (c["owner"], c["owner_key"], c["role"], c["days_left"]))' "$T/l.json" "$1"
}
expect_eq "$(forces "$(fpk hciclient)")" "$(printf '%s\n' \
  "C4C R4 communication-arrangement upload always" \
  "ERP R10 user-mapping map-user always" \
  "ERP R9 strust-ssl-server-standard import if-issuer-changes" \
  "OWNER HCI client_cert leaf 10")" \
  "HCI client certificate renewed -> C4C R4 upload, ERP R10 map the DN, ERP R9 only if the issuer changes"
expect_eq "$(forces "$(fpk erpclient)")" "$(printf '%s\n' \
  "HCI R1 service-key upload always" "OWNER ERP client_cert leaf 200")" \
  "ERP client certificate renewed -> HCI R1 new service key (its issuer is imported nowhere)"
expect_eq "$(forces "$(fpk dcroot)")" "$(printf '%s\n' \
  "C4C R5 trust-list import always" \
  "ERP R9 strust-ssl-server-standard import always" \
  "OWNER HCI client_chain root 20")" \
  "HCI's client root renewed -> ERP R9 import the new root, C4C R5 check"
expect_eq "$(forces "$(fpk worker)")" "$(printf '%s\n' \
  "ERP R2 strust-ssl-client-standard import if-issuer-changes" "OWNER HCI server_chain leaf 100")" \
  "HCI worker node certificate renewed -> ERP R2 only if the issuer changes (one line)"
expect_eq "$(forces "$(fpk corproot)")" "$(printf '%s\n' \
  "HCI R11 keystore import always" "OWNER ERP chain root 3000")" \
  "ERP's root renewed -> HCI R11 keystore"
task=$($SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
c=[c for c in d["certificates"] if c["sha256"]==sys.argv[2]][0]
print([f["task"] for f in c["renewal_forces"] if f["rule"]=="R10"][0])' "$T/l.json" "$(fpk hciclient)")
expect_eq "$task" "map the renewed certificate's DN in VUSREXTID (same DN: no change needed, check); deactivate the old line after cut-over" \
  "R10 task names VUSREXTID and the same-DN case"
expect_eq "$($SYSPY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"]["due"], d["within_days"], d["lead_days"], [c["state"] for c in d["certificates"]][:3])' "$T/l.json")" \
  "2 30 30 ['due', 'due', 'ok']" "json: 2 due within 30 days, states"
expect_eq "$($SYSPY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(f["code"] for f in d["findings"]))' "$T/l.json")" \
  "root-expiring" "without sap_trusted_cas: the expiring root alone is a finding"

# ---- exit codes --------------------------------------------------------------------
run "$PSECONV" expiry --within 5 "$T/l.ini"
expect_rc 0 "--within 5: nothing expires within 5 days"
run "$PSECONV" expiry --within 10 "$T/l.ini"
expect_rc 0 "--within 10: the certificate expiring in 10.5 days is outside (exit 0)"
run "$PSECONV" expiry --within 11 "$T/l.ini"
expect_rc 1 "--within 11: the certificate expiring in 10.5 days is inside (exit 1)"
run "$PSECONV" expiry --within x "$T/l.ini"
expect_rc 2 "--within x: usage error"
expect_one_error_line "--within x: one pseconv: line"
run "$PSECONV" expiry --format xml "$T/l.ini"
expect_rc 2 "--format xml: usage error"
expect_contains "$ERR" "accepted: text, csv, ics, json" "--format xml names the formats"
{ landscape; } | sed 's/^warn_days.*//' >"$T/w.ini"
sed -i 's/^name = renewal$/name = renewal\nwarn_days = 5/' "$T/w.ini"
run "$PSECONV" expiry "$T/w.ini"
expect_rc 0 "warn_days = 5 is the default --within: exit 0"

# ---- text --------------------------------------------------------------------------
run "$PSECONV" expiry --lead 14 "$T/l.ini"
first=$(printf '%s\n' "$OUT" | grep -m1 -E '^[ !] [0-9]{4}-')
expect_contains "$first" "! " "text: the first certificate is flagged"
expect_contains "$first" "10 days left  HCI client certificate (leaf)" "text: days left, owner and key words"
expect_contains "$OUT" "renew by: $(date -u -d "@$(( $(openssl x509 -in $K/hciclient.crt -noout -enddate | sed 's/notAfter=//' | xargs -I{} date -u -d {} +%s) - 14*86400 ))" +%Y-%m-%d) (14 days before expiry) -- now" \
  "text: renew by = expiry - --lead, marked now when past"
expect_contains "$OUT" "      C4C R4 communication-arrangement: upload the renewed certificate" "text: forced step line"
expect_contains "$OUT" "Summary: 12 certificates, 2 expire within 30 days (0 already expired), 1 finding" "text: summary"

# ---- csv ---------------------------------------------------------------------------
run "$PSECONV" expiry --format csv -o "$T/l.csv" "$T/l.ini"
expect_rc 1 "csv to a file: exit 1 (due)"
csvcheck=$($SYSPY - "$T/l.csv" "$T/l.json" <<'PY'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "CRLF only"
rows = list(csv.reader(open(sys.argv[1], newline="")))
d = json.load(open(sys.argv[2]))
want = sum(max(1, len(c["renewal_forces"])) for c in d["certificates"])
assert len(rows) - 1 == want, (len(rows), want)
assert all(len(r) == len(rows[0]) for r in rows)
hci = [r for r in rows[1:] if r[4] == "HCI" and r[5] == "client_cert"]
print(",".join(rows[0]))
print(len(rows) - 1)
print(" | ".join(sorted("%s %s %s" % (r[9], r[10], r[3]) for r in hci)))
print(rows[1][7])
PY
)
expect_eq "$(printf '%s\n' "$csvcheck" | sed -n 1p)" \
  "not_after,days_left,renew_by,state,owner,owner_key,role,subject,sha256,system,rule,target,action,task" "csv: columns"
expect_eq "$(printf '%s\n' "$csvcheck" | sed -n 3p)" "C4C R4 due | ERP R10 due | ERP R9 due" "csv: one row per forced step of the HCI client certificate"
expect_eq "$(printf '%s\n' "$csvcheck" | sed -n 4p)" "CN=hci-tenant client, O=SAP SE, C=DE" "csv: quoted subject with commas reads back"

# ---- ics: strict reader --------------------------------------------------------------
run "$PSECONV" expiry --format ics --lead 7 "$T/rot.ini"
expect_rc 1 "ics: exit 1 (due)"
"$PSECONV" expiry --format ics --lead 7 "$T/rot.ini" >"$T/l.ics" 2>/dev/null
ics=$($SYSPY - "$T/l.ics" "$(fpk hciclient)" <<'PY'
import re, sys, datetime
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "ends in CRLF"
phys = raw[:-2].split(b"\r\n")
for l in phys:
    assert b"\r" not in l and b"\n" not in l, "bare CR or LF"
    assert len(l) <= 75, ("line longer than 75 octets", l)
    l.decode("utf-8")  # each physical line is whole UTF-8 (no split sequence)
lines = []
for l in phys:
    if l[:1] in (b" ", b"\t"):
        assert lines, "continuation first"
        lines[-1] += l[1:]
    else:
        lines.append(l)
lines = [l.decode("utf-8") for l in lines]
name_re = re.compile(r"^([A-Z][A-Z0-9-]*)(;[^:]*)?:(.*)$")
stack, events, cal = [], [], {}
for l in lines:
    m = name_re.match(l)
    assert m, ("not a content line", l)
    name, value = m.group(1), m.group(3)
    if name == "BEGIN":
        stack.append(value)
        if value == "VEVENT":
            assert stack == ["VCALENDAR", "VEVENT"], stack
            events.append({})
        continue
    if name == "END":
        assert stack and stack.pop() == value, ("unbalanced", value)
        continue
    assert stack, ("property outside VCALENDAR", l)
    target = events[-1] if stack[-1] == "VEVENT" else cal
    if name in ("SUMMARY", "DESCRIPTION", "CATEGORIES"):
        # TEXT: ; , and \ only escaped
        assert re.fullmatch(r'(?:[^\\;,]|\\[\\;,nN])*', value), ("bad TEXT escaping", value)
        value = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    if name in ("DTSTART", "DTEND", "DTSTAMP"):
        assert re.fullmatch(r"\d{8}T\d{6}Z", value), ("not a UTC date-time", value)
    assert name not in target, ("property twice", name)
    target[name] = value
assert not stack, "unclosed component"
assert cal.get("VERSION") == "2.0" and cal.get("PRODID"), cal
uids = [e["UID"] for e in events]
assert len(set(uids)) == len(uids), "UIDs unique"
for e in events:
    for k in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
        assert k in e, (k, e)
    assert e["DTEND"] > e["DTSTART"]
fp = sys.argv[2]
ren = [e for e in events if e["UID"] == fp + "-renew@pseconv"][0]
exp = [e for e in events if e["UID"] == fp + "-expiry@pseconv"][0]
t = lambda s: datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ")
print(len(events))
print((t(exp["DTSTART"]) - t(ren["DTSTART"])).days)
print(ren["SUMMARY"])
print([l for l in ren["DESCRIPTION"].split("\n") if l.startswith("- ")])
print(exp["DTSTART"])
print(len([e for e in events if "Finding root-" in e["DESCRIPTION"]]))
PY
)
expect_eq "$(printf '%s\n' "$ics" | sed -n 1p)" "24" "ics: strict reader accepts it; two events for each of 12 certificates"
expect_eq "$(printf '%s\n' "$ics" | sed -n 2p)" "7" "ics: renewal event --lead 7 days before the expiry event"
expect_eq "$(printf '%s\n' "$ics" | sed -n 3p)" "Renew HCI client certificate: hci-tenant client (expires $(date -u -d "$(openssl x509 -in $K/hciclient.crt -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%d))" \
  "ics: renewal summary"
expect_eq "$(printf '%s\n' "$ics" | sed -n 4p)" \
  "[\"- ERP R10 user-mapping: map the renewed certificate's DN in VUSREXTID (same DN: no change needed, check); deactivate the old line after cut-over\", '- C4C R4 communication-arrangement: upload the renewed certificate; remove the old one after cut-over', '- ERP R9 strust-ssl-server-standard: if the issuer changes: import the new issuer (keep the old one until cut-over)']" \
  "ics: forced steps in the description"
expect_eq "$(printf '%s\n' "$ics" | sed -n 5p)" \
  "$(date -u -d "$(openssl x509 -in $K/hciclient.crt -noout -enddate | sed 's/notAfter=//')" +%Y%m%dT%H%M%SZ)" \
  "ics: expiry event at the certificate's notAfter, UTC"
expect_eq "$(printf '%s\n' "$ics" | sed -n 6p)" "4" "ics: a root's findings in both of its events (2 roots with findings x 2)"

# the same calendar through Debian's python3-icalendar (scripts/setup.sh installs it)
icallib=$($SYSPY - "$T/l.ics" "$(fpk hciclient)" <<'PY'
import sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = cal.walk("VEVENT")
r = [e for e in ev if str(e["UID"]) == sys.argv[2] + "-renew@pseconv"][0]
start = r.decoded("DTSTART")
print(len(ev), start.utcoffset() == datetime.timedelta(0),
      str(r["SUMMARY"]).startswith("Renew HCI client certificate: hci-tenant client"),
      "- ERP R10 user-mapping: map the renewed certificate's DN in VUSREXTID" in str(r["DESCRIPTION"]))
PY
)
expect_eq "$icallib" "24 True True True" "ics: python3-icalendar reads it too (24 events, UTC start, summary, forced steps)"

# ---- root rotation -----------------------------------------------------------------
run "$PSECONV" expiry --format json "$T/rot.ini"
printf '%s\n' "$OUT" >"$T/rot.json"
rot=$($SYSPY -c '
import json,sys
d=json.load(open(sys.argv[1]))
for f in d["findings"]:
    s=f["successor"]["sha256"] if f["successor"] else "-"
    print(f["severity"], f["code"], f["system"], f["sha256"], s,
          ",".join("%s/%s/%s" % (i["system"], i["rule"], i["target"]) for i in f["import_alongside"]) or "-")' "$T/rot.json")
expect_eq "$rot" "$(printf '%s\n' \
  "warning root-expiring HCI $(fpk dcroot) $(fpk dcg2) ERP/R9/strust-ssl-server-standard" \
  "warning root-not-in-sap-trusted-cas HCI $(fpk dcroot) $(fpk dcg2) ERP/R9/strust-ssl-server-standard" \
  "warning root-not-in-sap-trusted-cas C4C $(fpk c4croot) - -")" \
  "rotation: expiring root and root not in sap_trusted_cas -> successor G2, import it alongside in ERP R9; C4C's root has no successor"
run "$PSECONV" expiry "$T/rot.ini"
expect_contains "$OUT" "CN=DigiCert Global Root CA, O=DigiCert Inc, C=DE (root of HCI) expires in 20 days (warn_days 30); successor in sap_trusted_cas: CN=DigiCert Global Root G2, O=DigiCert Inc, C=DE (sha256 $(fpk dcg2)): import it alongside the old root in ERP R9 strust-ssl-server-standard (both during the transition), remove the old root after cut-over" \
  "rotation: the finding text names the successor and the steps"
echo "garbage" >"$T/bad.pem"
landscape "sap_trusted_cas = $T/bad.pem" >"$T/bad.ini"
run "$PSECONV" expiry "$T/bad.ini"
expect_rc 3 "sap_trusted_cas unreadable: exit 3"
expect_contains "$ERR" "pseconv: $T/bad.pem: unknown format" "sap_trusted_cas error names the file"
expect_contains "$ERR" "($T/bad.ini:4, sap_trusted_cas)" "sap_trusted_cas error names the landscape line and the key"
landscape "sap_trusted_cas = sap-trusted.pem" >"$K/rel.ini"
run "$PSECONV" expiry --format json "$K/rel.ini"
expect_contains "$OUT" "\"code\":	\"root-not-in-sap-trusted-cas\"" "sap_trusted_cas resolved against the landscape's folder"
run "$PSECONV" plan "$T/rot.ini"
expect_rc 0 "plan accepts sap_trusted_cas in [landscape]"

# ---- written as it is rendered (as the plan): -o FILE holds what standard output gets,
# an existing FILE needs --force, a failing write is exit 4 naming the cause
for fmt in json ics; do
    run "$PSECONV" expiry --format "$fmt" -o "$T/cal.$fmt" "$T/l.ini"
    expect_rc 1 "$fmt -o FILE: written (exit 1: due)"
    run "$PSECONV" expiry --format "$fmt" "$T/l.ini"
    expect_eq "$(grep -v '"now"\|^DTSTAMP' "$T/cal.$fmt")" "$(printf '%s\n' "$OUT" | grep -v '"now"\|^DTSTAMP')" \
        "$fmt -o FILE holds the bytes standard output gets"
done
run "$PSECONV" expiry --format json -o "$T/cal.json" "$T/l.ini"
expect_rc 4 "an existing -o FILE without --force: exit 4"
expect_eq "$(ls "$T" | grep -c 'cal.*tmp')" "0" "no temporary file left"
if [ -w /dev/full ]; then
    "$PSECONV" expiry --format json "$T/l.ini" >/dev/full 2>"$T/full.err"; RC=$?
    expect_rc 4 "expiry to a full device: exit 4"
    expect_contains "$(cat "$T/full.err")" "cannot write to standard output: No space left on device" \
        "expiry to a full device: the cause, not 'out of memory'"
fi

finish
