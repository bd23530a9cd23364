#!/usr/bin/env bash
# PKCS#12 against the real peers: what `openssl pkcs12 -export` (default and
# -legacy) and keytool (OpenJDK 17) write, pseconv reads with the same
# fingerprints; what pseconv writes (modern and --legacy), keytool -list and
# `openssl pkcs12 -info` read.  Expected values come from openssl/keytool.
. "$(dirname "$0")/lib.sh"

export PW=fixture-pass
export KPW=changeit
export OPW='Str0ng-Pass!'

# json_entries FILE: "alias|type|chain length|sha256 of every certificate" per entry.
json_entries() {
  $SYSPY -c '
import json, sys
for f in json.load(sys.stdin)["files"]:
    for e in f["entries"]:
        print("|".join([e["alias"], e["type"], str(len(e["certificates"]))] +
                       [c["sha256"] for c in e["certificates"]]))'
}
# keytool_fps STORE PASS: the SHA256 lines of `keytool -list -v`, lowercase, no colons.
keytool_fps() {
  keytool -list -v -keystore "$1" -storepass "$2" 2>/dev/null |
    sed -n 's/^[[:space:]]*SHA256: //p' | tr -d ':' | tr 'A-F' 'a-f'
}
LEAF=$(fp "$FX/erp-client.crt")
ISSUING=$(fp "$FX/corp-issuing.crt")
ROOT=$(fp "$FX/corp-root.crt")

# ---- pseconv reads what OpenSSL writes ------------------------------------
openssl pkcs12 -export -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" \
  -certfile "$FX/corp-chain.pem" -name erp-client -passout env:PW -out "$T/ossl.p12"
openssl pkcs12 -export -legacy -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" \
  -certfile "$FX/corp-chain.pem" -name erp-client -passout env:PW -out "$T/ossl-legacy.p12"
for f in ossl ossl-legacy; do
  run "$PSECONV" inspect --json --password env:PW "$T/$f.p12"
  expect_rc 0 "inspect openssl $f.p12"
  expect_eq "$(printf '%s' "$OUT" | json_entries)" "erp-client|key-pair|3|$LEAF|$ISSUING|$ROOT" \
    "openssl $f.p12: one key pair, chain leaf/issuing/root as openssl x509 prints them"
done
run "$PSECONV" inspect --json --password env:PW "$T/ossl-legacy.p12"
expect_contains "$OUT" '"format":"p12"' "legacy file detected as p12 without --from"

# Other layouts real tools write: certificates in a plain SafeContents (Windows
# "no certificate encryption", -certpbe NONE), RC4 certificates with an
# RC2-40 key, and a file encrypted but without MAC (-nomac).
V=0
for opts in "-certpbe NONE" "-legacy -certpbe PBE-SHA1-RC4-128 -keypbe PBE-SHA1-RC2-40" \
            "-nomac" "-macalg sha1 -certpbe PBE-SHA1-3DES -keypbe AES-128-CBC"; do
  V=$((V + 1))
  # shellcheck disable=SC2086
  openssl pkcs12 -export $opts -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" \
    -certfile "$FX/corp-chain.pem" -name erp-client -passout env:PW -out "$T/variant$V.p12"
  run "$PSECONV" inspect --json --password env:PW "$T/variant$V.p12"
  expect_rc 0 "openssl pkcs12 -export $opts"
  expect_eq "$(printf '%s' "$OUT" | json_entries)" "erp-client|key-pair|3|$LEAF|$ISSUING|$ROOT" \
    "openssl $opts: key pair with its chain"
  [ "$opts" = "-nomac" ] && expect_contains "$ERR" "without integrity check (no MAC)" "-nomac file is warned about"
done
run "$PSECONV" inspect --password pass:wrong "$T/variant3.p12"
expect_rc 3 "-nomac file with a wrong password"
expect_contains "$ERR" "wrong password for $T/variant3.p12" "wrong password found without MAC"

# The legacy provider is needed for RC2-40; without it the message names the algorithm.
mkdir -p "$T/no-modules"
OPENSSL_MODULES="$T/no-modules" run "$PSECONV" inspect --password env:PW "$T/ossl-legacy.p12"
expect_rc 3 "RC2-40 file without OpenSSL's legacy provider"
expect_contains "$ERR" "needs RC2-40-CBC from OpenSSL's legacy provider, which could not be loaded" \
  "the message names the algorithm and the provider"
expect_one_error_line "legacy provider error is one pseconv: line"

# Non-ASCII password: UTF-8 as OpenSSL 3 and Java use it, and the OpenSSL 1.0
# form (each byte one character) that OpenSSL's CLI retries as well.
export NPW='pässwörd'
BROKEN=$(printf '%s' "$NPW" | iconv -f latin1 -t utf-8)
openssl pkcs12 -export -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" -name na \
  -passout env:NPW -out "$T/na-utf8.p12"
openssl pkcs12 -export -legacy -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" -name na \
  -passout "pass:$BROKEN" -out "$T/na-broken.p12"
for f in na-utf8 na-broken; do
  run "$PSECONV" inspect --json --password env:NPW "$T/$f.p12"
  expect_rc 0 "non-ASCII password, $f"
  expect_eq "$(printf '%s' "$OUT" | json_entries)" "na|key-pair|1|$LEAF" "$f: key pair read"
done

# ---- pseconv reads what keytool writes ------------------------------------
keytool -genkeypair -keystore "$T/kt.p12" -storetype PKCS12 -storepass "$KPW" -alias first \
  -keyalg EC -groupname secp256r1 -dname "CN=first, O=Test" >/dev/null 2>&1
keytool -genkeypair -keystore "$T/kt.p12" -storetype PKCS12 -storepass "$KPW" -alias second \
  -keyalg RSA -keysize 2048 -dname "CN=second, O=Test" >/dev/null 2>&1
keytool -importcert -noprompt -keystore "$T/kt.p12" -storetype PKCS12 -storepass "$KPW" \
  -alias corp-root -file "$FX/corp-root.crt" >/dev/null 2>&1
KT_FPS=$(keytool_fps "$T/kt.p12" "$KPW" | sort)
run "$PSECONV" inspect --json --password env:KPW "$T/kt.p12"
expect_rc 0 "inspect keytool PKCS12 (2 keys + 1 trusted)"
ENTRIES=$(printf '%s' "$OUT" | json_entries)
expect_eq "$(printf '%s\n' "$ENTRIES" | cut -d'|' -f1-3 | sort | tr '\n' ' ')" \
  "corp-root|trusted|1 first|key-pair|1 second|key-pair|1 " "keytool store: aliases and entry types"
expect_eq "$(printf '%s\n' "$ENTRIES" | cut -d'|' -f4 | sort)" "$KT_FPS" \
  "keytool store: fingerprints equal keytool -list -v"

# keytool -importcert of several CA certificates into a PKCS12 trust store.
for c in corp-root hci-root lb-root; do
  keytool -importcert -noprompt -keystore "$T/kt-trust.p12" -storetype PKCS12 -storepass "$KPW" \
    -alias "$c" -file "$FX/$c.crt" >/dev/null 2>&1
done
run "$PSECONV" inspect --json --password env:KPW "$T/kt-trust.p12"
expect_rc 0 "inspect keytool trust store"
expect_eq "$(printf '%s' "$OUT" | json_entries | sort | tr '\n' ' ')" \
  "corp-root|trusted|1|$ROOT hci-root|trusted|1|$(fp "$FX/hci-root.crt") lb-root|trusted|1|$(fp "$FX/lb-root.crt") " \
  "keytool trust store: three trusted entries with openssl's fingerprints"

# keytool's password-less PKCS12 (no MAC, plain bags; Debian's cacerts since JDK 18).
keytool -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE \
  -importcert -noprompt -keystore "$T/kt-nopass.p12" -storetype PKCS12 -storepass "$KPW" \
  -alias corp-root -file "$FX/corp-root.crt" >/dev/null 2>&1
run "$PSECONV" inspect --json "$T/kt-nopass.p12"
expect_rc 0 "password-less keytool PKCS12 read without --password"
expect_eq "$(printf '%s' "$OUT" | json_entries)" "corp-root|trusted|1|$ROOT" "password-less store: trusted entry"

# ---- keytool and openssl read what pseconv writes -------------------------
for profile in modern legacy; do
  flag=""; osslflag=""
  [ $profile = legacy ] && { flag="--legacy"; osslflag="-legacy"; }
  out="$T/ours-$profile.p12"
  run "$PSECONV" convert $flag --out-password env:OPW -o "$out" "$FX/erp-client-keychain.pem"
  expect_rc 0 "convert PEM key + chain -> p12 ($profile)"
  expect_eq "$(stat -c %a "$out" 2>/dev/null)" "600" "$profile p12 with a key is mode 0600"
  LIST=$(keytool -list -v -keystore "$out" -storepass "$OPW" 2>&1)
  expect_contains "$LIST" "Entry type: PrivateKeyEntry" "keytool sees a PrivateKeyEntry ($profile)"
  expect_contains "$LIST" "Certificate chain length: 3" "keytool sees a chain of 3 ($profile)"
  expect_eq "$(keytool_fps "$out" "$OPW" | tr '\n' ' ')" "$LEAF $ISSUING $ROOT " \
    "keytool fingerprints leaf, issuing, root ($profile)"
  INFO=$(openssl pkcs12 $osslflag -info -nodes -in "$out" -passin env:OPW 2>&1)
  if [ $profile = modern ]; then
    expect_contains "$INFO" "MAC: sha256, Iteration 2048" "modern: SHA-256 MAC, 2048 iterations"
    expect_contains "$INFO" "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256" \
      "modern: key under PBES2/AES-256"
    expect_contains "$INFO" "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC" "modern: certificates under AES-256"
  else
    expect_contains "$INFO" "MAC: sha1, Iteration 2048" "legacy: SHA-1 MAC"
    expect_contains "$INFO" "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC" "legacy: key under 3DES"
    expect_contains "$INFO" "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC" "legacy: certificates under 3DES"
  fi
  openssl pkcs12 $osslflag -in "$out" -passin env:OPW -nocerts -nodes 2>/dev/null |
    openssl pkey -pubout >"$T/pub-key.pem" 2>/dev/null
  openssl pkcs12 $osslflag -in "$out" -passin env:OPW -clcerts -nokeys 2>/dev/null |
    openssl x509 -pubkey -noout >"$T/pub-cert.pem" 2>/dev/null
  expect_eq "$(cat "$T/pub-key.pem")" "$(cat "$T/pub-cert.pem")" "openssl: the key matches the leaf ($profile)"
  expect_contains "$(cat "$T/pub-key.pem")" "BEGIN PUBLIC KEY" "openssl extracted the key ($profile)"
done

# p12 -> p12 keeps the alias and the chain.
run "$PSECONV" convert --password env:PW --out-password env:OPW -o "$T/re.p12" "$FX/erp-client.p12"
expect_rc 0 "convert p12 -> p12"
expect_eq "$(keytool_fps "$T/re.p12" "$OPW" | tr '\n' ' ')" "$LEAF $ISSUING $ROOT " "p12 -> p12: keytool fingerprints"

# A PEM bundle of CA certificates -> one PKCS#12 trust store, in one call.
cat "$FX/corp-root.crt" "$FX/hci-root.crt" "$FX/lb-root.crt" "$FX/c4c-root.crt" >"$T/cas.pem"
WANT=$(for c in corp-root hci-root lb-root c4c-root; do fp "$FX/$c.crt"; done | sort)
run "$PSECONV" convert --out-password env:OPW -o "$T/trust.p12" "$T/cas.pem"
expect_rc 0 "PEM bundle of 4 CA certs -> trust store"
LIST=$(keytool -list -keystore "$T/trust.p12" -storepass "$OPW" 2>&1)
expect_eq "$(printf '%s\n' "$LIST" | grep -c trustedCertEntry)" "4" "keytool: 4 trustedCertEntry"
expect_eq "$(keytool_fps "$T/trust.p12" "$OPW" | sort)" "$WANT" "keytool: the 4 fingerprints"
# Without a password: a password-less store, which keytool lists without -storepass.
run "$PSECONV" convert -o "$T/trust-nopass.p12" "$T/cas.pem"
expect_rc 0 "trust store without a password"
expect_contains "$ERR" "written without a password" "warns that the store has no password"
LIST=$(keytool -list -keystore "$T/trust-nopass.p12" </dev/null 2>&1)
expect_eq "$(printf '%s\n' "$LIST" | grep -c trustedCertEntry)" "4" "keytool lists the password-less store"
INFO=$(openssl pkcs12 -info -nokeys -in "$T/trust-nopass.p12" -passin pass: 2>&1)
expect_contains "$INFO" "MAC is absent" "password-less store has no MAC"
expect_not_contains "$INFO" "Encrypted data" "password-less store has plain bags"

# A key pair without a password is refused, and no file is left behind.
run "$PSECONV" convert -o "$T/nokeypass.p12" "$FX/erp-client-keychain.pem"
expect_rc 2 "key pair without --out-password"
expect_contains "$ERR" "--out-password" "the message names --out-password"
expect_no_file "$T/nokeypass.p12" "no output left behind"

# ---- p12 -> PEM (uses the PEM writer) -------------------------------------
run "$PSECONV" convert --password env:PW -o "$T/out.pem" "$FX/erp-client.p12"
if [ "$RC" -eq 0 ]; then
  expect_eq "$(fps_pem "$T/out.pem" | tr '\n' ' ')" "$LEAF $ISSUING $ROOT " "p12 -> PEM: chain leaf first"
  openssl pkey -in "$T/out.pem" -passin env:PW -pubout >"$T/pem-pub.pem" 2>/dev/null
  openssl x509 -in "$FX/erp-client.crt" -pubkey -noout >"$T/crt-pub.pem"
  expect_eq "$(cat "$T/pem-pub.pem")" "$(cat "$T/crt-pub.pem")" "p12 -> PEM: the key matches the leaf"
else
  bad "p12 -> PEM (PEM writer not ready?)" "stderr: $ERR"
fi

# ---- errors ---------------------------------------------------------------
run "$PSECONV" inspect --password pass:wrong "$FX/erp-client.p12"
expect_rc 3 "wrong password"
expect_contains "$ERR" "wrong password for $FX/erp-client.p12 (integrity check failed); try --password" \
  "wrong password message"
run "$PSECONV" inspect "$FX/erp-client.p12"
expect_rc 3 "no password for a protected file"
expect_contains "$ERR" "--password" "no-password message names --password"
expect_one_error_line "no-password error is one pseconv: line"
head -c 1500 "$FX/erp-client.p12" >"$T/cut.p12"
run "$PSECONV" inspect --password env:PW "$T/cut.p12"
expect_rc 3 "truncated file"
expect_contains "$ERR" "$T/cut.p12 is damaged" "truncated file is reported damaged"

# ---- --for cpi --------------------------------------------------------------
export WEAK=password
run "$PSECONV" convert --for cpi --out-password env:WEAK -o "$T/cpi.p12" "$FX/erp-client-keychain.pem"
expect_rc 0 "--for cpi with a weak password still writes"
expect_contains "$ERR" "does not meet SAP Cloud Integration's keystore policy" "weak password warning"
run "$PSECONV" convert --for cpi --password env:KPW --out-password env:OPW -o "$T/cpi2.p12" "$T/kt.p12"
expect_rc 0 "--for cpi with two keys"
expect_contains "$ERR" "holds 2 private keys" "two keys in one file warned"
expect_not_contains "$ERR" "keystore policy" "a strong password is not warned about"
expect_not_contains "$ERR" "30720 bytes" "a small file is not warned about"
# A key pair plus many CA certificates is over CPI's 30,720-byte limit.
cat "$FX"/*-root.crt "$FX"/*-intermediate.crt "$FX"/corp-issuing.crt "$FX"/*-server.crt \
  "$FX"/*-client.crt "$FX"/rsa1024.crt "$FX"/sha1.crt >"$T/many.pem"
for i in $(seq 1 30); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
    -subj "/CN=Test CA $i" -days 30 2>/dev/null >>"$T/many.pem"
done
run "$PSECONV" convert --for cpi --out-password env:OPW -o "$T/big.p12" "$FX/erp-client-keychain.pem" "$T/many.pem"
expect_rc 0 "--for cpi with a big key pair file"
SIZE=$(stat -c %s "$T/big.p12")
if [ "$SIZE" -gt 30720 ]; then
  expect_contains "$ERR" "$SIZE bytes; SAP Cloud Integration's Add > Key Pair takes at most 30720 bytes" \
    "size over 30,720 bytes warned"
else
  bad "big.p12 is only $SIZE bytes; the test needs more certificates"
fi

# ---- JKS (Debian's cacerts) -> PKCS#12, needs the JKS reader ---------------
CACERTS=/etc/ssl/certs/java/cacerts
if [ -r "$CACERTS" ] && "$PSECONV" inspect --password env:KPW "$CACERTS" >/dev/null 2>&1; then
  N=$(keytool -list -keystore "$CACERTS" -storepass "$KPW" 2>/dev/null | grep -c trustedCertEntry)
  run "$PSECONV" convert --password env:KPW --out-password env:KPW -o "$T/cacerts.p12" "$CACERTS"
  expect_rc 0 "Debian cacerts (JKS) -> PKCS#12"
  expect_eq "$(keytool -list -keystore "$T/cacerts.p12" -storepass "$KPW" 2>/dev/null | grep -c trustedCertEntry)" \
    "$N" "keytool lists all $N cacerts entries as trustedCertEntry"
  expect_eq "$(keytool_fps "$T/cacerts.p12" "$KPW" | sort)" "$(keytool_fps "$CACERTS" "$KPW" | sort)" \
    "cacerts.p12 has the fingerprints of the JKS"
else
  echo "skip - Debian cacerts -> PKCS#12 (no JKS reader or no $CACERTS)"
fi

finish
