/* pseconv diff OLD NEW (also: pseconv plan NEW --since OLD): the steps a
 * replaced certificate file changes (src/plan/delta.c compares the two
 * plans; this file parses options and prints). */
#include "cmd.h"
#include "delta.h"
#include "planner.h"
#include "render.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: pseconv diff [options] OLD.ini NEW.ini\n"
    "       pseconv plan [options] NEW.ini --since OLD.ini\n"
    "\n"
    "Plans both landscapes and prints what changes when certificate files are\n"
    "replaced (renewal, root rotation): the new steps (before the cut-over), the\n"
    "steps that stay, and the clean-up once the switch is done (\"after cut-over\":\n"
    "remove the old root from STRUST, delete the old service key, deactivate the\n"
    "old VUSREXTID line).  Steps are compared by system, rule, target and\n"
    "certificate SHA-256; a user mapping (R10) by the certificate's DN, so a\n"
    "renewed certificate with the same DN keeps its VUSREXTID line.\n"
    "\n"
    "options:\n"
    "  --format FMT     text (default), markdown, json\n"
    "  -o FILE          write to FILE instead of standard output\n"
    "  --force          overwrite FILE\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit: 0 delta without errors, 1 the NEW plan has an error-level finding,\n"
    "2 bad landscape file, 3 unreadable certificate file, 4 cannot write FILE.\n";

int cli_plan_delta(const char *old_file, const char *new_file, int format, const char *out,
                   int force)
{
    if (format == PSC_PLAN_DOT)
        return cli_usage("plan", "--since: --format dot has no delta; use text, markdown or json");
    psc_err e = {0};
    psc_plan *op = NULL, *np = NULL;
    psc_delta *d = NULL;
    time_t now = time(NULL);
    int rc = psc_plan_load_and_run(old_file, now, &op, &e);
    if (rc == PSC_OK)
        rc = psc_plan_load_and_run(new_file, now, &np, &e);
    if (rc != PSC_OK) {
        psc_plan_free(op);
        return cli_report(&e);
    }
    for (size_t i = 0; i < np->landscape->nwarnings; i++)
        cli_warn("%s", np->landscape->warnings[i]);
    psc_buf b;
    psc_buf_init(&b);
    rc = psc_delta_compute(op, np, &d, &e);
    if (rc == PSC_OK)
        rc = psc_delta_render(d, (psc_plan_format)format, &b, &e);
    if (rc == PSC_OK)
        rc = psc_outfile_write(out, b.data, b.len, 0644, force, &e);
    if (rc != PSC_OK)
        cli_report(&e);
    else if (psc_plan_has_errors(np))
        rc = PSC_EFINDING;
    psc_buf_free(&b, 0);
    psc_delta_free(d);
    psc_plan_free(np);
    psc_plan_free(op);
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, format = PSC_PLAN_TEXT, force = 0;
    const char *out = "-";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((format = psc_plan_format_by_name(optarg)) < 0 || format == PSC_PLAN_DOT)
                return cli_usage("diff", "unknown --format '%s'; accepted: text, markdown, json",
                                 optarg);
            break;
        case 'o': out = optarg; break;
        case 'F': force = 1; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("diff", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage("diff", "give two landscapes: OLD.ini NEW.ini");
    return cli_plan_delta(argv[optind], argv[optind + 1], format, out, force);
}
