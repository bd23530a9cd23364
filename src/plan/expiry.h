/* Renewal planning (pseconv expiry): every certificate a landscape names or
 * holds, sorted by expiry, with the system it belongs to, the plan steps
 * that use it, and what its renewal forces in the other systems, in plan
 * terms (rule ids, systems, targets).  Built from a finished plan; it never
 * re-derives a trust decision: "uses" are the plan's steps whose certificate
 * has this SHA-256, "forces" are those steps again (done anew with the
 * renewed certificate) plus the steps that import its issuers (only when the
 * issuer changes).
 *
 * Root rotation: a root that expires within warn_days, or (with the
 * landscape's sap_trusted_cas list) a chain that ends in a root the list no
 * longer holds, gets a finding naming the successor root of the same subject
 * family from the list (DigiCert Global Root CA -> DigiCert Global Root G2)
 * and the steps that import it alongside the old one.
 *
 * Renderers: text, csv (RFC 4180, one row per forced step), json, and ics
 * (RFC 5545: two events per certificate, in ics.c). */
#ifndef PSC_EXPIRY_H
#define PSC_EXPIRY_H

#include "plan_types.h"

/* One step the renewal forces (or a step that uses the certificate). */
typedef struct psc_expiry_force {
    const psc_step *step;       /* the plan step done anew (system, id, target, action) */
    const char *task;           /* what to do there after the renewal (static words) */
    int if_issuer_changes;      /* only when the renewed certificate has a new issuer */
} psc_expiry_force;

typedef struct psc_expiry_cert {
    psc_cert *cert;             /* the first system's copy (store-owned) */
    const psc_system *owner;    /* the system whose own files (not PSE/keystore) hold it,
                                   else the first system whose current state holds it */
    const char *key;            /* the owner's key that holds it ("client_cert", "keystore") */
    psc_role role;              /* in the owner's store */
    long days_left;
    time_t renew_by;            /* not_after - lead days */
    const psc_step **uses;      /* plan steps whose certificate this is */
    size_t nuses;
    psc_expiry_force *forces;
    size_t nforces;
    const psc_cert *root;       /* top of its chain in the owner's store when self-signed, else NULL */
} psc_expiry_cert;

typedef struct psc_expiry_finding {
    psc_severity severity;
    const char *code;           /* "root-expiring", "root-not-in-sap-trusted-cas" */
    const psc_expiry_cert *about;   /* the root */
    const psc_cert *successor;  /* from sap_trusted_cas, may be NULL */
    char *message;
    const psc_step **imports;   /* the steps that import the old root: import the successor there too */
    size_t nimports;
} psc_expiry_finding;

typedef struct psc_expiry {
    const psc_plan *plan;
    long lead_days, within_days;
    psc_expiry_cert *certs;     /* by not_after, then subject, then sha256 */
    size_t ncerts;
    psc_expiry_finding *findings;
    size_t nfindings;
    const psc_store *trusted;   /* sap_trusted_cas (the landscape's), NULL without the key */
} psc_expiry;

/* Build from a finished plan.  lead_days: the renewal date is lead days
 * before expiry; within_days < 0 means the landscape's warn_days.  Reads
 * the landscape's sap_trusted_cas file when given (PSC_EINPUT if unreadable). */
int psc_expiry_build(const psc_plan *p, long lead_days, long within_days, psc_expiry **out,
                     psc_err *e);
void psc_expiry_free(psc_expiry *x);

/* Certificates that expire within within_days of the plan's now (or already expired). */
size_t psc_expiry_due(const psc_expiry *x);

/* The subject family of a root: its CN without a trailing generation word
 * ("CA", "G2", "R3", "- G2", "Root CA" keeps "Root"), plus its O.  Two roots
 * of one family are successors of each other.  Exposed for tests. */
void psc_expiry_family(const char *subject, char *out, size_t n);

typedef enum psc_expiry_format {
    PSC_EXPIRY_TEXT = 0,
    PSC_EXPIRY_CSV,
    PSC_EXPIRY_ICS,
    PSC_EXPIRY_JSON
} psc_expiry_format;
/* "text", "csv", "ics", "json"; -1 if unknown. */
int psc_expiry_format_by_name(const char *name);


/* "OWNER key" words for the renewal: "HCI client certificate" etc. */
const char *psc_expiry_key_words(const psc_expiry_cert *c);

#endif
