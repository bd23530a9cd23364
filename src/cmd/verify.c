/* pseconv verify FILE...: build each leaf's chain from all given files and
 * run the certificate checks `plan` uses (lint.c): expiry, chain, weak key or
 * signature, EKU.  Exit 1 when any finding is an error. */
#include "cmd.h"
#include "describe.h"
#include "chain.h"
#include "lint.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: pseconv verify [options] FILE...\n"
    "\n"
    "Reads every file (any format), builds the chain of each end certificate from\n"
    "all certificates given (so pass the chain files too) and checks: expired,\n"
    "expires-soon, not-yet-valid, chain-incomplete (no self-signed root reached),\n"
    "weak-key (RSA < 2048, EC < 256), weak-signature (MD5, SHA-1), missing-eku,\n"
    "invalid-validity (a date OpenSSL cannot read), invalid-key (e.g. an EC point\n"
    "off its curve).\n"
    "\n"
    "options:\n"
    "  --json               machine-readable output\n"
    "  --purpose P          client, server or any TLS use (default tls): the EKU to expect\n"
    "  --warn-days N        expires-soon threshold in days (default 30)\n"
    "  --from FMT           force the reader: pem der p7b p12 jks jceks pse pselist\n"
    "  --password SPEC      keystore / PKCS#12 password or PSE PIN\n"
    "  --key-password SPEC  JKS/JCEKS key entry password (default: --password)\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit: 0 no errors (warnings may be printed), 1 an error (expired, not yet valid,\n"
    "invalid validity or key, or missing EKU with --purpose), 3 unreadable input.\n";

/* Per certificate (by store position): the file of the first entry whose
 * chain holds it, "" if none.  One pass over the entries instead of a scan
 * of all of them per line printed (55% of verify at 100,000).  NULL when
 * out of memory. */
static const char **files_by_cert(const psc_store *st)
{
    size_t n = psc_store_cert_count(st);
    const char **f = calloc(n ? n : 1, sizeof *f);
    if (f == NULL)
        return NULL;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        for (size_t k = 0; k < en->chain_len; k++)
            if (f[en->chain[k]->index] == NULL)
                f[en->chain[k]->index] = en->origin.file ? en->origin.file : "";
    }
    return f;
}

static const char *file_of(const char **files, const psc_cert *c)
{
    return files[c->index] ? files[c->index] : "";
}

static const char *cn_of(const psc_cert *c)
{
    const char *cn = strstr(c->subject, "CN=");
    return cn ? cn : c->subject;
}

/* One chain and its findings as JSON (--json). */
static cJSON *chain_json(const char *file, const psc_cert *leaf, const psc_chain *ch,
                         const psc_lint_list *l)
{
    cJSON *co = cJSON_CreateObject();
    cJSON_AddStringToObject(co, "file", file);
    cJSON_AddStringToObject(co, "subject", leaf->subject);
    cJSON_AddStringToObject(co, "sha256", leaf->sha256_hex);
    cJSON_AddBoolToObject(co, "chain_complete", ch->complete);
    cJSON *cj = cJSON_AddArrayToObject(co, "chain");
    for (size_t k = 0; k < ch->len; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "subject", ch->certs[k]->subject);
        cJSON_AddStringToObject(x, "sha256", ch->certs[k]->sha256_hex);
        cJSON_AddItemToArray(cj, x);
    }
    cJSON *fj = cJSON_AddArrayToObject(co, "findings");
    for (size_t k = 0; k < l->n; k++) {
        const psc_lint *it = &l->items[k];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "severity", psc_severity_name(it->severity));
        cJSON_AddStringToObject(x, "code", it->code);
        cJSON_AddStringToObject(x, "message", it->message);
        cJSON_AddStringToObject(x, "sha256", it->cert->sha256_hex);
        if (it->remedy)
            cJSON_AddStringToObject(x, "remedy", it->remedy);
        cJSON_AddItemToArray(fj, x);
    }
    return co;
}

/* One chain and its findings as text. */
static void print_chain(const char *file, const psc_cert *leaf, const psc_chain *ch,
                        const psc_lint_list *l)
{
    printf("%s: %s\n  chain: ", file, leaf->subject);
    for (size_t k = 0; k < ch->len; k++)
        printf("%s%s", k ? " <- " : "", cn_of(ch->certs[k]));
    printf(" (%s)\n", ch->complete ? "complete" : "incomplete");
    for (size_t k = 0; k < l->n; k++) {
        const psc_lint *it = &l->items[k];
        printf("  %-7s %s: %s\n          remedy: %s\n", psc_severity_name(it->severity), it->code,
               it->message, it->remedy ? it->remedy : "-");
    }
    if (l->n == 0)
        printf("  ok\n");
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},          {"purpose", required_argument, NULL, 'u'},
        {"warn-days", required_argument, NULL, 'w'}, {"from", required_argument, NULL, 'f'},
        {"password", required_argument, NULL, 'p'}, {"key-password", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    int json = 0, c, rc = PSC_OK;
    psc_lint_opts lo = {0};
    lo.usage = PSC_USE_TLS;
    lo.warn_days = 30;
    const psc_format *forced = NULL;
    cli_passwords pw = {0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'j': json = 1; break;
        case 'u':
            if (strcmp(optarg, "client") == 0)
                lo.usage = PSC_USE_CLIENT;
            else if (strcmp(optarg, "server") == 0)
                lo.usage = PSC_USE_SERVER;
            else if (strcmp(optarg, "tls") == 0 || strcmp(optarg, "any") == 0)
                lo.usage = PSC_USE_TLS;
            else
                rc = cli_usage("verify", "unknown --purpose '%s'; accepted: client, server, tls", optarg);
            lo.eku_error = lo.usage != PSC_USE_TLS;
            break;
        case 'w':
            lo.warn_days = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || lo.warn_days < 0)
                rc = cli_usage("verify", "--warn-days takes a number of days, got '%s'", optarg);
            break;
        case 'h': cli_help(help); cli_passwords_clear(&pw); return 0;
        default:
            if (!cli_input_option("verify", c, optarg, &pw, &forced, &rc))
                rc = cli_usage("verify", "unknown option '%s'", argv[optind - 1]);
        }
        if (rc != PSC_OK) {
            cli_passwords_clear(&pw);
            return rc;
        }
    }
    if (optind >= argc) {
        cli_passwords_clear(&pw);
        return cli_usage("verify", "no FILE given");
    }
    psc_store *st = psc_store_new();
    if (st == NULL) {
        cli_passwords_clear(&pw);
        fputs("pseconv: out of memory\n", stderr);
        return PSC_EINPUT;
    }
    rc = cli_read_inputs(st, argv + optind, argc - optind, forced, &pw, 1, NULL);
    cli_passwords_clear(&pw);
    lo.now = time(NULL);

    const char **files = files_by_cert(st);
    if (files == NULL) {
        psc_store_free(st);
        fputs("pseconv: out of memory\n", stderr);
        return PSC_EINPUT;
    }
    /* the JSON tree only for --json: for 10,000 chains it was a third of
     * verify's memory */
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    cJSON *arr = json ? cJSON_AddArrayToObject(root, "certificates") : NULL;
    size_t checked = 0, errors = 0, warnings = 0;
    for (size_t i = 0; i < psc_store_cert_count(st); i++) {
        psc_cert *leaf = psc_store_cert(st, i);
        if (psc_cert_issues_any(st, leaf))
            continue; /* checked as part of the chains it issues */
        psc_chain ch;
        psc_chain_build(st, leaf, lo.now, &ch);
        psc_lint_opts o = lo;
        if (leaf->is_ca)
            o.usage = PSC_USE_ANY;
        psc_lint_list l = {0};
        psc_lint_chain(&l, &ch, NULL, &o);
        checked++;
        for (size_t k = 0; k < l.n; k++) {
            if (l.items[k].severity == PSC_SEV_ERROR)
                errors++;
            else
                warnings++;
        }
        if (json)
            cJSON_AddItemToArray(arr, chain_json(file_of(files, leaf), leaf, &ch, &l));
        else
            print_chain(file_of(files, leaf), leaf, &ch, &l);
        psc_lint_list_free(&l);
    }
    if (json) {
        cJSON *sum = cJSON_AddObjectToObject(root, "summary");
        cJSON_AddNumberToObject(sum, "checked", (double)checked);
        cJSON_AddNumberToObject(sum, "errors", (double)errors);
        cJSON_AddNumberToObject(sum, "warnings", (double)warnings);
        char *s = psc_json_print(root, 1) /* valid UTF-8 whatever the input */;
        if (s)
            puts(s);
        free(s);
    } else {
        printf("Summary: %zu certificate chain%s checked, %zu error%s, %zu warning%s\n", checked,
               checked == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s");
    }
    cJSON_Delete(root);
    free(files);
    psc_store_free(st);
    if (rc != PSC_OK)
        return rc;
    return errors ? PSC_EFINDING : PSC_OK;
}
