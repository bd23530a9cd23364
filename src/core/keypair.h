/* Pairing loose keys with certificate entries, and key entries without a
 * certificate (src/core/keypair.c): above store and chain. */
#ifndef PSC_KEYPAIR_H
#define PSC_KEYPAIR_H

#include "store.h"

/* Pair loose keys with certificate entries by public key: the matching
 * certificate entry becomes a key-pair with its chain completed from the
 * store (issuer index); bare certificate entries of the same file absorbed
 * into that chain are removed.  A key no certificate matches becomes a
 * key-pair entry without certificates (chain_len 0), as OpenSSL and keytool
 * read a PKCS#12 or PEM that holds only a key; when the inputs do hold
 * certificates a warning says none matched.  Readers' callers run this once
 * after reading. */
int psc_store_pair_keys(psc_store *st, psc_err *e);

/* Writers whose key entries need a certificate chain (JKS, JCEKS, PKCS#12):
 * PSC_EINPUT naming the first private key without a certificate, unless keys
 * are left out (include_keys 0).  format: "JKS", "PKCS#12", ... */
int psc_store_require_certs(psc_store *st, const char *path, const char *format,
                            int include_keys, psc_err *e);

#endif
