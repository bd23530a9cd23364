/* A certificate's subject in SAP's notation (sapdn.c). */
#ifndef PSC_SAPDN_H
#define PSC_SAPDN_H

#include <stddef.h>
#include "store.h"

/* The subject as SAP's certificate display and VUSREXTID write it (sapdn.c):
 * "CN=..., OU=..., O=..., L=..., SP=..., C=..." (SP for stateOrProvinceName).
 * *uncertain names what SAP may write differently ("emailAddress", "a
 * multi-valued RDN", "non-ASCII characters"), NULL when every part is certain.
 * Returns 0, or -1 when the name cannot be decoded or does not fit. */
int psc_sap_dn(const psc_cert *c, char *out, size_t n, const char **uncertain);

#endif
