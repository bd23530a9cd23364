/* Password SPECs (pass:, env:, file:, fd:, stdin, prompt) and wiping.
 * Every buffer that held a password or key material is wiped through
 * psc_wipe(), one function, so a reviewer has one place to check. */
#ifndef PSC_SECRET_H
#define PSC_SECRET_H

#include <stddef.h>
#include "error.h"

typedef struct psc_secret {
    char *data;     /* NUL-terminated UTF-8, NULL when unset */
    size_t len;
} psc_secret;

void psc_wipe(void *p, size_t n);

/* Called whenever a secret (password, private key) is loaded: no core dumps
 * (RLIMIT_CORE 0) and not dumpable (PR_SET_DUMPABLE 0), so a crash or another
 * user cannot read it from the process image.  Idempotent. */
void psc_secret_protect_process(void);

/* Resolve spec into s.  `what` names the option for messages ("--password").
 * *visible is set to 1 for pass: (the CLI warns).  Errors: PSC_EUSAGE for a
 * malformed SPEC, PSC_EINPUT for an unreadable source. */
int psc_secret_from_spec(psc_secret *s, const char *spec, const char *what, int *visible,
                         psc_err *e);
/* Set from a literal (tests, landscape defaults). */
int psc_secret_set(psc_secret *s, const char *text);
int psc_secret_is_set(const psc_secret *s);
void psc_secret_clear(psc_secret *s);
/* Wipe 64 KiB of stack below the caller (where deeper frames held copies). */
void psc_secret_scrub_stack(void);

#endif
