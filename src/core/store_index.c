/* Bucketed key index, string set and alias counter (see store_index.h). */
#include "store_index.h"
#include "buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Spread a key over the table: subject hashes of similar Names, or SHA-256
 * prefixes, must not land in neighbouring slots. */
static size_t mix(uint32_t k)
{
    k ^= k >> 16;
    k *= 0x7feb352dU;
    k ^= k >> 15;
    k *= 0x846ca68bU;
    k ^= k >> 16;
    return k;
}

/* ---- psc_keyidx -------------------------------------------------------- */

static uint32_t *table_slot(const psc_keyidx *t, uint32_t key)
{
    size_t mask = t->table_cap - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        uint32_t b = t->table[i];
        if (b == 0 || t->buckets[b - 1].key == key)
            return &t->table[i]; /* terminates: the table is at most half full */
    }
}

/* Up to this many distinct keys there is no table: a lookup reads the
 * buckets in a row.  A landscape keeps three indexes in each of two stores
 * per system, most of them over two or three certificates. */
#define SMALL_BUCKETS 8

static int table_grow(psc_keyidx *t)
{
    size_t cap = t->table_cap ? t->table_cap * 2 : 4 * SMALL_BUCKETS;
    uint32_t *nt = calloc(cap, sizeof *nt);
    if (nt == NULL)
        return -1;
    free(t->table);
    t->table = nt;
    t->table_cap = cap;
    for (size_t b = 0; b < t->nbuckets; b++)
        *table_slot(t, t->buckets[b].key) = (uint32_t)(b + 1);
    return 0;
}

/* The bucket number + 1 of key, 0 when it has none. */
static uint32_t bucket_number(const psc_keyidx *t, uint32_t key)
{
    if (t->table_cap == 0) {
        for (size_t b = 0; b < t->nbuckets; b++)
            if (t->buckets[b].key == key)
                return (uint32_t)(b + 1);
        return 0;
    }
    return *table_slot(t, key);
}

uint32_t psc_keyidx_push(psc_keyidx *t, uint32_t key)
{
    if (t->nitems >= PSC_KEYIDX_END - 1 || t->nbuckets >= PSC_KEYIDX_END - 1)
        return PSC_KEYIDX_END;
    /* a landscape's system stores hold a few certificates each: start at 4 */
    if (t->items_cap == 0 && (t->items = malloc(4 * sizeof *t->items)) != NULL)
        t->items_cap = 4;
    if (psc_grow((void **)&t->items, &t->items_cap, t->nitems + 1, sizeof *t->items) != 0)
        return PSC_KEYIDX_END;
    if (t->nbuckets >= SMALL_BUCKETS && (t->nbuckets + 1) * 2 > t->table_cap &&
        table_grow(t) != 0)
        return PSC_KEYIDX_END;
    uint32_t bn = bucket_number(t, key);
    if (bn == 0) {
        if (t->buckets_cap == 0 && (t->buckets = malloc(4 * sizeof *t->buckets)) != NULL)
            t->buckets_cap = 4;
        if (psc_grow((void **)&t->buckets, &t->buckets_cap, t->nbuckets + 1,
                     sizeof *t->buckets) != 0)
            return PSC_KEYIDX_END;
        psc_keyidx_bucket *nb = &t->buckets[t->nbuckets];
        nb->key = key;
        nb->head = nb->tail = PSC_KEYIDX_END;
        nb->count = 0;
        bn = (uint32_t)++t->nbuckets;
        if (t->table_cap != 0)
            *table_slot(t, key) = bn; /* the empty slot the key probes to */
    }
    uint32_t bi = bn - 1, item = (uint32_t)t->nitems++;
    psc_keyidx_bucket *b = &t->buckets[bi];
    psc_keyidx_item *it = &t->items[item];
    it->bucket = bi;
    it->next = PSC_KEYIDX_END;
    it->prev = b->tail;
    if (b->tail == PSC_KEYIDX_END)
        b->head = item;
    else
        t->items[b->tail].next = item;
    b->tail = item;
    b->count++;
    return item;
}

static const psc_keyidx_bucket *find_bucket(const psc_keyidx *t, uint32_t key)
{
    uint32_t b = bucket_number(t, key);
    return b ? &t->buckets[b - 1] : NULL;
}

uint32_t psc_keyidx_first(const psc_keyidx *t, uint32_t key)
{
    const psc_keyidx_bucket *b = find_bucket(t, key);
    return b ? b->head : PSC_KEYIDX_END;
}

uint32_t psc_keyidx_next(const psc_keyidx *t, uint32_t item)
{
    return item < t->nitems ? t->items[item].next : PSC_KEYIDX_END;
}

size_t psc_keyidx_count(const psc_keyidx *t, uint32_t key)
{
    const psc_keyidx_bucket *b = find_bucket(t, key);
    return b ? b->count : 0;
}

void psc_keyidx_truncate(psc_keyidx *t, size_t n)
{
    /* Items leave newest first, so each is the tail of its bucket.  Emptied
     * buckets stay (a later push of the key reuses them). */
    while (t->nitems > n) {
        uint32_t item = (uint32_t)--t->nitems;
        psc_keyidx_bucket *b = &t->buckets[t->items[item].bucket];
        b->tail = t->items[item].prev;
        if (b->tail == PSC_KEYIDX_END)
            b->head = PSC_KEYIDX_END;
        else
            t->items[b->tail].next = PSC_KEYIDX_END;
        b->count--;
    }
}

void psc_keyidx_free(psc_keyidx *t)
{
    free(t->items);
    free(t->buckets);
    free(t->table);
    memset(t, 0, sizeof *t);
}

/* ---- psc_nameset ------------------------------------------------------- */

uint32_t psc_hash_nocase(const char *a)
{
    uint32_t h = 2166136261u;
    for (; *a; a++)
        h = (h ^ (unsigned char)tolower((unsigned char)*a)) * 16777619u;
    return h;
}

uint32_t psc_hash_bytes(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

uint32_t psc_sha256_key(const unsigned char sha256[32])
{
    return (uint32_t)sha256[0] | (uint32_t)sha256[1] << 8 | (uint32_t)sha256[2] << 16 |
           (uint32_t)sha256[3] << 24;
}

uint32_t psc_hash_str(const char *s) { return psc_hash_bytes(PSC_HASH_INIT, s, strlen(s)); }

void psc_nameset_init(psc_nameset *s, int nocase)
{
    memset(s, 0, sizeof *s);
    s->nocase = nocase;
}

static char **name_slot(const psc_nameset *s, const char *name)
{
    size_t mask = s->cap - 1;
    uint32_t h = s->nocase ? psc_hash_nocase(name) : psc_hash_str(name);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        char *v = s->slots[i];
        if (v == NULL || (s->nocase ? strcasecmp(v, name) : strcmp(v, name)) == 0)
            return &s->slots[i];
    }
}

int psc_nameset_has(const psc_nameset *s, const char *name)
{
    return s->cap > 0 && *name_slot(s, name) != NULL;
}

int psc_nameset_add(psc_nameset *s, const char *name)
{
    if ((s->used + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **old = s->slots;
        size_t oldcap = s->cap;
        if ((s->slots = calloc(cap, sizeof *s->slots)) == NULL) {
            s->slots = old;
            return -1;
        }
        s->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i] != NULL)
                *name_slot(s, old[i]) = old[i];
        free(old);
    }
    char **slot = name_slot(s, name);
    if (*slot != NULL)
        return 0;
    if ((*slot = strdup(name)) == NULL)
        return -1;
    s->used++;
    return 1;
}

void psc_nameset_free(psc_nameset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i]);
    free(s->slots);
    s->slots = NULL;
    s->cap = s->used = 0;
}

/* ---- psc_alias_counter -------------------------------------------------- */

typedef struct psc_alias_base {
    char *base; /* NULL = empty slot */
    int next;   /* the first suffix not yet known to be taken (1 = the base itself) */
} psc_alias_base;

static psc_alias_base *base_slot(const psc_alias_counter *c, const char *base)
{
    size_t mask = c->cap - 1;
    for (size_t i = psc_hash_nocase(base) & mask;; i = (i + 1) & mask)
        if (c->slots[i].base == NULL || strcasecmp(c->slots[i].base, base) == 0)
            return &c->slots[i];
}

/* The slot for base, created (next = 1) if new; NULL when out of memory. */
static psc_alias_base *base_get(psc_alias_counter *c, const char *base)
{
    if ((c->used + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8, oldcap = c->cap;
        psc_alias_base *old = c->slots, *ns = calloc(cap, sizeof *ns);
        if (ns == NULL)
            return NULL;
        c->slots = ns;
        c->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].base != NULL)
                *base_slot(c, old[i].base) = old[i];
        free(old);
    }
    psc_alias_base *s = base_slot(c, base);
    if (s->base == NULL) {
        if ((s->base = strdup(base)) == NULL)
            return NULL;
        s->next = 1;
        c->used++;
    }
    return s;
}

static void candidate(char *out, size_t outlen, const char *base, int n)
{
    if (n <= 1)
        snprintf(out, outlen, "%s", base);
    else
        snprintf(out, outlen, "%s-%d", base, n);
}

int psc_alias_counter_next(psc_alias_counter *ctr, const char *base, int max, char *out,
                           size_t outlen, psc_alias_taken taken, void *arg)
{
    candidate(out, outlen, base, 1);
    /* A base without a counter whose name is free is taken as it is, and no
     * counter is kept: most aliases are unique, and a counter for each was
     * a tenth of a 100,000-certificate store.  The counter starts (next = 1)
     * the first time the base is found taken. */
    if ((ctr->cap == 0 || base_slot(ctr, base)->base == NULL) && !taken(arg, out))
        return 0;
    psc_alias_base *s = base_get(ctr, base);
    if (s == NULL)
        return -1;
    /* Every suffix below s->next was taken when last tried, and no name was
     * freed since (else the counter was reset): start there. */
    int n = s->next;
    for (;; n++) {
        candidate(out, outlen, base, n);
        if (!taken(arg, out))
            break;
        if (n >= max) {
            s->next = n;
            return 1;
        }
    }
    s->next = n; /* the caller takes it now; the next call moves past it */
    return 0;
}

void psc_alias_counter_reset(psc_alias_counter *ctr)
{
    if (ctr->used == 0)
        return; /* cheap: the store resets on every entry removal */
    for (size_t i = 0; i < ctr->cap; i++)
        free(ctr->slots[i].base);
    if (ctr->cap > 0)
        memset(ctr->slots, 0, ctr->cap * sizeof *ctr->slots);
    ctr->used = 0;
}

void psc_alias_counter_free(psc_alias_counter *ctr)
{
    psc_alias_counter_reset(ctr);
    free(ctr->slots);
    ctr->slots = NULL;
    ctr->cap = 0;
}
