/* pseconv expiry output: text (for people), csv (ticket systems: one row per
 * forced step, RFC 4180 with CRLF), json.  The calendar is in ics.c. */
#include "expiry_render.h"
#include "describe.h"
#include "ics.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void day(time_t t, char out[11])
{
    char full[21];
    psc_time_rfc3339(t, full);
    memcpy(out, full, 10);
    out[10] = '\0';
}

static const char *state_of(const psc_expiry *x, const psc_expiry_cert *c)
{
    if (c->cert->not_after <= x->plan->now)
        return "expired";
    if (c->cert->not_after <= x->plan->now + (time_t)x->within_days * 86400)
        return "due";
    return "ok";
}

static void days_words(psc_buf *b, long d)
{
    if (d < 0)
        psc_buf_printf(b, "expired %ld day%s ago", -d, d == -1 ? "" : "s");
    else
        psc_buf_printf(b, "%ld day%s left", d, d == 1 ? "" : "s");
}

static void render_text(const psc_expiry *x, psc_buf *b)
{
    const psc_landscape *ls = x->plan->landscape;
    psc_buf_printf(b, "Certificate expiry: %s (%s)\n", ls->name, ls->file);
    psc_buf_printf(b, "renewal lead %ld days; ! = expires within %ld days\n", x->lead_days,
                   x->within_days);
    for (size_t i = 0; i < x->ncerts; i++) {
        const psc_expiry_cert *c = &x->certs[i];
        char exp[11], renew[11];
        day(c->cert->not_after, exp);
        day(c->renew_by, renew);
        const char *st = state_of(x, c);
        psc_buf_printf(b, "\n%s %s  ", strcmp(st, "ok") ? "!" : " ", exp);
        days_words(b, c->days_left);
        psc_buf_printf(b, "  %s %s (%s)\n", c->owner->name, psc_expiry_key_words(c),
                       psc_role_name(c->role));
        psc_buf_printf(b, "    subject:  %s\n", c->cert->subject);
        psc_buf_printf(b, "    sha256:   %s\n", c->cert->sha256_hex);
        psc_buf_printf(b, "    renew by: %s (%ld days before expiry)%s\n", renew, x->lead_days,
                       c->renew_by <= x->plan->now ? " -- now" : "");
        if (c->nforces == 0) {
            psc_buf_puts(b, "    renewal forces: nothing in the plan (no step uses it)\n");
            continue;
        }
        psc_buf_puts(b, "    renewal forces:\n");
        for (size_t k = 0; k < c->nforces; k++) {
            const psc_step *s = c->forces[k].step;
            psc_buf_printf(b, "      %s %s %s: %s\n", s->system->name, s->id, s->target,
                           c->forces[k].task);
        }
    }
    psc_buf_puts(b, "\n");
    if (x->nfindings == 0)
        psc_buf_puts(b, "Findings: none\n");
    else
        psc_buf_puts(b, "Findings\n");
    for (size_t i = 0; i < x->nfindings; i++)
        psc_buf_printf(b, "  %-7s %s  %s: %s\n", psc_severity_name(x->findings[i].severity),
                       x->findings[i].code, x->findings[i].about->owner->name,
                       x->findings[i].message);
    size_t expired = 0;
    for (size_t i = 0; i < x->ncerts; i++)
        expired += x->certs[i].cert->not_after <= x->plan->now;
    psc_buf_printf(b, "\nSummary: %zu certificate%s, %zu expire%s within %ld days (%zu already "
                      "expired), %zu finding%s\n",
                   x->ncerts, x->ncerts == 1 ? "" : "s", psc_expiry_due(x),
                   psc_expiry_due(x) == 1 ? "s" : "", x->within_days, expired, x->nfindings,
                   x->nfindings == 1 ? "" : "s");
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(psc_buf *b, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        psc_buf_puts(b, s);
    } else {
        psc_buf_puts(b, "\"");
        for (const char *p = s; *p; p++)
            psc_buf_append(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
        psc_buf_puts(b, "\"");
    }
    psc_buf_puts(b, last ? "\r\n" : ",");
}

static const char *const csv_columns[] = {
    "not_after", "days_left", "renew_by", "state",  "owner",  "owner_key", "role",
    "subject",   "sha256",    "system",   "rule",   "target", "action",    "task"};
#define NCSV (sizeof csv_columns / sizeof csv_columns[0])

static void render_csv(const psc_expiry *x, psc_buf *b)
{
    for (size_t i = 0; i < NCSV; i++)
        csv_field(b, csv_columns[i], i + 1 == NCSV);
    for (size_t i = 0; i < x->ncerts; i++) {
        const psc_expiry_cert *c = &x->certs[i];
        char exp[21], renew[21], days[24], task[512];
        psc_time_rfc3339(c->cert->not_after, exp);
        psc_time_rfc3339(c->renew_by, renew);
        snprintf(days, sizeof days, "%ld", c->days_left);
        /* one row per forced step; a certificate nothing uses still gets its row */
        for (size_t k = 0; k < (c->nforces ? c->nforces : 1); k++) {
            const psc_expiry_force *f = c->nforces ? &c->forces[k] : NULL;
            const char *v[NCSV] = {exp, days, renew, state_of(x, c), c->owner->name, c->key,
                                   psc_role_name(c->role), c->cert->subject, c->cert->sha256_hex,
                                   "", "", "", "", ""};
            if (f) {
                snprintf(task, sizeof task, "%s", f->task);
                v[9] = f->step->system->name;
                v[10] = f->step->id;
                v[11] = f->step->target;
                v[12] = psc_action_name(f->step->action);
                v[13] = task;
            }
            for (size_t j = 0; j < NCSV; j++)
                csv_field(b, v[j], j + 1 == NCSV);
        }
    }
}

static cJSON *step_ref(const psc_step *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "system", s->system->name);
    cJSON_AddStringToObject(o, "rule", s->id);
    cJSON_AddStringToObject(o, "target", s->target);
    cJSON_AddStringToObject(o, "action", psc_action_name(s->action));
    cJSON_AddStringToObject(o, "status", psc_step_status_name(s->status));
    return o;
}

static cJSON *cert_json(const psc_expiry *x, const psc_expiry_cert *c)
{
    char t[21];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "subject", c->cert->subject);
    cJSON_AddStringToObject(o, "issuer", c->cert->issuer);
    cJSON_AddStringToObject(o, "sha256", c->cert->sha256_hex);
    cJSON_AddStringToObject(o, "owner", c->owner->name);
    cJSON_AddStringToObject(o, "owner_key", c->key);
    cJSON_AddStringToObject(o, "role", psc_role_name(c->role));
    psc_time_rfc3339(c->cert->not_after, t);
    cJSON_AddStringToObject(o, "not_after", t);
    cJSON_AddNumberToObject(o, "days_left", (double)c->days_left);
    psc_time_rfc3339(c->renew_by, t);
    cJSON_AddStringToObject(o, "renew_by", t);
    cJSON_AddStringToObject(o, "state", state_of(x, c));
    if (c->root)
        cJSON_AddStringToObject(o, "root_sha256", c->root->sha256_hex);
    else
        cJSON_AddNullToObject(o, "root_sha256");
    cJSON *uses = cJSON_AddArrayToObject(o, "used_by");
    for (size_t k = 0; k < c->nuses; k++)
        cJSON_AddItemToArray(uses, step_ref(c->uses[k]));
    cJSON *forces = cJSON_AddArrayToObject(o, "renewal_forces");
    for (size_t k = 0; k < c->nforces; k++) {
        cJSON *f = step_ref(c->forces[k].step);
        cJSON_AddStringToObject(f, "task", c->forces[k].task);
        cJSON_AddBoolToObject(f, "if_issuer_changes", c->forces[k].if_issuer_changes);
        cJSON_AddItemToArray(forces, f);
    }
    return o;
}

static cJSON *finding_json(const psc_expiry_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "severity", psc_severity_name(f->severity));
    cJSON_AddStringToObject(o, "code", f->code);
    cJSON_AddStringToObject(o, "system", f->about->owner->name);
    cJSON_AddStringToObject(o, "sha256", f->about->cert->sha256_hex);
    if (f->successor) {
        cJSON *s = cJSON_AddObjectToObject(o, "successor");
        cJSON_AddStringToObject(s, "subject", f->successor->subject);
        cJSON_AddStringToObject(s, "sha256", f->successor->sha256_hex);
    } else {
        cJSON_AddNullToObject(o, "successor");
    }
    cJSON *imp = cJSON_AddArrayToObject(o, "import_alongside");
    for (size_t k = 0; k < f->nimports; k++)
        cJSON_AddItemToArray(imp, step_ref(f->imports[k]));
    cJSON_AddStringToObject(o, "message", f->message);
    return o;
}

/* Byte for byte what cJSON_Print of the whole tree gives, built one array
 * element at a time (as the plan's JSON): the tree of 2,000 systems'
 * certificates plus its printed copy was 54 MiB at peak, against 4 x input
 * + 16 MiB = 29 MiB. */
static int render_json(const psc_expiry *x, psc_buf *b)
{
    char t[21];
    psc_time_rfc3339(x->plan->now, t);
    int rc = psc_buf_puts(b, "{\n") ||
             psc_json_put_member(b, "landscape", cJSON_CreateString(x->plan->landscape->name), 0) ||
             psc_json_put_member(b, "now", cJSON_CreateString(t), 0) ||
             psc_json_put_member(b, "lead_days", cJSON_CreateNumber((double)x->lead_days), 0) ||
             psc_json_put_member(b, "within_days", cJSON_CreateNumber((double)x->within_days), 0) ||
             psc_buf_puts(b, "\t\"certificates\":\t[") ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < x->ncerts; i++)
        rc = (i ? psc_buf_puts(b, ", ") : 0) || psc_json_put_nested(b, cert_json(x, &x->certs[i]), 2)
                 ? -1 : 0;
    rc = rc || psc_buf_puts(b, "],\n\t\"findings\":\t[") ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < x->nfindings; i++)
        rc = (i ? psc_buf_puts(b, ", ") : 0) || psc_json_put_nested(b, finding_json(&x->findings[i]), 2)
                 ? -1 : 0;
    rc = rc || psc_buf_puts(b, "],\n") ? -1 : 0;
    size_t expired = 0;
    for (size_t i = 0; i < x->ncerts; i++)
        expired += x->certs[i].cert->not_after <= x->plan->now;
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddNumberToObject(sum, "certificates", (double)x->ncerts);
    cJSON_AddNumberToObject(sum, "due", (double)psc_expiry_due(x));
    cJSON_AddNumberToObject(sum, "expired", (double)expired);
    cJSON_AddNumberToObject(sum, "findings", (double)x->nfindings);
    if (rc != 0) {
        cJSON_Delete(sum);
        return -1;
    }
    return psc_json_put_member(b, "summary", sum, 1) || psc_buf_puts(b, "}\n") ? -1 : 0;
}

int psc_expiry_render(const psc_expiry *x, psc_expiry_format f, psc_buf *out, psc_err *e)
{
    switch (f) {
    case PSC_EXPIRY_TEXT: render_text(x, out); break;
    case PSC_EXPIRY_CSV: render_csv(x, out); break;
    case PSC_EXPIRY_ICS: return psc_expiry_render_ics(x, out, e);
    case PSC_EXPIRY_JSON:
        if (render_json(x, out) != 0) /* a cJSON node, or the buffer */
            return psc_fail(e, PSC_EOUTPUT, "expiry: out of memory");
        break;
    }
    /* text and csv print piece by piece: a piece that could not be added
     * (memory, or the output it streams to) fails the whole render */
    if (out->failed)
        return psc_fail(e, PSC_EOUTPUT, "expiry: out of memory");
    return PSC_OK;
}
