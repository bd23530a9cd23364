/* The plan delta (pseconv plan NEW --since OLD, pseconv diff OLD NEW, export
 * --since): two plans computed by the planner as they are, their step lists
 * compared.  A step is the same in both when system, rule id, target and
 * certificate SHA-256 agree; for a user mapping (R10) and a trusted
 * intermediary (R13), which name the certificate by its DN, the same DN is
 * enough: a renewed leaf with the same DN leaves the VUSREXTID line as it is.
 *
 *   new      in NEW only: do before the cut-over
 *   kept     in both: nothing to do again
 *   cleanup  in OLD only: undo after the cut-over (remove the old root from
 *            STRUST, delete the old service key, deactivate the old
 *            VUSREXTID line)
 *
 * The delta never changes a plan.  psc_delta_new_plan() gives a plan view
 * holding only the new steps, for export (its file names are the ones
 * export --since writes). */
#ifndef PSC_DELTA_H
#define PSC_DELTA_H

#include "render.h"

typedef enum psc_delta_kind {
    PSC_DELTA_NEW = 0,
    PSC_DELTA_KEPT,
    PSC_DELTA_CLEANUP
} psc_delta_kind;
const char *psc_delta_kind_name(psc_delta_kind k); /* "new", "kept", "cleanup" */

typedef struct psc_delta_item {
    psc_delta_kind kind;
    const psc_step *step;       /* new, kept: the NEW plan's step; cleanup: the OLD plan's */
    const psc_step *old;        /* kept: the OLD plan's step (same DN: another certificate) */
    const char *task;           /* cleanup: what to undo (static words) */
} psc_delta_item;

typedef struct psc_delta {
    const psc_plan *old_plan, *new_plan;
    psc_delta_item *items;      /* new (NEW plan order), kept, cleanup (OLD plan order) */
    size_t nitems;
    size_t count[3];            /* per kind */
    psc_plan *view;             /* the NEW plan with only the new steps (see above) */
} psc_delta;

int psc_delta_compute(const psc_plan *old_plan, const psc_plan *new_plan, psc_delta **out,
                      psc_err *e);
void psc_delta_free(psc_delta *d);

/* The NEW plan holding only the new steps (owned by d; landscape and findings
 * are the NEW plan's).  Give it to psc_bundle_build for export --since. */
const psc_plan *psc_delta_new_plan(const psc_delta *d);

/* text, markdown and json (dot is refused: PSC_EUSAGE). */
int psc_delta_render(const psc_delta *d, psc_plan_format f, psc_buf *out, psc_err *e);

#endif
