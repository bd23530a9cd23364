/* Certificate findings shared by `plan` and `verify`: one place decides what
 * "expired", "weak" or "incomplete" means, so the two commands never disagree.
 * Lint only reads psc_cert facts (store.h) and a built psc_chain; it never
 * opens files and never prints. */
#ifndef PSC_LINT_H
#define PSC_LINT_H

#include <time.h>
#include "store.h"
#include "chain.h"
#include "words.h"


/* What the certificate is used for where it is checked: decides the EKU check. */
typedef enum psc_usage {
    PSC_USE_ANY = 0,  /* no EKU expectation (loose files in verify, CA certificates) */
    PSC_USE_CLIENT,   /* TLS client: clientAuth expected when an EKU is present */
    PSC_USE_SERVER,   /* TLS server: serverAuth expected when an EKU is present */
    PSC_USE_TLS       /* either: clientAuth or serverAuth expected when an EKU is present */
} psc_usage;

typedef struct psc_lint_opts {
    time_t now;
    long warn_days;   /* expires-soon threshold; 0 = 30 */
    psc_usage usage;  /* for the leaf */
    int eku_error;    /* missing-eku is an error (the certificate calls SAP Cloud Integration) */
} psc_lint_opts;

/* One finding.  code is one of the stable rules.md codes:
 * expired, expires-soon, not-yet-valid, chain-incomplete, weak-key,
 * weak-signature, missing-eku. */
typedef struct psc_lint {
    psc_severity severity;
    const char *code;      /* static */
    const psc_cert *cert;  /* the certificate the finding is about */
    char message[512];
    const char *remedy;    /* static, in SAP's words where it applies */
} psc_lint;

typedef struct psc_lint_list {
    psc_lint *items;
    size_t n, cap;
} psc_lint_list;

void psc_lint_list_free(psc_lint_list *l);

/* Checks on one certificate: validity (expired, expires-soon, not-yet-valid),
 * weak-key (RSA < 2048, EC < 256), weak-signature (MD5, SHA-1; not on
 * self-signed roots, whose signature nobody verifies) and missing-eku
 * (only when the extension is present and o->usage asks for one).
 * `label` names the certificate in messages ("ERP client_cert"); may be NULL.
 * Returns 0, or -1 on allocation failure. */
int psc_lint_cert(psc_lint_list *out, const psc_cert *c, const char *label,
                  const psc_lint_opts *o);

/* psc_lint_cert for every element of ch (the leaf with o->usage, the CAs
 * with PSC_USE_ANY), plus chain-incomplete when ch does not end in a
 * self-signed root. */
int psc_lint_chain(psc_lint_list *out, const psc_chain *ch, const char *label,
                   const psc_lint_opts *o);

/* Was code already reported for cert?  (Callers merge the same finding
 * reached through several hops.) */
int psc_lint_has(const psc_lint_list *l, const char *code, const psc_cert *c);

#endif
