/* The export bundle's files (see bundle_files.h): the list, each file
 * checked, summed and spilled when complete, large files streamed.  Knows
 * nothing of plans or systems: bundle.c decides what the files hold. */
#include "bundle_files.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

/* ---- file list ---------------------------------------------------------- */

psc_bundle_file *psc_bundle_add_file(psc_bundle *b, const char *system, const char *name, psc_err *e)
{
    if (b->nfiles == b->cap) { /* by half, not doubling: 9,000 files at 2,000 systems */
        size_t cap = b->cap < 16 ? 16 : b->cap + b->cap / 2;
        psc_bundle_file *nf = cap < SIZE_MAX / sizeof *nf ? realloc(b->files, cap * sizeof *nf)
                                                           : NULL;
        if (nf == NULL)
            goto oom;
        b->files = nf;
        b->cap = cap;
    }
    psc_bundle_file *f = &b->files[b->nfiles];
    memset(f, 0, sizeof *f);
    psc_buf_init(&f->data);
    size_t n = (system ? strlen(system) + 1 : 0) + strlen(name) + 1;
    if ((f->path = malloc(n)) == NULL)
        goto oom;
    snprintf(f->path, n, "%s%s%s", system ? system : "", system ? "/" : "", name);
    f->system = system; /* the landscape's, which outlives the bundle */
    b->nfiles++;
    return f;
oom:
    psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    return NULL;
}

/* id: the plan's step id (kept by pointer: the plan outlives the bundle). */
int psc_bundle_file_add_step(psc_bundle_file *f, const char *id, psc_err *e)
{
    for (size_t i = 0; i < f->nsteps; i++)
        if (strcmp(f->steps[i], id) == 0)
            return PSC_OK;
    const char **s = realloc(f->steps, (f->nsteps + 1) * sizeof *s);
    if (s == NULL)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    f->steps = s;
    s[f->nsteps++] = id;
    return PSC_OK;
}

int psc_bundle_add_note(psc_bundle *b, const char *text, psc_err *e)
{
    char **n = realloc(b->notes, (b->nnotes + 1) * sizeof *n);
    if (n == NULL || (n[b->nnotes] = strdup(text)) == NULL) {
        if (n)
            b->notes = n;
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    }
    b->notes = n;
    b->nnotes++;
    return PSC_OK;
}

void psc_bundle_free(psc_bundle *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nfiles; i++) {
        psc_bundle_file *f = &b->files[i];
        free(f->path);
        psc_buf_free(&f->data, 0);
        free(f->steps);
    }
    free(b->files);
    for (size_t i = 0; i < b->nsystems; i++)
        free(b->systems[i]);
    free(b->systems);
    for (size_t i = 0; i < b->nnotes; i++)
        free(b->notes[i]);
    free(b->notes);
    free(b);
}

/* ---- key markers ------------------------------------------------------- */

int psc_bundle_has_key_marker(const unsigned char *p, size_t n)
{
    static const char marker[] = "PRIVATE KEY-----";
    size_t m = sizeof marker - 1;
    for (size_t i = 0; p && i + m <= n; i++)
        if (p[i] == 'P' && memcmp(p + i, marker, m) == 0)
            return 1;
    return 0;
}

/* ---- complete files: checked, summed, spilled ------------------------------ */

static int outside_folder(const psc_bundle_file *f, psc_err *e)
{
    return psc_fail(e, PSC_EOUTPUT,
                    "export: '%s' would be written outside the output folder; nothing written",
                    f->path);
}

static int key_in_file(const psc_bundle_file *f, psc_err *e)
{
    return psc_fail(e, PSC_EOUTPUT,
                    "export: %s would contain a private key; nothing written (report this as a "
                    "bug)",
                    f->path);
}

int psc_bundle_same_path(const char *path, psc_err *e)
{
    return psc_fail(e, PSC_EUSAGE,
                    "export: two files would be written as %s; rename the landscape's file "
                    "(README.md, sapgenpse.sh, manifest.json, CHECKLIST.md and SHA256SUMS are "
                    "reserved)",
                    path);
}

/* Create f's file in the spill folder (and its system's folder): fd, or -1
 * with e set.  The checked path stays below the folder; O_EXCL: never a
 * second file of the same name. */
static int spill_open(const psc_bundle *b, const psc_bundle_file *f, psc_err *e)
{
    char path[PATH_MAX];
    if (!psc_bundle_path_ok(f->path))
        return outside_folder(f, e), -1;
    if (f->system) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", b->spill, f->system) >= sizeof path)
            return psc_fail(e, PSC_EOUTPUT, "export: %s: path too long", f->path), -1;
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return psc_fail(e, PSC_EOUTPUT, "cannot create folder %s/%s: %s", b->shown,
                            f->system, strerror(errno)), -1;
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%s", b->spill, f->path) >= sizeof path)
        return psc_fail(e, PSC_EOUTPUT, "export: %s: path too long", f->path), -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  f->executable ? 0755 : 0644);
    if (fd < 0)
        return (errno == EEXIST ? psc_bundle_same_path(f->path, e)
                                : psc_fail(e, PSC_EOUTPUT, "cannot write %s/%s: %s", b->shown,
                                           f->path, strerror(errno))), -1;
    /* the umask must not take the mode the operations team expects */
    if (fchmod(fd, f->executable ? 0755 : 0644) != 0) {
        psc_fail(e, PSC_EOUTPUT, "cannot write %s/%s: %s", b->shown, f->path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* A file is complete: its path stays below the folder, it holds no key
 * marker, its size and SHA-256 are kept; with a spill folder it is written
 * there and its bytes leave memory. */
static int finish_file(psc_bundle *b, psc_bundle_file *f, psc_err *e)
{
    if (!psc_bundle_path_ok(f->path))
        return outside_folder(f, e);
    if (psc_bundle_has_key_marker(f->data.data, f->data.len))
        return key_in_file(f, e);
    f->bytes = f->data.len;
    if (psc_sha(0, f->data.data ? f->data.data : (const unsigned char *)"", f->data.len,
                f->sha256) != 0)
        return psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    if (b->spill == NULL)
        return PSC_OK;
    int fd = spill_open(b, f, e);
    if (fd < 0)
        return PSC_EOUTPUT;
    int rc = psc_write_all(fd, f->data.data ? f->data.data : (const unsigned char *)"", f->data.len);
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0)
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s/%s: %s", b->shown, f->path, strerror(err));
    psc_buf_free(&f->data, !f->data.plain); /* an updated keystore's buffer is wiped */
    f->spilled = 1;
    return PSC_OK;
}

/* Finish every file added since the last call. */
int psc_bundle_finish_new_files(psc_bundle *b, psc_err *e)
{
    for (; b->ndone < b->nfiles; b->ndone++) {
        int rc = finish_file(b, &b->files[b->ndone], e);
        if (rc != PSC_OK)
            return rc;
    }
    return PSC_OK;
}

/* A large file (CHECKLIST.md, manifest.json) written as it is made: the
 * spill file, its SHA-256 and the key-marker scan follow the stream (the
 * marker may straddle two chunks: the last bytes of one are kept). */
typedef struct spill_stream {
    int fd;
    EVP_MD_CTX *md;
    size_t bytes;
    unsigned char tail[32];
    size_t ntail;
    int key_marker;
} spill_stream;

#define MARKER_LEN 16 /* strlen("PRIVATE KEY-----"), psc_bundle_has_key_marker's */

static int stream_sink(void *ctx, const void *data, size_t n)
{
    spill_stream *ss = ctx;
    const unsigned char *p = data;
    unsigned char seam[64];
    size_t head = n < MARKER_LEN - 1 ? n : MARKER_LEN - 1;
    memcpy(seam, ss->tail, ss->ntail);
    memcpy(seam + ss->ntail, p, head);
    ss->key_marker = ss->key_marker || psc_bundle_has_key_marker(seam, ss->ntail + head) ||
                     psc_bundle_has_key_marker(p, n);
    /* the last MARKER_LEN - 1 bytes seen, for the next seam */
    size_t keep = ss->ntail + n < MARKER_LEN - 1 ? ss->ntail + n : MARKER_LEN - 1;
    size_t from_p = n < keep ? n : keep;
    memmove(ss->tail, ss->tail + ss->ntail - (keep - from_p), keep - from_p);
    memcpy(ss->tail + (keep - from_p), p + n - from_p, from_p);
    ss->ntail = keep;
    ss->bytes += n;
    if (EVP_DigestUpdate(ss->md, p, n) != 1) {
        errno = ENOMEM;
        return -1;
    }
    return psc_write_all(ss->fd, p, n);
}

/* Fill f (the newest file) by fill(ctx): streamed into the spill folder
 * when there is one, else into memory; either way complete afterwards. */
int psc_bundle_fill_file(psc_bundle *b, psc_bundle_file *f, psc_bundle_fill_fn fill, const void *ctx, psc_err *e)
{
    if (b->spill == NULL) {
        int rc = fill(ctx, &f->data, e);
        return rc == PSC_OK ? psc_bundle_finish_new_files(b, e) : rc;
    }
    spill_stream ss = {0};
    psc_buf out;
    psc_buf_init(&out);
    out.plain = 1;
    if ((ss.fd = spill_open(b, f, e)) < 0)
        return PSC_EOUTPUT;
    int rc = (ss.md = EVP_MD_CTX_new()) == NULL || EVP_DigestInit_ex(ss.md, EVP_sha256(), NULL) != 1 ||
                     psc_buf_set_sink(&out, stream_sink, &ss) != 0
                 ? psc_fail(e, PSC_EOUTPUT, "export: out of memory")
                 : fill(ctx, &out, e);
    if (rc == PSC_OK && psc_buf_flush(&out) != 0)
        rc = PSC_EOUTPUT;
    if (out.sink_errno != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s/%s: %s", b->shown, f->path,
                      strerror(out.sink_errno));
    if (close(ss.fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s/%s: %s", b->shown, f->path,
                      strerror(errno));
    if (rc == PSC_OK && EVP_DigestFinal_ex(ss.md, f->sha256, NULL) != 1)
        rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    if (rc == PSC_OK && ss.key_marker)
        rc = key_in_file(f, e);
    EVP_MD_CTX_free(ss.md);
    psc_buf_free(&out, 0);
    if (rc != PSC_OK)
        return rc;
    f->bytes = ss.bytes;
    f->spilled = 1;
    b->ndone = b->nfiles;
    return PSC_OK;
}

int psc_bundle_file_data(const psc_bundle *b, const psc_bundle_file *f, psc_buf *tmp,
                         const unsigned char **data, size_t *len, psc_err *e)
{
    if (!f->spilled) {
        *data = f->data.data ? f->data.data : (const unsigned char *)"";
        *len = f->data.len;
        return PSC_OK;
    }
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", b->spill, f->path) >= sizeof path)
        return psc_fail(e, PSC_EOUTPUT, "export: %s: path too long", f->path);
    psc_buf_init(tmp);
    tmp->plain = 1;
    int rc = psc_buf_read_file(tmp, path, f->bytes, e);
    if (rc != PSC_OK || tmp->len != f->bytes)
        return psc_fail(e, PSC_EOUTPUT, "export: %s changed while the export was written",
                        f->path);
    *data = tmp->data ? tmp->data : (const unsigned char *)"";
    *len = tmp->len;
    return PSC_OK;
}

/* Defence in depth: a bundle path is relative, '/'-separated, and has no
 * empty, "." or ".." component, so it stays below the output folder. */
int psc_bundle_path_ok(const char *rel)
{
    if (rel[0] == '\0' || rel[0] == '/')
        return 0;
    for (const char *c = rel; *c;) {
        const char *end = strchr(c, '/');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n + (end ? 1 : 0);
        if (end && *c == '\0')
            return 0;
    }
    return 1;
}
