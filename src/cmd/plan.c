/* pseconv plan LANDSCAPE: the import checklist (text, markdown, json, dot). */
#include "cmd.h"
#include "planner.h"
#include "render.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: pseconv plan [options] LANDSCAPE\n"
    "\n"
    "Reads the landscape file (pseconv init writes a commented template) and every\n"
    "certificate file it names, applies the trust rules of the C4C / Cloud\n"
    "Integration / ERP scenario to every hop of every flow, and prints what each\n"
    "system needs: a checklist by system with the target in the system's own words\n"
    "(STRUST, iFlow, keystore, communication arrangement), the certificate's subject\n"
    "and SHA-256, why (hop) and where to read about it (ref).  Steps already in the\n"
    "current state (ssl_*_pse, keystore) are marked as in place [x], SAP-kept ones\n"
    "[~], and steps waiting for a replacement blocked [!].\n"
    "\n"
    "options:\n"
    "  --format FMT     text (default), markdown (with a Mermaid diagram), json, dot\n"
    "  -o FILE          write to FILE instead of standard output\n"
    "  --force          overwrite FILE\n"
    "  --since OLD      print only what changed against the plan of landscape OLD:\n"
    "                   new steps, steps that stay, clean-up after cut-over (as\n"
    "                   pseconv diff OLD LANDSCAPE; text, markdown or json)\n"
    "  -h, --help       this text\n"
    "\n"
    "Client certificates presented to SAP Cloud Integration are checked against\n"
    "[landscape] sap_trusted_cas, else the public roots in $PSECONV_PUBLIC_ROOTS\n"
    "(default /etc/ssl/certs/ca-certificates.crt).\n"
    "\n"
    "The plan is written as it is rendered: -o FILE replaces FILE only when complete;\n"
    "on standard output a failure halfway can leave part of it (exit 4).\n"
    "\n"
    "Exit: 0 plan without errors, 1 an error-level finding (the flow cannot work as\n"
    "planned), 2 bad landscape file, 3 unreadable certificate file, 4 output not\n"
    "written.\n";

typedef struct plan_render_ctx {
    const psc_plan *p;
    int format;
} plan_render_ctx;

static int render_plan(const void *ctx, psc_buf *b, psc_err *e)
{
    const plan_render_ctx *c = ctx;
    return psc_plan_render(c->p, (psc_plan_format)c->format, b, e);
}

int cmd_plan(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'F'},
                                         {"since", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, format = PSC_PLAN_TEXT, force = 0;
    const char *out = "-", *since = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((format = psc_plan_format_by_name(optarg)) < 0)
                return cli_usage("plan", "unknown --format '%s'; accepted: text, markdown, json, dot",
                                 optarg);
            break;
        case 'o': out = optarg; break;
        case 'F': force = 1; break;
        case 's': since = optarg; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("plan", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("plan", "no LANDSCAPE file given (pseconv init -o landscape.ini writes one)");
    if (argc - optind > 1)
        return cli_usage("plan", "one LANDSCAPE file at a time ('%s' is extra)", argv[optind + 1]);
    if (since)
        return cli_plan_delta(since, argv[optind], format, out, force);

    psc_err e = {0};
    psc_plan *p = NULL;
    int rc = psc_plan_load_and_run(argv[optind], time(NULL), &p, &e);
    if (rc != PSC_OK)
        return cli_report(&e);
    for (size_t i = 0; i < p->landscape->nwarnings; i++)
        cli_warn("%s", p->landscape->warnings[i]);
    /* Written as it is rendered: a plan of 2,000 systems is 9.8 MB of JSON,
     * which held whole in a buffer was a third of the run's memory. */
    plan_render_ctx rc_ctx = {p, format};
    rc = cli_write_streamed(out, force, "plan", render_plan, &rc_ctx, &e);
    if (rc != PSC_OK)
        cli_report(&e);
    else if (psc_plan_has_errors(p))
        rc = PSC_EFINDING;
    psc_plan_free(p);
    return rc;
}
