/* The differential check of issue 17, shared by the libFuzzer harness
 * fuzz_x509diff and unit.test_x509diff: one input read into a store twice,
 * once with the DER walk (x509lite.c, d2i_X509 only as its fallback) and
 * once with every fact from d2i_X509 (PSC_NOLITE), and the two must agree
 * on accepting it and on every fact the store keeps.  The reference is
 * itself checked against OpenSSL: its SHA-256 is X509_digest's.  (With
 * PSC_NOLITE the store decodes every input with d2i_X509, so "accepted"
 * there is OpenSSL's own verdict.)
 *
 * x509diff_one() returns 0 when they agree, else -1 with the first
 * difference in why ("self_signed: lite 1, openssl 0"). */
#ifndef PSC_TEST_X509DIFF_H
#define PSC_TEST_X509DIFF_H

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "certfacts.h"
#include "store.h"

static int x509diff_str(char *why, size_t n, const char *what, const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 0;
    snprintf(why, n, "%s: lite \"%s\", openssl \"%s\"", what, a, b);
    return -1;
}

static int x509diff_int(char *why, size_t n, const char *what, long long a, long long b)
{
    if (a == b)
        return 0;
    snprintf(why, n, "%s: lite %lld, openssl %lld", what, a, b);
    return -1;
}

static int x509diff_bytes(char *why, size_t n, const char *what, const unsigned char *a,
                          size_t al, const unsigned char *b, size_t bl)
{
    if ((a == NULL) == (b == NULL) && (a == NULL || (al == bl && memcmp(a, b, al) == 0)))
        return 0;
    snprintf(why, n, "%s: lite %s (%zu bytes), openssl %s (%zu bytes)", what,
             a ? "present" : "absent", al, b ? "present" : "absent", bl);
    return -1;
}

/* Every fact psc_cert holds, lite (a) against OpenSSL (b). */
static int x509diff_facts(const psc_cert *a, const psc_cert *b, char *why, size_t n)
{
    return x509diff_str(why, n, "sha256", a->sha256_hex, b->sha256_hex) ||
                   x509diff_str(why, n, "subject", a->subject, b->subject) ||
                   x509diff_str(why, n, "issuer", a->issuer, b->issuer) ||
                   x509diff_int(why, n, "subject_hash", a->subject_hash, b->subject_hash) ||
                   x509diff_int(why, n, "issuer_hash", a->issuer_hash, b->issuer_hash) ||
                   x509diff_int(why, n, "subject == issuer",
                                psc_name_eq(a->subject_name, a->issuer_name),
                                psc_name_eq(b->subject_name, b->issuer_name)) ||
                   x509diff_str(why, n, "serial", a->serial_hex, b->serial_hex) ||
                   x509diff_int(why, n, "not_before", (long long)a->not_before,
                                (long long)b->not_before) ||
                   x509diff_int(why, n, "not_after", (long long)a->not_after,
                                (long long)b->not_after) ||
                   x509diff_int(why, n, "not_before_invalid", a->not_before_invalid,
                                b->not_before_invalid) ||
                   x509diff_int(why, n, "not_after_invalid", a->not_after_invalid,
                                b->not_after_invalid) ||
                   x509diff_str(why, n, "key_type", a->key_type, b->key_type) ||
                   x509diff_int(why, n, "key_bits", a->key_bits, b->key_bits) ||
                   x509diff_str(why, n, "curve", a->curve, b->curve) ||
                   x509diff_int(why, n, "key_invalid", a->key_invalid, b->key_invalid) ||
                   x509diff_str(why, n, "signature", a->sig_alg, b->sig_alg) ||
                   x509diff_int(why, n, "is_ca", a->is_ca, b->is_ca) ||
                   x509diff_int(why, n, "self_signed", a->self_signed, b->self_signed) ||
                   x509diff_int(why, n, "has_eku", a->has_eku, b->has_eku) ||
                   x509diff_int(why, n, "eku_client", a->eku_client, b->eku_client) ||
                   x509diff_int(why, n, "eku_server", a->eku_server, b->eku_server) ||
                   x509diff_bytes(why, n, "ski", a->ski, a->ski_len, b->ski, b->ski_len) ||
                   x509diff_bytes(why, n, "aki", a->aki, a->aki_len, b->aki, b->aki_len) ||
                   x509diff_int(why, n, "noncanonical", a->noncanonical, b->noncanonical) ||
                   x509diff_bytes(why, n, "der", a->der, a->der_len, b->der, b->der_len)
               ? -1
               : 0;
}

/* OpenSSL's own fingerprint of the certificate the store decoded
 * (X509_digest re-encodes it), or 0 when OpenSSL refuses it. */
static int x509diff_openssl_sha256(const psc_cert *c, unsigned char md[32])
{
    X509 *x = psc_cert_x509(c);
    unsigned int mdlen = 0;
    int ok = x != NULL && X509_digest(x, EVP_sha256(), md, &mdlen) == 1 && mdlen == 32;
    ERR_clear_error();
    return ok;
}

static int x509diff_one(const unsigned char *data, size_t size, char *why, size_t n)
{
    psc_store *lite = psc_store_new(), *ref = psc_store_new();
    psc_err e1, e2;
    memset(&e1, 0, sizeof e1);
    memset(&e2, 0, sizeof e2);
    int rc = -1;
    if (lite == NULL || ref == NULL) {
        snprintf(why, n, "out of memory");
        goto done;
    }
    psc_certfacts_set_lite(1);
    psc_cert *a = psc_store_add_cert_der(lite, data, size, "input", &e1);
    psc_certfacts_set_lite(0);
    psc_cert *b = psc_store_add_cert_der(ref, data, size, "input", &e2);
    psc_certfacts_set_lite(1);
    unsigned char md[32];
    if ((a != NULL) != (b != NULL)) {
        snprintf(why, n, "accept: lite %d, openssl %d (%.200s%.200s)", a != NULL, b != NULL,
                 e1.msg, e2.msg);
    } else if (b != NULL && !x509diff_openssl_sha256(b, md)) {
        snprintf(why, n, "accept: the store took what d2i_X509 refuses");
    } else if (b != NULL && memcmp(b->sha256, md, 32) != 0) {
        snprintf(why, n, "sha256: store %s differs from X509_digest", b->sha256_hex);
    } else if (a == NULL || x509diff_facts(a, b, why, n) == 0) {
        rc = 0;
    }
done:
    psc_store_free(lite);
    psc_store_free(ref);
    ERR_clear_error();
    return rc;
}

#endif
