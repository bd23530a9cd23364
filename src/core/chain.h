/* Path building over the store's issuer index. */
#ifndef PSC_CHAIN_H
#define PSC_CHAIN_H

#include "store.h"

#define PSC_CHAIN_MAX 16   /* deeper paths are cut: circular or absurd chains terminate */

typedef struct psc_chain {
    psc_cert *certs[PSC_CHAIN_MAX]; /* leaf first */
    size_t len;
    int complete;                   /* ends in a self-issued root whose own key verifies it */
    int valid_now;                  /* every element inside its validity at `now` */
} psc_chain;

/* Best path from leaf towards a self-signed root using the certificates in
 * the store: currently valid first, then complete, then shortest. */
void psc_chain_build(psc_store *st, psc_cert *leaf, time_t now, psc_chain *out);

/* Role of c within the store: root (self-issued, see store.h), intermediate (a CA that is
 * not self-signed, or that issues another certificate in the store), leaf. */
psc_role psc_cert_role(psc_store *st, const psc_cert *c);

#endif
