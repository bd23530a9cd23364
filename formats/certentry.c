/* What the three X.509 container formats (pem.c, der.c, p7b.c) share, below
 * all three so none of them calls another: bare certificate entries, each
 * certificate once per file (psc_seen); PKCS#7 SignedData certificates into
 * the store; the store's distinct certificates for writing; the PEM BEGIN
 * line finder (pem.c scans with it, p7b.c finds its armour with it). */
#include "certentry.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

int psc_seen_mark(psc_seen *s, const psc_cert *c)
{
    if (c->index >= s->cap) {
        size_t cap = s->cap ? s->cap : 64;
        while (cap <= c->index)
            cap *= 2;
        unsigned char *f = realloc(s->flags, cap);
        if (f == NULL)
            return -1;
        memset(f + s->cap, 0, cap - s->cap);
        s->flags = f;
        s->cap = cap;
    }
    if (s->flags[c->index])
        return 1;
    s->flags[c->index] = 1;
    return 0;
}

void psc_seen_free(psc_seen *s)
{
    free(s->flags);
    s->flags = NULL;
    s->cap = 0;
}

int psc_add_cert_entry(psc_store *st, psc_cert *c, const char *path, const char *fmt,
                       size_t *index, psc_seen *seen, psc_err *e)
{
    int dup = psc_seen_mark(seen, c);
    if (dup < 0)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    if (dup)
        return PSC_OK; /* the same certificate twice in one file is one entry */
    psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, NULL, path, fmt, *index);
    if (en == NULL || psc_entry_push_cert(en, c) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
    (*index)++;
    return PSC_OK;
}

int psc_p7_looks_signed(const unsigned char *buf, size_t len)
{
    /* DER of OID 1.2.840.113549.1.7.2 (signedData), tag and length included */
    static const unsigned char oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x0d, 0x01, 0x07, 0x02};
    psc_cursor c;
    uint8_t tag, l;
    const unsigned char *p;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_u8(&c, &tag) != 0 || tag != 0x30 || psc_cursor_u8(&c, &l) != 0)
        return 0;
    if (l > 0x84) /* 0x80 = indefinite (BER) is fine, 0x81..0x84 long form */
        return 0;
    if (l > 0x80 && psc_cursor_skip(&c, l & 0x7fu) != 0)
        return 0;
    if (psc_cursor_bytes(&c, sizeof oid, &p) != 0)
        return 0;
    return memcmp(p, oid, sizeof oid) == 0;
}

int psc_p7_add_certs(psc_store *st, const unsigned char *der, size_t len, const char *path,
                     const char *fmt, size_t *index, psc_seen *seen, psc_err *e)
{
    if (len > 0x7fffffffu)
        return psc_fail(e, PSC_EINPUT, "%s: PKCS#7 structure too large", path);
    const unsigned char *p = der;
    PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
    if (p7 == NULL) {
        ERR_clear_error();
        return psc_fail(e, PSC_EINPUT, "%s: damaged PKCS#7 structure (does not parse); re-export it",
                        path);
    }
    int rc = PSC_OK;
    if (!PKCS7_type_is_signed(p7) || p7->d.sign == NULL) {
        rc = psc_fail(e, PSC_EINPUT,
                      "%s: PKCS#7 of type %s, not a certificate bundle (SignedData)", path,
                      OBJ_nid2sn(OBJ_obj2nid(p7->type)));
        goto out;
    }
    STACK_OF(X509) *certs = p7->d.sign->cert;
    if (certs == NULL || sk_X509_num(certs) == 0) {
        rc = psc_fail(e, PSC_EINPUT, "%s: the PKCS#7 bundle holds no certificates", path);
        goto out;
    }
    for (int i = 0; i < sk_X509_num(certs) && rc == PSC_OK; i++) {
        psc_cert *c = psc_store_add_x509(st, sk_X509_value(certs, i), path, e);
        rc = c ? psc_add_cert_entry(st, c, path, fmt, index, seen, e) : PSC_EINPUT;
    }
    if (rc == PSC_OK && (size_t)(p - der) < len)
        psc_store_warn(st, "%s: %zu bytes after the PKCS#7 structure ignored", path,
                       len - (size_t)(p - der));
out:
    PKCS7_free(p7);
    ERR_clear_error();
    return rc;
}

int psc_store_distinct_certs(psc_store *st, psc_cert ***out, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++)
        total += psc_store_entry(st, i)->chain_len;
    *out = NULL;
    *n = 0;
    if (total == 0)
        return 0;
    psc_cert **list = malloc(total * sizeof *list);
    psc_seen seen = {0};
    if (list == NULL)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        psc_entry *en = psc_store_entry(st, i);
        for (size_t j = 0; j < en->chain_len; j++) {
            int dup = psc_seen_mark(&seen, en->chain[j]);
            if (dup < 0) {
                free(list);
                psc_seen_free(&seen);
                return -1;
            }
            if (!dup)
                list[k++] = en->chain[j];
        }
    }
    psc_seen_free(&seen);
    *out = list;
    *n = k;
    return 0;
}

void psc_warn_keys_dropped(psc_store *st, const char *fmt, const psc_write_opts *opts)
{
    if (!opts->include_keys)
        return;
    for (size_t i = 0; i < psc_store_entry_count(st); i++)
        if (psc_store_entry(st, i)->key != NULL) {
            psc_store_warn(st, "%s: private keys are not written (%s holds certificates only); "
                               "use pem or p12 to keep them", opts->path, fmt);
            return;
        }
}

/* ---- PEM BEGIN lines ----------------------------------------------------- */

static const char begin_tag[] = "-----BEGIN ";

static int at_line_start(const unsigned char *buf, size_t at)
{
    size_t i = at;
    while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
        i--;
    if (i == 0 || buf[i - 1] == '\n')
        return 1;
    return i == 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0; /* UTF-8 BOM */
}

int psc_pem_find_begin(const unsigned char *buf, size_t len, size_t from, size_t *at)
{
    const size_t n = sizeof begin_tag - 1;
    while (from < len && len - from >= n) {
        const unsigned char *hit = memmem(buf + from, len - from, begin_tag, n);
        if (hit == NULL)
            return -1;
        size_t h = (size_t)(hit - buf);
        if (at_line_start(buf, h)) {
            *at = h;
            return 0;
        }
        from = h + 1;
    }
    return -1;
}
