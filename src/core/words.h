/* The words users read, in one place (src/core/words.c): every value of the
 * tool's vocabulary with the word inspect, verify, plan, export, expiry, diff,
 * probe and diagnose print for it.  The enums live here too, so a new
 * status, action, system type or target is one enum value and one row in
 * words.c, whichever renderer shows it.  Floor 1: the store, lint and every
 * floor above name things the same way. */
#ifndef PSC_WORDS_H
#define PSC_WORDS_H

/* ---- certificates and entries (inspect, verify) ---------------------------- */

typedef enum psc_entry_type {
    PSC_ENTRY_CERT = 0,     /* "certificate": bare certificate from PEM/DER/P7B */
    PSC_ENTRY_KEYPAIR,      /* "key-pair": private key + chain, leaf first */
    PSC_ENTRY_TRUSTED,      /* "trusted": keystore trusted entry, PSE certificate list */
    PSC_ENTRY_OWN,          /* "own": the PSE's own certificate (key may be present) */
    PSC_ENTRY_SECRET        /* "secret-key": JCEKS sealed/secret key, listed only */
} psc_entry_type;
const char *psc_entry_type_name(psc_entry_type t);

typedef enum psc_role { PSC_ROLE_LEAF = 0, PSC_ROLE_INTERMEDIATE, PSC_ROLE_ROOT } psc_role;
const char *psc_role_name(psc_role r);

/* ---- findings ------------------------------------------------------------- */

/* info: advice only (plan: e.g. the Neo environment is being retired) */
typedef enum psc_severity { PSC_SEV_INFO = -1, PSC_SEV_WARNING = 0, PSC_SEV_ERROR = 1 } psc_severity;
const char *psc_severity_name(psc_severity s); /* "info", "warning", "error" */

/* ---- systems (landscape, plan) -------------------------------------------- */

typedef enum psc_system_type {
    PSC_SYS_ABAP = 0,        /* "abap": ECC, CRM, S/4HANA (STRUST) */
    PSC_SYS_CPI,             /* "cpi": SAP Cloud Integration (HCI) */
    PSC_SYS_C4C,             /* "c4c": SAP Cloud for Customer */
    PSC_SYS_WEBDISPATCHER,   /* "webdispatcher": SAP Web Dispatcher as reverse proxy */
    PSC_SYS_CLOUDCONNECTOR,  /* "cloudconnector": SAP Cloud Connector (SCC), on-premise end of
                                the Connectivity service's tunnel */
    PSC_SYS_TYPE_COUNT
} psc_system_type;
const char *psc_system_type_name(psc_system_type t);
/* The type named `name` ("abap", ...); -1 when no type has that name. */
int psc_system_type_by_name(const char *name);

typedef enum psc_cpi_env { PSC_CPI_CF = 0, PSC_CPI_NEO } psc_cpi_env;
/* "cf", "neo" (the landscape's and JSON's word). */
const char *psc_cpi_env_name(psc_cpi_env e);
/* What follows a cpi system's type in headings: ", Cloud Foundry", ", Neo". */
const char *psc_cpi_env_suffix(psc_cpi_env e);

typedef enum psc_auth { PSC_AUTH_CERTIFICATE = 1, PSC_AUTH_BASIC = 2 } psc_auth;
const char *psc_auth_name(psc_auth a);

/* ---- plan steps ------------------------------------------------------------ */

typedef enum psc_step_status {
    PSC_STATUS_TODO = 0,   /* "todo": must be done */
    PSC_STATUS_PRESENT,    /* "present": the current state already has it */
    PSC_STATUS_MANAGED,    /* "managed": kept by SAP; verify only */
    PSC_STATUS_BLOCKED     /* "blocked": its certificate must first be replaced (blocked_by) */
} psc_step_status;
const char *psc_step_status_name(psc_step_status s);

typedef enum psc_action {
    PSC_ACTION_IMPORT = 0, /* "import" */
    PSC_ACTION_UPLOAD,     /* "upload" */
    PSC_ACTION_MAP_USER,   /* "map-user" */
    PSC_ACTION_REPLACE,    /* "replace" */
    PSC_ACTION_CONFIGURE   /* "configure" */
} psc_action;
const char *psc_action_name(psc_action a);
/* The verb of a step's instruction: "import into", "upload to", ... */
const char *psc_action_verb(psc_action a);

/* The target in the system's own words (rules.md "Targets"), e.g. for abap
 * "strust-ssl-client-standard": "STRUST > SSL client Standard (DFAULT): ...". */
const char *psc_target_words(psc_system_type t, const char *target);

#endif
