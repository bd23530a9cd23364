/* Landscape-wide checks on a finished plan (checks.h).  Each check reads the
 * steps and the landscape and adds findings; the last two adjust steps
 * (blocked, cross-references).  Nothing here opens a file. */
#include "checks.h"
#include "rules.h"
#include "sapdn.h"
#include "planindex.h"
#include "store_index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chk {
    psc_plan *p;
    size_t *cap;
    int oom;
    /* Indexes that keep every check linear in the plan (a 2,000-system
     * landscape has ~10,000 steps and thousands of findings): */
    psc_keyidx seen;          /* findings by (code, system, cert): add()'s dedupe */
    unsigned char *roots;     /* sorted SHA-256s of the company's own roots */
    size_t nroots;
    int roots_done;
} chk;

static void add(chk *k, psc_severity sev, const char *code, const psc_system *sys,
                const psc_cert *cert, const char *remedy, const char *f, ...)
    __attribute__((format(printf, 7, 8)));
static void add(chk *k, psc_severity sev, const char *code, const psc_system *sys,
                const psc_cert *cert, const char *remedy, const char *f, ...)
{
    psc_plan *p = k->p;
    uint32_t key = psc_finding_key(code, sys, cert);
    for (uint32_t i = psc_keyidx_first(&k->seen, key); i != PSC_KEYIDX_END;
         i = psc_keyidx_next(&k->seen, i))
        if (strcmp(p->findings[i].code, code) == 0 && p->findings[i].system == sys &&
            p->findings[i].cert == cert)
            return;
    char msg[1024];
    va_list ap;
    va_start(ap, f);
    vsnprintf(msg, sizeof msg, f, ap);
    va_end(ap);
    char *m = strdup(msg);
    if (m == NULL || psc_grow((void **)&p->findings, k->cap, p->nfindings + 1,
                              sizeof *p->findings) != 0) {
        free(m);
        k->oom = 1;
        return;
    }
    if (psc_keyidx_push(&k->seen, key) != (uint32_t)p->nfindings) {
        free(m);
        k->oom = 1;
        return;
    }
    psc_finding *x = &p->findings[p->nfindings++];
    x->severity = sev;
    x->code = code;
    x->system = sys;
    x->cert = cert;
    x->message = m;
    x->remedy = remedy;
}

static psc_cert *top_of(psc_system *sys, psc_cert *leaf, time_t now)
{
    psc_chain ch;
    psc_chain_build(sys->store, leaf, now, &ch);
    return ch.len ? ch.certs[ch.len - 1] : leaf;
}

static int in_list(const psc_landscape *ls, const psc_cert *top)
{
    for (size_t i = 0; i < psc_store_cert_count(ls->trusted_cas); i++) {
        const psc_cert *r = psc_store_cert(ls->trusted_cas, i);
        if (memcmp(r->sha256, top->sha256, 32) == 0 ||
            (r->self_signed && strcmp(r->subject, top->subject) == 0) ||
            (!top->self_signed && strcmp(r->subject, top->issuer) == 0))
            return 1;
    }
    return 0;
}

static int cmp_sha(const void *a, const void *b) { return memcmp(a, b, 32); }

/* Does the root anchor a certificate of an abap or Web Dispatcher system in
 * the landscape?  Then it is the company's own CA, which SAP cannot know.
 * The roots of those systems are found once per plan and kept sorted: asked
 * per upload step, a walk over every system was 2,000 x 2,000 chain builds. */
static int company_root(chk *k, const psc_cert *top)
{
    const psc_plan *p = k->p;
    const psc_landscape *ls = p->landscape;
    if (!k->roots_done) {
        k->roots_done = 1;
        k->roots = malloc(ls->nsystems * 2 * 32 + 1);
        if (k->roots == NULL) {
            k->oom = 1;
            return 0;
        }
        for (size_t i = 0; i < ls->nsystems; i++) {
            psc_system *s = &ls->systems[i];
            if (s->type != PSC_SYS_ABAP && s->type != PSC_SYS_WEBDISPATCHER)
                continue;
            psc_key keys[] = {PSC_KEY_CLIENT_CERT, PSC_KEY_SERVER_CERT};
            for (size_t j = 0; j < 2; j++)
                if (s->files[keys[j]].leaf)
                    memcpy(k->roots + 32 * k->nroots++,
                           top_of(s, s->files[keys[j]].leaf, p->now)->sha256, 32);
        }
        qsort(k->roots, k->nroots, 32, cmp_sha);
    }
    return k->nroots > 0 && bsearch(top->sha256, k->roots, k->nroots, 32, cmp_sha) != NULL;
}

/* Where the client gets a certificate from an accepted CA, per system type. */
static const char *const remedy_client_ca[PSC_SYS_TYPE_COUNT] = {
    [PSC_SYS_ABAP] = "STRUST > SSL client Standard: Create certificate request, have it signed "
                     "by a CA SAP's load balancer accepts (SAP Help (Cloud Integration): \"Load "
                     "Balancer Root Certificates Supported by SAP\"; a company CA is not "
                     "accepted), Import certificate response, Save; then upload the new "
                     "certificate",
    [PSC_SYS_C4C] = "C4C: Communication Arrangements > the arrangement's communication system "
                    "credentials: use a certificate from a CA SAP's load balancer accepts (SAP "
                    "Help (Cloud Integration): \"Load Balancer Root Certificates Supported by "
                    "SAP\"), then upload it again",
    [PSC_SYS_CPI] = "use a client key from a CA SAP's load balancer accepts (SAP Help (Cloud "
                    "Integration): \"Load Balancer Root Certificates Supported by SAP\")",
    [PSC_SYS_WEBDISPATCHER] = "Web Dispatcher web admin > SSL and Trust Configuration > PSE "
                              "Management: a certificate from a CA SAP's load balancer accepts "
                              "(SAP Help (Cloud Integration): \"Load Balancer Root Certificates "
                              "Supported by SAP\")",
};

static void client_cas(chk *k)
{
    psc_plan *p = k->p;
    const psc_landscape *ls = p->landscape;
    if (ls->trusted_cas == NULL)
        return;
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        if (s->cert == NULL || s->owner == NULL || s->action != PSC_ACTION_UPLOAD ||
            s->system->type != PSC_SYS_CPI || s->cert->self_signed)
            continue; /* a self-signed one has its own finding and replace step */
        psc_cert *top = top_of((psc_system *)s->owner, s->cert, p->now);
        if (in_list(ls, top))
            continue;
        int own = company_root(k, top);
        add(k, own ? PSC_SEV_ERROR : PSC_SEV_WARNING, "client-ca-not-accepted", s->owner,
            s->cert, remedy_client_ca[s->owner->type],
            "%s's client certificate %s chains to %s, which is not in %s (%s): %s's load "
            "balancer refuses the handshake%s",
            s->owner->name, s->cert->subject, top->subject, ls->trusted_cas_file,
            ls->sap_list ? "sap_trusted_cas" : "public roots", s->system->name,
            own ? "; it is the company's own CA (it also issues certificates of the landscape's "
                  "SAP systems)" : "");
    }
}

static void neo_and_internet(chk *k)
{
    psc_plan *p = k->p;
    const psc_landscape *ls = p->landscape;
    for (size_t f = 0; f < ls->nflows; f++) {
        const psc_flow *fl = &ls->flows[f];
        for (size_t h = 0; h < fl->npath; h++) {
            const psc_system *a = &ls->systems[fl->path[h]];
            if (a->type == PSC_SYS_CPI && a->environment == PSC_CPI_NEO)
                add(k, PSC_SEV_INFO, "neo-environment", a, NULL,
                    "Move the tenant to Cloud Foundry: SAP Help: \"Migrating from the Neo "
                    "Environment to the Multi-Cloud Foundation\"",
                    "%s runs in the Neo environment, which SAP is retiring: plan the move of the "
                    "tenant to Cloud Foundry (callers then authenticate with a service key, "
                    "not the iFlow's sender channel)", a->name);
            if (h + 1 == fl->npath)
                continue;
            const psc_system *b = &ls->systems[fl->path[h + 1]];
            if (a->type == PSC_SYS_CPI && b->type == PSC_SYS_ABAP)
                add(k, PSC_SEV_WARNING, "backend-on-internet", b, NULL,
                    "Put a reverse proxy in front of the back end (SAP Web Dispatcher in the "
                    "DMZ: path ... -> HCI -> WD -> ERP) or connect through SAP Cloud Connector, "
                    "so that its HTTPS port is not open to the internet",
                    "%s calls %s directly (flow %s): %s's HTTPS port must be reachable from the "
                    "internet", a->name, b->name, fl->name, b->name);
        }
    }
}

/* SAP Cloud Connector: HCI's client certificate ends at the tunnel (the
 * receiver channel's "Client Certificate" never reaches the back end), and an
 * empty Trust Store lets SCC trust every back end. */
static void cloud_connector(chk *k)
{
    psc_plan *p = k->p;
    const psc_landscape *ls = p->landscape;
    for (size_t f = 0; f < ls->nflows; f++) {
        const psc_flow *fl = &ls->flows[f];
        for (size_t h = 0; h + 1 < fl->npath; h++) {
            const psc_system *a = &ls->systems[fl->path[h]], *b = &ls->systems[fl->path[h + 1]];
            const psc_system *be = h + 2 < fl->npath ? &ls->systems[fl->path[h + 2]] : NULL;
            const char *bn = be ? be->name : "the back end";
            if (a->type == PSC_SYS_CPI && b->type == PSC_SYS_CLOUDCONNECTOR &&
                fl->auth == PSC_AUTH_CERTIFICATE)
                add(k, PSC_SEV_WARNING, "client-cert-through-scc", a, NULL,
                    "Choose how the call logs on at the back end: principal propagation "
                    "(principal_propagation = yes: the message's user, R17..R19), the Cloud "
                    "Connector's system certificate mapped to a technical user (R16: channel "
                    "Authentication \"None\", System Certificate for Logon in SCC), or "
                    "auth = basic (the back-end user's credentials in the channel)",
                    "flow %s: a client certificate in %s's receiver channel (Authentication "
                    "\"Client Certificate\") does not reach %s through %s, which opens its own "
                    "TLS session to %s; this plan takes %s", fl->name, a->name, bn, b->name, bn,
                    b->principal_propagation
                        ? "principal propagation (principal_propagation = yes): channel "
                          "Authentication \"Principal Propagation\", steps R17..R19"
                        : "the Cloud Connector's system certificate mapped to the technical user "
                          "(R16): channel Authentication \"None\"");
            const psc_material *ts = &a->files[PSC_KEY_TRUST_STORE];
            if (a->type == PSC_SYS_CLOUDCONNECTOR && b->type == PSC_SYS_ABAP && ts->ncerts == 0)
                add(k, PSC_SEV_INFO, "scc-trust-store-empty", a, NULL,
                    "SCC administration UI > Configuration > On Premise > Trust Store > Add: the "
                    "root of each back end's server chain (step R20), so that only those back "
                    "ends are trusted",
                    "%s: %s trusts the server certificate of every back end (an empty Trust "
                    "Store is no allowlist); add %s's server root (R20) to restrict it",
                    ts->value == NULL ? "trust_store not given, so the Trust Store counts "
                                        "as empty"
                    : ts->path == NULL ? "trust_store = empty"
                                       : ts->value,
                    a->name, b->name);
        }
    }
}

static void dn_notation(chk *k)
{
    psc_plan *p = k->p;
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        char dn[1024];
        const char *why = NULL;
        if (s->action != PSC_ACTION_MAP_USER || s->cert == NULL ||
            (psc_sap_dn(s->cert, dn, sizeof dn, &why) == 0 && why == NULL))
            continue;
        add(k, PSC_SEV_WARNING, "dn-notation", s->system, s->cert,
            "Copy the DN from the certificate display in STRUST (the Subject as STRUST shows it) "
            "into VUSREXTID, or map with rules instead (transaction CERTRULE)",
            "the subject %s holds %s, which SAP's certificate display may write differently: "
            "VUSREXTID compares the DN as a string, so a different spelling fails the logon "
            "(401/403)", s->cert->subject, why ? why : "a part that cannot be decoded");
    }
}

/* The findings by code and by (code, certificate), and the replace steps by
 * (system, certificate): blocked() asks them once per step. */
typedef struct lookups {
    psc_keyidx by_code, by_code_cert; /* items: finding numbers */
    psc_keyidx replace;               /* items: positions in rep[] */
    size_t *rep;                      /* step numbers of the replace steps, in step order */
} lookups;

static uint32_t code_key(const char *code, const unsigned char *sha)
{
    uint32_t h = 2166136261u;
    for (; *code; code++)
        h = (h ^ (unsigned char)*code) * 16777619u;
    for (size_t i = 0; sha && i < 8; i++)
        h = (h ^ sha[i]) * 16777619u;
    return h;
}

static uint32_t replace_key(const psc_system *sys, const unsigned char *sha)
{
    uint32_t h = 2166136261u;
    uintptr_t v = (uintptr_t)sys;
    for (size_t i = 0; i < sizeof v; i++)
        h = (h ^ (unsigned char)(v >> (8 * i))) * 16777619u;
    for (size_t i = 0; i < 8; i++)
        h = (h ^ sha[i]) * 16777619u;
    return h;
}

static int lookups_build(lookups *l, const psc_plan *p)
{
    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < p->nfindings; i++) {
        const psc_finding *f = &p->findings[i];
        /* every finding gets an item in both (numbering stays the finding's) */
        if (psc_keyidx_push(&l->by_code, code_key(f->code, NULL)) == PSC_KEYIDX_END ||
            psc_keyidx_push(&l->by_code_cert, code_key(f->code, f->cert ? f->cert->sha256 : NULL)) ==
                PSC_KEYIDX_END)
            return -1;
    }
    l->rep = malloc((p->nsteps + 1) * sizeof *l->rep);
    if (l->rep == NULL)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *r = &p->steps[i];
        if (r->action != PSC_ACTION_REPLACE || r->cert == NULL)
            continue;
        if (psc_keyidx_push(&l->replace, replace_key(r->system, r->cert->sha256)) == PSC_KEYIDX_END)
            return -1;
        l->rep[n++] = i;
    }
    return 0;
}

static void lookups_free(lookups *l)
{
    psc_keyidx_free(&l->by_code);
    psc_keyidx_free(&l->by_code_cert);
    psc_keyidx_free(&l->replace);
    free(l->rep);
}

/* A finding with code (about a certificate with cert's SHA-256, when cert is given). */
static int has_finding(const lookups *l, const psc_plan *p, const char *code, const psc_cert *cert)
{
    const psc_keyidx *t = cert ? &l->by_code_cert : &l->by_code;
    for (uint32_t i = psc_keyidx_first(t, code_key(code, cert ? cert->sha256 : NULL));
         i != PSC_KEYIDX_END; i = psc_keyidx_next(t, i))
        if (strcmp(p->findings[i].code, code) == 0 &&
            (cert == NULL || (p->findings[i].cert &&
                              memcmp(p->findings[i].cert->sha256, cert->sha256, 32) == 0)))
            return 1;
    return 0;
}

/* A step whose certificate is replaced (R3, R12) or out of its validity waits
 * for the replacement: status blocked, no export file. */
static void blocked(const lookups *l, psc_plan *p)
{
    for (size_t i = 0; i < p->nsteps; i++) {
        psc_step *s = &p->steps[i];
        if (s->status != PSC_STATUS_TODO || s->cert == NULL || s->action == PSC_ACTION_REPLACE)
            continue;
        /* the first replace step (in step order) of the same certificate in the owner */
        for (uint32_t j = psc_keyidx_first(&l->replace, replace_key(s->owner, s->cert->sha256));
             j != PSC_KEYIDX_END && !s->blocked_by; j = psc_keyidx_next(&l->replace, j)) {
            const psc_step *r = &p->steps[l->rep[j]];
            if (r->system == s->owner && memcmp(r->cert->sha256, s->cert->sha256, 32) == 0)
                s->blocked_by = r->id;
        }
        if (!s->blocked_by && s->cert->not_after < p->now && has_finding(l, p, "expired", s->cert))
            s->blocked_by = "expired";
        if (!s->blocked_by && s->cert->not_before > p->now &&
            has_finding(l, p, "not-yet-valid", s->cert))
            s->blocked_by = "not-yet-valid";
        if (s->blocked_by)
            s->status = PSC_STATUS_BLOCKED;
    }
}

static void cross_references(const lookups *l, psc_plan *p)
{
    for (size_t i = 0; i < p->nsteps; i++)
        if (p->steps[i].see && !has_finding(l, p, p->steps[i].see, NULL))
            p->steps[i].see = NULL;
}

int psc_plan_checks(psc_plan *p, size_t *cap)
{
    chk k;
    memset(&k, 0, sizeof k);
    k.p = p;
    k.cap = cap;
    for (size_t i = 0; i < p->nfindings && !k.oom; i++) /* the planner's findings count too */
        if (psc_keyidx_push(&k.seen, psc_finding_key(p->findings[i].code, p->findings[i].system,
                                                 p->findings[i].cert)) == PSC_KEYIDX_END)
            k.oom = 1;
    if (!k.oom)
        client_cas(&k);
    if (!k.oom)
        neo_and_internet(&k);
    if (!k.oom)
        cloud_connector(&k);
    if (!k.oom)
        dn_notation(&k);
    psc_keyidx_free(&k.seen);
    free(k.roots);
    lookups l;
    memset(&l, 0, sizeof l);
    if (!k.oom && lookups_build(&l, p) == 0) {
        blocked(&l, p);
        cross_references(&l, p);
    } else {
        k.oom = 1;
    }
    lookups_free(&l);
    return k.oom ? -1 : 0;
}
