/* `pseconv diagnose`: from the error text an administrator sees to the plan
 * step that is missing.
 *
 * The catalogue (catalogue.c) is one table: a row per known message with
 * its patterns, who reports it (client or server side of a hop, which system
 * types), what it means, the candidate rules (R1..R20) and planner finding
 * codes that explain it, and how to confirm.  diagnose.c matches a text
 * against the table, picks the hops of the landscape the message can come
 * from, and looks the candidates up in the finished plan (psc_plan: step
 * ids, systems, status, export file names), so the current state
 * (ssl_*_pse, keystore) rules steps in or out exactly as `plan` decides.
 * Nothing here re-derives a trust rule.  diagnose_render.c prints the result.
 *
 *     psc_dg_result *r = NULL;
 *     psc_diagnose(text, plan_or_NULL, &filter, &r, &e);
 *     psc_dg_render_text(r, &buf);          // or psc_dg_render_json
 *     int rc = psc_dg_exit_code(r);         // 0 identified, 1 unexplained, 3 unknown
 *     psc_dg_result_free(r);
 */
#ifndef PSC_DIAGNOSE_H
#define PSC_DIAGNOSE_H

#include <stddef.h>
#include "plan_types.h"
#include "buf.h"
#include "error.h"
#include "catalogue.h"

/* ---- the diagnosis (diagnose.c) ----------------------------------------- */

typedef struct psc_dg_filter {
    const char *hop_client, *hop_server;  /* --hop: system names (landscape) or types (none) */
    const char *flow;                     /* --flow NAME (landscape only) */
} psc_dg_filter;

typedef struct psc_dg_match {
    const psc_dg_row *row;
    const char *pattern;                  /* the pattern that matched (static) */
    int hinted;                           /* a hint of the row matched too */
    psc_dg_side side;                     /* after the PSE / wrapper hints */
    const psc_dg_side_hint *side_hint;    /* NULL when none */
} psc_dg_match;

typedef struct psc_dg_hop {
    const psc_system *client, *server;    /* NULL without a landscape */
    psc_system_type client_type, server_type;
    const psc_flow *flows[16];            /* flows that contain this hop */
    size_t nflows;
} psc_dg_hop;

typedef enum psc_dg_verdict {
    PSC_DG_IDENTIFIED = 0,   /* a step to do or an error finding explains it (exit 0) */
    PSC_DG_UNEXPLAINED = 1,  /* known message, nothing in the landscape explains it (exit 1) */
    PSC_DG_UNKNOWN = 3       /* the text matches no catalogue row (exit 3) */
} psc_dg_verdict;

typedef struct psc_dg_cause {
    const psc_dg_match *match;            /* the message it explains */
    const psc_dg_cand *cand;              /* NULL for a finding */
    const psc_step *step;                 /* NULL without a landscape or for a finding */
    const psc_finding *finding;           /* NULL for a step */
    const char *finding_code;             /* without a landscape: the code the row names */
    size_t hop;                           /* index into result->hops; SIZE_MAX = none */
    int klass;                            /* 0 required todo / error, 1 optional / warning,
                                             2 kept by SAP (check only) */
    char file[256];                       /* export file, "" if none */
    char because[512];                    /* ruled out: why (present in the current state) */
} psc_dg_cause;

/* Fixed bounds (a landscape with more is cut, never overrun): 32 matched
 * messages (the catalogue has fewer rows), 32 hops, 16 flows per hop. */
typedef struct psc_dg_result {
    const psc_plan *plan;                 /* NULL without a landscape */
    psc_dg_match matches[32];
    size_t nmatches;
    psc_dg_hop hops[32];                  /* the hops the matched messages can come from */
    size_t nhops;
    psc_dg_cause *causes;                 /* ranked, most likely first */
    size_t ncauses;
    psc_dg_cause *ruled_out;              /* candidates the current state already has */
    size_t nruled_out;
    psc_dg_verdict verdict;
} psc_dg_result;

/* Match `text` against the catalogue and, with a plan, against the
 * landscape and its current state.  Errors: PSC_EUSAGE for a --hop/--flow
 * the landscape does not have (or --flow without one), PSC_EINPUT for
 * out of memory. */
int psc_diagnose(const char *text, const psc_plan *p, const psc_dg_filter *f,
                 psc_dg_result **out, psc_err *e);
void psc_dg_result_free(psc_dg_result *r);
int psc_dg_exit_code(const psc_dg_result *r);

/* "ERP -> HCI" or, without a landscape, "abap -> cpi". */
void psc_dg_hop_name(const psc_dg_result *r, size_t hop, char *out, size_t n);


#endif
