/* The error-message catalogue as one table (the man page lists it).
 * Read a row as: "a text containing one of <patterns> is reported by the
 * <side> of a hop whose system is one of <reporter_types>; it means
 * <meaning>; on a hop CLIENT -> SERVER the steps <cands> (rules.md ids) or
 * the planner findings <findings> explain it; <confirm> proves which".
 * Candidates are listed most likely first.  The rule ids, their hop types
 * and sides are those of rules.md; test_diagnose checks every candidate
 * against the planner's rule table, so the two cannot drift apart. */
#include "catalogue.h"

#include <string.h>
#include <strings.h>

#define ABAP PSC_SYS_ABAP
#define CPI PSC_SYS_CPI
#define C4C PSC_SYS_C4C
#define WD PSC_SYS_WEBDISPATCHER
#define T_ABAP PSC_DG_TYPE(PSC_SYS_ABAP)
#define T_CPI PSC_DG_TYPE(PSC_SYS_CPI)
#define T_C4C PSC_DG_TYPE(PSC_SYS_C4C)
#define T_WD PSC_DG_TYPE(PSC_SYS_WEBDISPATCHER)
#define T_ICM (T_ABAP | T_WD | T_C4C) /* systems whose HTTP client is SAP's ICM */
#define CL PSC_DG_CLIENT
#define SV PSC_DG_SERVER
#define EITHER PSC_DG_EITHER
#define AT_CLIENT 0
#define AT_SERVER 1

/* Status-line spellings: SAP writes "401 Unauthorized", C4C's check
 * "Unauthorized (401)", the CPI message processing log "statusCode: 401". */
#define HTTP_401                                                                            \
    {"401 Unauthorized", "Unauthorized (401)", "(401)", "statusCode: 401", "status code 401", \
     "status code: 401", "HTTP/1.1 401", "HTTP 401", "error 401", "401 - Unauthorized"}
#define HTTP_403                                                                             \
    {"403 Forbidden", "403 - Forbidden", "403-Forbidden", "Forbidden (403)", "(403)",         \
     "statusCode: 403", "status code 403", "status code: 403", "HTTP/1.1 403", "HTTP 403"}
/* Context that says the answer came from SAP Cloud Integration / from ERP. */
#define CPI_HINTS                                                                            \
    {"Service Ping", "Service-Ping", "hana.ondemand.com", "/cxf/", "/http/", "it-cpi",       \
     "ESBMessaging", "Process Integration", "iFlow", "integration flow"}
#define ERP_HINTS                                                                            \
    {"HttpResponseException", "/sap/bc/", "/sap/opu/", "sap-client=", "SICF", "VUSREXTID",    \
     "SU53", "ST01"}

#define WHY_SERVICE_KEY_C4C                                                                  \
    "the tenant does not accept C4C's client certificate: it is not the leaf in a service "   \
    "key of the Process Integration Runtime (Cloud Foundry) or in the iFlow's sender "        \
    "channel (Neo)"
#define WHY_SERVICE_KEY_ERP                                                                  \
    "the tenant does not accept ERP's SSL client certificate: it is not the leaf in a "       \
    "service key of the Process Integration Runtime (Cloud Foundry) or in the iFlow's "       \
    "sender channel (Neo)"
#define WHY_R2                                                                               \
    "ERP's SSL client PSE lacks the root of the Cloud Integration worker node chain (the "    \
    "load balancer's chain, not the tenant's client chain)"
#define WHY_R3                                                                               \
    "ERP's SSL Client Standard certificate is self-signed: the tenant's load balancer "       \
    "refuses it in the handshake"
#define WHY_R8                                                                               \
    "C4C's trust list lacks the CA of the tenant's server certificate (kept by SAP: check, "  \
    "then open an incident)"
#define WHY_R11_WD "the Web Dispatcher's SSL client PSE lacks the root of ERP's SSL server certificate"
#define WHY_R12_WD                                                                           \
    "ERP's SSL Server Standard certificate is self-signed: no trust list holds its issuer"
#define WHY_R9_CPI_ABAP                                                                      \
    "ERP's SSL Server Standard PSE lacks the root and intermediate of the tenant's CLIENT "   \
    "chain (LOD-HCI ticket, not the worker node chain)"
#define WHY_R9_CPI_WD                                                                        \
    "the Web Dispatcher's SSL server PSE lacks the root and intermediate of the tenant's "    \
    "CLIENT chain"
#define WHY_R9_WD_ABAP                                                                       \
    "ERP's SSL Server Standard PSE lacks the root of the Web Dispatcher's client "            \
    "certificate, so ERP aborts the handshake"
#define WHY_R10                                                                              \
    "no activated VUSREXTID entry (external ID type DN) maps the caller's certificate "      \
    "subject, exactly as in the certificate, to the service user"
#define WHY_R13                                                                              \
    "ERP does not trust the Web Dispatcher as intermediary, so it ignores the client "        \
    "certificate the proxy forwards (icm/HTTPS/trust_client_with_issuer, _subject)"

#define ICM_TRACE                                                                            \
    "SMICM > Goto > Trace Level > Set (3), repeat the call, Goto > Trace File > Display: "    \
    "dev_icm shows the SSSLERR_* code, the line 'session uses PSE file .../SAPSSLC.pse' "     \
    "(client) or SAPSSLS.pse (server) and the peer's certificate chain."

static const psc_dg_row rows[] = {
    {"icm-peer-cert-untrusted",
     {"ICM_HTTP_SSL_PEER_CERT_UNTRUSTED"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling ABAP system or Web Dispatcher, as TLS client (SM59 connection "
     "test, SOAMANAGER ping, C4C communication arrangement check)",
     "the server's certificate chain does not lead to a certificate in the client's SSL "
     "client PSE: the client does not trust the server",
     {{"R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2},
      {"R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD},
      {"R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD},
      {"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8}},
     {"chain-incomplete"},
     ICM_TRACE " Compare the chain with `pseconv fetch HOST:443 -o server-chain.pem` and the "
               "PSE with `pseconv inspect SAPSSLC.pse`.",
     "the dev_icm lines at trace level 3 around the error (they name the PSE and the chain "
     "the server sent), and the server chain from `pseconv fetch HOST:443`"},

    {"ssslerr-peer-cert-untrusted",
     {"SSSLERR_PEER_CERT_UNTRUSTED"}, {NULL}, NULL, 0, EITHER, T_ICM, 0,
     "SAP CommonCryptoLib in the ICM (dev_icm), on either side: 'session uses PSE file' "
     "names the PSE, SAPSSLC.pse/SAPSSLA.pse on the client, SAPSSLS.pse on the server",
     "the peer's certificate does not chain to a certificate in the PSE the session uses",
     {{"R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2},
      {"R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD},
      {"R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD},
      {"R9", CPI, ABAP, AT_SERVER, SV, WHY_R9_CPI_ABAP},
      {"R9", CPI, WD, AT_SERVER, SV, WHY_R9_CPI_WD},
      {"R9", WD, ABAP, AT_SERVER, SV, WHY_R9_WD_ABAP},
      {"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8}},
     {"chain-incomplete", "chain-mismatch"},
     ICM_TRACE " The PSE named there is the one that lacks the issuer: STRUST > that PSE > "
               "Certificate List.",
     "the dev_icm line 'session uses PSE file ...' (it says which side and PSE), and the "
     "peer's chain from the same trace"},

    {"icm-http-ssl-error",
     {"ICM_HTTP_SSL_ERROR"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system as TLS client (SM59, SOAMANAGER, C4C check)",
     "the TLS handshake of the outbound call failed; dev_icm has the SSSLERR_* reason: "
     "usually the client does not trust the server, or the server refused the client "
     "certificate",
     {{"R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2},
      {"R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3},
      {"R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD},
      {"R9", WD, ABAP, AT_SERVER, CL, WHY_R9_WD_ABAP},
      {"R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD},
      {"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8}},
     {"missing-eku", "expired"},
     ICM_TRACE " The SSSLERR_* code there picks the catalogue row (pseconv diagnose the "
               "trace lines).",
     "dev_icm at trace level 3 around the error: its SSSLERR_* line is the real reason"},

    {"icm-ssl-http-error",
     {"ICM_SSL_HTTP_ERROR"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system: C4C's communication arrangement check (seed thread: "
     "C4C -> HCI), or an ABAP system's SM59/SOAMANAGER call",
     "the HTTPS call failed in the TLS layer before any HTTP answer: the caller and the "
     "server do not trust each other (failing with basic authentication too points at the "
     "server trust, not the client certificate)",
     {{"R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C},
      {"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8},
      {"R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2},
      {"R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3},
      {"R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD},
      {"R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD}},
     {"missing-eku", "expired"},
     "C4C: nothing in the web service message monitor means the call never reached HTTP; "
     "SAP runs C4C's ICM, so open an incident (LOD-CRM-INT-NET) with the time of the check. "
     "ABAP caller: " ICM_TRACE,
     "the time of the check and the tenant host; for an ABAP caller dev_icm at trace level 3"},

    {"ssl-no-response",
     {"SSSLERR_NO_SSL_RESPONSE"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system as TLS client",
     "the server did not answer the TLS ClientHello with TLS: SSL is active in SM59 for a "
     "plain HTTP port, an HTTP proxy sits in between, or the server's HTTPS port is not "
     "active. No certificate is at fault",
     {{NULL}}, {NULL},
     "dev_icm at trace level 2: the line with SSSLERR_NO_SSL_RESPONSE names host and port; "
     "`pseconv fetch HOST:PORT` fails the same way when the port does not speak TLS",
     "SM59: target host, port (the HTTPS port) and 'SSL Active'; the proxy settings of the "
     "destination; SMICM > Goto > Services on the server (is an HTTPS port active?)"},

    {"server-cert-mismatch",
     {"SSSLERR_SERVER_CERT_MISMATCH"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system as TLS client",
     "the host name the client called is in neither the subject CN nor the subjectAltName "
     "of the server's certificate: a wrong host in SM59, or, without SNI, the server (e.g. "
     "the Cloud Integration load balancer) presented its default certificate",
     {{"R12", WD, ABAP, AT_SERVER, CL,
       "ERP presents a self-signed SSL Server Standard certificate; a CA-signed one for the "
       "host name the proxy calls fixes both"}},
     {NULL},
     "`pseconv fetch HOST:443` prints the names the server's certificate holds; compare with "
     "the SM59 target host",
     "the SM59 target host; on the calling ABAP system the profile parameters "
     "icm/HTTPS/client_sni_enabled and ssl/client_sni_enabled (TRUE: send SNI)"},

    {"icm-connection-broken",
     {"ICM_HTTP_CONNECTION_BROKEN"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system (seed thread: C4C's communication arrangement check "
     "calling HCI)",
     "the peer, or a load balancer, proxy or firewall in between, closed the connection; "
     "right at the TLS handshake this is the server refusing the client certificate or the "
     "client aborting because it does not trust the server",
     {{"R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C},
      {"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8},
      {"R1", ABAP, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_ERP},
      {"R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3},
      {"R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2},
      {"R9", WD, ABAP, AT_SERVER, CL, WHY_R9_WD_ABAP},
      {"R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD}},
     {"missing-eku", "expired"},
     "Caller C4C: open an incident (LOD-CRM-INT-NET) with the time of the check; the CPI "
     "message monitor shows no entry when the handshake failed. ABAP caller: " ICM_TRACE,
     "the time of the check; dev_icm lines next to ICM_HTTP_CONNECTION_BROKEN on an ABAP "
     "caller; whether a firewall or proxy sits between the systems"},

    {"icm-connection-failed",
     {"ICM_HTTP_CONNECTION_FAILED"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling system",
     "the TCP connection could not be opened: wrong host or port, name resolution, a "
     "firewall, or a proxy the destination must use. No certificate is involved yet",
     {{NULL}}, {NULL},
     "dev_icm at trace level 2: 'connect to HOST:PORT failed' with the NI error "
     "(NIECONN_REFUSED, NIETIMEOUT, NIEHOST_UNKNOWN)",
     "SM59 host, port and proxy; from the application server's OS, `pseconv fetch "
     "HOST:PORT` (reaching the port proves the network path)"},

    {"java-pkix",
     {"PKIX path building failed", "unable to find valid certification path to requested target",
      "SunCertPathBuilderException", "PKIX path validation failed"},
     {NULL}, NULL, 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client (Java: message processing log of the receiver "
     "channel)",
     "the tenant does not trust the server's certificate: the tenant keystore (system.jks) "
     "lacks the root of the chain the server presents",
     {{"R11", CPI, ABAP, AT_CLIENT, CL,
       "the tenant keystore lacks the root of ERP's SSL server certificate"},
      {"R11", CPI, WD, AT_CLIENT, CL,
       "the tenant keystore lacks the root of the Web Dispatcher's server certificate"},
      {"R12", CPI, ABAP, AT_SERVER, CL,
       "ERP's SSL Server Standard certificate is self-signed: replace it, then its root goes "
       "into the keystore"},
      {"R12", CPI, WD, AT_SERVER, CL,
       "the Web Dispatcher's server certificate is self-signed: replace it, then its root "
       "goes into the keystore"}},
     {"chain-incomplete"},
     "CPI Monitor > Connectivity Tests > TLS with the receiver's host and port shows the "
     "chain and whether the keystore validates it; compare `pseconv fetch HOST:443` with "
     "`pseconv inspect system.jks`",
     "the receiver's host and port, the Connectivity Test (TLS) result, and the keystore "
     "(Monitor > Keystore > Download)"},

    {"java-alert-rejected",
     {"Received fatal alert: certificate_unknown", "Received fatal alert: bad_certificate",
      "Received fatal alert: unknown_ca", "Received fatal alert: unsupported_certificate",
      "Received fatal alert: access_denied"},
     {NULL}, NULL, 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client; the alert was sent by the server (ERP or the Web "
     "Dispatcher), which rejected the tenant's client certificate",
     "the server does not trust the tenant's client certificate: its SSL server PSE lacks "
     "the root and intermediate of the tenant's CLIENT chain",
     {{"R9", CPI, WD, AT_SERVER, CL, WHY_R9_CPI_WD},
      {"R9", CPI, ABAP, AT_SERVER, CL, WHY_R9_CPI_ABAP}},
     {"expired", "chain-mismatch"},
     "On the server: " ICM_TRACE " CPI Monitor > Connectivity Tests > TLS with 'Authenticate "
     "with client certificate' reproduces it",
     "the server's dev_icm at trace level 3 during the call (the line 'session uses PSE "
     "file .../SAPSSLS.pse' and the client certificate it received)"},

    {"java-alert-handshake-failure",
     {"Received fatal alert: handshake_failure", "Received fatal alert: protocol_version",
      "Received fatal alert: insufficient_security"},
     {NULL}, NULL, 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client; the server aborted the handshake",
     "the server aborted the handshake: it requires a client certificate the tenant did not "
     "send (none issued by a CA the server's PSE lists, or a wrong key alias in the receiver "
     "channel), or there is no common protocol or cipher",
     {{"R9", CPI, WD, AT_SERVER, CL, WHY_R9_CPI_WD},
      {"R9", CPI, ABAP, AT_SERVER, CL, WHY_R9_CPI_ABAP}},
     {"weak-key", "weak-signature"},
     "CPI Monitor > Connectivity Tests > TLS (with and without the client certificate); on "
     "the server " ICM_TRACE,
     "the receiver channel's private key alias, the server's dev_icm at trace level 3, and "
     "the server's TLS settings (ssl/ciphersuites)"},

    {"cert-expired",
     {"certificate_expired", "SSSLERR_CERT_EXPIRED", "CertificateExpiredException",
      "certificate has expired", "certificate expired", "CertificateNotYetValidException",
      "SSSLERR_CERT_NOT_YET_VALID"},
     {NULL}, NULL, 0, EITHER, T_ICM | T_CPI, 0,
     "either side: the ICM (dev_icm), Java (CPI message processing log) or the TLS alert "
     "certificate_expired sent by the peer",
     "a certificate on the hop, the peer's leaf or one of its issuers, is outside its "
     "validity",
     {{NULL}},
     {"expired", "not-yet-valid"},
     "`pseconv verify` on both systems' files and `pseconv fetch HOST:443` (the chain the "
     "server presents now); STRUST > the PSE > certificate: Valid to",
     "the certificates both sides present now: `pseconv fetch HOST:443`, STRUST own "
     "certificates, the tenant's client certificate (provisioning mail or LOD-HCI)"},

    {"cpi-401",
     HTTP_401, CPI_HINTS, "http-401", 0, SV, T_CPI, T_ABAP | T_C4C,
     "SAP Cloud Integration, the server, answers the caller (C4C's communication "
     "arrangement check, SOAMANAGER or SM59 on ERP)",
     "the TLS handshake worked but the tenant did not log the caller on. Cloud Foundry: no "
     "service key of the Process Integration Runtime holds this client certificate, or the "
     "key holds a chain instead of the leaf; Neo: the iFlow's sender channel lacks the "
     "certificate. With basic authentication: user or password",
     {{"R7", C4C, CPI, AT_SERVER, SV, WHY_SERVICE_KEY_C4C},
      {"R1", ABAP, CPI, AT_SERVER, SV, WHY_SERVICE_KEY_ERP}},
     {NULL},
     "BTP cockpit > Instances and Subscriptions > the Process Integration Runtime instance "
     "(plan integration-flow) > Service Keys: a key of type External Certificate whose "
     "certificate has the caller's SHA-256 (`pseconv inspect` the file); Neo: the iFlow's "
     "sender channel lists it",
     "the certificate the caller sends (C4C: Communication Arrangements > Download "
     "certificate; ERP: STRUST SSL Client Standard) and the service keys' certificates"},

    {"erp-401",
     HTTP_401, ERP_HINTS, "http-401", 0, SV, T_ABAP, T_CPI | T_WD,
     "ERP's ICF, the server, answers the caller (seen in the CPI message processing log as "
     "HttpResponseException ... statusCode: 401, or by the Web Dispatcher)",
     "ERP did not log the certificate on: no activated VUSREXTID mapping for the subject "
     "(or a DN notation mismatch), the ICF service does not allow X.509 logon, or, behind a "
     "Web Dispatcher, ERP ignored the forwarded certificate",
     {{"R10", CPI, ABAP, AT_SERVER, SV, WHY_R10},
      {"R13", WD, ABAP, AT_SERVER, SV, WHY_R13},
      {"R10", WD, ABAP, AT_SERVER, SV, WHY_R10}},
     {NULL},
     "SM20 (security audit log) or SM21 for the failed logon; SMICM trace level 2 shows the "
     "client certificate's subject ERP received; compare it with VUSREXTID (pseconv export "
     "writes the DN exactly as typed, .txt next to the .cer)",
     "SICF > the service > Logon Data (Alternative Logon Procedure with 'SSL Certificate', or "
     "'Required with Certificate (SSL)'), the VUSREXTID entry and its 'Activated' flag"},

    {"erp-403",
     HTTP_403, ERP_HINTS, "http-403", 0, SV, T_ABAP, T_CPI | T_WD,
     "ERP's ICF, the server (seed thread: 403 - Forbidden from CRM behind HCI)",
     "ERP logged the call on but refuses it: the certificate is mapped to another user than "
     "the one with the roles (or the mapping is not activated and a fallback user is used), "
     "the ICF service does not allow X.509 logon, or the service user lacks the roles "
     "SAP_SD_COD_INTEGRATION / SAP_SD_COD_INTEGRATION_EXT. SAP_ALL not helping (seed "
     "thread) points at the mapping",
     {{"R10", CPI, ABAP, AT_SERVER, SV, WHY_R10},
      {"R10", WD, ABAP, AT_SERVER, SV, WHY_R10},
      {"R13", WD, ABAP, AT_SERVER, SV, WHY_R13}},
     {NULL},
     "ST01 authorisation trace (or STAUTHTRACE) for the service user while the call runs, "
     "SU53 for that user; SMICM trace level 2 for the logged-on user",
     "the ST01 trace of the call, the VUSREXTID entry (DN exactly as in the certificate, "
     "Activated), SICF logon data of the service"},

    {"cpi-403",
     HTTP_403, CPI_HINTS, "http-403", 0, SV, T_CPI, T_ABAP | T_C4C,
     "SAP Cloud Integration, the server, answers the caller",
     "the tenant authenticated the caller but refuses the call: the service instance the "
     "key belongs to lacks the role ESBMessaging.send, or the iFlow's sender channel asks "
     "for a user role the instance does not grant",
     {{"R7", C4C, CPI, AT_SERVER, SV,
       "the service key with C4C's certificate belongs to an instance without the role "
       "ESBMessaging.send (or the iFlow's own user role)"},
      {"R1", ABAP, CPI, AT_SERVER, SV,
       "the service key with ERP's certificate belongs to an instance without the role "
       "ESBMessaging.send (or the iFlow's own user role)"}},
     {NULL},
     "BTP cockpit > the Process Integration Runtime instance > parameters: "
     "{\"roles\":[\"ESBMessaging.send\"]}; the iFlow's sender adapter > User Role",
     "the instance's roles and the iFlow sender channel's authorization settings"},

    {"c4c-service-ping",
     {"Service Ping ERROR", "Service-Ping-Fehler", "Error accessing service",
      "Fehler beim Zugreifen auf den Service"},
     {NULL}, NULL, 1, CL, T_C4C, T_CPI,
     "C4C's communication arrangement check (Check Service Connection)",
     "C4C called the partner and the check failed; the text after the colon is the ICM's or "
     "the partner's answer (the other catalogue entries matched in the text say why)",
     {{"R8", C4C, CPI, AT_CLIENT, CL, WHY_R8},
      {"R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C}},
     {NULL},
     "the CPI message monitor for the iFlow: an entry means TLS worked and the answer came "
     "from the iFlow",
     "the full text of the check and its time; for ICM errors an incident on "
     "LOD-CRM-INT-NET (SAP runs C4C's ICM)"},
};

size_t psc_dg_row_count(void) { return sizeof rows / sizeof rows[0]; }
const psc_dg_row *psc_dg_row_at(size_t i) { return i < psc_dg_row_count() ? &rows[i] : NULL; }

const psc_dg_row *psc_dg_row_by_id(const char *id)
{
    for (size_t i = 0; i < psc_dg_row_count(); i++)
        if (strcasecmp(rows[i].id, id) == 0)
            return &rows[i];
    return NULL;
}

static const psc_dg_side_hint side_hints[] = {
    {"SAPSSLS", SV, "the SSL server PSE (SAPSSLS.pse)"},
    {"SAPSSLC", CL, "the SSL client PSE (SAPSSLC.pse)"},
    {"SAPSSLA", CL, "the anonymous SSL client PSE (SAPSSLA.pse)"},
};

size_t psc_dg_side_hint_count(void) { return sizeof side_hints / sizeof side_hints[0]; }
const psc_dg_side_hint *psc_dg_side_hint_at(size_t i)
{
    return i < psc_dg_side_hint_count() ? &side_hints[i] : NULL;
}

const char *psc_dg_side_name(psc_dg_side s)
{
    return s == PSC_DG_CLIENT ? "client" : s == PSC_DG_SERVER ? "server" : "either";
}
