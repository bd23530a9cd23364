/* The store's lookup structures (src/core/store_index.c) and the store
 * behaviour built on them: buckets per distinct key (many equal keys,
 * truncation for rollback), the name set, and the alias counter, whose
 * answers must be exactly those of the old "try CN, CN-2, CN-3, ... from
 * the start" search. */
#include "unit.h"
#include "chain.h"
#include "store.h"
#include "keypair.h"
#include "store_index.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- psc_keyidx ----------------------------------------------------------- */

static void test_keyidx_equal_keys(void)
{
    psc_keyidx t;
    memset(&t, 0, sizeof t);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 7), PSC_KEYIDX_END); /* empty index */
    /* 20,000 items: every third has key 7 (one CA's 6,667 leaves), the rest
     * distinct keys; 7's bucket must come back complete and in order. */
    for (uint32_t i = 0; i < 20000; i++)
        CU_ASSERT_EQUAL_FATAL(psc_keyidx_push(&t, i % 3 == 0 ? 7u : 1000u + i), i);
    CU_ASSERT_EQUAL(psc_keyidx_count(&t, 7), 6667);
    uint32_t expect = 0, seen = 0;
    for (uint32_t i = psc_keyidx_first(&t, 7); i != PSC_KEYIDX_END; i = psc_keyidx_next(&t, i)) {
        CU_ASSERT_EQUAL(i, expect);
        expect += 3;
        seen++;
    }
    CU_ASSERT_EQUAL(seen, 6667);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 1001), 1);
    CU_ASSERT_EQUAL(psc_keyidx_next(&t, 1), PSC_KEYIDX_END);
    CU_ASSERT_EQUAL(psc_keyidx_count(&t, 1003), 0); /* item 3 has key 7 */
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 999999), PSC_KEYIDX_END);

    /* Rollback to 10,000 items: key 7 keeps 0, 3, ..., 9999; 1000+i for i >= 10000 go. */
    psc_keyidx_truncate(&t, 10000);
    CU_ASSERT_EQUAL(t.nitems, 10000);
    CU_ASSERT_EQUAL(psc_keyidx_count(&t, 7), 3334);
    uint32_t last = PSC_KEYIDX_END;
    for (uint32_t i = psc_keyidx_first(&t, 7); i != PSC_KEYIDX_END; i = psc_keyidx_next(&t, i))
        last = i;
    CU_ASSERT_EQUAL(last, 9999);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 1000 + 10001), PSC_KEYIDX_END);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 1000 + 9998), 9998);
    /* Pushing again after the rollback appends to the emptied and the kept buckets. */
    CU_ASSERT_EQUAL(psc_keyidx_push(&t, 1000 + 10001), 10000);
    CU_ASSERT_EQUAL(psc_keyidx_push(&t, 7), 10001);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 1000 + 10001), 10000);
    CU_ASSERT_EQUAL(psc_keyidx_next(&t, 9999), 10001);
    CU_ASSERT_EQUAL(psc_keyidx_count(&t, 7), 3335);
    /* All the way back: nothing is found. */
    psc_keyidx_truncate(&t, 0);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 7), PSC_KEYIDX_END);
    CU_ASSERT_EQUAL(psc_keyidx_count(&t, 7), 0);
    CU_ASSERT_EQUAL(psc_keyidx_push(&t, 7), 0);
    CU_ASSERT_EQUAL(psc_keyidx_first(&t, 7), 0);
    psc_keyidx_free(&t);
}

/* Up to 8 distinct keys the index has no table (a store per system in a
 * landscape); from the 9th on it has one.  Both answer the same: checked
 * against a plain list after every push, across the switch. */
static void test_keyidx_small_then_table(void)
{
    psc_keyidx t;
    memset(&t, 0, sizeof t);
    uint32_t keys[40];
    for (uint32_t i = 0; i < 40; i++) {
        keys[i] = (i * 7) % 13 + 100; /* 13 distinct keys, repeated */
        CU_ASSERT_EQUAL_FATAL(psc_keyidx_push(&t, keys[i]), i);
        if (t.nbuckets <= 8)
            CU_ASSERT_EQUAL(t.table_cap, 0);
        for (uint32_t k = 95; k < 118; k++) {
            uint32_t first = PSC_KEYIDX_END, count = 0;
            for (uint32_t j = 0; j <= i; j++)
                if (keys[j] == k) {
                    count++;
                    if (first == PSC_KEYIDX_END)
                        first = j;
                }
            CU_ASSERT_EQUAL(psc_keyidx_first(&t, k), first);
            CU_ASSERT_EQUAL(psc_keyidx_count(&t, k), count);
        }
    }
    CU_ASSERT_EQUAL(t.nbuckets, 13);
    CU_ASSERT_EQUAL(t.table_cap, 32);
    psc_keyidx_free(&t);
}

/* ---- psc_nameset ----------------------------------------------------------- */

static void test_nameset(void)
{
    psc_nameset ci, ex;
    psc_nameset_init(&ci, 1);
    psc_nameset_init(&ex, 0);
    CU_ASSERT_FALSE(psc_nameset_has(&ci, "a"));
    for (int i = 0; i < 5000; i++) {
        char n[32];
        snprintf(n, sizeof n, "Alias-%d", i);
        CU_ASSERT_EQUAL(psc_nameset_add(&ci, n), 1);
        CU_ASSERT_EQUAL(psc_nameset_add(&ex, n), 1);
    }
    CU_ASSERT_EQUAL(psc_nameset_add(&ci, "ALIAS-17"), 0); /* case-insensitive */
    CU_ASSERT_EQUAL(psc_nameset_add(&ex, "ALIAS-17"), 1); /* exact */
    CU_ASSERT_TRUE(psc_nameset_has(&ci, "alias-4999"));
    CU_ASSERT_FALSE(psc_nameset_has(&ex, "alias-4999"));
    CU_ASSERT_TRUE(psc_nameset_has(&ex, "Alias-4999"));
    CU_ASSERT_FALSE(psc_nameset_has(&ci, "alias-5000"));
    CU_ASSERT_EQUAL(ci.used, 5000);
    CU_ASSERT_EQUAL(ex.used, 5001);
    psc_nameset_free(&ci);
    psc_nameset_free(&ex);
}

/* ---- psc_alias_counter ------------------------------------------------------ */

/* A taken-set with removal, and the old search as the reference. */
typedef struct names {
    char *v[4096];
    int n;
} names;

static int names_taken(void *arg, const char *cand)
{
    names *s = arg;
    for (int i = 0; i < s->n; i++)
        if (strcasecmp(s->v[i], cand) == 0)
            return 1;
    return 0;
}

static void names_add(names *s, const char *a)
{
    CU_ASSERT_FATAL(s->n < 4096);
    s->v[s->n++] = strdup(a);
}

static void names_remove(names *s, const char *a)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->v[i], a) == 0) {
            free(s->v[i]);
            s->v[i] = s->v[--s->n];
            return;
        }
}

static void old_search(names *s, const char *base, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", base);
    for (int n = 2; names_taken(s, out) && n < 100000; n++)
        snprintf(out, outlen, "%s-%d", base, n);
}

static void test_alias_counter_same_as_before(void)
{
    names s = {{0}, 0};
    psc_alias_counter ctr;
    memset(&ctr, 0, sizeof ctr);
    char got[160], want[160];
    /* Explicit names in the way, in another case: "host-3" and "HOST-7". */
    names_add(&s, "host-3");
    names_add(&s, "HOST-7");
    names_add(&s, "other");
    /* 300 certificates with CN "Host", a few with "host" and "OTHER" among them. */
    for (int i = 0; i < 300; i++) {
        const char *base = i % 97 == 5 ? "host" : i % 101 == 7 ? "OTHER" : "Host";
        old_search(&s, base, want, sizeof want);
        CU_ASSERT_EQUAL(psc_alias_counter_next(&ctr, base, 99999, got, sizeof got, names_taken, &s), 0);
        CU_ASSERT_STRING_EQUAL(got, want);
        names_add(&s, got);
    }
    CU_ASSERT_TRUE(names_taken(&s, "Host"));
    CU_ASSERT_TRUE(names_taken(&s, "Host-2"));
    CU_ASSERT_TRUE(names_taken(&s, "Host-8"));
    CU_ASSERT_TRUE(names_taken(&s, "OTHER-2"));
    /* A name freed (the store removes an entry) and the counter reset: the
     * freed name is the next one again, as the old search gave it. */
    names_remove(&s, "Host-2");
    psc_alias_counter_reset(&ctr);
    old_search(&s, "Host", want, sizeof want);
    CU_ASSERT_STRING_EQUAL(want, "Host-2");
    CU_ASSERT_EQUAL(psc_alias_counter_next(&ctr, "Host", 99999, got, sizeof got, names_taken, &s), 0);
    CU_ASSERT_STRING_EQUAL(got, "Host-2");
    names_add(&s, got);
    /* All of base .. base-max taken: 1, out = base-max. */
    names_add(&s, "x");
    names_add(&s, "x-2");
    names_add(&s, "x-3");
    CU_ASSERT_EQUAL(psc_alias_counter_next(&ctr, "x", 3, got, sizeof got, names_taken, &s), 1);
    CU_ASSERT_STRING_EQUAL(got, "x-3");
    CU_ASSERT_EQUAL(psc_alias_counter_next(&ctr, "x", 4, got, sizeof got, names_taken, &s), 0);
    CU_ASSERT_STRING_EQUAL(got, "x-4");
    psc_alias_counter_free(&ctr);
    for (int i = 0; i < s.n; i++)
        free(s.v[i]);
}

/* ---- the store with one issuer for thousands of certificates ----------------- */

static EVP_PKEY *ca_key;

/* A certificate signed by ca_key: subject CN=cn, issuer CN=issuer_cn. */
static X509 *make_cert(const char *cn, const char *issuer_cn, EVP_PKEY *pub, long serial)
{
    X509 *x = X509_new();
    X509_NAME *s = X509_NAME_new(), *i = X509_NAME_new();
    CU_ASSERT_FATAL(x && s && i);
    X509_NAME_add_entry_by_txt(s, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_NAME_add_entry_by_txt(i, "CN", MBSTRING_ASC, (const unsigned char *)issuer_cn, -1, -1, 0);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_set_subject_name(x, s);
    X509_set_issuer_name(x, i);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
    X509_set_pubkey(x, pub);
    CU_ASSERT_FATAL(X509_sign(x, ca_key, EVP_sha256()) > 0);
    X509_NAME_free(s);
    X509_NAME_free(i);
    return x;
}

static psc_cert *add_x(psc_store *st, X509 *x)
{
    psc_err e = {0};
    psc_cert *c = psc_store_add_x509(st, x, "gen", &e);
    X509_free(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

static void test_store_one_issuer_same_cn(void)
{
    ca_key = EVP_EC_gen("P-256");
    EVP_PKEY *leaf_key = EVP_EC_gen("P-256");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ca_key);
    CU_ASSERT_PTR_NOT_NULL_FATAL(leaf_key);
    psc_store *st = psc_store_new();
    psc_cert *ca = add_x(st, make_cert("Bench CA", "Bench CA", ca_key, 1));
    /* 1,500 leaves, all CN=renewed.example (one issuer bucket, one subject bucket). */
    enum { LEAVES = 1500 };
    psc_cert *leaf[LEAVES];
    for (int i = 0; i < LEAVES; i++) {
        leaf[i] = add_x(st, make_cert("renewed.example", "Bench CA", leaf_key, 100 + i));
        psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, NULL, "bundle.pem", "pem", (size_t)i);
        CU_ASSERT_FATAL(en != NULL && psc_entry_push_cert(en, leaf[i]) == 0);
    }
    CU_ASSERT_EQUAL(psc_store_cert_count(st), LEAVES + 1);
    psc_cert *out[4];
    CU_ASSERT_EQUAL(psc_store_issuers_of(st, leaf[LEAVES - 1], out, 4), 1);
    CU_ASSERT_PTR_EQUAL(out[0], ca);
    CU_ASSERT_TRUE(psc_cert_issues_any(st, ca));
    CU_ASSERT_FALSE(psc_cert_issues_any(st, leaf[7]));
    CU_ASSERT_EQUAL(psc_cert_role(st, leaf[7]), PSC_ROLE_LEAF);
    psc_chain ch;
    psc_chain_build(st, leaf[LEAVES / 2], time(NULL), &ch);
    CU_ASSERT_TRUE(ch.complete);
    CU_ASSERT_EQUAL(ch.len, 2);
    /* Aliases as before: renewed.example, renewed.example-2, ... in entry order. */
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st, 0)->alias, "renewed.example");
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st, 1)->alias, "renewed.example-2");
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st, LEAVES - 1)->alias, "renewed.example-1500");
    CU_ASSERT_PTR_EQUAL(psc_store_find_alias(st, "RENEWED.EXAMPLE-1500"), psc_store_entry(st, LEAVES - 1));

    /* Rollback of the second half: the kept leaves still chain, the dropped ones are gone,
     * and the same certificates can be added again (new positions, same buckets). */
    psc_store_mark m = {LEAVES / 2 + 1, LEAVES / 2, 0};
    unsigned char gone[32];
    memcpy(gone, leaf[LEAVES - 1]->sha256, 32);
    psc_store_rollback(st, m);
    CU_ASSERT_EQUAL(psc_store_cert_count(st), LEAVES / 2 + 1);
    CU_ASSERT_PTR_NULL(psc_store_find_sha256(st, gone));
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(st, leaf[3]->sha256), leaf[3]);
    CU_ASSERT_EQUAL(psc_store_issuers_of(st, leaf[3], out, 4), 1);
    psc_cert *again = add_x(st, make_cert("renewed.example", "Bench CA", leaf_key, 9999));
    CU_ASSERT_EQUAL(again->index, LEAVES / 2 + 1);
    CU_ASSERT_EQUAL(psc_store_issuers_of(st, again, out, 4), 1);
    CU_ASSERT_PTR_EQUAL(out[0], ca);
    /* A second CA with the same Name: both are candidates, in insertion order. */
    EVP_PKEY *old_ca = ca_key;
    ca_key = EVP_EC_gen("P-256");
    psc_cert *ca2 = add_x(st, make_cert("Bench CA", "Bench CA", ca_key, 2));
    CU_ASSERT_EQUAL(psc_store_issuers_of(st, again, out, 4), 2);
    CU_ASSERT_PTR_EQUAL(out[0], ca);
    CU_ASSERT_PTR_EQUAL(out[1], ca2);
    psc_store_free(st);
    EVP_PKEY_free(old_ca);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(leaf_key);
}

/* Pooled stores (a landscape's systems): the same certificate added to two
 * stores is one psc_cert, made once in the pool; each store lists and
 * indexes it as its own; freeing or rolling back a store leaves it to the pool. */
static void test_pooled_stores_share_certificates(void)
{
    ca_key = EVP_EC_gen("P-256");
    EVP_PKEY *leaf_key = EVP_EC_gen("P-256");
    psc_store *pool = psc_store_new(), *a = psc_store_new_pooled(pool),
              *b = psc_store_new_pooled(pool);
    CU_ASSERT_FATAL(pool && a && b);
    /* the same bytes (an ECDSA signature differs each time it is made) */
    unsigned char *ca_der = NULL, *leaf_der = NULL;
    X509 *x = make_cert("Corp CA", "Corp CA", ca_key, 1);
    int ca_len = i2d_X509(x, &ca_der);
    X509_free(x);
    x = make_cert("erp.example", "Corp CA", leaf_key, 2);
    int leaf_len = i2d_X509(x, &leaf_der);
    X509_free(x);
    CU_ASSERT_FATAL(ca_len > 0 && leaf_len > 0);
    psc_err e = {0};
    psc_cert *ca_a = psc_store_add_cert_der(a, ca_der, (size_t)ca_len, "ca", &e);
    psc_cert *leaf_a = psc_store_add_cert_der(a, leaf_der, (size_t)leaf_len, "leaf", &e);
    psc_cert *ca_b = psc_store_add_cert_der(b, ca_der, (size_t)ca_len, "ca", &e);
    CU_ASSERT_FATAL(ca_a && leaf_a && ca_b);
    CU_ASSERT_PTR_EQUAL(ca_a, ca_b);
    CU_ASSERT_EQUAL(psc_store_cert_count(pool), 2);
    CU_ASSERT_EQUAL(psc_store_cert_count(a), 2);
    CU_ASSERT_EQUAL(psc_store_cert_count(b), 1);
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(b, ca_a->sha256), ca_a);
    CU_ASSERT_PTR_NULL(psc_store_find_sha256(b, leaf_a->sha256)); /* a's, not b's */
    psc_cert *out[4];
    CU_ASSERT_EQUAL(psc_store_issuers_of(a, leaf_a, out, 4), 1);
    CU_ASSERT_PTR_EQUAL(out[0], ca_a);
    CU_ASSERT_EQUAL(psc_store_issuers_of(b, leaf_a, out, 4), 1); /* b holds the CA too */
    /* b takes the leaf too, then rolls it back: the pool keeps it for a */
    psc_store_mark m = psc_store_get_mark(b);
    CU_ASSERT_PTR_EQUAL(psc_store_add_cert_der(b, leaf_der, (size_t)leaf_len, "leaf", &e), leaf_a);
    CU_ASSERT_EQUAL(psc_store_cert_count(b), 2);
    psc_store_rollback(b, m);
    CU_ASSERT_EQUAL(psc_store_cert_count(b), 1);
    CU_ASSERT_PTR_NULL(psc_store_find_sha256(b, leaf_a->sha256));
    CU_ASSERT_EQUAL(psc_store_cert_count(pool), 2);
    /* compacted (a plan's stores once the chains are built): the same answers,
     * the indexes come back on the first lookup, and adding still works */
    psc_store_compact(a);
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(a, leaf_a->sha256), leaf_a);
    CU_ASSERT_EQUAL(psc_store_issuers_of(a, leaf_a, out, 4), 1);
    CU_ASSERT_PTR_EQUAL(out[0], ca_a);
    CU_ASSERT_TRUE(psc_cert_issues_any(a, ca_a));
    psc_store_compact(a);
    CU_ASSERT_PTR_EQUAL(psc_store_add_cert_der(a, leaf_der, (size_t)leaf_len, "leaf", &e), leaf_a);
    CU_ASSERT_EQUAL(psc_store_cert_count(a), 2);
    psc_store_compact(b);
    CU_ASSERT_EQUAL(psc_store_issuers_of(b, leaf_a, out, 4), 1);
    psc_store_free(b);
    CU_ASSERT_STRING_EQUAL(leaf_a->subject, "CN=erp.example"); /* still alive (ASan would see) */
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(a, leaf_a->sha256), leaf_a);
    psc_store_free(a);
    psc_store_free(pool);
    OPENSSL_free(ca_der);
    OPENSSL_free(leaf_der);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(leaf_key);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"key index: many equal keys, truncate and push again", test_keyidx_equal_keys},
        {"key index: no table up to 8 keys, the same answers after", test_keyidx_small_then_table},
        {"name set: case-insensitive and exact", test_nameset},
        {"alias counter gives the old search's answers", test_alias_counter_same_as_before},
        {"store: one issuer and one CN for 1,500 certificates", test_store_one_issuer_same_cn},
        {"pooled stores share one psc_cert per certificate", test_pooled_stores_share_certificates},
        CU_TEST_INFO_NULL};
    unit_suite("store_index", tests);
}
