/* pseconv probe's output (probe_render.c). */
#ifndef PSC_PROBE_RENDER_H
#define PSC_PROBE_RENDER_H

#include "probe.h"

/* Text: one line per hop ("ERP -> HCI: ok" / "fails: ... -> step R2 (file)"),
 * notes indented; JSON: see the man page (probe_render.c). */
int psc_probe_render(const psc_probe *pr, int json, psc_buf *out, psc_err *e);

#endif
