/* Collecting what a reader skipped (see readreport.h); registry.c judges
 * the collection once the reader is done. */
#include "readreport.h"
#include "../src/core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void psc_read_skipped(psc_store *st, const psc_read_opts *opts, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    psc_read_report *r = opts->report;
    char *copy = r ? strdup(what) : NULL;
    if (copy == NULL || psc_grow((void **)&r->skipped, &r->cap, r->nskipped + 1,
                                 sizeof *r->skipped) != 0) {
        free(copy);
        psc_store_warn(st, "%s: %s", opts->path, what);
        return;
    }
    r->skipped[r->nskipped++] = copy;
}
