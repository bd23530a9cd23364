/* Certificate facts from the DER walk (see x509lite.h).  Every check mirrors
 * what OpenSSL 3's d2i_X509 enforces for that field (c2i_ASN1_INTEGER,
 * c2i_ASN1_OBJECT, c2i_ASN1_BIT_STRING, "SEQUENCE length mismatch"), or is
 * stricter; extension values follow X509V3_EXT_d2i, which ignores bytes
 * after the decoded value. */
#include "x509lite.h"
#include "cursor.h"

#include <stdio.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

/* OID contents (without tag and length). */
static const unsigned char OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const unsigned char OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const unsigned char OID_BC[] = {0x55, 0x1d, 0x13};
static const unsigned char OID_EKU[] = {0x55, 0x1d, 0x25};
static const unsigned char OID_SKI[] = {0x55, 0x1d, 0x0e};
static const unsigned char OID_AKI[] = {0x55, 0x1d, 0x23};
static const unsigned char OID_SERVER_AUTH[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
static const unsigned char OID_CLIENT_AUTH[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
static const unsigned char OID_ANY_EKU[] = {0x55, 0x1d, 0x25, 0x00};

#define IS(oid, p, n) ((n) == sizeof(oid) && memcmp((p), (oid), sizeof(oid)) == 0)

/* c2i_ASN1_OBJECT: non-empty, last octet ends a sub-identifier, no
 * sub-identifier starts with 0x80. */
static int oid_ok(const unsigned char *p, size_t n)
{
    if (n == 0 || n > 0x7fffffff || (p[n - 1] & 0x80))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == 0x80 && (i == 0 || !(p[i - 1] & 0x80)))
            return 0;
    return 1;
}

/* c2i_ASN1_INTEGER (c2i_ibuf): non-empty, no illegal padding. */
static int int_ok(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (n == 1)
        return 1;
    int neg = p[0] & 0x80, pad = 0;
    if (p[0] == 0)
        pad = 1;
    else if (p[0] == 0xff) {
        for (size_t i = 1; i < n; i++)
            pad |= p[i];
        pad = pad != 0;
    }
    return !(pad && neg == (p[1] & 0x80));
}

/* c2i_ASN1_BIT_STRING: the unused-bits octet exists and is at most 7. */
static int bits_ok(const unsigned char *p, size_t n)
{
    return n >= 1 && p[0] <= 7;
}

/* An ANY element (AlgorithmIdentifier parameters) as asn1_d2i_ex_primitive
 * and asn1_ex_c2i check it: universal SEQUENCE/SET constructed, other
 * universal types primitive with valid contents; other classes unchecked. */
static int any_ok(const unsigned char *el, size_t n)
{
    psc_cursor c;
    unsigned tag;
    size_t len;
    psc_cursor_init(&c, el, n);
    if (psc_cursor_der_header(&c, &tag, &len, NULL) != 0)
        return 0;
    const unsigned char *p = el + c.pos;
    if ((tag & 0xc0) != 0)
        return 1;
    unsigned t = tag & 0x1f;
    if (t == 16 || t == 17)
        return (tag & 0x20) != 0;
    if ((tag & 0x20) || t == 0)
        return 0; /* constructed strings are BER: refused here (the store falls back) */
    switch (t) {
    case 1: return len == 1;                 /* BOOLEAN */
    case 5: return len == 0;                 /* NULL */
    case 6: return oid_ok(p, len);           /* OBJECT IDENTIFIER */
    case 2: case 10: return int_ok(p, len);  /* INTEGER, ENUMERATED */
    case 3: return bits_ok(p, len);          /* BIT STRING */
    case 30: return len % 2 == 0;            /* BMPString */
    case 28: return len % 4 == 0;            /* UniversalString */
    default: return 1;
    }
}

/* A BIT STRING element whose unused bits are zero (c2i_ASN1_BIT_STRING
 * clears them, so i2d writes them as zero). */
static int bits_clean(const unsigned char *el, size_t n)
{
    psc_cursor c;
    unsigned tag;
    size_t len, hl;
    psc_cursor_init(&c, el, n);
    if (psc_cursor_der_header(&c, &tag, &len, &hl) != 0 || len < 2)
        return 1;
    return (el[hl + len - 1] & ((1u << (el[hl] & 7)) - 1)) == 0;
}

/* The element's length octets are the shortest form (what i2d writes). */
static int min_hdr(const unsigned char *el)
{
    if (!(el[1] & 0x80))
        return 1;
    unsigned k = el[1] & 0x7f;
    return k >= 1 && el[2] != 0 && (k > 1 || el[2] >= 0x80);
}

/* Read one primitive TLV with tag `tag`: its content. */
static int prim(psc_cursor *c, unsigned tag, const unsigned char **p, size_t *n)
{
    unsigned t;
    if (psc_cursor_der_header(c, &t, n, NULL) != 0 || t != tag)
        return -1;
    return psc_cursor_bytes(c, *n, p);
}

static int peek_is(const psc_cursor *c, unsigned tag)
{
    unsigned t;
    return psc_cursor_der_peek_tag(c, &t) == 0 && t == tag;
}

/* AlgorithmIdentifier: SEQUENCE { OID, ANY OPTIONAL }; the OID element (with
 * its header, for d2i_ASN1_OBJECT) and the parameters element if any. */
static int algid(psc_cursor *c, const unsigned char **oid_el, size_t *oid_el_len,
                 const unsigned char **oid, size_t *oid_len, const unsigned char **par,
                 size_t *par_len)
{
    psc_cursor s;
    if (psc_cursor_der_expect(c, 0x30, &s) != 0)
        return -1;
    size_t start = s.pos;
    if (prim(&s, 0x06, oid, oid_len) != 0 || !oid_ok(*oid, *oid_len))
        return -1;
    *oid_el = s.data + start;
    *oid_el_len = s.pos - start;
    *par = NULL;
    *par_len = 0;
    if (psc_cursor_remaining(&s) > 0 &&
        (psc_cursor_der_element(&s, par, par_len) != 0 || !any_ok(*par, *par_len)))
        return -1;
    return psc_cursor_remaining(&s) == 0 && !s.failed ? 0 : -1;
}

/* OID -> NID through OpenSSL, remembered: a store of 10,000 certificates
 * names a handful of distinct algorithms and curves. */
typedef struct oid_memo {
    unsigned char der[32];
    size_t len;
    int nid;
} oid_memo;
static oid_memo oid_memos[16];
static size_t oid_memo_count;

static int oid_nid(const unsigned char *el, size_t len)
{
    for (size_t i = 0; i < oid_memo_count; i++)
        if (oid_memos[i].len == len && memcmp(oid_memos[i].der, el, len) == 0)
            return oid_memos[i].nid;
    const unsigned char *p = el;
    ASN1_OBJECT *o = d2i_ASN1_OBJECT(NULL, &p, (long)len);
    int nid = o != NULL ? OBJ_obj2nid(o) : NID_undef;
    ASN1_OBJECT_free(o);
    ERR_clear_error();
    if (len <= sizeof oid_memos[0].der && oid_memo_count < 16) {
        memcpy(oid_memos[oid_memo_count].der, el, len);
        oid_memos[oid_memo_count].len = len;
        oid_memos[oid_memo_count++].nid = nid;
    }
    return nid;
}

int psc_x509lite_curve_bits(int curve_nid)
{
    static struct {
        int nid, bits;
    } memo[16];
    static size_t used;
    for (size_t i = 0; i < used; i++)
        if (memo[i].nid == curve_nid)
            return memo[i].bits;
    EC_GROUP *g = EC_GROUP_new_by_curve_name(curve_nid);
    int bits = g != NULL ? EC_GROUP_order_bits(g) : 0;
    EC_GROUP_free(g);
    ERR_clear_error();
    if (used < 16) {
        memo[used].nid = curve_nid;
        memo[used++].bits = bits;
    }
    return bits;
}

/* One named curve's group, kept for the process, with what the fast point
 * check needs: p, and a and b in Montgomery form (prime curves only). */
typedef struct curve_group {
    int nid;
    EC_GROUP *g;
    EC_POINT *pt;       /* reused: a point per check costs more than the check */
    BIGNUM *p, *a, *b;  /* NULL for a curve over a binary field */
    BN_MONT_CTX *mont;
    size_t flen;        /* octets of a coordinate */
} curve_group;

/* Without the fast check's numbers: EC_POINT_oct2point alone decides. */
static void drop_fast_check(curve_group *cg)
{
    BN_free(cg->p);
    BN_free(cg->a);
    BN_free(cg->b);
    BN_MONT_CTX_free(cg->mont);
    cg->p = cg->a = cg->b = NULL;
    cg->mont = NULL;
}

static void curve_group_free(curve_group *cg)
{
    drop_fast_check(cg);
    EC_POINT_free(cg->pt);
    EC_GROUP_free(cg->g);
    memset(cg, 0, sizeof *cg);
}

/* 0 ok; -1 unknown curve or out of memory.  A binary-field curve gets no
 * fast check (p NULL), only the group. */
static int curve_group_init(curve_group *cg, int nid, BN_CTX *bn)
{
    memset(cg, 0, sizeof *cg);
    cg->nid = nid;
    if ((cg->g = EC_GROUP_new_by_curve_name(nid)) == NULL || (cg->pt = EC_POINT_new(cg->g)) == NULL)
        goto fail;
    if (EC_GROUP_get_field_type(cg->g) != NID_X9_62_prime_field)
        return 0;
    cg->p = BN_new();
    cg->a = BN_new();
    cg->b = BN_new();
    cg->mont = BN_MONT_CTX_new();
    if (cg->p == NULL || cg->a == NULL || cg->b == NULL || cg->mont == NULL ||
        EC_GROUP_get_curve(cg->g, cg->p, cg->a, cg->b, bn) != 1 ||
        BN_MONT_CTX_set(cg->mont, cg->p, bn) != 1 ||
        BN_to_montgomery(cg->a, cg->a, cg->mont, bn) != 1 ||
        BN_to_montgomery(cg->b, cg->b, cg->mont, bn) != 1) {
        drop_fast_check(cg);
        ERR_clear_error();
        return 0; /* OpenSSL's check still works */
    }
    cg->flen = (size_t)BN_num_bytes(cg->p);
    return 0;
fail:
    curve_group_free(cg);
    ERR_clear_error();
    return -1;
}

/* 04 || x || y with x, y < p and y^2 = x^3 + ax + b (mod p): the checks
 * EC_POINT_oct2point makes of an uncompressed point on a prime curve
 * (ec_GFp_simple_oct2point, then EC_POINT_set_affine_coordinates'
 * is-on-curve test), in Montgomery form, without its reduction of x and y
 * (BN_div) and Jacobian coordinates: those were 12% of inspect.  1 only for
 * a point OpenSSL takes; 0 sends the point to OpenSSL, which decides. */
static int on_curve_fast(const curve_group *cg, const unsigned char *pt, size_t n, BN_CTX *bn)
{
    if (cg->p == NULL || n != 1 + 2 * cg->flen || pt[0] != 0x04)
        return 0;
    BN_CTX_start(bn);
    BIGNUM *x = BN_CTX_get(bn), *y = BN_CTX_get(bn), *l = BN_CTX_get(bn);
    BIGNUM *r = BN_CTX_get(bn);
    int ok = r != NULL && BN_bin2bn(pt + 1, (int)cg->flen, x) != NULL &&
             BN_bin2bn(pt + 1 + cg->flen, (int)cg->flen, y) != NULL &&
             BN_ucmp(x, cg->p) < 0 && BN_ucmp(y, cg->p) < 0 &&
             BN_to_montgomery(x, x, cg->mont, bn) && BN_to_montgomery(y, y, cg->mont, bn) &&
             BN_mod_mul_montgomery(l, y, y, cg->mont, bn) &&      /* y^2 */
             BN_mod_mul_montgomery(r, x, x, cg->mont, bn) &&      /* x^2 */
             BN_mod_add_quick(r, r, cg->a, cg->p) &&              /* x^2 + a */
             BN_mod_mul_montgomery(r, r, x, cg->mont, bn) &&      /* x^3 + ax */
             BN_mod_add_quick(r, r, cg->b, cg->p) &&              /* x^3 + ax + b */
             BN_cmp(l, r) == 0;
    BN_CTX_end(bn);
    return ok;
}

int psc_x509lite_ec_point_ok(int curve_nid, const unsigned char *pt, size_t n)
{
    static curve_group groups[16];
    static size_t used;
    static BN_CTX *bn;
    if (bn == NULL && (bn = BN_CTX_new()) == NULL)
        return 0;
    size_t i = 0;
    while (i < used && groups[i].nid != curve_nid)
        i++;
    curve_group one;
    curve_group *cg = i < used ? &groups[i] : used < 16 ? &groups[used] : &one;
    if (i == used) {
        if (curve_group_init(cg, curve_nid, bn) != 0)
            return 0;
        if (cg != &one)
            used++;
    }
    int ok = on_curve_fast(cg, pt, n, bn) || EC_POINT_oct2point(cg->g, cg->pt, pt, n, bn) == 1;
    if (!ok)
        ERR_clear_error();
    if (cg == &one)
        curve_group_free(cg);
    return ok;
}

/* Bit length of a positive INTEGER's content (leading zero octets skipped). */
static int int_bits(const unsigned char *p, size_t n)
{
    while (n > 0 && p[0] == 0) {
        p++;
        n--;
    }
    if (n == 0)
        return 0;
    int top = 0;
    for (unsigned v = p[0]; v; v >>= 1)
        top++;
    return (int)((n - 1) * 8) + top;
}

/* subjectPublicKeyInfo: RSA and named-curve EC without building a key. */
static int spki(psc_cursor *c, psc_x509lite *out)
{
    psc_cursor s, key, rsa;
    const unsigned char *oel, *oid, *par, *bits;
    size_t oel_len, oid_len, par_len, nbits;
    if (psc_cursor_der_expect(c, 0x30, &s) != 0 ||
        algid(&s, &oel, &oel_len, &oid, &oid_len, &par, &par_len) != 0 ||
        prim(&s, 0x03, &bits, &nbits) != 0 || !bits_ok(bits, nbits) ||
        psc_cursor_remaining(&s) != 0)
        return -1;
    out->key_known = 0;
    out->curve_nid = NID_undef;
    if (IS(OID_RSA, oid, oid_len) && bits[0] == 0) {
        const unsigned char *n, *e;
        size_t nl, el;
        psc_cursor_init(&key, bits + 1, nbits - 1);
        if (psc_cursor_der_expect(&key, 0x30, &rsa) == 0 && psc_cursor_remaining(&key) == 0 &&
            prim(&rsa, 0x02, &n, &nl) == 0 && prim(&rsa, 0x02, &e, &el) == 0 &&
            psc_cursor_remaining(&rsa) == 0 && int_ok(n, nl) && int_ok(e, el) &&
            !(n[0] & 0x80) && !(e[0] & 0x80) && int_bits(n, nl) > 0) {
            memcpy(out->key_type, "RSA", 4);
            out->key_bits = int_bits(n, nl);
            out->key_known = 1;
        }
    } else if (IS(OID_EC, oid, oid_len) && par != NULL && par_len > 2 && par[0] == 0x06 &&
               nbits > 1 && bits[0] == 0) {
        int nid = oid_nid(par, par_len);
        int cb = nid != NID_undef && nid != NID_sm2 ? psc_x509lite_curve_bits(nid) : 0;
        if (cb > 0) {
            memcpy(out->key_type, "EC", 3);
            out->key_known = 1;
            if (psc_x509lite_ec_point_ok(nid, bits + 1, nbits - 1)) {
                out->key_bits = cb;
                out->curve_nid = nid;
            } else {
                out->key_invalid = 1;
            }
        }
    }
    return 0;
}

static int openssl_decodes(int k, const unsigned char *p, size_t n);

/* One extension value per X509V3_EXT_d2i: 1 decoded, 0 not DER the walk
 * reads (extensions() then asks OpenSSL: what it cannot decode either does
 * not count, as OpenSSL's flags lack it too). */
static int ext_bc(const unsigned char *p, size_t n, psc_x509lite *out)
{
    psc_cursor v, s;
    const unsigned char *b;
    size_t bl;
    int ca = 0;
    psc_cursor_init(&v, p, n);
    if (psc_cursor_der_expect(&v, 0x30, &s) != 0)
        return 0;
    if (peek_is(&s, 0x01)) {
        if (prim(&s, 0x01, &b, &bl) != 0 || bl != 1)
            return 0;
        ca = b[0] != 0;
    }
    if (peek_is(&s, 0x02) && (prim(&s, 0x02, &b, &bl) != 0 || !int_ok(b, bl)))
        return 0;
    if (psc_cursor_remaining(&s) != 0 || s.failed)
        return 0;
    out->is_ca = ca;
    return 1;
}

static int ext_eku(const unsigned char *p, size_t n, psc_x509lite *out)
{
    psc_cursor v, s;
    int client = 0, server = 0;
    psc_cursor_init(&v, p, n);
    if (psc_cursor_der_expect(&v, 0x30, &s) != 0)
        return 0;
    while (psc_cursor_remaining(&s) > 0) {
        const unsigned char *o;
        size_t ol;
        if (prim(&s, 0x06, &o, &ol) != 0 || !oid_ok(o, ol))
            return 0;
        if (IS(OID_CLIENT_AUTH, o, ol))
            client = 1;
        else if (IS(OID_SERVER_AUTH, o, ol))
            server = 1;
        else if (IS(OID_ANY_EKU, o, ol))
            client = server = 1;
    }
    out->has_eku = 1;
    out->eku_client = client;
    out->eku_server = server;
    return 1;
}

static int ext_ski(const unsigned char *p, size_t n, psc_x509lite *out)
{
    psc_cursor v;
    const unsigned char *k;
    size_t kl;
    psc_cursor_init(&v, p, n);
    if (prim(&v, 0x04, &k, &kl) != 0)
        return 0;
    out->ski = k;
    out->ski_len = kl;
    return 1;
}

static int ext_aki(const unsigned char *p, size_t n, psc_x509lite *out)
{
    psc_cursor v, s;
    const unsigned char *k = NULL, *b;
    size_t kl = 0, bl;
    int names = 0;
    psc_cursor_init(&v, p, n);
    if (psc_cursor_der_expect(&v, 0x30, &s) != 0)
        return 0;
    if (peek_is(&s, 0x80) && prim(&s, 0x80, &k, &kl) != 0)
        return 0;
    if (peek_is(&s, 0xa1)) {
        if (psc_cursor_der_element(&s, &b, &bl) != 0)
            return 0;
        names = 1;
    }
    if (peek_is(&s, 0x82)) {
        if (prim(&s, 0x82, &b, &bl) != 0 || !int_ok(b, bl))
            return 0;
        names = 1;
    }
    if (psc_cursor_remaining(&s) != 0 || s.failed)
        return 0;
    /* authorityCertIssuer's GeneralNames are not walked here: OpenSSL must
     * decode the whole value, or X509_check_akid sees no AKI at all */
    if (names && !openssl_decodes(3, p, n))
        return 0;
    out->aki = k;
    out->aki_len = kl;
    out->aki_ext = p;
    out->aki_ext_len = n;
    out->aki_names_issuer = names;
    return 1;
}

/* Would X509V3_EXT_d2i decode extension k's value (the walk did not)? */
static int openssl_decodes(int k, const unsigned char *p, size_t n)
{
    const unsigned char *q = p;
    void *v = NULL;
    if (n > 0x7fffffff)
        return 0;
    switch (k) {
    case 0: v = d2i_BASIC_CONSTRAINTS(NULL, &q, (long)n); BASIC_CONSTRAINTS_free(v); break;
    case 1: v = d2i_EXTENDED_KEY_USAGE(NULL, &q, (long)n); EXTENDED_KEY_USAGE_free(v); break;
    case 2: v = d2i_ASN1_OCTET_STRING(NULL, &q, (long)n); ASN1_OCTET_STRING_free(v); break;
    default: v = d2i_AUTHORITY_KEYID(NULL, &q, (long)n); AUTHORITY_KEYID_free(v); break;
    }
    ERR_clear_error();
    return v != NULL;
}

/* [3] EXPLICIT SEQUENCE OF Extension.  X509_get_ext_d2i ignores an
 * extension that occurs twice, so only single occurrences are decoded. */
static int extensions(psc_cursor *c, psc_x509lite *out)
{
    psc_cursor wrap, seq;
    const unsigned char *val[4] = {NULL, NULL, NULL, NULL};
    size_t len[4] = {0, 0, 0, 0};
    int count[4] = {0, 0, 0, 0};
    if (psc_cursor_der_expect(c, 0xa3, &wrap) != 0 ||
        psc_cursor_der_expect(&wrap, 0x30, &seq) != 0 || psc_cursor_remaining(&wrap) != 0)
        return -1;
    while (psc_cursor_remaining(&seq) > 0) {
        psc_cursor ext;
        const unsigned char *o, *b, *v;
        size_t ol, bl, vl;
        if (psc_cursor_der_expect(&seq, 0x30, &ext) != 0 || prim(&ext, 0x06, &o, &ol) != 0 ||
            !oid_ok(o, ol))
            return -1;
        if (peek_is(&ext, 0x01) && (prim(&ext, 0x01, &b, &bl) != 0 || bl != 1))
            return -1;
        if (prim(&ext, 0x04, &v, &vl) != 0 || psc_cursor_remaining(&ext) != 0)
            return -1;
        int k = IS(OID_BC, o, ol) ? 0 : IS(OID_EKU, o, ol) ? 1 : IS(OID_SKI, o, ol) ? 2
                : IS(OID_AKI, o, ol) ? 3 : -1;
        if (k >= 0 && count[k]++ == 0) {
            val[k] = v;
            len[k] = vl;
        }
    }
    if (seq.failed)
        return -1;
    static int (*const read_ext[4])(const unsigned char *, size_t, psc_x509lite *) = {
        ext_bc, ext_eku, ext_ski, ext_aki};
    for (int k = 0; k < 4; k++)
        if (count[k] == 1 && !read_ext[k](val[k], len[k], out) &&
            openssl_decodes(k, val[k], len[k]))
            return -1; /* BER OpenSSL reads: its facts, not none */
    return 0;
}

static int time_el(psc_cursor *c, const unsigned char **p, size_t *n)
{
    unsigned t;
    return psc_cursor_der_peek_tag(c, &t) == 0 && (t == 0x17 || t == 0x18) &&
                   psc_cursor_der_element(c, p, n) == 0
               ? 0
               : -1;
}

static int name_el(psc_cursor *c, const unsigned char **p, size_t *n)
{
    return peek_is(c, 0x30) && psc_cursor_der_element(c, p, n) == 0 ? 0 : -1;
}

static int tbs(psc_cursor *t, psc_x509lite *out)
{
    const unsigned char *p, *oel, *oid, *par;
    size_t n, oel_len, oid_len, par_len;
    if (peek_is(t, 0xa0)) { /* version [0] EXPLICIT INTEGER */
        psc_cursor v;
        if (psc_cursor_der_expect(t, 0xa0, &v) != 0 || prim(&v, 0x02, &p, &n) != 0 ||
            !int_ok(p, n) || psc_cursor_remaining(&v) != 0)
            return -1;
    }
    size_t at = t->pos;
    if (prim(t, 0x02, &p, &n) != 0 || !int_ok(p, n))
        return -1;
    out->serial = t->data + at;
    out->serial_len = t->pos - at;
    if (algid(t, &oel, &oel_len, &oid, &oid_len, &par, &par_len) != 0 ||
        name_el(t, &out->issuer, &out->issuer_len) != 0)
        return -1;
    out->tbs_sig_nid = oid_nid(oel, oel_len);
    psc_cursor val;
    if (psc_cursor_der_expect(t, 0x30, &val) != 0 ||
        time_el(&val, &out->not_before, &out->not_before_len) != 0 ||
        time_el(&val, &out->not_after, &out->not_after_len) != 0 ||
        psc_cursor_remaining(&val) != 0)
        return -1;
    if (name_el(t, &out->subject, &out->subject_len) != 0 || spki(t, out) != 0)
        return -1;
    if (peek_is(t, 0x81) && (prim(t, 0x81, &p, &n) != 0 || !bits_ok(p, n)))
        return -1;
    if (peek_is(t, 0x82) && (prim(t, 0x82, &p, &n) != 0 || !bits_ok(p, n)))
        return -1;
    if (peek_is(t, 0xa3) && extensions(t, out) != 0)
        return -1;
    return psc_cursor_remaining(t) == 0 && !t->failed ? 0 : -1;
}

int psc_x509lite_parse(const unsigned char *der, size_t len, psc_x509lite *out)
{
    memset(out, 0, sizeof *out);
    out->sig_nid = NID_undef;
    out->curve_nid = NID_undef;
    psc_cursor all, cert, t;
    const unsigned char *oel, *oid, *par, *sig;
    size_t oel_len, oid_len, par_len, sig_len;
    psc_cursor_init(&all, der, len);
    if (psc_cursor_der_expect(&all, 0x30, &cert) != 0 || psc_cursor_remaining(&all) != 0 ||
        psc_cursor_der_expect(&cert, 0x30, &t) != 0 || tbs(&t, out) != 0)
        return -1;
    if (algid(&cert, &oel, &oel_len, &oid, &oid_len, &par, &par_len) != 0 ||
        prim(&cert, 0x03, &sig, &sig_len) != 0 || !bits_ok(sig, sig_len) ||
        psc_cursor_remaining(&cert) != 0 || cert.failed)
        return -1;
    out->sig_nid = oid_nid(oel, oel_len);
    out->sig_oid = oel;
    out->sig_oid_len = oel_len;
    return 0;
}

int psc_x509lite_canonical(const unsigned char *der, size_t len)
{
    psc_cursor all, cert;
    const unsigned char *tbs_el, *oel, *oid, *par, *sig;
    size_t tbs_len, oel_len, oid_len, par_len, sig_len;
    psc_cursor_init(&all, der, len);
    if (psc_cursor_der_expect(&all, 0x30, &cert) != 0 || psc_cursor_remaining(&all) != 0 ||
        !peek_is(&cert, 0x30) || psc_cursor_der_element(&cert, &tbs_el, &tbs_len) != 0)
        return 0;
    const unsigned char *alg_el = cert.data + cert.pos;
    if (algid(&cert, &oel, &oel_len, &oid, &oid_len, &par, &par_len) != 0)
        return 0;
    const unsigned char *sig_el = cert.data + cert.pos;
    if (prim(&cert, 0x03, &sig, &sig_len) != 0 || !bits_ok(sig, sig_len) ||
        psc_cursor_remaining(&cert) != 0 || cert.failed)
        return 0;
    return min_hdr(der) && min_hdr(alg_el) && min_hdr(oel) &&
           !(par != NULL && (par[0] & 0xe0) == 0 && !min_hdr(par)) &&
           !(par != NULL && par[0] == 0x03 && !bits_clean(par, par_len)) && min_hdr(sig_el) &&
           !(sig_len > 1 && (sig[sig_len - 1] & ((1u << sig[0]) - 1)) != 0);
}
