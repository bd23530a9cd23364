/* pseconv expiry --format ics: an RFC 5545 calendar (ics.c). */
#ifndef PSC_ICS_H
#define PSC_ICS_H

#include "expiry.h"

int psc_expiry_render_ics(const psc_expiry *x, psc_buf *out, psc_err *e);

#endif
