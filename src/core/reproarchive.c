/* Deterministic tar.gz / zip through libarchive (see reproarchive.h for the rules).
 *
 * libarchive is opened with dlopen on the first archive, not linked: its
 * dependencies (libxml2, ICU, libstdc++, nettle, ...) cost every start of
 * pseconv 2.8 ms of 5.4 ms CPU and 3.4 MiB of memory (a program linked with
 * them vs. without, perf stat), and only export --archive writes an archive. */
#include "reproarchive.h"
#include "store_index.h"

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libarchive 3.x, whose soname has been libarchive.so.13 since 3.0 (2011). */
#if ARCHIVE_VERSION_NUMBER < 3000000 || ARCHIVE_VERSION_NUMBER >= 4000000
#error "libarchive 3.x expected (soname libarchive.so.13)"
#endif
const char *psc_archive_library = "libarchive.so.13";

/* Every libarchive function this file calls, through la.NAME. */
#define LA_FUNCTIONS(X)                                                                      \
    X(archive_entry_clear) X(archive_entry_free) X(archive_entry_new)                        \
    X(archive_entry_set_filetype) X(archive_entry_set_gid) X(archive_entry_set_gname)        \
    X(archive_entry_set_mtime) X(archive_entry_set_pathname) X(archive_entry_set_perm)       \
    X(archive_entry_set_size) X(archive_entry_set_uid) X(archive_entry_set_uname)            \
    X(archive_error_string) X(archive_set_error) X(archive_write_add_filter_gzip)            \
    X(archive_write_close) X(archive_write_data) X(archive_write_free)                       \
    X(archive_write_header) X(archive_write_new) X(archive_write_open2)                      \
    X(archive_write_set_bytes_in_last_block) X(archive_write_set_filter_option)              \
    X(archive_write_set_format_option) X(archive_write_set_format_pax_restricted)            \
    X(archive_write_set_format_zip)

#define LA_MEMBER(f) __typeof__(&f) f;
static struct {
    void *handle;
    LA_FUNCTIONS(LA_MEMBER)
} la;

/* Open libarchive once; a failure is not remembered (the next archive tries again). */
static int la_open(const char *name, psc_err *e)
{
    if (la.handle)
        return PSC_OK;
    void *h = dlopen(psc_archive_library, RTLD_NOW | RTLD_LOCAL);
    const char *why = h ? NULL : dlerror();
    /* POSIX: a function pointer is stored through a void * lvalue */
#define LA_SYM(f)                                                                            \
    if (h && (*(void **)&la.f = dlsym(h, #f)) == NULL)                                      \
        why = #f " is missing";
    LA_FUNCTIONS(LA_SYM)
#undef LA_SYM
    if (why != NULL) {
        if (h)
            dlclose(h);
        memset(&la, 0, sizeof la);
        return psc_fail(e, PSC_EOUTPUT,
                        "cannot write %s: %s, which pseconv loads to write archives, is not "
                        "usable (%s); install it (Debian: apt install libarchive13) or leave out "
                        "--archive",
                        name, psc_archive_library, why);
    }
    la.handle = h;
    return PSC_OK;
}

/* 2000-01-01T00:00:00Z: late enough for zip's DOS dates (1980..2107). */
#define PSC_ARCHIVE_FIXED_TIME ((time_t)946684800)

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcasecmp(s + n - m, suffix) == 0;
}

psc_archive_kind psc_archive_kind_of(const char *path)
{
    if (ends_with(path, ".tar.gz") || ends_with(path, ".tgz"))
        return PSC_ARCHIVE_TARGZ;
    if (ends_with(path, ".zip"))
        return PSC_ARCHIVE_ZIP;
    return PSC_ARCHIVE_NONE;
}

const char *psc_archive_suffix(const char *path)
{
    if (ends_with(path, ".tar.gz"))
        return ".tar.gz";
    if (ends_with(path, ".tgz"))
        return ".tgz";
    if (ends_with(path, ".zip"))
        return ".zip";
    return "";
}

char *psc_archive_stem(const char *path)
{
    size_t n = strlen(path) - strlen(psc_archive_suffix(path));
    char *s = malloc(n + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, path, n);
    s[n] = '\0';
    return s;
}

time_t psc_archive_default_mtime(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde != NULL && *sde != '\0') {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        /* zip stores 1980..2107; clamp rather than fail a reproducible build */
        if (errno == 0 && *end == '\0' && v >= 315532800LL && v <= 4102444800LL)
            return (time_t)v;
    }
    return PSC_ARCHIVE_FIXED_TIME;
}

/* One archive member: a file, or a folder (file == NULL). key is the sort
 * key: the path, with a trailing '/' for folders so a folder precedes its files. */
typedef struct member {
    char *key;
    const psc_archive_file *file;
} member;

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const member *)a)->key, ((const member *)b)->key);
}

static int path_is_safe(const char *p)
{
    if (p == NULL || *p == '\0' || *p == '/')
        return 0;
    for (const char *s = p; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == '\\')
            return 0;
    /* no empty, "." or ".." components */
    const char *c = p;
    while (*c) {
        const char *slash = strchr(c, '/');
        size_t len = slash ? (size_t)(slash - c) : strlen(c);
        if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += len;
        if (*c == '/')
            c++;
        if (slash && *c == '\0')
            return 0; /* trailing slash */
    }
    return 1;
}

static void members_free(member *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].key);
    free(m);
}

/* Files plus one folder member per distinct parent folder, sorted.  The
 * folders seen are a set (a walk over the members per parent was quadratic:
 * 7% of export --archive at 2,000 systems, 9,000 files). */
static int collect_members(const psc_archive_file *files, size_t n, const char *name,
                           member **out, size_t *count, psc_err *e)
{
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (!path_is_safe(files[i].path))
            return psc_fail(e, PSC_EUSAGE, "%s: unsafe archive member name '%s'", name,
                            files[i].path ? files[i].path : "(null)");
        cap++;
        for (const char *s = files[i].path; *s; s++)
            cap += *s == '/';
    }
    member *m = calloc(cap ? cap : 1, sizeof *m);
    psc_nameset folders; /* without the trailing slash */
    psc_nameset_init(&folders, 0);
    size_t k = 0;
    int rc = m ? PSC_OK : psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
    for (size_t i = 0; i < n && rc == PSC_OK; i++) {
        const char *p = files[i].path;
        for (const char *s = strchr(p, '/'); s && rc == PSC_OK; s = strchr(s + 1, '/')) {
            size_t len = (size_t)(s - p) + 1; /* with the slash */
            char *key = strndup(p, len);
            int added = -1;
            if (key) {
                key[len - 1] = '\0';
                added = psc_nameset_add(&folders, key);
            }
            if (added > 0) {
                key[len - 1] = '/';
                m[k++].key = key;
            } else {
                free(key);
                if (added < 0)
                    rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
            }
        }
        if (rc == PSC_OK && (m[k].key = strdup(p)) == NULL)
            rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
        else if (rc == PSC_OK)
            m[k++].file = &files[i];
    }
    if (rc == PSC_OK)
        qsort(m, k, sizeof *m, member_cmp);
    for (size_t i = 0; i < k && rc == PSC_OK; i++) {
        /* the same path twice, or "ERP" as a file and "ERP/" as a folder */
        if ((i > 0 && strcmp(m[i - 1].key, m[i].key) == 0) ||
            (m[i].file && psc_nameset_has(&folders, m[i].key)))
            rc = psc_fail(e, PSC_EUSAGE, "%s: archive member '%s' given twice", name, m[i].key);
    }
    psc_nameset_free(&folders);
    if (rc != PSC_OK) {
        if (m)
            members_free(m, k);
        return rc;
    }
    *out = m;
    *count = k;
    return PSC_OK;
}

static la_ssize_t buf_write_cb(struct archive *a, void *ctx, const void *p, size_t n)
{
    if (psc_buf_append((psc_buf *)ctx, p, n) != 0) {
        la.archive_set_error(a, ENOMEM, "out of memory");
        return -1;
    }
    return (la_ssize_t)n;
}

static int la_fail(struct archive *a, const char *name, psc_err *e)
{
    const char *why = la.archive_error_string(a);
    return psc_fail(e, PSC_EOUTPUT, "cannot build archive %s: %s", name, why ? why : "libarchive error");
}

static int write_members(struct archive *a, const member *m, size_t n, time_t mtime,
                         const char *name, psc_archive_fetch_fn fetch, const void *ctx,
                         psc_err *e)
{
    struct archive_entry *en = la.archive_entry_new();
    if (en == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
    int rc = PSC_OK;
    for (size_t i = 0; i < n && rc == PSC_OK; i++) {
        la.archive_entry_clear(en);
        const psc_archive_file *f = m[i].file;
        if (f == NULL) {
            size_t len = strlen(m[i].key);
            m[i].key[len - 1] = '\0'; /* libarchive adds the slash itself */
            la.archive_entry_set_pathname(en, m[i].key);
            m[i].key[len - 1] = '/';
            la.archive_entry_set_filetype(en, AE_IFDIR);
            la.archive_entry_set_perm(en, 0755);
            la.archive_entry_set_size(en, 0);
        } else {
            la.archive_entry_set_pathname(en, f->path);
            la.archive_entry_set_filetype(en, AE_IFREG);
            la.archive_entry_set_perm(en, f->executable ? 0755 : 0644);
            la.archive_entry_set_size(en, (la_int64_t)f->len);
        }
        la.archive_entry_set_mtime(en, mtime, 0);
        la.archive_entry_set_uid(en, 0);
        la.archive_entry_set_gid(en, 0);
        la.archive_entry_set_uname(en, "root");
        la.archive_entry_set_gname(en, "root");
        if (la.archive_write_header(a, en) != ARCHIVE_OK) {
            rc = la_fail(a, name, e);
            break;
        }
        if (f == NULL || f->len == 0)
            continue;
        const unsigned char *data = f->data;
        size_t len = f->len;
        psc_buf tmp;
        psc_buf_init(&tmp);
        if (data == NULL && fetch && (rc = fetch(ctx, f, &tmp, &data, &len, e)) == PSC_OK &&
            len != f->len)
            rc = psc_fail(e, PSC_EOUTPUT, "%s: %s changed while the archive was written", name,
                          f->path);
        if (rc == PSC_OK && la.archive_write_data(a, data, len) != (la_ssize_t)len)
            rc = la_fail(a, name, e);
        psc_buf_free(&tmp, 0);
    }
    la.archive_entry_free(en);
    return rc;
}

/* Zip stores MS-DOS times in local time (libarchive uses localtime_r): pin
 * the zone to UTC while writing so the bytes do not depend on the caller's TZ. */
typedef struct tz_saved {
    char *tz;
    int had;
} tz_saved;

static void tz_pin_utc(tz_saved *s)
{
    const char *tz = getenv("TZ");
    s->had = tz != NULL;
    s->tz = tz ? strdup(tz) : NULL;
    setenv("TZ", "UTC0", 1);
    tzset();
}

static void tz_restore(tz_saved *s)
{
    if (s->had && s->tz)
        setenv("TZ", s->tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(s->tz);
}

int psc_archive_build(psc_archive_kind kind, const psc_archive_file *files, size_t n,
                      time_t mtime, const char *name, psc_buf *out, psc_err *e)
{
    return psc_archive_build_fetched(kind, files, n, mtime, name, NULL, NULL, out, e);
}

int psc_archive_build_fetched(psc_archive_kind kind, const psc_archive_file *files, size_t n,
                              time_t mtime, const char *name, psc_archive_fetch_fn fetch,
                              const void *ctx, psc_buf *out, psc_err *e)
{
    if (kind != PSC_ARCHIVE_TARGZ && kind != PSC_ARCHIVE_ZIP)
        return psc_fail(e, PSC_EUSAGE, "%s: archive name must end in .tar.gz, .tgz or .zip", name);
    member *m = NULL;
    size_t count = 0;
    int rc = collect_members(files, n, name, &m, &count, e);
    if (rc == PSC_OK && (rc = la_open(name, e)) != PSC_OK)
        members_free(m, count);
    if (rc != PSC_OK)
        return rc;
    struct archive *a = la.archive_write_new();
    if (a == NULL) {
        members_free(m, count);
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
    }
    tz_saved tz = {0};
    if (kind == PSC_ARCHIVE_TARGZ) {
        if (la.archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
            la.archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
            la.archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
            la.archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK)
            rc = la_fail(a, name, e);
    } else {
        tz_pin_utc(&tz);
        if (la.archive_write_set_format_zip(a) != ARCHIVE_OK ||
            la.archive_write_set_format_option(a, "zip", "compression", "deflate") != ARCHIVE_OK)
            rc = la_fail(a, name, e);
    }
    if (rc == PSC_OK && la.archive_write_open2(a, out, NULL, buf_write_cb, NULL, NULL) != ARCHIVE_OK)
        rc = la_fail(a, name, e);
    if (rc == PSC_OK)
        rc = write_members(a, m, count, mtime, name, fetch, ctx, e);
    if (rc == PSC_OK && la.archive_write_close(a) != ARCHIVE_OK)
        rc = la_fail(a, name, e);
    la.archive_write_free(a);
    if (kind == PSC_ARCHIVE_ZIP)
        tz_restore(&tz);
    members_free(m, count);
    return rc;
}
