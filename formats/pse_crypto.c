/* The cryptographic half of the PSE reader: opening the PIN-encrypted v2 and
 * the v4 containers (PKCS#12 key derivation + 3DES, SHA-1 digest), the RSA
 * private key rebuilt from the two primes SAP stores, and the self-signed
 * root certificate rebuilt from the PKRoot object.
 * Everything here is checked against something independent before use:
 * padding and the PIN check value, the own certificate's public key, the
 * root's own signature. */
#include "pse_internal.h"
#include "../src/core/buf.h"
#include "format.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pkcs12.h>

/* ---- cursor helpers shared with pse.c ---------------------------------------- */

int pse_cursor_is(const psc_cursor *c, const unsigned char *oid, size_t n)
{
    psc_cursor t = *c;
    const unsigned char *p;
    return psc_cursor_remaining(&t) == n && psc_cursor_bytes(&t, n, &p) == 0 &&
           memcmp(p, oid, n) == 0;
}

/* The first content byte without consuming it (sign checks); -1 if empty. */
int pse_first_byte(const psc_cursor *c)
{
    psc_cursor t = *c;
    uint8_t b;
    return psc_cursor_u8(&t, &b) == 0 ? b : -1;
}

/* Start and length of what remains in a cursor, for handing on. */
const unsigned char *pse_rest_of(const psc_cursor *c, size_t *n)
{
    psc_cursor t = *c;
    const unsigned char *p = NULL;
    *n = psc_cursor_remaining(&t);
    if (psc_cursor_bytes(&t, *n, &p) != 0)
        *n = 0;
    return p;
}

/* A non-negative INTEGER that fits an unsigned long (version, iterations, flag). */
int pse_der_small_uint(psc_cursor *c, unsigned long *v)
{
    psc_cursor in;
    uint8_t b;
    if (psc_cursor_der_expect(c, 0x02, &in) != 0)
        return -1;
    size_t n = psc_cursor_remaining(&in);
    if (n == 0 || n > sizeof *v)
        return -1;
    unsigned long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (psc_cursor_u8(&in, &b) != 0 || (i == 0 && (b & 0x80)))
            return -1;
        x = (x << 8) | b;
    }
    *v = x;
    return 0;
}

int pse_sha1(const unsigned char *data, size_t len, unsigned char out[20])
{
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha1(), NULL) == 1 && n == 20 ? 0 : -1;
}

/* ---- PIN-based encryption ------------------------------------------------ */

int pse_pbe_crypt(const pse_pbe *p, const psc_secret *pin, const unsigned char *in, size_t in_len,
                  int enc, unsigned char **out, size_t *out_len)
{
    unsigned char key[24], iv[8];
    int rc = PSE_CRYPT_FAILED;
    EVP_CIPHER *des3 = NULL;
    EVP_CIPHER_CTX *ctx = NULL;
    unsigned char *buf = NULL;
    *out = NULL;
    *out_len = 0;
    if (p->salt_len > INT_MAX || p->iterations > INT_MAX || in_len > INT_MAX - 16 ||
        pin->len > INT_MAX)
        return PSE_CRYPT_FAILED;
    /* The _utf8 variant turns the UTF-8 PIN into UTF-16BE plus two zero
     * bytes, as SAP (and pysap) do; the ASCII-only variant would differ for
     * PINs outside ASCII. */
    const char *pw = pin->data ? pin->data : "";
    if (PKCS12_key_gen_utf8_ex(pw, (int)pin->len, (unsigned char *)p->salt, (int)p->salt_len,
                               PKCS12_KEY_ID, (int)p->iterations, (int)sizeof key, key, EVP_sha1(),
                               NULL, NULL) != 1 ||
        PKCS12_key_gen_utf8_ex(pw, (int)pin->len, (unsigned char *)p->salt, (int)p->salt_len,
                               PKCS12_IV_ID, (int)p->iterations, (int)sizeof iv, iv, EVP_sha1(),
                               NULL, NULL) != 1)
        goto done;
    if ((des3 = EVP_CIPHER_fetch(NULL, "DES-EDE3-CBC", NULL)) == NULL ||
        (ctx = EVP_CIPHER_CTX_new()) == NULL || (buf = malloc(in_len + 16)) == NULL)
        goto done;
    int n1 = 0, n2 = 0;
    if (EVP_CipherInit_ex2(ctx, des3, key, iv, enc, NULL) != 1 ||
        EVP_CipherUpdate(ctx, buf, &n1, in, (int)in_len) != 1)
        goto done;
    if (EVP_CipherFinal_ex(ctx, buf + n1, &n2) != 1) {
        rc = enc ? PSE_CRYPT_FAILED : PSE_CRYPT_BAD_PADDING;
        goto done;
    }
    *out = buf;
    *out_len = (size_t)n1 + (size_t)n2;
    buf = NULL;
    rc = PSE_CRYPT_OK;
done:
    ERR_clear_error();
    if (buf) {
        psc_wipe(buf, in_len + 16);
        free(buf);
    }
    psc_wipe(key, sizeof key);
    psc_wipe(iv, sizeof iv);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(des3);
    return rc;
}

/* ---- RSA from the primes ------------------------------------------------- */

#define PSE_MAX_PRIME_BYTES 1024 /* 8192-bit primes: far beyond any real key */

EVP_PKEY *pse_rsa_from_primes(const unsigned char *pb, size_t p_len, const unsigned char *qb,
                              size_t q_len, const EVP_PKEY *cert_key)
{
    EVP_PKEY *key = NULL;
    BN_CTX *bc = NULL;
    BIGNUM *p = NULL, *q = NULL, *n = NULL, *e = NULL, *d = NULL, *p1 = NULL, *q1 = NULL,
           *g = NULL, *l = NULL, *dmp1 = NULL, *dmq1 = NULL, *iqmp = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    if (p_len == 0 || q_len == 0 || p_len > PSE_MAX_PRIME_BYTES || q_len > PSE_MAX_PRIME_BYTES)
        return NULL;
    if ((bc = BN_CTX_new()) == NULL)
        return NULL;
    p = BN_secure_new(), q = BN_secure_new(), n = BN_new(), e = NULL, d = BN_secure_new();
    p1 = BN_secure_new(), q1 = BN_secure_new(), g = BN_secure_new(), l = BN_secure_new();
    dmp1 = BN_secure_new(), dmq1 = BN_secure_new(), iqmp = BN_secure_new();
    if (!p || !q || !n || !d || !p1 || !q1 || !g || !l || !dmp1 || !dmq1 || !iqmp)
        goto done;
    if (BN_bin2bn(pb, (int)p_len, p) == NULL || BN_bin2bn(qb, (int)q_len, q) == NULL)
        goto done;
    /* Convention (OpenSSL's too): p > q, so iqmp = q^-1 mod p. */
    if (BN_cmp(p, q) < 0)
        BN_swap(p, q);
    if (BN_cmp(p, q) == 0 || BN_is_zero(q) || BN_is_one(q) || !BN_is_odd(p) || !BN_is_odd(q))
        goto done;
    if (cert_key != NULL && EVP_PKEY_is_a(cert_key, "RSA"))
        EVP_PKEY_get_bn_param(cert_key, OSSL_PKEY_PARAM_RSA_E, &e);
    if (e == NULL) { /* what sapgenpse uses */
        if ((e = BN_new()) == NULL || BN_set_word(e, 65537) != 1)
            goto done;
    }
    BN_set_flags(p, BN_FLG_CONSTTIME);
    BN_set_flags(q, BN_FLG_CONSTTIME);
    /* d = e^-1 mod lcm(p-1, q-1) */
    if (BN_mul(n, p, q, bc) != 1 || BN_sub(p1, p, BN_value_one()) != 1 ||
        BN_sub(q1, q, BN_value_one()) != 1 || BN_gcd(g, p1, q1, bc) != 1 ||
        BN_mul(l, p1, q1, bc) != 1 || BN_div(l, NULL, l, g, bc) != 1 ||
        BN_mod_inverse(d, e, l, bc) == NULL || BN_mod(dmp1, d, p1, bc) != 1 ||
        BN_mod(dmq1, d, q1, bc) != 1 || BN_mod_inverse(iqmp, q, p, bc) == NULL)
        goto done;
    if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
        goto done;
    if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(pctx) != 1 ||
        EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_KEYPAIR, params) != 1)
        goto done;
    /* No primality test here: the caller compares the key with the own
     * certificate, and n = p*q with p, q > 1 matching the certificate's
     * modulus leaves only its true prime factors. */
done:
    ERR_clear_error();
    EVP_PKEY_CTX_free(pctx);
    /* The parameter block holds copies of the private numbers; OpenSSL 3.0
     * has no OSSL_PARAM_clear_free, so wipe them here. */
    for (OSSL_PARAM *it = params; it && it->key; it++)
        if (it->data)
            psc_wipe(it->data, it->data_size);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(p), BN_clear_free(q), BN_free(n), BN_free(e), BN_clear_free(d);
    BN_clear_free(p1), BN_clear_free(q1), BN_clear_free(g), BN_clear_free(l);
    BN_clear_free(dmp1), BN_clear_free(dmq1), BN_clear_free(iqmp);
    BN_CTX_free(bc);
    return key;
}

/* ---- PKRoot -> certificate ----------------------------------------------- */

/* Append one DER TLV with the given tag and content. */
static int der_put(psc_buf *b, unsigned tag, const unsigned char *content, size_t len)
{
    unsigned char hdr[6];
    size_t h = psc_der_header(hdr, tag, len);
    return psc_buf_append(b, hdr, h) || psc_buf_append(b, content, len) ? -1 : 0;
}

/* Content bytes of a cursor (no copy). */
static const unsigned char *cur_bytes(const psc_cursor *c) { return c->data + c->pos; }

X509 *pse_rebuild_root(const unsigned char *pkroot, size_t len)
{
    /* PKRoot ::= SEQUENCE { ca Name, newKey RootKey, [0] extensions or oldKey }
     * RootKey ::= SEQUENCE { [0] version, serial INTEGER, SubjectPublicKeyInfo,
     *                        [1] Validity, [2] AlgorithmIdentifier, signature BIT STRING } */
    psc_cursor all, root, rk, ver, validity, alg, ext;
    const unsigned char *name, *serial, *spki, *sig, *extp = NULL;
    size_t name_len, serial_len, spki_len, sig_len, ext_len = 0;
    psc_cursor_init(&all, pkroot, len);
    if (psc_cursor_der_expect(&all, 0x30, &root) != 0 ||
        psc_cursor_der_element(&root, &name, &name_len) != 0 ||
        psc_cursor_der_expect(&root, 0x30, &rk) != 0)
        return NULL;
    unsigned tag;
    if (psc_cursor_der_peek_tag(&root, &tag) == 0 && tag == 0xa0 &&
        psc_cursor_der_expect(&root, 0xa0, &ext) == 0 &&
        psc_cursor_der_peek_tag(&ext, &tag) == 0 && tag == 0x30) {
        /* Extensions (SEQUENCE OF Extension) or an old RootKey (SEQUENCE
         * starting with [0]): only the first belongs in the certificate. */
        psc_cursor seq = ext, inner;
        unsigned first;
        if (psc_cursor_der_expect(&seq, 0x30, &inner) == 0 &&
            psc_cursor_der_peek_tag(&inner, &first) == 0 && first == 0x30) {
            extp = cur_bytes(&ext);
            ext_len = psc_cursor_remaining(&ext);
        }
    }
    if (psc_cursor_der_expect(&rk, 0xa0, &ver) != 0 ||
        psc_cursor_der_element(&rk, &serial, &serial_len) != 0 ||
        psc_cursor_der_element(&rk, &spki, &spki_len) != 0 ||
        psc_cursor_der_expect(&rk, 0xa1, &validity) != 0 ||
        psc_cursor_der_expect(&rk, 0xa2, &alg) != 0 ||
        psc_cursor_der_element(&rk, &sig, &sig_len) != 0)
        return NULL;

    X509 *x = NULL;
    psc_buf tbs, cert;
    psc_buf_init(&tbs);
    psc_buf_init(&cert);
    int bad = der_put(&tbs, 0xa0, cur_bytes(&ver), psc_cursor_remaining(&ver)) ||
              psc_buf_append(&tbs, serial, serial_len) ||
              psc_buf_append(&tbs, cur_bytes(&alg), psc_cursor_remaining(&alg)) ||
              psc_buf_append(&tbs, name, name_len) ||
              psc_buf_append(&tbs, cur_bytes(&validity), psc_cursor_remaining(&validity)) ||
              psc_buf_append(&tbs, name, name_len) || psc_buf_append(&tbs, spki, spki_len) ||
              (extp && der_put(&tbs, 0xa3, extp, ext_len));
    psc_buf body;
    psc_buf_init(&body);
    bad = bad || der_put(&body, 0x30, tbs.data, tbs.len) ||
          psc_buf_append(&body, cur_bytes(&alg), psc_cursor_remaining(&alg)) ||
          psc_buf_append(&body, sig, sig_len) || der_put(&cert, 0x30, body.data, body.len);
    if (!bad) {
        const unsigned char *p = cert.data;
        x = d2i_X509(NULL, &p, (long)cert.len);
        if (x != NULL && (p != cert.data + cert.len || X509_verify(x, X509_get0_pubkey(x)) != 1)) {
            X509_free(x);
            x = NULL;
        }
    }
    ERR_clear_error();
    psc_buf_free(&tbs, 0);
    psc_buf_free(&body, 0);
    psc_buf_free(&cert, 0);
    return x;
}

/* pbeWithSHAAnd3-KeyTripleDES-CBC 1.2.840.113549.1.12.1.3 */
static const unsigned char OID_PBE_3DES[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                                             0x01, 0x0c, 0x01, 0x03};

/* ---- containers ----------------------------------------------------------- */

/* algId SEQUENCE { OID pbeWithSHAAnd3-KeyTripleDES-CBC, SEQUENCE { salt, iterations } } */
static int parse_pbe(psc_cursor *alg, pse_pbe *p, const psc_read_opts *o, psc_err *e)
{
    psc_cursor oid, params, salt;
    const unsigned char *oid_der;
    size_t oid_len;
    psc_cursor peek = *alg;
    if (psc_cursor_der_element(&peek, &oid_der, &oid_len) != 0 ||
        psc_cursor_der_expect(alg, 0x06, &oid) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: damaged PSE (encryption algorithm unreadable)", o->path);
    if (!pse_cursor_is(&oid, OID_PBE_3DES, sizeof OID_PBE_3DES)) {
        char txt[80] = "?";
        const unsigned char *q = oid_der;
        ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &q, (long)oid_len);
        if (obj)
            OBJ_obj2txt(txt, sizeof txt, obj, 0);
        ASN1_OBJECT_free(obj);
        ERR_clear_error();
        return psc_fail(e, PSC_EINPUT,
                        "%s: PSE encrypted with %s, which pseconv does not read; on the SAP host "
                        "run 'sapgenpse export_p12 -p %s' and convert the .p12",
                        o->path, txt, o->path);
    }
    if (psc_cursor_der_expect(alg, 0x30, &params) != 0 ||
        psc_cursor_der_expect(&params, 0x04, &salt) != 0 ||
        pse_der_small_uint(&params, &p->iterations) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: damaged PSE (encryption parameters unreadable)", o->path);
    p->salt = pse_rest_of(&salt, &p->salt_len);
    unsigned long cap = o->max_iterations ? o->max_iterations : PSC_DEFAULT_MAX_ITERATIONS;
    if (p->iterations == 0 || p->iterations > cap)
        return psc_fail(e, PSC_EINPUT,
                        "%s: PIN iteration count %lu is outside 1..%lu; refusing to spend that "
                        "much time on one file",
                        o->path, p->iterations, cap);
    return PSC_OK;
}

static int need_pin(const psc_read_opts *o, psc_err *e)
{
    if (o->password && psc_secret_is_set(o->password))
        return PSC_OK;
    return psc_fail(e, PSC_EINPUT, "%s is an encrypted PSE; give its PIN with --password SPEC",
                    o->path);
}

static int wrong_pin(const psc_read_opts *o, psc_err *e)
{
    return psc_fail(e, PSC_EINPUT, "wrong PIN for %s; check the PIN given with --password",
                    o->path);
}

/* v2: [0] { encryptedPin OCTET STRING, algId, ciphertext OCTET STRING } */
int pse_open_v2(psc_cursor *box, const psc_read_opts *o, unsigned char **plain,
                   size_t *plain_len, psc_err *e)
{
    psc_cursor check, alg, ct;
    pse_pbe pbe;
    if (psc_cursor_der_expect(box, 0x04, &check) != 0 ||
        psc_cursor_der_expect(box, 0x30, &alg) != 0 || psc_cursor_der_expect(box, 0x04, &ct) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: damaged or truncated PSE (version 2 container)",
                        o->path);
    int rc = need_pin(o, e);
    if (rc == PSC_OK)
        rc = parse_pbe(&alg, &pbe, o, e);
    if (rc != PSC_OK)
        return rc;
    /* SAP stores the PIN encrypted under its own key: a cheap, exact PIN check
     * before the whole content is decrypted. */
    if (psc_cursor_remaining(&check) > 0) {
        unsigned char *enc = NULL;
        size_t enc_len = 0;
        if (pse_pbe_crypt(&pbe, o->password, (const unsigned char *)o->password->data,
                          o->password->len, 1, &enc, &enc_len) != PSE_CRYPT_OK)
            return psc_fail(e, PSC_EINPUT, "%s: cannot derive the PSE key (OpenSSL)", o->path);
        size_t want_len;
        const unsigned char *want = pse_rest_of(&check, &want_len);
        int same = enc_len == want_len && CRYPTO_memcmp(enc, want, enc_len) == 0;
        psc_wipe(enc, enc_len);
        free(enc);
        if (!same)
            return wrong_pin(o, e);
    }
    size_t ct_len;
    const unsigned char *ctp = pse_rest_of(&ct, &ct_len);
    rc = pse_pbe_crypt(&pbe, o->password, ctp, ct_len, 0, plain, plain_len);
    if (rc == PSE_CRYPT_BAD_PADDING)
        return wrong_pin(o, e);
    if (rc != PSE_CRYPT_OK)
        return psc_fail(e, PSC_EINPUT, "%s: cannot decrypt the PSE (OpenSSL)", o->path);
    return PSC_OK;
}

/* v4: [3] { flag INTEGER (1 encrypted, 0 plain), algId, content OCTET STRING,
 *           digest OCTET STRING = SHA-1 of the plain content } */
int pse_open_v4(psc_cursor *box, const psc_read_opts *o, unsigned char **plain,
                   size_t *plain_len, psc_err *e)
{
    unsigned long flag;
    psc_cursor alg, body, digest;
    if (pse_der_small_uint(box, &flag) != 0 || psc_cursor_der_expect(box, 0x30, &alg) != 0 ||
        psc_cursor_der_expect(box, 0x04, &body) != 0 ||
        psc_cursor_der_expect(box, 0x04, &digest) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: damaged or truncated PSE (version 4 container)",
                        o->path);
    if (flag > 1)
        return psc_fail(e, PSC_EINPUT, "%s: PSE version 4 container of kind %lu is not supported",
                        o->path, flag);
    size_t blen;
    const unsigned char *bp = pse_rest_of(&body, &blen);
    if (flag == 1) {
        pse_pbe pbe;
        int rc = need_pin(o, e);
        if (rc == PSC_OK)
            rc = parse_pbe(&alg, &pbe, o, e);
        if (rc != PSC_OK)
            return rc;
        rc = pse_pbe_crypt(&pbe, o->password, bp, blen, 0, plain, plain_len);
        if (rc == PSE_CRYPT_BAD_PADDING)
            return wrong_pin(o, e);
        if (rc != PSE_CRYPT_OK)
            return psc_fail(e, PSC_EINPUT, "%s: cannot decrypt the PSE (OpenSSL)", o->path);
    } else {
        if ((*plain = malloc(blen ? blen : 1)) == NULL)
            return psc_fail(e, PSC_EINPUT, "%s: out of memory", o->path);
        memcpy(*plain, bp, blen);
        *plain_len = blen;
    }
    unsigned char md[20];
    size_t want_len;
    const unsigned char *want = pse_rest_of(&digest, &want_len);
    if (want_len != sizeof md || pse_sha1(*plain, *plain_len, md) != 0 ||
        CRYPTO_memcmp(md, want, sizeof md) != 0) {
        if (flag == 1)
            return wrong_pin(o, e);
        return psc_fail(e, PSC_EINPUT,
                        "%s: the PSE's SHA-1 digest does not match its content; the file is "
                        "damaged, copy it again from the SAP host",
                        o->path);
    }
    return PSC_OK;
}
