#include "unit.h"

#include <CUnit/Basic.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[256];

static void cleanup(void)
{
    if (tmpdir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

const char *unit_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/pseconv-unit-XXXXXX");
        if (mkdtemp(tmpdir) == NULL) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(cleanup);
    }
    return tmpdir;
}

static const char *join(const char *env, const char *fallback, const char *rel)
{
    static char path[4096];
    const char *base = getenv(env);
    snprintf(path, sizeof path, "%s/%s", base ? base : fallback, rel);
    return path;
}

const char *unit_fixture(const char *rel) { return join("PSECONV_FIXTURES", "fixtures", rel); }
const char *unit_corpus(const char *rel) { return join("PSECONV_CORPUS", "fixtures/third-party", rel); }

int unit_read(const char *path, psc_buf *b)
{
    psc_err e = {0};
    psc_buf_init(b);
    if (psc_buf_read_file(b, path, 1u << 30, &e) != PSC_OK) {
        fprintf(stderr, "unit_read: %s\n", e.msg);
        CU_FAIL("cannot read test input");
        return -1;
    }
    return 0;
}

size_t unit_openssl_fps(const char *path, unsigned char fps[][32], size_t max)
{
    BIO *bio = BIO_new_file(path, "r");
    size_t n = 0;
    X509 *x;
    CU_ASSERT_PTR_NOT_NULL_FATAL(bio);
    while (n < max && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        unsigned int mdlen;
        CU_ASSERT(X509_digest(x, EVP_sha256(), fps[n], &mdlen) == 1);
        X509_free(x);
        n++;
    }
    ERR_clear_error();
    BIO_free(bio);
    return n;
}

void unit_suite(const char *name, const CU_TestInfo *tests)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    for (; s && tests->pName; tests++)
        CU_add_test(s, tests->pName, tests->pTestFunc);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    unit_register();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed == 0 && run > 0 ? 0 : 1;
}
