/* Pairing loose keys with certificate entries (src/core/keypair.c). */
#ifndef PSC_KEYPAIR_H
#define PSC_KEYPAIR_H

#include "store.h"

/* Pair loose keys with certificate entries by public key: the matching
 * certificate entry becomes a key-pair with its chain completed from the
 * store (issuer index); bare certificate entries of the same file absorbed
 * into that chain are removed.  A key with no certificate is an error
 * (PSC_EINPUT, names the file).  Readers' callers run this once after reading. */
int psc_store_pair_keys(psc_store *st, psc_err *e);

#endif
