/* pseconv inspect FILE...: what the files hold, as text or --json. */
#include "cmd.h"
#include "chain.h"
#include "describe.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: pseconv inspect [options] FILE...   (alias: show)\n"
    "\n"
    "Lists every entry of each file: alias, type (certificate, key-pair, trusted,\n"
    "own, secret-key) and for each certificate subject, issuer, validity and days\n"
    "left, key, signature, SHA-256, role (root/intermediate/leaf), self-signed.\n"
    "The format is detected from the content; '-' reads standard input.\n"
    "\n"
    "options:\n"
    "  --json                 machine-readable output (see man pseconv)\n"
    "  --from FMT             force the reader: pem der p7b p12 jks jceks pse pselist\n"
    "  --password SPEC        keystore / PKCS#12 password or PSE PIN\n"
    "  --key-password SPEC    JKS/JCEKS key entry password (default: --password)\n"
    "  --no-decrypt           PKCS#12: list a key paired by localKeyId without\n"
    "                         decrypting it, as keytool -list (no key derivation:\n"
    "                         faster; a key with a password of its own goes unnoticed)\n"
    "  -h, --help             this text\n"
    "\n"
    "SPEC: pass:TEXT, env:VAR, file:PATH, fd:N, stdin or prompt.\n";

/* One "      label:       value" line from the strings up to NULL; fputs, not
 * printf: a 10,000-certificate store prints 100,000 lines, and printf's
 * format parsing was a tenth of inspect's time. */
static void field(const char *label, ...)
{
    va_list ap;
    va_start(ap, label);
    fputs("      ", stdout);
    fputs(label, stdout);
    for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *))
        fputs(s, stdout);
    va_end(ap);
    fputc('\n', stdout);
}

/* v in decimal, in buf; returns the first digit. */
static const char *decimal(long v, char buf[24])
{
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    char *p = buf + 23;
    *p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    return p;
}

static void print_cert(psc_store *st, const psc_cert *c, size_t i, size_t n, time_t now)
{
    char nb[21], na[21], key[48], num[24];
    psc_time_rfc3339(c->not_before, nb);
    psc_time_rfc3339(c->not_after, na);
    psc_cert_key_desc(c, key, sizeof key);
    long days = psc_days_left(c->not_after, now);
    if (n > 1)
        printf("    certificate %zu of %zu\n", i + 1, n);
    /* names come from the file: escaped, so they cannot drive the terminal */
    fputs("      subject:     ", stdout);
    psc_fputs_escaped(stdout, c->subject);
    fputs("\n      issuer:      ", stdout);
    psc_fputs_escaped(stdout, c->issuer);
    fputc('\n', stdout);
    field("serial:      ", c->serial_hex, NULL);
    if (c->not_before_invalid || c->not_after_invalid)
        field("valid:       ", c->not_before_invalid ? "invalid time" : nb, " .. ",
              c->not_after_invalid ? "invalid time" : na, NULL);
    else if (now < c->not_before)
        field("valid:       ", nb, " .. ", na, " (NOT YET VALID)", NULL);
    else if (days < 0)
        field("valid:       ", nb, " .. ", na, " (EXPIRED ", decimal(-days, num), " days ago)", NULL);
    else
        field("valid:       ", nb, " .. ", na, " (", decimal(days, num), " days left)", NULL);
    field("key:         ", key, NULL);
    field("signature:   ", c->sig_alg, NULL);
    field("sha256:      ", c->sha256_hex, NULL);
    field("role:        ", psc_role_name(psc_cert_role(st, c)), c->self_signed ? ", self-signed" : "",
          c->is_ca ? ", CA" : "", NULL);
}

/* A PSE (or its pselist picture) without an own certificate is a trust
 * list, like the root lists SAP publishes for import (issue 23). */
static int is_trust_list(psc_store *st, const char *name, const psc_format *f)
{
    if (strcmp(f->name, "pse") != 0 && strcmp(f->name, "pselist") != 0)
        return 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->type == PSC_ENTRY_OWN && en->origin.file && strcmp(en->origin.file, name) == 0)
            return 0;
    }
    return 1;
}

/* The store's warnings about file `name` (they start with "name: "), e.g.
 * what a reader skipped: shown with the file so that the listing itself
 * says what it does not show.  Returns the text after the prefix, or NULL. */
static const char *file_warning(psc_store *st, size_t i, const char *name)
{
    const char *w = psc_store_warning(st, i);
    size_t n = strlen(name);
    return w && strncmp(w, name, n) == 0 && w[n] == ':' && w[n + 1] == ' ' ? w + n + 2 : NULL;
}

static void print_text(psc_store *st, char **files, int nfiles, const psc_format **fmts, time_t now)
{
    for (int f = 0; f < nfiles; f++) {
        if (fmts[f] == NULL)
            continue;
        const char *name = strcmp(files[f], "-") == 0 ? "<stdin>" : files[f];
        size_t count = 0;
        for (size_t i = 0; i < psc_store_entry_count(st); i++) {
            psc_entry *en = psc_store_entry(st, i);
            count += en->origin.file && strcmp(en->origin.file, name) == 0;
        }
        printf("%s: %s, %zu entr%s%s\n", name, fmts[f]->name, count, count == 1 ? "y" : "ies",
               is_trust_list(st, name, fmts[f]) ? " (trust list, no own certificate)" : "");
        for (size_t i = 0; i < psc_store_warning_count(st); i++) {
            const char *w = file_warning(st, i, name);
            if (w)
                printf("  warning: %s\n", w);
        }
        size_t k = 0;
        for (size_t i = 0; i < psc_store_entry_count(st); i++) {
            psc_entry *en = psc_store_entry(st, i);
            if (!en->origin.file || strcmp(en->origin.file, name) != 0)
                continue;
            char num[24];
            fputs("  [", stdout);
            fputs(decimal((long)++k, num), stdout);
            fputs("] ", stdout);
            psc_fputs_escaped(stdout, en->alias ? en->alias : "");
            fputs(" (", stdout);
            fputs(psc_entry_type_name(en->type), stdout);
            fputs(en->type == PSC_ENTRY_OWN ? (en->key ? ", private key" : ", no private key")
                  : en->chain_len == 0 && en->key ? ", no certificate"
                                                  : "",
                  stdout);
            fputs(")\n", stdout);
            if (en->chain_len == 0 && en->key) { /* a key alone: what the key is */
                char kd[48];
                psc_pkey_desc(en->key, kd, sizeof kd);
                printf("      key:         %s\n", kd);
            }
            if (en->secret_alg)
                printf("      algorithm:   %s\n", en->secret_alg);
            if (en->note) {
                fputs("      note:        ", stdout);
                psc_fputs_escaped(stdout, en->note);
                fputc('\n', stdout);
            }
            for (size_t c = 0; c < en->chain_len; c++)
                print_cert(st, en->chain[c], c, en->chain_len, now);
        }
    }
}

static void print_json(psc_store *st, char **files, int nfiles, const psc_format **fmts, time_t now)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "files");
    for (int f = 0; f < nfiles; f++) {
        if (fmts[f] == NULL)
            continue;
        const char *name = strcmp(files[f], "-") == 0 ? "<stdin>" : files[f];
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "path", name);
        cJSON_AddStringToObject(fo, "format", fmts[f]->name);
        cJSON_AddBoolToObject(fo, "trust_list", is_trust_list(st, name, fmts[f]));
        cJSON *warns = cJSON_AddArrayToObject(fo, "warnings");
        for (size_t i = 0; i < psc_store_warning_count(st); i++) {
            const char *w = file_warning(st, i, name);
            if (w)
                cJSON_AddItemToArray(warns, cJSON_CreateString(w));
        }
        cJSON *ents = cJSON_AddArrayToObject(fo, "entries");
        for (size_t i = 0; i < psc_store_entry_count(st); i++) {
            psc_entry *en = psc_store_entry(st, i);
            if (en->origin.file && strcmp(en->origin.file, name) == 0)
                cJSON_AddItemToArray(ents, psc_entry_json(st, en, now));
        }
        cJSON_AddItemToArray(arr, fo);
    }
    char *s = psc_json_print(root, 0); /* always valid UTF-8 */
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(root);
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},       {"from", required_argument, NULL, 'f'},
        {"password", required_argument, NULL, 'p'}, {"key-password", required_argument, NULL, 'k'},
        {"no-decrypt", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    int json = 0, c, rc = PSC_OK;
    const psc_format *forced = NULL;
    cli_passwords pw = {0};
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'N': pw.keys_listed_only = 1; break; /* as keytool -list */
        case 'h': cli_help(help); cli_passwords_clear(&pw); return 0;
        default:
            if (!cli_input_option("inspect", c, optarg, &pw, &forced, &rc))
                rc = cli_usage("inspect", "unknown option '%s'", argv[optind - 1]);
        }
        if (rc != PSC_OK) {
            cli_passwords_clear(&pw);
            return rc;
        }
    }
    if (optind >= argc) {
        cli_passwords_clear(&pw);
        return cli_usage("inspect", "no FILE given");
    }
    int nfiles = argc - optind;
    psc_store *st = psc_store_new();
    const psc_format **fmts = calloc((size_t)nfiles, sizeof *fmts);
    if (st == NULL || fmts == NULL) {
        fputs("pseconv: out of memory\n", stderr);
        rc = PSC_EINPUT;
    } else {
        rc = cli_read_inputs(st, argv + optind, nfiles, forced, &pw, 1, fmts);
        time_t now = time(NULL);
        if (json)
            print_json(st, argv + optind, nfiles, fmts, now);
        else
            print_text(st, argv + optind, nfiles, fmts, now);
    }
    cli_passwords_clear(&pw);
    free(fmts);
    psc_store_free(st);
    return rc;
}
