/* Keys and the stable grouping of the planner (planindex.h). */
#include "planindex.h"

#include <stdlib.h>
#include <string.h>

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

uint32_t psc_finding_key(const char *code, const psc_system *sys, const psc_cert *cert)
{
    uint32_t h = fnv(2166136261u, code, strlen(code));
    h = fnv(h, &sys, sizeof sys);
    return fnv(h, &cert, sizeof cert);
}

uint32_t psc_step_key(const psc_system *sys, const char *target, const psc_cert *cert,
                      const char *rule_id)
{
    uint32_t h = fnv(2166136261u, &sys, sizeof sys);
    h = fnv(h, target, strlen(target) + 1);
    return cert ? fnv(h, cert->sha256, 32) : fnv(h, rule_id, strlen(rule_id));
}

int psc_steps_group_by_system(psc_step *steps, size_t *sys_index, size_t n, size_t nsystems)
{
    /* Counting sort: O(n + nsystems); the insertion sort it replaces moved
     * every step of a hub past all the steps added after it.  Each step's
     * place is computed first and the steps are then swapped into place along
     * the permutation's cycles: no second copy of all steps (a megabyte at
     * 2,000 systems, at the plan's peak).  No steps: nothing to move (and
     * steps may be NULL). */
    if (n == 0)
        return 0;
    size_t *start = calloc(nsystems + 1, sizeof *start);
    size_t *dest = malloc(n * sizeof *dest);
    if (start == NULL || dest == NULL) {
        free(start);
        free(dest);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        start[sys_index[i] + 1]++;
    for (size_t s = 0; s < nsystems; s++)
        start[s + 1] += start[s];
    for (size_t i = 0; i < n; i++)
        dest[i] = start[sys_index[i]]++;
    for (size_t i = 0; i < n; i++)
        while (dest[i] != i) { /* each swap puts one step in its final place */
            size_t j = dest[i];
            psc_step t = steps[i];
            steps[i] = steps[j];
            steps[j] = t;
            size_t si = sys_index[i];
            sys_index[i] = sys_index[j];
            sys_index[j] = si;
            dest[i] = dest[j];
            dest[j] = j;
        }
    free(start);
    free(dest);
    return 0;
}
