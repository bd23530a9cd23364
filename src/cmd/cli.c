/* Plumbing shared by the commands: error and warning lines, password SPECs,
 * reading many input files into one store. */
#include "cmd.h"
#include "keypair.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_report(const psc_err *e)
{
    fprintf(stderr, "pseconv: %s\n", e->msg[0] ? e->msg : "failed");
    return e->code ? e->code : PSC_EINPUT;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pseconv: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "; see 'pseconv %s --help'\n", cmd);
    else
        fputs("; see 'pseconv --help'\n", stderr);
    return PSC_EUSAGE;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pseconv: warning: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

size_t cli_print_warnings(const psc_store *st, size_t from)
{
    size_t n = psc_store_warning_count(st);
    for (size_t i = from; i < n; i++)
        cli_warn("%s", psc_store_warning(st, i));
    return n;
}

int cli_secret(psc_secret *s, const char *spec, const char *what, psc_err *e)
{
    int visible = 0;
    int rc = psc_secret_from_spec(s, spec, what, &visible, e);
    if (rc == PSC_OK && visible)
        cli_warn("%s pass:... is visible to other users of this machine (ps, shell history); "
                 "prefer env:VAR, file:PATH or prompt",
                 what);
    return rc;
}

void cli_passwords_clear(cli_passwords *pw)
{
    psc_secret_clear(&pw->password);
    psc_secret_clear(&pw->key_password);
    psc_secret_clear(&pw->out_password);
    psc_secret_scrub_stack();
}

int cli_input_option(const char *cmd, int c, const char *arg, cli_passwords *pw,
                     const psc_format **from, int *rc)
{
    psc_err e = {0};
    psc_secret *target = c == 'p' ? &pw->password
                         : c == 'k' ? &pw->key_password
                         : c == 'P' ? &pw->out_password
                                    : NULL;
    if (target != NULL) {
        const char *what = c == 'p' ? "--password" : c == 'k' ? "--key-password" : "--out-password";
        *rc = cli_secret(target, arg, what, &e) == PSC_OK ? PSC_OK : cli_report(&e);
        return 1;
    }
    if (c == 'f' && from != NULL) {
        *from = psc_format_by_name(arg);
        *rc = *from ? PSC_OK : cli_usage(cmd, "unknown format '%s' for --from", arg);
        return 1;
    }
    return 0;
}

int cli_read_inputs(psc_store *st, char **files, int nfiles, const psc_format *forced,
                    const cli_passwords *pw, int keep_going, const psc_format **formats_out)
{
    int first = PSC_OK;
    size_t warned = psc_store_warning_count(st);
    for (int i = 0; i < nfiles; i++) {
        psc_read_opts ro = {0};
        ro.password = &pw->password;
        ro.key_password = &pw->key_password;
        ro.keys_optional = keep_going; /* inspect and verify list; convert needs the keys */
        ro.keys_listed_only = pw->keys_listed_only;
        const psc_format *used = NULL;
        psc_err e = {0};
        psc_store_mark mark = psc_store_get_mark(st);
        int rc = psc_read_file(st, files[i], forced, &ro, &used, &e);
        int partial = rc != PSC_OK && e.partial && keep_going;
        if (formats_out)
            formats_out[i] = rc == PSC_OK || partial ? used : NULL;
        warned = cli_print_warnings(st, warned);
        if (rc != PSC_OK) {
            cli_report(&e);
            if (!partial) /* nothing of a damaged file stays behind */
                psc_store_rollback(st, mark);
            if (first == PSC_OK)
                first = rc;
            if (!keep_going)
                return rc;
        }
    }
    psc_err e = {0};
    if (psc_store_pair_keys(st, &e) != PSC_OK) {
        cli_report(&e);
        return first != PSC_OK ? first : e.code;
    }
    cli_print_warnings(st, warned);
    return first;
}

void cli_help(const char *text)
{
    fputs(text, stdout);
}

int cli_write_streamed(const char *out, int force, const char *what, cli_render_fn render,
                       const void *ctx, psc_err *e)
{
    psc_outstream os;
    psc_buf b;
    psc_buf_init(&b);
    b.plain = 1; /* a report names certificates, never a key or a password */
    int rc = psc_outstream_open(&os, out, 0644, force, e);
    if (rc != PSC_OK)
        return rc;
    if (psc_buf_set_sink(&b, psc_outstream_write, &os) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "out of memory while rendering the %s", what);
    if (rc == PSC_OK)
        rc = render(ctx, &b, e);
    if (rc == PSC_OK && psc_buf_flush(&b) != 0)
        rc = PSC_EOUTPUT;
    if (b.sink_errno != 0) /* the failure was writing, not memory */
        rc = strcmp(out, "-") == 0
                 ? psc_fail(e, PSC_EOUTPUT, "cannot write to standard output: %s",
                            strerror(b.sink_errno))
                 : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", out, strerror(b.sink_errno));
    if (rc == PSC_OK)
        rc = psc_outstream_commit(&os, e);
    else
        psc_outstream_abort(&os);
    psc_buf_free(&b, 0);
    return rc;
}
