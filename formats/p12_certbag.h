/* Certificate bags from and to the stored DER (formats/p12_certbag.c).
 * OpenSSL's PKCS12_SAFEBAG_create_cert / PKCS12_SAFEBAG_get1_cert go through a
 * full X509 decode (OSSL_DECODER setup and a public-key decode per
 * certificate): 61% of writing and 77% of reading a 10,000-certificate
 * PKCS#12.  The bytes are the same either way. */
#ifndef PSC_P12_CERTBAG_H
#define PSC_P12_CERTBAG_H

#include <openssl/pkcs12.h>
#include "store.h"

/* An x509Certificate certBag holding c->der as it is; NULL when out of memory. */
PKCS12_SAFEBAG *psc_p12_cert_bag(const psc_cert *c);
/* The certificate of an x509Certificate certBag, added to st (path names it);
 * NULL when anything is unusual: the caller then takes OpenSSL's path, for
 * its exact errors. */
psc_cert *psc_p12_cert_from_bag(psc_store *st, PKCS12_SAFEBAG *bag, const char *path);

#endif
