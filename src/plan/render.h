/* The plan as text, Markdown (with a Mermaid diagram), JSON and DOT, and the
 * export file name of a step (render.c).  Renderers only read the plan. */
#ifndef PSC_RENDER_H
#define PSC_RENDER_H

#include "plan_types.h"

/* File name a step's certificate gets in the export bundle, relative to the
 * system folder: "<NN>-<target>-<name>.<ext>" with NN counting the system's
 * todo steps that carry a certificate (01, 02, ...), name from the
 * certificate's CN, ext by target (.crt STRUST, .cer iFlow/keystore/C4C,
 * .pem CF service key).  Empty string when the step has no file
 * (no certificate, or not todo).  render.c prints it; export writes it. */
void psc_step_export_name(const psc_plan *p, const psc_step *s, char *out, size_t n);

typedef enum psc_plan_format {
    PSC_PLAN_TEXT = 0,
    PSC_PLAN_MARKDOWN,          /* checklist + Mermaid diagram */
    PSC_PLAN_JSON,              /* rules.md "Output" */
    PSC_PLAN_DOT                /* systems as nodes, steps as edges */
} psc_plan_format;
/* "text", "markdown" (also "md"), "json", "dot"; -1 if unknown. */
int psc_plan_format_by_name(const char *name);

int psc_plan_render(const psc_plan *p, psc_plan_format f, psc_buf *out, psc_err *e);
/* One system's steps in Markdown, in its own words, in order (export README.md). */
int psc_plan_render_system_markdown(const psc_plan *p, const psc_system *sys, psc_buf *out,
                                    psc_err *e);

#endif
