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
#define SCC PSC_SYS_CLOUDCONNECTOR
#define T_ABAP PSC_DG_TYPE(PSC_SYS_ABAP)
#define T_CPI PSC_DG_TYPE(PSC_SYS_CPI)
#define T_C4C PSC_DG_TYPE(PSC_SYS_C4C)
#define T_WD PSC_DG_TYPE(PSC_SYS_WEBDISPATCHER)
#define T_SCC PSC_DG_TYPE(PSC_SYS_CLOUDCONNECTOR)
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
/* Context that says SAP Cloud Connector wrote the text: its trace file
 * ljs_trace.log and its Java packages (com.sap.scc..., com.sap.core.connectivity...,
 * as quoted in SAP KBAs 3068483 and 3702022). */
#define SCC_HINTS                                                                            \
    {"Cloud Connector", "SCC", "ljs_trace", "com.sap.scc", "com.sap.core.connectivity",       \
     "Backend channel", "backend connection"}
/* A 401 that went through SCC: SCC words, or CPI's receiver naming an ABAP path. */
#define SCC_401_HINTS                                                                        \
    {"Cloud Connector", "SCC", "On-Premise", "OnPremise", "Location ID", "virtual host",     \
     "HttpResponseException", "/sap/bc/", "/sap/opu/", "CERTRULE"}

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

#define WHY_R14_SUBACCOUNT                                                                   \
    "SCC is not connected to the tenant's subaccount (SCC administration UI > Connector: "     \
    "region, subaccount ID, Location ID; state Connected), or its connection dropped"
#define WHY_R14_LOCATION                                                                     \
    "the receiver channel's Location ID differs from the one SCC was connected with (empty "   \
    "in the channel: SCC connected without a Location ID)"
#define WHY_R15                                                                              \
    "ERP's SSL Server Standard PSE lacks the issuer of SCC's system certificate, so ERP does " \
    "not accept SCC as TLS client (SCC then sends no certificate, or the handshake fails)"
#define WHY_R16                                                                              \
    "no activated VUSREXTID entry maps the subject of SCC's system certificate (SCC logs on "  \
    "with it: 'System Certificate for Logon' in its access control mapping) to the "          \
    "technical user"
#define WHY_R17_ERP                                                                          \
    "ERP's SSL Server Standard PSE lacks SCC's CA certificate for principal propagation, so "  \
    "ERP rejects the user certificate SCC issues"
#define WHY_R17_SCC                                                                          \
    "SCC issues no user certificate: Configuration > On Premise > CA Certificate or "         \
    "Principal Propagation is not set up, or the mapping's Principal Type is not 'X.509 "     \
    "Certificate'"
#define WHY_R18                                                                              \
    "ERP does not trust SCC as intermediary (icm/HTTPS/trust_client_with_subject, _issuer or " \
    "icm/trusted_reverse_proxy_<xx>), so it ignores the user certificate SCC forwards"
#define WHY_R19                                                                              \
    "no CERTRULE rule maps the subject of SCC's short-lived certificate to an ERP user "       \
    "(login/certificate_mapping_rulebased = 1)"
#define WHY_R20                                                                              \
    "SCC's Trust Store lists certificates (an allowlist) and the root of ERP's server chain "  \
    "is not among them"

#define ICM_TRACE                                                                            \
    "SMICM > Goto > Trace Level > Set (3), repeat the call, Goto > Trace File > Display: "    \
    "dev_icm shows the SSSLERR_* code, the line 'session uses PSE file .../SAPSSLC.pse' "     \
    "(client) or SAPSSLS.pse (server) and the peer's certificate chain."

/* A candidate step, as a line of rules.md reads: rule, hop client -> server,
 * where the step is done, the reporter's side it explains, why.  CAND_T also
 * names the step's target, only where the rule has several steps on that side
 * (R14 on cpi -> cloudconnector); CAND leaves it NULL (any step of the rule). */
#define CAND(r, c, s, at, w, y)                                                            \
    {.rule = r, .client = c, .server = s, .at_server = at, .when = w, .why = y}
#define CAND_T(r, c, s, at, w, y, t)                                                       \
    {.rule = r, .client = c, .server = s, .at_server = at, .when = w, .why = y, .target = t}

static const psc_dg_row rows[] = {
    {"icm-peer-cert-untrusted",
     {"ICM_HTTP_SSL_PEER_CERT_UNTRUSTED"}, {NULL}, NULL, 0, CL, T_ICM, 0,
     "the ICM of the calling ABAP system or Web Dispatcher, as TLS client (SM59 connection "
     "test, SOAMANAGER ping, C4C communication arrangement check)",
     "the server's certificate chain does not lead to a certificate in the client's SSL "
     "client PSE: the client does not trust the server",
     {CAND("R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2),
      CAND("R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD),
      CAND("R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD),
      CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8)},
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
     {CAND("R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2),
      CAND("R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD),
      CAND("R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD),
      CAND("R9", CPI, ABAP, AT_SERVER, SV, WHY_R9_CPI_ABAP),
      CAND("R9", CPI, WD, AT_SERVER, SV, WHY_R9_CPI_WD),
      CAND("R9", WD, ABAP, AT_SERVER, SV, WHY_R9_WD_ABAP),
      CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8)},
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
     {CAND("R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2),
      CAND("R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3),
      CAND("R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD),
      CAND("R9", WD, ABAP, AT_SERVER, CL, WHY_R9_WD_ABAP),
      CAND("R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD),
      CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8)},
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
     {CAND("R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C),
      CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8),
      CAND("R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2),
      CAND("R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3),
      CAND("R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD),
      CAND("R12", WD, ABAP, AT_SERVER, CL, WHY_R12_WD)},
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
     {{.rule = NULL}}, {NULL}, /* no candidate rule: no certificate is at fault */
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
     {CAND("R12", WD, ABAP, AT_SERVER, CL,
       "ERP presents a self-signed SSL Server Standard certificate; a CA-signed one for the "
       "host name the proxy calls fixes both")},
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
     {CAND("R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C),
      CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8),
      CAND("R1", ABAP, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_ERP),
      CAND("R3", ABAP, CPI, AT_CLIENT, CL, WHY_R3),
      CAND("R2", ABAP, CPI, AT_CLIENT, CL, WHY_R2),
      CAND("R9", WD, ABAP, AT_SERVER, CL, WHY_R9_WD_ABAP),
      CAND("R11", WD, ABAP, AT_CLIENT, CL, WHY_R11_WD)},
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
     {{.rule = NULL}}, {NULL}, /* no candidate rule: no certificate is involved */
     "dev_icm at trace level 2: 'connect to HOST:PORT failed' with the NI error "
     "(NIECONN_REFUSED, NIETIMEOUT, NIEHOST_UNKNOWN)",
     "SM59 host, port and proxy; from the application server's OS, `pseconv fetch "
     "HOST:PORT` (reaching the port proves the network path)"},

    {"java-pkix",
     {"PKIX path building failed", "unable to find valid certification path to requested target",
      "SunCertPathBuilderException", "PKIX path validation failed"},
     {NULL}, "java-pkix", 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client (Java: message processing log of the receiver "
     "channel)",
     "the tenant does not trust the server's certificate: the tenant keystore (system.jks) "
     "lacks the root of the chain the server presents",
     {CAND("R11", CPI, ABAP, AT_CLIENT, CL,
       "the tenant keystore lacks the root of ERP's SSL server certificate"),
      CAND("R11", CPI, WD, AT_CLIENT, CL,
       "the tenant keystore lacks the root of the Web Dispatcher's server certificate"),
      CAND("R12", CPI, ABAP, AT_SERVER, CL,
       "ERP's SSL Server Standard certificate is self-signed: replace it, then its root goes "
       "into the keystore"),
      CAND("R12", CPI, WD, AT_SERVER, CL,
       "the Web Dispatcher's server certificate is self-signed: replace it, then its root "
       "goes into the keystore")},
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
     {NULL}, "java-alert", 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client; the alert was sent by the server (ERP or the Web "
     "Dispatcher), which rejected the tenant's client certificate",
     "the server does not trust the tenant's client certificate: its SSL server PSE lacks "
     "the root and intermediate of the tenant's CLIENT chain",
     {CAND("R9", CPI, WD, AT_SERVER, CL, WHY_R9_CPI_WD),
      CAND("R9", CPI, ABAP, AT_SERVER, CL, WHY_R9_CPI_ABAP)},
     {"expired", "chain-mismatch"},
     "On the server: " ICM_TRACE " CPI Monitor > Connectivity Tests > TLS with 'Authenticate "
     "with client certificate' reproduces it",
     "the server's dev_icm at trace level 3 during the call (the line 'session uses PSE "
     "file .../SAPSSLS.pse' and the client certificate it received)"},

    {"java-alert-handshake-failure",
     {"Received fatal alert: handshake_failure", "Received fatal alert: protocol_version",
      "Received fatal alert: insufficient_security"},
     {NULL}, "java-alert", 0, CL, T_CPI, T_ABAP | T_WD,
     "SAP Cloud Integration as TLS client; the server aborted the handshake",
     "the server aborted the handshake: it requires a client certificate the tenant did not "
     "send (none issued by a CA the server's PSE lists, or a wrong key alias in the receiver "
     "channel), or there is no common protocol or cipher",
     {CAND("R9", CPI, WD, AT_SERVER, CL, WHY_R9_CPI_WD),
      CAND("R9", CPI, ABAP, AT_SERVER, CL, WHY_R9_CPI_ABAP)},
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
     {{.rule = NULL}}, /* no candidate rule */
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
     {CAND("R7", C4C, CPI, AT_SERVER, SV, WHY_SERVICE_KEY_C4C),
      CAND("R1", ABAP, CPI, AT_SERVER, SV, WHY_SERVICE_KEY_ERP)},
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
     {CAND("R10", CPI, ABAP, AT_SERVER, SV, WHY_R10),
      CAND("R13", WD, ABAP, AT_SERVER, SV, WHY_R13),
      CAND("R10", WD, ABAP, AT_SERVER, SV, WHY_R10)},
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
     {CAND("R10", CPI, ABAP, AT_SERVER, SV, WHY_R10),
      CAND("R10", WD, ABAP, AT_SERVER, SV, WHY_R10),
      CAND("R13", WD, ABAP, AT_SERVER, SV, WHY_R13)},
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
     {CAND("R7", C4C, CPI, AT_SERVER, SV,
       "the service key with C4C's certificate belongs to an instance without the role "
       "ESBMessaging.send (or the iFlow's own user role)"),
      CAND("R1", ABAP, CPI, AT_SERVER, SV,
       "the service key with ERP's certificate belongs to an instance without the role "
       "ESBMessaging.send (or the iFlow's own user role)")},
     {NULL},
     "BTP cockpit > the Process Integration Runtime instance > parameters: "
     "{\"roles\":[\"ESBMessaging.send\"]}; the iFlow's sender adapter > User Role",
     "the instance's roles and the iFlow sender channel's authorization settings"},

    /* ---- SAP Cloud Connector: HCI -> SCC -> ERP (rules R14..R20) ---- */
    /* The Connectivity service's HTTP 503 answer, quoted in public troubleshooting
     * notes as: "There is no SAP Cloud Connector (SCC) connected to your subaccount
     * matching the requested tunnel for subaccount '<id>' and SCC location ID
     * '<location>'". */
    {"scc-not-connected",
     {"There is no SAP Cloud Connector (SCC) connected to your subaccount",
      "no SAP Cloud Connector (SCC) connected", "matching the requested tunnel for subaccount"},
     {NULL}, NULL, 0, CL, T_CPI, T_SCC,
     "SAP Cloud Integration's receiver channel with Proxy Type On-Premise (message processing "
     "log: HTTP 503 from the Connectivity service)",
     "the Connectivity service found no Cloud Connector connected to the tenant's subaccount "
     "with the Location ID the channel names: SCC administration UI > Connector does not show "
     "the subaccount as Connected, or SCC was connected with another Location ID",
     {CAND_T("R14", CPI, SCC, AT_SERVER, CL, WHY_R14_SUBACCOUNT, "scc-subaccount"),
      CAND_T("R14", CPI, SCC, AT_CLIENT, CL, WHY_R14_LOCATION, "onpremise-proxy")},
     {NULL},
     "SCC administration UI > Connector: the subaccount's state (Connected) and Location ID; "
     "BTP cockpit > the subaccount > Connectivity > Cloud Connectors lists the connected Cloud "
     "Connectors with their Location IDs; compare with the receiver channel's Location ID",
     "the subaccount ID and Location ID in the message, SCC's Connector page (state, Location "
     "ID) and the receiver channel's Proxy Type and Location ID"},

    /* SCC refuses a virtual host it does not expose.  Confirmed only the start of
     * the text ("Access denied to system <virtual host>:<port>", quoted in a public
     * troubleshooting note as SCC's answer for a system not exposed); the rest of
     * SAP's wording is not confirmed, so the pattern stops there. */
    {"scc-access-denied",
     {"Access denied to system"}, {NULL}, NULL, 0, CL, T_CPI, T_SCC,
     "SAP Cloud Integration's receiver channel (message processing log); SAP Cloud Connector "
     "refused the request",
     "SCC does not expose what the channel calls: SCC administration UI > Cloud To On-Premise "
     "> Access Control has no mapping for the virtual host and port in the channel's address, "
     "or none of the mapping's Resources covers the URL path",
     {CAND_T("R14", CPI, SCC, AT_SERVER, CL,
       "no access control mapping for the virtual host and port the channel calls, or the "
       "called URL path is not among the mapping's Resources",
       "scc-access-control"),
      CAND_T("R14", CPI, SCC, AT_CLIENT, CL,
       "the channel's address names another host or port than the virtual host and port "
       "mapped in SCC",
       "onpremise-proxy")},
     {NULL},
     "SCC administration UI > Cloud To On-Premise > Access Control (the subaccount of the "
     "tenant): the virtual host and port from the message must be listed, with a resource "
     "covering the called path; SCC's audit log records the denied request",
     "the host, port and path in the message, SCC's access control mappings and resources for "
     "the subaccount, and the receiver channel's address"},

    /* SCC, the TLS client of ERP, refused by ERP.  "Principal propagation forbidden
     * for user ... because the backend connection is not mutually authenticated"
     * is SCC's answer from 2.19 on (SAP KBA 3752819); the Java alert texts are
     * JSSE's, as the CPI rows above, here in SCC's ljs_trace.log (not confirmed
     * in an SAP text: the SCC hints pick this row over the CPI ones). */
    {"scc-backend-handshake",
     {"because the backend connection is not mutually authenticated",
      "Received fatal alert: handshake_failure", "Received fatal alert: bad_certificate",
      "Received fatal alert: certificate_unknown", "Received fatal alert: unknown_ca",
      "Received fatal alert: access_denied"},
     SCC_HINTS, "java-alert", 0, CL, T_SCC, T_ABAP,
     "SAP Cloud Connector as TLS client of the back end (ljs_trace.log; with principal "
     "propagation from SCC 2.19 on also its answer 'Principal propagation forbidden ...', "
     "HTTP 502)",
     "ERP did not accept SCC's system certificate in the handshake: ERP's SSL Server Standard "
     "PSE (STRUST) lacks its issuer, so the session is not mutually authenticated and SCC "
     "forwards no user certificate",
     {CAND("R15", SCC, ABAP, AT_SERVER, CL, WHY_R15)},
     {"expired"},
     "On ERP: " ICM_TRACE " In SCC: Configuration > On Premise > System Certificate shows "
     "the issuer ERP must list (`pseconv plan` names it, step R15)",
     "SCC's ljs_trace.log around the call, ERP's dev_icm at trace level 3, and SCC's system "
     "certificate with its chain"},

    /* ERP's ICM trace when the proxy forwarding a certificate is not trusted
     * (SAP KBA 3702022: "intermediary is NOT trusted", "client did not sent any
     * cert ->intermediate not trustworthy", "Client did not send any certificate"). */
    {"icm-intermediary-not-trusted",
     {"intermediary is NOT trusted", "Intermediary not trusted", "intermediate not trustworthy",
      "Client did not send any certificate"},
     {NULL}, NULL, 0, SV, T_ABAP, T_SCC | T_WD,
     "ERP's ICM as TLS server (dev_icm, trace level 2 or 3): its check of the proxy that "
     "forwards a user or client certificate (SCC with principal propagation, a Web Dispatcher)",
     "ERP ignores the certificate the proxy forwards: the proxy sent no client certificate "
     "(ERP's SSL Server Standard PSE lacks its issuer) or its subject and issuer are not the "
     "ones in icm/HTTPS/trust_client_with_subject, _issuer (icm/trusted_reverse_proxy_<xx>)",
     {CAND("R18", SCC, ABAP, AT_SERVER, SV, WHY_R18),
      CAND("R15", SCC, ABAP, AT_SERVER, SV, WHY_R15),
      CAND("R13", WD, ABAP, AT_SERVER, SV, WHY_R13),
      CAND("R9", WD, ABAP, AT_SERVER, SV, WHY_R9_WD_ABAP)},
     {NULL},
     ICM_TRACE " The HttpIsReverseProxyTrustworthy lines show the subject and issuer ERP "
               "received; compare them with the profile parameters (RZ11).",
     "dev_icm at trace level 3 during the call, and the values of "
     "icm/HTTPS/trust_client_with_subject, _issuer or icm/trusted_reverse_proxy_<xx>"},

    /* JSSE's words (as the java-pkix row) in SCC's ljs_trace.log when its Trust
     * Store does not hold ERP's root; that SCC logs exactly this is not confirmed
     * in an SAP text. */
    {"scc-pkix",
     {"PKIX path building failed", "unable to find valid certification path to requested target",
      "SunCertPathBuilderException", "PKIX path validation failed"},
     SCC_HINTS, "java-pkix", 0, CL, T_SCC, T_ABAP,
     "SAP Cloud Connector as TLS client of the back end (ljs_trace.log)",
     "SCC does not trust ERP's server certificate: SCC administration UI > Configuration > "
     "On Premise > Trust Store lists certificates (an allowlist) and the root of ERP's chain "
     "is not among them",
     {CAND("R20", SCC, ABAP, AT_CLIENT, CL, WHY_R20)},
     {"chain-incomplete"},
     "SCC administration UI > Configuration > On Premise > Trust Store: compare its entries "
     "with the root of `pseconv fetch ERPHOST:HTTPSPORT` (run on SCC's host); ljs_trace.log "
     "names the back-end host. From SCC 2.15 on the Trust Store also has a trust-all switch "
     "(trustAllBackends in SCC's REST API): off with an empty list, SCC trusts no back end",
     "SCC's ljs_trace.log around the call, its Trust Store entries and ERP's server chain"},

    {"scc-erp-401",
     HTTP_401, SCC_401_HINTS, NULL, 0, EITHER, T_ABAP | T_CPI, T_SCC,
     "ERP's ICF behind SAP Cloud Connector answers (server of SCC -> ERP); the CPI message "
     "processing log reports it (HttpResponseException ... statusCode: 401)",
     "ERP did not log the call on: it comes from SCC, so ERP sees SCC's system certificate "
     "(VUSREXTID) or, with principal propagation, the user certificate SCC issues (trusted "
     "intermediary, CERTRULE); a client certificate in the receiver channel never reaches ERP",
     {CAND("R16", SCC, ABAP, AT_SERVER, EITHER, WHY_R16),
      CAND("R18", SCC, ABAP, AT_SERVER, EITHER, WHY_R18),
      CAND("R19", SCC, ABAP, AT_SERVER, EITHER, WHY_R19),
      CAND("R17", SCC, ABAP, AT_SERVER, EITHER, WHY_R17_ERP),
      CAND("R15", SCC, ABAP, AT_SERVER, EITHER, WHY_R15),
      CAND("R17", SCC, ABAP, AT_CLIENT, EITHER, WHY_R17_SCC)},
     {"client-cert-through-scc"},
     "SM20 (security audit log) or SM21 for the failed logon; SMICM trace level 2 shows the "
     "certificate ERP received (SCC's system certificate, or the user's short-lived one); "
     "VUSREXTID without principal propagation, CERTRULE with it; the receiver channel's "
     "Authentication (not 'Client Certificate')",
     "the receiver channel's Authentication, SCC's access control mapping (Principal Type, "
     "System Certificate for Logon), ERP's VUSREXTID or CERTRULE entries and dev_icm at trace "
     "level 2"},

    {"c4c-service-ping",
     {"Service Ping ERROR", "Service-Ping-Fehler", "Error accessing service",
      "Fehler beim Zugreifen auf den Service"},
     {NULL}, NULL, 1, CL, T_C4C, T_CPI,
     "C4C's communication arrangement check (Check Service Connection)",
     "C4C called the partner and the check failed; the text after the colon is the ICM's or "
     "the partner's answer (the other catalogue entries matched in the text say why)",
     {CAND("R8", C4C, CPI, AT_CLIENT, CL, WHY_R8),
      CAND("R7", C4C, CPI, AT_SERVER, CL, WHY_SERVICE_KEY_C4C)},
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
