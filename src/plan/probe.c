/* pseconv probe: the three live checks per hop, failures mapped to plan
 * steps.  The TLS work is tlsprobe.c; this file decides what it means. */
#include "probe.h"
#include "rules.h"
#include "tlsprobe.h"
#include "render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

const char *psc_hop_status_name(psc_hop_status s)
{
    static const char *const names[] = {"ok", "fails", "unreachable", "skipped"};
    return s <= PSC_HOP_SKIPPED ? names[s] : "?";
}

/* Every allocation failure ends the run with this flag; callers check it once. */
typedef struct run {
    psc_probe *pr;
    const psc_probe_opts *o;
    int oom;
} run;

static void note(run *r, psc_hop_probe *h, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void note(run *r, psc_hop_probe *h, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = psc_vstrfmt(f, ap);
    va_end(ap);
    char **n = s ? realloc(h->notes, (h->nnotes + 1) * sizeof *n) : NULL;
    if (n == NULL) {
        free(s);
        r->oom = 1;
        return;
    }
    h->notes = n;
    h->notes[h->nnotes++] = s;
}

/* The step that fixes a failure, or a rule id without a step. */
typedef struct fix {
    const psc_step *step;
    const char *rule;
} fix;

static void fail(run *r, psc_hop_probe *h, const char *check, fix fx, const char *file,
                 const char *f, ...) __attribute__((format(printf, 6, 7)));
static void fail(run *r, psc_hop_probe *h, const char *check, fix fx, const char *file,
                 const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = psc_vstrfmt(f, ap);
    va_end(ap);
    psc_probe_failure *n = s ? realloc(h->failures, (h->nfailures + 1) * sizeof *n) : NULL;
    if (n == NULL) {
        free(s);
        r->oom = 1;
        return;
    }
    h->failures = n;
    psc_probe_failure *pf = &n[h->nfailures++];
    memset(pf, 0, sizeof *pf);
    pf->check = check;
    pf->reason = s;
    pf->rule = fx.step ? fx.step->id : fx.rule;
    pf->where = fx.step ? fx.step->system : NULL;
    if (file != NULL) {
        snprintf(pf->file, sizeof pf->file, "%s", file);
    } else if (fx.step != NULL) {
        char name[256];
        psc_step_export_name(r->pr->plan, fx.step, name, sizeof name);
        if (name[0])
            snprintf(pf->file, sizeof pf->file, "%s/%s", fx.step->system->name, name);
    }
}

/* ---- finding the plan's steps for a hop ---------------------------------- */

/* The first required step done in `at` whose certificate belongs to `owner`
 * (NULL = anyone) with an action in `actions` (bit mask); todo steps first. */
static fix find_step(const psc_plan *p, const psc_system *at, const psc_system *owner,
                     unsigned actions, const char *target)
{
    fix best = {NULL, NULL};
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        if (s->system != at || !s->required || !(actions & (1u << s->action)) ||
            (owner && s->owner != owner) || (target && strcmp(s->target, target) != 0))
            continue;
        if (best.step == NULL || (best.step->status != PSC_STATUS_TODO &&
                                  s->status == PSC_STATUS_TODO))
            best.step = s;
    }
    return best;
}

#define ACT(a) (1u << (a))

/* The server does not take the client's certificate in the handshake: the
 * server side's import of the client's CAs (R9, R5), else the client's own
 * certificate replacement (R3: a step when self-signed, else the rule). */
static fix fix_client_rejected(const psc_plan *p, const psc_hop_probe *h)
{
    fix f = find_step(p, h->server, h->client, ACT(PSC_ACTION_IMPORT), NULL);
    if (f.step == NULL)
        f = find_step(p, h->client, NULL, ACT(PSC_ACTION_REPLACE), "own-certificate");
    for (size_t i = 0; f.step == NULL && f.rule == NULL && i < psc_rule_count(); i++) {
        const psc_rule *ru = psc_rule_at(i);
        if (ru->client == h->client->type && ru->server == h->server->type &&
            ru->action == PSC_ACTION_REPLACE && !ru->at_server)
            f.rule = ru->id;
    }
    return f;
}

/* 401: the server does not know the certificate (upload, else user mapping);
 * 403: it knows it, the user or role behind it lacks rights (mapping first). */
static fix fix_http(const psc_plan *p, const psc_hop_probe *h, int forbidden)
{
    psc_action order[2] = {PSC_ACTION_UPLOAD, PSC_ACTION_MAP_USER};
    if (forbidden) {
        order[0] = PSC_ACTION_MAP_USER;
        order[1] = PSC_ACTION_UPLOAD;
    }
    for (int i = 0; i < 2; i++) {
        fix f = find_step(p, h->server, h->client, ACT(order[i]), NULL);
        if (f.step == NULL && order[i] == PSC_ACTION_MAP_USER) /* forwarded: R10 of the caller */
            f = find_step(p, h->server, NULL, ACT(order[i]), NULL);
        if (f.step != NULL)
            return f;
    }
    return (fix){NULL, NULL};
}

/* ---- the client's identity ----------------------------------------------- */

typedef struct identity {
    psc_store *st;           /* where leaf and its issuers are */
    psc_cert *leaf;
    EVP_PKEY *key;
} identity;

static void find_identity(const psc_system *s, identity *id)
{
    memset(id, 0, sizeof *id);
    psc_cert *leaf = s->files[psc_type_info_of(s->type)->client_leaf].leaf; /* SCC: system_cert */
    id->st = s->store;
    id->leaf = leaf;
    psc_store *stores[2] = {s->store, s->state};
    for (int k = 0; k < 2 && id->key == NULL; k++)
        for (size_t i = 0; stores[k] && i < psc_store_entry_count(stores[k]) && id->key == NULL;
             i++) {
            psc_entry *en = psc_store_entry(stores[k], i);
            if (en->key == NULL || en->chain_len == 0)
                continue;
            /* without client_cert: the SSL client PSE's own certificate */
            int match = leaf ? memcmp(en->chain[0]->sha256, leaf->sha256, 32) == 0
                             : en->type == PSC_ENTRY_OWN &&
                                   s->files[PSC_KEY_SSL_CLIENT_PSE].path != NULL &&
                                   en->origin.file != NULL &&
                                   strcmp(en->origin.file, s->files[PSC_KEY_SSL_CLIENT_PSE].path) == 0;
            if (match) {
                id->st = stores[k];
                id->leaf = en->chain[0];
                id->key = en->key;
            }
        }
}

/* ---- check 1: the server's chain against the client's trust -------------- */

static int has_cert(psc_cert *const *certs, size_t n, const psc_cert *c)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(certs[i]->sha256, c->sha256, 32) == 0)
            return 1;
    return 0;
}

/* Did the root change against the landscape's file of the server's chain?
 * Returns the new root's subject, or NULL. */
static const char *rotated_root(const psc_hop_probe *h, const char **file)
{
    const psc_type_info *ti = psc_type_info_of(h->server->type);
    psc_key keys[2] = {ti->server_chain, ti->server_leaf};
    const char *root = h->chain[h->nchain - 1]->self_signed ? h->chain[h->nchain - 1]->subject
                                                            : h->chain[h->nchain - 1]->issuer;
    int given = 0;
    *file = NULL;
    for (int k = 0; k < 2; k++) {
        const psc_material *m = keys[k] < PSC_KEY_COUNT ? &h->server->files[keys[k]] : NULL;
        if (m == NULL || m->value == NULL)
            continue;
        if (*file == NULL)
            *file = m->value;
        given = 1;
        for (size_t i = 0; i < m->ncerts; i++)
            if (strcmp(m->certs[i]->subject, root) == 0)
                return NULL;
    }
    return given ? root : NULL;
}

static void check_server_trust(run *r, psc_hop_probe *h)
{
    const psc_plan *p = r->pr->plan;
    const psc_system *c = h->client;
    X509_STORE *store = X509_STORE_new();
    if (store == NULL) {
        r->oom = 1;
        return;
    }
    int anchors = 0;
    const psc_step *missing = NULL, *first = NULL;
    const char *from_file = NULL;
    int has_anonymous = 0;
    for (size_t i = 0; i < p->nsteps; i++)
        has_anonymous |= p->steps[i].system == c && p->steps[i].owner == h->server &&
                         strcmp(p->steps[i].target, "strust-ssl-client-anonymous") == 0;
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        if (s->system != c || s->owner != h->server || s->action != PSC_ACTION_IMPORT ||
            s->cert == NULL)
            continue;
        int anonymous = strcmp(s->target, "strust-ssl-client-anonymous") == 0;
        if (h->auth == PSC_AUTH_CERTIFICATE ? anonymous : (has_anonymous && !anonymous))
            continue;
        psc_key k = psc_target_state_key(c->type, s->target);
        const psc_material *m = k < PSC_KEY_COUNT ? &c->files[k] : NULL;
        if (m != NULL && m->path != NULL) {
            from_file = m->value;
            for (size_t j = 0; j < m->ncerts; j++)
                anchors += X509_STORE_add_cert(store, psc_cert_x509(m->certs[j])) == 1;
            if (s->required && !has_cert(m->certs, m->ncerts, s->cert) && missing == NULL)
                missing = s;
        } else {
            anchors += X509_STORE_add_cert(store, psc_cert_x509(s->cert)) == 1;
        }
        if (s->required && first == NULL)
            first = s;
    }
    if (first == NULL && c->files[PSC_KEY_KEYSTORE].path != NULL) {
        const psc_material *m = &c->files[PSC_KEY_KEYSTORE];
        from_file = m->value;
        for (size_t j = 0; j < m->ncerts; j++)
            anchors += X509_STORE_add_cert(store, psc_cert_x509(m->certs[j])) == 1;
    }
    ERR_clear_error(); /* duplicates in the store are no error */
    const char *chain_file = NULL;
    const char *new_root = rotated_root(h, &chain_file);
    if (anchors == 0) {
        note(r, h, "%s's trust of %s: nothing in the plan or the landscape to check against",
             c->name, h->server->name);
        X509_STORE_free(store);
        return;
    }
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *vc = X509_STORE_CTX_new();
    int ok = -1;
    if (untrusted != NULL && vc != NULL) {
        for (size_t i = 1; i < h->nchain; i++)
            sk_X509_push(untrusted, psc_cert_x509(h->chain[i]));
        if (X509_STORE_CTX_init(vc, store, psc_cert_x509(h->chain[0]), untrusted) == 1) {
            X509_STORE_CTX_set_flags(vc, X509_V_FLAG_PARTIAL_CHAIN);
            X509_STORE_CTX_set_purpose(vc, X509_PURPOSE_SSL_SERVER);
            ok = X509_verify_cert(vc);
        }
    }
    const char *why = vc && ok != 1 ? X509_verify_cert_error_string(X509_STORE_CTX_get_error(vc))
                                    : "";
    const char *trust = from_file ? from_file : "the planned imports";
    if (ok < 0) {
        r->oom = 1;
    } else if (ok == 1 && new_root) {
        note(r, h, "the chain changed since your server_chain file %s: new root %s; %s trusts it "
                   "already, but refresh the file (pseconv fetch) and plan again",
             chain_file, new_root, c->name);
    } else if (ok == 1) {
        note(r, h, "%s trusts %s's server certificate (%s)", c->name, h->server->name, trust);
    } else if (new_root) {
        fail(r, h, "server-chain-changed", (fix){first, NULL}, chain_file,
             "chain changed since your server_chain file: new root %s (%s would reject it: %s)",
             new_root, c->name, why);
    } else {
        const psc_step *s = missing ? missing : first;
        fail(r, h, "server-trust", (fix){s, NULL}, NULL,
             "%s would reject %s's server certificate: %s missing in %s (%s)", c->name,
             h->server->name, s ? s->id : "the root", trust, why);
    }
    X509_STORE_CTX_free(vc);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
}

/* ---- check 2: the acceptable client CA names ------------------------------ */

static void check_client_ca(run *r, psc_hop_probe *h, const identity *id, X509_NAME **names,
                            size_t nnames, psc_chain *ch)
{
    if (!h->cert_requested) {
        note(r, h, "%s did not ask for a client certificate in the handshake", h->server->name);
        return;
    }
    if (nnames == 0) {
        note(r, h, "%s asked for a client certificate without naming acceptable CAs",
             h->server->name);
        return;
    }
    if (id->leaf == NULL) {
        note(r, h, "%s has no client_cert in the landscape: the CA names are not compared",
             h->client->name);
        return;
    }
    for (size_t i = 0; i < ch->len; i++)
        for (size_t n = 0; n < nnames; n++)
            if ((ch->certs[i]->issuer_name &&
                 X509_NAME_cmp(psc_name_x509(ch->certs[i]->issuer_name), names[n]) == 0) ||
                (ch->certs[i]->subject_name &&
                 X509_NAME_cmp(psc_name_x509(ch->certs[i]->subject_name), names[n]) == 0)) {
                note(r, h, "%s accepts client certificates issued under %s", h->server->name,
                     h->ca_names[n]);
                return;
            }
    const psc_cert *top = ch->certs[ch->len - 1];
    fail(r, h, "client-ca", fix_client_rejected(r->pr->plan, h), NULL,
         "%s does not accept %s's client certificate: its %zu acceptable CA name%s (%s%s) do not "
         "include %s, where %s's chain ends",
         h->server->name, h->client->name, nnames, nnames == 1 ? "" : "s", h->ca_names[0],
         nnames > 1 ? ", ..." : "", top->self_signed ? top->subject : top->issuer,
         h->client->name);
}

/* ---- check 3: the mutual handshake and one request ------------------------ */

static void check_mutual(run *r, psc_hop_probe *h, const psc_url *u, const psc_proxy *px,
                         const identity *id, psc_chain *ch)
{
    const psc_plan *p = r->pr->plan;
    if (id->key == NULL) {
        note(r, h, "no private key for %s's client certificate in the landscape: the mutual "
                   "handshake was not tried (give ssl_client_pse with pse_pin, keystore with "
                   "keystore_password, or client_cert as PEM with its key)",
             h->client->name);
        return;
    }
    STACK_OF(X509) *extra = sk_X509_new_null();
    if (extra == NULL) {
        r->oom = 1;
        return;
    }
    for (size_t i = 1; i < ch->len; i++) /* issuers, without a self-signed root */
        if (!(ch->certs[i]->self_signed && i == ch->len - 1))
            sk_X509_push(extra, psc_cert_x509(ch->certs[i]));
    psc_tls_call call;
    psc_err e = {0};
    int rc = psc_tls_call_with(u, px, r->o->timeout_ms, psc_cert_x509(id->leaf), extra, id->key,
                               &call, &e);
    sk_X509_free(extra);
    h->mutual_tried = 1;
    if (rc != PSC_OK) {
        h->status = PSC_HOP_UNREACHABLE;
        free(h->message);
        h->message = strdup(e.msg);
        r->oom |= h->message == NULL;
        return;
    }
    h->http_status = call.http_status;
    snprintf(h->method, sizeof h->method, "%s", call.method);
    snprintf(h->tls_alert, sizeof h->tls_alert, "%s", call.alert);
    const char *S = h->server->name, *C = h->client->name;
    if (call.alert[0]) {
        fail(r, h, "handshake", fix_client_rejected(p, h), NULL,
             "%s rejected %s's client certificate: TLS alert \"%s\" from %s", S, C, call.alert, S);
    } else if (!call.handshake_ok || call.http_status == 0) {
        fail(r, h, "handshake", (fix){NULL, NULL}, NULL,
             "the mutual handshake with %s's client certificate failed: %s", C, call.tls_error);
    } else if (call.http_status == 401 || call.redirect_off_host) {
        char where[600] = "";
        if (call.redirect_off_host)
            snprintf(where, sizeof where, " (redirect to %s, not followed)", call.location);
        fail(r, h, "http", fix_http(p, h, 0), NULL,
             "%s answered %s %s with %d%s: it does not know %s's client certificate", S,
             call.method, call.path, call.http_status, where, C);
    } else if (call.http_status == 403) {
        fail(r, h, "http", fix_http(p, h, 1), NULL,
             "%s answered %s %s with 403 Forbidden: it knows %s's client certificate, but the "
             "user or role behind it may not call this endpoint",
             S, call.method, call.path, C);
    } else {
        note(r, h, "authenticated: %s %s answered %d", call.method, call.path, call.http_status);
    }
}

/* "CN=..., O=..., C=DE": the order STRUST and the rest of pseconv show. */
static char *name_text(const X509_NAME *n)
{
    psc_buf b;
    psc_buf_init(&b);
    for (int i = X509_NAME_entry_count(n) - 1; i >= 0; i--) {
        const X509_NAME_ENTRY *ne = X509_NAME_get_entry(n, i);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne));
        unsigned char *utf8 = NULL;
        int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(ne));
        const char *sn = nid != NID_undef ? OBJ_nid2sn(nid) : "?";
        if (len >= 0)
            psc_buf_printf(&b, "%s%s=%.*s", b.len ? ", " : "", sn, len, (const char *)utf8);
        OPENSSL_free(utf8);
    }
    if (psc_buf_cstr(&b) != 0) {
        psc_buf_free(&b, 0);
        return NULL;
    }
    for (size_t i = 0; i < b.len; i++) /* the server's bytes never reach a terminal raw */
        if (b.data[i] < 0x20 || b.data[i] == 0x7f)
            b.data[i] = '?';
    return (char *)b.data;
}

/* ---- one hop --------------------------------------------------------------- */

static void probe_hop(run *r, psc_hop_probe *h)
{
    const psc_system *s = h->server;
    psc_url u;
    psc_proxy px;
    psc_err e = {0};
    if (s->url == NULL) {
        h->status = PSC_HOP_SKIPPED;
        if ((h->message = strdup("the server has no url in the landscape")) == NULL)
            r->oom = 1;
        return;
    }
    if (psc_url_parse(s->url, &u, &e) != PSC_OK ||
        psc_proxy_choose(r->o->proxy, u.host, &px, &e) != PSC_OK) {
        h->status = PSC_HOP_UNREACHABLE;
        r->oom |= (h->message = strdup(e.msg)) == NULL;
        return;
    }
    psc_tls_look look;
    if (psc_tls_look_at(&u, &px, r->o->timeout_ms, &look, &e) != PSC_OK) {
        h->status = PSC_HOP_UNREACHABLE;
        r->oom |= (h->message = strdup(e.msg)) == NULL;
        return;
    }
    snprintf(h->address, sizeof h->address, "%s", look.address);
    snprintf(h->protocol, sizeof h->protocol, "%s", look.protocol);
    h->cert_requested = look.cert_requested;
    int n = sk_X509_num(look.chain);
    h->chain = calloc((size_t)n, sizeof *h->chain);
    for (int i = 0; h->chain && i < n; i++) {
        psc_cert *c = psc_store_add_x509(r->pr->live, sk_X509_value(look.chain, i), s->url, &e);
        if (c == NULL)
            break;
        h->chain[h->nchain++] = c;
    }
    size_t nnames = look.ca_names ? (size_t)sk_X509_NAME_num(look.ca_names) : 0;
    X509_NAME **names = nnames ? calloc(nnames, sizeof *names) : NULL;
    h->ca_names = nnames ? calloc(nnames, sizeof *h->ca_names) : NULL;
    if (h->chain == NULL || (int)h->nchain != n || (nnames && (names == NULL || h->ca_names == NULL))) {
        r->oom = 1;
    } else {
        for (size_t i = 0; i < nnames; i++) {
            names[i] = sk_X509_NAME_value(look.ca_names, (int)i);
            h->ca_names[h->nca_names++] = name_text(names[i]);
            r->oom |= h->ca_names[h->nca_names - 1] == NULL;
        }
    }
    if (!r->oom) {
        identity id;
        find_identity(h->client, &id);
        psc_chain ch = {0};
        if (id.leaf)
            psc_chain_build(id.st, id.leaf, r->pr->plan->now, &ch);
        check_server_trust(r, h);
        if (h->auth == PSC_AUTH_CERTIFICATE && !r->oom) {
            check_client_ca(r, h, &id, names, nnames, &ch);
            check_mutual(r, h, &u, &px, &id, &ch);
        } else if (!r->oom) {
            note(r, h, "auth = basic: no client certificate is checked");
        }
    }
    free(names);
    psc_tls_look_free(&look);
    /* a failure found before the server went away still counts */
    if (h->nfailures || h->status != PSC_HOP_UNREACHABLE)
        h->status = h->nfailures ? PSC_HOP_FAILS : PSC_HOP_OK;
}

/* ---- hops of the plan ------------------------------------------------------ */

static void trim(char *s)
{
    size_t l = strlen(s), b = strspn(s, " \t");
    while (l > b && isspace((unsigned char)s[l - 1]))
        s[--l] = '\0';
    memmove(s, s + b, l - b + 1);
}

int psc_probe_run(const psc_plan *p, const psc_probe_opts *o, psc_probe **out, psc_err *e)
{
    *out = NULL;
    const psc_landscape *ls = p->landscape;
    char want_c[200] = "", want_s[200] = "";
    if (o->hop != NULL) {
        const char *arrow = strstr(o->hop, "->");
        size_t cl = arrow ? (size_t)(arrow - o->hop) : 0;
        if (arrow == NULL || cl >= sizeof want_c || strlen(arrow + 2) >= sizeof want_s)
            return psc_fail(e, PSC_EUSAGE, "--hop '%s': write CLIENT->SERVER, e.g. ERP->HCI",
                            o->hop);
        memcpy(want_c, o->hop, cl);
        want_c[cl] = '\0';
        strcpy(want_s, arrow + 2);
        trim(want_c);
        trim(want_s);
    }
    psc_probe *pr = calloc(1, sizeof *pr);
    if (pr == NULL || (pr->live = psc_store_new()) == NULL) {
        free(pr);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    pr->plan = p;
    run r = {pr, o, 0};
    char hops_text[600] = "";
    /* every distinct hop of every flow, in flow order; certificate auth wins */
    for (size_t f = 0; f < ls->nflows && !r.oom; f++)
        for (size_t k = 0; k + 1 < ls->flows[f].npath; k++) {
            const psc_system *c = &ls->systems[ls->flows[f].path[k]];
            const psc_system *s = &ls->systems[ls->flows[f].path[k + 1]];
            psc_hop_probe *h = NULL;
            for (size_t i = 0; i < pr->nhops && h == NULL; i++)
                if (pr->hops[i].client == c && pr->hops[i].server == s)
                    h = &pr->hops[i];
            if (h != NULL) {
                if (ls->flows[f].auth == PSC_AUTH_CERTIFICATE)
                    h->auth = PSC_AUTH_CERTIFICATE;
                continue;
            }
            size_t tl = strlen(hops_text);
            snprintf(hops_text + tl, sizeof hops_text - tl, "%s%s->%s", tl ? ", " : "", c->name,
                     s->name);
            if (o->hop && (strcmp(c->name, want_c) != 0 || strcmp(s->name, want_s) != 0))
                continue;
            psc_hop_probe *nh = realloc(pr->hops, (pr->nhops + 1) * sizeof *nh);
            if (nh == NULL) {
                r.oom = 1;
                break;
            }
            pr->hops = nh;
            h = &nh[pr->nhops++];
            memset(h, 0, sizeof *h);
            h->client = c;
            h->server = s;
            h->auth = ls->flows[f].auth;
        }
    int rc = PSC_OK;
    if (r.oom)
        rc = psc_fail(e, PSC_EINPUT, "out of memory");
    else if (o->hop && pr->nhops == 0)
        rc = psc_fail(e, PSC_EUSAGE, "--hop %s: no flow of %s has this hop; hops: %s", o->hop,
                      ls->file, hops_text[0] ? hops_text : "(none)");
    size_t with_url = 0;
    for (size_t i = 0; rc == PSC_OK && i < pr->nhops; i++)
        with_url += pr->hops[i].server->url != NULL;
    if (rc == PSC_OK && with_url == 0)
        rc = psc_fail(e, PSC_EINPUT,
                      "%s: no server %s has a url; add url = https://HOST[:PORT][/PATH] to its "
                      "[system] section",
                      ls->file, o->hop ? "of this hop" : "of any hop");
    psc_proxy check;
    if (rc == PSC_OK && o->proxy && *o->proxy && psc_proxy_parse(o->proxy, &check, e) != PSC_OK)
        rc = PSC_EUSAGE;
    for (size_t i = 0; rc == PSC_OK && i < pr->nhops && !r.oom; i++)
        probe_hop(&r, &pr->hops[i]);
    if (rc == PSC_OK && r.oom)
        rc = psc_fail(e, PSC_EINPUT, "out of memory");
    if (rc != PSC_OK) {
        psc_probe_free(pr);
        return rc;
    }
    *out = pr;
    return PSC_OK;
}

void psc_probe_free(psc_probe *pr)
{
    if (pr == NULL)
        return;
    for (size_t i = 0; i < pr->nhops; i++) {
        psc_hop_probe *h = &pr->hops[i];
        free(h->message);
        free(h->chain);
        for (size_t k = 0; k < h->nca_names; k++)
            free(h->ca_names[k]);
        free(h->ca_names);
        for (size_t k = 0; k < h->nfailures; k++)
            free(h->failures[k].reason);
        free(h->failures);
        for (size_t k = 0; k < h->nnotes; k++)
            free(h->notes[k]);
        free(h->notes);
    }
    free(pr->hops);
    psc_store_free(pr->live);
    free(pr);
}

int psc_probe_exit_code(const psc_probe *pr)
{
    int fails = 0, unreachable = 0;
    for (size_t i = 0; i < pr->nhops; i++) {
        fails |= pr->hops[i].status == PSC_HOP_FAILS;
        unreachable |= pr->hops[i].status == PSC_HOP_UNREACHABLE;
    }
    return fails ? PSC_EFINDING : unreachable ? PSC_EINPUT : PSC_OK;
}
