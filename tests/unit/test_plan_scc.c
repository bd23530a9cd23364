/* SAP Cloud Connector rules (R14..R20) on the fixture landscapes and on small
 * INI files: which rows apply with and without principal propagation, the
 * issuer pick, the Trust Store allowlist, the loader's words. */
#include "unit.h"
#include "planner.h"
#include "landscape.h"
#include "rules.h"
#include "landscape_scc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char fps[8][65];

/* SHA-256 hex of the first certificate of a fixture, by OpenSSL. */
static const char *fp(int slot, const char *rel)
{
    unsigned char md[4][32];
    CU_ASSERT_FATAL(unit_openssl_fps(unit_fixture(rel), md, 4) >= 1);
    for (int i = 0; i < 32; i++)
        sprintf(fps[slot] + 2 * i, "%02x", md[0][i]);
    return fps[slot];
}

static psc_plan *load(const char *path)
{
    psc_plan *p = NULL;
    psc_err e = {0};
    int rc = psc_plan_load_and_run(path, time(NULL), &p, &e);
    if (rc != PSC_OK)
        fprintf(stderr, "%s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, PSC_OK);
    return p;
}

static const psc_step *step(const psc_plan *p, const char *id, const char *sys, const char *target)
{
    for (size_t i = 0; i < p->nsteps; i++)
        if (strcmp(p->steps[i].id, id) == 0 && strcmp(p->steps[i].system->name, sys) == 0 &&
            strcmp(p->steps[i].target, target) == 0)
            return &p->steps[i];
    return NULL;
}

static size_t count_id(const psc_plan *p, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nsteps; i++)
        n += strcmp(p->steps[i].id, id) == 0;
    return n;
}

static const psc_finding *finding(const psc_plan *p, const char *code)
{
    for (size_t i = 0; i < p->nfindings; i++)
        if (strcmp(p->findings[i].code, code) == 0)
            return &p->findings[i];
    return NULL;
}

static void test_tables(void)
{
    CU_ASSERT(psc_rules_cover(PSC_SYS_CPI, PSC_SYS_CLOUDCONNECTOR));
    CU_ASSERT(psc_rules_cover(PSC_SYS_CLOUDCONNECTOR, PSC_SYS_ABAP));
    CU_ASSERT(!psc_rules_cover(PSC_SYS_C4C, PSC_SYS_CLOUDCONNECTOR));
    CU_ASSERT(!psc_rules_cover(PSC_SYS_CLOUDCONNECTOR, PSC_SYS_CPI));
    CU_ASSERT_STRING_EQUAL(psc_system_type_name(PSC_SYS_CLOUDCONNECTOR), "cloudconnector");
    CU_ASSERT_STRING_EQUAL(psc_key_name(PSC_KEY_TRUST_STORE), "trust_store");
    CU_ASSERT(psc_key_is_state(PSC_KEY_TRUST_STORE));
    CU_ASSERT(!psc_key_is_state(PSC_KEY_SYSTEM_CERT));
    CU_ASSERT(!psc_key_is_state(PSC_KEY_CA_CERT));
    CU_ASSERT_PTR_NOT_NULL(strstr(psc_target_words(PSC_SYS_CLOUDCONNECTOR, "scc-trust-store"),
                                  "Configuration > On Premise > Trust Store"));
    CU_ASSERT_EQUAL(psc_target_state_key(PSC_SYS_CLOUDCONNECTOR, "scc-trust-store"),
                    PSC_KEY_TRUST_STORE);

    /* every R16..R19 row depends on principal propagation, R15 and R20 do not */
    psc_system hci = {0}, scc = {0}, erp = {0};
    hci.type = PSC_SYS_CPI;
    scc.type = PSC_SYS_CLOUDCONNECTOR;
    erp.type = PSC_SYS_ABAP;
    size_t with[2] = {0, 0}, cert_rows = 0;
    for (int pp = 0; pp < 2; pp++) {
        scc.principal_propagation = pp;
        for (size_t i = 0; i < psc_rule_count(); i++) {
            const psc_rule *r = psc_rule_at(i);
            if (!psc_rule_applies(r, &scc, &erp, PSC_AUTH_CERTIFICATE))
                continue;
            with[pp]++;
            CU_ASSERT(strcmp(r->id, pp ? "R16" : "R17") != 0);
            CU_ASSERT(strcmp(r->id, pp ? "R16" : "R18") != 0);
            CU_ASSERT(strcmp(r->id, pp ? "R16" : "R19") != 0);
        }
    }
    CU_ASSERT_EQUAL(with[0], 3); /* R15, R16, R20 */
    CU_ASSERT_EQUAL(with[1], 6); /* R15, R17 x2, R18, R19, R20 */
    for (size_t i = 0; i < psc_rule_count(); i++) {
        const psc_rule *r = psc_rule_at(i);
        cert_rows += psc_rule_applies(r, &scc, &erp, PSC_AUTH_BASIC);
        if (psc_rule_applies(r, &hci, &scc, PSC_AUTH_BASIC)) {
            CU_ASSERT_STRING_EQUAL(r->id, "R14");
            CU_ASSERT_EQUAL(r->pick, PSC_PICK_NONE);
        }
    }
    CU_ASSERT_EQUAL(cert_rows, 1); /* basic: only R20 (SCC trusts ERP) */
}

static void test_words(void)
{
    psc_system s = {0};
    s.name = "SCC";
    char msg[200] = "";
    CU_ASSERT_EQUAL(psc_landscape_scc_keys(&s, "yes", msg, sizeof msg), 0);
    CU_ASSERT_EQUAL(s.principal_propagation, 1);
    CU_ASSERT_EQUAL(psc_landscape_scc_keys(&s, NULL, msg, sizeof msg), 0);
    CU_ASSERT_EQUAL(s.principal_propagation, 0);
    CU_ASSERT_EQUAL(psc_landscape_scc_keys(&s, "perhaps", msg, sizeof msg), -1);
    CU_ASSERT_STRING_EQUAL(msg, "principal_propagation = 'perhaps' in [system SCC]; accepted: yes, no");
    CU_ASSERT(psc_landscape_scc_empty_store("empty"));
    CU_ASSERT(!psc_landscape_scc_empty_store("empty.pem"));
}

static void test_without_pp(void)
{
    psc_plan *p = load(unit_fixture("landscape/scc.ini"));
    const psc_step *r15 = step(p, "R15", "ERP", "strust-ssl-server-standard");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r15);
    CU_ASSERT_STRING_EQUAL(r15->cert->sha256_hex, fp(0, "landscape/scc/scc-issuing.crt"));
    CU_ASSERT_EQUAL(r15->cert_role, PSC_ROLE_INTERMEDIATE);
    CU_ASSERT_STRING_EQUAL(r15->owner->name, "SCC");
    const psc_step *r16 = step(p, "R16", "ERP", "user-mapping");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r16);
    CU_ASSERT_STRING_EQUAL(r16->cert->sha256_hex, fp(1, "landscape/scc/scc-system.crt"));
    CU_ASSERT_STRING_EQUAL(r16->service_user, "CODINTG");
    const psc_step *r20 = step(p, "R20", "SCC", "scc-trust-store");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r20);
    CU_ASSERT(r20->required); /* the trust store lists a certificate: an allowlist */
    CU_ASSERT_EQUAL(r20->status, PSC_STATUS_TODO);
    CU_ASSERT_STRING_EQUAL(r20->cert->sha256_hex, fp(2, "pki/corp-root.crt"));
    const psc_step *r14 = step(p, "R14", "HCI", "onpremise-proxy");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r14);
    CU_ASSERT(r14->setting);
    CU_ASSERT_PTR_NULL(r14->cert);
    CU_ASSERT_PTR_NOT_NULL(strstr(r14->detail, "Authentication \"None\""));
    CU_ASSERT_EQUAL(count_id(p, "R17") + count_id(p, "R18") + count_id(p, "R19"), 0);
    const psc_finding *f = finding(p, "client-cert-through-scc");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(f->severity, PSC_SEV_WARNING);
    CU_ASSERT_STRING_EQUAL(f->system->name, "HCI");
    CU_ASSERT_PTR_NULL(finding(p, "scc-trust-store-empty"));
    psc_plan_free(p);
}

static void test_with_pp(void)
{
    psc_plan *p = load(unit_fixture("landscape/scc-pp.ini"));
    const char *ca = fp(0, "landscape/scc/scc-ca.crt");
    size_t n17 = 0;
    for (size_t i = 0; i < p->nsteps; i++)
        if (strcmp(p->steps[i].id, "R17") == 0 && p->steps[i].cert) {
            n17++;
            CU_ASSERT_STRING_EQUAL(p->steps[i].cert->sha256_hex, ca);
            CU_ASSERT(p->steps[i].pp_ca);
            CU_ASSERT_STRING_EQUAL(p->steps[i].target, "strust-ssl-server-standard");
        }
    CU_ASSERT_EQUAL(n17, 1);
    const psc_step *r18 = step(p, "R18", "ERP", "icm-trust-scc");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r18);
    CU_ASSERT_STRING_EQUAL(r18->cert->sha256_hex, fp(1, "landscape/scc/scc-system.crt"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r18->detail, "icm/HTTPS/trust_client_with_subject = "
                                               "CN=scc.nordwind.example, OU=SAP"));
    const psc_step *r19 = step(p, "R19", "ERP", "certrule");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r19);
    CU_ASSERT_EQUAL(r19->action, PSC_ACTION_CONFIGURE);
    CU_ASSERT_EQUAL(count_id(p, "R16"), 0);
    const psc_step *r20 = step(p, "R20", "SCC", "scc-trust-store");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r20);
    CU_ASSERT(!r20->required); /* no trust_store: SCC trusts every back end */
    const psc_finding *f = finding(p, "scc-trust-store-empty");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(f->severity, PSC_SEV_INFO);
    CU_ASSERT(!psc_plan_has_errors(p));
    psc_plan_free(p);
}

/* A self-signed system certificate is its own issuer; without system_cert and
 * chain, R15 names the missing key. */
static void test_issuer_edges(void)
{
    char text[3 * PATH_MAX + 256], path[512], abs[3][PATH_MAX];
    const char *rel[3] = {"landscape/scc/scc-ca.crt", "pki/erp-server.crt", "pki/corp-chain.pem"};
    for (int i = 0; i < 3; i++) /* unit_fixture's buffer is static; the ini lives elsewhere */
        CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(unit_fixture(rel[i]), abs[i]));
    snprintf(path, sizeof path, "%s/selfsigned.ini", unit_tmpdir());
    snprintf(text, sizeof text,
             "[system SCC]\ntype = cloudconnector\nsystem_cert = %s\n"
             "[system ERP]\ntype = abap\nserver_cert = %s\nchain = %s\nservice_user = U\n"
             "[system X]\ntype = cloudconnector\n"
             "[flow a]\npath = SCC -> ERP\n[flow b]\npath = X -> ERP\n",
             abs[0], abs[1], abs[2]);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    psc_plan *p = load(path);
    const char *self = fp(0, "landscape/scc/scc-ca.crt");
    int self_issuer = 0, missing = 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        if (strcmp(s->id, "R15") != 0)
            continue;
        if (s->cert && strcmp(s->cert->sha256_hex, self) == 0 && s->cert_role == PSC_ROLE_LEAF)
            self_issuer++;
        if (s->cert == NULL && s->see && strcmp(s->see, "missing-input") == 0)
            missing++;
    }
    CU_ASSERT_EQUAL(self_issuer, 1);
    CU_ASSERT_EQUAL(missing, 1);
    int named = 0;
    for (size_t i = 0; i < p->nfindings; i++)
        named += strstr(p->findings[i].message, "'system_cert = FILE' to [system X]") != NULL;
    CU_ASSERT(named >= 1);
    CU_ASSERT(psc_plan_has_errors(p));
    psc_plan_free(p);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {{"rule and target tables", test_tables},
                                        {"principal_propagation and trust_store words", test_words},
                                        {"without principal propagation (R15, R16, R20)", test_without_pp},
                                        {"with principal propagation (R17, R18, R19)", test_with_pp},
                                        {"issuer pick: self-signed, missing", test_issuer_edges},
                                        CU_TEST_INFO_NULL};
    unit_suite("plan-scc", tests);
}
