#!/usr/bin/env bash
# Issue 17: certificate facts exactly as OpenSSL sees them.  Every input is
# built at test time by tests/e2e/certgen.py (python3-cryptography + a tiny
# DER encoder); each block failed before the fix.
. "$(dirname "$0")/lib.sh"
# all cases at once (one set of keys): gen NAME FILE copies one into $T/FILE
$SYSPY "$PSECONV_SRC/tests/e2e/certgen.py" all "$T/gen" || { echo "certgen.py failed"; exit 1; }
gen() { if [ -f "$T/gen/$1" ]; then cp "$T/gen/$1" "$T/$2"; else cp "$T/gen/$1.der" "$T/$2"; fi; }
# jget FILE EXPR: a value from `inspect --json FILE` (c = the first certificate).
jget() {
  "$PSECONV" inspect --json "$1" 2>/dev/null | python3 -c '
import json, sys
c = json.load(sys.stdin)["files"][0]["entries"][0]["certificates"][0]
v = eval(sys.argv[1])
print("null" if v is None else json.dumps(v) if isinstance(v, bool) else v)' "$2"
}
ossl_sha256() { openssl x509 -inform "$2" -in "$1" -outform DER | sha256sum | cut -c1-64; }

# 1. negative serials keep their sign (OpenSSL: serial=-05)
gen serial-neg5 neg.der; gen serial-pos5 pos.der
expect_eq "$(jget "$T/neg.der" 'c["serial"]')" "-05" "serial -5 is -05"
expect_eq "$(jget "$T/pos.der" 'c["serial"]')" "05" "serial 5 is 05"
expect_eq "$(openssl x509 -inform DER -in "$T/neg.der" -noout -serial)" "serial=-05" "openssl agrees: -05"
run "$PSECONV" inspect "$T/neg.der"
expect_contains "$OUT" "serial:      -05" "text shows -05"

# 2. invalid times: null / "invalid time", verify says invalid-validity, never 1970
for c in time-month13 time-feb30 time-sec60 time-letters time-empty time-lower-z \
         time-utc-fraction time-gen-no-z time-overlong; do
  gen $c $c.der
  field=not_after; case $c in time-month13|time-feb30) field=not_before ;; esac
  expect_contains "$(openssl x509 -inform DER -in "$T/$c.der" -noout -dates 2>&1)" "Bad time value" "$c: openssl says Bad time value"
  expect_eq "$(jget "$T/$c.der" "c[\"$field\"]")" "null" "$c: $field is null in JSON"
  run "$PSECONV" inspect "$T/$c.der"
  expect_contains "$OUT" "invalid time" "$c: text says invalid time"
  # the epoch as a date: a bare "1970" also occurs in fingerprints (random keys)
  expect_not_contains "$OUT" "1970-01-01" "$c: no 1970"
  run "$PSECONV" verify --json "$T/$c.der"
  expect_rc 1 "$c: verify exits 1"
  expect_contains "$OUT" '"code":	"invalid-validity"' "$c: verify reports invalid-validity"
  expect_not_contains "$OUT" "1970-01-01" "$c: verify never says 1970"
done
gen time-gen-frac60 frac.der; gen time-year0999 y999.der; gen time-gen-offset off.der
expect_eq "$(jget "$T/frac.der" 'c["not_after"]')" "2049-12-31T23:59:59Z" "60-digit fraction is read"
expect_eq "$(jget "$T/y999.der" 'c["not_before"]')" "0999-01-01T00:00:00Z" "year 999 has four digits"
# OpenSSL 3.0 reads a GeneralizedTime offset (Dec 31 22:59:59 2049 GMT): so does pseconv
expect_contains "$(openssl x509 -inform DER -in "$T/off.der" -noout -enddate)" "22:59:59 2049" "openssl reads the +0100 offset"
expect_eq "$(jget "$T/off.der" 'c["not_after"]')" "2049-12-31T22:59:59Z" "offset applied as OpenSSL does"

# 3. keys: invalid EC points, X25519/X448/SM2 names, unknown signature OID dotted
for c in key-ec-offcurve key-ec-short key-ec-othercurve; do
  gen $c $c.der
  run "$PSECONV" inspect "$T/$c.der"
  expect_contains "$OUT" "key:         EC (invalid point)" "$c: EC (invalid point)"
  expect_eq "$(jget "$T/$c.der" 'c["key"]["invalid"]')" "true" "$c: key.invalid in JSON"
  run "$PSECONV" verify --json "$T/$c.der"
  expect_rc 1 "$c: verify exits 1"
  expect_contains "$OUT" '"code":	"invalid-key"' "$c: verify reports invalid-key"
done
gen key-x25519 x25519.der; gen key-x448 x448.der; gen key-sm2 sm2.der; gen sig-unknown-oid sig.der
expect_eq "$(jget "$T/x25519.der" 'c["key"]["type"]')" "X25519" "X25519 named"
expect_eq "$(jget "$T/x448.der" 'c["key"]["type"]')" "X448" "X448 named"
expect_eq "$(jget "$T/sm2.der" 'c["key"]["type"]')" "SM2" "SM2 named"
expect_eq "$(jget "$T/sig.der" 'c["signature"]')" "1.2.3.4.5.6.7" "unknown signature OID dotted"
expect_contains "$(openssl x509 -inform DER -in "$T/sig.der" -noout -text)" "Signature Algorithm: 1.2.3.4.5.6.7" "openssl prints it dotted too"

# 4. self_signed is OpenSSL's EXFLAG_SS
# (CASE:SELF_SIGNED:ROLE; the CA ones that are not self-signed are intermediates)
for t in ss-plain:true:root ss-v1:true:root ss-aki-serial-same:true:root \
         ss-aki-issuer-same:true:root ss-garbage-aki:true:root ss-ed25519:true:root \
         ss-key-type:false:leaf ss-inner-sig-unknown:false:leaf ss-aki-serial:false:intermediate \
         ss-aki-issuer:false:intermediate ss-ber-ski:false:intermediate \
         ss-ber-aki:false:intermediate ss-ec:true:root ss-rsa-pss-sig:true:root \
         ss-dsa-key:false:leaf; do
  IFS=: read -r c want role <<<"$t"
  gen $c $c.der
  expect_eq "$(jget "$T/$c.der" 'c["self_signed"]')" "$want" "$c: self_signed $want"
  expect_eq "$(jget "$T/$c.der" 'c["role"]')" "$role" "$c: role $role"
done

# 5. BER outer encodings: read as OpenSSL's DER re-encoding, with a warning
gen serial-pos5 plain.der
want=$(sha256sum <"$T/plain.der" | cut -c1-64)
for c in outer-len84 outer-len85 outer-indef; do
  gen $c.der $c.der
  expect_eq "$(ossl_sha256 "$T/$c.der" DER)" "$(ossl_sha256 "$T/$c.der" DER)" "$c: openssl reads it"
  run "$PSECONV" inspect --json "$T/$c.der"
  expect_rc 0 "$c: the .der is read"
  expect_contains "$ERR" "is not DER-encoded; read as its DER re-encoding" "$c: warned"
  expect_eq "$(jget "$T/$c.der" 'c["sha256"]')" "$(ossl_sha256 "$T/$c.der" DER)" "$c: SHA-256 is OpenSSL's"
  # the same bytes armoured: the same certificate
  { echo "-----BEGIN CERTIFICATE-----"; base64 -w64 <"$T/$c.der"; echo "-----END CERTIFICATE-----"; } >"$T/$c.pem"
  expect_eq "$(jget "$T/$c.pem" 'c["sha256"]')" "$(ossl_sha256 "$T/$c.der" DER)" "$c: PEM gets the same SHA-256"
  # in a P7B next to its DER form: one certificate, written once
  openssl crl2pkcs7 -nocrl -certfile "$T/$c.pem" -out "$T/$c.p7b" 2>/dev/null
  run "$PSECONV" convert --force "$T/$c.pem" "$T/$c.p7b" -o "$T/$c-out.pem"
  expect_rc 0 "$c: convert with the P7B"
  expect_eq "$(grep -c 'BEGIN CERTIFICATE' "$T/$c-out.pem")" "1" "$c: written once"
  run "$PSECONV" convert --force "$T/$c.pem" -o "$T/$c-out.der"
  run "$PSECONV" inspect "$T/$c-out.der"
  expect_rc 0 "$c: the written .der reads back"
  expect_eq "$ERR" "" "$c: the written .der is DER (no warning)"
  expect_eq "$(sha256sum <"$T/$c-out.der" | cut -c1-64)" "$(ossl_sha256 "$T/$c.der" DER)" "$c: written bytes are OpenSSL's DER"
done
gen sig-dirty-bits.der dirty.der
run "$PSECONV" inspect --json "$T/dirty.der"
expect_contains "$ERR" "not DER-encoded" "dirty unused signature bits: warned"
expect_eq "$(jget "$T/dirty.der" 'c["sha256"]')" "$(ossl_sha256 "$T/dirty.der" DER)" "dirty unused bits: SHA-256 is OpenSSL's"

# 6. PEM whose base64 holds the certificate plus trailing bytes
gen pem-trailing.pem trail.pem
expect_contains "$(openssl x509 -in "$T/trail.pem" -noout -subject)" "certgen leaf" "openssl reads the PEM"
run "$PSECONV" inspect "$T/trail.pem"
expect_rc 0 "trailing bytes: read"
expect_contains "$ERR" "PEM block 1: 10 bytes after the certificate ignored" "trailing bytes: warned"
expect_eq "$(jget "$T/trail.pem" 'c["sha256"]')" "$(openssl x509 -in "$T/trail.pem" -outform DER | sha256sum | cut -c1-64)" "trailing bytes: the certificate's SHA-256"

# 7. a damaged .der says what is wrong, with or without --from der
gen damaged.der damaged.der
for from in "" "--from der"; do
  run "$PSECONV" inspect $from "$T/damaged.der"
  expect_rc 3 "damaged ($from): exit 3"
  expect_one_error_line "damaged ($from): one error line"
  expect_contains "$ERR" "damaged DER certificate: offset 0: the Certificate SEQUENCE says" "damaged ($from): offset and element"
  expect_not_contains "$ERR" "try" "damaged ($from): no try-this circle"
done
printf '\x30\x09\x30\x07\x04\x01\x05\x30\x00\x30\x00' >"$T/tag.der"
run "$PSECONV" inspect "$T/tag.der"
expect_contains "$ERR" "offset 4: expected serialNumber INTEGER (tag 0x02), found tag 0x04" "wrong tag: offset and expected tag"
finish
