/* Two plans -> new, kept and clean-up steps, and their renderers (see delta.h).
 * Both plans come from the planner unchanged; this file only compares their
 * step lists. */
#include "delta.h"
#include "describe.h"
#include "render.h"
#include "store_index.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *psc_delta_kind_name(psc_delta_kind k)
{
    static const char *const names[] = {"new", "kept", "cleanup"};
    return k <= PSC_DELTA_CLEANUP ? names[k] : "?";
}

/* Steps that name their certificate by DN, not by the certificate itself. */
static int by_dn(const psc_step *s)
{
    return s->action == PSC_ACTION_MAP_USER || s->action == PSC_ACTION_CONFIGURE;
}

static int same_step(const psc_step *a, const psc_step *b)
{
    if (strcmp(a->system->name, b->system->name) != 0 || strcmp(a->id, b->id) != 0 ||
        strcmp(a->target, b->target) != 0 || a->action != b->action)
        return 0;
    if (a->cert == NULL || b->cert == NULL)
        return a->cert == b->cert;
    if (by_dn(a))
        return strcmp(a->cert->subject, b->cert->subject) == 0;
    return memcmp(a->cert->sha256, b->cert->sha256, 32) == 0;
}

/* A hash of exactly what same_step compares: equal steps have equal keys. */
static uint32_t step_key(const psc_step *s)
{
    uint32_t h = PSC_HASH_INIT;
    h = psc_hash_bytes(h, s->system->name, strlen(s->system->name) + 1);
    h = psc_hash_bytes(h, s->id, strlen(s->id) + 1);
    h = psc_hash_bytes(h, s->target, strlen(s->target) + 1);
    h = psc_hash_bytes(h, &s->action, sizeof s->action);
    if (s->cert == NULL)
        return h;
    if (by_dn(s))
        return psc_hash_bytes(h, s->cert->subject, strlen(s->cert->subject));
    return psc_hash_bytes(h, s->cert->sha256, 32);
}

/* What to undo once the new certificates work.  First match wins:
 * (action, target or NULL = any). */
typedef struct undo_row {
    psc_action action;
    const char *target;
    const char *task;
} undo_row;
static const undo_row undo[] = {
    {PSC_ACTION_IMPORT, "trust-list", "kept by SAP: nothing to remove"},
    {PSC_ACTION_IMPORT, NULL, "remove the old certificate after cut-over"},
    {PSC_ACTION_UPLOAD, "service-key", "delete the old service key after cut-over"},
    {PSC_ACTION_UPLOAD, NULL, "remove the old certificate after cut-over"},
    {PSC_ACTION_MAP_USER, NULL, "deactivate the old VUSREXTID line after cut-over"},
    {PSC_ACTION_CONFIGURE, NULL, "remove the old trusted intermediary after cut-over"},
    {PSC_ACTION_REPLACE, NULL, "nothing to undo (the certificate was replaced)"},
};

static const char *undo_task(const psc_step *s)
{
    if (s->status == PSC_STATUS_MANAGED)
        return "kept by SAP: nothing to remove";
    for (size_t i = 0; i < sizeof undo / sizeof undo[0]; i++)
        if (undo[i].action == s->action &&
            (undo[i].target == NULL || strcmp(undo[i].target, s->target) == 0))
            return undo[i].task;
    return "undo after cut-over";
}

static int push(psc_delta *d, size_t *cap, psc_delta_kind k, const psc_step *s,
                const psc_step *old, const char *task)
{
    if (psc_grow((void **)&d->items, cap, d->nitems + 1, sizeof *d->items) != 0)
        return -1;
    d->items[d->nitems++] = (psc_delta_item){k, s, old, task};
    d->count[k]++;
    return 0;
}

int psc_delta_compute(const psc_plan *old_plan, const psc_plan *new_plan, psc_delta **out,
                      psc_err *e)
{
    *out = NULL;
    psc_delta *d = calloc(1, sizeof *d);
    unsigned char *matched = calloc(old_plan->nsteps + 1, 1);
    size_t *pair = calloc(new_plan->nsteps + 1, sizeof *pair);
    psc_plan *v = calloc(1, sizeof *v);
    psc_step *vsteps = calloc(new_plan->nsteps + 1, sizeof *vsteps);
    size_t cap = 0;
    if (d == NULL || matched == NULL || pair == NULL || v == NULL || vsteps == NULL)
        goto oom;
    d->old_plan = old_plan;
    d->new_plan = new_plan;
    *v = *new_plan;
    v->owns_landscape = 0;
    v->step_first = NULL; /* the view's own steps get their own index */
    v->steps_unsorted = 0;
    v->steps = vsteps;
    v->nsteps = 0;
    d->view = v;
    /* pair each NEW step with the first unpaired OLD one equal to it, found through
       an index of the old steps by step_key (a walk over all old steps for each new
       one was a third of plan --since at 2,000 systems, and quadratic); then list new
       steps first (as view copies, so export --since numbers only them), then kept ones */
    psc_keyidx olds = {0};
    for (size_t j = 0; j < old_plan->nsteps; j++)
        if (psc_keyidx_push(&olds, step_key(&old_plan->steps[j])) != (uint32_t)j) {
            psc_keyidx_free(&olds);
            goto oom;
        }
    for (size_t i = 0; i < new_plan->nsteps; i++) {
        pair[i] = (size_t)-1;
        for (uint32_t j = psc_keyidx_first(&olds, step_key(&new_plan->steps[i]));
             j != PSC_KEYIDX_END && pair[i] == (size_t)-1; j = psc_keyidx_next(&olds, j))
            if (!matched[j] && same_step(&old_plan->steps[j], &new_plan->steps[i])) {
                matched[j] = 1;
                pair[i] = j;
            }
    }
    psc_keyidx_free(&olds);
    for (size_t i = 0; i < new_plan->nsteps; i++) {
        if (pair[i] != (size_t)-1)
            continue;
        v->steps[v->nsteps] = new_plan->steps[i];
        if (push(d, &cap, PSC_DELTA_NEW, &v->steps[v->nsteps], NULL, NULL) != 0)
            goto oom;
        v->nsteps++;
    }
    for (size_t i = 0; i < new_plan->nsteps; i++)
        if (pair[i] != (size_t)-1 && push(d, &cap, PSC_DELTA_KEPT, &new_plan->steps[i],
                                          &old_plan->steps[pair[i]], NULL) != 0)
            goto oom;
    for (size_t j = 0; j < old_plan->nsteps; j++) {
        const psc_step *o = &old_plan->steps[j];
        if (!matched[j] && o->cert != NULL &&
            push(d, &cap, PSC_DELTA_CLEANUP, o, NULL, undo_task(o)) != 0)
            goto oom;
    }
    free(matched);
    free(pair);
    *out = d;
    return PSC_OK;
oom:
    free(matched);
    free(pair);
    if (d == NULL || d->view == NULL) {
        free(vsteps);
        free(v);
    }
    psc_delta_free(d);
    return psc_fail(e, PSC_EINPUT, "out of memory");
}

void psc_delta_free(psc_delta *d)
{
    if (d == NULL)
        return;
    if (d->view) {
        free(d->view->steps); /* the view shares everything else with the NEW plan */
        free(d->view->step_first);
        free(d->view);
    }
    free(d->items);
    free(d);
}

const psc_plan *psc_delta_new_plan(const psc_delta *d) { return d->view; }

/* ---- renderers ------------------------------------------------------------ */

static const char *mark(const psc_step *s)
{
    return s->status == PSC_STATUS_PRESENT ? "[x]" : s->status == PSC_STATUS_MANAGED ? "[~]" : "[ ]";
}

static void cert_words(psc_buf *b, const psc_step *s)
{
    if (s->cert)
        psc_buf_printf(b, "%s (%s of %s, sha256 %s)", s->cert->subject,
                       psc_role_name(s->cert_role), s->owner ? s->owner->name : "?",
                       s->cert->sha256_hex);
    else
        psc_buf_puts(b, "certificate NOT GIVEN in the landscape");
}

static void render_text(const psc_delta *d, psc_buf *b, int md)
{
    const psc_landscape *ol = d->old_plan->landscape, *nl = d->new_plan->landscape;
    static const char *const heads[3][2] = {
        {"New steps, before the cut-over", "## New steps (before the cut-over)"},
        {"Steps that stay", "## Steps that stay"},
        {"After cut-over: clean-up", "## After cut-over: clean-up"}};
    psc_buf_printf(b, md ? "# Plan delta: %s (`%s`) -> %s (`%s`)\n" : "Plan delta: %s (%s) -> %s (%s)\n",
                   ol->name, ol->file, nl->name, nl->file);
    for (int k = 0; k < 3; k++) {
        psc_buf_printf(b, md ? "\n%s\n\n" : "\n%s (%zu)\n", heads[k][md], d->count[k]);
        if (d->count[k] == 0)
            psc_buf_puts(b, md ? "None.\n" : "  none\n");
        for (size_t i = 0; i < d->nitems; i++) {
            const psc_delta_item *it = &d->items[i];
            if ((int)it->kind != k)
                continue;
            const psc_step *s = it->step;
            const char *where = psc_target_words(s->system->type, s->target);
            if (k == PSC_DELTA_NEW) {
                psc_buf_printf(b, md ? "- %s **%s** %s %s %s%s: " : "  %s %s %s %s %s%s\n      ",
                               mark(s), s->system->name, s->id, psc_action_name(s->action), where,
                               s->required ? "" : " (optional)");
                cert_words(b, s);
                char file[200];
                psc_step_export_name(d->view, s, file, sizeof file);
                if (file[0])
                    psc_buf_printf(b, md ? "; file `%s/%s`" : "\n      file: %s/%s (export --since)",
                                   s->system->name, file);
                psc_buf_puts(b, "\n");
            } else if (k == PSC_DELTA_KEPT) {
                psc_buf_printf(b, md ? "- **%s** %s %s: " : "  %s %s %s: ", s->system->name, s->id,
                               s->target);
                cert_words(b, s);
                if (s->cert && it->old && it->old->cert && it->old->cert != s->cert &&
                    memcmp(it->old->cert->sha256, s->cert->sha256, 32) != 0)
                    psc_buf_puts(b, " -- same DN as before: no change needed, check");
                psc_buf_puts(b, "\n");
            } else {
                psc_buf_printf(b, md ? "- [ ] **%s** %s %s: %s: " : "  %s %s %s: %s\n      ",
                               s->system->name, s->id, s->target, it->task);
                cert_words(b, s);
                psc_buf_puts(b, "\n");
            }
        }
    }
    psc_buf_printf(b, md ? "\n**Summary:** %zu new, %zu kept, %zu after cut-over\n"
                         : "\nSummary: %zu new, %zu kept, %zu after cut-over\n",
                   d->count[0], d->count[1], d->count[2]);
}

static const char *const when[3] = {"before cut-over", "unchanged", "after cut-over"};

static int render_json(const psc_delta *d, psc_buf *b)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "old", d->old_plan->landscape->name);
    cJSON_AddStringToObject(root, "old_file", d->old_plan->landscape->file);
    cJSON_AddStringToObject(root, "new", d->new_plan->landscape->name);
    cJSON_AddStringToObject(root, "new_file", d->new_plan->landscape->file);
    cJSON *steps = cJSON_AddArrayToObject(root, "steps");
    for (size_t i = 0; i < d->nitems; i++) {
        const psc_delta_item *it = &d->items[i];
        const psc_step *s = it->step;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "change", psc_delta_kind_name(it->kind));
        cJSON_AddStringToObject(o, "when", when[it->kind]);
        cJSON_AddStringToObject(o, "id", s->id);
        cJSON_AddStringToObject(o, "system", s->system->name);
        cJSON_AddStringToObject(o, "target", s->target);
        cJSON_AddStringToObject(o, "action", psc_action_name(s->action));
        cJSON_AddStringToObject(o, "status", psc_step_status_name(s->status));
        cJSON_AddBoolToObject(o, "required", s->required);
        if (s->cert) {
            cJSON *c = cJSON_AddObjectToObject(o, "certificate");
            cJSON_AddStringToObject(c, "subject", s->cert->subject);
            cJSON_AddStringToObject(c, "sha256", s->cert->sha256_hex);
            cJSON_AddStringToObject(c, "role", psc_role_name(s->cert_role));
            cJSON_AddStringToObject(c, "owner", s->owner ? s->owner->name : "");
            char file[200];
            if (it->kind == PSC_DELTA_NEW) {
                psc_step_export_name(d->view, s, file, sizeof file);
                if (file[0])
                    cJSON_AddStringToObject(c, "file", file);
            }
        } else {
            cJSON_AddNullToObject(o, "certificate");
        }
        /* kept by DN (R10, R13) with another certificate: name the one it replaces */
        if (it->kind == PSC_DELTA_KEPT && it->old && it->old->cert && s->cert &&
            memcmp(it->old->cert->sha256, s->cert->sha256, 32) != 0)
            cJSON_AddStringToObject(o, "old_sha256", it->old->cert->sha256_hex);
        if (it->task)
            cJSON_AddStringToObject(o, "task", it->task);
        cJSON_AddStringToObject(o, "where", psc_target_words(s->system->type, s->target));
        cJSON_AddItemToArray(steps, o);
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(sum, "new", (double)d->count[0]);
    cJSON_AddNumberToObject(sum, "kept", (double)d->count[1]);
    cJSON_AddNumberToObject(sum, "cleanup", (double)d->count[2]);
    char *s = psc_json_print(root, 1) /* valid UTF-8 whatever the input */;
    cJSON_Delete(root);
    if (s == NULL)
        return -1;
    int rc = psc_buf_puts(b, s) || psc_buf_puts(b, "\n");
    free(s);
    return rc ? -1 : 0;
}

int psc_delta_render(const psc_delta *d, psc_plan_format f, psc_buf *out, psc_err *e)
{
    switch (f) {
    case PSC_PLAN_TEXT: render_text(d, out, 0); return PSC_OK;
    case PSC_PLAN_MARKDOWN: render_text(d, out, 1); return PSC_OK;
    case PSC_PLAN_JSON:
        return render_json(d, out) == 0 ? PSC_OK
                                        : psc_fail(e, PSC_EOUTPUT, "delta: out of memory");
    default: break;
    }
    return psc_fail(e, PSC_EUSAGE, "--since: the delta is rendered as text, markdown or json "
                                   "(not dot)");
}
