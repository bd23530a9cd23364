/* Shared between pse.c (container and object parsing, store mapping) and
 * pse_crypto.c (PIN-based decryption, RSA key and root certificate rebuild).
 * Not a public interface: only the two PSE files include it. */
#ifndef PSC_PSE_INTERNAL_H
#define PSC_PSE_INTERNAL_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "cursor.h"
#include "../src/core/secret.h"

/* pbeWithSHAAnd3-KeyTripleDES-CBC parameters as found in the PSE's algId. */
typedef struct pse_pbe {
    const unsigned char *salt;
    size_t salt_len;
    unsigned long iterations;
} pse_pbe;

/* What pse_pbe_crypt can report besides success. */
enum { PSE_CRYPT_OK = 0, PSE_CRYPT_BAD_PADDING = 1, PSE_CRYPT_FAILED = 2 };

/* Encrypt (enc = 1) or decrypt (enc = 0) with the PKCS#12 key derivation
 * (SHA-1, PIN as UTF-16BE + two zero bytes, ID 1 = 24-byte key, ID 2 = 8-byte
 * IV) and DES-EDE3-CBC with PKCS#7 padding.  *out is malloc'd; the caller
 * wipes and frees it.  PSE_CRYPT_BAD_PADDING on decryption means: wrong PIN
 * (or a damaged file). */
int pse_pbe_crypt(const pse_pbe *p, const psc_secret *pin, const unsigned char *in, size_t in_len,
                  int enc, unsigned char **out, size_t *out_len);

/* The private key from the SKnew value's two primes: n = p*q, e from the
 * own certificate's RSA key when given (else 65537), d, CRT values.
 * Returns NULL when the numbers do not form a key. */
EVP_PKEY *pse_rsa_from_primes(const unsigned char *p, size_t p_len, const unsigned char *q,
                              size_t q_len, const EVP_PKEY *cert_key);

/* PKRoot keeps a root certificate taken apart (name, version, serial, key,
 * validity, signature algorithm, signature, extensions).  Put it back
 * together as a self-signed certificate; returns it only when its own key
 * verifies the signature, i.e. when the rebuilt bytes are exactly the ones
 * that were signed.  NULL otherwise. */
X509 *pse_rebuild_root(const unsigned char *pkroot, size_t len);

/* Cursor helpers both files use (never index the raw buffer). */
int pse_cursor_is(const psc_cursor *c, const unsigned char *oid, size_t n); /* content == oid */
int pse_first_byte(const psc_cursor *c);                     /* peek; -1 if empty */
const unsigned char *pse_rest_of(const psc_cursor *c, size_t *n); /* what remains, no copy */
int pse_der_small_uint(psc_cursor *c, unsigned long *v);     /* non-negative INTEGER */

struct psc_read_opts;
struct psc_err;
/* Open the encrypted v2 container ([0]: PIN check value, algId, ciphertext)
 * or the v4 container ([3]: flag, algId, content, SHA-1 digest) whose
 * content `box` points at.  *plain is the content SEQUENCE, malloc'd; the
 * caller wipes and frees it.  Errors name --password / "wrong PIN". */
int pse_open_v2(psc_cursor *box, const struct psc_read_opts *o, unsigned char **plain,
                size_t *plain_len, struct psc_err *e);
int pse_open_v4(psc_cursor *box, const struct psc_read_opts *o, unsigned char **plain,
                size_t *plain_len, struct psc_err *e);

/* SHA-1 of data into out (20 bytes); 0 on success. */
int pse_sha1(const unsigned char *data, size_t len, unsigned char out[20]);

#endif
