/* pseconv export LANDSCAPE -o DIR [--archive FILE] [--split]: the plan as
 * per-system handoff folders and deterministic archives (src/plan/bundle.c
 * builds them; this file parses options and prints). */
#include "cmd.h"
#include "bundle.h"
#include "delta.h"
#include "planner.h"
#include "bundle_out.h"
#include "outfile.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: pseconv export [options] LANDSCAPE -o DIR [--archive FILE.tar.gz|FILE.zip]\n"
    "\n"
    "Plans LANDSCAPE (as 'pseconv plan') and writes the handoff for the people who\n"
    "carry the steps out:\n"
    "  DIR/CHECKLIST.md        the whole plan\n"
    "  DIR/SHA256SUMS          check with: cd DIR && sha256sum -c SHA256SUMS\n"
    "  DIR/manifest.json       every file with sha256, bytes and the steps it serves\n"
    "  DIR/<SYSTEM>/README.md  that system's steps, in its own words, in order\n"
    "  DIR/<SYSTEM>/<NN>-<target>-<name>.<ext>  one certificate per step, in the\n"
    "                          format the target takes (.crt STRUST, .cer CPI keystore,\n"
    "                          iFlow and C4C, .pem CPI service key; user mappings also\n"
    "                          get a .txt with the DN in SAP's notation for VUSREXTID)\n"
    "  DIR/<SYSTEM>/sapgenpse.sh  standalone Web Dispatcher only: the same imports with\n"
    "                          sapgenpse maintain_pk (PIN from $PSE_PIN, stops at the\n"
    "                          first error); abap PSEs are changed in STRUST only\n"
    "Blocked steps (their certificate must be replaced first) get no file.\n"
    "Only systems with something to do get a folder.  No file holds a private key.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        the folder to write (created; written to a temporary\n"
    "                          folder first and renamed, so a failure leaves nothing)\n"
    "  --archive FILE          also write the tree as one .tar.gz/.tgz or .zip with\n"
    "                          sorted entries, fixed time (SOURCE_DATE_EPOCH or\n"
    "                          2000-01-01) and owner root: the same plan gives the\n"
    "                          same bytes\n"
    "  --split                 one archive per system instead: FILE-<SYSTEM>.tar.gz,\n"
    "                          each with that system's folder and its own SHA256SUMS\n"
    "  --update-keystore       cpi systems with a keystore: also write that keystore\n"
    "                          (same type and password) with the planned trusted\n"
    "                          certificates added, for Monitor > Integrations and\n"
    "                          APIs > Manage Security > Keystore > Add;\n"
    "                          key entries are left out\n"
    "  --keystore-password SPEC  instead of the landscape's keystore_password\n"
    "  --handoff-password SPEC  the password of the keystore copy in the handoff\n"
    "                          (default: the keystore's own password, which then\n"
    "                          travels with every copy of the handoff)\n"
    "  --force                 replace a previous export in DIR and existing archives\n"
    "  --since OLD.ini         only the delta against landscape OLD.ini: the new\n"
    "                          steps' files (before the cut-over); DELTA.md holds the\n"
    "                          whole delta (new, kept, clean-up after the cut-over,\n"
    "                          as pseconv plan --since), and the clean-up is printed\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit codes: 0 written, 1 written but the plan has error findings (see\n"
    "CHECKLIST.md), 2 usage or landscape error, 3 unreadable input, 4 cannot write.\n";

typedef struct export_args {
    const char *landscape, *dir, *archive, *since;
    int split, force, update_keystore;
    psc_secret keystore_password, handoff_password;
} export_args;

static int parse(int argc, char **argv, export_args *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},    {"archive", required_argument, NULL, 'a'},
        {"split", no_argument, NULL, 's'},           {"force", no_argument, NULL, 'x'},
        {"update-keystore", no_argument, NULL, 'u'},
        {"keystore-password", required_argument, NULL, 'p'},
        {"since", required_argument, NULL, 'S'},
        {"handoff-password", required_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    int c;
    psc_err e = {0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->dir = optarg; break;
        case 'a': a->archive = optarg; break;
        case 's': a->split = 1; break;
        case 'x': a->force = 1; break;
        case 'u': a->update_keystore = 1; break;
        case 'S': a->since = optarg; break;
        case 'p':
            if (cli_secret(&a->keystore_password, optarg, "--keystore-password", &e) != PSC_OK)
                return cli_report(&e);
            break;
        case 'H':
            if (cli_secret(&a->handoff_password, optarg, "--handoff-password", &e) != PSC_OK)
                return cli_report(&e);
            break;
        case 'h': cli_help(help); return -1;
        default: return cli_usage("export", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("export", "no landscape given");
    if (argc - optind > 1)
        return cli_usage("export", "one landscape at a time ('%s' is extra)", argv[optind + 1]);
    a->landscape = argv[optind];
    if (a->dir == NULL && a->archive == NULL)
        return cli_usage("export", "no output given (-o DIR and/or --archive FILE)");
    if (a->archive && psc_archive_kind_of(a->archive) == PSC_ARCHIVE_NONE)
        return cli_usage("export", "%s: the archive name must end in .tar.gz, .tgz or .zip",
                         a->archive);
    if (a->split && a->archive == NULL)
        return cli_usage("export", "--split needs --archive FILE");
    if (psc_secret_is_set(&a->handoff_password) && !a->update_keystore)
        return cli_usage("export", "--handoff-password needs --update-keystore");
    if (a->dir && strcmp(a->dir, "-") == 0)
        return cli_usage("export", "-o takes a folder, not '-'");
    return PSC_OK;
}

/* The archive names this run writes (one, or one per system). */
static int archive_names(const export_args *a, const psc_bundle *b, char ***names, size_t *n)
{
    size_t count = a->split ? b->nsystems : 1;
    char **v = calloc(count ? count : 1, sizeof *v);
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < count; i++) {
        v[i] = a->split ? psc_bundle_split_name(a->archive, b->systems[i]) : strdup(a->archive);
        if (v[i] == NULL) {
            for (size_t j = 0; j < i; j++)
                free(v[j]);
            free(v);
            return -1;
        }
    }
    *names = v;
    *n = count;
    return 0;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* Every archive built in memory first: a failing archive stops the export
 * before anything is written. */
static int build_archives(const export_args *a, const psc_bundle *b, char **names, size_t n,
                          psc_buf *bufs, psc_err *e)
{
    psc_archive_kind kind = psc_archive_kind_of(a->archive);
    time_t mtime = psc_archive_default_mtime();
    for (size_t i = 0; i < n; i++) {
        int rc = psc_bundle_archive(b, a->split ? b->systems[i] : NULL, kind, mtime, names[i],
                                    &bufs[i], e);
        if (rc != PSC_OK)
            return rc;
    }
    return PSC_OK;
}

/* What a killed run (SIGKILL: no handler runs) left next to the outputs. */
static void warn_stale(const char *dir, char **names, size_t n)
{
    for (size_t i = 0; i <= n; i++) {
        const char *path = i < n ? names[i] : dir;
        char *stale = path ? psc_outfile_stale(path) : NULL;
        if (stale)
            cli_warn("%s is left over from an interrupted pseconv run (killed before it could "
                     "clean up); delete it", stale);
        free(stale);
    }
}

static void print_summary(const export_args *a, const psc_plan *p, const psc_bundle *b,
                          char **names, size_t nnames)
{
    size_t certs = 0;
    for (size_t i = 0; i < b->nfiles; i++) {
        const char *dot = strrchr(b->files[i].path, '.');
        certs += b->files[i].system && dot &&
                 (strcmp(dot, ".crt") == 0 || strcmp(dot, ".cer") == 0 || strcmp(dot, ".pem") == 0);
    }
    psc_plan_counts c;
    psc_plan_count(p, &c);
    if (a->dir) {
        printf("wrote %s: %zu file%s, %zu certificate%s for %zu system%s", a->dir, b->nfiles,
               b->nfiles == 1 ? "" : "s", certs, certs == 1 ? "" : "s", b->nsystems,
               b->nsystems == 1 ? "" : "s");
        for (size_t i = 0; i < b->nsystems; i++)
            printf("%s%s", i ? ", " : " (", b->systems[i]);
        printf("%s\n", b->nsystems ? ")" : "");
    }
    for (size_t i = 0; i < nnames; i++)
        printf("wrote %s%s%s\n", names[i], a->split ? ": " : "", a->split ? b->systems[i] : "");
    printf("plan: %zu to do, %zu present, %zu managed by SAP; %zu error%s, %zu warning%s\n",
           c.todo, c.present, c.managed, c.errors, c.errors == 1 ? "" : "s", c.warnings,
           c.warnings == 1 ? "" : "s");
    for (size_t i = 0; i < b->nnotes; i++)
        printf("%s\n", b->notes[i]);
    if (a->dir)
        printf("check on arrival: cd %s && sha256sum -c SHA256SUMS\n", a->dir);
    for (size_t i = 0; i < p->nfindings; i++) {
        const psc_finding *f = &p->findings[i];
        if (f->severity == PSC_SEV_ERROR)
            fprintf(stderr, "pseconv: %s%s%s: %s\n", f->system ? f->system->name : "",
                    f->system ? ": " : "", f->code, f->message);
    }
}

int cmd_export(int argc, char **argv)
{
    export_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc != PSC_OK) {
        psc_secret_clear(&a.keystore_password);
        psc_secret_clear(&a.handoff_password);
        return rc < 0 ? 0 : rc;
    }
    psc_err e = {0};
    psc_plan *p = NULL, *old = NULL;
    psc_delta *d = NULL;
    psc_bundle *b = NULL;
    char **names = NULL;
    size_t nnames = 0;
    psc_buf *bufs = NULL;
    psc_bundle_stage stage = {0};
    /* refuse an occupied DIR before any work */
    if (a.dir && psc_bundle_check_dir(a.dir, a.force, &e) != PSC_OK)
        goto fail;
    if (psc_plan_load_and_run(a.landscape, time(NULL), &p, &e) != PSC_OK)
        goto fail;
    for (size_t i = 0; i < p->landscape->nwarnings; i++)
        cli_warn("%s", p->landscape->warnings[i]);
    /* --since: bundle only the steps the old landscape's plan did not have */
    if (a.since && (psc_plan_load_and_run(a.since, p->now, &old, &e) != PSC_OK ||
                    psc_delta_compute(old, p, &d, &e) != PSC_OK))
        goto fail;
    /* the folder's staging copy first: each file goes there as soon as it is
     * complete, so the handoff is never whole in memory (2,000 systems: 20 MB) */
    if (a.dir && psc_bundle_stage_begin(a.dir, &stage, &e) != PSC_OK)
        goto fail;
    psc_bundle_opts bo = {0};
    bo.spill_dir = stage.tmp;
    bo.spill_shown = a.dir;
    bo.update_keystore = a.update_keystore;
    bo.keystore_password = &a.keystore_password;
    bo.handoff_password = &a.handoff_password;
    psc_buf delta_md;
    psc_buf_init(&delta_md);
    if (d && psc_delta_render(d, PSC_PLAN_MARKDOWN, &delta_md, &e) != PSC_OK) {
        psc_buf_free(&delta_md, 0);
        goto fail;
    }
    bo.delta_markdown = d ? &delta_md : NULL;
    rc = psc_bundle_build(d ? psc_delta_new_plan(d) : p, &bo, &b, &e);
    psc_buf_free(&delta_md, 0);
    if (rc != PSC_OK)
        goto fail;
    if (a.archive) {
        if (archive_names(&a, b, &names, &nnames) != 0) {
            psc_fail(&e, PSC_EOUTPUT, "export: out of memory");
            goto fail;
        }
        struct stat sb;
        for (size_t i = 0; i < nnames && !a.force; i++)
            if (lstat(names[i], &sb) == 0) {
                psc_fail(&e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", names[i]);
                goto fail;
            }
    }
    if (nnames && (bufs = calloc(nnames, sizeof *bufs)) == NULL) {
        psc_fail(&e, PSC_EOUTPUT, "export: out of memory");
        goto fail;
    }
    if (nnames && build_archives(&a, b, names, nnames, bufs, &e) != PSC_OK)
        goto fail;
    warn_stale(a.dir, names, nnames);
    /* one transaction: the folder and every archive, or nothing */
    if (psc_bundle_write(b, a.dir, names, bufs, nnames, a.force, &stage, &e) != PSC_OK)
        goto fail;
    print_summary(&a, d ? psc_delta_new_plan(d) : p, b, names, nnames);
    for (size_t i = 0; d && i < d->nitems; i++)
        if (d->items[i].kind == PSC_DELTA_CLEANUP &&
            d->items[i].step->status != PSC_STATUS_MANAGED) /* SAP's list: nothing to remove */
            printf("after cut-over: %s %s %s: %s (%s)\n", d->items[i].step->system->name,
                   d->items[i].step->id, d->items[i].step->target, d->items[i].task,
                   d->items[i].step->cert->subject);
    rc = psc_plan_has_errors(p) ? PSC_EFINDING : PSC_OK;
    goto out;
fail:
    rc = cli_report(&e);
out:
    psc_bundle_stage_abort(a.dir, &stage); /* the staged copy, unless psc_bundle_write took it */
    for (size_t i = 0; bufs && i < nnames; i++)
        psc_buf_free(&bufs[i], 0);
    free(bufs);
    free_names(names, nnames);
    psc_bundle_free(b);
    psc_delta_free(d);
    psc_plan_free(old);
    psc_plan_free(p);
    psc_secret_clear(&a.keystore_password);
    psc_secret_clear(&a.handoff_password);
    return rc;
}
