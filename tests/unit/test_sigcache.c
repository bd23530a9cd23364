/* The signature-verification memo (src/core/sigcache.c): answers must be the
 * ones OpenSSL gives directly, the first time and when answered from the
 * memo, across stores, and never mixed up between "self-signed" and
 * "signed by", or between a certificate and a tampered copy of it. */
#include "unit.h"
#include "sigcache.h"
#include "store.h"
#include "chain.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static psc_cert *add_der(psc_store *st, const unsigned char *der, size_t len)
{
    psc_err e = {0};
    psc_cert *c = psc_store_add_cert_der(st, der, len, "test", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

/* DER of a fixture certificate (caller frees with OPENSSL_free). */
static int fixture_der(const char *name, unsigned char **der)
{
    BIO *b = BIO_new_file(unit_fixture(name), "r");
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    *der = NULL;
    int n = i2d_X509(x, der);
    X509_free(x);
    CU_ASSERT_FATAL(n > 0);
    return n;
}

static void test_same_answers_as_openssl(void)
{
    unsigned char *root_der, *iss_der, *leaf_der;
    int rn = fixture_der("pki/corp-root.crt", &root_der);
    int in = fixture_der("pki/corp-issuing.crt", &iss_der);
    int ln = fixture_der("pki/erp-client.crt", &leaf_der);
    /* The same signature with one bit of the signature value flipped. */
    unsigned char *bad_der = OPENSSL_memdup(leaf_der, (size_t)ln);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad_der);
    bad_der[ln - 5] ^= 0x01;

    for (int round = 0; round < 2; round++) { /* second round: separate store, memo hits */
        psc_store *st = psc_store_new();
        psc_cert *root = add_der(st, root_der, (size_t)rn);
        psc_cert *iss = add_der(st, iss_der, (size_t)in);
        psc_cert *leaf = add_der(st, leaf_der, (size_t)ln);
        psc_cert *bad = add_der(st, bad_der, (size_t)ln);

        CU_ASSERT_EQUAL(root->self_signed, X509_self_signed(psc_cert_x509(root), 1) == 1);
        CU_ASSERT_TRUE(root->self_signed);
        CU_ASSERT_FALSE(iss->self_signed);
        CU_ASSERT_FALSE(leaf->self_signed);

        CU_ASSERT_TRUE(psc_cert_signed_by(iss, root));
        CU_ASSERT_TRUE(psc_cert_signed_by(leaf, iss));
        CU_ASSERT_FALSE(psc_cert_signed_by(bad, iss)); /* tampered: a different memo key */
        CU_ASSERT_FALSE(psc_cert_signed_by(leaf, root));
        CU_ASSERT_FALSE(psc_cert_signed_by(iss, leaf));
        /* "signed by itself" is a plain verification, distinct from the
         * self-signed memo entry of the same certificate. */
        CU_ASSERT_TRUE(psc_sigcache_signed_by(root, root));
        CU_ASSERT_FALSE(psc_sigcache_signed_by(iss, iss));
        CU_ASSERT_FALSE(psc_sigcache_self_signed(iss));
        CU_ASSERT_TRUE(psc_sigcache_self_signed(root));
        psc_store_free(st);
    }
    OPENSSL_free(root_der);
    OPENSSL_free(iss_der);
    OPENSSL_free(leaf_der);
    OPENSSL_free(bad_der);
}

/* A self-issued certificate whose signature does not verify is not
 * self-signed, also when its intact twin was memoized first: the store
 * marks it self-issued (self_signed: names match, nothing verified at
 * insertion), but its chain is not complete. */
static void test_tampered_self_signed(void)
{
    unsigned char *der;
    int n = fixture_der("pki/erp-selfsigned.crt", &der);
    unsigned char *bad = OPENSSL_memdup(der, (size_t)n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
    bad[n - 3] ^= 0x01;
    psc_store *st = psc_store_new();
    psc_cert *good = add_der(st, der, (size_t)n);
    psc_cert *broken = add_der(st, bad, (size_t)n);
    CU_ASSERT_TRUE(good->self_signed);
    CU_ASSERT_TRUE(broken->self_signed); /* self-issued */
    CU_ASSERT_TRUE(psc_sigcache_self_signed(good)); /* memoized first */
    CU_ASSERT_FALSE(psc_sigcache_self_signed(broken));
    CU_ASSERT_EQUAL(psc_sigcache_self_signed(broken),
                    X509_self_signed(psc_cert_x509(broken), 1) == 1);
    CU_ASSERT_FALSE(psc_cert_signed_by(broken, broken));
    psc_chain ch;
    psc_chain_build(st, good, time(NULL), &ch);
    CU_ASSERT_TRUE(ch.complete);
    CU_ASSERT_EQUAL(ch.len, 1);
    psc_chain_build(st, broken, time(NULL), &ch);
    CU_ASSERT_FALSE(ch.complete); /* a broken self-signature is no trust anchor */
    CU_ASSERT_EQUAL(ch.len, 1);
    CU_ASSERT_PTR_EQUAL(ch.certs[0], broken);
    psc_store_free(st);
    OPENSSL_free(der);
    OPENSSL_free(bad);
}

/* The memo grows with the pairs checked (a plan of 2,000 systems checks
 * 4,004; at a fixed 3,072 it started over and checked them all again), and
 * a full memo starts over: after more distinct pairs than it holds at most
 * (12,288) every answer is still OpenSSL's, it holds fewer than before the
 * last one, and the pair just checked is memoised (asking again adds
 * nothing).  The pairs are one real CA -> root edge under made-up SHA-256 keys. */
static void test_full_memo_starts_over(void)
{
    unsigned char *cd, *rd;
    int cn = fixture_der("pki/corp-issuing.crt", &cd), rn = fixture_der("pki/corp-root.crt", &rd);
    psc_store *st = psc_store_new();
    psc_cert *ca = add_der(st, cd, (size_t)cn), *root = add_der(st, rd, (size_t)rn);
    psc_cert fake = *ca;
    size_t wrong = 0, before = psc_sigcache_entries();
    CU_ASSERT(before < 1000); /* the earlier tests' few pairs */
    for (uint32_t i = 0; i < 12288 + 100; i++) {
        memcpy(fake.sha256, &i, sizeof i);
        fake.sha256[31] = 0xa5; /* no real certificate's key */
        fake.sig_result = 0;    /* a new certificate: nothing cached on it */
        wrong += psc_sigcache_signed_by(&fake, root) != 1;
        if (i == 4100)
            CU_ASSERT_EQUAL(psc_sigcache_entries(), before + 4101); /* grew, kept them all */
    }
    CU_ASSERT_EQUAL(wrong, 0);
    size_t n = psc_sigcache_entries();
    CU_ASSERT(n > 0 && n < 12288);
    fake.sig_result = 0;
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(&fake, root), 1);
    CU_ASSERT_EQUAL(psc_sigcache_entries(), n);
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(root, ca), 0); /* the CA's key did not sign the root */
    CU_ASSERT_EQUAL(psc_sigcache_entries(), n + 1);
    psc_store_free(st);
    OPENSSL_free(cd);
    OPENSSL_free(rd);
}

/* Generations: past 12,288 pairs a new generation starts.  A pair asked again
 * and again (a CA edge under many chains) is still answered from the memo
 * after two generations; a pair asked once is gone from it, but the
 * certificate itself keeps its last answer.  Seen through a certificate
 * whose bytes change after its first answer (its SHA-256 key kept): a
 * memoised answer stays 1, a new check says 0.  (sig_result = 0 stands for
 * another psc_cert of the same bytes, which has no answer cached on it.) */
static void test_memo_keeps_what_is_asked_again(void)
{
    unsigned char *cd, *rd;
    int cn = fixture_der("pki/corp-issuing.crt", &cd), rn = fixture_der("pki/corp-root.crt", &rd);
    psc_store *st = psc_store_new();
    psc_cert *ca = add_der(st, cd, (size_t)cn), *root = add_der(st, rd, (size_t)rn);
    psc_cert hot = *ca, cold = *ca, fill = *ca;
    hot.sig_result = cold.sig_result = fill.sig_result = 0;
    memset(hot.sha256, 0x11, 32);
    memset(cold.sha256, 0x22, 32);
    CU_ASSERT_EQUAL_FATAL(psc_sigcache_signed_by(&hot, root), 1);
    CU_ASSERT_EQUAL_FATAL(psc_sigcache_signed_by(&cold, root), 1);
    /* from now on a real check of either fails: its signature is broken */
    unsigned char *broken = malloc((size_t)cn);
    CU_ASSERT_PTR_NOT_NULL_FATAL(broken);
    memcpy(broken, cd, (size_t)cn);
    broken[cn - 5] ^= 0x55;
    hot.der = cold.der = broken;
    hot.sig_result = 0;
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(&hot, root), 1); /* memoised */
    size_t wrong = 0;
    for (uint32_t i = 0; i < 2 * 12288 + 100; i++) {
        memcpy(fill.sha256, &i, sizeof i);
        fill.sha256[31] = 0xb6;
        fill.sig_result = 0;
        wrong += psc_sigcache_signed_by(&fill, root) != 1;
        if (i % 1000 == 0) {
            hot.sig_result = 0;
            wrong += psc_sigcache_signed_by(&hot, root) != 1; /* asked again: kept */
        }
    }
    CU_ASSERT_EQUAL(wrong, 0);
    hot.sig_result = 0;
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(&hot, root), 1);
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(&cold, root), 1); /* its own last answer */
    cold.sig_result = 0;
    CU_ASSERT_EQUAL(psc_sigcache_signed_by(&cold, root), 0); /* asked once: checked anew */
    psc_store_free(st);
    free(broken);
    OPENSSL_free(cd);
    OPENSSL_free(rd);
}

/* A certificate for `cn` with `key`'s public key, signed by signer with md
 * (self-signed when issuer_cert is NULL).  DER in *der. */
static int make_cert(const char *cn, EVP_PKEY *key, X509 *issuer_cert, EVP_PKEY *signer,
                     const EVP_MD *md, unsigned char **der, X509 **keep)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    CU_ASSERT_FATAL(x != NULL && n != NULL);
    CU_ASSERT_FATAL(X509_set_version(x, 2) == 1 &&
                    ASN1_INTEGER_set(X509_get_serialNumber(x), 42) == 1 &&
                    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                                               -1, -1, 0) == 1 &&
                    X509_set_subject_name(x, n) == 1 &&
                    X509_set_issuer_name(x, issuer_cert ? X509_get_subject_name(issuer_cert) : n) == 1 &&
                    X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
                    X509_gmtime_adj(X509_getm_notAfter(x), 86400) != NULL &&
                    X509_set_pubkey(x, key) == 1 && X509_sign(x, signer, md) > 0);
    *der = NULL;
    int len = i2d_X509(x, der);
    CU_ASSERT_FATAL(len > 0);
    X509_NAME_free(n);
    if (keep)
        *keep = x;
    else
        X509_free(x);
    return len;
}

/* Signatures checked from the DER with a verification context kept per
 * (issuer key, algorithm) for the last eight pairs: eleven CAs (RSA with
 * SHA-256, SHA-384, SHA-1; EC P-256 and P-384) asked in turn, so contexts
 * are replaced while others are still used; every answer is X509_verify's,
 * for good leaves, a flipped signature bit, a changed tbsCertificate and
 * every wrong issuer. */
static void test_verifier_contexts_answer_as_openssl(void)
{
    enum { NCA = 11 };
    static const struct {
        const char *alg, *param, *md;
    } kinds[NCA] = {
        {"RSA", "2048", "SHA256"}, {"EC", "P-256", "SHA256"}, {"RSA", "2048", "SHA384"},
        {"EC", "P-384", "SHA384"}, {"RSA", "2048", "SHA1"},   {"EC", "P-256", "SHA512"},
        {"EC", "P-384", "SHA256"}, {"RSA", "2048", "SHA512"}, {"EC", "P-256", "SHA256"},
        {"EC", "P-521", "SHA512"}, {"EC", "P-256", "SHA384"},
    };
    EVP_PKEY *leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CU_ASSERT_PTR_NOT_NULL_FATAL(leaf_key);
    psc_store *st = psc_store_new();
    psc_cert *ca[NCA], *leaf[NCA][3];
    EVP_PKEY *cakey[NCA];
    for (int i = 0; i < NCA; i++) {
        char cn[32];
        unsigned char *der;
        X509 *cax;
        EVP_MD *md = EVP_MD_fetch(NULL, kinds[i].md, NULL);
        cakey[i] = strcmp(kinds[i].alg, "RSA") == 0
                       ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)atoi(kinds[i].param))
                       : EVP_PKEY_Q_keygen(NULL, NULL, "EC", kinds[i].param);
        CU_ASSERT_FATAL(md != NULL && cakey[i] != NULL);
        snprintf(cn, sizeof cn, "CA %d", i);
        int n = make_cert(cn, cakey[i], NULL, cakey[i], md, &der, &cax);
        ca[i] = add_der(st, der, (size_t)n);
        OPENSSL_free(der);
        snprintf(cn, sizeof cn, "leaf %d", i);
        n = make_cert(cn, leaf_key, cax, cakey[i], md, &der, NULL);
        leaf[i][0] = add_der(st, der, (size_t)n);
        der[n - 3] ^= 0x10; /* the signature value */
        leaf[i][1] = add_der(st, der, (size_t)n);
        der[n - 3] ^= 0x10;
        der[40] ^= 0x01; /* inside the tbsCertificate (the serial or validity) */
        leaf[i][2] = add_der(st, der, (size_t)n);
        OPENSSL_free(der);
        X509_free(cax);
        EVP_MD_free(md);
    }
    int checked = 0, verified = 0;
    for (int round = 0; round < 3; round++)
        for (int j = 0; j < NCA; j++)      /* issuer */
            for (int i = 0; i < NCA; i++) { /* child */
                int want = X509_verify(psc_cert_x509(leaf[i][round]), cakey[j]) == 1;
                ERR_clear_error();
                int got = psc_sigcache_signed_by(leaf[i][round], ca[j]);
                CU_ASSERT_EQUAL(got, want);
                if (got != want)
                    fprintf(stderr, "\n  leaf %d (variant %d) by CA %d: %d, X509_verify %d", i,
                            round, j, got, want);
                checked++;
                verified += got;
            }
    CU_ASSERT_EQUAL(checked, 3 * NCA * NCA);
    CU_ASSERT_EQUAL(verified, NCA); /* each good leaf by its own CA, nothing else */
    for (int i = 0; i < NCA; i++)
        EVP_PKEY_free(cakey[i]);
    EVP_PKEY_free(leaf_key);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"answers equal OpenSSL's, first time and memoized", test_same_answers_as_openssl},
        {"tampered self-signed certificate", test_tampered_self_signed},
        {"a full memo starts over", test_full_memo_starts_over},
        {"the memo keeps what is asked again", test_memo_keeps_what_is_asked_again},
        {"kept verification contexts answer as X509_verify", test_verifier_contexts_answer_as_openssl},
        {NULL, NULL}};
    unit_suite("sigcache", tests);
}
