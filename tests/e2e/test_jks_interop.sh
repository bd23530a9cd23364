#!/bin/bash
# JKS / JCEKS against the real peers: keytool (OpenJDK 17) and pyjks.
# - every pyjks corpus store: aliases, entry types and SHA-256 fingerprints from
#   `keytool -list -v` equal those from `pseconv inspect --json`;
# - keytool and pyjks read what pseconv writes (EC and RSA key pairs with
#   3-certificate chains, trust stores from a PEM bundle, JCEKS);
# - pseconv reads what keytool writes; Debian's Java cacerts; --for cpi;
#   error paths (no output password, wrong password, no password).
source "$(dirname "$0")/lib.sh"
command -v keytool >/dev/null || { echo "keytool missing"; exit 1; }
J=$CORPUS/pyjks

# Normalised "alias|type|fp,fp,..." lines, sorted: from keytool -list -v or pseconv --json.
cat >"$T/norm.py" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
rows = []
if kind == "keytool":
    names = {"PrivateKeyEntry": "key-pair", "trustedCertEntry": "trusted", "SecretKeyEntry": "secret-key"}
    cur = None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        if line.startswith("Alias name: "):
            cur = [line[12:].lower(), "?", []]
            rows.append(cur)
        elif cur and line.startswith("Entry type: "):
            cur[1] = names.get(line[12:], line[12:])
        elif cur and line.startswith("SHA256: "):
            cur[2].append(line[8:].replace(":", "").lower())
else:
    for f in json.load(open(path))["files"]:
        for e in f["entries"]:
            rows.append([e["alias"].lower(), e["type"], [c["sha256"] for c in e.get("certificates", [])]])
for a, t, fps in sorted(rows):
    print("%s|%s|%s" % (a, t, ",".join(fps)))
EOF
norm() { $SYSPY "$T/norm.py" "$@"; }

# compare_store FILE STORETYPE STOREPASS [pseconv options...]
compare_store() {
  local f=$1 type=$2 pw=$3; shift 3
  local name; name=$(basename "$f")
  export KS_PW=$pw
  if [ -n "$pw" ]; then
    keytool -list -v -keystore "$f" -storetype "$type" -storepass "$pw" >"$T/kt.txt" 2>"$T/kt.err"
  else
    keytool -list -v -keystore "$f" -storetype "$type" >"$T/kt.txt" 2>"$T/kt.err" </dev/null
  fi
  if [ -n "$pw" ]; then
    run "$PSECONV" inspect --json --password env:KS_PW "$@" "$f"
  else
    run "$PSECONV" inspect --json "$@" "$f"
  fi
  expect_rc 0 "inspect $name"
  printf '%s\n' "$OUT" >"$T/ps.json"
  local want got
  want=$(norm keytool "$T/kt.txt")
  got=$(norm pseconv "$T/ps.json")
  [ -n "$want" ] || [ "$name" = empty.jks ] || [ "$name" = empty.jceks ] || bad "keytool listed nothing for $name" "$(cat "$T/kt.err")"
  expect_eq "$got" "$want" "$name: aliases, types, SHA-256 as keytool lists them"
}

# ---- 1. the pyjks corpus ---------------------------------------------------
for f in "$J"/jks/*.jks "$J"/jceks/*.jceks; do
  name=$(basename "$f")
  type=JKS; case $name in *.jceks) type=JCEKS ;; esac
  case $name in
    duplicate_aliases.*|unknown_*) continue ;;             # checked below
    truststore.jks) compare_store "$f" JKS "" ;;           # password not published: no-password path
    empty.*) compare_store "$f" $type "" ;;                # keytool cannot pass "" on the command line
    custom_entry_passwords.*)
      export KEY_PW=private_password
      compare_store "$f" $type store_password --key-password env:KEY_PW ;;
    non_ascii_password.jks)
      compare_store "$f" JKS "$(printf '\u10da(\u0ca0\u76ca\u0ca0\u10da)')" ;;
    *) compare_store "$f" $type 12345678 ;;
  esac
done
export KS_PW=""
run "$PSECONV" inspect --password env:KS_PW "$J/jks/empty.jks"
expect_rc 0 "empty.jks opens with the empty password"
expect_not_contains "$ERR" "integrity not checked" "empty password is a password (integrity checked)"

export KS_PW=12345678
run "$PSECONV" inspect --password env:KS_PW "$J/jks/duplicate_aliases.jks"
expect_rc 3 "duplicate aliases rejected"
expect_contains "$ERR" "my_alias" "duplicate alias named"
expect_one_error_line "duplicate aliases: one error line"
for f in "$J"/jceks/unknown_*.jceks; do
  run "$PSECONV" inspect --json --password env:KS_PW "$f"
  expect_rc 0 "$(basename "$f"): listed (keytool refuses it)"
  expect_eq "$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; print([e["type"] for e in json.load(sys.stdin)["files"][0]["entries"]])')" "['secret-key']" "$(basename "$f"): one secret-key entry"
done

export KS_PW=wrong-password
run "$PSECONV" inspect --password env:KS_PW "$J/jks/3certs.jks"
expect_rc 3 "wrong password"
expect_contains "$ERR" "wrong password for $J/jks/3certs.jks" "wrong password message names the file"
expect_contains "$ERR" "try --password" "wrong password message gives the next step"

run "$PSECONV" inspect "$J/jks/RSA2048_3certs.jks"
expect_rc 0 "no password: still lists"
expect_contains "$ERR" "integrity not checked" "no password: warning"
expect_contains "$OUT" "certificate 3 of 3" "no password: the key pair's chain is shown"

# ---- 2. keytool and pyjks read what pseconv writes -------------------------
export OUT_PW=Nordwind-2026
openssl pkcs8 -topk8 -nocrypt -outform DER -in "$FX/erp-client.key" -out "$T/ec.p8"
openssl pkcs8 -topk8 -nocrypt -outform DER -in "$FX/erp-rsa.key" -out "$T/rsa.p8"
run "$PSECONV" convert -o "$T/ec.jks" --out-password env:OUT_PW "$FX/erp-client-keychain.pem"
expect_rc 0 "EC key pair -> JKS"
cat "$FX/erp-rsa.key" "$FX/erp-rsa.crt" "$FX/corp-chain.pem" >"$T/rsa-keychain.pem"
run "$PSECONV" convert -o "$T/rsa.jks" --out-password env:OUT_PW "$T/rsa-keychain.pem"
expect_rc 0 "RSA key pair + CA chain -> JKS"
run "$PSECONV" convert -o "$T/ec.jceks" --out-password env:OUT_PW "$FX/erp-client-keychain.pem"
expect_rc 0 "EC key pair -> JCEKS"
cat "$FX/corp-chain.pem" "$FX/hci-client-chain.pem" "$FX/lb-root.crt" "$FX/c4c-root.crt" >"$T/cas.pem"
run "$PSECONV" convert -o "$T/trust.jks" --out-password env:OUT_PW "$T/cas.pem"
expect_rc 0 "PEM bundle of 6 CA certificates -> one JKS trust store"

for ks in ec.jks rsa.jks ec.jceks; do
  type=JKS; case $ks in *.jceks) type=JCEKS ;; esac
  keytool -list -v -keystore "$T/$ks" -storetype $type -storepass "$OUT_PW" >"$T/kt.txt" 2>&1
  expect_contains "$(cat "$T/kt.txt")" "Entry type: PrivateKeyEntry" "keytool: $ks holds a PrivateKeyEntry"
  expect_contains "$(cat "$T/kt.txt")" "Certificate chain length: 3" "keytool: $ks chain length 3"
  case $ks in rsa.*) chain=$( (fp "$FX/erp-rsa.crt"; fps_pem "$FX/corp-chain.pem") | paste -sd,) ;;
               *) chain=$(fps_pem "$FX/erp-client-fullchain.pem" | paste -sd,) ;; esac
  expect_eq "$(norm keytool "$T/kt.txt" | cut -d'|' -f2-)" "key-pair|$chain" "keytool: $ks chain fingerprints, leaf first"
done
keytool -list -v -keystore "$T/trust.jks" -storepass "$OUT_PW" >"$T/kt.txt" 2>&1
expect_eq "$(norm keytool "$T/kt.txt" | cut -d'|' -f2- | sort | paste -sd' ')" \
  "$(fps_pem "$T/cas.pem" | sed 's/^/trusted|/' | sort | paste -sd' ')" "keytool: 6 trustedCertEntry with the bundle's fingerprints"

# pyjks: the key decrypts to exactly OpenSSL's PKCS#8 of the fixture key.
cat >"$T/pyjks_check.py" <<'EOF'
import jks, sys
path, pw, p8 = sys.argv[1], sys.argv[2], open(sys.argv[3], "rb").read()
ks = jks.KeyStore.load(path, pw)
(alias, pk), = ks.private_keys.items()
print(ks.store_type, alias, pk.is_decrypted(), len(pk.cert_chain), pk.pkey_pkcs8 == p8)
EOF
run $SYSPY "$T/pyjks_check.py" "$T/ec.jks" "$OUT_PW" "$T/ec.p8"
expect_eq "$OUT" "jks erp-p41 ssl client standard True 3 True" "pyjks: EC key decrypts to the fixture's PKCS#8 (alias lower-cased)"
run $SYSPY "$T/pyjks_check.py" "$T/rsa.jks" "$OUT_PW" "$T/rsa.p8"
expect_eq "$OUT" "jks erp-rsa.nordwind.example True 3 True" "pyjks: RSA key decrypts to the fixture's PKCS#8"
run $SYSPY "$T/pyjks_check.py" "$T/ec.jceks" "$OUT_PW" "$T/ec.p8"
expect_eq "$OUT" "jceks erp-p41 ssl client standard True 3 True" "pyjks: JCEKS key decrypts to the fixture's PKCS#8"
run $SYSPY -c 'import jks,sys; ks=jks.KeyStore.load(sys.argv[1], sys.argv[2]); print(len(ks.certs), len(ks.private_keys))' "$T/trust.jks" "$OUT_PW"
expect_eq "$OUT" "6 0" "pyjks: trust store has 6 trusted certificates"

# ---- 3. pseconv reads what keytool writes ----------------------------------
KT="-storepass $OUT_PW -keypass $OUT_PW"
keytool -genkeypair -keystore "$T/kt.jks" -storetype JKS $KT -alias sap_test -keyalg EC -groupname secp256r1 \
  -dname "CN=keytool made, O=Nordwind" -validity 30 >/dev/null 2>&1
keytool -importcert -noprompt -keystore "$T/kt.jks" -storetype JKS $KT -alias corp-root -file "$FX/corp-root.crt" >/dev/null 2>&1
keytool -importkeystore -srckeystore "$T/kt.jks" -srcstoretype JKS -srcstorepass "$OUT_PW" \
  -destkeystore "$T/kt.jceks" -deststoretype JCEKS -deststorepass "$OUT_PW" -destkeypass "$OUT_PW" >/dev/null 2>&1
compare_store "$T/kt.jks" JKS "$OUT_PW"
compare_store "$T/kt.jceks" JCEKS "$OUT_PW"
run "$PSECONV" inspect --json --password env:KS_PW "$T/kt.jks"   # KS_PW still set by compare_store
expect_eq "$(printf '%s' "$OUT" | $SYSPY -c 'import json,sys; print(sorted(e["type"] for e in json.load(sys.stdin)["files"][0]["entries"]))')" \
  "['key-pair', 'trusted']" "keytool's JKS: key pair and trusted entry"

# ---- 4. --for cpi, password rules ------------------------------------------
export WEAK=weakpass
run "$PSECONV" convert --for cpi -o "$T/cpi.jks" --password env:OUT_PW --out-password env:WEAK "$T/kt.jks"
expect_rc 0 "--for cpi writes (warnings only)"
expect_contains "$ERR" "alias 'sap_test' is reserved" "--for cpi: reserved alias warned"
expect_contains "$ERR" "password does not meet" "--for cpi: password policy warned"
run "$PSECONV" convert -o "$T/nopw.jks" "$FX/corp-root.crt"
expect_rc 2 "writing JKS without a password"
expect_contains "$ERR" "--out-password" "no password: message names --out-password"
expect_no_file "$T/nopw.jks" "no partial output"

# ---- 5. Debian's Java cacerts ----------------------------------------------
if [ -r /etc/ssl/certs/java/cacerts ] && [ "$(head -c4 /etc/ssl/certs/java/cacerts | od -An -tx1 | tr -d ' ')" = feedfeed ]; then
  compare_store /etc/ssl/certs/java/cacerts JKS changeit
else
  echo "skip - /etc/ssl/certs/java/cacerts is not JKS here ($(file -bL /etc/ssl/certs/java/cacerts 2>/dev/null))"
fi

# ---- 6. system.jks -> PKCS#12 -> JKS, keys included (needs the p12 writer) --
run "$PSECONV" convert -o "$T/system.jks" --out-password env:OUT_PW "$FX/erp-client-keychain.pem" "$FX/hci-client-chain.pem"
expect_rc 0 "system.jks built"
run "$PSECONV" convert -o "$T/system.p12" --password env:OUT_PW "$T/system.jks"
if [ "$RC" -eq 0 ]; then
  run "$PSECONV" convert -o "$T/back.jks" --password env:OUT_PW "$T/system.p12"
  expect_rc 0 "PKCS#12 -> JKS"
  run $SYSPY "$T/pyjks_check.py" "$T/back.jks" "$OUT_PW" "$T/ec.p8"
  expect_contains "$OUT" "True 3 True" "system.jks -> p12 -> jks keeps the key and chain"
else
  echo "skip - p12 writer not available yet: $ERR"
fi

finish
