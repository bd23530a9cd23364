/* pseconv probe's output: one line per hop in text, or JSON (the man page
 * lists the fields).  Reads the finished probe only. */
#include "probe_render.h"
#include "describe.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void fix_text(psc_buf *out, const psc_probe_failure *f)
{
    if (f->rule == NULL) {
        psc_buf_puts(out, " -> no step in the plan");
        return;
    }
    psc_buf_printf(out, " -> step %s", f->rule);
    if (f->file[0])
        psc_buf_printf(out, " (%s)", f->file);
    else if (f->where)
        psc_buf_printf(out, " (in %s)", f->where->name);
}

static int render_text(const psc_probe *pr, psc_buf *out)
{
    size_t count[4] = {0};
    for (size_t i = 0; i < pr->nhops; i++) {
        const psc_hop_probe *h = &pr->hops[i];
        count[h->status]++;
        psc_buf_printf(out, "%s -> %s", h->client->name, h->server->name);
        if (h->server->url)
            psc_buf_printf(out, " (%s%s%s)", h->server->url, h->address[0] ? ", " : "",
                           h->address);
        psc_buf_puts(out, ": ");
        if (h->nfailures) {
            for (size_t k = 0; k < h->nfailures; k++) {
                psc_buf_printf(out, "%sfails: %s", k ? "\n  also " : "", h->failures[k].reason);
                fix_text(out, &h->failures[k]);
            }
            if (h->status == PSC_HOP_UNREACHABLE || h->message)
                psc_buf_printf(out, "\n  then: %s", h->message ? h->message : "");
        } else if (h->status == PSC_HOP_OK) {
            psc_buf_puts(out, "ok");
        } else {
            psc_buf_printf(out, "%s: %s", psc_hop_status_name(h->status),
                           h->message ? h->message : "");
        }
        psc_buf_puts(out, "\n");
        for (size_t k = 0; k < h->nnotes; k++)
            psc_buf_printf(out, "  note: %s\n", h->notes[k]);
    }
    return psc_buf_printf(out, "summary: %zu ok, %zu failing, %zu unreachable, %zu skipped\n",
                          count[PSC_HOP_OK], count[PSC_HOP_FAILS], count[PSC_HOP_UNREACHABLE],
                          count[PSC_HOP_SKIPPED]);
}

static cJSON *hop_json(const psc_hop_probe *h)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    cJSON_AddStringToObject(o, "client", h->client->name);
    cJSON_AddStringToObject(o, "server", h->server->name);
    if (h->server->url)
        cJSON_AddStringToObject(o, "url", h->server->url);
    else
        cJSON_AddNullToObject(o, "url");
    cJSON_AddStringToObject(o, "auth", psc_auth_name(h->auth));
    cJSON_AddStringToObject(o, "status", psc_hop_status_name(h->status));
    if (h->message)
        cJSON_AddStringToObject(o, "message", h->message);
    if (h->address[0])
        cJSON_AddStringToObject(o, "address", h->address);
    if (h->protocol[0])
        cJSON_AddStringToObject(o, "protocol", h->protocol);
    cJSON *chain = cJSON_AddArrayToObject(o, "server_chain");
    for (size_t i = 0; chain && i < h->nchain; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "subject", h->chain[i]->subject);
        cJSON_AddStringToObject(c, "issuer", h->chain[i]->issuer);
        cJSON_AddStringToObject(c, "sha256", h->chain[i]->sha256_hex);
        cJSON_AddItemToArray(chain, c);
    }
    cJSON_AddBoolToObject(o, "certificate_requested", h->cert_requested);
    cJSON *names = cJSON_AddArrayToObject(o, "client_ca_names");
    for (size_t i = 0; names && i < h->nca_names; i++)
        cJSON_AddItemToArray(names, cJSON_CreateString(h->ca_names[i]));
    cJSON_AddBoolToObject(o, "mutual_handshake", h->mutual_tried);
    if (h->tls_alert[0])
        cJSON_AddStringToObject(o, "tls_alert", h->tls_alert);
    if (h->http_status) {
        cJSON_AddNumberToObject(o, "http_status", h->http_status);
        cJSON_AddStringToObject(o, "method", h->method);
    } else {
        cJSON_AddNullToObject(o, "http_status");
    }
    cJSON *fails = cJSON_AddArrayToObject(o, "failures");
    for (size_t i = 0; fails && i < h->nfailures; i++) {
        const psc_probe_failure *f = &h->failures[i];
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "check", f->check);
        cJSON_AddStringToObject(c, "reason", f->reason);
        if (f->rule)
            cJSON_AddStringToObject(c, "step", f->rule);
        else
            cJSON_AddNullToObject(c, "step");
        if (f->where)
            cJSON_AddStringToObject(c, "system", f->where->name);
        else
            cJSON_AddNullToObject(c, "system");
        if (f->file[0])
            cJSON_AddStringToObject(c, "file", f->file);
        else
            cJSON_AddNullToObject(c, "file");
        cJSON_AddItemToArray(fails, c);
    }
    cJSON *notes = cJSON_AddArrayToObject(o, "notes");
    for (size_t i = 0; notes && i < h->nnotes; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(h->notes[i]));
    return o;
}

static int render_json(const psc_probe *pr, psc_buf *out, psc_err *e)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *hops = root ? cJSON_AddArrayToObject(root, "hops") : NULL;
    size_t count[4] = {0};
    int ok = hops != NULL && cJSON_AddStringToObject(root, "landscape",
                                                     pr->plan->landscape->name) != NULL;
    for (size_t i = 0; ok && i < pr->nhops; i++) {
        cJSON *h = hop_json(&pr->hops[i]);
        ok = h != NULL && cJSON_AddItemToArray(hops, h);
        count[pr->hops[i].status]++;
    }
    cJSON *sum = ok ? cJSON_AddObjectToObject(root, "summary") : NULL;
    if (sum) {
        cJSON_AddNumberToObject(sum, "ok", (double)count[PSC_HOP_OK]);
        cJSON_AddNumberToObject(sum, "fails", (double)count[PSC_HOP_FAILS]);
        cJSON_AddNumberToObject(sum, "unreachable", (double)count[PSC_HOP_UNREACHABLE]);
        cJSON_AddNumberToObject(sum, "skipped", (double)count[PSC_HOP_SKIPPED]);
        cJSON_AddNumberToObject(sum, "exit_code", psc_probe_exit_code(pr));
    }
    char *text = sum ? psc_json_print(root, 1) /* valid UTF-8 whatever the input */ : NULL;
    cJSON_Delete(root);
    if (text == NULL)
        return psc_fail(e, PSC_EOUTPUT, "out of memory");
    int rc = psc_buf_puts(out, text) || psc_buf_puts(out, "\n");
    free(text);
    return rc ? psc_fail(e, PSC_EOUTPUT, "out of memory") : PSC_OK;
}

int psc_probe_render(const psc_probe *pr, int json, psc_buf *out, psc_err *e)
{
    if (json)
        return render_json(pr, out, e);
    return render_text(pr, out) ? psc_fail(e, PSC_EOUTPUT, "out of memory") : PSC_OK;
}
