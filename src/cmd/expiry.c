/* pseconv expiry LANDSCAPE: what expires when and what each renewal forces
 * (src/plan/expiry.c builds it; this file parses options and prints). */
#include "cmd.h"
#include "expiry.h"
#include "planner.h"
#include "expiry_render.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: pseconv expiry [options] LANDSCAPE\n"
    "\n"
    "Lists every certificate the landscape names or holds (own certificates,\n"
    "chains, PSE and keystore contents) by expiry date: subject, SHA-256, the\n"
    "system it belongs to, days left, the renewal date (expiry - lead), and what\n"
    "its renewal forces in plan terms: the steps (system, rule, target) to do\n"
    "again with the renewed certificate, the issuer imports that change only if\n"
    "the issuer changes, and the clean-up after cut-over.  Roots that expire within\n"
    "warn_days, or that the landscape's sap_trusted_cas list no longer holds, get a\n"
    "finding naming the successor root of the same family from that list.\n"
    "\n"
    "options:\n"
    "  --within DAYS    exit 1 when a certificate expires within DAYS days\n"
    "                   (default: the landscape's warn_days, 60)\n"
    "  --lead DAYS      renewal date = expiry - DAYS (default 30)\n"
    "  --format FMT     text (default), csv (one row per forced step, CRLF),\n"
    "                   ics (RFC 5545 calendar: events at the renewal date and at\n"
    "                   expiry), json\n"
    "  -o FILE          write to FILE instead of standard output\n"
    "  --force          overwrite FILE\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit: 0 nothing expires within --within days, 1 something does (or already\n"
    "has), 2 bad option or landscape file, 3 unreadable certificate file, 4 cannot\n"
    "write FILE.\n";

static int days_arg(const char *opt, const char *v, long *out)
{
    char *end;
    long d = strtol(v, &end, 10);
    if (*v == '\0' || *end || d < 0 || d > 36500)
        return cli_usage("expiry", "%s takes a number of days (0..36500), got '%s'", opt, v);
    *out = d;
    return PSC_OK;
}

typedef struct expiry_render_ctx {
    const psc_expiry *x;
    int format;
} expiry_render_ctx;

static int render_expiry(const void *ctx, psc_buf *b, psc_err *e)
{
    const expiry_render_ctx *c = ctx;
    return psc_expiry_render(c->x, (psc_expiry_format)c->format, b, e);
}

int cmd_expiry(int argc, char **argv)
{
    static const struct option opts[] = {{"within", required_argument, NULL, 'w'},
                                         {"lead", required_argument, NULL, 'l'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, format = PSC_EXPIRY_TEXT, force = 0, rc;
    long within = -1, lead = 30;
    const char *out = "-";
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'w':
            if ((rc = days_arg("--within", optarg, &within)) != PSC_OK)
                return rc;
            break;
        case 'l':
            if ((rc = days_arg("--lead", optarg, &lead)) != PSC_OK)
                return rc;
            break;
        case 'f':
            if ((format = psc_expiry_format_by_name(optarg)) < 0)
                return cli_usage("expiry", "unknown --format '%s'; accepted: text, csv, ics, json",
                                 optarg);
            break;
        case 'o': out = optarg; break;
        case 'F': force = 1; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("expiry", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("expiry", "no LANDSCAPE file given");
    if (argc - optind > 1)
        return cli_usage("expiry", "one LANDSCAPE file at a time ('%s' is extra)",
                         argv[optind + 1]);

    psc_err e = {0};
    psc_plan *p = NULL;
    psc_expiry *x = NULL;
    if ((rc = psc_plan_load_and_run(argv[optind], time(NULL), &p, &e)) != PSC_OK)
        return cli_report(&e);
    for (size_t i = 0; i < p->landscape->nwarnings; i++)
        cli_warn("%s", p->landscape->warnings[i]);
    rc = psc_expiry_build(p, lead, within, &x, &e);
    /* written as it is rendered (2,000 systems: 5.7 MB of JSON) */
    expiry_render_ctx ctx = {x, format};
    if (rc == PSC_OK)
        rc = cli_write_streamed(out, force, "calendar", render_expiry, &ctx, &e);
    if (rc != PSC_OK)
        cli_report(&e);
    else if (psc_expiry_due(x) > 0)
        rc = PSC_EFINDING;
    psc_expiry_free(x);
    psc_plan_free(p);
    return rc;
}
