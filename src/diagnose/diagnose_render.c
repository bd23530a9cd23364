/* The diagnosis as text (for the admin) and JSON (for scripts; the schema is
 * in the man page, DIAGNOSE).  Only reads a finished psc_dg_result. */
#include "diagnose_render.h"
#include "describe.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *verdict_name(psc_dg_verdict v)
{
    return v == PSC_DG_IDENTIFIED ? "identified" : v == PSC_DG_UNEXPLAINED ? "unexplained"
                                                                            : "unknown";
}

static const char *class_words(const psc_dg_cause *x)
{
    if (x->finding || x->finding_code)
        return "finding";
    if (x->step == NULL)
        return "rule";
    if (x->step->status == PSC_STATUS_PRESENT)
        return "in place";
    if (x->step->status == PSC_STATUS_MANAGED)
        return "SAP's side";
    return x->step->required ? "to do" : "to do, optional";
}

/* The action as the checklist says it (indexed by psc_action). */
static const char *verb(const psc_step *s)
{
    static const char *const words[] = {"import into", "upload to", "map the user in",
                                        "replace", "configure"};
    if (s->status == PSC_STATUS_MANAGED)
        return "check";
    return (size_t)s->action < sizeof words / sizeof words[0] ? words[s->action] : "";
}

static void text_types(psc_buf *b, unsigned mask)
{
    int first = 1;
    for (int t = 0; t < PSC_SYS_TYPE_COUNT; t++)
        if (mask & PSC_DG_TYPE(t)) {
            psc_buf_printf(b, "%s%s", first ? "" : "|", psc_system_type_name((psc_system_type)t));
            first = 0;
        }
}

static void text_cause(const psc_dg_result *r, const psc_dg_cause *x, size_t n, psc_buf *b)
{
    char hop[300];
    psc_dg_hop_name(r, x->hop, hop, sizeof hop);
    const psc_step *s = x->step;
    if (s) {
        psc_buf_printf(b, "  %zu. %-4s %s: %s %s (%s)\n", n, s->id, s->system->name,
                       verb(s), psc_target_words(s->system->type, s->target), class_words(x));
        psc_buf_printf(b, "          hop:     %s, flow %s\n", hop, s->nflows ? s->flows[0] : "");
        psc_buf_printf(b, "          why:     %s\n", x->cand->why);
        psc_buf_printf(b, "          plan:    %s\n", s->reason);
        if (s->cert) {
            psc_buf_printf(b, "          cert:    %s\n", s->cert->subject);
            psc_buf_printf(b, "          sha256:  %s\n", s->cert->sha256_hex);
        }
        if (x->file[0])
            psc_buf_printf(b, "          file:    %s (pseconv export)\n", x->file);
        if (x->because[0])
            psc_buf_printf(b, "          because: %s\n", x->because);
    } else if (x->finding) {
        psc_buf_printf(b, "  %zu. %s finding %s%s%s\n", n, psc_severity_name(x->finding->severity),
                       x->finding->code, x->finding->system ? " in " : "",
                       x->finding->system ? x->finding->system->name : "");
        if (hop[0])
            psc_buf_printf(b, "          hop:     %s\n", hop);
        psc_buf_printf(b, "          what:    %s\n", x->finding->message);
        if (x->finding->remedy)
            psc_buf_printf(b, "          remedy:  %s\n", x->finding->remedy);
    } else if (x->cand) {
        psc_buf_printf(b, "  %zu. %-4s on a hop %s\n", n, x->cand->rule, hop);
        psc_buf_printf(b, "          why:     %s\n", x->cand->why);
    } else {
        psc_buf_printf(b, "  %zu. a certificate with finding '%s' (pseconv verify, pseconv plan "
                          "show it)\n",
                       n, x->finding_code);
    }
}

int psc_dg_render_text(const psc_dg_result *r, psc_buf *b, psc_err *e)
{
    if (r->verdict == PSC_DG_UNKNOWN) {
        psc_buf_puts(b, "No known message in the text. pseconv diagnose knows:\n");
        for (size_t i = 0; i < psc_dg_row_count(); i++) {
            const psc_dg_row *row = psc_dg_row_at(i);
            psc_buf_printf(b, "  %-28s %s", row->id, row->patterns[0]);
            for (size_t k = 1; k < PSC_DG_MAX_PATTERNS && row->patterns[k] && k < 3; k++)
                psc_buf_printf(b, " | %s", row->patterns[k]);
            psc_buf_puts(b, "\n");
        }
        psc_buf_puts(b, "Paste the whole log line (dev_icm at trace level 3, the message "
                        "processing log, the HTTP status line).\n");
    } else {
        for (size_t i = 0; i < r->nmatches; i++) {
            const psc_dg_match *m = &r->matches[i];
            psc_buf_printf(b, "%s (%s)\n", m->pattern, m->row->id);
            psc_buf_printf(b, "  reported by: %s; %s side, ", m->row->reporter,
                           psc_dg_side_name(m->side));
            text_types(b, m->row->reporter_types);
            psc_buf_puts(b, "\n");
            if (m->side_hint)
                psc_buf_printf(b, "  the text names %s: reported by the %s\n",
                               m->side_hint->words, psc_dg_side_name(m->side));
            psc_buf_printf(b, "  means:       %s\n", m->row->meaning);
        }
        if (r->plan) {
            psc_buf_printf(b, "\nLandscape %s: ", r->plan->landscape->name);
            if (r->nhops == 0)
                psc_buf_puts(b, "no hop of its flows fits the message\n");
            else
                psc_buf_puts(b, "the message can come from\n");
            for (size_t i = 0; i < r->nhops; i++) {
                char hop[300];
                psc_dg_hop_name(r, i, hop, sizeof hop);
                psc_buf_printf(b, "  %s (flow", hop);
                for (size_t k = 0; k < r->hops[i].nflows; k++)
                    psc_buf_printf(b, "%s %s", k ? "," : "", r->hops[i].flows[k]->name);
                psc_buf_puts(b, ")\n");
            }
        } else {
            psc_buf_puts(b, "\nNo landscape given: the rules that explain the message in "
                            "general (pseconv diagnose LANDSCAPE ... names the steps and "
                            "files).\n");
        }
        if (r->ncauses) {
            psc_buf_puts(b, "\nCauses, most likely first:\n");
            for (size_t i = 0; i < r->ncauses; i++)
                text_cause(r, &r->causes[i], i + 1, b);
        }
        if (r->nruled_out) {
            psc_buf_puts(b, "\nRuled out by the current state:\n");
            for (size_t i = 0; i < r->nruled_out; i++) {
                const psc_dg_cause *x = &r->ruled_out[i];
                char hop[300];
                psc_dg_hop_name(r, x->hop, hop, sizeof hop);
                psc_buf_printf(b, "  %-4s %s (hop %s): %s\n", x->step->id, x->step->system->name,
                               hop, x->because);
            }
        }
        psc_buf_puts(b, "\nHow to confirm:\n");
        for (size_t i = 0; i < r->nmatches; i++)
            psc_buf_printf(b, "  %s: %s\n", r->matches[i].row->id, r->matches[i].row->confirm);
        if (r->verdict == PSC_DG_UNEXPLAINED) {
            psc_buf_printf(b, "\nNothing %s explains it. Collect:\n",
                           r->plan ? "in the landscape" : "pseconv checks");
            for (size_t i = 0; i < r->nmatches; i++)
                psc_buf_printf(b, "  %s: %s\n", r->matches[i].row->id, r->matches[i].row->collect);
        }
    }
    static const char *const result[] = {
        [PSC_DG_IDENTIFIED] = "cause identified, most likely first (exit 0)",
        [PSC_DG_UNEXPLAINED] = "known message, no step explains it (exit 1)",
        [PSC_DG_UNKNOWN] = "no known message (exit 3)"};
    psc_buf_printf(b, "\nResult: %s\n", result[r->verdict]);
    if (psc_buf_cstr(b) != 0)
        return psc_fail(e, PSC_EOUTPUT, "out of memory");
    return PSC_OK;
}

static void json_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static cJSON *json_cause(const psc_dg_result *r, const psc_dg_cause *x, size_t rank)
{
    cJSON *o = cJSON_CreateObject();
    char hop[300];
    psc_dg_hop_name(r, x->hop, hop, sizeof hop);
    if (rank)
        cJSON_AddNumberToObject(o, "rank", (double)rank);
    cJSON_AddStringToObject(o, "message", x->match->row->id);
    cJSON_AddStringToObject(o, "kind", x->step ? "step" : x->cand ? "rule" : "finding");
    json_str_or_null(o, "rule", x->cand ? x->cand->rule : NULL);
    json_str_or_null(o, "hop", hop);
    const psc_step *s = x->step;
    cJSON *fl = cJSON_AddArrayToObject(o, "flows");
    for (size_t i = 0; s && i < s->nflows; i++)
        cJSON_AddItemToArray(fl, cJSON_CreateString(s->flows[i]));
    json_str_or_null(o, "system", s ? s->system->name : x->finding && x->finding->system
                                                            ? x->finding->system->name
                                                            : NULL);
    json_str_or_null(o, "target", s ? s->target : NULL);
    json_str_or_null(o, "action", s ? psc_action_name(s->action) : NULL);
    json_str_or_null(o, "status", s ? psc_step_status_name(s->status) : NULL);
    cJSON_AddBoolToObject(o, "required", s ? s->required : x->cand != NULL);
    if (s && s->cert) {
        cJSON *c = cJSON_AddObjectToObject(o, "certificate");
        cJSON_AddStringToObject(c, "subject", s->cert->subject);
        cJSON_AddStringToObject(c, "sha256", s->cert->sha256_hex);
    } else {
        cJSON_AddNullToObject(o, "certificate");
    }
    json_str_or_null(o, "file", x->file);
    json_str_or_null(o, "why", x->cand ? x->cand->why : NULL);
    if (x->finding || x->finding_code) {
        cJSON *f = cJSON_AddObjectToObject(o, "finding");
        cJSON_AddStringToObject(f, "code", x->finding_code);
        json_str_or_null(f, "severity",
                         x->finding ? psc_severity_name(x->finding->severity) : NULL);
        json_str_or_null(f, "message", x->finding ? x->finding->message : NULL);
        json_str_or_null(f, "remedy", x->finding ? x->finding->remedy : NULL);
    } else {
        cJSON_AddNullToObject(o, "finding");
    }
    if (x->because[0])
        cJSON_AddStringToObject(o, "because", x->because);
    return o;
}

int psc_dg_render_json(const psc_dg_result *r, psc_buf *b, psc_err *e)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return psc_fail(e, PSC_EOUTPUT, "out of memory");
    json_str_or_null(root, "landscape", r->plan ? r->plan->landscape->name : NULL);
    cJSON_AddStringToObject(root, "verdict", verdict_name(r->verdict));
    cJSON_AddNumberToObject(root, "exit", (double)psc_dg_exit_code(r));
    cJSON *ms = cJSON_AddArrayToObject(root, "messages");
    for (size_t i = 0; i < r->nmatches; i++) {
        const psc_dg_match *m = &r->matches[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", m->row->id);
        cJSON_AddStringToObject(o, "pattern", m->pattern);
        cJSON_AddStringToObject(o, "side", psc_dg_side_name(m->side));
        cJSON *ts = cJSON_AddArrayToObject(o, "reporter_types");
        for (int t = 0; t < PSC_SYS_TYPE_COUNT; t++)
            if (m->row->reporter_types & PSC_DG_TYPE(t))
                cJSON_AddItemToArray(ts, cJSON_CreateString(psc_system_type_name((psc_system_type)t)));
        cJSON_AddStringToObject(o, "reporter", m->row->reporter);
        cJSON_AddStringToObject(o, "meaning", m->row->meaning);
        json_str_or_null(o, "pse", m->side_hint ? m->side_hint->pattern : NULL);
        cJSON_AddBoolToObject(o, "wrapper", m->row->wrapper);
        cJSON_AddStringToObject(o, "confirm", m->row->confirm);
        cJSON_AddStringToObject(o, "collect", m->row->collect);
        cJSON_AddItemToArray(ms, o);
    }
    cJSON *hs = cJSON_AddArrayToObject(root, "hops");
    for (size_t i = 0; i < r->nhops; i++) {
        const psc_dg_hop *h = &r->hops[i];
        cJSON *o = cJSON_CreateObject();
        json_str_or_null(o, "client", h->client ? h->client->name : NULL);
        json_str_or_null(o, "server", h->server ? h->server->name : NULL);
        cJSON_AddStringToObject(o, "client_type", psc_system_type_name(h->client_type));
        cJSON_AddStringToObject(o, "server_type", psc_system_type_name(h->server_type));
        cJSON *fl = cJSON_AddArrayToObject(o, "flows");
        for (size_t k = 0; k < h->nflows; k++)
            cJSON_AddItemToArray(fl, cJSON_CreateString(h->flows[k]->name));
        cJSON_AddItemToArray(hs, o);
    }
    cJSON *cs = cJSON_AddArrayToObject(root, "causes");
    for (size_t i = 0; i < r->ncauses; i++)
        cJSON_AddItemToArray(cs, json_cause(r, &r->causes[i], i + 1));
    cJSON *ro = cJSON_AddArrayToObject(root, "ruled_out");
    for (size_t i = 0; i < r->nruled_out; i++)
        cJSON_AddItemToArray(ro, json_cause(r, &r->ruled_out[i], 0));
    if (r->verdict == PSC_DG_UNKNOWN) {
        cJSON *k = cJSON_AddArrayToObject(root, "known");
        for (size_t i = 0; i < psc_dg_row_count(); i++)
            cJSON_AddItemToArray(k, cJSON_CreateString(psc_dg_row_at(i)->id));
    }
    char *s = psc_json_print(root, 1) /* valid UTF-8 whatever the input */;
    cJSON_Delete(root);
    int rc = s == NULL || psc_buf_puts(b, s) || psc_buf_puts(b, "\n") || psc_buf_cstr(b);
    free(s);
    return rc ? psc_fail(e, PSC_EOUTPUT, "out of memory") : PSC_OK;
}
