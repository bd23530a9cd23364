#!/bin/bash
# Issue 16: outputs never touch what they don't own, every fault leaves nothing
# behind, untrusted files cannot buy unbounded work.  Each block is one item of
# the issue and failed before its fix.
. "$(dirname "$0")/lib.sh"
# This test is about what export writes, not about trust: let HCI's load
# balancer list accept the company root too, so the seed landscape plans
# without its one error (client-ca-not-accepted, tested in test_plan.sh) and
# every export here exits 0.
cat "$PSECONV_PUBLIC_ROOTS" "$FX/corp-root.crt" >"$T/public-roots-and-corp.pem"
export PSECONV_PUBLIC_ROOTS=$T/public-roots-and-corp.pem

write_landscape() {  # write_landscape FILE
  { printf '[landscape]\nname = safety\n\n'; seed_systems; seed_flows; } >"$1"
}
L=$T/landscape.ini
write_landscape "$L"

# --- 1. system names are safe folder names; paths stay below DIR -----------------
mkdir -p "$T/n1"
for bad in .. . -x 'a.b' SHA256SUMS sha256sums "$(printf 'A%.0s' $(seq 1 65))"; do
  sed "s/^\[system C4C\]/[system $bad]/; s/HCI -> C4C/HCI -> $bad/; s/^path = C4C -> /path = $bad -> /" "$L" >"$T/n1/l.ini"
  run "$PSECONV" export "$T/n1/l.ini" -o "$T/n1/out"
  expect_rc 2 "[system $bad] is refused"
  line=$(grep -nxF "[system $bad]" "$T/n1/l.ini" | cut -d: -f1)
  expect_contains "$ERR" "l.ini:$line" "[system ${bad:0:10}]: the landscape line is named"
done
expect_contains "$ERR" "letters, digits, _ and -, does not start with - or ., and has at most 64" "the rule is in the message"
expect_eq "$(ls -A "$T/n1")" "l.ini" "nothing written next to DIR"
sed 's/^\[system C4C\]/[system ..]/; s/HCI -> C4C/HCI -> ../; s/^path = C4C -> /path = .. -> /' "$L" >"$T/n1/l.ini"
run "$PSECONV" export "$T/n1/l.ini" -o "$T/n1/out" --archive "$T/n1/a.tar.gz"
expect_rc 2 "[system ..] with --archive"
expect_eq "$(ls -A "$T/n1")" "l.ini" "no README.md, sapgenpse.sh or certificates in DIR's parent"
sed 's/^\[system C4C\]/[system C4C_prod-2]/; s/HCI -> C4C/HCI -> C4C_prod-2/; s/^path = C4C -> /path = C4C_prod-2 -> /' "$L" >"$T/n1/ok.ini"
run "$PSECONV" export "$T/n1/ok.ini" -o "$T/n1/okout"
expect_rc 0 "letters, digits, _ and - are fine"
expect_file "$T/n1/okout/C4C_prod-2/README.md" "folder for C4C_prod-2"
# reserved names: a keystore file called README.md cannot replace the system's README
mkdir -p "$T/rsv"
keytool -genkeypair -alias k -keyalg EC -groupname secp256r1 -dname CN=k -keystore "$T/rsv/README.md" \
  -storetype PKCS12 -storepass ks-pass-1 -validity 30 >/dev/null 2>&1
{ printf '[landscape]\nname = reserved\n\n'
  seed_systems cf "" "keystore = $T/rsv/README.md
keystore_password = pass:ks-pass-1"; seed_flows; } >"$T/rsv/l.ini"
run "$PSECONV" export "$T/rsv/l.ini" -o "$T/rsv/out" --update-keystore
expect_rc 2 "a keystore named README.md collides with the system's README"
expect_contains "$ERR" "HCI/README.md" "names the colliding path"
expect_no_file "$T/rsv/out" "nothing written"
expect_eq "$(ls -A "$T/rsv" | grep -c '^out\.tmp')" "0" "the staging copy (files are written there as they are made) is removed"
# the same name in other letter case (one file on Windows and macOS): found at the end,
# after the system's files were staged, and the staging copy goes too
cp "$T/rsv/README.md" "$T/rsv/readme.md"
sed "s|keystore = $T/rsv/README.md|keystore = $T/rsv/readme.md|" "$T/rsv/l.ini" >"$T/rsv/l2.ini"
run "$PSECONV" export "$T/rsv/l2.ini" -o "$T/rsv/out" --update-keystore
expect_rc 2 "a keystore named readme.md collides with README.md"
expect_contains "$ERR" "two files would be written as HCI/" "says so"
expect_no_file "$T/rsv/out" "nothing written"
expect_eq "$(ls -A "$T/rsv" | grep -c '^out\.tmp')" "0" "no staging copy left"

# --- 2. --force replaces only a previous pseconv export --------------------------
mkdir -p "$T/webapp/src" "$T/webapp/.git"
echo '{"name": "webapp", "version": "1.0.0"}' >"$T/webapp/manifest.json"
echo 'code' >"$T/webapp/src/app.js"; echo 'ref' >"$T/webapp/.git/HEAD"
run "$PSECONV" export "$L" -o "$T/webapp" --force
expect_rc 4 "--force on a web app with a manifest.json"
expect_contains "$ERR" "holds no pseconv manifest.json" "says it is not a pseconv export"
expect_eq "$(cat "$T/webapp/src/app.js")$(cat "$T/webapp/.git/HEAD")" "coderef" "web app untouched"
run "$PSECONV" export "$L" -o "$T/prev"
expect_rc 0 "a first export"
expect_contains "$(cat "$T/prev/manifest.json")" '"generator":	"pseconv"' "manifest.json names its generator"
mkdir -p "$T/prev/.git"; echo ref >"$T/prev/.git/HEAD"
run "$PSECONV" export "$L" -o "$T/prev" --force
expect_rc 4 "a pseconv export with a foreign file is not replaced"
expect_contains "$ERR" "prev/.git/HEAD is not part of the previous export" "names the foreign file"
expect_file "$T/prev/.git/HEAD" "foreign file kept"
rm -r "$T/prev/.git"
run "$PSECONV" export "$L" -o "$T/prev" --force
expect_rc 0 "a clean previous export is replaced"

# --- 7. the export is one transaction --------------------------------------------
run "$PSECONV" export "$L" -o "$T/tx" --archive "$T/no-such-folder/a.tar.gz"
expect_rc 4 "the archive cannot be written"
expect_no_file "$T/tx" "a failed archive leaves no DIR"
sum_before=$(cd "$T/prev" && sha256sum -c SHA256SUMS >/dev/null && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)
run "$PSECONV" export "$T/n1/ok.ini" -o "$T/prev" --force --archive "$T/no-such-folder/a.tar.gz"
expect_rc 4 "--force and a failing archive"
expect_eq "$(cd "$T/prev" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)" "$sum_before" \
  "the previous export is kept, byte for byte"
expect_eq "$(ls -d "$T"/prev.* 2>/dev/null)" "" "no temporary or parked folder left"
mkdir -p "$T/split" "$T/split/a-C4C.tar.gz"; echo x >"$T/split/a-C4C.tar.gz/occupied"
run "$PSECONV" export "$L" --archive "$T/split/a.tar.gz" --split --force
expect_rc 4 "--split where the third archive cannot be written"
expect_eq "$(ls -A "$T/split")" "a-C4C.tar.gz" "no earlier archive (ERP, HCI) left behind, no temp file"
echo old >"$T/split/a-ERP.tar.gz"; rm -r "$T/split/a-C4C.tar.gz"; mkdir -p "$T/split/a-WD.tar.gz/x"
run "$PSECONV" export "$L" --archive "$T/split/a.tar.gz" --split --force
expect_rc 4 "--split --force where the last archive cannot be written"
expect_eq "$(cat "$T/split/a-ERP.tar.gz")" "old" "the replaced archive is put back"
expect_eq "$(ls -A "$T/split" | LC_ALL=C sort | tr '\n' ' ')" "a-ERP.tar.gz a-WD.tar.gz " "nothing new left"

# --- 6. what a SIGKILL'd run left is named (signals themselves: unit test_output_txn)
mkdir -p "$T/stale"; echo partial >"$T/stale/out.p12.tmpAbC123"
run "$PSECONV" convert "$FX/erp-server.crt" -o "$T/stale/out.p12" --out-password pass:pw
expect_rc 0 "convert next to a stale temp file"
expect_contains "$ERR" "stale/out.p12.tmpAbC123 is left over from an interrupted pseconv run" "the stale temp file is named"

# --- 10. --handoff-password: the handed-off keystore copy gets its own password
mkdir -p "$T/ho"
keytool -importcert -noprompt -alias digicert -file "$FX/lb-root.crt" -keystore "$T/ho/system.jks" \
  -storetype JKS -storepass ks-pass-1 >/dev/null 2>&1
{ printf '[landscape]\nname = handoff\n\n'
  seed_systems cf "" "keystore = $T/ho/system.jks
keystore_password = env:KS_PW"; seed_flows; } >"$T/ho/l.ini"
run env KS_PW=ks-pass-1 HO_PW=handoff-1 "$PSECONV" export "$T/ho/l.ini" -o "$T/ho/out" --update-keystore --handoff-password env:HO_PW
expect_rc 0 "export --update-keystore --handoff-password"
run keytool -list -keystore "$T/ho/out/HCI/system.jks" -storepass handoff-1
expect_rc 0 "the handed-off copy opens with the handoff password"
expect_contains "$OUT" "digicert" "and holds the keystore's entries"
run keytool -list -keystore "$T/ho/out/HCI/system.jks" -storepass ks-pass-1
expect_not_contains "$OUT" "digicert" "the production password does not open it"
run env HO_PW=x "$PSECONV" export "$T/ho/l.ini" -o "$T/ho/out2" --handoff-password env:HO_PW
expect_rc 2 "--handoff-password without --update-keystore"

# --- 11. hostile aliases: escaped in text, valid JSON, refused by the writers
mkdir -p "$T/a11"
cat >"$T/a11/mk.py" <<'PY'
# A JKS with one trusted entry whose alias bytes are given (ESC, newline, invalid UTF-8).
import hashlib, struct, sys
der = open(sys.argv[1], "rb").read()
alias = sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1")
body = struct.pack(">III", 0xFEEDFEED, 2, 1)
body += struct.pack(">I", 2) + struct.pack(">H", len(alias)) + alias + struct.pack(">Q", 946684800000)
body += struct.pack(">H", 5) + b"X.509" + struct.pack(">I", len(der)) + der
h = hashlib.sha1("changeit".encode("utf-16-be") + b"Mighty Aphrodite" + body).digest()
open(sys.argv[3], "wb").write(body + h)
PY
openssl x509 -in "$FX/erp-server.crt" -outform DER -out "$T/a11/c.der"
"$SYSPY" "$T/a11/mk.py" "$T/a11/c.der" '\x1b[31mred\nfake' "$T/a11/esc.jks"
"$SYSPY" "$T/a11/mk.py" "$T/a11/c.der" 'bad\xff\xfe' "$T/a11/bad.jks"
run "$PSECONV" inspect "$T/a11/esc.jks" --password pass:changeit
expect_contains "$OUT" '[1] \x1b[31mred\nfake (trusted)' "ESC and newline in an alias are escaped"
expect_not_contains "$OUT" $'\x1b' "no raw ESC reaches the terminal"
run "$PSECONV" inspect --json "$T/a11/bad.jks" --password pass:changeit
printf '%s' "$OUT" >"$T/a11/bad.json"
run "$SYSPY" -c "import json,sys; d=json.loads(open(sys.argv[1],'rb').read().decode('utf-8')); print(d['files'][0]['entries'][0]['alias'])" "$T/a11/bad.json"
expect_eq "$OUT" "bad$(printf '\xef\xbf\xbd\xef\xbf\xbd')" "JSON is valid UTF-8: invalid bytes become U+FFFD"
run "$PSECONV" convert "$T/a11/bad.jks" --password pass:changeit -o "$T/a11/x.p12"
expect_rc 3 "invalid UTF-8 alias to .p12"
expect_contains "$ERR" "the alias 'bad\xff\xfe' is not valid UTF-8" "names the alias"
run "$PSECONV" convert "$T/a11/bad.jks" --password pass:changeit -o "$T/a11/x.jks"
expect_rc 3 "invalid UTF-8 alias to .jks"
expect_no_file "$T/a11/x.jks" "no JKS keytool would reject"

# --- 8. only regular files and stdin ----------------------------------------------
mkfifo "$T/fifo"
run timeout 10 "$PSECONV" inspect "$T/fifo"
expect_rc 3 "a FIFO without a writer is exit 3 at once"
expect_contains "$ERR" "is not a regular file (a FIFO)" "says why"
start=$(date +%s%N)
run timeout 10 "$PSECONV" inspect /dev/zero
expect_rc 3 "/dev/zero is exit 3"
expect_contains "$ERR" "/dev/zero is not a regular file (a device)" "says why"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$ms" -lt 1000 ]; then ok "/dev/zero refused in ${ms} ms"; else bad "/dev/zero took ${ms} ms"; fi
run_in "$FX/erp-server.crt" "$PSECONV" inspect -
expect_rc 0 "stdin still works"

# --- 4, 5. work limits of password-based key derivation ---------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/k.pem" 2>/dev/null
openssl pkcs8 -topk8 -in "$T/k.pem" -out "$T/k-iter.pem" -passout pass:pw -v2 aes-256-cbc -iter 3000
run env PW=pw PSECONV_MAX_ITERATIONS=2000 timeout 20 "$PSECONV" inspect "$T/k-iter.pem" --password env:PW
expect_rc 3 "encrypted PEM key over the iteration cap"
expect_contains "$ERR" "asks for 3000 key-derivation iterations, more than the limit of 2000" "same message as PKCS#12/PSE"
openssl req -x509 -key "$T/k.pem" -subj /CN=budget -days 30 -out "$T/k.crt" 2>/dev/null
openssl pkcs12 -export -inkey "$T/k.pem" -in "$T/k.crt" -passout pass:pw -iter 3000 \
  -out "$T/budget.p12" 2>/dev/null
# three derivations (key bag, certificate part, MAC) of 3000: 9000 in all
run env PW=pw PSECONV_MAX_FILE_ITERATIONS=8000 "$PSECONV" inspect "$T/budget.p12" --password env:PW
expect_rc 3 "PKCS#12 over the per-file budget"
expect_contains "$ERR" "more than 8000 key-derivation iterations in total" "names the budget"
expect_contains "$ERR" "PSECONV_MAX_FILE_ITERATIONS raises it" "names the variable"
run env PW=pw PSECONV_MAX_ITERATIONS=3000 "$PSECONV" inspect "$T/budget.p12" --password env:PW
expect_rc 0 "default budget is 4x the cap: 9000 <= 12000"
run env PW=pw PSECONV_MAX_ITERATIONS=2000 "$PSECONV" inspect "$T/budget.p12" --password env:PW
expect_rc 3 "each derivation still under the cap"

# --- 13. landscape paths and line length ------------------------------------------
mkdir -p "$T/ls13/sub"
printf 'pin-1234\n' >"$T/ls13/sub/pin.txt"
"$PSECONV" convert "$FX/erp-server.crt" -o "$T/ls13/sub/state.p12" --out-password pass:pin-1234 2>/dev/null
{ printf '[landscape]\nname = pin\n\n'; seed_systems; seed_flows; } >"$T/ls13/sub/l.ini"
sed -i "s|^service_user = CODINTG|service_user = CODINTG\nssl_server_pse = state.p12\npse_pin = file:pin.txt|" "$T/ls13/sub/l.ini"
run bash -c "cd '$T' && '$PSECONV' plan ls13/sub/l.ini"
expect_rc 0 "pse_pin = file:pin.txt is read from the landscape's folder"
long=$(printf 'x%.0s' $(seq 1 700))
{ printf '[landscape]\nname = %s\n\n' "$long"; seed_systems; seed_flows; } >"$T/long.ini"
run "$PSECONV" plan --format json "$T/long.ini"
expect_rc 0 "a 707-character line is accepted"
expect_contains "$OUT" "\"$long\"" "the long value is read whole"
{ printf '[landscape]\nname = %s\n\n' "$(printf 'y%.0s' $(seq 1 1000))"; seed_systems; seed_flows; } >"$T/toolong.ini"
run "$PSECONV" plan "$T/toolong.ini"
expect_rc 2 "a line over 1000 characters"
expect_contains "$ERR" "toolong.ini:2: line longer than 1000 characters" "one limit, named"

# full disk (here: a file size limit) names the final path, not the temporary one
run bash -c "trap '' XFSZ; ulimit -f 2; exec '$PSECONV' export '$L' -o '$T/full'"
expect_rc 4 "export that cannot write its files"
expect_contains "$ERR" "cannot write $T/full/" "the message names the final path"
expect_not_contains "$ERR" ".tmp" "not the temporary folder"
expect_no_file "$T/full" "nothing left"
expect_eq "$(ls -A "$T" | grep -c '^full\.tmp')" "0" "no staging copy left"

# --- 12. a store with nothing to write: exit 3 whatever the output format
keytool -genseckey -alias s -keyalg AES -keysize 128 -storetype JCEKS -keystore "$T/secret.jceks" \
  -storepass changeit >/dev/null 2>&1
for ext in pem p12 der p7b pselist jks jceks; do
  run "$PSECONV" convert "$T/secret.jceks" --password pass:changeit -o "$T/nothing.$ext"
  expect_rc 3 "only a secret key -> .$ext: the input has nothing to write"
done

# --- 14. more than 256 steps for one system ---------------------------------------
mkdir -p "$T/many"
cat >"$T/many/gen.py" <<'EOF'
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
out, n = sys.argv[1], int(sys.argv[2])
now = datetime.datetime(2024, 1, 1)
def name(cn): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
cakey = ec.generate_private_key(ec.SECP256R1())
ca = (x509.CertificateBuilder().subject_name(name("Partner Root")).issuer_name(name("Partner Root"))
      .public_key(cakey.public_key()).serial_number(1).not_valid_before(now)
      .not_valid_after(now + datetime.timedelta(days=36500))
      .add_extension(x509.BasicConstraints(ca=True, path_length=None), True).sign(cakey, hashes.SHA256()))
open(f"{out}/root.pem", "wb").write(ca.public_bytes(serialization.Encoding.PEM))
key = ec.generate_private_key(ec.SECP256R1())
for i in range(1, n + 1):
    c = (x509.CertificateBuilder().subject_name(name(f"partner{i}")).issuer_name(name("Partner Root"))
         .public_key(key.public_key()).serial_number(i + 1).not_valid_before(now)
         .not_valid_after(now + datetime.timedelta(days=36000))
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]), False)
         .sign(cakey, hashes.SHA256()))
    open(f"{out}/p{i}.pem", "wb").write(c.public_bytes(serialization.Encoding.PEM))
EOF
"$SYSPY" "$T/many/gen.py" "$T/many" 300
{ printf '[landscape]\nname = many\n[system HCI]\ntype = cpi\nenvironment = cf\nclient_cert = %s\nclient_chain = %s\nserver_chain = %s\n' \
    "$FX/hci-client.crt" "$FX/hci-client-chain.p7b" "$FX/hci-worker-node.pem"
  for i in $(seq 1 300); do
    printf '[system P%d]\ntype = abap\nclient_cert = p%d.pem\nserver_cert = p%d.pem\nchain = root.pem\n[flow f%d]\npath = P%d -> HCI\n' $i $i $i $i $i
  done; } >"$T/many/l.ini"
run "$PSECONV" plan --format json "$T/many/l.ini"
expect_eq "$(printf '%s' "$OUT" | "$SYSPY" -c 'import json,sys; print(sum(s["system"]=="HCI" for s in json.load(sys.stdin)["steps"]))')" "300" "JSON: 300 steps for HCI"
run "$PSECONV" plan "$T/many/l.ini"
expect_eq "$(printf '%s\n' "$OUT" | awk '/^HCI /{h=1;next} /^[^ ]/{h=0} h && /^ +[0-9]+\. \[/' | wc -l)" "300" "text: 300 steps for HCI"
expect_contains "$OUT" "  300. [ ] R" "text: the 300th step is numbered 300 (no fixed-size list)"
run "$PSECONV" plan --format markdown "$T/many/l.ini"
expect_eq "$(printf '%s\n' "$OUT" | awk '/^## HCI /{h=1;next} /^## /{h=0} h && /^[0-9]+\. \[/' | wc -l)" "300" "markdown: 300 steps for HCI"
run "$PSECONV" export "$T/many/l.ini" -o "$T/many/out"
expect_eq "$(grep -c '^[0-9]*\. \[' "$T/many/out/HCI/README.md")" "300" "export README.md: 300 steps for HCI"
expect_eq "$(ls "$T/many/out/HCI" | grep -c '\.pem$')" "300" "export: 300 files for HCI"

finish
