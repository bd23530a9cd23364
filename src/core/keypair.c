/* Pairing loose private keys (PEM, DER PKCS#8, a PKCS#12 key bag without its
 * certificate) with the certificates of every input, by public key.  A key
 * that no certificate matches stays a key entry of its own: OpenSSL reads
 * such a file and keytool lists it as a PrivateKeyEntry with chain length 0,
 * so pseconv lists and converts it too; writers that need a certificate for a
 * key entry (JKS, JCEKS, PKCS#12) refuse it with psc_store_require_certs().
 * Uses the store's public API only (store.c never calls back here). */
#include "store.h"
#include "chain.h"
#include "keypair.h"

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

void psc_pkey_desc(EVP_PKEY *pk, char *out, size_t n)
{
    char type[16], curve[PSC_CURVE_LEN];
    int bits = 0;
    psc_pkey_facts(pk, type, &bits, curve);
    if (curve[0])
        snprintf(out, n, "%s %s", type, curve);
    else
        snprintf(out, n, "%s %d", type, bits);
}

static int same_file(const psc_origin *a, const psc_origin *b)
{
    return a->file && b->file && strcmp(a->file, b->file) == 0;
}

static int has_cert_entries(const psc_store *st)
{
    for (size_t i = 0; i < psc_store_entry_count(st); i++)
        if (psc_store_entry(st, i)->chain_len > 0)
            return 1;
    return 0;
}

/* The alias of a key without a certificate: the name its file gave it, else
 * "key-" and the first 12 hex digits of the SHA-256 of its public key (stable
 * across runs, like the "cert-..." fallback for certificates without a CN). */
static int key_alias(psc_store *st, const psc_loose_key *k, char *out, size_t n)
{
    char base[128];
    if (k->alias != NULL && k->alias[0] != '\0') {
        snprintf(base, sizeof base, "%s", k->alias);
    } else {
        unsigned char *der = NULL, md[32];
        unsigned int mdlen = 0;
        char hex[65];
        int len = i2d_PUBKEY(k->key, &der);
        int ok = len > 0 && EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL) == 1;
        OPENSSL_free(der);
        ERR_clear_error();
        if (!ok)
            return -1;
        psc_hex(md, 32, hex);
        snprintf(base, sizeof base, "key-%.12s", hex);
    }
    snprintf(out, n, "%s", base);
    for (int i = 2; psc_store_find_alias(st, out) != NULL && i < 100000; i++)
        snprintf(out, n, "%s-%d", base, i);
    return 0;
}

static int key_only_entry(psc_store *st, psc_loose_key *k, int warn, psc_err *e)
{
    const char *file = k->origin.file ? k->origin.file : "<input>";
    char alias[160];
    if (key_alias(st, k, alias, sizeof alias) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: cannot encode the private key's public half", file);
    psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_KEYPAIR, alias, k->origin.file,
                                        k->origin.format, k->origin.index);
    if (en == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    psc_entry_set_key(en, k->key);
    k->key = NULL;
    if (warn)
        psc_store_warn(st, "%s: no certificate among the inputs matches the private key '%s'; "
                           "it is kept as a key entry without certificate",
                       file, alias);
    return PSC_OK;
}

/* PSC_OK with k->key taken when a certificate matched; k->key left when none did. */
static int pair_one(psc_store *st, psc_loose_key *k, psc_err *e)
{
    psc_entry *match = NULL;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->type != PSC_ENTRY_CERT || en->chain_len == 0)
            continue;
        X509 *x = psc_cert_x509(en->chain[0]);
        EVP_PKEY *pub = x != NULL ? X509_get0_pubkey(x) : NULL;
        if (pub != NULL && EVP_PKEY_eq(pub, k->key) == 1) {
            match = en;
            if (same_file(&en->origin, &k->origin))
                break; /* prefer the certificate from the key's own file */
        }
    }
    ERR_clear_error();
    if (match == NULL)
        return PSC_OK;
    psc_chain ch;
    psc_chain_build(st, match->chain[0], time(NULL), &ch);
    match->chain_len = 0;
    for (size_t i = 0; i < ch.len; i++)
        if (psc_entry_push_cert(match, ch.certs[i]) != 0)
            return psc_fail(e, PSC_EINPUT, "out of memory");
    match->type = PSC_ENTRY_KEYPAIR;
    psc_entry_set_key(match, k->key);
    k->key = NULL;
    /* Bare certificates (PEM, DER, P7B; from any input) that are now part of
     * this chain were its chain material, not entries of their own:
     * `convert key.pem cert.crt chain.pem -o x.p12` is one key pair.  Trusted
     * entries of keystores stay what they were. */
    for (size_t i = psc_store_entry_count(st); i-- > 0;) {
        psc_entry *en = psc_store_entry(st, i);
        if (en == match || en->type != PSC_ENTRY_CERT || en->chain_len != 1)
            continue;
        for (size_t j = 1; j < ch.len; j++)
            if (ch.certs[j] == en->chain[0]) {
                psc_store_remove_entry(st, i);
                break;
            }
    }
    return PSC_OK;
}

int psc_store_pair_keys(psc_store *st, psc_err *e)
{
    int rc = PSC_OK, warn = has_cert_entries(st);
    size_t n = psc_store_loose_key_count(st);
    for (size_t i = 0; i < n && rc == PSC_OK; i++)
        rc = pair_one(st, psc_store_loose_key(st, i), e);
    /* Certificates are named first, so a key's alias cannot take a CN. */
    if (rc == PSC_OK && psc_store_name_unnamed(st) != 0)
        rc = psc_fail(e, PSC_EINPUT, "out of memory");
    for (size_t i = 0; i < n && rc == PSC_OK; i++)
        if (psc_store_loose_key(st, i)->key != NULL)
            rc = key_only_entry(st, psc_store_loose_key(st, i), warn, e);
    psc_store_drop_loose_keys(st);
    return rc;
}

int psc_store_require_certs(psc_store *st, const char *path, const char *format,
                            int include_keys, psc_err *e)
{
    if (!include_keys)
        return PSC_OK;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        if (en->key == NULL || en->chain_len > 0)
            continue;
        return psc_fail(e, PSC_EINPUT,
                        "%s: the private key '%s' has no certificate, and a %s key entry needs "
                        "one; give its certificate file too, or write the key to PEM "
                        "(or leave it out with --no-keys)",
                        path, en->alias ? en->alias : "", format);
    }
    return PSC_OK;
}
