/* Key entries without certificates (store_keys.c). */
#ifndef PSC_STORE_KEYS_H
#define PSC_STORE_KEYS_H

#include "store.h"

/* Writers whose key entries need a certificate chain (JKS, JCEKS, PKCS#12):
 * PSC_EINPUT naming the first private key without a certificate, unless keys
 * are left out (include_keys 0).  format: "JKS", "PKCS#12", ... */
int psc_store_require_certs(psc_store *st, const char *path, const char *format,
                            int include_keys, psc_err *e);

#endif
