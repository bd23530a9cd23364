/* Builders for SAP PSE files following formats.md: DER pieces, the v2 and v4
 * containers (encryption through OpenSSL's own PKCS#12 PBE, 3DES/SHA-1,
 * PKCS12_pbe_crypt_ex, not through the reader's code), a PSE with
 * FCPath/PKRoot/CertList/CrlSet objects made from certificates and an RSA key,
 * and trust-list PSEs (one PKList or CertList, no own certificate, no key).
 *
 * Why a header: it is shared by the unit test (tests/unit/test_pse.c), the
 * fuzz seed maker (tests/fuzz/make_pse_seeds.c) and the end-to-end tests'
 * trust-list maker (tests/make_trust_pse.c), so all build PSEs the same way;
 * the seed maker only asks for a low PBE iteration count, so the fuzzer
 * gets cheap encrypted seeds.
 *
 * Every builder returns 0 on success and -1 on failure (allocation, OpenSSL,
 * malformed input).  An output buffer is initialised by the function that
 * fills it (psc_buf_init) and is empty again after a failure; a buffer that
 * is appended to (tlv, wrap, put_*) is the caller's and stays valid for
 * psc_buf_free whatever happens. */
#ifndef PSC_PSE_BUILD_H
#define PSC_PSE_BUILD_H

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "buf.h"

/* ---- DER pieces ---------------------------------------------------------- */

/* Append tag, length (short or long form, up to 3 length bytes) and content. */
static inline int pse_build_tlv(psc_buf *b, unsigned tag, const void *content, size_t len)
{
    unsigned char h[5];
    size_t n = 0;
    if (len >= 0x1000000)
        return -1;
    h[n++] = (unsigned char)tag;
    if (len < 0x80) {
        h[n++] = (unsigned char)len;
    } else if (len < 0x100) {
        h[n++] = 0x81, h[n++] = (unsigned char)len;
    } else if (len < 0x10000) {
        h[n++] = 0x82, h[n++] = (unsigned char)(len >> 8), h[n++] = (unsigned char)len;
    } else {
        h[n++] = 0x83, h[n++] = (unsigned char)(len >> 16), h[n++] = (unsigned char)(len >> 8);
        h[n++] = (unsigned char)len;
    }
    if (psc_buf_append(b, h, n) != 0 || psc_buf_append(b, content, len) != 0)
        return -1;
    return 0;
}

/* Wrap what b holds in one TLV (b is replaced; unchanged on failure). */
static inline int pse_build_wrap(psc_buf *b, unsigned tag)
{
    psc_buf o;
    psc_buf_init(&o);
    if (pse_build_tlv(&o, tag, b->data, b->len) != 0) {
        psc_buf_free(&o, 0);
        return -1;
    }
    psc_buf_free(b, 0);
    *b = o;
    return 0;
}

/* Length of the DER header at p (short or long form); p is trusted. */
static inline size_t pse_build_hdr_len(const unsigned char *p)
{
    return (p[1] & 0x80) ? 2u + (p[1] & 0x7f) : 2u;
}

/* Header plus content length of the TLV at p; p is trusted. */
static inline size_t pse_build_tlv_total(const unsigned char *p)
{
    size_t n = p[1], h = pse_build_hdr_len(p);
    if (p[1] & 0x80) {
        n = 0;
        for (size_t i = 2; i < h; i++)
            n = (n << 8) | p[i];
    }
    return h + n;
}

/* pse_build_tlv_total for untrusted bytes: 0 when the TLV at p does not fit
 * in avail bytes (or its length takes more than 4 bytes). */
static inline size_t pse_build_tlv_fits(const unsigned char *p, size_t avail)
{
    if (avail < 2 || ((p[1] & 0x80) && (p[1] & 0x7f) > 4))
        return 0;
    size_t h = pse_build_hdr_len(p);
    if (h > avail)
        return 0;
    size_t t = pse_build_tlv_total(p);
    return t <= avail ? t : 0;
}

/* The content SEQUENCE of a plain v2 file, SEQUENCE { INTEGER 2, content }:
 * the part pse_build_make_v2/_make_v4 take.  *content points into file. */
static inline int pse_build_v2_content(const unsigned char *file, size_t len,
                                       const unsigned char **content, size_t *content_len)
{
    size_t outer = pse_build_tlv_fits(file, len);
    if (outer == 0 || file[0] != 0x30)
        return -1;
    size_t h = pse_build_hdr_len(file);
    const unsigned char *p = file + h; /* INTEGER 2 */
    size_t left = outer - h, n = pse_build_tlv_fits(p, left);
    if (n != 3 || p[0] != 0x02 || p[1] != 1 || p[2] != 2)
        return -1;
    p += n, left -= n;
    n = pse_build_tlv_fits(p, left);
    if (n == 0 || p[0] != 0x30)
        return -1;
    *content = p;
    *content_len = n;
    return 0;
}

/* ---- containers ---------------------------------------------------------- */

/* PKCS#12 PBE (3DES, SHA-1, fixed salt) through OpenSSL's own PKCS#12 code:
 * *alg_der gets the DER AlgorithmIdentifier, *ct the ciphertext. */
static inline int pse_build_pbe_encrypt(const unsigned char *in, size_t len, const char *pin,
                                        int iter, psc_buf *alg_der, psc_buf *ct)
{
    static const unsigned char salt[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    X509_ALGOR *a = NULL;
    unsigned char *out = NULL, *d = NULL;
    int outlen = 0, dl = 0, rc = -1;
    size_t pinlen = strlen(pin);
    psc_buf_init(alg_der);
    psc_buf_init(ct);
    if (len > INT_MAX || pinlen > INT_MAX)
        goto done;
    a = PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, iter, salt, (int)sizeof salt);
    if (a == NULL)
        goto done;
    if (PKCS12_pbe_crypt_ex(a, pin, (int)pinlen, in, (int)len, &out, &outlen, 1, NULL, NULL) ==
            NULL ||
        outlen <= 0 || psc_buf_append(ct, out, (size_t)outlen) != 0)
        goto done;
    dl = i2d_X509_ALGOR(a, &d);
    if (dl <= 0 || psc_buf_append(alg_der, d, (size_t)dl) != 0)
        goto done;
    rc = 0;
done:
    OPENSSL_free(out);
    OPENSSL_free(d);
    X509_ALGOR_free(a);
    if (rc != 0)
        psc_buf_free(alg_der, 0), psc_buf_free(ct, 0);
    return rc;
}

/* SEQUENCE { INTEGER 4, [3] { INTEGER flag, algId, OCTET STRING body, OCTET STRING sha1 } }
 * pin NULL: plain (algId sha1, iter unused); bad_digest flips a digest bit. */
static inline int pse_build_make_v4(const unsigned char *content, size_t len, const char *pin,
                                    int iter, int bad_digest, psc_buf *out)
{
    static const unsigned char sha1_alg[] = {0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
    psc_buf alg, body, box;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdl = 0;
    unsigned char flag = pin ? 1 : 0, v = 4;
    int rc = -1;
    psc_buf_init(&alg), psc_buf_init(&body), psc_buf_init(&box), psc_buf_init(out);
    if (EVP_Digest(content, len, md, &mdl, EVP_sha1(), NULL) != 1 || mdl != 20)
        goto done;
    if (bad_digest)
        md[0] ^= 1;
    if (pin) {
        if (pse_build_pbe_encrypt(content, len, pin, iter, &alg, &body) != 0)
            goto done;
    } else if (psc_buf_append(&alg, sha1_alg, sizeof sha1_alg) != 0 ||
               psc_buf_append(&body, content, len) != 0) {
        goto done;
    }
    if (pse_build_tlv(&box, 0x02, &flag, 1) != 0 || psc_buf_append(&box, alg.data, alg.len) != 0 ||
        pse_build_tlv(&box, 0x04, body.data, body.len) != 0 ||
        pse_build_tlv(&box, 0x04, md, mdl) != 0 || pse_build_wrap(&box, 0xa3) != 0)
        goto done;
    if (pse_build_tlv(out, 0x02, &v, 1) != 0 || psc_buf_append(out, box.data, box.len) != 0 ||
        pse_build_wrap(out, 0x30) != 0)
        goto done;
    rc = 0;
done:
    psc_buf_free(&alg, 0), psc_buf_free(&body, 0), psc_buf_free(&box, 0);
    if (rc != 0)
        psc_buf_free(out, 0);
    return rc;
}

/* SEQUENCE { INTEGER 2, [0] { OCTET STRING E(pin), algId, OCTET STRING E(content) } } */
static inline int pse_build_make_v2(const unsigned char *content, size_t len, const char *pin,
                                    int iter, psc_buf *out)
{
    psc_buf alg, ct, alg2, check, box;
    unsigned char v = 2;
    int rc = -1;
    psc_buf_init(&alg), psc_buf_init(&ct), psc_buf_init(&alg2), psc_buf_init(&check);
    psc_buf_init(&box), psc_buf_init(out);
    if (pse_build_pbe_encrypt(content, len, pin, iter, &alg, &ct) != 0)
        goto done;
    if (pse_build_pbe_encrypt((const unsigned char *)pin, strlen(pin), pin, iter, &alg2, &check))
        goto done;
    if (pse_build_tlv(&box, 0x04, check.data, check.len) != 0 ||
        psc_buf_append(&box, alg.data, alg.len) != 0 ||
        pse_build_tlv(&box, 0x04, ct.data, ct.len) != 0 || pse_build_wrap(&box, 0xa0) != 0)
        goto done;
    if (pse_build_tlv(out, 0x02, &v, 1) != 0 || psc_buf_append(out, box.data, box.len) != 0 ||
        pse_build_wrap(out, 0x30) != 0)
        goto done;
    rc = 0;
done:
    psc_buf_free(&alg, 0), psc_buf_free(&ct, 0), psc_buf_free(&alg2, 0);
    psc_buf_free(&check, 0), psc_buf_free(&box, 0);
    if (rc != 0)
        psc_buf_free(out, 0);
    return rc;
}

/* A plain v2 file: SEQUENCE { INTEGER 2, content }. */
static inline int pse_build_plain_v2(const unsigned char *content, size_t len, psc_buf *out)
{
    psc_buf_init(out);
    if (pse_build_tlv(out, 0x02, "\x02", 1) != 0 || psc_buf_append(out, content, len) != 0 ||
        pse_build_wrap(out, 0x30) != 0) {
        psc_buf_free(out, 0);
        return -1;
    }
    return 0;
}

/* ---- PSE objects ----------------------------------------------------------- */

/* Append the len bytes an i2d_*() call put at der and free them (len <= 0:
 * the i2d call failed, -1). */
static inline int pse_build_put_i2d(psc_buf *b, int len, unsigned char *der)
{
    int rc = len > 0 && der != NULL ? psc_buf_append(b, der, (size_t)len) : -1;
    OPENSSL_free(der);
    return rc;
}

static inline int pse_build_put_cert(psc_buf *b, X509 *x)
{
    unsigned char *d = NULL;
    int n = i2d_X509(x, &d);
    return pse_build_put_i2d(b, n, d);
}

/* Append PSEObject ::= SEQUENCE { name, created, type OID, value } to set. */
static inline int pse_build_put_object(psc_buf *set, const char *name, const unsigned char *oid,
                                       size_t oid_len, const psc_buf *value)
{
    psc_buf o;
    int rc = -1;
    psc_buf_init(&o);
    if (pse_build_tlv(&o, 0x13, name, strlen(name)) == 0 &&
        pse_build_tlv(&o, 0x18, "20250101120000Z", 15) == 0 &&
        pse_build_tlv(&o, 0x06, oid, oid_len) == 0 &&
        psc_buf_append(&o, value->data, value->len) == 0 && pse_build_wrap(&o, 0x30) == 0 &&
        psc_buf_append(set, o.data, o.len) == 0)
        rc = 0;
    psc_buf_free(&o, 0);
    return rc;
}

/* The root taken apart the way PKRoot keeps it. */
static inline int pse_build_pkroot_value(X509 *root, psc_buf *v)
{
    static const unsigned char ver[] = {0xa0, 0x03, 0x02, 0x01, 0x02};
    const ASN1_BIT_STRING *sig = NULL;
    psc_buf rk, tmp;
    unsigned char *d;
    int n, rc = -1;
    psc_buf_init(v), psc_buf_init(&rk), psc_buf_init(&tmp);
    d = NULL, n = i2d_X509_NAME(X509_get_subject_name(root), &d);
    if (pse_build_put_i2d(v, n, d) != 0 || psc_buf_append(&rk, ver, sizeof ver) != 0)
        goto done;
    d = NULL, n = i2d_ASN1_INTEGER(X509_get0_serialNumber(root), &d);
    if (pse_build_put_i2d(&rk, n, d) != 0)
        goto done;
    d = NULL, n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(root), &d);
    if (pse_build_put_i2d(&rk, n, d) != 0)
        goto done;
    /* [1] { SEQUENCE { notBefore, notAfter } } */
    d = NULL, n = i2d_ASN1_TIME(X509_get0_notBefore(root), &d);
    if (pse_build_put_i2d(&tmp, n, d) != 0)
        goto done;
    d = NULL, n = i2d_ASN1_TIME(X509_get0_notAfter(root), &d);
    if (pse_build_put_i2d(&tmp, n, d) != 0 || pse_build_wrap(&tmp, 0x30) != 0 ||
        pse_build_wrap(&tmp, 0xa1) != 0 || psc_buf_append(&rk, tmp.data, tmp.len) != 0)
        goto done;
    psc_buf_free(&tmp, 0);
    /* [2] { signature algorithm } */
    d = NULL, n = i2d_X509_ALGOR(X509_get0_tbs_sigalg(root), &d);
    if (pse_build_put_i2d(&tmp, n, d) != 0 || pse_build_wrap(&tmp, 0xa2) != 0 ||
        psc_buf_append(&rk, tmp.data, tmp.len) != 0)
        goto done;
    psc_buf_free(&tmp, 0);
    X509_get0_signature(&sig, NULL, root);
    d = NULL, n = i2d_ASN1_BIT_STRING((ASN1_BIT_STRING *)sig, &d);
    if (pse_build_put_i2d(&rk, n, d) != 0 || pse_build_wrap(&rk, 0x30) != 0 ||
        psc_buf_append(v, rk.data, rk.len) != 0)
        goto done;
    /* [0] { extensions } */
    d = NULL;
    n = i2d_X509_EXTENSIONS((X509_EXTENSIONS *)X509_get0_extensions(root), &d);
    if (pse_build_put_i2d(&tmp, n, d) != 0 || pse_build_wrap(&tmp, 0xa0) != 0 ||
        psc_buf_append(v, tmp.data, tmp.len) != 0 || pse_build_wrap(v, 0x30) != 0)
        goto done;
    rc = 0;
done:
    psc_buf_free(&rk, 0), psc_buf_free(&tmp, 0);
    if (rc != 0)
        psc_buf_free(v, 0);
    return rc;
}

/* SKnew: SEQUENCE { rsaEncryption, BIT STRING { SEQUENCE { q, p } } } (q
 * first: the reader must not depend on the order). */
static inline int pse_build_sknew_value(EVP_PKEY *key, psc_buf *v)
{
    static const unsigned char rsa_alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                            0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    BIGNUM *p = NULL, *q = NULL;
    psc_buf primes, bits;
    unsigned char num[600];
    int pl, rc = -1;
    psc_buf_init(v), psc_buf_init(&primes), psc_buf_init(&bits);
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR1, &p) != 1 ||
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR2, &q) != 1 ||
        BN_num_bytes(p) > (int)sizeof num - 1 || BN_num_bytes(q) > (int)sizeof num - 1)
        goto done;
    num[0] = 0;
    pl = BN_bn2bin(q, num + 1);
    if (pl <= 0 || pse_build_tlv(&primes, 0x02, num, (size_t)pl + 1) != 0)
        goto done;
    pl = BN_bn2bin(p, num + 1);
    if (pl <= 0 || pse_build_tlv(&primes, 0x02, num, (size_t)pl + 1) != 0 ||
        pse_build_wrap(&primes, 0x30) != 0)
        goto done;
    if (psc_buf_append(&bits, "\0", 1) != 0 || psc_buf_append(&bits, primes.data, primes.len) != 0)
        goto done;
    if (psc_buf_append(v, rsa_alg, sizeof rsa_alg) != 0 ||
        pse_build_tlv(v, 0x03, bits.data, bits.len) != 0 || pse_build_wrap(v, 0x30) != 0)
        goto done;
    rc = 0;
done:
    BN_clear_free(p), BN_clear_free(q);
    OPENSSL_cleanse(num, sizeof num);
    psc_buf_free(&primes, 1), psc_buf_free(&bits, 1);
    if (rc != 0)
        psc_buf_free(v, 1);
    return rc;
}

/* content = SEQUENCE { sha1 algId, created, INTEGER 1, SET { objects } },
 * objects being the PSEObjects appended to `objects` (not freed here). */
static inline int pse_build_content_of(const psc_buf *objects, psc_buf *content)
{
    static const unsigned char sha1_alg[] = {0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
    psc_buf_init(content);
    if (psc_buf_append(content, sha1_alg, sizeof sha1_alg) != 0 ||
        pse_build_tlv(content, 0x18, "20250101120000Z", 15) != 0 ||
        pse_build_tlv(content, 0x02, "\x01", 1) != 0 ||
        pse_build_tlv(content, 0x31, objects->data, objects->len) != 0 ||
        pse_build_wrap(content, 0x30) != 0) {
        psc_buf_free(content, 0);
        return -1;
    }
    return 0;
}

/* What pse_build_trust_content puts into the list for certificate i. */
enum { PSE_TRUST_SIGNED = 0, /* the whole Certificate (SAP's published trust lists) */
       PSE_TRUST_TBS = 1     /* only tbsCertificate (the older PKList form) */ };

/* The content of a trust-list PSE as SAP publishes them: no Cert, no SKnew,
 * one list object (`list_name` "PKList", OID 1.3.36.2.6.1, or "CertList",
 * 1.3.36.2.0) whose SET holds the n certificates in order, each as
 * form[i] says (form NULL: all signed).  unknown_name: also an object of a
 * type pseconv does not know, with that name (NULL: none). */
static inline int pse_build_trust_content(X509 *const *certs, size_t n, const unsigned char *form,
                                          const char *list_name, const char *unknown_name,
                                          psc_buf *content)
{
    static const unsigned char OID_PKLIST[] = {0x2b, 0x24, 0x02, 0x06, 0x01};
    static const unsigned char OID_CERTLIST[] = {0x2b, 0x24, 0x02, 0x00};
    static const unsigned char OID_UNKNOWN[] = {0x2b, 0x24, 0x02, 0x07, 0x63};
    int pk = strcmp(list_name, "PKList") == 0;
    psc_buf set, v;
    int rc = -1;
    psc_buf_init(&set), psc_buf_init(&v), psc_buf_init(content);
    for (size_t i = 0; i < n; i++) {
        if (form == NULL || form[i] == PSE_TRUST_SIGNED) {
            if (pse_build_put_cert(&v, certs[i]) != 0)
                goto done;
        } else {
            unsigned char *d = NULL;
            int len = i2d_re_X509_tbs(certs[i], &d); /* before reading d */
            if (pse_build_put_i2d(&v, len, d) != 0)
                goto done;
        }
    }
    if (pse_build_wrap(&v, 0x31) != 0 ||
        pse_build_put_object(&set, list_name, pk ? OID_PKLIST : OID_CERTLIST,
                             pk ? sizeof OID_PKLIST : sizeof OID_CERTLIST, &v) != 0)
        goto done;
    psc_buf_free(&v, 0);
    if (unknown_name != NULL &&
        (pse_build_tlv(&v, 0x04, "\x01\x02", 2) != 0 ||
         pse_build_put_object(&set, unknown_name, OID_UNKNOWN, sizeof OID_UNKNOWN, &v) != 0))
        goto done;
    rc = pse_build_content_of(&set, content);
done:
    psc_buf_free(&set, 0), psc_buf_free(&v, 0);
    if (rc != 0)
        psc_buf_free(content, 0);
    return rc;
}

/* The content SEQUENCE { sha1 algId, created, INTEGER 1, SET OF PSEObject }
 * of a PSE with Cert (leaf), SKnew (key's primes), FCPath (ca), PKRoot
 * (root), CertList (lb, hci) and an empty CrlSet: the part after INTEGER 2
 * that pse_build_plain_v2/_make_v2/_make_v4 take. */
static inline int pse_build_chain_content(X509 *leaf, X509 *ca, X509 *root, X509 *lb, X509 *hci,
                                          EVP_PKEY *key, psc_buf *content)
{
    static const unsigned char OID_CERT[] = {0x2b, 0x24, 0x02, 0x01, 0x03};
    static const unsigned char OID_CERTLIST[] = {0x2b, 0x24, 0x02, 0x00};
    static const unsigned char OID_SKNEW[] = {0x2b, 0x24, 0x02, 0x03, 0x04};
    static const unsigned char OID_PKROOT[] = {0x2b, 0x24, 0x02, 0x05, 0x01};
    static const unsigned char OID_FCPATH[] = {0x2b, 0x24, 0x02, 0x04, 0x01};
    static const unsigned char OID_CRLSET[] = {0x2b, 0x24, 0x02, 0x09, 0x01};
    psc_buf set, v;
    int rc = -1;
    psc_buf_init(&set), psc_buf_init(&v), psc_buf_init(content);
    if (pse_build_put_cert(&v, leaf) != 0 ||
        pse_build_put_object(&set, "Cert", OID_CERT, sizeof OID_CERT, &v) != 0)
        goto done;
    psc_buf_free(&v, 0);
    if (pse_build_sknew_value(key, &v) != 0 ||
        pse_build_put_object(&set, "SKnew", OID_SKNEW, sizeof OID_SKNEW, &v) != 0)
        goto done;
    psc_buf_free(&v, 1);
    /* FCPath: SEQUENCE { SET { issuing CA } } */
    if (pse_build_put_cert(&v, ca) != 0 || pse_build_wrap(&v, 0x31) != 0 ||
        pse_build_wrap(&v, 0x30) != 0 ||
        pse_build_put_object(&set, "FCPath", OID_FCPATH, sizeof OID_FCPATH, &v) != 0)
        goto done;
    psc_buf_free(&v, 0);
    if (pse_build_pkroot_value(root, &v) != 0 ||
        pse_build_put_object(&set, "PKRoot", OID_PKROOT, sizeof OID_PKROOT, &v) != 0)
        goto done;
    psc_buf_free(&v, 0);
    if (pse_build_put_cert(&v, lb) != 0 || pse_build_put_cert(&v, hci) != 0 ||
        pse_build_wrap(&v, 0x31) != 0 ||
        pse_build_put_object(&set, "CertList", OID_CERTLIST, sizeof OID_CERTLIST, &v) != 0)
        goto done;
    psc_buf_free(&v, 0);
    if (pse_build_tlv(&v, 0x31, NULL, 0) != 0 ||
        pse_build_put_object(&set, "CrlSet", OID_CRLSET, sizeof OID_CRLSET, &v) != 0 ||
        pse_build_content_of(&set, content) != 0)
        goto done;
    rc = 0;
done:
    psc_buf_free(&set, 1), psc_buf_free(&v, 1);
    if (rc != 0)
        psc_buf_free(content, 1);
    return rc;
}

#endif
