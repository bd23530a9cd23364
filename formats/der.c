/* DER: one binary X.509 certificate (.der, .cer), a DER PKCS#8 private key
 * (plain or encrypted, der_key.c), or a DER PKCS#7 SignedData when forced
 * with --from der.  Writing produces exactly one
 * certificate; a chain needs p7b or pem. */
#include "p7b.h"
#include "der_key.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

/* The first TLV when it is a SEQUENCE whose first element is a SEQUENCE (a
 * Certificate starts with its tbsCertificate).  PKCS#12 and PSE files start
 * SEQUENCE { INTEGER ... } and fail here. */
static int first_cert_tlv(const unsigned char *buf, size_t len, const unsigned char **el,
                          size_t *n)
{
    psc_cursor c, outer, body;
    unsigned tag;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_der_element(&c, el, n) != 0)
        return -1;
    psc_cursor_init(&outer, *el, *n);
    if (psc_cursor_der_expect(&outer, 0x30, &body) != 0 ||
        psc_cursor_der_peek_tag(&body, &tag) != 0 || tag != 0x30)
        return -1;
    return 0;
}

static int der_probe(const unsigned char *buf, size_t len)
{
    const unsigned char *el;
    size_t n;
    if (psc_der_key_kind(buf, len, NULL) != PSC_DER_KEY_NONE)
        return 60;
    if (first_cert_tlv(buf, len, &el, &n) != 0 || n > 0x7fffffffu)
        return 0;
    const unsigned char *p = el;
    X509 *x = d2i_X509(NULL, &p, (long)n);
    int ok = x != NULL && (size_t)(p - el) == n;
    X509_free(x);
    ERR_clear_error();
    return ok ? 60 : 0;
}

static int der_read(psc_store *st, const unsigned char *buf, size_t len,
                    const psc_read_opts *opts, psc_err *e)
{
    size_t index = 0;
    psc_seen seen = {0};
    const unsigned char *el;
    size_t n;
    int rc;
    if (psc_p7_looks_signed(buf, len)) {
        rc = psc_p7_add_certs(st, buf, len, opts->path, "der", &index, &seen, e);
    } else if (psc_der_key_kind(buf, len, NULL) != PSC_DER_KEY_NONE) {
        rc = psc_der_key_read(st, buf, len, opts, e);
    } else if (first_cert_tlv(buf, len, &el, &n) != 0) {
        rc = psc_fail(e, PSC_EINPUT, "%s: not a DER certificate or PKCS#8 private key (no ASN.1 "
                                     "SEQUENCE holding one); try inspect without --from", opts->path);
    } else {
        psc_cert *c = psc_store_add_cert_der(st, el, n, opts->path, e);
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
