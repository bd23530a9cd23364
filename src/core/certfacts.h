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

#endif
