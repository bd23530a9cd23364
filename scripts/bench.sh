#!/usr/bin/env bash
# Benchmarks pseconv against the tools administrators use today (issue 8) and checks that
# every command stays linear whatever the input's shape (issue 18):
#   - inspect of an N-entry JKS trust store  vs  keytool -list, pyjks KeyStore.load, and the
#     "limit": reading the file + SHA-256 of each certificate + SHA-1 over the file
#   - N-certificate PEM bundle -> P7B         vs  openssl crl2pkcs7
#   - N-certificate PEM bundle -> JKS         vs  pyjks (cryptography + pyjks), keytool
#     -importcert one certificate per call (extrapolated from a sample, labelled so)
#   - N-certificate PEM bundle -> PKCS#12     vs  openssl pkcs12 -export -nokeys
#   - verify of N leaves under one CA         vs  inspect of the same file
#   - inspect of an M-entry PKCS#12 (written by keytool)  vs  keytool -list, openssl pkcs12
#   - growth from 10k to 50k (and 100k with --full) certificates for inspect, convert to
#     P7B/JKS/PKCS#12/PEM and verify, on three shapes: one CA (every leaf signed by one CA),
#     mixed (distinct issuers: roots, intermediates, leaves) and same-cn (one CA, every leaf
#     with the same subject: a renewal history); peak memory at the largest size
#   - plan --format json, expiry, plan --since (against a landscape with every certificate renewed) and
#     export (new folder, --force over the previous one, --archive alone) of landscapes of 200
#     and 2000 systems: growth and memory
# Prints medians (scripts/bench/runs.py), every ratio with its goal and yes/NO, as a Markdown table, with
# the machine noted, and keeps it in bench-out/results.md.  Generated inputs are cached in
# bench-out/inputs/, keyed by shape and size, so reruns only measure.  Everything runs nice.
#
# usage: scripts/bench.sh [--quick] [--full] [--runs N] [--no-build]
#   --quick     smoke run: 1,000 and 5,000 certificates, 200-entry PKCS#12, fewer runs
#   --full      also 100,000 certificates (growth to 100k and the memory goal there)
#   --runs N    runs per command (default 5; the slow keytool and pyjks-writing runs use 3)
#   --slow-runs N  runs of those slow ones (default 3)
#   --no-build  use $PSECONV (default build-bench/pseconv) as it is
# Needs: keytool (openjdk), openssl, cc, /usr/bin/python3 with python3-cryptography, python3-pyjks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

N=10000 NMID=50000 NBIG=100000 NP12=1000 RUNS=5 SLOW_RUNS=3 SAMPLE=20 BUILD=1 QUICK=0 FULL=0
LS_SMALL=200 LS_BIG=2000
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) QUICK=1 N=1000 NMID=5000 NBIG=10000 NP12=200 RUNS=3 SLOW_RUNS=1 SAMPLE=5 LS_SMALL=20 LS_BIG=200 ;;
    --full) FULL=1 ;;
    --runs) RUNS="$2"; shift ;;
    --slow-runs) SLOW_RUNS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
    esac
    shift
done
SIZES="$N $NMID"
[ "$FULL" = 1 ] && SIZES="$SIZES $NBIG"
LAST=${SIZES##* } # the largest size measured
SHAPES="one-ca mixed same-cn"

PY=/usr/bin/python3 # Debian's python: python3-cryptography and pyjks live there
GEN="$ROOT/scripts/bench/gen.py"
OUT="$ROOT/bench-out"
IN="$OUT/inputs"
RES="$OUT/results"
mkdir -p "$IN" "$RES"
export BENCH_PW=changeit # store password of every generated keystore

for tool in keytool openssl cc "$PY"; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (see the header)" >&2; exit 2; }
done
"$PY" -c 'import cryptography, jks' 2>/dev/null ||
    { echo "bench.sh: $PY lacks python3-cryptography or python3-pyjks" >&2; exit 2; }
renice -n 10 $$ >/dev/null 2>&1 || true # the machine is shared: everything below runs nice

PSECONV=${PSECONV:-$ROOT/build-bench/pseconv}
if [ "$BUILD" = 1 ]; then
    echo "== building $PSECONV (Release)"
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build-bench -j2 --target pseconv >/dev/null
    PSECONV="$ROOT/build-bench/pseconv"
fi
[ -x "$PSECONV" ] || { echo "bench.sh: no pseconv at $PSECONV" >&2; exit 2; }
FLOOR="$OUT/floor"
cc -O2 -o "$FLOOR" "$ROOT/scripts/bench/floor.c" -lcrypto

# ---- inputs (cached) -------------------------------------------------------------
gen_store() { # $1 = shape, $2 = number of certificates: bundle + JKS written by pyjks
    local shape=$1 n=$2
    [ -s "$IN/certs-$shape-$n.pem" ] || { echo "== generating $n certificates ($shape)"; "$PY" "$GEN" certs "$n" "$IN/certs-$shape-$n.pem" "$shape"; }
    [ -s "$IN/trust-$shape-$n.jks" ] || "$PY" "$GEN" jks "$IN/certs-$shape-$n.pem" "$IN/trust-$shape-$n.jks" "$BENCH_PW"
}
for shape in $SHAPES; do
    for n in $SIZES; do gen_store "$shape" "$n"; done
done
gen_store mixed "$NP12"
# verify with an RSA-2048 CA, at N only: the signature check SAP's CAs cost
[ -s "$IN/certs-rsa-ca-$N.pem" ] || { echo "== generating $N certificates (rsa-ca)"; "$PY" "$GEN" certs "$N" "$IN/certs-rsa-ca-$N.pem" rsa-ca; }
P12="$IN/keystore-$NP12.p12"
if [ ! -s "$P12" ]; then
    echo "== writing $P12 with keytool ($NP12 trusted entries + 1 key pair)"
    rm -f "$P12.tmp"
    keytool -importkeystore -noprompt -srckeystore "$IN/trust-mixed-$NP12.jks" -srcstoretype JKS \
        -srcstorepass "$BENCH_PW" -destkeystore "$P12.tmp" -deststoretype PKCS12 \
        -deststorepass "$BENCH_PW" >/dev/null 2>&1
    keytool -genkeypair -alias bench-key -keyalg EC -groupname secp256r1 -dname "CN=bench key" \
        -validity 365 -keystore "$P12.tmp" -storetype PKCS12 -storepass "$BENCH_PW" >/dev/null 2>&1
    mv "$P12.tmp" "$P12"
fi
for s in $LS_SMALL $LS_BIG; do
    # -renewed: the same systems with every certificate new (gen.py's keys are random),
    # for plan --since: every step of the old plan is a clean-up, every new one is new
    for l in landscape-$s landscape-$s-renewed; do
        [ -s "$IN/$l/landscape.ini" ] || { echo "== generating $l"; "$PY" "$GEN" landscape "$s" "$IN/$l"; }
    done
done
# keytool -importcert takes one certificate per call: a sample of single-certificate files.
SAMPLE_DIR="$IN/sample-$N-$SAMPLE"
if [ ! -s "$SAMPLE_DIR/c$SAMPLE.pem" ]; then
    mkdir -p "$SAMPLE_DIR"
    awk -v dir="$SAMPLE_DIR" -v max="$SAMPLE" '/BEGIN CERT/{n++} n>max{exit} {print > (dir "/c" n ".pem")}' "$IN/certs-mixed-$N.pem"
fi

# ---- measuring ------------------------------------------------------------------
WORK="$OUT/work"
rm -rf "$WORK"
mkdir -p "$WORK"
declare -A MED CPU RSS

# Each run goes through scripts/bench/runs.py: median wall time, MEDIAN CPU time
# (user+sys) per run from wait4(2), and the peak RSS of the runs (why not hyperfine: its
# JSON has only the mean CPU time, which one disturbed run moves; see runs.py).
RUNS_PY="$ROOT/scripts/bench/runs.py"
# record KEY: read runs.py's JSON into MED, CPU and RSS, and print one line.
record() {
    local key=$1
    read -r MED[$key] CPU[$key] RSS[$key] < <("$PY" -c 'import json,sys
r=json.load(open(sys.argv[1]))
print("%.4f %.4f %d" % (r["median"], r["cpu_median"], r["peak_rss_kib"]))' "$RES/$key.json")
    printf '  %-28s median %8.3f s  cpu %8.3f s  peak %7s KiB\n' "$key" "${MED[$key]}" "${CPU[$key]}" "${RSS[$key]}"
}

# time_script KEY SCRIPT: a shell script run once per SLOW_RUNS (median).
time_script() {
    local key=$1 script=$2
    "$PY" "$RUNS_PY" --runs "$SLOW_RUNS" --prepare "rm -f $WORK/kt-import.jks" -- bash "$script" \
        >"$RES/$key.json" || { echo "bench.sh: $script failed" >&2; exit 1; }
    record "$key"
    RSS[$key]=- # a script of many processes: no one peak to compare
}

# Measurements that are compared with each other run interleaved, run by run (A, B, C, A,
# B, C, ...): the shared machine's speed drifts (openssl speed moved by 40% between two
# runs of this script, and one command's 10k runs took 0.08 s and 0.135 s half an hour
# apart), and two commands measured one after the other measured the drift as much as
# their difference.
# queue KEY RUNS CMD...: a command run without a shell; queue_sh KEY RUNS PREPARE CMD: a
# shell command, with a prepare step before each run; run_queue: one warm-up run of each
# (the page cache holds every input; a command that fails stops the script), then the
# rounds, then the results.
QKEYS=()
declare -A QRUNS QCMD QSH QPREP QREP
queue() {
    local key=$1 runs=$2
    shift 2
    QKEYS+=("$key") QRUNS[$key]=$runs QCMD[$key]=$(printf '%q ' "$@") QSH[$key]=0 QPREP[$key]=""
    QREP[$key]=$REPEAT
}
queue_sh() { QKEYS+=("$1") QRUNS[$1]=$2 QPREP[$1]=$3 QCMD[$1]=$4 QSH[$1]=1 QREP[$1]=$REPEAT; }
REPEAT=1 # runs.py --repeat for what is queued next (the growth runs' small sizes)
run_queue() {
    local key round max=0 argv
    for key in "${QKEYS[@]}"; do
        rm -f "$RES/$key.json"
        [ "${QRUNS[$key]}" -gt "$max" ] && max=${QRUNS[$key]}
        [ -z "${QPREP[$key]}" ] || bash -c "${QPREP[$key]}" >/dev/null 2>&1 || true
        if [ "${QSH[$key]}" = 1 ]; then bash -c "${QCMD[$key]}"; else eval "${QCMD[$key]}"; fi >/dev/null 2>&1 ||
            { echo "bench.sh: $key failed; rerun it by hand to see why: ${QCMD[$key]}" >&2; exit 1; }
    done
    for ((round = 1; round <= max; round++)); do
        for key in "${QKEYS[@]}"; do
            [ "$round" -le "${QRUNS[$key]}" ] || continue
            local opts=(--runs 1 --repeat "${QREP[$key]}" --append "$RES/$key.json")
            [ -z "${QPREP[$key]}" ] || opts+=(--prepare "${QPREP[$key]}")
            if [ "${QSH[$key]}" = 1 ]; then
                "$PY" "$RUNS_PY" "${opts[@]}" --shell -- "${QCMD[$key]}"
            else
                eval "argv=(${QCMD[$key]})"
                "$PY" "$RUNS_PY" "${opts[@]}" -- "${argv[@]}"
            fi || { echo "bench.sh: $key failed; rerun it by hand to see why: ${QCMD[$key]}" >&2; exit 1; }
        done
    done
    for key in "${QKEYS[@]}"; do record "$key"; done
    QKEYS=()
}
# exit 1 is an answer, not a failure: verify when some chain does not verify (the mixed
# shape's leaves), plan and export when the plan has an error finding
RC1_OK='>/dev/null || [ $? = 1 ]'

# The growth runs: every command, every shape, every size, as many runs each (the growth
# ratio pairs them round by round), one command's sizes interleaved.  A run of a small size
# is the average of as many back-to-back runs as make it as long as one of the largest
# (runs.py --repeat: 10 x 10k beside 1 x 100k), so both sides of a ratio sit through the same
# mix of the VM's speed states.
for shape in $SHAPES; do
    echo "== $shape: $SIZES certificates, each command's sizes interleaved run by run"
    for cmd in inspect_jks inspect_pem convert_p7b convert_jks convert_p12 convert_pem verify; do
        for n in $SIZES; do
            k="$shape-$n" r=$RUNS REPEAT=$((LAST / n))
            case $cmd in
            inspect_jks) queue "$cmd-$k" "$r" "$PSECONV" inspect --password env:BENCH_PW "$IN/trust-$k.jks" ;;
            inspect_pem) queue "$cmd-$k" "$r" "$PSECONV" inspect "$IN/certs-$k.pem" ;;
            convert_*)
                queue "$cmd-$k" "$r" "$PSECONV" convert --force --out-password env:BENCH_PW \
                    "$IN/certs-$k.pem" -o "$WORK/out.${cmd#convert_}" ;;
            verify)
                queue_sh "$cmd-$k" "$r" "" "$PSECONV verify $IN/certs-$k.pem $RC1_OK" ;;
            esac
        done
        run_queue
    done
done
REPEAT=1

JKS="$IN/trust-one-ca-$N.jks"
PEM="$IN/certs-one-ca-$N.pem"
echo "== pseconv beside the others, $N certificates (each group interleaved run by run)"
# inspect of a JKS: keytool, pyjks and the limit (twice as many runs for the two short ones:
# the 0.02 s limit moved by a third between two full runs while inspect stayed put)
queue vs_inspect_jks-one-ca "$((RUNS * 2))" "$PSECONV" inspect --password env:BENCH_PW "$JKS"
queue floor_jks "$((RUNS * 2))" "$FLOOR" "$JKS"
queue pyjks_load "$RUNS" "$PY" "$GEN" pyjks-load "$JKS" "$BENCH_PW"
queue keytool_list-one-ca "$SLOW_RUNS" keytool -list -keystore "$JKS" -storepass "$BENCH_PW"
run_queue
FLOOR_IN=$("$FLOOR" "$JKS" | cut -d' ' -f2) # in-process seconds of one run
queue vs_inspect_jks-mixed "$RUNS" "$PSECONV" inspect --password env:BENCH_PW "$IN/trust-mixed-$N.jks"
queue keytool_list-mixed "$SLOW_RUNS" keytool -list -keystore "$IN/trust-mixed-$N.jks" -storepass "$BENCH_PW"
run_queue
# PEM -> P7B, PKCS#12, JKS
for fmt in p7b p12 jks; do
    queue "vs_convert_$fmt" "$RUNS" "$PSECONV" convert --force --out-password env:BENCH_PW "$PEM" -o "$WORK/out.$fmt"
done
queue openssl_p7b "$RUNS" openssl crl2pkcs7 -nocrl -certfile "$PEM" -outform DER -out "$WORK/openssl.p7b"
queue openssl_p12 "$RUNS" openssl pkcs12 -export -nokeys -in "$PEM" -passout env:BENCH_PW -out "$WORK/openssl.p12"
queue pyjks_write "$SLOW_RUNS" "$PY" "$GEN" pyjks-write "$PEM" "$WORK/pyjks.jks" "$BENCH_PW"
run_queue
{
    for i in $(seq 1 "$SAMPLE"); do
        echo "keytool -importcert -noprompt -alias c$i -file $SAMPLE_DIR/c$i.pem -keystore $WORK/kt-import.jks -storetype JKS -storepass $BENCH_PW >/dev/null 2>&1"
    done
} >"$WORK/keytool-import.sh"
time_script keytool_import_sample "$WORK/keytool-import.sh"
# Extrapolated to N calls; a lower bound, since every call rewrites a growing store.
MED[keytool_import_extrap]=$("$PY" -c "print('%.1f' % (${MED[keytool_import_sample]} / $SAMPLE * $N))")
CPU[keytool_import_extrap]=$("$PY" -c "print('%.1f' % (${CPU[keytool_import_sample]} / $SAMPLE * $N))")
# verify beside inspect of the same file, and beside the rate of its signature checks as
# `openssl speed` measures it on this machine (the same OpenSSL code verify calls), measured
# right after
queue vs_inspect_pem-one-ca "$RUNS" "$PSECONV" inspect "$PEM"
queue_sh vs_verify-one-ca "$RUNS" "" "$PSECONV verify $PEM $RC1_OK"
queue_sh vs_verify-rsa-ca "$RUNS" "" "$PSECONV verify $IN/certs-rsa-ca-$N.pem $RC1_OK"
queue vs_inspect_pem-rsa-ca "$RUNS" "$PSECONV" inspect "$IN/certs-rsa-ca-$N.pem"
run_queue
ECDSA_RATE=$(nice openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/nistp256/ {print $NF}' | tail -1)
SIG_FLOOR=$("$PY" -c "print('%.3f' % (($N - 1) / float('${ECDSA_RATE:-0}' or 'inf')))")
RSA_RATE=$(nice openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print $NF}' | tail -1)
RSA_FLOOR=$("$PY" -c "print('%.3f' % (($N - 1) / float('${RSA_RATE:-0}' or 'inf')))")

echo "== inspect of a $NP12-entry PKCS#12 (keytool-written, PBES2/AES, 10,000 iterations)"
# --no-decrypt: keys listed without their KDF, as keytool -list; the default
# inspect decrypts every key (a key bag that does not decrypt is reported)
queue inspect_p12 "$RUNS" "$PSECONV" inspect --no-decrypt --password env:BENCH_PW "$P12"
queue inspect_p12_keys "$RUNS" "$PSECONV" inspect --password env:BENCH_PW "$P12"
queue keytool_list_p12 "$SLOW_RUNS" keytool -list -keystore "$P12" -storetype PKCS12 -storepass "$BENCH_PW"
queue openssl_p12_read "$RUNS" openssl pkcs12 -in "$P12" -passin env:BENCH_PW -nokeys -out "$WORK/openssl-p12.pem"
run_queue

echo "== plan --format json, plan --since and export, landscapes of $LS_SMALL and $LS_BIG systems"
declare -A LSIZE
for s in $LS_SMALL $LS_BIG; do
    LSIZE[$s]=$(du -sb --apparent-size "$IN/landscape-$s" | cut -f1)
done
# exit 1: the generated landscapes' company CA is not one SAP's load balancer accepts
# (client-ca-not-accepted, an error finding since issue 15)
for s in $LS_SMALL $LS_BIG; do
    queue_sh "plan_$s" "$RUNS" "" "$PSECONV plan --format json $IN/landscape-$s/landscape.ini $RC1_OK"
done
run_queue
for s in $LS_SMALL $LS_BIG; do
    queue_sh "expiry_$s" "$RUNS" "" "$PSECONV expiry --format json $IN/landscape-$s/landscape.ini $RC1_OK"
done
run_queue
for s in $LS_SMALL $LS_BIG; do
    queue_sh "plan_since_$s" "$RUNS" "" \
        "$PSECONV plan --since $IN/landscape-$s/landscape.ini $IN/landscape-$s-renewed/landscape.ini $RC1_OK"
done
run_queue
# The previous run's tree is moved aside, not deleted, before each run: on ext4 without a
# journal every new inode skips the inodes deleted in the last 30 s (find_inode_bit ->
# recently_deleted), so an rm -rf of 9,000 files just before made the measured export
# quadratic in the kernel.  The moved trees are deleted after the measurement.
for s in $LS_SMALL $LS_BIG; do
    queue_sh "export_$s" "$RUNS" "[ ! -e $WORK/export-$s ] || mv $WORK/export-$s $WORK/old-export-$s.\$\$" \
        "$PSECONV export -o $WORK/export-$s $IN/landscape-$s/landscape.ini $RC1_OK"
done
run_queue
rm -rf "$WORK"/old-export-*
# The usual re-run: export --force replaces the previous run's export (its manifest.json and
# SHA256SUMS checked, the old tree parked and deleted within the run); and --archive without
# -o, which builds the archive from the files kept in memory.
for s in $LS_SMALL $LS_BIG; do
    queue_sh "export_force_$s" "$RUNS" "" \
        "$PSECONV export --force -o $WORK/force-$s $IN/landscape-$s/landscape.ini $RC1_OK"
    queue_sh "export_archive_$s" "$RUNS" "rm -f $WORK/export-$s.tar.gz" \
        "$PSECONV export --archive $WORK/export-$s.tar.gz $IN/landscape-$s/landscape.ini $RC1_OK"
done
run_queue
rm -rf "$WORK"/force-* "$WORK"/export-*.tar.gz

# ---- table ------------------------------------------------------------------------
# ratio OTHER PSECONV: "3.3x faster" or "1.4x slower" (pseconv's view)
ratio() { "$PY" -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2])
print('-' if a <= 0 or b <= 0 else '%.1fx faster' % (a/b) if a >= b else '%.1fx slower' % (b/a))" "$1" "$2"; }
# goal_faster OTHER PSECONV MIN: "12.3x faster (goal >= 4x: yes)"
goal_faster() { "$PY" -c "import sys; a,b,g=map(float,sys.argv[1:4])
r=a/b; print('%.1fx faster (goal >= %gx: %s)' % (r, g, 'yes' if r >= g else 'NO'))" "$1" "$2" "$3"; }
# goal_at_most BIG SMALL MAX: "4.9x (goal <= 6x: yes)"
goal_at_most() { "$PY" -c "import sys; a,b,g=map(float,sys.argv[1:4])
r=a/b; print('%.1fx (goal <= %gx: %s)' % (r, g, 'yes' if r <= g else 'NO'))" "$1" "$2" "$3"; }
# growth BIG_KEY SMALL_KEY MAX: "9.4x (goal <= 12x: yes)": the median over the rounds of each
# round's ratio of CPU times.  The sizes of one round run back to back, so they share the
# machine's state; the shared VM flips between states 40% apart within seconds, and a ratio of
# two medians paired a fast 10k median with a slow 100k one (13.7x where the rounds gave
# 13.7x, 6.5x and 14.1x, and 9.5x in either state alone).
growth() { "$PY" -c 'import json, statistics, sys
big, small = (json.load(open(f))["cpu_times"] for f in sys.argv[1:3])
g = float(sys.argv[3])
r = statistics.median(b / s for b, s in zip(big, small))
print("%.1fx (goal <= %gx: %s)" % (r, g, "yes" if r <= g else "NO"))' "$RES/$1.json" "$RES/$2.json" "$3"; }
secs() { "$PY" -c "print('%.3f s' % float('$1'))"; }
# tm KEY: "0.128 s (cpu 0.091 s)": wall median and CPU (user+sys) of one measurement
tm() { "$PY" -c "print('%.3f s (cpu %.3f s)' % (float('${MED[$1]}'), float('${CPU[$1]}')))"; }
mib() { "$PY" -c "print('%.1f MiB' % (float('$1') / 1024))"; }
# mem_goal RSS_KIB INPUT_BYTES: "41.0 MiB of 4 x input + 16 MiB = 60.3 MiB: yes"
mem_goal() { "$PY" -c "import sys; r,i=float(sys.argv[1]),float(sys.argv[2]); lim=(4*i+16*1048576)/1024
print('%.1f MiB (goal <= 4 x input + 16 MiB = %.1f MiB: %s)' % (r/1024, lim/1024, 'yes' if r <= lim else 'NO'))" "$1" "$2"; }
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
run_kind=$([ "$QUICK" = 1 ] && echo "quick run" || ([ "$FULL" = 1 ] && echo "full run, --full" || echo "run without --full"))

{
    echo "### Benchmark results ($run_kind, $(date -u +%Y-%m-%d))"
    echo
    echo "Machine: $(nproc) CPU ($cpu_model), $mem_total RAM, load average at the end $load;"
    echo "$(openssl version | cut -d' ' -f1-2), $(java -version 2>&1 | head -1), pseconv Release build, everything nice'd."
    echo "Wall-clock medians of $RUNS runs ($SLOW_RUNS for keytool and pyjks writing), with the median CPU time"
    echo "(user+sys) per run; peak RSS over the runs.  Whatever a ratio"
    echo "compares ran interleaved, run by run (pseconv and its peer; one command's sizes).  Every ratio and goal is"
    echo "computed on CPU time: the machine is shared, so nice'd wall time mostly measures the queue"
    echo "(keytool's CPU time includes the JVM's JIT and GC threads).  Shapes: one-ca = one root and"
    echo "N-1 leaves it signed;"
    echo "mixed = distinct issuers (60% roots, 30% intermediates, 10% leaves); same-cn = one CA,"
    echo "every leaf with the same subject."
    echo
    echo "| task ($N certificates) | tool | median | peak RSS | pseconv is |"
    echo "|---|---|---|---|---|"
    echo "| inspect JKS, one-ca | pseconv inspect | $(tm "vs_inspect_jks-one-ca") | $(mib "${RSS[vs_inspect_jks-one-ca]}") | |"
    echo "| | keytool -list | $(tm "keytool_list-one-ca") | $(mib "${RSS[keytool_list-one-ca]}") | $(goal_faster "${CPU[keytool_list-one-ca]}" "${CPU[vs_inspect_jks-one-ca]}" 40) |"
    echo "| | pyjks KeyStore.load (lazy: parses no certificate) | $(tm "pyjks_load") | $(mib "${RSS[pyjks_load]}") | $(ratio "${CPU[pyjks_load]}" "${CPU[vs_inspect_jks-one-ca]}") |"
    echo "| | limit: read + SHA-256 per certificate + SHA-1 over the file, as a process (in process: $(secs "$FLOOR_IN")) | $(tm "floor_jks") | $(mib "${RSS[floor_jks]}") | $(goal_at_most "${CPU[vs_inspect_jks-one-ca]}" "${CPU[floor_jks]}" 5) of the limit (pseconv inspect, interleaved with it: the row above) |"
    echo "| inspect JKS, mixed | pseconv inspect | $(tm "vs_inspect_jks-mixed") | $(mib "${RSS[vs_inspect_jks-mixed]}") | |"
    echo "| | keytool -list | $(tm "keytool_list-mixed") | $(mib "${RSS[keytool_list-mixed]}") | $(goal_faster "${CPU[keytool_list-mixed]}" "${CPU[vs_inspect_jks-mixed]}" 40) |"
    echo "| PEM -> P7B, one-ca | pseconv convert | $(tm "vs_convert_p7b") | $(mib "${RSS[vs_convert_p7b]}") | |"
    echo "| | openssl crl2pkcs7 | $(tm "openssl_p7b") | $(mib "${RSS[openssl_p7b]}") | $(goal_faster "${CPU[openssl_p7b]}" "${CPU[vs_convert_p7b]}" 4) |"
    echo "| PEM -> PKCS#12, one-ca | pseconv convert | $(tm "vs_convert_p12") | $(mib "${RSS[vs_convert_p12]}") | |"
    echo "| | openssl pkcs12 -export -nokeys | $(tm "openssl_p12") | $(mib "${RSS[openssl_p12]}") | $(goal_faster "${CPU[openssl_p12]}" "${CPU[vs_convert_p12]}" 2) |"
    echo "| PEM -> JKS, one-ca | pseconv convert | $(tm "vs_convert_jks") | $(mib "${RSS[vs_convert_jks]}") | |"
    echo "| | python3-cryptography + pyjks | $(tm "pyjks_write") | $(mib "${RSS[pyjks_write]}") | $(ratio "${CPU[pyjks_write]}" "${CPU[vs_convert_jks]}") |"
    echo "| | keytool -importcert, 1 call per cert: **extrapolated** from $SAMPLE calls ($(tm "keytool_import_sample")) | ~${MED[keytool_import_extrap]} s | | $(ratio "${CPU[keytool_import_extrap]}" "${CPU[vs_convert_jks]}") (lower bound) |"
    echo "| verify, one-ca | pseconv verify | $(tm "vs_verify-one-ca") | $(mib "${RSS[vs_verify-one-ca]}") | $(goal_at_most "${CPU[vs_verify-one-ca]}" "${CPU[vs_inspect_pem-one-ca]}" 3) the time of inspect of the same PEM ($(tm "vs_inspect_pem-one-ca")) |"
    echo "| | limit: $((N - 1)) ECDSA P-256 verifications at openssl speed's ${ECDSA_RATE:-?}/s, plus inspect | $(secs "$SIG_FLOOR") + inspect | | verify is $("$PY" -c "print('%.2fx' % (float('${CPU[vs_verify-one-ca]}') / (float('$SIG_FLOOR') + float('${CPU[vs_inspect_pem-one-ca]}'))))") of that limit |"
    echo "| verify, one RSA-2048 CA (rsa-ca; SAP's CAs sign with RSA) | pseconv verify | $(tm "vs_verify-rsa-ca") | $(mib "${RSS[vs_verify-rsa-ca]}") | $("$PY" -c "print('%.1fx' % (float('${CPU[vs_verify-rsa-ca]}') / float('${CPU[vs_inspect_pem-rsa-ca]}')))") the time of inspect of the same PEM ($(tm "vs_inspect_pem-rsa-ca")) |"
    echo "| | limit: $((N - 1)) RSA-2048 verifications at openssl speed's ${RSA_RATE:-?}/s, plus inspect | $(secs "$RSA_FLOOR") + inspect | | verify is $("$PY" -c "print('%.2fx' % (float('${CPU[vs_verify-rsa-ca]}') / (float('$RSA_FLOOR') + float('${CPU[vs_inspect_pem-rsa-ca]}'))))") of that limit |"
    echo "| inspect $NP12-entry PKCS#12 (keytool-made) | pseconv inspect --no-decrypt | $(tm "inspect_p12") | $(mib "${RSS[inspect_p12]}") | |"
    echo "| | pseconv inspect (decrypts the keys) | $(tm "inspect_p12_keys") | $(mib "${RSS[inspect_p12_keys]}") | |"
    echo "| | keytool -list | $(tm "keytool_list_p12") | $(mib "${RSS[keytool_list_p12]}") | $(ratio "${CPU[keytool_list_p12]}" "${CPU[inspect_p12]}") |"
    echo "| | openssl pkcs12 -nokeys | $(tm "openssl_p12_read") | $(mib "${RSS[openssl_p12_read]}") | $(ratio "${CPU[openssl_p12_read]}" "${CPU[inspect_p12]}") |"
    echo
    echo "Growth with the number of certificates (median time at each size; goal: $NMID/$N <= 6x$([ "$FULL" = 1 ] && echo ", $NBIG/$N <= 12x"));"
    echo "each growth ratio is the median over $RUNS rounds of that round's ratio of CPU times (a round runs"
    echo "the sizes back to back, so both share the machine's state, and a run of a smaller size is the average of"
    echo "as many back-to-back runs as make it as long as one at $LAST); peak memory at $LAST against 4 x input + 16 MiB:"
    echo
    echo "| shape | command | $(for n in $SIZES; do printf '%s | ' "$n"; done)$NMID/$N |$([ "$FULL" = 1 ] && echo " $NBIG/$N |") peak memory at $LAST |"
    echo "|---|---|$(for n in $SIZES; do printf -- '---|'; done)---|$([ "$FULL" = 1 ] && echo "---|")---|"
    for shape in $SHAPES; do
        for cmd in inspect_jks inspect_pem convert_p7b convert_jks convert_p12 convert_pem verify; do
            row="| $shape | ${cmd/_/ } |"
            for n in $SIZES; do row="$row $(tm "$cmd-$shape-$n") |"; done
            row="$row $(growth "$cmd-$shape-$NMID" "$cmd-$shape-$N" 6) |"
            [ "$FULL" = 1 ] && row="$row $(growth "$cmd-$shape-$NBIG" "$cmd-$shape-$N" 12) |"
            infile="$IN/certs-$shape-$LAST.pem"
            [ "$cmd" = inspect_jks ] && infile="$IN/trust-$shape-$LAST.jks"
            row="$row $(mem_goal "${RSS[$cmd-$shape-$LAST]}" "$(stat -c %s "$infile")") |"
            echo "$row"
        done
    done
    echo
    echo "| landscape | command | $LS_SMALL systems | $LS_BIG systems | growth | peak memory at $LS_BIG |"
    echo "|---|---|---|---|---|---|"
    for cmd in plan expiry plan_since export export_force export_archive; do
        mem=$(mem_goal "${RSS[${cmd}_$LS_BIG]}" "${LSIZE[$LS_BIG]}")
        case $cmd in
        plan) label="plan --format json" ;;
        expiry) label="expiry --format json (the renewal calendar)" ;;
        plan_since) label="plan --since (every certificate renewed; two landscapes, 2x the input)"
            mem="$(mib "${RSS[${cmd}_$LS_BIG]}") (two plans in memory; issue 18 sets no memory goal for --since)" ;;
        export) label="export -o DIR (a new folder)" ;;
        export_force) label="export --force -o DIR (replaces the previous export)" ;;
        export_archive) label="export --archive FILE.tar.gz (no -o)"
            mem="$(mib "${RSS[${cmd}_$LS_BIG]}") (the files in memory until archived; with -o DIR they are in the folder)" ;;
        esac
        echo "| $(( ${LSIZE[$LS_SMALL]} / 1024 )) KiB / $(( ${LSIZE[$LS_BIG]} / 1024 )) KiB input | $label | $(tm "${cmd}_$LS_SMALL") | $(tm "${cmd}_$LS_BIG") | $(growth "${cmd}_$LS_BIG" "${cmd}_$LS_SMALL" 12) | $mem |"
    done
    echo
    echo "Landscape input = landscape.ini plus every certificate file it names. export writes one"
    echo "file per step into a temporary tree, one syncfs before the rename: its time includes the"
    echo "file system's (each run's previous tree is moved aside, not deleted, before the run)."
    echo "keytool cannot import a multi-certificate PEM in one call; its PEM -> JKS time is extrapolated"
    echo "from $SAMPLE calls and labelled so."
} | tee "$OUT/results.md"
echo
echo "(table kept in bench-out/results.md; raw runs.py JSON, each run's times, in bench-out/results/)"
