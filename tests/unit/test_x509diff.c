/* Issue 17's differential check (tests/x509diff.h) on every certificate
 * under fixtures/ (with fixtures/third-party/) and on the unusual ones
 * tests/e2e/certgen.py builds: the DER walk and d2i_X509 (PSC_NOLITE) must
 * accept the same inputs and agree on every fact. */
#define _XOPEN_SOURCE 700
#include "unit.h"
#include "format.h"
#include "../x509diff.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static size_t compared, files_read, disagreements;

static void diff_der(const char *what, const unsigned char *der, size_t len)
{
    char why[1024];
    compared++;
    if (x509diff_one(der, len, why, sizeof why) != 0) {
        disagreements++;
        fprintf(stderr, "\n  %s: %s", what, why);
    }
}

/* Every certificate a reader finds in the file (the fixtures' passwords
 * tried in turn), each compared as DER. */
static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    static const char *const passwords[] = {"", "fixture-pass", "password", "12345678",
                                            "1234567980"};
    if (type != FTW_F)
        return 0;
    for (size_t k = 0; k < sizeof passwords / sizeof passwords[0]; k++) {
        psc_store *st = psc_store_new();
        psc_secret pw = {0};
        psc_err e = {0};
        if (st == NULL || psc_secret_set(&pw, passwords[k]) != 0) {
            psc_store_free(st);
            return 1;
        }
        psc_read_opts ro = {.path = path, .password = &pw};
        int rc = psc_read_file(st, path, NULL, &ro, NULL, &e);
        psc_secret_clear(&pw);
        size_t n = psc_store_cert_count(st);
        if (rc == PSC_OK || n > 0) {
            if (n > 0)
                files_read++;
            for (size_t i = 0; i < n; i++) {
                const psc_cert *c = psc_store_cert(st, i);
                diff_der(path, c->der, c->der_len);
            }
            psc_store_free(st);
            break;
        }
        psc_store_free(st);
    }
    ERR_clear_error();
    return 0;
}

static void test_fixtures_both_paths(void)
{
    compared = files_read = disagreements = 0;
    CU_ASSERT_EQUAL(nftw(unit_fixture(""), visit, 16, FTW_PHYS), 0);
    /* fixtures/pki, certigo, pyjks, pysap-pse: well over a hundred */
    CU_ASSERT(files_read >= 80);
    CU_ASSERT(compared >= 130);
    CU_ASSERT_EQUAL(disagreements, 0);
    printf(" (%zu certificates from %zu files) ", compared, files_read);
}

/* The certgen corpus: every case, valid or not, and each file as it is. */
static void test_certgen_both_paths(void)
{
    char cmd[4096], dir[1024];
    snprintf(dir, sizeof dir, "%s/certgen", unit_tmpdir());
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/../tests/e2e/certgen.py' corpus '%s'",
             unit_fixture(""), dir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    compared = disagreements = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        psc_buf b = {0};
        if (unit_read(path, &b) == 0)
            diff_der(de->d_name, b.data, b.len);
        psc_buf_free(&b, 0);
    }
    closedir(d);
    CU_ASSERT(compared >= 60);
    CU_ASSERT_EQUAL(disagreements, 0);
}

/* A certificate whose notBefore is the given raw Time (tag: V_ASN1_UTCTIME
 * or V_ASN1_GENERALIZEDTIME), however wrong its content: DER in *der. */
static int cert_with_time(EVP_PKEY *key, int tag, const char *when, unsigned char **der)
{
    X509 *x = X509_new();
    ASN1_STRING *t = ASN1_STRING_type_new(tag);
    X509_NAME *n = X509_NAME_new();
    int len = -1;
    if (x != NULL && t != NULL && n != NULL &&
        ASN1_STRING_set(t, when, (int)strlen(when)) == 1 && X509_set_version(x, 2) == 1 &&
        ASN1_INTEGER_set(X509_get_serialNumber(x), 7) == 1 &&
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"time", -1, -1,
                                   0) == 1 &&
        X509_set_subject_name(x, n) == 1 && X509_set_issuer_name(x, n) == 1 &&
        X509_set1_notBefore(x, t) == 1 && X509_gmtime_adj(X509_getm_notAfter(x), 0) != NULL &&
        X509_set_pubkey(x, key) == 1 && X509_sign(x, key, EVP_sha256()) > 0)
        len = i2d_X509(x, der);
    X509_free(x);
    ASN1_STRING_free(t);
    X509_NAME_free(n);
    return len;
}

/* Times as nearly every certificate writes them are read without OpenSSL
 * (certfacts.c time_fast); every other form, and every refused value, goes
 * to ASN1_TIME_to_tm.  Both paths agree, and the values are the calendar's. */
static void test_time_forms(void)
{
    static const struct {
        int tag;
        const char *when;
        long long want; /* seconds since 1970; INVALID: refused */
    } cases[] = {
#define INVALID -1LL
        {V_ASN1_UTCTIME, "240229120000Z", 1709208000LL},   /* leap day (day > 28: OpenSSL) */
        {V_ASN1_UTCTIME, "260229000000Z", INVALID},        /* 2026 has no 29 February */
        {V_ASN1_UTCTIME, "491231235959Z", 2524607999LL},   /* YY < 50: 20YY */
        {V_ASN1_UTCTIME, "500101000000Z", -631152000LL},   /* YY >= 50: 19YY */
        {V_ASN1_UTCTIME, "261228083015Z", 1798446615LL},
        {V_ASN1_GENERALIZEDTIME, "20261228083015Z", 1798446615LL},
        {V_ASN1_GENERALIZEDTIME, "99991231235959Z", 253402300799LL},
        {V_ASN1_GENERALIZEDTIME, "00010101000000Z", -62135596800LL},
        {V_ASN1_GENERALIZEDTIME, "21000301000000Z", 4107542400LL},
        {V_ASN1_UTCTIME, "261228243015Z", INVALID},        /* hour 24 */
        {V_ASN1_UTCTIME, "261228086015Z", INVALID},        /* minute 60 */
        {V_ASN1_UTCTIME, "261228083060Z", INVALID},        /* second 60 */
        {V_ASN1_UTCTIME, "261328083015Z", INVALID},        /* month 13 */
        {V_ASN1_UTCTIME, "261200083015Z", INVALID},        /* day 0 */
        {V_ASN1_UTCTIME, "2612280830 5Z", INVALID},        /* not a digit */
        {V_ASN1_UTCTIME, "261228083015", INVALID},         /* no Z */
        {V_ASN1_UTCTIME, "2612280830Z", 0},                /* no seconds: OpenSSL decides */
        {V_ASN1_UTCTIME, "261228083015+0100", 0},          /* offset: OpenSSL decides */
        {V_ASN1_GENERALIZEDTIME, "20261228083015.5Z", 0},  /* fraction: OpenSSL decides */
        {V_ASN1_GENERALIZEDTIME, "261228083015Z", INVALID}, /* a UTCTime's form, wrong tag */
    };
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char *der = NULL;
        int len = cert_with_time(key, cases[i].tag, cases[i].when, &der);
        CU_ASSERT_FATAL(len > 0);
        char why[1024];
        if (x509diff_one(der, (size_t)len, why, sizeof why) != 0) {
            CU_FAIL("walk and d2i_X509 disagree on a Time");
            fprintf(stderr, "\n  %s: %s", cases[i].when, why);
        }
        psc_store *st = psc_store_new();
        psc_err e = {0};
        psc_cert *c = psc_store_add_cert_der(st, der, (size_t)len, cases[i].when, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        if (cases[i].want == INVALID) {
            CU_ASSERT_EQUAL(c->not_before_invalid, 1);
        } else if (cases[i].want != 0) {
            CU_ASSERT_EQUAL(c->not_before_invalid, 0);
            CU_ASSERT_EQUAL((long long)c->not_before, cases[i].want);
            if ((long long)c->not_before != cases[i].want)
                fprintf(stderr, "\n  %s: %lld", cases[i].when, (long long)c->not_before);
        }
        psc_store_free(st);
        OPENSSL_free(der);
    }
#undef INVALID
    EVP_PKEY_free(key);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"fixtures: walk and d2i_X509 agree", test_fixtures_both_paths},
        {"certgen cases: walk and d2i_X509 agree", test_certgen_both_paths},
        {"Time forms: fast reading, OpenSSL's, the calendar's values", test_time_forms},
        {NULL, NULL},
    };
    unit_suite("x509diff", tests);
}
