/* pseconv expiry output: text, csv, json (expiry_render.c); ics in ics.h. */
#ifndef PSC_EXPIRY_RENDER_H
#define PSC_EXPIRY_RENDER_H

#include "expiry.h"

int psc_expiry_render(const psc_expiry *x, psc_expiry_format f, psc_buf *out, psc_err *e);

#endif
