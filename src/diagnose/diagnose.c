/* Text -> catalogue rows -> hops of the landscape -> plan steps, ranked.
 *
 * 1. Every row whose pattern occurs in the text matches (case-insensitive).
 *    Rows of one family (a 401 from CPI or from ERP) that the context does
 *    not confirm are dropped when another of the family is confirmed; a
 *    wrapper (C4C's "Service Ping ERROR") fixes the reporter and so drops
 *    rows whose reporter cannot be C4C; a PSE name fixes the side of a row
 *    that either side reports.
 * 2. The hops: every CLIENT -> SERVER pair of the landscape's flows whose
 *    types fit a matched row (after --hop / --flow); a matched row that
 *    fits none of them is dropped when another one does.
 * 3. The causes: for each matched row, candidate and fitting hop, the plan's
 *    steps with that rule id in that system for that hop's flows; plus the
 *    plan's findings the row names.  A step the current state already has
 *    (status present) is ruled out, with the file that holds it.
 * 4. Ranked: steps to do and error findings first, optional steps and
 *    warnings next, steps SAP keeps (check only) last; then by message,
 *    candidate order of the row, hop and plan order. */
#include "diagnose.h"
#include "landscape.h"
#include "render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ctx {
    psc_dg_result *r;
    const psc_dg_filter *f;
    size_t cause_cap, ruled_cap;
    int oom;
} ctx;

static int contains(const char *text, const char *pat)
{
    return pat && *pat && strcasestr(text, pat) != NULL;
}

static const char *first_match(const char *text, const char *const *pats)
{
    for (size_t i = 0; i < PSC_DG_MAX_PATTERNS && pats[i]; i++)
        if (contains(text, pats[i]))
            return pats[i];
    return NULL;
}

/* The reporter may sit on `side` of a hop ctype -> stype. */
static int fits_side(const psc_dg_row *row, psc_dg_side side, psc_system_type ct,
                     psc_system_type st)
{
    unsigned peer = row->peer_types ? row->peer_types : ~0u;
    if ((side & PSC_DG_CLIENT) && (row->reporter_types & PSC_DG_TYPE(ct)) &&
        (peer & PSC_DG_TYPE(st)))
        return 1;
    if ((side & PSC_DG_SERVER) && (row->reporter_types & PSC_DG_TYPE(st)) &&
        (peer & PSC_DG_TYPE(ct)))
        return 1;
    return 0;
}

static int fits(const psc_dg_match *m, const psc_dg_match *wrapper, psc_system_type ct,
                psc_system_type st)
{
    if (!fits_side(m->row, m->side, ct, st))
        return 0;
    return wrapper == NULL || wrapper == m || fits_side(wrapper->row, wrapper->side, ct, st);
}

/* Can any hop fit both the row and the wrapper? (type pairs, no landscape) */
static int compatible(const psc_dg_match *m, const psc_dg_match *wrapper)
{
    for (int c = 0; c < PSC_SYS_TYPE_COUNT; c++)
        for (int s = 0; s < PSC_SYS_TYPE_COUNT; s++)
            if (fits(m, wrapper, (psc_system_type)c, (psc_system_type)s))
                return 1;
    return 0;
}

static void match_rows(const char *text, psc_dg_result *r)
{
    const psc_dg_side_hint *hint = NULL;
    for (size_t i = 0; i < psc_dg_side_hint_count() && !hint; i++)
        if (contains(text, psc_dg_side_hint_at(i)->pattern))
            hint = psc_dg_side_hint_at(i);
    psc_dg_match all[sizeof r->matches / sizeof r->matches[0]];
    size_t n = 0;
    for (size_t i = 0; i < psc_dg_row_count() && n < sizeof all / sizeof all[0]; i++) {
        const psc_dg_row *row = psc_dg_row_at(i);
        const char *pat = first_match(text, row->patterns);
        if (pat == NULL)
            continue;
        psc_dg_match *m = &all[n++];
        memset(m, 0, sizeof *m);
        m->row = row;
        m->pattern = pat;
        m->hinted = first_match(text, row->hints) != NULL;
        m->side = row->side;
        if (hint && row->side == PSC_DG_EITHER) {
            m->side = hint->side;
            m->side_hint = hint;
        }
    }
    const psc_dg_match *wrapper = NULL;
    size_t nreal = 0;
    for (size_t i = 0; i < n; i++) {
        if (all[i].row->wrapper && !wrapper)
            wrapper = &all[i];
        nreal += !all[i].row->wrapper;
    }
    /* Keep: confirmed rows of a family, rows fitting the wrapper; order:
     * confirmed first, then catalogue order, the wrapper last. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < n; i++) {
            const psc_dg_match *m = &all[i];
            int want = m->row->wrapper ? 2 : m->hinted ? 0 : 1;
            if (want != pass)
                continue;
            if (m->row->wrapper && m != wrapper)
                continue;
            if (!m->row->wrapper && wrapper && nreal && !compatible(m, wrapper))
                continue;
            if (m->row->family && !m->hinted) {
                int other = 0;
                for (size_t j = 0; j < n; j++)
                    other = other || (j != i && all[j].hinted && all[j].row->family &&
                                      strcmp(all[j].row->family, m->row->family) == 0);
                if (other)
                    continue;
            }
            r->matches[r->nmatches++] = *m;
        }
}

static const psc_dg_match *wrapper_of(const psc_dg_result *r)
{
    for (size_t i = 0; i < r->nmatches; i++)
        if (r->matches[i].row->wrapper)
            return &r->matches[i];
    return NULL;
}

/* Does the wrapper only name the reporter (other rows say why)? */
static int wrapper_only_context(const psc_dg_result *r, const psc_dg_match *m)
{
    return m->row->wrapper && r->nmatches > 1;
}

static size_t add_hop(psc_dg_result *r, const psc_system *c, const psc_system *s,
                      psc_system_type ct, psc_system_type st)
{
    for (size_t i = 0; i < r->nhops; i++)
        if (r->hops[i].client == c && r->hops[i].server == s && r->hops[i].client_type == ct &&
            r->hops[i].server_type == st)
            return i;
    if (r->nhops == sizeof r->hops / sizeof r->hops[0])
        return SIZE_MAX;
    psc_dg_hop *h = &r->hops[r->nhops];
    memset(h, 0, sizeof *h);
    h->client = c;
    h->server = s;
    h->client_type = ct;
    h->server_type = st;
    return r->nhops++;
}

/* A message none of the landscape's hops can produce is dropped when another
 * one fits (a 401 is ERP's behind a Web Dispatcher, or ERP's behind SAP
 * Cloud Connector: the landscape says which). */
static void drop_matches_without_hop(psc_dg_result *r)
{
    const psc_dg_match *w = wrapper_of(r);
    int fit[sizeof r->matches / sizeof r->matches[0]];
    size_t nfit = 0;
    for (size_t i = 0; i < r->nmatches; i++) {
        fit[i] = r->matches[i].row->wrapper != 0;
        for (size_t h = 0; h < r->nhops && !fit[i]; h++)
            if (fits(&r->matches[i], w, r->hops[h].client_type, r->hops[h].server_type)) {
                fit[i] = 1;
                nfit++;
            }
    }
    if (nfit == 0)
        return;
    size_t n = 0;
    for (size_t i = 0; i < r->nmatches; i++)
        if (fit[i])
            r->matches[n++] = r->matches[i];
    r->nmatches = n;
}

/* The landscape's hops that fit a matched row (and the filter), in flow order. */
static int landscape_hops(psc_dg_result *r, const psc_dg_filter *f, psc_err *e)
{
    const psc_landscape *ls = r->plan->landscape;
    const psc_dg_match *w = wrapper_of(r);
    int flow_seen = 0, hop_seen = 0;
    for (size_t fi = 0; fi < ls->nflows; fi++) {
        const psc_flow *fl = &ls->flows[fi];
        if (f && f->flow && strcmp(f->flow, fl->name) != 0)
            continue;
        flow_seen = 1;
        for (size_t h = 0; h + 1 < fl->npath; h++) {
            const psc_system *c = &ls->systems[fl->path[h]], *s = &ls->systems[fl->path[h + 1]];
            if (f && f->hop_client &&
                (strcasecmp(f->hop_client, c->name) || strcasecmp(f->hop_server, s->name)))
                continue;
            hop_seen = 1;
            int any = 0;
            for (size_t i = 0; i < r->nmatches && !any; i++)
                if (!wrapper_only_context(r, &r->matches[i]))
                    any = fits(&r->matches[i], w, c->type, s->type);
            if (!any)
                continue;
            size_t hi = add_hop(r, c, s, c->type, s->type);
            if (hi == SIZE_MAX)
                continue;
            psc_dg_hop *hp = &r->hops[hi];
            if (hp->nflows < sizeof hp->flows / sizeof hp->flows[0])
                hp->flows[hp->nflows++] = fl;
        }
    }
    if (f && f->flow && !flow_seen)
        return psc_fail(e, PSC_EUSAGE, "--flow %s: the landscape has no such flow", f->flow);
    if (f && f->hop_client && !hop_seen)
        return psc_fail(e, PSC_EUSAGE, "--hop %s->%s: no flow%s%s has this hop", f->hop_client,
                        f->hop_server, f->flow ? " " : "", f->flow ? f->flow : "");
    drop_matches_without_hop(r);
    return PSC_OK;
}

static psc_dg_cause *push(ctx *c, int ruled)
{
    psc_dg_result *r = c->r;
    psc_dg_cause **list = ruled ? &r->ruled_out : &r->causes;
    size_t *n = ruled ? &r->nruled_out : &r->ncauses;
    size_t *cap = ruled ? &c->ruled_cap : &c->cause_cap;
    if (psc_grow((void **)list, cap, *n + 1, sizeof **list) != 0) {
        c->oom = 1;
        return NULL;
    }
    psc_dg_cause *x = &(*list)[(*n)++];
    memset(x, 0, sizeof *x);
    x->hop = SIZE_MAX;
    return x;
}

static int step_listed(const psc_dg_result *r, const psc_step *s)
{
    for (size_t i = 0; i < r->ncauses; i++)
        if (r->causes[i].step == s)
            return 1;
    for (size_t i = 0; i < r->nruled_out; i++)
        if (r->ruled_out[i].step == s)
            return 1;
    return 0;
}

static int finding_listed(const psc_dg_result *r, const psc_finding *fd)
{
    for (size_t i = 0; i < r->ncauses; i++)
        if (r->causes[i].finding == fd)
            return 1;
    return 0;
}

/* Is step s the one candidate `cand` means on hop h? */
static int step_on_hop(const psc_step *s, const psc_dg_cand *cand, const psc_dg_hop *h)
{
    if (strcmp(s->id, cand->rule) != 0)
        return 0;
    if (s->system != (cand->at_server ? h->server : h->client))
        return 0;
    if (cand->target && strcmp(s->target, cand->target) != 0)
        return 0;
    /* The certificate is the client's or the server's (a proxy's user
     * mapping: the caller's, one hop further up, forwarded); a setting
     * without a certificate (R14, SCC's principal propagation) has none. */
    if (s->owner && s->owner != h->client && s->owner != h->server &&
        s->action != PSC_ACTION_MAP_USER)
        return 0;
    for (size_t i = 0; i < s->nflows; i++)
        for (size_t j = 0; j < h->nflows; j++)
            if (strcmp(s->flows[i], h->flows[j]->name) == 0)
                return 1;
    return 0;
}

/* "CN=... is already in SAPSSLC.pse (ssl_client_pse)" */
static void present_because(const psc_step *s, char *out, size_t n)
{
    const psc_system *sys = s->system;
    for (int k = 0; k < PSC_KEY_COUNT && s->cert; k++) {
        if (!psc_key_is_state((psc_key)k))
            continue;
        const psc_material *m = &sys->files[k];
        for (size_t i = 0; i < m->ncerts; i++)
            if (memcmp(m->certs[i]->sha256, s->cert->sha256, 32) == 0) {
                snprintf(out, n, "%s is already in %s (%s of %s)", s->cert->subject, m->value,
                         psc_key_name((psc_key)k), sys->name);
                return;
            }
    }
    snprintf(out, n, "already in place in %s", sys->name);
}

static void add_step_causes(ctx *c, const psc_dg_match *m, const psc_dg_match *w)
{
    psc_dg_result *r = c->r;
    const psc_plan *p = r->plan;
    for (size_t ci = 0; ci < PSC_DG_MAX_CANDS && m->row->cands[ci].rule; ci++) {
        const psc_dg_cand *cand = &m->row->cands[ci];
        if (!(cand->when & m->side))
            continue;
        for (size_t hi = 0; hi < r->nhops; hi++) {
            const psc_dg_hop *h = &r->hops[hi];
            if (h->client_type != cand->client || h->server_type != cand->server ||
                !fits(m, w, h->client_type, h->server_type))
                continue;
            for (size_t si = 0; si < p->nsteps; si++) {
                const psc_step *s = &p->steps[si];
                if (!step_on_hop(s, cand, h) || step_listed(r, s))
                    continue;
                psc_dg_cause *x = push(c, s->status == PSC_STATUS_PRESENT);
                if (x == NULL)
                    return;
                x->match = m;
                x->cand = cand;
                x->step = s;
                x->hop = hi;
                x->klass = s->status == PSC_STATUS_MANAGED ? 2 : s->required ? 0 : 1;
                char name[200];
                psc_step_export_name(p, s, name, sizeof name);
                if (name[0]) /* export writes it into the system's folder */
                    snprintf(x->file, sizeof x->file, "%s/%s", s->system->name, name);
                if (s->status == PSC_STATUS_PRESENT)
                    present_because(s, x->because, sizeof x->because);
            }
        }
    }
}

static void add_finding_causes(ctx *c, const psc_dg_match *m)
{
    psc_dg_result *r = c->r;
    const psc_plan *p = r->plan;
    for (size_t k = 0; k < PSC_DG_MAX_FINDINGS && m->row->findings[k]; k++)
        for (size_t i = 0; i < p->nfindings; i++) {
            const psc_finding *fd = &p->findings[i];
            if (strcmp(fd->code, m->row->findings[k]) != 0 || finding_listed(r, fd))
                continue;
            size_t hop = SIZE_MAX;
            for (size_t hi = 0; hi < r->nhops && hop == SIZE_MAX; hi++)
                if (fd->system == r->hops[hi].client || fd->system == r->hops[hi].server)
                    hop = hi;
            if (hop == SIZE_MAX)
                continue;
            psc_dg_cause *x = push(c, 0);
            if (x == NULL)
                return;
            x->match = m;
            x->finding = fd;
            x->finding_code = fd->code;
            x->hop = hop;
            x->klass = fd->severity == PSC_SEV_ERROR ? 0 : 1;
        }
}

/* Without a landscape: the row's candidates as rules on hop types. */
static int generic_causes(ctx *c, const psc_dg_filter *f, psc_err *e)
{
    psc_dg_result *r = c->r;
    int want_c = -1, want_s = -1;
    if (f && f->flow)
        return psc_fail(e, PSC_EUSAGE, "--flow needs a LANDSCAPE file");
    if (f && f->hop_client) {
        for (int t = 0; t < PSC_SYS_TYPE_COUNT; t++) {
            if (strcasecmp(f->hop_client, psc_system_type_name((psc_system_type)t)) == 0)
                want_c = t;
            if (strcasecmp(f->hop_server, psc_system_type_name((psc_system_type)t)) == 0)
                want_s = t;
        }
        if (want_c < 0 || want_s < 0)
            return psc_fail(e, PSC_EUSAGE,
                            "--hop %s->%s: without a landscape the hop is given by system "
                            "types (abap, cpi, c4c, webdispatcher, cloudconnector)",
                            f->hop_client, f->hop_server);
    }
    const psc_dg_match *w = wrapper_of(r);
    for (size_t mi = 0; mi < r->nmatches; mi++) {
        const psc_dg_match *m = &r->matches[mi];
        if (wrapper_only_context(r, m))
            continue;
        for (size_t ci = 0; ci < PSC_DG_MAX_CANDS && m->row->cands[ci].rule; ci++) {
            const psc_dg_cand *cand = &m->row->cands[ci];
            if (!(cand->when & m->side) || !fits(m, w, cand->client, cand->server))
                continue;
            if ((want_c >= 0 && (int)cand->client != want_c) ||
                (want_s >= 0 && (int)cand->server != want_s))
                continue;
            psc_dg_cause *x = push(c, 0);
            if (x == NULL)
                return PSC_OK;
            x->match = m;
            x->cand = cand;
            x->hop = add_hop(r, NULL, NULL, cand->client, cand->server);
        }
        for (size_t k = 0; k < PSC_DG_MAX_FINDINGS && m->row->findings[k]; k++) {
            int listed = 0; /* two readings of one text (CPI's, SCC's) name it once */
            for (size_t i = 0; i < r->ncauses && !listed; i++)
                listed = r->causes[i].finding_code &&
                         strcmp(r->causes[i].finding_code, m->row->findings[k]) == 0;
            if (listed)
                continue;
            psc_dg_cause *x = push(c, 0);
            if (x == NULL)
                return PSC_OK;
            x->match = m;
            x->finding_code = m->row->findings[k];
            x->klass = 1;
        }
    }
    return PSC_OK;
}

/* A rule with a step in place and an optional step still to do (R2: the
 * root is in SAPSSLC.pse, the intermediate is not): the state has ruled the
 * root out, so the optional step is now the likely one. */
static void promote_after_ruled_out(psc_dg_result *r)
{
    for (size_t i = 0; i < r->ncauses; i++) {
        psc_dg_cause *x = &r->causes[i];
        if (x->step == NULL || x->klass != 1)
            continue;
        for (size_t k = 0; k < r->nruled_out; k++) {
            const psc_dg_cause *o = &r->ruled_out[k];
            if (o->hop != x->hop || o->step->system != x->step->system ||
                strcmp(o->step->id, x->step->id) != 0 || o->step->target != x->step->target)
                continue;
            x->klass = 0;
            snprintf(x->because, sizeof x->because,
                     "%s is in place (%.300s), so the certificate still missing is this "
                     "%s%s%s",
                     o->step->id, o->because, psc_role_name(x->step->cert_role),
                     x->step->owner ? " of " : "", x->step->owner ? x->step->owner->name : "");
            break;
        }
    }
}

/* Stable insertion sort by class; within a class the insertion order
 * (message, candidate, hop, plan order) stands. */
static void rank(psc_dg_result *r)
{
    for (size_t i = 1; i < r->ncauses; i++) {
        psc_dg_cause tmp = r->causes[i];
        size_t j = i;
        while (j > 0 && r->causes[j - 1].klass > tmp.klass) {
            r->causes[j] = r->causes[j - 1];
            j--;
        }
        r->causes[j] = tmp;
    }
}

int psc_diagnose(const char *text, const psc_plan *p, const psc_dg_filter *f,
                 psc_dg_result **out, psc_err *e)
{
    *out = NULL;
    if (f && f->flow && p == NULL)
        return psc_fail(e, PSC_EUSAGE, "--flow needs a LANDSCAPE file");
    psc_dg_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    r->plan = p;
    ctx c = {0};
    c.r = r;
    c.f = f;
    match_rows(text ? text : "", r);
    int rc = PSC_OK;
    if (p) {
        rc = landscape_hops(r, f, e);
        const psc_dg_match *w = wrapper_of(r);
        for (size_t i = 0; rc == PSC_OK && i < r->nmatches; i++) {
            if (wrapper_only_context(r, &r->matches[i]))
                continue;
            add_step_causes(&c, &r->matches[i], w);
            add_finding_causes(&c, &r->matches[i]);
        }
    } else {
        rc = generic_causes(&c, f, e);
    }
    if (rc == PSC_OK && c.oom)
        rc = psc_fail(e, PSC_EINPUT, "out of memory while diagnosing");
    if (rc != PSC_OK) {
        psc_dg_result_free(r);
        return rc;
    }
    promote_after_ruled_out(r);
    rank(r);
    if (r->nmatches == 0)
        r->verdict = PSC_DG_UNKNOWN;
    else if (r->ncauses > 0 && r->causes[0].klass < 2)
        r->verdict = PSC_DG_IDENTIFIED;
    else
        r->verdict = PSC_DG_UNEXPLAINED;
    *out = r;
    return PSC_OK;
}

void psc_dg_result_free(psc_dg_result *r)
{
    if (r == NULL)
        return;
    free(r->causes);
    free(r->ruled_out);
    free(r);
}

int psc_dg_exit_code(const psc_dg_result *r) { return (int)r->verdict; }

void psc_dg_hop_name(const psc_dg_result *r, size_t hop, char *out, size_t n)
{
    if (hop >= r->nhops) {
        snprintf(out, n, "%s", "");
        return;
    }
    const psc_dg_hop *h = &r->hops[hop];
    if (h->client)
        snprintf(out, n, "%s -> %s", h->client->name, h->server->name);
    else
        snprintf(out, n, "%s -> %s", psc_system_type_name(h->client_type),
                 psc_system_type_name(h->server_type));
}
