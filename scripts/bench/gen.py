#!/usr/bin/python3
"""Input generator for scripts/bench.sh (Debian python3-cryptography + pyjks).

  gen.py certs N OUT.pem [SHAPE]  N certificates as one PEM bundle, shaped as
                               mixed (default; "distinct issuers"): a trust-store mix of
                                 60% self-signed root CAs (3 of 4 EC P-256, 1 of 4 RSA-2048
                                 from a pool of 8 keys), 30% intermediate CAs signed by
                                 those roots, 10% TLS leaves signed by the intermediates
                               one-ca: one root CA and N-1 leaves it signed (distinct CNs)
                               same-cn: one root CA and N-1 leaves it signed, all with the
                                 SAME subject (a renewal history of one server certificate)
                               rsa-ca: one-ca with an RSA-2048 root (SAP's CAs sign with
                                 RSA): what a signature check costs with RSA, for verify
  gen.py jks IN.pem OUT.jks PW every certificate of IN.pem as a trusted entry (written
                               directly: pyjks is quadratic in the number of entries)
  gen.py pyjks-load FILE PW    load a JKS with pyjks (what the timing runs)
  gen.py pyjks-write IN.pem OUT.jks PW   PEM bundle -> JKS with cryptography + pyjks
  gen.py landscape NSYS DIR    DIR/landscape.ini with NSYS systems (groups of ERP(abap),
                               HCI(cpi), C4C(c4c), every 4th group also a webdispatcher)
                               and two certificate flows per group, plus their cert files
Deterministic enough for benchmarking (random keys, fixed structure)."""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
PEM = serialization.Encoding.PEM


def name(cn, org="Bench Trust", c="DE"):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, c),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def build(subject, issuer, pub, signer, ca, years=5, eku=None, issuer_key_pub=None):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pub).serial_number(x509.random_serial_number())
         .not_valid_before(NOW - datetime.timedelta(days=1))
         .not_valid_after(NOW + datetime.timedelta(days=365 * years))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False))
    if issuer_key_pub is not None:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key_pub), critical=False)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return b.sign(signer, hashes.SHA256())


def gen_one_ca(n, out, same_cn, rsa_root=False):
    """One root, n-1 leaves signed by it: every leaf shares the issuer Name (and,
    with same_cn, the subject Name too); rsa_root: an RSA-2048 root."""
    rk = rsa.generate_private_key(public_exponent=65537, key_size=2048) if rsa_root else ec_key()
    rs = name("Bench One Root CA")
    leaf_key = ec_key()
    with open(out + ".tmp", "wb") as f:
        f.write(build(rs, rs, rk.public_key(), rk, True, years=20).public_bytes(PEM))
        for i in range(n - 1):
            cn = "renewed.bench.example" if same_cn else "host%06d.bench.example" % i
            cert = build(name(cn, "Bench Hosts"), rs, leaf_key.public_key(), rk, False, years=1,
                         eku=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
                         issuer_key_pub=rk.public_key())
            f.write(cert.public_bytes(PEM))
    os.replace(out + ".tmp", out)


def gen_certs(n, out, shape="mixed"):
    if shape in ("one-ca", "same-cn", "rsa-ca"):
        return gen_one_ca(n, out, shape == "same-cn", shape == "rsa-ca")
    if shape != "mixed":
        sys.exit("gen.py: unknown shape %r (mixed, one-ca, same-cn, rsa-ca)" % shape)
    n_root = max(1, n * 6 // 10)
    n_inter = max(1, n * 3 // 10) if n >= 3 else 0
    n_leaf = n - n_root - n_inter
    rsa_pool = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(8)]
    roots, inters = [], []
    with open(out + ".tmp", "wb") as f:
        for i in range(n_root):
            key = rsa_pool[i % 8] if i % 4 == 3 else ec_key()
            subj = name("Bench Root CA %05d" % i)
            cert = build(subj, subj, key.public_key(), key, True, years=20)
            roots.append((subj, key))
            f.write(cert.public_bytes(PEM))
        for i in range(n_inter):
            rsubj, rkey = roots[i % len(roots)]
            key = ec_key()
            subj = name("Bench Issuing CA %05d" % i)
            cert = build(subj, rsubj, key.public_key(), rkey, True, years=10,
                         issuer_key_pub=rkey.public_key())
            inters.append((subj, key))
            f.write(cert.public_bytes(PEM))
        leaf_key = ec_key()  # leaves share one key: only their signatures are checked
        for i in range(n_leaf):
            isubj, ikey = inters[i % len(inters)]
            cert = build(name("host%05d.bench.example" % i, "Bench Hosts"), isubj,
                         leaf_key.public_key(), ikey, False, years=1,
                         eku=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
                         issuer_key_pub=ikey.public_key())
            f.write(cert.public_bytes(PEM))
    os.replace(out + ".tmp", out)


def read_bundle(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificates(f.read()) if hasattr(
            x509, "load_pem_x509_certificates") else _split(f.read())


def _split(data):
    out, marker = [], b"-----END CERTIFICATE-----"
    for part in data.split(marker):
        if b"-----BEGIN CERTIFICATE-----" in part:
            out.append(x509.load_pem_x509_certificate(part.strip() + b"\n" + marker + b"\n"))
    return out


def write_jks_direct(pem, out, pw):
    """The JKS format written here in a few lines (Java's JavaKeyStore layout:
    magic, version 2, trustedCertEntry records, SHA-1 over password (UTF-16BE) +
    "Mighty Aphrodite" + body): pyjks builds its output by bytes concatenation,
    quadratic, and does not finish 50,000 entries in minutes."""
    import hashlib
    import struct
    der = serialization.Encoding.DER
    body = [struct.pack(">III", 0xFEEDFEED, 2, 0)]
    n = 0
    ts = int(NOW.timestamp() * 1000)
    for i, c in enumerate(read_bundle(pem)):
        alias = ("cert%05d" % i).encode()
        data = c.public_bytes(der)
        body.append(struct.pack(">IH", 2, len(alias)) + alias + struct.pack(">QH", ts, 5) +
                    b"X.509" + struct.pack(">I", len(data)) + data)
        n += 1
    body[0] = struct.pack(">III", 0xFEEDFEED, 2, n)
    data = b"".join(body)
    mac = hashlib.sha1(pw.encode("utf-16-be") + b"Mighty Aphrodite" + data).digest()
    with open(out + ".tmp", "wb") as f:
        f.write(data + mac)
    os.replace(out + ".tmp", out)


def write_jks(pem, out, pw):
    import jks
    der = serialization.Encoding.DER
    entries = [jks.TrustedCertEntry.new("cert%05d" % i, c.public_bytes(der))
               for i, c in enumerate(read_bundle(pem))]
    ks = jks.KeyStore.new("jks", entries)
    ks.save(out + ".tmp", pw)
    os.replace(out + ".tmp", out)


def pyjks_load(path, pw):
    import jks
    ks = jks.KeyStore.load(path, pw)
    print(len(ks.entries))


def write_pem_files(path, certs):
    with open(path, "wb") as f:
        for c in certs:
            f.write(c.public_bytes(PEM))


def gen_landscape(nsys, d):
    """Groups of systems as in the seed: ERP (abap) <-> HCI (cpi) <-> C4C (c4c), every
    fourth group with a webdispatcher in front of its ERP.  One corporate root and
    issuing CA for all ABAP/WD systems, one SAP-like CA pair for CPI and C4C."""
    os.makedirs(os.path.join(d, "certs"), exist_ok=True)
    def ca_pair(tag):
        rk, ik = ec_key(), ec_key()
        rs, is_ = name(tag + " Root CA"), name(tag + " Issuing CA")
        root = build(rs, rs, rk.public_key(), rk, True, years=20)
        inter = build(is_, rs, ik.public_key(), rk, True, years=10, issuer_key_pub=rk.public_key())
        return root, inter, is_, ik
    corp = ca_pair("Bench Corp")
    sap = ca_pair("Bench SAP Cloud")
    write_pem_files(os.path.join(d, "certs", "corp-chain.pem"), [corp[1], corp[0]])
    write_pem_files(os.path.join(d, "certs", "sap-chain.pem"), [sap[1], sap[0]])
    leaf_key = ec_key()
    cli = [ExtendedKeyUsageOID.CLIENT_AUTH]
    srv = [ExtendedKeyUsageOID.SERVER_AUTH]
    def leaf(cn, ca, eku, fname):
        c = build(name(cn, "Bench Systems"), ca[2], leaf_key.public_key(), ca[3], False,
                  years=2, eku=eku, issuer_key_pub=ca[3].public_key())
        write_pem_files(os.path.join(d, "certs", fname), [c])
        return "certs/" + fname
    lines = ["; generated by scripts/bench/gen.py: %d systems" % nsys, "[landscape]",
             "name = Bench landscape %d" % nsys, "warn_days = 30", ""]
    flows = []
    made, g = 0, 0
    while made < nsys:
        with_wd = g % 4 == 3 and nsys - made >= 4
        members = ["abap", "cpi", "c4c"] + (["webdispatcher"] if with_wd else [])
        members = members[:nsys - made]
        names = {}
        for t in members:
            sname = {"abap": "ERP", "cpi": "HCI", "c4c": "C4C", "webdispatcher": "WD"}[t] + "%03d" % g
            names[t] = sname
            lines.append("[system %s]" % sname)
            lines.append("type = %s" % t)
            low = sname.lower()
            if t in ("abap", "webdispatcher"):
                lines.append("client_cert = " + leaf(sname + " client", corp, cli, low + "-client.crt"))
                lines.append("server_cert = " + leaf(sname.lower() + ".corp.example", corp, srv, low + "-server.crt"))
                lines.append("chain = certs/corp-chain.pem")
                if t == "abap":
                    lines.append("service_user = CODINTG%03d" % g)
            elif t == "cpi":
                lines.append("environment = cf")
                lines.append("client_cert = " + leaf(sname + " tenant client", sap, cli, low + "-client.crt"))
                lines.append("client_chain = certs/sap-chain.pem")
                lines.append("server_chain = " + leaf(low + ".hana.ondemand.example", sap, srv, low + "-server.pem"))
            else:
                lines.append("client_cert = " + leaf(sname + " arrangement", sap, cli, low + "-client.crt"))
                lines.append("client_chain = certs/sap-chain.pem")
                lines.append("server_chain = " + leaf(low + ".crm.ondemand.example", sap, srv, low + "-server.pem"))
            lines.append("")
            made += 1
        if len(members) >= 3:
            erp, hci, c4c = names["abap"], names["cpi"], names["c4c"]
            flows.append(("replicate-material-%03d" % g, "%s -> %s -> %s" % (erp, hci, c4c)))
            back = [c4c, hci] + ([names["webdispatcher"]] if with_wd else []) + [erp]
            flows.append(("account-to-erp-%03d" % g, " -> ".join(back)))
        elif len(members) == 2:
            flows.append(("flow-%03d" % g, "%s -> %s" % (names["abap"], names["cpi"])))
        g += 1
    for fname, path in flows:
        lines += ["[flow %s]" % fname, "path = " + path, "auth = certificate", ""]
    with open(os.path.join(d, "landscape.ini"), "w") as f:
        f.write("\n".join(lines))


def main(a):
    if a[0] == "certs":
        gen_certs(int(a[1]), a[2], a[3] if len(a) > 3 else "mixed")
    elif a[0] == "jks":
        write_jks_direct(a[1], a[2], a[3])
    elif a[0] == "pyjks-load":
        pyjks_load(a[1], a[2])
    elif a[0] == "pyjks-write":
        write_jks(a[1], a[2], a[3])
    elif a[0] == "landscape":
        gen_landscape(int(a[1]), a[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
