/* The CAs SAP's load balancer accepts for client certificates (trustlist.c). */
#ifndef PSC_TRUSTLIST_H
#define PSC_TRUSTLIST_H

#include "plan_types.h"

/* The public-root list read when a landscape names no sap_trusted_cas:
 * $PSECONV_PUBLIC_ROOTS, else /etc/ssl/certs/ca-certificates.crt. */
const char *psc_public_roots_file(void);
/* Fill ls->trusted_cas (trustlist.c) from ls->trusted_cas_file (sap_trusted_cas,
 * already resolved) or the public roots, when a flow needs them.  An unreadable
 * public list is a note (written to note), an unreadable sap_trusted_cas an error. */
int psc_trusted_cas_load(psc_landscape *ls, char *note, size_t n, psc_err *e);

#endif
