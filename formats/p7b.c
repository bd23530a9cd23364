/* PKCS#7 certs-only ("P7B"): a degenerate SignedData that carries a
 * certificate chain, DER or PEM-armoured ("-----BEGIN PKCS7-----").  STRUST
 * and CPI take chains this way.  Parsing is OpenSSL's PKCS7 API; writing
 * lays the stored DER of each certificate into a fixed SignedData frame
 * (nothing is decoded, so a 10,000-certificate bundle is a copy).  The
 * helpers pem.c and der.c share with it are in certentry.c. */
#include "certentry.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

/* ---- the p7b format ------------------------------------------------------ */

static const char pkcs7_begin[] = "-----BEGIN PKCS7-----";

/* Offset of the first PEM block when it is a PKCS7 block, else -1. */
static int find_pkcs7_block(const unsigned char *buf, size_t len, size_t *at)
{
    size_t pos;
    size_t n = sizeof pkcs7_begin - 1;
    if (psc_pem_find_begin(buf, len, 0, &pos) != 0 || len - pos < n ||
        memcmp(buf + pos, pkcs7_begin, n) != 0)
        return -1;
    *at = pos;
    return 0;
}

static int p7b_probe(const unsigned char *buf, size_t len)
{
    size_t at;
    if (psc_p7_looks_signed(buf, len))
        return 80;
    /* Above pem's 90: a PEM file whose first block is PKCS7 is a bundle. */
    if (find_pkcs7_block(buf, len < 65536 ? len : 65536, &at) == 0)
        return 92;
    return 0;
}

/* Every PKCS7 block of a PEM text; other blocks are not this format's. */
static int read_armoured(psc_store *st, const unsigned char *buf, size_t len, size_t start,
                         const psc_read_opts *opts, size_t *index, psc_seen *seen, psc_err *e)
{
    BIO *bio = BIO_new_mem_buf(buf + start, (int)(len - start));
    int rc = PSC_OK, blocks = 0;
    if (bio == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", opts->path);
    for (;;) {
        char *name = NULL, *header = NULL;
        unsigned char *data = NULL;
        long dlen = 0;
        if (!PEM_read_bio_ex(bio, &name, &header, &data, &dlen, PEM_FLAG_EAY_COMPATIBLE)) {
            unsigned long err = ERR_peek_last_error();
            if (ERR_GET_REASON(err) != PEM_R_NO_START_LINE)
                rc = psc_fail(e, PSC_EINPUT, "%s: damaged PEM block %d (bad base64 or no END "
                                             "line); re-export the file", opts->path, blocks + 1);
            break;
        }
        blocks++;
        if (strcmp(name, "PKCS7") == 0)
            rc = psc_p7_add_certs(st, data, (size_t)dlen, opts->path, "p7b", index, seen, e);
        else
            psc_store_warn(st, "%s: skipped a PEM block '%s' (not PKCS7)", opts->path, name);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
        if (rc != PSC_OK)
            break;
    }
    ERR_clear_error();
    BIO_free(bio);
    return rc;
}

static int p7b_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_err *e)
{
    size_t index = 0, at;
    psc_seen seen = {0};
    int rc;
    if (len > 0x7fffffffu)
        return psc_fail(e, PSC_EINPUT, "%s: too large for a PKCS#7 bundle", opts->path);
    if (find_pkcs7_block(buf, len, &at) == 0)
        rc = read_armoured(st, buf, len, at, opts, &index, &seen, e);
    else if (psc_p7_looks_signed(buf, len))
        rc = psc_p7_add_certs(st, buf, len, opts->path, "p7b", &index, &seen, e);
    else
        rc = psc_fail(e, PSC_EINPUT, "%s: not a PKCS#7 certificate bundle (neither DER "
                                     "SignedData nor -----BEGIN PKCS7-----)", opts->path);
    if (rc == PSC_OK && index == 0)
        rc = psc_fail(e, PSC_EINPUT, "%s: no certificates found", opts->path);
    psc_seen_free(&seen);
    return rc;
}

/* DER header of an element of content length n. */
static int put_header(psc_buf *out, unsigned char tag, size_t n)
{
    unsigned char h[6];
    return psc_buf_append(out, h, psc_der_header(h, tag, n));
}

/* certs-only SignedData, byte for byte what `openssl crl2pkcs7 -nocrl`
 * writes, built from the stored DER (no certificate is decoded):
 *   ContentInfo { signedData, [0] { SignedData { version 1, digestAlgorithms {},
 *     contentInfo { data }, certificates [0] IMPLICIT (in order), signerInfos {} } } } */
static int build_certs_only(psc_buf *out, psc_cert **certs, size_t n)
{
    static const unsigned char oid_signed[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                               0x0d, 0x01, 0x07, 0x02};
    static const unsigned char head[] = {0x02, 0x01, 0x01, /* version 1 */
                                         0x31, 0x00,       /* digestAlgorithms: none */
                                         0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                         0xf7, 0x0d, 0x01, 0x07, 0x01}; /* data, no content */
    static const unsigned char signers[] = {0x31, 0x00};
    size_t certs_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (certs[i]->der_len > 0x7fffffff - certs_len)
            return -1;
        certs_len += certs[i]->der_len;
    }
    size_t sd = sizeof head + psc_der_header_len(certs_len) + certs_len + sizeof signers;
    size_t explicit0 = psc_der_header_len(sd) + sd;
    size_t ci = sizeof oid_signed + psc_der_header_len(explicit0) + explicit0;
    if (ci > 0x7fffffff || psc_buf_reserve(out, psc_der_header_len(ci) + ci) != 0)
        return -1;
    if (put_header(out, 0x30, ci) || psc_buf_append(out, oid_signed, sizeof oid_signed) ||
        put_header(out, 0xa0, explicit0) || put_header(out, 0x30, sd) ||
        psc_buf_append(out, head, sizeof head) || put_header(out, 0xa0, certs_len))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (psc_buf_append(out, certs[i]->der, certs[i]->der_len) != 0)
            return -1;
    return psc_buf_append(out, signers, sizeof signers);
}

/* PEM armour as PEM_write_bio_PKCS7 writes it: 64 base64 characters a line. */
static int armour(psc_buf *out, const unsigned char *der, size_t len)
{
    unsigned char line[65];
    if (psc_buf_reserve(out, len / 48 * 65 + 128) != 0 ||
        psc_buf_puts(out, "-----BEGIN PKCS7-----\n") != 0)
        return -1;
    for (size_t off = 0; off < len; off += 48) {
        size_t k = len - off < 48 ? len - off : 48;
        int w = EVP_EncodeBlock(line, der + off, (int)k);
        if (psc_buf_append(out, line, (size_t)w) != 0 || psc_buf_puts(out, "\n") != 0)
            return -1;
    }
    return psc_buf_puts(out, "-----END PKCS7-----\n");
}

static int p7b_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    psc_cert **certs = NULL;
    size_t n = 0;
    int rc = PSC_OK;
    if (psc_store_distinct_certs(st, &certs, &n) != 0)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    if (n == 0) {
        free(certs);
        return psc_fail(e, PSC_EINPUT, "%s: nothing to write: the input holds no certificates",
                        opts->path);
    }
    int ok;
    if (opts->pem) {
        psc_buf der;
        psc_buf_init(&der);
        ok = build_certs_only(&der, certs, n) == 0 && armour(out, der.data, der.len) == 0;
        psc_buf_free(&der, 0);
    } else {
        ok = build_certs_only(out, certs, n) == 0;
    }
    if (!ok)
        rc = psc_fail(e, PSC_EOUTPUT, "%s: cannot encode the PKCS#7 bundle (out of memory)",
                      opts->path);
    else
        psc_warn_keys_dropped(st, "p7b", opts);
    free(certs);
    return rc;
}

const psc_format psc_format_p7b = {"p7b", ".p7b .p7c", 0, p7b_probe, p7b_read, p7b_write};
