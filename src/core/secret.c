#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <openssl/crypto.h>

#define PSC_SECRET_MAX 4096

void psc_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        OPENSSL_cleanse(p, n);
}

void psc_secret_clear(psc_secret *s)
{
    if (s == NULL)
        return;
    if (s->data != NULL) {
        psc_wipe(s->data, s->len + 1);
        free(s->data);
    }
    s->data = NULL;
    s->len = 0;
}

int psc_secret_set(psc_secret *s, const char *text)
{
    psc_secret_clear(s);
    size_t n = strlen(text);
    s->data = malloc(n + 1);
    if (s->data == NULL)
        return -1;
    memcpy(s->data, text, n + 1);
    s->len = n;
    return 0;
}

int psc_secret_is_set(const psc_secret *s)
{
    return s != NULL && s->data != NULL;
}

/* First line of a stream, without the newline; at most PSC_SECRET_MAX bytes. */
static int read_line(FILE *f, psc_secret *s, const char *what, const char *src, psc_err *e)
{
    char line[PSC_SECRET_MAX + 2];
    int rc = PSC_OK;
    if (fgets(line, sizeof line, f) == NULL) {
        line[0] = '\0';
        if (ferror(f))
            rc = psc_fail(e, PSC_EINPUT, "cannot read %s for %s", src, what);
    }
    if (rc == PSC_OK) {
        line[strcspn(line, "\r\n")] = '\0';
        if (psc_secret_set(s, line) != 0)
            rc = psc_fail(e, PSC_EINPUT, "out of memory reading %s", what);
    }
    psc_wipe(line, sizeof line);
    return rc;
}

static int read_prompt(psc_secret *s, const char *what, psc_err *e)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL)
        return psc_fail(e, PSC_EINPUT, "%s prompt: no terminal; use env:VAR or file:PATH", what);
    struct termios old, quiet;
    int have_term = tcgetattr(fileno(tty), &old) == 0;
    if (have_term) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fprintf(tty, "Enter %s: ", what + (strncmp(what, "--", 2) == 0 ? 2 : 0));
    fflush(tty);
    int rc = read_line(tty, s, what, "the terminal", e);
    if (have_term)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    return rc;
}

int psc_secret_from_spec(psc_secret *s, const char *spec, const char *what, int *visible,
                         psc_err *e)
{
    if (visible)
        *visible = 0;
    if (strncmp(spec, "pass:", 5) == 0) {
        if (visible)
            *visible = 1;
        return psc_secret_set(s, spec + 5) == 0
                   ? PSC_OK
                   : psc_fail(e, PSC_EINPUT, "out of memory reading %s", what);
    }
    if (strncmp(spec, "env:", 4) == 0) {
        const char *v = getenv(spec + 4);
        if (v == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: environment variable %s is not set", what,
                            spec + 4);
        return psc_secret_set(s, v) == 0
                   ? PSC_OK
                   : psc_fail(e, PSC_EINPUT, "out of memory reading %s", what);
    }
    if (strncmp(spec, "file:", 5) == 0) {
        FILE *f = fopen(spec + 5, "r");
        if (f == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: cannot open %s: %s", what, spec + 5,
                            strerror(errno));
        int rc = read_line(f, s, what, spec + 5, e);
        fclose(f);
        return rc;
    }
    if (strncmp(spec, "fd:", 3) == 0) {
        char *end = NULL;
        long fd = strtol(spec + 3, &end, 10);
        if (end == spec + 3 || *end != '\0' || fd < 0 || fd > 65535)
            return psc_fail(e, PSC_EUSAGE, "%s: fd:N needs a file descriptor number", what);
        int dupfd = dup((int)fd);
        FILE *f = dupfd >= 0 ? fdopen(dupfd, "r") : NULL;
        if (f == NULL) {
            if (dupfd >= 0)
                close(dupfd);
            return psc_fail(e, PSC_EINPUT, "%s: cannot read fd %ld: %s", what, fd, strerror(errno));
        }
        int rc = read_line(f, s, what, "the file descriptor", e);
        fclose(f);
        return rc;
    }
    if (strcmp(spec, "stdin") == 0)
        return read_line(stdin, s, what, "standard input", e);
    if (strcmp(spec, "prompt") == 0)
        return read_prompt(s, what, e);
    return psc_fail(e, PSC_EUSAGE,
                    "%s takes a SPEC: pass:TEXT, env:VAR, file:PATH, fd:N, stdin or prompt", what);
}
