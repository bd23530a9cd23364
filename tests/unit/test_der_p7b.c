/* DER and P7B readers/writers.  Expected values come from OpenSSL parsing the
 * fixtures directly and from the files `openssl crl2pkcs7` made. */
#include "unit.h"
#include "format.h"
#include "store.h"
#include "der_key.h"
#include "keypair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

extern const psc_format psc_format_der;
extern const psc_format psc_format_p7b;
extern const psc_format psc_format_pem;


static int probe_file(const psc_format *f, const char *path)
{
    psc_buf b;
    if (unit_read(path, &b) != 0)
        return -1;
    int score = f->probe(b.data, b.len);
    psc_buf_free(&b, 0);
    return score;
}

static int read_file(const psc_format *f, psc_store *st, const char *path, psc_err *e)
{
    psc_buf b;
    if (unit_read(path, &b) != 0)
        return -1;
    psc_read_opts ro = {0};
    psc_secret none = {0};
    ro.path = path;
    ro.password = &none;
    int rc = f->read(st, b.data, b.len, &ro, e);
    psc_buf_free(&b, 0);
    return rc;
}

static void test_probes(void)
{
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/erp-client.der")), 60);
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/erp-client.p12")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/erp-client-legacy.p12")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/erp-client-chain.p7b")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/garbage.bin")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_der, unit_fixture("pki/erp-client.crt")), 0);
    CU_ASSERT_EQUAL(
        probe_file(&psc_format_der, unit_corpus("pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse")),
        0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client-chain.p7b")), 80);
    CU_ASSERT_EQUAL(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client-chain-pem.p7b")), 92);
    CU_ASSERT(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client-chain-pem.p7b")) >
              probe_file(&psc_format_pem, unit_fixture("pki/erp-client-chain-pem.p7b")));
    CU_ASSERT_EQUAL(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client.p12")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client-fullchain.pem")), 0);
    CU_ASSERT_EQUAL(probe_file(&psc_format_p7b, unit_fixture("pki/erp-client.der")), 0);
    CU_ASSERT_EQUAL(psc_format_der.probe((const unsigned char *)"\x30\x82\xff", 3), 0);
    CU_ASSERT_EQUAL(psc_format_p7b.probe((const unsigned char *)"\x30\x84", 2), 0);
    CU_ASSERT_EQUAL(psc_format_der.probe(NULL, 0), 0);
}

static void test_der_read(void)
{
    psc_buf der;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client.der"), &der), 0);
    unsigned char want[32];
    unsigned int mdlen;
    CU_ASSERT(EVP_Digest(der.data, der.len, want, &mdlen, EVP_sha256(), NULL) == 1);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_read_opts ro = {0};
    ro.path = "x.der";
    CU_ASSERT_EQUAL_FATAL(psc_format_der.read(st, der.data, der.len, &ro, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    psc_entry *en = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(en->type, PSC_ENTRY_CERT);
    CU_ASSERT(memcmp(en->chain[0]->sha256, want, 32) == 0);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);

    /* trailing bytes: read, with a warning */
    unsigned char *more = malloc(der.len + 5);
    memcpy(more, der.data, der.len);
    memcpy(more + der.len, "junk!", 5);
    CU_ASSERT_EQUAL(psc_format_der.read(st, more, der.len + 5, &ro, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_warning_count(st), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "5 bytes after the certificate"));
    /* truncated: an error */
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_format_der.read(st, der.data, der.len - 10, &ro, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "x.der"));
    free(more);
    psc_store_free(st);
    psc_buf_free(&der, 0);
}

static void expect_fullchain(psc_store *st, const char *fmt)
{
    unsigned char want[3][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(unit_fixture("pki/erp-client-fullchain.pem"), want, 3), 3);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 3);
    for (size_t i = 0; i < 3; i++) {
        psc_entry *en = psc_store_entry(st, i);
        CU_ASSERT_EQUAL(en->type, PSC_ENTRY_CERT);
        CU_ASSERT_STRING_EQUAL(en->origin.format, fmt);
        CU_ASSERT(memcmp(en->chain[0]->sha256, want[i], 32) == 0);
    }
}

static void test_p7b_read(void)
{
    psc_err e = {0};
    psc_store *st = psc_store_new();
    CU_ASSERT_EQUAL(read_file(&psc_format_p7b, st, unit_fixture("pki/erp-client-chain.p7b"), &e),
                    PSC_OK);
    expect_fullchain(st, "p7b");
    psc_store_free(st);
    st = psc_store_new();
    CU_ASSERT_EQUAL(
        read_file(&psc_format_p7b, st, unit_fixture("pki/erp-client-chain-pem.p7b"), &e), PSC_OK);
    expect_fullchain(st, "p7b");
    psc_store_free(st);
    /* der reads a DER SignedData too */
    st = psc_store_new();
    CU_ASSERT_EQUAL(read_file(&psc_format_der, st, unit_fixture("pki/erp-client-chain.p7b"), &e),
                    PSC_OK);
    expect_fullchain(st, "der");
    psc_store_free(st);
    /* not a bundle */
    st = psc_store_new();
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_file(&psc_format_p7b, st, unit_fixture("pki/erp-client.der"), &e),
                    PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "not a PKCS#7"));
    psc_store_free(st);
}

/* A truncated DER bundle and a PKCS#7 of another type are errors. */
static void test_p7b_damaged(void)
{
    psc_buf b;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client-chain.p7b"), &b), 0);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_read_opts ro = {0};
    ro.path = "cut.p7b";
    CU_ASSERT_EQUAL(psc_format_p7b.read(st, b.data, b.len / 2, &ro, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cut.p7b: damaged PKCS#7"));
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_buf_free(&b, 0);

    /* PKCS#7 "data" (not SignedData): made by OpenSSL here */
    PKCS7 *p7 = PKCS7_new();
    CU_ASSERT_FATAL(PKCS7_set_type(p7, NID_pkcs7_data));
    unsigned char *der = NULL;
    int n = i2d_PKCS7(p7, &der);
    CU_ASSERT_FATAL(n > 0);
    psc_err_clear(&e);
    ro.path = "data.p7";
    CU_ASSERT_EQUAL(psc_format_der.read(st, der, (size_t)n, &ro, &e), PSC_EINPUT);
    OPENSSL_free(der);
    PKCS7_free(p7);

    /* SignedData without certificates */
    p7 = PKCS7_new();
    CU_ASSERT_FATAL(PKCS7_set_type(p7, NID_pkcs7_signed));
    PKCS7_content_new(p7, NID_pkcs7_data);
    der = NULL;
    n = i2d_PKCS7(p7, &der);
    CU_ASSERT_FATAL(n > 0);
    psc_err_clear(&e);
    ro.path = "empty.p7b";
    CU_ASSERT_EQUAL(psc_format_p7b.read(st, der, (size_t)n, &ro, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "no certificates"));
    OPENSSL_free(der);
    PKCS7_free(p7);
    psc_store_free(st);
}

static psc_store *fullchain_store(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_file(&psc_format_pem, st, unit_fixture("pki/erp-client-fullchain.pem"),
                              &e), PSC_OK);
    return st;
}

static int write_fmt(const psc_format *f, psc_store *st, int pem, psc_buf *out)
{
    psc_write_opts wo = {0};
    psc_secret none = {0};
    wo.path = "out";
    wo.password = &none;
    wo.pem = pem;
    wo.include_keys = 1;
    psc_err e = {0};
    psc_buf_init(out);
    return f->write(st, out, &wo, &e);
}

static void test_p7b_write_matches_openssl(void)
{
    psc_store *st = fullchain_store();
    psc_buf out, want;
    CU_ASSERT_EQUAL(write_fmt(&psc_format_p7b, st, 0, &out), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client-chain.p7b"), &want), 0);
    /* identical to `openssl crl2pkcs7 -nocrl -outform DER` of the same chain */
    CU_ASSERT_EQUAL(out.len, want.len);
    CU_ASSERT(out.len == want.len && memcmp(out.data, want.data, out.len) == 0);
    psc_buf_free(&out, 0);
    psc_buf_free(&want, 0);

    CU_ASSERT_EQUAL(write_fmt(&psc_format_p7b, st, 1, &out), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client-chain-pem.p7b"), &want), 0);
    CU_ASSERT(out.len == want.len && memcmp(out.data, want.data, out.len) == 0);
    psc_buf_free(&out, 0);
    psc_buf_free(&want, 0);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);
    psc_store_free(st);

    psc_store *empty = psc_store_new();
    CU_ASSERT_EQUAL(write_fmt(&psc_format_p7b, empty, 0, &out), PSC_EINPUT); /* nothing to write: exit 3, as for pem and p12 */
    psc_buf_free(&out, 0);
    psc_store_free(empty);
}

static void test_der_write(void)
{
    psc_buf der;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client.der"), &der), 0);
    psc_store *st = fullchain_store();
    psc_buf out;
    CU_ASSERT_EQUAL(write_fmt(&psc_format_der, st, 0, &out), PSC_OK);
    CU_ASSERT(out.len == der.len && memcmp(out.data, der.data, der.len) == 0);
    CU_ASSERT_EQUAL_FATAL(psc_store_warning_count(st), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "wrote 1 of 3 certificates"));
    psc_buf_free(&out, 0);
    psc_store_free(st);

    /* a key pair's leaf wins over an earlier bare certificate */
    st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_file(&psc_format_pem, st, unit_fixture("pki/corp-root.crt"), &e), PSC_OK);
    CU_ASSERT_EQUAL(read_file(&psc_format_pem, st, unit_fixture("pki/erp-client-keychain.pem"),
                              &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL(write_fmt(&psc_format_der, st, 0, &out), PSC_OK);
    CU_ASSERT(out.len == der.len && memcmp(out.data, der.data, der.len) == 0);
    int dropped = 0;
    for (size_t i = 0; i < psc_store_warning_count(st); i++)
        dropped += strstr(psc_store_warning(st, i), "private keys are not written") != NULL;
    CU_ASSERT_EQUAL(dropped, 1);
    psc_buf_free(&out, 0);
    psc_store_free(st);
    psc_buf_free(&der, 0);
}

/* DER PKCS#8 keys: shape detection (never a certificate, PKCS#12 or PSE),
 * plain and encrypted reading, pairing with the certificate of another input. */
static void test_der_pkcs8(void)
{
    BIO *in = BIO_new_file(unit_fixture("pki/erp-client.key"), "r");
    EVP_PKEY *key = in ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;
    BIO_free(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    for (int enc = 0; enc < 2; enc++) {
        BIO *mem = BIO_new(BIO_s_mem());
        CU_ASSERT_EQUAL_FATAL(i2d_PKCS8PrivateKey_bio(mem, key, enc ? EVP_aes_256_cbc() : NULL,
                                                      enc ? "k-pass" : NULL, enc ? 6 : 0, NULL,
                                                      NULL), 1);
        char *data;
        long n = BIO_get_mem_data(mem, &data);
        const unsigned char *der = (const unsigned char *)data;
        CU_ASSERT_EQUAL(psc_der_key_kind(der, (size_t)n, NULL),
                        enc ? PSC_DER_KEY_ENCRYPTED : PSC_DER_KEY_PLAIN);
        CU_ASSERT_EQUAL(psc_format_der.probe(der, (size_t)n), 60);
        CU_ASSERT_PTR_EQUAL(psc_format_detect(der, (size_t)n), &psc_format_der);
        psc_store *st = psc_store_new();
        psc_secret pw = {0}, none = {0};
        psc_secret_set(&pw, "k-pass");
        psc_read_opts ro = {0};
        ro.path = "k.der";
        ro.password = &none;
        psc_err e = {0};
        if (enc) { /* no password: one clear error; wrong password: another */
            CU_ASSERT_EQUAL(psc_format_der.read(st, der, (size_t)n, &ro, &e), PSC_EINPUT);
            CU_ASSERT_STRING_EQUAL(e.msg, "k.der: the private key is encrypted; give its password "
                                          "with --password");
            psc_secret_set(&none, "wrong");
            psc_err_clear(&e);
            CU_ASSERT_EQUAL(psc_format_der.read(st, der, (size_t)n, &ro, &e), PSC_EINPUT);
            CU_ASSERT_STRING_EQUAL(e.msg, "wrong password for k.der (the PKCS#8 private key does "
                                          "not decrypt); check --password");
            ro.password = &pw;
            psc_err_clear(&e);
        }
        CU_ASSERT_EQUAL(psc_format_der.read(st, der, (size_t)n, &ro, &e), PSC_OK);
        CU_ASSERT_EQUAL(read_file(&psc_format_der, st, unit_fixture("pki/erp-client.der"), &e), PSC_OK);
        CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
        CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
        CU_ASSERT_EQUAL(psc_store_entry(st, 0)->type, PSC_ENTRY_KEYPAIR);
        CU_ASSERT(EVP_PKEY_eq(psc_store_entry(st, 0)->key, key) == 1);
        psc_store_free(st);
        psc_secret_clear(&pw);
        psc_secret_clear(&none);
        BIO_free(mem);
    }
    EVP_PKEY_free(key);
    /* the shapes of other files are not keys */
    const char *others[] = {"pki/erp-client.der", "pki/erp-client.p12", "pki/erp-client-chain.p7b"};
    for (size_t i = 0; i < 3; i++) {
        psc_buf b;
        CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture(others[i]), &b), 0);
        CU_ASSERT_EQUAL(psc_der_key_kind(b.data, b.len, NULL), PSC_DER_KEY_NONE);
        psc_buf_free(&b, 0);
    }
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"probes: der 60, p7b 80/92, never PKCS#12 or PSE", test_probes},
        {"der read: exact certificate, trailing bytes, truncation", test_der_read},
        {"p7b read: DER, PEM, via der", test_p7b_read},
        {"p7b damaged / wrong type / empty", test_p7b_damaged},
        {"p7b write equals openssl crl2pkcs7", test_p7b_write_matches_openssl},
        {"der write: one certificate, warning", test_der_write},
        {"der: PKCS#8 keys, plain and encrypted", test_der_pkcs8},
        {NULL, NULL}};
    unit_suite("der and p7b", tests);
}
