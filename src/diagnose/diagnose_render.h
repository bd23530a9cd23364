/* The diagnosis as text and JSON (diagnose_render.c). */
#ifndef PSC_DIAGNOSE_RENDER_H
#define PSC_DIAGNOSE_RENDER_H

#include "diagnose.h"

int psc_dg_render_text(const psc_dg_result *r, psc_buf *out, psc_err *e);
int psc_dg_render_json(const psc_dg_result *r, psc_buf *out, psc_err *e);

#endif
