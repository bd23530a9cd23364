/* PKCS#12 reader and writer.  Expected values come from OpenSSL directly
 * (fingerprints of the fixture .crt files, MAC and bag inspection of our
 * output through the PKCS12 API), never from our own reader. */
#include "unit.h"
#include "format.h"
#include "store.h"
#include "keypair.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

extern const psc_format psc_format_p12;

#define JAVA_TRUST "2.16.840.1.113894.746875.1.1"

/* SHA-256 of a PEM certificate file, computed by OpenSSL. */
static void sha256_of_pem(const char *path, unsigned char md[32])
{
    BIO *b = BIO_new_file(path, "r");
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    unsigned int n = 0;
    memset(md, 0, 32);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_digest(x, EVP_sha256(), md, &n), 1);
    X509_free(x);
    BIO_free(b);
}

/* Read `path` with the p12 reader; returns the reader's code. */
static int read_p12(psc_store *st, const char *path, const char *password,
                    unsigned long max_iter, psc_err *e)
{
    psc_buf b;
    psc_secret pw = {0};
    if (unit_read(path, &b) != 0)
        return -1;
    if (password)
        psc_secret_set(&pw, password);
    psc_read_opts o = {0};
    o.path = path;
    o.password = &pw;
    o.max_iterations = max_iter;
    int rc = psc_format_p12.read(st, b.data, b.len, &o, e);
    psc_buf_free(&b, 1);
    psc_secret_clear(&pw);
    return rc;
}

static void check_erp_client(const char *file)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    int rc = read_p12(st, unit_fixture(file), "fixture-pass", 0, &e);
    if (rc != PSC_OK)
        fprintf(stderr, "%s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    psc_entry *en = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(en->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_STRING_EQUAL(en->alias, "erp-client");
    CU_ASSERT_EQUAL_FATAL(en->chain_len, 3);
    unsigned char md[32];
    sha256_of_pem(unit_fixture("pki/erp-client.crt"), md);
    CU_ASSERT_EQUAL(memcmp(en->chain[0]->sha256, md, 32), 0);
    sha256_of_pem(unit_fixture("pki/corp-issuing.crt"), md);
    CU_ASSERT_EQUAL(memcmp(en->chain[1]->sha256, md, 32), 0);
    sha256_of_pem(unit_fixture("pki/corp-root.crt"), md);
    CU_ASSERT_EQUAL(memcmp(en->chain[2]->sha256, md, 32), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(en->key);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(X509_get0_pubkey(psc_cert_x509(en->chain[0])), en->key), 1);
    psc_store_free(st);
}

static void test_read_modern(void) { check_erp_client("pki/erp-client.p12"); }
static void test_read_legacy(void) { check_erp_client("pki/erp-client-legacy.p12"); }

static void test_wrong_and_missing_password(void)
{
    const char *files[] = {"pki/erp-client.p12", "pki/erp-client-legacy.p12"};
    for (size_t i = 0; i < 2; i++) {
        psc_store *st = psc_store_new();
        psc_err e = {0};
        CU_ASSERT_EQUAL(read_p12(st, unit_fixture(files[i]), "not-the-pass", 0, &e), PSC_EINPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong password"));
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password"));
        CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
        psc_err e2 = {0};
        CU_ASSERT_EQUAL(read_p12(st, unit_fixture(files[i]), NULL, 0, &e2), PSC_EINPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e2.msg, "--password"));
        psc_store_free(st);
    }
}

/* square/certigo: OpenSSL 1.x files, RC2-40 certificates + 3DES keys, SHA-1 MAC. */
static void test_certigo_corpus(void)
{
    DIR *d = opendir(unit_corpus("certigo"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".p12") != 0)
            continue;
        char p12[512], crt[512];
        snprintf(p12, sizeof p12, "%s", unit_corpus("certigo"));
        snprintf(p12 + strlen(p12), sizeof p12 - strlen(p12), "/%s", de->d_name);
        snprintf(crt, sizeof crt, "%.*s.crt", (int)(strlen(p12) - 4), p12);
        psc_store *st = psc_store_new();
        psc_err e = {0};
        int rc = read_p12(st, p12, "password", 0, &e);
        if (rc != PSC_OK)
            fprintf(stderr, "%s: %s\n", de->d_name, e.msg);
        CU_ASSERT_EQUAL(rc, PSC_OK);
        CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);
        psc_entry *en = psc_store_entry(st, 0);
        if (en != NULL) {
            unsigned char md[32];
            sha256_of_pem(crt, md);
            CU_ASSERT_EQUAL(en->type, PSC_ENTRY_KEYPAIR);
            CU_ASSERT_EQUAL(en->chain_len, 1);
            CU_ASSERT_PTR_NOT_NULL(en->key);
            CU_ASSERT(en->chain_len > 0 && memcmp(en->chain[0]->sha256, md, 32) == 0);
        }
        psc_store_free(st);
        files++;
    }
    closedir(d);
    CU_ASSERT_EQUAL(files, 11);
}

static void test_truncated_is_damaged(void)
{
    psc_buf b;
    if (unit_read(unit_fixture("pki/erp-client.p12"), &b) != 0)
        return;
    CU_ASSERT_EQUAL(psc_format_p12.probe(b.data, b.len), 95);
    size_t cuts[] = {b.len - 1, b.len / 2, 40, 22};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        psc_store *st = psc_store_new();
        psc_err e = {0};
        psc_secret pw = {0};
        psc_secret_set(&pw, "fixture-pass");
        psc_read_opts o = {0};
        o.path = "cut.p12";
        o.password = &pw;
        /* Still claimed by the probe, so the user hears "damaged", not "unknown format". */
        CU_ASSERT_EQUAL(psc_format_p12.probe(b.data, cuts[i]), 95);
        CU_ASSERT_EQUAL(psc_format_p12.read(st, b.data, cuts[i], &o, &e), PSC_EINPUT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cut.p12 is damaged"));
        psc_secret_clear(&pw);
        psc_store_free(st);
    }
    psc_buf_free(&b, 0);
}

static void test_probe(void)
{
    psc_buf b;
    if (unit_read(unit_fixture("pki/erp-client.der"), &b) != 0)
        return;
    CU_ASSERT_EQUAL(psc_format_p12.probe(b.data, b.len), 0);
    psc_buf_free(&b, 0);
    if (unit_read(unit_fixture("pki/erp-client-legacy.p12"), &b) != 0)
        return;
    CU_ASSERT_EQUAL(psc_format_p12.probe(b.data, b.len), 95);
    CU_ASSERT_PTR_EQUAL(psc_format_detect(b.data, b.len), &psc_format_p12);
    psc_buf_free(&b, 0);
    CU_ASSERT_EQUAL(psc_format_p12.probe((const unsigned char *)"\x30", 1), 0);
    CU_ASSERT_EQUAL(psc_format_p12.probe(NULL, 0), 0);
}

static void test_iteration_cap(void)
{
    /* The fixtures use 2048 iterations: with a cap of 100 they are refused
     * before any key derivation (the MAC is checked first). */
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 100, &e),
                    PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "2048"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "limit of 100"));
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 0);
    psc_err e2 = {0};
    CU_ASSERT_EQUAL(read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 2048, &e2),
                    PSC_OK);
    psc_store_free(st);
}

/* ---- writer ----------------------------------------------------------- */

static psc_entry *add_trusted_pem(psc_store *st, const char *name)
{
    psc_buf b;
    if (unit_read(unit_fixture(name), &b) != 0)
        return NULL;
    BIO *bio = BIO_new_mem_buf(b.data, (int)b.len);
    X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    BIO_free(bio);
    psc_buf_free(&b, 0);
    psc_err e = {0};
    psc_cert *c = x ? psc_store_add_x509(st, x, name, &e) : NULL;
    X509_free(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, NULL, name, "pem", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(en);
    psc_entry_push_cert(en, c);
    return en;
}

static int write_p12(psc_store *st, const char *password, int legacy, int for_cpi, psc_buf *out,
                     psc_err *e)
{
    psc_secret pw = {0};
    if (password)
        psc_secret_set(&pw, password);
    psc_write_opts o = {0};
    o.path = "out.p12";
    o.password = &pw;
    o.legacy = legacy;
    o.for_cpi = for_cpi;
    o.include_keys = 1;
    psc_buf_init(out);
    int rc = psc_format_p12.write(st, out, &o, e);
    psc_secret_clear(&pw);
    return rc;
}

/* Inspect our output with OpenSSL's PKCS12 API only. */
static PKCS12 *parse_out(const psc_buf *out)
{
    const unsigned char *p = out->data;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)out->len);
    CU_ASSERT_PTR_NOT_NULL(p12);
    return p12;
}

static int mac_nid(const PKCS12 *p12)
{
    const X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *obj = NULL;
    PKCS12_get0_mac(NULL, &alg, NULL, NULL, p12);
    if (alg == NULL)
        return NID_undef;
    X509_ALGOR_get0(&obj, NULL, NULL, alg);
    return OBJ_obj2nid(obj);
}

static void roundtrip(int legacy)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 0, &e),
                          PSC_OK);
    psc_buf out;
    CU_ASSERT_EQUAL_FATAL(write_p12(st, "S3cret-pass", legacy, 0, &out, &e), PSC_OK);

    PKCS12 *p12 = parse_out(&out);
    CU_ASSERT_EQUAL(PKCS12_verify_mac(p12, "S3cret-pass", -1), 1);
    CU_ASSERT_EQUAL(mac_nid(p12), legacy ? NID_sha1 : NID_sha256);
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    CU_ASSERT_EQUAL(PKCS12_parse(p12, "S3cret-pass", &key, &cert, &ca), 1);
    CU_ASSERT_PTR_NOT_NULL(key);
    CU_ASSERT_EQUAL(sk_X509_num(ca), 2);
    unsigned char md[32];
    unsigned int n = 0;
    X509_digest(cert, EVP_sha256(), md, &n);
    CU_ASSERT_EQUAL(memcmp(md, psc_store_entry(st, 0)->chain[0]->sha256, 32), 0);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(X509_get0_pubkey(cert), key), 1);
    /* The encryption of the certificate part. */
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    int cert_alg = NID_undef;
    for (int i = 0; i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        if (PKCS7_type_is_encrypted(p7))
            cert_alg = OBJ_obj2nid(p7->d.encrypted->enc_data->algorithm->algorithm);
    }
    CU_ASSERT_EQUAL(cert_alg, legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_pbes2);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    EVP_PKEY_free(key);
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    PKCS12_free(p12);

    /* And our reader gets the same entry back. */
    psc_store *st2 = psc_store_new();
    psc_secret pw = {0};
    psc_secret_set(&pw, "S3cret-pass");
    psc_read_opts ro = {0};
    ro.path = "out.p12";
    ro.password = &pw;
    CU_ASSERT_EQUAL(psc_format_p12.read(st2, out.data, out.len, &ro, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st2), 1);
    CU_ASSERT_EQUAL(psc_store_entry(st2, 0)->chain_len, 3);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st2, 0)->alias, "erp-client");
    psc_secret_clear(&pw);
    psc_store_free(st2);
    psc_buf_free(&out, 1);
    psc_store_free(st);
}

/* psc_write_opts.iterations: 0 = 2048 (OpenSSL's default); another count
 * is used for the key, the certificate part and the MAC alike, which our
 * reader shows by reading the file under a cap of that count. */
static void test_write_iterations(void)
{
    static const unsigned long counts[] = {0, 1, 64};
    static const long want[] = {2048, 1, 64};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        psc_store *st = psc_store_new();
        psc_err e = {0};
        CU_ASSERT_EQUAL_FATAL(
            read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 0, &e), PSC_OK);
        psc_secret pw = {0};
        psc_secret_set(&pw, "S3cret-pass");
        psc_write_opts o = {0};
        o.path = "out.p12";
        o.password = &pw;
        o.include_keys = 1;
        o.iterations = counts[i];
        psc_buf out;
        psc_buf_init(&out);
        CU_ASSERT_EQUAL_FATAL(psc_format_p12.write(st, &out, &o, &e), PSC_OK);
        PKCS12 *p12 = parse_out(&out);
        const ASN1_INTEGER *iter = NULL;
        PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
        /* absent = 1 (the ASN.1 DEFAULT; OpenSSL leaves the field out for 1) */
        CU_ASSERT_EQUAL(iter ? ASN1_INTEGER_get(iter) : 1, want[i]);
        CU_ASSERT_EQUAL(iter == NULL, want[i] == 1);
        CU_ASSERT_EQUAL(PKCS12_verify_mac(p12, "S3cret-pass", -1), 1);
        PKCS12_free(p12);
        psc_store *back = psc_store_new();
        psc_read_opts ro = {0};
        ro.path = "out.p12";
        ro.password = &pw;
        ro.max_iterations = (unsigned long)want[i];
        CU_ASSERT_EQUAL(psc_format_p12.read(back, out.data, out.len, &ro, &e), PSC_OK);
        CU_ASSERT_EQUAL(psc_store_entry_count(back), 1);
        CU_ASSERT_PTR_NOT_NULL(psc_store_entry(back, 0)->key);
        if (want[i] > 1) { /* one below the count: refused at the first count */
            psc_store *low = psc_store_new();
            ro.max_iterations = (unsigned long)want[i] - 1;
            CU_ASSERT_EQUAL(psc_format_p12.read(low, out.data, out.len, &ro, &e), PSC_EINPUT);
            psc_store_free(low);
        }
        psc_store_free(back);
        psc_secret_clear(&pw);
        psc_buf_free(&out, 1);
        psc_store_free(st);
    }
}

static void test_write_modern(void) { roundtrip(0); }
static void test_write_legacy(void) { roundtrip(1); }

static void test_write_truststore(void)
{
    psc_store *st = psc_store_new();
    add_trusted_pem(st, "pki/corp-root.crt");
    add_trusted_pem(st, "pki/hci-root.crt");
    add_trusted_pem(st, "pki/lb-root.crt");
    psc_store_pair_keys(st, NULL); /* names the entries, as the CLI does */
    psc_err e = {0};
    psc_buf out;
    /* No password: password-less store, no MAC, plain bags. */
    CU_ASSERT_EQUAL_FATAL(write_p12(st, NULL, 0, 0, &out, &e), PSC_OK);
    CU_ASSERT(psc_store_warning_count(st) >= 1);
    PKCS12 *p12 = parse_out(&out);
    CU_ASSERT_EQUAL(PKCS12_mac_present(p12), 0);
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    CU_ASSERT_EQUAL_FATAL(sk_PKCS7_num(safes), 1);
    CU_ASSERT(PKCS7_type_is_data(sk_PKCS7_value(safes, 0)));
    STACK_OF(PKCS12_SAFEBAG) *bags = PKCS12_unpack_p7data(sk_PKCS7_value(safes, 0));
    CU_ASSERT_EQUAL_FATAL(sk_PKCS12_SAFEBAG_num(bags), 3);
    ASN1_OBJECT *trust = OBJ_txt2obj(JAVA_TRUST, 1);
    ASN1_OBJECT *anyeku = OBJ_txt2obj("2.5.29.37.0", 1);
    for (int i = 0; i < 3; i++) {
        PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
        int idx = X509at_get_attr_by_OBJ(attrs, trust, -1);
        CU_ASSERT_FATAL(idx >= 0);
        X509_ATTRIBUTE *a = X509at_get_attr(attrs, idx);
        CU_ASSERT_EQUAL(X509_ATTRIBUTE_count(a), 1);
        ASN1_TYPE *v = X509_ATTRIBUTE_get0_type(a, 0);
        CU_ASSERT_EQUAL_FATAL(v->type, V_ASN1_OBJECT);
        CU_ASSERT_EQUAL(OBJ_cmp(v->value.object, anyeku), 0);
        char *name = PKCS12_get_friendlyname(bag);
        CU_ASSERT_PTR_NOT_NULL(name);
        OPENSSL_free(name);
    }
    ASN1_OBJECT_free(trust);
    ASN1_OBJECT_free(anyeku);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);

    /* Our reader: three trusted entries, no password needed. */
    psc_store *st2 = psc_store_new();
    psc_read_opts ro = {0};
    ro.path = "trust.p12";
    CU_ASSERT_EQUAL(psc_format_p12.read(st2, out.data, out.len, &ro, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st2), 3);
    for (size_t i = 0; i < psc_store_entry_count(st2); i++)
        CU_ASSERT_EQUAL(psc_store_entry(st2, i)->type, PSC_ENTRY_TRUSTED);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st2, 0)->alias, "Nordwind Root CA");
    psc_store_free(st2);
    psc_buf_free(&out, 0);
    psc_store_free(st);
}

static void test_write_key_needs_password(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 0, &e),
                          PSC_OK);
    psc_buf out;
    CU_ASSERT_EQUAL(write_p12(st, NULL, 0, 0, &out, &e), PSC_EUSAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--out-password"));
    CU_ASSERT_EQUAL(out.len, 0);
    psc_buf_free(&out, 1);
    psc_store_free(st);
}

static int has_warning(const psc_store *st, const char *needle)
{
    for (size_t i = 0; i < psc_store_warning_count(st); i++)
        if (strstr(psc_store_warning(st, i), needle))
            return 1;
    return 0;
}

static void test_for_cpi(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_p12(st, unit_fixture("pki/erp-client.p12"), "fixture-pass", 0, &e),
                          PSC_OK);
    CU_ASSERT_EQUAL_FATAL(read_p12(st, unit_corpus("certigo/example-leaf.p12"), "password", 0, &e),
                          PSC_OK);
    psc_entry_set_alias(st, psc_store_entry(st, 1), "sap_cloudintegrationcertificate");
    psc_buf out;
    CU_ASSERT_EQUAL_FATAL(write_p12(st, "weakpass", 0, 1, &out, &e), PSC_OK);
    CU_ASSERT(has_warning(st, "'sap_cloudintegrationcertificate' is reserved"));
    CU_ASSERT(has_warning(st, "password does not meet"));
    CU_ASSERT(has_warning(st, "holds 2 private keys"));
    psc_buf_free(&out, 1);

    /* A good password and one key: no warnings. */
    psc_store *one = psc_store_new();
    CU_ASSERT_EQUAL_FATAL(read_p12(one, unit_fixture("pki/erp-client.p12"), "fixture-pass", 0, &e),
                          PSC_OK);
    CU_ASSERT_EQUAL(write_p12(one, "Str0ng-Pass", 0, 1, &out, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_warning_count(one), 0);
    psc_buf_free(&out, 1);
    psc_store_free(one);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo read_tests[] = {
        {"OpenSSL 3 default file: key pair, chain of 3", test_read_modern},
        {"OpenSSL -legacy file (RC2-40, 3DES, SHA-1 MAC)", test_read_legacy},
        {"wrong or missing password", test_wrong_and_missing_password},
        {"certigo corpus (RC2-40 + 3DES)", test_certigo_corpus},
        {"truncated file is damaged", test_truncated_is_damaged},
        {"probe", test_probe},
        {"iteration cap", test_iteration_cap},
        {NULL, NULL}};
    static const CU_TestInfo write_tests[] = {
        {"modern profile round trip", test_write_modern},
        {"legacy profile round trip", test_write_legacy},
        {"write iterations: default 2048, 1, 64", test_write_iterations},
        {"password-less trust store with Java trust attribute", test_write_truststore},
        {"key without password refused", test_write_key_needs_password},
        {"--for cpi warnings", test_for_cpi},
        {NULL, NULL}};
    unit_suite("p12 read", read_tests);
    unit_suite("p12 write", write_tests);
}
