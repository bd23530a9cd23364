/* The error-message catalogue of `pseconv diagnose` (src/diagnose/catalogue.c):
 * the row and side-hint types and the table's accessors.  Below diagnose.c,
 * which matches texts against it. */
#ifndef PSC_CATALOGUE_H
#define PSC_CATALOGUE_H

#include <stddef.h>
#include "plan_types.h"

/* Which side of a hop reports the message (or applies a candidate). */
typedef enum psc_dg_side {
    PSC_DG_CLIENT = 1,
    PSC_DG_SERVER = 2,
    PSC_DG_EITHER = 3
} psc_dg_side;
const char *psc_dg_side_name(psc_dg_side s); /* "client", "server", "either" */

#define PSC_DG_TYPE(t) (1u << (t))
#define PSC_DG_MAX_PATTERNS 10
#define PSC_DG_MAX_CANDS 8
#define PSC_DG_MAX_FINDINGS 4

/* One candidate rule of a row: on a hop CLIENT -> SERVER of these types the
 * step RULE is done on the client or server side; it explains the message
 * when the reporter is on side `when`. */
typedef struct psc_dg_cand {
    const char *rule;            /* "R2" */
    psc_system_type client, server;
    int at_server;               /* where the step is done (as in rules.md) */
    psc_dg_side when;            /* the reporter's side for which this applies */
    const char *why;             /* this message's reading of the missing step */
    const char *target;          /* NULL: any step RULE has on that side; else only the
                                    step with this target (R14 has three on cpi -> scc) */
} psc_dg_cand;

typedef struct psc_dg_row {
    const char *id;                              /* stable: "icm-peer-cert-untrusted" */
    const char *patterns[PSC_DG_MAX_PATTERNS];   /* any of these, case-insensitive */
    const char *hints[PSC_DG_MAX_PATTERNS];      /* context that picks this row over others
                                                    of its family */
    const char *family;                          /* rows that read the same words differently */
    int wrapper;                                 /* names the reporter; the inner message says why */
    psc_dg_side side;                            /* reporter's side of the hop */
    unsigned reporter_types;                     /* PSC_DG_TYPE mask */
    unsigned peer_types;                         /* the other end; 0 = any */
    const char *reporter;                        /* in words */
    const char *meaning;
    psc_dg_cand cands[PSC_DG_MAX_CANDS];         /* most likely first */
    const char *findings[PSC_DG_MAX_FINDINGS];   /* planner finding codes that explain it */
    const char *confirm;                         /* which trace to raise, what line to look for */
    const char *collect;                         /* when the landscape explains nothing */
} psc_dg_row;

size_t psc_dg_row_count(void);
const psc_dg_row *psc_dg_row_at(size_t i);
const psc_dg_row *psc_dg_row_by_id(const char *id);

/* A text naming the PSE ("session uses PSE file .../SAPSSLS.pse") or the
 * transaction tells which side reported. */
typedef struct psc_dg_side_hint {
    const char *pattern;
    psc_dg_side side;
    const char *words;           /* "the SSL server PSE (SAPSSLS.pse)" */
} psc_dg_side_hint;
size_t psc_dg_side_hint_count(void);
const psc_dg_side_hint *psc_dg_side_hint_at(size_t i);

#endif
