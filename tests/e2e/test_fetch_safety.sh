#!/bin/bash
# Issue 16 item 13: fetch takes a URL, names fetched certificates by their CN
# (no "alias '' is used twice"), and says when a long chain was cut rather than
# calling its root missing.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/servers.sh"

serve -cert "$FX/lb-server.crt" -key "$FX/lb-server.key" -cert_chain "$FX/lb-intermediate.crt"
run "$PSECONV" fetch "https://127.0.0.1:$PORT/some/path?x=1" -o "$T/url.p12" --out-password pass:pw
expect_rc 0 "fetch https://HOST:PORT/path"
expect_not_contains "$ERR" "is used twice" "no duplicate-alias warnings"
run "$PSECONV" inspect "$T/url.p12" --password pass:pw
want=$(openssl x509 -in "$FX/lb-server.crt" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= *//p')
expect_contains "$OUT" "[1] $want (" "the leaf's alias is its CN"
run "$PSECONV" fetch "https://127.0.0.1:$PORT"
expect_rc 0 "fetch https://HOST:PORT without a path"
cleanup_servers

# a 40-certificate chain that ends in its root: cut at the walk's depth, said so
cat >"$T/long.py" <<'PY'
import sys, datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
d, n = sys.argv[1], int(sys.argv[2])
now = datetime.datetime(2024, 1, 1)
def name(cn): return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(n)]
certs = []
for i in range(n):  # 0 = root ... n-1 = leaf
    issuer = i - 1 if i else 0
    b = (x509.CertificateBuilder().subject_name(name(f"level{i}")).issuer_name(name(f"level{issuer}"))
         .public_key(keys[i].public_key()).serial_number(i + 1).not_valid_before(now)
         .not_valid_after(now + datetime.timedelta(days=36500)))
    if i < n - 1:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    else:
        b = b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]), False)
    certs.append(b.sign(keys[issuer], hashes.SHA256()))
pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
open(f"{d}/leaf.pem", "wb").write(pem(certs[-1]))
open(f"{d}/leaf.key", "wb").write(keys[-1].private_bytes(serialization.Encoding.PEM,
     serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
open(f"{d}/chain.pem", "wb").write(b"".join(pem(c) for c in reversed(certs[:-1])))
PY
"$SYSPY" "$T/long.py" "$T" 40
serve -cert "$T/leaf.pem" -key "$T/leaf.key" -cert_chain "$T/chain.pem"
run "$PSECONV" fetch "127.0.0.1:$PORT"
expect_rc 0 "fetch a 40-certificate chain"
expect_contains "$OUT" "the server sent 40 certificates" "all 40 received"
expect_contains "$OUT" "the chain was cut at 16 certificates" "says where the chain was cut"
expect_not_contains "$OUT" "root: NOT sent" "does not claim the root is missing"
cleanup_servers
finish
