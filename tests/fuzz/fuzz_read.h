/* One fuzz input through one reader, the way the CLI does it: read with the
 * seed families' passwords (first one that reads wins), pair keys, write the
 * same format back.  Shared by the libFuzzer harness (fuzz_format.c) and the
 * regression replay (tests/unit/test_regressions.c), so a kept crashing
 * input is replayed on exactly the code path that found it.
 *
 * Returns 0 when the reader behaved (read, or failed with a message naming
 * the file), -1 with `why` filled when it broke the error contract.  Memory
 * errors and leaks are the sanitizers' job. */
#ifndef PSC_FUZZ_READ_H
#define PSC_FUZZ_READ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "format.h"
#include "secret.h"
#include "store.h"
#include "keypair.h"

/* Cap for KDF iterations.  PKCS#12 and PSE: 128.  One key derivation at
 * the corpus files' 2048 (OpenSSL, keytool) or 10000 (sapgenpse) iterations
 * costs milliseconds and a PSE needs four, which held those two harnesses
 * at 300 executions a second; every input above the cap is now refused at
 * the count (the cap's own path), and scripts/fuzz.sh makes seeds at 64 to
 * 128 iterations (openssl pkcs12 -iter, tests/fuzz/make_pse_seeds) that
 * reach the decrypting code.  JKS has no count; JCEKS keeps 10000 so that
 * keytool's own key entries are still refused cheaply (200000). */
#define FUZZ_MAX_ITERATIONS 10000UL
#define FUZZ_CHEAP_ITERATIONS 128UL

static inline unsigned long fuzz_max_iterations(const char *fmt)
{
    if (strcmp(fmt, "p12") == 0 || strcmp(fmt, "pse") == 0)
        return FUZZ_CHEAP_ITERATIONS;
    return FUZZ_MAX_ITERATIONS;
}

#define FUZZ_PATH "fuzz-input"

/* The passwords of the seed files of a format (fixtures: fixture-pass;
 * certigo: password (p12, jceks); pyjks: 12345678; pysap: 1234567980). */
static inline const char *const *fuzz_passwords(const char *fmt)
{
    static const char *const pem[] = {"fixture-pass", NULL};
    static const char *const p12[] = {"fixture-pass", "password", NULL};
    static const char *const jks[] = {"12345678", NULL};
    static const char *const jceks[] = {"12345678", "password", NULL};
    static const char *const pse[] = {"1234567980", NULL};
    static const char *const none[] = {"", NULL};
    if (strcmp(fmt, "pem") == 0)
        return pem;
    if (strcmp(fmt, "p12") == 0)
        return p12;
    if (strcmp(fmt, "jks") == 0)
        return jks;
    if (strcmp(fmt, "jceks") == 0)
        return jceks;
    if (strcmp(fmt, "pse") == 0 || strcmp(fmt, "pselist") == 0)
        return pse;
    return none;
}

/* An error must have a code the CLI knows and a message naming the file. */
static inline int fuzz_check_error(int rc, const psc_err *e, const char *what, char *why,
                                   size_t n)
{
    if (rc == PSC_OK)
        return 0;
    if (rc < 0 || rc > PSC_EOUTPUT || strstr(e->msg, FUZZ_PATH) == NULL) {
        snprintf(why, n, "%s: error %d without the file name: '%s'", what, rc, e->msg);
        return -1;
    }
    return 0;
}

static inline int fuzz_write_back(const psc_format *fmt, psc_store *st, const psc_secret *pw,
                                  char *why, size_t n)
{
    if (fmt->write == NULL)
        return 0;
    /* Two writer paths are left out and one is cheapened because they cost
     * time, not coverage of input handling: PEM key encryption (100000
     * PBKDF2 rounds when a password is given), JCEKS key sealing (200000 MD5
     * rounds), PKCS#12 key derivation (2048 rounds, here 1). */
    static const psc_secret unset = {0};
    psc_write_opts wo = {0};
    wo.path = "fuzz-out";
    wo.password = strcmp(fmt->name, "pem") == 0 ? &unset : pw;
    wo.include_keys = strcmp(fmt->name, "jceks") != 0;
    wo.iterations = 1; /* PKCS#12: one round; the writer's cost is not what is fuzzed */
    psc_buf out;
    psc_buf_init(&out);
    psc_err e = {0};
    int rc = fmt->write(st, &out, &wo, &e);
    psc_buf_free(&out, 1);
    if (rc != PSC_OK && (rc < 0 || rc > PSC_EOUTPUT || e.msg[0] == '\0')) {
        snprintf(why, n, "writer: error %d without a message", rc);
        return -1;
    }
    return 0;
}

/* Integrity checks stop almost every mutation at the door (a flipped bit
 * anywhere fails the MAC), so the harness also reads a copy whose integrity
 * data is recomputed over the mutated bytes: JKS/JCEKS's trailing SHA-1
 * ("Mighty Aphrodite" digest), PKCS#12's HMAC (same digest, salt and
 * iterations, via OpenSSL).  Returns a malloc'd copy or NULL. */
static inline unsigned char *fuzz_fix_integrity(const char *fmt, const uint8_t *data, size_t size,
                                                const char *pw, size_t *out_len)
{
    if ((strcmp(fmt, "jks") == 0 || strcmp(fmt, "jceks") == 0) && size >= 20 + 12) {
        unsigned char *copy = malloc(size);
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        int ok = copy != NULL && md != NULL && EVP_DigestInit_ex(md, EVP_sha1(), NULL);
        for (const char *c = pw; ok && *c; c++) { /* ASCII passwords: UTF-16BE is 0, c */
            unsigned char u[2] = {0, (unsigned char)*c};
            ok = EVP_DigestUpdate(md, u, 2);
        }
        ok = ok && EVP_DigestUpdate(md, "Mighty Aphrodite", 16) &&
             EVP_DigestUpdate(md, data, size - 20);
        if (ok) {
            memcpy(copy, data, size - 20);
            ok = EVP_DigestFinal_ex(md, copy + size - 20, NULL);
        }
        EVP_MD_CTX_free(md);
        if (!ok) {
            free(copy);
            return NULL;
        }
        *out_len = size;
        return copy;
    }
    if (strcmp(fmt, "p12") != 0 || size > 0x7fffffff)
        return NULL;
    const unsigned char *p = data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)size);
    const ASN1_OCTET_STRING *salt = NULL;
    const X509_ALGOR *alg = NULL;
    const ASN1_INTEGER *iter = NULL;
    const ASN1_OBJECT *obj = NULL;
    unsigned char *out = NULL;
    if (p12 != NULL && PKCS12_mac_present(p12)) {
        PKCS12_get0_mac(NULL, &alg, &salt, &iter, p12);
        X509_ALGOR_get0(&obj, NULL, NULL, alg);
        long it = iter ? ASN1_INTEGER_get(iter) : 1;
        const EVP_MD *md = obj ? EVP_get_digestbyobj(obj) : NULL;
        int len = 0, slen = salt ? ASN1_STRING_length(salt) : 0;
        /* a copy: PKCS12_set_mac frees the old MacData, salt included */
        unsigned char *s = slen > 0 ? malloc((size_t)slen) : NULL;
        if (s != NULL)
            memcpy(s, ASN1_STRING_get0_data(salt), (size_t)slen);
        if (md != NULL && it > 0 && it <= (long)fuzz_max_iterations("p12") && s != NULL &&
            PKCS12_set_mac(p12, pw, -1, s, slen, (int)it, md) &&
            (len = i2d_PKCS12(p12, &out)) > 0)
            *out_len = (size_t)len;
        else if (out) {
            OPENSSL_free(out);
            out = NULL;
        }
        free(s);
    }
    PKCS12_free(p12);
    ERR_clear_error();
    if (out == NULL)
        return NULL;
    unsigned char *copy = malloc(*out_len); /* callers free() */
    if (copy)
        memcpy(copy, out, *out_len);
    OPENSSL_free(out);
    return copy;
}

/* *did_read (may be NULL) is set to 1 when some password read the input. */
static inline int fuzz_read_with(const psc_format *fmt, const uint8_t *data, size_t size,
                                 const char *password, int *did_read, char *why, size_t n)
{
    psc_secret pw = {0};
    psc_store *st = psc_store_new();
    *did_read = 0;
    if (st == NULL || psc_secret_set(&pw, password) != 0) {
        psc_store_free(st);
        psc_secret_clear(&pw);
        return 0;
    }
    psc_read_opts ro = {0};
    ro.path = FUZZ_PATH;
    ro.password = &pw;
    ro.max_iterations = fuzz_max_iterations(fmt->name);
    psc_err e = {0};
    int rc = psc_read_buffer(st, data, size, fmt, &ro, NULL, &e);
    int bad = fuzz_check_error(rc, &e, "reader", why, n) != 0;
    if (rc == PSC_OK && !bad) {
        psc_err pe = {0};
        int prc = psc_store_pair_keys(st, &pe);
        bad = fuzz_check_error(prc, &pe, "pairing", why, n) != 0;
        if (prc == PSC_OK && !bad)
            bad = fuzz_write_back(fmt, st, &pw, why, n) != 0;
    }
    psc_store_free(st);
    psc_secret_clear(&pw);
    *did_read = rc == PSC_OK;
    return bad ? -1 : 0;
}

/* *did_read (may be NULL) is set to 1 when some password read the bytes as
 * given (not only their integrity-fixed copy).  Per password: the bytes as
 * given, then their integrity-fixed copy; the first password that reads
 * either ends the loop (a mutant of a seed almost never reads as given, and
 * trying every password on both forms doubled the cost of JCEKS and p12). */
static inline int fuzz_read_one(const psc_format *fmt, const uint8_t *data, size_t size,
                                int *did_read, char *why, size_t n)
{
    const char *const *pws = fuzz_passwords(fmt->name);
    int as_given = 0, fixed_ok = 0, bad = 0;
    for (size_t i = 0; pws[i] != NULL && !fixed_ok && !bad; i++) {
        bad = fuzz_read_with(fmt, data, size, pws[i], &as_given, why, n) != 0;
        if (as_given || bad)
            break;
        size_t fixed_len = 0;
        unsigned char *fixed = fuzz_fix_integrity(fmt->name, data, size, pws[i], &fixed_len);
        if (fixed == NULL)
            continue;
        bad = fuzz_read_with(fmt, fixed, fixed_len, pws[i], &fixed_ok, why, n) != 0;
        free(fixed);
    }
    if (did_read)
        *did_read = as_given;
    return bad ? -1 : 0;
}

#endif
