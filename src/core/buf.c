#include "buf.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void psc_buf_init(psc_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->plain = 0;
    b->sink = NULL;
    b->sink_ctx = NULL;
    b->sink_errno = 0;
    b->failed = 0;
}

int psc_buf_flush(psc_buf *b)
{
    if (b->sink == NULL || b->len == 0)
        return 0;
    if (b->sink_errno != 0)
        return -1;
    if (b->sink(b->sink_ctx, b->data, b->len) != 0) {
        b->sink_errno = errno ? errno : EIO;
        b->failed = 1;
        return -1;
    }
    if (!b->plain)
        psc_wipe(b->data, b->len);
    b->len = 0;
    return 0;
}

int psc_buf_set_sink(psc_buf *b, psc_buf_sink_fn sink, void *ctx)
{
    b->sink = sink;
    b->sink_ctx = ctx;
    return psc_buf_reserve(b, PSC_BUF_SINK_CHUNK - 1);
}

static int reserve(psc_buf *b, size_t extra);

int psc_buf_reserve(psc_buf *b, size_t extra)
{
    int rc = reserve(b, extra);
    if (rc != 0)
        b->failed = 1;
    return rc;
}

static int reserve(psc_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return -1;
    size_t need = b->len + extra + 1; /* room for psc_buf_cstr */
    if (need <= b->cap)
        return 0;
    if (b->sink != NULL && b->len > 0) { /* streaming: write out instead of growing */
        if (psc_buf_flush(b) != 0)
            return -1;
        if ((need = extra + 1) <= b->cap)
            return 0;
    }
    /* the first reservation exactly (a file of known size), then doubling */
    size_t cap = b->cap ? b->cap : need > 256 ? need : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (b->plain) {
        unsigned char *q = realloc(b->data, cap);
        if (q == NULL)
            return -1;
        b->data = q;
        b->cap = cap;
        return 0;
    }
    /* Not realloc: it may leave the old bytes (a key being written or read)
     * in freed memory.  Copy, wipe, free. */
    unsigned char *p = malloc(cap);
    if (p == NULL)
        return -1;
    if (b->data != NULL) {
        memcpy(p, b->data, b->len);
        psc_wipe(b->data, b->cap);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int psc_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (elem != 0 && n > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*arr, n * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = n;
    return 0;
}

int psc_buf_append(psc_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return psc_buf_reserve(b, 0);
    if (psc_buf_reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

int psc_buf_puts(psc_buf *b, const char *s)
{
    return psc_buf_append(b, s, strlen(s));
}

int psc_buf_vprintf(psc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->failed = 1;
        return -1;
    }
    if (psc_buf_reserve(b, (size_t)n) != 0)
        return -1;
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int psc_buf_printf(psc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = psc_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int psc_buf_cstr(psc_buf *b)
{
    if (psc_buf_reserve(b, 0) != 0)
        return -1;
    b->data[b->len] = '\0';
    return 0;
}

void psc_buf_free(psc_buf *b, int wipe)
{
    if (b->data != NULL && wipe)
        psc_wipe(b->data, b->cap);
    free(b->data);
    psc_buf_init(b);
}

int psc_buf_read_file(psc_buf *b, const char *path, size_t max_bytes, psc_err *e)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    /* any input may hold a private key: no core dumps from here on */
    psc_secret_protect_process();
    int fd = STDIN_FILENO;
    if (!is_stdin) {
        /* Regular files only: a FIFO without a writer would block forever, a
         * device (/dev/zero) would be read up to max_bytes.  O_NONBLOCK keeps
         * open() of a FIFO from waiting; fstat decides on what was opened. */
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            return psc_fail(e, PSC_EINPUT, "cannot open %s: %s; check the path", name,
                            strerror(errno));
        struct stat sb;
        if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            close(fd);
            return psc_fail(e, PSC_EINPUT,
                            "%s is not a regular file (%s); give a file, or - for standard input",
                            name, S_ISDIR(sb.st_mode) ? "a folder" : S_ISFIFO(sb.st_mode) ? "a FIFO"
                                                    : S_ISSOCK(sb.st_mode) ? "a socket"
                                                                           : "a device");
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }
    /* read(2) straight into our buffer, no stdio: a FILE buffer would keep a
     * copy of a key file in freed memory.  A regular file's size is known:
     * the buffer is made that large at once, so it is neither copied nor
     * wiped while it grows (a tenth of reading a 10,000-entry JKS). */
    int rc = PSC_OK;
    struct stat sb;
    if (!is_stdin && fstat(fd, &sb) == 0 && sb.st_size > 0 && (uintmax_t)sb.st_size <= max_bytes &&
        psc_buf_reserve(b, (size_t)sb.st_size + 1) != 0) {
        rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", name);
    }
    while (rc == PSC_OK) {
        if (b->cap - b->len < 2 && psc_buf_reserve(b, 65536) != 0) {
            rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", name);
            break;
        }
        size_t room = b->cap - b->len - 1; /* the NUL of psc_buf_cstr */
        if (room > max_bytes + 1 - b->len)
            room = max_bytes + 1 - b->len; /* one byte past the limit tells */
        ssize_t n = read(fd, b->data + b->len, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = psc_fail(e, PSC_EINPUT, "cannot read %s: %s", name, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (b->len > max_bytes) {
            rc = psc_fail(e, PSC_EINPUT, "%s is larger than %zu bytes; not a certificate file?",
                          name, max_bytes);
            break;
        }
    }
    if (!is_stdin)
        close(fd);
    if (rc == PSC_OK && psc_buf_cstr(b) != 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", name);
    return rc;
}

char *psc_vstrfmt(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *psc_strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = psc_vstrfmt(fmt, ap);
    va_end(ap);
    return s;
}

void psc_strcpy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = src != NULL ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void psc_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int psc_sha(int sha1, const void *p, size_t n, unsigned char *out)
{
    static EVP_MD *md[2];
    static EVP_MD_CTX *ctx;
    sha1 = sha1 != 0;
    if (md[sha1] == NULL)
        md[sha1] = EVP_MD_fetch(NULL, sha1 ? "SHA1" : "SHA256", NULL);
    if (ctx == NULL)
        ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    if (md[sha1] == NULL || ctx == NULL || EVP_DigestInit_ex2(ctx, md[sha1], NULL) != 1 ||
        EVP_DigestUpdate(ctx, p, n) != 1 || EVP_DigestFinal_ex(ctx, out, &len) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}
