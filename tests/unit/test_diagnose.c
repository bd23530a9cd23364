/* pseconv diagnose: every catalogue row with a realistic message, with and
 * without a landscape (the example landscape fixtures/landscape/landscape.ini
 * and small variants written here), asserting the matched messages, the
 * hops, the ranked causes (rule, system, export file) and what the current
 * state rules out.  The seed thread's messages are quoted verbatim. */
#include "unit.h"
#include "diagnose.h"
#include "rules.h"
#include "planner.h"
#include "diagnose_render.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <time.h>

/* The seed thread's messages, verbatim. */
#define SEED_403 "403 - Forbidden"
#define SEED_SSL "ICM_SSL_HTTP_ERROR"
#define SEED_BROKEN                                                                          \
    "Error accessing service; Service Ping ERROR: Error when calling SOAP Runtime "          \
    "functions: SRT: Processing error in Internet Communication Framework: (\"ICF Error "    \
    "when receiving the response: ICM_HTTP_CONNECTION_BROKEN\") ()"
#define SEED_401                                                                             \
    "Fehler beim Zugreifen auf den Service: Service-Ping-Fehler: Unauthorized (401)"

/* Landscapes: the example, and variants with one line changed. */
enum { NONE = 0, EXAMPLE, ROOT_IN_PSE, EXPIRED_CLIENT, SELF_SIGNED_SERVER, BASIC_C4C, CHAIN_IN_PSE,
       SCC_LS, SCC_PP, SCC_TRUSTED, SCC_BASIC };

static char landscape_files[11][512];
#define EX "landscape/landscape.ini"
#define SCC_INI "landscape/scc.ini"

/* A fixture landscape (landscape.ini or scc.ini) with absolute paths, `extra`
 * added after the ERP section's service_user line and `from` replaced by `to`. */
static const char *write_variant(int which, const char *src, const char *extra, const char *from,
                                 const char *to)
{
    psc_buf in, out;
    psc_buf_init(&in);
    psc_buf_init(&out);
    char dir[PATH_MAX];
    if (unit_read(unit_fixture(src), &in) != 0 || realpath(unit_fixture("landscape"), dir) == NULL)
        return NULL;
    psc_buf_cstr(&in);
    char *save = NULL;
    for (char *line = strtok_r((char *)in.data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        const char *v = eq && line[0] != ';' ? eq + 1 : NULL;
        while (v && *v == ' ')
            v++;
        if (from && strstr(line, from)) {
            char *p = strstr(line, from);
            psc_buf_printf(&out, "%.*s%s%s\n", (int)(p - line), line, to, p + strlen(from));
        } else if (v && (strncmp(v, "../", 3) == 0 || strncmp(v, "scc/", 4) == 0)) {
            psc_buf_printf(&out, "%.*s%s/%s\n", (int)(v - line), line, dir, v);
        } else {
            psc_buf_printf(&out, "%s\n", line);
        }
        if (extra && strncmp(line, "service_user", 12) == 0)
            psc_buf_printf(&out, "%s\n", extra);
    }
    snprintf(landscape_files[which], sizeof landscape_files[which], "%s/variant-%d.ini",
             unit_tmpdir(), which);
    FILE *f = fopen(landscape_files[which], "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(out.data, 1, out.len, f);
    fclose(f);
    psc_buf_free(&in, 0);
    psc_buf_free(&out, 0);
    return landscape_files[which];
}

static const char *landscape(int which)
{
    if (which == EXAMPLE)
        return unit_fixture("landscape/landscape.ini");
    if (which == SCC_LS)
        return unit_fixture("landscape/scc.ini");
    if (which == SCC_PP)
        return unit_fixture("landscape/scc-pp.ini");
    if (landscape_files[which][0])
        return landscape_files[which];
    switch (which) {
    case ROOT_IN_PSE: {
        char line[PATH_MAX + 32], root[PATH_MAX];
        if (realpath(unit_fixture("pki/lb-root.crt"), root) == NULL)
            return NULL;
        snprintf(line, sizeof line, "ssl_client_pse = %s", root);
        return write_variant(which, EX, line, NULL, NULL);
    }
    case CHAIN_IN_PSE: { /* root and intermediate of the worker node chain in SAPSSLC.pse */
        char pse[600], line[700];
        snprintf(pse, sizeof pse, "%s/sapsslc-list.pem", unit_tmpdir());
        FILE *out = fopen(pse, "w");
        CU_ASSERT_PTR_NOT_NULL_FATAL(out);
        static const char *const parts[] = {"pki/lb-root.crt", "pki/lb-intermediate.crt"};
        for (size_t i = 0; i < 2; i++) {
            psc_buf b;
            psc_buf_init(&b);
            if (unit_read(unit_fixture(parts[i]), &b) == 0)
                fwrite(b.data, 1, b.len, out);
            psc_buf_free(&b, 0);
        }
        fclose(out);
        snprintf(line, sizeof line, "ssl_client_pse = %s", pse);
        return write_variant(which, EX, line, NULL, NULL);
    }
    case EXPIRED_CLIENT: return write_variant(which, EX, NULL, "erp-client.crt", "expired.crt");
    case SELF_SIGNED_SERVER:
        return write_variant(which, EX, NULL, "erp-server.crt", "erp-selfsigned.crt");
    case BASIC_C4C:
        return write_variant(which, EX, NULL, "auth  = certificate", "auth  = basic");
    case SCC_TRUSTED: /* SCC's Trust Store holds ERP's root: R20 is in place */
        return write_variant(which, SCC_INI, NULL, "scc/trust-store.pem", "../pki/corp-root.crt");
    case SCC_BASIC: /* basic authentication through SCC: no certificate logon at ERP */
        return write_variant(which, SCC_INI, NULL, "auth  = certificate", "auth  = basic");
    }
    return NULL;
}

/* "R7@HCI:HCI/02-x.pem R8@C4C:-", a setting "R14@SCC:scc-subaccount" (its target),
 * findings "expired@ERP", generic "R7@c4c -> cpi", generic findings "finding:expired". */
static void summarise(const psc_dg_result *r, const psc_dg_cause *list, size_t n, psc_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        const psc_dg_cause *x = &list[i];
        char hop[200];
        psc_dg_hop_name(r, x->hop, hop, sizeof hop);
        if (i)
            psc_buf_puts(b, " ");
        if (x->step)
            psc_buf_printf(b, "%s@%s:%s", x->step->id, x->step->system->name,
                           x->file[0]           ? x->file
                           : x->step->setting ? x->step->target
                                              : "-");
        else if (x->finding)
            psc_buf_printf(b, "%s@%s", x->finding->code,
                           x->finding->system ? x->finding->system->name : "-");
        else if (x->cand)
            psc_buf_printf(b, "%s@%s", x->cand->rule, hop);
        else
            psc_buf_printf(b, "finding:%s", x->finding_code);
    }
    psc_buf_cstr(b);
}

typedef struct dg_case {
    const char *text;
    int landscape;
    const char *hop;        /* --hop, or NULL */
    const char *matches;    /* matched row ids, in the order reported */
    const char *hops;       /* "ERP -> HCI;C4C -> HCI" */
    const char *causes;     /* summarise() of the ranked causes */
    const char *ruled_out;  /* summarise() of ruled_out */
    int exit;
} dg_case;

static void run_case(const dg_case *c)
{
    psc_err e = {0};
    psc_plan *p = NULL;
    if (c->landscape != NONE) {
        const char *file = landscape(c->landscape);
        CU_ASSERT_PTR_NOT_NULL_FATAL(file);
        int lrc = psc_plan_load_and_run(file, time(NULL), &p, &e);
        if (lrc != PSC_OK)
            fprintf(stderr, "\n  %s: %s\n", file, e.msg);
        CU_ASSERT_EQUAL_FATAL(lrc, PSC_OK);
    }
    psc_dg_filter f = {0};
    char hopbuf[100];
    if (c->hop) {
        snprintf(hopbuf, sizeof hopbuf, "%s", c->hop);
        char *arrow = strstr(hopbuf, "->");
        *arrow = '\0';
        f.hop_client = hopbuf;
        f.hop_server = arrow + 2;
    }
    psc_dg_result *r = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_diagnose(c->text, p, &f, &r, &e), PSC_OK);
    psc_buf m, h, cs, ro;
    psc_buf_init(&m);
    psc_buf_init(&h);
    psc_buf_init(&cs);
    psc_buf_init(&ro);
    for (size_t i = 0; i < r->nmatches; i++)
        psc_buf_printf(&m, "%s%s", i ? "," : "", r->matches[i].row->id);
    psc_buf_cstr(&m);
    for (size_t i = 0; i < r->nhops; i++) {
        char name[200];
        psc_dg_hop_name(r, i, name, sizeof name);
        psc_buf_printf(&h, "%s%s", i ? ";" : "", name);
    }
    psc_buf_cstr(&h);
    summarise(r, r->causes, r->ncauses, &cs);
    summarise(r, r->ruled_out, r->nruled_out, &ro);
    int ok = strcmp((char *)m.data, c->matches) == 0 && strcmp((char *)h.data, c->hops) == 0 &&
             strcmp((char *)cs.data, c->causes) == 0 &&
             strcmp((char *)ro.data, c->ruled_out) == 0 && psc_dg_exit_code(r) == c->exit;
    if (!ok)
        fprintf(stderr,
                "\n  text:      %.80s (landscape %d)\n  matches:   %s\n  hops:      %s\n"
                "  causes:    %s\n  ruled out: %s\n  exit:      %d\n",
                c->text, c->landscape, (char *)m.data, (char *)h.data, (char *)cs.data,
                (char *)ro.data, psc_dg_exit_code(r));
    CU_ASSERT_STRING_EQUAL((char *)m.data, c->matches);
    CU_ASSERT_STRING_EQUAL((char *)h.data, c->hops);
    CU_ASSERT_STRING_EQUAL((char *)cs.data, c->causes);
    CU_ASSERT_STRING_EQUAL((char *)ro.data, c->ruled_out);
    CU_ASSERT_EQUAL(psc_dg_exit_code(r), c->exit);
    psc_buf_free(&m, 0);
    psc_buf_free(&h, 0);
    psc_buf_free(&cs, 0);
    psc_buf_free(&ro, 0);
    psc_dg_result_free(r);
    psc_plan_free(p);
}

#define ERP_R2_ROOT "R2@ERP:ERP/01-strust-ssl-client-standard-fake-digicert-global-root-g2.crt"
#define ERP_R2_INT                                                                           \
    "R2@ERP:ERP/02-strust-ssl-client-standard-fake-digicert-global-g2-tls-rsa-sha256-2.crt"
#define ERP_R9_ROOT "R9@ERP:ERP/03-strust-ssl-server-standard-nordwind-root-ca.crt"
#define ERP_R9_INT "R9@ERP:ERP/04-strust-ssl-server-standard-nordwind-issuing-ca-07.crt"
#define ERP_R13 "R13@ERP:ERP/05-icm-trust-intermediary-wd-ssl-client-standard.crt"
#define ERP_R10 "R10@ERP:ERP/06-user-mapping-hci-tenant-p1234-eu1-hana-ondemand-com-c.cer"
#define HCI_R1 "R1@HCI:HCI/01-service-key-erp-p41-ssl-client-standard.pem"
#define HCI_R7 "R7@HCI:HCI/02-service-key-c4c-my123456-arrangement.pem"
#define HCI_R11 "R11@HCI:HCI/03-keystore-nordwind-root-ca.cer"
#define C4C_R8 "R8@C4C:-"
#define WD_R9_ROOT "R9@WD:WD/01-strust-ssl-server-standard-fake-baltimore-cybertrust-root.crt"
#define WD_R9_INT "R9@WD:WD/02-strust-ssl-server-standard-fake-sap-cloud-platform-client-ca.crt"
#define WD_R11 "R11@WD:WD/04-strust-ssl-client-standard-nordwind-root-ca.crt"
#define ALL_ICM_CLIENT_HOPS "ERP -> HCI;C4C -> HCI;WD -> ERP"
/* fixtures/landscape/scc.ini and scc-pp.ini: C4C -> HCI -> SCC -> ERP */
#define SCC_R14_SUBACCOUNT "R14@SCC:scc-subaccount"
#define SCC_R14_ACCESS "R14@SCC:scc-access-control"
#define HCI_R14 "R14@HCI:onpremise-proxy"
#define SCC_ERP_R15 "R15@ERP:ERP/01-strust-ssl-server-standard-nordwind-connector-ca-01.crt"
#define SCC_ERP_R16 "R16@ERP:ERP/02-user-mapping-scc-nordwind-example.cer"
#define PP_ERP_R17                                                                           \
    "R17@ERP:ERP/02-strust-ssl-server-standard-nordwind-scc-principal-propagation-ca.crt"
#define PP_ERP_R18 "R18@ERP:ERP/03-icm-trust-scc-scc-nordwind-example.crt"
#define PP_ERP_R19 "R19@ERP:ERP/04-certrule-nordwind-scc-principal-propagation-ca.crt"
#define PP_SCC_R17 "R17@SCC:scc-principal-propagation"
#define SCC_R20 "R20@SCC:SCC/01-scc-trust-store-nordwind-root-ca.cer"
/* CPI's message processing log for a 401 from ERP behind SCC (virtual host, http:) */
#define MPL_401_SCC                                                                          \
    "com.sap.it.rt.adapter.http.api.exception.HttpResponseException: An internal server "    \
    "error occured: HTTP operation failed invoking http://erp-virtual:44300/sap/opu/odata/"   \
    "sap/ZACCOUNT_SRV with statusCode: 401"

/* One case per catalogue row (by its id), with the landscape and without. */
typedef struct row_cases {
    const char *row;
    dg_case with, without;
} row_cases;

static const row_cases cases[] = {
    {"icm-peer-cert-untrusted",
     {"SM59 connection test: HTTP 500: SSL handshake with hci-tenant-p1234.eu1.hana.ondemand.com:443 "
      "failed: ICM_HTTP_SSL_PEER_CERT_UNTRUSTED",
      EXAMPLE, NULL, "icm-peer-cert-untrusted", ALL_ICM_CLIENT_HOPS,
      ERP_R2_ROOT " " WD_R11 " " ERP_R2_INT " " C4C_R8, "", 0},
     {"ICM_HTTP_SSL_PEER_CERT_UNTRUSTED", NONE, NULL, "icm-peer-cert-untrusted",
      "abap -> cpi;webdispatcher -> abap;c4c -> cpi",
      "R2@abap -> cpi R11@webdispatcher -> abap R12@webdispatcher -> abap R8@c4c -> cpi "
      "finding:chain-incomplete",
      "", 0}},
    {"ssslerr-peer-cert-untrusted",
     {"[Thr 139872] *** ERROR during SecudeSSL_SessionStart() from SSL_connect()==SSSLERR_PEER_CERT_UNTRUSTED\n"
      "[Thr 139872]    session uses PSE file \"/usr/sap/P41/DVEBMGS00/sec/SAPSSLS.pse\"",
      EXAMPLE, NULL, "ssslerr-peer-cert-untrusted", "HCI -> C4C;HCI -> WD;WD -> ERP",
      WD_R9_ROOT " " WD_R9_INT " " ERP_R9_ROOT " " ERP_R9_INT, "", 0},
     {"SSSLERR_PEER_CERT_UNTRUSTED session uses PSE file /usr/sap/P41/sec/SAPSSLS.pse", NONE,
      NULL, "ssslerr-peer-cert-untrusted", "cpi -> abap;cpi -> webdispatcher;webdispatcher -> abap",
      "R9@cpi -> abap R9@cpi -> webdispatcher R9@webdispatcher -> abap finding:chain-incomplete "
      "finding:chain-mismatch",
      "", 0}},
    {"icm-http-ssl-error",
     {"SOAMANAGER: Web service ping failed (RC=405). HTTP communication error: "
      "ICM_HTTP_SSL_ERROR",
      EXAMPLE, "ERP->HCI", "icm-http-ssl-error", "ERP -> HCI", ERP_R2_ROOT " " ERP_R2_INT, "",
      0},
     {"HTTP communication error: ICM_HTTP_SSL_ERROR", NONE, "webdispatcher->abap",
      "icm-http-ssl-error", "webdispatcher -> abap",
      "R11@webdispatcher -> abap R9@webdispatcher -> abap R12@webdispatcher -> abap "
      "finding:missing-eku finding:expired",
      "", 0}},
    {"icm-ssl-http-error",
     {SEED_SSL, EXAMPLE, NULL, "icm-ssl-http-error", ALL_ICM_CLIENT_HOPS,
      HCI_R7 " " ERP_R2_ROOT " " WD_R11 " " ERP_R2_INT " " C4C_R8, "", 0},
     {SEED_SSL, NONE, NULL, "icm-ssl-http-error",
      "c4c -> cpi;abap -> cpi;webdispatcher -> abap",
      "R7@c4c -> cpi R8@c4c -> cpi R2@abap -> cpi R3@abap -> cpi R11@webdispatcher -> abap "
      "R12@webdispatcher -> abap finding:missing-eku finding:expired",
      "", 0}},
    {"ssl-no-response",
     {"SSL handshake with 10.1.2.3:8000 failed: SSSLERR_NO_SSL_RESPONSE (-79)", EXAMPLE, NULL,
      "ssl-no-response", ALL_ICM_CLIENT_HOPS, "", "", 1},
     {"SSSLERR_NO_SSL_RESPONSE", NONE, NULL, "ssl-no-response", "", "", "", 1}},
    {"server-cert-mismatch",
     {"SSL handshake with erp.nordwind.example:44300 failed: SSSLERR_SERVER_CERT_MISMATCH (-114) "
      "The server certificate does not contain the host name",
      SELF_SIGNED_SERVER, NULL, "server-cert-mismatch", ALL_ICM_CLIENT_HOPS,
      "R12@ERP:ERP/07-own-certificate-p41-ssl-client-standard.crt", "", 0},
     {"SSSLERR_SERVER_CERT_MISMATCH", NONE, NULL, "server-cert-mismatch",
      "webdispatcher -> abap", "R12@webdispatcher -> abap", "", 0}},
    {"icm-connection-broken",
     {SEED_BROKEN, EXAMPLE, NULL, "icm-connection-broken,c4c-service-ping", "C4C -> HCI",
      HCI_R7 " " C4C_R8, "", 0},
     {SEED_BROKEN, NONE, NULL, "icm-connection-broken,c4c-service-ping", "c4c -> cpi",
      "R7@c4c -> cpi R8@c4c -> cpi finding:missing-eku finding:expired", "", 0}},
    {"icm-connection-failed",
     {"ICF Error when receiving the response: ICM_HTTP_CONNECTION_FAILED", EXAMPLE, NULL,
      "icm-connection-failed", ALL_ICM_CLIENT_HOPS, "", "", 1},
     {"ICM_HTTP_CONNECTION_FAILED", NONE, NULL, "icm-connection-failed", "", "", "", 1}},
    {"java-pkix",
     {"javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
      "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
      "certification path to requested target",
      EXAMPLE, NULL, "java-pkix", "HCI -> WD", HCI_R11, "", 0},
     {"unable to find valid certification path to requested target", NONE, NULL,
      "java-pkix,scc-pkix", "cpi -> abap;cpi -> webdispatcher;cloudconnector -> abap",
      "R11@cpi -> abap R11@cpi -> webdispatcher R12@cpi -> abap R12@cpi -> webdispatcher "
      "R20@cloudconnector -> abap finding:chain-incomplete",
      "", 0}},
    {"java-alert-rejected",
     {"org.apache.camel.component.ahc.AhcOperationFailedException: javax.net.ssl.SSLHandshakeException: "
      "Received fatal alert: certificate_unknown",
      EXAMPLE, NULL, "java-alert-rejected", "HCI -> WD", WD_R9_ROOT " " WD_R9_INT, "", 0},
     {"Received fatal alert: unknown_ca", NONE, NULL, "java-alert-rejected,scc-backend-handshake",
      "cpi -> webdispatcher;cpi -> abap;cloudconnector -> abap",
      "R9@cpi -> webdispatcher R9@cpi -> abap R15@cloudconnector -> abap finding:expired "
      "finding:chain-mismatch",
      "", 0}},
    {"java-alert-handshake-failure",
     {"javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure", EXAMPLE,
      NULL, "java-alert-handshake-failure", "HCI -> WD", WD_R9_ROOT " " WD_R9_INT, "", 0},
     {"Received fatal alert: handshake_failure", NONE, NULL,
      "java-alert-handshake-failure,scc-backend-handshake",
      "cpi -> webdispatcher;cpi -> abap;cloudconnector -> abap",
      "R9@cpi -> webdispatcher R9@cpi -> abap R15@cloudconnector -> abap finding:weak-key "
      "finding:weak-signature finding:expired",
      "", 0}},
    {"cert-expired",
     {"javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_expired",
      EXPIRED_CLIENT, NULL, "cert-expired",
      "ERP -> HCI;HCI -> C4C;C4C -> HCI;HCI -> WD;WD -> ERP", "expired@ERP", "", 0},
     {"SSSLERR_CERT_EXPIRED", NONE, NULL, "cert-expired", "",
      "finding:expired finding:not-yet-valid", "", 0}},
    {"cpi-401",
     {SEED_401, EXAMPLE, NULL, "cpi-401,c4c-service-ping", "C4C -> HCI", HCI_R7, "", 0},
     {SEED_401, NONE, NULL, "cpi-401,c4c-service-ping", "c4c -> cpi", "R7@c4c -> cpi", "", 0}},
    {"erp-401",
     {"com.sap.it.rt.adapter.http.api.exception.HttpResponseException: An internal server error "
      "occured: HTTP operation failed invoking https://wd.nordwind.example/sap/bc/srt/scs/sap/"
      "zmaterial with statusCode: 401",
      EXAMPLE, NULL, "erp-401", "WD -> ERP", ERP_R13 " " ERP_R10, "", 0},
     {"HttpResponseException: statusCode: 401", NONE, NULL, "erp-401,scc-erp-401",
      "cpi -> abap;webdispatcher -> abap;cloudconnector -> abap",
      "R10@cpi -> abap R13@webdispatcher -> abap R10@webdispatcher -> abap "
      "R16@cloudconnector -> abap R18@cloudconnector -> abap R19@cloudconnector -> abap "
      "R17@cloudconnector -> abap R15@cloudconnector -> abap R17@cloudconnector -> abap "
      "finding:client-cert-through-scc",
      "", 0}},
    {"erp-403",
     {SEED_403, EXAMPLE, NULL, "erp-403,cpi-403", "ERP -> HCI;C4C -> HCI;WD -> ERP",
      ERP_R10 " " ERP_R13 " " HCI_R7 " " HCI_R1, "", 0},
     {"HTTP/1.1 403 Forbidden for /sap/bc/srt/scs/sap/zaccount", NONE, NULL, "erp-403",
      "cpi -> abap;webdispatcher -> abap",
      "R10@cpi -> abap R10@webdispatcher -> abap R13@webdispatcher -> abap", "", 0}},
    {"cpi-403",
     {"HTTP/1.1 403 Forbidden https://nordwind.it-cpi001-rt.cfapps.eu10.hana.ondemand.com/cxf/"
      "replicatematerial",
      EXAMPLE, NULL, "cpi-403", "ERP -> HCI;C4C -> HCI", HCI_R7 " " HCI_R1, "", 0},
     {"statusCode: 403 from /http/replicate", NONE, "c4c->cpi", "cpi-403", "c4c -> cpi",
      "R7@c4c -> cpi", "", 0}},
    /* ---- SAP Cloud Connector (scc.ini: no principal propagation; scc-pp.ini: with) ---- */
    {"scc-not-connected",
     {"HTTP 503: There is no SAP Cloud Connector (SCC) connected to your subaccount matching "
      "the requested tunnel for subaccount 'f3b1c2d4-0000-4000-8000-000000000001' and SCC "
      "location ID 'nordwind'",
      SCC_LS, NULL, "scc-not-connected", "HCI -> SCC", SCC_R14_SUBACCOUNT " " HCI_R14, "", 0},
     {"There is no SAP Cloud Connector (SCC) connected to your subaccount", NONE, NULL,
      "scc-not-connected", "cpi -> cloudconnector",
      "R14@cpi -> cloudconnector R14@cpi -> cloudconnector", "", 0}},
    {"scc-access-denied",
     {"Access denied to system erp-virtual:44300", SCC_PP, NULL, "scc-access-denied",
      "HCI -> SCC", SCC_R14_ACCESS " " HCI_R14, "", 0},
     {"Access denied to system erp-virtual:44300", NONE, NULL, "scc-access-denied",
      "cpi -> cloudconnector", "R14@cpi -> cloudconnector R14@cpi -> cloudconnector", "", 0}},
    {"scc-backend-handshake",
     {"Principal propagation forbidden for user JDOE on system erp.nordwind.example:44300, "
      "because the backend connection is not mutually authenticated.",
      SCC_PP, NULL, "scc-backend-handshake", "SCC -> ERP", SCC_ERP_R15, "", 0},
     {"ljs_trace.log: javax.net.ssl.SSLHandshakeException: Received fatal alert: "
      "bad_certificate",
      NONE, NULL, "scc-backend-handshake", "cloudconnector -> abap",
      "R15@cloudconnector -> abap finding:expired", "", 0}},
    {"icm-intermediary-not-trusted",
     {"[Thr 140361650923264] HttpIsReverseProxyTrustworthy: intermediary is NOT trusted",
      SCC_PP, NULL, "icm-intermediary-not-trusted", "SCC -> ERP", PP_ERP_R18 " " SCC_ERP_R15,
      "", 0},
     {"HttpCertIsReverseProxyTrustworthy: client did not sent any cert ->intermediate not "
      "trustworthy",
      NONE, NULL, "icm-intermediary-not-trusted", "cloudconnector -> abap;webdispatcher -> abap",
      "R18@cloudconnector -> abap R15@cloudconnector -> abap R13@webdispatcher -> abap "
      "R9@webdispatcher -> abap",
      "", 0}},
    {"scc-pkix",
     {"SCC ljs_trace.log: javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
      "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
      "certification path to requested target",
      SCC_LS, NULL, "scc-pkix", "SCC -> ERP", SCC_R20, "", 0},
     {"Cloud Connector: PKIX path building failed", NONE, NULL, "scc-pkix",
      "cloudconnector -> abap", "R20@cloudconnector -> abap finding:chain-incomplete", "", 0}},
    {"scc-erp-401",
     {MPL_401_SCC, SCC_LS, NULL, "scc-erp-401", "HCI -> SCC;SCC -> ERP",
      SCC_ERP_R16 " " SCC_ERP_R15 " client-cert-through-scc@HCI", "", 0},
     {"Cloud Connector: 401 Unauthorized", NONE, "cloudconnector->abap",
      "scc-erp-401,cpi-401,erp-401", "cloudconnector -> abap",
      "R16@cloudconnector -> abap R18@cloudconnector -> abap R19@cloudconnector -> abap "
      "R17@cloudconnector -> abap R15@cloudconnector -> abap R17@cloudconnector -> abap "
      "finding:client-cert-through-scc",
      "", 0}},
    {"c4c-service-ping",
     {"Error accessing service; Service Ping ERROR: Error when calling SOAP Runtime functions",
      EXAMPLE, NULL, "c4c-service-ping", "C4C -> HCI", HCI_R7 " " C4C_R8, "", 0},
     {"Service Ping ERROR", NONE, NULL, "c4c-service-ping", "c4c -> cpi",
      "R8@c4c -> cpi R7@c4c -> cpi", "", 0}},
};

static void test_every_row(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CU_ASSERT_PTR_NOT_NULL(psc_dg_row_by_id(cases[i].row));
        run_case(&cases[i].with);
        run_case(&cases[i].without);
    }
}

/* Every row of the catalogue has its cases above, and its first match is that row. */
static void test_catalogue_covered(void)
{
    for (size_t i = 0; i < psc_dg_row_count(); i++) {
        const char *id = psc_dg_row_at(i)->id;
        int found = 0;
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
            found = found || (strcmp(cases[k].row, id) == 0 &&
                              strncmp(cases[k].with.matches, id, strlen(id)) == 0 &&
                              strncmp(cases[k].without.matches, id, strlen(id)) == 0);
        if (!found)
            fprintf(stderr, "\n  no case for catalogue row %s\n", id);
        CU_ASSERT(found);
    }
}

/* A candidate names a rule id on a hop and side where rules.md has it. */
static void test_candidates_are_rules(void)
{
    for (size_t i = 0; i < psc_dg_row_count(); i++) {
        const psc_dg_row *row = psc_dg_row_at(i);
        for (size_t k = 0; k < PSC_DG_MAX_CANDS && row->cands[k].rule; k++) {
            const psc_dg_cand *c = &row->cands[k];
            int found = 0;
            for (size_t j = 0; j < psc_rule_count(); j++) {
                const psc_rule *r = psc_rule_at(j);
                found = found || (strcmp(r->id, c->rule) == 0 && r->client == c->client &&
                                  r->server == c->server && r->at_server == c->at_server &&
                                  (c->target == NULL || strcmp(r->target, c->target) == 0));
            }
            if (!found)
                fprintf(stderr, "\n  %s: %s on %s -> %s is not a rule\n", row->id, c->rule,
                        psc_system_type_name(c->client), psc_system_type_name(c->server));
            CU_ASSERT(found);
        }
    }
}

/* The current state rules R2's root out (it is in SAPSSLC.pse): the next
 * cause is R2's intermediate, now required, numbered 01 in the export. */
static void test_state_rules_out(void)
{
    static const dg_case c = {
        "SSL handshake with hci-tenant-p1234.eu1.hana.ondemand.com:443 failed: "
        "SSSLERR_PEER_CERT_UNTRUSTED (-102): session uses PSE file "
        "\"/usr/sap/P41/DVEBMGS00/sec/SAPSSLC.pse\"",
        ROOT_IN_PSE, NULL, "ssslerr-peer-cert-untrusted", ALL_ICM_CLIENT_HOPS,
        "R2@ERP:ERP/01-strust-ssl-client-standard-fake-digicert-global-g2-tls-rsa-sha256-2.crt "
        WD_R11 " " C4C_R8,
        "R2@ERP:-", 0};
    run_case(&c);
    /* and the words say so */
    psc_err e = {0};
    psc_plan *p = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(landscape(ROOT_IN_PSE), time(NULL), &p, &e),
                          PSC_OK);
    psc_dg_result *r = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_diagnose(c.text, p, NULL, &r, &e), PSC_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->ruled_out[0].because,
                                  "CN=Fake DigiCert Global Root G2, OU=www.digicert.com, "
                                  "O=DigiCert Inc, C=US is already in "));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->ruled_out[0].because, "lb-root.crt (ssl_client_pse of ERP)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->causes[0].because, "R2 is in place ("));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(r->causes[0].because, "so the certificate still missing is this intermediate of HCI"));
    /* Without the state line the same message from the server side: R2 is not a candidate. */
    psc_dg_result_free(r);
    psc_plan_free(p);
}

/* Root and intermediate both in SAPSSLC.pse: every candidate on the hop is
 * ruled out, the message is known but unexplained (exit 1). */
static void test_state_rules_all_out(void)
{
    static const dg_case c = {
        "SM59: SSL handshake with hci-tenant-p1234.eu1.hana.ondemand.com:443 failed: "
        "ICM_HTTP_SSL_PEER_CERT_UNTRUSTED",
        CHAIN_IN_PSE, "ERP->HCI", "icm-peer-cert-untrusted", "ERP -> HCI", "", "R2@ERP:- R2@ERP:-",
        1};
    run_case(&c);
}

/* Basic authentication between C4C and HCI: only the SAP-managed trust list
 * is left on that hop, so the message is known but unexplained (exit 1). */
static void test_only_managed_left(void)
{
    static const dg_case c = {SEED_SSL, BASIC_C4C, "C4C->HCI", "icm-ssl-http-error",
                              "C4C -> HCI", C4C_R8, "", 1};
    run_case(&c);
}

/* The Cloud Connector path: the landscape picks SCC's reading of words the
 * CPI rows share, principal propagation changes the steps a 401 points at,
 * the current state (SCC's Trust Store) rules R20 out, and with basic
 * authentication through SCC nothing certificate-related explains a 401. */
static void test_cloud_connector(void)
{
    static const dg_case c[] = {
        /* with principal propagation: trusted intermediary, CERTRULE, CA, then the
         * system certificate's issuer and SCC's own setting; the finding last */
        {MPL_401_SCC, SCC_PP, NULL, "scc-erp-401", "HCI -> SCC;SCC -> ERP",
         PP_ERP_R18 " " PP_ERP_R19 " " PP_ERP_R17 " " SCC_ERP_R15 " " PP_SCC_R17
                    " client-cert-through-scc@HCI",
         "", 0},
        /* --hop on the SCC -> ERP hop leaves the finding on HCI out */
        {MPL_401_SCC, SCC_LS, "SCC->ERP", "scc-erp-401", "SCC -> ERP",
         SCC_ERP_R16 " " SCC_ERP_R15, "", 0},
        /* the same log line on the example landscape (no SCC): ERP behind the Web Dispatcher */
        {MPL_401_SCC, EXAMPLE, NULL, "erp-401", "WD -> ERP", ERP_R13 " " ERP_R10, "", 0},
        /* a Java alert without SCC words: only SCC's reading fits this landscape */
        {"javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure", SCC_LS,
         NULL, "scc-backend-handshake", "SCC -> ERP", SCC_ERP_R15, "", 0},
        {"PKIX path building failed", SCC_PP, NULL, "scc-pkix", "SCC -> ERP", SCC_R20, "", 0},
        /* ERP's root already in SCC's Trust Store: known, unexplained */
        {"PKIX path building failed", SCC_TRUSTED, NULL, "scc-pkix", "SCC -> ERP", "",
         "R20@SCC:-", 1},
        /* basic authentication through SCC: no certificate logon, no finding */
        {MPL_401_SCC, SCC_BASIC, NULL, "scc-erp-401", "HCI -> SCC;SCC -> ERP", "", "", 1},
        /* the ICM's intermediary check on the example landscape: the Web Dispatcher */
        {"HttpIsReverseProxyTrustworthy: intermediary is NOT trusted", EXAMPLE, NULL,
         "icm-intermediary-not-trusted", "WD -> ERP", ERP_R13 " " ERP_R9_ROOT " " ERP_R9_INT, "",
         0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        run_case(&c[i]);
    /* the words say where: the SCC step's target and the ruled-out file */
    psc_err e = {0};
    psc_plan *p = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(landscape(SCC_TRUSTED), time(NULL), &p, &e),
                          PSC_OK);
    psc_dg_result *r = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_diagnose("PKIX path building failed", p, NULL, &r, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(r->nruled_out, 1);
    CU_ASSERT_STRING_EQUAL(r->ruled_out[0].step->target, "scc-trust-store");
    CU_ASSERT_PTR_NOT_NULL(strstr(r->ruled_out[0].because,
                                  "CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE is already in "));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->ruled_out[0].because, "corp-root.crt (trust_store of SCC)"));
    psc_dg_result_free(r);
    psc_plan_free(p);
}

static void test_unknown_and_errors(void)
{
    psc_err e = {0};
    psc_dg_result *r = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_diagnose("the coffee machine is broken", NULL, NULL, &r, &e), PSC_OK);
    CU_ASSERT_EQUAL(r->nmatches, 0);
    CU_ASSERT_EQUAL(psc_dg_exit_code(r), 3);
    psc_dg_result_free(r);

    psc_dg_filter f = {.flow = "replicate-material"};
    CU_ASSERT_EQUAL(psc_diagnose(SEED_SSL, NULL, &f, &r, &e), PSC_EUSAGE);
    CU_ASSERT_STRING_EQUAL(e.msg, "--flow needs a LANDSCAPE file");
    CU_ASSERT_PTR_NULL(r);

    psc_plan *p = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(landscape(EXAMPLE), time(NULL), &p, &e), PSC_OK);
    psc_dg_filter g = {.hop_client = "HCI", .hop_server = "ERP"};
    psc_err e2 = {0};
    CU_ASSERT_EQUAL(psc_diagnose(SEED_SSL, p, &g, &r, &e2), PSC_EUSAGE);
    CU_ASSERT_STRING_EQUAL(e2.msg, "--hop HCI->ERP: no flow has this hop");
    psc_dg_filter h = {.flow = "replicate-material"};
    CU_ASSERT_EQUAL_FATAL(psc_diagnose(SEED_SSL, p, &h, &r, &e2), PSC_OK);
    char name[100];
    CU_ASSERT_EQUAL(r->nhops, 1);
    psc_dg_hop_name(r, 0, name, sizeof name);
    CU_ASSERT_STRING_EQUAL(name, "ERP -> HCI");
    psc_dg_result_free(r);
    psc_plan_free(p);
}

/* The JSON carries the fields the man page documents. */
static void test_json(void)
{
    psc_err e = {0};
    psc_plan *p = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(landscape(EXAMPLE), time(NULL), &p, &e), PSC_OK);
    psc_dg_result *r = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_diagnose(SEED_BROKEN, p, NULL, &r, &e), PSC_OK);
    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL_FATAL(psc_dg_render_json(r, &b, &e), PSC_OK);
    cJSON *j = cJSON_Parse((char *)b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "landscape")->valuestring,
                           "Nordwind C4C integration");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "verdict")->valuestring, "identified");
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(j, "exit")->valueint, 0);
    cJSON *m0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "messages"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(m0, "id")->valuestring, "icm-connection-broken");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(m0, "pattern")->valuestring,
                           "ICM_HTTP_CONNECTION_BROKEN");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(m0, "side")->valuestring, "client");
    cJSON *h0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hops"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(h0, "client")->valuestring, "C4C");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(h0, "server")->valuestring, "HCI");
    CU_ASSERT_STRING_EQUAL(
        cJSON_GetArrayItem(cJSON_GetObjectItem(h0, "flows"), 0)->valuestring, "account-to-erp");
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "causes"), 0);
    CU_ASSERT_EQUAL(cJSON_GetObjectItem(c0, "rank")->valueint, 1);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "kind")->valuestring, "step");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "rule")->valuestring, "R7");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "hop")->valuestring, "C4C -> HCI");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "system")->valuestring, "HCI");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "target")->valuestring, "service-key");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "status")->valuestring, "todo");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(c0, "file")->valuestring,
                           "HCI/02-service-key-c4c-my123456-arrangement.pem");
    CU_ASSERT_STRING_EQUAL(
        cJSON_GetObjectItem(cJSON_GetObjectItem(c0, "certificate"), "subject")->valuestring,
        "CN=C4C my123456 arrangement, O=SAP SE, C=DE");
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(c0, "finding")));
    CU_ASSERT(cJSON_IsArray(cJSON_GetObjectItem(j, "ruled_out")));
    cJSON_Delete(j);
    psc_buf_free(&b, 0);
    psc_dg_result_free(r);
    psc_plan_free(p);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"every catalogue row, with and without a landscape", test_every_row},
        {"every row has its cases", test_catalogue_covered},
        {"candidates are rules of rules.md", test_candidates_are_rules},
        {"the current state rules a step out", test_state_rules_out},
        {"the current state rules every step out: exit 1", test_state_rules_all_out},
        {"only SAP-managed steps left: exit 1", test_only_managed_left},
        {"SAP Cloud Connector: landscape, principal propagation, state", test_cloud_connector},
        {"unknown text, --hop and --flow errors", test_unknown_and_errors},
        {"JSON fields", test_json},
        CU_TEST_INFO_NULL};
    unit_suite("diagnose", tests);
}
