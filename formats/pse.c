/* SAP PSE reader (formats.md, "SAP PSE"): container versions 2 and 4,
 * PIN-encrypted or plain; the own certificate with its chain (Cert, FCPath,
 * PKRoot), the certificate lists (CertList, PKList: signed certificates
 * become trusted entries), the RSA private key (SKnew).  A PSE may be a
 * trust list only: no Cert, no key, no PIN.  Whatever is skipped (objects
 * pseconv does not know, list entries without a signature) is named: in the
 * own entry's note, else through psc_read_skipped, which makes a PSE that
 * gave nothing an error instead of "0 entries".  Writing PSEs is not
 * offered: no public source proves what SAP's CommonCryptoLib accepts
 * (formats.md). */
#include "format.h"
#include "pse_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>

/* Object type OIDs (content bytes), 1.3.36.2.x: SecuDE's PSE object tree. */
static const unsigned char OID_CERT[] = {0x2b, 0x24, 0x02, 0x01, 0x03};
static const unsigned char OID_CERTLIST[] = {0x2b, 0x24, 0x02, 0x00};
static const unsigned char OID_PKLIST[] = {0x2b, 0x24, 0x02, 0x06, 0x01};
static const unsigned char OID_SKNEW[] = {0x2b, 0x24, 0x02, 0x03, 0x04};
static const unsigned char OID_PKROOT[] = {0x2b, 0x24, 0x02, 0x05, 0x01};
static const unsigned char OID_FCPATH[] = {0x2b, 0x24, 0x02, 0x04, 0x01};
/* rsaEncryption 1.2.840.113549.1.1.1 */
static const unsigned char OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

#define PSE_MAX_CHAIN 32

typedef struct pse_obj {
    const unsigned char *val; /* the whole value TLV */
    size_t len;
    int64_t created_ms;
} pse_obj;

typedef struct pse_content {
    pse_obj cert, sk, fcpath, pkroot, certlist, pklist;
    char unknown[512]; /* names of skipped objects, ", " separated */
} pse_content;

/* "YYYYMMDDHHMMSS[.fff]Z" -> ms since the epoch; 0 when it does not parse. */
static int64_t gentime_ms(psc_cursor *c)
{
    char s[16];
    size_t n = psc_cursor_remaining(c);
    if (n < 15 || psc_cursor_copy(c, s, 14) != 0)
        return 0;
    s[14] = '\0';
    for (int i = 0; i < 14; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    struct tm tm = {0};
    int v[6];
    sscanf(s, "%4d%2d%2d%2d%2d%2d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
    tm.tm_year = v[0] - 1900, tm.tm_mon = v[1] - 1, tm.tm_mday = v[2];
    tm.tm_hour = v[3], tm.tm_min = v[4], tm.tm_sec = v[5];
    time_t t = timegm(&tm);
    return t == (time_t)-1 ? 0 : (int64_t)t * 1000;
}

static int probe(const unsigned char *buf, size_t len)
{
    /* SEQUENCE { INTEGER 2|4|256, [0] | [3] | SEQUENCE }.  Lengths are not
     * checked here, so a truncated PSE is still recognised and the reader
     * can say "truncated" instead of "unknown format". */
    psc_cursor c;
    uint8_t t, l, b;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_u8(&c, &t) != 0 || t != 0x30 || psc_cursor_u8(&c, &l) != 0)
        return 0;
    if ((l & 0x80) && ((l & 0x7f) == 0 || (l & 0x7f) > 4 || psc_cursor_skip(&c, l & 0x7f) != 0))
        return 0;
    if (psc_cursor_u8(&c, &t) != 0 || t != 0x02 || psc_cursor_u8(&c, &l) != 0 || l < 1 || l > 2)
        return 0;
    unsigned v = 0;
    for (unsigned i = 0; i < l; i++) {
        if (psc_cursor_u8(&c, &b) != 0)
            return 0;
        v = (v << 8) | b;
    }
    if (v == 256)
        return 95;
    if ((v != 2 && v != 4) || psc_cursor_u8(&c, &t) != 0)
        return 0;
    if (t == 0xa0 || t == 0xa3)
        return 95;
    /* plain v2: SEQUENCE { SEQUENCE algId, GeneralizedTime, ... } */
    if (t != 0x30 || psc_cursor_u8(&c, &l) != 0 ||
        ((l & 0x80) && psc_cursor_skip(&c, l & 0x7f) != 0))
        return 0;
    const unsigned char *p;
    size_t n;
    unsigned first, second;
    if (psc_cursor_der_peek_tag(&c, &first) != 0 || first != 0x30 ||
        psc_cursor_der_element(&c, &p, &n) != 0 || psc_cursor_der_peek_tag(&c, &second) != 0)
        return 0;
    return second == 0x18 ? 95 : 0;
}

/* ---- objects -------------------------------------------------------------- */

static void add_unknown(pse_content *pc, psc_cursor *name)
{
    char n[40];
    size_t k = 0;
    uint8_t ch;
    while (k < sizeof n - 1 && psc_cursor_u8(name, &ch) == 0)
        n[k++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    n[k] = '\0';
    size_t used = strlen(pc->unknown);
    snprintf(pc->unknown + used, sizeof pc->unknown - used, "%s%s", used ? ", " : "",
             k ? n : "(unnamed)");
}

/* content ::= SEQUENCE { algId, created GeneralizedTime, INTEGER, SET OF PSEObject }
 * PSEObject ::= SEQUENCE { name PrintableString, created GeneralizedTime, type OID, value } */
static int parse_content(const unsigned char *buf, size_t len, pse_content *pc)
{
    psc_cursor all, content, objs, obj, name, when, oid;
    unsigned tag;
    memset(pc, 0, sizeof *pc);
    psc_cursor_init(&all, buf, len);
    if (psc_cursor_der_expect(&all, 0x30, &content) != 0)
        return -1;
    /* Skip the header fields up to the SET; their layout varies little but
     * nothing in them is needed. */
    for (;;) {
        if (psc_cursor_der_peek_tag(&content, &tag) != 0)
            return -1;
        if (tag == 0x31)
            break;
        const unsigned char *p;
        size_t n;
        if (psc_cursor_der_element(&content, &p, &n) != 0)
            return -1;
    }
    if (psc_cursor_der_expect(&content, 0x31, &objs) != 0)
        return -1;
    while (psc_cursor_remaining(&objs) > 0) {
        const unsigned char *val;
        size_t val_len;
        if (psc_cursor_der_expect(&objs, 0x30, &obj) != 0 ||
            psc_cursor_der_header(&obj, &tag, &val_len, NULL) != 0 ||
            psc_cursor_sub(&obj, val_len, &name) != 0 ||
            psc_cursor_der_expect(&obj, 0x18, &when) != 0 ||
            psc_cursor_der_expect(&obj, 0x06, &oid) != 0 ||
            psc_cursor_der_element(&obj, &val, &val_len) != 0)
            return -1;
        pse_obj *slot = NULL;
        if (pse_cursor_is(&oid, OID_CERT, sizeof OID_CERT))
            slot = &pc->cert;
        else if (pse_cursor_is(&oid, OID_CERTLIST, sizeof OID_CERTLIST))
            slot = &pc->certlist;
        else if (pse_cursor_is(&oid, OID_PKLIST, sizeof OID_PKLIST))
            slot = &pc->pklist;
        else if (pse_cursor_is(&oid, OID_SKNEW, sizeof OID_SKNEW))
            slot = &pc->sk;
        else if (pse_cursor_is(&oid, OID_PKROOT, sizeof OID_PKROOT))
            slot = &pc->pkroot;
        else if (pse_cursor_is(&oid, OID_FCPATH, sizeof OID_FCPATH))
            slot = &pc->fcpath;
        if (slot == NULL || slot->val != NULL) { /* unknown, or a second copy */
            add_unknown(pc, &name);
            continue;
        }
        slot->val = val;
        slot->len = val_len;
        slot->created_ms = gentime_ms(&when);
    }
    return 0;
}

/* ---- store mapping -------------------------------------------------------- */

typedef struct pse_ctx {
    psc_store *st;
    const psc_read_opts *o;
    psc_err *e;
    psc_cert *cands[PSE_MAX_CHAIN]; /* FCPath and PKRoot certificates, file order */
    size_t ncands;
    size_t index;       /* next entry index within the file */
    size_t first_entry; /* the store's entry count before this PSE */
    int has_own;        /* a Cert object: notes go to the own entry */
    char note[1024];
} pse_ctx;

/* Something of the PSE was not read.  With an own certificate it joins the
 * note `inspect` shows with that entry; a trust list (no Cert object) has no
 * such entry, so each one is reported as skipped content: a warning, or the
 * error when the PSE gave nothing at all (psc_read_skipped). */
static void note_add(pse_ctx *x, const char *text)
{
    if (!x->has_own) {
        psc_read_skipped(x->st, x->o, "%s", text);
        return;
    }
    size_t used = strlen(x->note);
    snprintf(x->note + used, sizeof x->note - used, "%s%s", used ? "; " : "", text);
}

/* Keep c (once) among the chain candidates of the own certificate. */
static int remember(pse_ctx *x, psc_cert *c)
{
    if (c == NULL)
        return x->e->code ? x->e->code : PSC_EINPUT;
    for (size_t i = 0; i < x->ncands; i++)
        if (x->cands[i] == c)
            return PSC_OK;
    if (x->ncands < PSE_MAX_CHAIN)
        x->cands[x->ncands++] = c;
    return PSC_OK;
}

static int add_cand(pse_ctx *x, const unsigned char *der, size_t n, const char *obj)
{
    char what[300];
    snprintf(what, sizeof what, "%s (%s object)", x->o->path, obj);
    return remember(x, psc_store_add_cert_der(x->st, der, n, what, x->e));
}

/* FCPath: SEQUENCE OF (SET OF Certificate | Certificate). */
static int read_fcpath(pse_ctx *x, const pse_obj *ob)
{
    psc_cursor all, seq, set;
    const unsigned char *p;
    size_t n;
    unsigned tag;
    psc_cursor_init(&all, ob->val, ob->len);
    if (psc_cursor_der_expect(&all, 0x30, &seq) != 0)
        return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (FCPath object)", x->o->path);
    while (psc_cursor_remaining(&seq) > 0) {
        if (psc_cursor_der_peek_tag(&seq, &tag) != 0)
            return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (FCPath object)", x->o->path);
        if (tag == 0x31) {
            if (psc_cursor_der_expect(&seq, 0x31, &set) != 0)
                return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (FCPath object)", x->o->path);
            while (psc_cursor_remaining(&set) > 0) {
                int rc = psc_cursor_der_element(&set, &p, &n) != 0
                             ? psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (FCPath)", x->o->path)
                             : add_cand(x, p, n, "FCPath");
                if (rc != PSC_OK)
                    return rc;
            }
        } else {
            int rc = psc_cursor_der_element(&seq, &p, &n) != 0
                         ? psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (FCPath)", x->o->path)
                         : add_cand(x, p, n, "FCPath");
            if (rc != PSC_OK)
                return rc;
        }
    }
    return PSC_OK;
}

static int read_pkroot(pse_ctx *x, const pse_obj *ob)
{
    X509 *root = pse_rebuild_root(ob->val, ob->len);
    if (root == NULL) {
        note_add(x, "PKRoot (the root's key) could not be rebuilt as a verifiable "
                          "certificate and is not shown");
        return PSC_OK;
    }
    char what[300];
    snprintf(what, sizeof what, "%s (PKRoot object)", x->o->path);
    psc_cert *c = psc_store_add_x509(x->st, root, what, x->e);
    X509_free(root);
    return remember(x, c);
}

/* Own certificate first, then its issuers in path order as far as the
 * candidates reach, then any candidate left over (nothing is dropped). */
static int build_chain(pse_ctx *x, psc_entry *en, psc_cert *leaf)
{
    int used[PSE_MAX_CHAIN] = {0};
    psc_cert *cur = leaf;
    if (psc_entry_push_cert(en, leaf) != 0)
        return psc_fail(x->e, PSC_EINPUT, "%s: out of memory", x->o->path);
    for (size_t i = 0; i < x->ncands; i++)
        used[i] = x->cands[i] == leaf;
    for (size_t depth = 0; depth < x->ncands && !cur->self_signed; depth++) {
        size_t k;
        for (k = 0; k < x->ncands; k++)
            if (!used[k] &&
                psc_name_eq(cur->issuer_name, x->cands[k]->subject_name) &&
                psc_cert_signed_by(cur, x->cands[k]))
                break;
        if (k == x->ncands)
            break;
        used[k] = 1;
        cur = x->cands[k];
        if (psc_entry_push_cert(en, cur) != 0)
            return psc_fail(x->e, PSC_EINPUT, "%s: out of memory", x->o->path);
    }
    for (size_t k = 0; k < x->ncands; k++)
        if (!used[k] && psc_entry_push_cert(en, x->cands[k]) != 0)
            return psc_fail(x->e, PSC_EINPUT, "%s: out of memory", x->o->path);
    return PSC_OK;
}

/* SKnew: SEQUENCE { algId rsaEncryption, BIT STRING { SEQUENCE { INTEGER p, INTEGER q } } } */
static int read_key(pse_ctx *x, const pse_obj *ob, psc_cert *leaf, EVP_PKEY **out)
{
    psc_cursor all, sk, alg, oid, bits, primes, p, q;
    uint8_t unused;
    *out = NULL;
    psc_cursor_init(&all, ob->val, ob->len);
    if (psc_cursor_der_expect(&all, 0x30, &sk) != 0 || psc_cursor_der_expect(&sk, 0x30, &alg) != 0 ||
        psc_cursor_der_expect(&alg, 0x06, &oid) != 0)
        return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (private key object SKnew)",
                        x->o->path);
    if (!pse_cursor_is(&oid, OID_RSA, sizeof OID_RSA)) {
        note_add(x, "the private key (SKnew) is not RSA and was not read");
        return PSC_OK;
    }
    if (psc_cursor_der_expect(&sk, 0x03, &bits) != 0 || psc_cursor_u8(&bits, &unused) != 0 ||
        unused != 0 || psc_cursor_der_expect(&bits, 0x30, &primes) != 0 ||
        psc_cursor_der_expect(&primes, 0x02, &p) != 0 ||
        psc_cursor_der_expect(&primes, 0x02, &q) != 0 ||
        pse_first_byte(&p) < 0 || pse_first_byte(&q) < 0 || (pse_first_byte(&p) & 0x80) ||
        (pse_first_byte(&q) & 0x80))
        return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (private key object SKnew)",
                        x->o->path);
    X509 *leaf_x = leaf ? psc_cert_x509(leaf) : NULL;
    EVP_PKEY *pub = leaf_x ? X509_get0_pubkey(leaf_x) : NULL;
    size_t p_len, q_len;
    const unsigned char *pp = pse_rest_of(&p, &p_len), *qp = pse_rest_of(&q, &q_len);
    EVP_PKEY *key = pse_rsa_from_primes(pp, p_len, qp, q_len, pub);
    if (key == NULL)
        return psc_fail(x->e, PSC_EINPUT,
                        "%s: the private key (SKnew) does not form an RSA key; the PSE is damaged",
                        x->o->path);
    if (pub == NULL || EVP_PKEY_eq(key, pub) != 1) {
        EVP_PKEY_free(key);
        ERR_clear_error();
        return psc_fail(x->e, PSC_EINPUT,
                        "%s: the private key (SKnew) does not match the own certificate; the "
                        "PSE is damaged or was edited",
                        x->o->path);
    }
    *out = key;
    return PSC_OK;
}

/* Is the list element `el` a complete signed certificate, SEQUENCE {
 * tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature BIT STRING }
 * and nothing more?  Otherwise it is the older to-be-signed-only form. */
static int is_signed_cert(const unsigned char *el, size_t n)
{
    psc_cursor all, seq;
    const unsigned char *p;
    size_t len;
    unsigned tag;
    static const unsigned want[3] = {0x30, 0x30, 0x03};
    psc_cursor_init(&all, el, n);
    if (psc_cursor_der_expect(&all, 0x30, &seq) != 0)
        return 0;
    for (int i = 0; i < 3; i++)
        if (psc_cursor_der_peek_tag(&seq, &tag) != 0 || tag != want[i] ||
            psc_cursor_der_element(&seq, &p, &len) != 0)
            return 0;
    return psc_cursor_remaining(&seq) == 0;
}

/* Does this PSE already hold c as a trusted entry (CertList and PKList may
 * both list it: one entry, as STRUST shows one)? */
static int already_trusted(const pse_ctx *x, const psc_cert *c)
{
    for (size_t i = x->first_entry; i < psc_store_entry_count(x->st); i++) {
        const psc_entry *en = psc_store_entry(x->st, i);
        if (en->type == PSC_ENTRY_TRUSTED && en->chain_len && en->chain[0] == c)
            return 1;
    }
    return 0;
}

static int add_trusted(pse_ctx *x, const unsigned char *der, size_t n, const char *obj,
                       int64_t created_ms)
{
    char what[300];
    snprintf(what, sizeof what, "%s (%s object)", x->o->path, obj);
    psc_cert *c = psc_store_add_cert_der(x->st, der, n, what, x->e);
    if (c == NULL)
        return x->e->code ? x->e->code : PSC_EINPUT;
    if (already_trusted(x, c))
        return PSC_OK;
    psc_entry *en = psc_store_add_entry(x->st, PSC_ENTRY_TRUSTED, NULL, x->o->path, "pse",
                                        x->index++);
    if (en == NULL || psc_entry_push_cert(en, c) != 0)
        return psc_fail(x->e, PSC_EINPUT, "%s: out of memory", x->o->path);
    en->created_ms = created_ms;
    return PSC_OK;
}

/* The subject of a to-be-signed-only entry, unless a trusted entry of this
 * PSE already has that subject (then nothing is lost): appended to names.
 * Returns 1 when the entry is missing from what was read. */
static int tbs_missing(const pse_ctx *x, psc_cursor *item, char *names, size_t size)
{
    const unsigned char *p;
    size_t n;
    unsigned tag;
    /* [0] version OPTIONAL, serial, signature, issuer, validity, subject, key */
    if (psc_cursor_der_peek_tag(item, &tag) == 0 && tag == 0xa0)
        psc_cursor_der_element(item, &p, &n);
    for (int i = 0; i < 4; i++)
        psc_cursor_der_element(item, &p, &n);
    X509_NAME *subject = NULL;
    if (psc_cursor_der_element(item, &p, &n) == 0)
        subject = d2i_X509_NAME(NULL, &p, (long)n);
    int known = 0;
    for (size_t i = x->first_entry; subject && i < psc_store_entry_count(x->st) && !known; i++) {
        const psc_entry *en = psc_store_entry(x->st, i);
        known = en->type == PSC_ENTRY_TRUSTED && en->chain_len &&
                X509_NAME_cmp(psc_name_x509(en->chain[0]->subject_name), subject) == 0;
    }
    if (!known) {
        char one[200] = "(subject unreadable)";
        if (subject)
            psc_name_print(subject, one, sizeof one);
        size_t used = strlen(names);
        snprintf(names + used, size - used, "%s\"%s\"", used ? ", " : "", one);
    }
    X509_NAME_free(subject);
    ERR_clear_error();
    return !known;
}

/* CertList and PKList: SET (or SEQUENCE) OF entries, each either a complete
 * signed certificate -> a trusted entry, in file order (SAP's published
 * trust-list PSEs hold ten of them in a PKList), or only the to-be-signed
 * part (the older PKList form formats.md describes), which without its
 * signature cannot become a certificate: named in a note. */
static int read_list(pse_ctx *x, const pse_obj *ob, const char *obj)
{
    psc_cursor all, set, item;
    const unsigned char *p;
    size_t n, missing = 0, total = 0;
    unsigned tag;
    char names[512] = "";
    psc_cursor_init(&all, ob->val, ob->len);
    if (psc_cursor_der_peek_tag(&all, &tag) != 0 || (tag != 0x31 && tag != 0x30) ||
        psc_cursor_der_expect(&all, tag, &set) != 0)
        return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (%s object)", x->o->path, obj);
    while (psc_cursor_remaining(&set) > 0) {
        if (psc_cursor_der_element(&set, &p, &n) != 0)
            return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (%s object)", x->o->path, obj);
        total++;
        if (is_signed_cert(p, n)) {
            int rc = add_trusted(x, p, n, obj, ob->created_ms);
            if (rc != PSC_OK)
                return rc;
            continue;
        }
        psc_cursor el;
        psc_cursor_init(&el, p, n);
        if (psc_cursor_der_expect(&el, 0x30, &item) != 0)
            return psc_fail(x->e, PSC_EINPUT, "%s: damaged PSE (%s object)", x->o->path, obj);
        missing += (size_t)tbs_missing(x, &item, names, sizeof names);
    }
    if (missing) {
        char msg[800];
        snprintf(msg, sizeof msg, "%s holds %zu of %zu entries without a signed certificate "
                                  "(to-be-signed part only), not converted: %s",
                 obj, missing, total, names);
        note_add(x, msg);
    }
    return PSC_OK;
}

static int map_to_store(pse_ctx *x, const pse_content *pc)
{
    int rc = PSC_OK;
    psc_cert *leaf = NULL;
    psc_entry *own = NULL;
    EVP_PKEY *key = NULL;
    if (pc->cert.val) {
        char what[300];
        snprintf(what, sizeof what, "%s (own certificate object Cert)", x->o->path);
        if ((leaf = psc_store_add_cert_der(x->st, pc->cert.val, pc->cert.len, what, x->e)) == NULL)
            return x->e->code ? x->e->code : PSC_EINPUT;
    }
    if (rc == PSC_OK && pc->fcpath.val)
        rc = read_fcpath(x, &pc->fcpath);
    if (rc == PSC_OK && pc->pkroot.val)
        rc = read_pkroot(x, &pc->pkroot);
    if (rc == PSC_OK && pc->sk.val) {
        if (leaf)
            rc = read_key(x, &pc->sk, leaf, &key);
        else
            note_add(x, "a private key (SKnew) without an own certificate was not read");
    }
    if (rc != PSC_OK)
        return rc;
    /* STRUST order: the own certificate, then the certificate list. */
    if (leaf) {
        own = psc_store_add_entry(x->st, PSC_ENTRY_OWN, NULL, x->o->path, "pse", x->index++);
        if (own == NULL) {
            EVP_PKEY_free(key);
            return psc_fail(x->e, PSC_EINPUT, "%s: out of memory", x->o->path);
        }
        psc_entry_set_key(own, key);
        own->created_ms = pc->cert.created_ms;
        if ((rc = build_chain(x, own, leaf)) != PSC_OK)
            return rc;
    } else if (x->ncands) {
        note_add(x, "chain certificates (FCPath/PKRoot) without an own certificate were "
                          "not read");
    }
    if (pc->certlist.val && (rc = read_list(x, &pc->certlist, "CertList")) != PSC_OK)
        return rc;
    if (pc->pklist.val && (rc = read_list(x, &pc->pklist, "PKList")) != PSC_OK)
        return rc;
    if (pc->unknown[0]) {
        char msg[600];
        snprintf(msg, sizeof msg, "other PSE objects not read: %s", pc->unknown);
        note_add(x, msg);
    }
    if (x->note[0] && (own == NULL || psc_entry_set_note(own, x->note) != 0))
        psc_store_warn(x->st, "%s: %s", x->o->path, x->note);
    return PSC_OK;
}

static int pse_read(psc_store *st, const unsigned char *buf, size_t len, const psc_read_opts *o,
                    psc_err *e)
{
    psc_cursor c, file, box;
    unsigned long version;
    unsigned tag;
    psc_cursor_init(&c, buf, len);
    if (psc_cursor_der_expect(&c, 0x30, &file) != 0 || pse_der_small_uint(&file, &version) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: truncated or damaged PSE (outer structure); copy it "
                                       "again from the SAP host (binary mode)",
                        o->path);
    if (version == 256)
        return psc_fail(e, PSC_EINPUT,
                        "%s is protected by SAP's Local Protection Storage (PSE version 256), "
                        "which only the host that wrote it can open; on that host run "
                        "'sapgenpse export_p12 -p %s' and convert the .p12 instead",
                        o->path, o->path);
    if (version != 2 && version != 4)
        return psc_fail(e, PSC_EINPUT, "%s: PSE container version %lu is not supported (2 and 4 "
                                       "are)", o->path, version);
    if (psc_cursor_der_peek_tag(&file, &tag) != 0)
        return psc_fail(e, PSC_EINPUT, "%s: truncated PSE (no container)", o->path);
    unsigned char *plain = NULL;
    size_t plain_len = 0;
    const unsigned char *content = NULL;
    size_t content_len = 0;
    int rc = PSC_OK, encrypted = 0;
    if (tag == 0x30) {
        if (psc_cursor_der_element(&file, &content, &content_len) != 0)
            rc = psc_fail(e, PSC_EINPUT, "%s: truncated PSE (content)", o->path);
    } else if (tag == 0xa0 || tag == 0xa3) {
        encrypted = 1;
        if (psc_cursor_der_expect(&file, tag, &box) != 0)
            rc = psc_fail(e, PSC_EINPUT, "%s: truncated PSE (container)", o->path);
        else if (tag == 0xa0)
            rc = pse_open_v2(&box, o, &plain, &plain_len, e);
        else
            rc = pse_open_v4(&box, o, &plain, &plain_len, e);
        content = plain;
        content_len = plain_len;
    } else {
        rc = psc_fail(e, PSC_EINPUT, "%s: unknown PSE container (tag 0x%02x)", o->path, tag);
    }
    if (rc == PSC_OK && psc_cursor_remaining(&c) > 0)
        psc_store_warn(st, "%s: %zu bytes after the PSE ignored", o->path,
                       psc_cursor_remaining(&c));
    pse_content pc;
    if (rc == PSC_OK && parse_content(content, content_len, &pc) != 0)
        rc = encrypted ? psc_fail(e, PSC_EINPUT,
                                  "%s: the decrypted PSE content does not parse: wrong PIN or a "
                                  "damaged file; check --password",
                                  o->path)
                       : psc_fail(e, PSC_EINPUT, "%s: damaged PSE content (object list)", o->path);
    if (rc == PSC_OK) {
        pse_ctx x;
        memset(&x, 0, sizeof x);
        x.st = st, x.o = o, x.e = e;
        x.first_entry = psc_store_entry_count(st);
        x.has_own = pc.cert.val != NULL;
        rc = map_to_store(&x, &pc);
    }
    if (plain) {
        psc_wipe(plain, plain_len);
        free(plain);
    }
    return rc;
}

const psc_format psc_format_pse = {"pse", ".pse", 0, probe, pse_read, NULL};
