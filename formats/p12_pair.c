/* PKCS#12 key <-> certificate pairing (p12_internal.h), apart from the bag
 * reading in p12.c so that a key can stay encrypted until it is needed. */
#include "p12_internal.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static int same_keyid(const p12_item *a, const p12_item *b)
{
    return a->keyid && b->keyid && a->keyid_len == b->keyid_len &&
           memcmp(a->keyid, b->keyid, (size_t)a->keyid_len) == 0;
}

int psc_p12_pair_keys(p12_item *items, size_t n, int (*decrypt)(void *arg, p12_item *key),
                      void *arg)
{
    for (size_t k = 0; k < n; k++) {
        p12_item *key = &items[k];
        if (key->kind != ITEM_KEY)
            continue;
        for (size_t c = 0; c < n && key->pair == NULL; c++) {
            p12_item *ci = &items[c];
            if (ci->kind == ITEM_CERT && ci->pair == NULL && same_keyid(key, ci))
                key->pair = ci;
        }
        if (key->pair == NULL && key->sealed != NULL) {
            /* no localKeyId match: the public key decides, so decrypt now */
            int rc = decrypt(arg, key);
            if (rc != 0)
                return rc;
        }
        for (size_t c = 0; c < n && key->pair == NULL; c++) {
            p12_item *ci = &items[c];
            X509 *cx = ci->kind == ITEM_CERT && ci->pair == NULL && key->key != NULL
                           ? psc_cert_x509(ci->cert) : NULL;
            EVP_PKEY *pub = cx != NULL ? X509_get0_pubkey(cx) : NULL;
            if (pub != NULL && EVP_PKEY_eq(pub, key->key) == 1)
                key->pair = ci;
        }
        ERR_clear_error();
        if (key->pair != NULL)
            key->pair->pair = key;
    }
    return 0;
}
