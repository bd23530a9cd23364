/* The trust rules as data (rules.md R1..R13; R14..R20 for SAP Cloud Connector,
 * intent in doc/pseconv.1 RULES), private to src/plan.
 * A row says: in a hop (client type -> server type, auth), the system on
 * one side gets a certificate picked from one system's identity.
 * A new system type is new rows (and one row in the type table), not new ifs. */
#ifndef PSC_RULES_H
#define PSC_RULES_H

#include "plan_types.h"

/* Whose certificate a row takes. */
typedef enum psc_rule_from {
    PSC_FROM_CLIENT = 0,   /* the hop's client */
    PSC_FROM_SERVER,       /* the hop's server */
    PSC_FROM_UPSTREAM      /* the system before the client in the flow (the caller a proxy forwards) */
} psc_rule_from;

/* Which of that system's two TLS identities. */
/* Which of that system's TLS identities (PSC_ID_CA: the CA a cloudconnector
 * issues short-lived user certificates with, for principal propagation). */
typedef enum psc_identity_kind { PSC_ID_CLIENT = 0, PSC_ID_SERVER, PSC_ID_CA } psc_identity_kind;
#define PSC_ID_COUNT 3

/* Which certificate of the identity. */
typedef enum psc_rule_pick {
    PSC_PICK_LEAF = 0,
    PSC_PICK_ROOT,          /* the top of the chain (the self-signed root when complete) */
    PSC_PICK_INTERMEDIATES, /* every CA between leaf and root: one step each */
    PSC_PICK_SELF_SIGNED,   /* the leaf, only when it is self-signed: finding + replace step */
    PSC_PICK_ISSUER,        /* the certificate that issued the leaf (an intermediate or the root) */
    PSC_PICK_NONE           /* no certificate: a setting the hop needs (R14) */
} psc_rule_pick;

/* Principal propagation of the hop's cloudconnector (0 = the row applies either way). */
enum { PSC_PP_ANY = 0, PSC_PP_WITHOUT, PSC_PP_WITH };

typedef enum psc_rule_status {
    PSC_RS_CURRENT = 0,     /* todo, or present when the target's current state has it */
    PSC_RS_MANAGED,         /* kept by SAP */
    PSC_RS_TODO             /* always todo (nothing to compare with) */
} psc_rule_status;

#define PSC_ENV_ANY (-1)

typedef struct psc_rule {
    const char *id;            /* "R2" */
    psc_system_type client, server;
    unsigned auth;             /* mask of psc_auth */
    int cpi_env;               /* PSC_ENV_ANY, or the environment of the hop's cpi system */
    int at_server;             /* the step is done in the server (1) or the client (0) */
    const char *target;
    psc_action action;
    psc_rule_from from;
    psc_identity_kind identity;
    psc_rule_pick pick;
    psc_rule_status status;
    int required;
    const char *finding;       /* PICK_SELF_SIGNED: the finding code */
    int scc_pp;                /* PSC_PP_*: the hop's cloudconnector without/with principal propagation */
    int required_if_state;     /* required only when the target's current-state file lists
                                  certificates (an SCC Trust Store that is an allowlist) */
    const char *const *refs;   /* where a user reads about it (psc_ref_* lists below) */
    /* Reason template: {C} client, {S} server, {O} owner of the certificate,
     * {U} upstream system, {F} the flow's iFlow name (or "the iFlow of flow NAME"),
     * {K} the cpi client's key in the keystore (client_key_alias or SAP's key),
     * {I} the client's SSL client identity in STRUST words, {D} the system after the
     * server in the flow (the back end behind a Cloud Connector). */
    const char *reason;
} psc_rule;

/* A target that depends on the abap system's ssl_client_identity: the planner
 * replaces it with strust-ssl-client-standard / -anonymous / -custom. */
#define PSC_TARGET_SSL_CLIENT_OF_DESTINATION "ssl-client-of-destination"
const char *psc_ssl_client_target(const psc_system *s);
/* "SSL client Standard (DFAULT)", "SSL client Anonymous (ANONYM)", "SSL client PARTNR". */
void psc_ssl_client_words(const psc_system *s, char *out, size_t n);

/* Does the row apply to a hop client -> server of a flow with this auth (types,
 * auth, the cpi's environment, the cloudconnector's principal propagation)? */
int psc_rule_applies(const psc_rule *r, const psc_system *client, const psc_system *server,
                     psc_auth auth);

/* The "how:" of a step (details.c): profile parameters, VUSREXTID entry, SCC
 * settings; NULL when the step needs none.  Malloc'ed. */
char *psc_step_detail(const psc_step *s, const psc_system *at, const psc_system *client,
                      const psc_system *server, const psc_system *downstream, const psc_flow *f,
                      const psc_cert *c);

/* ---- the hops the table covers ---- */

/* Is there at least one rule for this hop? (the loader rejects others) */
int psc_rules_cover(psc_system_type client, psc_system_type server);
/* "abap -> cpi, cpi -> c4c, ..." for messages. */
const char *psc_rules_hops_text(void);

size_t psc_rule_count(void);
const psc_rule *psc_rule_at(size_t i);

/* Per system type: which keys carry its two identities. */
typedef struct psc_type_info {
    psc_key client_leaf, client_chain;   /* PSC_KEY_COUNT = the type has no such key */
    psc_key server_leaf, server_chain;
    psc_key ca_leaf, ca_chain;           /* PSC_ID_CA (cloudconnector ca_cert) */
    int client_eku_strict;   /* its callers' client certificates must carry clientAuth
                                (missing-eku is an error): SAP's load balancer */
} psc_type_info;
const psc_type_info *psc_type_info_of(psc_system_type t);

/* The current-state key that shows what a target already holds
 * (abap strust-ssl-client-standard -> ssl_client_pse); PSC_KEY_COUNT if none. */
psc_key psc_target_state_key(psc_system_type t, const char *target);

/* How to get a new own certificate, per system type and identity, in that
 * system's words (self-signed, expired, not yet valid, expiring). */
const char *psc_remedy_renew(psc_system_type t, psc_identity_kind k);

/* "the roles ..." of an abap system's service user: service_user_roles, else
 * the C4C-ERP integration roles for an ERP back end (name ERP, ECC, S4...),
 * else "per your back end's integration guide".  buf holds composed text. */
const char *psc_service_user_roles(const psc_system *sys, char *buf, size_t n);

/* The "how:" of a Cloud Connector step (rules_scc.c): what to enter in SCC's
 * administration UI, HCI's channel or ERP's CERTRULE; NULL when the target is
 * not one of them (planner.c then writes its own).  Malloc'ed. */
char *psc_scc_detail(const char *target, const psc_system *at, const psc_system *client,
                     const psc_system *server, const psc_system *downstream, const psc_flow *f,
                     const psc_cert *cert);

/* Where the cpi client's certificate comes from ("Monitor > ... > Keystore: ..."). */
void psc_cpi_client_key_words(const psc_system *cpi, char *out, size_t n);


#endif
