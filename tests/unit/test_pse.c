/* The PSE reader against the pysap corpus (sapgenpse-made v2 files, PIN
 * 1234567980) and against PSEs this test assembles itself following
 * formats.md: v4 containers (plain and encrypted, with the SHA-1 digest),
 * a v2 container, a PSE with FCPath/PKRoot/CertList/unknown objects built
 * from the fixture PKI.  Encryption in this test goes through OpenSSL's own
 * PKCS#12 PBE (PKCS12_pbe_crypt_ex), not through the reader's code. */
#include "unit.h"
#include "format.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#define PIN "1234567980"
#define ENC_PSE "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse"
#define PLAIN_PSE "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse"
#define CERT_DER "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_cert.der"

extern const psc_format psc_format_pse;

/* ---- helpers ---------------------------------------------------------------- */

static void tlv(psc_buf *b, unsigned tag, const void *content, size_t len)
{
    unsigned char h[6];
    size_t n = 0;
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
    psc_buf_append(b, h, n);
    psc_buf_append(b, content, len);
}

/* Wrap what b holds in one TLV (b is replaced). */
static void wrap(psc_buf *b, unsigned tag)
{
    psc_buf o;
    psc_buf_init(&o);
    tlv(&o, tag, b->data, b->len);
    psc_buf_free(b, 0);
    *b = o;
}

/* Length of the DER header at p (short or long form). */
static size_t hdr_len(const unsigned char *p) { return (p[1] & 0x80) ? 2u + (p[1] & 0x7f) : 2u; }
static size_t tlv_total(const unsigned char *p)
{
    size_t n = p[1], h = hdr_len(p);
    if (p[1] & 0x80) {
        n = 0;
        for (size_t i = 2; i < h; i++)
            n = (n << 8) | p[i];
    }
    return h + n;
}

static int read_pse(const unsigned char *buf, size_t len, const char *pin, unsigned long max_it,
                    psc_store **out, psc_err *e)
{
    psc_secret s = {0};
    if (pin)
        psc_secret_set(&s, pin);
    psc_read_opts o = {0};
    o.path = "test.pse";
    o.password = &s;
    o.max_iterations = max_it;
    *out = psc_store_new();
    memset(e, 0, sizeof *e);
    int rc = psc_format_pse.read(*out, buf, len, &o, e);
    psc_secret_clear(&s);
    return rc;
}

/* The plain corpus file's content SEQUENCE (after SEQUENCE { INTEGER 2, ...). */
static void plain_content(psc_buf *file, const unsigned char **content, size_t *len)
{
    CU_ASSERT_FATAL(unit_read(unit_corpus(PLAIN_PSE), file) == 0);
    const unsigned char *p = file->data + hdr_len(file->data); /* INTEGER 2 */
    p += tlv_total(p);
    *content = p;
    *len = tlv_total(p);
}

static void check_own_is_corpus_cert(psc_store *st)
{
    psc_buf der;
    CU_ASSERT_FATAL(unit_read(unit_corpus(CERT_DER), &der) == 0);
    CU_ASSERT_FATAL(psc_store_entry_count(st) == 2);
    psc_entry *own = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(own->type, PSC_ENTRY_OWN);
    CU_ASSERT_EQUAL(own->chain_len, 1); /* self-signed: PKRoot is the same certificate */
    CU_ASSERT_FATAL(own->chain_len >= 1);
    CU_ASSERT_EQUAL(own->chain[0]->der_len, der.len);
    CU_ASSERT(own->chain[0]->der_len == der.len &&
              memcmp(own->chain[0]->der, der.data, der.len) == 0);
    CU_ASSERT_STRING_EQUAL(own->chain[0]->subject, "CN=PSEOwner");
    CU_ASSERT_PTR_NOT_NULL_FATAL(own->key);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(own->key, X509_get0_pubkey(psc_cert_x509(own->chain[0]))), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_get_bits(own->key), 2048);
    /* A full private key: signing works and the certificate's key verifies it. */
    unsigned char sig[512];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    CU_ASSERT(EVP_DigestSignInit_ex(m, NULL, "SHA256", NULL, NULL, own->key, NULL) == 1 &&
              EVP_DigestSign(m, sig, &siglen, (const unsigned char *)"abc", 3) == 1);
    EVP_MD_CTX_free(m);
    m = EVP_MD_CTX_new();
    CU_ASSERT(EVP_DigestVerifyInit_ex(m, NULL, "SHA256", NULL, NULL,
                                      X509_get0_pubkey(psc_cert_x509(own->chain[0])), NULL) == 1 &&
              EVP_DigestVerify(m, sig, siglen, (const unsigned char *)"abc", 3) == 1);
    EVP_MD_CTX_free(m);
    psc_entry *tr = psc_store_entry(st, 1);
    CU_ASSERT_EQUAL(tr->type, PSC_ENTRY_TRUSTED);
    CU_ASSERT_PTR_EQUAL(tr->chain[0], own->chain[0]); /* the CertList holds the own cert too */
    CU_ASSERT_STRING_EQUAL(own->origin.format, "pse");
    psc_buf_free(&der, 0);
}

/* PKCS#12 PBE (3DES, SHA-1) through OpenSSL's own PKCS#12 code. */
static void pbe_encrypt(const unsigned char *in, size_t len, const char *pin, int iter,
                        psc_buf *alg_der, psc_buf *ct)
{
    static const unsigned char salt[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    X509_ALGOR *a = PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, iter, salt, 8);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    unsigned char *out = NULL;
    int outlen = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(PKCS12_pbe_crypt_ex(a, pin, (int)strlen(pin), in, (int)len, &out,
                                                     &outlen, 1, NULL, NULL));
    psc_buf_init(ct);
    psc_buf_append(ct, out, (size_t)outlen);
    OPENSSL_free(out);
    unsigned char *d = NULL;
    int dl = i2d_X509_ALGOR(a, &d);
    psc_buf_init(alg_der);
    psc_buf_append(alg_der, d, (size_t)dl);
    OPENSSL_free(d);
    X509_ALGOR_free(a);
}

/* SEQUENCE { INTEGER 4, [3] { INTEGER flag, algId, OCTET STRING body, OCTET STRING sha1 } } */
static void make_v4(const unsigned char *content, size_t len, const char *pin, int bad_digest,
                    psc_buf *out)
{
    psc_buf alg, body, box;
    unsigned char md[20];
    unsigned int mdl;
    EVP_Digest(content, len, md, &mdl, EVP_sha1(), NULL);
    if (bad_digest)
        md[0] ^= 1;
    if (pin) {
        pbe_encrypt(content, len, pin, 2048, &alg, &body);
    } else {
        static const unsigned char sha1_alg[] = {0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e,
                                                 0x03, 0x02, 0x1a};
        psc_buf_init(&alg);
        psc_buf_append(&alg, sha1_alg, sizeof sha1_alg);
        psc_buf_init(&body);
        psc_buf_append(&body, content, len);
    }
    psc_buf_init(&box);
    unsigned char flag = pin ? 1 : 0;
    tlv(&box, 0x02, &flag, 1);
    psc_buf_append(&box, alg.data, alg.len);
    tlv(&box, 0x04, body.data, body.len);
    tlv(&box, 0x04, md, sizeof md);
    wrap(&box, 0xa3);
    psc_buf_init(out);
    unsigned char v = 4;
    tlv(out, 0x02, &v, 1);
    psc_buf_append(out, box.data, box.len);
    wrap(out, 0x30);
    psc_buf_free(&alg, 0), psc_buf_free(&body, 0), psc_buf_free(&box, 0);
}

/* SEQUENCE { INTEGER 2, [0] { OCTET STRING E(pin), algId, OCTET STRING E(content) } } */
static void make_v2(const unsigned char *content, size_t len, const char *pin, int iter,
                    psc_buf *out)
{
    psc_buf alg, ct, alg2, check, box;
    pbe_encrypt(content, len, pin, iter, &alg, &ct);
    pbe_encrypt((const unsigned char *)pin, strlen(pin), pin, iter, &alg2, &check);
    psc_buf_init(&box);
    tlv(&box, 0x04, check.data, check.len);
    psc_buf_append(&box, alg.data, alg.len);
    tlv(&box, 0x04, ct.data, ct.len);
    wrap(&box, 0xa0);
    psc_buf_init(out);
    unsigned char v = 2;
    tlv(out, 0x02, &v, 1);
    psc_buf_append(out, box.data, box.len);
    wrap(out, 0x30);
    psc_buf_free(&alg, 0), psc_buf_free(&ct, 0), psc_buf_free(&alg2, 0);
    psc_buf_free(&check, 0), psc_buf_free(&box, 0);
}

/* ---- corpus ------------------------------------------------------------------ */

static void test_probe(void)
{
    psc_buf b;
    CU_ASSERT_FATAL(unit_read(unit_corpus(ENC_PSE), &b) == 0);
    CU_ASSERT_EQUAL(psc_format_pse.probe(b.data, b.len), 95);
    CU_ASSERT_EQUAL(psc_format_pse.probe(b.data, 40), 95); /* truncated: still a PSE */
    CU_ASSERT_PTR_EQUAL(psc_format_detect(b.data, b.len), &psc_format_pse);
    psc_buf_free(&b, 0);
    CU_ASSERT_FATAL(unit_read(unit_corpus(PLAIN_PSE), &b) == 0);
    CU_ASSERT_EQUAL(psc_format_pse.probe(b.data, b.len), 95);
    psc_buf_free(&b, 0);
    CU_ASSERT_FATAL(unit_read(unit_corpus(CERT_DER), &b) == 0);
    CU_ASSERT_EQUAL(psc_format_pse.probe(b.data, b.len), 0);
    psc_buf_free(&b, 0);
    CU_ASSERT_FATAL(unit_read(unit_fixture("pki/erp-client.p12"), &b) == 0);
    CU_ASSERT_EQUAL(psc_format_pse.probe(b.data, b.len), 0);
    psc_buf_free(&b, 0);
}

static void test_corpus_encrypted(void)
{
    psc_buf b;
    psc_store *st;
    psc_err e;
    CU_ASSERT_FATAL(unit_read(unit_corpus(ENC_PSE), &b) == 0);
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, PIN, 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    CU_ASSERT_PTR_NULL(psc_store_entry(st, 0)->note); /* no unknown objects in this PSE */
    psc_store_free(st);
    psc_buf_free(&b, 0);
}

static void test_corpus_plain(void)
{
    psc_buf b;
    psc_store *st;
    psc_err e;
    CU_ASSERT_FATAL(unit_read(unit_corpus(PLAIN_PSE), &b) == 0);
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, NULL, 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    psc_store_free(st);
    psc_buf_free(&b, 0);
}

static void test_wrong_and_missing_pin(void)
{
    psc_buf b;
    psc_store *st;
    psc_err e;
    CU_ASSERT_FATAL(unit_read(unit_corpus(ENC_PSE), &b) == 0);
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, "1234567890", 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong PIN for test.pse"));
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, NULL, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password"));
    psc_store_free(st);
    /* iteration cap: the file uses 10000 */
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, PIN, 5000, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "iteration count 10000"));
    psc_store_free(st);
    psc_buf_free(&b, 0);
}

/* Every prefix must fail cleanly, and flipped bytes must never crash (ASan). */
static void test_truncated_and_damaged(void)
{
    psc_buf b;
    psc_store *st;
    psc_err e;
    CU_ASSERT_FATAL(unit_read(unit_corpus(PLAIN_PSE), &b) == 0);
    int ok_prefix = 0;
    for (size_t n = 0; n < b.len; n += 7) {
        ok_prefix += read_pse(b.data, n, NULL, 0, &st, &e) == PSC_OK;
        psc_store_free(st);
    }
    CU_ASSERT_EQUAL(ok_prefix, 0);
    for (size_t i = 0; i < b.len; i += 3) {
        b.data[i] ^= 0x5a;
        int rc = read_pse(b.data, b.len, NULL, 0, &st, &e);
        CU_ASSERT(rc == PSC_OK || rc == PSC_EINPUT);
        psc_store_free(st);
        b.data[i] ^= 0x5a;
    }
    psc_buf_free(&b, 0);
}

static void test_lps_refused(void)
{
    /* SEQUENCE { INTEGER 256, [3] { } } */
    static const unsigned char lps[] = {0x30, 0x06, 0x02, 0x02, 0x01, 0x00, 0xa3, 0x00};
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL(psc_format_pse.probe(lps, sizeof lps), 95);
    CU_ASSERT_EQUAL(read_pse(lps, sizeof lps, PIN, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "Local Protection Storage"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "sapgenpse export_p12"));
    psc_store_free(st);
}

static void test_key_mismatch(void)
{
    /* Change one byte inside the first prime of SKnew: the rebuilt key then
     * does not form a key or does not match the own certificate. */
    psc_buf b;
    psc_store *st;
    psc_err e;
    static const unsigned char sknew[] = {0x06, 0x05, 0x2b, 0x24, 0x02, 0x03, 0x04};
    static const unsigned char prime_hdr[] = {0x02, 0x81, 0x81, 0x00};
    CU_ASSERT_FATAL(unit_read(unit_corpus(PLAIN_PSE), &b) == 0);
    unsigned char *at = memmem(b.data, b.len, sknew, sizeof sknew);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    unsigned char *p = memmem(at, b.len - (size_t)(at - b.data), prime_hdr, sizeof prime_hdr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p[20] ^= 0x10;
    CU_ASSERT_EQUAL(read_pse(b.data, b.len, NULL, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "private key (SKnew)"));
    psc_store_free(st);
    psc_buf_free(&b, 0);
}

/* ---- containers built here ------------------------------------------------- */

static void test_v4_plain(void)
{
    psc_buf file, v4;
    const unsigned char *c;
    size_t n;
    psc_store *st;
    psc_err e;
    plain_content(&file, &c, &n);
    make_v4(c, n, NULL, 0, &v4);
    CU_ASSERT_EQUAL(psc_format_pse.probe(v4.data, v4.len), 95);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, NULL, 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    psc_store_free(st);
    psc_buf_free(&v4, 0);
    make_v4(c, n, NULL, 1, &v4);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, NULL, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "digest does not match"));
    psc_store_free(st);
    psc_buf_free(&v4, 0);
    psc_buf_free(&file, 0);
}

static void test_v4_encrypted(void)
{
    psc_buf file, v4;
    const unsigned char *c;
    size_t n;
    psc_store *st;
    psc_err e;
    plain_content(&file, &c, &n);
    make_v4(c, n, "v4-PIN-42", 0, &v4);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, "v4-PIN-42", 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    psc_store_free(st);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, "v4-PIN-43", 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong PIN for test.pse"));
    psc_store_free(st);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, NULL, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password"));
    psc_store_free(st);
    psc_buf_free(&v4, 0);
    /* digest of other content: right PIN, wrong digest -> refused */
    make_v4(c, n, "v4-PIN-42", 1, &v4);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, "v4-PIN-42", 0, &st, &e), PSC_EINPUT);
    psc_store_free(st);
    psc_buf_free(&v4, 0);
    psc_buf_free(&file, 0);
}

static void test_v2_built(void)
{
    psc_buf file, v2;
    const unsigned char *c;
    size_t n;
    psc_store *st;
    psc_err e;
    plain_content(&file, &c, &n);
    make_v2(c, n, "other-pin", 2048, &v2);
    CU_ASSERT_EQUAL(read_pse(v2.data, v2.len, "other-pin", 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    psc_store_free(st);
    CU_ASSERT_EQUAL(read_pse(v2.data, v2.len, PIN, 0, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong PIN"));
    psc_store_free(st);
    psc_buf_free(&v2, 0);
    psc_buf_free(&file, 0);
}

/* ---- a PSE with a chain, a list and an unknown object ---------------------- */

static X509 *load_x509(const char *rel)
{
    FILE *f = fopen(unit_fixture(rel), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    return x;
}

static void put_i2d(psc_buf *b, int len, unsigned char *der)
{
    psc_buf_append(b, der, (size_t)len);
    OPENSSL_free(der);
}

static void put_cert(psc_buf *b, X509 *x)
{
    unsigned char *d = NULL;
    int n = i2d_X509(x, &d);
    put_i2d(b, n, d);
}

/* PSEObject ::= SEQUENCE { name, created, type OID, value } */
static void put_object(psc_buf *set, const char *name, const unsigned char *oid, size_t oid_len,
                       const psc_buf *value)
{
    psc_buf o;
    psc_buf_init(&o);
    tlv(&o, 0x13, name, strlen(name));
    tlv(&o, 0x18, "20250101120000Z", 15);
    tlv(&o, 0x06, oid, oid_len);
    psc_buf_append(&o, value->data, value->len);
    wrap(&o, 0x30);
    psc_buf_append(set, o.data, o.len);
    psc_buf_free(&o, 0);
}

/* The root taken apart the way PKRoot keeps it. */
static void pkroot_value(X509 *root, psc_buf *v)
{
    psc_buf rk, tmp;
    unsigned char *d;
    int n;
    psc_buf_init(v);
    d = NULL, n = i2d_X509_NAME(X509_get_subject_name(root), &d), put_i2d(v, n, d);
    psc_buf_init(&rk);
    static const unsigned char ver[] = {0xa0, 0x03, 0x02, 0x01, 0x02};
    psc_buf_append(&rk, ver, sizeof ver);
    d = NULL, n = i2d_ASN1_INTEGER(X509_get0_serialNumber(root), &d), put_i2d(&rk, n, d);
    d = NULL, n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(root), &d), put_i2d(&rk, n, d);
    psc_buf_init(&tmp);
    d = NULL, n = i2d_ASN1_TIME(X509_get0_notBefore(root), &d), put_i2d(&tmp, n, d);
    d = NULL, n = i2d_ASN1_TIME(X509_get0_notAfter(root), &d), put_i2d(&tmp, n, d);
    wrap(&tmp, 0x30);
    wrap(&tmp, 0xa1);
    psc_buf_append(&rk, tmp.data, tmp.len);
    psc_buf_free(&tmp, 0);
    psc_buf_init(&tmp);
    d = NULL, n = i2d_X509_ALGOR(X509_get0_tbs_sigalg(root), &d), put_i2d(&tmp, n, d);
    wrap(&tmp, 0xa2);
    psc_buf_append(&rk, tmp.data, tmp.len);
    psc_buf_free(&tmp, 0);
    const ASN1_BIT_STRING *sig;
    X509_get0_signature(&sig, NULL, root);
    d = NULL, n = i2d_ASN1_BIT_STRING((ASN1_BIT_STRING *)sig, &d), put_i2d(&rk, n, d);
    wrap(&rk, 0x30);
    psc_buf_append(v, rk.data, rk.len);
    psc_buf_free(&rk, 0);
    psc_buf_init(&tmp);
    d = NULL;
    n = i2d_X509_EXTENSIONS((X509_EXTENSIONS *)X509_get0_extensions(root), &d);
    put_i2d(&tmp, n, d);
    wrap(&tmp, 0xa0);
    psc_buf_append(v, tmp.data, tmp.len);
    psc_buf_free(&tmp, 0);
    wrap(v, 0x30);
}

static void test_chain_list_unknown(void)
{
    static const unsigned char OID_CERT[] = {0x2b, 0x24, 0x02, 0x01, 0x03};
    static const unsigned char OID_CERTLIST[] = {0x2b, 0x24, 0x02, 0x00};
    static const unsigned char OID_SKNEW[] = {0x2b, 0x24, 0x02, 0x03, 0x04};
    static const unsigned char OID_PKROOT[] = {0x2b, 0x24, 0x02, 0x05, 0x01};
    static const unsigned char OID_FCPATH[] = {0x2b, 0x24, 0x02, 0x04, 0x01};
    static const unsigned char OID_CRLSET[] = {0x2b, 0x24, 0x02, 0x09, 0x01};
    X509 *leaf = load_x509("pki/erp-rsa.crt"), *ca = load_x509("pki/corp-issuing.crt");
    X509 *root = load_x509("pki/corp-root.crt"), *lb = load_x509("pki/lb-root.crt");
    X509 *hci = load_x509("pki/hci-root.crt");
    FILE *f = fopen(unit_fixture("pki/erp-rsa.key"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);

    psc_buf set, v;
    psc_buf_init(&set);
    psc_buf_init(&v);
    put_cert(&v, leaf);
    put_object(&set, "Cert", OID_CERT, sizeof OID_CERT, &v);
    psc_buf_free(&v, 0);
    /* SKnew: SEQUENCE { rsaEncryption, BIT STRING { SEQUENCE { p, q } } } */
    BIGNUM *p = NULL, *q = NULL;
    CU_ASSERT_FATAL(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR1, &p) == 1 &&
                    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR2, &q) == 1);
    psc_buf_init(&v);
    unsigned char num[600];
    num[0] = 0;
    int pl = BN_bn2bin(q, num + 1); /* q first: the reader must not depend on the order */
    tlv(&v, 0x02, num, (size_t)pl + 1);
    pl = BN_bn2bin(p, num + 1);
    tlv(&v, 0x02, num, (size_t)pl + 1);
    wrap(&v, 0x30);
    psc_buf bits;
    psc_buf_init(&bits);
    psc_buf_append(&bits, "\0", 1);
    psc_buf_append(&bits, v.data, v.len);
    psc_buf_free(&v, 0);
    psc_buf_init(&v);
    static const unsigned char rsa_alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                            0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    psc_buf_append(&v, rsa_alg, sizeof rsa_alg);
    tlv(&v, 0x03, bits.data, bits.len);
    wrap(&v, 0x30);
    psc_buf_free(&bits, 0);
    put_object(&set, "SKnew", OID_SKNEW, sizeof OID_SKNEW, &v);
    psc_buf_free(&v, 0);
    /* FCPath: SEQUENCE { SET { issuing CA } } */
    psc_buf_init(&v);
    put_cert(&v, ca);
    wrap(&v, 0x31);
    wrap(&v, 0x30);
    put_object(&set, "FCPath", OID_FCPATH, sizeof OID_FCPATH, &v);
    psc_buf_free(&v, 0);
    pkroot_value(root, &v);
    put_object(&set, "PKRoot", OID_PKROOT, sizeof OID_PKROOT, &v);
    psc_buf_free(&v, 0);
    psc_buf_init(&v);
    put_cert(&v, lb);
    put_cert(&v, hci);
    wrap(&v, 0x31);
    put_object(&set, "CertList", OID_CERTLIST, sizeof OID_CERTLIST, &v);
    psc_buf_free(&v, 0);
    psc_buf_init(&v);
    tlv(&v, 0x31, NULL, 0);
    put_object(&set, "CrlSet", OID_CRLSET, sizeof OID_CRLSET, &v);
    psc_buf_free(&v, 0);
    wrap(&set, 0x31);
    /* content and a plain v2 file */
    psc_buf content;
    psc_buf_init(&content);
    static const unsigned char sha1_alg[] = {0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
    psc_buf_append(&content, sha1_alg, sizeof sha1_alg);
    tlv(&content, 0x18, "20250101120000Z", 15);
    tlv(&content, 0x02, "\x01", 1);
    psc_buf_append(&content, set.data, set.len);
    wrap(&content, 0x30);
    psc_buf file;
    psc_buf_init(&file);
    tlv(&file, 0x02, "\x02", 1);
    psc_buf_append(&file, content.data, content.len);
    wrap(&file, 0x30);

    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL(psc_format_pse.probe(file.data, file.len), 95);
    CU_ASSERT_EQUAL_FATAL(read_pse(file.data, file.len, NULL, 0, &st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 3);
    psc_entry *own = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(own->type, PSC_ENTRY_OWN);
    CU_ASSERT_EQUAL_FATAL(own->chain_len, 3);
    CU_ASSERT_EQUAL(X509_cmp(psc_cert_x509(own->chain[0]), leaf), 0);
    CU_ASSERT_EQUAL(X509_cmp(psc_cert_x509(own->chain[1]), ca), 0);
    /* the root rebuilt from PKRoot is byte for byte the fixture's root */
    unsigned char *rd = NULL;
    int rl = i2d_X509(root, &rd);
    CU_ASSERT(own->chain[2]->der_len == (size_t)rl && memcmp(own->chain[2]->der, rd, (size_t)rl) == 0);
    OPENSSL_free(rd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(own->key);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(own->key, key), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(own->note);
    CU_ASSERT_PTR_NOT_NULL(strstr(own->note, "other PSE objects not read: CrlSet"));
    CU_ASSERT_EQUAL(psc_store_entry(st, 1)->type, PSC_ENTRY_TRUSTED);
    CU_ASSERT_EQUAL(X509_cmp(psc_cert_x509(psc_store_entry(st, 1)->chain[0]), lb), 0);
    CU_ASSERT_EQUAL(X509_cmp(psc_cert_x509(psc_store_entry(st, 2)->chain[0]), hci), 0);
    CU_ASSERT_EQUAL(psc_store_entry(st, 2)->created_ms, 1735732800000LL);
    psc_store_free(st);

    BN_free(p), BN_free(q);
    EVP_PKEY_free(key);
    X509_free(leaf), X509_free(ca), X509_free(root), X509_free(lb), X509_free(hci);
    psc_buf_free(&set, 0), psc_buf_free(&content, 0), psc_buf_free(&file, 0);
}

void unit_register(void)
{
    static const CU_TestInfo corpus[] = {
        {"probe", test_probe},
        {"corpus encrypted v2 with PIN", test_corpus_encrypted},
        {"corpus plain v2", test_corpus_plain},
        {"wrong PIN, no PIN, iteration cap", test_wrong_and_missing_pin},
        {"truncated and damaged files fail cleanly", test_truncated_and_damaged},
        {"LPS (version 256) refused", test_lps_refused},
        {"key not matching the own certificate", test_key_mismatch},
        {NULL, NULL}};
    static const CU_TestInfo built[] = {
        {"v4 plain with digest", test_v4_plain},
        {"v4 encrypted with digest", test_v4_encrypted},
        {"v2 encrypted, built with OpenSSL PKCS#12 PBE", test_v2_built},
        {"FCPath, PKRoot, CertList, unknown object", test_chain_list_unknown},
        {NULL, NULL}};
    unit_suite("pse corpus", corpus);
    unit_suite("pse built", built);
}
