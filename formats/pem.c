/* PEM: certificates, private keys and PKCS#7 blocks in base64 armour, with
 * any text around them (openssl s_client -showcerts output, "Bag Attributes"
 * lines of `openssl pkcs12 -nodes`), CRLF line ends and a UTF-8 BOM.
 *
 * This file only finds the blocks (bounds-checked scanning of BEGIN/END
 * lines); OpenSSL decodes each one: PEM_read_bio_ex for the base64, the
 * store's d2i for certificates, OSSL_DECODER (with the passphrase) for keys.
 *
 * Writing: per entry in store order its certificates (leaf, then chain),
 * each certificate once in the whole file, then the entry's private key as
 * PKCS#8: encrypted (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC) when a
 * password is given, else unencrypted; no key when include_keys is 0. */
#include "certentry.h"
#include "describe.h"
#include "cursor.h"
#include "pbe_guard.h"
#include "p12_cipher.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#define PEM_PROBE_WINDOW 65536u
#define PEM_MAX_LABEL 64u
#define PKCS8_ITERATIONS 100000 /* PBKDF2 rounds for keys we encrypt */

#define BEGIN_TAG "-----BEGIN " /* at a block's start (psc_pem_find_begin) */
static const char dashes[] = "-----";

/* ---- scanning ------------------------------------------------------------ */

typedef struct pem_block {
    size_t start, end;              /* the armoured text [start, end) incl. both marker lines */
    size_t body, end_marker;        /* after "-----BEGIN label-----"; at "-----END" */
    char label[PEM_MAX_LABEL + 1];  /* "CERTIFICATE", "PRIVATE KEY", ... */
} pem_block;

enum { BLOCK_FOUND = 0, BLOCK_NONE = 1, BLOCK_TRUNCATED = -1 };

/* Label after "-----BEGIN " at `at`: up to "-----" on the same line, printable. */
static int parse_label(const unsigned char *buf, size_t len, size_t at, pem_block *b,
                       size_t *after)
{
    size_t p = at + sizeof BEGIN_TAG - 1, n = 0;
    while (p < len && n <= PEM_MAX_LABEL) {
        if (len - p >= 5 && memcmp(buf + p, dashes, 5) == 0) {
            if (n == 0)
                return -1;
            b->label[n] = '\0';
            *after = p + 5;
            return 0;
        }
        if (buf[p] < 0x20 || buf[p] > 0x7e)
            return -1;
        if (n == PEM_MAX_LABEL)
            return -1;
        b->label[n++] = (char)buf[p++];
    }
    return -1;
}

/* The next block at or after `from`. */
static int next_block(const unsigned char *buf, size_t len, size_t from, pem_block *b)
{
    size_t at, body;
    for (;;) {
        if (psc_pem_find_begin(buf, len, from, &at) != 0)
            return BLOCK_NONE;
        if (parse_label(buf, len, at, b, &body) == 0)
            break;
        from = at + 1; /* "-----BEGIN " without a proper label: text, not a block */
    }
    char end_marker[PEM_MAX_LABEL + 16];
    int m = snprintf(end_marker, sizeof end_marker, "-----END %s-----", b->label);
    if (m <= 0 || (size_t)m >= sizeof end_marker)
        return BLOCK_TRUNCATED;
    const unsigned char *end = memmem(buf + body, len - body, end_marker, (size_t)m);
    size_t next_begin;
    if (end == NULL)
        return BLOCK_TRUNCATED;
    size_t end_at = (size_t)(end - buf);
    /* another BEGIN before our END: this block was cut off */
    if (psc_pem_find_begin(buf, end_at, body, &next_begin) == 0)
        return BLOCK_TRUNCATED;
    b->start = at;
    b->body = body;
    b->end_marker = end_at;
    b->end = end_at + (size_t)m;
    while (b->end < len && (buf[b->end] == '\r' || buf[b->end] == '\n')) {
        b->end++;
        if (buf[b->end - 1] == '\n')
            break;
    }
    return BLOCK_FOUND;
}

static int pem_probe(const unsigned char *buf, size_t len)
{
    size_t at;
    return psc_pem_find_begin(buf, len < PEM_PROBE_WINDOW ? len : PEM_PROBE_WINDOW, 0, &at) == 0
               ? 90
               : 0;
}

/* ---- reading ------------------------------------------------------------- */

typedef struct key_list {
    EVP_PKEY **keys;
    size_t n, cap;
} key_list;

static void keys_free(key_list *k)
{
    for (size_t i = 0; i < k->n; i++)
        EVP_PKEY_free(k->keys[i]);
    free(k->keys);
}

static int keys_push(key_list *k, EVP_PKEY *key)
{
    if (psc_grow((void **)&k->keys, &k->cap, k->n + 1, sizeof *k->keys) != 0)
        return -1;
    k->keys[k->n++] = key;
    return 0;
}

static int is_key_label(const char *l)
{
    return strcmp(l, "PRIVATE KEY") == 0 || strcmp(l, "ENCRYPTED PRIVATE KEY") == 0 ||
           strcmp(l, "RSA PRIVATE KEY") == 0 || strcmp(l, "EC PRIVATE KEY") == 0 ||
           strcmp(l, "DSA PRIVATE KEY") == 0;
}

/* One key block (its armoured text) through OSSL_DECODER.  `header` is the
 * block's RFC 1421 header (traditional encryption: Proc-Type: 4,ENCRYPTED). */
static int decode_key(const unsigned char *text, size_t tlen, const pem_block *b,
                      const char *header, size_t blockno, const psc_read_opts *opts,
                      EVP_PKEY **out, psc_err *e)
{
    int encrypted = strcmp(b->label, "ENCRYPTED PRIVATE KEY") == 0 ||
                    (header != NULL && strstr(header, "ENCRYPTED") != NULL);
    const psc_secret *pw = opts->password;
    if (encrypted && !psc_secret_is_set(pw))
        return psc_fail(e, PSC_EINPUT, "%s: the private key is encrypted; give its password "
                                       "with --password", opts->path);
    EVP_PKEY *key = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, NULL,
                                                           EVP_PKEY_KEYPAIR, NULL, NULL);
    int ok = dctx != NULL;
    if (ok && encrypted)
        ok = OSSL_DECODER_CTX_set_passphrase(dctx, (const unsigned char *)pw->data, pw->len);
    const unsigned char *p = text;
    size_t left = tlen;
    if (ok)
        ok = OSSL_DECODER_from_data(dctx, &p, &left) && key != NULL;
    OSSL_DECODER_CTX_free(dctx);
    ERR_clear_error();
    if (!ok) {
        EVP_PKEY_free(key);
        if (encrypted)
            return psc_fail(e, PSC_EINPUT, "wrong password for %s (private key in PEM block %zu "
                                           "does not decrypt); check --password",
                            opts->path, blockno);
        return psc_fail(e, PSC_EINPUT, "%s: the private key in PEM block %zu (%s) cannot be "
                                       "decoded (damaged or unsupported algorithm)",
                        opts->path, blockno, b->label);
    }
    *out = key;
    return PSC_OK;
}

typedef struct pem_reader {
    psc_store *st;
    const psc_read_opts *opts;
    size_t index;   /* entries made from this file */
    psc_seen seen;
    key_list keys;  /* handed to the store only when the whole file read cleanly */
    char skipped[160]; /* labels of blocks pseconv does not read, for one message */
    psc_pbe_guard guard; /* iteration cap and per-file budget of encrypted keys */
} pem_reader;

/* Remember a label once; warned about (or named in the error) at the end. */
static void note_skipped(pem_reader *r, const char *label)
{
    size_t have = strlen(r->skipped), n = strlen(label);
    char quoted[PEM_MAX_LABEL + 4];
    snprintf(quoted, sizeof quoted, "'%s'", label);
    if (strstr(r->skipped, quoted) != NULL || have + n + 8 >= sizeof r->skipped)
        return;
    snprintf(r->skipped + have, sizeof r->skipped - have, "%s%s", have ? ", " : "", quoted);
}

/* The certificate's own length in a CERTIFICATE block's bytes: OpenSSL's
 * PEM_read_X509 (d2i_X509) reads the certificate and ignores what follows
 * it, so pseconv does too (with a warning).  The whole block when OpenSSL
 * does not read a certificate there: the store then says what is wrong. */
static size_t cert_len(const unsigned char *data, long dlen)
{
    psc_cursor c;
    const unsigned char *el;
    size_t n;
    psc_cursor_init(&c, data, (size_t)dlen);
    if (psc_cursor_der_element(&c, &el, &n) == 0 && n == (size_t)dlen)
        return n; /* the usual case, without decoding anything */
    const unsigned char *p = data;
    X509 *x = d2i_X509(NULL, &p, dlen);
    n = x != NULL ? (size_t)(p - data) : (size_t)dlen;
    X509_free(x);
    ERR_clear_error();
    return n;
}

static int add_cert(pem_reader *r, psc_cert *c, psc_err *e)
{
    if (c == NULL)
        return PSC_EINPUT;
    return psc_add_cert_entry(r->st, c, r->opts->path, "pem", &r->index, &r->seen, e);
}

static int trusted_cert(pem_reader *r, const unsigned char *der, long dlen, psc_err *e)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509_AUX(NULL, &p, dlen);
    if (x == NULL) {
        ERR_clear_error();
        return psc_fail(e, PSC_EINPUT, "%s: damaged TRUSTED CERTIFICATE block", r->opts->path);
    }
    psc_cert *c = psc_store_add_x509(r->st, x, r->opts->path, e);
    X509_free(x);
    return add_cert(r, c, e);
}

/* Before any derivation: PKCS#8 PBE parameters within the iteration cap and
 * the file's budget; the cipher of an encrypted key available (OpenSSL's
 * legacy provider loaded on demand for RC2, RC4, DES, Blowfish), so a
 * missing cipher is not reported as a wrong password. */
static int check_key_encryption(pem_reader *r, const char *label, const char *header,
                                const unsigned char *der, long dlen)
{
    if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
        const unsigned char *p = der;
        X509_SIG *sig = d2i_X509_SIG(NULL, &p, dlen);
        if (sig == NULL) {
            ERR_clear_error();
            return psc_fail(r->guard.e, PSC_EINPUT, "%s: the encrypted private key is damaged "
                                                    "(no PKCS#8 EncryptedPrivateKeyInfo)",
                            r->opts->path);
        }
        const X509_ALGOR *alg = NULL;
        X509_SIG_get0(sig, &alg, NULL);
        int rc = psc_pbe_check(&r->guard, alg, "private key");
        X509_SIG_free(sig);
        return rc;
    }
    const char *dek = header ? strstr(header, "DEK-Info:") : NULL;
    if (dek == NULL)
        return PSC_OK;
    dek += 9;
    while (*dek == ' ' || *dek == '\t')
        dek++;
    char name[40];
    size_t n = strcspn(dek, ",\r\n");
    if (n == 0 || n >= sizeof name)
        return PSC_OK; /* the decoder reports it */
    memcpy(name, dek, n);
    name[n] = '\0';
    int legacy_failed = 0;
    if (psc_p12_cipher_ready(name, &legacy_failed))
        return PSC_OK;
    return psc_fail(r->guard.e, PSC_EINPUT,
                    legacy_failed ? "%s: the private key is encrypted with %s from OpenSSL's "
                                    "legacy provider, which could not be loaded; install it or "
                                    "re-encrypt the key with AES"
                                  : "%s: the private key is encrypted with %s, which this "
                                    "OpenSSL cannot decrypt",
                    r->opts->path, name);
}

/* Base64 alphabet values by character: 64 for '=', 0xff for anything else. */
static unsigned char b64_table[256];

static void b64_table_init(void)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static int built;
    if (built)
        return;
    built = 1;
    memset(b64_table, 0xff, sizeof b64_table);
    for (int i = 0; i < 64; i++)
        b64_table[(unsigned char)alphabet[i]] = (unsigned char)i;
    b64_table['='] = 64;
}

/* A certificate block's base64 as OpenSSL, Python's cryptography and
 * keytool -rfc write it, decoded here: after the BEGIN line's end, lines of
 * 64 characters and a last one of 4 to 64 (a multiple of 4), each ending in
 * LF or CRLF, '=' only as the last one or two characters, then the END
 * marker.  Returns the decoded bytes (OPENSSL_malloc) with *n, or NULL for
 * any other armour (headers, spaces, other line lengths, damage), which
 * PEM_read_bio_ex then reads: it was half of reading a PEM bundle (a BIO,
 * line buffers grown and wiped per line). */
static unsigned char *decode_plain_cert(const unsigned char *buf, const pem_block *b, long *n)
{
    psc_cursor c;
    size_t p = b->body, stop = b->end_marker;
    if (p < stop && buf[p] == '\r')
        p++;
    if (p >= stop || buf[p] != '\n' || (stop - p) / 4 * 3 > 0x7fffffffu)
        return NULL;
    psc_cursor_init(&c, buf + p + 1, stop - p - 1);
    b64_table_init();
    size_t cap = (stop - p) / 4 * 3 + 3; /* at least the decoded length */
    unsigned char *out = OPENSSL_malloc(cap);
    size_t o = 0, pad = 0;
    int last = 0;
    while (out != NULL && psc_cursor_remaining(&c) > 0 && !last) {
        const unsigned char *line = c.data + c.pos;
        size_t rest = psc_cursor_remaining(&c);
        const unsigned char *nl = memchr(line, '\n', rest < 66 ? rest : 66);
        if (nl == NULL)
            goto other;
        size_t k = (size_t)(nl - line), eol = 1;
        if (k > 0 && line[k - 1] == '\r') {
            k--;
            eol = 2;
        }
        if (k == 0 || k > 64 || k % 4 != 0)
            goto other;
        last = k < 64 || k + eol == rest;
        for (size_t i = 0; i < k; i += 4) {
            unsigned v0 = b64_table[line[i]], v1 = b64_table[line[i + 1]];
            unsigned v2 = b64_table[line[i + 2]], v3 = b64_table[line[i + 3]];
            if ((v0 | v1 | v2 | v3) > 63) {
                /* '=' only in the last quad of the last line: "xx==" or "xxx=" */
                pad = v3 == 64 ? (v2 == 64 ? 2 : 1) : 0;
                if (v0 > 63 || v1 > 63 || (v2 > 63 && pad != 2) || v3 > 64 || pad == 0 ||
                    i + 4 != k || !last)
                    goto other;
            }
            unsigned w = v0 << 18 | v1 << 12 | (v2 & 63) << 6 | (v3 & 63);
            out[o++] = (unsigned char)(w >> 16);
            out[o++] = (unsigned char)(w >> 8);
            out[o++] = (unsigned char)w;
        }
        if (psc_cursor_skip(&c, k + eol) != 0)
            goto other;
    }
    if (out == NULL || !last || psc_cursor_remaining(&c) != 0 || o == pad)
        goto other;
    *n = (long)(o - pad);
    return out;
other:
    if (out != NULL)
        OPENSSL_clear_free(out, cap);
    return NULL;
}

static int read_block(pem_reader *r, const unsigned char *buf, const pem_block *b,
                      size_t blockno, psc_err *e)
{
    const char *path = r->opts->path;
    size_t tlen = b->end - b->start;
    if (tlen > 0x7fffffffu)
        return psc_fail(e, PSC_EINPUT, "%s: PEM block %zu too large", path, blockno);
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long dlen = 0;
    int rc = PSC_OK;
    if (strcmp(b->label, "CERTIFICATE") == 0 && psc_certfacts_lite())
        data = decode_plain_cert(buf, b, &dlen); /* no header; the label is the block's */
    if (data == NULL) {
        BIO *bio = BIO_new_mem_buf(buf + b->start, (int)tlen);
        if (bio == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
        int ok = PEM_read_bio_ex(bio, &name, &header, &data, &dlen, PEM_FLAG_EAY_COMPATIBLE);
        BIO_free(bio);
        if (!ok) {
            ERR_clear_error();
            return psc_fail(e, PSC_EINPUT, "%s: PEM block %zu (%s) is damaged (bad base64 or "
                                           "header); re-export the file", path, blockno, b->label);
        }
    }
    if (strcmp(b->label, "CERTIFICATE") == 0 || strcmp(b->label, "X509 CERTIFICATE") == 0) {
        size_t n = cert_len(data, dlen);
        rc = add_cert(r, psc_store_add_cert_der(r->st, data, n, path, e), e);
        if (rc == PSC_OK && n < (size_t)dlen)
            psc_store_warn(r->st, "%s: PEM block %zu: %zu bytes after the certificate ignored",
                           path, blockno, (size_t)dlen - n);
    } else if (strcmp(b->label, "TRUSTED CERTIFICATE") == 0) {
        rc = trusted_cert(r, data, dlen, e);
    } else if (strcmp(b->label, "PKCS7") == 0) {
        rc = psc_p7_add_certs(r->st, data, (size_t)dlen, path, "pem", &r->index, &r->seen, e);
    } else if (is_key_label(b->label)) {
        EVP_PKEY *key = NULL;
        rc = check_key_encryption(r, b->label, header, data, dlen);
        if (rc == PSC_OK)
            rc = decode_key(buf + b->start, tlen, b, header, blockno, r->opts, &key, e);
        if (rc == PSC_OK && keys_push(&r->keys, key) != 0) {
            EVP_PKEY_free(key);
            rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", path);
        }
    } else if (strcmp(b->label, "EC PARAMETERS") != 0) { /* `openssl ecparam -genkey` noise */
        note_skipped(r, b->label);
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != NULL && dlen > 0)
        psc_wipe(data, (size_t)dlen); /* may be key material */
    OPENSSL_free(data);
    return rc;
}

static int pem_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_err *e)
{
    pem_reader r = {st, opts, 0, {0}, {0}, "", {0}};
    int grc = psc_pbe_guard_init(&r.guard, opts->path, "PEM", opts->max_iterations, e);
    if (grc != PSC_OK)
        return grc;
    pem_block b;
    size_t pos = 0, blocks = 0;
    int rc = PSC_OK;
    for (;;) {
        int s = next_block(buf, len, pos, &b);
        if (s == BLOCK_NONE)
            break;
        if (s == BLOCK_TRUNCATED) {
            rc = psc_fail(e, PSC_EINPUT, "%s: PEM block %zu (%s) has no END line; the file is "
                                         "truncated or damaged", opts->path, blocks + 1, b.label);
            break;
        }
        blocks++;
        rc = read_block(&r, buf, &b, blocks, e);
        if (rc != PSC_OK)
            break;
        pos = b.end;
    }
    if (rc == PSC_OK && blocks == 0)
        rc = psc_fail(e, PSC_EINPUT, len == 0 ? "%s is empty"
                                              : "%s: no PEM blocks (-----BEGIN ...-----) found",
                      opts->path);
    else if (rc == PSC_OK && r.index == 0 && r.keys.n == 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: no certificates or private keys in the PEM blocks%s%s%s",
                      opts->path, r.skipped[0] ? " (only " : "", r.skipped,
                      r.skipped[0] ? ")" : "");
    else if (rc == PSC_OK && r.skipped[0])
        psc_store_warn(st, "%s: skipped PEM blocks pseconv does not read: %s", opts->path,
                       r.skipped);
    for (size_t i = 0; rc == PSC_OK && i < r.keys.n; i++) {
        if (psc_store_add_loose_key(st, r.keys.keys[i], opts->path, "pem", i) != 0)
            rc = psc_fail(e, PSC_EINPUT, "%s: out of memory", opts->path);
        else
            r.keys.keys[i] = NULL; /* the store owns it now */
    }
    keys_free(&r.keys);
    psc_seen_free(&r.seen);
    return rc;
}

/* ---- writing ------------------------------------------------------------- */

/* PKCS#8, encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) when pw is set. */
static int put_key(psc_buf *out, EVP_PKEY *key, const psc_secret *pw, const char *path,
                   psc_err *e)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
    BIO *bio = BIO_new(BIO_s_secmem()); /* cleared when freed */
    X509_SIG *enc = NULL;
    int ok = p8 != NULL && bio != NULL;
    if (ok && psc_secret_is_set(pw)) {
        enc = PKCS8_encrypt_ex(-1, EVP_aes_256_cbc(), pw->data, (int)pw->len, NULL, 0,
                               PKCS8_ITERATIONS, p8, NULL, NULL);
        ok = enc != NULL && PEM_write_bio_PKCS8(bio, enc);
    } else if (ok) {
        ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8);
    }
    if (ok) {
        char *data;
        long n = BIO_get_mem_data(bio, &data);
        ok = n > 0 && psc_buf_append(out, data, (size_t)n) == 0;
        if (n > 0)
            psc_wipe(data, (size_t)n); /* the unencrypted key, when pw is unset */
    }
    int rc = PSC_OK;
    if (!ok) {
        rc = psc_fail(e, PSC_EOUTPUT, "%s: cannot encode a private key as PKCS#8", path);
        psc_err_add_openssl(e);
    }
    X509_SIG_free(enc);
    PKCS8_PRIV_KEY_INFO_free(p8);
    BIO_free(bio);
    return rc;
}

/* The PEM size of every certificate in st (BEGIN and END lines, base64 in
 * lines of 64): the output is reserved once, not grown by doubling, which
 * held the old and the new copy at once (the peak of writing 50,000). */
static size_t pem_size(const psc_store *st)
{
    size_t n = 4096; /* keys: reserved as they come */
    for (size_t i = 0; i < psc_store_cert_count(st); i++) {
        size_t b64 = (psc_store_cert(st, i)->der_len + 2) / 3 * 4;
        n += 28 + 26 + b64 + (b64 + 63) / 64;
    }
    return n;
}

static int pem_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    psc_seen written = {0};
    size_t items = 0, skipped_secret = 0;
    int rc = psc_buf_reserve(out, pem_size(st)) == 0
                 ? PSC_OK
                 : psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    for (size_t i = 0; i < psc_store_entry_count(st) && rc == PSC_OK; i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->type == PSC_ENTRY_SECRET) {
            skipped_secret++;
            continue;
        }
        for (size_t j = 0; j < en->chain_len && rc == PSC_OK; j++) {
            int dup = psc_seen_mark(&written, en->chain[j]);
            if (dup < 0 || (!dup && psc_cert_put_pem(out, en->chain[j]) != 0))
                rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
            items += !dup;
        }
        if (rc == PSC_OK && en->key != NULL && opts->include_keys) {
            rc = put_key(out, en->key, opts->password, opts->path, e);
            items++;
        }
    }
    psc_seen_free(&written);
    if (rc == PSC_OK && skipped_secret > 0)
        psc_store_warn(st, "%s: %zu secret-key entr%s not written (PEM holds certificates and "
                           "private keys)", opts->path, skipped_secret,
                       skipped_secret == 1 ? "y" : "ies");
    if (rc == PSC_OK && items == 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: nothing to write: the input holds no certificates",
                      opts->path);
    return rc;
}

const psc_format psc_format_pem = {"pem", ".pem .crt .cer .key .txt", 1, pem_probe, pem_read,
                                   pem_write};
