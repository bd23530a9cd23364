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

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"fixtures: walk and d2i_X509 agree", test_fixtures_both_paths},
        {"certgen cases: walk and d2i_X509 agree", test_certgen_both_paths},
        {NULL, NULL},
    };
    unit_suite("x509diff", tests);
}
