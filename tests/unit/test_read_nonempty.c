/* Never "0 entries" for a file that holds something (issue 23), per reader,
 * through psc_read_buffer as every command reads: a container with content
 * but nothing pseconv reads (only a CRL, only a certificate request, only a
 * CRL bag) is exit 3 naming what it skipped; a container that is
 * legitimately empty (a keystore without entries, a PKCS#12 without bags, a
 * pselist without blocks) reads as 0 entries.  The containers are crafted
 * here with OpenSSL's own API from the fixture PKI.  The PSE's cases (a
 * PKList of to-be-signed entries only, an unknown object only) are in
 * test_pse.c, suite "pse trust list". */
#include "unit.h"
#include "format.h"
#include "store.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

extern const psc_format psc_format_der, psc_format_jks, psc_format_jceks;

static X509 *root_cert(void)
{
    FILE *f = fopen(unit_fixture("pki/corp-root.crt"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    return x;
}

/* A CRL of the fixture root, signed with its key. */
static X509_CRL *make_crl(void)
{
    FILE *f = fopen(unit_fixture("pki/corp-root.key"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    X509 *root = root_cert();
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_set(NULL, 1735732800); /* 2025-01-01 */
    CU_ASSERT_FATAL(crl != NULL && t != NULL && X509_CRL_set_version(crl, 1) == 1 &&
                    X509_CRL_set_issuer_name(crl, X509_get_subject_name(root)) == 1 &&
                    X509_CRL_set1_lastUpdate(crl, t) == 1 &&
                    X509_CRL_set1_nextUpdate(crl, t) == 1 &&
                    X509_CRL_sign(crl, key, EVP_sha256()) > 0);
    ASN1_TIME_free(t);
    X509_free(root);
    EVP_PKEY_free(key);
    return crl;
}

/* Read bytes as a command does (format detected unless forced). */
static int read_bytes(const unsigned char *buf, size_t len, const psc_format *forced,
                      const char *password, psc_store **st, psc_err *e)
{
    psc_secret pw = {0};
    if (password)
        psc_secret_set(&pw, password);
    psc_read_opts o = {0};
    o.path = "crafted";
    o.password = &pw;
    *st = psc_store_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(*st);
    memset(e, 0, sizeof *e);
    int rc = psc_read_buffer(*st, buf, len, forced, &o, NULL, e);
    psc_secret_clear(&pw);
    return rc;
}

static int read_bio(BIO *b, const psc_format *forced, const char *password, psc_store **st,
                    psc_err *e)
{
    char *p = NULL;
    long n = BIO_get_mem_data(b, &p);
    CU_ASSERT_FATAL(n > 0);
    return read_bytes((const unsigned char *)p, (size_t)n, forced, password, st, e);
}

/* PEM: blocks, none of them read -> error naming the block type. */
static void test_pem(void)
{
    X509_CRL *crl = make_crl();
    BIO *b = BIO_new(BIO_s_mem());
    psc_store *st;
    psc_err e;
    CU_ASSERT_FATAL(PEM_write_bio_X509_CRL(b, crl) == 1);
    CU_ASSERT_EQUAL(read_bio(b, NULL, NULL, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "crafted"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "X509 CRL"));
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
    BIO_free(b);
    X509_CRL_free(crl);
}

/* PKCS#7: a SignedData with only a CRL, and one with no certificates at all
 * (a certificate bundle without certificates says nothing either). */
static void test_p7b(void)
{
    for (int with_crl = 1; with_crl >= 0; with_crl--) {
        X509_CRL *crl = make_crl();
        PKCS7 *p7 = PKCS7_new();
        CU_ASSERT_FATAL(p7 != NULL && PKCS7_set_type(p7, NID_pkcs7_signed) == 1 &&
                        PKCS7_content_new(p7, NID_pkcs7_data) == 1);
        if (with_crl)
            CU_ASSERT_FATAL(PKCS7_add_crl(p7, crl) == 1);
        BIO *b = BIO_new(BIO_s_mem());
        CU_ASSERT_FATAL(i2d_PKCS7_bio(b, p7) == 1);
        psc_store *st;
        psc_err e;
        CU_ASSERT_EQUAL(read_bio(b, NULL, NULL, &st, &e), PSC_EINPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "crafted: the PKCS#7 bundle holds no certificates"));
        psc_store_free(st);
        BIO_free(b);
        PKCS7_free(p7);
        X509_CRL_free(crl);
    }
}

/* PKCS#12 of the given bags (NULL: no bag at all), with a MAC under "pw". */
static BIO *p12_of(PKCS12_SAFEBAG *bag1, PKCS12_SAFEBAG *bag2)
{
    STACK_OF(PKCS7) *safes = sk_PKCS7_new_null();
    CU_ASSERT_PTR_NOT_NULL_FATAL(safes);
    if (bag1) {
        STACK_OF(PKCS12_SAFEBAG) *bags = sk_PKCS12_SAFEBAG_new_null();
        CU_ASSERT_FATAL(bags != NULL && sk_PKCS12_SAFEBAG_push(bags, bag1) > 0 &&
                        (bag2 == NULL || sk_PKCS12_SAFEBAG_push(bags, bag2) > 0));
        PKCS7 *p7 = PKCS12_pack_p7data(bags);
        CU_ASSERT_FATAL(p7 != NULL && sk_PKCS7_push(safes, p7) > 0);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    PKCS12 *p12 = PKCS12_add_safes(safes, 0);
    CU_ASSERT_FATAL(p12 != NULL &&
                    PKCS12_set_mac(p12, "pw", -1, NULL, 0, 2048, EVP_sha256()) == 1);
    BIO *b = BIO_new(BIO_s_mem());
    CU_ASSERT_FATAL(b != NULL && i2d_PKCS12_bio(b, p12) == 1);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    return b;
}

/* PKCS#12: only a CRL bag -> error naming it (this read as "0 entries"
 * before issue 23); no bag at all -> legitimately empty; a CRL bag beside a
 * certificate -> the certificate, and a warning. */
static void test_p12(void)
{
    X509_CRL *crl = make_crl();
    X509 *root = root_cert();
    psc_store *st;
    psc_err e;
    BIO *b = p12_of(PKCS12_SAFEBAG_create_crl(crl), NULL);
    CU_ASSERT_EQUAL(read_bio(b, NULL, "pw", &st, &e), PSC_EINPUT);
    CU_ASSERT_STRING_EQUAL(e.msg, "crafted: nothing read from this p12 file (no certificate or "
                                  "key pseconv can use): skipped a CRL bag (pseconv handles "
                                  "certificates and keys)");
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
    BIO_free(b);

    b = p12_of(NULL, NULL);
    CU_ASSERT_EQUAL(read_bio(b, NULL, "pw", &st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);
    psc_store_free(st);
    BIO_free(b);

    b = p12_of(PKCS12_SAFEBAG_create_crl(crl), PKCS12_SAFEBAG_create_cert(root));
    CU_ASSERT_EQUAL(read_bio(b, NULL, "pw", &st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);
    int found = 0;
    for (size_t i = 0; i < psc_store_warning_count(st); i++)
        found |= strcmp(psc_store_warning(st, i), "crafted: skipped a CRL bag (pseconv handles "
                                                  "certificates and keys)") == 0;
    CU_ASSERT(found);
    psc_store_free(st);
    BIO_free(b);
    X509_free(root);
    X509_CRL_free(crl);
}

/* DER: one certificate or nothing; a CRL is not taken for an empty file. */
static void test_der(void)
{
    X509_CRL *crl = make_crl();
    unsigned char *d = NULL;
    int n = i2d_X509_CRL(crl, &d);
    CU_ASSERT_FATAL(n > 0);
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL(read_bytes(d, (size_t)n, NULL, NULL, &st, &e), PSC_EINPUT);
    CU_ASSERT_STRING_EQUAL(e.msg, "crafted: a certificate revocation list (CRL), not a "
                                  "certificate: pseconv reads certificates and keys");
    psc_store_free(st);
    CU_ASSERT_EQUAL(read_bytes(d, (size_t)n, &psc_format_der, NULL, &st, &e), PSC_EINPUT);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
    OPENSSL_free(d);
    X509_CRL_free(crl);
}

/* An empty JKS (magic FEEDFEED) or JCEKS (CECECECE) as keytool leaves it
 * after -delete of the last entry: magic, version 2, count 0, then the
 * SHA-1 over UTF-16BE(password) || "Mighty Aphrodite" || the 12 bytes.
 * Built here because pseconv itself refuses to write a keystore with no
 * certificate (issue 16). */
static size_t empty_keystore(unsigned char out[32], unsigned magic, const char *pw)
{
    unsigned char hdr[12] = {(unsigned char)(magic >> 24), (unsigned char)(magic >> 16),
                             (unsigned char)(magic >> 8), (unsigned char)magic, 0, 0, 0, 2,
                             0, 0, 0, 0};
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    CU_ASSERT_FATAL(md != NULL);
    CU_ASSERT_FATAL(EVP_DigestInit_ex(md, EVP_sha1(), NULL) == 1);
    for (const char *c = pw; *c; c++) {
        unsigned char u[2] = {0, (unsigned char)*c};
        EVP_DigestUpdate(md, u, 2);
    }
    EVP_DigestUpdate(md, "Mighty Aphrodite", 16);
    EVP_DigestUpdate(md, hdr, sizeof hdr);
    memcpy(out, hdr, sizeof hdr);
    unsigned int n = 0;
    CU_ASSERT_FATAL(EVP_DigestFinal_ex(md, out + 12, &n) == 1 && n == 20);
    EVP_MD_CTX_free(md);
    return 32;
}

/* JKS and JCEKS without entries (keytool makes them: -delete of the last
 * entry) and a pselist without blocks are empty, not errors. */
static void test_legitimately_empty(void)
{
    const unsigned magic[] = {0xFEEDFEEDu, 0xCECECECEu};
    for (size_t i = 0; i < 2; i++) {
        unsigned char ks[32];
        size_t n = empty_keystore(ks, magic[i], "changeit");
        psc_store *st;
        psc_err e = {0};
        CU_ASSERT_EQUAL(read_bytes(ks, n, NULL, "changeit", &st, &e), PSC_OK);
        CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
        psc_store_free(st);
        /* the same bytes under another password: the integrity check fails */
        CU_ASSERT_EQUAL(read_bytes(ks, n, NULL, "wrong", &st, &e), PSC_EINPUT);
        psc_store_free(st);
    }
    static const char pselist[] = "pseconv-pselist 1\npse: SSL Client Standard\nfile: x.pse\n";
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL(read_bytes((const unsigned char *)pselist, sizeof pselist - 1, NULL, NULL,
                               &st, &e),
                    PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"pem: only a CRL block is an error", test_pem},
        {"p7b: only a CRL, or no certificate, is an error", test_p7b},
        {"p12: only a CRL bag is an error; no bag is empty", test_p12},
        {"der: a CRL is not an empty certificate file", test_der},
        {"jks, jceks, pselist: empty means 0 entries", test_legitimately_empty},
        {NULL, NULL}};
    unit_suite("non-empty container, nothing read", tests);
}
