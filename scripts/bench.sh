#!/usr/bin/env bash
# Benchmarks pseconv against the tools administrators use today (issue 8):
#   - inspect of an N-entry JKS trust store  vs  keytool -list, pyjks KeyStore.load
#   - N-certificate PEM bundle -> P7B         vs  openssl crl2pkcs7
#   - N-certificate PEM bundle -> JKS         vs  pyjks (cryptography + pyjks), keytool
#     -importcert one certificate per call (extrapolated from a sample, labelled so)
#   - inspect of an M-entry PKCS#12 (written by keytool)  vs  keytool -list, openssl pkcs12
#   - plan --format json of landscapes of 20 and 200 systems: time and peak memory growth
# Prints medians (hyperfine) and ratios as a Markdown table, with the machine noted, and
# keeps it in bench-out/results.md.  Generated inputs are cached in bench-out/inputs/,
# keyed by their size, so reruns only measure.
#
# usage: scripts/bench.sh [--quick] [--runs N] [--no-build]
#   --quick     smoke run: 1,000-certificate store and bundle, 200-entry PKCS#12, fewer runs
#   --runs N    runs per fast command (default 5; the slow keytool runs use 3)
#   --no-build  use $PSECONV (default build-bench/pseconv) as it is
# Needs: hyperfine, GNU time (/usr/bin/time, Debian package "time"), keytool (openjdk),
# openssl, /usr/bin/python3 with python3-cryptography and python3-pyjks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

N=10000 NP12=1000 RUNS=5 SLOW_RUNS=3 SAMPLE=20 BUILD=1 QUICK=0
LS_SMALL=20 LS_BIG=200
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) QUICK=1 N=1000 NP12=200 RUNS=3 SLOW_RUNS=1 SAMPLE=5 ;;
    --runs) RUNS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
    esac
    shift
done

PY=/usr/bin/python3 # Debian's python: python3-cryptography and pyjks live there
GEN="$ROOT/scripts/bench/gen.py"
OUT="$ROOT/bench-out"
IN="$OUT/inputs"
RES="$OUT/results"
mkdir -p "$IN" "$RES"
export BENCH_PW=changeit # store password of every generated keystore

for tool in hyperfine keytool openssl /usr/bin/time "$PY"; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (see the header)" >&2; exit 2; }
done
"$PY" -c 'import cryptography, jks' 2>/dev/null ||
    { echo "bench.sh: $PY lacks python3-cryptography or python3-pyjks" >&2; exit 2; }

PSECONV=${PSECONV:-$ROOT/build-bench/pseconv}
if [ "$BUILD" = 1 ]; then
    echo "== building $PSECONV (Release)"
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build-bench -j"$(nproc)" --target pseconv >/dev/null
    PSECONV="$ROOT/build-bench/pseconv"
fi
[ -x "$PSECONV" ] || { echo "bench.sh: no pseconv at $PSECONV" >&2; exit 2; }

# ---- inputs (cached) -------------------------------------------------------------
gen_store() { # $1 = number of certificates: bundle + JKS written by pyjks
    local n=$1
    [ -s "$IN/certs-$n.pem" ] || { echo "== generating $n certificates"; "$PY" "$GEN" certs "$n" "$IN/certs-$n.pem"; }
    [ -s "$IN/trust-$n.jks" ] || "$PY" "$GEN" jks "$IN/certs-$n.pem" "$IN/trust-$n.jks" "$BENCH_PW"
}
gen_store "$N"
gen_store "$NP12"
P12="$IN/keystore-$NP12.p12"
if [ ! -s "$P12" ]; then
    echo "== writing $P12 with keytool ($NP12 trusted entries + 1 key pair)"
    rm -f "$P12.tmp"
    keytool -importkeystore -noprompt -srckeystore "$IN/trust-$NP12.jks" -srcstoretype JKS \
        -srcstorepass "$BENCH_PW" -destkeystore "$P12.tmp" -deststoretype PKCS12 \
        -deststorepass "$BENCH_PW" >/dev/null 2>&1
    keytool -genkeypair -alias bench-key -keyalg EC -groupname secp256r1 -dname "CN=bench key" \
        -validity 365 -keystore "$P12.tmp" -storetype PKCS12 -storepass "$BENCH_PW" >/dev/null 2>&1
    mv "$P12.tmp" "$P12"
fi
for s in $LS_SMALL $LS_BIG; do
    [ -s "$IN/landscape-$s/landscape.ini" ] || { echo "== generating a landscape of $s systems"; "$PY" "$GEN" landscape "$s" "$IN/landscape-$s"; }
done
# keytool -importcert takes one certificate per call: a sample of single-certificate files.
SAMPLE_DIR="$IN/sample-$N-$SAMPLE"
if [ ! -s "$SAMPLE_DIR/c$SAMPLE.pem" ]; then
    mkdir -p "$SAMPLE_DIR"
    awk -v dir="$SAMPLE_DIR" -v max="$SAMPLE" '/BEGIN CERT/{n++} n>max{exit} {print > (dir "/c" n ".pem")}' "$IN/certs-$N.pem"
fi

# ---- measuring ------------------------------------------------------------------
WORK="$OUT/work"
rm -rf "$WORK"
mkdir -p "$WORK"
declare -A MED CPU RSS

# measure KEY RUNS CMD...: median wall time and mean CPU (user+sys) via hyperfine,
# peak RSS of one extra run via GNU time.  Commands run without a shell.
measure() {
    local key=$1 runs=$2
    shift 2
    local warm=1
    [ "$runs" -le 3 ] && warm=0
    hyperfine -N --style none --runs "$runs" --warmup "$warm" --export-json "$RES/$key.json" \
        "$(printf '%q ' "$@")" >/dev/null 2>&1 ||
        { echo "bench.sh: '$*' failed; rerun it by hand to see why" >&2; exit 1; }
    read -r MED[$key] CPU[$key] < <("$PY" -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$RES/$key.json")
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    RSS[$key]=$(tail -1 "$WORK/rss")
    printf '  %-22s median %8.3f s  cpu %8.3f s  peak %7s KiB\n' "$key" "${MED[$key]}" "${CPU[$key]}" "${RSS[$key]}"
}

# time_script KEY SCRIPT: wall time of a shell script run once per SLOW_RUNS (median).
time_script() {
    local key=$1 script=$2
    hyperfine --style none --runs "$SLOW_RUNS" --prepare "rm -f $WORK/kt-import.jks" \
        --export-json "$RES/$key.json" "bash $script" >/dev/null 2>&1 ||
        { echo "bench.sh: $script failed" >&2; exit 1; }
    read -r MED[$key] CPU[$key] < <("$PY" -c 'import json,sys
r=json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$RES/$key.json")
    RSS[$key]=-
    printf '  %-22s median %8.3f s  (%s calls)\n' "$key" "${MED[$key]}" "$SAMPLE"
}

JKS="$IN/trust-$N.jks"
PEM="$IN/certs-$N.pem"
echo "== inspect of a $N-entry JKS"
measure inspect_jks "$RUNS" "$PSECONV" inspect --password env:BENCH_PW "$JKS"
measure inspect_jks_json "$RUNS" "$PSECONV" inspect --json --password env:BENCH_PW "$JKS"
measure keytool_list "$SLOW_RUNS" keytool -list -keystore "$JKS" -storepass "$BENCH_PW"
measure pyjks_load "$RUNS" "$PY" "$GEN" pyjks-load "$JKS" "$BENCH_PW"

echo "== $N-certificate PEM bundle -> P7B, -> JKS"
measure convert_p7b "$RUNS" "$PSECONV" convert --force "$PEM" -o "$WORK/out.p7b"
measure openssl_p7b "$RUNS" openssl crl2pkcs7 -nocrl -certfile "$PEM" -outform DER -out "$WORK/openssl.p7b"
measure convert_jks "$RUNS" "$PSECONV" convert --force --out-password env:BENCH_PW "$PEM" -o "$WORK/out.jks"
measure pyjks_write "$SLOW_RUNS" "$PY" "$GEN" pyjks-write "$PEM" "$WORK/pyjks.jks" "$BENCH_PW"
{
    for i in $(seq 1 "$SAMPLE"); do
        echo "keytool -importcert -noprompt -alias c$i -file $SAMPLE_DIR/c$i.pem -keystore $WORK/kt-import.jks -storetype JKS -storepass $BENCH_PW >/dev/null 2>&1"
    done
} >"$WORK/keytool-import.sh"
time_script keytool_import_sample "$WORK/keytool-import.sh"
# Extrapolated to N calls; a lower bound, since every call rewrites a growing store.
MED[keytool_import_extrap]=$("$PY" -c "print('%.1f' % (${MED[keytool_import_sample]} / $SAMPLE * $N))")

echo "== inspect of a $NP12-entry PKCS#12 (keytool-written, PBES2/AES, 10,000 iterations)"
measure inspect_p12 "$RUNS" "$PSECONV" inspect --password env:BENCH_PW "$P12"
measure keytool_list_p12 "$SLOW_RUNS" keytool -list -keystore "$P12" -storetype PKCS12 -storepass "$BENCH_PW"
measure openssl_p12 "$RUNS" openssl pkcs12 -in "$P12" -passin env:BENCH_PW -nokeys -out "$WORK/openssl-p12.pem"

echo "== plan --format json, landscapes of $LS_SMALL and $LS_BIG systems"
declare -A LSIZE
for s in $LS_SMALL $LS_BIG; do
    measure "plan_$s" "$RUNS" "$PSECONV" plan --format json "$IN/landscape-$s/landscape.ini"
    LSIZE[$s]=$(du -sb --apparent-size "$IN/landscape-$s" | cut -f1)
done

# ---- table ------------------------------------------------------------------------
# ratio OTHER PSECONV: "3.3x faster" or "1.4x slower" (pseconv's view)
ratio() { "$PY" -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2])
print('-' if a <= 0 or b <= 0 else '%.1fx faster' % (a/b) if a >= b else '%.1fx slower' % (b/a))" "$1" "$2"; }
# growth BIG SMALL: plain factor
growth() { "$PY" -c "import sys; print('%.1fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
secs() { "$PY" -c "print('%.3f s' % float('$1'))"; }
mib() { "$PY" -c "print('%.1f MiB' % (float('$1') / 1024))"; }
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
t_small=${MED[plan_$LS_SMALL]} t_big=${MED[plan_$LS_BIG]}
mem_limit_kib=$("$PY" -c "print(int((4 * ${LSIZE[$LS_BIG]} + 16 * 1048576) / 1024))")
mem_ok=$([ "${RSS[plan_$LS_BIG]}" -le "$mem_limit_kib" ] && echo "yes" || echo "NO")
time_ok=$("$PY" -c "print('yes' if $t_big / $t_small <= 12 else 'NO')")

{
    echo "### Benchmark results ($( [ "$QUICK" = 1 ] && echo "quick run" || echo "full run"), $(date -u +%Y-%m-%d))"
    echo
    echo "Machine: $(nproc) CPU ($cpu_model), $mem_total RAM, load average at the end $load;"
    echo "$(openssl version | cut -d' ' -f1-2), $(java -version 2>&1 | head -1), pseconv Release build."
    echo "Wall-clock medians of $RUNS runs ($SLOW_RUNS for keytool and pyjks writing); peak RSS of one run."
    echo
    echo "| task | tool | median | peak RSS | pseconv is |"
    echo "|---|---|---|---|---|"
    echo "| inspect $N-entry JKS | pseconv inspect | $(secs "${MED[inspect_jks]}") | $(mib "${RSS[inspect_jks]}") | |"
    echo "| | pseconv inspect --json | $(secs "${MED[inspect_jks_json]}") | $(mib "${RSS[inspect_jks_json]}") | |"
    echo "| | keytool -list | $(secs "${MED[keytool_list]}") | $(mib "${RSS[keytool_list]}") | $(ratio "${MED[keytool_list]}" "${MED[inspect_jks]}") (target 30x faster) |"
    echo "| | pyjks KeyStore.load (lazy: parses no certificate) | $(secs "${MED[pyjks_load]}") | $(mib "${RSS[pyjks_load]}") | $(ratio "${MED[pyjks_load]}" "${MED[inspect_jks]}") |"
    echo "| $N-cert PEM -> P7B | pseconv convert | $(secs "${MED[convert_p7b]}") | $(mib "${RSS[convert_p7b]}") | |"
    echo "| | openssl crl2pkcs7 | $(secs "${MED[openssl_p7b]}") | $(mib "${RSS[openssl_p7b]}") | $(ratio "${MED[openssl_p7b]}" "${MED[convert_p7b]}") (target 2x faster) |"
    echo "| $N-cert PEM -> JKS | pseconv convert | $(secs "${MED[convert_jks]}") | $(mib "${RSS[convert_jks]}") | |"
    echo "| | python3-cryptography + pyjks | $(secs "${MED[pyjks_write]}") | $(mib "${RSS[pyjks_write]}") | $(ratio "${MED[pyjks_write]}" "${MED[convert_jks]}") |"
    echo "| | keytool -importcert, 1 call per cert: **extrapolated** from $SAMPLE calls ($(secs "${MED[keytool_import_sample]}")) | ~${MED[keytool_import_extrap]} s | | $(ratio "${MED[keytool_import_extrap]}" "${MED[convert_jks]}") (lower bound) |"
    echo "| inspect $NP12-entry PKCS#12 (keytool-made) | pseconv inspect | $(secs "${MED[inspect_p12]}") | $(mib "${RSS[inspect_p12]}") | |"
    echo "| | keytool -list | $(secs "${MED[keytool_list_p12]}") | $(mib "${RSS[keytool_list_p12]}") | $(ratio "${MED[keytool_list_p12]}" "${MED[inspect_p12]}") |"
    echo "| | openssl pkcs12 -nokeys | $(secs "${MED[openssl_p12]}") | $(mib "${RSS[openssl_p12]}") | $(ratio "${MED[openssl_p12]}" "${MED[inspect_p12]}") |"
    echo "| plan, $LS_SMALL systems ($(( ${LSIZE[$LS_SMALL]} / 1024 )) KiB input) | pseconv plan --format json | $(secs "$t_small") | $(mib "${RSS[plan_$LS_SMALL]}") | |"
    echo "| plan, $LS_BIG systems ($(( ${LSIZE[$LS_BIG]} / 1024 )) KiB input) | pseconv plan --format json | $(secs "$t_big") | $(mib "${RSS[plan_$LS_BIG]}") | |"
    echo
    echo "Plan growth for 10x the systems: time $(growth "$t_big" "$t_small") (target at most 12x: $time_ok);"
    echo "peak memory $(mib "${RSS[plan_$LS_BIG]}") against 4 x input + 16 MiB = $(mib "$mem_limit_kib") ($mem_ok)."
    echo "Input = landscape.ini plus every certificate file it names, each counted once."
} | tee "$OUT/results.md"
echo
echo "(table kept in bench-out/results.md; raw hyperfine JSON in bench-out/results/)"
