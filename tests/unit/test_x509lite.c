/* The certificate walk without key decoding (src/core/x509lite.c) and the
 * store facts built from it: for every fixture and certigo corpus
 * certificate they must equal what OpenSSL's full X509 API reports; damaged
 * encodings must be refused without crashing, and whatever the store accepts
 * must also decode with d2i_X509 (the walk is never more lenient). */
#include "unit.h"
#include "chain.h"
#include "store.h"
#include "x509lite.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

/* The printing store.c uses, applied to OpenSSL's own decoded name. */
static void print_name(const X509_NAME *n, char *out, size_t cap)
{
    unsigned long flags = PSC_NAME_PRINT_FLAGS;
    BIO *b = BIO_new(BIO_s_mem());
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT(X509_NAME_print_ex(b, n, 0, flags) >= 0);
    char *p;
    long len = BIO_get_mem_data(b, &p);
    snprintf(out, cap, "%.*s", (int)len, p);
    BIO_free(b);
}

static time_t tm_of(const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    return ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : 0;
}

static int checked; /* certificates compared, over all files */

/* Store facts (from the walk) against OpenSSL's decoding of the same DER. */
static void compare_one(const unsigned char *der, size_t len, const char *what)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);

    psc_x509lite l;
    CU_ASSERT_EQUAL_FATAL(psc_x509lite_parse(der, len, &l), 0);
    CU_ASSERT_EQUAL(l.sig_nid, X509_get_signature_nid(x));

    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_cert *c = psc_store_add_cert_der(st, der, len, what, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);

    char want[1024];
    print_name(X509_get_subject_name(x), want, sizeof want);
    CU_ASSERT_STRING_EQUAL(c->subject, want);
    print_name(X509_get_issuer_name(x), want, sizeof want);
    CU_ASSERT_STRING_EQUAL(c->issuer, want);
    CU_ASSERT_EQUAL(X509_NAME_cmp(psc_name_x509(c->subject_name), X509_get_subject_name(x)), 0);
    CU_ASSERT_EQUAL(X509_NAME_cmp(psc_name_x509(c->issuer_name), X509_get_issuer_name(x)), 0);

    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    char hex[256];
    if (serial->length > 0 && serial->length < 100)
        psc_hex(serial->data, (size_t)serial->length, hex);
    else
        strcpy(hex, "00");
    CU_ASSERT_STRING_EQUAL(c->serial_hex, hex);
    CU_ASSERT_EQUAL(c->not_before, tm_of(X509_get0_notBefore(x)));
    CU_ASSERT_EQUAL(c->not_after, tm_of(X509_get0_notAfter(x)));

    EVP_PKEY *pk = X509_get0_pubkey(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pk);
    CU_ASSERT_EQUAL(c->key_bits, EVP_PKEY_get_bits(pk));
    int id = EVP_PKEY_get_base_id(pk);
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS) {
        CU_ASSERT_STRING_EQUAL(c->key_type, "RSA");
        CU_ASSERT_STRING_EQUAL(c->curve, "");
    } else if (id == EVP_PKEY_EC) {
        char group[64];
        size_t gl = 0;
        CU_ASSERT_EQUAL_FATAL(EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
                                                             group, sizeof group, &gl), 1);
        const char *nist = EC_curve_nid2nist(OBJ_txt2nid(group));
        CU_ASSERT_STRING_EQUAL(c->key_type, "EC");
        CU_ASSERT_STRING_EQUAL(c->curve, nist ? nist : group);
    }
    CU_ASSERT_STRING_EQUAL(c->sig_alg, OBJ_nid2ln(X509_get_signature_nid(x)));

    uint32_t flags = X509_get_extension_flags(x);
    CU_ASSERT_EQUAL(c->is_ca, (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA));
    CU_ASSERT_EQUAL(c->has_eku, (flags & EXFLAG_XKUSAGE) != 0);
    uint32_t xku = X509_get_extended_key_usage(x);
    CU_ASSERT_EQUAL(c->eku_client, c->has_eku && (xku & (XKU_SSL_CLIENT | XKU_ANYEKU)) != 0);
    CU_ASSERT_EQUAL(c->eku_server, c->has_eku && (xku & (XKU_SSL_SERVER | XKU_ANYEKU)) != 0);

    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    CU_ASSERT_EQUAL(c->ski != NULL, ski != NULL);
    if (ski && c->ski) /* braces: CU_ASSERT is a block */
        CU_ASSERT(c->ski_len == (size_t)ASN1_STRING_length(ski) &&
                  memcmp(c->ski, ASN1_STRING_get0_data(ski), c->ski_len) == 0);
    CU_ASSERT_EQUAL(c->aki != NULL, aki != NULL);
    if (aki && c->aki)
        CU_ASSERT(c->aki_len == (size_t)ASN1_STRING_length(aki) &&
                  memcmp(c->aki, ASN1_STRING_get0_data(aki), c->aki_len) == 0);

    /* self-issued: names equal (and AKI = SKI when both exist), as X509_check_issued
     * sees it without the signature; the lazily decoded X509 is OpenSSL's */
    int names_equal = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    int ids_agree = ski == NULL || aki == NULL || ASN1_OCTET_STRING_cmp(ski, aki) == 0;
    CU_ASSERT_EQUAL(c->self_signed, names_equal && ids_agree);
    CU_ASSERT_EQUAL(X509_cmp(psc_cert_x509(c), x), 0);
    ERR_clear_error();
    psc_store_free(st);
    X509_free(x);
    checked++;
}

static void compare_file(const char *path)
{
    BIO *b = BIO_new_file(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    X509 *x;
    int n = 0;
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
        unsigned char *der = NULL;
        int len = i2d_X509(x, &der);
        CU_ASSERT_FATAL(len > 0);
        compare_one(der, (size_t)len, path);
        OPENSSL_free(der);
        X509_free(x);
        n++;
    }
    ERR_clear_error();
    BIO_free(b);
    CU_ASSERT(n > 0);
}

static int compare_dir(const char *dir)
{
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".crt") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        compare_file(path);
        files++;
    }
    closedir(d);
    return files;
}

static void test_facts_equal_openssl(void)
{
    checked = 0;
    char fx[4096], corpus[4096];
    snprintf(fx, sizeof fx, "%s", unit_fixture("pki"));
    snprintf(corpus, sizeof corpus, "%s", unit_corpus("certigo"));
    int files = compare_dir(fx);
    CU_ASSERT(files >= 20);
    files = compare_dir(corpus);
    CU_ASSERT(files >= 10);
    CU_ASSERT(checked >= 30);
}

static unsigned char *fixture_der(const char *name, int *len)
{
    BIO *b = BIO_new_file(unit_fixture(name), "r");
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    unsigned char *der = NULL;
    *len = i2d_X509(x, &der);
    X509_free(x);
    CU_ASSERT_FATAL(*len > 0);
    return der;
}

/* Whatever the store accepts decodes with d2i_X509 too; refusals are clean. */
static int store_accepts(const unsigned char *der, size_t len)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_cert *c = psc_store_add_cert_der(st, der, len, "mutant", &e);
    if (c != NULL) {
        CU_ASSERT_PTR_NOT_NULL(psc_cert_x509(c));
    } else {
        CU_ASSERT_STRING_EQUAL(e.msg, "mutant: not a valid X.509 certificate");
    }
    psc_store_free(st);
    return c != NULL;
}

static void test_truncations_and_bit_flips(void)
{
    int len;
    unsigned char *der = fixture_der("pki/erp-client.crt", &len);
    psc_x509lite l;
    for (int cut = 0; cut < len; cut++) {
        CU_ASSERT_EQUAL(psc_x509lite_parse(der, (size_t)cut, &l), -1);
        CU_ASSERT_FALSE(store_accepts(der, (size_t)cut));
    }
    unsigned char *m = malloc((size_t)len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* one trailing byte, and the outer length bytes (30 82 HH LL) flipped */
    memcpy(m, der, (size_t)len);
    m[len] = 0;
    CU_ASSERT_EQUAL(psc_x509lite_parse(m, (size_t)len + 1, &l), -1);
    CU_ASSERT_FALSE(store_accepts(m, (size_t)len + 1));
    CU_ASSERT_EQUAL(der[0], 0x30);
    CU_ASSERT_EQUAL(der[1], 0x82);
    for (int at = 1; at < 4; at++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(m, der, (size_t)len);
            m[at] ^= (unsigned char)(1 << bit);
            CU_ASSERT_EQUAL(psc_x509lite_parse(m, (size_t)len, &l), -1);
            CU_ASSERT_FALSE(store_accepts(m, (size_t)len));
        }
    /* every single-bit flip anywhere: no crash, never more lenient than OpenSSL */
    int accepted = 0;
    for (int at = 0; at < len; at++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(m, der, (size_t)len);
            m[at] ^= (unsigned char)(1 << bit);
            accepted += store_accepts(m, (size_t)len);
        }
    CU_ASSERT(accepted > 0); /* flips in signature or key bytes still parse */
    free(m);
    OPENSSL_free(der);
}

/* A BER encoding (indefinite outer length) is refused by the walk but taken
 * by OpenSSL: the store reads it as OpenSSL's DER re-encoding (issue 17),
 * which is the fixture's DER: the same certificate, with a warning. */
static void test_ber_falls_back(void)
{
    int len;
    unsigned char *der = fixture_der("pki/corp-root.crt", &len);
    CU_ASSERT_EQUAL_FATAL(der[1], 0x82);
    size_t blen = (size_t)len - 4 + 2 + 2;
    unsigned char *ber = malloc(blen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ber);
    ber[0] = 0x30;
    ber[1] = 0x80;
    memcpy(ber + 2, der + 4, (size_t)len - 4);
    ber[blen - 2] = ber[blen - 1] = 0;
    psc_x509lite l;
    CU_ASSERT_EQUAL(psc_x509lite_parse(ber, blen, &l), -1);
    const unsigned char *p = ber;
    X509 *x = d2i_X509(NULL, &p, (long)blen);
    if (x != NULL && (size_t)(p - ber) == blen) { /* OpenSSL takes BER here */
        psc_store *st = psc_store_new();
        psc_err e = {0};
        psc_cert *good = psc_store_add_cert_der(st, der, (size_t)len, "der", &e);
        psc_cert *fb = psc_store_add_cert_der(st, ber, blen, "ber", &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(good);
        CU_ASSERT_PTR_NOT_NULL_FATAL(fb);
        CU_ASSERT_PTR_EQUAL(good, fb);
        CU_ASSERT_EQUAL(psc_store_cert_count(st), 1);
        CU_ASSERT_EQUAL(psc_store_warning_count(st), 1);
        CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "not DER-encoded"));
        CU_ASSERT_STRING_EQUAL(fb->subject, good->subject);
        CU_ASSERT_STRING_EQUAL(fb->serial_hex, good->serial_hex);
        CU_ASSERT_STRING_EQUAL(fb->key_type, good->key_type);
        CU_ASSERT_EQUAL(fb->key_bits, good->key_bits);
        CU_ASSERT_STRING_EQUAL(fb->curve, good->curve);
        CU_ASSERT_STRING_EQUAL(fb->sig_alg, good->sig_alg);
        CU_ASSERT_EQUAL(fb->is_ca, good->is_ca);
        CU_ASSERT_EQUAL(fb->self_signed, good->self_signed);
        CU_ASSERT_EQUAL(fb->not_after, good->not_after);
        psc_store_free(st);
    } else {
        CU_FAIL("OpenSSL refused the indefinite-length certificate");
    }
    X509_free(x);
    ERR_clear_error();
    free(ber);
    OPENSSL_free(der);
}

/* Self-issued with a broken signature: a root by name, but no complete chain. */
static void test_broken_self_signature(void)
{
    int len;
    unsigned char *der = fixture_der("pki/corp-root.crt", &len);
    der[len - 4] ^= 0x10; /* inside the signature value */
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_cert *c = psc_store_add_cert_der(st, der, (size_t)len, "root", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_TRUE(c->self_signed);
    CU_ASSERT_EQUAL(psc_cert_role(st, c), PSC_ROLE_ROOT);
    psc_chain ch;
    psc_chain_build(st, c, time(NULL), &ch);
    CU_ASSERT_EQUAL(ch.len, 1);
    CU_ASSERT_FALSE(ch.complete);
    psc_store_free(st);
    OPENSSL_free(der);
}

/* EC_POINT_oct2point's answer for pt on the curve. */
static int openssl_point_ok(int nid, const unsigned char *pt, size_t n)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    int ok = p != NULL && EC_POINT_oct2point(g, p, pt, n, NULL) == 1;
    EC_POINT_free(p);
    EC_GROUP_free(g);
    ERR_clear_error();
    return ok;
}

static int point_cases, points_valid;

/* psc_x509lite_ec_point_ok and OpenSSL answer the same for pt. */
static void same_answer(int nid, const unsigned char *pt, size_t n)
{
    int mine = psc_x509lite_ec_point_ok(nid, pt, n), theirs = openssl_point_ok(nid, pt, n);
    CU_ASSERT_EQUAL(mine, theirs);
    if (mine != theirs)
        fprintf(stderr, "\n  %s, %zu octets, form %02x: %d, OpenSSL %d", OBJ_nid2sn(nid), n, pt[0],
                mine, theirs);
    point_cases++;
    points_valid += theirs;
}

/* The point check (Montgomery arithmetic for uncompressed points on prime
 * curves, OpenSSL for the rest) accepts exactly what EC_POINT_oct2point
 * accepts: real keys and their negations, not a point with y + 1, x or y
 * equal to p, a wrong length or form, compressed points, binary curves. */
static void test_ec_point_check(void)
{
    static const char *const curves[] = {"P-256", "P-384", "P-521", "brainpoolP256r1",
                                         "secp256k1", "sect283k1"};
    point_cases = points_valid = 0;
    for (size_t k = 0; k < sizeof curves / sizeof curves[0]; k++) {
        int nid = EC_curve_nist2nid(curves[k]);
        if (nid == NID_undef)
            nid = OBJ_sn2nid(curves[k]);
        EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        BIGNUM *p = BN_new(), *y = BN_new();
        CU_ASSERT_FATAL(p != NULL && y != NULL && EC_GROUP_get_curve(g, p, NULL, NULL, NULL) == 1);
        int prime = EC_GROUP_get_field_type(g) == NID_X9_62_prime_field;
        for (int i = 0; i < 20; i++) {
            EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curves[k]);
            CU_ASSERT_PTR_NOT_NULL_FATAL(key);
            unsigned char pt[200], bad[200];
            size_t n = 0;
            CU_ASSERT_FATAL(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, pt,
                                                            sizeof pt, &n) == 1);
            CU_ASSERT_EQUAL_FATAL(pt[0], 0x04);
            size_t fl = (n - 1) / 2;
            CU_ASSERT_EQUAL(psc_x509lite_ec_point_ok(nid, pt, n), 1);
            same_answer(nid, pt, n);
            memcpy(bad, pt, n);
            bad[n - 1] ^= 1; /* y changed: off the curve */
            same_answer(nid, bad, n);
            CU_ASSERT_EQUAL(psc_x509lite_ec_point_ok(nid, bad, n), 0);
            same_answer(nid, pt, n - 1); /* truncated */
            memcpy(bad, pt, n);
            bad[0] = 0x05;
            same_answer(nid, bad, n);
            bad[0] = 0x02 | (pt[n - 1] & 1); /* compressed form of the same point */
            same_answer(nid, bad, fl + 1);
            CU_ASSERT_EQUAL(psc_x509lite_ec_point_ok(nid, bad, fl + 1), 1);
            if (prime) {
                /* -P = (x, p - y): on the curve too */
                CU_ASSERT_FATAL(BN_bin2bn(pt + 1 + fl, (int)fl, y) != NULL && BN_sub(y, p, y) == 1 &&
                                BN_bn2binpad(y, bad + 1 + fl, (int)fl) == (int)fl);
                memcpy(bad, pt, 1 + fl);
                same_answer(nid, bad, n);
                CU_ASSERT_EQUAL(psc_x509lite_ec_point_ok(nid, bad, n), 1);
                /* x = p and y = p: coordinates out of range */
                memcpy(bad, pt, n);
                CU_ASSERT_FATAL(BN_bn2binpad(p, bad + 1, (int)fl) == (int)fl);
                same_answer(nid, bad, n);
                memcpy(bad, pt, n);
                CU_ASSERT_FATAL(BN_bn2binpad(p, bad + 1 + fl, (int)fl) == (int)fl);
                same_answer(nid, bad, n);
                /* y + p: the same residue, but not below p when it fits */
                if (BN_bin2bn(pt + 1 + fl, (int)fl, y) != NULL && BN_add(y, y, p) == 1 &&
                    BN_num_bytes(y) <= (int)fl) {
                    memcpy(bad, pt, n);
                    CU_ASSERT_FATAL(BN_bn2binpad(y, bad + 1 + fl, (int)fl) == (int)fl);
                    same_answer(nid, bad, n);
                }
            }
            EVP_PKEY_free(key);
        }
        BN_free(p);
        BN_free(y);
        EC_GROUP_free(g);
    }
    CU_ASSERT(point_cases >= 6 * 20 * 6);
    CU_ASSERT_EQUAL(points_valid, 6 * 20 * 2 + 5 * 20); /* key, compressed; -P on prime curves */
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"fixture and certigo certificates: facts equal OpenSSL's", test_facts_equal_openssl},
        {"truncations and bit flips are refused cleanly", test_truncations_and_bit_flips},
        {"BER certificate falls back to d2i_X509", test_ber_falls_back},
        {"self-issued with a broken signature: incomplete chain", test_broken_self_signature},
        {"EC point check equals EC_POINT_oct2point", test_ec_point_check},
        {NULL, NULL}};
    unit_suite("x509lite", tests);
}
