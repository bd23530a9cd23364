/* pselist: this project's readable, diffable picture of a PSE as STRUST
 * shows it (formats.md): the own certificate (with its chain), then the
 * certificate list.  The PEM blocks are authoritative; the lines above each
 * block are for people and are checked against it on read, so a hand edit
 * that is not reflected in the certificate is caught (exit 3).
 *
 *   pseconv-pselist 1            the one header line (version 1)
 *   pse: SSL Client Standard     optional: PSE kind, from SAPSSLC/S/A/...
 *   file: SAPSSLC.pse            optional: the file the store was read from
 *   system: ERP                  optional: SID, from an /usr/sap/<SID>/ path
 *   <blank>
 *   own:       | chain:     | trusted:     one block per certificate
 *   subject: / issuer: / valid: A .. B / sha256:   all four, in this order
 *   -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----
 *
 * `chain:` blocks follow `own:` and hold its intermediates and root, leaf
 * first.  `#` starts a comment line.  Private keys are never written.  Order
 * is the store's order, so the same store always gives the same bytes. */
#include "format.h"
#include "cursor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#define PSELIST_MAGIC "pseconv-pselist "
#define PSELIST_HEADER "pseconv-pselist 1"
#define PSELIST_MAX_BLOCK (1u << 20) /* base64 text of one certificate */

/* Does the text at c start with s?  Advances past it when it does. */
static int cursor_starts(psc_cursor *c, const char *s)
{
    psc_cursor t = *c;
    const unsigned char *p;
    size_t n = strlen(s);
    if (psc_cursor_bytes(&t, n, &p) != 0 || memcmp(p, s, n) != 0)
        return 0;
    *c = t;
    return 1;
}

static int probe(const unsigned char *buf, size_t len)
{
    psc_cursor c;
    psc_cursor_init(&c, buf, len);
    cursor_starts(&c, "\xef\xbb\xbf"); /* UTF-8 BOM */
    return cursor_starts(&c, PSELIST_MAGIC) ? 100 : 0;
}

/* Field values are one line: control characters (never in the store's
 * RFC 2253 strings, but certificates are untrusted) are shown as \xNN. */
static int put_escaped(psc_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch < 0x20 || ch == 0x7f) ? psc_buf_printf(b, "\\x%02x", ch)
                                      : psc_buf_append(b, s, 1))
            return -1;
    }
    return 0;
}

/* ---- writer --------------------------------------------------------------- */

static int put_block(psc_buf *b, const char *kind, const psc_cert *c)
{
    char nb[21], na[21];
    psc_time_rfc3339(c->not_before, nb);
    psc_time_rfc3339(c->not_after, na);
    if (psc_buf_printf(b, "%s:\nsubject: ", kind) || put_escaped(b, c->subject) ||
        psc_buf_puts(b, "\nissuer: ") || put_escaped(b, c->issuer) ||
        psc_buf_printf(b, "\nvalid: %s .. %s\nsha256: %s\n-----BEGIN CERTIFICATE-----\n", nb, na,
                       c->sha256_hex))
        return -1;
    for (size_t off = 0; off < c->der_len; off += 48) {
        unsigned char line[65];
        size_t n = c->der_len - off < 48 ? c->der_len - off : 48;
        int k = EVP_EncodeBlock(line, c->der + off, (int)n);
        if (psc_buf_append(b, line, (size_t)k) || psc_buf_puts(b, "\n"))
            return -1;
    }
    return psc_buf_puts(b, "-----END CERTIFICATE-----\n");
}

/* SAP's standard PSE names -> the node STRUST shows them under. */
static const char *pse_kind(const char *base)
{
    static const struct { const char *file, *kind; } kinds[] = {
        {"SAPSSLC.pse", "SSL Client Standard"}, {"SAPSSLS.pse", "SSL Server Standard"},
        {"SAPSSLA.pse", "SSL Client Anonymous"}, {"SAPSYS.pse", "System PSE"},
        {"SAPSNCS.pse", "SNC SAPCryptolib"},     {"SAPSSLF.pse", "File Signature"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcasecmp(base, kinds[i].file) == 0)
            return kinds[i].kind;
    return NULL;
}

/* "/usr/sap/ERP/DVEBMGS00/sec/SAPSSLC.pse" -> "ERP" (a three-character SID). */
static int system_from_path(const char *path, char sid[4])
{
    const char *p = strstr(path, "/usr/sap/");
    if (p == NULL)
        return 0;
    p += 9;
    for (int i = 0; i < 3; i++)
        if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
            return 0;
    if (p[3] != '/' || p[0] < 'A' || p[0] > 'Z')
        return 0;
    memcpy(sid, p, 3);
    sid[3] = '\0';
    return 1;
}

static int put_header(psc_buf *b, const psc_entry *first)
{
    if (psc_buf_puts(b, PSELIST_HEADER "\n"))
        return -1;
    const char *file = first ? first->origin.file : NULL;
    if (file && strcmp(file, "<stdin>") != 0) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        const char *kind = pse_kind(base);
        char sid[4];
        if ((kind && (psc_buf_puts(b, "pse: ") || put_escaped(b, kind) || psc_buf_puts(b, "\n"))) ||
            psc_buf_puts(b, "file: ") || put_escaped(b, base) || psc_buf_puts(b, "\n") ||
            (system_from_path(file, sid) && psc_buf_printf(b, "system: %s\n", sid)))
            return -1;
    }
    return 0;
}

static int pselist_write(psc_store *st, psc_buf *out, const psc_write_opts *o, psc_err *e)
{
    size_t n = psc_store_entry_count(st);
    size_t with_certs = 0;
    for (size_t i = 0; i < n; i++)
        with_certs += psc_store_entry(st, i)->chain_len > 0;
    if (with_certs == 0) /* e.g. a key alone: same condition, same exit code as pem and p12 */
        return psc_fail(e, PSC_EINPUT, "%s: nothing to write: the input holds no certificates",
                        o->path);
    psc_entry *own = NULL;
    for (size_t i = 0; i < n && own == NULL; i++)
        if (psc_store_entry(st, i)->type == PSC_ENTRY_OWN && psc_store_entry(st, i)->chain_len)
            own = psc_store_entry(st, i);
    for (size_t i = 0; i < n && own == NULL; i++)
        if (psc_store_entry(st, i)->type == PSC_ENTRY_KEYPAIR && psc_store_entry(st, i)->chain_len)
            own = psc_store_entry(st, i);
    if (put_header(out, own ? own : psc_store_entry(st, 0)) || psc_buf_puts(out, "\n"))
        goto oom;
    if (own) {
        if (own->key && o->include_keys)
            psc_store_warn(st, "%s: a pselist holds certificates only; the private key of '%s' "
                               "was not written", o->path, own->alias ? own->alias : "");
        for (size_t k = 0; k < own->chain_len; k++)
            if ((k && psc_buf_puts(out, "\n")) ||
                put_block(out, k == 0 ? "own" : "chain", own->chain[k]))
                goto oom;
    }
    /* Everything else is the certificate list, each certificate once. */
    size_t ncerts = psc_store_cert_count(st), written = own ? 1 : 0;
    unsigned char *seen = calloc(ncerts ? ncerts : 1, 1);
    if (seen == NULL)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en == own)
            continue;
        if (en->type == PSC_ENTRY_SECRET) {
            psc_store_warn(st, "%s: secret key '%s' left out (a pselist holds certificates)",
                           o->path, en->alias ? en->alias : "");
            continue;
        }
        if ((en->type == PSC_ENTRY_KEYPAIR || en->type == PSC_ENTRY_OWN) && en->chain_len)
            psc_store_warn(st, "%s: a pselist has one own certificate; the certificates of key "
                               "pair '%s' are listed as trusted, without the key",
                           o->path, en->alias ? en->alias : "");
        for (size_t k = 0; k < en->chain_len; k++) {
            psc_cert *c = en->chain[k];
            if (c->index < ncerts && seen[c->index])
                continue;
            if (c->index < ncerts)
                seen[c->index] = 1;
            if ((written++ && psc_buf_puts(out, "\n")) || put_block(out, "trusted", c)) {
                free(seen);
                goto oom;
            }
        }
    }
    free(seen);
    return PSC_OK;
oom:
    return psc_fail(e, PSC_EOUTPUT, "%s: out of memory while writing the pselist", o->path);
}

/* ---- reader --------------------------------------------------------------- */

typedef struct pl_reader {
    psc_cursor cur;
    size_t lineno;
    const char *line; /* current line without the line end; not NUL-terminated */
    size_t len;
    const psc_read_opts *o;
    psc_err *e;
} pl_reader;

/* Next line (CR LF or LF); 0 at the end of the text.  A NUL byte fails. */
static int next_line(pl_reader *r, int *bad)
{
    size_t rem = psc_cursor_remaining(&r->cur);
    const unsigned char *p;
    *bad = 0;
    if (rem == 0)
        return 0;
    psc_cursor peek = r->cur;
    if (psc_cursor_bytes(&peek, rem, &p) != 0)
        return 0;
    const unsigned char *nl = memchr(p, '\n', rem);
    size_t n = nl ? (size_t)(nl - p) : rem;
    psc_cursor_skip(&r->cur, nl ? n + 1 : n);
    if (memchr(p, '\0', n) != NULL)
        *bad = 1;
    if (n && p[n - 1] == '\r')
        n--;
    r->line = (const char *)p;
    r->len = n;
    r->lineno++;
    return 1;
}

/* Next line that is not a comment; 0 at the end of the text. */
static int next_content_line(pl_reader *r, int *bad)
{
    while (next_line(r, bad))
        if (*bad || r->len == 0 || r->line[0] != '#')
            return 1;
    return 0;
}

static int is(const pl_reader *r, const char *s)
{
    return strlen(s) == r->len && memcmp(r->line, s, r->len) == 0;
}

static int fail_line(pl_reader *r, const char *what)
{
    return psc_fail(r->e, PSC_EINPUT,
                    "%s line %zu: %s; the PEM blocks are authoritative: regenerate the file with "
                    "'pseconv convert ... -o FILE.pselist' instead of editing it",
                    r->o->path, r->lineno, what);
}

/* One "key: value" line of a block, kept until the certificate is decoded. */
typedef struct pl_field {
    const char *value;
    size_t len;
    size_t lineno;
} pl_field;

static const char *const field_keys[4] = {"subject", "issuer", "valid", "sha256"};

static int read_field(pl_reader *r, const char *key, pl_field *f)
{
    int bad;
    size_t kl = strlen(key);
    if (!next_content_line(r, &bad))
        return psc_fail(r->e, PSC_EINPUT, "%s line %zu: truncated certificate block; the file "
                                          "is cut off", r->o->path, r->lineno);
    if (bad || r->len < kl + 2 || memcmp(r->line, key, kl) != 0 || r->line[kl] != ':' ||
        r->line[kl + 1] != ' ') {
        char msg[100];
        snprintf(msg, sizeof msg, "expected the '%s:' line of the block", key);
        return fail_line(r, msg);
    }
    f->value = r->line + kl + 2;
    f->len = r->len - kl - 2;
    f->lineno = r->lineno;
    return PSC_OK;
}

/* The value must equal `want` as the writer escapes it. */
static int check_field(pl_reader *r, const pl_field *f, const char *key, const char *want, int ci)
{
    psc_buf w;
    psc_buf_init(&w);
    if (put_escaped(&w, want) != 0) {
        psc_buf_free(&w, 0);
        return psc_fail(r->e, PSC_EINPUT, "%s: out of memory", r->o->path);
    }
    int same = f->len == w.len && (ci ? strncasecmp(f->value, (const char *)w.data, f->len) == 0
                                      : memcmp(f->value, w.data, f->len) == 0);
    psc_buf_free(&w, 0);
    if (same)
        return PSC_OK;
    char msg[100];
    snprintf(msg, sizeof msg, "'%s:' does not match the certificate below it", key);
    r->lineno = f->lineno;
    return fail_line(r, msg);
}

/* The PEM block after the fields: BEGIN, base64 lines, END. */
static int read_pem(pl_reader *r, psc_buf *der)
{
    int bad;
    if (!next_line(r, &bad) || bad || !is(r, "-----BEGIN CERTIFICATE-----"))
        return fail_line(r, "expected '-----BEGIN CERTIFICATE-----'");
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    if (ctx == NULL || psc_buf_reserve(der, 4096) != 0) {
        EVP_ENCODE_CTX_free(ctx);
        return psc_fail(r->e, PSC_EINPUT, "%s: out of memory", r->o->path);
    }
    EVP_DecodeInit(ctx);
    size_t text = 0;
    int rc = PSC_OK;
    for (;;) {
        if (!next_line(r, &bad)) {
            rc = psc_fail(r->e, PSC_EINPUT, "%s line %zu: truncated certificate block (no "
                                            "'-----END CERTIFICATE-----'); the file is cut off",
                          r->o->path, r->lineno);
            break;
        }
        if (bad) {
            rc = fail_line(r, "NUL byte inside the certificate block");
            break;
        }
        if (is(r, "-----END CERTIFICATE-----"))
            break;
        text += r->len;
        int n = 0;
        if (text > PSELIST_MAX_BLOCK || psc_buf_reserve(der, r->len) != 0 ||
            EVP_DecodeUpdate(ctx, der->data + der->len, &n, (const unsigned char *)r->line,
                             (int)r->len) < 0) {
            rc = fail_line(r, "the certificate block is not base64");
            break;
        }
        der->len += (size_t)n;
    }
    if (rc == PSC_OK) {
        int n = 0;
        if (psc_buf_reserve(der, 64) != 0 || EVP_DecodeFinal(ctx, der->data + der->len, &n) != 1 ||
            der->len + (size_t)n == 0)
            rc = fail_line(r, "the certificate block is not complete base64");
        else
            der->len += (size_t)n;
    }
    EVP_ENCODE_CTX_free(ctx);
    return rc;
}

static int read_block(pl_reader *r, psc_store *st, psc_cert **out)
{
    pl_field f[4];
    int rc = PSC_OK;
    for (int i = 0; i < 4 && rc == PSC_OK; i++)
        rc = read_field(r, field_keys[i], &f[i]);
    psc_buf der;
    psc_buf_init(&der);
    if (rc == PSC_OK)
        rc = read_pem(r, &der);
    if (rc == PSC_OK) {
        char what[300];
        snprintf(what, sizeof what, "%s line %zu", r->o->path, r->lineno);
        *out = psc_store_add_cert_der(st, der.data, der.len, what, r->e);
        if (*out == NULL)
            rc = r->e->code ? r->e->code : PSC_EINPUT;
    }
    psc_buf_free(&der, 0);
    if (rc != PSC_OK)
        return rc;
    const psc_cert *c = *out;
    char nb[21], na[21], valid[48];
    psc_time_rfc3339(c->not_before, nb);
    psc_time_rfc3339(c->not_after, na);
    snprintf(valid, sizeof valid, "%s .. %s", nb, na);
    const char *want[4] = {c->subject, c->issuer, valid, c->sha256_hex};
    for (int i = 0; i < 4 && rc == PSC_OK; i++)
        rc = check_field(r, &f[i], field_keys[i], want[i], i == 3);
    return rc;
}

static int read_header(pl_reader *r)
{
    int bad;
    if (!next_line(r, &bad) || bad || !is(r, PSELIST_HEADER)) {
        if (r->len > strlen(PSELIST_MAGIC) && memcmp(r->line, PSELIST_MAGIC,
                                                     strlen(PSELIST_MAGIC)) == 0)
            return fail_line(r, "this pselist version is not supported (pseconv reads '"
                                PSELIST_HEADER "')");
        return fail_line(r, "the first line must be '" PSELIST_HEADER "'");
    }
    static const char *const keys[] = {"pse: ", "file: ", "system: "};
    while (next_line(r, &bad)) {
        if (bad)
            return fail_line(r, "NUL byte in the header");
        if (r->len == 0)
            return PSC_OK;
        if (r->line[0] == '#')
            continue;
        int ok = 0;
        for (size_t k = 0; k < 3 && !ok; k++)
            ok = r->len > strlen(keys[k]) && memcmp(r->line, keys[k], strlen(keys[k])) == 0;
        if (!ok)
            return fail_line(r, "wrong header line (the header holds only 'pse:', 'file:' and "
                                "'system:' lines, then a blank line)");
    }
    return PSC_OK;
}

static int pselist_read(psc_store *st, const unsigned char *buf, size_t len,
                        const psc_read_opts *o, psc_err *e)
{
    pl_reader r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.e = e;
    psc_cursor_init(&r.cur, buf, len);
    cursor_starts(&r.cur, "\xef\xbb\xbf"); /* UTF-8 BOM */
    int rc = read_header(&r), bad;
    psc_entry *own = NULL, *last = NULL;
    size_t index = 0;
    while (rc == PSC_OK && next_line(&r, &bad)) {
        if (bad) {
            rc = fail_line(&r, "NUL byte");
            break;
        }
        if (r.len == 0 || r.line[0] == '#')
            continue;
        psc_entry_type type;
        int chain = 0;
        if (is(&r, "own:")) {
            if (own != NULL) {
                rc = fail_line(&r, "a second 'own:' block (a PSE has one own certificate)");
                break;
            }
            type = PSC_ENTRY_OWN;
        } else if (is(&r, "chain:")) {
            if (own == NULL || last != own) {
                rc = fail_line(&r, "'chain:' must follow the 'own:' block");
                break;
            }
            chain = 1;
            type = PSC_ENTRY_OWN;
        } else if (is(&r, "trusted:")) {
            type = PSC_ENTRY_TRUSTED;
        } else {
            rc = fail_line(&r, "expected 'own:', 'chain:' or 'trusted:' to start a block");
            break;
        }
        psc_cert *c = NULL;
        if ((rc = read_block(&r, st, &c)) != PSC_OK)
            break;
        if (chain) {
            if (psc_entry_push_cert(own, c) != 0)
                rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", o->path);
            continue;
        }
        last = psc_store_add_entry(st, type, NULL, o->path, "pselist", index++);
        if (last == NULL || psc_entry_push_cert(last, c) != 0)
            rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", o->path);
        if (type == PSC_ENTRY_OWN)
            own = last;
    }
    return rc;
}

const psc_format psc_format_pselist = {"pselist", ".pselist", 1, probe, pselist_read,
                                       pselist_write};
