/* Facts of one certificate for the store (store.c): the DER walk
 * (x509lite.c) with OpenSSL for Names, Times and the keys the walk does not
 * size, falling back to d2i_X509 for encodings the walk refuses; and the
 * table of distinct Names, each decoded, printed and hashed once per store. */
#include "certfacts.h"
#include "cursor.h"
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

/* A distinct Name (by its DER), decoded, printed and hashed once: a CA's
 * subject is every certificate's issuer it signed, a root's both. */
struct psc_name_slot {
    unsigned char *der; /* NULL = empty slot */
    size_t len;
    uint32_t key;       /* FNV-1a of der */
    X509_NAME *name;
    char *text;         /* name_string() */
    uint32_t hash;      /* X509_NAME_hash_ex: equal for X509_NAME_cmp-equal names */
};
typedef struct psc_name_slot name_slot;

static char *dupstr(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

void psc_name_table_free(psc_name_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].der != NULL) {
            free(t->slots[i].der);
            X509_NAME_free(t->slots[i].name);
            free(t->slots[i].text);
        }
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

static char *name_string(const X509_NAME *name)
{
    /* RFC 2253 order reversed to the way STRUST and Java print DNs
     * ("CN=..., OU=..., O=..., C=DE"), UTF-8 kept readable. */
    unsigned long flags = (XN_FLAG_RFC2253 & ~(unsigned long)ASN1_STRFLGS_ESC_MSB &
                           ~(unsigned long)XN_FLAG_SEP_MASK) |
                          XN_FLAG_SEP_CPLUS_SPC;
    /* One memory BIO for the process, emptied per call: a BIO and its buffer
     * per name cost more than printing the name. */
    static BIO *b;
    if (b == NULL && (b = BIO_new(BIO_s_mem())) == NULL)
        return NULL;
    (void)BIO_reset(b);
    char *out = NULL;
    if (X509_NAME_print_ex(b, name, 0, flags) >= 0) {
        char *p;
        long n = BIO_get_mem_data(b, &p);
        out = malloc((size_t)n + 1);
        if (out) {
            memcpy(out, p, (size_t)n);
            out[n] = '\0';
        }
    }
    return out;
}

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

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static X509_NAME *decode_name(const unsigned char *p, size_t n)
{
    const unsigned char *q = p;
    X509_NAME *name = d2i_X509_NAME(NULL, &q, (long)n);
    if (name != NULL && (size_t)(q - p) != n) {
        X509_NAME_free(name);
        name = NULL;
    }
    return name;
}

static const name_slot *name_put(psc_name_table *t, const name_slot *ns)
{
    size_t mask = t->cap - 1;
    size_t i = ns->key & mask;
    while (t->slots[i].der != NULL)
        i = (i + 1) & mask;
    t->slots[i] = *ns;
    return &t->slots[i];
}

/* The store's slot for a Name's DER.  NULL: OpenSSL refuses the Name
 * (*oom = 0) or memory ran out (*oom = 1). */
static const name_slot *intern_name(psc_name_table *t, const unsigned char *der, size_t len, int *oom)
{
    *oom = 0;
    uint32_t key = fnv1a(der, len);
    if (t->cap > 0) {
        size_t mask = t->cap - 1;
        for (size_t i = key & mask; t->slots[i].der != NULL; i = (i + 1) & mask) {
            const name_slot *ns = &t->slots[i];
            if (ns->key == key && ns->len == len && memcmp(ns->der, der, len) == 0)
                return ns;
        }
    }
    if ((t->used + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16; /* plan keeps a store per system */
        name_slot *old = t->slots;
        size_t old_cap = t->cap;
        name_slot *fresh = calloc(cap, sizeof *fresh);
        if (fresh == NULL) {
            *oom = 1;
            return NULL;
        }
        t->slots = fresh;
        t->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].der != NULL)
                name_put(t, &old[i]);
        free(old);
    }
    name_slot ns = {NULL, len, key, decode_name(der, len), NULL, 0};
    if (ns.name == NULL) {
        ERR_clear_error();
        return NULL;
    }
    ns.text = name_string(ns.name);
    ns.hash = (uint32_t)X509_NAME_hash_ex(ns.name, NULL, NULL, NULL);
    ERR_clear_error();
    ns.der = malloc(len ? len : 1);
    if (ns.text == NULL || ns.der == NULL) {
        X509_NAME_free(ns.name);
        free(ns.text);
        free(ns.der);
        *oom = 1;
        return NULL;
    }
    memcpy(ns.der, der, len);
    t->used++;
    return name_put(t, &ns);
}

/* Subject and issuer from the store's name table.  0 ok, -1 a Name OpenSSL
 * refuses, -2 out of memory. */
static int set_names(psc_name_table *t, psc_cert *c, const unsigned char *subj, size_t subj_len,
                     const unsigned char *iss, size_t iss_len)
{
    int oom;
    const name_slot *s = intern_name(t, subj, subj_len, &oom);
    if (s == NULL)
        return oom ? -2 : -1;
    c->subject_name = s->name;
    c->subject_hash = s->hash;
    if ((c->subject = dupstr(s->text)) == NULL)
        return -2;
    const name_slot *i = intern_name(t, iss, iss_len, &oom); /* may move the table */
    if (i == NULL)
        return oom ? -2 : -1;
    c->issuer_name = i->name;
    c->issuer_hash = i->hash;
    return (c->issuer = dupstr(i->text)) == NULL ? -2 : 0;
}

static void set_time(time_t *out, const ASN1_TIME *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (ASN1_TIME_to_tm(t, &tm) == 1)
        *out = timegm(&tm);
}

/* A Time element (UTCTime or GeneralizedTime, checked by the walk) read in
 * place: an ASN1_TIME over its content, no allocation. */
static void set_time_el(time_t *out, const unsigned char *el, size_t n)
{
    psc_cursor tc;
    unsigned tag;
    size_t len;
    psc_cursor_init(&tc, el, n);
    if (psc_cursor_der_header(&tc, &tag, &len, NULL) != 0 || len > 64)
        return;
    ASN1_TIME t;
    memset(&t, 0, sizeof t);
    t.type = tag == 0x17 ? V_ASN1_UTCTIME : V_ASN1_GENERALIZEDTIME;
    t.data = (unsigned char *)el + tc.pos;
    t.length = (int)len;
    set_time(out, &t);
}

/* Serial as lowercase hex of its magnitude, as ASN1_INTEGER holds it. */
static int set_serial(psc_cert *c, const ASN1_INTEGER *serial)
{
    c->serial_hex = malloc((size_t)serial->length * 2 + 2);
    if (c->serial_hex == NULL)
        return -1;
    if (serial->length > 0)
        psc_hex(serial->data, (size_t)serial->length, c->serial_hex);
    else
        strcpy(c->serial_hex, "00");
    return 0;
}

void psc_pkey_facts(EVP_PKEY *pk, char type[16], int *bits, char curve[64])
{
    static const struct { int id; const char *name; } types[] = {
        {EVP_PKEY_RSA, "RSA"}, {EVP_PKEY_RSA_PSS, "RSA"}, {EVP_PKEY_EC, "EC"},
        {EVP_PKEY_DSA, "DSA"}, {EVP_PKEY_ED25519, "Ed25519"}, {EVP_PKEY_ED448, "Ed448"},
    };
    curve[0] = '\0';
    *bits = pk ? EVP_PKEY_get_bits(pk) : 0;
    int id = pk ? EVP_PKEY_get_base_id(pk) : EVP_PKEY_NONE;
    const char *t = "unknown";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].id == id)
            t = types[i].name;
    snprintf(type, 16, "%s", t);
    if (id == EVP_PKEY_EC) {
        char group[64];
        size_t gl = 0;
        if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &gl) == 1) {
            const char *nist = EC_curve_nid2nist(OBJ_txt2nid(group));
            snprintf(curve, 64, "%s", nist ? nist : group);
        }
    }
}

static void key_facts_from_pkey(psc_cert *c, EVP_PKEY *pk)
{
    psc_pkey_facts(pk, c->key_type, &c->key_bits, c->curve);
}

static void set_sig_alg(psc_cert *c, int signid)
{
    snprintf(c->sig_alg, sizeof c->sig_alg, "%s",
             signid != NID_undef ? OBJ_nid2ln(signid) : "unknown");
}

/* Self-issued (see store.h): no signature check here. */
static int self_issued(const psc_cert *c)
{
    if (X509_NAME_cmp(c->subject_name, c->issuer_name) != 0)
        return 0;
    return c->ski == NULL || c->aki == NULL ||
           (c->ski_len == c->aki_len && memcmp(c->ski, c->aki, c->ski_len) == 0);
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
    rc = serial != NULL ? set_serial(c, serial) : -1;
    ASN1_INTEGER_free(serial);
    if (rc != 0)
        return -1;

    set_time_el(&c->not_before, l.not_before, l.not_before_len);
    set_time_el(&c->not_after, l.not_after, l.not_after_len);

    if (l.key_known) {
        snprintf(c->key_type, sizeof c->key_type, "%s", l.key_type);
        c->key_bits = l.key_bits;
        if (l.curve_nid != NID_undef) {
            const char *nist = EC_curve_nid2nist(l.curve_nid);
            snprintf(c->curve, sizeof c->curve, "%s", nist ? nist : OBJ_nid2sn(l.curve_nid));
        }
    } else {
        X509 *x = psc_cert_x509(c);
        if (x == NULL)
            return -1;
        key_facts_from_pkey(c, X509_get0_pubkey(x));
        ERR_clear_error();
    }
    set_sig_alg(c, l.sig_nid);
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
    set_time(&c->not_before, X509_get0_notBefore(x));
    set_time(&c->not_after, X509_get0_notAfter(x));
    key_facts_from_pkey(c, X509_get0_pubkey(x));
    set_sig_alg(c, X509_get_signature_nid(x));
    uint32_t flags = X509_get_extension_flags(x);
    c->is_ca = (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA);
    c->has_eku = (flags & EXFLAG_XKUSAGE) != 0;
    uint32_t xku = X509_get_extended_key_usage(x);
    c->eku_client = c->has_eku && (xku & (XKU_SSL_CLIENT | XKU_ANYEKU));
    c->eku_server = c->has_eku && (xku & (XKU_SSL_SERVER | XKU_ANYEKU));
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    if (ski != NULL) {
        c->ski = ASN1_STRING_get0_data(ski);
        c->ski_len = (size_t)ASN1_STRING_length(ski);
    }
    if (aki != NULL) {
        c->aki = ASN1_STRING_get0_data(aki);
        c->aki_len = (size_t)ASN1_STRING_length(aki);
    }
    ERR_clear_error();
    return 0;
}

/* Undo a failed fill so the other path starts clean. */
static void clear_facts(psc_cert *c)
{
    free(c->subject);
    free(c->issuer);
    free(c->serial_hex);
    c->subject_name = c->issuer_name = NULL;
    c->subject = c->issuer = c->serial_hex = NULL;
    c->key_bits = 0;
    c->key_type[0] = c->curve[0] = '\0';
    c->ski = c->aki = NULL;
    c->ski_len = c->aki_len = 0;
    ERR_clear_error();
}

int psc_cert_fill_facts(psc_name_table *t, psc_cert *c)
{
    int rc = fill_facts_lite(t, c);
    if (rc == -1) {
        clear_facts(c);
        rc = fill_facts_x509(t, c);
    }
    if (rc != 0)
        return rc;
    c->self_signed = self_issued(c);
    return 0;
}

