/* The lookup structures behind the certificate store and the keystore
 * writers, each linear however the input is shaped.
 *
 * - psc_keyidx: items 0, 1, 2, ... (the store's certificate positions) by a
 *   32-bit key (SHA-256 prefix, subject hash, issuer hash), one bucket per
 *   DISTINCT key holding its items in insertion order.  Ten thousand leaves
 *   under one CA share one issuer key: they form one bucket that a lookup
 *   reaches in O(1), not one probe cluster that every insert and every
 *   lookup of a nearby key walks (what made inspect n^1.75).
 * - psc_nameset: a set of strings, exact or ASCII-case-insensitive (JKS
 *   aliases), O(1) average per operation.
 * - psc_alias_counter: per base name, the first suffix worth trying, so
 *   naming the 10,000th certificate with the same CN tries "CN-10000" at once
 *   instead of "CN", "CN-2", ... again (the result is the same: the first
 *   free of CN, CN-2, CN-3, ..., as long as no name is freed in between;
 *   whoever frees a name calls psc_alias_counter_reset). */
#ifndef PSC_STORE_INDEX_H
#define PSC_STORE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#define PSC_KEYIDX_END UINT32_MAX

typedef struct psc_keyidx_bucket {
    uint32_t key;
    uint32_t head, tail; /* first and last item, PSC_KEYIDX_END when empty */
    uint32_t count;
} psc_keyidx_bucket;

typedef struct psc_keyidx_item {
    uint32_t next, prev; /* neighbours in the item's bucket */
    uint32_t bucket;
} psc_keyidx_item;

typedef struct psc_keyidx {
    psc_keyidx_item *items;
    size_t nitems, items_cap;
    psc_keyidx_bucket *buckets;
    size_t nbuckets, buckets_cap;
    uint32_t *table;     /* bucket number + 1, 0 = empty; probed over DISTINCT keys only */
    size_t table_cap;    /* 0 up to 8 distinct keys (read in a row), then a power of
                          * two, at most half full */
} psc_keyidx;

/* Append item number t->nitems with key.  Returns that number, or
 * PSC_KEYIDX_END when out of memory (nothing changed). */
uint32_t psc_keyidx_push(psc_keyidx *t, uint32_t key);
/* The first item with key (insertion order), PSC_KEYIDX_END if none. */
uint32_t psc_keyidx_first(const psc_keyidx *t, uint32_t key);
/* The item after `item` with the same key, PSC_KEYIDX_END at the end. */
uint32_t psc_keyidx_next(const psc_keyidx *t, uint32_t item);
/* How many items have key. */
size_t psc_keyidx_count(const psc_keyidx *t, uint32_t key);
/* Drop items n, n+1, ... (rollback); O(items dropped). */
void psc_keyidx_truncate(psc_keyidx *t, size_t n);
void psc_keyidx_free(psc_keyidx *t);

typedef struct psc_nameset {
    char **slots;        /* owned copies, NULL = empty */
    size_t cap, used;    /* cap: power of two, at most half full */
    int nocase;          /* ASCII case-insensitive compare and hash */
} psc_nameset;

void psc_nameset_init(psc_nameset *s, int nocase);
/* 1 added, 0 already present, -1 out of memory. */
int psc_nameset_add(psc_nameset *s, const char *name);
int psc_nameset_has(const psc_nameset *s, const char *name);
void psc_nameset_free(psc_nameset *s);

/* ASCII case-insensitive FNV-1a, the hash of the alias tables. */
uint32_t psc_hash_nocase(const char *s);
/* FNV-1a over n bytes, continued from h (start with PSC_HASH_INIT): the key of
 * a psc_keyidx over strings or several fields at once. */
#define PSC_HASH_INIT 2166136261u
uint32_t psc_hash_bytes(uint32_t h, const void *p, size_t n);
/* The first four bytes of a SHA-256: the key of a certificate in an index. */
uint32_t psc_sha256_key(const unsigned char sha256[32]);
/* psc_hash_bytes over a whole string: the exact-case key of a name. */
uint32_t psc_hash_str(const char *s);

typedef struct psc_alias_counter {
    struct psc_alias_base *slots; /* base name (owned) -> next suffix to try */
    size_t cap, used;
} psc_alias_counter;

/* Is cand already used?  (arg: the caller's table) */
typedef int (*psc_alias_taken)(void *arg, const char *cand);

/* Writes into out the first of base, base-2, base-3, ..., base-max that
 * taken() rejects (compared ASCII-case-insensitively, as aliases are).
 * Returns 0 when found; 1 when all were taken (out = base-max); -1 out of
 * memory (out = base, nothing remembered). */
int psc_alias_counter_next(psc_alias_counter *ctr, const char *base, int max, char *out,
                           size_t outlen, psc_alias_taken taken, void *arg);
/* Forget every base: needed after a name was freed (an entry removed or renamed). */
void psc_alias_counter_reset(psc_alias_counter *ctr);
void psc_alias_counter_free(psc_alias_counter *ctr);

#endif
