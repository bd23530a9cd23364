/* JCEKS (magic CECECECE): JKS plus PBEWithMD5AndTripleDES key protection
 * and tag-3 secret keys.  A secret key is stored as a Java-serialized
 * javax.crypto.SealedObject with no length prefix, so finding the next entry
 * means walking the serialization stream.  The walker below understands the
 * grammar (Java Object Serialization Specification, chapter 6) only far
 * enough to skip it: it never instantiates anything, keeps every length
 * inside the cursor, caps nesting and the handle table, and remembers just
 * the String and byte[] fields of the outermost object. */
#include "javaks.h"

#include <stdlib.h>
#include <string.h>

enum {
    TC_NULL = 0x70, TC_REFERENCE = 0x71, TC_CLASSDESC = 0x72, TC_OBJECT = 0x73,
    TC_STRING = 0x74, TC_ARRAY = 0x75, TC_CLASS = 0x76, TC_BLOCKDATA = 0x77,
    TC_ENDBLOCKDATA = 0x78, TC_BLOCKDATALONG = 0x7a, TC_LONGSTRING = 0x7c, TC_ENUM = 0x7e,
    BASE_HANDLE = 0x7e0000,
    SC_WRITE_METHOD = 0x01, SC_SERIALIZABLE = 0x02, SC_EXTERNALIZABLE = 0x04, SC_BLOCK_DATA = 0x08,
    MAX_DEPTH = 16, MAX_SUPERS = 32, MAX_CAPTURE = 16
};

typedef enum { J_NULL, J_STRING, J_BYTES, J_CLASSDESC, J_OTHER } jkind;

typedef struct jvalue {
    jkind kind;
    const unsigned char *p; /* string bytes / byte[] contents */
    size_t n;
    long cls;               /* J_CLASSDESC: handle index */
} jvalue;

typedef struct jfield {
    char type;
    const unsigned char *name;
    size_t name_len;
} jfield;

typedef struct jhandle {
    jkind kind;
    const unsigned char *p; /* class name or string */
    size_t n;
    uint8_t flags;
    jfield *fields;
    size_t nfields;
    long super; /* handle index, -1 = none */
} jhandle;

typedef struct jser {
    psc_cursor *c;
    jhandle *h;
    size_t nh, caph;
    int depth;
    long top_cls;
    struct { const unsigned char *name; size_t name_len; jvalue v; } cap[MAX_CAPTURE];
    size_t ncap;
} jser;

static int j_object(jser *j, jvalue *v);
static int j_object_tc(jser *j, uint8_t tc, jvalue *v);

static void j_free(jser *j)
{
    for (size_t i = 0; i < j->nh; i++)
        free(j->h[i].fields);
    free(j->h);
}

static long j_new_handle(jser *j, jkind kind, const unsigned char *p, size_t n)
{
    if (j->nh == j->caph) {
        size_t cap = j->caph ? 2 * j->caph : 16;
        jhandle *h = cap > 65536 ? NULL : realloc(j->h, cap * sizeof *h);
        if (h == NULL)
            return -1;
        j->h = h;
        j->caph = cap;
    }
    jhandle *h = &j->h[j->nh];
    memset(h, 0, sizeof *h);
    h->kind = kind;
    h->p = p;
    h->n = n;
    h->super = -1;
    return (long)j->nh++;
}

static int j_handle_ref(jser *j, long *idx)
{
    uint32_t ref;
    if (psc_cursor_u32be(j->c, &ref) != 0 || ref < BASE_HANDLE || ref - BASE_HANDLE >= j->nh)
        return -1;
    *idx = (long)(ref - BASE_HANDLE);
    return 0;
}

static int j_utf(jser *j, const unsigned char **p, size_t *n)
{
    uint16_t len;
    if (psc_cursor_u16be(j->c, &len) != 0 || psc_cursor_bytes(j->c, len, p) != 0)
        return -1;
    *n = len;
    return 0;
}

/* classAnnotation / objectAnnotation: block data and objects up to TC_ENDBLOCKDATA. */
static int j_annotation(jser *j)
{
    for (;;) {
        uint8_t tc;
        if (psc_cursor_u8(j->c, &tc) != 0)
            return -1;
        if (tc == TC_ENDBLOCKDATA)
            return 0;
        if (tc == TC_BLOCKDATA) {
            uint8_t n;
            if (psc_cursor_u8(j->c, &n) != 0 || psc_cursor_skip(j->c, n) != 0)
                return -1;
        } else if (tc == TC_BLOCKDATALONG) {
            uint32_t n;
            if (psc_cursor_u32be(j->c, &n) != 0 || psc_cursor_skip(j->c, n) != 0)
                return -1;
        } else {
            jvalue v;
            if (j_object_tc(j, tc, &v) != 0)
                return -1;
        }
    }
}

/* classDesc: new, reference or null.  *cls = handle index or -1. */
static int j_classdesc(jser *j, long *cls)
{
    jvalue v;
    if (j_object(j, &v) != 0)
        return -1;
    if (v.kind == J_NULL) {
        *cls = -1;
        return 0;
    }
    if (v.kind != J_CLASSDESC)
        return -1;
    *cls = v.cls;
    return 0;
}

static int j_new_classdesc(jser *j, long *cls)
{
    const unsigned char *name;
    size_t name_len;
    uint8_t flags;
    uint16_t nfields;
    if (j_utf(j, &name, &name_len) != 0 || psc_cursor_skip(j->c, 8) != 0)
        return -1;
    long idx = j_new_handle(j, J_CLASSDESC, name, name_len);
    if (idx < 0 || psc_cursor_u8(j->c, &flags) != 0 || psc_cursor_u16be(j->c, &nfields) != 0 ||
        nfields > psc_cursor_remaining(j->c) / 3)
        return -1;
    jfield *fields = calloc(nfields ? nfields : 1, sizeof *fields);
    if (fields == NULL)
        return -1;
    j->h[idx].fields = fields;
    j->h[idx].nfields = nfields;
    j->h[idx].flags = flags;
    for (uint16_t i = 0; i < nfields; i++) {
        uint8_t t;
        if (psc_cursor_u8(j->c, &t) != 0 || j_utf(j, &fields[i].name, &fields[i].name_len) != 0)
            return -1;
        fields[i].type = (char)t;
        if (strchr("BCDFIJSZ", t) != NULL && t != 0)
            continue;
        if (t != 'L' && t != '[')
            return -1;
        jvalue cname; /* the field's type name, a String object */
        if (j_object(j, &cname) != 0 || cname.kind != J_STRING)
            return -1;
    }
    long super;
    if (j_annotation(j) != 0 || j_classdesc(j, &super) != 0)
        return -1;
    j->h[idx].super = super; /* j->h may have moved: index again */
    *cls = idx;
    return 0;
}

static size_t prim_size(char t)
{
    switch (t) {
    case 'B': case 'Z': return 1;
    case 'C': case 'S': return 2;
    case 'I': case 'F': return 4;
    case 'D': case 'J': return 8;
    default: return 0;
    }
}

/* Field values of one object, superclass first. */
static int j_classdata(jser *j, long cls)
{
    long chain[MAX_SUPERS];
    size_t n = 0;
    for (long k = cls; k >= 0; k = j->h[k].super) {
        if (n == MAX_SUPERS)
            return -1;
        chain[n++] = k;
    }
    while (n-- > 0) {
        long k = chain[n];
        uint8_t flags = j->h[k].flags;
        if (flags & SC_EXTERNALIZABLE) {
            if (!(flags & SC_BLOCK_DATA) || j_annotation(j) != 0)
                return -1;
            continue;
        }
        if (!(flags & SC_SERIALIZABLE))
            continue;
        for (size_t f = 0; f < j->h[k].nfields; f++) {
            jfield fd = j->h[k].fields[f]; /* copy: j->h may grow below */
            size_t w = prim_size(fd.type);
            if (w) {
                if (psc_cursor_skip(j->c, w) != 0)
                    return -1;
                continue;
            }
            jvalue v;
            if (j_object(j, &v) != 0)
                return -1;
            if (j->depth == 1 && j->ncap < MAX_CAPTURE) {
                j->cap[j->ncap].name = fd.name;
                j->cap[j->ncap].name_len = fd.name_len;
                j->cap[j->ncap++].v = v;
            }
        }
        if ((flags & SC_WRITE_METHOD) && j_annotation(j) != 0)
            return -1;
    }
    return 0;
}

static int j_array(jser *j, jvalue *v)
{
    long cls;
    uint32_t size;
    if (j_classdesc(j, &cls) != 0 || cls < 0 || j_new_handle(j, J_OTHER, NULL, 0) < 0 ||
        psc_cursor_u32be(j->c, &size) != 0 || size > INT32_MAX)
        return -1;
    const jhandle *h = &j->h[cls];
    char et = h->n >= 2 && h->p[0] == '[' ? (char)h->p[1] : 0;
    size_t w = prim_size(et);
    if (w) {
        if (size > psc_cursor_remaining(j->c) / w)
            return -1;
        const unsigned char *p;
        if (psc_cursor_bytes(j->c, (size_t)size * w, &p) != 0)
            return -1;
        v->kind = et == 'B' ? J_BYTES : J_OTHER;
        v->p = p;
        v->n = size;
        return 0;
    }
    if ((et != 'L' && et != '[') || size > psc_cursor_remaining(j->c))
        return -1;
    for (uint32_t i = 0; i < size; i++) {
        jvalue e;
        if (j_object(j, &e) != 0)
            return -1;
    }
    v->kind = J_OTHER;
    return 0;
}

static int j_object(jser *j, jvalue *v)
{
    uint8_t tc;
    if (psc_cursor_u8(j->c, &tc) != 0)
        return -1;
    return j_object_tc(j, tc, v);
}

/* One object whose type code tc was just read. */
static int j_object_tc(jser *j, uint8_t tc, jvalue *v)
{
    long idx;
    memset(v, 0, sizeof *v);
    if (j->depth >= MAX_DEPTH)
        return -1;
    j->depth++;
    int rc = -1;
    switch (tc) {
    case TC_NULL: v->kind = J_NULL; rc = 0; break;
    case TC_REFERENCE:
        if (j_handle_ref(j, &idx) == 0) {
            v->kind = j->h[idx].kind;
            v->p = j->h[idx].p;
            v->n = j->h[idx].n;
            v->cls = idx;
            rc = 0;
        }
        break;
    case TC_STRING:
        if (j_utf(j, &v->p, &v->n) == 0 && j_new_handle(j, J_STRING, v->p, v->n) >= 0) {
            v->kind = J_STRING;
            rc = 0;
        }
        break;
    case TC_LONGSTRING: {
        uint64_t n;
        if (psc_cursor_u64be(j->c, &n) == 0 && n <= psc_cursor_remaining(j->c) &&
            psc_cursor_bytes(j->c, (size_t)n, &v->p) == 0 &&
            j_new_handle(j, J_STRING, v->p, (size_t)n) >= 0) {
            v->kind = J_STRING;
            v->n = (size_t)n;
            rc = 0;
        }
        break;
    }
    case TC_CLASSDESC:
        if (j_new_classdesc(j, &v->cls) == 0) {
            v->kind = J_CLASSDESC;
            rc = 0;
        }
        break;
    case TC_OBJECT: {
        long cls;
        if (j_classdesc(j, &cls) == 0 && cls >= 0 && j_new_handle(j, J_OTHER, NULL, 0) >= 0) {
            if (j->depth == 1)
                j->top_cls = cls;
            v->kind = J_OTHER;
            rc = j_classdata(j, cls);
        }
        break;
    }
    case TC_ARRAY: rc = j_array(j, v); break;
    case TC_ENUM: {
        long cls;
        jvalue name;
        if (j_classdesc(j, &cls) == 0 && j_new_handle(j, J_OTHER, NULL, 0) >= 0 &&
            j_object(j, &name) == 0 && name.kind == J_STRING) {
            v->kind = J_OTHER;
            rc = 0;
        }
        break;
    }
    case TC_CLASS: {
        long cls;
        if (j_classdesc(j, &cls) == 0 && j_new_handle(j, J_OTHER, NULL, 0) >= 0) {
            v->kind = J_OTHER;
            rc = 0;
        }
        break;
    }
    default: break; /* proxies, exceptions, resets: never in a sealed key */
    }
    j->depth--;
    return rc;
}

/* One serialization stream (magic, version, one top-level object). */
static int j_stream(jser *j, psc_cursor *c)
{
    uint16_t magic, version;
    jvalue top;
    memset(j, 0, sizeof *j);
    j->c = c;
    j->top_cls = -1;
    if (psc_cursor_u16be(c, &magic) != 0 || magic != 0xaced ||
        psc_cursor_u16be(c, &version) != 0 || version != 5)
        return -1;
    return j_object(j, &top) == 0 && top.kind == J_OTHER && j->top_cls >= 0 ? 0 : -1;
}

static const jvalue *j_field(const jser *j, const char *name, jkind kind)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < j->ncap; i++)
        if (j->cap[i].name_len == n && memcmp(j->cap[i].name, name, n) == 0 &&
            j->cap[i].v.kind == kind)
            return &j->cap[i].v;
    return NULL;
}

static int j_is_a(const jser *j, const char *class_name)
{
    size_t n = strlen(class_name), hops = 0;
    for (long k = j->top_cls; k >= 0 && hops < MAX_SUPERS; k = j->h[k].super, hops++)
        if (j->h[k].n == n && memcmp(j->h[k].p, class_name, n) == 0)
            return 1;
    return 0;
}

static int printable(const unsigned char *p, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x21 || p[i] > 0x7e)
            return 0;
    return 1;
}

/* Best effort: decrypt the sealed content with the key password and read the
 * "algorithm" field of the SecretKeySpec / KeyRep inside.  NULL when anything
 * does not fit (no or wrong password, unknown sealing). */
static char *sealed_algorithm(const jser *outer, const psc_secret *pw, const psc_read_opts *opts)
{
    const jvalue *seal = j_field(outer, "sealAlg", J_STRING);
    const jvalue *params = j_field(outer, "encodedParams", J_BYTES);
    const jvalue *content = j_field(outer, "encryptedContent", J_BYTES);
    static const char pbe[] = "PBEWithMD5AndTripleDES";
    if (!psc_secret_is_set(pw) || seal == NULL || params == NULL || content == NULL ||
        seal->n != sizeof pbe - 1 || memcmp(seal->p, pbe, seal->n) != 0)
        return NULL;
    unsigned char salt[8];
    unsigned long iter;
    unsigned long cap = opts->max_iterations ? opts->max_iterations : PSC_DEFAULT_MAX_ITERATIONS;
    psc_cursor pc;
    psc_cursor_init(&pc, params->p, params->n);
    if (psc_jce_pbe_params(&pc, salt, &iter) != 0 || iter == 0 || iter > cap)
        return NULL;
    unsigned char *plain = NULL;
    size_t plen = 0;
    if (psc_jce_pbe_decrypt(content->p, content->n, salt, iter, pw, &plain, &plen) != 0)
        return NULL;
    psc_cursor ic;
    jser inner;
    char *alg = NULL;
    psc_cursor_init(&ic, plain, plen);
    if (j_stream(&inner, &ic) == 0) {
        const jvalue *a = j_field(&inner, "algorithm", J_STRING);
        if (a && printable(a->p, a->n) && (alg = malloc(a->n + 1)) != NULL) {
            memcpy(alg, a->p, a->n);
            alg[a->n] = '\0';
        }
    }
    j_free(&inner);
    psc_wipe(plain, plen);
    free(plain);
    return alg;
}

static int read_secret(psc_store *st, psc_entry *en, psc_cursor *c, const psc_secret *key_pw,
                       const psc_read_opts *opts, psc_err *e)
{
    jser j;
    int rc = PSC_OK;
    if (j_stream(&j, c) != 0) {
        rc = psc_fail(e, PSC_EINPUT, "%s: the secret key entry '%s' is damaged (not a readable "
                                     "Java object)", opts->path, en->alias);
    } else if (key_pw != NULL) { /* second pass, integrity verified */
        if (en->secret_alg == NULL && j_is_a(&j, "javax.crypto.SealedObject"))
            en->secret_alg = sealed_algorithm(&j, key_pw, opts);
    } else if (!j_is_a(&j, "javax.crypto.SealedObject")) {
        char cls[96];
        const jhandle *h = &j.h[j.top_cls];
        snprintf(cls, sizeof cls, "%.*s", (int)(h->n < 80 ? h->n : 80), (const char *)h->p);
        psc_store_warn(st, "%s: entry '%s' holds a Java object of class %s, not a sealed key "
                           "(keytool refuses this store)", opts->path, en->alias, cls);
        psc_entry_set_note(en, "not a sealed secret key");
    } else {
        const jvalue *seal = j_field(&j, "sealAlg", J_STRING);
        if (seal == NULL || seal->n != 22 || memcmp(seal->p, "PBEWithMD5AndTripleDES", 22) != 0)
            psc_entry_set_note(en, "sealed with an unknown algorithm");
    }
    j_free(&j);
    return rc;
}

static int probe(const unsigned char *buf, size_t len)
{
    return psc_javaks_probe(buf, len, PSC_JCEKS_MAGIC);
}

static int read_jceks(psc_store *st, const unsigned char *buf, size_t len,
                      const psc_read_opts *opts, psc_err *e)
{
    return psc_javaks_read(st, buf, len, opts, PSC_JAVAKS_JCEKS, read_secret, e);
}

static int write_jceks(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e)
{
    return psc_javaks_write(st, out, opts, PSC_JAVAKS_JCEKS, e);
}

const psc_format psc_format_jceks = {"jceks", ".jceks", 0, probe, read_jceks, write_jceks};
