/* pseconv: dispatch `pseconv <command>` to src/cmd/<command>.c. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "cmd.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"inspect", cmd_inspect, "list what certificate files and keystores hold (alias: show)"},
    {"convert", cmd_convert, "convert between PEM, DER, P7B, PKCS#12, JKS, JCEKS, PSE, pselist"},
    {"verify", cmd_verify, "build chains and check certificates (expiry, key, signature, EKU)"},
    {"fetch", cmd_fetch, "save the certificate chain a TLS server presents"},
    {"init", cmd_init, "write a commented landscape template"},
    {"plan", cmd_plan, "print the certificate imports each system needs"},
    {"export", cmd_export, "write per-system handoff bundles and archives"},
    {"diagnose", cmd_diagnose, "map an SAP error message to the missing plan step"},
    {"probe", cmd_probe, "check each hop live: trust, client CA names, mutual handshake"},
    {"expiry", cmd_expiry, "what expires when and what each renewal forces where"},
    {"diff", cmd_diff, "the plan delta when certificate files change (plan --since)"},
};

static void usage(FILE *f)
{
    fputs("usage: pseconv <command> [options] [args]\n\n"
          "Plans and prepares the certificate imports for mutual TLS between SAP ERP/CRM\n"
          "(STRUST), SAP Cloud Integration and SAP Cloud for Customer.\n\ncommands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'pseconv <command> --help' shows a command's options; man pseconv has the rest.\n"
          "Exit codes: 0 ok, 1 problems found, 2 usage, 3 bad input, 4 output error.\n",
          f);
}

int main(int argc, char **argv)
{
    /* Long listings (inspect of 100,000 entries, a plan of 2,000 systems)
     * leave in 64 KiB writes instead of stdio's 4 KiB; a terminal keeps
     * its line buffering. */
    static char outbuf[1 << 16];
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("pseconv %s (%s)\n", PSECONV_VERSION, OpenSSL_version(OPENSSL_VERSION));
        return 0;
    }
    if (strcmp(name, "show") == 0)
        name = "inspect";
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return cli_usage(NULL, "unknown command '%s'", name);
}
