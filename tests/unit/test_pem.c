/* PEM reader and writer.  Expected values come from OpenSSL parsing the same
 * fixture directly (PEM_read_bio_X509 + SHA-256 of its DER), never from our
 * own reader. */
#include "unit.h"
#include "format.h"
#include "certentry.h"
#include "store.h"
#include "keypair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

extern const psc_format psc_format_pem;


static int read_into(psc_store *st, const char *path, const char *password, psc_err *e)
{
    psc_buf b;
    psc_secret pw = {0};
    if (password)
        psc_secret_set(&pw, password);
    if (unit_read(path, &b) != 0)
        return -1;
    psc_read_opts ro = {0};
    ro.path = path;
    ro.password = &pw;
    int rc = psc_format_pem.read(st, b.data, b.len, &ro, e);
    psc_buf_free(&b, 1);
    psc_secret_clear(&pw);
    return rc;
}

static int read_bytes(psc_store *st, const void *data, size_t len, const char *password,
                      psc_err *e)
{
    psc_secret pw = {0};
    if (password)
        psc_secret_set(&pw, password);
    psc_read_opts ro = {0};
    ro.path = "mem.pem";
    ro.password = &pw;
    int rc = psc_format_pem.read(st, data, len, &ro, e);
    psc_secret_clear(&pw);
    return rc;
}

static void test_keychain(void)
{
    const char *path = unit_fixture("pki/erp-client-keychain.pem");
    unsigned char want[4][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(path, want, 4), 3);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, path, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 3); /* 3 bare certificates until pairing */
    CU_ASSERT_EQUAL_FATAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    psc_entry *en = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(en->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_PTR_NOT_NULL(en->key);
    CU_ASSERT_PTR_NOT_NULL(en->alias);
    CU_ASSERT_EQUAL_FATAL(en->chain_len, 3);
    for (size_t i = 0; i < 3; i++) /* leaf first, as in the file */
        CU_ASSERT(memcmp(en->chain[i]->sha256, want[i], 32) == 0);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(X509_get0_pubkey(psc_cert_x509(en->chain[0])), en->key), 1);
    CU_ASSERT_STRING_EQUAL(en->chain[0]->curve, "P-256");
    psc_store_free(st);
}

static void expect_certs(const char *rel, size_t count)
{
    const char *path = unit_fixture(rel);
    char saved[4096];
    snprintf(saved, sizeof saved, "%s", path);
    unsigned char want[8][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(saved, want, 8), count);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, saved, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), count);
    for (size_t i = 0; i < count; i++) {
        psc_entry *en = psc_store_entry(st, i);
        CU_ASSERT_EQUAL(en->type, PSC_ENTRY_CERT);
        CU_ASSERT_EQUAL(en->chain_len, 1);
        CU_ASSERT(memcmp(en->chain[0]->sha256, want[i], 32) == 0);
        CU_ASSERT_STRING_EQUAL(en->origin.format, "pem");
    }
    psc_store_free(st);
}

static void test_sclient(void) { expect_certs("pki/sclient-output.txt", 3); }
static void test_p384_chain(void) { expect_certs("pki/p384-chain.pem", 3); }

static void test_crlf_same_as_lf(void)
{
    unsigned char lf[2][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(unit_fixture("pki/corp-chain.pem"), lf, 2), 2);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, unit_fixture("pki/crlf.pem"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 2);
    CU_ASSERT(memcmp(psc_store_entry(st, 0)->chain[0]->sha256, lf[0], 32) == 0);
    CU_ASSERT(memcmp(psc_store_entry(st, 1)->chain[0]->sha256, lf[1], 32) == 0);
    psc_store_free(st);
}

static void test_bom(void)
{
    unsigned char want[1][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(unit_fixture("pki/erp-client.crt"), want, 1), 1);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, unit_fixture("pki/bom.pem"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    CU_ASSERT(memcmp(psc_store_entry(st, 0)->chain[0]->sha256, want[0], 32) == 0);
    psc_store_free(st);
}

static void test_bag_attributes(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, unit_fixture("pki/bag-attributes.pem"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    psc_entry *en = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(en->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_EQUAL(en->chain_len, 3);
    CU_ASSERT_PTR_NOT_NULL(en->key);
    psc_store_free(st);
}

/* erp-rsa-enc.key (encrypted PKCS#8) with erp-rsa.crt; returns rc of the key read. */
static int read_enc_key(const char *password, psc_err *e, int *paired)
{
    psc_store *st = psc_store_new();
    psc_err ce = {0};
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/erp-rsa.crt"), NULL, &ce), PSC_OK);
    int rc = read_into(st, unit_fixture("pki/erp-rsa-enc.key"), password, e);
    *paired = 0;
    if (rc == PSC_OK && psc_store_pair_keys(st, &ce) == PSC_OK)
        *paired = psc_store_entry_count(st) == 1 && psc_store_entry(st, 0)->key != NULL &&
                  psc_store_entry(st, 0)->type == PSC_ENTRY_KEYPAIR;
    psc_store_free(st);
    return rc;
}

static void test_encrypted_key(void)
{
    psc_err e = {0};
    int paired;
    CU_ASSERT_EQUAL(read_enc_key("fixture-pass", &e, &paired), PSC_OK);
    CU_ASSERT_EQUAL(paired, 1);

    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_enc_key("not-the-password", &e, &paired), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong password for "));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "erp-rsa-enc.key"));

    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_enc_key(NULL, &e, &paired), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "erp-rsa-enc.key"));
}

/* Traditional (PKCS#1 / SEC1) keys pair with their certificates. */
static void pair_traditional(const char *crt, const char *key, const char *label)
{
    char crt_path[4096];
    snprintf(crt_path, sizeof crt_path, "%s", unit_fixture(crt));
    psc_buf b;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture(key), &b), 0);
    CU_ASSERT_PTR_NOT_NULL(memmem(b.data, b.len, label, strlen(label)));
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_into(st, crt_path, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(read_bytes(st, b.data, b.len, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);
    CU_ASSERT_EQUAL(psc_store_entry(st, 0)->type, PSC_ENTRY_KEYPAIR);
    psc_buf_free(&b, 1);
    psc_store_free(st);
}

static void test_traditional_keys(void)
{
    pair_traditional("pki/erp-rsa.crt", "pki/erp-rsa-traditional.key", "BEGIN RSA PRIVATE KEY");
    pair_traditional("pki/erp-client.crt", "pki/erp-ec-traditional.key", "BEGIN EC PRIVATE KEY");
}

/* Traditional key with Proc-Type: 4,ENCRYPTED, made here by OpenSSL. */
static void test_traditional_encrypted(void)
{
    psc_buf kb;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-rsa.key"), &kb), 0);
    BIO *in = BIO_new_mem_buf(kb.data, (int)kb.len);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    BIO *out = BIO_new(BIO_s_mem());
    CU_ASSERT(PEM_write_bio_PrivateKey_traditional(out, key, EVP_aes_256_cbc(),
                                                   (unsigned char *)"s3cret", 6, NULL, NULL));
    char *pem;
    long n = BIO_get_mem_data(out, &pem);
    CU_ASSERT_PTR_NOT_NULL(memmem(pem, (size_t)n, "Proc-Type: 4,ENCRYPTED", 22));
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_bytes(st, pem, (size_t)n, NULL, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password"));
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_bytes(st, pem, (size_t)n, "wrong", &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wrong password"));
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/erp-rsa.crt"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(read_bytes(st, pem, (size_t)n, "s3cret", &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(psc_store_entry(st, 0)->key, key), 1);
    psc_store_free(st);
    BIO_free(out);
    BIO_free(in);
    EVP_PKEY_free(key);
    psc_buf_free(&kb, 1);
}

static void test_trusted_certificate(void)
{
    BIO *in = BIO_new_file(unit_fixture("pki/corp-root.crt"), "r");
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    unsigned char want[32];
    unsigned int mdlen;
    X509_digest(x, EVP_sha256(), want, &mdlen);
    X509_add1_trust_object(x, OBJ_nid2obj(NID_server_auth));
    BIO *out = BIO_new(BIO_s_mem());
    CU_ASSERT(PEM_write_bio_X509_AUX(out, x));
    char *pem;
    long n = BIO_get_mem_data(out, &pem);
    CU_ASSERT_PTR_NOT_NULL(memmem(pem, (size_t)n, "BEGIN TRUSTED CERTIFICATE", 25));
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_bytes(st, pem, (size_t)n, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    CU_ASSERT(memcmp(psc_store_entry(st, 0)->chain[0]->sha256, want, 32) == 0);
    psc_store_free(st);
    BIO_free(out);
    BIO_free(in);
    X509_free(x);
}

static void test_pkcs7_block(void)
{
    unsigned char want[3][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(unit_fixture("pki/erp-client-fullchain.pem"), want, 3), 3);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_into(st, unit_fixture("pki/erp-client-chain-pem.p7b"), NULL, &e),
                          PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 3);
    for (size_t i = 0; i < 3; i++)
        CU_ASSERT(memcmp(psc_store_entry(st, i)->chain[0]->sha256, want[i], 32) == 0);
    psc_store_free(st);
}

static void expect_input_error(const void *data, size_t len, const char *needle)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_bytes(st, data, len, NULL, &e), PSC_EINPUT);
    CU_ASSERT_EQUAL(e.code, PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "mem.pem"));
    if (needle && strstr(e.msg, needle) == NULL) {
        fprintf(stderr, "message '%s' lacks '%s'\n", e.msg, needle);
        CU_FAIL("error message");
    }
    psc_store_free(st);
}

static void test_garbage_and_empty(void)
{
    psc_buf b;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/garbage.bin"), &b), 0);
    CU_ASSERT_EQUAL(psc_format_pem.probe(b.data, b.len), 0);
    expect_input_error(b.data, b.len, "no PEM blocks");
    psc_buf_free(&b, 0);
    expect_input_error("", 0, "empty");
    expect_input_error("hello\nworld\n", 12, "no PEM blocks");
    /* a BEGIN line without a label is text, not a block */
    expect_input_error("-----BEGIN -----\n", 17, "no PEM blocks");
    /* a block with nothing pseconv reads */
    const char *csr_like = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
                           "-----END EC PARAMETERS-----\n";
    expect_input_error(csr_like, strlen(csr_like), "no certificates or private keys");
}

/* Blocks pseconv does not read: a warning when something else was read, part
 * of the error when nothing was. */
static void test_skipped_blocks(void)
{
    psc_buf crt;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client.crt"), &crt), 0);
    const char *crl = "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n";
    psc_buf mix;
    psc_buf_init(&mix);
    psc_buf_puts(&mix, crl);
    psc_buf_append(&mix, crt.data, crt.len);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_bytes(st, mix.data, mix.len, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);
    CU_ASSERT_EQUAL_FATAL(psc_store_warning_count(st), 1);
    CU_ASSERT_STRING_EQUAL(psc_store_warning(st, 0),
                           "mem.pem: skipped PEM blocks pseconv does not read: 'X509 CRL'");
    psc_store_free(st);
    expect_input_error(crl, strlen(crl), "no certificates or private keys in the PEM blocks "
                                         "(only 'X509 CRL')");
    psc_buf_free(&mix, 0);
    psc_buf_free(&crt, 0);
}

static void test_truncated(void)
{
    psc_buf b;
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client-fullchain.pem"), &b), 0);
    /* cut in the middle of the second block's base64 */
    const unsigned char *second = memmem(b.data + 10, b.len - 10, "-----BEGIN", 10);
    CU_ASSERT_PTR_NOT_NULL_FATAL(second);
    size_t cut = (size_t)(second - b.data) + 200;
    CU_ASSERT_FATAL(cut < b.len);
    expect_input_error(b.data, cut, "no END line");
    /* in the middle of the first block: 100 bytes in */
    expect_input_error(b.data, 100, "no END line");
    /* damaged base64 between intact markers */
    unsigned char *copy = malloc(b.len);
    memcpy(copy, b.data, b.len);
    memcpy(copy + 40, "!!!!", 4);
    expect_input_error(copy, b.len, "damaged");
    /* a block with END but cut short (base64 valid, DER incomplete) */
    free(copy);
    psc_buf_free(&b, 0);
}

static void test_probe(void)
{
    const char *pem = "some text\n-----BEGIN CERTIFICATE-----\n";
    CU_ASSERT_EQUAL(psc_format_pem.probe((const unsigned char *)pem, strlen(pem)), 90);
    const char *inline_begin = "text -----BEGIN CERTIFICATE-----\n";
    CU_ASSERT_EQUAL(psc_format_pem.probe((const unsigned char *)inline_begin,
                                         strlen(inline_begin)), 0);
    CU_ASSERT_EQUAL(psc_format_pem.probe((const unsigned char *)"-----BEGIN", 10), 0);
    CU_ASSERT_EQUAL(psc_format_pem.probe(NULL, 0), 0);
}

/* ---- writing ---- */

static void write_store(psc_store *st, const char *password, int include_keys, psc_buf *out)
{
    psc_secret pw = {0};
    if (password)
        psc_secret_set(&pw, password);
    psc_write_opts wo = {0};
    wo.path = "out.pem";
    wo.password = &pw;
    wo.include_keys = include_keys;
    psc_err e = {0};
    psc_buf_init(out);
    CU_ASSERT_EQUAL(psc_format_pem.write(st, out, &wo, &e), PSC_OK);
    psc_buf_cstr(out);
    psc_secret_clear(&pw);
}

static psc_store *keychain_store(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/erp-client-keychain.pem"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    return st;
}

static void test_write_order_and_bytes(void)
{
    unsigned char want[3][32];
    CU_ASSERT_EQUAL_FATAL(unit_openssl_fps(unit_fixture("pki/erp-client-fullchain.pem"), want, 3), 3);
    psc_store *st = keychain_store();
    psc_buf out;
    write_store(st, NULL, 1, &out);
    const char *s = (const char *)out.data;
    /* leaf, chain, then the key */
    const char *key = strstr(s, "-----BEGIN PRIVATE KEY-----");
    CU_ASSERT_PTR_NOT_NULL_FATAL(key);
    CU_ASSERT_PTR_NULL(strstr(key, "BEGIN CERTIFICATE"));
    BIO *bio = BIO_new_mem_buf(out.data, (int)out.len);
    for (int i = 0; i < 3; i++) {
        X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        unsigned char md[32];
        unsigned int mdlen;
        X509_digest(x, EVP_sha256(), md, &mdlen);
        CU_ASSERT(memcmp(md, want[i], 32) == 0);
        X509_free(x);
    }
    BIO_free(bio);
    bio = BIO_new_mem_buf(out.data, (int)out.len);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(k, psc_store_entry(st, 0)->key), 1);
    EVP_PKEY_free(k);
    BIO_free(bio);
    psc_buf_free(&out, 1);

    write_store(st, NULL, 0, &out);
    CU_ASSERT_PTR_NULL(strstr((const char *)out.data, "PRIVATE KEY"));
    CU_ASSERT_PTR_NOT_NULL(strstr((const char *)out.data, "BEGIN CERTIFICATE"));
    psc_buf_free(&out, 1);
    psc_store_free(st);
}

static void test_write_encrypted_key(void)
{
    psc_store *st = keychain_store();
    psc_buf out;
    write_store(st, "Out-Pass-1", 1, &out);
    CU_ASSERT_PTR_NULL(strstr((const char *)out.data, "BEGIN PRIVATE KEY"));
    CU_ASSERT_PTR_NOT_NULL(strstr((const char *)out.data, "BEGIN ENCRYPTED PRIVATE KEY"));
    BIO *bio = BIO_new_mem_buf(out.data, (int)out.len);
    X509_SIG *sig = PEM_read_bio_PKCS8(bio, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
    const X509_ALGOR *alg;
    X509_SIG_get0(sig, &alg, NULL);
    const ASN1_OBJECT *oid;
    const void *param;
    int ptype;
    X509_ALGOR_get0(&oid, &ptype, &param, alg);
    CU_ASSERT_EQUAL(OBJ_obj2nid(oid), NID_pbes2);
    /* PBES2 parameters: PBKDF2 key derivation, AES-256-CBC */
    const ASN1_STRING *ps = param;
    const unsigned char *pp = ASN1_STRING_get0_data(ps);
    PBE2PARAM *p2 = d2i_PBE2PARAM(NULL, &pp, ASN1_STRING_length(ps));
    CU_ASSERT_PTR_NOT_NULL_FATAL(p2);
    CU_ASSERT_EQUAL(OBJ_obj2nid(p2->keyfunc->algorithm), NID_id_pbkdf2);
    CU_ASSERT_EQUAL(OBJ_obj2nid(p2->encryption->algorithm), NID_aes_256_cbc);
    PBE2PARAM_free(p2);
    X509_SIG_free(sig);
    BIO_free(bio);
    bio = BIO_new_mem_buf(out.data, (int)out.len);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"Out-Pass-1");
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(k, psc_store_entry(st, 0)->key), 1);
    EVP_PKEY_free(k);
    BIO_free(bio);
    /* and our own reader reads it back with the password */
    psc_store *back = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_bytes(back, out.data, out.len, "Out-Pass-1", &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_pair_keys(back, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(back), 1);
    psc_store_free(back);
    psc_buf_free(&out, 1);
    psc_store_free(st);
    ERR_clear_error();
}

/* Two files holding the same certificates: each certificate written once. */
static void test_write_dedupes(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/hci-worker-node.pem"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/lb-server.crt"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(read_into(st, unit_fixture("pki/lb-root.crt"), NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 5);
    psc_buf out;
    write_store(st, NULL, 1, &out);
    size_t n = 0;
    for (const char *p = (const char *)out.data; (p = strstr(p, "BEGIN CERTIFICATE")); p++)
        n++;
    CU_ASSERT_EQUAL(n, 3);
    psc_buf_free(&out, 0);
    psc_store_free(st);
}

/* ---- certificate armour decoded without PEM_read_bio_ex ----------------- */

/* der (+ extra trailing bytes, to vary the padding) as a CERTIFICATE block:
 * base64 in lines of `width`, each ending in eol; `edit` changes the text
 * before it is returned (NULL: none). */
static char *armour(const unsigned char *der, size_t len, int width, const char *eol,
                    void (*edit)(char *body))
{
    unsigned char *b64 = malloc(len * 2 + 8);
    char *out = malloc(len * 3 + 256);
    CU_ASSERT_FATAL(b64 != NULL && out != NULL);
    int n = EVP_EncodeBlock(b64, der, (int)len);
    strcpy(out, "-----BEGIN CERTIFICATE-----\n");
    char *body = out + strlen(out);
    char *p = body;
    for (int i = 0; i < n; i += width) {
        int k = n - i < width ? n - i : width;
        memcpy(p, b64 + i, (size_t)k);
        p += k;
        p += sprintf(p, "%s", eol);
    }
    strcpy(p, "-----END CERTIFICATE-----\n");
    if (edit)
        edit(body);
    free(b64);
    return out;
}

static void space_in_line(char *body) { body[10] = ' '; }
static void star_in_line(char *body) { body[70] = '*'; }
static void equals_in_line(char *body) { body[68] = '='; }
static void blank_first(char *body) { memmove(body + 1, body, strlen(body) + 1), body[0] = '\n'; }
static void header_line(char *body)
{
    static const char h[] = "Comment: made by hand\n\n";
    memmove(body + sizeof h - 1, body, strlen(body) + 1);
    memcpy(body, h, sizeof h - 1);
}
/* the last base64 line runs into the END marker */
static void end_on_last_line(char *body)
{
    char *end = strstr(body, "-----END");
    if (end != NULL && end > body && end[-1] == '\n')
        memmove(end - 1, end, strlen(end) + 1);
}

/* The store's certificates after reading text with the walk on or off. */
static int read_fps(const char *text, int lite, unsigned char fps[][32], size_t *n)
{
    psc_certfacts_set_lite(lite);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    int rc = read_bytes(st, text, strlen(text), NULL, &e);
    *n = psc_store_cert_count(st);
    for (size_t i = 0; i < *n && i < 4; i++)
        memcpy(fps[i], psc_store_cert(st, i)->sha256, 32);
    psc_store_free(st);
    psc_certfacts_set_lite(1);
    return rc;
}

/* Certificate blocks in the armour OpenSSL, cryptography and keytool -rfc
 * write are decoded by pem.c itself; every other armour goes to
 * PEM_read_bio_ex.  Both ways must give the same answer for every variant,
 * and the canonical ones the certificate OpenSSL reads. */
static void test_plain_armour_same_as_openssl(void)
{
    static const struct {
        int width;
        const char *eol;
        void (*edit)(char *);
        int ok; /* 1 must read, 0 must fail, -1 whatever OpenSSL says */
    } variants[] = {
        {64, "\n", NULL, 1},          {64, "\r\n", NULL, 1},           {76, "\n", NULL, -1},
        {4, "\n", NULL, -1},          {64, "\n", space_in_line, -1},   {64, "\n", star_in_line, 0},
        {64, "\n", equals_in_line, -1}, {64, "\n", blank_first, -1},   {64, "\n", header_line, -1},
        {64, "\n", end_on_last_line, -1}, {64, " \n", NULL, -1},
        /* 64 characters a line, four of them blanks OpenSSL skips */
        {60, "    \n", NULL, 1},        {60, "\t\t\t\t\r\n", NULL, 1},
    };
    psc_buf der = {0};
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_fixture("pki/erp-client.der"), &der), 0);
    unsigned char want[32];
    CU_ASSERT_FATAL(EVP_Digest(der.data, der.len, want, NULL, EVP_sha256(), NULL) == 1);
    unsigned char *padded = malloc(der.len + 2);
    CU_ASSERT_FATAL(padded != NULL);
    memcpy(padded, der.data, der.len);
    memset(padded + der.len, 0, 2);
    int canonical_read = 0;
    for (size_t extra = 0; extra < 3; extra++) { /* three paddings: "", "=", "==" */
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            char *text = armour(padded, der.len + extra, variants[v].width, variants[v].eol,
                                variants[v].edit);
            unsigned char mine[4][32], theirs[4][32];
            size_t nm = 0, nt = 0;
            int rm = read_fps(text, 1, mine, &nm), rt = read_fps(text, 0, theirs, &nt);
            CU_ASSERT_EQUAL(rm, rt);
            CU_ASSERT_EQUAL(nm, nt);
            if (rm != rt || nm != nt)
                fprintf(stderr, "\n  variant %zu, %zu extra: rc %d/%d, %zu/%zu certificates", v,
                        extra, rm, rt, nm, nt);
            for (size_t i = 0; i < nm && i < nt && i < 4; i++)
                CU_ASSERT_EQUAL(memcmp(mine[i], theirs[i], 32), 0);
            if (variants[v].ok == 1) {
                CU_ASSERT_EQUAL(rm, PSC_OK);
                CU_ASSERT_EQUAL_FATAL(nm, 1);
                CU_ASSERT_EQUAL(memcmp(mine[0], want, 32), 0);
                canonical_read++;
            } else if (variants[v].ok == 0) {
                CU_ASSERT_EQUAL(rm, PSC_EINPUT);
            }
            free(text);
        }
    }
    CU_ASSERT_EQUAL(canonical_read, 12);
    free(padded);
    psc_buf_free(&der, 0);
}

void unit_register(void)
{
    static const CU_TestInfo read_tests[] = {
        {"keychain: 1 key pair, chain of 3, leaf first", test_keychain},
        {"s_client output: 3 certificates", test_sclient},
        {"P-384 chain", test_p384_chain},
        {"CRLF line ends", test_crlf_same_as_lf},
        {"UTF-8 BOM", test_bom},
        {"Bag Attributes dump pairs", test_bag_attributes},
        {"encrypted PKCS#8: right, wrong, no password", test_encrypted_key},
        {"traditional RSA and EC keys", test_traditional_keys},
        {"traditional encrypted key", test_traditional_encrypted},
        {"TRUSTED CERTIFICATE", test_trusted_certificate},
        {"PKCS7 block", test_pkcs7_block},
        {"garbage and empty input", test_garbage_and_empty},
        {"truncated and damaged blocks", test_truncated},
        {"blocks pseconv does not read", test_skipped_blocks},
        {"probe", test_probe},
        {"plain certificate armour: read as PEM_read_bio_ex reads it", test_plain_armour_same_as_openssl},
        {NULL, NULL}};
    static const CU_TestInfo write_tests[] = {
        {"order leaf, chain, key; exact DER; --no-keys", test_write_order_and_bytes},
        {"encrypted PKCS#8 output (PBES2, PBKDF2, AES-256-CBC)", test_write_encrypted_key},
        {"each certificate once", test_write_dedupes},
        {NULL, NULL}};
    unit_suite("pem read", read_tests);
    unit_suite("pem write", write_tests);
}
