#!/bin/bash
# pseconv diagnose through the binary: the seed thread's messages on the
# example landscape name the right step and export file, a whole log on
# standard input, --hop / --flow, --json (the man page's schema), and the
# exit codes 0 (cause), 1 (known, unexplained), 2 (usage), 3 (unknown text).
. "$(dirname "$0")/lib.sh"

L=$PSECONV_FIXTURES/landscape/landscape.ini
BROKEN='Error accessing service; Service Ping ERROR: Error when calling SOAP Runtime functions: SRT: Processing error in Internet Communication Framework: ("ICF Error when receiving the response: ICM_HTTP_CONNECTION_BROKEN") ()'
UNAUTH='Fehler beim Zugreifen auf den Service: Service-Ping-Fehler: Unauthorized (401)'

# first_cause: "RULE SYSTEM FILE" of cause 1 in the JSON in $OUT
first_cause() {
  printf '%s' "$OUT" | $SYSPY -c '
import json,sys
d=json.load(sys.stdin)
c=d["causes"][0]
print(c["rule"], c["system"], c["file"])'
}
# causes: "RULE@SYSTEM" of every cause, space-separated
causes() {
  printf '%s' "$OUT" | $SYSPY -c '
import json,sys
d=json.load(sys.stdin)
print(" ".join("%s@%s" % (c["rule"], c["system"]) for c in d["causes"]))'
}

# ---- the issue's own example and the seed thread's messages ----------------
run "$PSECONV" diagnose "$L" "ICM_SSL_HTTP_ERROR"
expect_rc 0 "ICM_SSL_HTTP_ERROR on the example landscape"
expect_contains "$OUT" "ICM_SSL_HTTP_ERROR (icm-ssl-http-error)" "names the catalogue row"
expect_contains "$OUT" "  1. R7   HCI: upload to BTP cockpit" "most likely: R7 in HCI"
expect_contains "$OUT" "          file:    HCI/02-service-key-c4c-my123456-arrangement.pem (pseconv export)" \
  "with its export file"
expect_contains "$OUT" "  C4C -> HCI (flow account-to-erp)" "names the hop and flow"
expect_contains "$OUT" "How to confirm:" "says how to confirm"

run "$PSECONV" diagnose --json "$L" "ICM_SSL_HTTP_ERROR"
expect_eq "$(first_cause)" "R7 HCI HCI/02-service-key-c4c-my123456-arrangement.pem" "json: first cause"
expect_eq "$(causes)" "R7@HCI R2@ERP R11@WD R2@ERP R8@C4C" "json: ranked causes"

run "$PSECONV" diagnose --json "$L" "$BROKEN"
expect_rc 0 "Service Ping ERROR ... ICM_HTTP_CONNECTION_BROKEN"
expect_eq "$(causes)" "R7@HCI R8@C4C" "broken: only the C4C -> HCI hop (the wrapper says C4C called)"

run "$PSECONV" diagnose --json "$L" "$UNAUTH"
expect_rc 0 "Service-Ping-Fehler: Unauthorized (401)"
expect_eq "$(first_cause)" "R7 HCI HCI/02-service-key-c4c-my123456-arrangement.pem" "401 from CPI: the service key"

run "$PSECONV" diagnose --json "$L" "403 - Forbidden"
expect_rc 0 "403 - Forbidden"
expect_eq "$(first_cause)" "R10 ERP ERP/06-user-mapping-hci-tenant-p1234-eu1-hana-ondemand-com-c.cer" \
  "403: the user mapping first"

# ---- a whole log on standard input -----------------------------------------
cat >"$T/dev_icm" <<'EOF'
[Thr 140245] Wed Dec  2 10:15:01:123 2026
[Thr 140245] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSSLERR_PEER_CERT_UNTRUSTED
[Thr 140245]    session uses PSE file "/usr/sap/P41/DVEBMGS00/sec/SAPSSLS.pse"
[Thr 140245] SecudeSSL_SessionStart: SSL_connect() failed
EOF
run_in "$T/dev_icm" "$PSECONV" diagnose --json "$L" -
expect_rc 0 "dev_icm trace from standard input"
expect_eq "$(causes)" "R9@WD R9@WD R9@ERP R9@ERP" "SAPSSLS.pse: the server's PSE lacks the client's issuers"
expect_contains "$OUT" '"pse":	"SAPSSLS"' "json names the PSE"

# ---- --hop, --flow ------------------------------------------------------------
run "$PSECONV" diagnose --json --hop 'ERP -> HCI' "$L" ICM_SSL_HTTP_ERROR
expect_eq "$(causes)" "R2@ERP R2@ERP" "--hop ERP->HCI: the root, then the optional intermediate"
run "$PSECONV" diagnose --json --flow account-to-erp "$L" ICM_SSL_HTTP_ERROR
expect_eq "$(causes)" "R7@HCI R11@WD R8@C4C" "--flow account-to-erp"
run "$PSECONV" diagnose --hop 'HCI->ERP' "$L" ICM_SSL_HTTP_ERROR
expect_rc 2 "--hop not in the landscape"
expect_eq "$ERR" "pseconv: --hop HCI->ERP: no flow has this hop" "names the hop"
run "$PSECONV" diagnose --flow nope "$L" ICM_SSL_HTTP_ERROR
expect_rc 2 "--flow not in the landscape"
run "$PSECONV" diagnose --flow nope ICM_SSL_HTTP_ERROR
expect_rc 2 "--flow without a landscape"
run "$PSECONV" diagnose --hop c4c ICM_SSL_HTTP_ERROR
expect_rc 2 "--hop without an arrow"

# ---- without a landscape --------------------------------------------------------
run "$PSECONV" diagnose --json --hop 'c4c->cpi' "Unauthorized (401)"
expect_rc 0 "no landscape: the generic rule"
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; d=json.load(sys.stdin); c=d["causes"][0]; print(c["kind"], c["rule"], c["hop"], d["landscape"])')" \
  "rule R7 c4c -> cpi None" "no landscape: rule and hop types"
run "$PSECONV" diagnose ICM_SSL_HTTP_ERROR Service Ping
expect_contains "$OUT" "No landscape given" "several words are one text"

# ---- exit 1 and 3 ------------------------------------------------------------
run "$PSECONV" diagnose "$L" "ICF Error when receiving the response: ICM_HTTP_CONNECTION_FAILED"
expect_rc 1 "known, but no certificate explains it"
expect_contains "$OUT" "Nothing in the landscape explains it. Collect:" "says what to collect"
run "$PSECONV" diagnose "$L" "the coffee machine is empty"
expect_rc 3 "unknown text"
expect_contains "$OUT" "  icm-ssl-http-error           ICM_SSL_HTTP_ERROR" "lists what it knows"
expect_eq "$ERR" "pseconv: no known error message in the text; the known ones are listed above" "one error line"
run "$PSECONV" diagnose --json "the coffee machine is empty"
expect_rc 3 "unknown text, json"
expect_contains "$OUT" '"verdict":	"unknown"' "json verdict unknown"

# ---- usage ---------------------------------------------------------------------
run "$PSECONV" diagnose
expect_rc 2 "no text"
expect_one_error_line "no text: one line"
run "$PSECONV" diagnose "$L"
expect_rc 2 "a landscape alone is no text"
expect_eq "$ERR" "pseconv: no error TEXT after the LANDSCAPE $L; see 'pseconv diagnose --help'" "says so"
run "$PSECONV" diagnose "$T/missing.ini" ICM_SSL_HTTP_ERROR
expect_rc 3 "unreadable landscape"
run "$PSECONV" diagnose --help
expect_rc 0 "--help"
expect_contains "$OUT" "usage: pseconv diagnose [LANDSCAPE]" "help text"
# ---- the man page lists every catalogue entry and the JSON fields --------------
MAN=$PSECONV_SRC/doc/pseconv.1
run "$PSECONV" diagnose --json "nothing known here"
for id in $(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; print(" ".join(json.load(sys.stdin)["known"]))'); do
  if grep -qxF ".B ${id//-/\\-}" "$MAN"; then ok "man page lists $id"; else bad "man page lists $id"; fi
done
run "$PSECONV" diagnose --json "$L" "$BROKEN"
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c '
import json,sys
d=json.load(sys.stdin)
print(sorted(d), sorted(d["messages"][0]), sorted(d["hops"][0]), sorted(d["causes"][0]))')" \
  "['causes', 'exit', 'hops', 'landscape', 'messages', 'ruled_out', 'verdict'] ['collect', 'confirm', 'id', 'meaning', 'pattern', 'pse', 'reporter', 'reporter_types', 'side', 'wrapper'] ['client', 'client_type', 'flows', 'server', 'server_type'] ['action', 'certificate', 'file', 'finding', 'flows', 'hop', 'kind', 'message', 'rank', 'required', 'rule', 'status', 'system', 'target', 'why']" \
  "json fields as in the man page"
finish
