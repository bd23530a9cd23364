#!/bin/bash
# Issue 16 item 12: real files that peers (openssl, keytool) read and pseconv
# refused.  Each input is made here with the peer itself; each block failed
# before its fix.
. "$(dirname "$0")/lib.sh"

# pubfp FILE [PASSWORD]: SHA-256 of the private key's public half, per openssl.
pubfp() {
  if [ $# -gt 1 ]; then openssl pkey -in "$1" -passin "pass:$2" -pubout -outform DER 2>/dev/null
  else openssl pkey -in "$1" -pubout -outform DER 2>/dev/null; fi | openssl dgst -sha256 -r | cut -c1-64
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.key" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.key" 2>/dev/null
RSA_FP=$(pubfp "$T/rsa.key")
EC_FP=$(pubfp "$T/ec.key")
RSA_ALIAS="key-${RSA_FP:0:12}"

# --- (a) a private key and no certificate ---------------------------------------
openssl pkcs12 -export -nocerts -inkey "$T/rsa.key" -name lonely -passout pass:p12-pass \
  -out "$T/keyonly.p12" 2>/dev/null
openssl pkcs12 -in "$T/keyonly.p12" -passin pass:p12-pass -nocerts -nodes -out "$T/peer.pem" 2>/dev/null
expect_eq "$(pubfp "$T/peer.pem")" "$RSA_FP" "openssl reads the key-only PKCS#12 back"

run "$PSECONV" inspect --password env:P12PW "$T/keyonly.p12"
expect_rc 3 "without the password: no listing"
run env P12PW=p12-pass "$PSECONV" inspect --password env:P12PW "$T/keyonly.p12"
expect_rc 0 "inspect a key-only PKCS#12"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 2,3p)" "  [1] lonely (key-pair, no certificate)
      key:         RSA 2048" "listed as a key entry: alias, type, key type and size"
run env P12PW=p12-pass "$PSECONV" inspect --json --password env:P12PW "$T/keyonly.p12"
expect_rc 0 "inspect --json a key-only PKCS#12"
expect_contains "$OUT" '"alias":"lonely","type":"key-pair","private_key":true,"key":{"type":"RSA","bits":2048},"certificates":[]' "JSON: key entry, no certificates"
expect_eq "$ERR" "" "no warning: the file holds no certificate to match"

run "$PSECONV" inspect "$T/ec.key"
expect_rc 0 "inspect a PEM holding only an EC key"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1,3p)" "$T/ec.key: pem, 1 entry
  [1] key-${EC_FP:0:12} (key-pair, no certificate)
      key:         EC P-256" "PEM key alone: key-<SHA-256 of the public key>, EC P-256"

run env P12PW=p12-pass "$PSECONV" convert --password env:P12PW --out-password pass:out-pass \
  "$T/keyonly.p12" -o "$T/a-out.pem"
expect_rc 0 "convert the key-only PKCS#12 to PEM"
expect_eq "$(head -1 "$T/a-out.pem")" "-----BEGIN ENCRYPTED PRIVATE KEY-----" "PEM: encrypted PKCS#8"
expect_eq "$(pubfp "$T/a-out.pem" out-pass)" "$RSA_FP" "PEM: openssl reads the same key"
run "$PSECONV" convert "$T/rsa.key" -o "$T/a-plain.pem"
expect_rc 0 "convert a PEM key alone to PEM"
expect_eq "$(head -1 "$T/a-plain.pem")" "-----BEGIN PRIVATE KEY-----" "PEM: PKCS#8 without a password"
expect_eq "$(pubfp "$T/a-plain.pem")" "$RSA_FP" "PEM: same key"
expect_eq "$(stat -c %a "$T/a-plain.pem")" "600" "PEM with a key: mode 0600"

run env P12PW=p12-pass "$PSECONV" convert --password env:P12PW --out-password pass:out-pass \
  "$T/keyonly.p12" -o "$T/a-out.jks"
expect_rc 3 "to JKS: a key entry needs a certificate"
expect_eq "$(printf '%s\n' "$ERR" | grep -v 'warning: --out-password pass:')" \
  "pseconv: $T/a-out.jks: the private key 'lonely' has no certificate, and a JKS key entry needs one; give its certificate file too, or write the key to PEM (or leave it out with --no-keys)" \
  "to JKS: the one-line message"
expect_no_file "$T/a-out.jks" "to JKS: nothing written"
run "$PSECONV" convert --out-password pass:out-pass "$T/rsa.key" -o "$T/a-out.p12"
expect_rc 3 "to PKCS#12: a key entry needs a certificate"
expect_contains "$ERR" "the private key '$RSA_ALIAS' has no certificate, and a PKCS#12 key entry needs one" "to PKCS#12: says so"
expect_no_file "$T/a-out.p12" "to PKCS#12: nothing written"
# certificate-only outputs, or keys left out: nothing to write, exit 3 for every format
for ext in der p7b pselist; do
  run "$PSECONV" convert "$T/rsa.key" -o "$T/a-none.$ext"
  expect_rc 3 "a key alone -> .$ext: nothing to write"
  expect_contains "$ERR" "pseconv: $T/a-none.$ext: nothing to write: the input holds no certificates" ".$ext: says why"
done
for ext in jks p12; do
  run "$PSECONV" convert --no-keys --out-password pass:out-pass "$T/rsa.key" -o "$T/a-none.$ext"
  expect_rc 3 "a key alone -> .$ext --no-keys: nothing to write"
  expect_contains "$ERR" "$T/a-none.$ext: nothing to write" ".$ext --no-keys: says why"
done
expect_eq "$(ls "$T" | grep -c '^a-none')" "0" "no output file for any of them"

# with its certificate given too it is one key pair, as before
openssl req -new -x509 -key "$T/rsa.key" -subj "/CN=peer leaf" -days 30 -out "$T/rsa.crt" 2>/dev/null
run "$PSECONV" convert --out-password pass:out-pass "$T/rsa.key" "$T/rsa.crt" -o "$T/a-pair.jks"
expect_rc 0 "key and its certificate to JKS"
KL=$(keytool -list -keystore "$T/a-pair.jks" -storepass out-pass 2>/dev/null)
expect_contains "$KL" "peer leaf, " "keytool: the entry is named by the CN"
expect_contains "$KL" "PrivateKeyEntry" "keytool: a PrivateKeyEntry"
# ...and an unrelated certificate does not pair: warned, the key stays alone
run "$PSECONV" inspect "$T/ec.key" "$T/rsa.crt"
expect_rc 0 "a key with an unrelated certificate"
expect_contains "$ERR" "pseconv: warning: $T/ec.key: no certificate among the inputs matches the private key 'key-${EC_FP:0:12}'; it is kept as a key entry without certificate" "warned that none matched"

# --- (b) DER PKCS#8 private keys, plain and encrypted ----------------------------
openssl pkcs8 -topk8 -nocrypt -in "$T/rsa.key" -outform DER -out "$T/plain.p8.der"
openssl pkcs8 -topk8 -in "$T/ec.key" -outform DER -passout pass:der-pass -out "$T/enc.p8.der"
openssl pkcs8 -topk8 -in "$T/rsa.key" -outform DER -v1 PBE-SHA1-RC4-128 -provider legacy \
  -provider default -passout pass:der-pass -out "$T/rc4.p8.der" 2>/dev/null
run "$PSECONV" inspect "$T/plain.p8.der"
expect_rc 0 "inspect a plain DER PKCS#8 key"
expect_eq "$OUT" "$T/plain.p8.der: der, 1 entry
  [1] $RSA_ALIAS (key-pair, no certificate)
      key:         RSA 2048" "plain DER PKCS#8: detected as der, a key entry, RSA 2048"
run "$PSECONV" inspect "$T/enc.p8.der"
expect_rc 3 "encrypted DER PKCS#8 without --password"
expect_eq "$ERR" "pseconv: $T/enc.p8.der: the private key is encrypted; give its password with --password" "no password: one line naming --password"
run env KPW=wrong "$PSECONV" inspect --password env:KPW "$T/enc.p8.der"
expect_rc 3 "encrypted DER PKCS#8, wrong password"
expect_eq "$ERR" "pseconv: wrong password for $T/enc.p8.der (the PKCS#8 private key does not decrypt); check --password" "wrong password: one line"
run env KPW=der-pass "$PSECONV" inspect --password env:KPW "$T/enc.p8.der"
expect_rc 0 "encrypted DER PKCS#8 with its password"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 2,3p)" "  [1] key-${EC_FP:0:12} (key-pair, no certificate)
      key:         EC P-256" "encrypted DER PKCS#8: the EC key"
run env KPW=der-pass "$PSECONV" inspect --password env:KPW "$T/rc4.p8.der"
expect_rc 0 "DER PKCS#8 with pbeWithSHA1And128BitRC4 (legacy provider on demand)"
expect_contains "$OUT" "[1] $RSA_ALIAS (key-pair, no certificate)" "RC4-encrypted DER PKCS#8: the RSA key"
# with its certificate: one key pair, in a PKCS#12 that openssl reads back
run env KPW=der-pass "$PSECONV" convert --password env:KPW --out-password env:KPW "$T/rc4.p8.der" \
  "$T/rsa.crt" -o "$T/b-pair.p12"
expect_rc 0 "DER key + its certificate to PKCS#12"
openssl pkcs12 -in "$T/b-pair.p12" -passin pass:der-pass -nodes -nocerts -out "$T/b-key.pem" 2>/dev/null
expect_eq "$(pubfp "$T/b-key.pem")" "$RSA_FP" "PKCS#12: openssl finds the same key"
expect_eq "$(openssl pkcs12 -in "$T/b-pair.p12" -passin pass:der-pass -nokeys 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)" \
  "$(fp "$T/rsa.crt")" "PKCS#12: with the certificate"
run "$PSECONV" convert "$T/plain.p8.der" -o "$T/b-plain.pem"
expect_rc 0 "plain DER PKCS#8 to PEM"
expect_eq "$(pubfp "$T/b-plain.pem")" "$RSA_FP" "PEM: the same key"

# --- (c) a PKCS#12 whose key bag does not decrypt: its certificates are listed --
# openssl -twopass: the MAC under one password, the key bag under another
# (certificates unencrypted, -certpbe NONE); prompts come from stdin (setsid:
# no terminal).  openssl reads it back with both passwords.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/two.key" -subj "/CN=two pass leaf" -days 30 \
  -out "$T/two.crt" 2>/dev/null
TWO_FP=$(fp "$T/two.crt")
printf 'mac-pass\nmac-pass\nbag-pass\nbag-pass\n' | setsid openssl pkcs12 -export -twopass \
  -in "$T/two.crt" -inkey "$T/two.key" -name twokey -certpbe NONE -out "$T/two.p12" 2>/dev/null
printf 'mac-pass\nbag-pass\n' | setsid openssl pkcs12 -in "$T/two.p12" -twopass -nodes -nocerts \
  -out "$T/two-peer.pem" 2>/dev/null
expect_eq "$(pubfp "$T/two-peer.pem")" "$(pubfp "$T/two.key")" "openssl reads the two-password PKCS#12"
run env MP=mac-pass "$PSECONV" inspect --password env:MP "$T/two.p12"
expect_rc 3 "inspect: the key bag does not decrypt"
expect_eq "$ERR" "pseconv: $T/two.p12: the private key 'twokey' does not decrypt with the file's password (it has a password of its own: give it with --key-password) or the file is damaged" \
  "the key bag in one line"
expect_eq "$(printf '%s\n' "$OUT" | sed -n '1,3p;/sha256:/p')" "$T/two.p12: p12, 1 entry
  [1] twokey (key-pair)
      note:        private key not decrypted (see the error)
      sha256:      $TWO_FP" "the certificate is listed, as a key pair without its key"
run env MP=mac-pass "$PSECONV" inspect --json --password env:MP "$T/two.p12"
expect_rc 3 "inspect --json: the key bag does not decrypt"
expect_contains "$OUT" '"alias":"twokey","type":"key-pair","private_key":false,' "JSON: private_key false"
expect_contains "$OUT" "\"sha256\":\"$TWO_FP\"" "JSON: the certificate"
run env MP=mac-pass "$PSECONV" convert --password env:MP "$T/two.p12" -o "$T/c-out.pem"
expect_rc 3 "convert: the key is needed"
expect_no_file "$T/c-out.pem" "convert: nothing written"
run env MP=mac-pass KP=bag-pass "$PSECONV" convert --password env:MP --key-password env:KP \
  --out-password env:KP "$T/two.p12" -o "$T/c-out.pem"
expect_rc 0 "convert with --key-password"
expect_eq "$(pubfp "$T/c-out.pem" bag-pass)" "$(pubfp "$T/two.key")" "convert: the key"
expect_eq "$(fp "$T/c-out.pem")" "$TWO_FP" "convert: the certificate"
# a key bag over the iteration cap (a PBE pseconv refuses): the same, its own line
openssl pkcs12 -export -in "$T/two.crt" -inkey "$T/two.key" -name capkey -certpbe NONE -iter 200000 \
  -nomaciter -passout pass:cap-pass -out "$T/cap.p12"
run env PSECONV_MAX_ITERATIONS=100000 CP=cap-pass "$PSECONV" inspect --password env:CP "$T/cap.p12"
expect_rc 3 "inspect: key bag over the iteration cap"
expect_eq "$ERR" "pseconv: $T/cap.p12: the PKCS#12 private key 'capkey' asks for 200000 key-derivation iterations, more than the limit of 100000; refusing to spend that time on an untrusted file" \
  "over the cap: one line naming the key bag"
expect_contains "$OUT" "sha256:      $TWO_FP" "over the cap: the certificate is listed"

# --- (d) a JKS whose key password differs from the store password -------------
keytool -genkeypair -alias partner -keyalg EC -groupname secp256r1 -dname "CN=jks partner" \
  -keystore "$T/two.jks" -storetype JKS -storepass store-pass -keypass key-pass -validity 30 >/dev/null 2>&1
keytool -exportcert -rfc -alias partner -keystore "$T/two.jks" -storepass store-pass -file "$T/jks.crt" >/dev/null 2>&1
KL=$(keytool -list -keystore "$T/two.jks" -storepass store-pass 2>/dev/null)
expect_contains "$KL" "partner, " "keytool -list with the store password lists the entry"
run env SP=store-pass "$PSECONV" inspect --password env:SP "$T/two.jks"
expect_rc 0 "inspect with the store password only"
expect_eq "$(printf '%s\n' "$OUT" | sed -n '1,3p;/sha256:/p')" "$T/two.jks: jks, 1 entry
  [1] partner (key-pair)
      note:        private key not decrypted: its password differs from the store password (give --key-password to convert it)
      sha256:      $(fp "$T/jks.crt")" "the entry is listed: alias, type, certificate"
expect_eq "$ERR" "" "inspect: no error line"
run env SP=store-pass "$PSECONV" convert --password env:SP --out-password env:SP "$T/two.jks" -o "$T/d-out.p12"
expect_rc 3 "convert needs --key-password"
expect_eq "$ERR" "pseconv: $T/two.jks: wrong key password for entry 'partner' (the key does not decrypt); try --key-password" "convert: the one-line message"
expect_no_file "$T/d-out.p12" "convert: nothing written"
run env SP=store-pass KP=key-pass "$PSECONV" convert --password env:SP --key-password env:KP \
  --out-password env:SP "$T/two.jks" -o "$T/d-out.p12"
expect_rc 0 "convert with --key-password"
KL=$(keytool -list -keystore "$T/d-out.p12" -storepass store-pass 2>/dev/null)
expect_contains "$KL" "partner, " "keytool reads the PKCS#12: alias"
expect_contains "$KL" "PrivateKeyEntry" "keytool reads the PKCS#12: with the key"

finish
