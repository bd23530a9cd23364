/* Checks on the finished steps (private to src/plan): which client
 * certificates SAP's load balancer will refuse, back ends open to the
 * internet, the Neo environment, a client certificate sent into SAP Cloud
 * Connector's tunnel, an empty SCC Trust Store, DNs SAP may write differently, steps blocked
 * by a replacement, and that every "see the ... finding" names one that exists.
 * planner.c calls it once, after the steps and the certificate lint. */
#ifndef PSC_CHECKS_H
#define PSC_CHECKS_H

#include "plan_types.h"

/* cap: the capacity of p->findings (planner's). 0, or -1 when out of memory. */
int psc_plan_checks(psc_plan *p, size_t *cap);

#endif
