/* The words users read (see words.h): one table per kind.  A renderer never
 * spells a status, action, role, severity, system type or target itself. */
#include "words.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ABAP PSC_SYS_ABAP
#define CPI PSC_SYS_CPI
#define C4C PSC_SYS_C4C
#define WD PSC_SYS_WEBDISPATCHER
#define SCC PSC_SYS_CLOUDCONNECTOR

/* ---- certificates and entries ---------------------------------------------- */

static const char *const entry_types[] = {
    [PSC_ENTRY_CERT] = "certificate", [PSC_ENTRY_KEYPAIR] = "key-pair",
    [PSC_ENTRY_TRUSTED] = "trusted",  [PSC_ENTRY_OWN] = "own",
    [PSC_ENTRY_SECRET] = "secret-key",
};

const char *psc_entry_type_name(psc_entry_type t)
{
    return (unsigned)t < COUNT(entry_types) ? entry_types[t] : "unknown";
}

static const char *const roles[] = {
    [PSC_ROLE_LEAF] = "leaf", [PSC_ROLE_INTERMEDIATE] = "intermediate", [PSC_ROLE_ROOT] = "root",
};

const char *psc_role_name(psc_role r)
{
    return (unsigned)r < COUNT(roles) ? roles[r] : "unknown";
}

/* ---- findings (indexed by severity + 1: info is -1) --------------------------- */

static const char *const severities[] = {
    [PSC_SEV_INFO + 1] = "info", [PSC_SEV_WARNING + 1] = "warning", [PSC_SEV_ERROR + 1] = "error",
};

const char *psc_severity_name(psc_severity s)
{
    unsigned i = (unsigned)(s + 1);
    return i < COUNT(severities) ? severities[i] : "warning";
}

/* ---- systems ------------------------------------------------------------------ */

static const char *const system_types[PSC_SYS_TYPE_COUNT] = {
    [PSC_SYS_ABAP] = "abap", [PSC_SYS_CPI] = "cpi", [PSC_SYS_C4C] = "c4c",
    [PSC_SYS_WEBDISPATCHER] = "webdispatcher", [PSC_SYS_CLOUDCONNECTOR] = "cloudconnector",
};

const char *psc_system_type_name(psc_system_type t)
{
    return (unsigned)t < PSC_SYS_TYPE_COUNT ? system_types[t] : "?";
}

int psc_system_type_by_name(const char *name)
{
    for (int t = 0; t < PSC_SYS_TYPE_COUNT; t++)
        if (strcmp(name, system_types[t]) == 0)
            return t;
    return -1;
}

static const struct {
    const char *name, *suffix;
} cpi_envs[] = {
    [PSC_CPI_CF] = {.name = "cf", .suffix = ", Cloud Foundry"},
    [PSC_CPI_NEO] = {.name = "neo", .suffix = ", Neo"},
};

const char *psc_cpi_env_name(psc_cpi_env e)
{
    return cpi_envs[e == PSC_CPI_NEO].name;
}

const char *psc_cpi_env_suffix(psc_cpi_env e)
{
    return cpi_envs[e == PSC_CPI_NEO].suffix;
}

const char *psc_auth_name(psc_auth a) { return a == PSC_AUTH_BASIC ? "basic" : "certificate"; }

/* ---- plan steps --------------------------------------------------------------- */

static const char *const statuses[] = {
    [PSC_STATUS_TODO] = "todo",       [PSC_STATUS_PRESENT] = "present",
    [PSC_STATUS_MANAGED] = "managed", [PSC_STATUS_BLOCKED] = "blocked",
};

const char *psc_step_status_name(psc_step_status s)
{
    return (unsigned)s < COUNT(statuses) ? statuses[s] : "?";
}

static const struct {
    const char *name, *verb;
} actions[] = {
    [PSC_ACTION_IMPORT] = {.name = "import", .verb = "import into"},
    [PSC_ACTION_UPLOAD] = {.name = "upload", .verb = "upload to"},
    [PSC_ACTION_MAP_USER] = {.name = "map-user", .verb = "map the user in"},
    [PSC_ACTION_REPLACE] = {.name = "replace", .verb = "replace"},
    [PSC_ACTION_CONFIGURE] = {.name = "configure", .verb = "configure"},
};

const char *psc_action_name(psc_action a)
{
    return (unsigned)a < COUNT(actions) ? actions[a].name : "?";
}

const char *psc_action_verb(psc_action a)
{
    return (unsigned)a < COUNT(actions) ? actions[a].verb : "";
}

/* ---- targets in each system's own words (rules.md "Targets") ----------------- */

/* STRUST names as the tree shows them; every STRUST change ends with Save
 * (the PSE lives in the database and is distributed from there). */
static const struct {
    psc_system_type type;
    const char *target, *words;
} targets[] = {
    {ABAP, "strust-ssl-client-standard",
     "STRUST > SSL client Standard (SM59/SOAMANAGER identity DFAULT) > Import certificate > "
     "Add to Certificate List > Save"},
    {ABAP, "strust-ssl-client-anonymous",
     "STRUST > SSL client Anonymous (identity ANONYM) > Import certificate > Add to "
     "Certificate List > Save"},
    {ABAP, "strust-ssl-client-custom",
     "STRUST > the SSL client PSE of the destination's SSL client identity "
     "(ssl_client_identity) > Import certificate > Add to Certificate List > Save"},
    {ABAP, "strust-ssl-server-standard",
     "STRUST > SSL server Standard > Import certificate > Add to Certificate List > Save"},
    {ABAP, "user-mapping",
     "SM30 view VUSREXTID, External ID type DN (or rule-based mapping: CERTRULE), and "
     "certificate logon allowed in SICF/SOAMANAGER"},
    {ABAP, "own-certificate",
     "STRUST: the PSE's own certificate (Create certificate request, have it signed by a CA, "
     "Import certificate response, Save)"},
    {ABAP, "icm-trust-intermediary",
     "RZ10 instance profile: icm/HTTPS/trust_client_with_issuer and "
     "icm/HTTPS/trust_client_with_subject (trust the Web Dispatcher as intermediary), then "
     "restart the ICM"},
    {CPI, "iflow-sender",
     "Neo tenant: the iFlow's sender channel, Authorization \"Client Certificate\": upload the "
     "caller's certificate"},
    {CPI, "service-key",
     "BTP cockpit > Process Integration Runtime instance (plan integration-flow, role "
     "ESBMessaging.send) > Create service key of type \"External Certificate\": one PEM leaf "
     "certificate, never the chain"},
    {CPI, "keystore",
     "Monitor > Integrations and APIs > Manage Security > Keystore > Add > Certificate "
     "(trusted certificate)"},
    {C4C, "communication-arrangement",
     "Communication Arrangements > the inbound arrangement > Authentication Method \"SSL "
     "Client Certificate\" > Upload Certificate"},
    {C4C, "trust-list", "C4C's list of trusted CAs (kept by SAP: check only)"},
    {WD, "strust-ssl-server-standard",
     "Web Dispatcher SSL server PSE (SAPSSLS.pse): web admin > SSL and Trust Configuration > "
     "PSE Management > Import certificate, or sapgenpse maintain_pk -a"},
    {WD, "strust-ssl-client-standard",
     "Web Dispatcher SSL client PSE (SAPSSLC.pse): web admin > SSL and Trust Configuration > "
     "PSE Management > Import certificate, or sapgenpse maintain_pk -a"},
    {WD, "own-certificate",
     "the Web Dispatcher PSE's own certificate (web admin > SSL and Trust Configuration > PSE "
     "Management > Create CSR, have it signed by a CA, Import CA Response)"},
    {ABAP, "icm-trust-scc",
     "RZ10 instance profile: icm/HTTPS/trust_client_with_issuer and "
     "icm/HTTPS/trust_client_with_subject (trust SAP Cloud Connector's system certificate as "
     "intermediary), then restart the ICM"},
    {ABAP, "certrule",
     "CERTRULE (rule-based certificate mapping; profile parameter "
     "login/certificate_mapping_rulebased = 1): a rule for the short-lived certificates"},
    {CPI, "onpremise-proxy",
     "Design > the iFlow > the receiver channel (HTTP, OData, SOAP) > Connection: Proxy Type "
     "On-Premise, Location ID, Address http://<virtual host>:<virtual port>/<path>"},
    {SCC, "scc-subaccount",
     "SCC administration UI (https://<scc host>:8443) > Connector > Add Subaccount: region, "
     "subaccount, Location ID; state Connected"},
    {SCC, "scc-access-control",
     "SCC administration UI > Cloud To On-Premise > Access Control > Mapping Virtual To "
     "Internal System > Add: Back-end Type ABAP System, Protocol HTTPS; then Resources > Add"},
    {SCC, "scc-principal-propagation",
     "SCC administration UI > Configuration > On Premise > CA Certificate and Principal "
     "Propagation; Cloud To On-Premise > Principal Propagation > Synchronize"},
    {SCC, "scc-trust-store",
     "SCC administration UI > Configuration > On Premise > Trust Store > Add (the allowlist "
     "of back-end certificates)"},
    {WD, "wdisp-forward-client-cert",
     "Web Dispatcher profile: request the caller's certificate, forward it, re-encrypt with "
     "the SSL client PSE, then restart the Web Dispatcher"},
};

const char *psc_target_words(psc_system_type t, const char *target)
{
    for (size_t i = 0; i < COUNT(targets); i++)
        if (targets[i].type == t && strcmp(targets[i].target, target) == 0)
            return targets[i].words;
    return target;
}
