/* pseconv probe LANDSCAPE: each hop live, with the client's own trust and
 * identity from the landscape; failures in plan terms (src/plan/probe.c). */
#include "cmd.h"
#include "probe.h"
#include "planner.h"
#include "probe_render.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: pseconv probe [options] LANDSCAPE\n"
    "\n"
    "For every hop CLIENT -> SERVER of the landscape's flows whose server has a\n"
    "url (url = https://HOST[:PORT][/PATH] in its [system] section), makes the\n"
    "handshake the client will make, from this workstation:\n"
    "  1. the server's chain against the client's trust (its ssl_client_pse or\n"
    "     keystore, else the planned imports), and against the server_chain file\n"
    "     (a new root there is a root rotation);\n"
    "  2. the acceptable client CA names of the server's CertificateRequest against\n"
    "     the client's certificate chain;\n"
    "  3. with the client's private key (ssl_client_pse with pse_pin, keystore with\n"
    "     keystore_password, or client_cert as PEM with its key): the mutual\n"
    "     handshake and one HEAD (GET when HEAD is refused) to the URL's path.\n"
    "     TLS alerts, 401 and 403 fail; 2xx, 404, 405 mean authenticated.\n"
    "Per hop one line: 'ok', or 'fails: REASON -> step Rn (FILE)' naming the plan\n"
    "step and its file in the export bundle.  Nothing but the client certificate is\n"
    "sent; redirects to other hosts are not followed.\n"
    "\n"
    "options:\n"
    "  --hop CLIENT->SERVER  probe this hop only (e.g. --hop ERP->HCI)\n"
    "  --timeout S           per connection (default 10)\n"
    "  --proxy URL           connect through http://HOST:PORT (HTTP CONNECT);\n"
    "                        default: HTTPS_PROXY unless NO_PROXY names the host;\n"
    "                        --proxy '' connects directly\n"
    "  --json                JSON instead of text\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit: 0 every probed hop ok, 1 a hop fails, 2 usage or bad landscape, 3 a hop\n"
    "unreachable (and none fails), no url, or an unreadable file.\n";

int cmd_probe(int argc, char **argv)
{
    static const struct option opts[] = {{"hop", required_argument, NULL, 'H'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"proxy", required_argument, NULL, 'y'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    psc_probe_opts po = {0};
    po.timeout_ms = 10000;
    int c, json = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'H': po.hop = optarg; break;
        case 'T': {
            char *end = NULL;
            double s = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(s > 0) || s > 3600)
                return cli_usage("probe", "--timeout takes seconds (0.1 to 3600), not '%s'",
                                 optarg);
            po.timeout_ms = (int)(s * 1000 + 0.5);
            break;
        }
        case 'y': po.proxy = optarg; break;
        case 'j': json = 1; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("probe", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("probe", "no LANDSCAPE file given");
    if (argc - optind > 1)
        return cli_usage("probe", "one LANDSCAPE file at a time ('%s' is extra)",
                         argv[optind + 1]);
    signal(SIGPIPE, SIG_IGN); /* a server that hangs up must not kill us mid-write */

    psc_err e = {0};
    psc_plan *p = NULL;
    int rc = psc_plan_load_and_run(argv[optind], time(NULL), &p, &e);
    if (rc != PSC_OK)
        return cli_report(&e);
    for (size_t i = 0; i < p->landscape->nwarnings; i++)
        cli_warn("%s", p->landscape->warnings[i]);
    psc_probe *pr = NULL;
    rc = psc_probe_run(p, &po, &pr, &e);
    if (rc != PSC_OK) {
        psc_plan_free(p);
        return cli_report(&e);
    }
    psc_buf b;
    psc_buf_init(&b);
    rc = psc_probe_render(pr, json, &b, &e);
    if (rc == PSC_OK && (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0))
        rc = psc_fail(&e, PSC_EOUTPUT, "cannot write to standard output");
    if (rc != PSC_OK)
        cli_report(&e);
    else
        rc = psc_probe_exit_code(pr);
    psc_buf_free(&b, 0);
    psc_probe_free(pr);
    psc_plan_free(p);
    return rc;
}
