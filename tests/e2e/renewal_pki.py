# Certificates that expire at chosen offsets from now, made at test time for
# the expiry and delta tests (run with /usr/bin/python3: python3-cryptography).
#   renewal_pki.py DIR SPEC...
# SPEC = name:CN:O:ISSUER:DAYS:KIND  ISSUER = a name made earlier or "-" (self-signed);
# DAYS = not_after offset from now in days, may be fractional (negative: already expired);
# KIND = ca or leaf (leaf: clientAuth + serverAuth).  Writes DIR/name.crt and DIR/name.key.
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

out = sys.argv[1]
made = {}
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
for serial, spec in enumerate(sys.argv[2:], start=1000):
    name, cn, org, issuer, days, kind = spec.split(":")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                         x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    if issuer == "-":
        iss_name, iss_key, iss_ski = subject, key, None
    else:
        ic, ik = made[issuer]
        iss_name, iss_key = ic.subject, ik
        iss_ski = ic.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    not_after = now + datetime.timedelta(days=float(days))
    not_before = min(now, not_after) - datetime.timedelta(days=400)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(iss_name)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False))
    if iss_ski is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(iss_ski), False)
    if kind == "ca":
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
    else:
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                   ExtendedKeyUsageOID.SERVER_AUTH]), False)
    cert = b.sign(iss_key, hashes.SHA256())
    made[name] = (cert, key)
    with open("%s/%s.crt" % (out, name), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open("%s/%s.key" % (out, name), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
