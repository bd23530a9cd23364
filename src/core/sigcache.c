#include "sigcache.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#define MEMO_SLOTS 4096u /* power of two; filled to at most 3/4 */

typedef struct memo_slot {
    unsigned char child[32], issuer[32];
    unsigned char self;  /* 1: self-signed check of child, 0: issuer's key verifies child */
    signed char result;  /* 0 = empty slot, 1 = verifies, -1 = does not */
} memo_slot;

static memo_slot memo[MEMO_SLOTS];
static size_t memo_used;

static memo_slot *memo_find(const unsigned char child[32], const unsigned char issuer[32],
                            unsigned char self)
{
    uint32_t h = ((uint32_t)child[0] | (uint32_t)child[1] << 8 | (uint32_t)child[2] << 16 |
                  (uint32_t)child[3] << 24) ^
                 ((uint32_t)issuer[4] | (uint32_t)issuer[5] << 8 | (uint32_t)issuer[6] << 16);
    for (size_t i = h & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
        memo_slot *s = &memo[i];
        if (s->result == 0 || (s->self == self && memcmp(s->child, child, 32) == 0 &&
                               memcmp(s->issuer, issuer, 32) == 0))
            return s; /* terminates: at least a quarter of the slots stay empty */
    }
}

static void memo_put(memo_slot *s, const unsigned char child[32], const unsigned char issuer[32],
                     unsigned char self, int ok)
{
    if (s->result != 0)
        return;
    if (memo_used + 1 > MEMO_SLOTS / 4 * 3) {
        /* Full: start over instead of memoising nothing more, so a caller
         * that runs long (a fuzz harness checks millions of mutated
         * certificates) keeps the pairs it is checking now. */
        memset(memo, 0, sizeof memo);
        memo_used = 0;
        s = memo_find(child, issuer, self);
    }
    memcpy(s->child, child, 32);
    memcpy(s->issuer, issuer, 32);
    s->self = self;
    s->result = ok ? 1 : -1;
    memo_used++;
}

size_t psc_sigcache_entries(void) { return memo_used; }

/* The X509 for one signature check: the certificate's cached one when it has
 * it, else a decode that the caller frees.  The answer is memoised above, so
 * keeping every decoded certificate would only hold ~7 KiB each for nothing
 * (a 200-system plan checks hundreds of certificates once). */
static X509 *borrow(const psc_cert *c, X509 **owned)
{
    *owned = NULL;
    if (c->x509_cache != NULL || c->x509_failed)
        return c->x509_cache;
    const unsigned char *p = c->der;
    X509 *x = d2i_X509(NULL, &p, (long)c->der_len);
    if (x != NULL && (size_t)(p - c->der) != c->der_len) {
        X509_free(x);
        x = NULL;
    }
    return *owned = x;
}

/* The issuer's public key, decoded once per certificate and kept on it:
 * 10,000 leaves under one CA check against one key (before, the CA was
 * decoded again for every leaf, 66% of verify at 5,000).  Only the key is
 * kept, not the X509 (a fraction of its size). */
static EVP_PKEY *issuer_key(const psc_cert *c)
{
    psc_cert *m = (psc_cert *)c; /* the key is a cache */
    if (m->x509_cache != NULL)
        return X509_get0_pubkey(m->x509_cache);
    if (m->pubkey_cache == NULL && !m->pubkey_failed) {
        X509 *owned;
        X509 *x = borrow(c, &owned);
        m->pubkey_cache = x != NULL ? X509_get_pubkey(x) : NULL;
        m->pubkey_failed = m->pubkey_cache == NULL;
        X509_free(owned);
    }
    return m->pubkey_cache;
}

int psc_sigcache_self_signed(const psc_cert *c)
{
    memo_slot *s = memo_find(c->sha256, c->sha256, 1);
    if (s->result != 0)
        return s->result > 0;
    X509 *owned;
    X509 *x = borrow(c, &owned);
    int ok = x != NULL && X509_self_signed(x, 1) == 1;
    X509_free(owned);
    ERR_clear_error();
    memo_put(s, c->sha256, c->sha256, 1, ok);
    return ok;
}

int psc_sigcache_signed_by(const psc_cert *child, const psc_cert *issuer)
{
    memo_slot *s = memo_find(child->sha256, issuer->sha256, 0);
    if (s->result != 0)
        return s->result > 0;
    X509 *cown;
    X509 *cx = borrow(child, &cown); /* each child is checked once: not kept */
    EVP_PKEY *pk = cx == NULL ? NULL
                   : child == issuer ? X509_get0_pubkey(cx) /* one decode, not two */
                                     : issuer_key(issuer);
    int ok = pk != NULL && X509_verify(cx, pk) == 1;
    X509_free(cown);
    ERR_clear_error();
    memo_put(s, child->sha256, issuer->sha256, 0, ok);
    return ok;
}
