/* Pairing loose private keys (PEM) with their certificates, by public key,
 * never by position; the paired entry's chain is completed from the store
 * by the chain builder.  Above store.c and chain.c: the store holds the
 * keys, the chain builder walks the store, this file joins the two. */
#include "keypair.h"
#include "chain.h"

#include <string.h>
#include <openssl/err.h>

static int same_file(const psc_origin *a, const psc_origin *b)
{
    return a->file && b->file && strcmp(a->file, b->file) == 0;
}

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
        return psc_fail(e, PSC_EINPUT,
                        "%s: private key has no matching certificate; give the certificate file too",
                        k->origin.file ? k->origin.file : "<input>");
    psc_chain ch;
    psc_chain_build(st, match->chain[0], time(NULL), &ch);
    match->chain_len = 0;
    for (size_t i = 0; i < ch.len; i++)
        if (psc_entry_push_cert(match, ch.certs[i]) != 0)
            return psc_fail(e, PSC_EINPUT, "out of memory");
    match->type = PSC_ENTRY_KEYPAIR;
    match->key = k->key;
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
    int rc = PSC_OK;
    size_t nkeys;
    psc_loose_key *keys = psc_store_loose_keys(st, &nkeys);
    for (size_t i = 0; i < nkeys && rc == PSC_OK; i++)
        rc = pair_one(st, &keys[i], e);
    psc_store_clear_loose_keys(st);
    if (rc == PSC_OK && psc_store_name_unnamed(st) != 0)
        rc = psc_fail(e, PSC_EINPUT, "out of memory");
    return rc;
}
