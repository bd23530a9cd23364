/* The keys of a [system NAME] section of type cloudconnector that are not file
 * names (landscape_scc.c); private to src/plan. */
#ifndef PSC_LANDSCAPE_SCC_H
#define PSC_LANDSCAPE_SCC_H

#include "plan_types.h"

/* principal_propagation = yes|no (NULL: not given, no).  Sets
 * s->principal_propagation; 0, or -1 with the message for FILE:LINE in msg. */
int psc_landscape_scc_keys(psc_system *s, const char *principal_propagation, char *msg,
                           size_t n);

/* trust_store = empty (or none): SCC's Trust Store lists no certificate, so SCC
 * trusts every back end; the value names no file.  1 for those words. */
int psc_landscape_scc_empty_store(const char *value);

#endif
