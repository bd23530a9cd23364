/* What every reader is given (psc_read_opts) and where it reports what it
 * skipped (formats/readreport.c).  Below registry.c and every format, so a
 * reader can report a skip without calling the format table that calls it. */
#ifndef PSC_READREPORT_H
#define PSC_READREPORT_H

#include <stddef.h>
#include "../src/core/store.h"
#include "../src/core/secret.h"

/* What a reader met in the container but did not read (a CRL bag, an
 * unknown PSE object, a PSE list entry without a signature), collected by
 * psc_read_skipped and judged once in psc_read_buffer: if the file gave
 * entries, each becomes a warning; if it gave nothing, the file is an error
 * that names them, never "0 entries" (issue 23). */
typedef struct psc_read_report {
    char **skipped;
    size_t nskipped, cap;
} psc_read_report;

typedef struct psc_read_opts {
    const char *path;               /* name used in messages ("-" shown as "<stdin>") */
    const psc_secret *password;     /* store password / PKCS#12 password / PSE PIN, may be unset */
    const psc_secret *key_password; /* JKS/JCEKS key entries; unset = use password */
    unsigned long max_iterations;   /* KDF iteration cap (PKCS#12, PSE); 0 = default cap */
    psc_read_report *report;        /* set by psc_read_buffer; NULL = skips warn at once */
    int keys_optional;              /* listing only (inspect, verify): a JKS/JCEKS key whose
                                     * password is not the one given is listed without its key
                                     * (keytool -list needs only the store password) */
    int keys_listed_only;           /* inspect: a PKCS#12 key paired by localKeyId stays
                                     * encrypted (no KDF), as keytool -list */
} psc_read_opts;

/* A reader skipped something of a non-empty container: `what` (printf) says
 * what, without the file name ("skipped a CRL bag ...").  Never fails: on
 * out of memory, or without a report, it warns at once. */
void psc_read_skipped(psc_store *st, const psc_read_opts *opts, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
