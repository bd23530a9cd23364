/* The data the plan floor passes around, types only: a landscape's
 * systems, flows and files (filled by landscape.c), and a plan's steps and
 * findings (filled by planner.c and checks.c, read by the renderers, export,
 * expiry, diff, probe and diagnose).  Below every src/plan module, so the
 * rules, the checks and the loader can name them without using the planner. */
#ifndef PSC_PLAN_TYPES_H
#define PSC_PLAN_TYPES_H

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
    PSC_KEY_SYSTEM_CERT,        /* cloudconnector: SCC's system certificate (client to back ends) */
    PSC_KEY_CA_CERT,            /* cloudconnector: SCC's CA certificate (principal propagation) */
    PSC_KEY_TRUST_STORE,        /* cloudconnector: SCC's Trust Store allowlist (current state) */
    PSC_KEY_COUNT
} psc_key;

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
    psc_store *state;           /* ssl_*_pse and keystore files (current state); NULL when
                                   the system names none */
    psc_material files[PSC_KEY_COUNT];
    char *keystore_password;    /* cpi: the keystore_password SPEC as written (export's
                                   --update-keystore resolves it), NULL if not given; wiped on free */
    char *ssl_client_identity;  /* abap: "DFAULT" (default), "ANONYM" or a custom SSL client
                                   identity: the PSE its SM59/SOAMANAGER destinations use */
    char *service_user_roles;   /* abap: roles of the service user, NULL = default by system */
    char *client_key_alias;     /* cpi: keystore alias of the key the receiver channel names
                                   ("Private Key Alias"), NULL = sap_cloudintegrationcertificate */
    int wd_passthrough;         /* webdispatcher: ssl = passthrough (default terminate) */
    int principal_propagation;  /* cloudconnector: principal_propagation = yes (default no) */
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
    psc_store *certs;           /* the pool of every system's store and state: a chain file
                                   2,000 systems name is one set of certificates, not 2,000 */
} psc_landscape;

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
    int setting;                /* a configuration step that involves no certificate (R14) */
    int pp_ca;                  /* the certificate is the owner's CA certificate for principal
                                   propagation (cloudconnector ca_cert) */
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
    size_t *step_first;         /* private (psc_plan_steps_of): steps[step_first[i] ..
                                   step_first[i + 1]) are system i's, built on first use */
    int steps_unsorted;         /* private: steps not grouped in landscape order (scan) */
} psc_plan;

#endif
