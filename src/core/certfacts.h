/* Certificate facts at insertion and the store's table of distinct Names
 * (see certfacts.c).  Internal to the store. */
#ifndef PSC_CERTFACTS_H
#define PSC_CERTFACTS_H

#include "store.h"

typedef struct psc_name_table {
    struct psc_name_slot *slots; /* open addressing by FNV-1a of the Name's DER */
    size_t cap, used;
} psc_name_table;

void psc_name_table_free(psc_name_table *t);

/* Fill every fact field of c from c->der (and c->x509_cache when set):
 * 0 ok, -1 not a valid X.509 certificate, -2 out of memory.  Names come
 * from (and stay owned by) t. */
int psc_cert_fill_facts(psc_name_table *t, psc_cert *c);

/* 0: der[0..len) is what OpenSSL writes for it (DER), use it as is (also
 * when OpenSSL refuses it: reading it reports that).  1: it is BER (a
 * non-minimal or indefinite length, dirty unused signature bits ...):
 * *out (OPENSSL_free) holds i2d_X509 of d2i_X509, the bytes OpenSSL
 * fingerprints.  *decoded: the X509 when this check had to decode it
 * (X509_free; its re-encoding is the bytes to use), else NULL. */
int psc_cert_der_canonical(const unsigned char *der, size_t len, unsigned char **out,
                           size_t *out_len, X509 **decoded);

/* 0: every fact from d2i_X509 (as the environment variable PSC_NOLITE
 * does), 1: the DER walk with d2i_X509 as the fallback (default).  For the
 * differential tests and fuzz_x509diff. */
void psc_certfacts_set_lite(int on);

#endif
