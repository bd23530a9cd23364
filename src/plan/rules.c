/* rules.md as a table.  Read a row as: "in a hop CLIENT -> SERVER with this
 * auth, the system on the <at> side gets <pick> of <from>'s <identity>
 * certificate in <target>".  Order of rows = order of steps in a system. */
#include "rules.h"

#include <string.h>

enum { CERT = PSC_AUTH_CERTIFICATE, BASIC = PSC_AUTH_BASIC, BOTH = CERT | BASIC };
#define ABAP PSC_SYS_ABAP
#define CPI PSC_SYS_CPI
#define C4C PSC_SYS_C4C
#define WD PSC_SYS_WEBDISPATCHER
#define ANY PSC_ENV_ANY
#define CF PSC_CPI_CF
#define NEO PSC_CPI_NEO
#define CLIENT_SIDE 0
#define SERVER_SIDE 1

const char psc_remedy_self_signed_client[] =
    "STRUST > SSL client Standard > Create certificate request, have it signed by a CA, "
    "Import certificate response (then export the new certificate for the partner)";
const char psc_remedy_self_signed_server[] =
    "STRUST > SSL server Standard > Create certificate request, have it signed by a CA, "
    "Import certificate response (then give the new root to SAP Cloud Integration's keystore)";

static const psc_rule rules[] = {
    /* ---- abap -> cpi (seed A.1: ECC sends to HCI) ---- */
    {"R3", ABAP, CPI, CERT, ANY, CLIENT_SIDE, "own-certificate", PSC_ACTION_REPLACE,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_SELF_SIGNED, PSC_RS_TODO, 1,
     "self-signed-client-cert", "A.1.a",
     "{C}'s SSL Client Standard certificate is self-signed; {S} accepts only a CA-signed one: "
     "replace it in SSL client Standard (SAPSSLC.pse)"},
    {"R1", ABAP, CPI, CERT, NEO, SERVER_SIDE, "iflow-sender", PSC_ACTION_UPLOAD, PSC_FROM_CLIENT,
     PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL, "A.1.a",
     "{S} (server) must trust {C} (client): upload {C}'s SSL client certificate to {F}"},
    {"R1", ABAP, CPI, CERT, CF, SERVER_SIDE, "service-key", PSC_ACTION_UPLOAD, PSC_FROM_CLIENT,
     PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL,
     "A.1.a; comment by Dominik (Cloud Foundry: service key)",
     "{S} (server) must trust {C} (client): put {C}'s SSL client certificate (leaf only) into "
     "a service key of the Process Integration Runtime that {F} accepts"},
    {"R2", ABAP, CPI, CERT, ANY, CLIENT_SIDE, "strust-ssl-client-standard", PSC_ACTION_IMPORT,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "A.1.b; comment by Berthold (the root is enough)",
     "{C} (client) must trust {S} (server): import the root of {S}'s worker node chain"},
    {"R2", ABAP, CPI, CERT, ANY, CLIENT_SIDE, "strust-ssl-client-standard", PSC_ACTION_IMPORT,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_INTERMEDIATES, PSC_RS_CURRENT, 0, NULL, "A.1.b",
     "optional: the intermediate of {S}'s worker node chain, only if the handshake still fails "
     "with the root alone"},
    {"R2", ABAP, CPI, BASIC, ANY, CLIENT_SIDE, "strust-ssl-client-anonymous", PSC_ACTION_IMPORT,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "A.1.b; comment by Berthold (the root is enough)",
     "{C} (client, basic authentication) must trust {S} (server): import the root of {S}'s "
     "worker node chain into the anonymous SSL client PSE"},
    {"R2", ABAP, CPI, BASIC, ANY, CLIENT_SIDE, "strust-ssl-client-anonymous", PSC_ACTION_IMPORT,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_INTERMEDIATES, PSC_RS_CURRENT, 0, NULL, "A.1.b",
     "optional: the intermediate of {S}'s worker node chain, only if the handshake still fails "
     "with the root alone"},

    /* ---- cpi -> c4c (seed A.2) ---- */
    {"R4", CPI, C4C, CERT, ANY, SERVER_SIDE, "communication-arrangement", PSC_ACTION_UPLOAD,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL, "A.2.a",
     "{S} (server) must trust {C} (client): upload {C}'s client certificate (provisioning "
     "mail) to the inbound communication arrangement"},
    {"R5", CPI, C4C, CERT, ANY, SERVER_SIDE, "trust-list", PSC_ACTION_IMPORT, PSC_FROM_CLIENT,
     PSC_ID_CLIENT, PSC_PICK_ROOT, PSC_RS_MANAGED, 1, NULL, "A.2.a",
     "the CA of {C}'s client certificate must be in {S}'s trust list (kept by SAP: check only)"},

    /* ---- c4c -> cpi (seed B.1) ---- */
    {"R8", C4C, CPI, BOTH, ANY, CLIENT_SIDE, "trust-list", PSC_ACTION_IMPORT, PSC_FROM_SERVER,
     PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_MANAGED, 1, NULL, "B.1.a",
     "the CA of {S}'s server certificate must be in {C}'s trust list (kept by SAP: check only)"},
    {"R7", C4C, CPI, CERT, NEO, SERVER_SIDE, "iflow-sender", PSC_ACTION_UPLOAD, PSC_FROM_CLIENT,
     PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL, "B.1.b",
     "{S} (server) must trust {C} (client): upload the X.509 certificate of {C}'s communication "
     "arrangement to the sender channel of {F}"},
    {"R7", C4C, CPI, CERT, CF, SERVER_SIDE, "service-key", PSC_ACTION_UPLOAD, PSC_FROM_CLIENT,
     PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL,
     "B.1.b; comment by Dominik (the 401 from C4C: service key)",
     "{S} (server) must trust {C} (client): put the X.509 certificate of {C}'s communication "
     "arrangement into a service key of the Process Integration Runtime that {F} accepts"},

    /* ---- cpi -> abap (seed B.2: HCI calls ECC directly) ---- */
    {"R9", CPI, ABAP, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL, "B.2.a",
     "{S} (server) must trust {C} (client): import the root of {C}'s CLIENT chain (from the "
     "LOD-HCI ticket, not the worker node's chain)"},
    {"R9", CPI, ABAP, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_INTERMEDIATES, PSC_RS_CURRENT, 1, NULL, "B.2.a",
     "{S} (server) must trust {C} (client): import the intermediate of {C}'s CLIENT chain"},
    {"R10", CPI, ABAP, CERT, ANY, SERVER_SIDE, "user-mapping", PSC_ACTION_MAP_USER,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL, "B.2.a (user mapping)",
     "{S} logs {C}'s calls on as the service user its client certificate is mapped to"},
    {"R12", CPI, ABAP, BOTH, ANY, SERVER_SIDE, "own-certificate", PSC_ACTION_REPLACE,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_SELF_SIGNED, PSC_RS_TODO, 1,
     "self-signed-server-cert", "B.2.b",
     "{S}'s SSL Server Standard certificate is self-signed; {C} does not accept it: replace it "
     "in SSL server Standard (SAPSSLS.pse)"},
    {"R11", CPI, ABAP, BOTH, ANY, CLIENT_SIDE, "keystore", PSC_ACTION_IMPORT, PSC_FROM_SERVER,
     PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL, "B.2.b; comment by Ginger",
     "{C} (client) must trust {S} (server): add the root of {S}'s server certificate to the "
     "tenant keystore"},

    /* ---- cpi -> webdispatcher (seed B.2 with a reverse proxy; comment by Berthold) ---- */
    {"R9", CPI, WD, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "B.2.a; comment by Berthold (the proxy faces the internet)",
     "{S} (reverse proxy, server) must trust {C} (client): import the root of {C}'s CLIENT "
     "chain into the proxy's SSL server PSE"},
    {"R9", CPI, WD, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_INTERMEDIATES, PSC_RS_CURRENT, 1, NULL,
     "B.2.a; comment by Berthold (the proxy faces the internet)",
     "{S} (reverse proxy, server) must trust {C} (client): import the intermediate of {C}'s "
     "CLIENT chain"},
    {"R12", CPI, WD, BOTH, ANY, SERVER_SIDE, "own-certificate", PSC_ACTION_REPLACE,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_SELF_SIGNED, PSC_RS_TODO, 1,
     "self-signed-server-cert", "B.2.b; comment by Ginger (the proxy's certificate is bought)",
     "{S}'s SSL server certificate is self-signed; {C} does not accept it: replace it with a "
     "CA-signed one"},
    {"R11", CPI, WD, BOTH, ANY, CLIENT_SIDE, "keystore", PSC_ACTION_IMPORT, PSC_FROM_SERVER,
     PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "B.2.b; comment by Ginger (WD certificates if WD is used)",
     "{C} (client) must trust {S} (reverse proxy, server): add the root of {S}'s server "
     "certificate to the tenant keystore"},

    /* ---- webdispatcher -> abap: a hop of its own ---- */
    {"R9", WD, ABAP, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "B.2; comment by Berthold (WD terminates SSL: a second handshake)",
     "{S} (server) must trust {C} (client): import the root of {C}'s client certificate"},
    {"R9", WD, ABAP, CERT, ANY, SERVER_SIDE, "strust-ssl-server-standard", PSC_ACTION_IMPORT,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_INTERMEDIATES, PSC_RS_CURRENT, 1, NULL,
     "B.2; comment by Berthold (WD terminates SSL: a second handshake)",
     "{S} (server) must trust {C} (client): import the intermediate of {C}'s client "
     "certificate"},
    {"R13", WD, ABAP, CERT, ANY, SERVER_SIDE, "icm-trust-intermediary", PSC_ACTION_CONFIGURE,
     PSC_FROM_CLIENT, PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL,
     "B.2; comment by Ginger (the proxy forwards the client certificate)",
     "{S} must accept the client certificate {C} forwards: trust {C} as intermediary"},
    {"R10", WD, ABAP, CERT, ANY, SERVER_SIDE, "user-mapping", PSC_ACTION_MAP_USER,
     PSC_FROM_UPSTREAM, PSC_ID_CLIENT, PSC_PICK_LEAF, PSC_RS_TODO, 1, NULL,
     "B.2.a (user mapping); comment by Ginger (mapped in ERP, forwarded by the proxy)",
     "{S} logs {U}'s calls (forwarded by {C}) on as the service user its client certificate "
     "is mapped to"},
    {"R12", WD, ABAP, BOTH, ANY, SERVER_SIDE, "own-certificate", PSC_ACTION_REPLACE,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_SELF_SIGNED, PSC_RS_TODO, 1,
     "self-signed-server-cert", "B.2.b",
     "{S}'s SSL Server Standard certificate is self-signed; {C} does not accept it: replace it "
     "in SSL server Standard (SAPSSLS.pse)"},
    {"R11", WD, ABAP, BOTH, ANY, CLIENT_SIDE, "strust-ssl-client-standard", PSC_ACTION_IMPORT,
     PSC_FROM_SERVER, PSC_ID_SERVER, PSC_PICK_ROOT, PSC_RS_CURRENT, 1, NULL,
     "B.2.b; comment by Berthold (WD has to trust ERP)",
     "{C} (client) must trust {S} (server): import the root of {S}'s server certificate into "
     "the proxy's SSL client PSE"},
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

const char *psc_rules_hops_text(void)
{
    return "abap -> cpi, cpi -> c4c, c4c -> cpi, cpi -> abap, cpi -> webdispatcher, "
           "webdispatcher -> abap";
}

static const psc_type_info types[PSC_SYS_TYPE_COUNT] = {
    [PSC_SYS_ABAP] = {PSC_KEY_CLIENT_CERT, PSC_KEY_CHAIN, PSC_KEY_SERVER_CERT, PSC_KEY_CHAIN, 0},
    [PSC_SYS_CPI] = {PSC_KEY_CLIENT_CERT, PSC_KEY_CLIENT_CHAIN, PSC_KEY_SERVER_CHAIN,
                     PSC_KEY_SERVER_CHAIN, 1},
    [PSC_SYS_C4C] = {PSC_KEY_CLIENT_CERT, PSC_KEY_CLIENT_CHAIN, PSC_KEY_SERVER_CHAIN,
                     PSC_KEY_SERVER_CHAIN, 0},
    [PSC_SYS_WEBDISPATCHER] = {PSC_KEY_CLIENT_CERT, PSC_KEY_CHAIN, PSC_KEY_SERVER_CERT,
                               PSC_KEY_CHAIN, 0},
};

const psc_type_info *psc_type_info_of(psc_system_type t)
{
    return t < PSC_SYS_TYPE_COUNT ? &types[t] : &types[0];
}

typedef struct target_row {
    psc_system_type type;
    const char *target;
    psc_key state;
    const char *words;
} target_row;

static const target_row targets[] = {
    {ABAP, "strust-ssl-client-standard", PSC_KEY_SSL_CLIENT_PSE,
     "STRUST > SSL client SSL Client Standard > Import certificate > Add to Certificate List "
     "(SAPSSLC.pse)"},
    {ABAP, "strust-ssl-client-anonymous", PSC_KEY_SSL_ANONYMOUS_PSE,
     "STRUST > SSL client Anonym > Import certificate > Add to Certificate List (SAPSSLA.pse)"},
    {ABAP, "strust-ssl-server-standard", PSC_KEY_SSL_SERVER_PSE,
     "STRUST > SSL server Standard > Import certificate > Add to Certificate List (SAPSSLS.pse)"},
    {ABAP, "user-mapping", PSC_KEY_COUNT,
     "SM30 view VUSREXTID, external ID type DN: certificate subject -> service user "
     "(or transaction CERTRULE)"},
    {ABAP, "own-certificate", PSC_KEY_COUNT,
     "STRUST: the PSE's own certificate (Create certificate request, have it signed by a CA, "
     "Import certificate response)"},
    {ABAP, "icm-trust-intermediary", PSC_KEY_COUNT,
     "RZ10 profile parameters icm/HTTPS/trust_client_with_issuer and "
     "icm/HTTPS/trust_client_with_subject (trust the Web Dispatcher as intermediary)"},
    {CPI, "iflow-sender", PSC_KEY_COUNT,
     "Neo tenant: the iFlow's sender channel, authorization \"Client Certificate\": upload the "
     "caller's certificate"},
    {CPI, "service-key", PSC_KEY_COUNT,
     "BTP cockpit > Process Integration Runtime instance (plan integration-flow, role "
     "ESBMessaging.send) > Create service key of type \"External Certificate\": one PEM leaf "
     "certificate, never the chain"},
    {CPI, "keystore", PSC_KEY_KEYSTORE,
     "Monitor > Keystore (system.jks) > Add > Certificate: add it as trusted certificate"},
    {C4C, "communication-arrangement", PSC_KEY_COUNT,
     "Communication Arrangements > the inbound arrangement > Authentication Method \"SSL "
     "Client Certificate\" > Upload Certificate"},
    {C4C, "trust-list", PSC_KEY_COUNT, "C4C's list of trusted CAs (kept by SAP: check only)"},
    {WD, "strust-ssl-server-standard", PSC_KEY_SSL_SERVER_PSE,
     "Web Dispatcher SSL server PSE (SAPSSLS.pse): web admin > SSL and Trust Configuration > "
     "PSE Management > Import certificate, or sapgenpse maintain_pk -a"},
    {WD, "strust-ssl-client-standard", PSC_KEY_SSL_CLIENT_PSE,
     "Web Dispatcher SSL client PSE (SAPSSLC.pse): web admin > SSL and Trust Configuration > "
     "PSE Management > Import certificate, or sapgenpse maintain_pk -a"},
    {WD, "own-certificate", PSC_KEY_COUNT,
     "the Web Dispatcher PSE's own certificate (web admin > PSE Management > Create CSR, have "
     "it signed by a CA, Import CA Response)"},
};

static const target_row *find_target(psc_system_type t, const char *target)
{
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (targets[i].type == t && strcmp(targets[i].target, target) == 0)
            return &targets[i];
    return NULL;
}

const char *psc_target_words(psc_system_type t, const char *target)
{
    const target_row *r = find_target(t, target);
    return r ? r->words : target;
}

psc_key psc_target_state_key(psc_system_type t, const char *target)
{
    const target_row *r = find_target(t, target);
    return r ? r->state : PSC_KEY_COUNT;
}
