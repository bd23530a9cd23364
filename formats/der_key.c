/* DER PKCS#8 private keys (`openssl pkcs8 -topk8 -outform DER`, Java's
 * PrivateKey.getEncoded()), plain or encrypted, for the der format (der.c).
 *
 * Recognised by shape alone, so detection never needs a password:
 *   PrivateKeyInfo          SEQUENCE { INTEGER 0|1, SEQUENCE { OID ... }, OCTET STRING ... }
 *   EncryptedPrivateKeyInfo SEQUENCE { SEQUENCE { OID ... }, OCTET STRING }
 * A certificate starts SEQUENCE { SEQUENCE { [0] | INTEGER ... } }, PKCS#12
 * SEQUENCE { INTEGER 3 ... } and a PSE SEQUENCE { INTEGER 2|4|256 ... }: none
 * of them has either shape.  The key becomes a loose key, paired with a
 * certificate of another input like a PEM key (keypair.c). */
#include "der_key.h"
#include "pbe_guard.h"
#include "cursor.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

/* Is the next element of c a SEQUENCE that starts with an OID (an AlgorithmIdentifier)? */
static int algorithm_id(psc_cursor *c)
{
    psc_cursor alg;
    unsigned tag;
    return psc_cursor_der_expect(c, 0x30, &alg) == 0 && psc_cursor_der_peek_tag(&alg, &tag) == 0 &&
           tag == 0x06;
}

int psc_der_key_kind(const unsigned char *buf, size_t len, size_t *used)
{
    psc_cursor c, body, skip;
    const unsigned char *el;
    size_t n;
    unsigned tag;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_der_element(&c, &el, &n) != 0)
        return PSC_DER_KEY_NONE;
    psc_cursor_init(&c, el, n);
    if (psc_cursor_der_expect(&c, 0x30, &body) != 0 || psc_cursor_der_peek_tag(&body, &tag) != 0)
        return PSC_DER_KEY_NONE;
    if (used)
        *used = n;
    if (tag == 0x02) {
        const unsigned char *v;
        size_t vn;
        psc_cursor ver = body;
        if (psc_cursor_der_element(&ver, &v, &vn) != 0 || vn != 3 || v[1] != 1 || v[2] > 1)
            return PSC_DER_KEY_NONE;
        body = ver;
        return algorithm_id(&body) && psc_cursor_der_expect(&body, 0x04, &skip) == 0
                   ? PSC_DER_KEY_PLAIN
                   : PSC_DER_KEY_NONE;
    }
    if (tag == 0x30)
        return algorithm_id(&body) && psc_cursor_der_expect(&body, 0x04, &skip) == 0 &&
                       psc_cursor_remaining(&body) == 0
                   ? PSC_DER_KEY_ENCRYPTED
                   : PSC_DER_KEY_NONE;
    return PSC_DER_KEY_NONE;
}

/* Decrypt an EncryptedPrivateKeyInfo: parameters checked against the
 * iteration cap and the cipher loaded (legacy provider on demand) first, so
 * neither a huge count nor a missing cipher passes for a wrong password. */
static PKCS8_PRIV_KEY_INFO *decrypt(const unsigned char *der, size_t n, const psc_read_opts *opts,
                                    psc_err *e, int *rc)
{
    const psc_secret *pw = opts->password;
    if (!psc_secret_is_set(pw)) {
        *rc = psc_fail(e, PSC_EINPUT, "%s: the private key is encrypted; give its password "
                                      "with --password", opts->path);
        return NULL;
    }
    const unsigned char *p = der;
    X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)n);
    if (sig == NULL) {
        ERR_clear_error();
        *rc = psc_fail(e, PSC_EINPUT, "%s: the encrypted private key is damaged (no PKCS#8 "
                                      "EncryptedPrivateKeyInfo)", opts->path);
        return NULL;
    }
    psc_pbe_guard guard;
    const X509_ALGOR *alg = NULL;
    X509_SIG_get0(sig, &alg, NULL);
    *rc = psc_pbe_guard_init(&guard, opts->path, "PKCS#8", opts->max_iterations, e);
    if (*rc == PSC_OK)
        *rc = psc_pbe_check(&guard, alg, "private key");
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    if (*rc == PSC_OK) {
        p8 = PKCS8_decrypt_ex(sig, pw->data, (int)pw->len, NULL, NULL);
        ERR_clear_error();
        if (p8 == NULL)
            *rc = psc_fail(e, PSC_EINPUT, "wrong password for %s (the PKCS#8 private key does "
                                          "not decrypt); check --password", opts->path);
    }
    X509_SIG_free(sig);
    return p8;
}

int psc_der_key_read(psc_store *st, const unsigned char *buf, size_t len,
                     const psc_read_opts *opts, psc_err *e)
{
    size_t n = 0;
    int kind = psc_der_key_kind(buf, len, &n), rc = PSC_OK;
    if (kind == PSC_DER_KEY_NONE || n > 0x7fffffffu)
        return psc_fail(e, PSC_EINPUT, "%s: not a DER PKCS#8 private key", opts->path);
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    if (kind == PSC_DER_KEY_ENCRYPTED) {
        p8 = decrypt(buf, n, opts, e, &rc);
    } else {
        const unsigned char *p = buf;
        p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)n);
    }
    if (rc != PSC_OK)
        return rc;
    EVP_PKEY *key = p8 ? EVP_PKCS82PKEY_ex(p8, NULL, NULL) : NULL;
    PKCS8_PRIV_KEY_INFO_free(p8); /* clears the key bytes */
    ERR_clear_error();
    if (key == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: the DER PKCS#8 private key cannot be decoded "
                                       "(damaged or unsupported algorithm)", opts->path);
    if (psc_store_add_loose_key(st, key, opts->path, "der", 0) != 0) {
        EVP_PKEY_free(key);
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", opts->path);
    }
    if (n < len)
        psc_store_warn(st, "%s: %zu bytes after the private key ignored", opts->path, len - n);
    return PSC_OK;
}
