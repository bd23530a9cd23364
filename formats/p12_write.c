/* PKCS#12 writer.
 *
 * Layout (as OpenSSL and keytool write it): one SafeContents with the
 * certificate bags (encrypted, or plain in a password-less store), one plain
 * SafeContents with the shrouded key bags, and a MAC over both.
 *   - key pair: key bag + leaf bag, both with friendlyName = alias and
 *     localKeyId = SHA-1 of the leaf; the rest of the chain as plain bags;
 *   - every other certificate: friendlyName = alias plus Java's trust
 *     attribute, so keytool lists it as a trustedCertEntry.
 * Profiles: modern (default) = OpenSSL 3's defaults: PBES2/PBKDF2-HMAC-SHA256
 * /AES-256-CBC, HMAC-SHA256 MAC, 2048 iterations.  --legacy = 3DES
 * (pbeWithSHAAnd3-KeyTripleDES-CBC) for keys and certificates and a SHA-1
 * MAC, for sapgenpse import_p12 and older SAP and Java releases.
 * A store with only certificates and no password is written password-less
 * (no MAC, plain bags), as JDK 18+ writes Debian's cacerts. */
#include "p12_internal.h"
#include "p12_certbag.h"
#include "certentry.h"
#include "cursor.h"
#include "describe.h"
#include "keypair.h"
#include "cpi_policy.h"
#include "store_index.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

typedef struct p12_writer {
    psc_store *st;
    const psc_write_opts *opts;
    psc_err *e;
    const char *pass;                 /* NULL: password-less store */
    int passlen;
    psc_buf certs;                    /* the certificate SafeContents: CERTS_HDR bytes of room
                                       * for its SEQUENCE header, then each bag's DER */
    size_t ncert_bags;
    STACK_OF(PKCS12_SAFEBAG) *keys;
    psc_seen plain;                   /* certificates already written as a chain
                                       * certificate (by psc_cert index: also a pooled
                                       * store's) */
    psc_nameset aliases;              /* aliases written so far (unique, case-insensitive) */
    psc_alias_counter alias_ctr;      /* per wanted alias: the next suffix to try */
    ASN1_OBJECT *any_eku;
} p12_writer;

static int oom(p12_writer *w)
{
    return psc_fail(w->e, PSC_EOUTPUT, "%s: out of memory while building the PKCS#12 file",
                    w->opts->path);
}

static int ossl_failed(p12_writer *w, const char *what)
{
    psc_fail(w->e, PSC_EOUTPUT, "%s: cannot build the PKCS#12 file (%s)", w->opts->path, what);
    psc_err_add_openssl(w->e);
    return PSC_EOUTPUT;
}

static int alias_written(void *aliases, const char *cand)
{
    return psc_nameset_has(aliases, cand);
}

/* Aliases must be unique in the output: keytool keeps only one of a pair.
 * The first free of WANT, WANT-2, WANT-3, ... (case-insensitive), found in
 * O(1) per entry however often WANT repeats. */
static int unique_alias(p12_writer *w, const char *want, char *out, size_t outlen)
{
    if (psc_alias_counter_next(&w->alias_ctr, want && *want ? want : "entry", 100000, out, outlen,
                               alias_written, &w->aliases) != 0)
        return -1;
    if (want && strcmp(out, want) != 0)
        psc_store_warn(w->st, "%s: alias '%s' is used twice; the second one is written as '%s'",
                       w->opts->path, want, out);
    return psc_nameset_add(&w->aliases, out) < 0 ? -1 : 0;
}

/* The iteration count for key, certificate and MAC derivation. */
static int write_iter(const p12_writer *w)
{
    unsigned long it = w->opts->iterations;
    return it == 0 || it > INT_MAX ? PSC_P12_WRITE_ITER : (int)it;
}

#define CERTS_HDR 6 /* 0x30, 0x84 and four length octets at most */

/* A certificate bag goes into the SafeContents as DER as soon as its
 * attributes are set: a stack of 100,000 bag objects (several times the
 * certificate each) was most of the PKCS#12 writer's memory.  Frees bag.
 * 0 ok, -1 out of memory or not encodable. */
static int commit_bag(p12_writer *w, PKCS12_SAFEBAG *bag)
{
    int len = bag ? i2d_PKCS12_SAFEBAG(bag, NULL) : -1;
    unsigned char *p = NULL;
    if (len > 0 && psc_buf_reserve(&w->certs, (size_t)len) == 0) {
        p = w->certs.data + w->certs.len;
        if (i2d_PKCS12_SAFEBAG(bag, &p) == len)
            w->certs.len += (size_t)len;
        else
            p = NULL;
    }
    PKCS12_SAFEBAG_free(bag);
    w->ncert_bags += p != NULL;
    return p != NULL ? 0 : -1;
}

/* A certificate that is not part of a key pair: a trusted entry for Java. */
static int add_trusted(p12_writer *w, const psc_cert *c, const char *alias)
{
    char name[256];
    if (unique_alias(w, alias, name, sizeof name) != 0)
        return oom(w);
    PKCS12_SAFEBAG *bag = psc_p12_cert_bag(c);
    if (bag == NULL || !PKCS12_add_friendlyname_utf8(bag, name, -1) ||
        !PKCS12_add1_attr_by_txt(bag, PSC_P12_JAVA_TRUST_OID, V_ASN1_OBJECT,
                                 (const unsigned char *)w->any_eku, -1)) {
        PKCS12_SAFEBAG_free(bag);
        return ossl_failed(w, "certificate bag");
    }
    return commit_bag(w, bag) == 0 ? PSC_OK : ossl_failed(w, "certificate bag");
}

static int add_keypair(p12_writer *w, const psc_entry *en)
{
    char name[256];
    const psc_cert *leaf = en->chain[0];
    if (unique_alias(w, en->alias, name, sizeof name) != 0)
        return oom(w);
    /* localKeyId = SHA-1 of the leaf, as OpenSSL writes it. */
    unsigned char keyid[20];
    const unsigned char *sha1 = psc_cert_sha1(leaf);
    if (sha1 == NULL)
        return ossl_failed(w, "SHA-1 of the certificate (localKeyId)");
    memcpy(keyid, sha1, sizeof keyid);

    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(en->key);
    if (p8 == NULL)
        return ossl_failed(w, "private key does not convert to PKCS#8");
    int nid = w->opts->legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
    PKCS12_SAFEBAG *kb = PKCS12_SAFEBAG_create_pkcs8_encrypt_ex(
        nid, w->pass, w->passlen, NULL, 0, write_iter(w), p8, NULL, NULL);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (kb == NULL || !sk_PKCS12_SAFEBAG_push(w->keys, kb)) {
        PKCS12_SAFEBAG_free(kb);
        return ossl_failed(w, "key encryption");
    }
    if (!PKCS12_add_friendlyname_utf8(kb, name, -1) || !PKCS12_add_localkeyid(kb, keyid, 20))
        return ossl_failed(w, "key attributes");

    PKCS12_SAFEBAG *cb = psc_p12_cert_bag(leaf);
    if (cb == NULL || !PKCS12_add_friendlyname_utf8(cb, name, -1) ||
        !PKCS12_add_localkeyid(cb, keyid, 20)) {
        PKCS12_SAFEBAG_free(cb);
        return ossl_failed(w, "certificate bag");
    }
    if (commit_bag(w, cb) != 0)
        return ossl_failed(w, "certificate bag");
    /* The rest of the chain: plain bags (no alias, no trust), once each. */
    for (size_t i = 1; i < en->chain_len; i++) {
        if (en->chain[i] == leaf)
            continue;
        int seen = psc_seen_mark(&w->plain, en->chain[i]);
        if (seen < 0)
            return oom(w);
        if (seen)
            continue;
        if (commit_bag(w, psc_p12_cert_bag(en->chain[i])) != 0)
            return ossl_failed(w, "certificate bag");
    }
    return PSC_OK;
}

static int add_entry(p12_writer *w, const psc_entry *en)
{
    if (en->type == PSC_ENTRY_SECRET) {
        psc_store_warn(w->st, "%s: secret key '%s' is not written (pseconv lists secret keys only)",
                       w->opts->path, en->alias ? en->alias : "");
        return PSC_OK;
    }
    if (en->chain_len == 0)
        return PSC_OK;
    if (en->key != NULL && w->opts->include_keys)
        return add_keypair(w, en);
    /* Without its key a key pair's chain becomes trusted certificates. */
    for (size_t i = 0; i < en->chain_len; i++) {
        char alias[256];
        if (i == 0)
            snprintf(alias, sizeof alias, "%s", en->alias ? en->alias : "");
        else
            snprintf(alias, sizeof alias, "%s-ca%zu", en->alias ? en->alias : "entry", i);
        int rc = add_trusted(w, en->chain[i], alias);
        if (rc != PSC_OK)
            return rc;
    }
    return PSC_OK;
}

/* SAP Cloud Integration's rules for keystore uploads (warnings only): the
 * shared checks, plus the one that is PKCS#12's own: "Add > Key Pair" takes
 * one key per file. */
static void cpi_checks(p12_writer *w, size_t nkeys, size_t bytes)
{
    psc_cpi_policy_check(w->st, w->opts->password, bytes);
    if (nkeys > 1)
        psc_store_warn(w->st, "%s: holds %zu private keys; SAP Cloud Integration's Add > Key "
                       "Pair takes one key per file", w->opts->path, nkeys);
}

/* The certificate SafeContents (w->certs) as one PKCS#7 safe, what
 * PKCS12_add_safe_ex(nid) makes of a stack of bags, built from the bytes:
 * ContentInfo data (nid -1, a password-less store) or encryptedData under
 * the PBE PKCS12_pack_p7encdata_ex chooses for nid (PBES2 with the cipher
 * of that name, else the PKCS#12 PBE itself).  The plain bytes are wiped
 * and freed once encrypted, so at most two copies live at a time. */
static PKCS7 *certs_safe(p12_writer *w, int nid)
{
    size_t body = w->certs.len - CERTS_HDR, h = psc_der_header_len(body);
    if (body > INT_MAX - 6)
        return NULL;
    unsigned char *der = w->certs.data + CERTS_HDR - h; /* SEQUENCE OF SafeBag */
    psc_der_header(der, 0x30, body);
    int len = (int)(body + h);
    PKCS7 *p7 = PKCS7_new();
    if (p7 == NULL || !PKCS7_set_type(p7, nid == -1 ? NID_pkcs7_data : NID_pkcs7_encrypted)) {
        PKCS7_free(p7);
        return NULL;
    }
    int ok;
    if (nid == -1) {
        ok = ASN1_OCTET_STRING_set(p7->d.data, der, len);
    } else {
        EVP_CIPHER *ciph = EVP_CIPHER_fetch(NULL, OBJ_nid2sn(nid), NULL);
        X509_ALGOR *pbe = ciph != NULL
                              ? PKCS5_pbe2_set_iv_ex(ciph, write_iter(w), NULL, 0, NULL, -1, NULL)
                              : PKCS5_pbe_set_ex(nid, write_iter(w), NULL, 0, NULL);
        EVP_CIPHER_free(ciph);
        unsigned char *enc = NULL;
        int enclen = 0;
        ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
        ok = pbe != NULL && os != NULL &&
             PKCS12_pbe_crypt_ex(pbe, w->pass, -1, der, len, &enc, &enclen, 1, NULL, NULL) != NULL;
        if (ok) {
            ASN1_STRING_set0(os, enc, enclen);
            X509_ALGOR_free(p7->d.encrypted->enc_data->algorithm);
            p7->d.encrypted->enc_data->algorithm = pbe;
            ASN1_OCTET_STRING_free(p7->d.encrypted->enc_data->enc_data);
            p7->d.encrypted->enc_data->enc_data = os;
        } else {
            X509_ALGOR_free(pbe);
            ASN1_OCTET_STRING_free(os);
        }
    }
    psc_buf_free(&w->certs, 0); /* certificates and their aliases: nothing secret */
    if (!ok) {
        PKCS7_free(p7);
        return NULL;
    }
    return p7;
}

static int serialize(p12_writer *w, psc_buf *out, size_t *bytes)
{
    STACK_OF(PKCS7) *safes = sk_PKCS7_new_null();
    PKCS12 *p12 = NULL;
    int rc = safes != NULL ? PSC_OK : oom(w), len = 0;
    int cert_nid = w->pass == NULL ? -1
                   : w->opts->legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC
                                     : NID_aes_256_cbc;
    if (rc == PSC_OK && w->ncert_bags > 0) {
        PKCS7 *p7 = certs_safe(w, cert_nid);
        if (p7 == NULL || !sk_PKCS7_push(safes, p7)) {
            PKCS7_free(p7);
            rc = ossl_failed(w, "certificate part");
        }
    }
    if (rc == PSC_OK && sk_PKCS12_SAFEBAG_num(w->keys) > 0 &&
        !PKCS12_add_safe_ex(&safes, w->keys, -1, 0, NULL, NULL, NULL))
        rc = ossl_failed(w, "key part");
    sk_PKCS12_SAFEBAG_pop_free(w->keys, PKCS12_SAFEBAG_free);
    w->keys = NULL;
    if (rc == PSC_OK && (p12 = PKCS12_add_safes_ex(safes, 0, NULL, NULL)) == NULL)
        rc = ossl_failed(w, "content list");
    sk_PKCS7_pop_free(safes, PKCS7_free); /* encoded into p12 now */
    if (rc == PSC_OK && w->pass != NULL &&
        !PKCS12_set_mac(p12, w->pass, w->passlen, NULL, 0, write_iter(w),
                        w->opts->legacy ? EVP_sha1() : EVP_sha256()))
        rc = ossl_failed(w, "integrity check");
    /* encoded straight into the output: no third copy */
    if (rc == PSC_OK && (len = i2d_PKCS12(p12, NULL)) <= 0)
        rc = ossl_failed(w, "encoding");
    if (rc == PSC_OK && psc_buf_reserve(out, (size_t)len) != 0)
        rc = oom(w);
    if (rc == PSC_OK) {
        unsigned char *p = out->data + out->len;
        if (i2d_PKCS12(p12, &p) != len)
            rc = ossl_failed(w, "encoding");
        else
            out->len += (size_t)len;
    }
    *bytes = rc == PSC_OK ? (size_t)len : 0;
    PKCS12_free(p12);
    return rc;
}

int psc_p12_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    int arc = psc_check_aliases_utf8(st, opts->path, "PKCS#12", e);
    if (arc == PSC_OK)
        arc = psc_store_require_certs(st, opts->path, "PKCS#12", opts->include_keys, e);
    if (arc != PSC_OK)
        return arc;
    p12_writer w;
    memset(&w, 0, sizeof w);
    w.st = st;
    w.opts = opts;
    w.e = e;
    size_t nkeys = 0, ncerts = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        nkeys += en->key != NULL && en->chain_len > 0 && opts->include_keys;
        ncerts += en->chain_len;
    }
    if (ncerts == 0)
        return psc_fail(e, PSC_EINPUT, "%s: nothing to write (the input holds no certificates)",
                        opts->path);
    if (opts->password != NULL && psc_secret_is_set(opts->password)) {
        w.pass = opts->password->data;
        w.passlen = (int)opts->password->len;
    } else if (nkeys > 0) {
        return psc_fail(e, PSC_EUSAGE,
                        "%s: a PKCS#12 file with a private key needs a password; give "
                        "--out-password SPEC (or --no-keys for certificates only)", opts->path);
    } else {
        psc_store_warn(st, "%s: written without a password (no integrity check, certificates "
                       "in the clear) like Java's cacerts; give --out-password to protect it",
                       opts->path);
    }
    if (opts->legacy && !psc_p12_cipher_ready("DES-EDE3-CBC", NULL))
        return psc_fail(e, PSC_EOUTPUT, "%s: this OpenSSL cannot encrypt with DES-EDE3-CBC "
                        "(needed for --legacy)", opts->path);

    int rc = PSC_OK;
    /* the SafeContents' size known up front (bags add their attributes to
     * the certificate's DER): reserved once, not copied while it grows */
    size_t der_bytes = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        for (size_t k = 0; k < en->chain_len; k++)
            der_bytes += en->chain[k]->der_len + 96 + 2 * (en->alias ? strlen(en->alias) : 0);
    }
    psc_buf_init(&w.certs);
    int reserved = psc_buf_reserve(&w.certs, CERTS_HDR + der_bytes) == 0;
    w.certs.len = CERTS_HDR;
    w.keys = sk_PKCS12_SAFEBAG_new_null();
    w.any_eku = OBJ_txt2obj(PSC_P12_ANY_EKU_OID, 1);
    psc_nameset_init(&w.aliases, 1);
    if (!reserved || w.keys == NULL || w.any_eku == NULL)
        rc = oom(&w);
    /* Key pairs first, as keytool and OpenSSL order them.  A separate
     * certificate entry is still written as a trusted entry when the same
     * certificate is also in a chain: Java keeps both roles too. */
    for (size_t i = 0; rc == PSC_OK && i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        if (en->key != NULL && opts->include_keys && en->chain_len > 0)
            rc = add_entry(&w, en);
    }
    for (size_t i = 0; rc == PSC_OK && i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        if (!(en->key != NULL && opts->include_keys && en->chain_len > 0))
            rc = add_entry(&w, en);
    }
    size_t bytes = 0;
    if (rc == PSC_OK)
        rc = serialize(&w, out, &bytes);
    if (rc == PSC_OK && opts->for_cpi)
        cpi_checks(&w, nkeys, bytes);
    psc_buf_free(&w.certs, 0);
    sk_PKCS12_SAFEBAG_pop_free(w.keys, PKCS12_SAFEBAG_free);
    ASN1_OBJECT_free(w.any_eku);
    psc_nameset_free(&w.aliases);
    psc_alias_counter_free(&w.alias_ctr);
    psc_seen_free(&w.plain);
    ERR_clear_error();
    return rc;
}
