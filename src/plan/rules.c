/* rules.md as a table.  Read a row as: "in a hop CLIENT -> SERVER with this
 * auth, the system on the <at> side gets <pick> of <from>'s <identity>
 * certificate in <target>".  Order of rows = order of steps in a system.
 * refs: where a user reads about the step (titles a user can look up). */
#include "rules.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { CERT = PSC_AUTH_CERTIFICATE, BASIC = PSC_AUTH_BASIC, BOTH = CERT | BASIC };
#define ABAP PSC_SYS_ABAP
#define CPI PSC_SYS_CPI
#define C4C PSC_SYS_C4C
#define WD PSC_SYS_WEBDISPATCHER
#define SCC PSC_SYS_CLOUDCONNECTOR
#define PP_NO PSC_PP_WITHOUT
#define PP_YES PSC_PP_WITH
#define ANY PSC_ENV_ANY
#define CF PSC_CPI_CF
#define NEO PSC_CPI_NEO
#define CLIENT_SIDE 0
#define SERVER_SIDE 1
#define SSL_CLIENT PSC_TARGET_SSL_CLIENT_OF_DESTINATION

/* ---- references ---------------------------------------------------------- */
#define REF_TRUST_MANAGER "SAP Help: \"Trust Manager\" (transaction STRUST)"
#define REF_SERVER_LIST "SAP Help: \"Maintaining the SSL Server PSE's Certificate List\""
#define REF_ICM_SSL "SAP Help: \"SSL Parameters for ICM and Web Dispatcher\""
#define REF_WD_SSL "SAP Help: \"Configuring SAP Web Dispatcher to Support SSL\""
#define REF_X509 "SAP Help: \"Using X.509 Client Certificates on the AS ABAP\" (VUSREXTID, CERTRULE)"
#define REF_C4C_GUIDE "C4C integration guide for SAP ERP: \"Set Up Secure Connection\""
#define REF_KEYSTORE "SAP Help (Cloud Integration): \"Keystore\""
#define REF_SERVICE_KEY \
    "SAP Help (Cloud Integration): \"Creating Service Instance and Service Key for " \
    "Inbound Authentication\""
#define REF_LB_ROOTS \
    "SAP Help (Cloud Integration): \"Load Balancer Root Certificates Supported by SAP\""
#define REF_GUIDE \
    "SAP Community: \"Quick Guide on using Certificates for Integrating C4C and ECC using " \
    "HCI\" (and its comments)"

#define REF_SCC_ACCESS "SAP Help (Connectivity): \"Configure Access Control (HTTP)\""
#define REF_SCC_SUBACCOUNT "SAP Help (Connectivity): \"Managing Subaccounts\" (Cloud Connector)"
#define REF_SCC_TRUST "SAP Help (Connectivity): \"Set Up Trust\" (Cloud Connector: Trust Store)"
#define REF_SCC_PP "SAP Help (Connectivity): \"Configuring Principal Propagation\""
#define REF_CPI_ONPREM \
    "SAP Help (Cloud Integration): \"HTTP Receiver Adapter\" (Proxy Type On-Premise, Location ID)"

static const char *const refs_strust_client[] = {REF_TRUST_MANAGER, REF_C4C_GUIDE, REF_GUIDE, NULL};
static const char *const refs_strust_server[] = {REF_SERVER_LIST, REF_C4C_GUIDE, REF_GUIDE, NULL};
static const char *const refs_own_cert[] = {REF_TRUST_MANAGER, REF_GUIDE, NULL};
static const char *const refs_service_key[] = {REF_SERVICE_KEY, REF_LB_ROOTS, REF_GUIDE, NULL};
static const char *const refs_iflow_sender[] = {REF_C4C_GUIDE, REF_GUIDE, NULL};
static const char *const refs_keystore[] = {REF_KEYSTORE, REF_GUIDE, NULL};
static const char *const refs_c4c[] = {REF_C4C_GUIDE, REF_GUIDE, NULL};
static const char *const refs_mapping[] = {REF_X509, REF_C4C_GUIDE, REF_GUIDE, NULL};
static const char *const refs_icm[] = {REF_ICM_SSL, REF_WD_SSL, REF_GUIDE, NULL};
static const char *const refs_wd_pse[] = {REF_WD_SSL, REF_GUIDE, NULL};
static const char *const refs_onprem[] = {REF_CPI_ONPREM, REF_SCC_ACCESS, NULL};
static const char *const refs_scc_subaccount[] = {REF_SCC_SUBACCOUNT, NULL};
static const char *const refs_scc_access[] = {REF_SCC_ACCESS, NULL};
static const char *const refs_scc_server[] = {REF_SERVER_LIST, REF_X509, NULL};
static const char *const refs_scc_mapping[] = {REF_X509, REF_SCC_ACCESS, NULL};
static const char *const refs_scc_pp[] = {REF_SCC_PP, REF_SERVER_LIST, REF_X509, NULL};
static const char *const refs_scc_icm[] = {REF_SCC_PP, REF_ICM_SSL, NULL};
static const char *const refs_scc_trust[] = {REF_SCC_TRUST, NULL};

/* One row per line of rules.md; designated initializers name every column. */
#define ROW(...) {__VA_ARGS__}
static const psc_rule rules[] = {
    /* ---- abap -> cpi: ERP sends to HCI ---- */
    ROW(.id = "R3", .client = ABAP, .server = CPI, .auth = CERT, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "own-certificate", .action = PSC_ACTION_REPLACE,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_SELF_SIGNED,
        .status = PSC_RS_TODO, .required = 1, .finding = "self-signed-client-cert",
        .refs = refs_own_cert,
        .reason = "{C}'s SSL client Standard certificate is self-signed; {S} accepts only a "
                  "CA-signed one: replace it in STRUST > SSL client Standard"),
    ROW(.id = "R1", .client = ABAP, .server = CPI, .auth = CERT, .cpi_env = NEO,
        .at_server = SERVER_SIDE, .target = "iflow-sender", .action = PSC_ACTION_UPLOAD,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_iflow_sender,
        .reason = "{S} (server) must trust {C} (client): upload {C}'s SSL client certificate "
                  "to {F}"),
    ROW(.id = "R1", .client = ABAP, .server = CPI, .auth = CERT, .cpi_env = CF,
        .at_server = SERVER_SIDE, .target = "service-key", .action = PSC_ACTION_UPLOAD,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_service_key,
        .reason = "{S} (server) must trust {C} (client): put {C}'s SSL client certificate (leaf "
                  "only) into a service key of the Process Integration Runtime that {F} accepts"),
    ROW(.id = "R2", .client = ABAP, .server = CPI, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = SSL_CLIENT, .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_CURRENT, .required = 1, .refs = refs_strust_client,
        .reason = "{C} (client) must trust {S} (server): import the root of {S}'s worker node "
                  "(server) chain into {I}, the PSE {C}'s destination uses (the root is enough)"),
    ROW(.id = "R2", .client = ABAP, .server = CPI, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = SSL_CLIENT, .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_INTERMEDIATES,
        .status = PSC_RS_CURRENT, .required = 0, .refs = refs_strust_client,
        .reason = "optional: the intermediate of {S}'s worker node (server) chain, only if the "
                  "handshake still fails with the root alone"),

    /* ---- cpi -> c4c ---- */
    ROW(.id = "R4", .client = CPI, .server = C4C, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "communication-arrangement",
        .action = PSC_ACTION_UPLOAD, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_c4c,
        .reason = "{S} (server) must trust {C} (client): upload {C}'s client certificate ({K}: "
                  "Download > Certificate) to the inbound communication arrangement"),
    ROW(.id = "R5", .client = CPI, .server = C4C, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "trust-list", .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_MANAGED, .required = 1, .refs = refs_c4c,
        .reason = "the root of {C}'s client chain must be in {S}'s trust list (kept by SAP: "
                  "check only)"),

    /* ---- c4c -> cpi ---- */
    ROW(.id = "R8", .client = C4C, .server = CPI, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "trust-list", .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_MANAGED, .required = 1, .refs = refs_c4c,
        .reason = "the root of {S}'s worker node (server) chain must be in {C}'s trust list "
                  "(kept by SAP: check only)"),
    ROW(.id = "R7", .client = C4C, .server = CPI, .auth = CERT, .cpi_env = NEO,
        .at_server = SERVER_SIDE, .target = "iflow-sender", .action = PSC_ACTION_UPLOAD,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_iflow_sender,
        .reason = "{S} (server) must trust {C} (client): upload the X.509 certificate of {C}'s "
                  "communication arrangement to the sender channel of {F}"),
    ROW(.id = "R7", .client = C4C, .server = CPI, .auth = CERT, .cpi_env = CF,
        .at_server = SERVER_SIDE, .target = "service-key", .action = PSC_ACTION_UPLOAD,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_service_key,
        .reason = "{S} (server) must trust {C} (client): put the X.509 certificate of {C}'s "
                  "communication arrangement into a service key of the Process Integration "
                  "Runtime that {F} accepts"),

    /* ---- cpi -> abap: HCI calls ERP (directly, or through a passthrough proxy) ---- */
    ROW(.id = "R9", .client = CPI, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_ROOT, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_strust_server,
        .reason = "{S} (server) must trust {C} (client): import the root of {C}'s client chain "
                  "({K}: Download > Chain; not the worker node's chain)"),
    ROW(.id = "R9", .client = CPI, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_INTERMEDIATES, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_strust_server,
        .reason = "{S} (server) must trust {C} (client): import the intermediate of {C}'s "
                  "client chain"),
    ROW(.id = "R10", .client = CPI, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "user-mapping", .action = PSC_ACTION_MAP_USER,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_mapping,
        .reason = "{S} logs {C}'s calls on as the service user its client certificate is "
                  "mapped to, where certificate logon is allowed"),
    ROW(.id = "R12", .client = CPI, .server = ABAP, .auth = BOTH, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "own-certificate", .action = PSC_ACTION_REPLACE,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_SELF_SIGNED,
        .status = PSC_RS_TODO, .required = 1, .finding = "self-signed-server-cert",
        .refs = refs_own_cert,
        .reason = "{S}'s SSL server Standard certificate is self-signed; {C} does not accept "
                  "it: replace it in STRUST > SSL server Standard"),
    ROW(.id = "R11", .client = CPI, .server = ABAP, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "keystore", .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_CURRENT, .required = 1, .refs = refs_keystore,
        .reason = "{C} (client) must trust {S} (server): add the root of {S}'s server chain "
                  "to the tenant keystore"),

    /* ---- cpi -> webdispatcher (ssl = terminate): the proxy faces the internet ---- */
    ROW(.id = "R9", .client = CPI, .server = WD, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_ROOT, .status = PSC_RS_CURRENT, .required = 1, .refs = refs_wd_pse,
        .reason = "{S} (reverse proxy, server) must trust {C} (client): import the root of "
                  "{C}'s client chain ({K}: Download > Chain) into the proxy's SSL server PSE"),
    ROW(.id = "R9", .client = CPI, .server = WD, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_INTERMEDIATES, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_wd_pse,
        .reason = "{S} (reverse proxy, server) must trust {C} (client): import the intermediate "
                  "of {C}'s client chain"),
    ROW(.id = "R12", .client = CPI, .server = WD, .auth = BOTH, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "own-certificate", .action = PSC_ACTION_REPLACE,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_SELF_SIGNED,
        .status = PSC_RS_TODO, .required = 1, .finding = "self-signed-server-cert",
        .refs = refs_wd_pse,
        .reason = "{S}'s SSL server certificate is self-signed; {C} does not accept it: "
                  "replace it with a CA-signed one"),
    ROW(.id = "R11", .client = CPI, .server = WD, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "keystore", .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_CURRENT, .required = 1, .refs = refs_keystore,
        .reason = "{C} (client) must trust {S} (reverse proxy, server): add the root of {S}'s "
                  "server chain to the tenant keystore"),

    /* ---- webdispatcher -> abap (ssl = terminate): a second handshake ---- */
    ROW(.id = "R9", .client = WD, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_ROOT, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_strust_server,
        .reason = "{S} (server) must trust {C} (client): import the root of {C}'s client chain"),
    ROW(.id = "R9", .client = WD, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_INTERMEDIATES, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_strust_server,
        .reason = "{S} (server) must trust {C} (client): import the intermediate of {C}'s "
                  "client chain"),
    ROW(.id = "R13", .client = WD, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "wdisp-forward-client-cert",
        .action = PSC_ACTION_CONFIGURE, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_icm,
        .reason = "{C} must ask {U} for its client certificate, forward it to {S} and "
                  "authenticate to {S} with its own SSL client certificate"),
    ROW(.id = "R13", .client = WD, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "icm-trust-intermediary",
        .action = PSC_ACTION_CONFIGURE, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_icm,
        .reason = "{S} must accept the client certificate {C} forwards: trust {C} as "
                  "intermediary"),
    ROW(.id = "R10", .client = WD, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "user-mapping", .action = PSC_ACTION_MAP_USER,
        .from = PSC_FROM_UPSTREAM, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_LEAF,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_mapping,
        .reason = "{S} logs {U}'s calls (forwarded by {C}) on as the service user its client "
                  "certificate is mapped to, where certificate logon is allowed"),
    ROW(.id = "R12", .client = WD, .server = ABAP, .auth = BOTH, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "own-certificate", .action = PSC_ACTION_REPLACE,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_SELF_SIGNED,
        .status = PSC_RS_TODO, .required = 1, .finding = "self-signed-server-cert",
        .refs = refs_own_cert,
        .reason = "{S}'s SSL server Standard certificate is self-signed; {C} does not accept "
                  "it: replace it in STRUST > SSL server Standard"),
    ROW(.id = "R11", .client = WD, .server = ABAP, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "strust-ssl-client-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER,
        .pick = PSC_PICK_ROOT, .status = PSC_RS_CURRENT, .required = 1, .refs = refs_wd_pse,
        .reason = "{C} (client) must trust {S} (server): import the root of {S}'s server chain "
                  "into the proxy's SSL client PSE"),

    /* ---- cpi -> cloudconnector: HCI reaches the back end through SCC's tunnel (R14).
     * No certificate on either side: the tunnel is SCC's own subaccount connection. ---- */
    ROW(.id = "R14", .client = CPI, .server = SCC, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "onpremise-proxy", .action = PSC_ACTION_CONFIGURE,
        .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_NONE,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_onprem,
        .reason = "{C} reaches {D} through {S} (Connectivity service), not over the internet: "
                  "the receiver channel of {F} uses proxy type On-Premise and {S}'s location ID"),
    ROW(.id = "R14", .client = CPI, .server = SCC, .auth = BOTH, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "scc-subaccount", .action = PSC_ACTION_CONFIGURE,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_NONE,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_subaccount,
        .reason = "{S} must be connected to {C}'s subaccount: the tunnel {C}'s calls come through"),
    ROW(.id = "R14", .client = CPI, .server = SCC, .auth = BOTH, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "scc-access-control", .action = PSC_ACTION_CONFIGURE,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_CLIENT, .pick = PSC_PICK_NONE,
        .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_access,
        .reason = "{S} forwards only what it maps: a virtual host for {D}'s HTTPS port and the "
                  "URL paths {F} calls"),

    /* ---- cloudconnector -> abap: SCC opens the TLS session to ERP (R15..R20) ---- */
    ROW(.id = "R15", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_ISSUER, .status = PSC_RS_CURRENT, .required = 1,
        .refs = refs_scc_server,
        .reason = "{S} (server) must trust {C} (client): import the issuer of {C}'s system "
                  "certificate (STRUST accepts a caller when any certificate of its chain is in "
                  "the list)"),
    ROW(.id = "R16", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .scc_pp = PP_NO, .at_server = SERVER_SIDE, .target = "user-mapping",
        .action = PSC_ACTION_MAP_USER, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_mapping,
        .reason = "{S} logs the calls {C} forwards on as the technical user {C}'s system "
                  "certificate is mapped to ({C} authenticates as itself: no principal "
                  "propagation)"),
    ROW(.id = "R17", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .scc_pp = PP_YES, .at_server = SERVER_SIDE, .target = "strust-ssl-server-standard",
        .action = PSC_ACTION_IMPORT, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CA,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_CURRENT, .required = 1, .refs = refs_scc_pp,
        .reason = "{S} must trust the short-lived user certificates {C} issues: import {C}'s CA "
                  "certificate for principal propagation"),
    ROW(.id = "R17", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .scc_pp = PP_YES, .at_server = CLIENT_SIDE, .target = "scc-principal-propagation",
        .action = PSC_ACTION_CONFIGURE, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CA,
        .pick = PSC_PICK_NONE, .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_pp,
        .reason = "{C} issues a short-lived certificate for the user of each call from {U} with "
                  "its CA certificate and forwards it to {S}"),
    ROW(.id = "R18", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .scc_pp = PP_YES, .at_server = SERVER_SIDE, .target = "icm-trust-scc",
        .action = PSC_ACTION_CONFIGURE, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CLIENT,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_icm,
        .reason = "{S} must accept the user certificate {C} forwards: trust {C}'s system "
                  "certificate as intermediary"),
    ROW(.id = "R19", .client = SCC, .server = ABAP, .auth = CERT, .cpi_env = ANY,
        .scc_pp = PP_YES, .at_server = SERVER_SIDE, .target = "certrule",
        .action = PSC_ACTION_CONFIGURE, .from = PSC_FROM_CLIENT, .identity = PSC_ID_CA,
        .pick = PSC_PICK_LEAF, .status = PSC_RS_TODO, .required = 1, .refs = refs_scc_pp,
        .reason = "{S} maps each short-lived certificate (issued by {C}'s CA certificate) to its "
                  "user by rule: one rule for all users, not one VUSREXTID entry per user"),
    ROW(.id = "R20", .client = SCC, .server = ABAP, .auth = BOTH, .cpi_env = ANY,
        .at_server = CLIENT_SIDE, .target = "scc-trust-store", .action = PSC_ACTION_IMPORT,
        .from = PSC_FROM_SERVER, .identity = PSC_ID_SERVER, .pick = PSC_PICK_ROOT,
        .status = PSC_RS_CURRENT, .required = 1, .required_if_state = 1,
        .refs = refs_scc_trust,
        .reason = "{C} (client) must trust {S} (server) when its Trust Store is an allowlist: "
                  "add the root of {S}'s server chain"),
};

size_t psc_rule_count(void) { return sizeof rules / sizeof rules[0]; }
const psc_rule *psc_rule_at(size_t i) { return i < psc_rule_count() ? &rules[i] : NULL; }

int psc_rules_cover(psc_system_type client, psc_system_type server)
{
    for (size_t i = 0; i < psc_rule_count(); i++)
        if (rules[i].client == client && rules[i].server == server)
            return 1;
    /* cpi -> c4c has no step when the auth is basic, but is covered (R6: nothing to do). */
    return 0;
}

int psc_rule_applies(const psc_rule *r, const psc_system *client, const psc_system *server,
                     psc_auth auth)
{
    if (r->client != client->type || r->server != server->type || !(r->auth & auth))
        return 0;
    const psc_system *cpi = client->type == CPI ? client : server->type == CPI ? server : NULL;
    if (r->cpi_env != ANY && !(cpi && (int)cpi->environment == r->cpi_env))
        return 0;
    const psc_system *scc = client->type == SCC ? client : server->type == SCC ? server : NULL;
    if (r->scc_pp != PSC_PP_ANY &&
        !(scc && (scc->principal_propagation ? PP_YES : PP_NO) == r->scc_pp))
        return 0;
    return 1;
}

const char *psc_rules_hops_text(void)
{
    return "abap -> cpi, cpi -> c4c, c4c -> cpi, cpi -> abap, cpi -> webdispatcher, "
           "webdispatcher -> abap, cpi -> cloudconnector, cloudconnector -> abap";
}

/* Per type: the keys that carry its client and server identity (the leaf
 * key and the chain key), the CA certificate a cloudconnector issues
 * principal-propagation certificates with (PSC_KEY_COUNT: none), and whether
 * its callers' client certificates must carry clientAuth. */
#define NO_CA .ca_leaf = PSC_KEY_COUNT, .ca_chain = PSC_KEY_COUNT
static const psc_type_info types[PSC_SYS_TYPE_COUNT] = {
    [PSC_SYS_ABAP] = {.client_leaf = PSC_KEY_CLIENT_CERT, .client_chain = PSC_KEY_CHAIN,
                      .server_leaf = PSC_KEY_SERVER_CERT, .server_chain = PSC_KEY_CHAIN, NO_CA},
    [PSC_SYS_CPI] = {.client_leaf = PSC_KEY_CLIENT_CERT, .client_chain = PSC_KEY_CLIENT_CHAIN,
                     .server_leaf = PSC_KEY_SERVER_CHAIN, .server_chain = PSC_KEY_SERVER_CHAIN,
                     NO_CA, .client_eku_strict = 1},
    [PSC_SYS_C4C] = {.client_leaf = PSC_KEY_CLIENT_CERT, .client_chain = PSC_KEY_CLIENT_CHAIN,
                     .server_leaf = PSC_KEY_SERVER_CHAIN, .server_chain = PSC_KEY_SERVER_CHAIN,
                     NO_CA},
    [PSC_SYS_WEBDISPATCHER] = {.client_leaf = PSC_KEY_CLIENT_CERT, .client_chain = PSC_KEY_CHAIN,
                               .server_leaf = PSC_KEY_SERVER_CERT,
                               .server_chain = PSC_KEY_CHAIN, NO_CA},
    /* SCC's server side (its administration UI) takes part in no hop */
    [PSC_SYS_CLOUDCONNECTOR] = {.client_leaf = PSC_KEY_SYSTEM_CERT, .client_chain = PSC_KEY_CHAIN,
                                .server_leaf = PSC_KEY_COUNT, .server_chain = PSC_KEY_COUNT,
                                .ca_leaf = PSC_KEY_CA_CERT, .ca_chain = PSC_KEY_CHAIN},
};

const psc_type_info *psc_type_info_of(psc_system_type t)
{
    return t < PSC_SYS_TYPE_COUNT ? &types[t] : &types[0];
}

/* ---- what a target already holds --------------------------------------------- */

/* The current-state key whose file shows a target's content (the target's
 * words are in src/core/words.c); targets without one have no row. */
static const struct {
    psc_system_type type;
    const char *target;
    psc_key state;
} target_states[] = {
    {ABAP, "strust-ssl-client-standard", PSC_KEY_SSL_CLIENT_PSE},
    {ABAP, "strust-ssl-client-anonymous", PSC_KEY_SSL_ANONYMOUS_PSE},
    {ABAP, "strust-ssl-server-standard", PSC_KEY_SSL_SERVER_PSE},
    {CPI, "keystore", PSC_KEY_KEYSTORE},
    {WD, "strust-ssl-server-standard", PSC_KEY_SSL_SERVER_PSE},
    {WD, "strust-ssl-client-standard", PSC_KEY_SSL_CLIENT_PSE},
    {SCC, "scc-trust-store", PSC_KEY_TRUST_STORE},
};

psc_key psc_target_state_key(psc_system_type t, const char *target)
{
    for (size_t i = 0; i < sizeof target_states / sizeof target_states[0]; i++)
        if (target_states[i].type == t && strcmp(target_states[i].target, target) == 0)
            return target_states[i].state;
    return PSC_KEY_COUNT;
}

/* ---- SSL client identities (SM59/SOAMANAGER "SSL Client Certificate") ---- */

static const char *identity_of(const psc_system *s)
{
    return s->ssl_client_identity ? s->ssl_client_identity : "DFAULT";
}

const char *psc_ssl_client_target(const psc_system *s)
{
    const char *id = identity_of(s);
    if (strcmp(id, "DFAULT") == 0)
        return "strust-ssl-client-standard";
    if (strcmp(id, "ANONYM") == 0)
        return "strust-ssl-client-anonymous";
    return "strust-ssl-client-custom";
}

void psc_ssl_client_words(const psc_system *s, char *out, size_t n)
{
    const char *id = identity_of(s);
    if (strcmp(id, "DFAULT") == 0)
        snprintf(out, n, "SSL client Standard (DFAULT)");
    else if (strcmp(id, "ANONYM") == 0)
        snprintf(out, n, "SSL client Anonymous (ANONYM)");
    else
        snprintf(out, n, "SSL client %s", id);
}

/* ---- the service user of a user mapping ---- */

/* The service user's roles: the landscape's, else the C4C-ERP integration
 * roles for an ERP back end (name ERP, ECC or S4...), else the guide's word. */
const char *psc_service_user_roles(const psc_system *sys, char *buf, size_t n)
{
    static const char *const erp_names[] = {"ERP", "ECC", "S4"};
    if (sys->service_user_roles) {
        snprintf(buf, n, "the roles %s", sys->service_user_roles);
        return buf;
    }
    for (size_t i = 0; i < sizeof erp_names / sizeof erp_names[0]; i++)
        if (strncasecmp(sys->name, erp_names[i], strlen(erp_names[i])) == 0)
            return "the roles SAP_SD_COD_INTEGRATION and SAP_SD_COD_INTEGRATION_EXT (the C4C-ERP "
                   "integration roles)";
    snprintf(buf, n, "the roles of %s's inbound services, per your back end's integration guide "
                     "(set service_user_roles)", sys->name);
    return buf;
}

/* ---- remedies per system type ------------------------------------------------ */

static const char *const renew[PSC_SYS_TYPE_COUNT][PSC_ID_COUNT] = {
    [PSC_SYS_ABAP] = {
        "STRUST > SSL client Standard > Create certificate request, have it signed by a CA, "
        "Import certificate response, Save (then export the new certificate for the partner)",
        "STRUST > SSL server Standard > Create certificate request, have it signed by a CA, "
        "Import certificate response, Save (then give the new root to SAP Cloud Integration's "
        "keystore)"},
    [PSC_SYS_CPI] = {
        "SAP Cloud Integration: Monitor > Integrations and APIs > Manage Security > Keystore: "
        "renew the key pair of the receiver channel's Private Key Alias, or activate SAP's "
        "renewed sap_cloudintegrationcertificate; then download the new certificate and chain",
        "kept by SAP (the load balancer's certificate): fetch the current worker node chain "
        "again (pseconv fetch)"},
    [PSC_SYS_C4C] = {
        "C4C: Communication Arrangements > the arrangement > Communication System credentials: "
        "create a new certificate (or upload a renewed PKCS#12) and give it to the partner again",
        "kept by SAP: fetch the tenant's current server chain again (pseconv fetch)"},
    [PSC_SYS_WEBDISPATCHER] = {
        "Web Dispatcher web admin > SSL and Trust Configuration > PSE Management > SAPSSLC.pse: "
        "Create CSR, have it signed by a CA, Import CA Response (then restart the Web "
        "Dispatcher)",
        "Web Dispatcher web admin > SSL and Trust Configuration > PSE Management > SAPSSLS.pse: "
        "Create CSR, have it signed by a CA, Import CA Response (then restart the Web "
        "Dispatcher)"},
    [PSC_SYS_CLOUDCONNECTOR] = {
        "SCC administration UI > Configuration > On Premise > System Certificate: Generate a "
        "Certificate Signing Request, have it signed by your CA, Upload the response (or Import "
        "a PKCS#12 file); then import its issuer into the back ends' SSL server Standard",
        NULL,
        "SCC administration UI > Configuration > On Premise > CA Certificate: Generate a "
        "Certificate Signing Request, have it signed (or Import a PKCS#12 file); then import "
        "the new CA certificate into the back ends' SSL server Standard"},
};

const char *psc_remedy_renew(psc_system_type t, psc_identity_kind k)
{
    const char *const *row = renew[t < PSC_SYS_TYPE_COUNT ? t : 0];
    return (unsigned)k < PSC_ID_COUNT && row[k] ? row[k] : row[0];
}

void psc_cpi_client_key_words(const psc_system *cpi, char *out, size_t n)
{
    if (cpi->client_key_alias)
        snprintf(out, n, "Monitor > Integrations and APIs > Manage Security > Keystore, key "
                         "\"%s\" (the receiver channel's Private Key Alias)",
                 cpi->client_key_alias);
    else
        snprintf(out, n, "Monitor > Integrations and APIs > Manage Security > Keystore, SAP's "
                         "key sap_cloudintegrationcertificate");
}
