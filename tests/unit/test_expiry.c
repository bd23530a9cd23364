/* expiry.c, ics.c and delta.c through their library API: root families,
 * RFC 5545 folding of UTF-8 text, the fixture landscape's certificates and
 * forced steps, and the delta of two plans (same plan; one step with
 * another certificate; a user mapping with the same DN). */
#include "unit.h"
#include "delta.h"
#include "expiry.h"
#include "planner.h"
#include "expiry_render.h"

#include <stdlib.h>
#include <string.h>

static void test_family(void)
{
    char a[300], b[300];
    psc_expiry_family("CN=DigiCert Global Root CA, OU=www.digicert.com, O=DigiCert Inc, C=US", a,
                      sizeof a);
    psc_expiry_family("CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US", b,
                      sizeof b);
    CU_ASSERT_STRING_EQUAL(a, "digicert inc|digicert global root");
    CU_ASSERT_STRING_EQUAL(a, b);
    psc_expiry_family("CN=DigiCert Global Root G3, O=DigiCert Inc, C=US", b, sizeof b);
    CU_ASSERT_STRING_EQUAL(a, b);
    psc_expiry_family("CN=Baltimore CyberTrust Root, OU=CyberTrust, O=Baltimore, C=IE", b, sizeof b);
    CU_ASSERT_STRING_EQUAL(b, "baltimore|baltimore cybertrust root");
    psc_expiry_family("CN=GlobalSign Root CA - R3, O=GlobalSign", a, sizeof a);
    CU_ASSERT_STRING_EQUAL(a, "globalsign|globalsign root");
    /* the same CN under another O is another family */
    psc_expiry_family("CN=DigiCert Global Root G2, O=Someone Else", b, sizeof b);
    CU_ASSERT_STRING_NOT_EQUAL(b, "digicert inc|digicert global root");
    /* a CN that is only a generation word is kept as it is */
    psc_expiry_family("CN=CA, O=X", a, sizeof a);
    CU_ASSERT_STRING_EQUAL(a, "x|ca");
}

/* A hand-made expiry of one certificate with a long UTF-8 subject. */
static void test_ics_folding(void)
{
    psc_landscape ls = {0};
    ls.name = "Ümlaut-Landschaft";
    psc_plan p = {0};
    p.landscape = &ls;
    p.now = 1767225600; /* 2026-01-01T00:00:00Z */
    psc_system sys = {0};
    sys.name = "ERP";
    psc_cert c = {0};
    c.subject = "CN=Überweisungsschnittstelle für die Großkundenabrechnung äöü ÄÖÜ ß "
                "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€, O=Müller; Söhne, C=DE";
    c.not_after = p.now + 40 * 86400;
    strcpy(c.sha256_hex, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    psc_expiry_cert ec = {0};
    ec.cert = &c;
    ec.owner = &sys;
    ec.key = "client_cert";
    ec.days_left = 40;
    ec.renew_by = c.not_after - 30 * 86400;
    psc_expiry x = {0};
    x.plan = &p;
    x.lead_days = 30;
    x.within_days = 30;
    x.certs = &ec;
    x.ncerts = 1;
    psc_buf b;
    psc_buf_init(&b);
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(psc_expiry_render(&x, PSC_EXPIRY_ICS, &b, &e), PSC_OK);
    psc_buf_cstr(&b);
    const char *s = (const char *)b.data;
    /* every physical line <= 75 octets, ends CRLF, and no fold splits a UTF-8 sequence */
    size_t lines = 0, folded = 0;
    for (const char *l = s; *l;) {
        const char *end = strstr(l, "\r\n");
        CU_ASSERT_PTR_NOT_NULL_FATAL(end);
        CU_ASSERT((size_t)(end - l) <= 75);
        CU_ASSERT(((unsigned char)l[0] & 0xC0) != 0x80);
        if (l[0] == ' ') {
            folded++;
            CU_ASSERT(((unsigned char)l[1] & 0xC0) != 0x80);
        }
        for (const char *q = l; q < end; q++)
            CU_ASSERT(*q != '\n' && *q != '\r');
        lines++;
        l = end + 2;
    }
    CU_ASSERT(lines > 20);
    CU_ASSERT(folded >= 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "DTSTART:20260111T000000Z\r\n"));  /* 40 - 30 days */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "DTSTART:20260210T000000Z\r\n"));  /* expiry */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "DTSTAMP:20260101T000000Z\r\n"));
    /* TEXT escaping: the comma and semicolon of the subject */
    char *unfolded = malloc(b.len + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(unfolded);
    size_t n = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (i + 2 < b.len && s[i] == '\r' && s[i + 1] == '\n' && s[i + 2] == ' ') {
            i += 2;
            continue;
        }
        unfolded[n++] = s[i];
    }
    unfolded[n] = '\0';
    CU_ASSERT_PTR_NOT_NULL(strstr(unfolded, "O=Müller\\; Söhne\\, C=DE"));
    CU_ASSERT_PTR_NOT_NULL(strstr(unfolded, "UID:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff-renew@pseconv\r\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(unfolded, "Renewal forces: nothing in the plan"));
    free(unfolded);
    psc_buf_free(&b, 0);
}

static const psc_expiry_cert *by_subject(const psc_expiry *x, const char *prefix)
{
    for (size_t i = 0; i < x->ncerts; i++)
        if (strncmp(x->certs[i].cert->subject, prefix, strlen(prefix)) == 0)
            return &x->certs[i];
    return NULL;
}

static int forces(const psc_expiry_cert *c, const char *sys, const char *id, int cond)
{
    for (size_t i = 0; i < c->nforces; i++)
        if (strcmp(c->forces[i].step->system->name, sys) == 0 &&
            strcmp(c->forces[i].step->id, id) == 0 && c->forces[i].if_issuer_changes == cond)
            return 1;
    return 0;
}

static void test_fixture_landscape(void)
{
    psc_plan *p = NULL;
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(unit_fixture("landscape/landscape.ini"),
                                                1767225600, &p, &e), PSC_OK);
    psc_expiry *x = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_expiry_build(p, 30, -1, &x, &e), PSC_OK);
    CU_ASSERT_EQUAL(x->within_days, 30);
    CU_ASSERT(x->ncerts >= 10);
    for (size_t i = 1; i < x->ncerts; i++) {
        CU_ASSERT(x->certs[i - 1].cert->not_after <= x->certs[i].cert->not_after);
        for (size_t j = 0; j < i; j++) /* each certificate once */
            CU_ASSERT(memcmp(x->certs[i].cert->sha256, x->certs[j].cert->sha256, 32) != 0);
    }
    const psc_expiry_cert *hci = by_subject(x, "CN=hci-tenant-p1234.eu1.hana.ondemand.com client");
    CU_ASSERT_PTR_NOT_NULL_FATAL(hci);
    CU_ASSERT_STRING_EQUAL(hci->owner->name, "HCI");
    CU_ASSERT_STRING_EQUAL(hci->key, "client_cert");
    CU_ASSERT_EQUAL(hci->role, PSC_ROLE_LEAF);
    CU_ASSERT(forces(hci, "C4C", "R4", 0));
    CU_ASSERT(forces(hci, "ERP", "R10", 0));
    CU_ASSERT(forces(hci, "WD", "R9", 1));
    CU_ASSERT_EQUAL(hci->renew_by, hci->cert->not_after - 30 * 86400);
    CU_ASSERT_PTR_NOT_NULL(hci->root);
    /* the fixture's certificates run to 2045: nothing due on 2026-01-01, no finding */
    CU_ASSERT_EQUAL(psc_expiry_due(x), 0);
    CU_ASSERT_EQUAL(x->nfindings, 0);
    psc_buf b;
    psc_buf_init(&b);
    CU_ASSERT_EQUAL(psc_expiry_render(x, PSC_EXPIRY_CSV, &b, &e), PSC_OK);
    psc_buf_cstr(&b);
    CU_ASSERT_EQUAL(strncmp((const char *)b.data, "not_after,days_left,renew_by,state,owner,"
                                                  "owner_key,role,subject,sha256,system,rule,"
                                                  "target,action,task\r\n", 94), 0);
    psc_buf_free(&b, 0);
    psc_expiry_free(x);
    /* a date past every expiry: all due, the roots that are used get root-expiring errors */
    p->now = (time_t)2524608000 + 20L * 365 * 86400;
    CU_ASSERT_EQUAL_FATAL(psc_expiry_build(p, 30, 0, &x, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_expiry_due(x), x->ncerts);
    CU_ASSERT(x->nfindings > 0);
    for (size_t i = 0; i < x->nfindings; i++) {
        CU_ASSERT_STRING_EQUAL(x->findings[i].code, "root-expiring");
        CU_ASSERT_EQUAL(x->findings[i].severity, PSC_SEV_ERROR);
        CU_ASSERT_PTR_NULL(x->findings[i].successor);
    }
    psc_expiry_free(x);
    psc_plan_free(p);
}

static void test_delta(void)
{
    psc_plan *a = NULL, *b = NULL;
    psc_err e = {0};
    const char *ls = unit_fixture("landscape/landscape.ini");
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(ls, 1767225600, &a, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_plan_load_and_run(ls, 1767225600, &b, &e), PSC_OK);
    psc_delta *d = NULL;
    CU_ASSERT_EQUAL_FATAL(psc_delta_compute(a, b, &d, &e), PSC_OK);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_NEW], 0);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_CLEANUP], 0);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_KEPT], b->nsteps);
    CU_ASSERT_EQUAL(psc_delta_new_plan(d)->nsteps, 0);
    psc_delta_free(d);

    /* the same steps in the opposite order: still all kept, each paired with its
       equal (pairing goes through an index of the old steps, not their order) */
    for (size_t i = 0, j = b->nsteps - 1; i < j; i++, j--) {
        psc_step t = b->steps[i];
        b->steps[i] = b->steps[j];
        b->steps[j] = t;
    }
    CU_ASSERT_EQUAL_FATAL(psc_delta_compute(a, b, &d, &e), PSC_OK);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_KEPT], b->nsteps);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_NEW] + d->count[PSC_DELTA_CLEANUP], 0);
    size_t paired_equal = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        const psc_step *n = d->items[i].step, *o = d->items[i].old;
        if (o != NULL && strcmp(o->system->name, n->system->name) == 0 &&
            strcmp(o->id, n->id) == 0 && strcmp(o->target, n->target) == 0 &&
            o->action == n->action && (o->cert == NULL) == (n->cert == NULL) &&
            (o->cert == NULL || memcmp(o->cert->sha256, n->cert->sha256, 32) == 0))
            paired_equal++;
    }
    CU_ASSERT_EQUAL(paired_equal, b->nsteps);
    psc_delta_free(d);
    for (size_t i = 0, j = b->nsteps - 1; i < j; i++, j--) {
        psc_step t = b->steps[i];
        b->steps[i] = b->steps[j];
        b->steps[j] = t;
    }

    /* the new plan's C4C upload (R4) and ERP mapping (R10) now carry another
       certificate with another DN: both new, both old ones cleaned up */
    psc_cert other = *b->steps[0].cert;
    memset(other.sha256, 0xAB, 32);
    other.subject = "CN=renewed, O=SAP SE, C=DE";
    psc_cert *saved[64];
    size_t changed = 0;
    for (size_t i = 0; i < b->nsteps && i < 64; i++) {
        saved[i] = b->steps[i].cert;
        if ((strcmp(b->steps[i].id, "R4") == 0 || strcmp(b->steps[i].id, "R10") == 0) &&
            b->steps[i].cert) {
            b->steps[i].cert = &other;
            changed++;
        }
    }
    CU_ASSERT_EQUAL_FATAL(changed, 2);
    CU_ASSERT_EQUAL_FATAL(psc_delta_compute(a, b, &d, &e), PSC_OK);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_NEW], 2);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_CLEANUP], 2);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_KEPT], b->nsteps - 2);
    const psc_plan *v = psc_delta_new_plan(d);
    CU_ASSERT_EQUAL(v->nsteps, 2);
    for (size_t i = 0; i < d->nitems; i++) {
        const psc_delta_item *it = &d->items[i];
        if (it->kind == PSC_DELTA_CLEANUP && strcmp(it->step->id, "R10") == 0)
            CU_ASSERT_STRING_EQUAL(it->task, "deactivate the old VUSREXTID line after cut-over");
        if (it->kind == PSC_DELTA_NEW)
            CU_ASSERT_PTR_EQUAL(it->step->cert, &other);
    }
    psc_delta_free(d);

    /* same DN: the R10 mapping stays, only the upload is new */
    other.subject = b->steps[0].cert->subject;
    for (size_t i = 0; i < b->nsteps && i < 64; i++)
        if (strcmp(b->steps[i].id, "R10") == 0 && b->steps[i].cert == &other)
            other.subject = saved[i]->subject;
    CU_ASSERT_EQUAL_FATAL(psc_delta_compute(a, b, &d, &e), PSC_OK);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_NEW], 1);
    CU_ASSERT_EQUAL(d->count[PSC_DELTA_CLEANUP], 1);
    for (size_t i = 0; i < d->nitems; i++)
        if (strcmp(d->items[i].step->id, "R10") == 0)
            CU_ASSERT_EQUAL(d->items[i].kind, PSC_DELTA_KEPT);
    psc_buf out;
    psc_buf_init(&out);
    CU_ASSERT_EQUAL(psc_delta_render(d, PSC_PLAN_DOT, &out, &e), PSC_EUSAGE);
    psc_buf_free(&out, 0);
    psc_delta_free(d);
    for (size_t i = 0; i < b->nsteps && i < 64; i++)
        b->steps[i].cert = saved[i];
    psc_plan_free(a);
    psc_plan_free(b);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {{"root family", test_family},
                                        {"ics folding of UTF-8 text", test_ics_folding},
                                        {"fixture landscape", test_fixture_landscape},
                                        {"delta of two plans", test_delta},
                                        {NULL, NULL}};
    unit_suite("expiry", tests);
}
