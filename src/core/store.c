/* The certificate store: distinct certificates (by SHA-256 of the DER),
 * entries that point at them, loose keys awaiting pairing, warnings, and
 * three bucketed indexes (store_index.c: by SHA-256, by subject, by issuer)
 * so reading and chain building stay linear however many certificates share
 * an issuer.  The
 * facts of each certificate come from certfacts.c (no public-key decoding). */
#include "store.h"
#include "utctime.h"
#include "buf.h"
#include "secret.h"
#include "sigcache.h"
#include "store_index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>


struct psc_store {
    psc_name_table names; /* distinct Names; kept until the store is freed (also on rollback) */
    psc_cert **certs;
    size_t ncerts, cert_cap;
    psc_entry **entries;
    size_t nentries, entry_cap;
    psc_loose_key *keys;
    size_t nkeys, key_cap;
    char **warnings;
    size_t nwarnings, warn_cap;
    /* Items are certificate positions: item i of each index is certs[i]. */
    psc_keyidx by_sha, by_subject, by_issuer;
    psc_alias_counter alias_ctr; /* derived aliases: next suffix per CN */
    char **files;        /* entries' origin.file: one copy per run of entries from one file
                          * (a copy per entry was a tenth of a 100,000-entry store) */
    size_t nfiles, file_cap;
    psc_entry **alias_slots; /* case-insensitive alias hash, rebuilt when stale */
    size_t alias_cap;
    int alias_stale;
    psc_store *pool; /* psc_store_new_pooled: the certificates live there, not here */
    int unindexed;   /* psc_store_compact dropped the indexes: rebuilt on the next lookup */
};

/* ---- small helpers ---------------------------------------------------- */

static char *dupstr(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

void psc_time_rfc3339(time_t t, char out[21])
{
    psc_civil tm;
    psc_civil_from_time(t, &tm);
    /* four-digit years also below 1000 (strftime's %Y would print 999);
     * written digit by digit: snprintf was a tenth of inspect's time */
    unsigned v[6] = {(unsigned)((unsigned long)tm.year % 10000u), (unsigned)tm.month,
                     (unsigned)tm.day, (unsigned)tm.hour, (unsigned)tm.min, (unsigned)tm.sec};
    static const char sep[] = "--T::Z";
    char *p = out;
    for (int i = 0; i < 6; i++) {
        if (i == 0) {
            *p++ = (char)('0' + v[0] / 1000);
            *p++ = (char)('0' + v[0] / 100 % 10);
        }
        *p++ = (char)('0' + v[i] / 10 % 10);
        *p++ = (char)('0' + v[i] % 10);
        *p++ = sep[i];
    }
    *p = '\0';
}

long psc_days_left(time_t t, time_t now)
{
    double d = difftime(t, now) / 86400.0;
    return (long)(d < 0 ? d - 0.999999 : d); /* floor: expired yesterday is -1 */
}

/* ---- indexes ------------------------------------------------------------ */

/* Add certs[ci] (ci == the indexes' item count) to the three indexes; on
 * failure none of them holds it. */
static int index_cert(psc_store *st, size_t ci)
{
    const psc_cert *c = st->certs[ci];
    if (psc_keyidx_push(&st->by_sha, psc_sha256_key(c->sha256)) != ci)
        return -1;
    if (psc_keyidx_push(&st->by_subject, c->subject_hash) != ci) {
        psc_keyidx_truncate(&st->by_sha, ci);
        return -1;
    }
    if (psc_keyidx_push(&st->by_issuer, c->issuer_hash) != ci) {
        psc_keyidx_truncate(&st->by_sha, ci);
        psc_keyidx_truncate(&st->by_subject, ci);
        return -1;
    }
    return 0;
}

/* The indexes again after psc_store_compact (or nothing to do).  On no
 * memory the store stays unindexed and lookups read every certificate. */
static void ensure_indexed(psc_store *st)
{
    if (!st->unindexed)
        return;
    size_t ci = 0;
    while (ci < st->ncerts && index_cert(st, ci) == 0)
        ci++;
    if (ci < st->ncerts) {
        psc_keyidx_free(&st->by_sha);
        psc_keyidx_free(&st->by_subject);
        psc_keyidx_free(&st->by_issuer);
        return;
    }
    st->unindexed = 0;
}

/* Candidates for key in index t: its bucket, or every certificate while unindexed. */
static uint32_t cand_first(const psc_store *st, const psc_keyidx *t, uint32_t key)
{
    if (st->unindexed)
        return st->ncerts ? 0 : PSC_KEYIDX_END;
    return psc_keyidx_first(t, key);
}

static uint32_t cand_next(const psc_store *st, const psc_keyidx *t, uint32_t i)
{
    if (st->unindexed)
        return i + 1 < st->ncerts ? i + 1 : PSC_KEYIDX_END;
    return psc_keyidx_next(t, i);
}

void psc_store_compact(psc_store *st)
{
    psc_keyidx_free(&st->by_sha);
    psc_keyidx_free(&st->by_subject);
    psc_keyidx_free(&st->by_issuer);
    free(st->alias_slots);
    st->alias_slots = NULL;
    st->alias_cap = 0;
    st->alias_stale = 1;
    st->unindexed = 1;
}

/* ---- store lifetime --------------------------------------------------- */

psc_store *psc_store_new(void)
{
    return psc_store_new_pooled(NULL);
}

psc_store *psc_store_new_pooled(psc_store *pool)
{
    psc_store *st = calloc(1, sizeof(psc_store));
    if (st != NULL)
        st->pool = pool;
    return st;
}

static void cert_free(psc_cert *c)
{
    if (c == NULL)
        return;
    X509_free(c->x509_cache);
    EVP_PKEY_free(c->pubkey_cache);
    /* der is in c's allocation; the Names and their texts belong to the
     * store's name table */
    if (c->serial_hex != c->serial_inline)
        free(c->serial_hex);
    free(c->key_ids);
    free(c);
}

static void entry_free(psc_entry *en)
{
    if (en == NULL)
        return;
    free(en->alias); /* origin.file belongs to the store (entry_file) */
    free(en->chain);
    EVP_PKEY_free(en->key);
    free(en->secret_alg);
    free(en->note);
    free(en);
}

void psc_store_free(psc_store *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < st->ncerts && st->pool == NULL; i++)
        cert_free(st->certs[i]);
    for (size_t i = 0; i < st->nentries; i++)
        entry_free(st->entries[i]);
    psc_store_drop_loose_keys(st);
    for (size_t i = 0; i < st->nwarnings; i++)
        free(st->warnings[i]);
    psc_name_table_free(&st->names);
    for (size_t i = 0; i < st->nfiles; i++)
        free(st->files[i]);
    free(st->files);
    free(st->certs);
    free(st->entries);
    free(st->keys);
    free(st->warnings);
    psc_keyidx_free(&st->by_sha);
    psc_keyidx_free(&st->by_subject);
    psc_keyidx_free(&st->by_issuer);
    psc_alias_counter_free(&st->alias_ctr);
    free(st->alias_slots);
    free(st);
}

/* ---- certificates ----------------------------------------------------- */

psc_cert *psc_store_find_sha256(const psc_store *st, const unsigned char sha256[32])
{
    ensure_indexed((psc_store *)st); /* the indexes are a cache */
    for (uint32_t i = cand_first(st, &st->by_sha, psc_sha256_key(sha256)); i != PSC_KEYIDX_END;
         i = cand_next(st, &st->by_sha, i))
        if (memcmp(st->certs[i]->sha256, sha256, 32) == 0)
            return st->certs[i];
    return NULL;
}

/* A pooled store's certificate: the pool's (found or just made there, c),
 * listed and indexed here too.  NULL (e set) when c is NULL or on no memory. */
static psc_cert *share_cert(psc_store *st, psc_cert *c, const char *what, psc_err *e)
{
    if (c == NULL)
        return NULL;
    if (psc_grow((void **)&st->certs, &st->cert_cap, st->ncerts + 1, sizeof *st->certs) ||
        (st->certs[st->ncerts] = c, index_cert(st, st->ncerts) != 0)) {
        psc_fail(e, PSC_EINPUT, "%s: out of memory", what);
        return NULL;
    }
    st->ncerts++;
    return c;
}

/* x: an already decoded X509 of exactly these bytes (kept as the cache), or NULL. */
static psc_cert *insert_cert(psc_store *st, X509 *x, const unsigned char *der, size_t len,
                             const char *what, psc_err *e)
{
    unsigned char sha[32];
    if (psc_sha(0, der, len, sha) != 0) {
        psc_fail(e, PSC_EINPUT, "%s: cannot hash certificate", what);
        return NULL;
    }
    psc_cert *old = psc_store_find_sha256(st, sha);
    if (old != NULL)
        return old;
    if (st->pool != NULL)
        return share_cert(st, insert_cert(st->pool, x, der, len, what, e), what, e);
    /* the DER right after the struct: one allocation per certificate */
    psc_cert *c = len <= SIZE_MAX - sizeof *c ? calloc(1, sizeof *c + len) : NULL;
    if (c == NULL || psc_grow((void **)&st->certs, &st->cert_cap, st->ncerts + 1, sizeof *st->certs)) {
        free(c);
        psc_fail(e, PSC_EINPUT, "%s: out of memory", what);
        return NULL;
    }
    c->der = (unsigned char *)(c + 1);
    memcpy(c->der, der, len);
    c->der_len = len;
    memcpy(c->sha256, sha, 32);
    psc_hex(c->sha256, 32, c->sha256_hex);
    if (x != NULL) {
        if (!X509_up_ref(x)) {
            cert_free(c);
            psc_fail(e, PSC_EINPUT, "%s: out of memory", what);
            return NULL;
        }
        c->x509_cache = x;
    }
    int rc = psc_cert_fill_facts(&st->names, c);
    if (rc != 0) {
        cert_free(c);
        ERR_clear_error();
        if (rc == -1)
            psc_fail(e, PSC_EINPUT, "%s: not a valid X.509 certificate", what);
        else
            psc_fail(e, PSC_EINPUT, "%s: out of memory", what);
        return NULL;
    }
    c->index = st->ncerts;
    st->certs[st->ncerts] = c;
    if (index_cert(st, c->index) != 0) {
        cert_free(c); /* not in the store: nothing can find it */
        psc_fail(e, PSC_EINPUT, "%s: out of memory", what);
        return NULL;
    }
    st->ncerts++;
    return c;
}

psc_cert *psc_store_add_cert_der(psc_store *st, const unsigned char *der, size_t len,
                                 const char *what, psc_err *e)
{
    /* BER (non-minimal or indefinite lengths ...) is read as its DER
     * re-encoding: the SHA-256 OpenSSL shows, one certificate whichever
     * file it comes from, and DER when written (issue 17). */
    unsigned char *canon;
    size_t canon_len;
    X509 *x;
    int ber = psc_cert_der_canonical(der, len, &canon, &canon_len, &x);
    psc_cert *c = insert_cert(st, x, ber ? canon : der, ber ? canon_len : len, what, e);
    X509_free(x);
    OPENSSL_free(canon);
    if (c != NULL && ber) {
        c->noncanonical = 1;
        psc_store_warn(st, "%s: certificate %s is not DER-encoded; read as its DER re-encoding "
                       "(SHA-256 %s)", what, c->subject, c->sha256_hex);
    }
    return c;
}

psc_cert *psc_store_add_x509(psc_store *st, X509 *x, const char *what, psc_err *e)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    if (len <= 0) {
        ERR_clear_error();
        psc_fail(e, PSC_EINPUT, "%s: cannot encode certificate", what);
        return NULL;
    }
    psc_cert *c = insert_cert(st, x, der, (size_t)len, what, e);
    OPENSSL_free(der);
    return c;
}

size_t psc_store_cert_count(const psc_store *st) { return st->ncerts; }
psc_cert *psc_store_cert(const psc_store *st, size_t i) { return i < st->ncerts ? st->certs[i] : NULL; }

size_t psc_store_issuers_of(psc_store *st, const psc_cert *c, psc_cert **out, size_t max)
{
    size_t n = 0;
    ensure_indexed(st);
    for (uint32_t i = cand_first(st, &st->by_subject, c->issuer_hash); i != PSC_KEYIDX_END;
         i = cand_next(st, &st->by_subject, i)) {
        psc_cert *cand = st->certs[i];
        if (!psc_name_eq(cand->subject_name, c->issuer_name))
            continue;
        if (c->aki != NULL && cand->ski != NULL &&
            (c->aki_len != cand->ski_len || memcmp(c->aki, cand->ski, c->aki_len) != 0))
            continue;
        if (n < max)
            out[n] = cand;
        n++;
    }
    return n;
}

int psc_cert_signed_by(const psc_cert *child, const psc_cert *issuer)
{
    return psc_sigcache_signed_by(child, issuer); /* memoized X509_verify */
}

int psc_cert_issues_any(psc_store *st, const psc_cert *c)
{
    ensure_indexed(st);
    for (uint32_t i = cand_first(st, &st->by_issuer, c->subject_hash); i != PSC_KEYIDX_END;
         i = cand_next(st, &st->by_issuer, i)) {
        psc_cert *child = st->certs[i];
        if (child == c)
            continue;
        if (psc_name_eq(child->issuer_name, c->subject_name) &&
            psc_cert_signed_by(child, c))
            return 1;
    }
    return 0;
}

/* ---- entries ---------------------------------------------------------- */

static void alias_added(psc_store *st, psc_entry *en);

/* The store's copy of an entry's file name: the last one again when equal
 * (readers add a file's entries one after the other), else a new copy.
 * NULL out of memory. */
static char *entry_file(psc_store *st, const char *file)
{
    if (st->nfiles > 0 && strcmp(st->files[st->nfiles - 1], file) == 0)
        return st->files[st->nfiles - 1];
    if (psc_grow((void **)&st->files, &st->file_cap, st->nfiles + 1, sizeof *st->files))
        return NULL;
    char *copy = dupstr(file);
    if (copy != NULL)
        st->files[st->nfiles++] = copy;
    return copy;
}

psc_entry *psc_store_add_entry(psc_store *st, psc_entry_type type, const char *alias,
                               const char *file, const char *format, size_t index)
{
    if (psc_grow((void **)&st->entries, &st->entry_cap, st->nentries + 1, sizeof *st->entries))
        return NULL;
    psc_entry *en = calloc(1, sizeof *en);
    if (en == NULL)
        return NULL;
    en->type = type;
    en->origin.format = format;
    en->origin.index = index;
    if ((alias && (en->alias = dupstr(alias)) == NULL) ||
        (file && (en->origin.file = entry_file(st, file)) == NULL)) {
        entry_free(en);
        return NULL;
    }
    st->entries[st->nentries++] = en;
    alias_added(st, en);
    return en;
}

static int alias_taken(void *st, const char *cand)
{
    return psc_store_find_alias(st, cand) != NULL;
}

/* A readable alias for entries that come without one (PEM, DER, P7B):
 * the subject's CN, made unique among the store's aliases: the first free
 * of CN, CN-2, CN-3, ... (the counter per CN starts where the last search
 * for that CN ended, so a renewal history of 10,000 equal CNs is linear). */
static int derive_alias(psc_store *st, psc_entry *en, const psc_cert *c)
{
    char base[128];
    int len = psc_name_cn(c->subject_name, base, sizeof base);
    if (len <= 0)
        snprintf(base, sizeof base, "cert-%.12s", c->sha256_hex);
    ERR_clear_error();
    char cand[160];
    /* All of CN .. CN-99999 taken: the last is used anyway, as it always was. */
    if (psc_alias_counter_next(&st->alias_ctr, base, 99999, cand, sizeof cand, alias_taken, st) < 0)
        return -1;
    en->alias = dupstr(cand);
    if (en->alias == NULL)
        return -1;
    alias_added(st, en);
    return 0;
}

int psc_entry_push_cert(psc_entry *en, psc_cert *c)
{
    psc_cert **p = realloc(en->chain, (en->chain_len + 1) * sizeof *p);
    if (p == NULL)
        return -1;
    en->chain = p;
    en->chain[en->chain_len++] = c;
    return 0;
}

void psc_entry_set_key(psc_entry *en, EVP_PKEY *key)
{
    EVP_PKEY_free(en->key);
    en->key = key;
}

int psc_entry_set_note(psc_entry *en, const char *note)
{
    char *n = dupstr(note);
    if (n == NULL)
        return -1;
    free(en->note);
    en->note = n;
    return 0;
}

int psc_entry_set_alias(psc_store *st, psc_entry *en, const char *alias)
{
    char *n = dupstr(alias);
    if (n == NULL)
        return -1;
    free(en->alias);
    en->alias = n;
    st->alias_stale = 1; /* the entry sits in its old alias's bucket */
    psc_alias_counter_reset(&st->alias_ctr); /* its old alias is free again */
    return 0;
}

size_t psc_store_entry_count(const psc_store *st) { return st->nentries; }
psc_entry *psc_store_entry(const psc_store *st, size_t i) { return i < st->nentries ? st->entries[i] : NULL; }

void psc_store_remove_entry(psc_store *st, size_t i)
{
    if (i >= st->nentries)
        return;
    entry_free(st->entries[i]);
    memmove(&st->entries[i], &st->entries[i + 1], (st->nentries - i - 1) * sizeof *st->entries);
    st->nentries--;
    st->alias_stale = 1;
    psc_alias_counter_reset(&st->alias_ctr); /* its alias is free again */
}

static void alias_put(psc_store *st, psc_entry *en)
{
    size_t mask = st->alias_cap - 1;
    for (size_t i = psc_hash_nocase(en->alias) & mask;; i = (i + 1) & mask)
        if (st->alias_slots[i] == NULL) {
            st->alias_slots[i] = en;
            return;
        }
}

/* Rebuild the alias table when entries were removed or renamed, or when it
 * is over half full: aliases are looked up once per entry while deriving,
 * so a 10,000-entry store must not be quadratic. */
static int alias_refresh(psc_store *st)
{
    if (!st->alias_stale && st->alias_cap >= 2 * (st->nentries + 1))
        return 0;
    size_t cap = 8; /* a landscape keeps two stores per system, most with a few entries */
    while (cap < 2 * (st->nentries + 1)) /* at most half full */
        cap *= 2;
    psc_entry **slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return -1;
    free(st->alias_slots);
    st->alias_slots = slots;
    st->alias_cap = cap;
    for (size_t i = 0; i < st->nentries; i++)
        if (st->entries[i]->alias)
            alias_put(st, st->entries[i]);
    st->alias_stale = 0;
    return 0;
}

/* Keep the table current for one new alias without a rebuild where it has room. */
static void alias_added(psc_store *st, psc_entry *en)
{
    if (st->alias_stale || st->alias_cap < 2 * (st->nentries + 1))
        st->alias_stale = 1;
    else if (en->alias != NULL)
        alias_put(st, en);
}

psc_entry *psc_store_find_alias(const psc_store *cst, const char *alias)
{
    psc_store *st = (psc_store *)cst; /* the index is a cache */
    if (alias_refresh(st) != 0) {
        for (size_t i = 0; i < st->nentries; i++)
            if (st->entries[i]->alias && strcasecmp(st->entries[i]->alias, alias) == 0)
                return st->entries[i];
        return NULL;
    }
    size_t mask = st->alias_cap - 1;
    for (size_t i = psc_hash_nocase(alias) & mask; st->alias_slots[i] != NULL; i = (i + 1) & mask)
        if (strcasecmp(st->alias_slots[i]->alias, alias) == 0)
            return st->alias_slots[i];
    return NULL;
}

/* Entries without an alias get one once they have a certificate. */
int psc_store_name_unnamed(psc_store *st)
{
    for (size_t i = 0; i < st->nentries; i++) {
        psc_entry *en = st->entries[i];
        if (en->alias == NULL && en->chain_len > 0 && derive_alias(st, en, en->chain[0]) != 0)
            return -1;
    }
    return 0;
}

/* ---- keys ------------------------------------------------------------- */

int psc_store_add_loose_key(psc_store *st, EVP_PKEY *key, const char *file, const char *format,
                            size_t index)
{
    return psc_store_add_loose_key_named(st, key, NULL, file, format, index);
}

int psc_store_add_loose_key_named(psc_store *st, EVP_PKEY *key, const char *alias,
                                  const char *file, const char *format, size_t index)
{
    if (psc_grow((void **)&st->keys, &st->key_cap, st->nkeys + 1, sizeof *st->keys))
        return -1;
    psc_loose_key *k = &st->keys[st->nkeys];
    memset(k, 0, sizeof *k);
    k->origin.file = dupstr(file);
    k->alias = dupstr(alias);
    if ((file && k->origin.file == NULL) || (alias && k->alias == NULL)) {
        free(k->origin.file);
        free(k->alias);
        return -1;
    }
    k->key = key;
    k->origin.format = format;
    k->origin.index = index;
    st->nkeys++;
    return 0;
}

size_t psc_store_loose_key_count(const psc_store *st) { return st->nkeys; }

psc_loose_key *psc_store_loose_key(psc_store *st, size_t i)
{
    return i < st->nkeys ? &st->keys[i] : NULL;
}

static void loose_key_free(psc_loose_key *k)
{
    EVP_PKEY_free(k->key);
    free(k->origin.file);
    free(k->alias);
}

void psc_store_drop_loose_keys(psc_store *st)
{
    for (size_t i = 0; i < st->nkeys; i++)
        loose_key_free(&st->keys[i]);
    st->nkeys = 0;
}

/* ---- rollback --------------------------------------------------------- */

psc_store_mark psc_store_get_mark(const psc_store *st)
{
    psc_store_mark m = {st->ncerts, st->nentries, st->nkeys};
    return m;
}

void psc_store_rollback(psc_store *st, psc_store_mark m)
{
    while (st->nentries > m.entries)
        psc_store_remove_entry(st, st->nentries - 1);
    while (st->nkeys > m.keys)
        loose_key_free(&st->keys[--st->nkeys]);
    if (st->ncerts <= m.certs)
        return;
    while (st->ncerts > m.certs) {
        psc_cert *c = st->certs[--st->ncerts];
        if (st->pool == NULL)
            cert_free(c); /* a pool keeps its certificates until it is freed */
    }
    /* The newest items leave each bucket: O(certificates dropped). */
    psc_keyidx_truncate(&st->by_sha, st->ncerts);
    psc_keyidx_truncate(&st->by_subject, st->ncerts);
    psc_keyidx_truncate(&st->by_issuer, st->ncerts);
}

/* ---- warnings --------------------------------------------------------- */

void psc_store_warn(psc_store *st, const char *fmt, ...)
{
    char msg[PSC_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < st->nwarnings; i++)
        if (strcmp(st->warnings[i], msg) == 0)
            return; /* one warning per cause, however many entries raise it */
    if (psc_grow((void **)&st->warnings, &st->warn_cap, st->nwarnings + 1, sizeof *st->warnings))
        return;
    char *w = dupstr(msg);
    if (w)
        st->warnings[st->nwarnings++] = w;
}

size_t psc_store_warning_count(const psc_store *st) { return st->nwarnings; }
const char *psc_store_warning(const psc_store *st, size_t i) { return i < st->nwarnings ? st->warnings[i] : NULL; }
