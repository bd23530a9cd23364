# Exit codes and error lines: usage (2), bad input (3), output errors (4).
source "$(dirname "$0")/lib.sh"

# Only the files we expect are in a folder (no temp or partial files left).
expect_listing() {  # expect_listing DIR "sorted names" NAME
  expect_eq "$(ls -A "$1" | sort | tr '\n' ' ')" "$2" "$3"
}

# ---- bad input: 3 ----
run "$PSECONV" inspect "$FX/garbage.bin"
expect_rc 3 "garbage input"
expect_one_error_line "garbage: one pseconv: line"
expect_contains "$ERR" "garbage.bin" "garbage: names the file"
expect_eq "$(printf '%s\n' "$ERR" | wc -l)" "1" "garbage: exactly one line"

mkdir -p "$T/g"
run "$PSECONV" convert "$FX/garbage.bin" -o "$T/g/out.pem"
expect_rc 3 "convert garbage"
expect_listing "$T/g" "" "convert garbage: no output file"

run "$PSECONV" inspect "$T/does-not-exist.pem"
expect_rc 3 "missing file"
expect_one_error_line "missing file: one pseconv: line"
expect_contains "$ERR" "does-not-exist.pem" "missing file: names the file"

run "$PSECONV" inspect "$FX/empty.pem"
expect_rc 3 "empty file"
expect_contains "$ERR" "empty.pem is empty" "empty file: says so"

head -c 700 "$FX/erp-client-fullchain.pem" >"$T/truncated.pem"
run "$PSECONV" inspect "$T/truncated.pem"
expect_rc 3 "truncated PEM"
expect_one_error_line "truncated: one pseconv: line"
expect_contains "$ERR" "truncated.pem: PEM block 1 (CERTIFICATE) has no END line; the file is truncated" "truncated: says so"

run "$PSECONV" inspect --password pass:not-it "$FX/erp-rsa.crt" "$FX/erp-rsa-enc.key"
expect_rc 3 "wrong password"
expect_contains "$ERR" "pseconv: wrong password for $FX/erp-rsa-enc.key" "wrong password: says so, names the file"

run "$PSECONV" inspect "$FX/erp-rsa.crt" "$FX/erp-rsa-enc.key"
expect_rc 3 "encrypted key without password"
expect_contains "$ERR" "erp-rsa-enc.key: the private key is encrypted; give its password with --password" "no password: names --password"

mkdir -p "$T/w"
run "$PSECONV" convert --password pass:not-it "$FX/erp-rsa.crt" "$FX/erp-rsa-enc.key" -o "$T/w/out.pem"
expect_rc 3 "convert with wrong password"
expect_listing "$T/w" "" "wrong password: no output file"

if [ -f "$CORPUS/certigo/example-leaf.csr" ]; then
  run "$PSECONV" inspect "$CORPUS/certigo/example-leaf.csr"
  expect_rc 3 "a CSR only"
  expect_one_error_line "CSR: one pseconv: line"
  expect_eq "$(printf '%s\n' "$ERR" | wc -l)" "1" "CSR: exactly one line"
  expect_contains "$ERR" "no certificates or private keys in the PEM blocks (only 'CERTIFICATE REQUEST')" "CSR: says what it found"
fi

# A key alone is a key entry (issue 16 item 12); given with an unrelated
# certificate it stays one, with a warning that none matched.
run "$PSECONV" inspect "$FX/erp-client.key" "$FX/corp-root.crt"
expect_rc 0 "key without its certificate"
expect_contains "$ERR" "erp-client.key: no certificate among the inputs matches the private key 'key-" "key alone: says no certificate matched"

# ---- usage: 2 ----
run "$PSECONV" inspect --bogus "$FX/erp-client.crt"
expect_rc 2 "inspect: unknown flag"
expect_one_error_line "unknown flag: one pseconv: line"
expect_contains "$ERR" "--bogus" "unknown flag: names it"
run "$PSECONV" convert --bogus "$FX/erp-client.crt" -o "$T/x.pem"
expect_rc 2 "convert: unknown flag"
run "$PSECONV" frobnicate
expect_rc 2 "unknown command"
expect_contains "$ERR" "frobnicate" "unknown command: names it"
run "$PSECONV" inspect
expect_rc 2 "inspect: no input"
run "$PSECONV" convert -o "$T/x.pem"
expect_rc 2 "convert: no input"
expect_contains "$ERR" "no input" "convert: says no input"
run "$PSECONV" convert "$FX/erp-client.crt"
expect_rc 2 "convert: no output"
run "$PSECONV" convert "$FX/erp-client.crt" -o "$T/x.unknownext"
expect_rc 2 "convert: output format unknown"
run "$PSECONV" convert "$FX/erp-client.crt" --to der -o -
expect_rc 2 "convert: binary format to stdout"
expect_no_file "$T/x.pem" "usage errors write nothing"

# ---- output: 4 ----
cp "$FX/corp-root.crt" "$T/exists.pem"
run "$PSECONV" convert "$FX/erp-client.crt" -o "$T/exists.pem"
expect_rc 4 "existing output without --force"
expect_one_error_line "existing output: one pseconv: line"
if cmp -s "$T/exists.pem" "$FX/corp-root.crt"; then ok "existing output unchanged"; else bad "existing output unchanged"; fi
run "$PSECONV" convert --force "$FX/erp-client.crt" -o "$T/exists.pem"
expect_rc 0 "existing output with --force"
if cmp -s "$T/exists.pem" "$FX/erp-client.crt"; then ok "--force replaced the file"; else bad "--force replaced the file"; fi

run "$PSECONV" convert "$FX/erp-client.crt" -o "$T/no/such/dir/out.pem"
expect_rc 4 "output into a nonexistent folder"
expect_one_error_line "nonexistent folder: one pseconv: line"
expect_no_file "$T/no" "nonexistent folder: nothing created"

# A folder the write cannot go into.  Root ignores permission bits, so use a
# path below a regular file there (ENOTDIR), which stops root too.
mkdir -p "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
  chmod 555 "$T/ro"
  run "$PSECONV" convert "$FX/erp-client.crt" -o "$T/ro/out.pem"
  expect_rc 4 "output into a read-only folder"
  chmod 755 "$T/ro"
  expect_listing "$T/ro" "" "read-only folder: no partial or temp file"
else
  echo x >"$T/ro/file"
  run "$PSECONV" convert "$FX/erp-client.crt" -o "$T/ro/file/out.pem"
  expect_rc 4 "output below a regular file"
  expect_listing "$T/ro" "file " "below a file: nothing else created"
fi

# The temp file is written, then the rename fails (target is a folder): the
# temp file must be removed.
mkdir -p "$T/r/target.pem"
run "$PSECONV" convert --force "$FX/erp-client-keychain.pem" -o "$T/r/target.pem"
expect_rc 4 "rename onto a folder fails"
expect_one_error_line "rename failure: one pseconv: line"
expect_listing "$T/r" "target.pem " "rename failure: no temp file left behind"
expect_listing "$T/r/target.pem" "" "rename failure: folder untouched"

finish
