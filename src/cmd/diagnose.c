/* pseconv diagnose [LANDSCAPE] [--hop C->S | --flow NAME] [--json] (TEXT... | -):
 * from the error text an admin sees to the plan step that is missing. */
#include "cmd.h"
#include "diagnose.h"
#include "planner.h"
#include "diagnose_render.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_LOG (64u * 1024u * 1024u)

static const char help[] =
    "usage: pseconv diagnose [LANDSCAPE] [--hop CLIENT->SERVER | --flow NAME] [--json]\n"
    "                        (TEXT... | -)\n"
    "\n"
    "Recognises an error message as pasted (SM59 connection test, SOAMANAGER ping, dev_icm\n"
    "trace lines, C4C communication arrangement check, CPI message processing log, Java\n"
    "stack trace, HTTP status line; '-' reads a whole log from standard input), says which\n"
    "side reported it and what it means, and names the plan steps (R1..R20) that explain\n"
    "it, most likely first, with their export files.  With a LANDSCAPE, steps the current\n"
    "state (ssl_*_pse, keystore) already has are ruled out.\n"
    "\n"
    "options:\n"
    "  --hop C->S       only the hop from system C to system S (without a landscape:\n"
    "                   system types, e.g. c4c->cpi)\n"
    "  --flow NAME      only the hops of this flow of the landscape\n"
    "  --json           JSON (schema: man pseconv, DIAGNOSE)\n"
    "  -h, --help       this text\n"
    "\n"
    "The first argument is the LANDSCAPE when it names a file (or ends in .ini) and text\n"
    "follows.\n"
    "Exit: 0 a cause identified, 1 the message is known but nothing in the landscape\n"
    "explains it (the output says what to collect), 2 usage, 3 no known message in the\n"
    "text (the output lists the known ones) or an unreadable landscape file.\n";

static int is_landscape_arg(const char *a)
{
    struct stat st;
    size_t n = strlen(a);
    return stat(a, &st) == 0 ? S_ISREG(st.st_mode) : n > 4 && strcmp(a + n - 4, ".ini") == 0;
}

/* "A->B" or "A -> B" into two trimmed names (in place). */
static int split_hop(char *arg, const char **c, const char **s)
{
    char *arrow = strstr(arg, "->");
    if (arrow == NULL)
        return -1;
    *arrow = '\0';
    char *a = arg, *b = arrow + 2;
    while (*a == ' ')
        a++;
    while (*b == ' ')
        b++;
    for (char *t = a + strlen(a); t > a && t[-1] == ' ';)
        *--t = '\0';
    for (char *t = b + strlen(b); t > b && t[-1] == ' ';)
        *--t = '\0';
    if (!*a || !*b)
        return -1;
    *c = a;
    *s = b;
    return 0;
}

static int read_text(int argc, char **argv, int first, psc_buf *text, psc_err *e)
{
    if (argc - first == 1 && strcmp(argv[first], "-") == 0) {
        int rc = psc_buf_read_file(text, "-", MAX_LOG, e);
        if (rc != PSC_OK)
            return rc;
    } else {
        for (int i = first; i < argc; i++)
            if ((i > first && psc_buf_puts(text, " ")) || psc_buf_puts(text, argv[i]))
                return psc_fail(e, PSC_EINPUT, "out of memory");
    }
    for (size_t i = 0; i < text->len; i++) /* a log with NUL bytes is still one text */
        if (text->data[i] == '\0')
            text->data[i] = ' ';
    return psc_buf_cstr(text) ? psc_fail(e, PSC_EINPUT, "out of memory") : PSC_OK;
}

int cmd_diagnose(int argc, char **argv)
{
    static const struct option opts[] = {{"hop", required_argument, NULL, 'H'},
                                         {"flow", required_argument, NULL, 'F'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c, json = 0;
    psc_dg_filter f = {0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'H':
            if (split_hop(optarg, &f.hop_client, &f.hop_server) != 0)
                return cli_usage("diagnose", "--hop wants CLIENT->SERVER, e.g. --hop C4C->HCI");
            break;
        case 'F': f.flow = optarg; break;
        case 'j': json = 1; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("diagnose", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (f.flow && f.hop_client)
        return cli_usage("diagnose", "--hop and --flow exclude each other");
    int first = optind;
    const char *landscape = NULL;
    if (argc - first >= 2 && is_landscape_arg(argv[first]))
        landscape = argv[first++];
    else if (argc - first == 1 && is_landscape_arg(argv[first]))
        return cli_usage("diagnose", "no error TEXT after the LANDSCAPE %s", argv[first]);
    if (first >= argc)
        return cli_usage("diagnose", "no error TEXT given (paste it in quotes, or '-' to read "
                                     "a log from standard input)");

    psc_err e = {0};
    psc_buf text;
    psc_buf_init(&text);
    int rc = read_text(argc, argv, first, &text, &e);
    psc_plan *p = NULL;
    if (rc == PSC_OK && landscape) {
        rc = psc_plan_load_and_run(landscape, time(NULL), &p, &e);
        for (size_t i = 0; rc == PSC_OK && i < p->landscape->nwarnings; i++)
            cli_warn("%s", p->landscape->warnings[i]);
    }
    psc_dg_result *r = NULL;
    if (rc == PSC_OK)
        rc = psc_diagnose((const char *)text.data, p, &f, &r, &e);
    psc_buf out;
    psc_buf_init(&out);
    if (rc == PSC_OK)
        rc = json ? psc_dg_render_json(r, &out, &e) : psc_dg_render_text(r, &out, &e);
    if (rc == PSC_OK) {
        fwrite(out.data, 1, out.len, stdout);
        if (fflush(stdout) != 0)
            rc = psc_fail(&e, PSC_EOUTPUT, "cannot write to standard output");
    }
    if (rc != PSC_OK) {
        cli_report(&e);
    } else {
        rc = psc_dg_exit_code(r);
        if (r->verdict == PSC_DG_UNKNOWN)
            fputs("pseconv: no known error message in the text; the known ones are listed "
                  "above\n",
                  stderr);
    }
    psc_buf_free(&out, 0);
    psc_buf_free(&text, 0);
    psc_dg_result_free(r);
    psc_plan_free(p);
    return rc;
}
