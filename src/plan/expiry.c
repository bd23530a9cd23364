/* Certificates of a landscape -> owners, the steps that use them, what their
 * renewal forces, and the root-rotation findings (see expiry.h).  Reads only
 * the finished plan and the landscape's stores; the one file it opens is the
 * landscape's sap_trusted_cas list. */
#include "expiry.h"
#include "format.h"
#include "rules.h"
#include "landscape.h"
#include "store_index.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a step means again once its certificate is renewed.  First match wins:
 * (action, target or NULL = any, role or -1 = any). */
typedef struct task_row {
    psc_action action;
    const char *target;
    int role;
    const char *task;
} task_row;

static const task_row tasks[] = {
    {PSC_ACTION_IMPORT, "trust-list", -1,
     "kept by SAP: check that the trust list holds the renewed CA"},
    {PSC_ACTION_IMPORT, NULL, PSC_ROLE_ROOT,
     "import the new root alongside the old one (both during the transition); remove the "
     "old root after cut-over"},
    {PSC_ACTION_IMPORT, NULL, PSC_ROLE_INTERMEDIATE,
     "import the new intermediate; remove the old one after cut-over"},
    {PSC_ACTION_IMPORT, NULL, -1,
     "import the renewed certificate; remove the old one after cut-over"},
    {PSC_ACTION_UPLOAD, "service-key", -1,
     "create a service key with the renewed certificate; delete the old service key after "
     "cut-over"},
    {PSC_ACTION_UPLOAD, "iflow-sender", -1,
     "upload the renewed certificate to the sender channel; remove the old one after cut-over"},
    {PSC_ACTION_UPLOAD, NULL, -1,
     "upload the renewed certificate; remove the old one after cut-over"},
    {PSC_ACTION_MAP_USER, NULL, -1,
     "map the renewed certificate's DN in VUSREXTID (same DN: no change needed, check); "
     "deactivate the old line after cut-over"},
    {PSC_ACTION_CONFIGURE, NULL, -1,
     "check the trusted intermediary's DN (same DN: no change needed)"},
    {PSC_ACTION_REPLACE, NULL, -1,
     "replace it with the renewed CA-signed certificate"},
};

static const char issuer_task[] =
    "if the issuer changes: import the new issuer (keep the old one until cut-over)";

static const char *task_for(const psc_step *s)
{
    for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++) {
        const task_row *t = &tasks[i];
        if (t->action == s->action && (t->target == NULL || strcmp(t->target, s->target) == 0) &&
            (t->role < 0 || t->role == (int)s->cert_role))
            return t->task;
    }
    return "do this step again with the renewed certificate";
}

/* Words for the owner's key: what a Basis admin calls the certificate. */
typedef struct key_words_row {
    psc_key key;
    const char *words;
} key_words_row;
static const key_words_row key_words[] = {
    {PSC_KEY_CLIENT_CERT, "client certificate"},
    {PSC_KEY_SERVER_CERT, "server certificate"},
    {PSC_KEY_CHAIN, "chain"},
    {PSC_KEY_CLIENT_CHAIN, "client chain"},
    {PSC_KEY_SERVER_CHAIN, "server chain"},
    {PSC_KEY_SSL_CLIENT_PSE, "SSL client PSE"},
    {PSC_KEY_SSL_SERVER_PSE, "SSL server PSE"},
    {PSC_KEY_SSL_ANONYMOUS_PSE, "anonymous SSL client PSE"},
    {PSC_KEY_KEYSTORE, "keystore"},
};

const char *psc_expiry_key_words(const psc_expiry_cert *c)
{
    for (size_t i = 0; i < sizeof key_words / sizeof key_words[0]; i++)
        if (strcmp(psc_key_name(key_words[i].key), c->key) == 0)
            return key_words[i].words;
    return c->key;
}

/* ---- collecting ----------------------------------------------------------- */

/* Every lookup goes through an index, so expiry stays linear in the
 * landscape: a scan of the collected certificates per certificate, of all
 * plan steps per certificate and per issuer of each leaf (with the rule table
 * read for every step), and of all certificates per root made it quadratic. */
typedef struct collect {
    psc_expiry *x;
    size_t cap;
    psc_keyidx seen;      /* x->certs[i] by SHA-256, while collecting (before the sort) */
} collect;

typedef struct step_index {
    psc_keyidx by_cert;   /* plan step i by its certificate's SHA-256 */
    psc_keyidx by_owner;  /* plan step i by (owner, certificate) */
} step_index;

static uint32_t owner_cert_key(const psc_system *owner, const psc_cert *c)
{
    uint32_t h = psc_hash_bytes(PSC_HASH_INIT, &owner, sizeof owner);
    return c ? psc_hash_bytes(h, c->sha256, 32) : h;
}

static int listed(const collect *c, const psc_cert *cert)
{
    for (uint32_t i = psc_keyidx_first(&c->seen, psc_sha256_key(cert->sha256));
         i != PSC_KEYIDX_END; i = psc_keyidx_next(&c->seen, i))
        if (memcmp(c->x->certs[i].cert->sha256, cert->sha256, 32) == 0)
            return 1;
    return 0;
}

/* A certificate not yet listed (the caller checks): own files are collected before
   current state, so the first system to hold it is its owner. */
static int add_cert(collect *c, psc_cert *cert, const psc_system *sys, psc_key k)
{
    psc_expiry *x = c->x;
    if (psc_grow((void **)&x->certs, &c->cap, x->ncerts + 1, sizeof *x->certs) != 0 ||
        psc_keyidx_push(&c->seen, psc_sha256_key(cert->sha256)) != (uint32_t)x->ncerts)
        return -1;
    psc_expiry_cert *n = &x->certs[x->ncerts++];
    memset(n, 0, sizeof *n);
    n->cert = cert;
    n->owner = sys;
    n->key = psc_key_name(k);
    return 0;
}

static int owner_key_is_state(const psc_expiry_cert *c)
{
    for (int k = 0; k < PSC_KEY_COUNT; k++)
        if (strcmp(psc_key_name((psc_key)k), c->key) == 0)
            return psc_key_is_state((psc_key)k);
    return 0;
}

static psc_store *owner_store(const psc_expiry_cert *c)
{
    return owner_key_is_state(c) ? c->owner->state : c->owner->store;
}

static int push_force(psc_expiry_cert *ec, const psc_step *s, const char *task, int cond)
{
    for (size_t i = 0; i < ec->nforces; i++)
        if (ec->forces[i].step == s)
            return 0;
    psc_expiry_force *n = realloc(ec->forces, (ec->nforces + 1) * sizeof *n);
    if (n == NULL)
        return -1;
    ec->forces = n;
    ec->forces[ec->nforces++] = (psc_expiry_force){s, task, cond};
    return 0;
}

/* Which identity (client or server certificate) a step's rule takes its
   certificate from; -1 when rows of that id and target differ or none matches. */
static int identity_of_step(const psc_step *s)
{
    int kind = -1;
    for (size_t i = 0; i < psc_rule_count(); i++) {
        const psc_rule *r = psc_rule_at(i);
        if (strcmp(r->id, s->id) != 0 || strcmp(r->target, s->target) != 0 ||
            r->action != s->action)
            continue;
        if (kind >= 0 && kind != (int)r->identity)
            return -1;
        kind = (int)r->identity;
    }
    return kind;
}

/* Which identity a key holds; -1 for keys both share (chain) and current state. */
static int identity_of_key(const char *key)
{
    if (strcmp(key, psc_key_name(PSC_KEY_CLIENT_CERT)) == 0 ||
        strcmp(key, psc_key_name(PSC_KEY_CLIENT_CHAIN)) == 0)
        return PSC_ID_CLIENT;
    if (strcmp(key, psc_key_name(PSC_KEY_SERVER_CERT)) == 0 ||
        strcmp(key, psc_key_name(PSC_KEY_SERVER_CHAIN)) == 0)
        return PSC_ID_SERVER;
    return -1;
}

/* Is an issuer-change force for this step already listed (one per system, rule, target)? */
static int has_issuer_force(const psc_expiry_cert *ec, const psc_step *s)
{
    for (size_t i = 0; i < ec->nforces; i++) {
        const psc_step *t = ec->forces[i].step;
        if (ec->forces[i].if_issuer_changes && t->system == s->system &&
            strcmp(t->id, s->id) == 0 && strcmp(t->target, s->target) == 0)
            return 1;
    }
    return 0;
}

static int same_sha(const psc_cert *a, const psc_cert *b)
{
    return a && b && memcmp(a->sha256, b->sha256, 32) == 0;
}

/* Uses, forces and root of one certificate. */
static int link_steps(psc_expiry *x, const step_index *ix, psc_expiry_cert *ec)
{
    const psc_plan *p = x->plan;
    for (uint32_t i = psc_keyidx_first(&ix->by_cert, psc_sha256_key(ec->cert->sha256));
         i != PSC_KEYIDX_END; i = psc_keyidx_next(&ix->by_cert, i)) {
        const psc_step *s = &p->steps[i];
        if (!same_sha(s->cert, ec->cert))
            continue;
        const psc_step **n = realloc(ec->uses, (ec->nuses + 1) * sizeof *n);
        if (n == NULL)
            return -1;
        ec->uses = n;
        ec->uses[ec->nuses++] = s;
        if (push_force(ec, s, task_for(s), 0) != 0)
            return -1;
    }
    psc_chain ch;
    psc_chain_build(owner_store(ec), ec->cert, p->now, &ch);
    if (ch.len > 0 && ch.certs[ch.len - 1]->self_signed)
        ec->root = ch.certs[ch.len - 1];
    if (ec->role != PSC_ROLE_LEAF)
        return 0;
    /* a renewed leaf may come from a new issuer: the steps that import its issuers for
       the same system and identity change too (one line per system, rule, target) */
    int kind = identity_of_key(ec->key);
    for (size_t k = 1; k < ch.len; k++)
        for (uint32_t i = psc_keyidx_first(&ix->by_owner, owner_cert_key(ec->owner, ch.certs[k]));
             i != PSC_KEYIDX_END; i = psc_keyidx_next(&ix->by_owner, i)) {
            const psc_step *s = &p->steps[i];
            if (s->action != PSC_ACTION_IMPORT || s->status == PSC_STATUS_MANAGED ||
                s->owner != ec->owner || !same_sha(s->cert, ch.certs[k]))
                continue;
            int sk = kind >= 0 ? identity_of_step(s) : -1;
            if ((kind >= 0 && sk >= 0 && kind != sk) || has_issuer_force(ec, s))
                continue;
            if (push_force(ec, s, issuer_task, 1) != 0)
                return -1;
        }
    return 0;
}

static int cmp_cert(const void *a, const void *b)
{
    const psc_expiry_cert *x = a, *y = b;
    if (x->cert->not_after != y->cert->not_after)
        return x->cert->not_after < y->cert->not_after ? -1 : 1;
    int c = strcmp(x->cert->subject, y->cert->subject);
    return c ? c : memcmp(x->cert->sha256, y->cert->sha256, 32);
}

/* ---- root rotation ---------------------------------------------------------- */

/* The value of attribute `attr` ("CN", "O") in a "CN=a, O=b" subject. */
static void rdn_value(const char *subject, const char *attr, char *out, size_t n)
{
    out[0] = '\0';
    size_t al = strlen(attr);
    const char *p = subject;
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, attr, al) == 0 && p[al] == '=') {
            p += al + 1;
            size_t i = 0;
            while (*p && *p != ',' && i + 1 < n)
                out[i++] = *p++;
            out[i] = '\0';
            return;
        }
        p = strchr(p, ',');
    }
}

/* A trailing word that only counts a root's generation. */
static int generation_word(const char *w, size_t n)
{
    if (n == 1 && w[0] == '-')
        return 1;
    if (n == 2 && strncasecmp(w, "CA", 2) == 0)
        return 1;
    if (n >= 2 && strchr("GgRrVv", w[0]) != NULL) {
        for (size_t i = 1; i < n; i++)
            if (!isdigit((unsigned char)w[i]))
                return 0;
        return 1;
    }
    return 0;
}

void psc_expiry_family(const char *subject, char *out, size_t n)
{
    char cn[256], o[256];
    rdn_value(subject, "CN", cn, sizeof cn);
    rdn_value(subject, "O", o, sizeof o);
    size_t l = strlen(cn);
    for (;;) {
        while (l > 0 && cn[l - 1] == ' ')
            l--;
        size_t w = l;
        while (w > 0 && cn[w - 1] != ' ')
            w--;
        if (w == 0 || !generation_word(cn + w, l - w))
            break;
        l = w;
    }
    cn[l] = '\0';
    snprintf(out, n, "%s|%s", o, cn);
    for (char *q = out; *q; q++)
        *q = (char)tolower((unsigned char)*q);
}

static const psc_cert *successor_of(const psc_expiry *x, const psc_cert *root)
{
    if (x->trusted == NULL)
        return NULL;
    char fam[600], f2[600];
    psc_expiry_family(root->subject, fam, sizeof fam);
    const psc_cert *best = NULL;
    for (size_t i = 0; i < psc_store_cert_count(x->trusted); i++) {
        const psc_cert *t = psc_store_cert(x->trusted, i);
        if (!t->self_signed || same_sha(t, root) || t->not_after <= root->not_after)
            continue;
        psc_expiry_family(t->subject, f2, sizeof f2);
        if (strcmp(fam, f2) == 0 && (best == NULL || t->not_after > best->not_after))
            best = t;
    }
    return best;
}

static int in_trusted(const psc_expiry *x, const psc_cert *c)
{
    return psc_store_find_sha256(x->trusted, c->sha256) != NULL;
}

/* Is r the root of a chain the landscape's own files give (not only a PSE's
 * list)?  roots: the roots of the certificates of own files (x->certs[i].root). */
static int root_of_identity(const psc_expiry *x, const psc_keyidx *roots,
                            const psc_expiry_cert *r)
{
    for (uint32_t i = psc_keyidx_first(roots, psc_sha256_key(r->cert->sha256));
         i != PSC_KEYIDX_END; i = psc_keyidx_next(roots, i))
        if (!owner_key_is_state(&x->certs[i]) && same_sha(x->certs[i].root, r->cert))
            return 1;
    return 0;
}

static int add_rotation(psc_expiry *x, size_t *cap, psc_expiry_cert *r, const char *code,
                        psc_severity sev, const char *why)
{
    if (psc_grow((void **)&x->findings, cap, x->nfindings + 1, sizeof *x->findings) != 0)
        return -1;
    psc_expiry_finding *f = &x->findings[x->nfindings];
    memset(f, 0, sizeof *f);
    f->severity = sev;
    f->code = code;
    f->about = r;
    f->successor = successor_of(x, r->cert);
    for (size_t i = 0; i < r->nuses; i++)
        if (r->uses[i]->action == PSC_ACTION_IMPORT &&
            r->uses[i]->status != PSC_STATUS_MANAGED) {
            const psc_step **n = realloc(f->imports, (f->nimports + 1) * sizeof *n);
            if (n == NULL) {
                free(f->imports);
                return -1;
            }
            f->imports = n;
            f->imports[f->nimports++] = r->uses[i];
        }
    char where[1024] = "";
    size_t wl = 0;
    for (size_t i = 0; i < f->nimports && wl < sizeof where; i++)
        wl += (size_t)snprintf(where + wl, sizeof where - wl, "%s%s %s %s", i ? ", " : "",
                               f->imports[i]->system->name, f->imports[i]->id,
                               f->imports[i]->target);
    if (f->successor)
        f->message = psc_strfmt("%s (%s of %s) %s; successor in sap_trusted_cas: %s (sha256 %s): "
                          "import it alongside the old root%s%s (both during the transition), "
                          "remove the old root after cut-over",
                          r->cert->subject, psc_role_name(r->role), r->owner->name, why,
                          f->successor->subject, f->successor->sha256_hex,
                          f->nimports ? " in " : "", where);
    else
        f->message = psc_strfmt("%s (%s of %s) %s; %s", r->cert->subject, psc_role_name(r->role),
                          r->owner->name, why,
                          x->trusted ? "sap_trusted_cas has no root of the same family: ask SAP "
                                       "which root replaces it"
                                     : "name SAP's current CA list as sap_trusted_cas in "
                                       "[landscape] to find the successor");
    if (f->message == NULL) {
        free(f->imports);
        return -1;
    }
    x->nfindings++;
    return 0;
}

static int rotation_pass(psc_expiry *x, const psc_keyidx *roots, size_t *cap)
{
    const psc_landscape *ls = x->plan->landscape;
    for (size_t i = 0; i < x->ncerts; i++) {
        psc_expiry_cert *r = &x->certs[i];
        if (!r->cert->self_signed || !r->cert->is_ca)
            continue;
        int identity = root_of_identity(x, roots, r);
        if ((identity || r->nuses) && r->days_left <= ls->warn_days) {
            char why[96];
            if (r->days_left < 0)
                snprintf(why, sizeof why, "expired %ld day%s ago", -r->days_left,
                         r->days_left == -1 ? "" : "s");
            else
                snprintf(why, sizeof why, "expires in %ld day%s (warn_days %ld)", r->days_left,
                         r->days_left == 1 ? "" : "s", ls->warn_days);
            if (add_rotation(x, cap, r, "root-expiring",
                             r->days_left < 0 ? PSC_SEV_ERROR : PSC_SEV_WARNING, why) != 0)
                return -1;
        }
        if (x->trusted && identity && !in_trusted(x, r->cert) &&
            add_rotation(x, cap, r, "root-not-in-sap-trusted-cas", PSC_SEV_WARNING,
                         "is no longer in sap_trusted_cas") != 0)
            return -1;
    }
    return 0;
}

static int rotation_findings(psc_expiry *x)
{
    size_t cap = 0;
    /* item i: x->certs[i], keyed by its root when an own file holds it (the
     * key of a certificate that is no root's is never looked up: only roots
     * are, and a root's own item carries its root's key) */
    psc_keyidx roots = {0};
    for (size_t i = 0; i < x->ncerts; i++) {
        const psc_expiry_cert *c = &x->certs[i];
        uint32_t key = psc_sha256_key(c->root && !owner_key_is_state(c) ? c->root->sha256
                                                                         : c->cert->sha256);
        if (psc_keyidx_push(&roots, key) != (uint32_t)i) {
            psc_keyidx_free(&roots);
            return -1;
        }
    }
    int rc = rotation_pass(x, &roots, &cap);
    psc_keyidx_free(&roots);
    return rc;
}

/* ---- public ------------------------------------------------------------------ */

/* The list landscape.c loaded for the checklist (sap_trusted_cas, not the public roots the
 * client-CA check falls back to): rotation compares against what SAP publishes only. */
static int read_trusted(psc_expiry *x, psc_err *e)
{
    (void)e;
    const psc_landscape *ls = x->plan->landscape;
    x->trusted = ls->sap_list ? ls->trusted_cas : NULL;
    return PSC_OK;
}

int psc_expiry_build(const psc_plan *p, long lead_days, long within_days, psc_expiry **out,
                     psc_err *e)
{
    *out = NULL;
    psc_expiry *x = calloc(1, sizeof *x);
    if (x == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    x->plan = p;
    x->lead_days = lead_days;
    x->within_days = within_days >= 0 ? within_days : p->landscape->warn_days;
    int rc = read_trusted(x, e);
    if (rc != PSC_OK) {
        psc_expiry_free(x);
        return rc;
    }
    collect c = {x, 0, {0}};
    const psc_landscape *ls = p->landscape;
    /* own files first in every system, then current state: the owner is the system whose
       own files hold the certificate */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ls->nsystems; i++)
            for (int k = 0; k < PSC_KEY_COUNT; k++) {
                if (psc_key_is_state((psc_key)k) != pass)
                    continue;
                const psc_material *m = &ls->systems[i].files[k];
                for (size_t j = 0; j < m->ncerts; j++)
                    if (!listed(&c, m->certs[j]) &&
                        add_cert(&c, m->certs[j], &ls->systems[i], (psc_key)k) != 0) {
                        psc_keyidx_free(&c.seen);
                        psc_expiry_free(x);
                        return psc_fail(e, PSC_EINPUT, "out of memory");
                    }
            }
    psc_keyidx_free(&c.seen);
    if (x->ncerts > 1)
        qsort(x->certs, x->ncerts, sizeof *x->certs, cmp_cert);
    step_index ix = {{0}, {0}};
    int bad = 0;
    for (size_t i = 0; i < p->nsteps && !bad; i++) {
        const psc_step *s = &p->steps[i];
        /* a step without a certificate is keyed but never matches (same_sha) */
        bad = psc_keyidx_push(&ix.by_cert, s->cert ? psc_sha256_key(s->cert->sha256) : 0) != i ||
              psc_keyidx_push(&ix.by_owner, owner_cert_key(s->owner, s->cert)) != i;
    }
    for (size_t i = 0; i < x->ncerts && !bad; i++) {
        psc_expiry_cert *ec = &x->certs[i];
        ec->role = psc_cert_role(owner_store(ec), ec->cert);
        ec->days_left = psc_days_left(ec->cert->not_after, p->now);
        ec->renew_by = ec->cert->not_after - (time_t)lead_days * 86400;
        bad = link_steps(x, &ix, ec) != 0;
    }
    psc_keyidx_free(&ix.by_cert);
    psc_keyidx_free(&ix.by_owner);
    if (bad) {
        psc_expiry_free(x);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    if (rotation_findings(x) != 0) {
        psc_expiry_free(x);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    *out = x;
    return PSC_OK;
}

void psc_expiry_free(psc_expiry *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; i < x->ncerts; i++) {
        free(x->certs[i].uses);
        free(x->certs[i].forces);
    }
    for (size_t i = 0; i < x->nfindings; i++) {
        free(x->findings[i].message);
        free(x->findings[i].imports);
    }
    free(x->certs);
    free(x->findings);
    free(x);
}

size_t psc_expiry_due(const psc_expiry *x)
{
    size_t n = 0;
    time_t limit = x->plan->now + (time_t)x->within_days * 86400;
    for (size_t i = 0; i < x->ncerts; i++)
        n += x->certs[i].cert->not_after <= limit;
    return n;
}

int psc_expiry_format_by_name(const char *name)
{
    static const char *const names[] = {"text", "csv", "ics", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
