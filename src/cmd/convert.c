/* pseconv convert IN... -o OUT: merge the inputs into one store and write it. */
#include "cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: pseconv convert [options] IN... -o OUT\n"
    "\n"
    "Reads every input (format detected from content), merges them into one store\n"
    "(certificates deduplicated, keys paired with their certificates by public key)\n"
    "and writes it in the format of --to, or of OUT's extension:\n"
    "  .pem .crt .cer .key .txt -> pem    .der -> der    .p7b .p7c -> p7b\n"
    "  .p12 .pfx -> p12   .jks .keystore .ks -> jks   .jceks -> jceks   .pselist -> pselist\n"
    "'-' as IN reads standard input; '-o -' writes text formats to standard output.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT       output file (required)\n"
    "  --to FMT               output format: pem der p7b p12 jks jceks pselist\n"
    "  --from FMT             force the reader for every input\n"
    "  --password SPEC        input keystore / PKCS#12 password or PSE PIN\n"
    "  --key-password SPEC    input JKS/JCEKS key password (default: --password)\n"
    "  --out-password SPEC    output password (default: --password); PEM keys are\n"
    "                         written as encrypted PKCS#8 when it is given\n"
    "  --legacy               PKCS#12: 3DES + SHA-1 MAC (sapgenpse import_p12, old SAP)\n"
    "  --pem                  P7B: PEM-armoured instead of DER\n"
    "  --for cpi              warn about SAP Cloud Integration limits (reserved aliases,\n"
    "                         password policy, 30,720-byte key pair files)\n"
    "  --no-keys              leave private keys out (certificates only)\n"
    "  --force                overwrite OUT if it exists\n"
    "  -h, --help             this text\n"
    "\n"
    "An output that holds a private key is created with mode 0600.\n";

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"to", required_argument, NULL, 't'},
        {"from", required_argument, NULL, 'f'},    {"password", required_argument, NULL, 'p'},
        {"key-password", required_argument, NULL, 'k'},
        {"out-password", required_argument, NULL, 'P'},
        {"legacy", no_argument, NULL, 'L'},        {"pem", no_argument, NULL, 'M'},
        {"for", required_argument, NULL, 'F'},     {"no-keys", no_argument, NULL, 'N'},
        {"force", no_argument, NULL, 'x'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL;
    const psc_format *to = NULL, *from = NULL;
    psc_write_opts wo = {0};
    wo.include_keys = 1;
    int force = 0, c, rc = PSC_OK;
    cli_passwords pw = {0};
    psc_err e = {0};
    optind = 1;
    opterr = 0;
    while (rc == PSC_OK && (c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 't':
            if ((to = psc_format_by_name(optarg)) == NULL || to->write == NULL)
                rc = cli_usage("convert", "cannot write format '%s'", optarg);
            break;
        case 'L': wo.legacy = 1; break;
        case 'M': wo.pem = 1; break;
        case 'F':
            if (strcmp(optarg, "cpi") != 0)
                rc = cli_usage("convert", "--for takes 'cpi'");
            wo.for_cpi = 1;
            break;
        case 'N': wo.include_keys = 0; break;
        case 'x': force = 1; break;
        case 'h': cli_help(help); cli_passwords_clear(&pw); return 0;
        default:
            if (!cli_input_option("convert", c, optarg, &pw, &from, &rc))
                rc = cli_usage("convert", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (rc == PSC_OK && out == NULL)
        rc = cli_usage("convert", "no output given (-o OUT)");
    if (rc == PSC_OK && optind >= argc)
        rc = cli_usage("convert", "no input given");
    if (rc == PSC_OK && to == NULL && strcmp(out, "-") == 0)
        to = psc_format_by_name("pem"); /* standard output without --to: PEM, like openssl */
    if (rc == PSC_OK && to == NULL && (to = psc_format_by_extension(out)) == NULL)
        rc = cli_usage("convert", "cannot tell the output format from '%s'; add --to FMT", out);
    if (rc == PSC_OK && strcmp(out, "-") == 0 && !to->is_text &&
        !(wo.pem && strcmp(to->name, "p7b") == 0))
        rc = cli_usage("convert", "%s is binary; '-o -' takes text formats only (pem, pselist, "
                                  "p7b --pem)", to->name);
    if (rc != PSC_OK) {
        cli_passwords_clear(&pw);
        return rc;
    }

    psc_store *st = psc_store_new();
    psc_buf buf;
    psc_buf_init(&buf);
    if (st == NULL) {
        cli_passwords_clear(&pw);
        fputs("pseconv: out of memory\n", stderr);
        return PSC_EINPUT;
    }
    rc = cli_read_inputs(st, argv + optind, argc - optind, from, &pw, 0, NULL);
    /* Only these writers ever put a private key into the file. */
    int key_format = strcmp(to->name, "pem") == 0 || strcmp(to->name, "p12") == 0 ||
                     strcmp(to->name, "jks") == 0 || strcmp(to->name, "jceks") == 0;
    int has_key = 0, any_secret = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        has_key = has_key || (en->key != NULL && wo.include_keys && key_format);
        any_secret = any_secret || en->key != NULL || en->type != PSC_ENTRY_TRUSTED;
    }
    if (rc == PSC_OK) {
        wo.path = out;
        wo.password = psc_secret_is_set(&pw.out_password) ? &pw.out_password : &pw.password;
        size_t warned = psc_store_warning_count(st);
        rc = to->write(st, &buf, &wo, &e);
        cli_print_warnings(st, warned);
        if (rc != PSC_OK)
            cli_report(&e);
    }
    if (rc == PSC_OK) {
        char *stale = strcmp(out, "-") != 0 ? psc_outfile_stale(out) : NULL;
        if (stale) /* SIGKILL leaves it: no handler runs */
            cli_warn("%s is left over from an interrupted pseconv run (killed before it could "
                     "clean up); it may hold a private key: delete it", stale);
        free(stale);
        if (psc_outfile_write(out, buf.data, buf.len, has_key ? 0600 : 0644, force, &e) != PSC_OK)
            rc = cli_report(&e);
    }
    /* wiped when the input held anything but trusted certificates (a key,
     * a key pair, a secret key), whatever the writer made of it; trusted
     * certificates are not secret, and wiping would touch every reserved page */
    psc_buf_free(&buf, any_secret);
    psc_store_free(st);
    cli_passwords_clear(&pw);
    return rc;
}
