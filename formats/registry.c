/* The format table: adding a format is one file in formats/ and one row here.
 * Order matters only for ties in detection (earlier wins). */
#include "format.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const psc_format psc_format_pem;
extern const psc_format psc_format_der;
extern const psc_format psc_format_p7b;
extern const psc_format psc_format_p12;
extern const psc_format psc_format_jks;
extern const psc_format psc_format_jceks;
extern const psc_format psc_format_pse;
extern const psc_format psc_format_pselist;

static const psc_format *const formats[] = {
    &psc_format_pselist, /* before pem: a pselist also holds PEM blocks */
    &psc_format_pem,     &psc_format_der, &psc_format_p7b,   &psc_format_p12,
    &psc_format_jks,     &psc_format_jceks, &psc_format_pse,
};

size_t psc_format_count(void) { return sizeof formats / sizeof formats[0]; }

const psc_format *psc_format_at(size_t i)
{
    return i < psc_format_count() ? formats[i] : NULL;
}

const psc_format *psc_format_by_name(const char *name)
{
    for (size_t i = 0; i < psc_format_count(); i++)
        if (strcasecmp(formats[i]->name, name) == 0)
            return formats[i];
    if (strcasecmp(name, "pkcs12") == 0 || strcasecmp(name, "pfx") == 0)
        return &psc_format_p12;
    if (strcasecmp(name, "pkcs7") == 0)
        return &psc_format_p7b;
    return NULL;
}

const psc_format *psc_format_by_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot == NULL || dot[1] == '\0')
        return NULL;
    size_t n = strlen(dot);
    for (size_t i = 0; i < psc_format_count(); i++) {
        const char *exts = formats[i]->extensions;
        for (const char *p = exts; p && *p;) {
            const char *end = strchr(p, ' ');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            if (len == n && strncasecmp(p, dot, n) == 0 && formats[i]->write != NULL)
                return formats[i];
            p = end ? end + 1 : NULL;
        }
    }
    return NULL;
}

const psc_format *psc_format_detect(const unsigned char *buf, size_t len)
{
    const psc_format *best = NULL;
    int best_score = 0;
    for (size_t i = 0; i < psc_format_count(); i++) {
        if (formats[i]->probe == NULL || formats[i]->read == NULL)
            continue;
        int score = formats[i]->probe(buf, len);
        if (score > best_score) {
            best = formats[i];
            best_score = score;
        }
    }
    return best;
}

/* The KDF iteration cap when the caller set none: PSECONV_MAX_ITERATIONS
 * (1..4294967295) or PSC_DEFAULT_MAX_ITERATIONS.  An environment variable
 * because every command and the landscape loader read files. */
static int max_iterations_from_env(unsigned long *cap, psc_err *e)
{
    const char *v = getenv("PSECONV_MAX_ITERATIONS");
    *cap = PSC_DEFAULT_MAX_ITERATIONS;
    if (v == NULL || *v == '\0')
        return PSC_OK;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || !isdigit((unsigned char)v[0]) || n == 0 ||
        n > 4294967295ULL)
        return psc_fail(e, PSC_EUSAGE,
                        "PSECONV_MAX_ITERATIONS=%.40s is not a number 1..4294967295; unset it "
                        "or give the key-derivation iteration cap",
                        v);
    *cap = (unsigned long)n;
    return PSC_OK;
}

/* The one place that decides about skipped content (issue 23): a container
 * that held something yet gave no entry and no key is an error naming what
 * was skipped; otherwise each skip is a warning.  Legitimately empty
 * containers (a keystore without entries, a PSE without objects) report no
 * skips and read as "0 entries". */
static int judge_skipped(psc_store *st, const psc_read_opts *o, const psc_format *f,
                         psc_store_mark before, int rc, psc_err *e)
{
    psc_read_report *r = o->report;
    psc_store_mark after = psc_store_get_mark(st);
    int nothing = after.entries == before.entries && after.keys == before.keys;
    if (rc == PSC_OK && r->nskipped > 0 && nothing) {
        char more[64] = "";
        if (r->nskipped > 1)
            snprintf(more, sizeof more, " (and %zu more, see the warnings)", r->nskipped - 1);
        rc = psc_fail(e, PSC_EINPUT,
                      "%s: nothing read from this %s file (no certificate or key pseconv can "
                      "use): %s%s",
                      o->path, f->name, r->skipped[0], more);
        for (size_t i = 1; i < r->nskipped; i++)
            psc_store_warn(st, "%s: %s", o->path, r->skipped[i]);
    } else if (rc == PSC_OK) {
        for (size_t i = 0; i < r->nskipped; i++)
            psc_store_warn(st, "%s: %s", o->path, r->skipped[i]);
    }
    for (size_t i = 0; i < r->nskipped; i++)
        free(r->skipped[i]);
    free(r->skipped);
    return rc;
}

int psc_read_buffer(psc_store *st, const unsigned char *buf, size_t len, const psc_format *forced,
                    const psc_read_opts *opts, const psc_format **used, psc_err *e)
{
    psc_read_opts capped = *opts;
    if (capped.max_iterations == 0) {
        int rc = max_iterations_from_env(&capped.max_iterations, e);
        if (rc != PSC_OK)
            return rc;
        opts = &capped;
    }
    const psc_format *f = forced ? forced : psc_format_detect(buf, len);
    if (used)
        *used = f;
    if (f == NULL)
        return psc_fail(e, PSC_EINPUT,
                        len == 0 ? "%s is empty"
                                 : "%s: unknown format (not PEM, DER, PKCS#7, PKCS#12, JKS, "
                                   "JCEKS, PSE or pselist); try --from FMT",
                        opts->path);
    if (f->read == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: pseconv cannot read the %s format", opts->path,
                        f->name);
    psc_read_report report = {0};
    psc_read_opts with_report = *opts;
    with_report.report = &report;
    psc_store_mark before = psc_store_get_mark(st);
    int rc = f->read(st, buf, len, &with_report, e);
    return judge_skipped(st, &with_report, f, before, rc, e);
}

int psc_read_file(psc_store *st, const char *path, const psc_format *forced,
                  const psc_read_opts *opts, const psc_format **used, psc_err *e)
{
    psc_buf b;
    psc_buf_init(&b);
    psc_read_opts o = *opts;
    if (o.path == NULL)
        o.path = strcmp(path, "-") == 0 ? "<stdin>" : path;
    int rc = psc_buf_read_file(&b, path, PSC_MAX_INPUT_BYTES, e);
    if (rc == PSC_OK)
        rc = psc_read_buffer(st, b.data, b.len, forced, &o, used, e);
    psc_buf_free(&b, 1); /* may hold an unencrypted key */
    return rc;
}
