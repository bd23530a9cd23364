/* The planner (planner.c): hops x rules x current state -> steps and
 * findings.  Its neighbours have their own headers: landscape.h (landscape
 * file -> systems, flows and hops), rules.h (the R1..R20 table), checks.h,
 * render.h (the renderers), sapdn.h, trustlist.h; the data types are in
 * plan_types.h, the words in words.h.
 *
 * Data flows one way: the loader reads every file through the format layer
 * into a store per system; the planner only looks at those stores; the
 * renderers (and bundle/export) only read the finished plan and never
 * re-derive a decision.
 *
 * Typical use (what `pseconv plan` and `pseconv export` do):
 *
 *     psc_plan *p = NULL;
 *     psc_err e = {0};
 *     if (psc_plan_load_and_run("landscape.ini", time(NULL), &p, &e) != PSC_OK)
 *         return cli_report(&e);                // 2 bad landscape, 3 unreadable file
 *     psc_plan_render(p, PSC_PLAN_MARKDOWN, &buf, &e);
 *     int rc = psc_plan_has_errors(p) ? PSC_EFINDING : PSC_OK;
 *     psc_plan_free(p);
 */
#ifndef PSC_PLANNER_H
#define PSC_PLANNER_H

#include <time.h>
#include "plan_types.h"

/* Walk every hop of every flow, apply the rules, merge steps, compare with the
 * current state, collect findings.  The landscape must outlive the plan. */
int psc_plan_run(const psc_landscape *ls, time_t now, psc_plan **out, psc_err *e);
/* psc_landscape_load + psc_plan_run; the plan owns the landscape. */
int psc_plan_load_and_run(const char *file, time_t now, psc_plan **out, psc_err *e);
void psc_plan_free(psc_plan *p);

/* Any finding of severity error (plan exits 1). */
int psc_plan_has_errors(const psc_plan *p);
/* Counts for the summary line. */
typedef struct psc_plan_counts {
    size_t todo, present, managed, blocked, errors, warnings, infos;
} psc_plan_counts;
void psc_plan_count(const psc_plan *p, psc_plan_counts *c);

/* The steps done in `sys` (pointers into p->steps, plan order).  Returns the
 * count; fills at most max (out may be NULL to count). */
size_t psc_plan_steps_of(const psc_plan *p, const psc_system *sys, const psc_step **out,
                         size_t max);

#endif
