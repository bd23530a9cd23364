#!/bin/bash
# pseconv export: the handoff folder (CHECKLIST, SHA256SUMS, manifest, one
# folder per system with README, certificates in the target's format,
# VUSREXTID .txt, sapgenpse.sh), --update-keystore, deterministic archives,
# --split, --force rules, and that no export ever holds a private key.
. "$(dirname "$0")/lib.sh"

# The seed's landscape (ERP -> HCI -> C4C, C4C -> HCI -> WD -> ERP).
# ERP's client_cert file also holds its private key: the key must never be exported.
write_landscape() {  # write_landscape FILE [extra lines for HCI]
  { printf '[landscape]\nname = Nordwind C4C integration\nwarn_days = 30\n\n'
    seed_systems cf "$FX/erp-client-keychain.pem" "${2:-}"
    seed_flows; } >"$1"
}
L=$T/landscape.ini
write_landscape "$L"
# With the fixture public roots, ERP's company-CA client certificate is an error
# (client-ca-not-accepted, test_plan.sh); this test is about the handoff files,
# so here the company root counts as accepted.
run "$PSECONV" export "$L" -o "$T/company-ca"
expect_rc 1 "seed landscape: export exits 1 on ERP's company-CA client certificate"
expect_contains "$ERR" "client-ca-not-accepted" "the finding is named on stderr"
cat "$PSECONV_PUBLIC_ROOTS" "$FX/corp-root.crt" >"$T/accepted-roots.pem"
export PSECONV_PUBLIC_ROOTS=$T/accepted-roots.pem
EXPORTS="$T/company-ca"   # every folder and archive this test writes: scanned for keys at the end

# --- the folder ---
run "$PSECONV" export "$L" -o "$T/out"
expect_rc 0 "export the seed landscape"
EXPORTS="$EXPORTS $T/out"
expect_contains "$OUT" "for 4 systems (ERP, HCI, C4C, WD)" "summary names the systems"
expect_contains "$OUT" "sha256sum -c SHA256SUMS" "summary says how to check on arrival"
for f in CHECKLIST.md SHA256SUMS manifest.json ERP/README.md HCI/README.md C4C/README.md WD/README.md; do
  expect_file "$T/out/$f" "export has $f"
done
expect_no_file "$T/out/HCI/sapgenpse.sh" "no sapgenpse.sh for cpi"
expect_no_file "$T/out/ERP/sapgenpse.sh" "no sapgenpse.sh for abap: its PSEs are changed in STRUST only"
expect_no_file "$T/out/C4C/sapgenpse.sh" "no sapgenpse.sh for c4c"
expect_eq "$(ls -d "$T"/out.* 2>/dev/null)" "" "no temporary folder left next to DIR"

run bash -c "cd '$T/out' && sha256sum -c --strict SHA256SUMS"
expect_rc 0 "sha256sum -c SHA256SUMS passes"
expect_eq "$(cd "$T/out" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)" \
          "$(awk '{print $2}' "$T/out/SHA256SUMS")" "SHA256SUMS lists every other file, sorted"

"$PSECONV" plan --format markdown "$L" >"$T/plan.md"
run cmp "$T/plan.md" "$T/out/CHECKLIST.md"
expect_rc 0 "CHECKLIST.md is plan --format markdown"

# manifest.json: every file but itself and SHA256SUMS, with true sha256 and bytes
cat >"$T/manifest_check.py" <<'EOF'
import hashlib, json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
listed = [f["path"] for f in m["files"]]
on_disk = sorted(os.path.relpath(os.path.join(r, n), d) for r, _, ns in os.walk(d) for n in ns)
on_disk = [p for p in on_disk if p not in ("manifest.json", "SHA256SUMS")]
assert listed == on_disk, (listed, on_disk)
for f in m["files"]:
    data = open(os.path.join(d, f["path"]), "rb").read()
    assert f["sha256"] == hashlib.sha256(data).hexdigest(), f["path"]
    assert f["bytes"] == len(data), f["path"]
    if f["path"].endswith((".crt", ".cer", ".pem", ".txt")):
        assert len(f["steps"]) == 1 and f["steps"][0].startswith("R"), f
print("manifest ok", len(m["files"]))
EOF
run "$SYSPY" "$T/manifest_check.py" "$T/out"
expect_rc 0 "manifest.json: paths, sha256, bytes, steps"
expect_contains "$OUT" "manifest ok" "manifest checked by python"

# certificate files: names, one PEM certificate each, the right certificate per target
NAMES_OK=1
for f in "$T"/out/*/[0-9][0-9]-*; do
  b=$(basename "$f")
  case "$b" in
    *-strust-ssl-*.crt|*-keystore-*.cer|*-iflow-sender-*.cer|*-service-key-*.pem|*-communication-arrangement-*.cer|*-user-mapping-*.cer|*-user-mapping-*.txt|*-icm-trust-intermediary-*.crt|*-wdisp-forward-client-cert-*.crt) ;;
    *) NAMES_OK=0; echo "unexpected name $b" ;;
  esac
  [[ "$b" =~ ^[0-9][0-9]-[a-z0-9-]+\.(crt|cer|pem|txt)$ ]] || { NAMES_OK=0; echo "bad name $b"; }
  case "$b" in *.txt) continue ;; esac
  [ "$(grep -c 'BEGIN CERTIFICATE' "$f")" = 1 ] || { NAMES_OK=0; echo "not one certificate: $b"; }
  openssl x509 -in "$f" -noout 2>/dev/null || { NAMES_OK=0; echo "openssl cannot read $b"; }
done
expect_eq "$NAMES_OK" 1 "every file is <NN>-<target>-<name>.<ext> with one PEM certificate, extension by target"

fp_of() { fp "$(ls "$T"/out/$1 | head -1)"; }
expect_eq "$(fp_of 'ERP/*-strust-ssl-client-standard-fake-digicert-global-root-g2.crt')" "$(fp "$FX/lb-root.crt")" "ERP SSL client: root of the worker node chain (R2)"
expect_eq "$(fp_of 'HCI/*-service-key-erp-*.pem')" "$(fp "$FX/erp-client.crt")" "HCI service key: ERP's leaf (R1, cf)"
expect_eq "$(fp_of 'HCI/*-service-key-c4c-*.pem')" "$(fp "$FX/c4c-client.crt")" "HCI service key: C4C's leaf (R7, cf)"
expect_eq "$(fp_of 'HCI/*-keystore-*.cer')" "$(fp "$FX/corp-root.crt")" "HCI keystore: root of WD's server chain (R11)"
expect_eq "$(fp_of 'C4C/*-communication-arrangement-*.cer')" "$(fp "$FX/hci-client.crt")" "C4C arrangement: HCI's leaf (R4)"
expect_eq "$(for f in "$T"/out/WD/*-strust-ssl-server-standard-*.crt; do fp "$f"; done | sort | tr '\n' ' ')" \
          "$(printf '%s\n' "$(fp "$FX/hci-root.crt")" "$(fp "$FX/hci-intermediate.crt")" | sort | tr '\n' ' ')" \
          "WD SSL server: root and intermediate of HCI's client chain (R9)"
MAXCPI=$(stat -c %s "$T"/out/HCI/*.cer "$T"/out/HCI/*.pem | sort -n | tail -1)
if [ "$MAXCPI" -le 10240 ]; then ok "CPI files at most 10,240 bytes ($MAXCPI)"; else bad "CPI file of $MAXCPI bytes"; fi

# user mapping: the certificate and the DN as typed into VUSREXTID
TXT=$(ls "$T"/out/ERP/*-user-mapping-*.txt)
WANT_DN=$(openssl x509 -in "$FX/hci-client.crt" -noout -subject -nameopt RFC2253 | sed 's/^subject=//; s/,/, /g')
expect_eq "$(cat "$TXT")" "$WANT_DN" "user mapping .txt holds the DN in STRUST order (no ST= here: same as OpenSSL)"
expect_eq "$(fp "${TXT%.txt}.cer")" "$(fp "$FX/hci-client.crt")" "user mapping certificate beside the .txt"
expect_contains "$(cat "$T/out/ERP/README.md")" "ERP/$(basename "$TXT"): the DN in SAP's notation, as typed into VUSREXTID" "ERP README names the VUSREXTID .txt"
expect_contains "$(cat "$T/out/ERP/README.md")" "STRUST > SSL server Standard > Import certificate > Add to Certificate List > Save" "ERP README: STRUST click path ending with Save"
expect_contains "$(cat "$T/out/ERP/README.md")" "[ ] Then check that every changed PSE is distributed to all application servers (STRUST shows each server under the PSE)" "ERP README: final distribution check"
expect_contains "$(cat "$T/out/ERP/README.md")" '[^4]: SAP Help: "Maintaining the SSL Server PSE'"'"'s Certificate List"' "ERP README: references as footnotes"

# README: that system's steps in its own words, naming its files
expect_contains "$(cat "$T/out/ERP/README.md")" "STRUST" "ERP README in STRUST's words"
expect_contains "$(cat "$T/out/HCI/README.md")" "service key" "HCI README in CPI's words"
expect_not_contains "$(cat "$T/out/ERP/README.md")" "communication arrangement" "ERP README has only ERP's steps"
MISSING=""
for f in "$T"/out/ERP/[0-9]*.crt "$T"/out/ERP/[0-9]*.cer; do grep -q "$(basename "$f")" "$T/out/ERP/README.md" || MISSING="$MISSING $(basename "$f")"; done
expect_eq "$MISSING" "" "ERP README names every certificate file of its folder"

# sapgenpse.sh (standalone Web Dispatcher only): the same imports, PIN from the
# environment, stops at the first error, restart advice that fits a Web Dispatcher
S=$T/out/WD/sapgenpse.sh
expect_contains "$(cat "$S")" "sapcontrol -nr <NN> -function RestartInstance" "sapgenpse.sh: Web Dispatcher restart advice"
expect_not_contains "$(cat "$S")" "SMICM" "sapgenpse.sh: no SMICM/STRUST advice for a Web Dispatcher"
expect_eq "$(stat -c %a "$S")" "755" "sapgenpse.sh is executable"
run sh -n "$S"
expect_rc 0 "sapgenpse.sh parses (sh -n)"
cat >"$T/fake-sapgenpse" <<EOF
#!/bin/sh
echo "\$*" >>"$T/calls"
[ -n "\${FAIL_AT:-}" ] && [ "\$(wc -l <"$T/calls")" -ge "\$FAIL_AT" ] && exit 7
exit 0
EOF
chmod +x "$T/fake-sapgenpse"
WANT=""
for f in "$T"/out/WD/[0-9]*-strust-ssl-*.crt; do
  b=$(basename "$f"); case "$b" in *client-standard*) pse=SAPSSLC.pse ;; *client-anonymous*) pse=SAPSSLA.pse ;; *) pse=SAPSSLS.pse ;; esac
  WANT="$WANT|maintain_pk -p /sec/$pse -x 4711 -a $b"
done
rm -f "$T/calls"
run env SAPGENPSE="$T/fake-sapgenpse" SECUDIR=/sec PSE_PIN=4711 sh "$S"
expect_rc 0 "sapgenpse.sh with a PIN"
expect_eq "$(sed 's/^/|/' "$T/calls" | tr -d '\n')" "$WANT" "sapgenpse.sh adds every STRUST file, in order, to its PSE"
rm -f "$T/calls"
run env SAPGENPSE="$T/fake-sapgenpse" SECUDIR=/sec sh "$S"
expect_rc 2 "sapgenpse.sh without PSE_PIN refuses"
expect_contains "$ERR" "PSE_PIN" "sapgenpse.sh names PSE_PIN"
expect_no_file "$T/calls" "sapgenpse.sh without PIN calls nothing"
run env SAPGENPSE="$T/fake-sapgenpse" SECUDIR=/sec PSE_PIN=4711 FAIL_AT=2 sh "$S"
expect_rc 7 "sapgenpse.sh stops at the first error"
expect_eq "$(wc -l <"$T/calls")" "2" "no call after the failing one"

# --- DIR rules ---
echo stale >"$T/out/ERP/stale.txt"
run "$PSECONV" export "$L" -o "$T/out"
expect_rc 4 "non-empty DIR without --force"
expect_one_error_line "non-empty DIR: one error line"
expect_file "$T/out/ERP/stale.txt" "non-empty DIR left as it was"
run "$PSECONV" export "$L" -o "$T/out" --force
expect_rc 4 "--force: a file not in the previous export's SHA256SUMS is foreign"
expect_contains "$ERR" "out/ERP/stale.txt is not part of the previous export" "names the foreign file"
expect_file "$T/out/ERP/stale.txt" "foreign file kept"
rm "$T/out/ERP/stale.txt"
# only the inbound flow: WD has nothing to do, its folder from the previous export goes
{ printf '[landscape]\nname = inbound only\n'; seed_systems cf "$FX/erp-client-keychain.pem"
  seed_flows | sed -n '1,5p'; } >"$T/inbound.ini"
run "$PSECONV" export "$T/inbound.ini" -o "$T/out" --force
expect_rc 0 "--force replaces a previous export"
expect_no_file "$T/out/WD" "--force: no stale folder from the previous export"
expect_eq "$(ls -d "$T"/out.* 2>/dev/null)" "" "--force: no temporary or parked folder left"
run "$PSECONV" export "$L" -o "$T/out" --force
expect_rc 0 "--force replaces it again"
mkdir -p "$T/home"; echo precious >"$T/home/notes.txt"
run "$PSECONV" export "$L" -o "$T/home" --force
expect_rc 4 "--force does not replace a folder that is not an export"
expect_contains "$ERR" "manifest.json" "says why"
expect_eq "$(cat "$T/home/notes.txt")" "precious" "unrelated folder untouched"
mkdir -p "$T/empty"
run "$PSECONV" export "$L" -o "$T/empty"
expect_rc 0 "an existing empty DIR is fine"
printf '[landscape]\nname = broken\n[system X]\ntype = abap\nclient_cert = %s\n' "$T/no-such.crt" >"$T/broken.ini"
run "$PSECONV" export "$T/broken.ini" -o "$T/never"
expect_rc 3 "unreadable certificate in the landscape"
expect_no_file "$T/never" "failed export leaves no DIR"

# a plan with an error finding: written, exit 1, the finding on stderr
write_landscape "$T/selfsigned.ini"
sed -i "s|^client_cert = $FX/erp-client-keychain.pem|client_cert = $FX/erp-selfsigned.crt|" "$T/selfsigned.ini"
run "$PSECONV" export "$T/selfsigned.ini" -o "$T/ss"
expect_rc 1 "export of a plan with an error finding exits 1"
expect_contains "$ERR" "self-signed-client-cert" "the error finding is named on stderr"
expect_file "$T/ss/CHECKLIST.md" "the handoff is still written (CHECKLIST.md shows the finding)"
EXPORTS="$EXPORTS $T/ss"

# only systems with something to do get a folder: ERP already trusts the worker node
write_landscape "$T/state.ini"
sed -i "s|^service_user = CODINTG|service_user = CODINTG\nssl_client_pse = $FX/hci-worker-node.pem|" "$T/state.ini"
sed -i '/^\[flow account-to-erp\]/,$d' "$T/state.ini"
run "$PSECONV" export "$T/state.ini" -o "$T/state"
expect_rc 0 "export with ERP's current SSL client list"
EXPORTS="$EXPORTS $T/state"
expect_no_file "$T/state/ERP" "no folder for a system with nothing to do"
expect_file "$T/state/HCI/README.md" "HCI still gets its folder"

# --- archives ---
run "$PSECONV" export "$L" -o "$T/a1" --archive "$T/a1.tar.gz"
expect_rc 0 "export --archive tar.gz"
sleep 1
run env TZ=Asia/Tokyo "$PSECONV" export "$L" -o "$T/a2" --archive "$T/a2.tar.gz"
EXPORTS="$EXPORTS $T/a1 $T/a2 $T/a1.tar.gz $T/a2.tar.gz"
run cmp "$T/a1.tar.gz" "$T/a2.tar.gz"
expect_rc 0 "same landscape, byte-identical tar.gz"
LIST=$(tar tzvf "$T/a1.tar.gz")
expect_eq "$(tar tzf "$T/a1.tar.gz" | grep -v '/$')" "$(cd "$T/a1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)" "tar.gz holds the tree, sorted"
expect_eq "$(printf '%s\n' "$LIST" | awk '{print $2}' | sort -u)" "root/root" "tar.gz owner root/root"
expect_eq "$(printf '%s\n' "$LIST" | awk '{print $4" "$5}' | sort -u)" "2000-01-01 00:00" "tar.gz fixed time"
expect_eq "$(printf '%s\n' "$LIST" | grep sapgenpse.sh | awk '{print $1}' | sort -u)" "-rwxr-xr-x" "tar.gz: sapgenpse.sh 0755"
expect_eq "$(printf '%s\n' "$LIST" | grep README.md | awk '{print $1}' | sort -u)" "-rw-r--r--" "tar.gz: files 0644"
mkdir "$T/x"; tar xzf "$T/a1.tar.gz" -C "$T/x"
run diff -r "$T/x" "$T/a1"
expect_rc 0 "tar.gz extracts to the same tree as DIR"

run "$PSECONV" export "$L" --archive "$T/z1.zip"
expect_rc 0 "export --archive zip without -o"
# libarchive (and its libxml2, ICU, libstdc++) is opened only to write an archive
LOADED=$(LD_DEBUG=files "$PSECONV" plan "$L" 2>&1 >/dev/null | grep -o 'file=libarchive[^ ]*' | sort -u)
expect_eq "$LOADED" "" "plan does not load libarchive"
LOADED=$(LD_DEBUG=files "$PSECONV" export "$L" --archive "$T/z0.zip" 2>&1 >/dev/null | grep -o 'file=libarchive[^ ]*' | sort -u)
expect_eq "$LOADED" "file=libarchive.so.13" "export --archive opens libarchive.so.13"
EXPORTS="$EXPORTS $T/z0.zip"
run env TZ=America/Los_Angeles "$PSECONV" export "$L" --archive "$T/z2.zip"
EXPORTS="$EXPORTS $T/z1.zip $T/z2.zip"
run cmp "$T/z1.zip" "$T/z2.zip"
expect_rc 0 "byte-identical zip across time zones"
run unzip -l "$T/z1.zip"
expect_contains "$OUT" "WD/sapgenpse.sh" "unzip -l lists the tree"
expect_eq "$(printf '%s\n' "$OUT" | awk '$1 ~ /^[0-9]+$/ && NF == 4 {print $2" "$3}' | sort -u)" "2000-01-01 00:00" "zip fixed time"
mkdir "$T/zx"; (cd "$T/zx" && unzip -q "$T/z1.zip")
run bash -c "cd '$T/zx' && sha256sum -c SHA256SUMS"
expect_rc 0 "zip: sha256sum -c after unzip"

run env SOURCE_DATE_EPOCH=1767225600 "$PSECONV" export "$L" --archive "$T/sde.tar.gz"
expect_eq "$(tar tzvf "$T/sde.tar.gz" | awk '{print $4}' | sort -u)" "2026-01-01" "SOURCE_DATE_EPOCH sets the entry time"
EXPORTS="$EXPORTS $T/sde.tar.gz"

run "$PSECONV" export "$L" --archive "$T/a1.tar.gz" -o "$T/a3"
expect_rc 4 "existing archive without --force"
expect_no_file "$T/a3" "existing archive: nothing written"

run "$PSECONV" export "$L" --archive "$T/team.tar.gz" --split
expect_rc 0 "export --split"
run "$PSECONV" export "$L" -o "$T/split-ref"
expect_rc 0 "export -o (the folder the split archives are compared with)"
for s in ERP HCI C4C WD; do
  EXPORTS="$EXPORTS $T/team-$s.tar.gz"
  expect_eq "$(tar tzf "$T/team-$s.tar.gz" | grep -v "^$s/" | tr '\n' ' ')" "SHA256SUMS " "--split: team-$s.tar.gz holds only $s/ and SHA256SUMS"
  REF_FILES=$(cd "$T/split-ref" && find "$s" -type f | sort | tr '\n' ' ')
  expect_eq "$(tar tzf "$T/team-$s.tar.gz" | grep "^$s/.*[^/]$" | sort | tr '\n' ' ')" "$REF_FILES" "--split: team-$s.tar.gz holds every file of $s/ in the folder export"
  [ -n "$REF_FILES" ] || bad "--split: the folder export has no $s/ files to compare"
  mkdir -p "$T/split-$s"; tar xzf "$T/team-$s.tar.gz" -C "$T/split-$s"
  run bash -c "cd '$T/split-$s' && sha256sum -c --strict SHA256SUMS"
  expect_rc 0 "--split: sha256sum -c in $s's archive"
done
expect_no_file "$T/team.tar.gz" "--split writes no combined archive"

# --- --update-keystore: JKS and PKCS#12, keys left out, same password ---
keytool -genkeypair -alias tenant-key -keyalg EC -groupname secp256r1 -dname "CN=tenant key" \
  -keystore "$T/system.jks" -storetype JKS -storepass ks-pass-1 -keypass ks-pass-1 -validity 3650 >/dev/null 2>&1
keytool -importcert -noprompt -alias digicert -file "$FX/lb-root.crt" -keystore "$T/system.jks" -storepass ks-pass-1 >/dev/null 2>&1
write_landscape "$T/ks.ini" "keystore = $T/system.jks
keystore_password = env:KS_PW"
run env KS_PW=ks-pass-1 "$PSECONV" export "$T/ks.ini" -o "$T/ks" --update-keystore
expect_rc 0 "export --update-keystore (JKS)"
EXPORTS="$EXPORTS $T/ks"
expect_contains "$OUT" "1 key entry left out" "says the key entry was left out"
KL=$(keytool -list -v -keystore "$T/ks/HCI/system.jks" -storepass ks-pass-1 2>/dev/null)
expect_contains "$KL" "Keystore type: JKS" "same type (JKS)"
expect_contains "$KL" "Alias name: digicert" "existing trusted entry kept"
expect_contains "$KL" "Alias name: nordwind-root-ca" "planned trusted certificate added"
expect_contains "$KL" "$(openssl x509 -in "$FX/corp-root.crt" -noout -fingerprint -sha256 | sed 's/.*=//')" "added certificate is WD's server root"
expect_not_contains "$KL" "PrivateKeyEntry" "no key entry in the handoff keystore"
expect_eq "$(printf '%s\n' "$KL" | grep -c trustedCertEntry)" "2" "two trusted entries"
run "$SYSPY" -c "import hashlib,json; m=json.load(open('$T/ks/manifest.json')); print([f['steps'] for f in m['files'] if f['path']=='HCI/system.jks'])"
expect_eq "$OUT" "[['R11']]" "manifest lists the keystore for R11"
run env KS_PW=wrong "$PSECONV" export "$T/ks.ini" -o "$T/ks-bad" --update-keystore
expect_rc 3 "--update-keystore with a wrong password"
expect_no_file "$T/ks-bad" "wrong keystore password: nothing written"

keytool -importkeystore -srckeystore "$T/system.jks" -srcstorepass ks-pass-1 -destkeystore "$T/system.p12" \
  -deststoretype PKCS12 -deststorepass ks-pass-2 >/dev/null 2>&1
write_landscape "$T/ks12.ini" "keystore = $T/system.p12
keystore_password = env:KS_PW"
run env KS_PW=ks-pass-2 "$PSECONV" export "$T/ks12.ini" -o "$T/ks12" --update-keystore
expect_rc 0 "export --update-keystore (PKCS#12)"
EXPORTS="$EXPORTS $T/ks12"
KL=$(keytool -list -v -keystore "$T/ks12/HCI/system.p12" -storepass ks-pass-2 2>/dev/null)
expect_contains "$KL" "Keystore type: PKCS12" "same type (PKCS#12)"
expect_contains "$KL" "$(openssl x509 -in "$FX/corp-root.crt" -noout -fingerprint -sha256 | sed 's/.*=//')" "PKCS#12: planned certificate added"
expect_not_contains "$KL" "PrivateKeyEntry" "PKCS#12: no key entry"

# --- usage ---
run "$PSECONV" export "$L"
expect_rc 2 "no -o and no --archive"
run "$PSECONV" export "$L" -o "$T/u" --split
expect_rc 2 "--split without --archive"
run "$PSECONV" export "$L" --archive "$T/u.rar"
expect_rc 2 "unknown archive extension"
run "$PSECONV" export --help
expect_rc 0 "--help"

# --- never a private key in any export of this test ---
KEYS=0
for x in $EXPORTS; do
  if [ -d "$x" ]; then d=$x; else d=$T/scan.$RANDOM; mkdir "$d"
    case "$x" in *.zip) (cd "$d" && unzip -q "$x") ;; *) tar xzf "$x" -C "$d" ;; esac; fi
  if grep -rl "PRIVATE KEY" "$d" >/dev/null; then KEYS=1; echo "key marker in $x"; fi
  while IFS= read -r f; do
    if openssl pkey -in "$f" -noout 2>/dev/null || openssl pkey -inform DER -in "$f" -noout 2>/dev/null; then KEYS=1; echo "key in $f"; fi
    case "$f" in *.jks|*.p12)
      keytool -list -keystore "$f" -storepass ks-pass-1 2>/dev/null | grep -q PrivateKeyEntry && { KEYS=1; echo "key entry in $f"; }
      keytool -list -keystore "$f" -storepass ks-pass-2 2>/dev/null | grep -q PrivateKeyEntry && { KEYS=1; echo "key entry in $f"; } ;;
    esac
  done < <(find "$d" -type f)
done
expect_eq "$KEYS" 0 "no export holds a private key ($(echo $EXPORTS | wc -w) folders and archives scanned)"

finish
