/* The PSE reader against the pysap corpus (sapgenpse-made v2 files, PIN
 * 1234567980) and against PSEs this test assembles itself following
 * formats.md: v4 containers (plain and encrypted, with the SHA-1 digest),
 * a v2 container, a PSE with FCPath/PKRoot/CertList/unknown objects built
 * from the fixture PKI.  The builders are in ../pse_build.h (shared with the
 * fuzz seed maker); encryption there goes through OpenSSL's own PKCS#12 PBE
 * (PKCS12_pbe_crypt_ex), not through the reader's code. */
#include "unit.h"
#include "../pse_build.h"
#include "format.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define PIN "1234567980"
#define ENC_PSE "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse"
#define PLAIN_PSE "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse"
#define CERT_DER "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_cert.der"

extern const psc_format psc_format_pse;

/* ---- helpers ---------------------------------------------------------------- */

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
    CU_ASSERT_EQUAL_FATAL(pse_build_v2_content(file->data, file->len, content, len), 0);
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
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v4(c, n, NULL, 0, 0, &v4), 0);
    CU_ASSERT_EQUAL(psc_format_pse.probe(v4.data, v4.len), 95);
    CU_ASSERT_EQUAL(read_pse(v4.data, v4.len, NULL, 0, &st, &e), PSC_OK);
    check_own_is_corpus_cert(st);
    psc_store_free(st);
    psc_buf_free(&v4, 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v4(c, n, NULL, 0, 1, &v4), 0);
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
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v4(c, n, "v4-PIN-42", 2048, 0, &v4), 0);
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
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v4(c, n, "v4-PIN-42", 2048, 1, &v4), 0);
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
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v2(c, n, "other-pin", 2048, &v2), 0);
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

static void test_chain_list_unknown(void)
{
    X509 *leaf = load_x509("pki/erp-rsa.crt"), *ca = load_x509("pki/corp-issuing.crt");
    X509 *root = load_x509("pki/corp-root.crt"), *lb = load_x509("pki/lb-root.crt");
    X509 *hci = load_x509("pki/hci-root.crt");
    FILE *f = fopen(unit_fixture("pki/erp-rsa.key"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);

    /* content and a plain v2 file */
    psc_buf content, file;
    CU_ASSERT_EQUAL_FATAL(pse_build_chain_content(leaf, ca, root, lb, hci, key, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);

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

    EVP_PKEY_free(key);
    X509_free(leaf), X509_free(ca), X509_free(root), X509_free(lb), X509_free(hci);
    psc_buf_free(&content, 0), psc_buf_free(&file, 0);
}

/* ---- trust-list PSEs (issue 23) --------------------------------------------- */

#define DEBIAN_ROOTS "/etc/ssl/certs/ca-certificates.crt"
#define MAX_LIST 512

/* Through the registry, as every command reads: detection plus the one check
 * that turns "had content, gave nothing" into an error. */
static int read_via_registry(const psc_buf *file, const char *pin, psc_store **out, psc_err *e)
{
    psc_secret s = {0};
    if (pin)
        psc_secret_set(&s, pin);
    psc_read_opts o = {0};
    o.path = "trust.pse";
    o.password = &s;
    o.max_iterations = 0;
    const psc_format *used = NULL;
    *out = psc_store_new();
    memset(e, 0, sizeof *e);
    int rc = psc_read_buffer(*out, file->data, file->len, NULL, &o, &used, e);
    CU_ASSERT_PTR_EQUAL(used, &psc_format_pse);
    psc_secret_clear(&s);
    return rc;
}

/* Every certificate of a PEM file, in order (OpenSSL's reader). */
static size_t load_all(const char *path, X509 **out, size_t max)
{
    FILE *f = fopen(path, "r");
    size_t n = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (n < max && (out[n] = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
        n++;
    fclose(f);
    ERR_clear_error();
    return n;
}

static void free_all(X509 **x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        X509_free(x[i]);
}

/* The store holds exactly n trusted entries, want[0..n-1] in order, by
 * SHA-256 as OpenSSL computes it, and no own entry. */
static void check_trusted(psc_store *st, X509 *const *want, size_t n)
{
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), n);
    for (size_t i = 0; i < n; i++) {
        psc_entry *en = psc_store_entry(st, i);
        unsigned char md[32];
        unsigned int mdlen = 0;
        CU_ASSERT_EQUAL(en->type, PSC_ENTRY_TRUSTED);
        CU_ASSERT_EQUAL_FATAL(en->chain_len, 1);
        CU_ASSERT(X509_digest(want[i], EVP_sha256(), md, &mdlen) == 1 && mdlen == 32);
        CU_ASSERT_EQUAL(memcmp(en->chain[0]->sha256, md, 32), 0);
        CU_ASSERT_STRING_EQUAL(en->origin.format, "pse");
    }
}

static int warned(const psc_store *st, const char *needle)
{
    for (size_t i = 0; i < psc_store_warning_count(st); i++)
        if (strstr(psc_store_warning(st, i), needle))
            return 1;
    return 0;
}

/* SAP's shape: plain v2, one PKList of signed certificates, no Cert/SKnew/PIN. */
static void test_trust_list_fixture_pki(void)
{
    static const char *names[] = {"pki/lb-root.crt", "pki/lb-intermediate.crt", "pki/hci-root.crt",
                                  "pki/hci-intermediate.crt", "pki/corp-root.crt",
                                  "pki/c4c-root.crt", "pki/p384-root.crt"};
    enum { N = sizeof names / sizeof names[0] };
    X509 *certs[N];
    for (size_t i = 0; i < N; i++)
        certs[i] = load_x509(names[i]);
    psc_buf content, file;
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, N, NULL, "PKList", NULL, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    check_trusted(st, certs, N);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);
    psc_store_free(st);
    psc_buf_free(&file, 0);
    /* the same list encrypted (v4 and v2 containers) reads the same */
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v4(content.data, content.len, PIN, 64, 0, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, PIN, &st, &e), PSC_OK);
    check_trusted(st, certs, N);
    psc_store_free(st);
    psc_buf_free(&file, 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v2(content.data, content.len, PIN, 64, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, PIN, &st, &e), PSC_OK);
    check_trusted(st, certs, N);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);
    /* a CertList of the same certificates: the same entries */
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, N, NULL, "CertList", NULL, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    check_trusted(st, certs, N);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);
    free_all(certs, N);
}

/* Real public roots (Debian's ca-certificates), all of them, in file order. */
static void test_trust_list_debian_roots(void)
{
    static X509 *certs[MAX_LIST];
    size_t n = load_all(DEBIAN_ROOTS, certs, MAX_LIST);
    CU_ASSERT_FATAL(n >= 100 && n < MAX_LIST);
    psc_buf content, file;
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, n, NULL, "PKList", NULL, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    check_trusted(st, certs, n);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);
    free_all(certs, n);
}

/* Signed and to-be-signed-only entries in one PKList, an unknown object, and
 * a CertList repeating a PKList certificate. */
static void test_trust_list_mixed(void)
{
    X509 *certs[3] = {load_x509("pki/lb-root.crt"), load_x509("pki/hci-root.crt"),
                      load_x509("pki/corp-root.crt")};
    const unsigned char form[3] = {PSE_TRUST_SIGNED, PSE_TRUST_TBS, PSE_TRUST_SIGNED};
    psc_buf content, file;
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, 3, form, "PKList", "Foo", &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    X509 *want[2] = {certs[0], certs[2]};
    check_trusted(st, want, 2);
    CU_ASSERT(warned(st, "trust.pse: PKList holds 1 of 3 entries without a signed certificate "
                         "(to-be-signed part only), not converted: \"CN=Fake Baltimore "
                         "CyberTrust Root, OU=CyberTrust, O=Baltimore, C=IE\""));
    CU_ASSERT(warned(st, "trust.pse: other PSE objects not read: Foo"));
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);

    /* CertList {lb, hci} plus PKList {lb, corp}: lb once (one entry per certificate) */
    psc_buf objs, v;
    static const unsigned char OID_CERTLIST[] = {0x2b, 0x24, 0x02, 0x00};
    static const unsigned char OID_PKLIST[] = {0x2b, 0x24, 0x02, 0x06, 0x01};
    psc_buf_init(&objs), psc_buf_init(&v);
    CU_ASSERT_FATAL(pse_build_put_cert(&v, certs[0]) == 0 &&
                    pse_build_put_cert(&v, certs[1]) == 0 && pse_build_wrap(&v, 0x31) == 0 &&
                    pse_build_put_object(&objs, "CertList", OID_CERTLIST, sizeof OID_CERTLIST,
                                         &v) == 0);
    psc_buf_free(&v, 0);
    CU_ASSERT_FATAL(pse_build_put_cert(&v, certs[0]) == 0 &&
                    pse_build_put_cert(&v, certs[2]) == 0 && pse_build_wrap(&v, 0x31) == 0 &&
                    pse_build_put_object(&objs, "PKList", OID_PKLIST, sizeof OID_PKLIST, &v) == 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_content_of(&objs, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    check_trusted(st, certs, 3);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0), psc_buf_free(&objs, 0), psc_buf_free(&v, 0);
    free_all(certs, 3);
}

/* A PSE with objects that gives nothing is an error naming what it skipped,
 * never "0 entries"; a PSE whose list is empty is a legitimately empty PSE. */
static void test_trust_list_nothing_read(void)
{
    X509 *certs[2] = {load_x509("pki/lb-root.crt"), load_x509("pki/hci-root.crt")};
    const unsigned char form[2] = {PSE_TRUST_TBS, PSE_TRUST_TBS};
    psc_buf content, file;
    psc_store *st;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, 2, form, "PKList", NULL, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_EINPUT);
    CU_ASSERT_STRING_EQUAL(e.msg, "trust.pse: nothing read from this pse file (no certificate or "
                                  "key pseconv can use): PKList holds 2 of 2 entries without a "
                                  "signed certificate (to-be-signed part only), not converted: "
                                  "\"CN=Fake DigiCert Global Root G2, OU=www.digicert.com, "
                                  "O=DigiCert Inc, C=US\", \"CN=Fake Baltimore CyberTrust Root, "
                                  "OU=CyberTrust, O=Baltimore, C=IE\"");
    psc_store_free(st);
    /* the reader alone (no registry) still says it: a warning at once */
    CU_ASSERT_EQUAL(read_pse(file.data, file.len, NULL, 0, &st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    CU_ASSERT(warned(st, "test.pse: PKList holds 2 of 2 entries"));
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);

    /* only an unknown object: error naming it */
    psc_buf objs, v;
    static const unsigned char OID_X[] = {0x2b, 0x24, 0x02, 0x07, 0x63};
    psc_buf_init(&objs), psc_buf_init(&v);
    CU_ASSERT_FATAL(pse_build_tlv(&v, 0x04, "x", 1) == 0 &&
                    pse_build_put_object(&objs, "Mystery", OID_X, sizeof OID_X, &v) == 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_content_of(&objs, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "nothing read from this pse file"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "other PSE objects not read: Mystery"));
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0), psc_buf_free(&objs, 0), psc_buf_free(&v, 0);

    /* an empty PKList, and no objects at all: empty, not an error */
    CU_ASSERT_EQUAL_FATAL(pse_build_trust_content(certs, 0, NULL, "PKList", NULL, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);
    psc_buf_init(&objs);
    CU_ASSERT_EQUAL_FATAL(pse_build_content_of(&objs, &content), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_plain_v2(content.data, content.len, &file), 0);
    CU_ASSERT_EQUAL(read_via_registry(&file, NULL, &st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_store_free(st);
    psc_buf_free(&file, 0), psc_buf_free(&content, 0);
    free_all(certs, 2);
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
    static const CU_TestInfo trust[] = {
        {"PKList of signed certificates from the fixture PKI", test_trust_list_fixture_pki},
        {"PKList of Debian's public roots", test_trust_list_debian_roots},
        {"signed and to-be-signed entries, CertList and PKList", test_trust_list_mixed},
        {"objects but nothing read is an error; empty is empty", test_trust_list_nothing_read},
        {NULL, NULL}};
    unit_suite("pse corpus", corpus);
    unit_suite("pse built", built);
    unit_suite("pse trust list", trust);
}
