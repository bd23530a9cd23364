#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>
#include <openssl/crypto.h>

#define PSC_SECRET_MAX 4096

void psc_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        OPENSSL_cleanse(p, n);
}

/* ---- no copies left behind ----------------------------------------------- */

/* OpenSSL frees buffers that held a password or key without wiping them
 * (the PKCS#12 KDF's UTF-16BE password block, the decoders' DER).  Every
 * block OpenSSL frees is wiped first: installed before OpenSSL allocates
 * anything (a constructor), so it covers all of them. */
static void *wiping_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return malloc(n);
}

static void *wiping_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        explicit_bzero(p, malloc_usable_size(p));
        free(p);
        return NULL;
    }
    /* copy, wipe, free: realloc may leave the old bytes in freed memory */
    size_t old = malloc_usable_size(p);
    void *q = malloc(n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    explicit_bzero(p, old);
    free(p);
    return q;
}

static void wiping_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    if (p != NULL)
        explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

__attribute__((constructor)) static void install_wiping_allocator(void)
{
    CRYPTO_set_mem_functions(wiping_malloc, wiping_realloc, wiping_free);
}

void psc_secret_protect_process(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* no core file, no ptrace attach by other users, no /proc/PID/mem */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
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

/* The stack below the caller wiped: a password that passed through a
 * deeper frame (a copy in a register spilled there, a local of a library)
 * is gone too.  noinline, so the buffer is a frame of its own. */
__attribute__((noinline)) void psc_secret_scrub_stack(void)
{
    unsigned char pad[64 * 1024];
    OPENSSL_cleanse(pad, sizeof pad);
}

int psc_secret_set(psc_secret *s, const char *text)
{
    psc_secret_protect_process();
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

/* First line of a file descriptor, without the newline; at most
 * PSC_SECRET_MAX bytes.  read(2) one byte at a time, no stdio: a FILE's
 * buffer would keep the password (and read past the line) where it cannot be
 * wiped. */
static int read_line_fd(int fd, psc_secret *s, const char *what, const char *src, psc_err *e)
{
    char line[PSC_SECRET_MAX + 1];
    size_t n = 0;
    int rc = PSC_OK;
    while (n < PSC_SECRET_MAX) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = psc_fail(e, PSC_EINPUT, "cannot read %s for %s", src, what);
            break;
        }
        if (r == 0 || c == '\n')
            break;
        line[n++] = c;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    if (rc == PSC_OK && psc_secret_set(s, line) != 0)
        rc = psc_fail(e, PSC_EINPUT, "out of memory reading %s", what);
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
    int rc = read_line_fd(fileno(tty), s, what, "the terminal", e);
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
        int fd = open(spec + 5, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return psc_fail(e, PSC_EINPUT, "%s: cannot open %s: %s", what, spec + 5,
                            strerror(errno));
        int rc = read_line_fd(fd, s, what, spec + 5, e);
        close(fd);
        return rc;
    }
    if (strncmp(spec, "fd:", 3) == 0) {
        char *end = NULL;
        long fd = strtol(spec + 3, &end, 10);
        if (end == spec + 3 || *end != '\0' || fd < 0 || fd > 65535)
            return psc_fail(e, PSC_EUSAGE, "%s: fd:N needs a file descriptor number", what);
        if (fcntl((int)fd, F_GETFD) < 0)
            return psc_fail(e, PSC_EINPUT, "%s: cannot read fd %ld: %s", what, fd, strerror(errno));
        return read_line_fd((int)fd, s, what, "the file descriptor", e);
    }
    if (strcmp(spec, "stdin") == 0)
        return read_line_fd(STDIN_FILENO, s, what, "standard input", e);
    if (strcmp(spec, "prompt") == 0)
        return read_prompt(s, what, e);
    return psc_fail(e, PSC_EUSAGE,
                    "%s takes a SPEC: pass:TEXT, env:VAR, file:PATH, fd:N, stdin or prompt", what);
}
