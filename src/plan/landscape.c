/* The landscape file: INI (inih) -> systems, flows, hops, and every named
 * file read through the format layer into a store per system.
 *
 * Strict on purpose: an unknown section or key, a key that does not apply to
 * the system's type, an unknown system in a flow path or a hop no rule covers
 * is a usage error with FILE:LINE and the accepted words, so a typo never
 * silently drops a trust relation.  inih's handler does not get line numbers,
 * so our own line reader feeds it (and counts lines, strips comments and
 * checks section headers on the way). */
#include "landscape.h"
#include "landscape_files.h"
#include "trustlist.h"
#include "rules.h"
#include "format.h"
#include "secret.h"
#include "tlsprobe.h"
#include "landscape_scc.h"
#include "keypair.h"
#include "store_index.h"

#include <ini.h>
#include <ctype.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LS_MAX_BYTES (1u << 20)
#define LS_MAX_LINE 1000



/* Which keys each type takes (landscape.md table).  Bits: 1 abap, 2 cpi, 4 c4c, 8 wd, 16 scc. */
typedef struct key_row {
    const char *name;
    unsigned types;
} key_row;
enum { T_ABAP = 1, T_CPI = 2, T_C4C = 4, T_WD = 8, T_SCC = 16, T_ALL = 31 };
static const key_row system_keys[] = {
    {"type", T_ALL},           {"client_cert", T_ALL & ~T_SCC}, {"server_cert", T_ABAP | T_WD},
    {"chain", T_ABAP | T_WD | T_SCC}, {"client_chain", T_CPI | T_C4C},
    {"server_chain", T_CPI | T_C4C},
    {"ssl_client_pse", T_ABAP | T_WD}, {"ssl_server_pse", T_ABAP | T_WD},
    {"ssl_anonymous_pse", T_ABAP | T_WD}, {"pse_pin", T_ABAP | T_WD},
    {"keystore", T_CPI},       {"keystore_password", T_CPI},  {"environment", T_CPI},
    {"service_user", T_ABAP},  {"ssl_client_identity", T_ABAP}, {"service_user_roles", T_ABAP},
    {"client_key_alias", T_CPI}, {"ssl", T_WD},
    {"url", T_ALL},            /* the endpoint clients call (pseconv probe) */
    {"system_cert", T_SCC},    {"ca_cert", T_SCC},            {"trust_store", T_SCC},
    {"principal_propagation", T_SCC},
};
#define NSYSKEYS (sizeof system_keys / sizeof system_keys[0])

typedef struct sys_raw {          /* values as parsed, validated after the parse */
    char *value[NSYSKEYS];
    int line[NSYSKEYS];
} sys_raw;

typedef struct parse_ctx {
    psc_landscape *ls;
    const char *file;
    const char *text;
    size_t len, pos;
    int line;                     /* line of the text handed to inih last */
    enum { SEC_NONE, SEC_LANDSCAPE, SEC_SYSTEM, SEC_FLOW } kind;
    size_t index;                 /* current system or flow */
    sys_raw *raw;                 /* parallel to ls->systems */
    char **flow_path;             /* parallel to ls->flows: raw path text */
    int *flow_path_line;
    psc_keyidx sys_by_name, flow_by_name; /* item i = systems[i] / flows[i]: a walk over
                                             all systems per section and per path name
                                             was quadratic in the landscape */
    int seen_landscape;
    int trusted_cas_line;         /* line of sap_trusted_cas */
    psc_err *e;
    int failed;
    char long_value[LS_MAX_LINE + 1]; /* a value too long for inih's 200-byte line buffer */
    int has_long_value;
} parse_ctx;

/* Stands in for a long value on the line handed to inih; handler() swaps it back. */
#define LONG_VALUE_MARK "\x01pseconv-long-value\x01"

static int fail_at(parse_ctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(parse_ctx *c, int line, const char *fmt, ...)
{
    if (c->failed)
        return 0;
    char msg[PSC_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    psc_fail(c->e, PSC_EUSAGE, "%s:%d: %s", c->file, line, msg);
    c->failed = 1;
    return 0;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
            return 0;
    return 1;
}

/* A system name becomes a folder of the export (and a file name with
 * --split): letters, digits, _ and -, not starting with -, at most 64
 * characters, and not a name the export uses itself.  Returns the broken
 * rule, or NULL. */
#define SYSTEM_NAME_MAX 64
static const char *system_name_problem(const char *s)
{
    static const char *const reserved[] = {"SHA256SUMS", "manifest.json", "CHECKLIST.md",
                                           "README.md"};
    size_t n = strlen(s);
    if (n == 0 || n > SYSTEM_NAME_MAX || s[0] == '-' || s[0] == '.')
        goto rule;
    for (const char *q = s; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-')
            goto rule;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcasecmp(s, reserved[i]) == 0)
            return "is a name the export uses for its own file (reserved: SHA256SUMS, "
                   "manifest.json, CHECKLIST.md, README.md)";
    return NULL;
rule:
    return "is not a safe folder name: a system name has letters, digits, _ and -, does not "
           "start with - or ., and has at most 64 characters";
}

static int grow(void **arr, size_t n, size_t elem)
{
    void *p = realloc(*arr, (n + 1) * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    memset((char *)p + n * elem, 0, elem);
    return 0;
}

/* The position of system (or flow) NAME, the count of them when there is none. */
static size_t name_index(const parse_ctx *c, int is_sys, const char *name)
{
    const psc_keyidx *t = is_sys ? &c->sys_by_name : &c->flow_by_name;
    for (uint32_t i = psc_keyidx_first(t, psc_hash_str(name)); i != PSC_KEYIDX_END;
         i = psc_keyidx_next(t, i))
        if (strcmp(is_sys ? c->ls->systems[i].name : c->ls->flows[i].name, name) == 0)
            return i;
    return is_sys ? c->ls->nsystems : c->ls->nflows;
}

/* A section header line: "[landscape]", "[system NAME]", "[flow NAME]". */
static void section(parse_ctx *c, char *body)
{
    psc_landscape *ls = c->ls;
    char *sp = strchr(body, ' ');
    char *name = NULL;
    if (sp) {
        *sp = '\0';
        name = sp + 1;
        while (*name == ' ')
            name++;
    }
    if (strcmp(body, "landscape") == 0 && name == NULL) {
        if (c->seen_landscape++)
            fail_at(c, c->line, "[landscape] appears twice");
        c->kind = SEC_LANDSCAPE;
        return;
    }
    if (strcmp(body, "system") == 0 && name && system_name_problem(name)) {
        fail_at(c, c->line, "[system %s]: '%s' %s", name, name, system_name_problem(name));
        return;
    }
    if ((strcmp(body, "system") == 0 || strcmp(body, "flow") == 0) && name && valid_name(name)) {
        int is_sys = body[0] == 's';
        size_t n = is_sys ? ls->nsystems : ls->nflows;
        size_t first = name_index(c, is_sys, name);
        if (first < n) {
            fail_at(c, c->line, "[%s %s] appears twice (first at line %d)", body, name,
                    is_sys ? ls->systems[first].line : ls->flows[first].line);
            return;
        }
        if (is_sys) {
            if (grow((void **)&ls->systems, n, sizeof *ls->systems) ||
                grow((void **)&c->raw, n, sizeof *c->raw) ||
                (ls->systems[n].name = dup(name)) == NULL) {
                fail_at(c, c->line, "out of memory");
                return;
            }
            ls->systems[n].line = c->line;
            ls->nsystems++;
            c->kind = SEC_SYSTEM;
        } else {
            if (grow((void **)&ls->flows, n, sizeof *ls->flows) ||
                grow((void **)&c->flow_path, n, sizeof *c->flow_path) ||
                grow((void **)&c->flow_path_line, n, sizeof *c->flow_path_line) ||
                (ls->flows[n].name = dup(name)) == NULL) {
                fail_at(c, c->line, "out of memory");
                return;
            }
            ls->flows[n].line = c->line;
            ls->flows[n].auth = PSC_AUTH_CERTIFICATE;
            ls->nflows++;
            c->kind = SEC_FLOW;
        }
        /* indexed once added: item n is systems[n] (flows[n]) */
        if (psc_keyidx_push(is_sys ? &c->sys_by_name : &c->flow_by_name, psc_hash_str(name)) != n)
            fail_at(c, c->line, "out of memory");
        c->index = n;
        return;
    }
    fail_at(c, c->line,
            "unknown section [%s%s%s]; accepted: [landscape], [system NAME], [flow NAME] "
            "(NAME: letters, digits, _ . -)",
            body, name ? " " : "", name ? name : "");
}

/* inih's fgets: one line per call, with ';'/'#' comments removed (at the
 * start, or after whitespace) and section headers checked here. */
static char *reader(char *str, int num, void *stream)
{
    parse_ctx *c = stream;
    if (c->pos >= c->len || num < 4)
        return NULL;
    const char *p = c->text + c->pos;
    const char *nl = memchr(p, '\n', c->len - c->pos);
    size_t n = nl ? (size_t)(nl - p) : c->len - c->pos;
    c->pos += n + (nl ? 1 : 0);
    c->line++;
    char line[LS_MAX_LINE + 1];
    if (n > LS_MAX_LINE) {
        fail_at(c, c->line, "line longer than %d characters", LS_MAX_LINE);
        n = 0;
    }
    memcpy(line, p, n);
    line[n] = '\0';
    if (c->line == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
        (unsigned char)line[2] == 0xBF)
        memmove(line, line + 3, n - 2);
    for (char *q = line; *q; q++)
        if ((*q == ';' || *q == '#') && (q == line || isspace((unsigned char)q[-1]))) {
            *q = '\0';
            break;
        }
    /* trim both ends; leading blanks would make inih treat the line as a continuation */
    char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    size_t l = strlen(s);
    while (l > 0 && isspace((unsigned char)s[l - 1]))
        s[--l] = '\0';
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (end == NULL || end[1] != '\0') {
            fail_at(c, c->line, "malformed section header '%s'; write [system NAME]", s);
            c->kind = SEC_NONE;
        } else {
            char body[LS_MAX_LINE + 1];
            memcpy(body, s + 1, (size_t)(end - s - 1));
            body[end - s - 1] = '\0';
            section(c, body);
        }
    } else if (*s && strchr(s, '=') == NULL) {
        fail_at(c, c->line, "expected 'key = value', got '%s'", s);
        s[0] = '\0';
    }
    c->has_long_value = 0;
    char *eq = strchr(s, '=');
    if (l + 2 > (size_t)num && *s != '[' && eq != NULL &&
        (size_t)(eq - s) + sizeof LONG_VALUE_MARK + 4 < (size_t)num) {
        /* inih's line buffer is 200 bytes (Debian's build): hand it the key and a
         * mark, keep the value here, so LS_MAX_LINE is the one limit */
        const char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        snprintf(c->long_value, sizeof c->long_value, "%s", v);
        c->has_long_value = 1;
        l = (size_t)(eq - s) + 1;
        memcpy(s + l, " " LONG_VALUE_MARK, sizeof LONG_VALUE_MARK + 1);
        l += sizeof LONG_VALUE_MARK;
    }
    if (l + 2 > (size_t)num) {
        fail_at(c, c->line, "line longer than %d characters", LS_MAX_LINE);
        l = 0;
    }
    memcpy(str, s, l);
    str[l] = '\n';
    str[l + 1] = '\0';
    return str;
}

static int handler(void *user, const char *sec, const char *name, const char *value)
{
    parse_ctx *c = user;
    (void)sec; /* we track the section ourselves (validated in reader) */
    if (c->failed)
        return 1;
    if (c->has_long_value && strcmp(value, LONG_VALUE_MARK) == 0)
        value = c->long_value;
    psc_landscape *ls = c->ls;
    switch (c->kind) {
    case SEC_NONE:
        return fail_at(c, c->line, "'%s' outside a section; start with [landscape]", name);
    case SEC_LANDSCAPE:
        if (strcmp(name, "name") == 0) {
            free(ls->name);
            ls->name = dup(value);
        } else if (strcmp(name, "warn_days") == 0) {
            char *end;
            long d = strtol(value, &end, 10);
            if (*value == '\0' || *end || d < 0 || d > 36500)
                return fail_at(c, c->line, "warn_days must be a number of days (0..36500), got '%s'",
                               value);
            ls->warn_days = d;
        } else if (strcmp(name, "sap_trusted_cas") == 0) {
            free(ls->trusted_cas_file);
            ls->trusted_cas_file = dup(value);
            ls->sap_list = 1;
            c->trusted_cas_line = c->line;
        } else {
            return fail_at(c, c->line, "unknown key '%s' in [landscape]; accepted: name, "
                                       "warn_days, sap_trusted_cas", name);
        }
        return 1;
    case SEC_SYSTEM: {
        sys_raw *r = &c->raw[c->index];
        for (size_t k = 0; k < NSYSKEYS; k++)
            if (strcmp(system_keys[k].name, name) == 0) {
                if (r->value[k])
                    return fail_at(c, c->line, "'%s' given twice in [system %s] (first at line %d)",
                                   name, ls->systems[c->index].name, r->line[k]);
                r->value[k] = dup(value);
                r->line[k] = c->line;
                return r->value[k] ? 1 : fail_at(c, c->line, "out of memory");
            }
        return fail_at(c, c->line,
                       "unknown key '%s' in [system %s]; accepted: type, client_cert, "
                       "server_cert, chain, client_chain, server_chain, ssl_client_pse, "
                       "ssl_server_pse, ssl_anonymous_pse, pse_pin, keystore, "
                       "keystore_password, environment, service_user, ssl_client_identity, "
                       "service_user_roles, client_key_alias, ssl, url, system_cert, ca_cert, "
                       "trust_store, principal_propagation",
                       name, ls->systems[c->index].name);
    }
    case SEC_FLOW: {
        psc_flow *f = &ls->flows[c->index];
        if (strcmp(name, "path") == 0) {
            if (c->flow_path[c->index])
                return fail_at(c, c->line, "'path' given twice in [flow %s]", f->name);
            c->flow_path[c->index] = dup(value);
            c->flow_path_line[c->index] = c->line;
        } else if (strcmp(name, "auth") == 0) {
            if (strcmp(value, "certificate") == 0)
                f->auth = PSC_AUTH_CERTIFICATE;
            else if (strcmp(value, "basic") == 0)
                f->auth = PSC_AUTH_BASIC;
            else
                return fail_at(c, c->line, "auth = '%s' in [flow %s]; accepted: certificate, basic",
                               value, f->name);
        } else if (strcmp(name, "iflow") == 0) {
            free(f->iflow);
            f->iflow = dup(value);
        } else {
            return fail_at(c, c->line, "unknown key '%s' in [flow %s]; accepted: path, auth, iflow",
                           name, f->name);
        }
        return 1;
    }
    }
    return 1;
}

static size_t key_slot(const char *name)
{
    for (size_t k = 0; k < NSYSKEYS; k++)
        if (strcmp(system_keys[k].name, name) == 0)
            return k;
    return 0;
}

/* Types, per-type keys, environment. */
static int check_systems(parse_ctx *c)
{
    psc_landscape *ls = c->ls;
    for (size_t i = 0; i < ls->nsystems && !c->failed; i++) {
        psc_system *s = &ls->systems[i];
        sys_raw *r = &c->raw[i];
        const char *type = r->value[key_slot("type")];
        if (type == NULL)
            return fail_at(c, s->line, "[system %s] has no 'type'; accepted: abap, cpi, c4c, "
                                       "webdispatcher, cloudconnector", s->name);
        int t = psc_system_type_by_name(type);
        if (t < 0)
            return fail_at(c, r->line[key_slot("type")],
                           "type = '%s' in [system %s]; accepted: abap, cpi, c4c, webdispatcher, "
                           "cloudconnector",
                           type, s->name);
        s->type = (psc_system_type)t;
        for (size_t k = 0; k < NSYSKEYS; k++) {
            if (r->value[k] == NULL || (system_keys[k].types & (1u << t)))
                continue;
            char ok[400] = "";
            for (size_t j = 0; j < NSYSKEYS; j++)
                if (system_keys[j].types & (1u << t)) {
                    if (ok[0])
                        strncat(ok, ", ", sizeof ok - strlen(ok) - 1);
                    strncat(ok, system_keys[j].name, sizeof ok - strlen(ok) - 1);
                }
            return fail_at(c, r->line[k], "'%s' does not apply to a %s system ([system %s]); "
                                          "%s takes: %s",
                           system_keys[k].name, type, s->name, type, ok);
        }
        const char *env = r->value[key_slot("environment")];
        if (env && strcmp(env, "cf") != 0 && strcmp(env, "neo") != 0)
            return fail_at(c, r->line[key_slot("environment")],
                           "environment = '%s' in [system %s]; accepted: cf, neo", env, s->name);
        s->environment = env && strcmp(env, "neo") == 0 ? PSC_CPI_NEO : PSC_CPI_CF;
        const char *url = r->value[key_slot("url")];
        psc_url pu;
        psc_err ue = {0};
        if (url && psc_url_parse(url, &pu, &ue) != PSC_OK)
            return fail_at(c, r->line[key_slot("url")], "%s (in [system %s])", ue.msg, s->name);
        if (url && (s->url = dup(url)) == NULL)
            return fail_at(c, s->line, "out of memory");
        const char *ssl = r->value[key_slot("ssl")];
        if (ssl && strcmp(ssl, "terminate") != 0 && strcmp(ssl, "passthrough") != 0)
            return fail_at(c, r->line[key_slot("ssl")],
                           "ssl = '%s' in [system %s]; accepted: terminate, passthrough", ssl,
                           s->name);
        s->wd_passthrough = ssl && strcmp(ssl, "passthrough") == 0;
        char sccmsg[200];
        if (psc_landscape_scc_keys(s, r->value[key_slot("principal_propagation")], sccmsg,
                                   sizeof sccmsg) != 0)
            return fail_at(c, r->line[key_slot("principal_propagation")], "%s", sccmsg);
        const char *id = r->value[key_slot("ssl_client_identity")];
        if (id && (strlen(id) > 6 || !valid_name(id) || strchr(id, '.') || strchr(id, '-')))
            return fail_at(c, r->line[key_slot("ssl_client_identity")],
                           "ssl_client_identity = '%s' in [system %s]; accepted: DFAULT, ANONYM "
                           "or the ID of a custom SSL client identity (up to 6 letters/digits)",
                           id, s->name);
        static const struct { const char *key; size_t off; } copies[] = {
            {"service_user", offsetof(psc_system, service_user)},
            {"ssl_client_identity", offsetof(psc_system, ssl_client_identity)},
            {"service_user_roles", offsetof(psc_system, service_user_roles)},
            {"client_key_alias", offsetof(psc_system, client_key_alias)},
        };
        for (size_t k = 0; k < sizeof copies / sizeof copies[0]; k++) {
            const char *v = r->value[key_slot(copies[k].key)];
            char **dst = (char **)((char *)s + copies[k].off);
            if (v && (*dst = dup(v)) == NULL)
                return fail_at(c, s->line, "out of memory");
        }
    }
    return !c->failed;
}

/* "ERP -> HCI -> C4C": known systems, at least one hop, every hop covered. */
static int check_flows(parse_ctx *c)
{
    psc_landscape *ls = c->ls;
    for (size_t i = 0; i < ls->nflows && !c->failed; i++) {
        psc_flow *f = &ls->flows[i];
        char *text = c->flow_path[i];
        int line = c->flow_path_line[i];
        if (text == NULL)
            return fail_at(c, f->line, "[flow %s] has no 'path' (write path = A -> B -> C)",
                           f->name);
        char *p = text;
        for (;;) {
            char *arrow = strstr(p, "->");
            if (arrow)
                *arrow = '\0';
            char *name = p;
            while (isspace((unsigned char)*name))
                name++;
            size_t l = strlen(name);
            while (l > 0 && isspace((unsigned char)name[l - 1]))
                name[--l] = '\0';
            size_t idx = name_index(c, 1, name);
            if (idx == ls->nsystems) {
                char known[400] = "";
                for (size_t k = 0; k < ls->nsystems; k++) {
                    if (known[0])
                        strncat(known, ", ", sizeof known - strlen(known) - 1);
                    strncat(known, ls->systems[k].name, sizeof known - strlen(known) - 1);
                }
                return fail_at(c, line, "flow %s: unknown system '%s' in path; systems: %s",
                               f->name, name, known[0] ? known : "(none: add [system NAME])");
            }
            if (grow((void **)&f->path, f->npath, sizeof *f->path))
                return fail_at(c, line, "out of memory");
            f->path[f->npath++] = idx;
            if (!arrow)
                break;
            p = arrow + 2;
        }
        if (f->npath < 2)
            return fail_at(c, line, "flow %s: path needs at least two systems (A -> B)", f->name);
        for (size_t h = 0; h + 1 < f->npath; h++) {
            const psc_system *a = &ls->systems[f->path[h]], *b = &ls->systems[f->path[h + 1]];
            if (f->path[h] == f->path[h + 1] || !psc_rules_cover(a->type, b->type))
                return fail_at(c, line,
                               "flow %s: no rule covers the hop %s -> %s (%s -> %s); covered "
                               "hops: %s",
                               f->name, a->name, b->name, psc_system_type_name(a->type), psc_system_type_name(b->type),
                               psc_rules_hops_text());
        }
    }
    return !c->failed;
}

static int read_files(parse_ctx *c)
{
    psc_landscape *ls = c->ls;
    for (size_t i = 0; i < ls->nsystems; i++) {
        psc_system *s = &ls->systems[i];
        /* s->state is made by the first state file (most systems have none) */
        if ((ls->certs == NULL && (ls->certs = psc_store_new()) == NULL) ||
            (s->store = psc_store_new_pooled(ls->certs)) == NULL)
            return psc_fail(c->e, PSC_EINPUT, "out of memory");
        for (int k = 0; k < PSC_KEY_COUNT; k++) {
            const char *pin = k == PSC_KEY_KEYSTORE ? "keystore_password"
                              : psc_key_is_state((psc_key)k) ? "pse_pin"
                                                             : NULL;
            sys_raw *r = &c->raw[i];
            size_t slot = key_slot(psc_key_name((psc_key)k));
            size_t pslot = pin ? key_slot(pin) : 0;
            int rc = psc_landscape_read_file(ls, s, (psc_key)k, r->value[slot], r->line[slot], pin,
                                             pin ? r->value[pslot] : NULL,
                                             pin ? r->line[pslot] : 0, c->e);
            if (rc != PSC_OK)
                return rc;
        }
        const char *ks_spec = c->raw[i].value[key_slot("keystore_password")];
        if (ks_spec && (s->keystore_password = psc_landscape_resolve_spec(c->file, ks_spec)) == NULL)
            return psc_fail(c->e, PSC_EINPUT, "out of memory");
        psc_err pe = {0};
        if (psc_store_pair_keys(s->store, &pe) != PSC_OK ||
            (s->state && psc_store_pair_keys(s->state, &pe) != PSC_OK))
            return psc_fail(c->e, pe.code, "%s (in [system %s] of %s)", pe.msg, s->name, c->file);
    }
    return PSC_OK;
}

/* sap_trusted_cas resolved against the landscape's folder, then trustlist.c. */
static int read_trusted_cas(parse_ctx *c)
{
    psc_landscape *ls = c->ls;
    char *path = ls->sap_list ? psc_landscape_resolve(c->file, ls->trusted_cas_file) : NULL;
    if (ls->sap_list && path == NULL)
        return psc_fail(c->e, PSC_EINPUT, "out of memory");
    if (path) {
        free(ls->trusted_cas_file);
        ls->trusted_cas_file = path;
    }
    char note[PSC_MSG_MAX] = "";
    psc_err re = {0};
    int rc = psc_trusted_cas_load(ls, note, sizeof note, &re);
    if (rc != PSC_OK)
        return psc_fail(c->e, rc, "%s (%s:%d, sap_trusted_cas)", re.msg, c->file,
                        c->trusted_cas_line);
    if (note[0])
        psc_landscape_warn(ls, "%s", note);
    return PSC_OK;
}

int psc_landscape_load(const char *file, psc_landscape **out, psc_err *e)
{
    *out = NULL;
    psc_buf text;
    psc_buf_init(&text);
    int rc = psc_buf_read_file(&text, file, LS_MAX_BYTES, e);
    if (rc != PSC_OK) {
        psc_buf_free(&text, 0);
        return rc;
    }
    psc_landscape *ls = calloc(1, sizeof *ls);
    parse_ctx c = {0};
    if (ls == NULL || psc_buf_cstr(&text) != 0 || (ls->file = dup(file)) == NULL) {
        psc_buf_free(&text, 0);
        free(ls);
        return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    ls->warn_days = 60;
    c.ls = ls;
    c.file = file;
    c.text = (const char *)text.data;
    c.len = text.len;
    c.e = e;
    if (memchr(text.data, '\0', text.len))
        fail_at(&c, 1, "binary data in a landscape file; write INI text (pseconv init makes a template)");
    if (!c.failed) {
        int prc = ini_parse_stream(reader, &c, handler, &c);
        if (prc != 0 && !c.failed)
            fail_at(&c, prc > 0 ? prc : 1, "not INI syntax ('key = value' under [section])");
    }
    psc_wipe(c.long_value, sizeof c.long_value); /* it may have held a pass: PIN */
    if (!c.failed)
        check_systems(&c);
    if (!c.failed)
        check_flows(&c);
    rc = c.failed ? PSC_EUSAGE : PSC_OK;
    if (rc == PSC_OK && ls->nflows == 0)
        psc_landscape_warn(ls, "%s: no [flow NAME] section: the plan is empty (add path = A -> B)", file);
    if (rc == PSC_OK && ls->name == NULL) {
        const char *slash = strrchr(file, '/');
        ls->name = dup(slash ? slash + 1 : file);
    }
    if (rc == PSC_OK)
        rc = read_files(&c);
    if (rc == PSC_OK)
        rc = read_trusted_cas(&c);
    for (size_t i = 0; i < ls->nsystems; i++)
        for (size_t k = 0; k < NSYSKEYS; k++) {
            if (c.raw && c.raw[i].value[k] &&
                (strcmp(system_keys[k].name, "pse_pin") == 0 ||
                 strcmp(system_keys[k].name, "keystore_password") == 0))
                psc_wipe(c.raw[i].value[k], strlen(c.raw[i].value[k]));
            if (c.raw)
                free(c.raw[i].value[k]);
        }
    for (size_t i = 0; i < ls->nflows; i++)
        free(c.flow_path[i]);
    free(c.raw);
    free(c.flow_path);
    free(c.flow_path_line);
    psc_keyidx_free(&c.sys_by_name);
    psc_keyidx_free(&c.flow_by_name);
    psc_buf_free(&text, 1);
    if (rc != PSC_OK) {
        psc_landscape_free(ls);
        return rc;
    }
    *out = ls;
    return PSC_OK;
}

void psc_landscape_free(psc_landscape *ls)
{
    if (ls == NULL)
        return;
    for (size_t i = 0; i < ls->nsystems; i++) {
        psc_system *s = &ls->systems[i];
        free(s->name);
        free(s->service_user);
        free(s->url);
        free(s->ssl_client_identity);
        free(s->service_user_roles);
        free(s->client_key_alias);
        if (s->keystore_password) {
            psc_wipe(s->keystore_password, strlen(s->keystore_password));
            free(s->keystore_password);
        }
        for (int k = 0; k < PSC_KEY_COUNT; k++) {
            free(s->files[k].value);
            free(s->files[k].path);
            free(s->files[k].certs);
        }
        psc_store_free(s->store);
        psc_store_free(s->state);
    }
    for (size_t i = 0; i < ls->nflows; i++) {
        free(ls->flows[i].name);
        free(ls->flows[i].iflow);
        free(ls->flows[i].path);
    }
    for (size_t i = 0; i < ls->nwarnings; i++)
        free(ls->warnings[i]);
    free(ls->warnings);
    free(ls->systems);
    free(ls->flows);
    free(ls->file);
    free(ls->name);
    free(ls->trusted_cas_file);
    psc_store_free(ls->trusted_cas);
    psc_store_free(ls->certs); /* after the systems' stores: it owns their certificates */
    free(ls);
}

const psc_system *psc_landscape_system(const psc_landscape *ls, const char *name)
{
    for (size_t i = 0; i < ls->nsystems; i++)
        if (strcmp(ls->systems[i].name, name) == 0)
            return &ls->systems[i];
    return NULL;
}
