/* Writing JKS and JCEKS the way Java does: version 2, lower-case aliases,
 * keys as PKCS#8 under the store password (keytool and SAP Cloud Integration
 * expect key password = store password), "X.509" certificates, SHA-1 trailer. */
#include "javaks.h"
#include "keypair.h"
#include "describe.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "../src/core/cpi_policy.h"
#include "../src/core/store_index.h"

/* ---- writing -------------------------------------------------------------- */

static int put_u32(psc_buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    return psc_buf_append(b, p, 4);
}

static int put_u64(psc_buf *b, uint64_t v)
{
    return put_u32(b, (uint32_t)(v >> 32)) || put_u32(b, (uint32_t)v) ? -1 : 0;
}

/* Java writeUTF: u16 length + bytes.  Our aliases are UTF-8, which equals
 * modified UTF-8 for everything a keystore alias holds in practice. */
static int put_utf(psc_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > 0xffff)
        return -1;
    unsigned char p[2] = {(unsigned char)(n >> 8), (unsigned char)n};
    return psc_buf_append(b, p, 2) || psc_buf_append(b, s, n) ? -1 : 0;
}

static int put_data(psc_buf *b, const unsigned char *p, size_t n)
{
    return n > UINT32_MAX || put_u32(b, (uint32_t)n) || psc_buf_append(b, p, n) ? -1 : 0;
}

/* DER tag + definite length + content. */
static int der_tlv(psc_buf *b, unsigned char tag, const void *content, size_t n)
{
    unsigned char h[6];
    size_t hl = 0;
    h[hl++] = tag;
    if (n < 0x80)
        h[hl++] = (unsigned char)n;
    else if (n <= 0xff) { h[hl++] = 0x81; h[hl++] = (unsigned char)n; }
    else if (n <= 0xffff) { h[hl++] = 0x82; h[hl++] = (unsigned char)(n >> 8); h[hl++] = (unsigned char)n; }
    else if (n <= 0xffffff) {
        h[hl++] = 0x83; h[hl++] = (unsigned char)(n >> 16); h[hl++] = (unsigned char)(n >> 8);
        h[hl++] = (unsigned char)n;
    } else
        return -1;
    return psc_buf_append(b, h, hl) || psc_buf_append(b, content, n) ? -1 : 0;
}

/* EncryptedPrivateKeyInfo around the protected PKCS#8 of key. */
static int protect_key(EVP_PKEY *key, const psc_secret *pw, psc_javaks_kind kind, psc_buf *epki)
{
    unsigned char *p8 = NULL, *blob = NULL;
    size_t bloblen = 0;
    int p8len = -1, rc = -1;
    PKCS8_PRIV_KEY_INFO *info = EVP_PKEY2PKCS8(key);
    if (info)
        p8len = i2d_PKCS8_PRIV_KEY_INFO(info, &p8);
    PKCS8_PRIV_KEY_INFO_free(info);
    if (p8len <= 0)
        return -1;
    psc_buf alg, params, seq;
    psc_buf_init(&alg);
    psc_buf_init(&params);
    psc_buf_init(&seq);
    if (kind == PSC_JAVAKS_JKS) {
        size_t n16;
        unsigned char *pw16 = psc_javaks_utf16be(pw, &n16);
        if (pw16) {
            rc = psc_jks_key_encrypt(p8, (size_t)p8len, pw16, n16, &blob, &bloblen);
            psc_wipe(pw16, n16);
            free(pw16);
        }
        if (rc == 0)
            rc = der_tlv(&alg, 0x06, PSC_OID_JKS_KEYPROT, sizeof PSC_OID_JKS_KEYPROT) ||
                 der_tlv(&alg, 0x05, "", 0) ? -1 : 0;
    } else {
        unsigned char salt[8], iter[3] = {(PSC_JCEKS_WRITE_ITERATIONS >> 16) & 0xff,
                                          (PSC_JCEKS_WRITE_ITERATIONS >> 8) & 0xff,
                                          PSC_JCEKS_WRITE_ITERATIONS & 0xff};
        do { /* equal halves trigger Java's odd salt swap: avoid them */
            if (RAND_bytes(salt, 8) != 1)
                goto out;
        } while (memcmp(salt, salt + 4, 4) == 0);
        rc = psc_jce_pbe_encrypt(p8, (size_t)p8len, salt, PSC_JCEKS_WRITE_ITERATIONS, pw, &blob,
                                 &bloblen);
        if (rc == 0)
            rc = der_tlv(&params, 0x04, salt, 8) || der_tlv(&params, 0x02, iter, 3) ||
                 der_tlv(&alg, 0x06, PSC_OID_JCE_PBE, sizeof PSC_OID_JCE_PBE) ||
                 der_tlv(&alg, 0x30, params.data, params.len) ? -1 : 0;
    }
    if (rc == 0)
        rc = der_tlv(&seq, 0x30, alg.data, alg.len) || der_tlv(&seq, 0x04, blob, bloblen) ||
             der_tlv(epki, 0x30, seq.data, seq.len) ? -1 : 0;
out:
    psc_wipe(p8, (size_t)p8len);
    OPENSSL_free(p8);
    free(blob);
    psc_buf_free(&alg, 0);
    psc_buf_free(&params, 0);
    psc_buf_free(&seq, 0);
    return rc;
}

/* Java lower-cases aliases when it stores them (JavaKeyStore, JceKeyStore);
 * we do the same so keytool, CPI and we agree on the names. */
static char *java_alias(const psc_entry *en, size_t i)
{
    char tmp[32];
    const char *a = en->alias;
    if (a == NULL) {
        snprintf(tmp, sizeof tmp, "entry-%zu", i + 1);
        a = tmp;
    }
    char *s = strdup(a);
    for (char *p = s; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}

static int write_entries(psc_store *st, psc_buf *out, const psc_write_opts *opts,
                         psc_javaks_kind kind, char **aliases, size_t n, uint32_t *count,
                         psc_err *e)
{
    const char *path = opts->path;
    uint64_t now = (uint64_t)time(NULL) * 1000u;
    for (size_t i = 0; i < n; i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (aliases[i] == NULL)
            continue; /* skipped (secret key, no certificate) */
        uint64_t ts = en->created_ms > 0 ? (uint64_t)en->created_ms : now;
        int with_key = en->key != NULL && opts->include_keys &&
                       (en->type == PSC_ENTRY_KEYPAIR || en->type == PSC_ENTRY_OWN);
        int bad;
        if (with_key) {
            psc_buf epki;
            psc_buf_init(&epki);
            if (protect_key(en->key, opts->password, kind, &epki) != 0) {
                psc_buf_free(&epki, 1);
                return psc_fail(e, PSC_EOUTPUT, "%s: cannot protect the key of '%s'%s", path,
                                aliases[i], kind == PSC_JAVAKS_JCEKS
                                                ? " (JCEKS needs an ASCII password)" : "");
            }
            bad = put_u32(out, 1) || put_utf(out, aliases[i]) || put_u64(out, ts) ||
                  put_data(out, epki.data, epki.len) || put_u32(out, (uint32_t)en->chain_len);
            psc_buf_free(&epki, 1);
            for (size_t k = 0; k < en->chain_len && !bad; k++)
                bad = put_utf(out, "X.509") ||
                      put_data(out, en->chain[k]->der, en->chain[k]->der_len);
        } else {
            bad = put_u32(out, 2) || put_utf(out, aliases[i]) || put_u64(out, ts) ||
                  put_utf(out, "X.509") || put_data(out, en->chain[0]->der, en->chain[0]->der_len);
        }
        if (bad)
            return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", path);
        (*count)++;
    }
    return PSC_OK;
}

/* Which entries get written, under which (lower-case) alias; warns about the rest. */
static int plan_aliases(psc_store *st, const psc_write_opts *opts, psc_javaks_kind kind,
                        char **aliases, size_t n, psc_err *e)
{
    psc_nameset seen; /* the aliases planned so far (already lower case) */
    psc_nameset_init(&seen, 0);
    int rc = PSC_OK;
    for (size_t i = 0; i < n && rc == PSC_OK; i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->type == PSC_ENTRY_SECRET) {
            psc_store_warn(st, "%s: secret key '%s' not written (pseconv does not decrypt "
                               "secret keys)", opts->path, en->alias ? en->alias : "?");
            continue;
        }
        if (en->chain_len == 0)
            continue;
        if (en->type == PSC_ENTRY_KEYPAIR && en->key == NULL && opts->include_keys)
            psc_store_warn(st, "%s: '%s' has no private key (read without a password?): written "
                               "as a trusted certificate", opts->path, en->alias);
        if ((aliases[i] = java_alias(en, i)) == NULL)
            rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
        else if (strlen(aliases[i]) > 0xffff)
            rc = psc_fail(e, PSC_EOUTPUT, "%s: alias too long", opts->path);
        else {
            int added = psc_nameset_add(&seen, aliases[i]);
            if (added < 0)
                rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
            else if (added == 0)
                rc = psc_fail(e, PSC_EINPUT,
                              "%s: two entries are named '%s' (%s aliases are "
                              "case-insensitive); rename one or write them to separate files",
                              opts->path, aliases[i], kind == PSC_JAVAKS_JKS ? "JKS" : "JCEKS");
        }
    }
    psc_nameset_free(&seen);
    return rc;
}

int psc_javaks_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_javaks_kind kind,
                     psc_err *e)
{
    const char *name = kind == PSC_JAVAKS_JKS ? "JKS" : "JCEKS";
    if (!psc_secret_is_set(opts->password))
        return psc_fail(e, PSC_EUSAGE, "%s: a %s keystore needs a password; give --out-password",
                        opts->path, name);
    int arc = psc_check_aliases_utf8(st, opts->path, name, e);
    if (arc == PSC_OK)
        arc = psc_store_require_certs(st, opts->path, name, opts->include_keys, e);
    if (arc != PSC_OK)
        return arc;
    size_t n = psc_store_entry_count(st);
    char **aliases = calloc(n ? n : 1, sizeof *aliases);
    if (aliases == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    uint32_t count = 0;
    size_t start = out->len;
    int rc = plan_aliases(st, opts, kind, aliases, n, e);
    if (rc == PSC_OK && (put_u32(out, kind == PSC_JAVAKS_JKS ? PSC_JKS_MAGIC : PSC_JCEKS_MAGIC) ||
                         put_u32(out, 2) || put_u32(out, 0)))
        rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    if (rc == PSC_OK)
        rc = write_entries(st, out, opts, kind, aliases, n, &count, e);
    if (rc == PSC_OK && count == 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: nothing to write: the input holds no certificates",
                      opts->path);
    if (rc == PSC_OK) {
        unsigned char *cnt = out->data + start + 8; /* patch the entry count */
        cnt[0] = (unsigned char)(count >> 24); cnt[1] = (unsigned char)(count >> 16);
        cnt[2] = (unsigned char)(count >> 8); cnt[3] = (unsigned char)count;
        unsigned char mac[20];
        size_t n16;
        unsigned char *pw16 = psc_javaks_utf16be(opts->password, &n16);
        if (pw16 == NULL)
            rc = psc_fail(e, PSC_EUSAGE, "%s: the output password is not valid UTF-8",
                          opts->path);
        else if (psc_javaks_trailer(pw16, n16, out->data + start, out->len - start, mac) != 0 ||
                 psc_buf_append(out, mac, 20) != 0)
            rc = psc_fail(e, PSC_EOUTPUT, "%s: cannot compute the integrity check", opts->path);
        if (pw16) {
            psc_wipe(pw16, n16);
            free(pw16);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(aliases[i]);
    free(aliases);
    if (rc == PSC_OK && opts->for_cpi)
        psc_cpi_policy_check(st, opts->password, out->len - start);
    return rc;
}
