#!/usr/bin/env bash
# Build and run the libFuzzer harnesses (tests/fuzz/, issue 7).
#
#   scripts/fuzz.sh [--time SECONDS] [--reach EXECS] [--ci] [--no-build] [HARNESS...]
#   scripts/fuzz.sh --totals
#
# HARNESS: pem der p7b p12 jks jceks pse pselist landscape x509diff (default: all).
# Each harness runs SECONDS (default 300) on its own corpus in fuzz-corpus/NAME
# (git-ignored, kept between runs: it grows), seeded from fixtures/,
# fixtures/third-party and tests/fuzz/regressions/NAME.  A crashing input is saved
# as fuzz-corpus/crashes/NAME/crash-*; keep it as tests/fuzz/regressions/NAME/
# after fixing the bug.  Totals per harness accumulate in fuzz-corpus/stats.tsv.
#
# --reach EXECS: run each harness until its executions summed over
# fuzz-corpus/stats.tsv reach EXECS (libFuzzer -runs; --time, default then
# a day, still bounds the run); a harness already there is skipped.
# --ci: every regression input is replayed first, then each harness runs 20 s
# (PSECONV_FUZZ_SECONDS overrides) on a fresh corpus.  Exit status: 0 when no
# harness crashed, 1 otherwise (the log tail is printed).  --no-build: use
# the harnesses as built (for several fuzz.sh runs side by side).  A run
# stopped with SIGINT counts its executions (result "stopped").  --totals:
# print per harness the runs, seconds and executions summed over
# fuzz-corpus/stats.tsv, the last run's cov/ft/corpus and the crash count.
#
# Needs clang with libFuzzer (Debian: clang-14 + libclang-rt-14-dev).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus_src=${PSECONV_CORPUS:-$root/fixtures/third-party}
build=${PSECONV_FUZZ_BUILD:-$root/build-fuzz}
work=$root/fuzz-corpus
seconds=300
ci=0
reach=0
timed=0
build_first=1
all=(pem der p7b p12 jks jceks pse pselist landscape x509diff)
harnesses=()

# Per harness over fuzz-corpus/stats.tsv: runs, seconds and executions summed,
# the last run's cov/ft/corpus, the crash count.  --totals prints it and
# --reach reads its executions column, so both count the same rows.
totals() {
    [ -f "$work/stats.tsv" ] || { echo "fuzz.sh: no $work/stats.tsv yet" >&2; return 1; }
    awk -F'\t' 'NR > 1 && $8 != "" {
            if (!($2 in runs)) order[++n] = $2
            runs[$2]++; secs[$2] += $3; ex[$2] += $4; cov[$2] = $5; ft[$2] = $6
            corp[$2] = $7; if ($8 == "CRASH") crash[$2]++ }
        END { printf "%-10s %5s %8s %12s %6s %6s %7s %7s\n", "harness", "runs", "seconds",
                  "executions", "cov", "ft", "corpus", "crashes"
              for (i = 1; i <= n; i++) { h = order[i]
                  printf "%-10s %5d %8d %12d %6s %6s %7s %7d\n", h, runs[h], secs[h], ex[h],
                      cov[h], ft[h], corp[h], crash[h] } }' "$work/stats.tsv"
}
while [ $# -gt 0 ]; do
    case "$1" in
    --time) seconds=$2; timed=1; shift 2 ;;
    --reach) reach=$2; shift 2 ;;
    --ci) ci=1; seconds=${PSECONV_FUZZ_SECONDS:-20}; shift ;;
    --no-build) build_first=0; shift ;;
    --totals) totals; exit 0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) harnesses+=("$1"); shift ;;
    esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")
[ "$reach" -eq 0 ] || [ $timed -eq 1 ] || seconds=86400

cc=${CC:-clang}
if ! command -v "$cc" >/dev/null; then
    echo "fuzz.sh: $cc not found; install clang and libclang-rt-dev (or set CC)" >&2
    exit 2
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=$cc cmake -S "$root" -B "$build" -DPSECONV_FUZZ=ON -DPSECONV_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
[[ " ${harnesses[*]} " != *" pse "* ]] || targets+=(make_pse_seeds) # low-iteration PSE seeds
if [ $build_first -eq 1 ]; then
    cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
    # The tool only makes extra seeds (pselist, keystores): optional.
    cmake --build "$build" -j2 --target pseconv >/dev/null 2>&1 ||
        echo "fuzz.sh: warning: build-fuzz/pseconv did not build; fewer seeds" >&2
fi
bin=$build/tests/fuzz

# Seed files per harness (globs; missing ones are skipped).
seed_globs() {
    local f=$root/fixtures c=$corpus_src
    case "$1" in
    pem) echo "$f/pki/*.pem $f/pki/*.crt $f/pki/*.key $f/pki/sclient-output.txt $c/certigo/*.crt $c/certigo/*.key $c/certigo/*.csr" ;;
    der) echo "$f/pki/*.der $c/pysap-pse/*_cert.der" ;;
    p7b) echo "$f/pki/*.p7b $c/certigo/*.p7b" ;;
    p12) echo "$f/pki/*.p12 $c/certigo/*.p12" ;;
    jks) echo "$c/pyjks/jks/*.jks" ;;
    jceks) echo "$c/pyjks/jceks/*.jceks $c/certigo/*.jceks" ;;
    pse) echo "$c/pysap-pse/*.pse" ;;
    pselist) echo "" ;;
    landscape) echo "$f/landscape/*.ini" ;;
    x509diff) echo "$f/pki/*.der $c/pysap-pse/*_cert.der" ;;
    esac
}

# Extra seeds made at run time with the openssl CLI and our own writers
# (small, deterministic enough; failures here only mean fewer seeds).
make_seeds() {
    local h=$1 dir=$2 p=$build/pseconv pki=$root/fixtures/pki
    [ -x "$p" ] || p=false
    local -x PSECONV_FUZZ_PW
    case "$h" in
    der)
        for c in erp-client corp-root p384-leaf lb-server sha1 rsa1024; do
            openssl x509 -in "$pki/$c.crt" -outform DER -out "$dir/seed-$c.der" 2>/dev/null || true
        done
        openssl pkey -in "$pki/erp-client.key" -outform DER -out "$dir/seed-key-ec.der" 2>/dev/null || true
        ;;
    pselist)
        PSECONV_FUZZ_PW=1234567980
        "$p" convert --force "$pki/hci-worker-node.pem" -o "$dir/seed-chain.pselist" 2>/dev/null || true
        "$p" convert --force "$pki/erp-client-keychain.pem" -o "$dir/seed-own.pselist" 2>/dev/null || true
        "$p" convert --force --password env:PSECONV_FUZZ_PW "$corpus_src/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse" \
            -o "$dir/seed-pse.pselist" 2>/dev/null || true
        ;;
    p12)
        # The harness caps PKCS#12 iterations at 128 (fuzz_read.h): seeds at 64
        # reach the MAC, the bag decryption and the key paths cheaply.
        local pw=pass:fixture-pass ca=$pki/corp-chain.pem
        openssl pkcs12 -export -iter 64 -in "$pki/erp-client.crt" -inkey "$pki/erp-client.key" \
            -certfile "$ca" -name erp-client -passout $pw -out "$dir/seed-low-aes.p12" 2>/dev/null || true
        openssl pkcs12 -export -legacy -iter 64 -in "$pki/erp-rsa.crt" -inkey "$pki/erp-rsa.key" \
            -certfile "$ca" -passout $pw -out "$dir/seed-low-legacy.p12" 2>/dev/null || true
        openssl pkcs12 -export -iter 64 -keypbe NONE -certpbe NONE -macalg sha1 -in "$pki/p384-leaf.crt" \
            -inkey "$pki/p384-leaf.key" -passout $pw -out "$dir/seed-low-plainbags.p12" 2>/dev/null || true
        openssl pkcs12 -export -iter 64 -nomac -in "$pki/erp-client.crt" -inkey "$pki/erp-client.key" \
            -passout $pw -out "$dir/seed-low-nomac.p12" 2>/dev/null || true
        openssl pkcs12 -export -iter 64 -nokeys -in "$pki/corp-chain.pem" \
            -passout $pw -out "$dir/seed-low-trust.p12" 2>/dev/null || true
        ;;
    pse)
        [ -x "$build/tests/fuzz/make_pse_seeds" ] &&
            "$build/tests/fuzz/make_pse_seeds" "$corpus_src/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse" \
                "$pki" "$dir" 128 >/dev/null 2>&1 || true
        ;;
    x509diff)
        # DER of every fixture certificate, and certgen.py's unusual ones
        # (names, string types, key types, times, AKI/SKI, BER outer encodings).
        local crt
        for crt in "$pki"/*.crt "$corpus_src"/certigo/*.crt; do
            [ -f "$crt" ] && openssl x509 -in "$crt" -outform DER \
                -out "$dir/seed-$(basename "$(dirname "$crt")")-$(basename "$crt" .crt).der" 2>/dev/null || true
        done
        /usr/bin/python3 "$root/tests/e2e/certgen.py" corpus "$dir" >/dev/null 2>&1 ||
            echo "fuzz.sh: warning: tests/e2e/certgen.py failed; fewer x509diff seeds" >&2
        ;;
    jks|jceks)
        PSECONV_FUZZ_PW=12345678
        "$p" convert --force --to "$h" --out-password env:PSECONV_FUZZ_PW "$pki/erp-client-keychain.pem" \
            -o "$dir/seed-keychain.$h" 2>/dev/null || true
        "$p" convert --force --to "$h" --out-password env:PSECONV_FUZZ_PW "$pki/p384-chain.pem" \
            -o "$dir/seed-trust.$h" 2>/dev/null || true
        ;;
    esac
}

mkdir -p "$work" "$work/crashes" "$work/logs"
[ -f "$work/stats.tsv" ] || printf 'date\tharness\tseconds\texecutions\tcov\tft\tcorpus\tresult\n' >"$work/stats.tsv"
failed=0

# Regressions first: every kept crashing input must now run clean.
for h in "${harnesses[@]}"; do
    regs=("$root/tests/fuzz/regressions/$h"/*)
    [ -e "${regs[0]}" ] || continue
    if ! "$bin/fuzz_$h" -runs=1 "${regs[@]}" >"$work/logs/$h-regressions.log" 2>&1; then
        echo "fuzz.sh: $h: a regression input crashes again:" >&2
        tail -30 "$work/logs/$h-regressions.log" >&2
        failed=1
    fi
done

for h in "${harnesses[@]}"; do
    runs=()
    if [ "$reach" -gt 0 ]; then
        done_execs=$(totals | awk -v h="$h" '$1 == h { n = $4 } END { printf "%d", n }')
        if [ "$done_execs" -ge "$reach" ]; then
            echo "fuzz $h: $done_execs executions already, not below $reach; skipped"
            continue
        fi
        runs=(-runs=$((reach - done_execs)))
    fi
    dir=$work/$h
    [ $ci -eq 0 ] || dir=$(mktemp -d "$work/ci-$h.XXXXXX")
    mkdir -p "$dir" "$work/crashes/$h"
    for g in $(seed_globs "$h"); do
        [ -f "$g" ] && cp -n "$g" "$dir/seed-$(basename "$(dirname "$g")")-$(basename "$g")"
    done
    for r in "$root/tests/fuzz/regressions/$h"/*; do
        [ -f "$r" ] && cp -n "$r" "$dir/"
    done
    make_seeds "$h" "$dir"
    dict=()
    [ -f "$root/tests/fuzz/$h.dict" ] && dict=(-dict="$root/tests/fuzz/$h.dict")
    log=$work/logs/$h.$$.log # own name while running: two runs of one harness may share a corpus
    started=$SECONDS
    set +e
    "$bin/fuzz_$h" "$dir" "${dict[@]}" "${runs[@]}" -max_total_time="$seconds" -print_final_stats=1 \
        -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=128 -max_len=65536 \
        -artifact_prefix="$work/crashes/$h/" >"$log" 2>&1
    rc=$?
    set -e
    took=$((SECONDS - started))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '#[0-9]+.*cov: ' "$log" | tail -1 || true)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
    files=$(find "$dir" -type f | wc -l)
    result=ok
    # SIGINT (kill -INT, Ctrl-C): libFuzzer prints its stats and exits 72.
    if [ $rc -eq 72 ] && grep -q 'libFuzzer: run interrupted' "$log"; then
        result=stopped
        rc=0
    fi
    if [ $rc -ne 0 ]; then
        result=CRASH
        failed=1
        echo "fuzz.sh: $h: crashed (exit $rc); input saved in $work/crashes/$h/; log $work/logs/$h.log:" >&2
        { grep -E 'ERROR|SUMMARY|runtime error|fuzz_|Test unit written' "$log" || tail -5 "$log"; } |
            head -20 >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$took" "${execs:-0}" \
        "${cov:-?}" "${ft:-?}" "$files" "$result" >>"$work/stats.tsv"
    printf 'fuzz %-10s %6ss  execs %-10s cov %-6s ft %-6s corpus %-5s %s\n' "$h" "$took" \
        "${execs:-0}" "${cov:-?}" "${ft:-?}" "$files" "$result"
    mv -f "$log" "$work/logs/$h.log"
    [ $ci -eq 0 ] || rm -rf "$dir"
done
exit $failed
