/* lint.c: each finding code at and around its threshold.  Certificates come
 * from the fixture PKI through OpenSSL's own PEM reader, not ours. */
#include "unit.h"
#include "lint.h"
#include "chain.h"

#include <openssl/pem.h>
#include <string.h>
#include <time.h>

static psc_cert *load(psc_store *st, const char *name)
{
    FILE *f = fopen(unit_fixture(name), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    X509_free(x);
    psc_err e = {0};
    psc_cert *c = psc_store_add_cert_der(st, der, (size_t)n, name, &e);
    OPENSSL_free(der);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

static time_t utc(int y, int m, int d)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    return timegm(&tm);
}

/* Findings of one certificate as "code/severity code/severity ..." */
static const char *codes(const psc_cert *c, psc_lint_opts o)
{
    static char out[512];
    psc_lint_list l = {0};
    CU_ASSERT_EQUAL(psc_lint_cert(&l, c, "x", &o), 0);
    out[0] = '\0';
    for (size_t i = 0; i < l.n; i++) {
        strcat(out, out[0] ? " " : "");
        strcat(out, l.items[i].code);
        strcat(out, l.items[i].severity == PSC_SEV_ERROR ? "/E" : "/W");
    }
    psc_lint_list_free(&l);
    return out;
}

static void test_validity(void)
{
    psc_store *st = psc_store_new();
    psc_lint_opts o = {0};
    o.now = utc(2030, 6, 1);
    psc_cert *expired = load(st, "pki/expired.crt"), *future = load(st, "pki/not-yet-valid.crt");
    psc_cert *good = load(st, "pki/erp-client.crt");
    CU_ASSERT_STRING_EQUAL(codes(expired, o), "expired/E");
    CU_ASSERT_STRING_EQUAL(codes(future, o), "not-yet-valid/E");
    CU_ASSERT_STRING_EQUAL(codes(good, o), "");
    o.now = utc(2020, 6, 1); /* inside expired.crt's 2020-01-01 .. 2021-01-01 */
    CU_ASSERT_STRING_EQUAL(codes(expired, o), "");
    /* erp-client.crt ends 2045-01-01: 12 days left on 2044-12-20 */
    o.now = utc(2044, 12, 20);
    o.warn_days = 30;
    CU_ASSERT_STRING_EQUAL(codes(good, o), "expires-soon/W");
    o.warn_days = 11;
    CU_ASSERT_STRING_EQUAL(codes(good, o), "");
    o.warn_days = 12;
    CU_ASSERT_STRING_EQUAL(codes(good, o), "expires-soon/W");
    psc_store_free(st);
}

static void test_weak(void)
{
    psc_store *st = psc_store_new();
    psc_lint_opts o = {0};
    o.now = utc(2030, 6, 1);
    CU_ASSERT_STRING_EQUAL(codes(load(st, "pki/rsa1024.crt"), o), "weak-key/W");
    CU_ASSERT_STRING_EQUAL(codes(load(st, "pki/erp-rsa.crt"), o), "");      /* RSA 2048 */
    CU_ASSERT_STRING_EQUAL(codes(load(st, "pki/p384-leaf.crt"), o), "");    /* EC P-384, SHA-384 */
    CU_ASSERT_STRING_EQUAL(codes(load(st, "pki/sha1.crt"), o), "weak-signature/W");
    CU_ASSERT_STRING_EQUAL(codes(load(st, "pki/corp-root.crt"), o), "");
    psc_store_free(st);
}

static void test_eku(void)
{
    psc_store *st = psc_store_new();
    psc_lint_opts o = {0};
    o.now = utc(2030, 6, 1);
    psc_cert *noeku = load(st, "pki/erp-client-noeku.crt"), *client = load(st, "pki/erp-client.crt");
    psc_cert *server = load(st, "pki/erp-server.crt"), *selfsigned = load(st, "pki/erp-selfsigned.crt");
    o.usage = PSC_USE_CLIENT;
    CU_ASSERT_STRING_EQUAL(codes(noeku, o), "missing-eku/W");
    CU_ASSERT_STRING_EQUAL(codes(client, o), "");
    CU_ASSERT_STRING_EQUAL(codes(selfsigned, o), ""); /* no EKU extension: any use */
    o.eku_error = 1;
    CU_ASSERT_STRING_EQUAL(codes(noeku, o), "missing-eku/E");
    o.eku_error = 0;
    o.usage = PSC_USE_SERVER;
    CU_ASSERT_STRING_EQUAL(codes(client, o), "missing-eku/W");
    CU_ASSERT_STRING_EQUAL(codes(server, o), "");
    o.usage = PSC_USE_TLS;
    CU_ASSERT_STRING_EQUAL(codes(noeku, o), "missing-eku/W");
    CU_ASSERT_STRING_EQUAL(codes(client, o), "");
    o.usage = PSC_USE_ANY;
    CU_ASSERT_STRING_EQUAL(codes(noeku, o), "");
    psc_store_free(st);
}

static void test_chain(void)
{
    psc_store *st = psc_store_new();
    psc_lint_opts o = {0};
    o.now = utc(2030, 6, 1);
    o.usage = PSC_USE_CLIENT;
    psc_cert *leaf = load(st, "pki/erp-client.crt");
    load(st, "pki/corp-issuing.crt");
    psc_chain ch;
    psc_chain_build(st, leaf, o.now, &ch);
    CU_ASSERT_EQUAL(ch.len, 2);
    psc_lint_list l = {0};
    psc_lint_chain(&l, &ch, "ERP client_cert", &o);
    CU_ASSERT_EQUAL(l.n, 1);
    CU_ASSERT_STRING_EQUAL(l.items[0].code, "chain-incomplete");
    CU_ASSERT_PTR_NOT_NULL(strstr(l.items[0].message, "CN=Nordwind Root CA"));
    CU_ASSERT(psc_lint_has(&l, "chain-incomplete", leaf));
    CU_ASSERT(!psc_lint_has(&l, "expired", leaf));
    psc_lint_list_free(&l);
    load(st, "pki/corp-root.crt");
    psc_chain_build(st, leaf, o.now, &ch);
    CU_ASSERT_EQUAL(ch.len, 3);
    psc_lint_chain(&l, &ch, "ERP client_cert", &o);
    CU_ASSERT_EQUAL(l.n, 0);
    psc_lint_list_free(&l);
    /* the CAs are checked too: an expired leaf under a good chain reports once */
    psc_cert *old = load(st, "pki/expired.crt");
    psc_chain_build(st, old, o.now, &ch);
    psc_lint_chain(&l, &ch, NULL, &o);
    CU_ASSERT_EQUAL(l.n, 1);
    CU_ASSERT_PTR_EQUAL(l.items[0].cert, old);
    psc_lint_list_free(&l);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {{"validity and expires-soon boundary", test_validity},
                                        {"weak key and signature", test_weak},
                                        {"extended key usage", test_eku},
                                        {"chain-incomplete", test_chain},
                                        CU_TEST_INFO_NULL};
    unit_suite("lint", tests);
}
