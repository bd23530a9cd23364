#!/usr/bin/env bash
# inspect --no-decrypt of a PKCS#12 pairs a shrouded key bag with its
# certificate by localKeyId without decrypting the key (keytool -list decrypts
# no key either); plain inspect and convert decrypt it, and so does
# inspect --no-decrypt when only the public key can pair it.  Timing-independent evidence: a KDF iteration cap
# (PSECONV_MAX_ITERATIONS) below the key bag's count stops every path that
# runs the key's KDF, and only those.
. "$(dirname "$0")/lib.sh"

export PW=fixture-pass
LEAF=$(fp "$FX/erp-client.crt")
# key bag: PBKDF2 with 50,000 iterations; MAC with 1 iteration; certificates
# not encrypted: the key is the only part that asks for more than the cap.
openssl pkcs12 -export -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" -name erp-client \
  -iter 50000 -nomaciter -certpbe NONE -passout env:PW -out "$T/slowkey.p12"
# the key alone: no certificate carries its localKeyId
openssl pkcs12 -export -nocerts -inkey "$FX/erp-client.key" -name lonely-key \
  -iter 50000 -nomaciter -passout env:PW -out "$T/keyonly.p12"

# inspect: paired by localKeyId, listed as a key pair, no KDF for the key
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" inspect --no-decrypt --json --password env:PW "$T/slowkey.p12"
expect_rc 0 "inspect pairs the key by localKeyId without decrypting it (cap below its KDF)"
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c '
import json, sys
for f in json.load(sys.stdin)["files"]:
    for e in f["entries"]:
        print(e["alias"], e["type"], e["private_key"], e["certificates"][0]["sha256"])')" \
  "erp-client key-pair True $LEAF" "the entry: alias, key-pair, private key present, the leaf"
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" inspect --no-decrypt --password env:PW "$T/slowkey.p12"
expect_rc 0 "inspect (text) under the same cap"
expect_contains "$OUT" "[1] erp-client (key-pair)" "text: the key pair is listed"
# without --no-decrypt inspect decrypts every key (issue 16: a key bag that
# does not decrypt is reported): the cap refuses it, the certificate is listed
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" inspect --password env:PW "$T/slowkey.p12"
expect_rc 3 "plain inspect decrypts the key: refused under the cap"
expect_contains "$OUT" "[1] erp-client (key-pair)" "plain inspect: the certificate is still listed"
expect_contains "$ERR" "the PKCS#12 private key 'erp-client' asks for 50000 key-derivation iterations, more than the limit of 10000" \
  "plain inspect: the key's KDF was the one refused"

# convert needs the key: the cap stops the key's KDF, naming it
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" convert --password env:PW "$T/slowkey.p12" -o "$T/out.pem"
expect_rc 3 "convert decrypts the key: refused under the cap"
expect_contains "$ERR" "the PKCS#12 private key 'erp-client' asks for 50000 key-derivation iterations, more than the limit of 10000" \
  "convert: the key's iteration count is what the cap refused"
expect_no_file "$T/out.pem" "convert under the cap: no output"
# without the cap convert decrypts it: the key matches the leaf
run "$PSECONV" convert --password env:PW "$T/slowkey.p12" -o "$T/out.pem"
expect_rc 0 "convert without a cap"
expect_eq "$(openssl pkey -in "$T/out.pem" -passin env:PW -pubout 2>/dev/null | openssl sha256 -r | cut -d' ' -f1)" \
  "$(openssl x509 -in "$FX/erp-client.crt" -noout -pubkey | openssl sha256 -r | cut -d' ' -f1)" \
  "convert: the decrypted key is the leaf's"

# without a MAC the key's decryption is the only check of the password: done
openssl pkcs12 -export -in "$FX/erp-client.crt" -inkey "$FX/erp-client.key" -name erp-client \
  -iter 50000 -nomac -certpbe NONE -passout env:PW -out "$T/nomac.p12"
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" inspect --no-decrypt --password env:PW "$T/nomac.p12"
expect_rc 3 "inspect of a PKCS#12 without MAC decrypts the key (the password's only check)"
expect_contains "$ERR" "the PKCS#12 private key 'erp-client' asks for 50000 key-derivation iterations" \
  "no MAC: the key's KDF was the one refused"

# a key that localKeyId cannot pair: inspect must decrypt it (its public key decides)
PSECONV_MAX_ITERATIONS=10000 run "$PSECONV" inspect --no-decrypt --password env:PW "$T/keyonly.p12"
expect_rc 3 "inspect decrypts a key that only its public key can pair: refused under the cap"
expect_contains "$ERR" "the PKCS#12 private key 'lonely-key' asks for 50000 key-derivation iterations" \
  "inspect of the unpaired key: the key's KDF was the one refused"

finish
