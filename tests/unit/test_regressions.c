/* Replays every input the fuzzers ever crashed on (tests/fuzz/regressions/
 * <format>/, and .../landscape/) on the exact code path of the harness
 * (tests/fuzz/fuzz_read.h, fuzz_plan.h): read with the seed passwords, pair,
 * write back; landscapes through loader, planner and renderers.  Each must
 * now end in a read or in an error naming the file.  Run under the
 * sanitizer build, a returning memory bug is a failure here too. */
#include "unit.h"
#include "../fuzz/fuzz_read.h"
#include "../fuzz/fuzz_plan.h"
#include "../pse_build.h"
#include "planner.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/pem.h>

static char regressions_dir[1024];

static const char *regressions(void)
{
    /* PSECONV_FIXTURES is <source>/fixtures; the inputs live in the source tree. */
    snprintf(regressions_dir, sizeof regressions_dir, "%s/../tests/fuzz/regressions",
             unit_fixture("."));
    return regressions_dir;
}

/* Calls fn(format_dir_name, file_path) for every regular file; returns the count. */
static size_t each_input(const char *sub, void (*fn)(const char *, const char *))
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/%s", regressions(), sub);
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1500];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        fn(sub, path);
        n++;
    }
    closedir(d);
    return n;
}

static void replay_format(const char *fmt_name, const char *path)
{
    const psc_format *fmt = psc_format_by_name(fmt_name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fmt);
    psc_buf b;
    psc_buf_init(&b);
    if (unit_read(path, &b) != 0)
        return;
    char why[PSC_MSG_MAX + 64] = "";
    int rc = fuzz_read_one(fmt, b.data, b.len, NULL, why, sizeof why);
    if (rc != 0)
        fprintf(stderr, "\n%s: %s\n", path, why);
    CU_ASSERT_EQUAL(rc, 0);
    psc_buf_free(&b, 1);
}

static const char *const formats[] = {"pem", "der", "p7b", "p12", "jks", "jceks", "pse",
                                      "pselist"};

static void test_format_regressions(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        n += each_input(formats[i], replay_format);
    printf("(%zu inputs) ", n);
}

/* The folders under regressions/ are formats the registry reads (or
 * "landscape"): a misspelt folder would silently never be replayed. */
static void test_folder_names(void)
{
    DIR *d = opendir(regressions());
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[1500];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", regressions(), de->d_name);
        if (de->d_name[0] == '.' || stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
            continue; /* README.md */
        const psc_format *f = psc_format_by_name(de->d_name);
        int known = strcmp(de->d_name, "landscape") == 0 || (f && f->read &&
                                                              strcmp(f->name, de->d_name) == 0);
        if (!known)
            fprintf(stderr, "\nunknown regressions folder '%s'\n", de->d_name);
        CU_ASSERT_TRUE(known);
    }
    closedir(d);
}

/* Landscapes are replayed from <tmp>/landscape/x.ini with <tmp>/pki linked
 * to fixtures/pki, like the harness, so "../pki/..." paths resolve. */
static char ls_tmp[1024];

static void replay_landscape(const char *sub, const char *path)
{
    (void)sub;
    char ini[1200];
    snprintf(ini, sizeof ini, "%s/landscape/replay.ini", ls_tmp);
    psc_buf b;
    psc_buf_init(&b);
    if (unit_read(path, &b) != 0)
        return;
    FILE *f = fopen(ini, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(b.len ? fwrite(b.data, 1, b.len, f) : 0, b.len);
    fclose(f);
    psc_buf_free(&b, 0);
    char why[128] = "";
    int rc = fuzz_plan_one(ini, why, sizeof why);
    if (rc != 0)
        fprintf(stderr, "\n%s: %s\n", path, why);
    CU_ASSERT_EQUAL(rc, 0);
    unlink(ini);
}

static void test_landscape_regressions(void)
{
    snprintf(ls_tmp, sizeof ls_tmp, "%s/ls", unit_tmpdir());
    char p[1200], pki[PATH_MAX];
    CU_ASSERT_EQUAL_FATAL(mkdir(ls_tmp, 0700), 0);
    snprintf(p, sizeof p, "%s/landscape", ls_tmp);
    CU_ASSERT_EQUAL_FATAL(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/pki", ls_tmp);
    /* absolute: the link lives elsewhere */
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(unit_fixture("pki"), pki));
    CU_ASSERT_EQUAL_FATAL(symlink(pki, p), 0);
    /* The seed landscape itself must plan: otherwise the replay proves nothing. */
    snprintf(p, sizeof p, "%s/landscape/seed.ini", ls_tmp);
    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("landscape/landscape.ini"), &b), 0);
    FILE *f = fopen(p, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(b.data, 1, b.len, f);
    fclose(f);
    psc_buf_free(&b, 0);
    psc_plan *plan = NULL;
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_plan_load_and_run(p, (time_t)1798761600, &plan, &e), PSC_OK);
    CU_ASSERT_TRUE(plan != NULL && plan->nsteps > 0);
    psc_plan_free(plan);
    unlink(p);
    size_t n = each_input("landscape", replay_landscape);
    printf("(%zu inputs) ", n);
    snprintf(p, sizeof p, "%s/pki", ls_tmp);
    unlink(p);
    snprintf(p, sizeof p, "%s/landscape", ls_tmp);
    rmdir(p);
    rmdir(ls_tmp);
}

/* A PKCS#12 at 64 iterations made by OpenSSL itself (PKCS12_create_ex,
 * AES-256 + SHA-256 MAC), as scripts/fuzz.sh seeds the p12 harness. */
static void low_iteration_p12(psc_buf *out)
{
    FILE *f = fopen(unit_fixture("pki/erp-client.key"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(unit_fixture("pki/erp-client.crt"), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    CU_ASSERT_FATAL(key != NULL && cert != NULL);
    PKCS12 *p12 = PKCS12_create_ex("fixture-pass", "erp-client", key, cert, NULL, 0, 0, 64, 64, 0,
                                   NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p12);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    CU_ASSERT_FATAL(n > 0);
    psc_buf_init(out);
    CU_ASSERT_EQUAL_FATAL(psc_buf_append(out, der, (size_t)n), 0);
    OPENSSL_free(der);
    PKCS12_free(p12);
    X509_free(cert);
    EVP_PKEY_free(key);
}

/* The corpus PSE's content re-encrypted at 128 iterations (v2, PIN
 * 1234567980), as tests/fuzz/make_pse_seeds seeds the pse harness. */
static void low_iteration_pse(psc_buf *out)
{
    psc_buf plain;
    const unsigned char *c = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(
        unit_read(unit_corpus("pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse"), &plain), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_v2_content(plain.data, plain.len, &c, &n), 0);
    CU_ASSERT_EQUAL_FATAL(pse_build_make_v2(c, n, "1234567980", 128, out), 0);
    psc_buf_free(&plain, 0);
}

/* did_read of the bytes on the harness path (which itself must not fail). */
static int harness_reads(const char *fmt, const psc_buf *b)
{
    int did_read = 0;
    char why[PSC_MSG_MAX + 64] = "";
    CU_ASSERT_EQUAL(
        fuzz_read_one(psc_format_by_name(fmt), b->data, b->len, &did_read, why, sizeof why), 0);
    return did_read;
}

/* The replay path itself must still reach the readers' depths: every seed
 * family's original file reads with the harness's passwords.  PKCS#12 and
 * PSE files at their makers' 2048 / 10000 iterations are over the harness's
 * cheap cap (128) and refused at the count; their low-iteration twins read. */
static void test_seed_families_read(void)
{
    static const struct {
        const char *fmt, *file;
        int corpus, reads;
    } seeds[] = {
        {"pem", "pki/erp-client-keychain.pem", 0, 1},
        {"der", "pki/erp-client.der", 0, 1},
        {"p7b", "pki/hci-client-chain.p7b", 0, 1},
        {"p12", "pki/erp-client.p12", 0, 0},
        {"p12", "certigo/example-leaf.p12", 1, 0},
        {"jks", "pyjks/jks/RSA1024.jks", 1, 1},
        {"jceks", "pyjks/jceks/RSA1024.jceks", 1, 1},
        {"jceks", "certigo/example-leaf.jceks", 1, 1},
        {"pse", "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1.pse", 1, 0},
        {"pse", "pysap-pse/pse_v2_lps_off_pbes1_3des_sha1_plain.pse", 1, 1},
    };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        psc_buf b;
        psc_buf_init(&b);
        const char *path = seeds[i].corpus ? unit_corpus(seeds[i].file)
                                           : unit_fixture(seeds[i].file);
        CU_ASSERT_EQUAL_FATAL(unit_read(path, &b), 0);
        int did_read = harness_reads(seeds[i].fmt, &b);
        if (did_read != seeds[i].reads)
            fprintf(stderr, "\n%s: read as %s %d, expected %d\n", path, seeds[i].fmt, did_read,
                    seeds[i].reads);
        CU_ASSERT_EQUAL(did_read, seeds[i].reads);
        psc_buf_free(&b, 1);
    }
    psc_buf b;
    low_iteration_p12(&b);
    CU_ASSERT_TRUE(harness_reads("p12", &b)); /* PKCS12_create_ex at 64 iterations */
    psc_buf_free(&b, 1);
    low_iteration_pse(&b);
    CU_ASSERT_TRUE(harness_reads("pse", &b)); /* v2 PSE at 128 iterations */
    psc_buf_free(&b, 1);
}

/* Reads bytes with one password on the harness path; returns did_read. */
static int reads(const char *fmt, const unsigned char *d, size_t n, const char *pw)
{
    int ok = 0;
    char why[PSC_MSG_MAX + 64] = "";
    CU_ASSERT_EQUAL(fuzz_read_with(psc_format_by_name(fmt), d, n, pw, &ok, why, sizeof why), 0);
    return ok;
}

/* The harness gets past integrity checks: a JKS with a changed alias byte
 * and a PKCS#12 with a damaged MAC are refused as they are, and read once
 * fuzz_fix_integrity() has recomputed the digest / MAC. */
static void test_integrity_fixup(void)
{
    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_corpus("pyjks/jks/3certs.jks"), &b), 0);
    /* first entry: tag (4) at 12, alias length (2) at 16, alias at 18 */
    CU_ASSERT_EQUAL_FATAL(b.data[16], 0);
    CU_ASSERT_TRUE_FATAL(b.data[17] > 0 && b.len > 40);
    b.data[18] ^= 0x01;
    CU_ASSERT_FALSE(reads("jks", b.data, b.len, "12345678"));
    size_t fl = 0;
    unsigned char *fixed = fuzz_fix_integrity("jks", b.data, b.len, "12345678", &fl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
    CU_ASSERT_EQUAL(fl, b.len);
    CU_ASSERT_TRUE(reads("jks", fixed, fl, "12345678"));
    free(fixed);
    psc_buf_free(&b, 0);

    low_iteration_p12(&b);
    const unsigned char *p = b.data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)b.len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p12);
    const ASN1_OCTET_STRING *mac = NULL;
    PKCS12_get0_mac(&mac, NULL, NULL, NULL, p12);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mac);
    unsigned char *at = memmem(b.data, b.len, ASN1_STRING_get0_data(mac),
                               (size_t)ASN1_STRING_length(mac));
    PKCS12_free(p12);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    at[0] ^= 0x80;
    CU_ASSERT_FALSE(reads("p12", b.data, b.len, "fixture-pass"));
    fixed = fuzz_fix_integrity("p12", b.data, b.len, "fixture-pass", &fl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fixed);
    CU_ASSERT_TRUE(reads("p12", fixed, fl, "fixture-pass"));
    free(fixed);
    psc_buf_free(&b, 0);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"regression folders are readable formats", test_folder_names},
        {"seed families read on the harness path", test_seed_families_read},
        {"harness gets past JKS digest and PKCS#12 MAC", test_integrity_fixup},
        {"format regressions replay cleanly", test_format_regressions},
        {"landscape regressions replay cleanly", test_landscape_regressions},
        {NULL, NULL},
    };
    unit_suite("fuzz regressions", tests);
}
