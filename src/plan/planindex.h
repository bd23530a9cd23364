/* Keys and orderings that keep the planner linear in the landscape: the
 * planner merges each new step into an equal one and each new finding into
 * an equal one; at 2,000 systems (~10,000 steps, thousands of findings) a
 * walk over all of them per addition was most of `plan` and `export`. */
#ifndef PSC_PLANINDEX_H
#define PSC_PLANINDEX_H

#include <stddef.h>
#include <stdint.h>
#include "plan_types.h"

/* The 32-bit key of a finding's (code, system, certificate) identity. */
uint32_t psc_finding_key(const char *code, const psc_system *sys, const psc_cert *cert);
/* The key of a step's identity: (system, target, certificate's SHA-256) or,
 * without a certificate, (system, target, rule id). */
uint32_t psc_step_key(const psc_system *sys, const char *target, const psc_cert *cert,
                      const char *rule_id);
/* Stable sort of steps[0..n) by sys_index[] (each < nsystems), moving
 * sys_index along: the steps grouped by system in landscape order, the
 * rule order kept within one.  -1 when out of memory (nothing moved). */
int psc_steps_group_by_system(psc_step *steps, size_t *sys_index, size_t n, size_t nsystems);

#endif
