/* hops x rules x current state -> steps and findings.
 *
 * For each system the planner first works out its two TLS identities (the
 * client certificate with its issuers, the server certificate with its
 * issuers) from the store the loader filled.  Then every hop of every flow
 * runs through the rule table (rules.c); a row names a certificate of one
 * identity and a target in one system.  Identical steps are merged; each is
 * compared with the current state (PSE lists, system.jks).  Finally every
 * identity a rule used is linted (lint.c).  Nothing here opens a file. */
#include "planner.h"
#include "landscape.h"
#include "sapdn.h"
#include "rules.h"
#include "checks.h"
#include "planindex.h"
#include "store_index.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct identity {
    psc_cert *leaf;                  /* NULL when the leaf key is not given */
    psc_cert **cas;                  /* issuers, bottom to top: the rest of path (a view,
                                      * not a copy: 3 identities per system) */
    size_t ncas;
    psc_chain path;                  /* leaf's path (len 0 without a leaf) */
    int complete;                    /* reaches a self-signed root */
    int mismatch;                    /* the chain file does not issue the leaf */
    psc_key leaf_key, chain_key;
    int used, eku_error;
} identity;

typedef struct ctx {
    const psc_landscape *ls;
    psc_plan *p;
    identity (*ids)[PSC_ID_COUNT];   /* [system][client/server/ca] */
    psc_lint_list lint;              /* every lint finding so far (dedupe) */
    size_t step_cap, finding_cap;
    size_t *step_sys;                /* system index per step (for sorting) */
    psc_keyidx step_idx, finding_idx; /* steps and findings by identity (planindex.h) */
    int oom;
} ctx;

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int in_list(psc_cert *const *list, size_t n, const psc_cert *c)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == c)
            return 1;
    return 0;
}

static void build_identity(const psc_system *s, psc_identity_kind kind, time_t now, identity *id)
{
    const psc_type_info *ti = psc_type_info_of(s->type);
    memset(id, 0, sizeof *id);
    psc_key leaf[PSC_ID_COUNT] = {ti->client_leaf, ti->server_leaf, ti->ca_leaf};
    psc_key chain[PSC_ID_COUNT] = {ti->client_chain, ti->server_chain, ti->ca_chain};
    id->leaf_key = leaf[kind];
    id->chain_key = chain[kind];
    if (id->leaf_key >= PSC_KEY_COUNT || id->chain_key >= PSC_KEY_COUNT)
        return; /* the type has no such identity (a cloudconnector's server side) */
    const psc_material *lm = &s->files[id->leaf_key];
    const psc_material *cm = &s->files[id->chain_key];
    psc_cert *start = lm->leaf;
    if (start == NULL && id->chain_key != id->leaf_key)
        start = cm->leaf; /* no leaf given: the chain file alone still names the CAs */
    if (start == NULL)
        return;
    psc_chain_build(s->store, start, now, &id->path);
    id->complete = id->path.complete;
    size_t from = lm->leaf ? 1 : 0;
    id->cas = id->path.certs + from;
    id->ncas = id->path.len > from ? id->path.len - from : 0;
    if (lm->leaf) {
        id->leaf = lm->leaf;
        if (id->chain_key != id->leaf_key && cm->ncerts > 0 && !id->leaf->self_signed &&
            !id->complete) {
            int used = 0;
            for (size_t i = 1; i < id->path.len; i++)
                used = used || in_list(cm->certs, cm->ncerts, id->path.certs[i]);
            id->mismatch = !used;
        }
    }
}

/* The top of the chain: the root when complete; a self-signed leaf is its own root. */
static psc_cert *root_of(const identity *id)
{
    if (id->ncas)
        return id->cas[id->ncas - 1];
    if (id->leaf && id->leaf->self_signed)
        return id->leaf;
    return NULL;
}

static void add_finding(ctx *c, psc_severity sev, const char *code, const psc_system *sys,
                        const psc_cert *cert, const char *remedy, char *message)
{
    psc_plan *p = c->p;
    if (message == NULL) {
        c->oom = 1;
        return;
    }
    uint32_t key = psc_finding_key(code, sys, cert);
    for (uint32_t i = psc_keyidx_first(&c->finding_idx, key); i != PSC_KEYIDX_END;
         i = psc_keyidx_next(&c->finding_idx, i)) {
        psc_finding *f = &p->findings[i];
        if (strcmp(f->code, code) == 0 && f->system == sys && f->cert == cert &&
            (cert != NULL || strcmp(f->message, message) == 0)) {
            if (sev > f->severity)
                f->severity = sev;
            free(message);
            return;
        }
    }
    if (psc_grow((void **)&p->findings, &c->finding_cap, p->nfindings + 1,
                  sizeof *p->findings) != 0 ||
        psc_keyidx_push(&c->finding_idx, key) != (uint32_t)p->nfindings) {
        free(message);
        c->oom = 1;
        return;
    }
    psc_finding *f = &p->findings[p->nfindings++];
    f->severity = sev;
    f->code = code;
    f->system = sys;
    f->cert = cert;
    f->message = message;
    f->remedy = remedy;
}

/* Expand {C} {S} {O} {U} {D} {F} {K} {I} in a rule's reason template. */
static char *expand(const char *tpl, const psc_system *cl, const psc_system *sv,
                    const psc_system *owner, const psc_system *up, const psc_system *down,
                    const psc_flow *f)
{
    char key[300], ident[100];
    psc_cpi_client_key_words(cl, key, sizeof key);
    psc_ssl_client_words(cl, ident, sizeof ident);
    psc_buf b;
    psc_buf_init(&b);
    for (const char *t = tpl; *t; t++) {
        if (t[0] == '{' && t[1] && t[2] == '}') {
            const char *v = NULL;
            char iflow[300];
            switch (t[1]) {
            case 'C': v = cl->name; break;
            case 'S': v = sv->name; break;
            case 'O': v = owner ? owner->name : "?"; break;
            case 'U': v = up ? up->name : "the caller"; break;
            case 'D': v = down ? down->name : "the back end"; break;
            case 'K': v = key; break;
            case 'I': v = ident; break;
            case 'F':
                if (f->iflow)
                    snprintf(iflow, sizeof iflow, "the iFlow \"%s\"", f->iflow);
                else
                    snprintf(iflow, sizeof iflow, "the iFlow of flow \"%s\"", f->name);
                v = iflow;
                break;
            }
            if (v) {
                psc_buf_puts(&b, v);
                t += 2;
                continue;
            }
        }
        psc_buf_append(&b, t, 1);
    }
    if (psc_buf_cstr(&b) != 0) {
        psc_buf_free(&b, 0);
        return NULL;
    }
    /* kept for the plan's life, one per step: without the buffer's slack */
    char *text = realloc(b.data, b.len + 1);
    return text ? text : (char *)b.data;
}

static psc_step_status status_of(const psc_rule *r, const char *target, const psc_system *at,
                                 const psc_cert *cert)
{
    if (r->status == PSC_RS_MANAGED)
        return PSC_STATUS_MANAGED;
    if (r->status == PSC_RS_TODO || cert == NULL)
        return PSC_STATUS_TODO;
    psc_key k = psc_target_state_key(at->type, target);
    if (k == PSC_KEY_COUNT)
        return PSC_STATUS_TODO;
    const psc_material *m = &at->files[k];
    for (size_t i = 0; i < m->ncerts; i++)
        if (memcmp(m->certs[i]->sha256, cert->sha256, 32) == 0)
            return PSC_STATUS_PRESENT;
    return PSC_STATUS_TODO;
}

static int has_flow(const psc_step *s, const char *name)
{
    for (size_t i = 0; i < s->nflows; i++)
        if (strcmp(s->flows[i], name) == 0)
            return 1;
    return 0;
}

static int push_flow(psc_step *s, const char *name)
{
    char **nf = realloc(s->flows, (s->nflows + 1) * sizeof *nf);
    if (nf == NULL)
        return -1;
    s->flows = nf;
    if ((s->flows[s->nflows] = dupstr(name)) == NULL)
        return -1;
    s->nflows++;
    return 0;
}

typedef struct step_in {
    const psc_rule *rule;
    const psc_flow *flow;
    const psc_system *client, *server, *upstream, *downstream, *at, *owner;
    const char *target;  /* the rule's target, the SSL client identity resolved */
    const char *via;     /* a passthrough proxy between client and server, or NULL */
    psc_cert *cert;
    psc_role role;
    const char *note;    /* appended to the reason */
    const char *see;     /* no certificate: the finding that says why */
    int optional;        /* a step the rule makes required, recommended only here */
    int from_trust_list; /* the certificate is a root of sap_trusted_cas */
} step_in;

static void add_step(ctx *c, const step_in *in)
{
    psc_plan *p = c->p;
    const psc_rule *r = in->rule;
    size_t sys_index = (size_t)(in->at - c->ls->systems);
    uint32_t key = psc_step_key(in->at, in->target, in->cert, r->id);
    for (uint32_t i = psc_keyidx_first(&c->step_idx, key); i != PSC_KEYIDX_END;
         i = psc_keyidx_next(&c->step_idx, i)) {
        psc_step *s = &p->steps[i];
        if (s->system != in->at || strcmp(s->target, in->target) != 0)
            continue;
        int same = in->cert && s->cert ? memcmp(s->cert->sha256, in->cert->sha256, 32) == 0
                   : !in->cert && !s->cert ? strcmp(s->id, r->id) == 0
                                           : 0;
        if (!same)
            continue;
        if (!has_flow(s, in->flow->name) && push_flow(s, in->flow->name))
            c->oom = 1;
        s->required = s->required || (r->required && !in->optional);
        return;
    }
    if (p->nsteps == c->step_cap) {
        size_t ncap = c->step_cap ? c->step_cap * 2 : 16;
        psc_step *ns = realloc(p->steps, ncap * sizeof *ns);
        size_t *nx = realloc(c->step_sys, ncap * sizeof *nx);
        if (ns)
            p->steps = ns;
        if (nx)
            c->step_sys = nx;
        if (!ns || !nx) {
            c->oom = 1;
            return;
        }
        c->step_cap = ncap;
    }
    if (psc_keyidx_push(&c->step_idx, key) != (uint32_t)p->nsteps) {
        c->oom = 1;
        return;
    }
    psc_step *s = &p->steps[p->nsteps];
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "%s", r->id);
    s->system = in->at;
    s->owner = in->owner;
    s->target = in->target;
    s->action = r->action;
    s->required = r->required && !in->optional;
    s->cert = in->cert;
    s->cert_role = in->role;
    s->refs = r->refs;
    s->server_chain = r->identity == PSC_ID_SERVER;
    s->from_trust_list = in->from_trust_list;
    s->see = in->cert ? NULL : in->see;
    s->status = status_of(r, in->target, in->at, in->cert);
    if (r->action == PSC_ACTION_MAP_USER)
        s->service_user = in->at->service_user;
    s->hop = in->via ? psc_strfmt("%s -> %s (through %s, ssl = passthrough)", in->client->name,
                           in->server->name, in->via)
                     : psc_strfmt("%s -> %s", in->client->name, in->server->name);
    char *reason = expand(r->reason, in->client, in->server, in->owner, in->upstream,
                          in->downstream, in->flow);
    s->reason = reason && in->note ? psc_strfmt("%s %s", reason, in->note) : reason;
    if (reason && in->note)
        free(reason);
    s->setting = r->pick == PSC_PICK_NONE;
    s->pp_ca = r->identity == PSC_ID_CA && in->cert != NULL;
    s->detail = psc_step_detail(s, in->at, in->client, in->server, in->downstream, in->flow,
                                in->cert);
    c->step_sys[p->nsteps] = sys_index;
    p->nsteps++;
    if (!s->hop || !s->reason || push_flow(s, in->flow->name))
        c->oom = 1;
}

static void missing_input(ctx *c, step_in *in, const psc_system *sys, const char *key,
                          const char *what)
{
    in->see = "missing-input";
    const psc_rule *r = in->rule;
    psc_severity sev = r->status == PSC_RS_MANAGED ? PSC_SEV_WARNING : PSC_SEV_ERROR;
    add_finding(c, sev, "missing-input", sys, NULL,
                "Add the key to the system's section of the landscape (pseconv init shows "
                "every key with a comment)",
                psc_strfmt("%s needs %s of %s: add '%s = %s' to [system %s] (step %s, %s in %s)", r->id,
                    what, sys->name, key, strcmp(key, "service_user") == 0 ? "USER" : "FILE",
                    sys->name, r->id, in->target, in->at->name));
}

/* sap_trusted_cas: every root of SAP's list that is valid today, besides the
 * root of the chain fetched today (SAP changes the worker node's root). */
static void sap_list_roots(ctx *c, step_in *in)
{
    const psc_landscape *ls = c->ls;
    if (!ls->sap_list || ls->trusted_cas == NULL || in->server->type != PSC_SYS_CPI)
        return;
    for (size_t i = 0; i < psc_store_cert_count(ls->trusted_cas); i++) {
        psc_cert *r = psc_store_cert(ls->trusted_cas, i);
        if (!r->self_signed || !r->is_ca || r->not_after < c->p->now ||
            r->not_before > c->p->now || (in->cert && memcmp(in->cert->sha256, r->sha256, 32) == 0))
            continue;
        step_in x = *in;
        x.cert = r;
        x.role = PSC_ROLE_ROOT;
        x.from_trust_list = 1;
        x.note = "(a root of SAP's list sap_trusted_cas that is valid today: SAP may move the "
                 "worker node to it)";
        add_step(c, &x);
    }
}

static void apply_row(ctx *c, const psc_rule *r, const psc_flow *f, const size_t *path, size_t n,
                      size_t h, const char *via)
{
    const psc_landscape *ls = c->ls;
    step_in in = {0};
    in.rule = r;
    in.flow = f;
    in.via = via;
    in.client = &ls->systems[path[h]];
    in.server = &ls->systems[path[h + 1]];
    in.upstream = h > 0 ? &ls->systems[path[h - 1]] : NULL;
    in.downstream = h + 2 < n ? &ls->systems[path[h + 2]] : NULL;
    in.at = r->at_server ? in.server : in.client;
    in.target = strcmp(r->target, PSC_TARGET_SSL_CLIENT_OF_DESTINATION) == 0
                    ? psc_ssl_client_target(in.at) : r->target;
    in.owner = r->from == PSC_FROM_CLIENT ? in.client
               : r->from == PSC_FROM_SERVER ? in.server
                                            : in.upstream;
    if (r->pick == PSC_PICK_NONE) { /* a setting: no certificate, no owner */
        in.owner = NULL;
        add_step(c, &in);
        return;
    }
    if (in.owner == NULL)
        return; /* a proxy hop at the start of a path: no caller to forward */
    if (r->required_if_state) { /* an empty or unknown allowlist: recommended only */
        psc_key sk = psc_target_state_key(in.at->type, in.target);
        in.optional = sk >= PSC_KEY_COUNT || in.at->files[sk].ncerts == 0;
    }
    identity *id = &c->ids[in.owner - ls->systems][r->identity];
    id->used = 1;
    if (r->identity == PSC_ID_CLIENT && r->from == PSC_FROM_CLIENT &&
        f->auth == PSC_AUTH_CERTIFICATE && psc_type_info_of(in.server->type)->client_eku_strict)
        id->eku_error = 1;

    switch (r->pick) {
    case PSC_PICK_LEAF:
        in.cert = id->leaf;
        in.role = PSC_ROLE_LEAF;
        if (in.cert == NULL)
            missing_input(c, &in, in.owner, psc_key_name(id->leaf_key),
                          r->identity == PSC_ID_CLIENT ? "the client certificate"
                          : r->identity == PSC_ID_CA   ? "the CA certificate"
                                                       : "the server certificate");
        if (r->action == PSC_ACTION_MAP_USER && in.at->service_user == NULL)
            missing_input(c, &in, in.at, "service_user", "the service user for the mapping");
        add_step(c, &in);
        break;
    case PSC_PICK_ROOT:
        in.cert = root_of(id);
        in.role = PSC_ROLE_ROOT;
        if (in.cert && !id->complete)
            in.note = id->mismatch ? "(see the chain-mismatch finding)"
                                   : "(the chain given stops at this certificate: its root is "
                                     "missing, see the chain-incomplete finding)";
        if (in.cert == NULL && id->mismatch)
            in.see = "chain-mismatch";
        if (in.cert == NULL && !id->mismatch)
            missing_input(c, &in, in.owner, psc_key_name(id->chain_key),
                          r->identity == PSC_ID_CLIENT ? "the issuers of the client certificate"
                                                       : "the server certificate chain");
        add_step(c, &in);
        if (r->required && strcmp(r->id, "R2") == 0)
            sap_list_roots(c, &in);
        break;
    case PSC_PICK_ISSUER:
        in.cert = id->ncas ? id->cas[0] : NULL;
        in.role = id->ncas == 1 && id->complete ? PSC_ROLE_ROOT : PSC_ROLE_INTERMEDIATE;
        if (in.cert == NULL && id->leaf && id->leaf->self_signed) {
            in.cert = id->leaf; /* a self-signed certificate is its own issuer */
            in.role = PSC_ROLE_LEAF;
        }
        if (in.cert == NULL && id->mismatch)
            in.see = "chain-mismatch";
        else if (in.cert == NULL)
            missing_input(c, &in, in.owner, psc_key_name(id->leaf ? id->chain_key : id->leaf_key),
                          "the issuer of the client certificate");
        add_step(c, &in);
        break;
    case PSC_PICK_INTERMEDIATES:
        in.role = PSC_ROLE_INTERMEDIATE;
        for (size_t i = 0; i + 1 < id->ncas; i++) {
            in.cert = id->cas[i];
            add_step(c, &in);
        }
        break;
    case PSC_PICK_NONE:
        break;
    case PSC_PICK_SELF_SIGNED:
        if (id->leaf == NULL || !id->leaf->self_signed)
            break;
        in.cert = id->leaf;
        in.role = PSC_ROLE_LEAF;
        add_finding(c, PSC_SEV_ERROR, r->finding, in.owner, id->leaf,
                    psc_remedy_renew(in.owner->type, r->identity),
                    psc_strfmt("%s's %s %s is self-signed: %s does not accept it (step %s replaces it)",
                        in.owner->name, psc_key_name(id->leaf_key), id->leaf->subject,
                        r->identity == PSC_ID_CLIENT ? in.server->name : in.client->name,
                        r->id));
        add_step(c, &in);
        break;
    }
}

static void lint_identities(ctx *c)
{
    const psc_landscape *ls = c->ls;
    psc_lint_opts o = {0};
    o.now = c->p->now;
    o.warn_days = ls->warn_days;
    for (size_t s = 0; s < ls->nsystems; s++)
        for (int k = 0; k < PSC_ID_COUNT; k++) {
            identity *id = &c->ids[s][k];
            const psc_system *sys = &ls->systems[s];
            if (!id->used || id->path.len == 0)
                continue;
            if (id->mismatch) {
                const psc_material *cm = &sys->files[id->chain_key];
                add_finding(c, PSC_SEV_ERROR, "chain-mismatch", sys, id->leaf,
                            "Give the issuers of this certificate (root and intermediates) as "
                            "the chain: for SAP Cloud Integration download the client chain in "
                            "Monitor > Integrations and APIs > Manage Security > Keystore (the "
                            "client key, Download > Chain); the worker node's chain belongs to "
                            "the load balancer",
                            psc_strfmt("%s's %s (%s) does not issue its %s %s: it holds %s, issued by %s",
                                sys->name, psc_key_name(id->chain_key), cm->value,
                                psc_key_name(id->leaf_key), id->leaf->subject,
                                cm->certs[0]->subject, cm->certs[0]->issuer));
            }
            char label[200];
            snprintf(label, sizeof label, "%s %s", sys->name,
                     psc_key_name(id->leaf ? id->leaf_key : id->chain_key));
            o.usage = !id->leaf || k == PSC_ID_CA ? PSC_USE_ANY
                      : k == PSC_ID_CLIENT        ? PSC_USE_CLIENT
                                                  : PSC_USE_SERVER;
            o.eku_error = id->eku_error;
            psc_lint_list l = {0};
            if (psc_lint_chain(&l, &id->path, label, &o) != 0)
                c->oom = 1;
            for (size_t i = 0; i < l.n; i++) {
                psc_lint *it = &l.items[i];
                if (id->mismatch && strcmp(it->code, "chain-incomplete") == 0)
                    continue; /* chain-mismatch says it better */
                if (psc_lint_has(&c->lint, it->code, it->cert))
                    continue;
                if (psc_grow((void **)&c->lint.items, &c->lint.cap, c->lint.n + 1,
                              sizeof *c->lint.items) != 0) {
                    c->oom = 1;
                    break;
                }
                c->lint.items[c->lint.n++] = *it;
                const char *remedy = it->remedy;
                /* renewing is done where the certificate lives: the leaf's system,
                 * or SAP for the whole chain of a cpi or c4c system */
                int sap_chain = sys->type == PSC_SYS_CPI || sys->type == PSC_SYS_C4C;
                if ((it->cert == id->leaf || sap_chain) && (strcmp(it->code, "expired") == 0 ||
                                                            strcmp(it->code, "expires-soon") == 0))
                    remedy = psc_remedy_renew(sys->type, (psc_identity_kind)k);
                add_finding(c, it->severity, it->code, sys, it->cert, remedy,
                            dupstr(it->message));
            }
            psc_lint_list_free(&l);
        }
}

int psc_plan_run(const psc_landscape *ls, time_t now, psc_plan **out, psc_err *e)
{
    *out = NULL;
    psc_plan *p = calloc(1, sizeof *p);
    ctx c = {0};
    c.ls = ls;
    c.p = p;
    c.ids = calloc(ls->nsystems ? ls->nsystems : 1, sizeof *c.ids);
    if (p == NULL || c.ids == NULL) {
        free(p);
        free(c.ids);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    p->landscape = (psc_landscape *)ls;
    p->now = now;
    for (size_t s = 0; s < ls->nsystems; s++)
        for (int k = 0; k < PSC_ID_COUNT; k++)
            build_identity(&ls->systems[s], (psc_identity_kind)k, now, &c.ids[s][k]);
    for (size_t fi = 0; fi < ls->nflows && !c.oom; fi++) {
        const psc_flow *f = &ls->flows[fi];
        /* A Web Dispatcher with ssl = passthrough between two systems carries the
         * TLS session unopened: the hop is client -> server, through it. */
        size_t *path = malloc(f->npath * sizeof *path);
        const char **via = calloc(f->npath, sizeof *via);
        size_t n = 0;
        for (size_t h = 0; path && via && h < f->npath; h++) {
            const psc_system *sys = &ls->systems[f->path[h]];
            if (sys->type == PSC_SYS_WEBDISPATCHER && sys->wd_passthrough && n > 0 &&
                h + 1 < f->npath) {
                via[n - 1] = sys->name;
                continue;
            }
            path[n++] = f->path[h];
        }
        for (size_t h = 0; path && via && h + 1 < n; h++) {
            const psc_system *a = &ls->systems[path[h]], *b = &ls->systems[path[h + 1]];
            for (size_t r = 0; r < psc_rule_count(); r++) {
                const psc_rule *row = psc_rule_at(r);
                if (psc_rule_applies(row, a, b, f->auth))
                    apply_row(&c, row, f, path, n, h, via[h]);
            }
        }
        if (!path || !via)
            c.oom = 1;
        free(path);
        free(via);
    }
    lint_identities(&c);

    /* Group by system (landscape order), keeping the rule order within one. */
    if (!c.oom && psc_steps_group_by_system(p->steps, c.step_sys, p->nsteps, ls->nsystems) != 0)
        c.oom = 1;
    /* after the sort: blocked_by points at a step's id */
    if (!c.oom && psc_plan_checks(p, &c.finding_cap) != 0)
        c.oom = 1;
    /* the chains are built: the systems' stores are read from here on, hardly
     * searched (their indexes come back on the next search) */
    for (size_t i = 0; i < ls->nsystems; i++) {
        psc_store_compact(ls->systems[i].store);
        if (ls->systems[i].state)
            psc_store_compact(ls->systems[i].state);
    }
    free(c.step_sys);
    free(c.ids);
    psc_keyidx_free(&c.step_idx);
    psc_keyidx_free(&c.finding_idx);
    psc_lint_list_free(&c.lint);
    if (c.oom) {
        psc_plan_free(p);
        return psc_fail(e, PSC_EINPUT, "out of memory while planning");
    }
    *out = p;
    return PSC_OK;
}

int psc_plan_load_and_run(const char *file, time_t now, psc_plan **out, psc_err *e)
{
    psc_landscape *ls = NULL;
    *out = NULL;
    int rc = psc_landscape_load(file, &ls, e);
    if (rc != PSC_OK)
        return rc;
    rc = psc_plan_run(ls, now, out, e);
    if (rc != PSC_OK) {
        psc_landscape_free(ls);
        return rc;
    }
    (*out)->owns_landscape = 1;
    return PSC_OK;
}

void psc_plan_free(psc_plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nsteps; i++) {
        psc_step *s = &p->steps[i];
        for (size_t j = 0; j < s->nflows; j++)
            free(s->flows[j]);
        free(s->flows);
        free(s->hop);
        free(s->reason);
        free(s->detail);
    }
    for (size_t i = 0; i < p->nfindings; i++)
        free(p->findings[i].message);
    free(p->steps);
    free(p->findings);
    free(p->step_first);
    if (p->owns_landscape)
        psc_landscape_free(p->landscape);
    free(p);
}

int psc_plan_has_errors(const psc_plan *p)
{
    for (size_t i = 0; i < p->nfindings; i++)
        if (p->findings[i].severity == PSC_SEV_ERROR)
            return 1;
    return 0;
}

void psc_plan_count(const psc_plan *p, psc_plan_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < p->nsteps; i++) {
        switch (p->steps[i].status) {
        case PSC_STATUS_TODO: c->todo++; break;
        case PSC_STATUS_PRESENT: c->present++; break;
        case PSC_STATUS_MANAGED: c->managed++; break;
        case PSC_STATUS_BLOCKED: c->blocked++; break;
        }
    }
    for (size_t i = 0; i < p->nfindings; i++) {
        if (p->findings[i].severity == PSC_SEV_ERROR)
            c->errors++;
        else if (p->findings[i].severity == PSC_SEV_INFO)
            c->infos++;
        else
            c->warnings++;
    }
}

/* steps_of's index: the steps are grouped by system in landscape order
 * (psc_steps_group_by_system), so each system's are one run.  Scanning all
 * steps for each system was O(systems x steps): most of export's time at
 * 2,000 systems (its README.md, CHECKLIST.md and files ask per system). */
static void index_steps(psc_plan *p)
{
    const psc_landscape *ls = p->landscape;
    size_t n = ls ? ls->nsystems : 0, prev = 0;
    size_t *first = calloc(n + 1, sizeof *first);
    for (size_t i = 0; first != NULL && i < p->nsteps; i++) {
        const psc_system *sys = p->steps[i].system;
        size_t j = sys >= ls->systems && sys < ls->systems + n ? (size_t)(sys - ls->systems) : n;
        if (j == n || j < prev) { /* not grouped (a hand-made plan): scan instead */
            free(first);
            first = NULL;
            break;
        }
        first[j + 1]++;
        prev = j;
    }
    if (first == NULL) {
        p->steps_unsorted = 1;
        return;
    }
    for (size_t j = 0; j < n; j++)
        first[j + 1] += first[j];
    p->step_first = first;
}

size_t psc_plan_steps_of(const psc_plan *cp, const psc_system *sys, const psc_step **out,
                         size_t max)
{
    psc_plan *p = (psc_plan *)cp; /* the index is a cache */
    if (p->step_first == NULL && !p->steps_unsorted)
        index_steps(p);
    const psc_landscape *ls = p->landscape;
    size_t from = 0, to = p->nsteps;
    if (p->step_first != NULL) {
        if (sys < ls->systems || sys >= ls->systems + ls->nsystems)
            return 0;
        size_t j = (size_t)(sys - ls->systems);
        from = p->step_first[j];
        to = p->step_first[j + 1];
    }
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (p->steps[i].system == sys) {
            if (out && n < max)
                out[n] = &p->steps[i];
            n++;
        }
    return n;
}
