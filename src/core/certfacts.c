/* Facts of one certificate for the store (store.c): the DER walk
 * (x509lite.c) with OpenSSL for Names, Times and the keys the walk does not
 * size, falling back to d2i_X509 for encodings the walk refuses; and the
 * table of distinct Names, each decoded, printed and hashed once per store. */
#include "certfacts.h"
#include "buf.h"
#include "cursor.h"
#include "utctime.h"
#include "x509lite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

X509 *psc_cert_x509(const psc_cert *cc)
{
    psc_cert *c = (psc_cert *)cc; /* the decoded X509 is a cache */
    if (c->x509_cache == NULL && !c->x509_failed) {
        const unsigned char *p = c->der;
        X509 *x = d2i_X509(NULL, &p, (long)c->der_len);
        if (x == NULL || (size_t)(p - c->der) != c->der_len) {
            X509_free(x);
            x = NULL;
            c->x509_failed = 1;
        }
        ERR_clear_error();
        c->x509_cache = x;
    }
    return c->x509_cache;
}

const unsigned char *psc_cert_sha1(const psc_cert *cc)
{
    psc_cert *c = (psc_cert *)cc; /* a cache, like x509_cache */
    if (!c->sha1_done && psc_sha(1, c->der, c->der_len, c->sha1_cache) == 0)
        c->sha1_done = 1;
    return c->sha1_done ? c->sha1_cache : NULL;
}

static int use_lite(void);

/* Subject and issuer from the store's name table.  0 ok, -1 a Name OpenSSL
 * refuses, -2 out of memory. */
static int set_names(psc_name_table *t, psc_cert *c, const unsigned char *subj, size_t subj_len,
                     const unsigned char *iss, size_t iss_len)
{
    int oom;
    const psc_name *s = psc_name_intern(t, subj, subj_len, use_lite(), &oom);
    if (s == NULL)
        return oom ? -2 : -1;
    const psc_name *i = psc_name_intern(t, iss, iss_len, use_lite(), &oom);
    if (i == NULL)
        return oom ? -2 : -1;
    c->subject_name = s;
    c->subject_hash = psc_name_hash(s);
    c->subject = psc_name_text(s);
    c->issuer_name = i;
    c->issuer_hash = psc_name_hash(i);
    c->issuer = psc_name_text(i);
    return 0;
}

/* A Time as OpenSSL reads it (ASN1_TIME_to_tm, what `openssl x509 -dates`
 * prints or calls "Bad time value"): *invalid = 1 and *out = 0 when it
 * refuses the value. */
static void set_time(time_t *out, unsigned char *invalid, const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    *out = 0;
    *invalid = ASN1_TIME_to_tm(t, &tm) != 1;
    if (!*invalid) {
        psc_civil c = {(long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec};
        *out = psc_time_from_civil(&c);
    }
}

/* n digits at p as a number; -1 when one is not a digit. */
static int digits(const unsigned char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* The form nearly every certificate has, YYMMDDHHMMSSZ (UTCTime, RFC 5280
 * 4.1.2.5.1) or YYYYMMDDHHMMSSZ (GeneralizedTime), read here: 1 with *out
 * set, or 0 for anything else, which OpenSSL then reads (offsets, fractions,
 * missing seconds, refused values).  Days above 28 go to OpenSSL too, so
 * that this never accepts a date it refuses (February 30). */
static int time_fast(time_t *out, unsigned tag, const unsigned char *v, size_t n)
{
    int ylen = tag == 0x17 ? 2 : 4;
    if (n != (size_t)ylen + 11 || v[n - 1] != 'Z')
        return 0;
    int y = digits(v, ylen);
    const unsigned char *r = v + ylen;
    psc_civil c = {y, digits(r, 2), digits(r + 2, 2), digits(r + 4, 2), digits(r + 6, 2),
                   digits(r + 8, 2)};
    if (y < 0 || c.month < 1 || c.month > 12 || c.day < 1 || c.day > 28 || c.hour < 0 ||
        c.hour > 23 || c.min < 0 || c.min > 59 || c.sec < 0 || c.sec > 59)
        return 0;
    if (ylen == 2)
        c.year += y < 50 ? 2000 : 1900; /* RFC 5280: YY >= 50 is 19YY */
    *out = psc_time_from_civil(&c);
    return 1;
}

/* A Time element (UTCTime or GeneralizedTime, checked by the walk) read in
 * place: an ASN1_TIME over its content, no allocation. */
static void set_time_el(time_t *out, unsigned char *invalid, const unsigned char *el, size_t n)
{
    psc_cursor tc;
    unsigned tag;
    size_t len;
    psc_cursor_init(&tc, el, n);
    *out = 0;
    *invalid = 1;
    if (psc_cursor_der_header(&tc, &tag, &len, NULL) != 0 || len > 0x7fffffff)
        return;
    if (time_fast(out, tag, el + tc.pos, len)) {
        *invalid = 0;
        return;
    }
    ASN1_TIME t;
    memset(&t, 0, sizeof t);
    t.type = tag == 0x17 ? V_ASN1_UTCTIME : V_ASN1_GENERALIZEDTIME;
    t.data = (unsigned char *)el + tc.pos;
    t.length = (int)len;
    set_time(out, invalid, &t);
}

/* Serial as lowercase hex of its magnitude, as ASN1_INTEGER holds it, with
 * a "-" for a negative one (OpenSSL prints -05 for -5). */
static int set_serial(psc_cert *c, const ASN1_INTEGER *serial)
{
    int neg = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER;
    size_t need = (size_t)serial->length * 2 + 4; /* '-', "00" */
    c->serial_hex = need <= sizeof c->serial_inline ? c->serial_inline : malloc(need);
    if (c->serial_hex == NULL)
        return -1;
    c->serial_hex[0] = '-';
    if (serial->length > 0)
        psc_hex(serial->data, (size_t)serial->length, c->serial_hex + neg);
    else
        strcpy(c->serial_hex + neg, "00");
    return 0;
}

/* Key type names by OpenSSL key id (EVP_PKEY_*) or SPKI algorithm NID:
 * the names inspect prints. */
static const struct {
    int id;
    const char *name;
} key_names[] = {
    {EVP_PKEY_RSA, "RSA"},         {EVP_PKEY_RSA_PSS, "RSA"},   {EVP_PKEY_EC, "EC"},
    {EVP_PKEY_DSA, "DSA"},         {EVP_PKEY_ED25519, "Ed25519"}, {EVP_PKEY_ED448, "Ed448"},
    {EVP_PKEY_X25519, "X25519"},   {EVP_PKEY_X448, "X448"},     {EVP_PKEY_SM2, "SM2"},
    {EVP_PKEY_DH, "DH"},           {EVP_PKEY_DHX, "DH"},
};

static const char *key_name(int id)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].id == id)
            return key_names[i].name;
    return "unknown";
}

/* Type, size and (EC) curve of any key, as inspect prints them: also used
 * for private keys read without a certificate. */
void psc_pkey_facts(EVP_PKEY *pk, char type[16], int *bits, char curve[PSC_CURVE_LEN])
{
    curve[0] = '\0';
    *bits = pk ? EVP_PKEY_get_bits(pk) : 0;
    int id = pk ? EVP_PKEY_get_base_id(pk) : EVP_PKEY_NONE;
    const char *t = key_name(id);
    /* provider-only keys (SM2 in OpenSSL 3.0) have no legacy id: by name */
    for (size_t i = 0; pk && strcmp(t, "unknown") == 0 && i < sizeof key_names / sizeof key_names[0]; i++)
        if (EVP_PKEY_is_a(pk, key_names[i].name))
            t = key_names[i].name;
    snprintf(type, 16, "%s", t);
    if (id == EVP_PKEY_EC) {
        char group[64];
        size_t gl = 0;
        if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &gl) == 1) {
            const char *nist = EC_curve_nid2nist(OBJ_txt2nid(group));
            snprintf(curve, PSC_CURVE_LEN, "%.*s", PSC_CURVE_LEN - 1, nist ? nist : group);
        }
    }
}

static void key_facts_from_pkey(psc_cert *c, X509 *x)
{
    EVP_PKEY *pk = X509_get0_pubkey(x);
    if (pk == NULL) {
        /* OpenSSL cannot load the key (an EC point off its curve, a
         * truncated modulus): name its algorithm, mark it invalid. */
        ASN1_OBJECT *alg = NULL;
        X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
        if (pub != NULL)
            (void)X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, pub);
        const char *t = key_name(alg != NULL ? OBJ_obj2nid(alg) : NID_undef);
        psc_strcpy_cut(c->key_type, sizeof c->key_type, t);
        c->key_invalid = strcmp(t, "unknown") != 0;
        return;
    }
    psc_pkey_facts(pk, c->key_type, &c->key_bits, c->curve);
}

/* The signature algorithm's long name, or its dotted OID when OpenSSL has
 * no name for it (as `openssl x509 -text` prints it).  obj: the OID when
 * known as an object, else oid_el (its DER element). */
static void set_sig_alg(psc_cert *c, int signid, const ASN1_OBJECT *obj,
                        const unsigned char *oid_el, size_t oid_el_len)
{
    const char *ln = signid != NID_undef ? OBJ_nid2ln(signid) : NULL;
    if (ln == NULL && signid != NID_undef)
        ln = OBJ_nid2sn(signid);
    if (ln != NULL) {
        psc_strcpy_cut(c->sig_alg, sizeof c->sig_alg, ln);
        return;
    }
    ASN1_OBJECT *own = NULL;
    if (obj == NULL && oid_el != NULL) {
        const unsigned char *p = oid_el;
        obj = own = d2i_ASN1_OBJECT(NULL, &p, (long)oid_el_len);
    }
    if (obj == NULL || OBJ_obj2txt(c->sig_alg, sizeof c->sig_alg, obj, 1) <= 0)
        snprintf(c->sig_alg, sizeof c->sig_alg, "unknown");
    ASN1_OBJECT_free(own);
    ERR_clear_error();
}

/* OpenSSL's self-signed rule (EXFLAG_SS, ossl_x509v3_cache_extensions) on
 * the walk's facts: subject == issuer Name, X509_check_akid(x, akid) (key
 * identifiers equal when both present, the AKI's serial and first
 * directoryName match this certificate), and check_sig_alg_match (the TBS
 * signature algorithm is one for this key's type).  Only for a walk that
 * sized the key itself (RSA, EC). */
static int self_signed_lite(const psc_cert *c, const psc_x509lite *l, const ASN1_INTEGER *serial)
{
    if (!psc_name_eq(c->subject_name, c->issuer_name))
        return 0;
    if (l->aki_ext != NULL) {
        if (l->aki != NULL && l->ski != NULL &&
            (l->aki_len != l->ski_len || memcmp(l->aki, l->ski, l->ski_len) != 0))
            return 0;
        if (l->aki_names_issuer) {
            const unsigned char *p = l->aki_ext;
            AUTHORITY_KEYID *akid = d2i_AUTHORITY_KEYID(NULL, &p, (long)l->aki_ext_len);
            int ok = 1;
            if (akid != NULL && akid->serial != NULL && ASN1_INTEGER_cmp(serial, akid->serial) != 0)
                ok = 0;
            for (int i = 0; ok && akid != NULL && i < sk_GENERAL_NAME_num(akid->issuer); i++) {
                const GENERAL_NAME *g = sk_GENERAL_NAME_value(akid->issuer, i);
                if (g->type == GEN_DIRNAME) {
                    ok = X509_NAME_cmp(g->d.dirn, psc_name_x509(c->issuer_name)) == 0;
                    break;
                }
            }
            AUTHORITY_KEYID_free(akid);
            ERR_clear_error();
            if (!ok)
                return 0;
        }
    }
    int pknid;
    if (l->key_invalid || !OBJ_find_sigid_algs(l->tbs_sig_nid, NULL, &pknid))
        return 0;
    int key_id = strcmp(l->key_type, "RSA") == 0 ? EVP_PKEY_RSA : EVP_PKEY_EC;
    return key_id == EVP_PKEY_type(pknid) || (key_id == EVP_PKEY_RSA && pknid == NID_rsassaPss);
}


/* The fast path: facts from the DER walk; the key is decoded only for
 * algorithms the walk does not size itself.  -1: the walk or one of its
 * pieces was refused (the caller tries d2i_X509). */
static int fill_facts_lite(psc_name_table *t, psc_cert *c)
{
    psc_x509lite l;
    if (psc_x509lite_parse(c->der, c->der_len, &l) != 0)
        return -1;
    int rc = set_names(t, c, l.subject, l.subject_len, l.issuer, l.issuer_len);
    if (rc != 0)
        return rc;

    /* serial: value bytes after the (short or long form) header */
    const unsigned char *p = l.serial;
    ASN1_INTEGER *serial = d2i_ASN1_INTEGER(NULL, &p, (long)l.serial_len);
    if (serial == NULL || set_serial(c, serial) != 0) {
        ASN1_INTEGER_free(serial);
        return -1;
    }

    set_time_el(&c->not_before, &c->not_before_invalid, l.not_before, l.not_before_len);
    set_time_el(&c->not_after, &c->not_after_invalid, l.not_after, l.not_after_len);

    if (l.key_known) {
        psc_strcpy_cut(c->key_type, sizeof c->key_type, l.key_type);
        c->key_bits = l.key_bits;
        c->key_invalid = (unsigned char)l.key_invalid;
        if (l.curve_nid != NID_undef) {
            const char *nist = EC_curve_nid2nist(l.curve_nid);
            psc_strcpy_cut(c->curve, sizeof c->curve, nist ? nist : OBJ_nid2sn(l.curve_nid));
        }
        c->self_signed = self_signed_lite(c, &l, serial);
    } else {
        X509 *x = psc_cert_x509(c);
        if (x == NULL) {
            ASN1_INTEGER_free(serial);
            return -1;
        }
        key_facts_from_pkey(c, x);
        c->self_signed = (X509_get_extension_flags(x) & EXFLAG_SS) != 0;
        ERR_clear_error();
    }
    ASN1_INTEGER_free(serial);
    set_sig_alg(c, l.sig_nid, NULL, l.sig_oid, l.sig_oid_len);
    c->is_ca = l.is_ca;
    c->has_eku = l.has_eku;
    c->eku_client = l.eku_client;
    c->eku_server = l.eku_server;
    c->ski = l.ski;
    c->ski_len = l.ski_len;
    c->aki = l.aki;
    c->aki_len = l.aki_len;
    return 0;
}

/* The EKU bits as ossl_x509v3_cache_extensions sets them
 * (X509_get_extended_key_usage answers "all" for a certificate with any
 * undecodable extension). */
static void eku_from_x509(psc_cert *c, X509 *x)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
        int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i));
        c->eku_client |= nid == NID_client_auth || nid == NID_anyExtendedKeyUsage;
        c->eku_server |= nid == NID_server_auth || nid == NID_anyExtendedKeyUsage;
    }
    EXTENDED_KEY_USAGE_free(eku);
}

/* SKI and AKI keyIdentifier as OpenSSL's chain building sees them (x->skid,
 * x->akid: X509_get_ext_d2i, an extension counting only when it occurs
 * once and decodes).  Not X509_get0_subject_key_id: it answers NULL for a
 * certificate with any undecodable extension.  Copied into c->key_ids.
 * 0 ok, -2 out of memory. */
static int key_ids_from_x509(psc_cert *c, X509 *x)
{
    ASN1_OCTET_STRING *ski = X509_get_ext_d2i(x, NID_subject_key_identifier, NULL, NULL);
    AUTHORITY_KEYID *akid = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
    const ASN1_OCTET_STRING *aki = akid != NULL ? akid->keyid : NULL;
    size_t sl = ski ? (size_t)ASN1_STRING_length(ski) : 0;
    size_t al = aki ? (size_t)ASN1_STRING_length(aki) : 0;
    int rc = 0;
    if (ski != NULL || aki != NULL) {
        if ((c->key_ids = malloc(sl + al + 1)) == NULL) {
            rc = -2;
        } else {
            if (ski != NULL) {
                memcpy(c->key_ids, ASN1_STRING_get0_data(ski), sl);
                c->ski = c->key_ids;
                c->ski_len = sl;
            }
            if (aki != NULL) {
                memcpy(c->key_ids + sl, ASN1_STRING_get0_data(aki), al);
                c->aki = c->key_ids + sl;
                c->aki_len = al;
            }
        }
    }
    ASN1_OCTET_STRING_free(ski);
    AUTHORITY_KEYID_free(akid);
    return rc;
}

/* The slow path for encodings the walk refuses but OpenSSL takes (BER
 * lengths, unusual structures): every fact from the decoded X509. */
static int fill_facts_x509(psc_name_table *t, psc_cert *c)
{
    X509 *x = psc_cert_x509(c);
    const unsigned char *sd, *id;
    size_t sl, il;
    if (x == NULL || !X509_NAME_get0_der(X509_get_subject_name(x), &sd, &sl) ||
        !X509_NAME_get0_der(X509_get_issuer_name(x), &id, &il))
        return -1;
    int rc = set_names(t, c, sd, sl, id, il);
    if (rc != 0)
        return rc;
    if (set_serial(c, X509_get0_serialNumber(x)) != 0)
        return -2;
    set_time(&c->not_before, &c->not_before_invalid, X509_get0_notBefore(x));
    set_time(&c->not_after, &c->not_after_invalid, X509_get0_notAfter(x));
    key_facts_from_pkey(c, x);
    const X509_ALGOR *alg;
    const ASN1_OBJECT *sig_obj;
    X509_get0_signature(NULL, &alg, x);
    X509_ALGOR_get0(&sig_obj, NULL, NULL, alg);
    set_sig_alg(c, X509_get_signature_nid(x), sig_obj, NULL, 0);
    uint32_t flags = X509_get_extension_flags(x);
    c->self_signed = (flags & EXFLAG_SS) != 0;
    c->is_ca = (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA);
    c->has_eku = (flags & EXFLAG_XKUSAGE) != 0;
    if (c->has_eku)
        eku_from_x509(c, x);
    rc = key_ids_from_x509(c, x);
    ERR_clear_error();
    return rc;
}

/* Undo a failed fill so the other path starts clean. */
static void clear_facts(psc_cert *c)
{
    if (c->serial_hex != c->serial_inline)
        free(c->serial_hex);
    c->subject_name = c->issuer_name = NULL;
    c->subject = c->issuer = c->serial_hex = NULL;
    c->key_bits = 0;
    c->key_invalid = c->not_before_invalid = c->not_after_invalid = 0;
    c->self_signed = 0;
    c->key_type[0] = c->curve[0] = '\0';
    c->ski = c->aki = NULL;
    c->ski_len = c->aki_len = 0;
    free(c->key_ids);
    c->key_ids = NULL;
    c->is_ca = c->has_eku = c->eku_client = c->eku_server = 0;
    ERR_clear_error();
}

/* PSC_NOLITE in the environment (or psc_certfacts_set_lite(0)): every fact
 * from d2i_X509, the reference the walk is compared with. */
static int lite_mode = -1;

void psc_certfacts_set_lite(int on) { lite_mode = on != 0; }

int psc_certfacts_lite(void) { return use_lite(); }

static int use_lite(void)
{
    if (lite_mode < 0)
        lite_mode = getenv("PSC_NOLITE") == NULL;
    return lite_mode;
}

int psc_cert_fill_facts(psc_name_table *t, psc_cert *c)
{
    int rc = use_lite() ? fill_facts_lite(t, c) : -1;
    if (rc == -1) {
        clear_facts(c);
        rc = fill_facts_x509(t, c);
    }
    return rc;
}

int psc_cert_der_canonical(const unsigned char *der, size_t len, unsigned char **out,
                           size_t *out_len, X509 **decoded)
{
    *out = NULL;
    *decoded = NULL;
    if ((use_lite() && psc_x509lite_canonical(der, len)) || len > 0x7fffffff)
        return 0;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    unsigned char *enc = NULL;
    int n = x != NULL && (size_t)(p - der) == len ? i2d_X509(x, &enc) : -1;
    ERR_clear_error();
    if (n <= 0) {
        X509_free(x);
        return 0; /* not a certificate: the caller's reading says so */
    }
    *decoded = x;
    if ((size_t)n == len && memcmp(enc, der, len) == 0) {
        OPENSSL_free(enc);
        return 0;
    }
    *out = enc;
    *out_len = (size_t)n;
    return 1;
}
