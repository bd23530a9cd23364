/* A growable byte buffer: writers build their output here before it is
 * written atomically by outfile.c.  All functions return 0 on success, -1 on
 * allocation failure (the buffer then stays valid). */
#ifndef PSC_BUF_H
#define PSC_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include "error.h"

/* Where a streaming buffer's bytes go: 0 written, -1 failed (errno set). */
typedef int (*psc_buf_sink_fn)(void *ctx, const void *p, size_t n);

typedef struct psc_buf {
    unsigned char *data;
    size_t len;
    size_t cap;
    int plain; /* 1: holds nothing secret (a plan, a report): grows by realloc, in place
                * where the allocator can (mremap), not by copy and wipe, which held
                * the old and the new copy at once (2,000 systems' plan: 25 of 56 MiB) */
    psc_buf_sink_fn sink; /* psc_buf_set_sink: NULL = the buffer keeps everything */
    void *sink_ctx;
    int sink_errno;       /* the sink's errno when it failed (the buffer then fails) */
    int failed;           /* an append or reserve failed (memory or the sink) since init:
                           * writers that print many pieces check it once at the end */
} psc_buf;

void psc_buf_init(psc_buf *b);
int psc_buf_reserve(psc_buf *b, size_t extra);
int psc_buf_append(psc_buf *b, const void *p, size_t n);
int psc_buf_puts(psc_buf *b, const char *s);
int psc_buf_printf(psc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int psc_buf_vprintf(psc_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* A malloc'ed formatted string (free with free()); NULL when out of memory. */
char *psc_vstrfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *psc_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Room for `need` elements of `elem` bytes in *arr (capacity *cap, in
 * elements), growing by doubling: the one growable-array step every module
 * uses.  0 on success; -1 on overflow or allocation failure (*arr unchanged). */
int psc_grow(void **arr, size_t *cap, size_t need, size_t elem);
/* Stream b: instead of growing past PSC_BUF_SINK_CHUNK, it hands what it
 * holds to sink (a 9.8 MB plan was a 16 MiB buffer before it was written).
 * Writers that read back or rewrite earlier bytes of b must not stream.
 * -1 when the first chunk cannot be allocated. */
#define PSC_BUF_SINK_CHUNK ((size_t)64 * 1024)
int psc_buf_set_sink(psc_buf *b, psc_buf_sink_fn sink, void *ctx);
/* Hand what b holds to its sink now (the end of the output): 0 ok, -1 failed. */
int psc_buf_flush(psc_buf *b);
/* NUL-terminate without counting the NUL in len (for use as a C string). */
int psc_buf_cstr(psc_buf *b);
/* Release; wipe=1 clears the bytes first (buffers that held key material). */
void psc_buf_free(psc_buf *b, int wipe);
/* Read a whole file ("-" = stdin), at most max_bytes; error names path. */
int psc_buf_read_file(psc_buf *b, const char *path, size_t max_bytes, struct psc_err *e);
/* src into dst of cap bytes (cap > 0), cut to fit, always terminated: what
 * snprintf(dst, cap, "%s", src) does, without parsing a format (per
 * certificate on inspect's path).  A NULL src copies "". */
void psc_strcpy_cut(char *dst, size_t cap, const char *src);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void psc_hex(const unsigned char *in, size_t n, char *out);
/* SHA-256 (sha1 = 0, 32 bytes) or SHA-1 (sha1 = 1, 20 bytes) of p[0..n)
 * into out: 0 ok, -1 the digest is unavailable.  The digests are fetched
 * once and one context is reused: an implicit fetch and a fresh context
 * per EVP_Digest cost more than hashing a certificate. */
int psc_sha(int sha1, const void *p, size_t n, unsigned char *out);

#endif
