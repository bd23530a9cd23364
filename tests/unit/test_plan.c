/* The planner on landscapes built in memory (stores filled with DER that
 * OpenSSL's own PEM reader decoded), the loader on small INI files, and the
 * renderers' JSON. */
#include "unit.h"
#include "planner.h"
#include "landscape.h"
#include "render.h"
#include "sapdn.h"
#include "rules.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *sdup(const char *s) { return strcpy(malloc(strlen(s) + 1), s); }

/* SHA-256 hex of the first certificate in a fixture, computed here. */
static const char *sha_of(const char *name)
{
    static char hex[65];
    FILE *f = fopen(unit_fixture(name), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    unsigned char *der = NULL, md[32];
    int n = i2d_X509(x, &der);
    unsigned int ml = 0;
    EVP_Digest(der, (size_t)n, md, &ml, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    OPENSSL_free(der);
    X509_free(x);
    return hex;
}

static psc_landscape *ls_new(size_t nsys)
{
    psc_landscape *ls = calloc(1, sizeof *ls);
    ls->name = sdup("unit");
    ls->file = sdup("unit.ini");
    ls->warn_days = 30;
    ls->systems = calloc(nsys, sizeof *ls->systems);
    return ls;
}

static psc_system *sys(psc_landscape *ls, const char *name, psc_system_type t, psc_cpi_env env)
{
    psc_system *s = &ls->systems[ls->nsystems++];
    s->name = sdup(name);
    s->type = t;
    s->environment = env;
    s->store = psc_store_new();
    s->state = psc_store_new();
    return s;
}

/* Every certificate of a PEM fixture into the system's store; leaf = first. */
static void give(psc_system *s, psc_key k, const char *name)
{
    psc_material *m = &s->files[k];
    psc_store *st = psc_key_is_state(k) ? s->state : s->store;
    m->value = sdup(name);
    m->path = sdup(unit_fixture(name));
    FILE *f = fopen(m->path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    X509 *x;
    while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL) {
        psc_err e = {0};
        psc_cert *c = psc_store_add_x509(st, x, name, &e);
        X509_free(x);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        m->certs = realloc(m->certs, (m->ncerts + 1) * sizeof *m->certs);
        m->certs[m->ncerts++] = c;
    }
    fclose(f);
    m->leaf = m->certs[0];
}

static void flow(psc_landscape *ls, const char *name, psc_auth auth, size_t a, size_t b, size_t c)
{
    ls->flows = realloc(ls->flows, (ls->nflows + 1) * sizeof *ls->flows);
    psc_flow *f = &ls->flows[ls->nflows++];
    memset(f, 0, sizeof *f);
    f->name = sdup(name);
    f->auth = auth;
    f->path = calloc(3, sizeof *f->path);
    f->path[f->npath++] = a;
    f->path[f->npath++] = b;
    if (c != (size_t)-1)
        f->path[f->npath++] = c;
}

/* ERP, HCI (env), C4C with the seed's certificates. */
static psc_landscape *seed(psc_cpi_env env, const char *erp_client)
{
    psc_landscape *ls = ls_new(3);
    psc_system *erp = sys(ls, "ERP", PSC_SYS_ABAP, 0);
    give(erp, PSC_KEY_CLIENT_CERT, erp_client);
    give(erp, PSC_KEY_SERVER_CERT, "pki/erp-server.crt");
    give(erp, PSC_KEY_CHAIN, "pki/corp-chain.pem");
    erp->service_user = sdup("CODINTG");
    psc_system *hci = sys(ls, "HCI", PSC_SYS_CPI, env);
    give(hci, PSC_KEY_CLIENT_CERT, "pki/hci-client.crt");
    give(hci, PSC_KEY_CLIENT_CHAIN, "pki/hci-client-chain.pem");
    give(hci, PSC_KEY_SERVER_CHAIN, "pki/hci-worker-node.pem");
    psc_system *c4c = sys(ls, "C4C", PSC_SYS_C4C, 0);
    give(c4c, PSC_KEY_CLIENT_CERT, "pki/c4c-client.crt");
    give(c4c, PSC_KEY_SERVER_CHAIN, "pki/c4c-server-chain.pem");
    return ls;
}

static const psc_step *find(const psc_plan *p, const char *id, const char *system, const char *sha)
{
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        if (strcmp(s->id, id) == 0 && strcmp(s->system->name, system) == 0 &&
            (sha == NULL ? s->cert == NULL : s->cert && strcmp(s->cert->sha256_hex, sha) == 0))
            return s;
    }
    return NULL;
}

static const psc_finding *finding(const psc_plan *p, const char *code)
{
    for (size_t i = 0; i < p->nfindings; i++)
        if (strcmp(p->findings[i].code, code) == 0)
            return &p->findings[i];
    return NULL;
}

static psc_plan *run_plan(psc_landscape *ls)
{
    psc_plan *p = NULL;
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(psc_plan_run(ls, time(NULL), &p, &e), PSC_OK);
    p->owns_landscape = 1;
    return p;
}

static void test_inbound(void)
{
    psc_landscape *ls = seed(PSC_CPI_CF, "pki/erp-client.crt");
    flow(ls, "in", PSC_AUTH_CERTIFICATE, 0, 1, 2);
    psc_plan *p = run_plan(ls);
    CU_ASSERT_EQUAL(p->nsteps, 5);
    const psc_step *s = find(p, "R1", "HCI", sha_of("pki/erp-client.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->target, "service-key");
    CU_ASSERT_EQUAL(s->status, PSC_STATUS_TODO);
    CU_ASSERT_STRING_EQUAL(s->hop, "ERP -> HCI");
    s = find(p, "R2", "ERP", sha_of("pki/lb-root.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(s->required);
    CU_ASSERT_EQUAL(s->cert_role, PSC_ROLE_ROOT);
    s = find(p, "R2", "ERP", sha_of("pki/lb-intermediate.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(!s->required);
    CU_ASSERT_PTR_NOT_NULL(find(p, "R4", "C4C", sha_of("pki/hci-client.crt")));
    s = find(p, "R5", "C4C", sha_of("pki/hci-root.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->status, PSC_STATUS_MANAGED);
    CU_ASSERT_EQUAL(p->nfindings, 0);
    /* grouped by system in landscape order */
    CU_ASSERT_STRING_EQUAL(p->steps[0].system->name, "ERP");
    CU_ASSERT_STRING_EQUAL(p->steps[p->nsteps - 1].system->name, "C4C");
    const psc_step *erp[8];
    CU_ASSERT_EQUAL(psc_plan_steps_of(p, &ls->systems[0], erp, 8), 2);
    psc_plan_free(p);
}

static void test_outbound_neo_merge(void)
{
    psc_landscape *ls = seed(PSC_CPI_NEO, "pki/erp-client.crt");
    flow(ls, "a", PSC_AUTH_CERTIFICATE, 2, 1, 0);
    flow(ls, "b", PSC_AUTH_CERTIFICATE, 2, 1, 0);
    psc_plan *p = run_plan(ls);
    CU_ASSERT_EQUAL(p->nsteps, 6);
    const psc_step *s = find(p, "R7", "HCI", sha_of("pki/c4c-client.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->target, "iflow-sender");
    CU_ASSERT_EQUAL(s->nflows, 2);
    CU_ASSERT_STRING_EQUAL(s->flows[1], "b");
    s = find(p, "R10", "ERP", sha_of("pki/hci-client.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->service_user, "CODINTG");
    CU_ASSERT_PTR_NOT_NULL(strstr(s->detail, "External ID = CN=hci-tenant-p1234"));
    CU_ASSERT_PTR_NOT_NULL(find(p, "R9", "ERP", sha_of("pki/hci-root.crt")));
    CU_ASSERT_PTR_NOT_NULL(find(p, "R9", "ERP", sha_of("pki/hci-intermediate.crt")));
    CU_ASSERT_PTR_NOT_NULL(find(p, "R11", "HCI", sha_of("pki/corp-root.crt")));
    CU_ASSERT_PTR_NOT_NULL(find(p, "R8", "C4C", sha_of("pki/lb-root.crt")));
    psc_plan_free(p);
}

static void test_self_signed_and_state(void)
{
    psc_landscape *ls = seed(PSC_CPI_CF, "pki/erp-selfsigned.crt");
    give(&ls->systems[0], PSC_KEY_SSL_CLIENT_PSE, "pki/lb-root.crt");
    flow(ls, "in", PSC_AUTH_CERTIFICATE, 0, 1, 2);
    psc_plan *p = run_plan(ls);
    const psc_finding *f = finding(p, "self-signed-client-cert");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(f->severity, PSC_SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(f->remedy, "Create certificate request"));
    CU_ASSERT(psc_plan_has_errors(p));
    const psc_step *s = find(p, "R3", "ERP", sha_of("pki/erp-selfsigned.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->action, PSC_ACTION_REPLACE);
    s = find(p, "R2", "ERP", sha_of("pki/lb-root.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->status, PSC_STATUS_PRESENT);
    s = find(p, "R2", "ERP", sha_of("pki/lb-intermediate.crt"));
    CU_ASSERT_EQUAL(s->status, PSC_STATUS_TODO);
    /* R1 would upload the certificate R3 replaces: blocked, no export file */
    s = find(p, "R1", "HCI", sha_of("pki/erp-selfsigned.crt"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->status, PSC_STATUS_BLOCKED);
    CU_ASSERT_STRING_EQUAL(s->blocked_by, "R3");
    CU_ASSERT_STRING_EQUAL(psc_step_status_name(s->status), "blocked");
    char file[200];
    psc_step_export_name(p, s, file, sizeof file);
    CU_ASSERT_STRING_EQUAL(file, "");
    psc_plan_counts c;
    psc_plan_count(p, &c);
    CU_ASSERT_EQUAL(c.present, 1);
    CU_ASSERT_EQUAL(c.managed, 1);
    CU_ASSERT_EQUAL(c.blocked, 1);
    CU_ASSERT_EQUAL(c.errors, 1);
    psc_plan_free(p);
}

/* A self-signed certificate with the given subject, made here with OpenSSL. */
static psc_cert *cert_named(psc_store *st, X509_NAME *n)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, n);
    X509_set_pubkey(x, k);
    CU_ASSERT_FATAL(X509_sign(x, k, EVP_sha256()) > 0);
    psc_err e = {0};
    psc_cert *c = psc_store_add_x509(st, x, "mem", &e);
    X509_free(x);
    EVP_PKEY_free(k);
    X509_NAME_free(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

/* Multi-valued RDNs and non-ASCII values: written, but reported as uncertain. */
static void test_sap_dn_uncertain(void)
{
    psc_store *st = psc_store_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"DE", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Nordwind", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC, (const unsigned char *)"SAP", -1, -1, -1);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"multi", -1, -1, 0);
    char dn[256];
    const char *why = NULL;
    CU_ASSERT_EQUAL(psc_sap_dn(cert_named(st, n), dn, sizeof dn, &why), 0);
    CU_ASSERT_STRING_EQUAL(dn, "CN=multi, O=Nordwind, OU=SAP, C=DE"); /* one RDN: O+OU */
    CU_ASSERT_STRING_EQUAL(why, "a multi-valued RDN");
    n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"DE", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"M\xc3\xbcller", -1, -1, 0);
    CU_ASSERT_EQUAL(psc_sap_dn(cert_named(st, n), dn, sizeof dn, &why), 0);
    CU_ASSERT_STRING_EQUAL(dn, "CN=M\xc3\xbcller, C=DE");
    CU_ASSERT_STRING_EQUAL(why, "non-ASCII characters");
    psc_store_free(st);
}

/* VUSREXTID's DN: SAP's names (SP for ST), uncertain parts named. */
static void test_sap_dn(void)
{
    psc_landscape *ls = ls_new(1);
    psc_system *h = sys(ls, "HCI", PSC_SYS_CPI, PSC_CPI_CF);
    give(h, PSC_KEY_CLIENT_CERT, "landscape/pki/hci-client-st.crt");
    give(h, PSC_KEY_CLIENT_CHAIN, "landscape/pki/hci-client-email.crt");
    char dn[512];
    const char *why = "x";
    CU_ASSERT_EQUAL(psc_sap_dn(h->files[PSC_KEY_CLIENT_CERT].leaf, dn, sizeof dn, &why), 0);
    CU_ASSERT_STRING_EQUAL(dn, "CN=hci-dn.nordwind.example, OU=Integration, O=Nordwind Handel AG, "
                               "L=Frankfurt am Main, SP=Hessen, C=DE");
    CU_ASSERT_PTR_NULL(why);
    CU_ASSERT_EQUAL(psc_sap_dn(h->files[PSC_KEY_CLIENT_CHAIN].leaf, dn, sizeof dn, &why), 0);
    CU_ASSERT_STRING_EQUAL(why, "emailAddress");
    CU_ASSERT_EQUAL(psc_sap_dn(h->files[PSC_KEY_CLIENT_CERT].leaf, dn, 20, &why), -1);
    psc_landscape_free(ls);
}

static void test_missing_and_mismatch(void)
{
    psc_landscape *ls = ls_new(2);
    psc_system *hci = sys(ls, "HCI", PSC_SYS_CPI, PSC_CPI_CF);
    give(hci, PSC_KEY_CLIENT_CERT, "pki/hci-client.crt");
    give(hci, PSC_KEY_CLIENT_CHAIN, "pki/hci-worker-node.pem"); /* the wrong chain */
    psc_system *erp = sys(ls, "ERP", PSC_SYS_ABAP, 0);
    give(erp, PSC_KEY_SERVER_CERT, "pki/erp-server.crt");      /* no chain, no service_user */
    flow(ls, "out", PSC_AUTH_CERTIFICATE, 0, 1, (size_t)-1);
    psc_plan *p = run_plan(ls);
    const psc_finding *f = finding(p, "chain-mismatch");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(f->severity, PSC_SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(find(p, "R9", "ERP", NULL)); /* root cannot be named */
    CU_ASSERT_PTR_NULL(find(p, "R9", "ERP", sha_of("pki/lb-root.crt")));
    f = finding(p, "missing-input");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    /* the first missing-input: ERP's server chain (R11 in HCI), then service_user */
    size_t n = 0;
    for (size_t i = 0; i < p->nfindings; i++)
        if (strcmp(p->findings[i].code, "missing-input") == 0) {
            n++;
            CU_ASSERT(strstr(p->findings[i].message, "'chain = FILE' to [system ERP]") ||
                      strstr(p->findings[i].message, "'service_user = USER' to [system ERP]"));
        }
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_NOT_NULL(finding(p, "chain-incomplete")); /* erp-server without issuers */
    psc_plan_free(p);
}

static void test_tables(void)
{
    CU_ASSERT(psc_rules_cover(PSC_SYS_ABAP, PSC_SYS_CPI));
    CU_ASSERT(psc_rules_cover(PSC_SYS_WEBDISPATCHER, PSC_SYS_ABAP));
    CU_ASSERT(!psc_rules_cover(PSC_SYS_C4C, PSC_SYS_ABAP));
    CU_ASSERT(!psc_rules_cover(PSC_SYS_ABAP, PSC_SYS_WEBDISPATCHER));
    CU_ASSERT_STRING_EQUAL(psc_target_words(PSC_SYS_ABAP, "strust-ssl-server-standard"),
                           "STRUST > SSL server Standard > Import certificate > Add to "
                           "Certificate List > Save");
    psc_system a = {0};
    CU_ASSERT_STRING_EQUAL(psc_ssl_client_target(&a), "strust-ssl-client-standard");
    a.ssl_client_identity = "ANONYM";
    CU_ASSERT_STRING_EQUAL(psc_ssl_client_target(&a), "strust-ssl-client-anonymous");
    a.ssl_client_identity = "PARTNR";
    CU_ASSERT_STRING_EQUAL(psc_ssl_client_target(&a), "strust-ssl-client-custom");
    CU_ASSERT_EQUAL(psc_plan_format_by_name("md"), PSC_PLAN_MARKDOWN);
    CU_ASSERT_EQUAL(psc_plan_format_by_name("pdf"), -1);
    CU_ASSERT_STRING_EQUAL(psc_action_name(PSC_ACTION_MAP_USER), "map-user");
    CU_ASSERT_STRING_EQUAL(psc_step_status_name(PSC_STATUS_MANAGED), "managed");
}

static const char *write_ini(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", unit_tmpdir(), name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_loader(void)
{
    psc_landscape *ls = NULL;
    psc_err e = {0};
    const char *bad = write_ini("bad.ini", "[landscape]\nname = x ; comment\n\n[system A]\ntype = cpi\nservr_chain = y\n");
    CU_ASSERT_EQUAL(psc_landscape_load(bad, &ls, &e), PSC_EUSAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "bad.ini:6: unknown key 'servr_chain' in [system A]"));
    CU_ASSERT_PTR_NULL(ls);

    char text[2048];
    snprintf(text, sizeof text,
             "# the HCI side only\n[system HCI]\ntype = cpi   # inline comment\nenvironment = neo\n"
             "server_chain = %s\nclient_cert = %s\n[system C4C]\ntype = c4c\nclient_cert = %s\n"
             "[flow f]\npath = C4C->HCI\nauth = basic\n",
             unit_fixture("pki/corp-chain.pem"), unit_fixture("pki/hci-client.crt"),
             unit_fixture("pki/c4c-client.crt"));
    psc_err_clear(&e);
    int rc = psc_landscape_load(write_ini("good.ini", text), &ls, &e);
    if (rc != PSC_OK)
        fprintf(stderr, "%s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, PSC_OK);
    CU_ASSERT_EQUAL(ls->nsystems, 2);
    CU_ASSERT_EQUAL(ls->systems[0].environment, PSC_CPI_NEO);
    CU_ASSERT_STRING_EQUAL(ls->name, "good.ini");
    CU_ASSERT_EQUAL(ls->warn_days, 60); /* default: two months' notice */
    CU_ASSERT_EQUAL(ls->flows[0].auth, PSC_AUTH_BASIC);
    CU_ASSERT_EQUAL(ls->flows[0].npath, 2);
    CU_ASSERT_EQUAL(ls->flows[0].path[0], 1);
    /* corp-chain.pem is issuing CA then root: the leaf is the one that issues nothing else */
    const psc_material *m = &ls->systems[0].files[PSC_KEY_SERVER_CHAIN];
    CU_ASSERT_EQUAL(m->ncerts, 2);
    CU_ASSERT_STRING_EQUAL(m->leaf->sha256_hex, sha_of("pki/corp-issuing.crt"));
    CU_ASSERT_EQUAL(m->line, 5);

    psc_plan *p = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_plan_run(ls, time(NULL), &p, &e), PSC_OK);
    CU_ASSERT_EQUAL(p->nsteps, 1); /* basic: only R8 */
    CU_ASSERT_STRING_EQUAL(p->steps[0].id, "R8");
    CU_ASSERT_STRING_EQUAL(p->steps[0].cert->sha256_hex, sha_of("pki/corp-root.crt"));

    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL(psc_plan_render(p, PSC_PLAN_JSON, &b, &e), PSC_OK);
    cJSON *j = cJSON_Parse((const char *)b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "steps"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(st, "status")->valuestring, "managed");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(st, "flow")->valuestring, "f");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "certificate"), "sha256")->valuestring,
                           sha_of("pki/corp-root.crt"));
    cJSON_Delete(j);
    psc_buf_free(&b, 0);
    psc_plan_free(p);
    psc_landscape_free(ls);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {{"inbound cf (A.1, A.2)", test_inbound},
                                        {"outbound neo, steps merged across flows", test_outbound_neo_merge},
                                        {"self-signed client, current state", test_self_signed_and_state},
                                        {"missing input and chain mismatch", test_missing_and_mismatch},
                                        {"rule and target tables", test_tables},
                                        {"DN in SAP's notation", test_sap_dn},
                                        {"DN parts SAP may write differently", test_sap_dn_uncertain},
                                        {"landscape loader and JSON", test_loader},
                                        CU_TEST_INFO_NULL};
    unit_suite("plan", tests);
}
