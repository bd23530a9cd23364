/* JKS and JCEKS: the shared entry walk, integrity trailer, key protectors
 * and writer.  Layout and algorithms: see javaks.h and doc/formats.md. */
#include "javaks.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>


/* DER bodies of the two key-protection OIDs. */
const unsigned char PSC_OID_JKS_KEYPROT[10] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a,
                                                0x02, 0x11, 0x01, 0x01}; /* 1.3.6.1.4.1.42.2.17.1.1 */
const unsigned char PSC_OID_JCE_PBE[9] = {0x2b, 0x06, 0x01, 0x04, 0x01,
                                            0x2a, 0x02, 0x13, 0x01}; /* 1.3.6.1.4.1.42.2.19.1 */
static const char WHITENING[] = "Mighty Aphrodite";

/* Smallest possible entry: tag, empty alias, timestamp, a 4-byte length. */
#define MIN_ENTRY_BYTES 18u

/* ---- password conversions ------------------------------------------------ */

unsigned char *psc_javaks_utf16be(const psc_secret *pw, size_t *n)
{
    const unsigned char *s = (const unsigned char *)(pw && pw->data ? pw->data : "");
    size_t len = pw && pw->data ? pw->len : 0;
    /* At most 2 bytes of UTF-16 per byte of UTF-8 (4-byte sequences give 4). */
    unsigned char *out = malloc(2 * len + 1);
    size_t o = 0;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t k;
        unsigned char b = s[i];
        if (b < 0x80) { cp = b; k = 1; }
        else if ((b & 0xe0) == 0xc0) { cp = b & 0x1f; k = 2; }
        else if ((b & 0xf0) == 0xe0) { cp = b & 0x0f; k = 3; }
        else if ((b & 0xf8) == 0xf0) { cp = b & 0x07; k = 4; }
        else goto bad;
        if (k > len - i)
            goto bad;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        static const unsigned long min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        if (cp >= 0x10000) {
            unsigned long v = cp - 0x10000, hi = 0xd800 | (v >> 10), lo = 0xdc00 | (v & 0x3ff);
            out[o++] = (unsigned char)(hi >> 8); out[o++] = (unsigned char)hi;
            out[o++] = (unsigned char)(lo >> 8); out[o++] = (unsigned char)lo;
        } else {
            out[o++] = (unsigned char)(cp >> 8);
            out[o++] = (unsigned char)cp;
        }
        i += k;
    }
    *n = o;
    return out;
bad:
    psc_wipe(out, 2 * len + 1);
    free(out);
    return NULL;
}

int psc_javaks_trailer(const unsigned char *pw16, size_t pw16_len, const unsigned char *data,
                       size_t len, unsigned char out[20])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int olen = 0;
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
             EVP_DigestUpdate(ctx, pw16, pw16_len) &&
             EVP_DigestUpdate(ctx, WHITENING, sizeof WHITENING - 1) &&
             EVP_DigestUpdate(ctx, data, len) && EVP_DigestFinal_ex(ctx, out, &olen) && olen == 20;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* ---- Sun JKS key protector ----------------------------------------------- */

/* XOR data with the keystream SHA1(pw16 || prev), prev starting at salt. */
static int jks_xor(const unsigned char salt[20], const unsigned char *in, size_t n,
                   const unsigned char *pw16, size_t pw16_len, unsigned char *out)
{
    unsigned char block[20];
    memcpy(block, salt, 20);
    for (size_t i = 0; i < n; i += 20) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
                 EVP_DigestUpdate(ctx, pw16, pw16_len) && EVP_DigestUpdate(ctx, block, 20) &&
                 EVP_DigestFinal_ex(ctx, block, NULL);
        EVP_MD_CTX_free(ctx);
        if (!ok)
            return -1;
        for (size_t j = 0; j < 20 && i + j < n; j++)
            out[i + j] = in[i + j] ^ block[j];
    }
    psc_wipe(block, sizeof block);
    return 0;
}

static int sha1_two(const unsigned char *a, size_t an, const unsigned char *b, size_t bn,
                    unsigned char out[20])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) && EVP_DigestUpdate(ctx, a, an) &&
             EVP_DigestUpdate(ctx, b, bn) && EVP_DigestFinal_ex(ctx, out, NULL);
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

int psc_jks_key_decrypt(const unsigned char *blob, size_t n, const unsigned char *pw16,
                        size_t pw16_len, unsigned char **out, size_t *out_len)
{
    unsigned char check[20];
    if (n <= 40)
        return -1;
    size_t plen = n - 40;
    unsigned char *plain = malloc(plen);
    if (plain == NULL)
        return -1;
    if (jks_xor(blob, blob + 20, plen, pw16, pw16_len, plain) != 0 ||
        sha1_two(pw16, pw16_len, plain, plen, check) != 0) {
        psc_wipe(plain, plen);
        free(plain);
        return -1;
    }
    if (CRYPTO_memcmp(check, blob + 20 + plen, 20) != 0) {
        psc_wipe(plain, plen);
        free(plain);
        return 1;
    }
    *out = plain;
    *out_len = plen;
    return 0;
}

int psc_jks_key_encrypt(const unsigned char *plain, size_t n, const unsigned char *pw16,
                        size_t pw16_len, unsigned char **out, size_t *out_len)
{
    unsigned char *blob = malloc(n + 40);
    if (blob == NULL)
        return -1;
    if (RAND_bytes(blob, 20) != 1 || jks_xor(blob, plain, n, pw16, pw16_len, blob + 20) != 0 ||
        sha1_two(pw16, pw16_len, plain, n, blob + 20 + n) != 0) {
        free(blob);
        return -1;
    }
    *out = blob;
    *out_len = n + 40;
    return 0;
}

/* ---- Sun PBEWithMD5AndTripleDES ------------------------------------------ */

/* Key (24) + IV (8) from two MD5 chains over the salt halves.  When the
 * halves are equal Java "inverts" the first one with a typo'd swap that
 * yields [d,a,b,d] from [a,b,c,d]; reproduce it exactly. */
static int jce_derive(const unsigned char salt[8], unsigned long iterations, const psc_secret *pw,
                      unsigned char kiv[32])
{
    const unsigned char *p = (const unsigned char *)(pw && pw->data ? pw->data : "");
    size_t plen = pw && pw->data ? pw->len : 0;
    for (size_t i = 0; i < plen; i++)
        if (p[i] >= 0x80)
            return -1; /* Java's PBEKey accepts ASCII only */
    if (iterations == 0)
        return -1;
    unsigned char halves[2][4];
    memcpy(halves[0], salt, 4);
    memcpy(halves[1], salt + 4, 4);
    if (memcmp(halves[0], halves[1], 4) == 0) {
        unsigned char a = halves[0][0], b = halves[0][1], d = halves[0][3];
        halves[0][0] = d; halves[0][1] = a; halves[0][2] = b; halves[0][3] = d;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return -1;
    int ok = 1;
    for (int h = 0; h < 2 && ok; h++) {
        unsigned char cur[16];
        size_t curlen = 4;
        memcpy(cur, halves[h], 4);
        for (unsigned long k = 0; k < iterations && ok; k++) {
            ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) && EVP_DigestUpdate(ctx, cur, curlen) &&
                 EVP_DigestUpdate(ctx, p, plen) && EVP_DigestFinal_ex(ctx, cur, NULL);
            curlen = 16;
        }
        memcpy(kiv + 16 * h, cur, 16);
        psc_wipe(cur, sizeof cur);
    }
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

static int jce_crypt(int enc, const unsigned char *in, size_t n, const unsigned char salt[8],
                     unsigned long iterations, const psc_secret *pw, unsigned char **out,
                     size_t *out_len)
{
    unsigned char kiv[32];
    if (n > (size_t)INT32_MAX - 16 || (!enc && (n == 0 || n % 8 != 0)))
        return -1;
    if (jce_derive(salt, iterations, pw, kiv) != 0)
        return -1;
    unsigned char *buf = malloc(n + 16);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0, rc = -1;
    if (buf && ctx && EVP_CipherInit_ex(ctx, EVP_des_ede3_cbc(), NULL, kiv, kiv + 24, enc) &&
        EVP_CipherUpdate(ctx, buf, &l1, in, (int)n)) {
        if (EVP_CipherFinal_ex(ctx, buf + l1, &l2)) {
            *out = buf;
            *out_len = (size_t)l1 + (size_t)l2;
            buf = NULL;
            rc = 0;
        } else {
            rc = enc ? -1 : 1; /* bad padding: wrong password */
        }
    }
    if (buf) {
        psc_wipe(buf, n + 16);
        free(buf);
    }
    EVP_CIPHER_CTX_free(ctx);
    psc_wipe(kiv, sizeof kiv);
    return rc;
}

int psc_jce_pbe_decrypt(const unsigned char *ct, size_t n, const unsigned char salt[8],
                        unsigned long iterations, const psc_secret *pw, unsigned char **out,
                        size_t *out_len)
{
    return jce_crypt(0, ct, n, salt, iterations, pw, out, out_len);
}

int psc_jce_pbe_encrypt(const unsigned char *plain, size_t n, const unsigned char salt[8],
                        unsigned long iterations, const psc_secret *pw, unsigned char **out,
                        size_t *out_len)
{
    return jce_crypt(1, plain, n, salt, iterations, pw, out, out_len);
}

int psc_jce_pbe_params(psc_cursor *params, unsigned char salt[8], unsigned long *iterations)
{
    psc_cursor seq, s, it;
    const unsigned char *p;
    if (psc_cursor_der_expect(params, 0x30, &seq) != 0 ||
        psc_cursor_der_expect(&seq, 0x04, &s) != 0 || psc_cursor_remaining(&s) != 8 ||
        psc_cursor_copy(&s, salt, 8) != 0 || psc_cursor_der_expect(&seq, 0x02, &it) != 0)
        return -1;
    size_t n = psc_cursor_remaining(&it);
    if (n == 0 || n > 5 || psc_cursor_bytes(&it, n, &p) != 0 || (p[0] & 0x80))
        return -1;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    *iterations = v;
    return 0;
}

/* ---- reading -------------------------------------------------------------- */

int psc_javaks_probe(const unsigned char *buf, size_t len, uint32_t magic)
{
    psc_cursor c;
    uint32_t m;
    psc_cursor_init(&c, buf, len);
    return psc_cursor_u32be(&c, &m) == 0 && m == magic ? 100 : 0;
}

/* A key (or JCEKS secret key) to decrypt once the integrity check passed. */
typedef struct pending_key {
    psc_entry *en;
    int secret;
    const unsigned char *blob;
    size_t n;
} pending_key;

static int cmp_alias(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Duplicate aliases within this file (entries first..end of the store):
 * sort copies of the pointers so large stores stay O(n log n). */
static int check_duplicates(psc_store *st, size_t first, const char *path, psc_err *e)
{
    size_t n = psc_store_entry_count(st) - first;
    if (n < 2)
        return PSC_OK;
    char **names = malloc(n * sizeof *names);
    if (names == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    for (size_t i = 0; i < n; i++)
        names[i] = psc_store_entry(st, first + i)->alias;
    qsort(names, n, sizeof *names, cmp_alias);
    int rc = PSC_OK;
    for (size_t i = 1; i < n && rc == PSC_OK; i++)
        if (strcasecmp(names[i - 1], names[i]) == 0)
            rc = psc_fail(e, PSC_EINPUT,
                          "%s: the alias '%s' occurs twice (aliases are case-insensitive); "
                          "the keystore is damaged or was not written by Java",
                          path, names[i]);
    free(names);
    return rc;
}

static int read_cert(psc_store *st, psc_entry *en, psc_cursor *c, uint32_t version,
                     const char *path, psc_err *e)
{
    if (version == 2) {
        char *type = psc_cursor_java_utf(c);
        if (type == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: truncated or damaged keystore; the file is "
                                           "incomplete", path);
        int x509 = strcmp(type, "X.509") == 0;
        if (!x509)
            psc_fail(e, PSC_EINPUT, "%s: entry '%s' holds a certificate of type '%.40s'; only "
                                    "X.509 is supported", path, en->alias, type);
        free(type);
        if (!x509)
            return PSC_EINPUT;
    }
    const unsigned char *der;
    size_t n;
    if (psc_cursor_lenbytes32(c, &der, &n) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: truncated or damaged keystore; the file is incomplete",
                        path);
    psc_cert *cert = psc_store_add_cert_der(st, der, n, path, e);
    if (cert == NULL)
        return e && e->code ? e->code : PSC_EINPUT;
    if (psc_entry_push_cert(en, cert) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    return PSC_OK;
}

/* *wrong is set when the key does not decrypt with pw (as opposed to damaged
 * or unsupported protection). */
static int decrypt_key(const pending_key *pk, const psc_secret *pw, const psc_read_opts *opts,
                       int *wrong, psc_err *e)
{
    const char *path = opts->path, *alias = pk->en->alias;
    psc_cursor c, epki, algid, octets, oidc;
    const unsigned char *oid, *blob;
    size_t oidlen;
    psc_cursor_init(&c, pk->blob, pk->n);
    if (psc_cursor_der_expect(&c, 0x30, &epki) != 0 ||
        psc_cursor_der_expect(&epki, 0x30, &algid) != 0 ||
        psc_cursor_der_expect(&algid, 0x06, &oidc) != 0 ||
        psc_cursor_bytes(&oidc, (oidlen = psc_cursor_remaining(&oidc)), &oid) != 0 ||
        psc_cursor_der_expect(&epki, 0x04, &octets) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: the protected key of entry '%s' is damaged", path,
                        alias);
    size_t bloblen = psc_cursor_remaining(&octets);
    psc_cursor_bytes(&octets, bloblen, &blob);
    unsigned char *plain = NULL;
    size_t plen = 0;
    int rc;
    if (oidlen == sizeof PSC_OID_JKS_KEYPROT && memcmp(oid, PSC_OID_JKS_KEYPROT, oidlen) == 0) {
        size_t n16;
        unsigned char *pw16 = psc_javaks_utf16be(pw, &n16);
        if (pw16 == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: the key password is not valid UTF-8", path);
        rc = psc_jks_key_decrypt(blob, bloblen, pw16, n16, &plain, &plen);
        psc_wipe(pw16, n16);
        free(pw16);
    } else if (oidlen == sizeof PSC_OID_JCE_PBE && memcmp(oid, PSC_OID_JCE_PBE, oidlen) == 0) {
        unsigned char salt[8];
        unsigned long iter;
        unsigned long cap = opts->max_iterations ? opts->max_iterations : PSC_DEFAULT_MAX_ITERATIONS;
        if (psc_jce_pbe_params(&algid, salt, &iter) != 0)
            return psc_fail(e, PSC_EINPUT, "%s: the key parameters of entry '%s' are damaged",
                            path, alias);
        if (iter == 0 || iter > cap)
            return psc_fail(e, PSC_EINPUT, "%s: entry '%s' asks for %lu key iterations (limit "
                                           "%lu); refusing", path, alias, iter, cap);
        for (size_t i = 0; pw->data && i < pw->len; i++)
            if ((unsigned char)pw->data[i] >= 0x80)
                return psc_fail(e, PSC_EINPUT, "%s: JCEKS key passwords are ASCII only (Java "
                                               "rejects others); try --key-password", path);
        rc = psc_jce_pbe_decrypt(blob, bloblen, salt, iter, pw, &plain, &plen);
    } else {
        char txt[80] = "?";
        ASN1_OBJECT *obj = NULL;
        unsigned char der[2 + 127];
        const unsigned char *q = der;
        der[0] = 0x06;
        der[1] = (unsigned char)oidlen;
        if (oidlen < 128) {
            memcpy(der + 2, oid, oidlen);
            if ((obj = d2i_ASN1_OBJECT(NULL, &q, (long)oidlen + 2)) != NULL)
                OBJ_obj2txt(txt, sizeof txt, obj, 1);
        }
        ASN1_OBJECT_free(obj);
        return psc_fail(e, PSC_EINPUT, "%s: the key of entry '%s' is protected with an "
                                       "unsupported algorithm (OID %s)", path, alias, txt);
    }
    if (rc == 1) {
        *wrong = 1;
        return psc_fail(e, PSC_EINPUT, "%s: wrong key password for entry '%s' (the key does "
                                       "not decrypt); try --key-password", path, alias);
    }
    if (rc != 0)
        return psc_fail(e, PSC_EINPUT, "%s: the protected key of entry '%s' is damaged", path,
                        alias);
    const unsigned char *q = plain;
    EVP_PKEY *key = d2i_AutoPrivateKey_ex(NULL, &q, (long)plen, NULL, NULL);
    psc_wipe(plain, plen);
    free(plain);
    if (key == NULL) {
        psc_fail(e, PSC_EINPUT, "%s: the decrypted key of entry '%s' is not a PKCS#8 key",
                 path, alias);
        psc_err_add_openssl(e);
        return PSC_EINPUT;
    }
    psc_entry_set_key(pk->en, key);
    return PSC_OK;
}

static int truncated(const char *path, psc_err *e)
{
    return psc_fail(e, PSC_EINPUT, "%s: truncated or damaged keystore; the file is incomplete",
                    path);
}

/* One entry after its tag: alias, timestamp, body. */
static int read_entry(psc_store *st, psc_cursor *c, uint32_t tag, uint32_t version,
                      size_t index, psc_javaks_kind kind, psc_javaks_secret_fn secret,
                      const psc_read_opts *opts, pending_key *pk, psc_err *e)
{
    const char *path = opts->path, *fmt = kind == PSC_JAVAKS_JKS ? "jks" : "jceks";
    uint64_t ts;
    char *alias = psc_cursor_java_utf(c);
    if (alias == NULL || psc_cursor_u64be(c, &ts) != 0) {
        free(alias);
        return truncated(path, e);
    }
    psc_entry_type type = tag == 1 ? PSC_ENTRY_KEYPAIR : tag == 2 ? PSC_ENTRY_TRUSTED
                                                                  : PSC_ENTRY_SECRET;
    psc_entry *en = psc_store_add_entry(st, type, alias, path, fmt, index);
    free(alias);
    if (en == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    en->created_ms = (int64_t)ts;
    if (tag == 2)
        return read_cert(st, en, c, version, path, e);
    if (tag == 3) { /* pk remembers the sealed object's bytes for the second pass */
        psc_cursor before = *c;
        int rc = secret(st, en, c, NULL, opts, e);
        pk->en = en;
        pk->secret = 1;
        pk->n = c->pos - before.pos;
        if (rc == PSC_OK && psc_cursor_bytes(&before, pk->n, &pk->blob) != 0)
            rc = truncated(path, e);
        return rc;
    }
    uint32_t chain_len;
    if (psc_cursor_lenbytes32(c, &pk->blob, &pk->n) != 0 || psc_cursor_u32be(c, &chain_len) != 0)
        return truncated(path, e);
    pk->en = en;
    if (chain_len == 0)
        return psc_fail(e, PSC_EINPUT, "%s: key entry '%s' has no certificate; the file is "
                                       "damaged", path, en->alias);
    if (chain_len > psc_cursor_remaining(c) / (version == 2 ? 6 : 4))
        return truncated(path, e);
    for (uint32_t i = 0; i < chain_len; i++) {
        int rc = read_cert(st, en, c, version, path, e);
        if (rc != PSC_OK)
            return rc;
    }
    return PSC_OK;
}

int psc_javaks_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_javaks_kind kind, psc_javaks_secret_fn secret,
                    psc_err *e)
{
    const char *path = opts->path;
    const char *name = kind == PSC_JAVAKS_JKS ? "JKS" : "JCEKS";
    psc_cursor c;
    uint32_t magic, version, count;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_u32be(&c, &magic) != 0 ||
        magic != (kind == PSC_JAVAKS_JKS ? PSC_JKS_MAGIC : PSC_JCEKS_MAGIC))
        return psc_fail(e, PSC_EINPUT, "%s: not a %s keystore (wrong magic number)", path, name);
    if (psc_cursor_u32be(&c, &version) != 0 || psc_cursor_u32be(&c, &count) != 0)
        return truncated(path, e);
    if (version != 1 && version != 2)
        return psc_fail(e, PSC_EINPUT, "%s: unsupported %s version %u (1 and 2 exist)", path,
                        name, version);
    if (count > psc_cursor_remaining(&c) / MIN_ENTRY_BYTES)
        return psc_fail(e, PSC_EINPUT, "%s: claims %u entries, more than the file can hold; the "
                                       "file is damaged", path, count);
    pending_key *keys = calloc(count ? count : 1, sizeof *keys);
    if (keys == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    size_t nkeys = 0, first = psc_store_entry_count(st);
    int rc = PSC_OK, verified = 0;
    for (uint32_t i = 0; i < count && rc == PSC_OK; i++) {
        uint32_t tag;
        if (psc_cursor_u32be(&c, &tag) != 0)
            rc = truncated(path, e);
        else if (tag == 1 || tag == 2 || (tag == 3 && kind == PSC_JAVAKS_JCEKS && secret)) {
            rc = read_entry(st, &c, tag, version, i, kind, secret, opts, &keys[nkeys], e);
            nkeys += (rc == PSC_OK && tag != 2);
        } else
            rc = psc_fail(e, PSC_EINPUT, "%s: entry %u has unknown tag %u; the file is damaged "
                                         "or not a %s keystore", path, i + 1, tag, name);
    }
    if (rc == PSC_OK)
        rc = check_duplicates(st, first, path, e);
    size_t body_end = c.pos;
    const psc_secret *kpw = psc_secret_is_set(opts->key_password) ? opts->key_password
                                                                  : opts->password;
    const unsigned char *trailer = NULL;
    if (rc == PSC_OK && psc_cursor_bytes(&c, 20, &trailer) != 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: truncated: the integrity check bytes are missing; the "
                                     "file is incomplete", path);
    if (rc == PSC_OK && psc_secret_is_set(opts->password)) {
        unsigned char want[20];
        size_t n16;
        unsigned char *pw16 = psc_javaks_utf16be(opts->password, &n16);
        if (pw16 == NULL)
            rc = psc_fail(e, PSC_EINPUT, "%s: the password is not valid UTF-8", path);
        else if (psc_javaks_trailer(pw16, n16, buf, body_end, want) != 0)
            rc = psc_fail(e, PSC_EINPUT, "%s: SHA-1 is not available", path);
        else if (CRYPTO_memcmp(want, trailer, 20) != 0)
            rc = psc_fail(e, PSC_EINPUT, "wrong password for %s, or the file is damaged "
                                         "(integrity check failed); try --password", path);
        else
            verified = 1;
        if (pw16) {
            psc_wipe(pw16, n16);
            free(pw16);
        }
    } else if (rc == PSC_OK) {
        psc_store_warn(st, "%s: read without --password: integrity not checked%s", path,
                       nkeys && !psc_secret_is_set(kpw) ? ", keys not decrypted" : "");
    }
    if (rc == PSC_OK && psc_cursor_remaining(&c) > 0)
        psc_store_warn(st, "%s: %zu bytes after the integrity check ignored (Java ignores them "
                           "too)", path, psc_cursor_remaining(&c));
    for (size_t i = 0; i < nkeys && rc == PSC_OK && psc_secret_is_set(kpw); i++) {
        if (!keys[i].secret) {
            int wrong = 0;
            psc_err ke = {0};
            rc = decrypt_key(&keys[i], kpw, opts, &wrong, &ke);
            if (rc != PSC_OK && wrong && opts->keys_optional) {
                /* keytool -list: the key's own password is not needed to list it */
                rc = psc_entry_set_note(keys[i].en, psc_secret_is_set(opts->key_password)
                                            ? "private key not decrypted: --key-password does "
                                              "not open it"
                                            : "private key not decrypted: its password differs "
                                              "from the store password (give --key-password "
                                              "to convert it)") == 0
                         ? PSC_OK
                         : psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
            } else if (rc != PSC_OK) {
                psc_fail(e, ke.code, "%s", ke.msg);
            }
        } else if (verified) { /* never spend KDF time on unverified bytes */
            psc_cursor sc;
            psc_err ignored = {0};
            psc_cursor_init(&sc, keys[i].blob, keys[i].n);
            secret(st, keys[i].en, &sc, kpw, opts, &ignored);
        }
    }
    free(keys);
    return rc;
}
