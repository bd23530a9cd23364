/* Private to formats/p12.c (reader, probe) and formats/p12_write.c (writer). */
#ifndef PSC_P12_INTERNAL_H
#define PSC_P12_INTERNAL_H

#include "format.h"
#include "p12_cipher.h"
#include "pbe_guard.h"

/* Oracle's "trusted key usage" bag attribute: Java lists a certificate bag
 * as a trustedCertEntry only when it carries this attribute.  keytool writes
 * the value as a SET holding the OID anyExtendedKeyUsage. */
#define PSC_P12_JAVA_TRUST_OID "2.16.840.1.113894.746875.1.1"
#define PSC_P12_ANY_EKU_OID "2.5.29.37.0"

/* The profiles pseconv writes.  Modern = what OpenSSL 3's `pkcs12 -export`
 * writes by default (PBES2 + PBKDF2-HMAC-SHA256 + AES-256-CBC for keys and
 * certificates, HMAC-SHA256 MAC, PKCS12_DEFAULT_ITER = 2048 iterations). */
#define PSC_P12_WRITE_ITER 2048

/* SAP Cloud Integration limits checked with --for cpi. */

/* One bag of the file being read (p12.c), as the pairing sees it. */
enum psc_p12_item_kind { ITEM_KEY, ITEM_CERT, ITEM_SECRET };

typedef struct p12_item {
    enum psc_p12_item_kind kind;
    char *name;                 /* friendlyName as UTF-8 (OPENSSL_malloc'd), may be NULL */
    unsigned char *keyid;       /* localKeyId, may be NULL */
    int keyid_len;
    int trusted;                /* carries Java's trust attribute */
    psc_cert *cert;             /* ITEM_CERT */
    EVP_PKEY *key;              /* ITEM_KEY, once decrypted */
    unsigned char *sealed;      /* ITEM_KEY not decrypted yet (inspect): the encrypted
                                 * key's DER (OPENSSL_malloc'd), NULL once key is set */
    int sealed_len;
    struct p12_item *pair;      /* key <-> its leaf certificate */
    int unreadable;             /* ITEM_KEY whose bag did not decrypt (key NULL) */
    int in_chain;               /* certificate of some key pair's chain */
    int emitted;
} p12_item;

/* Pair every key with its certificate: by localKeyId (the first unpaired
 * certificate with the key's), else by public key.  A key still sealed is
 * decrypted by decrypt(arg, key) only when localKeyId finds nothing, so
 * inspect of a usual PKCS#12 runs no key KDF, as keytool -list; the pairs
 * are those of decrypting every key first.  Returns decrypt's error. */
int psc_p12_pair_keys(p12_item *items, size_t n, int (*decrypt)(void *arg, p12_item *key),
                      void *arg);

int psc_p12_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e);

#endif
