# Mutation tests (issue 7): damaged copies of valid files in every format end
# in exit 0, 1 or 3 with exactly one "pseconv:" error line (warnings allowed),
# never a signal, a sanitizer report or a hang.  Also: limits (iteration cap,
# absurd counts, deep and circular chains) terminate with a clear message,
# and every kept fuzzer finding (tests/fuzz/regressions/) reads cleanly.
#
# Mutations are deterministic (fixed seeds), made by /usr/bin/python3:
# truncation at several offsets, bit flips, ASN.1 / JKS length and count
# fields set to absurd values, trailing garbage.
source "$(dirname "$0")/lib.sh"
# A mutated KDF iteration count must not make one case take seconds.
export PSECONV_MAX_ITERATIONS=200000
# In a sanitizer build, any allocation above 64 MB is a failure: no input
# here (all < 10 KB) justifies one, whatever its length fields say.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}max_allocation_size_mb=64:allocator_may_return_null=0"

# ---- inputs: FORMAT PASSWORD FILE (pselist made at run time) ----
mkdir -p "$T/in"
PSC_PW=1234567980 "$PSECONV" convert --password env:PSC_PW \
  "$CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse" -o "$T/in/pse.pselist" 2>/dev/null
"$PSECONV" convert "$FX/hci-worker-node.pem" -o "$T/in/chain.pselist" 2>/dev/null
cat "$FX/erp-rsa.crt" "$FX/erp-rsa-enc.key" >"$T/in/rsa-enc-pair.pem"
cat >"$T/inputs" <<LIST
pem fixture-pass $FX/erp-client-keychain.pem
pem fixture-pass $T/in/rsa-enc-pair.pem
der - $FX/erp-client.der
p7b - $FX/hci-client-chain.p7b
p7b - $CORPUS/certigo/example-leaf.p7b
p12 fixture-pass $FX/erp-client.p12
p12 password $CORPUS/certigo/example-leaf.p12
jks 12345678 $CORPUS/pyjks/jks/RSA1024.jks
jks 12345678 $CORPUS/pyjks/jks/3certs.jks
jceks 12345678 $CORPUS/pyjks/jceks/RSA1024.jceks
jceks 12345678 $CORPUS/pyjks/jceks/AES128.jceks
pse 1234567980 $CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse
pse 1234567980 $CORPUS/pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse
pselist - $T/in/pse.pselist
pselist - $T/in/chain.pselist
LIST

# Every input must read before it is mutated (else the test proves nothing).
while read -r fmt pw file; do
  PSC_PW=$pw run "$PSECONV" inspect --from "$fmt" --password env:PSC_PW "$file"
  expect_rc 0 "original $(basename "$file") reads as $fmt"
done <"$T/inputs"

# ---- make the mutations: $T/m/<fmt>/<n>-<kind>-<input>, one manifest line each ----
mkdir -p "$T/m"
$SYSPY - "$T/inputs" "$T/m" >"$T/manifest" <<'PY'
import base64, os, random, re, struct, sys

inputs, outdir = sys.argv[1], sys.argv[2]

def der_lengths(b, start=0, end=None, depth=0, out=None):
    """Offsets of the length octets of every DER/BER TLV (constructed ones
    recursively), as (offset, number of octets, value)."""
    out = [] if out is None else out
    end = len(b) if end is None else end
    i = start
    while i + 2 <= end and depth < 12 and len(out) < 400:
        tag = b[i]
        if tag & 0x1f == 0x1f:
            return out
        l0 = b[i + 1]
        if l0 < 0x80:
            n, ln = 1, l0
        elif l0 == 0x80 or l0 > 0x84:
            return out
        else:
            k = l0 & 0x7f
            if i + 2 + k > end:
                return out
            n, ln = 1 + k, int.from_bytes(b[i + 2:i + 2 + k], "big")
        out.append((i + 1, n, ln))
        body = i + 1 + n
        if body + ln > end:
            return out
        if tag & 0x20 or (tag == 0x04 and ln > 2 and b[body] == 0x30):
            der_lengths(b, body, body + ln, depth + 1, out)
        i = body + ln
    return out

def jks_fields(b):
    """Offsets of the 4-byte counts/lengths of a JKS/JCEKS file (and 2-byte
    UTF lengths) as (offset, size)."""
    f = [(8, 4)]
    try:
        count = struct.unpack(">I", b[8:12])[0]
        i = 12
        def utf(i):
            f.append((i, 2))
            return i + 2 + struct.unpack(">H", b[i:i + 2])[0]
        def cert(i):
            i = utf(i)
            f.append((i, 4))
            return i + 4 + struct.unpack(">I", b[i:i + 4])[0]
        for _ in range(min(count, 20)):
            tag = struct.unpack(">I", b[i:i + 4])[0]
            i = utf(i + 4) + 8
            if tag == 1:
                f.append((i, 4))
                i += 4 + struct.unpack(">I", b[i:i + 4])[0]
                f.append((i, 4))
                n = struct.unpack(">I", b[i:i + 4])[0]
                i += 4
                for _ in range(min(n, 10)):
                    i = cert(i)
            elif tag == 2:
                i = cert(i)
            else:
                break
    except struct.error:
        pass
    return [x for x in f if x[0] + x[1] <= len(b)]

def pem_with_der_mutated(b, mutate):
    """Re-armour the first PEM block after mutating its DER."""
    m = re.search(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END", b, re.S)
    if not m:
        return None
    try:
        der = bytearray(base64.b64decode(m.group(2)))
    except Exception:
        return None
    der = mutate(der)
    if der is None:
        return None
    body = base64.encodebytes(bytes(der))
    return b[:m.start(2)] + body + b[m.end(2):]

def length_mutations(b, fmt):
    """Absurd length/count fields: (kind, bytes)."""
    res = []
    if fmt in ("jks", "jceks"):
        for off, size in jks_fields(b)[:5]:
            for v in ((0x7fffffff, 0xffffffff) if size == 4 else (0xffff,)):
                m = bytearray(b)
                m[off:off + size] = v.to_bytes(size, "big")
                res.append(("len%d@%d" % (size * 8, off), bytes(m)))
        return res
    def der_muts(der):
        out = []
        lens = der_lengths(der)
        rnd = random.Random(len(der))
        picks = lens[:2] + (rnd.sample(lens[2:], min(2, len(lens) - 2)) if len(lens) > 2 else [])
        for off, n, val in picks:
            for kind in ("max", "long"):
                m = bytearray(der)
                if kind == "max":          # same width, all ones
                    if n == 1:
                        m[off] = 0x7f
                    else:
                        m[off + 1:off + n] = b"\xff" * (n - 1)
                else:                      # 4-byte long form 0x7fffffff
                    m[off:off + n] = b"\x84\x7f\xff\xff\xff"
                out.append(("asn1-%s@%d" % (kind, off), bytes(m)))
        return out
    if fmt in ("pem", "pselist"):
        m0 = re.search(rb"-----BEGIN [A-Z0-9 ]+-----\r?\n(.*?)-----END", b, re.S)
        if m0:
            der = base64.b64decode(m0.group(1))
            for kind, mder in der_muts(bytearray(der)):
                r = pem_with_der_mutated(b, lambda d, mder=mder: bytearray(mder))
                if r is not None:
                    res.append((kind, r))
        return res
    return der_muts(bytearray(b))

n = 0
for line in open(inputs):
    fmt, pw, path = line.split()
    data = open(path, "rb").read()
    name = os.path.basename(path)
    rnd = random.Random(name)
    d = os.path.join(outdir, fmt)
    os.makedirs(d, exist_ok=True)
    cases = []
    L = len(data)
    cuts = sorted({0, 1, 2, 4, 8, 16, 32, 64, L // 4, L // 2, (3 * L) // 4, L - 2, L - 1}
                  | {rnd.randrange(1, L)})
    for c in cuts:
        if 0 <= c < L:
            cases.append(("cut%d" % c, data[:c]))
    for _ in range(8):
        pos = rnd.randrange(L)
        bit = rnd.randrange(8)
        m = bytearray(data)
        m[pos] ^= 1 << bit
        cases.append(("flip%d.%d" % (pos, bit), bytes(m)))
    for _ in range(2):
        m = bytearray(data)
        for _ in range(16):
            m[rnd.randrange(L)] ^= 1 << rnd.randrange(8)
        cases.append(("flip16x%d" % _, bytes(m)))
    cases += length_mutations(data, fmt)
    cases.append(("tail-nul", data + b"\0"))
    cases.append(("tail-rand", data + bytes(rnd.randrange(256) for _ in range(64))))
    cases.append(("tail-4k", data + bytes(rnd.randrange(256) for _ in range(4096))))
    cases.append(("tail-copy", data + data))
    cases.append(("tail-pem", data + b"-----BEGIN CERTIFICATE-----\nMIIB\n"))
    for kind, blob in cases:
        n += 1
        out = os.path.join(d, "%04d-%s-%s" % (n, kind, name))
        with open(out, "wb") as f:
            f.write(blob)
        print(fmt, pw, out)
PY
total=$(wc -l <"$T/manifest")
[ "$total" -gt 300 ] && ok "$total mutated inputs made" || bad "mutations made" "only $total"

# ---- run them: one result line per format ----
# check_case FMT PW FILE: prints nothing when the outcome is acceptable, else why.
check_case() {
  local rc errs nerr others
  PSC_PW=$2 timeout -s KILL 10 "$PSECONV" inspect --from "$1" --password env:PSC_PW "$3" \
    >/dev/null 2>"$T/.err" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 3 ]; then
    echo "exit $rc: $(head -c 300 "$T/.err" | tr '\n' '|')"
    return
  fi
  # Every stderr line is ours; a sanitizer report or stray print is not.
  others=$(grep -vc '^pseconv: ' "$T/.err")
  nerr=$(grep '^pseconv: ' "$T/.err" | grep -vc '^pseconv: warning: ')
  if [ "$others" -ne 0 ]; then
    echo "exit $rc, foreign stderr: $(head -c 300 "$T/.err" | tr '\n' '|')"
  elif [ "$rc" -ne 0 ] && [ "$nerr" -ne 1 ]; then
    echo "exit $rc with $nerr error lines: $(head -c 300 "$T/.err" | tr '\n' '|')"
  elif [ "$rc" -eq 3 ] && ! grep -v '^pseconv: warning: ' "$T/.err" | grep -qF "$(basename "$3")"; then
    echo "exit 3, error does not name the file: $(head -c 300 "$T/.err")"
  fi
}
start=$SECONDS
for fmt in pem der p7b p12 jks jceks pse pselist; do
  n=0; nbad=0; failures=""
  while read -r f pw file; do
    [ "$f" = "$fmt" ] || continue
    n=$((n + 1))
    why=$(check_case "$f" "$pw" "$file")
    if [ -n "$why" ]; then
      nbad=$((nbad + 1))
      [ "$nbad" -le 5 ] && failures="$failures
       $(basename "$file"): $why"
    fi
  done <"$T/manifest"
  if [ "$n" -gt 0 ] && [ "$nbad" -eq 0 ]; then
    ok "$fmt: $n mutations end in exit 0/1/3 with one pseconv: line"
  else
    bad "$fmt: $nbad of $n mutations misbehave" "$failures"
  fi
done
echo "# mutations ran in $((SECONDS - start)) s"

# ---- limits ----
# Iteration cap: a PKCS#12 whose KDF asks for more than PSECONV_MAX_ITERATIONS
# is refused with a message naming the file and the limit; under it, it reads.
openssl pkcs12 -export -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" -iter 5000 \
  -maciter -passout pass:fixture-pass -out "$T/iter5000.p12" 2>/dev/null
PSC_PW=fixture-pass PSECONV_MAX_ITERATIONS=4096 run "$PSECONV" inspect --password env:PSC_PW "$T/iter5000.p12"
expect_rc 3 "p12 with 5000 iterations, cap 4096: refused"
expect_one_error_line "iteration cap: one pseconv: line"
expect_contains "$ERR" "iter5000.p12" "iteration cap: names the file"
expect_contains "$ERR" "limit of 4096" "iteration cap: says the limit"
PSC_PW=fixture-pass PSECONV_MAX_ITERATIONS=5000 run "$PSECONV" inspect --password env:PSC_PW "$T/iter5000.p12"
expect_rc 0 "p12 with 5000 iterations, cap 5000: reads"
PSC_PW=fixture-pass PSECONV_MAX_ITERATIONS=lots run "$PSECONV" inspect --password env:PSC_PW "$T/iter5000.p12"
expect_rc 2 "PSECONV_MAX_ITERATIONS=lots: usage error"
expect_contains "$ERR" "PSECONV_MAX_ITERATIONS=lots is not a number" "bad cap: says what is wrong"

# A JKS claiming 2^31-1 entries in a 2 KB file: refused at once, no huge allocation.
$SYSPY - "$CORPUS/pyjks/jks/3certs.jks" "$T/count.jks" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[8:12] = b"\x7f\xff\xff\xff"
open(sys.argv[2], "wb").write(b)
PY
PSC_PW=12345678 run timeout -s KILL 10 "$PSECONV" inspect --password env:PSC_PW "$T/count.jks"
expect_rc 3 "jks with 2147483647 entries: refused"
expect_one_error_line "absurd count: one pseconv: line"

# Circular chain: A issued by B, B issued by A (both CAs), a leaf under A.
# Deep chain: a root and 24 intermediates (more than any path we build).
mkdir -p "$T/ch" && cd "$T/ch" || exit 1
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n' >ca.ext
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
selfsign() { openssl req -new -x509 -key "$1.key" -subj "/CN=$2" -days 3650 -addext basicConstraints=critical,CA:TRUE -out "$1.crt" 2>/dev/null; }
issue() {  # issue NAME CN CA [ext]
  openssl req -new -key "$1.key" -subj "/CN=$2" 2>/dev/null |
    openssl x509 -req -CA "$3.crt" -CAkey "$3.key" -set_serial "0x$(openssl rand -hex 8)" -days 3650 \
      ${4:+-extfile "$4"} -out "$1.crt" 2>/dev/null
}
key a; key b; key leaf
cp a.key a0.key; selfsign a0 "Loop A"; cp b.key b0.key; selfsign b0 "Loop B"
issue a "Loop A" b0 ca.ext       # subject Loop A, issuer Loop B (key b)
issue b "Loop B" a0 ca.ext       # subject Loop B, issuer Loop A (key a)
issue leaf "Loop leaf" a0
cat leaf.crt a.crt b.crt >loop.pem
key r0; selfsign r0 "Deep 0"; prev=r0; deep=r0.crt
for i in $(seq 1 24); do key "r$i"; issue "r$i" "Deep $i" "$prev" ca.ext; prev=r$i; deep="r$i.crt $deep"; done
key dl; issue dl "Deep leaf" "$prev"; cat dl.crt $deep >deep.pem
cd - >/dev/null || exit 1
for f in loop deep; do
  [ -s "$T/ch/$f.pem" ] || bad "$f.pem made" "openssl failed"
  run timeout -s KILL 10 "$PSECONV" inspect "$T/ch/$f.pem"
  expect_rc 0 "$f chain: inspect terminates"
  run timeout -s KILL 10 "$PSECONV" verify "$T/ch/$f.pem"
  case $RC in 0|1) ok "$f chain: verify terminates (exit $RC)" ;; *) bad "$f chain: verify exit $RC" "${ERR:0:300}" ;; esac
  # The leaf's key makes convert pair it and complete its chain from the store.
  lk=$T/ch/leaf.key; [ "$f" = deep ] && lk=$T/ch/dl.key
  run timeout -s KILL 10 "$PSECONV" convert "$T/ch/$f.pem" "$lk" -o "$T/ch/$f.p12" --out-password pass:changeit
  expect_rc 0 "$f chain with its leaf key: pairing and convert terminate"
done
run timeout -s KILL 10 "$PSECONV" verify "$T/ch/loop.pem"
expect_contains "$OUT$ERR" "chain-incomplete" "loop chain: reported as incomplete (no root reached)"

# ---- every kept fuzzer finding reads cleanly (exit 0/1/3, one line) ----
nreg=0; nregbad=0
for dir in "$PSECONV_SRC"/tests/fuzz/regressions/*/; do
  [ -d "$dir" ] || continue
  fmt=$(basename "$dir")
  [ "$fmt" = landscape ] && continue
  for file in "$dir"*; do
    [ -f "$file" ] || continue
    nreg=$((nreg + 1))
    case $fmt in pem) pw=fixture-pass ;; p12) pw=password ;; jks|jceks) pw=12345678 ;;
                 pse|pselist) pw=1234567980 ;; *) pw=x ;; esac
    why=$(check_case "$fmt" "$pw" "$file")
    [ -z "$why" ] || { nregbad=$((nregbad + 1)); bad "regression $fmt/$(basename "$file")" "$why"; }
  done
done
[ "$nregbad" -eq 0 ] && ok "$nreg kept fuzzer inputs read cleanly"
finish
