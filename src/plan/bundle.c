/* The export handoff: plan -> in-memory files -> folder and archives.
 * Reads the finished plan only; every decision (which steps, which file
 * names) was made by the planner (psc_step_export_name, the renderers).
 * What the files hold is decided here; what happens to a complete file
 * (checked, summed, spilled) is bundle_files.c's. */
#include "bundle.h"
#include "bundle_files.h"
#include "format.h"
#include "outfile.h"
#include "describe.h"
#include "planner.h"
#include "render.h"
#include "sapdn.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CPI_MAX_CERT_BYTES 10240 /* Monitor > Keystore and the iFlow sender reject larger uploads */

/* ---- per-system files --------------------------------------------------- */

static int is_strust_import(const psc_step *s)
{
    return s->action == PSC_ACTION_IMPORT && strncmp(s->target, "strust-ssl-", 11) == 0 &&
           (s->system->type == PSC_SYS_ABAP || s->system->type == PSC_SYS_WEBDISPATCHER);
}

static const char *pse_of_target(const char *target)
{
    if (strcmp(target, "strust-ssl-client-standard") == 0)
        return "SAPSSLC.pse";
    if (strcmp(target, "strust-ssl-client-anonymous") == 0)
        return "SAPSSLA.pse";
    if (strcmp(target, "strust-ssl-server-standard") == 0)
        return "SAPSSLS.pse";
    return NULL;
}

static int target_is_cpi_upload(const char *target)
{
    return strcmp(target, "keystore") == 0 || strcmp(target, "iflow-sender") == 0 ||
           strcmp(target, "service-key") == 0;
}

/* The certificate file of one step, plus the VUSREXTID .txt for a user mapping. */
static int add_step_files(psc_bundle *b, const psc_plan *p, const psc_step *s, char *name,
                          size_t namelen, psc_err *e)
{
    psc_step_export_name(p, s, name, namelen);
    if (name[0] == '\0' || s->cert == NULL)
        return PSC_OK;
    psc_bundle_file *f = psc_bundle_add_file(b, s->system->name, name, e);
    if (f == NULL)
        return PSC_EOUTPUT;
    if (psc_cert_put_pem(&f->data, s->cert) != 0)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    if (s->system->type == PSC_SYS_CPI && target_is_cpi_upload(s->target) &&
        f->data.len > CPI_MAX_CERT_BYTES)
        return psc_fail(e, PSC_EINPUT,
                        "%s: %zu bytes, more than the %d SAP Cloud Integration accepts; use a "
                        "certificate with a shorter chain or fewer extensions",
                        f->path, f->data.len, CPI_MAX_CERT_BYTES);
    if (psc_bundle_file_add_step(f, s->id, e) != PSC_OK)
        return PSC_EOUTPUT;
    if (s->action != PSC_ACTION_MAP_USER)
        return PSC_OK;
    /* VUSREXTID compares the DN as a string: write it in SAP's notation (SP=, STRUST order);
     * the plan's dn-notation finding says when a part of it is uncertain */
    char dn[1024];
    const char *uncertain = NULL;
    if (psc_sap_dn(s->cert, dn, sizeof dn, &uncertain) != 0)
        snprintf(dn, sizeof dn, "%s", s->cert->subject);
    char txt[PATH_MAX];
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    snprintf(txt, sizeof txt, "%.*s.txt", (int)stem, name);
    psc_bundle_file *t = psc_bundle_add_file(b, s->system->name, txt, e);
    if (t == NULL)
        return PSC_EOUTPUT;
    if (psc_buf_printf(&t->data, "%s\n", dn) != 0)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    return psc_bundle_file_add_step(t, s->id, e);
}

/* The PSE imports of a standalone Web Dispatcher as a POSIX shell script.  Not
 * for abap systems: their PSEs live in the database and STRUST distributes
 * them; a file-level change reaches one server and is lost at its next start. */
static int add_sapgenpse(psc_bundle *b, const psc_plan *p, const psc_system *sys,
                         const psc_step **steps, size_t n, psc_err *e)
{
    size_t imports = 0;
    for (size_t i = 0; i < n; i++) {
        char name[PATH_MAX];
        psc_step_export_name(p, steps[i], name, sizeof name);
        imports += steps[i]->status == PSC_STATUS_TODO && is_strust_import(steps[i]) &&
                   steps[i]->cert != NULL && name[0] != '\0';
    }
    if (imports == 0)
        return PSC_OK;
    psc_bundle_file *f = psc_bundle_add_file(b, sys->name, "sapgenpse.sh", e);
    if (f == NULL)
        return PSC_EOUTPUT;
    f->executable = 1;
    psc_buf *o = &f->data;
    int bad = psc_buf_printf(
        o,
        "#!/bin/sh\n"
        "# %s (%s): the certificate imports of README.md with sapgenpse maintain_pk,\n"
        "# for the standalone Web Dispatcher at OS level (as <sid>adm, with SECUDIR set\n"
        "# as for the instance).\n"
        "# Written by pseconv export for \"%s\".\n"
        "#\n"
        "#   PSE_PIN=... ./sapgenpse.sh        (PSE_PIN= for a PSE without PIN)\n"
        "#\n"
        "# Stops at the first error.  sapgenpse gets the PIN with -x, so it shows in\n"
        "# the process list while it runs: use a host you trust.  Afterwards make the\n"
        "# Web Dispatcher load the PSEs: web admin > SSL and Trust Configuration > PSE\n"
        "# Management, or restart it (sapcontrol -nr <NN> -function RestartInstance, or\n"
        "# icmon pf=<profile>).\n"
        "set -eu\n"
        "cd \"$(dirname \"$0\")\"\n"
        ": \"${SECUDIR:?set SECUDIR to the instance's sec folder (where SAPSSLC.pse lives)}\"\n"
        "if [ -z \"${PSE_PIN+set}\" ]; then\n"
        "  echo \"sapgenpse.sh: set PSE_PIN to the PSE PIN (PSE_PIN= if it has none)\" >&2\n"
        "  exit 2\n"
        "fi\n"
        "SAPGENPSE=${SAPGENPSE:-sapgenpse}\n"
        "\n"
        "add() {  # add STEP PSE FILE\n"
        "  echo \"step $1: adding $3 to $2\"\n"
        "  if [ -n \"$PSE_PIN\" ]; then\n"
        "    \"$SAPGENPSE\" maintain_pk -p \"$SECUDIR/$2\" -x \"$PSE_PIN\" -a \"$3\"\n"
        "  else\n"
        "    \"$SAPGENPSE\" maintain_pk -p \"$SECUDIR/$2\" -a \"$3\"\n"
        "  fi\n"
        "}\n"
        "\n",
        sys->name, psc_system_type_name(sys->type), p->landscape->name);
    for (size_t i = 0; i < n && !bad; i++) {
        const psc_step *s = steps[i];
        char name[PATH_MAX];
        psc_step_export_name(p, s, name, sizeof name);
        if (s->status != PSC_STATUS_TODO || s->cert == NULL || name[0] == '\0')
            continue;
        if (!is_strust_import(s)) {
            bad = psc_buf_printf(o, "# %s (%s): not a PSE import, see README.md\n", s->id,
                                 s->target) != 0;
            continue;
        }
        bad = psc_buf_printf(o, "add %s %s %s%s\n", s->id, pse_of_target(s->target), name,
                             s->required ? "" : "   # optional") != 0 ||
              psc_bundle_file_add_step(f, s->id, e) != PSC_OK;
    }
    if (!bad)
        bad = psc_buf_printf(o, "echo \"done: %zu certificate%s added; restart the Web Dispatcher "
                                "or reload the PSEs in its web admin\"\n",
                             imports, imports == 1 ? "" : "s") != 0;
    return bad ? psc_fail(e, PSC_EOUTPUT, "export: out of memory") : PSC_OK;
}

/* ---- --update-keystore -------------------------------------------------- */

/* The landscape's keystore_password SPEC, resolved only when it is needed. */
static int landscape_keystore_password(const psc_system *sys, psc_secret *out, psc_err *e)
{
    if (sys->keystore_password == NULL)
        return PSC_OK; /* no password: the reader says what it needs */
    int visible = 0;
    return psc_secret_from_spec(out, sys->keystore_password, "keystore_password", &visible, e);
}

/* A keystore alias from the certificate's CN: lower case, [a-z0-9-], unique. */
static void alias_for(psc_store *st, const psc_cert *c, char *out, size_t n)
{
    const char *cn = strstr(c->subject, "CN=");
    const char *src = cn ? cn + 3 : c->subject;
    size_t k = 0;
    for (; *src && *src != ',' && k + 1 < n && k < 40; src++) {
        char ch = *src;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            out[k++] = ch;
        else if (k > 0 && out[k - 1] != '-')
            out[k++] = '-';
    }
    while (k > 0 && out[k - 1] == '-')
        k--;
    if (k == 0)
        k = (size_t)snprintf(out, n, "trusted-%.8s", c->sha256_hex);
    out[k < n ? k : n - 1] = '\0';
    char base[64];
    snprintf(base, sizeof base, "%s", out);
    /* Leave room for "-NNN" so the suffix that makes the alias unique survives. */
    int keep = n > 5 ? (int)n - 5 : 0;
    for (int i = 2; psc_store_find_alias(st, out) != NULL && i < 1000; i++)
        snprintf(out, n, "%.*s-%d", keep, base, i);
}

/* SOURCE_DATE_EPOCH when set, else the start (UTC) of the plan's day. */
static time_t entry_date(const psc_plan *p)
{
    if (getenv("SOURCE_DATE_EPOCH") != NULL)
        return psc_archive_default_mtime();
    return p->now - p->now % 86400;
}

static int add_updated_keystore(psc_bundle *b, const psc_plan *p, const psc_system *sys,
                                const psc_step **steps, size_t n, const psc_bundle_opts *o,
                                psc_err *e)
{
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        todo += steps[i]->status == PSC_STATUS_TODO && strcmp(steps[i]->target, "keystore") == 0 &&
                steps[i]->cert != NULL;
    const psc_material *ks = &sys->files[PSC_KEY_KEYSTORE];
    char note[PATH_MAX + 200];
    if (ks->path == NULL) {
        snprintf(note, sizeof note, "%s: no keystore in the landscape; --update-keystore has "
                                    "nothing to update (add keystore = system.jks)", sys->name);
        return psc_bundle_add_note(b, note, e);
    }
    if (todo == 0) {
        snprintf(note, sizeof note, "%s: %s already holds every planned certificate; not written",
                 sys->name, ks->value);
        return psc_bundle_add_note(b, note, e);
    }
    psc_secret pw = {0};
    int rc = PSC_OK;
    if (o->keystore_password && psc_secret_is_set(o->keystore_password))
        rc = psc_secret_set(&pw, o->keystore_password->data) == 0
                 ? PSC_OK : psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    else
        rc = landscape_keystore_password(sys, &pw, e);
    psc_store *st = rc == PSC_OK ? psc_store_new() : NULL;
    psc_buf out;
    psc_buf_init(&out);
    const psc_format *fmt = NULL;
    if (rc == PSC_OK && st == NULL)
        rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    if (rc == PSC_OK) {
        psc_read_opts ro = {0};
        ro.path = ks->path;
        ro.password = &pw;
        rc = psc_read_file(st, ks->path, NULL, &ro, &fmt, e);
        if (rc == PSC_OK && (fmt == NULL || fmt->write == NULL))
            rc = psc_fail(e, PSC_EINPUT, "%s: cannot write %s keystores", ks->path,
                          fmt ? fmt->name : "such");
        if (rc == PSC_OK && !psc_secret_is_set(&pw))
            rc = psc_fail(e, PSC_EINPUT, "%s: --update-keystore needs the keystore password "
                                         "(keystore_password in the landscape)", ks->path);
    }
    /* the handoff never carries a private key: drop key pairs and secret keys */
    size_t dropped = 0;
    for (size_t i = rc == PSC_OK ? psc_store_entry_count(st) : 0; i-- > 0;) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->key != NULL || en->type == PSC_ENTRY_KEYPAIR || en->type == PSC_ENTRY_SECRET) {
            psc_store_remove_entry(st, i);
            dropped++;
        }
    }
    psc_bundle_file *f = NULL;
    for (size_t i = 0; i < n && rc == PSC_OK; i++) {
        const psc_step *s = steps[i];
        if (s->status != PSC_STATUS_TODO || strcmp(s->target, "keystore") != 0 || s->cert == NULL)
            continue;
        char alias[64];
        psc_cert *c = psc_store_add_cert_der(st, s->cert->der, s->cert->der_len, ks->path, e);
        alias_for(st, s->cert, alias, sizeof alias);
        psc_entry *en = c ? psc_store_add_entry(st, PSC_ENTRY_TRUSTED, alias, ks->path,
                                                fmt->name, psc_store_entry_count(st))
                          : NULL;
        if (en == NULL || psc_entry_push_cert(en, c) != 0)
            rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
        else /* a fixed date (not the writer's clock), so the same plan gives the same bytes */
            en->created_ms = (int64_t)entry_date(p) * 1000;
    }
    if (rc == PSC_OK) {
        psc_write_opts wo = {0};
        wo.path = ks->value;
        /* --handoff-password: the copy in the handoff gets its own password,
         * so holding the archive does not mean holding the production one */
        wo.password = o->handoff_password && psc_secret_is_set(o->handoff_password)
                          ? o->handoff_password : &pw;
        wo.for_cpi = 1;
        wo.include_keys = 0;
        rc = fmt->write(st, &out, &wo, e);
    }
    if (rc == PSC_OK) {
        const char *base = strrchr(ks->path, '/');
        base = base ? base + 1 : ks->path;
        if ((f = psc_bundle_add_file(b, sys->name, base, e)) == NULL)
            rc = PSC_EOUTPUT;
    }
    if (rc == PSC_OK) {
        f->data = out;
        psc_buf_init(&out);
        for (size_t i = 0; i < n && rc == PSC_OK; i++)
            if (steps[i]->status == PSC_STATUS_TODO && strcmp(steps[i]->target, "keystore") == 0)
                rc = psc_bundle_file_add_step(f, steps[i]->id, e);
        snprintf(note, sizeof note,
                 "%s/%s: %s with %zu planned trusted certificate%s added (same type and "
                 "password); %zu key entr%s left out (never in a handoff). Upload it in Monitor > "
                 "Integrations and APIs > Manage Security > Keystore > Add > Keystore",
                 sys->name, f->path + strlen(sys->name) + 1, fmt->name, todo, todo == 1 ? "" : "s",
                 dropped, dropped == 1 ? "y" : "ies");
        if (rc == PSC_OK)
            rc = psc_bundle_add_note(b, note, e);
    }
    psc_buf_free(&out, 1);
    psc_store_free(st);
    psc_secret_clear(&pw);
    return rc;
}

/* ---- whole bundle ------------------------------------------------------- */

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const psc_bundle_file *)a)->path, ((const psc_bundle_file *)b)->path);
}

static int add_system(psc_bundle *b, const psc_plan *p, const psc_system *sys,
                      const psc_bundle_opts *o, psc_err *e)
{
    size_t n = psc_plan_steps_of(p, sys, NULL, 0);
    const psc_step **steps = calloc(n ? n : 1, sizeof *steps);
    if (steps == NULL)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    psc_plan_steps_of(p, sys, steps, n);
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        todo += steps[i]->status == PSC_STATUS_TODO;
    int rc = PSC_OK;
    if (todo > 0) {
        char **s = realloc(b->systems, (b->nsystems + 1) * sizeof *s);
        if (s == NULL || (s[b->nsystems] = strdup(sys->name)) == NULL)
            rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
        if (s)
            b->systems = s;
        if (rc == PSC_OK)
            b->nsystems++;
        psc_bundle_file *readme = rc == PSC_OK ? psc_bundle_add_file(b, sys->name, "README.md", e) : NULL;
        if (readme == NULL)
            rc = PSC_EOUTPUT;
        else
            rc = psc_plan_render_system_markdown(p, sys, &readme->data, e);
        /* README.md lists the ids of its system's steps */
        for (size_t i = 0; i < n && rc == PSC_OK; i++)
            rc = psc_bundle_file_add_step(readme, steps[i]->id, e);
        for (size_t i = 0; i < n && rc == PSC_OK; i++) {
            /* (readme may move when psc_bundle_add_file grows the array: index, not pointer) */
            char name[PATH_MAX];
            rc = add_step_files(b, p, steps[i], name, sizeof name, e);
        }
        if (rc == PSC_OK && sys->type == PSC_SYS_WEBDISPATCHER)
            rc = add_sapgenpse(b, p, sys, steps, n, e);
    }
    if (rc == PSC_OK && o && o->update_keystore && sys->type == PSC_SYS_CPI)
        rc = add_updated_keystore(b, p, sys, steps, n, o, e);
    free(steps);
    return rc == PSC_OK ? psc_bundle_finish_new_files(b, e) : rc; /* the system's files are complete */
}

typedef struct manifest_ctx {
    const psc_bundle *b;
    const psc_plan *p;
    size_t nfiles; /* the files it lists: all but manifest.json and SHA256SUMS */
} manifest_ctx;

/* manifest.json, byte for byte what cJSON_Print of the whole tree gives,
 * printed one file entry at a time: the tree of 9,000 files was 5 MB. */
static int fill_manifest(const void *ctx, psc_buf *out, psc_err *e)
{
    const manifest_ctx *m = ctx;
    int bad = psc_buf_puts(out, "{\n\t\"files\":\t[") != 0;
    for (size_t i = 0; i < m->nfiles && !bad; i++) {
        const psc_bundle_file *f = &m->b->files[i];
        char hex[65];
        psc_hex(f->sha256, 32, hex);
        cJSON *o = cJSON_CreateObject(), *steps = NULL;
        bad = o == NULL || cJSON_AddStringToObject(o, "path", f->path) == NULL ||
              cJSON_AddStringToObject(o, "sha256", hex) == NULL ||
              cJSON_AddNumberToObject(o, "bytes", (double)f->bytes) == NULL ||
              (steps = cJSON_AddArrayToObject(o, "steps")) == NULL;
        for (size_t k = 0; k < f->nsteps && !bad; k++)
            bad = !cJSON_AddItemToArray(steps, cJSON_CreateString(f->steps[k]));
        if (bad) {
            cJSON_Delete(o);
            break;
        }
        bad = (i ? psc_buf_puts(out, ", ") : 0) || psc_json_put_nested(out, o, 2) ? 1 : 0;
    }
    /* generator + format: how a later --force recognises this folder as ours */
    bad = bad || psc_buf_puts(out, "],\n") != 0 ||
          psc_json_put_member(out, "generator", cJSON_CreateString("pseconv"), 0) ||
          psc_json_put_member(out, "format", cJSON_CreateNumber(PSC_BUNDLE_FORMAT), 0) ||
          psc_json_put_member(out, "landscape", cJSON_CreateString(m->p->landscape->name), 1) ||
          psc_buf_puts(out, "}\n") != 0;
    return bad ? psc_fail(e, PSC_EOUTPUT, "export: out of memory") : PSC_OK;
}

/* SHA256SUMS: the files before it, in sha256sum's format. */
static int fill_sums(const void *ctx, psc_buf *out, psc_err *e)
{
    const manifest_ctx *m = ctx;
    for (size_t i = 0; i < m->nfiles; i++) {
        char hex[65];
        psc_hex(m->b->files[i].sha256, 32, hex);
        if (psc_buf_printf(out, "%s  %s\n", hex, m->b->files[i].path) != 0)
            return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    }
    return PSC_OK;
}

static int fill_checklist(const void *ctx, psc_buf *out, psc_err *e)
{
    return psc_plan_render(ctx, PSC_PLAN_MARKDOWN, out, e);
}

static int add_manifest_and_sums(psc_bundle *b, const psc_plan *p, psc_err *e)
{
    /* CHECKLIST.md lists every step id (README.md its system's: add_system) */
    for (size_t i = 0; i < b->nfiles; i++)
        for (size_t k = 0; strcmp(b->files[i].path, "CHECKLIST.md") == 0 && k < p->nsteps; k++)
            if (psc_bundle_file_add_step(&b->files[i], p->steps[k].id, e) != PSC_OK)
                return PSC_EOUTPUT;
    qsort(b->files, b->nfiles, sizeof *b->files, cmp_file);
    manifest_ctx mc = {b, p, b->nfiles};
    psc_bundle_file *m = psc_bundle_add_file(b, NULL, "manifest.json", e);
    int rc = m == NULL ? PSC_EOUTPUT : psc_bundle_fill_file(b, m, fill_manifest, &mc, e);
    /* SHA256SUMS: every file before it, manifest.json last */
    psc_bundle_file *s = rc == PSC_OK ? psc_bundle_add_file(b, NULL, "SHA256SUMS", e) : NULL;
    mc.nfiles = b->nfiles - 1;
    if (rc == PSC_OK)
        rc = s == NULL ? PSC_EOUTPUT : psc_bundle_fill_file(b, s, fill_sums, &mc, e);
    if (rc != PSC_OK)
        return rc;
    qsort(b->files, b->nfiles, sizeof *b->files, cmp_file);
    return PSC_OK;
}

int psc_bundle_check_paths(const psc_bundle *b, psc_err *e)
{
    for (size_t i = 0; i < b->nfiles; i++)
        if (!psc_bundle_path_ok(b->files[i].path))
            return psc_fail(e, PSC_EOUTPUT,
                            "export: '%s' would be written outside the output folder; nothing "
                            "written",
                            b->files[i].path);
    return PSC_OK;
}

typedef struct path_ref {
    const char *path;
    size_t index;
} path_ref;

static int path_ref_cmp(const void *a, const void *b)
{
    const path_ref *x = a, *y = b;
    int c = strcasecmp(x->path, y->path);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Are two paths of the bundle equal but for case?  Sorted case-insensitively,
 * equal paths are neighbours: O(n log n), where comparing every pair was most
 * of export's time at 2,000 systems (9,000 files).  *first: the earliest file
 * (in bundle order) that has a twin.  1 found, 0 none, -1 out of memory. */
static int same_path_twice(const psc_bundle *b, size_t *first)
{
    path_ref *r = malloc((b->nfiles ? b->nfiles : 1) * sizeof *r);
    if (r == NULL)
        return -1;
    for (size_t i = 0; i < b->nfiles; i++)
        r[i] = (path_ref){b->files[i].path, i};
    qsort(r, b->nfiles, sizeof *r, path_ref_cmp);
    int found = 0;
    for (size_t i = 1; i < b->nfiles; i++)
        if (strcasecmp(r[i - 1].path, r[i].path) == 0 && (!found || r[i - 1].index < *first)) {
            *first = r[i - 1].index; /* the smaller index of the run comes first */
            found = 1;
        }
    free(r);
    return found;
}

int psc_bundle_build(const psc_plan *p, const psc_bundle_opts *o, psc_bundle **out, psc_err *e)
{
    psc_bundle *b = calloc(1, sizeof *b);
    if (b == NULL)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    int rc = PSC_OK;
    b->spill = o ? o->spill_dir : NULL;
    b->shown = o && o->spill_shown ? o->spill_shown : ".";
    psc_bundle_file *cl = psc_bundle_add_file(b, NULL, "CHECKLIST.md", e);
    if (cl == NULL)
        rc = PSC_EOUTPUT;
    else
        rc = psc_bundle_fill_file(b, cl, fill_checklist, p, e);
    /* export --since bundles only the new steps' files; the clean-up after cut-over has no
     * file of its own, so the operations team gets it (and what stays) in DELTA.md */
    if (rc == PSC_OK && o && o->delta_markdown) {
        psc_bundle_file *d = psc_bundle_add_file(b, NULL, "DELTA.md", e);
        rc = d == NULL || psc_buf_append(&d->data, o->delta_markdown->data,
                                         o->delta_markdown->len) != 0
                 ? psc_fail(e, PSC_EOUTPUT, "export: out of memory")
                 : psc_bundle_finish_new_files(b, e);
    }
    for (size_t i = 0; i < p->landscape->nsystems && rc == PSC_OK; i++)
        rc = add_system(b, p, &p->landscape->systems[i], o, e);
    if (rc == PSC_OK)
        rc = add_manifest_and_sums(b, p, e);
    if (rc == PSC_OK)
        rc = psc_bundle_check_paths(b, e);
    if (rc == PSC_OK) {
        /* reserved names (README.md, SHA256SUMS, ...) against a keystore file:
         * case-insensitive, for the file systems that are */
        size_t dup = 0;
        int found = same_path_twice(b, &dup);
        if (found < 0)
            rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
        else if (found)
            rc = psc_bundle_same_path(b->files[dup].path, e);
    }
    /* (every file was checked for key markers when it was complete) */
    if (rc != PSC_OK) {
        psc_bundle_free(b);
        return rc;
    }
    *out = b;
    return PSC_OK;
}
