/* The tool side (curl's src/ vs lib/): each command parses its options,
 * calls the library and prints.  Shared plumbing lives in cli.c. */
#ifndef PSC_CMD_H
#define PSC_CMD_H

#include <stdio.h>
#include "store.h"
#include "secret.h"
#include "format.h"
#include "outfile.h"

int cmd_inspect(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_expiry(int argc, char **argv);
int cmd_diff(int argc, char **argv);

/* plan NEW --since OLD and diff OLD NEW (diff.c): print the plan delta. */
int cli_plan_delta(const char *old_file, const char *new_file, int format, const char *out,
                   int force);

/* Print "pseconv: <msg>" for e and return e->code. */
int cli_report(const psc_err *e);
/* Print a usage error for `cmd` ("pseconv: <msg>; see pseconv CMD --help"), return 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a warning line "pseconv: warning: ...". */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the store's warnings from index `from` on; returns the new count. */
size_t cli_print_warnings(const psc_store *st, size_t from);

/* Resolve a password SPEC given to option `what`; warns once for pass:. */
int cli_secret(psc_secret *s, const char *spec, const char *what, psc_err *e);

/* The password options every reading command shares. */
typedef struct cli_passwords {
    psc_secret password;     /* --password */
    psc_secret key_password; /* --key-password */
    psc_secret out_password; /* --out-password */
    int keys_listed_only;    /* inspect: PKCS#12 keys listed, not decrypted (psc_read_opts) */
} cli_passwords;
void cli_passwords_clear(cli_passwords *pw);

/* The options reading commands share, by their getopt codes: 'f' --from FMT,
 * 'p' --password, 'k' --key-password, 'P' --out-password.  Returns 1 when c
 * was one of them (then *rc is PSC_OK or the error already printed), else 0. */
int cli_input_option(const char *cmd, int c, const char *arg, cli_passwords *pw,
                     const psc_format **from, int *rc);

/* Read each file into st (forced format or detection), then pair keys.
 * With keep_going (inspect, verify: listing), a file that fails is reported and
 * skipped, its entries removed, and the first error code is returned at the end;
 * a file read in part (e.g. a PKCS#12 whose key bag does not decrypt) keeps what
 * was read, and a JKS/JCEKS key whose password differs is listed without its key.
 * Otherwise the first failure stops.  formats_out[i] receives the format of files[i]. */
int cli_read_inputs(psc_store *st, char **files, int nfiles, const psc_format *forced,
                    const cli_passwords *pw, int keep_going, const psc_format **formats_out);

/* Write a report to out ("-": standard output) as render(ctx, b, e) produces
 * it: b hands every 64 KiB to the output (temporary file + rename, as
 * psc_outstream), so a 2,000-system plan or calendar is never whole in
 * memory.  what names the report in messages ("plan").  A write failure is
 * reported as such, not as the render's "out of memory". */
typedef int (*cli_render_fn)(const void *ctx, psc_buf *b, psc_err *e);
int cli_write_streamed(const char *out, int force, const char *what, cli_render_fn render,
                       const void *ctx, psc_err *e);

/* Standard --help handling: prints text to stdout. */
void cli_help(const char *text);

#endif
