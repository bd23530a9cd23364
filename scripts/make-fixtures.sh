#!/usr/bin/env bash
# make-fixtures.sh - (re)generate the test PKI under <repo>/fixtures/pki/ and
# the landscape variants under <repo>/fixtures/landscape/.
#
#   make-fixtures.sh               everything (new keys: every PKI file changes)
#   make-fixtures.sh --landscapes  only fixtures/landscape/pki/ and the variants
#                                  (from scripts/landscapes/*.ini); fixtures/pki/
#                                  is read, never changed
#   make-fixtures.sh --scc         only fixtures/landscape/scc/ (SAP Cloud Connector
#                                  PKI) and fixtures/landscape/scc*.ini; nothing
#                                  else is read but corp-root of fixtures/pki/
#
# The files are committed to git and are produced ONLY by this script; never
# edit them by hand.  Re-running replaces them (keys are random, so every run
# produces new bytes).  Needs only the OpenSSL 3.0 CLI, bash and coreutils.
# Prints a summary line per part on success; on failure it prints the log of
# the failing openssl commands.
set -euo pipefail
ONLY_LANDSCAPES=0
ONLY_SCC=0
[ "${1:-}" = --landscapes ] && ONLY_LANDSCAPES=1
[ "${1:-}" = --scc ] && ONLY_LANDSCAPES=1 && ONLY_SCC=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/fixtures/pki
W=$(mktemp -d)
START_SECS=$SECONDS
exec 3>&1 4>&2 >"$W/log" 2>&1
on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then cat "$W/log" >&4; echo "make-fixtures: FAILED (rc=$rc)" >&4; fi
    rm -rf "$W"
}
trap on_exit EXIT

mkdir -p "$W/keys" "$W/db"

PASS=fixture-pass
GOOD_FROM=20250101000000Z   # good certificates: 2025-01-01 .. 2045-01-01
GOOD_TO=20450101000000Z
SOON_TO=$(date -u -d 'today + 10 days' +%Y%m%d000000Z)

# ---- throwaway "openssl ca" configuration ---------------------------------
: >"$W/db/index.txt"
echo 1000 >"$W/db/serial"
cat >"$W/ca.cnf" <<EOF
[ca]
default_ca = fixture_ca
[fixture_ca]
database        = $W/db/index.txt
serial          = $W/db/serial
new_certs_dir   = $W/db
policy          = any_dn
preserve        = yes
unique_subject  = no
email_in_dn     = no
copy_extensions = none
[any_dn]
countryName            = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = optional
EOF

# ---- README bookkeeping ----------------------------------------------------
NOTES=()
note() { NOTES+=("- \`$1\`: $2"); }

# ---- key generation: genkey NAME TYPE  (unencrypted PKCS#8 PEM) -------------
genkey() {
    local k=$W/keys/$1.key
    case $2 in
        ec256)   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k" ;;
        ec384)   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$k" ;;
        rsa*)    openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$k" ;;
        *)       echo "unknown key type $2"; return 1 ;;
    esac
}

# ---- extension profiles (';' separates lines of the extension section) -----
ROOT_EXT="basicConstraints=critical,CA:TRUE;keyUsage=critical,keyCertSign,cRLSign;subjectKeyIdentifier=hash"
SUBCA_EXT="basicConstraints=critical,CA:TRUE,pathlen:0;keyUsage=critical,keyCertSign,cRLSign;subjectKeyIdentifier=hash;authorityKeyIdentifier=keyid:always"
LEAF="basicConstraints=critical,CA:FALSE;subjectKeyIdentifier=hash;authorityKeyIdentifier=keyid"
CLIENT="$LEAF;keyUsage=critical,digitalSignature;extendedKeyUsage=clientAuth"
SERVER="$LEAF;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth"
RSA_SERVER="$LEAF;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth"

# ---- issue NAME KEYTYPE ISSUER EXTS SUBJECT DESCRIPTION [FROM TO MD] --------
# Writes NAME.crt into $OUT; the key stays in $W/keys until publish_keys.
# ISSUER is "self" or the NAME of an earlier certificate.
issue() {
    local name=$1 ktype=$2 issuer=$3 exts=$4 subj=$5 desc=$6
    local from=${7:-$GOOD_FROM} to=${8:-$GOOD_TO} md=${9:-sha256}
    local signer=(-cert "$OUT/$issuer.crt" -keyfile "$W/keys/$issuer.key")
    [ "$issuer" = self ] && signer=(-selfsign -keyfile "$W/keys/$name.key")
    genkey "$name" "$ktype"
    printf '[ext]\n%s\n' "${exts//;/$'\n'}" >"$W/$name.ext"
    openssl req -new -key "$W/keys/$name.key" -subj "$subj" -out "$W/$name.csr"
    openssl ca -batch -config "$W/ca.cnf" -notext -md "$md" \
        -startdate "$from" -enddate "$to" "${signer[@]}" \
        -extfile "$W/$name.ext" -extensions ext -in "$W/$name.csr" -out "$name.crt"
    note "$name.crt" "$desc"
}

publish_keys() {
    local n
    for n in "$@"; do
        cp "$W/keys/$n.key" "$n.key"
        note "$n.key" "private key of $n.crt (unencrypted PKCS#8 PEM)"
    done
}

VERIFIED=0
check() {   # check CAFILE UNTRUSTED|- CERT [extra verify options...]
    local ca=$1 un=$2 crt=$3; shift 3
    local args=(-CAfile "$ca")
    [ "$un" != - ] && args+=(-untrusted "$un")
    openssl verify "${args[@]}" "$@" "$crt"
    VERIFIED=$((VERIFIED + 1))
}

cat_to() { local out=$1 desc=$2; shift 2; cat "$@" >"$out"; note "$out" "$desc"; }

NW="/C=DE/O=Nordwind Handel AG"
if [ "$ONLY_LANDSCAPES" = 0 ]; then
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
# ============================ corporate PKI ==================================
issue corp-root    rsa3072 self      "$ROOT_EXT"  "$NW/CN=Nordwind Root CA" "Nordwind root CA (RSA 3072, self-signed)"
issue corp-issuing rsa2048 corp-root "$SUBCA_EXT" "$NW/CN=Nordwind Issuing CA 07" "Nordwind issuing CA (RSA 2048, pathlen:0, signed by corp-root)"
cat_to corp-chain.pem "issuing CA + root CA (2 PEM certs)" corp-issuing.crt corp-root.crt

issue erp-client ec256 corp-issuing "$CLIENT" "$NW/OU=SAP/CN=ERP-P41 SSL Client Standard" \
    "ERP STRUST SSL Client Standard own cert (EC P-256, clientAuth)"
issue erp-server ec256 corp-issuing "$SERVER;subjectAltName=DNS:erp.nordwind.example" \
    "$NW/OU=SAP/CN=erp.nordwind.example" "ERP SSL Server Standard own cert (EC P-256, serverAuth, SAN)"
issue erp-client-noeku ec256 corp-issuing "$LEAF;keyUsage=critical,digitalSignature;extendedKeyUsage=emailProtection" \
    "$NW/OU=SAP/CN=ERP-P41 SSL Client Mail Only" "CA-signed client cert whose EKU has only emailProtection (missing-eku finding)"
issue erp-selfsigned ec256 self "subjectKeyIdentifier=hash" \
    "/C=DE/O=SAP Trust Community/OU=SAP Web AS/OU=I0020266789/CN=P41 SSL client Standard" \
    "STRUST-style self-signed cert (EC P-256, no EKU, no basicConstraints)"
issue wd-client ec256 corp-issuing "$CLIENT" "$NW/OU=SAP/CN=WD SSL Client Standard" \
    "Web Dispatcher own client cert (EC P-256, clientAuth)"
issue wd-server ec256 corp-issuing "$SERVER;subjectAltName=DNS:wd.nordwind.example" \
    "$NW/OU=SAP/CN=wd.nordwind.example" "Web Dispatcher own server cert (EC P-256, serverAuth, SAN)"
issue erp-rsa rsa2048 corp-issuing \
    "$LEAF;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=serverAuth,clientAuth;subjectAltName=DNS:erp-rsa.nordwind.example" \
    "$NW/OU=SAP/CN=erp-rsa.nordwind.example" "RSA 2048 cert with serverAuth+clientAuth"

# ============================ SAP-side fakes =================================
issue hci-root rsa2048 self "$ROOT_EXT" "/C=IE/O=Baltimore/OU=CyberTrust/CN=Fake Baltimore CyberTrust Root" \
    "fake Baltimore root (RSA 2048, self-signed)"
issue hci-intermediate rsa2048 hci-root "$SUBCA_EXT" "/C=DE/O=SAP SE/CN=Fake SAP Cloud Platform Client CA" \
    "fake SAP client CA (signed by hci-root)"
issue hci-client ec256 hci-intermediate "$CLIENT" \
    "/C=DE/O=SAP SE/OU=SAP Cloud Integration/CN=hci-tenant-p1234.eu1.hana.ondemand.com client" \
    "HCI tenant client cert from the provisioning mail (EC P-256, clientAuth)"
cat_to hci-client-chain.pem "issuers of hci-client: intermediate + root" hci-intermediate.crt hci-root.crt
openssl crl2pkcs7 -nocrl -certfile hci-client-chain.pem -outform DER -out hci-client-chain.p7b
note hci-client-chain.p7b "DER PKCS#7 certs-only of hci-client-chain.pem"

LBN="*.it-cpi001-rt.cfapps.eu10.hana.ondemand.com"
issue lb-root rsa2048 self "$ROOT_EXT" "/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=Fake DigiCert Global Root G2" \
    "fake DigiCert root (RSA 2048, self-signed)"
issue lb-intermediate rsa2048 lb-root "$SUBCA_EXT" "/C=US/O=DigiCert Inc/CN=Fake DigiCert Global G2 TLS RSA SHA256 2020 CA1" \
    "fake DigiCert TLS CA (signed by lb-root)"
issue lb-server rsa2048 lb-intermediate "$RSA_SERVER;subjectAltName=DNS:$LBN" "/CN=$LBN" \
    "CPI load balancer / worker node server cert (RSA 2048, wildcard, serverAuth)"
cat_to hci-worker-node.pem "lb-server + lb-intermediate + lb-root, leaf first (s_client -showcerts)" \
    lb-server.crt lb-intermediate.crt lb-root.crt

issue c4c-root rsa2048 self "$ROOT_EXT" "/C=DE/O=SAP SE/CN=Fake SAP Global Root CA" "fake SAP Global Root CA (RSA 2048)"
issue c4c-client ec256 c4c-root "$CLIENT" "/C=DE/O=SAP SE/CN=C4C my123456 arrangement" \
    "C4C communication arrangement client cert (EC P-256, clientAuth, signed by c4c-root)"
issue c4c-server rsa2048 c4c-root "$RSA_SERVER;subjectAltName=DNS:my123456.crm.ondemand.com" \
    "/C=DE/O=SAP SE/CN=my123456.crm.ondemand.com" "C4C tenant server cert (RSA 2048, serverAuth, signed by c4c-root)"
cat_to c4c-server-chain.pem "c4c-server + c4c-root" c4c-server.crt c4c-root.crt

P3="/C=DE/O=Nordwind Handel AG/OU=P-384 Test"
issue p384-root ec384 self "$ROOT_EXT" "$P3/CN=Nordwind P-384 Root CA" "EC P-384 root CA (SHA-384)" "" "" sha384
issue p384-intermediate ec384 p384-root "$SUBCA_EXT" "$P3/CN=Nordwind P-384 Issuing CA" \
    "EC P-384 intermediate CA (SHA-384)" "" "" sha384
issue p384-leaf ec384 p384-intermediate \
    "$LEAF;keyUsage=critical,digitalSignature;extendedKeyUsage=serverAuth,clientAuth;subjectAltName=DNS:p384.nordwind.example" \
    "$P3/CN=p384.nordwind.example" "EC P-384 leaf (SHA-384, serverAuth+clientAuth)" "" "" sha384
cat_to p384-chain.pem "p384 leaf + intermediate + root, leaf first" p384-leaf.crt p384-intermediate.crt p384-root.crt

# ---- validity / strength oddities (all signed by the corporate issuing CA) --
T="$NW/OU=SAP/CN=ERP-P41"
issue expired ec256 corp-issuing "$CLIENT" "$T Expired Client" "expired client cert (2020-01-01 .. 2021-01-01)" \
    20200101000000Z 20210101000000Z
issue expires-soon ec256 corp-issuing "$CLIENT" "$T Expiring Client" \
    "client cert valid 2025-01-01 .. run date + 10 days (${SOON_TO:0:8}); AGES: use only with a large warn_days" \
    "$GOOD_FROM" "$SOON_TO"
issue not-yet-valid ec256 corp-issuing "$CLIENT" "$T Future Client" "client cert valid only 2040-01-01 .. 2045-01-01" \
    20400101000000Z 20450101000000Z
issue rsa1024 rsa1024 corp-issuing "$LEAF;keyUsage=critical,digitalSignature,keyEncipherment;extendedKeyUsage=clientAuth" \
    "$T RSA1024 Client" "weak RSA 1024 client cert"
issue sha1 ec256 corp-issuing "$CLIENT" "$T SHA1 Client" "client cert with a SHA-1 signature (sha1WithRSAEncryption)" "" "" sha1

publish_keys corp-root corp-issuing erp-client erp-server erp-client-noeku erp-selfsigned wd-client wd-server \
    erp-rsa hci-client lb-server c4c-client c4c-server p384-root p384-intermediate p384-leaf \
    expired expires-soon rsa1024

# ---- other key encodings ----------------------------------------------------
openssl rsa -in erp-rsa.key -traditional -out erp-rsa-traditional.key
note erp-rsa-traditional.key "erp-rsa.key as traditional PKCS#1 (BEGIN RSA PRIVATE KEY)"
openssl pkcs8 -topk8 -v2 aes-256-cbc -in erp-rsa.key -passout "pass:$PASS" -out erp-rsa-enc.key
note erp-rsa-enc.key "erp-rsa.key as encrypted PKCS#8 (AES-256-CBC, password fixture-pass)"
openssl ec -in erp-client.key -out erp-ec-traditional.key
note erp-ec-traditional.key "erp-client.key as traditional SEC1 (BEGIN EC PRIVATE KEY)"

# ---- bundles and container formats --------------------------------------------
cat_to erp-client-fullchain.pem "erp-client + issuing + root, leaf first" erp-client.crt corp-chain.pem
cat_to erp-client-keychain.pem "erp-client.key followed by erp-client-fullchain.pem" erp-client.key erp-client-fullchain.pem
openssl x509 -in erp-client.crt -outform DER -out erp-client.der
note erp-client.der "erp-client.crt in DER"
openssl crl2pkcs7 -nocrl -certfile erp-client-fullchain.pem -outform DER -out erp-client-chain.p7b
note erp-client-chain.p7b "DER PKCS#7 certs-only: erp-client + issuing + root"
openssl crl2pkcs7 -nocrl -certfile erp-client-fullchain.pem -out erp-client-chain-pem.p7b
note erp-client-chain-pem.p7b "PEM PKCS#7 (BEGIN PKCS7) of the same 3 certs"
openssl pkcs12 -export -name erp-client -inkey erp-client.key -in erp-client.crt -certfile corp-chain.pem \
    -passout "pass:$PASS" -out erp-client.p12
note erp-client.p12 "PKCS#12 key+chain, OpenSSL 3 default (AES-256/PBKDF2, SHA-256 MAC), password fixture-pass"
openssl pkcs12 -export -legacy -name erp-client -inkey erp-client.key -in erp-client.crt -certfile corp-chain.pem \
    -passout "pass:$PASS" -out erp-client-legacy.p12
note erp-client-legacy.p12 "PKCS#12 with -legacy (RC2-40/3DES, SHA-1 MAC), password fixture-pass"

# ---- PEM oddities -------------------------------------------------------------
openssl pkcs12 -in erp-client.p12 -nodes -passin "pass:$PASS" -out bag-attributes.pem
note bag-attributes.pem "openssl pkcs12 -nodes dump of erp-client.p12 (Bag Attributes lines)"
while IFS= read -r line; do printf '%s\r\n' "$line"; done <corp-chain.pem >crlf.pem
note crlf.pem "corp-chain.pem with CRLF line endings"
{ printf '\xef\xbb\xbf'; cat erp-client.crt; } >bom.pem
note bom.pem "erp-client.crt preceded by a UTF-8 BOM"
head -c 4096 /dev/zero | openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
    -iv 00000000000000000000000000000000 -out garbage.bin
note garbage.bin "4096 deterministic junk bytes (AES-128-CTR keystream)"
: >empty.pem
note empty.pem "0 bytes"

# sclient-output.txt: hand-assembled `openssl s_client -showcerts` transcript
dn() { openssl x509 -in "$2" -noout "-$1" | { IFS= read -r l; printf '%s' "${l#*=}"; }; }
{
    printf 'CONNECTED(00000003)\n'
    printf 'depth=2 %s\nverify error:num=19:self-signed certificate in certificate chain\nverify return:1\n' "$(dn subject lb-root.crt)"
    printf 'depth=2 %s\nverify return:1\n' "$(dn subject lb-root.crt)"
    printf 'depth=1 %s\nverify return:1\n' "$(dn subject lb-intermediate.crt)"
    printf 'depth=0 %s\nverify return:1\n---\nCertificate chain\n' "$(dn subject lb-server.crt)"
    i=0
    for c in lb-server.crt lb-intermediate.crt lb-root.crt; do
        printf ' %d s:%s\n   i:%s\n' $i "$(dn subject $c)" "$(dn issuer $c)"
        printf '   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n'
        printf '   v:NotBefore: Jan  1 00:00:00 2025 GMT; NotAfter: Jan  1 00:00:00 2045 GMT\n'
        cat $c
        i=$((i + 1))
    done
    printf -- '---\nServer certificate\nsubject=%s\nissuer=%s\n---\n' "$(dn subject lb-server.crt)" "$(dn issuer lb-server.crt)"
    printf 'No client certificate CA names sent\nPeer signing digest: SHA256\nPeer signature type: RSA-PSS\n'
    printf 'Server Temp Key: X25519, 253 bits\n---\nSSL handshake has read 4391 bytes and written 403 bytes\n'
    printf 'Verification error: self-signed certificate in certificate chain\n---\n'
    printf 'New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384\nServer public key is 2048 bit\n'
    printf 'Secure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\n'
    printf 'Early data was not sent\nVerify return code: 19 (self-signed certificate in certificate chain)\n---\nDONE\n'
} >sclient-output.txt
note sclient-output.txt "fake 'openssl s_client -showcerts' output around the hci-worker-node.pem blocks"

# ---- verification of every chain that should verify -------------------------
for c in erp-client erp-server erp-client-noeku wd-client wd-server erp-rsa expires-soon rsa1024 sha1; do
    check corp-root.crt corp-issuing.crt $c.crt -x509_strict
done
for c in erp-client wd-client; do check corp-root.crt corp-issuing.crt $c.crt -purpose sslclient; done
for c in erp-server wd-server erp-rsa; do check corp-root.crt corp-issuing.crt $c.crt -purpose sslserver; done
check erp-selfsigned.crt - erp-selfsigned.crt
check hci-root.crt hci-intermediate.crt hci-client.crt -x509_strict -purpose sslclient
check lb-root.crt lb-intermediate.crt lb-server.crt -x509_strict -purpose sslserver
check c4c-root.crt - c4c-client.crt -x509_strict -purpose sslclient
check c4c-root.crt - c4c-server.crt -x509_strict -purpose sslserver
check p384-root.crt p384-intermediate.crt p384-leaf.crt -x509_strict

# ---- README.md (and a check that every file is documented) -------------------
{
    printf '# fixtures/pki\n\nGENERATED by scripts/make-fixtures.sh on %s - do not edit by hand, re-run the script.\n' "$(date -u +%Y-%m-%d)"
    printf "Good certificates are valid 2025-01-01 .. 2045-01-01 (SHA-256 unless noted). Passwords: \`fixture-pass\`.\n"
    printf 'NOTE: expires-soon.crt ages (not_after = generation date + 10 days).\n\n'
    printf '%s\n' "${NOTES[@]}"
} >README.md
files=(*)
[ ${#files[@]} -eq $((${#NOTES[@]} + 1)) ] || { echo "README lists ${#NOTES[@]} files, folder has ${#files[@]}"; exit 1; }

echo "make-fixtures: wrote ${#files[@]} files to fixtures/pki ($VERIFIED chains verified) in $((SECONDS - START_SECS))s" >&3
fi

if [ "$ONLY_SCC" = 0 ]; then
# ============================ landscape variants ===============================
# fixtures/landscape/pki: certificates the variants need beyond fixtures/pki
# (signed with the published corp-issuing key or by new self-signed roots),
# and one landscape per checklist concern.  fixtures/landscape/landscape.ini,
# the README's example, is not written here.
LOUT=$ROOT/fixtures/landscape/pki
PKI=$ROOT/fixtures/pki
rm -rf "$LOUT"
mkdir -p "$LOUT" "$W/ldb"
cd "$LOUT"
: >"$W/ldb/index.txt"
echo 2000 >"$W/ldb/serial"
# the same CA settings, with ST, L and emailAddress kept in the DN, in the usual order
sed "s|$W/db/|$W/ldb/|; s|email_in_dn     = no|email_in_dn     = yes|; /^\[any_dn\]/,\$d" "$W/ca.cnf" >"$W/lca.cnf"
printf '[any_dn]\n' >>"$W/lca.cnf"
printf '%s = optional\n' countryName stateOrProvinceName localityName organizationName \
    organizationalUnitName commonName emailAddress >>"$W/lca.cnf"
LNOTES=()
lnote() { LNOTES+=("- \`$1\`: $2"); }
# lissue NAME KEYTYPE ISSUER_CRT ISSUER_KEY|self EXTS SUBJECT DESCRIPTION [FROM TO]
lissue() {
    local name=$1 ktype=$2 icrt=$3 ikey=$4 exts=$5 subj=$6 desc=$7
    local from=${8:-$GOOD_FROM} to=${9:-$GOOD_TO}
    genkey "l-$name" "$ktype"
    local signer=(-cert "$icrt" -keyfile "$ikey")
    [ "$ikey" = self ] && signer=(-selfsign -keyfile "$W/keys/l-$name.key")
    printf '[ext]\n%s\n' "${exts//;/$'\n'}" >"$W/l-$name.ext"
    openssl req -new -key "$W/keys/l-$name.key" -subj "$subj" -out "$W/l-$name.csr"
    openssl ca -batch -config "$W/lca.cnf" -notext -md sha256 -startdate "$from" -enddate "$to" \
        "${signer[@]}" -extfile "$W/l-$name.ext" -extensions ext -in "$W/l-$name.csr" -out "$name.crt"
    lnote "$name.crt" "$desc"
}
lissue pub-root rsa2048 - self "$ROOT_EXT" "/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=Fake DigiCert Global Root CA" \
    "fake public root (RSA 2048), in sap-trusted-cas.pem and public-roots.pem"
lissue baltimore-expired rsa2048 - self "$ROOT_EXT" "/C=IE/O=Baltimore/OU=CyberTrust/CN=Fake Baltimore CyberTrust Root 2000" \
    "fake root that expired 2025-05-12 like the real Baltimore root" 20000512000000Z 20250512000000Z
lissue crm-public-client ec256 pub-root.crt "$W/keys/l-pub-root.key" "$CLIENT" \
    "$NW/OU=SAP/CN=CRM-P42 SSL Client Standard" "CRM client certificate from the fake public root (clientAuth)"
lissue worker-expired-root rsa2048 baltimore-expired.crt "$W/keys/l-baltimore-expired.key" \
    "$RSA_SERVER;subjectAltName=DNS:*.hana.ondemand.com" "/CN=*.hana.ondemand.com" \
    "worker node server certificate under the expired root" 20240101000000Z "$GOOD_TO"
lissue hci-client-st ec256 "$PKI/corp-issuing.crt" "$PKI/corp-issuing.key" "$CLIENT" \
    "/C=DE/ST=Hessen/L=Frankfurt am Main/O=Nordwind Handel AG/OU=Integration/CN=hci-dn.nordwind.example" \
    "HCI client certificate (own key) with ST= and L= in the DN, from Nordwind Issuing CA 07"
lissue hci-client-email ec256 "$PKI/corp-issuing.crt" "$PKI/corp-issuing.key" "$CLIENT" \
    "/C=DE/O=Nordwind Handel AG/OU=Integration/CN=hci-mail.nordwind.example/emailAddress=integration@nordwind.example" \
    "HCI client certificate with emailAddress in the DN, from Nordwind Issuing CA 07"
cat pub-root.crt >crm-public-chain.pem
lnote crm-public-chain.pem "issuer of crm-public-client (the fake public root)"
cat worker-expired-root.crt baltimore-expired.crt >worker-expired-root.pem
lnote worker-expired-root.pem "worker node chain whose root has expired (leaf + root)"
cat "$PKI/lb-root.crt" pub-root.crt baltimore-expired.crt >sap-trusted-cas.pem
lnote sap-trusted-cas.pem "stand-in for SAP's trusted CA list: fake DigiCert Global Root G2 (lb-root), fake DigiCert Global Root CA, fake expired Baltimore"
cat pub-root.crt "$PKI/lb-root.crt" "$PKI/c4c-root.crt" >public-roots.pem
lnote public-roots.pem "stand-in for the public root list (PSECONV_PUBLIC_ROOTS in the tests): the two fake DigiCert roots, fake SAP Global Root CA"
openssl verify -CAfile pub-root.crt -purpose sslclient crm-public-client.crt
for c in hci-client-st hci-client-email; do
    openssl verify -CAfile "$PKI/corp-root.crt" -untrusted "$PKI/corp-issuing.crt" -purpose sslclient $c.crt
done
{
    printf '# fixtures/landscape/pki\n\nGENERATED by scripts/make-fixtures.sh (also alone: --landscapes) on %s - do not edit by hand.\n' "$(date -u +%Y-%m-%d)"
    printf 'Certificates the landscape variants in ../ need beyond fixtures/pki (no private keys).\n\n'
    printf '%s\n' "${LNOTES[@]}"
} >README.md

cd "$ROOT/fixtures/landscape"
NINI=0
# landscape NAME: the variant's text from standard input, with the generated-by line
landscape() {
    { printf '; GENERATED by scripts/make-fixtures.sh - do not edit by hand.  Paths are relative to this folder.\n'
      cat; } >"$1.ini"
    NINI=$((NINI + 1))
}
landscape sap-trust <<'INI'
; Issue 15 items 2 and 5: client certificates presented to SAP Cloud Integration
; are checked against SAP's trusted CA list; R2 recommends every valid root of
; it; the SSL client PSE is the one the destination's SSL client identity names.
[landscape]
name            = SAP trust list
sap_trusted_cas = pki/sap-trusted-cas.pem   ; SAP's list of trusted CAs (here: fakes)

[system ERP]
type         = abap
client_cert  = ../pki/erp-client.crt        ; from Nordwind Issuing CA 07: a company CA
chain        = ../pki/corp-chain.pem

[system CRM]
type                = abap
client_cert         = pki/crm-public-client.crt  ; from a (fake) public root SAP accepts
chain               = pki/crm-public-chain.pem
ssl_client_identity = PARTNR                     ; SM59 SSL client identity of a custom PSE

[system HCI]
type         = cpi
environment  = cf
client_cert  = ../pki/hci-client.crt
client_chain = ../pki/hci-client-chain.p7b
server_chain = ../pki/hci-worker-node.pem

[flow erp-to-hci]
path = ERP -> HCI
auth = certificate

[flow crm-to-hci]
path = CRM -> HCI
auth = certificate
INI
landscape neo-basic <<'INI'
; Items 5 and 8: basic authentication trusts the server in the PSE the
; destination names (DFAULT by default, ANONYM when chosen); a Neo tenant.
[landscape]
name = Neo with basic authentication

[system ERP]
type         = abap
client_cert  = ../pki/erp-client.crt
chain        = ../pki/corp-chain.pem

[system CRM]
type                = abap
client_cert         = ../pki/erp-client.crt
chain               = ../pki/corp-chain.pem
ssl_client_identity = ANONYM

[system HCI]
type         = cpi
environment  = neo
client_cert  = ../pki/hci-client.crt
client_chain = ../pki/hci-client-chain.p7b
server_chain = ../pki/hci-worker-node.pem

[flow erp-basic]
path = ERP -> HCI
auth = basic

[flow crm-basic]
path = CRM -> HCI
auth = basic
INI
landscape direct-erp <<'INI'
; Items 3, 7, 8 and 9: HCI calls ERP and CRM without a reverse proxy; HCI's
; client key is a keystore alias of its own whose DN holds ST= (SAP: SP=).
[landscape]
name = Direct calls to the back ends

[system ERP]
type         = abap
client_cert  = ../pki/erp-client.crt
server_cert  = ../pki/erp-server.crt
chain        = ../pki/corp-chain.pem
service_user = CODINTG

[system CRM]
type         = abap
server_cert  = ../pki/erp-server.crt
chain        = ../pki/corp-chain.pem
service_user = CRMINTG                       ; roles: per CRM's integration guide

[system HCI]
type             = cpi
environment      = cf
client_cert      = pki/hci-client-st.crt
client_chain     = ../pki/corp-chain.pem
server_chain     = ../pki/hci-worker-node.pem
client_key_alias = nordwind-hci

[system C4C]
type         = c4c
client_cert  = ../pki/c4c-client.crt
server_chain = ../pki/c4c-server-chain.pem

[flow account-to-erp]
path = C4C -> HCI -> ERP
auth = certificate

[flow account-to-crm]
path = C4C -> HCI -> CRM
auth = certificate
INI
landscape passthrough <<'INI'
; Item 4: a Web Dispatcher that passes TLS through: ERP itself trusts HCI's
; client chain, no intermediary parameters.  HCI's DN holds emailAddress (item 3).
[landscape]
name = Web Dispatcher in passthrough mode

[system ERP]
type               = abap
server_cert        = ../pki/erp-server.crt
chain              = ../pki/corp-chain.pem
service_user       = CODINTG
service_user_roles = Z_C4C_INTEGRATION

[system HCI]
type         = cpi
environment  = cf
client_cert  = pki/hci-client-email.crt
client_chain = ../pki/corp-chain.pem
server_chain = ../pki/hci-worker-node.pem

[system C4C]
type         = c4c
client_cert  = ../pki/c4c-client.crt
server_chain = ../pki/c4c-server-chain.pem

[system WD]
type         = webdispatcher
ssl          = passthrough
client_cert  = ../pki/wd-client.crt
server_cert  = ../pki/wd-server.crt
chain        = ../pki/corp-chain.pem

[flow account-to-erp]
path = C4C -> HCI -> WD -> ERP
auth = certificate
INI
landscape blocked <<'INI'
; Item 6: steps whose certificate must first be replaced are blocked: ERP's
; self-signed client certificate (R3), an expired worker node root, the Web
; Dispatcher's self-signed server certificate (R12).
[landscape]
name = Blocked steps

[system ERP]
type         = abap
client_cert  = ../pki/erp-selfsigned.crt
server_cert  = ../pki/erp-server.crt
chain        = ../pki/corp-chain.pem
service_user = CODINTG

[system HCI]
type         = cpi
environment  = cf
client_cert  = ../pki/hci-client.crt
client_chain = ../pki/hci-client-chain.p7b
server_chain = pki/worker-expired-root.pem

[system C4C]
type         = c4c
client_cert  = ../pki/c4c-client.crt
server_chain = ../pki/c4c-server-chain.pem

[system WD]
type         = webdispatcher
client_cert  = ../pki/wd-client.crt
server_cert  = ../pki/erp-selfsigned.crt
chain        = ../pki/corp-chain.pem

[flow replicate-material]
path = ERP -> HCI -> C4C
auth = certificate

[flow account-to-erp]
path = C4C -> HCI -> WD -> ERP
auth = certificate
INI
echo "make-fixtures: wrote ${#LNOTES[@]} files to fixtures/landscape/pki and $NINI landscape variants" >&3
fi

# ============================ SAP Cloud Connector ==============================
# fixtures/landscape/scc: SCC's system certificate (from a connector CA under the
# published corp-root key) and its CA certificate for principal propagation
# (self-signed, as SCC's "Create and import a self-signed certificate" makes it),
# with their keys for the handshake proof; and the landscapes C4C -> HCI -> SCC -> ERP.
SOUT=$ROOT/fixtures/landscape/scc
PKI=$ROOT/fixtures/pki
rm -rf "$SOUT"
mkdir -p "$SOUT" "$W/sdb"
cd "$SOUT"
: >"$W/sdb/index.txt"
echo 3000 >"$W/sdb/serial"
sed "s|$W/db/|$W/sdb/|" "$W/ca.cnf" >"$W/sca.cnf"
SNOTES=()
snote() { SNOTES+=("- \`$1\`: $2"); }
# sissue NAME ISSUER_CRT ISSUER_KEY|self EXTS SUBJECT DESCRIPTION
sissue() {
    local name=$1 icrt=$2 ikey=$3 exts=$4 subj=$5 desc=$6
    genkey "s-$name" ec256
    local signer=(-cert "$icrt" -keyfile "$ikey")
    [ "$ikey" = self ] && signer=(-selfsign -keyfile "$W/keys/s-$name.key")
    printf '[ext]\n%s\n' "${exts//;/$'\n'}" >"$W/s-$name.ext"
    openssl req -new -key "$W/keys/s-$name.key" -subj "$subj" -out "$W/s-$name.csr"
    openssl ca -batch -config "$W/sca.cnf" -notext -md sha256 -startdate "$GOOD_FROM" \
        -enddate "$GOOD_TO" "${signer[@]}" -extfile "$W/s-$name.ext" -extensions ext \
        -in "$W/s-$name.csr" -out "$name.crt"
    snote "$name.crt" "$desc"
}
sissue scc-issuing "$PKI/corp-root.crt" "$PKI/corp-root.key" "$SUBCA_EXT" "$NW/CN=Nordwind Connector CA 01" \
    "CA for SAP Cloud Connector certificates (EC P-256, pathlen:0, signed by fixtures/pki/corp-root)"
sissue scc-system scc-issuing.crt "$W/keys/s-scc-issuing.key" \
    "$LEAF;keyUsage=critical,digitalSignature;extendedKeyUsage=clientAuth,serverAuth" \
    "$NW/OU=SAP/CN=scc.nordwind.example" "SCC system certificate (EC P-256, clientAuth+serverAuth, from scc-issuing)"
sissue scc-ca - self "$SUBCA_EXT" "$NW/OU=SAP/CN=Nordwind SCC Principal Propagation CA" \
    "SCC CA certificate for principal propagation (EC P-256, self-signed, pathlen:0)"
for n in scc-system scc-ca; do
    cp "$W/keys/s-$n.key" "$n.key"
    snote "$n.key" "private key of $n.crt (unencrypted PKCS#8 PEM)"
done
cat scc-issuing.crt "$PKI/corp-root.crt" >scc-chain.pem
snote scc-chain.pem "issuers of scc-system: scc-issuing + corp-root"
cat "$PKI/p384-root.crt" >trust-store.pem
snote trust-store.pem "SCC Trust Store allowlist that lists only another back end's root (fixtures/pki/p384-root), not ERP's"
openssl verify -CAfile "$PKI/corp-root.crt" -untrusted scc-issuing.crt -purpose sslclient -x509_strict scc-system.crt
openssl verify -CAfile scc-ca.crt scc-ca.crt
{
    printf '# fixtures/landscape/scc\n\nGENERATED by scripts/make-fixtures.sh (also alone: --scc) on %s - do not edit by hand.\n' "$(date -u +%Y-%m-%d)"
    printf 'SAP Cloud Connector certificates for ../scc*.ini (keys only for the handshake proof).\n\n'
    printf '%s\n' "${SNOTES[@]}"
} >README.md
cd "$ROOT/fixtures/landscape"
# scc_landscape NAME PP TRUST_STORE_LINE: C4C -> HCI -> SCC -> ERP
scc_landscape() {
    cat >"$1.ini" <<INI
; GENERATED by scripts/make-fixtures.sh - do not edit by hand.  Paths are relative to this folder.
; Issue 22: HCI reaches ERP through SAP Cloud Connector (principal_propagation = $2).
[landscape]
name = Cloud Connector ($1)

[system ERP]
type         = abap
server_cert  = ../pki/erp-server.crt
chain        = ../pki/corp-chain.pem
service_user = CODINTG

[system HCI]
type         = cpi
environment  = cf
client_cert  = ../pki/hci-client.crt
client_chain = ../pki/hci-client-chain.p7b
server_chain = ../pki/hci-worker-node.pem

[system C4C]
type         = c4c
client_cert  = ../pki/c4c-client.crt
server_chain = ../pki/c4c-server-chain.pem

[system SCC]
type                  = cloudconnector
system_cert           = scc/scc-system.crt  ; Configuration > On Premise > System Certificate
chain                 = scc/scc-chain.pem   ; its issuers
ca_cert               = scc/scc-ca.crt      ; Configuration > On Premise > CA Certificate
principal_propagation = $2
$3

[flow account-to-erp]
path  = C4C -> HCI -> SCC -> ERP
auth  = certificate
iflow = Replicate Account from SAP C4C
INI
}
scc_landscape scc no "trust_store           = scc/trust-store.pem ; Configuration > On Premise > Trust Store (allowlist)"
scc_landscape scc-pp yes "; trust_store: not given (SCC's Trust Store is empty)"
echo "make-fixtures: wrote ${#SNOTES[@]} files to fixtures/landscape/scc and 2 Cloud Connector landscapes" >&3
