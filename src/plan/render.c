/* The plan as text, Markdown (with a Mermaid diagram), JSON and DOT.
 * Renderers only read the plan: every decision (status, target, certificate,
 * reason) was made by the planner. */
#include "render.h"
#include "planner.h"
#include "describe.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int psc_plan_format_by_name(const char *name)
{
    if (strcmp(name, "text") == 0)
        return PSC_PLAN_TEXT;
    if (strcmp(name, "markdown") == 0 || strcmp(name, "md") == 0)
        return PSC_PLAN_MARKDOWN;
    if (strcmp(name, "json") == 0)
        return PSC_PLAN_JSON;
    if (strcmp(name, "dot") == 0)
        return PSC_PLAN_DOT;
    return -1;
}

static const char *ext_for(const char *target)
{
    if (strcmp(target, "service-key") == 0)
        return ".pem"; /* CF service key: one PEM leaf */
    if (strncmp(target, "strust-", 7) == 0 || strcmp(target, "own-certificate") == 0 ||
        strcmp(target, "icm-trust-intermediary") == 0 || strncmp(target, "wdisp-", 6) == 0 ||
        strcmp(target, "icm-trust-scc") == 0 || strcmp(target, "certrule") == 0)
        return ".crt"; /* STRUST and sapgenpse take PEM .crt */
    return ".cer";     /* iFlow, keystore, C4C arrangement, user mapping */
}

static void slug(const char *subject, char *out, size_t n)
{
    const char *cn = strstr(subject, "CN=");
    const char *s = cn ? cn + 3 : subject;
    size_t o = 0;
    int dash = 1;
    for (; *s && *s != ',' && o + 1 < n && o < 40; s++) {
        if (isalnum((unsigned char)*s)) {
            out[o++] = (char)tolower((unsigned char)*s);
            dash = 0;
        } else if (!dash) {
            out[o++] = '-';
            dash = 1;
        }
    }
    while (o > 0 && out[o - 1] == '-')
        o--;
    if (o == 0 && n > 4)
        o = (size_t)snprintf(out, n, "cert");
    out[o] = '\0';
}

void psc_step_export_name(const psc_plan *p, const psc_step *s, char *out, size_t n)
{
    out[0] = '\0';
    if (s->cert == NULL || s->status != PSC_STATUS_TODO)
        return;
    /* The number among the system's steps with a file.  Steps are grouped by
     * system (plan.h), so those before s are the run just before it: counting
     * back is O(the system's steps), not O(the plan's) per file. */
    int nn = 0;
    const psc_step *t = s;
    if (s >= p->steps && s < p->steps + p->nsteps) {
        while (t > p->steps && t[-1].system == s->system)
            t--;
    } else {
        t = p->steps; /* not one of p's steps: the whole plan, as before */
    }
    for (; t < p->steps + p->nsteps; t++) {
        if (t->system == s->system && t->cert && t->status == PSC_STATUS_TODO)
            nn++;
        if (t == s)
            break;
    }
    char name[48];
    slug(s->cert->subject, name, sizeof name);
    snprintf(out, n, "%02d-%s-%s%s", nn, s->target, name, ext_for(s->target));
}

static const char *box(psc_step_status st)
{
    static const char *const boxes[] = {
        [PSC_STATUS_TODO] = "[ ]", [PSC_STATUS_PRESENT] = "[x]",
        [PSC_STATUS_MANAGED] = "[~]", [PSC_STATUS_BLOCKED] = "[!]"};
    return st <= PSC_STATUS_BLOCKED ? boxes[st] : "[?]";
}

/* The words after a step's target: "-- already there", "-- blocked: after R3". */
static void status_words(psc_buf *b, const psc_step *s, const char *dash)
{
    if (s->status == PSC_STATUS_PRESENT)
        psc_buf_printf(b, " %s already there", dash);
    else if (s->status == PSC_STATUS_MANAGED)
        psc_buf_printf(b, " %s kept by SAP, check only", dash);
    else if (s->status == PSC_STATUS_BLOCKED && s->blocked_by[0] == 'R')
        psc_buf_printf(b, " %s blocked: after %s (the certificate is replaced first)", dash,
                       s->blocked_by);
    else if (s->status == PSC_STATUS_BLOCKED)
        psc_buf_printf(b, " %s blocked: until the %s finding is resolved", dash, s->blocked_by);
}

/* "root of HCI's worker node (server) chain", "client certificate of ERP". */
static void cert_origin(psc_buf *b, const psc_step *s)
{
    const char *owner = s->owner ? s->owner->name : "?";
    int scc = s->owner && s->owner->type == PSC_SYS_CLOUDCONNECTOR;
    const char *chain = scc && !s->server_chain ? "system certificate chain"
                        : !s->server_chain ? "client chain"
                        : s->owner && (s->owner->type == PSC_SYS_CPI || s->owner->type == PSC_SYS_C4C)
                            ? "worker node (server) chain"
                            : "server chain";
    if (s->from_trust_list)
        psc_buf_puts(b, "root of SAP's trusted CA list, sap_trusted_cas");
    else if (s->pp_ca)
        psc_buf_printf(b, "CA certificate of %s for principal propagation", owner);
    else if (scc && s->cert_role == PSC_ROLE_LEAF)
        psc_buf_printf(b, "system certificate of %s", owner);
    else if (s->cert_role == PSC_ROLE_LEAF)
        psc_buf_printf(b, "%s certificate of %s", s->server_chain ? "server" : "client", owner);
    else
        psc_buf_printf(b, "%s of %s's %s", psc_role_name(s->cert_role), owner, chain);
}

/* Footnote numbers of the references a Markdown document cites, in order of first use. */
typedef struct refnotes {
    const char *title[32];
    size_t n;
} refnotes;

static size_t ref_number(refnotes *r, const char *title)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->title[i], title) == 0)
            return i + 1;
    if (r->n == sizeof r->title / sizeof r->title[0])
        return 0;
    r->title[r->n++] = title;
    return r->n;
}

static void refs_line(psc_buf *b, const psc_step *s, const char *pre, refnotes *notes)
{
    if (s->refs == NULL || s->refs[0] == NULL)
        return;
    psc_buf_printf(b, "%sref:         ", pre);
    for (size_t i = 0; s->refs[i]; i++) {
        size_t num = notes ? ref_number(notes, s->refs[i]) : 0;
        if (num)
            psc_buf_printf(b, "%s[^%zu]", i ? " " : "", num);
        else
            psc_buf_printf(b, "%s%s", i ? "; " : "", s->refs[i]);
    }
    psc_buf_puts(b, "\n");
}

static void footnotes(psc_buf *b, const refnotes *notes)
{
    if (notes->n)
        psc_buf_puts(b, "\n");
    for (size_t i = 0; i < notes->n; i++)
        psc_buf_printf(b, "[^%zu]: %s\n", i + 1, notes->title[i]);
}

/* After an abap system's STRUST changes: they live in the database and reach
 * the application servers by distribution, not by copying files. */
static int strust_changes(const psc_plan *p, const psc_system *sys)
{
    for (size_t i = 0; sys->type == PSC_SYS_ABAP && i < p->nsteps; i++)
        if (p->steps[i].system == sys && p->steps[i].status == PSC_STATUS_TODO &&
            (strncmp(p->steps[i].target, "strust-", 7) == 0 ||
             strcmp(p->steps[i].target, "own-certificate") == 0))
            return 1;
    return 0;
}
static const char distribution_check[] =
    "check that every changed PSE is distributed to all application servers (STRUST shows each "
    "server under the PSE); the PSEs live in the database: change them in STRUST only, never "
    "the files in $SECUDIR";

static const char *env_word(const psc_system *s)
{
    if (s->type != PSC_SYS_CPI)
        return "";
    return psc_cpi_env_suffix(s->environment);
}

static const char *verb(const psc_step *s)
{
    if (s->action == PSC_ACTION_IMPORT && s->status == PSC_STATUS_MANAGED)
        return "check"; /* kept by SAP: nothing to import, only to look at */
    return psc_action_verb(s->action);
}

static void flows_text(psc_buf *b, const psc_step *s)
{
    for (size_t i = 0; i < s->nflows; i++)
        psc_buf_printf(b, "%s%s", i ? ", " : "", s->flows[i]);
}

/* One step, shared by text (indent "        ") and Markdown ("  - "). */
static void step_body(psc_buf *b, const psc_plan *p, const psc_step *s, const char *pre,
                      refnotes *notes)
{
    if (s->cert) {
        psc_buf_printf(b, "%scertificate: %s (", pre, s->cert->subject);
        cert_origin(b, s);
        psc_buf_puts(b, ")\n");
        psc_buf_printf(b, "%ssha256:      %s\n", pre, s->cert->sha256_hex);
    } else if (s->setting) {
        psc_buf_printf(b, "%scertificate: none (a setting)\n", pre);
    } else if (s->see) {
        psc_buf_printf(b, "%scertificate: NOT GIVEN in the landscape (see the %s finding)\n",
                       pre, s->see);
    } else {
        psc_buf_printf(b, "%scertificate: NOT GIVEN in the landscape\n", pre);
    }
    char file[200];
    psc_step_export_name(p, s, file, sizeof file);
    if (file[0])
        psc_buf_printf(b, "%sfile:        %s/%s (pseconv export)\n", pre, s->system->name, file);
    const char *dot = strrchr(file, '.');
    if (file[0] && dot && s->action == PSC_ACTION_MAP_USER) /* bundle.c writes it beside the .cer */
        psc_buf_printf(b, "%s             %s/%.*s.txt: the DN in SAP's notation, as typed into "
                          "VUSREXTID\n",
                       pre, s->system->name, (int)(dot - file), file);
    psc_buf_printf(b, "%swhy:         %s\n", pre, s->reason);
    psc_buf_printf(b, "%s             flow ", pre);
    flows_text(b, s);
    psc_buf_printf(b, ", hop %s\n", s->hop);
    if (s->detail)
        psc_buf_printf(b, "%show:         %s\n", pre, s->detail);
    refs_line(b, s, pre, notes);
}

/* "  1. [ ] R2   import into STRUST > ..." : numbered per system, rule id second. */
static void step_head(psc_buf *b, const psc_step *s, size_t num, const char *pre)
{
    psc_buf_printf(b, "%s%2zu. %s %-4s %s %s%s", pre, num, box(s->status), s->id, verb(s),
                   psc_target_words(s->system->type, s->target), s->required ? "" : " (optional)");
    status_words(b, s, "--");
    psc_buf_puts(b, "\n");
}

static void summary(psc_buf *b, const psc_plan *p)
{
    psc_plan_counts c;
    psc_plan_count(p, &c);
    psc_buf_printf(b, "Summary: %zu to do, %zu blocked, %zu in place, %zu kept by SAP, %zu error%s, "
                      "%zu warning%s, %zu note%s\n",
                   c.todo, c.blocked, c.present, c.managed, c.errors, c.errors == 1 ? "" : "s",
                   c.warnings, c.warnings == 1 ? "" : "s", c.infos, c.infos == 1 ? "" : "s");
}

static void findings_list(psc_buf *b, const psc_plan *p, int md)
{
    if (p->nfindings == 0) {
        psc_buf_puts(b, md ? "No findings.\n" : "Findings: none\n");
        return;
    }
    psc_buf_puts(b, md ? "## Findings\n\n" : "Findings\n");
    for (size_t i = 0; i < p->nfindings; i++) {
        const psc_finding *f = &p->findings[i];
        if (md)
            psc_buf_printf(b, "- **%s** `%s` %s%s%s\n", psc_severity_name(f->severity), f->code,
                           f->system ? f->system->name : "", f->system ? ": " : "", f->message);
        else
            psc_buf_printf(b, "  %-7s %s  %s%s%s\n", psc_severity_name(f->severity), f->code,
                           f->system ? f->system->name : "", f->system ? ": " : "", f->message);
        if (f->remedy)
            psc_buf_printf(b, md ? "  - remedy: %s\n" : "          remedy: %s\n", f->remedy);
    }
}

static void render_text(const psc_plan *p, psc_buf *b)
{
    const psc_landscape *ls = p->landscape;
    psc_buf_printf(b, "Certificate plan: %s (%s)\n", ls->name, ls->file);
    psc_buf_puts(b, "[ ] to do   [x] already in place   [~] kept by SAP, check only   [!] blocked "
                    "until the step or finding named is done\n");
    for (size_t i = 0; i < ls->nsystems; i++) {
        const psc_system *sys = &ls->systems[i];
        /* walk the plan's own step list: no fixed-size copy that could drop steps */
        size_t n = psc_plan_steps_of(p, sys, NULL, 0);
        psc_buf_printf(b, "\n%s (%s%s)%s\n", sys->name, psc_system_type_name(sys->type),
                       env_word(sys), n ? "" : ": nothing to do");
        for (size_t j = 0, k = 0; j < p->nsteps; j++) {
            if (p->steps[j].system != sys)
                continue;
            step_head(b, &p->steps[j], ++k, "  ");
            step_body(b, p, &p->steps[j], "               ", NULL);
        }
        if (strust_changes(p, sys))
            psc_buf_printf(b, "  Then: %s.\n", distribution_check);
    }
    psc_buf_puts(b, "\n");
    findings_list(b, p, 0);
    psc_buf_puts(b, "\n");
    summary(b, p);
}

/* Mermaid label text: no quotes or brackets that end the label. */
static void mm(psc_buf *b, const char *s)
{
    for (; *s; s++)
        if (*s == '"')
            psc_buf_puts(b, "#quot;");
        else if (*s == '|' || *s == '[' || *s == ']' || *s == '{' || *s == '}')
            psc_buf_puts(b, " ");
        else
            psc_buf_append(b, s, 1);
}

static void node_id(psc_buf *b, size_t i) { psc_buf_printf(b, "S%zu", i); }

static int in_landscape(const psc_landscape *ls, const psc_system *s)
{
    return s != NULL && s >= ls->systems && s < ls->systems + ls->nsystems;
}

static const psc_plan *sort_plan; /* qsort has no context argument; single-threaded tool */

/* Steps by (importing system, owner) in landscape order, then plan order. */
static int by_pair(const void *a, const void *b)
{
    const psc_step *x = &sort_plan->steps[*(const size_t *)a];
    const psc_step *y = &sort_plan->steps[*(const size_t *)b];
    if (x->system != y->system)
        return x->system < y->system ? -1 : 1;
    if (x->owner != y->owner)
        return x->owner < y->owner ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : *(const size_t *)a > *(const size_t *)b;
}

static void mermaid(const psc_plan *p, psc_buf *b)
{
    const psc_landscape *ls = p->landscape;
    psc_buf_puts(b, "```mermaid\nflowchart LR\n");
    for (size_t i = 0; i < ls->nsystems; i++) {
        psc_buf_puts(b, "  ");
        node_id(b, i);
        psc_buf_puts(b, "[\"");
        mm(b, ls->systems[i].name);
        psc_buf_printf(b, "<br/>%s%s\"]\n", psc_system_type_name(ls->systems[i].type),
                       env_word(&ls->systems[i]));
    }
    /* The flows (calls) as thick arrows. */
    for (size_t f = 0; f < ls->nflows; f++)
        for (size_t h = 0; h + 1 < ls->flows[f].npath; h++) {
            psc_buf_puts(b, "  ");
            node_id(b, ls->flows[f].path[h]);
            psc_buf_puts(b, " ==>|\"");
            mm(b, ls->flows[f].name);
            psc_buf_puts(b, "\"| ");
            node_id(b, ls->flows[f].path[h + 1]);
            psc_buf_puts(b, "\n");
        }
    /* Trust steps: certificate owner -.-> system that imports it, one edge per
     * (to, from) pair in that order, its steps in plan order.  The steps are
     * grouped by pair once (sorted), not searched per pair of systems (that
     * was systems^2 x steps: 78% of export at 2,000 systems). */
    size_t *order = malloc((p->nsteps ? p->nsteps : 1) * sizeof *order), n = 0;
    for (size_t i = 0; order != NULL && i < p->nsteps; i++)
        if (in_landscape(ls, p->steps[i].system) && in_landscape(ls, p->steps[i].owner))
            order[n++] = i;
    if (order != NULL) {
        sort_plan = p;
        qsort(order, n, sizeof *order, by_pair);
    }
    for (size_t g = 0; g < n;) {
        const psc_step *first = &p->steps[order[g]];
        size_t to = (size_t)(first->system - ls->systems), from = (size_t)(first->owner - ls->systems);
        psc_buf label;
        {
            psc_buf_init(&label);
            for (; g < n && p->steps[order[g]].system == first->system &&
                   p->steps[order[g]].owner == first->owner;
                 g++) {
                const psc_step *s = &p->steps[order[g]];
                psc_buf_printf(&label, "%s%s %s: %s%s", label.len ? "<br/>" : "", s->id, s->target,
                               s->cert ? psc_role_name(s->cert_role)
                               : s->setting ? "setting" : "missing",
                               s->status == PSC_STATUS_PRESENT   ? " (done)"
                               : s->status == PSC_STATUS_MANAGED ? " (SAP)"
                               : s->status == PSC_STATUS_BLOCKED ? " (blocked)"
                                                                 : "");
            }
            if (label.len && psc_buf_cstr(&label) == 0) {
                psc_buf_puts(b, "  ");
                node_id(b, from);
                psc_buf_puts(b, " -.->|\"");
                mm(b, (const char *)label.data);
                psc_buf_puts(b, "\"| ");
                node_id(b, to);
                psc_buf_puts(b, "\n");
            }
            psc_buf_free(&label, 0);
        }
    }
    free(order);
    psc_buf_puts(b, "```\n\nThick arrows: calls (client ==> server). Dotted arrows: trust steps "
                    "(the certificate's owner -.-> the system that imports it).\n");
}

static void md_system(const psc_plan *p, const psc_system *sys, psc_buf *b, const char *h,
                      refnotes *notes)
{
    size_t n = psc_plan_steps_of(p, sys, NULL, 0); /* no fixed-size copy: every step is listed */
    psc_buf_printf(b, "%s %s (%s%s)\n\n", h, sys->name, psc_system_type_name(sys->type),
                   env_word(sys));
    if (n == 0)
        psc_buf_puts(b, "Nothing to do.\n");
    for (size_t j = 0, k = 0; j < p->nsteps; j++) {
        const psc_step *s = &p->steps[j];
        if (s->system != sys)
            continue;
        psc_buf_printf(b, "%zu. %s **%s** %s %s%s", ++k, box(s->status), s->id, verb(s),
                       psc_target_words(sys->type, s->target), s->required ? "" : " *(optional)*");
        status_words(b, s, "—");
        psc_buf_puts(b, "\n");
        step_body(b, p, s, "   - ", notes);
    }
    if (strust_changes(p, sys))
        psc_buf_printf(b, "%zu. [ ] Then %s.\n", n + 1, distribution_check);
    psc_buf_puts(b, "\n");
}

static void render_markdown(const psc_plan *p, psc_buf *b)
{
    const psc_landscape *ls = p->landscape;
    psc_buf_printf(b, "# Certificate plan: %s\n\nLandscape file: `%s`. Boxes: [ ] to do, [x] "
                      "already in place, [~] kept by SAP (check only), [!] blocked until the "
                      "step or finding named is done.\n\n",
                   ls->name, ls->file);
    mermaid(p, b);
    psc_buf_puts(b, "\n");
    refnotes notes = {0};
    for (size_t i = 0; i < ls->nsystems; i++)
        md_system(p, &ls->systems[i], b, "##", &notes);
    findings_list(b, p, 1);
    psc_buf_puts(b, "\n");
    summary(b, p);
    footnotes(b, &notes);
}

int psc_plan_render_system_markdown(const psc_plan *p, const psc_system *sys, psc_buf *out,
                                    psc_err *e)
{
    refnotes notes = {0};
    md_system(p, sys, out, "#", &notes);
    footnotes(out, &notes);
    if (psc_buf_cstr(out) != 0)
        return psc_fail(e, PSC_EOUTPUT, "out of memory");
    return PSC_OK;
}

/* The plan as JSON, byte for byte what cJSON_Print of the whole tree gives,
 * built one array element at a time: the tree of 2,000 systems' steps plus
 * its printed copy was 67 MiB at peak, against 4 x input + 16 MiB. */
static int render_json(const psc_plan *p, psc_buf *b)
{
    const psc_landscape *ls = p->landscape;
    int rc = psc_buf_puts(b, "{\n") ||
             psc_json_put_member(b, "landscape", cJSON_CreateString(ls->name), 0) ||
             psc_buf_puts(b, "\t\"systems\":\t[") ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < ls->nsystems; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", ls->systems[i].name);
        cJSON_AddStringToObject(o, "type", psc_system_type_name(ls->systems[i].type));
        if (ls->systems[i].type == PSC_SYS_CPI)
            cJSON_AddStringToObject(o, "environment",
                                    psc_cpi_env_name(ls->systems[i].environment));
        rc = (i ? psc_buf_puts(b, ", ") : 0) || psc_json_put_nested(b, o, 2) ? -1 : 0;
    }
    rc = rc || psc_buf_puts(b, "],\n\t\"steps\":\t[") ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", s->id);
        cJSON_AddStringToObject(o, "flow", s->nflows ? s->flows[0] : "");
        cJSON *fl = cJSON_AddArrayToObject(o, "flows");
        for (size_t k = 0; k < s->nflows; k++)
            cJSON_AddItemToArray(fl, cJSON_CreateString(s->flows[k]));
        cJSON_AddStringToObject(o, "hop", s->hop);
        cJSON_AddStringToObject(o, "system", s->system->name);
        cJSON_AddStringToObject(o, "target", s->target);
        cJSON_AddStringToObject(o, "action", psc_action_name(s->action));
        cJSON_AddStringToObject(o, "status", psc_step_status_name(s->status));
        cJSON_AddBoolToObject(o, "required", s->required);
        if (s->cert) {
            cJSON *c = cJSON_AddObjectToObject(o, "certificate");
            cJSON_AddStringToObject(c, "subject", s->cert->subject);
            cJSON_AddStringToObject(c, "sha256", s->cert->sha256_hex);
            cJSON_AddStringToObject(c, "issuer", s->cert->issuer);
            cJSON_AddStringToObject(c, "role", psc_role_name(s->cert_role));
            cJSON_AddStringToObject(c, "owner", s->owner ? s->owner->name : "");
            char file[200];
            psc_step_export_name(p, s, file, sizeof file);
            if (file[0])
                cJSON_AddStringToObject(c, "file", file);
        } else {
            cJSON_AddNullToObject(o, "certificate");
        }
        if (s->service_user)
            cJSON_AddStringToObject(o, "service_user", s->service_user);
        if (s->blocked_by)
            cJSON_AddStringToObject(o, "blocked_by", s->blocked_by);
        cJSON_AddStringToObject(o, "reason", s->reason);
        cJSON *refs = cJSON_AddArrayToObject(o, "references");
        for (size_t k = 0; s->refs && s->refs[k]; k++)
            cJSON_AddItemToArray(refs, cJSON_CreateString(s->refs[k]));
        cJSON_AddStringToObject(o, "where", psc_target_words(s->system->type, s->target));
        if (s->detail)
            cJSON_AddStringToObject(o, "detail", s->detail);
        rc = (i ? psc_buf_puts(b, ", ") : 0) || psc_json_put_nested(b, o, 2) ? -1 : 0;
    }
    rc = rc || psc_buf_puts(b, "],\n\t\"findings\":\t[") ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < p->nfindings; i++) {
        const psc_finding *f = &p->findings[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", psc_severity_name(f->severity));
        cJSON_AddStringToObject(o, "code", f->code);
        if (f->system)
            cJSON_AddStringToObject(o, "system", f->system->name);
        else
            cJSON_AddNullToObject(o, "system");
        cJSON_AddStringToObject(o, "message", f->message);
        if (f->remedy)
            cJSON_AddStringToObject(o, "remedy", f->remedy);
        if (f->cert)
            cJSON_AddStringToObject(o, "sha256", f->cert->sha256_hex);
        rc = (i ? psc_buf_puts(b, ", ") : 0) || psc_json_put_nested(b, o, 2) ? -1 : 0;
    }
    rc = rc || psc_buf_puts(b, "],\n") ? -1 : 0;
    psc_plan_counts c;
    psc_plan_count(p, &c);
    cJSON *sum = cJSON_CreateObject();
    cJSON_AddNumberToObject(sum, "todo", (double)c.todo);
    cJSON_AddNumberToObject(sum, "blocked", (double)c.blocked);
    cJSON_AddNumberToObject(sum, "present", (double)c.present);
    cJSON_AddNumberToObject(sum, "managed", (double)c.managed);
    cJSON_AddNumberToObject(sum, "errors", (double)c.errors);
    cJSON_AddNumberToObject(sum, "warnings", (double)c.warnings);
    cJSON_AddNumberToObject(sum, "info", (double)c.infos);
    if (rc != 0) {
        cJSON_Delete(sum);
        return -1;
    }
    return psc_json_put_member(b, "summary", sum, 1) || psc_buf_puts(b, "}\n") ? -1 : 0;
}

static void dq(psc_buf *b, const char *s)
{
    psc_buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            psc_buf_puts(b, "\\");
        psc_buf_append(b, s, 1);
    }
    psc_buf_puts(b, "\"");
}

static void render_dot(const psc_plan *p, psc_buf *b)
{
    const psc_landscape *ls = p->landscape;
    psc_buf_puts(b, "digraph plan {\n  rankdir=LR;\n  node [shape=box];\n  label=");
    dq(b, ls->name);
    psc_buf_puts(b, ";\n");
    for (size_t i = 0; i < ls->nsystems; i++) {
        char label[200];
        snprintf(label, sizeof label, "%s\n%s%s", ls->systems[i].name,
                 psc_system_type_name(ls->systems[i].type), env_word(&ls->systems[i]));
        psc_buf_puts(b, "  ");
        dq(b, ls->systems[i].name);
        psc_buf_puts(b, " [label=");
        dq(b, label);
        psc_buf_puts(b, "];\n");
    }
    for (size_t i = 0; i < p->nsteps; i++) {
        const psc_step *s = &p->steps[i];
        char label[300];
        snprintf(label, sizeof label, "%s %s %s\n%s", s->id, psc_action_name(s->action), s->target,
                 s->cert ? psc_role_name(s->cert_role) : s->setting ? "(setting)" : "(missing)");
        psc_buf_puts(b, "  ");
        dq(b, s->owner ? s->owner->name : s->system->name);
        psc_buf_puts(b, " -> ");
        dq(b, s->system->name);
        psc_buf_puts(b, " [label=");
        dq(b, label);
        psc_buf_printf(b, ", style=%s];\n",
                       s->status == PSC_STATUS_TODO      ? "bold"
                       : s->status == PSC_STATUS_PRESENT ? "solid"
                       : s->status == PSC_STATUS_BLOCKED ? "dotted"
                                                         : "dashed");
    }
    psc_buf_puts(b, "}\n");
}

int psc_plan_render(const psc_plan *p, psc_plan_format f, psc_buf *out, psc_err *e)
{
    int rc = 0;
    switch (f) {
    case PSC_PLAN_TEXT: render_text(p, out); break;
    case PSC_PLAN_MARKDOWN: render_markdown(p, out); break;
    case PSC_PLAN_JSON: rc = render_json(p, out); break;
    case PSC_PLAN_DOT: render_dot(p, out); break;
    }
    if (rc != 0 || psc_buf_cstr(out) != 0)
        return psc_fail(e, PSC_EOUTPUT, "out of memory while rendering the plan");
    return PSC_OK;
}
