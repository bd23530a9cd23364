/* Errors travel as values: a code (the process exit code the CLI will use) and
 * one message line.  Library code never prints; the command prints "pseconv: <msg>". */
#ifndef PSC_ERROR_H
#define PSC_ERROR_H

#include <stddef.h>

enum psc_code {
    PSC_OK = 0,
    PSC_EFINDING = 1, /* done, but an error-level finding */
    PSC_EUSAGE = 2,   /* bad command line or landscape file */
    PSC_EINPUT = 3,   /* unreadable, corrupt, unsupported, wrong password */
    PSC_EOUTPUT = 4   /* cannot write, or output exists without --force */
};

#define PSC_MSG_MAX 768

typedef struct psc_err {
    int code;
    char msg[PSC_MSG_MAX];
    int partial; /* a reader failed but kept what it could read in the store (a PKCS#12
                  * whose key bag does not decrypt): inspect lists it, still exit `code` */
} psc_err;

/* Record an error (first one wins) and return its code, so callers can write
 * `return psc_fail(e, PSC_EINPUT, "%s: truncated", path);`.  e may be NULL. */
int psc_fail(psc_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append the newest OpenSSL error reason to e->msg (": reason"), and clear the queue. */
void psc_err_add_openssl(psc_err *e);

void psc_err_clear(psc_err *e);

#endif
