/* DER PKCS#8 private keys, read by the der format (der_key.c). */
#ifndef PSC_DER_KEY_H
#define PSC_DER_KEY_H

#include "format.h"

enum { PSC_DER_KEY_NONE = 0, PSC_DER_KEY_PLAIN = 1, PSC_DER_KEY_ENCRYPTED = 2 };

/* The shape of the first DER element of buf: plain PrivateKeyInfo, encrypted
 * PKCS#8, or neither.  Cheap (no decoding); *used (may be NULL) gets the
 * element's length. */
int psc_der_key_kind(const unsigned char *buf, size_t len, size_t *used);
/* Read the key as a loose key of the store (encrypted: needs --password). */
int psc_der_key_read(psc_store *st, const unsigned char *buf, size_t len,
                     const psc_read_opts *opts, psc_err *e);

#endif
