#include "sigcache.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* Power-of-two tables, filled to at most 3/4.  The current one starts small
 * and doubles up to MEMO_MAX_SLOTS (12,288 pairs, 1 MiB); when that is full
 * it becomes the previous generation and a new one starts: an answer found
 * there moves back into the current one, so the pairs asked again and again
 * (a CA -> root edge under thousands of chains) stay, and the ones asked
 * once (each leaf) leave.  Two generations at most, 2 MiB.  At 4,096 fixed
 * slots that started over, a plan of 2,000 systems (4,004 pairs) checked
 * every leaf again in its second pass.  Each certificate also keeps the
 * answer for the last issuer checked against it (psc_cert.sig_issuer): in
 * one store that is the one asked again, however many pairs come between. */
#define MEMO_MIN_SLOTS 1024u
#define MEMO_MAX_SLOTS 16384u

typedef struct memo_slot {
    unsigned char child[32], issuer[32];
    unsigned char self;  /* 1: self-signed check of child, 0: issuer's key verifies child */
    signed char result;  /* 0 = empty slot, 1 = verifies, -1 = does not */
} memo_slot;

typedef struct memo_table {
    memo_slot *slots; /* NULL until the first answer (or when out of memory) */
    size_t cap, used;
} memo_table;

static memo_table cur, prev;

/* The pair's slot in t, or the empty one where it goes; NULL without a table. */
static memo_slot *memo_find(const memo_table *t, const unsigned char child[32],
                            const unsigned char issuer[32], unsigned char self)
{
    if (t->slots == NULL)
        return NULL;
    uint32_t h = ((uint32_t)child[0] | (uint32_t)child[1] << 8 | (uint32_t)child[2] << 16 |
                  (uint32_t)child[3] << 24) ^
                 ((uint32_t)issuer[4] | (uint32_t)issuer[5] << 8 | (uint32_t)issuer[6] << 16);
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        memo_slot *s = &t->slots[i];
        if (s->result == 0 || (s->self == self && memcmp(s->child, child, 32) == 0 &&
                               memcmp(s->issuer, issuer, 32) == 0))
            return s; /* terminates: at least a quarter of the slots stay empty */
    }
}

/* Room for one more answer in cur: a bigger table (the answers moved over),
 * or, at the largest size, a new generation.  Out of memory: cur starts
 * over, or there is no memo. */
static void memo_make_room(void)
{
    if (cur.slots != NULL && cur.used + 1 <= cur.cap / 4 * 3)
        return;
    if (cur.slots != NULL && cur.cap >= MEMO_MAX_SLOTS) {
        free(prev.slots);
        prev = cur;
        memset(&cur, 0, sizeof cur);
        if ((cur.slots = calloc(MEMO_MAX_SLOTS, sizeof *cur.slots)) != NULL)
            cur.cap = MEMO_MAX_SLOTS;
        else { /* keep one table, empty */
            cur = prev;
            memset(&prev, 0, sizeof prev);
            memset(cur.slots, 0, cur.cap * sizeof *cur.slots);
            cur.used = 0;
        }
        return;
    }
    memo_table t = {calloc(cur.slots ? cur.cap * 2 : MEMO_MIN_SLOTS, sizeof *t.slots),
                    cur.slots ? cur.cap * 2 : MEMO_MIN_SLOTS, cur.used};
    if (t.slots == NULL)
        return;
    for (size_t i = 0; i < cur.cap; i++)
        if (cur.slots[i].result != 0)
            *memo_find(&t, cur.slots[i].child, cur.slots[i].issuer, cur.slots[i].self) =
                cur.slots[i];
    free(cur.slots);
    cur = t;
}

static void memo_put(const unsigned char child[32], const unsigned char issuer[32],
                     unsigned char self, int ok)
{
    memo_make_room();
    memo_slot *s = memo_find(&cur, child, issuer, self);
    if (s == NULL || s->result != 0)
        return;
    memcpy(s->child, child, 32);
    memcpy(s->issuer, issuer, 32);
    s->self = self;
    s->result = ok ? 1 : -1;
    cur.used++;
}

static int memo_get(const unsigned char child[32], const unsigned char issuer[32],
                    unsigned char self)
{
    const memo_slot *s = memo_find(&cur, child, issuer, self);
    if (s != NULL && s->result != 0)
        return s->result;
    s = memo_find(&prev, child, issuer, self);
    if (s == NULL || s->result == 0)
        return 0;
    int result = s->result;
    memo_put(child, issuer, self, result > 0); /* asked again: into the current generation */
    return result;
}

size_t psc_sigcache_entries(void) { return cur.used; }

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

/* The named-curve EC keys the fast path builds itself, by the DER of the
 * SPKI's AlgorithmIdentifier (id-ecPublicKey + curve OID). */
static const struct ec_spki {
    unsigned char der[21];
    unsigned char len;
    const char *group;
} ec_spkis[] = {
    {{0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
      0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, 21, "prime256v1"},
    {{0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81,
      0x04, 0x00, 0x22}, 18, "secp384r1"},
    {{0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81,
      0x04, 0x00, 0x23}, 18, "secp521r1"},
};

/* An EC public key on a named curve straight from the certificate's SPKI,
 * through EVP_PKEY_fromdata (which checks the point is on the curve):
 * d2i_X509 reaches the same key through OSSL_DECODER_CTX_new_for_pkey, a
 * decoder search per certificate that was 30% of verify of 10,000 mixed
 * certificates (6,000 roots, each checked with its own key).  NULL for
 * every other key: the caller decodes the certificate. */
static EVP_PKEY *ec_key_from_der(const psc_cert *c)
{
    psc_cursor all, cert, tbs, spki, bits;
    const unsigned char *el, *alg, *point;
    size_t el_len, alg_len, point_len;
    unsigned tag;
    uint8_t unused;
    psc_cursor_init(&all, c->der, c->der_len);
    if (psc_cursor_der_expect(&all, 0x30, &cert) != 0 ||
        psc_cursor_der_expect(&cert, 0x30, &tbs) != 0 || psc_cursor_der_peek_tag(&tbs, &tag) != 0 ||
        (tag == 0xa0 && psc_cursor_der_element(&tbs, &el, &el_len) != 0))
        return NULL;
    for (int i = 0; i < 5; i++) /* serialNumber, signature, issuer, validity, subject */
        if (psc_cursor_der_element(&tbs, &el, &el_len) != 0)
            return NULL;
    if (psc_cursor_der_expect(&tbs, 0x30, &spki) != 0 ||
        psc_cursor_der_element(&spki, &alg, &alg_len) != 0 ||
        psc_cursor_der_expect(&spki, 0x03, &bits) != 0 || psc_cursor_remaining(&spki) != 0 ||
        psc_cursor_u8(&bits, &unused) != 0 || unused != 0 ||
        (point_len = psc_cursor_remaining(&bits)) == 0 ||
        psc_cursor_bytes(&bits, point_len, &point) != 0)
        return NULL;
    const char *group = NULL;
    for (size_t i = 0; i < sizeof ec_spkis / sizeof ec_spkis[0] && group == NULL; i++)
        if (ec_spkis[i].len == alg_len && memcmp(ec_spkis[i].der, alg, alg_len) == 0)
            group = ec_spkis[i].group;
    if (group == NULL)
        return NULL;
    static EVP_PKEY_CTX *ctx; /* one fetch of the EC keymgmt per process */
    if (ctx == NULL && (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL)
        return NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, point_len),
        OSSL_PARAM_construct_end()};
    EVP_PKEY *pk = NULL;
    if (EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        EVP_PKEY_free(pk);
        pk = NULL;
    }
    ERR_clear_error();
    return pk;
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
    if (m->pubkey_cache == NULL && !m->pubkey_failed &&
        (m->pubkey_cache = ec_key_from_der(c)) == NULL) {
        X509 *owned;
        X509 *x = borrow(c, &owned);
        m->pubkey_cache = x != NULL ? X509_get_pubkey(x) : NULL;
        m->pubkey_failed = m->pubkey_cache == NULL;
        X509_free(owned);
    }
    return m->pubkey_cache;
}

/* The plain RSA (PKCS#1 v1.5) and ECDSA signature algorithms, by their DER
 * AlgorithmIdentifier (RSA with NULL parameters, ECDSA without any), and
 * the digest each names.  Every other algorithm (PSS, EdDSA, DSA, MD5,
 * unusual parameters) takes the X509_verify path. */
static const struct plain_alg {
    unsigned char der[15];
    unsigned char len;
    const char *key_type, *md;
} plain_algs[] = {
#define RSA_ALG(last, md) {{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, last, 0x05, 0x00}, 15, "RSA", md}
#define EC_ALG(a, b, md) {{0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, a, b}, 12, "EC", md}
    RSA_ALG(0x05, "SHA1"), RSA_ALG(0x0e, "SHA224"), RSA_ALG(0x0b, "SHA256"),
    RSA_ALG(0x0c, "SHA384"), RSA_ALG(0x0d, "SHA512"),
    EC_ALG(0x03, 0x01, "SHA224"), EC_ALG(0x03, 0x02, "SHA256"), EC_ALG(0x03, 0x03, "SHA384"),
    EC_ALG(0x03, 0x04, "SHA512"),
    {{0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, 11, "EC", "SHA1"},
#undef RSA_ALG
#undef EC_ALG
};

static const struct plain_alg *find_plain_alg(const unsigned char *alg, size_t len)
{
    for (size_t i = 0; i < sizeof plain_algs / sizeof plain_algs[0]; i++)
        if (plain_algs[i].len == len && memcmp(plain_algs[i].der, alg, len) == 0)
            return &plain_algs[i];
    return NULL;
}

/* A verification context for an issuer key and a plain algorithm, kept for
 * the last few pairs: EVP_DigestVerifyInit_ex per check fetched the
 * signature algorithm and built a context again (12% of verify of 10,000
 * leaves under one RSA CA).  The digest of the tbsCertificate is computed
 * here and EVP_PKEY_verify checks it, with the padding (PKCS#1 v1.5) and the
 * digest EVP_DigestVerify would use.  A context holds a reference to its
 * key, so a key's address is not reused while it is cached. */
typedef struct verifier {
    EVP_PKEY *pk;
    const struct plain_alg *pa;
    EVP_PKEY_CTX *pctx;
    EVP_MD *md;
} verifier;

static const verifier *verifier_for(EVP_PKEY *pk, const struct plain_alg *pa)
{
    static verifier cache[8];
    static size_t next; /* the slot replaced next: the oldest */
    for (size_t i = 0; i < sizeof cache / sizeof cache[0]; i++)
        if (cache[i].pk == pk && cache[i].pa == pa)
            return &cache[i];
    verifier fresh = {pk, pa, EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL),
                      EVP_MD_fetch(NULL, pa->md, NULL)};
    if (fresh.pctx == NULL || fresh.md == NULL || EVP_PKEY_verify_init(fresh.pctx) != 1 ||
        (strcmp(pa->key_type, "RSA") == 0 &&
         EVP_PKEY_CTX_set_rsa_padding(fresh.pctx, RSA_PKCS1_PADDING) != 1) ||
        EVP_PKEY_CTX_set_signature_md(fresh.pctx, fresh.md) != 1) {
        EVP_PKEY_CTX_free(fresh.pctx);
        EVP_MD_free(fresh.md);
        ERR_clear_error();
        return NULL;
    }
    verifier *slot = &cache[next];
    next = (next + 1) % (sizeof cache / sizeof cache[0]);
    EVP_PKEY_CTX_free(slot->pctx);
    EVP_MD_free(slot->md);
    *slot = fresh;
    return slot;
}

/* X509_verify(child, pk) without decoding the child: d2i_X509 builds the
 * child's own public key through the provider decoders (55% of verify of
 * 10,000 leaves) only to check a signature over bytes we hold.  Same checks
 * as X509_verify for the algorithms it takes: the tbsCertificate's
 * signature AlgorithmIdentifier equals the outer one (byte-equal DER is
 * X509_ALGOR_cmp equal), a BIT STRING without unused bits, the key type the
 * algorithm names, then EVP_DigestVerify over the tbsCertificate as read.
 * 1 verifies, 0 does not, -1 not handled here (the caller decodes). */
static int verify_from_der(const psc_cert *child, EVP_PKEY *pk)
{
    psc_cursor all, cert, tbs_c, bits;
    const unsigned char *tbs, *alg, *inner_alg, *sig, *skip;
    size_t tbs_len, alg_len, inner_len, sig_len, skip_len;
    unsigned tag;
    uint8_t unused;
    psc_cursor_init(&all, child->der, child->der_len);
    if (psc_cursor_der_expect(&all, 0x30, &cert) != 0 || psc_cursor_remaining(&all) != 0 ||
        psc_cursor_der_element(&cert, &tbs, &tbs_len) != 0 ||
        psc_cursor_der_element(&cert, &alg, &alg_len) != 0 ||
        psc_cursor_der_expect(&cert, 0x03, &bits) != 0 || psc_cursor_remaining(&cert) != 0 ||
        psc_cursor_u8(&bits, &unused) != 0 || unused != 0 ||
        (sig_len = psc_cursor_remaining(&bits)) == 0 ||
        psc_cursor_bytes(&bits, sig_len, &sig) != 0)
        return -1;
    /* tbsCertificate: [0] version (optional), serialNumber, signature. */
    psc_cursor_init(&all, tbs, tbs_len);
    if (psc_cursor_der_expect(&all, 0x30, &tbs_c) != 0 ||
        psc_cursor_der_peek_tag(&tbs_c, &tag) != 0 ||
        (tag == 0xa0 && psc_cursor_der_element(&tbs_c, &skip, &skip_len) != 0) ||
        psc_cursor_der_element(&tbs_c, &skip, &skip_len) != 0 ||
        psc_cursor_der_element(&tbs_c, &inner_alg, &inner_len) != 0 ||
        inner_len != alg_len || memcmp(inner_alg, alg, alg_len) != 0)
        return -1; /* X509_verify answers (and refuses a mismatch) */
    const struct plain_alg *pa = find_plain_alg(alg, alg_len);
    if (pa == NULL || !EVP_PKEY_is_a(pk, pa->key_type))
        return -1;
    const verifier *v = verifier_for(pk, pa);
    if (v == NULL)
        return -1; /* X509_verify decides */
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int ok = EVP_Digest(tbs, tbs_len, digest, &dlen, v->md, NULL) == 1 &&
             EVP_PKEY_verify(v->pctx, sig, sig_len, digest, dlen) == 1;
    return ok; /* the caller clears OpenSSL's error queue */
}

int psc_sigcache_self_signed(const psc_cert *c)
{
    if (c->self_result != 0)
        return c->self_result > 0;
    int known = memo_get(c->sha256, c->sha256, 1);
    if (known != 0)
        return ((psc_cert *)c)->self_result = (signed char)known, known > 0;
    X509 *owned;
    X509 *x = borrow(c, &owned);
    int ok = x != NULL && X509_self_signed(x, 1) == 1;
    X509_free(owned);
    ERR_clear_error();
    memo_put(c->sha256, c->sha256, 1, ok);
    ((psc_cert *)c)->self_result = ok ? 1 : -1; /* a cache on the certificate */
    return ok;
}

int psc_sigcache_signed_by(const psc_cert *child, const psc_cert *issuer)
{
    psc_cert *mc = (psc_cert *)child; /* its last answer is a cache on it */
    if (mc->sig_result != 0 && memcmp(mc->sig_issuer, issuer->sha256, 32) == 0)
        return mc->sig_result > 0;
    int known = memo_get(child->sha256, issuer->sha256, 0);
    if (known != 0) {
        memcpy(mc->sig_issuer, issuer->sha256, 32);
        mc->sig_result = (signed char)known;
        return known > 0;
    }
    EVP_PKEY *pk = issuer_key(issuer); /* decoded once per issuer, kept */
    int ok = pk != NULL ? verify_from_der(child, pk) : 0;
    if (ok < 0) { /* an algorithm the DER path leaves to OpenSSL */
        X509 *cown;
        X509 *cx = borrow(child, &cown); /* each child is checked once: not kept */
        ok = cx != NULL && X509_verify(cx, pk) == 1;
        X509_free(cown);
    }
    ERR_clear_error();
    memo_put(child->sha256, issuer->sha256, 0, ok);
    memcpy(mc->sig_issuer, issuer->sha256, 32);
    mc->sig_result = ok ? 1 : -1;
    return ok;
}
