# Shared helpers for end-to-end tests: source it, call `run CMD...` and the
# expect_* checks, end with `finish`.  Every check prints one line; finish
# prints "N passed, N failed" and exits non-zero on any failure.
set -u
: "${PSECONV:?set PSECONV to the built binary (ctest does)}"
: "${PSECONV_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${PSECONV_FIXTURES:=$PSECONV_SRC/fixtures}"
: "${PSECONV_CORPUS:=$PSECONV_SRC/fixtures/third-party}"
# plan checks client certificates towards SAP Cloud Integration against the public
# roots: a fixture list, so no result depends on the machine's CA bundle
: "${PSECONV_PUBLIC_ROOTS:=$PSECONV_FIXTURES/landscape/pki/public-roots.pem}"
export PSECONV_PUBLIC_ROOTS
FX=$PSECONV_FIXTURES/pki
CORPUS=$PSECONV_CORPUS
SYSPY=/usr/bin/python3      # Debian's python3 with python3-pyjks / python3-cryptography
T=$(mktemp -d /tmp/pseconv-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT
PASS=0
FAIL=0
OUT=""
ERR=""
RC=0

# run CMD...: captures stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
  "$@" >"$T/.out" 2>"$T/.err" </dev/null
  RC=$?
  OUT=$(cat "$T/.out")
  ERR=$(cat "$T/.err")
}
# run_in INPUTFILE CMD...: same with standard input from a file.
run_in() {
  local in=$1; shift
  "$@" >"$T/.out" 2>"$T/.err" <"$in"
  RC=$?
  OUT=$(cat "$T/.out")
  ERR=$(cat "$T/.err")
}
ok()   { PASS=$((PASS + 1)); echo "ok   - $1"; }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL - $1"; shift; for l in "$@"; do echo "       $l"; done; }
expect_rc() {   # expect_rc CODE NAME
  if [ "$RC" -eq "$1" ]; then ok "$2 (exit $1)"; else bad "$2: exit $RC, wanted $1" "stderr: ${ERR:0:600}" "stdout: ${OUT:0:300}"; fi
}
expect_eq() {   # expect_eq ACTUAL WANTED NAME
  if [ "$1" == "$2" ]; then ok "$3"; else bad "$3" "got:    ${1:0:400}" "wanted: ${2:0:400}"; fi
}
expect_contains() {  # expect_contains HAYSTACK NEEDLE NAME
  case "$1" in *"$2"*) ok "$3" ;; *) bad "$3" "missing: $2" "in: ${1:0:600}" ;; esac
}
expect_not_contains() {
  case "$1" in *"$2"*) bad "$3" "unexpected: $2" "in: ${1:0:600}" ;; *) ok "$3" ;; esac
}
expect_file() { if [ -e "$1" ]; then ok "$2"; else bad "$2" "no file $1"; fi; }
expect_no_file() { if [ -e "$1" ]; then bad "$2" "file exists: $1"; else ok "$2"; fi; }
# One error line on stderr, starting with "pseconv:".
expect_one_error_line() {
  local n; n=$(printf '%s\n' "$ERR" | grep -c '^pseconv:')
  if [ "$n" -ge 1 ] && ! printf '%s\n' "$ERR" | grep -qv '^pseconv'; then ok "$1"; else bad "$1" "stderr: ${ERR:0:600}"; fi
}
# fp FILE: lowercase SHA-256 fingerprint (no colons) per openssl of the first cert.
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }
# fps_pem FILE: fingerprints of every certificate in a PEM file, one per line.
fps_pem() {
  awk -v d="$T/.split" 'BEGIN{n=0} /-----BEGIN CERTIFICATE-----/{n++; f=d"."n} f{print > f} /-----END CERTIFICATE-----/{close(f); f=""}' "$1"
  for f in "$T"/.split.*; do [ -e "$f" ] && fp "$f"; done
  rm -f "$T"/.split.*
}
# The seed's scenario (ERP, HCI, C4C, a Web Dispatcher) from the fixture PKI, for
# the tests that plan or export it.  seed_systems [ENV] [ERP_CLIENT_CERT]
# [HCI_EXTRA_LINES] prints the four [system] sections; seed_flows the two flows
# (inbound ERP -> HCI -> C4C, outbound C4C -> HCI -> WD -> ERP).
seed_systems() {
  cat <<EOF
[system ERP]
type = abap
client_cert = ${2:-$FX/erp-client.crt}
server_cert = $FX/erp-server.crt
chain = $FX/corp-chain.pem
service_user = CODINTG

[system HCI]
type = cpi
environment = ${1:-cf}
client_cert = $FX/hci-client.crt
client_chain = $FX/hci-client-chain.p7b
server_chain = $FX/hci-worker-node.pem
${3:-}

[system C4C]
type = c4c
client_cert = $FX/c4c-client.crt
server_chain = $FX/c4c-server-chain.pem

[system WD]
type = webdispatcher
client_cert = $FX/wd-client.crt
server_cert = $FX/wd-server.crt
chain = $FX/corp-chain.pem

EOF
}
seed_flows() {
  cat <<EOF
[flow replicate-material]
path = ERP -> HCI -> C4C
auth = certificate
iflow = Replicate Material from SAP ERP

[flow account-to-erp]
path = C4C -> HCI -> WD -> ERP
auth = certificate
EOF
}
finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
