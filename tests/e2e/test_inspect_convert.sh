# inspect and convert for PEM, DER and P7B, checked against the openssl CLI.
source "$(dirname "$0")/lib.sh"

# sha256 of every certificate of every entry in `inspect --json` output, one per line.
json_fps() {
  printf '%s' "$1" | $SYSPY -c '
import json, sys
doc = json.load(sys.stdin)
for f in doc["files"]:
    for e in f["entries"]:
        for c in e["certificates"]:
            print(c["sha256"])'
}
# one field of the first file: json_field JSON EXPR (python expression over `f`)
json_field() {
  printf '%s' "$1" | $SYSPY -c "
import json, sys
f = json.load(sys.stdin)['files'][0]
print($2)"
}
# fingerprints of the certificates `openssl pkcs7 -print_certs` finds
p7_fps() {
  openssl pkcs7 -inform "$2" -in "$1" -print_certs >"$T/.p7certs.pem" 2>/dev/null
  fps_pem "$T/.p7certs.pem"
}
der_of() { openssl x509 -in "$1" -outform DER; }
mode_of() { stat -c %a "$1"; }
# expect_fps ACTUAL WANTED NAME: like expect_eq, but an empty WANTED (openssl
# found nothing) is a failure, so two empty lists never "match".
expect_fps() {
  if [ -z "$2" ]; then bad "$3" "the reference (openssl) found no certificates"; else expect_eq "$1" "$2" "$3"; fi
}

# ---- inspect reports what openssl reports, for every certificate fixture ----
for f in "$FX"/*.crt "$FX"/*-chain.pem "$FX"/erp-client-fullchain.pem "$FX"/erp-client-keychain.pem \
         "$FX"/hci-worker-node.pem "$FX"/crlf.pem "$FX"/sclient-output.txt "$FX"/bag-attributes.pem; do
  name=$(basename "$f")
  run "$PSECONV" inspect --json "$f"
  expect_rc 0 "inspect --json $name"
  want=$(fps_pem "$f")
  [ -n "$want" ] || bad "openssl found no certificate in $name"
  expect_fps "$(json_fps "$OUT")" "$want" "$name: sha256 as openssl x509 -fingerprint -sha256"
done

# BOM: openssl's own reader does not take the BOM line, so compare with the BOM-less cert
run "$PSECONV" inspect --json "$FX/bom.pem"
expect_rc 0 "inspect bom.pem"
expect_fps "$(json_fps "$OUT")" "$(fp "$FX/erp-client.crt")" "bom.pem: sha256 of erp-client.crt"

# the key pair: one entry, type key-pair, chain of 3 leaf first
run "$PSECONV" inspect --json "$FX/erp-client-keychain.pem"
expect_eq "$(json_field "$OUT" 'len(f["entries"]), f["entries"][0]["type"], f["entries"][0]["private_key"]')" \
  "1 key-pair True" "keychain: one key-pair with its key"

# DER and P7B inputs
chain=$(fps_pem "$FX/erp-client-fullchain.pem")
for f in erp-client-chain.p7b erp-client-chain-pem.p7b; do
  run "$PSECONV" inspect --json "$FX/$f"
  expect_rc 0 "inspect $f"
  expect_eq "$(json_field "$OUT" 'f["format"]')" "p7b" "$f detected as p7b"
  expect_fps "$(json_fps "$OUT")" "$chain" "$f: the 3 certificates openssl put in"
done
run "$PSECONV" inspect --json "$FX/hci-client-chain.p7b"
expect_fps "$(json_fps "$OUT")" "$(p7_fps "$FX/hci-client-chain.p7b" DER)" "hci-client-chain.p7b as openssl pkcs7 -print_certs"
run "$PSECONV" inspect --json "$FX/erp-client.der"
expect_rc 0 "inspect erp-client.der"
expect_eq "$(json_field "$OUT" 'f["format"]')" "der" "erp-client.der detected as der"
expect_fps "$(json_fps "$OUT")" "$(fp "$FX/erp-client.crt")" "erp-client.der sha256"

# third-party files: certigo's PEM-armoured p7b and its certificates
if [ -d "$CORPUS/certigo" ]; then
  for f in example-leaf.p7b example-elliptic-sha1.p7b; do
    run "$PSECONV" inspect --json "$CORPUS/certigo/$f"
    expect_rc 0 "inspect certigo $f"
    expect_fps "$(json_fps "$OUT")" "$(p7_fps "$CORPUS/certigo/$f" PEM)" "certigo $f as openssl pkcs7 -print_certs"
  done
  run "$PSECONV" inspect --json "$CORPUS/certigo/example-elliptic-sha1.crt" "$CORPUS/certigo/example-elliptic-sha1.key"
  expect_rc 0 "certigo EC cert + key"
  expect_eq "$(json_field "$OUT" 'f["entries"][0]["type"]')" "key-pair" "certigo EC key pairs with its cert"
fi

# ---- text output ----
run "$PSECONV" inspect "$FX/erp-client-fullchain.pem"
expect_rc 0 "inspect text"
expect_contains "$OUT" "subject:     CN=ERP-P41 SSL Client Standard, OU=SAP, O=Nordwind Handel AG, C=DE" "text: leaf subject"
expect_contains "$OUT" "days left)" "text: days left"
expect_contains "$OUT" "role:        leaf" "text: leaf role"
expect_contains "$OUT" "role:        intermediate, CA" "text: intermediate role"
expect_contains "$OUT" "role:        root, self-signed, CA" "text: root role"
expect_contains "$OUT" "erp-client-fullchain.pem: pem, 3 entries" "text: file header"

# ---- stdin ----
run_in "$FX/p384-leaf.crt" "$PSECONV" inspect --json -
expect_rc 0 "inspect - (stdin)"
expect_fps "$(json_fps "$OUT")" "$(fp "$FX/p384-leaf.crt")" "stdin: sha256"
expect_eq "$(json_field "$OUT" 'f["path"]')" "<stdin>" "stdin shown as <stdin>"
run_in "$FX/erp-client-chain.p7b" "$PSECONV" convert - -o "$T/stdin.pem"
expect_rc 0 "convert - (binary p7b on stdin)"
expect_fps "$(fps_pem "$T/stdin.pem")" "$chain" "stdin p7b -> pem"

# ---- round trips, byte-exact ----
for src in erp-client-fullchain.pem p384-chain.pem hci-worker-node.pem c4c-server-chain.pem; do
  base=${src%.pem}
  run "$PSECONV" convert "$FX/$src" -o "$T/$base.p7b"
  expect_rc 0 "$src -> p7b"
  expect_eq "$(mode_of "$T/$base.p7b")" "644" "$base.p7b mode 0644 (no key)"
  expect_fps "$(p7_fps "$T/$base.p7b" DER)" "$(fps_pem "$FX/$src")" "openssl pkcs7 reads $base.p7b"
  run "$PSECONV" convert "$T/$base.p7b" -o "$T/$base.back.pem"
  expect_rc 0 "$base.p7b -> pem"
  if cmp -s "$T/$base.back.pem" "$FX/$src"; then ok "$src -> p7b -> pem byte-exact"
  else bad "$src -> p7b -> pem byte-exact" "$(diff "$T/$base.back.pem" "$FX/$src" | head -5)"; fi
done
# our P7B is what openssl crl2pkcs7 writes, DER and PEM
run "$PSECONV" convert "$FX/erp-client-fullchain.pem" -o "$T/crl2.p7b"
if cmp -s "$T/crl2.p7b" "$FX/erp-client-chain.p7b"; then ok "p7b identical to openssl crl2pkcs7 DER"; else bad "p7b identical to openssl crl2pkcs7 DER"; fi
run "$PSECONV" convert --pem "$FX/erp-client-fullchain.pem" -o "$T/crl2-pem.p7b"
expect_rc 0 "convert --pem to .p7b"
expect_eq "$(head -1 "$T/crl2-pem.p7b")" "-----BEGIN PKCS7-----" "--pem gives armoured PKCS7"
if cmp -s "$T/crl2-pem.p7b" "$FX/erp-client-chain-pem.p7b"; then ok "p7b --pem identical to openssl crl2pkcs7"; else bad "p7b --pem identical to openssl crl2pkcs7"; fi
expect_fps "$(p7_fps "$T/crl2-pem.p7b" PEM)" "$chain" "openssl pkcs7 reads the --pem p7b"

for c in erp-client.crt p384-leaf.crt lb-server.crt; do
  run "$PSECONV" convert "$FX/$c" -o "$T/${c%.crt}.der"
  expect_rc 0 "$c -> der"
  if der_of "$FX/$c" | cmp -s - "$T/${c%.crt}.der"; then ok "$c -> der equals openssl x509 -outform DER"
  else bad "$c -> der equals openssl x509 -outform DER"; fi
  expect_eq "$(openssl x509 -inform DER -in "$T/${c%.crt}.der" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)" \
    "$(fp "$FX/$c")" "openssl x509 reads the der of $c"
  run "$PSECONV" convert "$T/${c%.crt}.der" -o "$T/${c%.crt}.back.crt"
  if cmp -s "$T/${c%.crt}.back.crt" "$FX/$c"; then ok "$c -> der -> pem byte-exact"; else bad "$c -> der -> pem byte-exact"; fi
done
run "$PSECONV" convert "$FX/erp-client-fullchain.pem" -o "$T/leaf.der"
expect_rc 0 "chain -> der"
expect_contains "$ERR" "wrote 1 of 3 certificates; use p7b or pem for a chain" "chain -> der warns"
if cmp -s "$T/leaf.der" "$FX/erp-client.der"; then ok "chain -> der writes the leaf"; else bad "chain -> der writes the leaf"; fi

# ---- -o - ----
run "$PSECONV" convert "$FX/erp-client-fullchain.pem" --to pem -o -
expect_rc 0 "convert -o - (pem)"
expect_eq "$OUT" "$(cat "$FX/erp-client-fullchain.pem")" "-o - writes the PEM to stdout"

# ---- keys ----
export PSC_TEST_OUTPW='Out-Pass-9!'
run "$PSECONV" convert "$FX/erp-client-keychain.pem" --out-password env:PSC_TEST_OUTPW -o "$T/enc.pem"
expect_rc 0 "key pair -> pem with --out-password"
expect_eq "$(mode_of "$T/enc.pem")" "600" "output holding a key is 0600"
expect_eq "$(grep -c -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' "$T/enc.pem")" "1" "one encrypted PKCS#8 key"
expect_not_contains "$(cat "$T/enc.pem")" "BEGIN PRIVATE KEY" "no unencrypted key"
if openssl pkey -in "$T/enc.pem" -passin env:PSC_TEST_OUTPW -pubout -out "$T/enc.pub" 2>/dev/null; then
  ok "openssl pkey decrypts the key with the password"; else bad "openssl pkey decrypts the key with the password"; fi
openssl x509 -in "$FX/erp-client.crt" -noout -pubkey >"$T/cert.pub"
if cmp -s "$T/enc.pub" "$T/cert.pub"; then ok "decrypted key matches erp-client.crt"; else bad "decrypted key matches erp-client.crt"; fi
if openssl pkey -in "$T/enc.pem" -passin pass:wrong -noout 2>/dev/null; then bad "wrong password must fail in openssl"; else ok "openssl rejects a wrong password"; fi
expect_contains "$(openssl asn1parse -in <(sed -n '/BEGIN ENCRYPTED/,$p' "$T/enc.pem") 2>&1)" "aes-256-cbc" "key encrypted with AES-256-CBC"
expect_fps "$(fps_pem "$T/enc.pem")" "$chain" "certificates leaf, intermediate, root"
expect_eq "$(grep -n -- '-----BEGIN' "$T/enc.pem" | tail -1 | cut -d: -f2)" "-----BEGIN ENCRYPTED PRIVATE KEY-----" "key written after the chain"

run "$PSECONV" convert "$FX/erp-client-keychain.pem" -o "$T/plain.pem"
expect_rc 0 "key pair -> pem without password"
expect_eq "$(mode_of "$T/plain.pem")" "600" "unencrypted key output is 0600"
expect_eq "$(grep -c -- '-----BEGIN PRIVATE KEY-----' "$T/plain.pem")" "1" "unencrypted PKCS#8"
run "$PSECONV" convert --no-keys "$FX/erp-client-keychain.pem" -o "$T/nokeys.pem"
expect_rc 0 "--no-keys"
expect_eq "$(mode_of "$T/nokeys.pem")" "644" "output without a key is 0644"
expect_not_contains "$(cat "$T/nokeys.pem")" "PRIVATE KEY" "--no-keys writes no key"

# encrypted input key: read with --password, written encrypted with it
printf 'fixture-pass' >"$T/pw"
run "$PSECONV" convert --password "file:$T/pw" "$FX/erp-rsa.crt" "$FX/erp-rsa-enc.key" -o "$T/rsa.pem"
expect_rc 0 "encrypted key + cert -> pem"
if openssl pkey -in "$T/rsa.pem" -passin pass:fixture-pass -noout 2>/dev/null; then ok "re-encrypted with --password"; else bad "re-encrypted with --password"; fi

# traditional keys and P-384 pair and come out as PKCS#8
run "$PSECONV" convert "$FX/erp-ec-traditional.key" "$FX/erp-client.crt" -o "$T/ec.pem"
expect_rc 0 "traditional EC key + cert"
expect_eq "$(grep -c -- '-----BEGIN PRIVATE KEY-----' "$T/ec.pem")" "1" "EC key as PKCS#8"
run "$PSECONV" convert "$FX/erp-rsa-traditional.key" "$FX/erp-rsa.crt" -o "$T/rsa-trad.pem"
expect_rc 0 "traditional RSA key + cert"
run "$PSECONV" convert "$FX/p384-leaf.key" "$FX/p384-chain.pem" -o "$T/p384.pem"
expect_rc 0 "P-384 key + chain"
openssl pkey -in "$T/p384.pem" -pubout -out "$T/p384.pub" 2>/dev/null
openssl x509 -in "$FX/p384-leaf.crt" -noout -pubkey >"$T/p384c.pub"
if cmp -s "$T/p384.pub" "$T/p384c.pub"; then ok "P-384 key matches its certificate"; else bad "P-384 key matches its certificate"; fi
expect_fps "$(fps_pem "$T/p384.pem")" "$(fps_pem "$FX/p384-chain.pem")" "P-384 chain leaf first"
run "$PSECONV" inspect --json "$T/p384.pem"
expect_eq "$(json_field "$OUT" 'f["entries"][0]["certificates"][0]["key"]["curve"]')" "P-384" "P-384 curve reported"

# p7b and der leave keys out, and say so
run "$PSECONV" convert "$FX/erp-client-keychain.pem" -o "$T/kp.p7b"
expect_rc 0 "key pair -> p7b"
expect_contains "$ERR" "private keys are not written" "p7b warns about the key"
expect_fps "$(p7_fps "$T/kp.p7b" DER)" "$chain" "p7b holds the chain"

# key, leaf and chain from three files: one key pair, the chain absorbed (no extra entries)
run "$PSECONV" convert "$FX/erp-client.key" "$FX/erp-client.crt" "$FX/corp-chain.pem" -o "$T/three.pem"
expect_rc 0 "key + leaf + chain from three files"
run "$PSECONV" inspect --json "$T/three.pem"
expect_eq "$(json_field "$OUT" 'len(f["entries"])')" "1" "three files give one entry"
expect_eq "$(json_field "$OUT" 'f["entries"][0]["type"]')" "key-pair" "the entry is a key pair"
expect_eq "$(json_field "$OUT" '",".join(c["sha256"] for c in f["entries"][0]["certificates"])')" \
  "$(fp "$FX/erp-client.crt"),$(fp "$FX/corp-issuing.crt"),$(fp "$FX/corp-root.crt")" "chain leaf, issuing, root"

# content decides, never the name: a modern JDK writes PKCS#12 into *.jks
keytool -genkeypair -keystore "$T/modern.jks" -storepass changeit -alias tenant -keyalg EC \
  -groupname secp256r1 -dname "CN=tenant" -validity 30 >/dev/null 2>&1
expect_eq "$(head -c 1 "$T/modern.jks" | od -An -tx1 | tr -d ' ')" "30" "keytool 17 wrote DER (PKCS#12), not FEEDFEED, into modern.jks"
run "$PSECONV" inspect --json --password pass:changeit "$T/modern.jks"
expect_rc 0 "inspect a PKCS#12 named .jks"
expect_eq "$(json_field "$OUT" 'f["format"] + " " + f["entries"][0]["type"] + " " + f["entries"][0]["alias"]')" "p12 key-pair tenant" "read as p12, key pair 'tenant'"
cp "$FX/corp-root.crt" "$T/looks-like.p12"
run "$PSECONV" inspect --json "$T/looks-like.p12"
expect_eq "$(json_field "$OUT" 'f["format"]')" "pem" "a PEM file named .p12 is read as PEM"

# cmake --install puts the binary and the man page in place
BUILD_DIR=$(dirname "$PSECONV")
if [ -f "$BUILD_DIR/cmake_install.cmake" ]; then
  cmake --install "$BUILD_DIR" --prefix "$T/inst" >/dev/null
  expect_file "$T/inst/bin/pseconv" "install: bin/pseconv"
  expect_file "$T/inst/share/man/man1/pseconv.1" "install: man1/pseconv.1"
  expect_contains "$(MANWIDTH=80 man -l "$T/inst/share/man/man1/pseconv.1" 2>/dev/null)" "EXIT STATUS" "the man page renders"
fi

finish
