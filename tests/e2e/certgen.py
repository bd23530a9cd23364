#!/usr/bin/python3
"""Certificates with unusual-but-valid and deliberately odd encodings, built
byte by byte (issue 17): the regression inputs of test_x509facts.sh and the
seed corpus of fuzz_x509diff.  Each certificate is a real one (signed with
a key made here by python3-cryptography) whose TBS, outer encoding or PEM
armour is built with the small DER encoder below, so a field can hold what
no CA library would write.

    certgen.py case NAME OUT     one named case (see CASES) to OUT
    certgen.py all DIR           every case as DIR/NAME.der, every file as DIR/NAME
    certgen.py corpus DIR        every case and DER file as DIR/gen-NAME (fuzz seeds)
    certgen.py list              the case names
"""
import base64
import os
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa, x448, x25519


# --- DER -------------------------------------------------------------------
def length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + length(len(content)) + content


def seq(*parts):
    return tlv(0x30, b"".join(parts))


def integer(v):
    n = max(1, (v.bit_length() + 8) // 8)
    return tlv(0x02, v.to_bytes(n, "big", signed=True))


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    body = [40 * arcs[0] + arcs[1]] + arcs[2:]
    out = b""
    for a in body:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(chunk)
    return tlv(0x06, out)


def bits(data, unused=0):
    return tlv(0x03, bytes([unused]) + data)


def octets(data):
    return tlv(0x04, data)


NULL = b"\x05\x00"
CN, O, OU, C = "2.5.4.3", "2.5.4.10", "2.5.4.11", "2.5.4.6"
UTF8, PRINTABLE, T61, IA5, BMP, UNIV, VISIBLE, NUMERIC = 0x0C, 0x13, 0x14, 0x16, 0x1E, 0x1C, 0x1A, 0x12


def atv(o, value, tag=UTF8):
    if isinstance(value, str):
        value = {BMP: value.encode("utf-16-be"), UNIV: value.encode("utf-32-be")}.get(
            tag, value.encode("utf-8"))
    return seq(oid(o), tlv(tag, value))


def name(*rdns):
    """rdns: (oid, value[, tag]) or a list of those for a multi-valued RDN."""
    out = b""
    for r in rdns:
        group = r if isinstance(r, list) else [r]
        out += tlv(0x31, b"".join(atv(*a) for a in group))
    return seq(out) if rdns else b"\x30\x00"


def utc(s):
    return tlv(0x17, s.encode())


def gen(s):
    return tlv(0x18, s.encode())


def ext(o, value, critical=False):
    return seq(oid(o), b"\x01\x01\xff" if critical else b"", octets(value))


def ski(keyid):
    return ext("2.5.29.14", octets(keyid))


def aki(keyid=None, issuer=None, serial=None):
    body = b""
    if keyid is not None:
        body += tlv(0x80, keyid)
    if issuer is not None:
        body += tlv(0xA1, tlv(0xA4, issuer))  # GeneralNames { directoryName }
    if serial is not None:
        body += tlv(0x82, integer(serial)[2:])
    return ext("2.5.29.35", seq(body))


def basic_ca(ca=True):
    return ext("2.5.29.19", seq(b"\x01\x01\xff" if ca else b""), critical=True)


# --- keys ------------------------------------------------------------------
SHA256_RSA = "1.2.840.113549.1.1.11"
ECDSA_SHA256 = "1.2.840.10045.4.3.2"
ED25519_OID = "1.3.101.112"
_keys = {}


def key(kind):
    if kind not in _keys:
        _keys[kind] = {
            "rsa": lambda: rsa.generate_private_key(65537, 2048),
            "rsa1024": lambda: rsa.generate_private_key(65537, 1024),
            "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
            "p384": lambda: ec.generate_private_key(ec.SECP384R1()),
            "p521": lambda: ec.generate_private_key(ec.SECP521R1()),
            "k256": lambda: ec.generate_private_key(ec.SECP256K1()),
            "bp256": lambda: ec.generate_private_key(ec.BrainpoolP256R1()),
            "ed25519": ed25519.Ed25519PrivateKey.generate,
            "ed448": ed448.Ed448PrivateKey.generate,
            "x25519": x25519.X25519PrivateKey.generate,
            "x448": x448.X448PrivateKey.generate,
            "dsa": lambda: dsa.generate_private_key(2048),
        }[kind]()
    return _keys[kind]


def spki_of(k):
    return k.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)


def openssl_spki(alg):
    """SPKI of a key only the openssl CLI makes (SM2, RSA-PSS)."""
    with tempfile.TemporaryDirectory() as d:
        k = os.path.join(d, "k.pem")
        cmd = ["openssl", "genpkey", "-out", k] + alg
        subprocess.run(cmd, check=True, capture_output=True)
        return subprocess.run(["openssl", "pkey", "-in", k, "-pubout", "-outform", "DER"],
                              check=True, capture_output=True).stdout


def ec_spki(curve_oid, point):
    return seq(seq(oid("1.2.840.10045.2.1"), oid(curve_oid)), bits(point))


def sign(signer, tbs, sigalg):
    if sigalg == SHA256_RSA:
        return signer.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    if sigalg == ECDSA_SHA256:
        return signer.sign(tbs, ec.ECDSA(hashes.SHA256()))
    if sigalg == ED25519_OID:
        return signer.sign(tbs)
    return os.urandom(64)  # an algorithm no one verifies: any bytes


def algid(o):
    return seq(oid(o), NULL) if o == SHA256_RSA else seq(oid(o))


# --- the certificate -------------------------------------------------------
ROOT = name((CN, "certgen root"), (O, "pseconv tests"), (C, "DE", PRINTABLE))
LEAF = name((CN, "certgen leaf"), (O, "pseconv tests"), (C, "DE", PRINTABLE))


def cert(subject=LEAF, issuer=ROOT, serial=4660, version=2, not_before=None, not_after=None,
         spki=None, exts=None, signer="rsa", inner_alg=None, outer_alg=None, unique_ids=b""):
    sk = key(signer)
    sigalg = SHA256_RSA if signer.startswith("rsa") else ECDSA_SHA256
    if signer == "ed25519":
        sigalg = ED25519_OID
    inner = algid(inner_alg or sigalg)
    outer = algid(outer_alg or sigalg)
    tbs = seq(
        tlv(0xA0, integer(version)) if version else b"",
        integer(serial),
        inner,
        issuer,
        seq(not_before or utc("250101000000Z"), not_after or gen("20491231235959Z")),
        subject,
        spki if spki is not None else spki_of(key("p256")),
        unique_ids,
        tlv(0xA3, seq(*exts)) if exts else b"",
    )
    return seq(tbs, outer, bits(sign(sk, tbs, outer_alg or sigalg)))


def selfsigned(**kw):
    kw.setdefault("subject", ROOT)
    kw.setdefault("issuer", ROOT)
    kw.setdefault("spki", spki_of(key("rsa")))
    kw.setdefault("signer", "rsa")
    return cert(**kw)


def pem(der, extra=b""):
    b = base64.encodebytes(der + extra).decode().replace("\n", "")
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) +
            "\n-----END CERTIFICATE-----\n").encode()


def outer_long(der, nlen):
    """The same certificate with its outer length in nlen octets (BER)."""
    hl = 2 + (der[1] & 0x7F if der[1] & 0x80 else 0)
    body = der[hl:]
    return b"\x30" + bytes([0x80 | nlen]) + len(body).to_bytes(nlen, "big") + body


def outer_indefinite(der):
    hl = 2 + (der[1] & 0x7F if der[1] & 0x80 else 0)
    return b"\x30\x80" + der[hl:] + b"\x00\x00"


def off_curve_point():
    pub = key("p256").public_key().public_numbers()
    x, y = pub.x, (pub.y + 1) % (2**256)
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def p256_point():
    return key("p256").public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)


def p384_point():
    return key("p384").public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)


P256, P384 = "1.2.840.10045.3.1.7", "1.3.132.0.34"
ROOT_KEYID = bytes(range(1, 21))

CASES = {
    # 1. serial sign
    "serial-neg5": lambda: cert(serial=-5),
    "serial-pos5": lambda: cert(serial=5),
    "serial-zero": lambda: cert(serial=0),
    "serial-big": lambda: cert(serial=2**159 + 12345),
    # 2. times OpenSSL calls "Bad time value" ...
    "time-month13": lambda: cert(not_before=utc("251301000000Z")),
    "time-feb30": lambda: cert(not_before=utc("250230000000Z")),
    "time-sec60": lambda: cert(not_after=utc("251231235960Z")),
    "time-letters": lambda: cert(not_after=utc("25123A235959Z")),
    "time-empty": lambda: cert(not_after=utc("")),
    "time-lower-z": lambda: cert(not_after=utc("251231235959z")),
    "time-utc-fraction": lambda: cert(not_after=utc("251231235959.5Z")),
    "time-gen-no-z": lambda: cert(not_after=gen("20491231235959")),
    "time-gen-offset": lambda: cert(not_after=gen("20491231235959+0100")),
    "time-overlong": lambda: cert(not_after=gen("20491231235959Z" + "0" * 80)),
    # ... and unusual valid ones
    "time-gen-frac60": lambda: cert(not_after=gen("20491231235959." + "1" * 60 + "Z")),
    "time-year0999": lambda: cert(not_before=gen("09990101000000Z")),
    "time-utc-1950": lambda: cert(not_before=utc("500101000000Z"), not_after=utc("491231235959Z")),
    "time-gen-1950": lambda: cert(not_before=gen("19500101000000Z"), not_after=gen("20500101000000Z")),
    "time-gen-9999": lambda: cert(not_after=gen("99991231235959Z")),
    # 3. keys
    "key-ec-offcurve": lambda: cert(spki=ec_spki(P256, off_curve_point())),
    "key-ec-short": lambda: cert(spki=ec_spki(P256, p256_point()[:-1])),
    "key-ec-othercurve": lambda: cert(spki=ec_spki(P256, p384_point())),
    "key-ec-compressed": lambda: cert(spki=ec_spki(P256, key("p256").public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint))),
    "key-x25519": lambda: cert(spki=spki_of(key("x25519"))),
    "key-x448": lambda: cert(spki=spki_of(key("x448"))),
    "key-sm2": lambda: cert(spki=openssl_spki(["-algorithm", "SM2"])),
    "key-ed25519": lambda: cert(spki=spki_of(key("ed25519"))),
    "key-ed448": lambda: cert(spki=spki_of(key("ed448"))),
    "key-p384": lambda: cert(spki=spki_of(key("p384"))),
    "key-p521": lambda: cert(spki=spki_of(key("p521"))),
    "key-secp256k1": lambda: cert(spki=spki_of(key("k256"))),
    "key-brainpool": lambda: cert(spki=spki_of(key("bp256"))),
    "key-rsa1024": lambda: cert(spki=spki_of(key("rsa1024"))),
    "key-dsa": lambda: cert(spki=spki_of(key("dsa"))),
    "key-rsa-pss": lambda: cert(spki=openssl_spki(["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"])),
    "sig-unknown-oid": lambda: cert(outer_alg="1.2.3.4.5.6.7", inner_alg="1.2.3.4.5.6.7"),
    # 4. self-signed as OpenSSL decides it
    "ss-plain": lambda: selfsigned(exts=[basic_ca(), ski(ROOT_KEYID), aki(ROOT_KEYID)]),
    "ss-v1": lambda: selfsigned(version=0),
    "ss-key-type": lambda: selfsigned(spki=spki_of(key("p256"))),  # EC key, RSA signature
    "ss-aki-serial": lambda: selfsigned(exts=[basic_ca(), aki(serial=99)]),
    "ss-aki-serial-same": lambda: selfsigned(serial=99, exts=[basic_ca(), aki(serial=99)]),
    "ss-aki-issuer": lambda: selfsigned(exts=[basic_ca(), aki(issuer=name((CN, "another CA")))]),
    "ss-aki-issuer-same": lambda: selfsigned(exts=[basic_ca(), aki(issuer=ROOT)]),
    "ss-ber-ski": lambda: selfsigned(exts=[basic_ca(), aki(ROOT_KEYID),
                                           ext("2.5.29.14", b"\x24\x80" + octets(b"\x99" * 20) + b"\x00\x00")]),
    "ss-ber-aki": lambda: selfsigned(exts=[basic_ca(), ski(ROOT_KEYID),
                                           ext("2.5.29.35", b"\x30\x80" + tlv(0x80, b"\x99" * 20) + b"\x00\x00")]),
    "ss-garbage-aki": lambda: selfsigned(exts=[basic_ca(), ski(ROOT_KEYID),
                                               ext("2.5.29.35", seq(tlv(0x80, b"\x99" * 20), tlv(0xA1, b"\x04\x01")))]),
    "ss-inner-sig-unknown": lambda: selfsigned(inner_alg="1.2.3.4.5.6.7"),
    "ss-ed25519": lambda: selfsigned(spki=spki_of(key("ed25519")), signer="ed25519"),
    "ss-ec": lambda: selfsigned(spki=spki_of(key("p256")), signer="p256",
                                exts=[basic_ca(), ski(ROOT_KEYID), aki(ROOT_KEYID, ROOT, 4660)]),
    "ss-rsa-pss-sig": lambda: selfsigned(inner_alg="1.2.840.113549.1.1.10"),
    "ss-dsa-key": lambda: selfsigned(spki=spki_of(key("dsa"))),
    # names: escapes and string types
    "name-escapes": lambda: cert(subject=name((CN, ' #lead, "q" +plus=eq;semi<lt>\\bs trail '),
                                             (O, "\u00e4\u00f6\u00fc \u4e2d\u6587"), (OU, "ctl\x01\x7f"))),
    "name-types": lambda: cert(subject=name((CN, "bmp \u00e9", BMP), (O, "univ", UNIV), (OU, "t61", T61),
                                            ("1.2.840.113549.1.9.1", "a@b.example", IA5),
                                            ("2.5.4.5", "12345", NUMERIC))),
    "name-visible": lambda: cert(subject=name((CN, "visible", VISIBLE))),  # OpenSSL refuses it
    "name-multi-rdn": lambda: cert(subject=name([(CN, "a"), (OU, "b")], (O, "c"))),
    "name-empty": lambda: cert(subject=name()),
    "name-unknown-oid": lambda: cert(subject=name(("1.2.3.4.99", "x"), (CN, "n"))),
    "v2-unique-ids": lambda: cert(version=1, unique_ids=tlv(0x81, b"\x00\xab") + tlv(0x82, b"\x00\xcd")),
    "ext-dup-bc": lambda: cert(exts=[basic_ca(), basic_ca()]),
    "ext-eku": lambda: cert(exts=[ext("2.5.29.37", seq(oid("1.3.6.1.5.5.7.3.2"), oid("1.3.6.1.5.5.7.3.1")))]),
}

# 5.-7. whole files: not a certificate DER, written as they are
FILES = {
    "outer-len84.der": lambda: outer_long(cert(), 4),
    "outer-len85.der": lambda: outer_long(cert(), 5),
    "outer-indef.der": lambda: outer_indefinite(cert()),
    "sig-dirty-bits.der": lambda: dirty_signature(),
    "pem-trailing.pem": lambda: pem(cert(), b"\x00\x01trailing"),
    "damaged.der": lambda: cert()[:-40],
}


def dirty_signature():
    """Signature BIT STRING saying 4 unused bits whose last byte has them set:
    OpenSSL clears them when it re-encodes."""
    der = cert()
    # the signature is last: ... 03 82 01 01 00 <256 bytes>; set unused = 4
    assert der[-261:-257] == b"\x03\x82\x01\x01"
    return der[:-257] + b"\x04" + der[-256:-1] + bytes([der[-1] | 0x0F])


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "list":
        print("\n".join(list(CASES) + list(FILES)))
    elif len(sys.argv) == 4 and sys.argv[1] == "case":
        n = sys.argv[2]
        data = CASES[n]() if n in CASES else FILES[n]()
        with open(sys.argv[3], "wb") as f:
            f.write(data)
    elif len(sys.argv) == 3 and sys.argv[1] == "all":
        d = sys.argv[2]  # every case as NAME.der, every file under its name
        os.makedirs(d, exist_ok=True)
        for n, f in list(CASES.items()) + list(FILES.items()):
            with open(os.path.join(d, n if n in FILES else n + ".der"), "wb") as out:
                out.write(f())
    elif len(sys.argv) == 3 and sys.argv[1] == "corpus":
        d = sys.argv[2]
        os.makedirs(d, exist_ok=True)
        for n, f in list(CASES.items()) + list(FILES.items()):
            if n.endswith(".pem"):
                continue  # the harness reads DER
            try:
                data = f()
            except subprocess.CalledProcessError:
                continue  # an algorithm this openssl lacks
            with open(os.path.join(d, "gen-" + n.replace(".der", "")), "wb") as out:
                out.write(data)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
