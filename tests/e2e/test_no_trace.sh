#!/bin/bash
# Issue 16 item 9: keys and passwords leave no trace.  A core image taken at
# the very end of a convert (gdb stops it at exit_group, gcore writes the image)
# holds neither the password (as typed, or as the UTF-16BE block the PKCS#12
# KDF builds) nor the private key's scalar.
. "$(dirname "$0")/lib.sh"

if ! command -v gdb >/dev/null 2>&1; then
  echo "SKIP - gdb (gcore) is not installed: scripts/setup.sh installs it; the core-image check is skipped"
  finish; exit
fi
if grep -q __asan_init "$PSECONV" 2>/dev/null; then
  # ASan maps terabytes of shadow memory: a core image of it is neither useful nor small
  echo "SKIP - $PSECONV is an ASan build: the core-image check runs in the normal build"
  finish; exit
fi
cd "$T" || exit 1
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
openssl req -x509 -key k.pem -subj /CN=core -days 30 -out c.pem 2>/dev/null
printf 'Core-Secret-4711\n' >pw.txt
cat >probe.py <<'PY'
import sys, subprocess, re
core = open(sys.argv[1], "rb").read()
pw = b"Core-Secret-4711"
txt = subprocess.run(["openssl", "ec", "-in", sys.argv[2], "-noout", "-text"],
                     capture_output=True, text=True).stdout
m = re.search(r"priv:\s*((?:[0-9a-f]{2}:?\s*)+)pub:", txt)
scalar = bytes.fromhex(re.sub(r"[^0-9a-f]", "", m.group(1)))[-32:]
assert len(scalar) == 32 and len(core) > 100000
print("ascii=%d utf16be=%d utf16le=%d scalar=%d" % (core.count(pw),
      core.count(pw.decode().encode("utf-16-be")), core.count(pw.decode().encode("utf-16-le")),
      core.count(scalar)))
PY
core_of() {  # core_of CORE STDIN ARGS...: run pseconv under gdb, gcore at exit
  local core=$1 in=$2; shift 2
  gdb -batch -ex 'catch syscall exit_group' -ex run -ex "gcore $core" -ex kill \
      --args "$PSECONV" "$@" <"$in" >"$T/gdb.log" 2>&1
}

core_of core1 /dev/null convert k.pem c.pem -o out.p12 --out-password file:pw.txt
expect_file out.p12 "convert under gdb wrote out.p12"
run "$SYSPY" probe.py core1 k.pem
expect_eq "$OUT" "ascii=0 utf16be=0 utf16le=0 scalar=0" "PEM key + --out-password -> .p12: no password, no key in the core image"

core_of core2 pw.txt convert out.p12 -o out.pem --password stdin --no-keys
expect_file out.pem "convert --password stdin under gdb wrote out.pem"
run "$SYSPY" probe.py core2 k.pem
expect_eq "$OUT" "ascii=0 utf16be=0 utf16le=0 scalar=0" "--password stdin: no password (stdio buffer), no key in the core image"

finish
