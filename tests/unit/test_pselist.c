/* pselist: write, read back, byte stability, and every kind of hand edit
 * the reader must refuse.  Stores are filled straight from the fixture PKI
 * with OpenSSL's PEM reader, so these tests do not depend on pem.c. */
#include "unit.h"
#include "format.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>

extern const psc_format psc_format_pselist;

static psc_cert *fixture_cert(psc_store *st, const char *rel)
{
    FILE *f = fopen(unit_fixture(rel), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    psc_err e = {0};
    psc_cert *c = psc_store_add_x509(st, x, rel, &e);
    X509_free(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

static EVP_PKEY *fixture_key(const char *rel)
{
    FILE *f = fopen(unit_fixture(rel), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    return k;
}

/* A store shaped like a PSE read: own (erp-rsa + chain, with key), then a list. */
static psc_store *pse_like_store(const char *origin)
{
    psc_store *st = psc_store_new();
    psc_entry *own = psc_store_add_entry(st, PSC_ENTRY_OWN, NULL, origin, "pse", 0);
    psc_entry_push_cert(own, fixture_cert(st, "pki/erp-rsa.crt"));
    psc_entry_push_cert(own, fixture_cert(st, "pki/corp-issuing.crt"));
    psc_entry_push_cert(own, fixture_cert(st, "pki/corp-root.crt"));
    psc_entry_set_key(own, fixture_key("pki/erp-rsa.key"));
    const char *list[] = {"pki/lb-root.crt", "pki/hci-root.crt", "pki/c4c-root.crt",
                          "pki/corp-root.crt"};
    for (size_t i = 0; i < 4; i++) {
        psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_TRUSTED, NULL, origin, "pse", i + 1);
        psc_entry_push_cert(en, fixture_cert(st, list[i]));
    }
    return st;
}

static int write_store(psc_store *st, psc_buf *out, int include_keys)
{
    psc_write_opts o = {0};
    o.path = "out.pselist";
    o.include_keys = include_keys;
    psc_err e = {0};
    psc_buf_init(out);
    return psc_format_pselist.write(st, out, &o, &e);
}

static int read_text(const char *text, size_t len, psc_store **st, psc_err *e)
{
    psc_read_opts o = {0};
    o.path = "in.pselist";
    memset(e, 0, sizeof *e);
    *st = psc_store_new();
    return psc_format_pselist.read(*st, (const unsigned char *)text, len, &o, e);
}

static void test_probe(void)
{
    const char *a = "pseconv-pselist 1\n", *b = "\xef\xbb\xbfpseconv-pselist 1\n";
    CU_ASSERT_EQUAL(psc_format_pselist.probe((const unsigned char *)a, strlen(a)), 100);
    CU_ASSERT_EQUAL(psc_format_pselist.probe((const unsigned char *)b, strlen(b)), 100);
    psc_buf pem;
    CU_ASSERT_FATAL(unit_read(unit_fixture("pki/corp-chain.pem"), &pem) == 0);
    CU_ASSERT_EQUAL(psc_format_pselist.probe(pem.data, pem.len), 0);
    CU_ASSERT_PTR_NOT_EQUAL(psc_format_detect(pem.data, pem.len), &psc_format_pselist);
    CU_ASSERT_PTR_EQUAL(psc_format_detect((const unsigned char *)a, strlen(a)), &psc_format_pselist);
    psc_buf_free(&pem, 0);
}

static void test_write_shape(void)
{
    psc_store *st = pse_like_store("/usr/sap/ERP/DVEBMGS00/sec/SAPSSLC.pse");
    psc_buf out;
    CU_ASSERT_EQUAL_FATAL(write_store(st, &out, 1), PSC_OK);
    psc_buf_cstr(&out);
    const char *t = (const char *)out.data;
    const char *want = "pseconv-pselist 1\npse: SSL Client Standard\nfile: SAPSSLC.pse\n"
                       "system: ERP\n\nown:\nsubject: CN=erp-rsa.nordwind.example, OU=SAP, "
                       "O=Nordwind Handel AG, C=DE\nissuer: CN=Nordwind Issuing CA 07, "
                       "O=Nordwind Handel AG, C=DE\nvalid: 2025-01-01T00:00:00Z .. ";
    CU_ASSERT_EQUAL(strncmp(t, want, strlen(want)), 0);
    CU_ASSERT_PTR_NULL(strstr(t, "PRIVATE KEY"));
    /* 1 own + 2 chain + 4 trusted (corp-root appears in the chain and the list) */
    size_t blocks = 0;
    for (const char *p = t; (p = strstr(p, "-----BEGIN CERTIFICATE-----")) != NULL; p++)
        blocks++;
    CU_ASSERT_EQUAL(blocks, 7);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n\nchain:\nsubject: CN=Nordwind Issuing CA 07"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "\n\ntrusted:\nsubject: CN=Fake DigiCert Global Root G2"));
    CU_ASSERT(strstr(t, psc_store_entry(st, 0)->chain[0]->sha256_hex) != NULL);
    CU_ASSERT_EQUAL(out.data[out.len - 1], '\n');
    CU_ASSERT_NOT_EQUAL(out.data[out.len - 2], '\n');
    /* the key was left out, with a warning */
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "private key"));
    psc_buf_free(&out, 0);
    psc_store_free(st);
}

static void test_round_trip_and_stable(void)
{
    psc_store *st = pse_like_store("SAPSSLS.pse");
    psc_buf a, b, c;
    CU_ASSERT_EQUAL_FATAL(write_store(st, &a, 0), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(write_store(st, &b, 0), PSC_OK);
    CU_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    psc_store *back;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(read_text((const char *)a.data, a.len, &back, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(back), 5);
    psc_entry *own = psc_store_entry(back, 0), *orig = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(own->type, PSC_ENTRY_OWN);
    CU_ASSERT_PTR_NULL(own->key);
    CU_ASSERT_EQUAL_FATAL(own->chain_len, 3);
    for (size_t k = 0; k < 3; k++)
        CU_ASSERT_STRING_EQUAL(own->chain[k]->sha256_hex, orig->chain[k]->sha256_hex);
    for (size_t i = 1; i < 5; i++) {
        CU_ASSERT_EQUAL(psc_store_entry(back, i)->type, PSC_ENTRY_TRUSTED);
        CU_ASSERT_STRING_EQUAL(psc_store_entry(back, i)->chain[0]->sha256_hex,
                               psc_store_entry(st, i)->chain[0]->sha256_hex);
        CU_ASSERT_STRING_EQUAL(psc_store_entry(back, i)->origin.format, "pselist");
    }
    /* certificate bytes survive exactly */
    CU_ASSERT(own->chain[0]->der_len == orig->chain[0]->der_len &&
              memcmp(own->chain[0]->der, orig->chain[0]->der, own->chain[0]->der_len) == 0);
    /* writing what was read gives the same blocks (only file: names the new origin) */
    CU_ASSERT_EQUAL_FATAL(write_store(back, &c, 0), PSC_OK);
    const char *blocks_a = strstr((const char *)a.data, "\n\nown:");
    const char *blocks_c = strstr((const char *)c.data, "\n\nown:");
    CU_ASSERT_FATAL(blocks_a && blocks_c);
    size_t la = a.len - (size_t)(blocks_a - (const char *)a.data);
    size_t lc = c.len - (size_t)(blocks_c - (const char *)c.data);
    CU_ASSERT(la == lc && memcmp(blocks_a, blocks_c, la) == 0);
    psc_store_free(back);
    psc_buf_free(&a, 0), psc_buf_free(&b, 0), psc_buf_free(&c, 0);
    psc_store_free(st);
}

static void test_keypair_and_loose_certs(void)
{
    /* No own entry: the first key pair's leaf is own, its chain follows,
     * everything else is the list, each certificate once. */
    psc_store *st = psc_store_new();
    psc_entry *kp = psc_store_add_entry(st, PSC_ENTRY_KEYPAIR, "k", "bundle.pem", "pem", 0);
    psc_entry_push_cert(kp, fixture_cert(st, "pki/p384-leaf.crt"));
    psc_entry_push_cert(kp, fixture_cert(st, "pki/p384-intermediate.crt"));
    const char *loose[] = {"pki/p384-root.crt", "pki/p384-intermediate.crt", "pki/p384-root.crt"};
    for (size_t i = 0; i < 3; i++) {
        psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, NULL, "bundle.pem", "pem", i + 1);
        psc_entry_push_cert(en, fixture_cert(st, loose[i]));
    }
    psc_buf out;
    CU_ASSERT_EQUAL_FATAL(write_store(st, &out, 0), PSC_OK);
    psc_store *back;
    psc_err e;
    CU_ASSERT_EQUAL_FATAL(read_text((const char *)out.data, out.len, &back, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(back), 3);
    CU_ASSERT_EQUAL(psc_store_entry(back, 0)->type, PSC_ENTRY_OWN);
    CU_ASSERT_EQUAL(psc_store_entry(back, 0)->chain_len, 2);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 1)->chain[0]->sha256_hex,
                           psc_store_entry(st, 1)->chain[0]->sha256_hex);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 2)->chain[0]->sha256_hex,
                           psc_store_entry(st, 2)->chain[0]->sha256_hex);
    psc_buf_cstr(&out);
    CU_ASSERT_PTR_NOT_NULL(strstr((const char *)out.data, "file: bundle.pem\n"));
    CU_ASSERT_PTR_NULL(strstr((const char *)out.data, "pse: "));
    psc_store_free(back);
    psc_buf_free(&out, 0);
    psc_store_free(st);
}

/* Take a good text, apply one edit, expect PSC_EINPUT with `needle` in the message. */
static void expect_refused(const char *good, const char *from, const char *to, const char *needle)
{
    const char *at = strstr(good, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    psc_buf t;
    psc_buf_init(&t);
    psc_buf_append(&t, good, (size_t)(at - good));
    psc_buf_puts(&t, to);
    psc_buf_puts(&t, at + strlen(from));
    psc_store *st;
    psc_err e;
    int rc = read_text((const char *)t.data, t.len, &st, &e);
    CU_ASSERT_EQUAL(rc, PSC_EINPUT);
    if (rc != PSC_EINPUT || strstr(e.msg, needle) == NULL)
        fprintf(stderr, "\nedit '%s' -> '%s': rc %d msg '%s'\n", from, to, rc, e.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, needle));
    CU_ASSERT_EQUAL(strncmp(e.msg, "in.pselist", 10), 0);
    psc_store_free(st);
    psc_buf_free(&t, 0);
}

static void test_edits_refused(void)
{
    psc_store *st = pse_like_store("SAPSSLC.pse");
    psc_buf out;
    CU_ASSERT_EQUAL_FATAL(write_store(st, &out, 0), PSC_OK);
    psc_buf_cstr(&out);
    const char *g = (const char *)out.data;
    const psc_cert *leaf = psc_store_entry(st, 0)->chain[0];
    char sha[80], upper[80];
    snprintf(sha, sizeof sha, "sha256: %s", leaf->sha256_hex);
    snprintf(upper, sizeof upper, "sha256: %s", leaf->sha256_hex);
    upper[8] = upper[8] == '0' ? '1' : '0';
    expect_refused(g, "subject: CN=erp-rsa.nordwind.example", "subject: CN=erp-rsb.nordwind.example",
                   "'subject:' does not match");
    expect_refused(g, "issuer: CN=Nordwind Issuing CA 07", "issuer: CN=Nordwind Issuing CA 08",
                   "'issuer:' does not match");
    expect_refused(g, "valid: 2025-01-01", "valid: 2025-01-02", "'valid:' does not match");
    expect_refused(g, sha, upper, "'sha256:' does not match");
    expect_refused(g, "pseconv-pselist 1\n", "pseconv-pselist 2\n", "version is not supported");
    expect_refused(g, "pseconv-pselist 1\n", "pseconv pselist 1\n", "first line");
    expect_refused(g, "file: SAPSSLC.pse\n", "owner: someone\n", "wrong header line");
    expect_refused(g, "\nown:\n", "\nmine:\n", "expected 'own:'");
    expect_refused(g, "\ntrusted:\n", "\nown:\n", "second 'own:'");
    expect_refused(g, "\ntrusted:\nsubject: CN=Fake Baltimore", "\nchain:\nsubject: CN=Fake Baltimore",
                   "'chain:' must follow");
    expect_refused(g, "issuer: CN=Nordwind Issuing CA 07, O=Nordwind Handel AG, C=DE\n", "",
                   "expected the 'issuer:' line");
    expect_refused(g, "-----END CERTIFICATE-----\n\nchain:", "-----END CERTIFICATE-----\nstray\n\nchain:",
                   "expected 'own:'");
    /* cut inside the first certificate's base64: truncated */
    const char *mid = strstr(g, "-----BEGIN CERTIFICATE-----\n") + 100;
    psc_store *bad;
    psc_err e;
    CU_ASSERT_EQUAL(read_text(g, (size_t)(mid - g), &bad, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "truncated"));
    psc_store_free(bad);
    /* cut after the fields, before the PEM block */
    mid = strstr(g, "-----BEGIN CERTIFICATE-----\n");
    CU_ASSERT_EQUAL(read_text(g, (size_t)(mid - g), &bad, &e), PSC_EINPUT);
    psc_store_free(bad);
    /* every prefix either fails or is a whole number of blocks; never a crash */
    for (size_t n = 0; n < out.len; n += 5) {
        int rc = read_text(g, n, &bad, &e);
        CU_ASSERT(rc == PSC_OK || rc == PSC_EINPUT);
        psc_store_free(bad);
    }
    psc_buf_free(&out, 0);
    psc_store_free(st);
}

static void test_comments_crlf_bom(void)
{
    psc_store *st = pse_like_store("SAPSSLA.pse");
    psc_buf out, t;
    CU_ASSERT_EQUAL_FATAL(write_store(st, &out, 0), PSC_OK);
    psc_buf_init(&t);
    psc_buf_puts(&t, "\xef\xbb\xbf");
    for (size_t i = 0; i < out.len; i++) {
        if (out.data[i] == '\n')
            psc_buf_puts(&t, "\r");
        psc_buf_append(&t, &out.data[i], 1);
        if (i + 1 < out.len && out.data[i] == '\n' && out.data[i + 1] == '\n')
            psc_buf_puts(&t, "# a comment a person added\r\n");
    }
    psc_store *back;
    psc_err e;
    CU_ASSERT_EQUAL(read_text((const char *)t.data, t.len, &back, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(back), 5);
    psc_store_free(back);
    /* an empty list: header only */
    const char *empty = "pseconv-pselist 1\n\n";
    CU_ASSERT_EQUAL(read_text(empty, strlen(empty), &back, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(back), 0);
    psc_store_free(back);
    psc_buf_free(&out, 0), psc_buf_free(&t, 0);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"probe", test_probe},
        {"written shape and header", test_write_shape},
        {"round trip, stable bytes", test_round_trip_and_stable},
        {"key pair and loose certificates", test_keypair_and_loose_certs},
        {"hand edits refused", test_edits_refused},
        {"comments, CRLF, BOM, empty", test_comments_crlf_bom},
        {NULL, NULL}};
    unit_suite("pselist", tests);
}
