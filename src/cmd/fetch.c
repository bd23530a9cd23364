/* pseconv fetch HOST[:PORT] [-o FILE]: save the chain a TLS server presents
 * and say whether its root came with it (the library does the TLS work). */
#include "cmd.h"
#include "chain.h"
#include "tlsfetch.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: pseconv fetch [options] HOST[:PORT]\n"
    "\n"
    "Connects to HOST (port 443 unless given) with TLS, saves the certificate\n"
    "chain the server presents and prints its subjects and issuers, and whether\n"
    "the root was sent (servers usually leave it out; the summary says where to\n"
    "get it).  Nothing is verified: the point is to see what the server sends.\n"
    "This is how you get the worker node chain of SAP Cloud Integration:\n"
    "  pseconv fetch mytenant.it-cpi001-rt.cfapps.eu10.hana.ondemand.com -o worker-node.pem\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      save the chain; the format follows the extension\n"
    "                         (.pem .crt .cer: PEM, .p7b: PKCS#7, .jks, .p12, ...),\n"
    "                         PEM when the extension names no format; '-o -' writes\n"
    "                         PEM to standard output and the summary to stderr\n"
    "  --to FMT               output format instead of the extension's\n"
    "  --out-password SPEC    password for .jks/.p12 outputs\n"
    "  --servername NAME      TLS server name (SNI); default: HOST unless it is an\n"
    "                         IP address\n"
    "  --timeout S            give up after S seconds (name lookup, connect and\n"
    "                         handshake together; default 10)\n"
    "  --proxy URL            connect through the HTTP proxy http://HOST:PORT\n"
    "                         (CONNECT); default: HTTPS_PROXY unless NO_PROXY names\n"
    "                         HOST; --proxy '' connects directly\n"
    "  --force                overwrite FILE if it exists\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit codes: 0 saved, 2 usage, 3 cannot resolve, connect or complete the\n"
    "handshake (one line says which), 4 cannot write FILE.\n";

/* The summary: every certificate as sent, then the root verdict. */
static void print_summary(FILE *f, psc_store *st, const psc_fetch_result *r, const char *target,
                          const char *out)
{
    fprintf(f, "%s (%s)", target, r->address);
    if (r->protocol[0])
        fprintf(f, " %s %s", r->protocol, r->cipher);
    fprintf(f, ": the server sent %zu certificate%s\n", r->count, r->count == 1 ? "" : "s");
    if (r->handshake_failed)
        fprintf(f, "note: the handshake did not complete (%s), but the chain was received\n",
                r->note);
    for (size_t i = 0; i < r->count; i++) {
        const psc_cert *c = psc_store_entry(st, r->first_entry + i)->chain[0];
        char na[21];
        psc_time_rfc3339(c->not_after, na);
        fprintf(f, "  %zu subject: %s\n    issuer:  %s\n    sha256:  %s  not after %s\n", i,
                c->subject, c->issuer, c->sha256_hex, na);
    }
    if (r->count == 0)
        return;
    psc_chain ch;
    psc_chain_build(st, psc_store_entry(st, r->first_entry)->chain[0], time(NULL), &ch);
    const psc_cert *top = ch.certs[ch.len - 1];
    if (ch.complete) {
        fprintf(f, "root: sent (%s, sha256 %s); compare its fingerprint with the one the CA "
                   "publishes before anyone trusts it\n",
                top->subject, top->sha256_hex);
        return;
    }
    if (ch.len == PSC_CHAIN_MAX) {
        /* the chain walk stops at PSC_CHAIN_MAX: say so, not that the root is missing */
        fprintf(f, "root: not checked: the chain was cut at %d certificates (pseconv follows "
                   "no deeper); %zu were sent\n",
                PSC_CHAIN_MAX, r->count);
        return;
    }
    char url[512];
    fprintf(f, "root: NOT sent (usual: servers leave the root out). The chain ends at\n"
               "  %s, issued by\n  %s\n",
            top->subject, top->issuer);
    if (psc_cert_ca_issuers_url(top, url, sizeof url))
        fprintf(f, "get that issuer from %s (the certificate's own download link), or ", url);
    else
        fprintf(f, "get it ");
    fprintf(f, "from the CA's website (search its name), or export it from a browser or an OS "
               "trust store; compare its SHA-256 with the CA's published value, then add it: "
               "pseconv convert %s ROOT.crt -o FULLCHAIN.pem\n",
            out && strcmp(out, "-") != 0 ? out : "CHAIN.pem");
}

int cmd_fetch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},   {"to", required_argument, NULL, 't'},
        {"out-password", required_argument, NULL, 'P'},
        {"servername", required_argument, NULL, 's'}, {"timeout", required_argument, NULL, 'T'},
        {"force", no_argument, NULL, 'x'},          {"help", no_argument, NULL, 'h'},
        {"proxy", required_argument, NULL, 'y'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL;
    const psc_format *to = NULL;
    psc_fetch_opts fo = {0};
    fo.timeout_ms = 10000;
    psc_secret outpw = {0};
    int force = 0, c, rc = PSC_OK;
    psc_err e = {0};
    optind = 1;
    opterr = 0;
    while (rc == PSC_OK && (c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 't':
            if ((to = psc_format_by_name(optarg)) == NULL || to->write == NULL)
                rc = cli_usage("fetch", "cannot write format '%s'", optarg);
            break;
        case 'P':
            rc = cli_secret(&outpw, optarg, "--out-password", &e) ? cli_report(&e) : rc;
            break;
        case 's': fo.servername = optarg; break;
        case 'T': {
            char *end = NULL;
            double s = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(s > 0) || s > 3600)
                rc = cli_usage("fetch", "--timeout takes seconds (0.1 to 3600), not '%s'", optarg);
            else
                fo.timeout_ms = (int)(s * 1000 + 0.5);
            break;
        }
        case 'x': force = 1; break;
        case 'y': fo.proxy = optarg; break;
        case 'h': cli_help(help); psc_secret_clear(&outpw); return 0;
        default: rc = cli_usage("fetch", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc == PSC_OK && optind >= argc)
        rc = cli_usage("fetch", "no server given (HOST[:PORT])");
    if (rc == PSC_OK && argc - optind > 1)
        rc = cli_usage("fetch", "one server at a time ('%s' is extra)", argv[optind + 1]);
    if (rc == PSC_OK && out != NULL && to == NULL && (to = psc_format_by_extension(out)) == NULL)
        to = psc_format_by_name("pem");
    if (rc == PSC_OK && out != NULL && strcmp(out, "-") == 0 && !to->is_text)
        rc = cli_usage("fetch", "%s is binary; '-o -' takes text formats only", to->name);
    if (rc == PSC_OK && out != NULL && (to == NULL || to->write == NULL))
        rc = cli_usage("fetch", "cannot write format '%s'", to ? to->name : "pem");
    if (rc != PSC_OK) {
        psc_secret_clear(&outpw);
        return rc;
    }
    fo.target = argv[optind];
    signal(SIGPIPE, SIG_IGN); /* a server that hangs up must not kill us mid-write */

    psc_store *st = psc_store_new();
    if (st == NULL) {
        psc_secret_clear(&outpw);
        fputs("pseconv: out of memory\n", stderr);
        return PSC_EINPUT;
    }
    psc_fetch_result res;
    rc = psc_fetch_chain(st, &fo, &res, &e);
    if (rc != PSC_OK) {
        cli_report(&e);
    } else if (res.count == 0) {
        rc = psc_fail(&e, PSC_EINPUT, "%s: the server sent no certificate", fo.target);
        cli_report(&e);
    } else {
        FILE *sf = out != NULL && strcmp(out, "-") == 0 ? stderr : stdout;
        print_summary(sf, st, &res, fo.target, out);
        if (out != NULL) {
            psc_buf buf;
            psc_buf_init(&buf);
            psc_write_opts wo = {0};
            wo.path = out;
            wo.password = &outpw;
            wo.include_keys = 0;
            size_t warned = psc_store_warning_count(st);
            rc = to->write(st, &buf, &wo, &e);
            cli_print_warnings(st, warned);
            if (rc == PSC_OK)
                rc = psc_outfile_write(out, buf.data, buf.len, 0644, force, &e);
            if (rc != PSC_OK)
                cli_report(&e);
            else if (strcmp(out, "-") != 0)
                fprintf(sf, "saved %zu certificate%s to %s (%s)\n", res.count,
                        res.count == 1 ? "" : "s", out, to->name);
            psc_buf_free(&buf, 0);
        } else {
            fprintf(sf, "(nothing saved: add -o FILE to keep the chain)\n");
        }
    }
    psc_store_free(st);
    psc_secret_clear(&outpw);
    return rc;
}
