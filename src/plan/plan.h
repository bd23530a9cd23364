/* The planner's public API: landscape file -> systems, flows and hops
 * (landscape.c), the R1..R13 rule table (rules.c), hops x rules x current
 * state -> steps and findings (planner.c), and the renderers (render.c).
 *
 * Data flows one way: the loader reads every file through the format layer
 * into a store per system; the planner only looks at those stores; the
 * renderers (and bundle/export) only read the finished plan and never
 * re-derive a decision.
 *
 * Typical use (what `pseconv plan` and `pseconv export` do):
 *
 *     psc_plan *p = NULL;
 *     psc_err e = {0};
 *     if (psc_plan_load_and_run("landscape.ini", time(NULL), &p, &e) != PSC_OK)
 *         return cli_report(&e);                // 2 bad landscape, 3 unreadable file
 *     psc_plan_render(p, PSC_PLAN_MARKDOWN, &buf, &e);
 *     int rc = psc_plan_has_errors(p) ? PSC_EFINDING : PSC_OK;
 *     psc_plan_free(p);
 */
#ifndef PSC_PLAN_H
#define PSC_PLAN_H

#include <stddef.h>
#include <time.h>
#include "store.h"
#include "chain.h"
#include "buf.h"
#include "error.h"
#include "lint.h"
#include "words.h"

/* ---- systems and landscape (landscape.c) ------------------------------- */

/* The keys of a [system] section that name files. */
typedef enum psc_key {
    PSC_KEY_CLIENT_CERT = 0,
    PSC_KEY_SERVER_CERT,
    PSC_KEY_CHAIN,
    PSC_KEY_CLIENT_CHAIN,
    PSC_KEY_SERVER_CHAIN,
    PSC_KEY_SSL_CLIENT_PSE,     /* current state (separate store) */
    PSC_KEY_SSL_SERVER_PSE,
    PSC_KEY_SSL_ANONYMOUS_PSE,
    PSC_KEY_KEYSTORE,
    PSC_KEY_COUNT
} psc_key;
const char *psc_key_name(psc_key k); /* "client_cert", ... */
int psc_key_is_state(psc_key k);     /* the PSE/keystore keys */

/* What one file key of a system gave. */
typedef struct psc_material {
    char *value;         /* as written in the landscape, NULL = key not given */
    char *path;          /* resolved against the landscape's folder */
    int line;            /* line of the key in the landscape file */
    psc_cert **certs;    /* every certificate the file holds, in file order (store-owned) */
    size_t ncerts;
    psc_cert *leaf;      /* the certificate that issues nothing else in the file */
} psc_material;

typedef struct psc_system {
    char *name;                 /* section name: "ERP" */
    psc_system_type type;
    psc_cpi_env environment;    /* cpi only */
    char *service_user;         /* abap: user the caller's certificate is mapped to, may be NULL */
    char *url;                  /* "https://host[:port][/path]" clients call (probe), may be NULL */
    int line;                   /* line of the [system NAME] header */
    psc_store *store;           /* client_cert, server_cert, chain, client_chain, server_chain */
    psc_store *state;           /* ssl_*_pse and keystore files (current state) */
    psc_material files[PSC_KEY_COUNT];
    char *keystore_password;    /* cpi: the keystore_password SPEC as written (export's
                                   --update-keystore resolves it), NULL if not given; wiped on free */
    char *ssl_client_identity;  /* abap: "DFAULT" (default), "ANONYM" or a custom SSL client
                                   identity: the PSE its SM59/SOAMANAGER destinations use */
    char *service_user_roles;   /* abap: roles of the service user, NULL = default by system */
    char *client_key_alias;     /* cpi: keystore alias of the key the receiver channel names
                                   ("Private Key Alias"), NULL = sap_cloudintegrationcertificate */
    int wd_passthrough;         /* webdispatcher: ssl = passthrough (default terminate) */
} psc_system;

typedef struct psc_flow {
    char *name;                 /* section name: "replicate-material" */
    psc_auth auth;
    char *iflow;                /* optional, named in the instructions */
    size_t *path;               /* indices into landscape->systems, client first */
    size_t npath;
    int line;
} psc_flow;

typedef struct psc_landscape {
    char *file;                 /* the landscape file as given */
    char *name;                 /* [landscape] name, or the file name */
    long warn_days;             /* default 60 */
    psc_store *trusted_cas;     /* the CAs SAP's load balancer accepts for client certificates:
                                   sap_trusted_cas, else the public roots; NULL = no check */
    char *trusted_cas_file;     /* the file they came from */
    int sap_list;               /* 1: sap_trusted_cas given (R2 recommends its valid roots) */
    psc_system *systems;        /* in file order */
    size_t nsystems;
    psc_flow *flows;
    size_t nflows;
    char **warnings;            /* readers' warnings ("ERP client_cert: ..."), for stderr */
    size_t nwarnings;
} psc_landscape;

/* Parse and read every file.  Errors: PSC_EUSAGE "FILE:LINE: ..." for the
 * landscape itself (unknown section/key/type, unknown system in a path, a hop
 * no rule covers), PSC_EINPUT for an unreadable certificate file. */
int psc_landscape_load(const char *file, psc_landscape **out, psc_err *e);
void psc_landscape_free(psc_landscape *ls);
const psc_system *psc_landscape_system(const psc_landscape *ls, const char *name);

/* ---- rules (rules.c) ---------------------------------------------------- */

/* Is there at least one rule for this hop? (the loader rejects others) */
int psc_rules_cover(psc_system_type client, psc_system_type server);
/* "abap -> cpi, cpi -> c4c, ..." for messages. */
const char *psc_rules_hops_text(void);

/* The public-root list read when a landscape names no sap_trusted_cas:
 * $PSECONV_PUBLIC_ROOTS, else /etc/ssl/certs/ca-certificates.crt. */
const char *psc_public_roots_file(void);
/* Fill ls->trusted_cas (trustlist.c) from ls->trusted_cas_file (sap_trusted_cas,
 * already resolved) or the public roots, when a flow needs them.  An unreadable
 * public list is a note (written to note), an unreadable sap_trusted_cas an error. */
int psc_trusted_cas_load(psc_landscape *ls, char *note, size_t n, psc_err *e);

/* ---- the plan (planner.c) ----------------------------------------------- */

/* One thing a person does in one system.  Steps are merged: one per
 * (system, target, certificate), listing every flow that needs it. */
typedef struct psc_step {
    char id[8];                 /* rule id: "R2" */
    char **flows;               /* every flow that needs the step; flows[0] is "flow" in JSON */
    size_t nflows;
    char *hop;                  /* the first hop that needed it: "ERP -> HCI" */
    const psc_system *system;   /* where the step is done (name, type) */
    const char *target;         /* stable identifier, rules.md "Targets" (static) */
    psc_action action;
    psc_step_status status;
    int required;               /* 0: optional (e.g. the intermediate in R2) */
    psc_cert *cert;             /* the certificate to import/upload/map/replace; NULL when
                                   the landscape does not give it (a missing-input finding says which key) */
    psc_role cert_role;         /* leaf, intermediate or root: for file names */
    int server_chain;           /* the certificate is of the owner's server identity (1) or
                                   client identity (0): "root of HCI's client chain" */
    int from_trust_list;        /* a root of sap_trusted_cas, not of the owner's chain */
    const psc_system *owner;    /* the system the certificate belongs to (e.g. HCI for R2 in ERP) */
    char *reason;               /* why, one sentence */
    const char *const *refs;    /* where a user reads about it: NULL-terminated titles (static) */
    const char *blocked_by;     /* blocked: the step id ("R3") or finding code ("expired") first */
    const char *see;            /* no certificate: the finding that says why (exists in the plan) */
    const char *service_user;   /* map-user: the user (may be NULL: missing-input) */
    char *detail;               /* extra instruction (profile parameter values, roles), may be NULL */
} psc_step;

typedef struct psc_finding {
    psc_severity severity;
    const char *code;           /* rules.md code: "self-signed-client-cert", "expired", ... */
    const psc_system *system;   /* may be NULL (landscape-wide) */
    const psc_cert *cert;       /* may be NULL */
    char *message;
    const char *remedy;         /* what to do, in SAP's words (static), may be NULL */
} psc_finding;

typedef struct psc_plan {
    psc_landscape *landscape;   /* owned by the plan when made by psc_plan_load_and_run */
    int owns_landscape;
    time_t now;
    psc_step *steps;            /* grouped by system (landscape order), then by rule order */
    size_t nsteps;
    psc_finding *findings;      /* in the order found */
    size_t nfindings;
} psc_plan;

/* Walk every hop of every flow, apply the rules, merge steps, compare with the
 * current state, collect findings.  The landscape must outlive the plan. */
int psc_plan_run(const psc_landscape *ls, time_t now, psc_plan **out, psc_err *e);
/* psc_landscape_load + psc_plan_run; the plan owns the landscape. */
int psc_plan_load_and_run(const char *file, time_t now, psc_plan **out, psc_err *e);
void psc_plan_free(psc_plan *p);

/* Any finding of severity error (plan exits 1). */
int psc_plan_has_errors(const psc_plan *p);
/* Counts for the summary line. */
typedef struct psc_plan_counts {
    size_t todo, present, managed, blocked, errors, warnings, infos;
} psc_plan_counts;
void psc_plan_count(const psc_plan *p, psc_plan_counts *c);

/* The steps done in `sys` (pointers into p->steps, plan order).  Returns the
 * count; fills at most max (out may be NULL to count). */
size_t psc_plan_steps_of(const psc_plan *p, const psc_system *sys, const psc_step **out,
                         size_t max);

/* File name a step's certificate gets in the export bundle, relative to the
 * system folder: "<NN>-<target>-<name>.<ext>" with NN counting the system's
 * todo steps that carry a certificate (01, 02, ...), name from the
 * certificate's CN, ext by target (.crt STRUST, .cer iFlow/keystore/C4C,
 * .pem CF service key).  Empty string when the step has no file
 * (no certificate, or not todo).  render.c prints it; export writes it. */
void psc_step_export_name(const psc_plan *p, const psc_step *s, char *out, size_t n);

/* The subject as SAP's certificate display and VUSREXTID write it (sapdn.c):
 * "CN=..., OU=..., O=..., L=..., SP=..., C=..." (SP for stateOrProvinceName).
 * *uncertain names what SAP may write differently ("emailAddress", "a
 * multi-valued RDN", "non-ASCII characters"), NULL when every part is certain.
 * Returns 0, or -1 when the name cannot be decoded or does not fit. */
int psc_sap_dn(const psc_cert *c, char *out, size_t n, const char **uncertain);

/* ---- renderers (render.c) ----------------------------------------------- */

typedef enum psc_plan_format {
    PSC_PLAN_TEXT = 0,
    PSC_PLAN_MARKDOWN,          /* checklist + Mermaid diagram */
    PSC_PLAN_JSON,              /* rules.md "Output" */
    PSC_PLAN_DOT                /* systems as nodes, steps as edges */
} psc_plan_format;
/* "text", "markdown" (also "md"), "json", "dot"; -1 if unknown. */
int psc_plan_format_by_name(const char *name);

int psc_plan_render(const psc_plan *p, psc_plan_format f, psc_buf *out, psc_err *e);
/* One system's steps in Markdown, in its own words, in order (export README.md). */
int psc_plan_render_system_markdown(const psc_plan *p, const psc_system *sys, psc_buf *out,
                                    psc_err *e);

#endif
