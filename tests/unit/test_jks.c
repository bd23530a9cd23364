/* JKS / JCEKS: the pyjks corpus (made by Java), hostile inputs, the key
 * protectors, writing and reading back, and the --for cpi checks. */
#include "unit.h"
#include "format.h"
#include "javaks.h"
#include "cpi_policy.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

/* ---- corpus expectations --------------------------------------------------
 * Entry aliases, types and chain lengths below come from
 * `keytool -list -v -keystore F -storepass P [-storetype JCEKS]` (OpenJDK 17)
 * run by hand on each file; secret key algorithms from pyjks
 * (KeyStore.load(...).secret_keys[a].algorithm). */
typedef struct exp_entry {
    const char *alias;
    psc_entry_type type;
    size_t chain_len;       /* 0 for secret keys */
    const char *secret_alg; /* pyjks */
} exp_entry;

typedef struct exp_file {
    const char *rel, *password, *key_password;
    size_t count;
    exp_entry e[3];
} exp_file;

#define K PSC_ENTRY_KEYPAIR
#define T PSC_ENTRY_TRUSTED
#define S PSC_ENTRY_SECRET
/* U+10DA U+0028 U+0CA0 U+76CA U+0CA0 U+10DA U+0029 as UTF-8 (corpus README). */
#define NON_ASCII_PW "\xe1\x83\x9a(\xe0\xb2\xa0\xe7\x9b\x8a\xe0\xb2\xa0\xe1\x83\x9a)"

static const exp_file corpus[] = {
    {"pyjks/jks/3certs.jks", "12345678", NULL, 3, {{"cert1", T, 1, NULL}, {"cert2", T, 1, NULL}, {"cert3", T, 1, NULL}}},
    {"pyjks/jks/DSA2048.jks", "12345678", NULL, 1, {{"mykey", K, 1, NULL}}},
    {"pyjks/jks/RSA1024.jks", "12345678", NULL, 1, {{"mykey", K, 1, NULL}}},
    {"pyjks/jks/RSA2048_3certs.jks", "12345678", NULL, 1, {{"mykey", K, 3, NULL}}},
    {"pyjks/jks/custom_entry_passwords.jks", "store_password", "private_password", 2, {{"cert", T, 1, NULL}, {"private", K, 1, NULL}}},
    {"pyjks/jks/empty.jks", "", NULL, 0, {{NULL, 0, 0, NULL}}},
    {"pyjks/jks/non_ascii_password.jks", NON_ASCII_PW, NULL, 1, {{"mykey", K, 1, NULL}}},
    {"pyjks/jceks/3certs.jceks", "12345678", NULL, 3, {{"cert1", T, 1, NULL}, {"cert2", T, 1, NULL}, {"cert3", T, 1, NULL}}},
    {"pyjks/jceks/AES128.jceks", "12345678", NULL, 1, {{"mykey", S, 0, "AES"}}},
    {"pyjks/jceks/AES256.jceks", "12345678", NULL, 1, {{"mykey", S, 0, "AES"}}},
    {"pyjks/jceks/DES.jceks", "12345678", NULL, 1, {{"mykey", S, 0, "DES"}}},
    {"pyjks/jceks/DESede.jceks", "12345678", NULL, 1, {{"mykey", S, 0, "DESede"}}},
    {"pyjks/jceks/PBKDF2WithHmacSHA1.jceks", "12345678", NULL, 1, {{"mykey", S, 0, "PBKDF2WithHmacSHA1"}}},
    {"pyjks/jceks/DSA2048.jceks", "12345678", NULL, 1, {{"mykey", K, 1, NULL}}},
    {"pyjks/jceks/RSA1024.jceks", "12345678", NULL, 1, {{"mykey", K, 1, NULL}}},
    {"pyjks/jceks/RSA2048_3certs.jceks", "12345678", NULL, 1, {{"mykey", K, 3, NULL}}},
    /* the secret key has its own password: listed, algorithm unknown */
    {"pyjks/jceks/custom_entry_passwords.jceks", "store_password", "private_password", 3, {{"cert", T, 1, NULL}, {"private", K, 1, NULL}, {"secret", S, 0, NULL}}},
    {"pyjks/jceks/empty.jceks", "", NULL, 0, {{NULL, 0, 0, NULL}}},
};

static int read_mem(psc_store *st, const psc_buf *b, const char *path, const char *pw,
                    const char *kpw, psc_err *e)
{
    psc_secret p = {0}, k = {0};
    if (pw)
        psc_secret_set(&p, pw);
    if (kpw)
        psc_secret_set(&k, kpw);
    psc_read_opts o = {.path = path, .password = &p, .key_password = &k};
    int rc = psc_read_buffer(st, b->data, b->len, NULL, &o, NULL, e);
    psc_secret_clear(&p);
    psc_secret_clear(&k);
    return rc;
}

static int read_corpus(psc_store *st, const char *rel, const char *pw, const char *kpw, psc_err *e)
{
    psc_buf b;
    psc_buf_init(&b);
    if (unit_read(unit_corpus(rel), &b) != 0)
        return -1;
    int rc = read_mem(st, &b, rel, pw, kpw, e);
    psc_buf_free(&b, 0);
    return rc;
}

static psc_entry *by_alias(psc_store *st, const char *alias)
{
    for (size_t i = 0; i < psc_store_entry_count(st); i++)
        if (strcmp(psc_store_entry(st, i)->alias, alias) == 0)
            return psc_store_entry(st, i);
    return NULL;
}

static void test_corpus(void)
{
    for (size_t f = 0; f < sizeof corpus / sizeof corpus[0]; f++) {
        const exp_file *x = &corpus[f];
        psc_store *st = psc_store_new();
        psc_err e = {0};
        int rc = read_corpus(st, x->rel, x->password, x->key_password, &e);
        if (rc != PSC_OK)
            fprintf(stderr, "\n%s: %s\n", x->rel, e.msg);
        CU_ASSERT_EQUAL_FATAL(rc, PSC_OK);
        CU_ASSERT_EQUAL(psc_store_entry_count(st), x->count);
        CU_ASSERT_EQUAL(psc_store_warning_count(st), 0); /* password given: nothing to warn */
        for (size_t i = 0; i < x->count; i++) {
            psc_entry *en = by_alias(st, x->e[i].alias);
            CU_ASSERT_PTR_NOT_NULL_FATAL(en);
            CU_ASSERT_EQUAL(en->type, x->e[i].type);
            CU_ASSERT_EQUAL(en->chain_len, x->e[i].chain_len);
            CU_ASSERT_TRUE(en->created_ms > 1400000000000LL); /* 2016 timestamps */
            CU_ASSERT_STRING_EQUAL(en->origin.format, strstr(x->rel, ".jceks") ? "jceks" : "jks");
            if (en->type == K)
                CU_ASSERT_PTR_NOT_NULL(en->key);
            if (x->e[i].secret_alg) {
                CU_ASSERT_TRUE(en->secret_alg && strcmp(en->secret_alg, x->e[i].secret_alg) == 0);
            } else {
                CU_ASSERT_PTR_NULL(en->secret_alg);
            }
        }
        psc_store_free(st);
    }
}

static void test_key_matches_leaf(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/RSA2048_3certs.jks", "12345678", NULL, &e), PSC_OK);
    psc_entry *en = by_alias(st, "mykey");
    CU_ASSERT_PTR_NOT_NULL_FATAL(en);
    EVP_PKEY *pub = X509_get0_pubkey(psc_cert_x509(en->chain[0]));
    CU_ASSERT_EQUAL(EVP_PKEY_eq(en->key, pub), 1);
    psc_store_free(st);
}

static void expect_fail(const char *rel, const char *pw, const char *kpw, const char *needle)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_corpus(st, rel, pw, kpw, &e), PSC_EINPUT);
    if (strstr(e.msg, needle) == NULL)
        fprintf(stderr, "\n%s: message '%s' lacks '%s'\n", rel, e.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, needle));
    psc_store_free(st);
}

static void test_rejections(void)
{
    expect_fail("pyjks/jks/duplicate_aliases.jks", "12345678", NULL, "'my_alias' occurs twice");
    expect_fail("pyjks/jceks/duplicate_aliases.jceks", "12345678", NULL, "'my_alias' occurs twice");
    expect_fail("pyjks/jks/custom_entry_passwords.jks", "store_password", NULL, "try --key-password");
    expect_fail("pyjks/jceks/custom_entry_passwords.jceks", "store_password", NULL, "try --key-password");
    expect_fail("pyjks/jks/3certs.jks", "wrong", NULL, "wrong password for pyjks/jks/3certs.jks");
    expect_fail("pyjks/jceks/RSA1024.jceks", "", NULL, "integrity check failed");
    expect_fail("pyjks/jks/non_ascii_password.jks", "12345678", NULL, "wrong password");
}

/* A store from another file may already hold an alias: that is not a duplicate. */
static void test_alias_from_other_file(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_corpus(st, "pyjks/jks/RSA1024.jks", "12345678", NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(read_corpus(st, "pyjks/jks/DSA2048.jks", "12345678", NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 2);
    psc_store_free(st);
}

static void test_no_password(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/RSA2048_3certs.jks", NULL, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    psc_entry *en = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(en->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_PTR_NULL(en->key);
    CU_ASSERT_EQUAL(en->chain_len, 3);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "integrity not checked"));
    psc_store_free(st);
    /* truststore.jks: password unknown, certificates listed (keytool: 2 trustedCertEntry) */
    st = psc_store_new();
    CU_ASSERT_EQUAL(read_corpus(st, "pyjks/jks/truststore.jks", NULL, NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 2);
    CU_ASSERT_PTR_NOT_NULL(by_alias(st, "cordarootca"));
    psc_store_free(st);
}

/* keytool refuses these three ("Invalid secret key format"); we list them. */
static void test_odd_sealed_objects(void)
{
    static const char *files[] = {"pyjks/jceks/unknown_sealed_object_sealAlg.jceks",
                                  "pyjks/jceks/unknown_type_inside_sealed_object.jceks",
                                  "pyjks/jceks/unknown_type_of_sealed_object.jceks"};
    for (size_t i = 0; i < 3; i++) {
        psc_store *st = psc_store_new();
        psc_err e = {0};
        CU_ASSERT_EQUAL(read_corpus(st, files[i], "12345678", NULL, &e), PSC_OK);
        CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
        CU_ASSERT_EQUAL(psc_store_entry(st, 0)->type, PSC_ENTRY_SECRET);
        CU_ASSERT_PTR_NULL(psc_store_entry(st, 0)->secret_alg);
        psc_store_free(st);
    }
}

/* Every strict prefix fails; every single-bit flip fails with the password
 * and fails or reads without it, never crashes (run under ASan too). */
static void test_truncated_and_flipped(void)
{
    static const char *files[] = {"pyjks/jks/RSA2048_3certs.jks", "pyjks/jceks/custom_entry_passwords.jceks",
                                  "pyjks/jceks/AES128.jceks", "pyjks/jks/3certs.jks"};
    static const char *pws[] = {"12345678", "store_password", "12345678", "12345678"};
    for (size_t f = 0; f < 4; f++) {
        psc_buf b;
        psc_buf_init(&b);
        CU_ASSERT_EQUAL_FATAL(unit_read(unit_corpus(files[f]), &b), 0);
        size_t bad = 0;
        for (size_t n = 0; n < b.len; n += (n < 64 || n + 64 > b.len ? 1 : 5)) {
            psc_store *st = psc_store_new();
            psc_err e = {0};
            psc_buf cut = {.data = b.data, .len = n, .cap = n};
            bad += read_mem(st, &cut, "cut", NULL, NULL, &e) != PSC_EINPUT;
            psc_store_free(st);
        }
        CU_ASSERT_EQUAL(bad, 0);
        for (size_t bit = 0; bit < b.len * 8; bit += 13) {
            b.data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            psc_store *st = psc_store_new();
            psc_err e = {0};
            int rc = read_mem(st, &b, "flip", pws[f], "private_password", &e);
            bad += rc != PSC_EINPUT;
            psc_store_free(st);
            st = psc_store_new();
            rc = read_mem(st, &b, "flip", NULL, NULL, &e);
            bad += rc != PSC_EINPUT && rc != PSC_OK;
            psc_store_free(st);
            b.data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        }
        CU_ASSERT_EQUAL(bad, 0);
        psc_buf_free(&b, 0);
    }
}

static void test_hostile_headers(void)
{
    /* 4 billion entries in a 40-byte file: rejected before any allocation. */
    unsigned char huge[40] = {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff};
    psc_buf b = {.data = huge, .len = sizeof huge, .cap = sizeof huge};
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_mem(st, &b, "huge", NULL, NULL, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "more than the file can hold"));
    psc_store_free(st);
    /* version 3 */
    huge[7] = 3;
    huge[11] = 0;
    st = psc_store_new();
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_mem(st, &b, "v3", NULL, NULL, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "version 3"));
    psc_store_free(st);
    /* a key entry claiming 2^32-1 certificates */
    unsigned char chain[64] = {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, /* tag */ 0, 0, 0, 1,
                               0, 1, 'a', /* ts */ 0, 0, 0, 0, 0, 0, 0, 0, /* key */ 0, 0, 0, 1, 0x30,
                               /* chain */ 0xff, 0xff, 0xff, 0xff};
    psc_buf c = {.data = chain, .len = sizeof chain, .cap = sizeof chain};
    st = psc_store_new();
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(read_mem(st, &c, "chain", NULL, NULL, &e), PSC_EINPUT);
    psc_store_free(st);
}

static void test_trailing_bytes(void)
{
    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(unit_read(unit_corpus("pyjks/jks/3certs.jks"), &b), 0);
    psc_buf_append(&b, "junk\n", 5);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL(read_mem(st, &b, "x.jks", "12345678", NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 3);
    CU_ASSERT_EQUAL_FATAL(psc_store_warning_count(st), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 0), "5 bytes after the integrity check"));
    psc_store_free(st);
    psc_buf_free(&b, 0);
}

/* ---- primitives ------------------------------------------------------- */

static void test_utf16(void)
{
    psc_secret s = {0};
    size_t n;
    psc_secret_set(&s, "a\xc3\xa9\xf0\x9f\x98\x80"); /* a, e-acute, U+1F600 (surrogate pair) */
    unsigned char *u = psc_javaks_utf16be(&s, &n);
    static const unsigned char want[] = {0, 'a', 0, 0xe9, 0xd8, 0x3d, 0xde, 0x00};
    CU_ASSERT_EQUAL_FATAL(n, sizeof want);
    CU_ASSERT_EQUAL(memcmp(u, want, n), 0);
    free(u);
    static const char *bad[] = {"\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xff"};
    for (size_t i = 0; i < 4; i++) {
        psc_secret_set(&s, bad[i]);
        CU_ASSERT_PTR_NULL(psc_javaks_utf16be(&s, &n));
    }
    psc_secret_clear(&s);
}

static void test_protectors(void)
{
    const unsigned char plain[] = "a PKCS#8 stand-in that spans more than one SHA-1 block";
    const unsigned char pw16[] = {0, 'p', 0, 'w'};
    unsigned char *blob = NULL, *back = NULL;
    size_t bn, pn;
    CU_ASSERT_EQUAL_FATAL(psc_jks_key_encrypt(plain, sizeof plain, pw16, 4, &blob, &bn), 0);
    CU_ASSERT_EQUAL(bn, sizeof plain + 40);
    CU_ASSERT_EQUAL_FATAL(psc_jks_key_decrypt(blob, bn, pw16, 4, &back, &pn), 0);
    CU_ASSERT_TRUE(pn == sizeof plain && memcmp(back, plain, pn) == 0);
    free(back);
    CU_ASSERT_EQUAL(psc_jks_key_decrypt(blob, bn, pw16, 2, &back, &pn), 1); /* wrong password */
    CU_ASSERT_EQUAL(psc_jks_key_decrypt(blob, 40, pw16, 4, &back, &pn), -1);
    free(blob);

    /* JCE: equal salt halves take Java's odd swap path; both directions agree. */
    psc_secret pw = {0};
    psc_secret_set(&pw, "12345678");
    const unsigned char salt[8] = {1, 2, 3, 4, 1, 2, 3, 4};
    CU_ASSERT_EQUAL_FATAL(psc_jce_pbe_encrypt(plain, sizeof plain, salt, 20, &pw, &blob, &bn), 0);
    CU_ASSERT_EQUAL(bn % 8, 0);
    CU_ASSERT_EQUAL_FATAL(psc_jce_pbe_decrypt(blob, bn, salt, 20, &pw, &back, &pn), 0);
    CU_ASSERT_TRUE(pn == sizeof plain && memcmp(back, plain, pn) == 0);
    free(back);
    psc_secret_set(&pw, "\xc3\xa9t\xc3\xa9"); /* non-ASCII: Java refuses, so do we */
    CU_ASSERT_EQUAL(psc_jce_pbe_decrypt(blob, bn, salt, 20, &pw, &back, &pn), -1);
    free(blob);
    psc_secret_clear(&pw);
}

/* ---- writing ------------------------------------------------------------- */

static int write_store(psc_store *st, const char *fmt, const char *pw, int for_cpi, psc_buf *out,
                       psc_err *e)
{
    psc_secret p = {0};
    if (pw)
        psc_secret_set(&p, pw);
    psc_write_opts wo = {"out", &p, 0, 0, for_cpi, 1, 0};
    int rc = psc_format_by_name(fmt)->write(st, out, &wo, e);
    psc_secret_clear(&p);
    return rc;
}

static void roundtrip(const char *rel, const char *fmt)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, rel, "12345678", NULL, &e), PSC_OK);
    psc_buf out;
    psc_buf_init(&out);
    CU_ASSERT_EQUAL_FATAL(write_store(st, fmt, "N3w-pass", 0, &out, &e), PSC_OK);
    psc_store *back = psc_store_new();
    CU_ASSERT_EQUAL_FATAL(read_mem(back, &out, "back", "N3w-pass", NULL, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 0)->origin.format, fmt);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(back), psc_store_entry_count(st));
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        psc_entry *a = psc_store_entry(st, i), *b = by_alias(back, a->alias);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        CU_ASSERT_EQUAL(a->type, b->type);
        CU_ASSERT_EQUAL(a->created_ms, b->created_ms);
        CU_ASSERT_EQUAL_FATAL(a->chain_len, b->chain_len);
        for (size_t k = 0; k < a->chain_len; k++)
            CU_ASSERT_STRING_EQUAL(a->chain[k]->sha256_hex, b->chain[k]->sha256_hex);
        if (a->key)
            CU_ASSERT_EQUAL(EVP_PKEY_eq(a->key, b->key), 1);
    }
    psc_store_free(back);
    psc_buf_free(&out, 1);
    psc_store_free(st);
}

static void test_write_roundtrip(void)
{
    roundtrip("pyjks/jks/RSA2048_3certs.jks", "jks");
    roundtrip("pyjks/jks/3certs.jks", "jks");
    roundtrip("pyjks/jceks/DSA2048.jceks", "jceks");
    roundtrip("pyjks/jks/RSA2048_3certs.jks", "jceks");
}

static void test_write_rules(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_buf out;
    psc_buf_init(&out);
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/RSA1024.jks", "12345678", NULL, &e), PSC_OK);
    /* no password: usage error naming --out-password */
    CU_ASSERT_EQUAL(write_store(st, "jks", NULL, 0, &out, &e), PSC_EUSAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--out-password"));
    /* aliases are written lower-case, as Java does */
    psc_entry_set_alias(st, psc_store_entry(st, 0), "MyKey");
    psc_err_clear(&e);
    CU_ASSERT_EQUAL_FATAL(write_store(st, "jks", "pw", 0, &out, &e), PSC_OK);
    psc_store *back = psc_store_new();
    CU_ASSERT_EQUAL(read_mem(back, &out, "back", "pw", NULL, &e), PSC_OK);
    CU_ASSERT_PTR_NOT_NULL(by_alias(back, "mykey"));
    psc_store_free(back);
    /* a second file with the same alias in other case: duplicate on write */
    CU_ASSERT_EQUAL(read_corpus(st, "pyjks/jks/DSA2048.jks", "12345678", NULL, &e), PSC_OK);
    out.len = 0;
    CU_ASSERT_EQUAL(write_store(st, "jks", "pw", 0, &out, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "'mykey'"));
    psc_store_free(st);
    /* secret keys are skipped with a warning; with nothing else there is
     * nothing to write: exit 3, as for pem and p12 (issue 16 item 12) */
    st = psc_store_new();
    CU_ASSERT_EQUAL(read_corpus(st, "pyjks/jceks/AES128.jceks", "12345678", NULL, &e), PSC_OK);
    out.len = 0;
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(write_store(st, "jceks", "pw", 0, &out, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "nothing to write: the input holds no certificates"));
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 1);
    psc_store_free(st);
    psc_buf_free(&out, 1);
}

/* Version 1 stores have no certificate type strings. */
static void test_version1(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/3certs.jks", "12345678", NULL, &e), PSC_OK);
    const psc_cert *c = psc_store_entry(st, 0)->chain[0];
    psc_buf v1;
    psc_buf_init(&v1);
    const unsigned char head[] = {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 2,
                                  'v', '1', 0, 0, 1, 0x50, 0, 0, 0, 0};
    unsigned char len[4] = {(unsigned char)(c->der_len >> 24), (unsigned char)(c->der_len >> 16),
                            (unsigned char)(c->der_len >> 8), (unsigned char)c->der_len};
    psc_buf_append(&v1, head, sizeof head);
    psc_buf_append(&v1, len, 4);
    psc_buf_append(&v1, c->der, c->der_len);
    const unsigned char pw16[] = {0, 'p', 0, 'w'};
    unsigned char mac[20];
    CU_ASSERT_EQUAL_FATAL(psc_javaks_trailer(pw16, 4, v1.data, v1.len, mac), 0);
    psc_buf_append(&v1, mac, 20);
    psc_store *back = psc_store_new();
    CU_ASSERT_EQUAL(read_mem(back, &v1, "v1.jks", "pw", NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(back), 1);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 0)->alias, "v1");
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 0)->chain[0]->sha256_hex, c->sha256_hex);
    psc_store_free(back);
    psc_buf_free(&v1, 0);
    psc_store_free(st);
}

/* --no-keys: key pairs become trusted entries of their leaf. */
static void test_write_without_keys(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_buf out;
    psc_buf_init(&out);
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/RSA2048_3certs.jks", "12345678", NULL, &e), PSC_OK);
    psc_secret p = {0};
    psc_secret_set(&p, "pw");
    psc_write_opts wo = {"out", &p, 0, 0, 0, 0, 0};
    CU_ASSERT_EQUAL_FATAL(psc_format_by_name("jks")->write(st, &out, &wo, &e), PSC_OK);
    psc_store *back = psc_store_new();
    CU_ASSERT_EQUAL(read_mem(back, &out, "back", "pw", NULL, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(back), 1);
    CU_ASSERT_EQUAL(psc_store_entry(back, 0)->type, PSC_ENTRY_TRUSTED);
    CU_ASSERT_PTR_NULL(psc_store_entry(back, 0)->key);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(back, 0)->chain[0]->sha256_hex,
                           psc_store_entry(st, 0)->chain[0]->sha256_hex);
    psc_store_free(back);
    psc_secret_clear(&p);
    psc_buf_free(&out, 1);
    psc_store_free(st);
}

static void test_cpi_policy(void)
{
    CU_ASSERT_TRUE(psc_cpi_alias_reserved("sap_cloudintegrationcertificate"));
    CU_ASSERT_TRUE(psc_cpi_alias_reserved("HCICertificate1"));
    CU_ASSERT_TRUE(psc_cpi_alias_reserved("hcimsgcertificate"));
    CU_ASSERT_FALSE(psc_cpi_alias_reserved("sapclient"));
    CU_ASSERT_FALSE(psc_cpi_alias_reserved("hcicertificate2"));
    psc_secret p = {0};
    static const struct { const char *pw; int ok; } cases[] = {
        {"Abcdefg1", 1}, {"abcdef1!", 1}, {"abcdefgh", 0}, {"Abc1!", 0}, {"ABCDEFG12", 0},
        {"Abcdefg\xc3\xa9" "1", 0}, {"12345678", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        psc_secret_set(&p, cases[i].pw);
        CU_ASSERT_EQUAL(psc_cpi_password_ok(&p), cases[i].ok);
    }
    psc_secret_clear(&p);
    /* writer with --for cpi: reserved alias + weak password + size (a key pair under 30,720 bytes) */
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_buf out;
    psc_buf_init(&out);
    CU_ASSERT_EQUAL_FATAL(read_corpus(st, "pyjks/jks/RSA1024.jks", "12345678", NULL, &e), PSC_OK);
    psc_entry_set_alias(st, psc_store_entry(st, 0), "sap_mykey");
    CU_ASSERT_EQUAL(write_store(st, "jks", "12345678", 1, &out, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 2);
    psc_cpi_policy_check(st, NULL, 40000);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_store_warning(st, 2), "30720"));
    psc_store_free(st);
    psc_buf_free(&out, 1);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"pyjks corpus as keytool lists it", test_corpus},
        {"decrypted key matches the leaf", test_key_matches_leaf},
        {"duplicates, wrong passwords", test_rejections},
        {"same alias in another file", test_alias_from_other_file},
        {"no password: certificates + warning", test_no_password},
        {"malformed sealed objects list", test_odd_sealed_objects},
        {"truncated and bit-flipped inputs", test_truncated_and_flipped},
        {"hostile counts and versions", test_hostile_headers},
        {"bytes after the trailer", test_trailing_bytes},
        {"UTF-8 to UTF-16BE", test_utf16},
        {"key protectors", test_protectors},
        {"write and read back", test_write_roundtrip},
        {"writer rules", test_write_rules},
        {"version 1 store", test_version1},
        {"writing without keys", test_write_without_keys},
        {"--for cpi policy", test_cpi_policy},
        CU_TEST_INFO_NULL};
    unit_suite("jks", tests);
}
