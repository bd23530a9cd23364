/* The distinct Names of a store (see names.h).  A Name OpenSSL decodes
 * costs about thirty allocations (entries, objects, strings, the cached and
 * the canonical encoding) and half of reading a 10,000-leaf trust store;
 * the walk here costs one allocation per distinct Name and takes only what
 * it can reproduce byte for byte: everything else goes to OpenSSL. */
#include "names.h"
#include "buf.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

struct psc_name {
    uint32_t key;               /* FNV-1a of der: the table's key */
    uint32_t hash;              /* X509_NAME_hash_ex */
    size_t len;                 /* of der */
    int walked;                 /* text from the walk (else from OpenSSL) */
    int cn_off, cn_len;         /* walked: the first CN's value in der (cn_off -1: none) */
    X509_NAME *name;            /* OpenSSL's: always when !walked, on demand otherwise */
    const unsigned char *der;   /* -> data */
    const char *text;           /* -> data */
    unsigned char data[];       /* der, text and its NUL (the canonical form is built
                                 * when needed: keeping it cost a tenth of the store) */
};

/* ---- attribute types the walk knows ------------------------------------ */

/* Types printed by their OpenSSL short name; the OIDs and names come from
 * OpenSSL's own table (OBJ_nid2obj, OBJ_nid2sn), never typed in here. */
static const int attr_nids[] = {
    NID_commonName,       NID_countryName,        NID_localityName,
    NID_stateOrProvinceName, NID_organizationName, NID_organizationalUnitName,
    NID_streetAddress,    NID_serialNumber,       NID_title,
    NID_surname,          NID_givenName,          NID_initials,
    NID_pkcs9_emailAddress, NID_domainComponent,  NID_userId,
    NID_postalCode,       NID_dnQualifier,        NID_description,
    NID_businessCategory, NID_pseudonym,          NID_generationQualifier,
};
#define NATTR (sizeof attr_nids / sizeof attr_nids[0])

static struct attr {
    const unsigned char *oid; /* content octets */
    size_t len;
    const char *sn;
    size_t sn_len;
} attrs[NATTR];
static int attrs_state; /* 0 not built, 1 built, -1 unavailable */

static int build_attrs(void)
{
    if (attrs_state != 0)
        return attrs_state;
    attrs_state = 1;
    for (size_t i = 0; i < NATTR; i++) {
        const ASN1_OBJECT *o = OBJ_nid2obj(attr_nids[i]);
        const char *sn = OBJ_nid2sn(attr_nids[i]);
        if (o == NULL || sn == NULL || OBJ_get0_data(o) == NULL || OBJ_length(o) == 0) {
            attrs_state = -1;
            break;
        }
        attrs[i] = (struct attr){OBJ_get0_data(o), OBJ_length(o), sn, strlen(sn)};
    }
    ERR_clear_error();
    return attrs_state;
}

static const struct attr *find_attr(const unsigned char *oid, size_t len)
{
    for (size_t i = 0; i < NATTR; i++)
        if (attrs[i].len == len && memcmp(attrs[i].oid, oid, len) == 0)
            return &attrs[i];
    return NULL;
}

/* ---- the walk ------------------------------------------------------------ */

#define MAX_RDN 32 /* more is no ordinary Name: OpenSSL reads it */

typedef struct {
    const unsigned char *oid_el; /* the OID element (tag, length, content) */
    size_t oid_el_len;
    const struct attr *at;
    const unsigned char *val;    /* value content */
    size_t val_len;
    size_t canon_len;            /* value with runs of spaces collapsed */
} rdn;

/* A value the walk prints as its bytes: printable ASCII, none of the
 * characters RFC 2253 escapes (" + , ; < > \ and a leading #), no leading
 * or trailing space, no control character; X509_NAME_print_ex would print
 * it unchanged. */
static int plain_value(const unsigned char *p, size_t n)
{
    if (n == 0 || p[0] == ' ' || p[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = p[i];
        if (ch < 0x20 || ch > 0x7e)
            return 0;
        switch (ch) {
        case '"': case '#': case '+': case ',': case ';': case '<': case '>': case '\\':
            return 0;
        default:
            break;
        }
    }
    return 1;
}

/* The walk of one Name: 0 and its RDNs when every RDN is one attribute of
 * a known type with a plain value; -1 otherwise (OpenSSL reads it). */
static int walk(const unsigned char *der, size_t len, rdn *out, size_t *nout)
{
    psc_cursor c, seq;
    psc_cursor_init(&c, der, len);
    if (psc_cursor_der_expect(&c, 0x30, &seq) != 0 || psc_cursor_remaining(&c) != 0)
        return -1;
    size_t n = 0;
    while (psc_cursor_remaining(&seq) > 0) {
        psc_cursor set, atv;
        unsigned tag;
        size_t vlen;
        if (n == MAX_RDN || psc_cursor_der_expect(&seq, 0x31, &set) != 0 ||
            psc_cursor_der_expect(&set, 0x30, &atv) != 0 || psc_cursor_remaining(&set) != 0)
            return -1;
        rdn *r = &out[n];
        size_t start = atv.pos;
        const unsigned char *oid;
        size_t oid_len;
        if (psc_cursor_der_header(&atv, &tag, &oid_len, NULL) != 0 || tag != 0x06 ||
            psc_cursor_bytes(&atv, oid_len, &oid) != 0 || (r->at = find_attr(oid, oid_len)) == NULL)
            return -1;
        r->oid_el = atv.data + start;
        r->oid_el_len = atv.pos - start;
        /* PrintableString, UTF8String, IA5String */
        if (psc_cursor_der_header(&atv, &tag, &vlen, NULL) != 0 ||
            (tag != 0x13 && tag != 0x0c && tag != 0x16) ||
            psc_cursor_bytes(&atv, vlen, &r->val) != 0 || psc_cursor_remaining(&atv) != 0 ||
            !plain_value(r->val, vlen))
            return -1;
        r->val_len = vlen;
        r->canon_len = 0;
        for (size_t i = 0; i < vlen; i++)
            r->canon_len += !(r->val[i] == ' ' && i > 0 && r->val[i - 1] == ' ');
        n++;
    }
    *nout = n;
    return n > 0 ? 0 : -1; /* the empty Name: OpenSSL's */
}

/* x509_name_canon for a walked Name: each RDN as SET { SEQUENCE { type,
 * UTF8String value } }, the value lowercased (ASCII) with runs of spaces
 * collapsed (asn1_string_canon), the RDNs one after the other without an
 * outer SEQUENCE.  Sizes: the ATV SEQUENCE's content, then the whole SET. */
static size_t canon_seq_len(const rdn *r)
{
    return r->oid_el_len + psc_der_header_len(r->canon_len) + r->canon_len;
}

static size_t canon_rdn_size(const rdn *r)
{
    size_t seq = canon_seq_len(r);
    size_t set = psc_der_header_len(seq) + seq;
    return psc_der_header_len(set) + set;
}

static unsigned char *put_canon_rdn(unsigned char *p, const rdn *r)
{
    size_t seq = canon_seq_len(r);
    p += psc_der_header(p, 0x31, psc_der_header_len(seq) + seq);
    p += psc_der_header(p, 0x30, seq);
    memcpy(p, r->oid_el, r->oid_el_len);
    p += r->oid_el_len;
    p += psc_der_header(p, 0x0c, r->canon_len);
    for (size_t i = 0; i < r->val_len; i++) {
        unsigned char ch = r->val[i];
        if (ch == ' ' && i > 0 && r->val[i - 1] == ' ')
            continue;
        *p++ = (unsigned char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
    }
    return p;
}

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* X509_NAME_hash_ex of a canonical encoding: SHA-1, first 4 bytes little
 * endian; 0 when SHA-1 is unavailable (as X509_NAME_hash_ex answers). */
static uint32_t canon_hash(const unsigned char *canon, size_t n)
{
    unsigned char md[20];
    if (psc_sha(1, canon, n, md) != 0)
        return 0;
    return (uint32_t)md[0] | (uint32_t)md[1] << 8 | (uint32_t)md[2] << 16 | (uint32_t)md[3] << 24;
}

/* ---- one Name -------------------------------------------------------------- */

/* The canonical form of a walked Name into *out: buf, or a malloc'ed
 * buffer when it does not fit (the caller frees that one); its length, or
 * 0 with *out NULL out of memory. */
static size_t canon_of(const rdn *r, size_t n, unsigned char *buf, size_t cap,
                       unsigned char **out)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += canon_rdn_size(&r[i]);
    *out = len <= cap ? buf : malloc(len);
    if (*out == NULL)
        return 0;
    unsigned char *p = *out;
    for (size_t i = 0; i < n; i++)
        p = put_canon_rdn(p, &r[i]);
    return len;
}

/* A walked Name: der and text in one allocation; hashed over its
 * canonical form. */
static psc_name *name_from_walk(const unsigned char *der, size_t len, const rdn *r, size_t n)
{
    size_t text_len = 0;
    for (size_t i = 0; i < n; i++)
        text_len += (i ? 2 : 0) + r[i].at->sn_len + 1 + r[i].val_len;
    unsigned char small[512], *canon;
    size_t canon_len = canon_of(r, n, small, sizeof small, &canon);
    psc_name *nm = canon ? malloc(sizeof *nm + len + text_len + 1) : NULL;
    if (nm == NULL) {
        if (canon != small)
            free(canon);
        return NULL;
    }
    memset(nm, 0, sizeof *nm);
    unsigned char *d = nm->data;
    memcpy(d, der, len);
    nm->der = d;
    nm->len = len;
    char *t = (char *)d + len;
    nm->text = t;
    nm->cn_off = -1;
    for (size_t k = n; k-- > 0;) { /* RFC 2253 order: the last RDN first */
        if (k + 1 < n) {
            memcpy(t, ", ", 2);
            t += 2;
        }
        memcpy(t, r[k].at->sn, r[k].at->sn_len);
        t += r[k].at->sn_len;
        *t++ = '=';
        memcpy(t, r[k].val, r[k].val_len);
        t += r[k].val_len;
    }
    *t = '\0';
    for (size_t k = 0; k < n && nm->cn_off < 0; k++)
        if (r[k].at == &attrs[0]) { /* NID_commonName */
            nm->cn_off = (int)(r[k].val - der);
            nm->cn_len = (int)r[k].val_len;
        }
    nm->walked = 1;
    nm->hash = canon_hash(canon, canon_len);
    if (canon != small)
        free(canon);
    return nm;
}

/* Two walked Names equal as X509_NAME_cmp sees them: their canonical
 * forms, built again (names of one DER are one psc_name and never get
 * here; a CA and the issuer field of what it signed nearly always share
 * the DER). */
static int walked_eq(const psc_name *a, const psc_name *b)
{
    rdn ra[MAX_RDN], rb[MAX_RDN];
    size_t na, nb;
    if (walk(a->der, a->len, ra, &na) != 0 || walk(b->der, b->len, rb, &nb) != 0)
        return 0; /* cannot happen: both were walked when interned */
    unsigned char sa[512], sb[512], *ca, *cb;
    size_t la = canon_of(ra, na, sa, sizeof sa, &ca), lb = canon_of(rb, nb, sb, sizeof sb, &cb);
    int eq = ca != NULL && cb != NULL && la == lb && memcmp(ca, cb, la) == 0;
    if (ca != sa)
        free(ca);
    if (cb != sb)
        free(cb);
    return eq;
}

static X509_NAME *decode_name(const unsigned char *p, size_t n)
{
    const unsigned char *q = p;
    X509_NAME *name = n <= 0x7fffffff ? d2i_X509_NAME(NULL, &q, (long)n) : NULL;
    if (name != NULL && (size_t)(q - p) != n) {
        X509_NAME_free(name);
        name = NULL;
    }
    return name;
}

/* X509_NAME_print_ex in the text's form into one process-wide memory BIO
 * (a BIO per Name costs more than printing it): its bytes and length. */
static const char *print_name(const X509_NAME *name, size_t *n)
{
    static BIO *b;
    if (b == NULL && (b = BIO_new(BIO_s_mem())) == NULL)
        return NULL;
    (void)BIO_reset(b);
    char *p;
    if (X509_NAME_print_ex(b, name, 0, PSC_NAME_PRINT_FLAGS) < 0)
        return NULL;
    long len = BIO_get_mem_data(b, &p);
    *n = len > 0 ? (size_t)len : 0;
    return len >= 0 ? p : NULL;
}

void psc_name_print(const X509_NAME *name, char *out, size_t size)
{
    size_t n = 0;
    const char *p = size > 0 ? print_name(name, &n) : NULL;
    if (size == 0)
        return;
    if (p == NULL)
        n = 0;
    if (n > size - 1)
        n = size - 1;
    memcpy(out, p ? p : "", n);
    out[n] = '\0';
}

/* A Name read by OpenSSL; *refused when it does not decode. */
static psc_name *name_from_openssl(const unsigned char *der, size_t len, int *refused)
{
    X509_NAME *x = decode_name(der, len);
    size_t tl = 0;
    const char *text = x ? print_name(x, &tl) : NULL;
    *refused = x == NULL;
    psc_name *nm = text ? malloc(sizeof *nm + len + tl + 1) : NULL;
    if (nm == NULL) {
        X509_NAME_free(x);
        ERR_clear_error();
        return NULL;
    }
    memset(nm, 0, sizeof *nm);
    memcpy(nm->data, der, len);
    memcpy(nm->data + len, text, tl);
    nm->data[len + tl] = '\0';
    nm->der = nm->data;
    nm->len = len;
    nm->text = (const char *)nm->data + len;
    nm->name = x;
    nm->cn_off = -1;
    nm->hash = (uint32_t)X509_NAME_hash_ex(x, NULL, NULL, NULL);
    ERR_clear_error();
    return nm;
}

/* ---- the table ------------------------------------------------------------- */

void psc_name_table_free(psc_name_table *t)
{
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i] != NULL) {
            X509_NAME_free(t->slots[i]->name);
            free(t->slots[i]);
        }
    free(t->slots);
    t->slots = NULL;
    t->cap = t->used = 0;
}

static void put(psc_name **slots, size_t cap, psc_name *nm)
{
    size_t i = nm->key & (cap - 1);
    while (slots[i] != NULL)
        i = (i + 1) & (cap - 1);
    slots[i] = nm;
}

const psc_name *psc_name_intern(psc_name_table *t, const unsigned char *der, size_t len,
                                int walk_ok, int *oom)
{
    *oom = 0;
    uint32_t key = fnv1a(der, len);
    for (size_t i = t->cap ? key & (t->cap - 1) : 0; t->cap && t->slots[i] != NULL;
         i = (i + 1) & (t->cap - 1)) {
        const psc_name *nm = t->slots[i];
        if (nm->key == key && nm->len == len && memcmp(nm->der, der, len) == 0)
            return nm;
    }
    if ((t->used + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16; /* plan keeps a store per system */
        psc_name **fresh = calloc(cap, sizeof *fresh);
        if (fresh == NULL) {
            *oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i] != NULL)
                put(fresh, cap, t->slots[i]);
        free(t->slots);
        t->slots = fresh;
        t->cap = cap;
    }
    rdn r[MAX_RDN];
    size_t n;
    psc_name *nm = NULL;
    int refused = 0;
    if (walk_ok && build_attrs() == 1 && walk(der, len, r, &n) == 0)
        nm = name_from_walk(der, len, r, n);
    else
        nm = name_from_openssl(der, len, &refused);
    if (nm == NULL) {
        *oom = !refused;
        return NULL;
    }
    nm->key = key;
    put(t->slots, t->cap, nm);
    t->used++;
    return nm;
}

/* ---- reading a Name -------------------------------------------------------- */

const char *psc_name_text(const psc_name *n) { return n ? n->text : ""; }

uint32_t psc_name_hash(const psc_name *n) { return n ? n->hash : 0; }

int psc_name_walked(const psc_name *n) { return n ? n->walked : 0; }

const X509_NAME *psc_name_x509(const psc_name *cn)
{
    psc_name *n = (psc_name *)cn; /* the decoded Name is a cache */
    if (n != NULL && n->name == NULL) {
        n->name = decode_name(n->der, n->len);
        ERR_clear_error();
    }
    return n ? n->name : NULL;
}

int psc_name_eq(const psc_name *a, const psc_name *b)
{
    if (a == b)
        return 1;
    if (a == NULL || b == NULL || a->hash != b->hash)
        return 0; /* equal Names have equal canonical forms, so equal hashes */
    if (a->walked && b->walked)
        return walked_eq(a, b);
    const X509_NAME *x = psc_name_x509(a), *y = psc_name_x509(b);
    return x != NULL && y != NULL && X509_NAME_cmp(x, y) == 0;
}

int psc_name_cn(const psc_name *n, char *buf, int len)
{
    if (n == NULL || len <= 0)
        return -1;
    if (!n->walked) {
        int r = X509_NAME_get_text_by_NID(n->name, NID_commonName, buf, len);
        ERR_clear_error();
        return r;
    }
    if (n->cn_off < 0)
        return -1;
    int k = n->cn_len > len - 1 ? len - 1 : n->cn_len;
    memcpy(buf, n->der + n->cn_off, (size_t)k);
    buf[k] = '\0';
    return k;
}
