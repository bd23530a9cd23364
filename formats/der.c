/* DER: one binary X.509 certificate (.der, .cer), a DER PKCS#8 private key
 * (plain or encrypted, der_key.c), or a DER PKCS#7 SignedData when forced
 * with --from der.  Writing produces exactly one
 * certificate; a chain needs p7b or pem. */
#include "der_key.h"
#include "certentry.h"
#include "cursor.h"

#include <stdint.h>

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

/* The certificate at buf's start as OpenSSL reads it (BER lengths too,
 * bytes after it ignored): its length, 0 when there is none.  A DER
 * PKCS#12 or PSE (SEQUENCE { INTEGER ... }) fails here. */
static size_t cert_span(const unsigned char *buf, size_t len)
{
    if (len < 2 || buf[0] != 0x30)
        return 0;
    const unsigned char *p = buf;
    X509 *x = d2i_X509(NULL, &p, (long)(len > 0x7fffffffu ? 0x7fffffffu : len));
    size_t n = x != NULL ? (size_t)(p - buf) : 0;
    X509_free(x);
    ERR_clear_error();
    return n;
}

/* One BER header by hand (the cursor refuses what a damaged file may hold):
 * 0 ok with *len = SIZE_MAX for an indefinite length, -1 past the end. */
static int ber_header(const unsigned char *buf, size_t len, size_t at, unsigned *tag,
                      size_t *hl, size_t *vlen)
{
    if (at + 2 > len)
        return -1;
    *tag = buf[at];
    unsigned l = buf[at + 1];
    *hl = 2;
    *vlen = l;
    if (l == 0x80) {
        *vlen = SIZE_MAX;
    } else if (l & 0x80) {
        unsigned k = l & 0x7f;
        if (k > sizeof(size_t) || at + 2 + k > len)
            return -1;
        *vlen = 0;
        for (unsigned i = 0; i < k; i++)
            *vlen = (*vlen << 8) | buf[at + 2 + i];
        *hl += k;
    }
    return 0;
}

/* The Certificate layout, in order, for the diagnosis: depth 1 = inside
 * the Certificate, 2 = inside tbsCertificate. */
static const struct {
    int depth;
    unsigned tag;
    int optional;
    const char *what;
} cert_layout[] = {
    {1, 0x30, 0, "tbsCertificate SEQUENCE"},
    {2, 0xa0, 1, "version [0]"},
    {2, 0x02, 0, "serialNumber INTEGER"},
    {2, 0x30, 0, "signature AlgorithmIdentifier SEQUENCE"},
    {2, 0x30, 0, "issuer Name SEQUENCE"},
    {2, 0x30, 0, "validity SEQUENCE"},
    {2, 0x30, 0, "subject Name SEQUENCE"},
    {2, 0x30, 0, "subjectPublicKeyInfo SEQUENCE"},
    {1, 0x30, 0, "signatureAlgorithm SEQUENCE"},
    {1, 0x03, 0, "signatureValue BIT STRING"},
};

/* What is wrong with bytes that are not a certificate OpenSSL reads: the
 * first element of the Certificate layout that is missing, has another
 * tag or runs past its container (offset, expected tag), else OpenSSL's
 * own reason for refusing the contents. */
static int diagnose(const char *path, const unsigned char *buf, size_t len, psc_err *e)
{
    unsigned tag;
    size_t hl, vlen;
    /* A CRL has the Certificate's outer shape; "damaged certificate" would send the admin
     * looking for a broken download. */
    const unsigned char *q = buf;
    X509_CRL *crl = d2i_X509_CRL(NULL, &q, (long)(len > 0x7fffffffu ? 0x7fffffffu : len));
    if (crl != NULL) {
        X509_CRL_free(crl);
        return psc_fail(e, PSC_EINPUT, "%s: a certificate revocation list (CRL), not a "
                        "certificate: pseconv reads certificates and keys", path);
    }
    if (ber_header(buf, len, 0, &tag, &hl, &vlen) != 0 || tag != 0x30)
    {
        if (len < 2)
            return psc_fail(e, PSC_EINPUT, "%s: not a DER certificate: %zu byte%s", path, len,
                            len == 1 ? "" : "s");
        return psc_fail(e, PSC_EINPUT, "%s: not a DER certificate: offset 0: expected a "
                        "Certificate SEQUENCE (tag 0x30), found tag 0x%02x", path, buf[0]);
    }
    if (vlen != SIZE_MAX && vlen > len - hl)
        return psc_fail(e, PSC_EINPUT, "%s: damaged DER certificate: offset 0: the Certificate "
                        "SEQUENCE says %zu bytes, only %zu follow (truncated?)", path, vlen,
                        len - hl);
    size_t end[3] = {len, vlen == SIZE_MAX ? len : hl + vlen, 0};
    size_t at = hl;
    for (size_t i = 0; i < sizeof cert_layout / sizeof cert_layout[0] && vlen != SIZE_MAX; i++) {
        int d = cert_layout[i].depth;
        if (d == 1 && cert_layout[i - (i > 0)].depth == 2)
            at = end[2]; /* after tbsCertificate */
        if (at >= end[d] || ber_header(buf, end[d], at, &tag, &hl, &vlen) != 0) {
            if (cert_layout[i].optional)
                continue;
            return psc_fail(e, PSC_EINPUT, "%s: damaged DER certificate: offset %zu: expected "
                            "%s (tag 0x%02x), found the end of its container", path, at,
                            cert_layout[i].what, cert_layout[i].tag);
        }
        if (tag != cert_layout[i].tag) {
            if (cert_layout[i].optional)
                continue;
            return psc_fail(e, PSC_EINPUT, "%s: damaged DER certificate: offset %zu: expected "
                            "%s (tag 0x%02x), found tag 0x%02x", path, at, cert_layout[i].what,
                            cert_layout[i].tag, tag);
        }
        if (vlen != SIZE_MAX && vlen > end[d] - at - hl)
            return psc_fail(e, PSC_EINPUT, "%s: damaged DER certificate: offset %zu: %s says "
                            "%zu bytes, only %zu are left in its container", path, at,
                            cert_layout[i].what, vlen, end[d] - at - hl);
        if (i == 0) { /* step into tbsCertificate */
            end[2] = vlen == SIZE_MAX ? len : at + hl + vlen;
            at += hl;
        } else {
            at += hl + (vlen == SIZE_MAX ? 0 : vlen);
        }
    }
    const unsigned char *p = buf;
    X509 *x = d2i_X509(NULL, &p, (long)(len > 0x7fffffffu ? 0x7fffffffu : len));
    X509_free(x);
    psc_fail(e, PSC_EINPUT, "%s: damaged DER certificate: the layout is complete but OpenSSL "
             "refuses the contents", path);
    psc_err_add_openssl(e);
    return PSC_EINPUT;
}

/* Bytes starting like a Certificate (SEQUENCE { SEQUENCE ...) that OpenSSL
 * does not read: claimed weakly, so every other format wins, and a damaged
 * .der gets its diagnosis instead of "unknown format". */
static int looks_like_cert(const unsigned char *buf, size_t len)
{
    unsigned tag;
    size_t hl, vlen;
    return ber_header(buf, len, 0, &tag, &hl, &vlen) == 0 && tag == 0x30 && hl < len &&
           buf[hl] == 0x30;
}

static int der_probe(const unsigned char *buf, size_t len)
{
    if (psc_der_key_kind(buf, len, NULL) != PSC_DER_KEY_NONE)
        return 60;
    if (cert_span(buf, len) > 0)
        return 60;
    return looks_like_cert(buf, len) ? 5 : 0;
}

static int der_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_err *e)
{
    size_t index = 0;
    psc_seen seen = {0};
    size_t n;
    int rc;
    if (psc_p7_looks_signed(buf, len)) {
        rc = psc_p7_add_certs(st, buf, len, opts->path, "der", &index, &seen, e);
    } else if (psc_der_key_kind(buf, len, NULL) != PSC_DER_KEY_NONE) {
        rc = psc_der_key_read(st, buf, len, opts, e);
    } else if ((n = cert_span(buf, len)) == 0) {
        rc = diagnose(opts->path, buf, len, e);
    } else {
        psc_cert *c = psc_store_add_cert_der(st, buf, n, opts->path, e);
        rc = c ? psc_add_cert_entry(st, c, opts->path, "der", &index, &seen, e) : PSC_EINPUT;
        if (rc == PSC_OK && n < len)
            psc_store_warn(st, "%s: %zu bytes after the certificate ignored", opts->path,
                           len - n);
    }
    psc_seen_free(&seen);
    return rc;
}

/* The certificate a one-certificate format should hold: the leaf of the
 * first entry with a private key, else the first entry's leaf. */
static psc_cert *pick_cert(psc_store *st)
{
    psc_cert *first = NULL;
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        psc_entry *en = psc_store_entry(st, i);
        if (en->chain_len == 0)
            continue;
        if (en->key != NULL || en->type == PSC_ENTRY_KEYPAIR)
            return en->chain[0];
        if (first == NULL)
            first = en->chain[0];
    }
    return first;
}

static int der_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    psc_cert **certs = NULL;
    size_t n = 0;
    if (psc_store_distinct_certs(st, &certs, &n) != 0)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    free(certs);
    psc_cert *c = pick_cert(st);
    if (c == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: nothing to write: the input holds no certificates",
                        opts->path);
    if (psc_buf_append(out, c->der, c->der_len) != 0)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", opts->path);
    if (n > 1)
        psc_store_warn(st, "%s: wrote 1 of %zu certificates; use p7b or pem for a chain (written: %s)",
                       opts->path, n, c->subject);
    psc_warn_keys_dropped(st, "der", opts);
    return PSC_OK;
}

const psc_format psc_format_der = {"der", ".der .cer", 0, der_probe, der_read, der_write};
