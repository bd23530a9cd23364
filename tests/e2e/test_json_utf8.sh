#!/bin/bash
# Every JSON output is valid UTF-8 (issue 16): a landscape name, alias or
# system name that is not UTF-8 becomes U+FFFD in expiry, plan --since, diagnose,
# probe and verify JSON as it does in plan and inspect JSON.  Before this test
# those five printed the raw bytes (cJSON passes them through).
. "$(dirname "$0")/lib.sh"

L=$T/l.ini
{ printf '[landscape]\nname = caf\xe9 \xff\n\n'; seed_systems; seed_flows; } >"$L"
WANT="caf$(printf '\xef\xbf\xbd') $(printf '\xef\xbf\xbd')"
# strict: decoding fails on any byte that is not UTF-8; prints FIELD of the top object
field() { "$SYSPY" -c 'import json,sys; d=json.loads(open(sys.argv[1],"rb").read().decode("utf-8")); print(d[sys.argv[2]])' "$1" "$2"; }

run "$PSECONV" expiry --format json "$L"
printf '%s' "$OUT" >"$T/expiry.json"
expect_eq "$(field "$T/expiry.json" landscape)" "$WANT" "expiry json: the landscape name as U+FFFD"

run "$PSECONV" plan --format json "$L" --since "$L"
printf '%s' "$OUT" >"$T/delta.json"
expect_eq "$(field "$T/delta.json" new)" "$WANT" "plan --since json: the new landscape's name as U+FFFD"
expect_eq "$(field "$T/delta.json" old)" "$WANT" "plan --since json: the old landscape's name as U+FFFD"

run "$PSECONV" diagnose --json "$L" "ICM_HTTP_SSL_PEER_CERT_UNTRUSTED"
expect_rc 0 "diagnose --json with the landscape"
printf '%s' "$OUT" >"$T/diagnose.json"
expect_eq "$(field "$T/diagnose.json" landscape)" "$WANT" "diagnose json: the landscape name as U+FFFD"

# probe: HCI has a url nobody listens on (unreachable, exit 3), JSON all the same
{ printf '[landscape]\nname = caf\xe9 \xff\n\n'; seed_systems cf "" "url = https://127.0.0.1:9/"; seed_flows; } >"$T/p.ini"
run "$PSECONV" probe --json --timeout 2 "$T/p.ini"
expect_rc 3 "probe of an unreachable hop"
printf '%s' "$OUT" >"$T/probe.json"
expect_eq "$(field "$T/probe.json" landscape)" "$WANT" "probe json: the landscape name as U+FFFD"

# verify: a file name that is not UTF-8
cp "$FX/erp-client-fullchain.pem" "$T/v$(printf '\xff').pem"
run "$PSECONV" verify --json "$T/v$(printf '\xff').pem"
expect_rc 0 "verify --json of a complete chain"
printf '%s' "$OUT" >"$T/verify.json"
run "$SYSPY" -c 'import json,sys; d=json.loads(open(sys.argv[1],"rb").read().decode("utf-8")); print(d["certificates"][0]["file"].rsplit("/",1)[1])' "$T/verify.json"
expect_eq "$OUT" "v$(printf '\xef\xbf\xbd').pem" "verify json: the file name's byte as U+FFFD"

finish
