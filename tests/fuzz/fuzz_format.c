/* libFuzzer harness for one reader, compiled once per format with
 * -DFUZZ_FORMAT="pem" (see CMakeLists.txt).  What it checks: whatever bytes
 * arrive, the reader returns (no crash, no sanitizer report, no leak), and an
 * error always carries a message naming the file.  When the reader accepts
 * the bytes, keys are paired and the same format's writer serializes the
 * store, so writers see odd-but-accepted stores too.
 *
 * Passwords: the corpus files use a handful of known passwords; the harness
 * tries them in order until one reads, so mutated copies of every seed family
 * get past the integrity check.  max_iterations is kept at 2048 (the OpenSSL
 * and keytool default for the seeds) so a mutated iteration count cannot
 * make one run take seconds; the cap's refusal path is exercised instead. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "secret.h"
#include "store.h"

#ifndef FUZZ_FORMAT
#error "compile with -DFUZZ_FORMAT=\"pem\" (or another format name)"
#endif

#define FUZZ_MAX_ITERATIONS 2048UL

/* Per format: the passwords its seed files use (fixtures: fixture-pass;
 * certigo: password; pyjks: 12345678; pysap: 1234567980). */
static const char *const pem_pw[] = {"fixture-pass", NULL};
static const char *const p12_pw[] = {"fixture-pass", "password", NULL};
static const char *const jks_pw[] = {"12345678", "password", NULL};
static const char *const pse_pw[] = {"1234567980", NULL};
static const char *const no_pw[] = {"", NULL};

static const psc_format *fmt;
static const char *const *passwords;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fmt = psc_format_by_name(FUZZ_FORMAT);
    if (fmt == NULL || fmt->read == NULL) {
        fprintf(stderr, "fuzz_%s: the %s reader is not built in\n", FUZZ_FORMAT, FUZZ_FORMAT);
        abort();
    }
    if (strcmp(FUZZ_FORMAT, "pem") == 0)
        passwords = pem_pw;
    else if (strcmp(FUZZ_FORMAT, "p12") == 0)
        passwords = p12_pw;
    else if (strcmp(FUZZ_FORMAT, "jks") == 0 || strcmp(FUZZ_FORMAT, "jceks") == 0)
        passwords = jks_pw;
    else if (strcmp(FUZZ_FORMAT, "pse") == 0 || strcmp(FUZZ_FORMAT, "pselist") == 0)
        passwords = pse_pw;
    else
        passwords = no_pw;
    return 0;
}

/* A failed read must say why, naming the file: an empty message or one
 * without the path is a bug the CLI would turn into a bare "pseconv: failed". */
static void check_error(int rc, const psc_err *e, const char *path)
{
    if (rc == PSC_OK)
        return;
    if (rc < 0 || rc > PSC_EOUTPUT || strstr(e->msg, path) == NULL) {
        fprintf(stderr, "fuzz_%s: error %d without the file name: '%s'\n", FUZZ_FORMAT, rc,
                e->msg);
        abort();
    }
}

static void write_back(psc_store *st, const psc_secret *pw)
{
    if (fmt->write == NULL)
        return;
    /* Two writer paths are left out because they only cost time, not
     * coverage of input handling: PEM key encryption (100000 PBKDF2 rounds
     * when a password is given) and JCEKS key sealing (200000 MD5 rounds). */
    static const psc_secret unset = {0};
    psc_write_opts wo = {0};
    wo.path = "fuzz-out";
    wo.password = strcmp(FUZZ_FORMAT, "pem") == 0 ? &unset : pw;
    wo.include_keys = strcmp(FUZZ_FORMAT, "jceks") != 0;
    psc_buf out;
    psc_buf_init(&out);
    psc_err e = {0};
    int rc = fmt->write(st, &out, &wo, &e);
    if (rc != PSC_OK && e.msg[0] == '\0') {
        fprintf(stderr, "fuzz_%s: writer returned %d without a message\n", FUZZ_FORMAT, rc);
        abort();
    }
    psc_buf_free(&out, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; passwords[i] != NULL; i++) {
        psc_secret pw = {0};
        if (psc_secret_set(&pw, passwords[i]) != 0)
            return 0;
        psc_read_opts ro = {0};
        ro.path = "fuzz-input";
        ro.password = &pw;
        ro.max_iterations = FUZZ_MAX_ITERATIONS;
        psc_store *st = psc_store_new();
        if (st == NULL) {
            psc_secret_clear(&pw);
            return 0;
        }
        psc_err e = {0};
        int rc = psc_read_buffer(st, data, size, fmt, &ro, NULL, &e);
        check_error(rc, &e, ro.path);
        if (rc == PSC_OK) {
            psc_err pe = {0};
            int prc = psc_store_pair_keys(st, &pe);
            check_error(prc, &pe, ro.path);
            if (prc == PSC_OK)
                write_back(st, &pw);
        }
        psc_store_free(st);
        psc_secret_clear(&pw);
        if (rc == PSC_OK)
            break;
    }
    return 0;
}
