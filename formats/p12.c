/* PKCS#12 reader and probe.  The writer is in p12_write.c.
 *
 * We walk the bags ourselves (PKCS12_unpack_authsafes & co.) instead of
 * calling PKCS12_parse, because PKCS12_parse keeps only one key and drops
 * the attributes that carry the aliases (friendlyName), the key/certificate
 * pairing (localKeyId) and Java's trust marker.
 *
 * Order of work, so a hostile file costs little: probe the DER, check the
 * MAC's iteration count, verify the MAC, then for each encrypted part check
 * its KDF parameters and cipher before decrypting. */
#include "p12_internal.h"
#include "p12_certbag.h"
#include "cursor.h"
#include "chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#define MAX_BAG_DEPTH 4      /* nested SafeContents bags */

/* ---- probe ------------------------------------------------------------ */

/* One DER/BER header read by hand: the probe must also claim a truncated
 * file (its outer length runs past the end), so the reader can say
 * "damaged" instead of "unknown format". */
static int probe_header(psc_cursor *c, uint8_t want_tag)
{
    uint8_t tag, l;
    if (psc_cursor_u8(c, &tag) != 0 || tag != want_tag || psc_cursor_u8(c, &l) != 0)
        return -1;
    if (l == 0x80 || l < 0x80)
        return 0; /* indefinite (BER) or short form */
    if ((l & 0x7f) > 4)
        return -1;
    return psc_cursor_skip(c, l & 0x7f);
}

static int p12_probe(const unsigned char *buf, size_t len)
{
    /* PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo { OID pkcs7-data, ... } } */
    static const unsigned char version3[] = {0x02, 0x01, 0x03};
    static const unsigned char oid_data[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                             0xf7, 0x0d, 0x01, 0x07, 0x01};
    psc_cursor c;
    const unsigned char *p;
    psc_cursor_init(&c, buf, len);
    if (probe_header(&c, 0x30) != 0 || psc_cursor_bytes(&c, sizeof version3, &p) != 0 ||
        memcmp(p, version3, sizeof version3) != 0 || probe_header(&c, 0x30) != 0 ||
        psc_cursor_bytes(&c, sizeof oid_data, &p) != 0 || memcmp(p, oid_data, sizeof oid_data) != 0)
        return 0;
    return 95;
}

/* ---- reading state ---------------------------------------------------- */

typedef struct p12_reader {
    psc_store *st;
    const psc_read_opts *opts;
    psc_err *e;
    psc_pbe_guard guard;        /* iteration cap and per-file budget */
    const char *cand[3];        /* password candidates, in order of preference */
    int ncand;
    char *broken;               /* pre-1.1.0 OpenSSL reading of a non-ASCII password */
    int mac_ok;                 /* the MAC verified: cand[0] is the password */
    int given;                  /* the user gave --password */
    int encrypted_seen;
    psc_err key_err;            /* the first key bag that did not decrypt: the file's error,
                                 * raised once the certificates are listed */
    p12_item *items;
    size_t n, cap;
} p12_reader;

static int passlen(const char *p) { return p ? (int)strlen(p) : 0; }

static int damaged(p12_reader *r, const char *what)
{
    return psc_fail(r->e, PSC_EINPUT, "%s is damaged: %s; get a fresh copy or re-export it",
                    r->opts->path, what);
}

/* ---- MAC and password ------------------------------------------------- */

/* Password candidates.  PKCS#12 turns the password into BMPString; OpenSSL
 * >= 1.1.0 and Java convert from UTF-8 (what we are given), but OpenSSL
 * 1.0.x took every byte as one character.  Like OpenSSL's CLI we retry
 * with that "broken" form for non-ASCII passwords.  No password given:
 * try the empty one and the absent one (Windows and OpenSSL write both). */
static int set_candidates(p12_reader *r)
{
    const psc_secret *pw = r->opts->password;
    r->given = pw != NULL && psc_secret_is_set(pw);
    if (!r->given) {
        r->cand[r->ncand++] = "";
        r->cand[r->ncand++] = NULL;
        return 0;
    }
    r->cand[r->ncand++] = pw->data;
    int ascii = 1;
    for (size_t i = 0; i < pw->len; i++)
        ascii = ascii && (unsigned char)pw->data[i] < 0x80;
    if (!ascii && pw->len < 4096) {
        int ulen = 0;
        unsigned char *uni = OPENSSL_asc2uni(pw->data, (int)pw->len, NULL, &ulen);
        if (uni != NULL) {
            r->broken = OPENSSL_uni2utf8(uni, ulen);
            psc_wipe(uni, (size_t)ulen);
            OPENSSL_free(uni);
        }
        if (r->broken != NULL)
            r->cand[r->ncand++] = r->broken;
    }
    ERR_clear_error();
    return 0;
}

/* Move the candidate that worked to the front. */
static void prefer(p12_reader *r, int i)
{
    const char *c = r->cand[i];
    memmove(&r->cand[1], &r->cand[0], (size_t)i * sizeof r->cand[0]);
    r->cand[0] = c;
}

static int verify_mac(p12_reader *r, PKCS12 *p12)
{
    if (!PKCS12_mac_present(p12))
        return PSC_OK;
    const ASN1_OCTET_STRING *mac, *salt;
    const X509_ALGOR *macalg;
    const ASN1_INTEGER *iter;
    PKCS12_get0_mac(&mac, &macalg, &salt, &iter, p12);
    if (macalg == NULL || mac == NULL)
        return damaged(r, "the integrity check (MAC) is incomplete");
    const ASN1_OBJECT *obj;
    X509_ALGOR_get0(&obj, NULL, NULL, macalg);
    char oidtxt[80];
    OBJ_obj2txt(oidtxt, sizeof oidtxt, obj, 0);
    if (strcmp(oidtxt, "1.2.840.113549.1.5.14") == 0)
        return psc_fail(r->e, PSC_EINPUT,
                        "%s: the integrity check uses PBMAC1 (OpenSSL 3.4+ -pbmac1_pbkdf2), which "
                        "this OpenSSL cannot verify; re-export it with an HMAC-SHA256 MAC",
                        r->opts->path);
    int rc = psc_pbe_check_iter(&r->guard, iter, "integrity check (MAC)");
    if (rc != PSC_OK)
        return rc;
    int mdnid = OBJ_obj2nid(obj);
    EVP_MD *md = mdnid != NID_undef ? EVP_MD_fetch(NULL, OBJ_nid2sn(mdnid), NULL) : NULL;
    EVP_MD_free(md);
    if (md == NULL) {
        ERR_clear_error();
        return psc_fail(r->e, PSC_EINPUT,
                        "%s: the integrity check uses the digest %s, which this OpenSSL cannot "
                        "compute", r->opts->path, oidtxt);
    }
    for (int i = 0; i < r->ncand; i++) {
        if (PKCS12_verify_mac(p12, r->cand[i], passlen(r->cand[i])) == 1) {
            prefer(r, i);
            r->mac_ok = 1;
            ERR_clear_error();
            return PSC_OK;
        }
    }
    ERR_clear_error();
    if (!r->given)
        return psc_fail(r->e, PSC_EINPUT,
                        "%s is password-protected (PKCS#12 integrity check); try --password",
                        r->opts->path);
    return psc_fail(r->e, PSC_EINPUT,
                    "wrong password for %s (integrity check failed); try --password",
                    r->opts->path);
}

/* A decryption failed with every candidate: say why as precisely as we can
 * (into e: r->e, or the key bag's own error). */
static int decrypt_failed(p12_reader *r, const char *what, psc_err *e)
{
    if (r->mac_ok) {
        /* The password is right (the MAC verified), the part is not. */
        psc_fail(e, PSC_EINPUT,
                 "%s: cannot decrypt the %s although the password is right (a second password "
                 "or a damaged file)", r->opts->path, what);
        psc_err_add_openssl(e);
        return PSC_EINPUT;
    }
    if (!r->given)
        return psc_fail(e, PSC_EINPUT, "%s: the %s is encrypted; try --password",
                        r->opts->path, what);
    ERR_clear_error();
    return psc_fail(e, PSC_EINPUT,
                    "wrong password for %s (cannot decrypt the %s); try --password",
                    r->opts->path, what);
}

/* ---- bags ------------------------------------------------------------- */

static p12_item *new_item(p12_reader *r, enum psc_p12_item_kind kind, PKCS12_SAFEBAG *bag)
{
    if (psc_grow((void **)&r->items, &r->cap, r->n + 1, sizeof *r->items) != 0)
        return NULL;
    p12_item *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->name = PKCS12_get_friendlyname(bag);
    const ASN1_TYPE *kid = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);
    if (kid != NULL && kid->type == V_ASN1_OCTET_STRING && kid->value.octet_string->length > 0) {
        const ASN1_OCTET_STRING *os = kid->value.octet_string;
        it->keyid = OPENSSL_memdup(ASN1_STRING_get0_data(os), (size_t)os->length);
        it->keyid_len = it->keyid ? os->length : 0;
    }
    ASN1_OBJECT *trust = OBJ_txt2obj(PSC_P12_JAVA_TRUST_OID, 1);
    it->trusted = trust != NULL && X509at_get_attr_by_OBJ(PKCS12_SAFEBAG_get0_attrs(bag), trust, -1) >= 0;
    ASN1_OBJECT_free(trust);
    ERR_clear_error();
    return it;
}

static int oom(p12_reader *r) { return psc_fail(r->e, PSC_EINPUT, "%s: out of memory", r->opts->path); }

/* A key bag that does not decrypt (another password, an unsupported or
 * over-cap PBE): the rest of the file is still read, so the certificates can
 * be listed; its localKeyId still pairs it with its certificate, whose entry
 * is then a key pair without its key.  The file fails at the end (key_err). */
static int key_unreadable(p12_reader *r, PKCS12_SAFEBAG *bag)
{
    p12_item *it = new_item(r, ITEM_KEY, bag);
    if (it == NULL)
        return oom(r);
    it->unreadable = 1;
    return PSC_OK;
}

/* Decrypt an encrypted key bag (the key password first, then the file's
 * password candidates).  NULL when none fits: the reason is in r->key_err,
 * so the certificates are still listed and the file fails at the end. */
static PKCS8_PRIV_KEY_INFO *decrypt_key(p12_reader *r, const X509_SIG *sig, const char *what)
{
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    const psc_secret *kp = r->opts->key_password;
    if (kp != NULL && psc_secret_is_set(kp))
        p8 = PKCS8_decrypt_ex(sig, kp->data, (int)kp->len, NULL, NULL);
    for (int i = 0; p8 == NULL && i < r->ncand; i++)
        if ((p8 = PKCS8_decrypt_ex(sig, r->cand[i], passlen(r->cand[i]), NULL, NULL)) != NULL)
            prefer(r, i);
    if (p8 == NULL && r->mac_ok) /* the file's password is right, the key's is not */
        psc_fail(&r->key_err, PSC_EINPUT,
                 "%s: the %s does not decrypt with the file's password (%s) or the file is "
                 "damaged", r->opts->path, what,
                 kp != NULL && psc_secret_is_set(kp)
                     ? "nor with --key-password"
                     : "it has a password of its own: give it with --key-password");
    else if (p8 == NULL)
        decrypt_failed(r, what, &r->key_err);
    if (p8 == NULL)
        ERR_clear_error();
    return p8;
}

/* An encrypted key bag (friendlyName `name`, may be NULL), read at once or
 * when pairing needs it: its KDF under the iteration cap, then decrypted.
 * NULL when refused or when no password fits: the reason, naming the key,
 * is in r->key_err, so the file fails only at the end. */
static PKCS8_PRIV_KEY_INFO *open_key(p12_reader *r, const X509_SIG *sig, const char *name)
{
    char what[128];
    if (name != NULL && name[0] != '\0')
        snprintf(what, sizeof what, "private key '%.100s'", name);
    else
        snprintf(what, sizeof what, "private key");
    const X509_ALGOR *alg = NULL;
    X509_SIG_get0(sig, &alg, NULL);
    r->guard.e = &r->key_err;
    int rc = psc_pbe_check(&r->guard, alg, what);
    r->guard.e = r->e;
    return rc == PSC_OK ? decrypt_key(r, sig, what) : NULL;
}

static EVP_PKEY *key_of(p12_reader *r, const PKCS8_PRIV_KEY_INFO *plain)
{
    EVP_PKEY *key = EVP_PKCS82PKEY_ex(plain, NULL, NULL);
    if (key == NULL) {
        psc_fail(r->e, PSC_EINPUT, "%s: a private key does not parse or has an unsupported type",
                 r->opts->path);
        psc_err_add_openssl(r->e);
    }
    return key;
}

/* A key kept sealed (inspect) that pairing by localKeyId could not place:
 * psc_p12_pair_keys needs its public key now.  A key that does not decrypt
 * becomes unreadable, as when read at once. */
static int decrypt_sealed(void *arg, p12_item *it)
{
    p12_reader *r = arg;
    const unsigned char *p = it->sealed;
    X509_SIG *sig = d2i_X509_SIG(NULL, &p, it->sealed_len);
    int rc = sig ? PSC_OK : damaged(r, "an encrypted key bag does not parse");
    PKCS8_PRIV_KEY_INFO *p8 = sig ? open_key(r, sig, it->name) : NULL;
    X509_SIG_free(sig);
    OPENSSL_free(it->sealed);
    it->sealed = NULL;
    if (rc == PSC_OK && p8 == NULL)
        it->unreadable = 1;
    else if (rc == PSC_OK && (it->key = key_of(r, p8)) == NULL)
        rc = PSC_EINPUT;
    PKCS8_PRIV_KEY_INFO_free(p8);
    return rc;
}

static int read_key(p12_reader *r, PKCS12_SAFEBAG *bag, const PKCS8_PRIV_KEY_INFO *plain)
{
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    if (plain == NULL) {
        const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8(bag);
        if (sig == NULL)
            return damaged(r, "an encrypted key bag is empty");
        r->encrypted_seen = 1;
        /* inspect --no-decrypt: the key is decrypted only if pairing needs it
         * (no KDF, as keytool -list), and only once the MAC has proved the
         * password (without a MAC the key is the password's only check); its
         * KDF is checked against the cap when it is decrypted */
        if (r->opts->keys_listed_only && r->mac_ok) {
            p12_item *it = new_item(r, ITEM_KEY, bag);
            if (it == NULL || (it->sealed_len = i2d_X509_SIG(sig, &it->sealed)) <= 0)
                return oom(r);
            return PSC_OK;
        }
        char *name = PKCS12_get_friendlyname(bag);
        ERR_clear_error();
        p8 = open_key(r, sig, name);
        OPENSSL_free(name);
        if (p8 == NULL)
            return key_unreadable(r, bag);
        plain = p8;
    }
    EVP_PKEY *key = key_of(r, plain);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (key == NULL)
        return PSC_EINPUT;
    p12_item *it = new_item(r, ITEM_KEY, bag);
    if (it == NULL) {
        EVP_PKEY_free(key);
        return oom(r);
    }
    it->key = key;
    return PSC_OK;
}

static int read_cert(p12_reader *r, PKCS12_SAFEBAG *bag)
{
    if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate) {
        psc_read_skipped(r->st, r->opts, "skipped a certificate bag that is not X.509");
        return PSC_OK;
    }
    psc_cert *c = psc_p12_cert_from_bag(r->st, bag, r->opts->path);
    if (c == NULL) { /* the slow path, for its exact error messages */
        X509 *x = PKCS12_SAFEBAG_get1_cert(bag);
        if (x == NULL) {
            ERR_clear_error();
            return damaged(r, "a certificate bag does not parse");
        }
        c = psc_store_add_x509(r->st, x, r->opts->path, r->e);
        X509_free(x);
        if (c == NULL)
            return PSC_EINPUT;
    }
    p12_item *it = new_item(r, ITEM_CERT, bag);
    if (it == NULL)
        return oom(r);
    it->cert = c;
    return PSC_OK;
}

static int read_bags(p12_reader *r, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
    int rc = PSC_OK;
    for (int i = 0; rc == PSC_OK && i < sk_PKCS12_SAFEBAG_num(bags); i++) {
        PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        switch (PKCS12_SAFEBAG_get_nid(bag)) {
        case NID_keyBag:
            rc = PKCS12_SAFEBAG_get0_p8inf(bag) ? read_key(r, bag, PKCS12_SAFEBAG_get0_p8inf(bag))
                                                : damaged(r, "a key bag is empty");
            break;
        case NID_pkcs8ShroudedKeyBag: rc = read_key(r, bag, NULL); break;
        case NID_certBag: rc = read_cert(r, bag); break;
        case NID_secretBag:
            /* Java keeps secret keys here; list them, never decrypt. */
            rc = new_item(r, ITEM_SECRET, bag) ? PSC_OK : oom(r);
            break;
        case NID_crlBag:
            psc_read_skipped(r->st, r->opts,
                             "skipped a CRL bag (pseconv handles certificates and keys)");
            break;
        case NID_safeContentsBag:
            if (depth >= MAX_BAG_DEPTH)
                rc = damaged(r, "SafeContents nested too deeply");
            else
                rc = read_bags(r, PKCS12_SAFEBAG_get0_safes(bag), depth + 1);
            break;
        default:
            psc_read_skipped(r->st, r->opts, "skipped a PKCS#12 bag of unknown type");
        }
    }
    return rc;
}

static int read_authsafe(p12_reader *r, PKCS7 *p7)
{
    STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
    if (PKCS7_type_is_data(p7)) {
        if ((bags = PKCS12_unpack_p7data(p7)) == NULL) {
            ERR_clear_error();
            return damaged(r, "a SafeContents part does not parse");
        }
    } else if (PKCS7_type_is_encrypted(p7)) {
        if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL ||
            p7->d.encrypted->enc_data->algorithm == NULL)
            return damaged(r, "an encrypted part has no algorithm");
        int rc = psc_pbe_check(&r->guard, p7->d.encrypted->enc_data->algorithm, "certificate part");
        if (rc != PSC_OK)
            return rc;
        r->encrypted_seen = 1;
        for (int i = 0; bags == NULL && i < r->ncand; i++)
            if ((bags = PKCS12_unpack_p7encdata(p7, r->cand[i], passlen(r->cand[i]))) != NULL)
                prefer(r, i);
        if (bags == NULL)
            return decrypt_failed(r, "certificate part", r->e);
    } else {
        psc_read_skipped(r->st, r->opts, "skipped a PKCS#12 part that is neither data nor "
                         "encrypted (public-key privacy mode is not supported)");
        return PSC_OK;
    }
    ERR_clear_error();
    int rc = read_bags(r, bags, 0);
    sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    return rc;
}

/* ---- entries ---------------------------------------------------------- */

/* Java's localKeyId is "Time <ms since epoch>": keep it as the entry date. */
static int64_t keyid_time(const p12_item *it)
{
    if (it == NULL || it->keyid_len < 6 || it->keyid_len > 25 || memcmp(it->keyid, "Time ", 5) != 0)
        return 0;
    int64_t ms = 0;
    for (int i = 5; i < it->keyid_len; i++) {
        if (it->keyid[i] < '0' || it->keyid[i] > '9')
            return 0;
        ms = ms * 10 + (it->keyid[i] - '0');
    }
    return ms;
}

static int emit_keypair(p12_reader *r, p12_item *key, size_t *index)
{
    p12_item *leaf = key->pair;
    const char *alias = key->name ? key->name : leaf->name;
    psc_entry *en = psc_store_add_entry(r->st, PSC_ENTRY_KEYPAIR, alias, r->opts->path, "p12",
                                        (*index)++);
    if (en == NULL)
        return oom(r);
    psc_chain ch;
    psc_chain_build(r->st, leaf->cert, time(NULL), &ch);
    for (size_t i = 0; i < ch.len; i++) {
        if (psc_entry_push_cert(en, ch.certs[i]) != 0)
            return oom(r);
    }
    psc_entry_set_key(en, key->key); /* NULL while sealed: inspect lists it */
    en->key_listed = key->sealed != NULL;
    key->key = NULL;
    if (key->unreadable && psc_entry_set_note(en, "private key not decrypted (see the error)") != 0)
        return oom(r);
    en->created_ms = keyid_time(key) ? keyid_time(key) : keyid_time(leaf);
    key->emitted = leaf->emitted = 1;
    return PSC_OK;
}

static int emit_entries(p12_reader *r)
{
    size_t index = 0;
    /* Chains first, so certificates that belong to a key pair are known... */
    for (size_t i = 0; i < r->n; i++) {
        psc_chain ch;
        if (r->items[i].kind != ITEM_KEY || r->items[i].pair == NULL)
            continue;
        psc_chain_build(r->st, r->items[i].pair->cert, time(NULL), &ch);
        for (size_t c = 1; c < ch.len; c++)
            for (size_t k = 0; k < r->n; k++)
                if (r->items[k].kind == ITEM_CERT && r->items[k].cert == ch.certs[c])
                    r->items[k].in_chain = 1;
    }
    /* ...then entries in file order: a key pair where its key or leaf first appears. */
    for (size_t i = 0; i < r->n; i++) {
        p12_item *it = &r->items[i];
        int rc = PSC_OK;
        if (it->emitted)
            continue;
        if (it->kind == ITEM_KEY && it->pair) {
            rc = emit_keypair(r, it, &index);
        } else if (it->kind == ITEM_CERT && it->pair) {
            rc = emit_keypair(r, it->pair, &index);
        } else if (it->kind == ITEM_KEY && it->unreadable) {
            /* neither key nor certificate to list: the error names it */
        } else if (it->kind == ITEM_KEY) {
            /* No certificate here: the CLI pairs it with one from another input. */
            if (psc_store_add_loose_key_named(r->st, it->key, it->name, r->opts->path, "p12",
                                              index++) != 0)
                return oom(r);
            it->key = NULL;
        } else if (it->kind == ITEM_CERT && (it->trusted || !it->in_chain)) {
            psc_entry *en = psc_store_add_entry(r->st, it->trusted ? PSC_ENTRY_TRUSTED : PSC_ENTRY_CERT,
                                                it->name, r->opts->path, "p12", index++);
            if (en == NULL || psc_entry_push_cert(en, it->cert) != 0)
                return oom(r);
        } else if (it->kind == ITEM_SECRET) {
            psc_entry *en = psc_store_add_entry(r->st, PSC_ENTRY_SECRET,
                                                it->name ? it->name : "secret-key",
                                                r->opts->path, "p12", index++);
            if (en == NULL || psc_entry_set_note(en, "secret key bag (listed, not decrypted)") != 0)
                return oom(r);
        }
        if (rc != PSC_OK)
            return rc;
        it->emitted = 1;
    }
    return PSC_OK;
}

static void reader_free(p12_reader *r)
{
    for (size_t i = 0; i < r->n; i++) {
        OPENSSL_free(r->items[i].name);
        OPENSSL_free(r->items[i].keyid);
        OPENSSL_free(r->items[i].sealed);
        EVP_PKEY_free(r->items[i].key);
    }
    free(r->items);
    if (r->broken)
        psc_wipe(r->broken, strlen(r->broken));
    OPENSSL_free(r->broken);
}

static int p12_read(psc_store *st, const unsigned char *buf, size_t len, const psc_read_opts *opts,
                    psc_err *e)
{
    p12_reader r;
    memset(&r, 0, sizeof r);
    r.st = st;
    r.opts = opts;
    r.e = e;
    int grc = psc_pbe_guard_init(&r.guard, opts->path, "PKCS#12", opts->max_iterations, e);
    if (grc != PSC_OK)
        return grc;
    if (len > PSC_MAX_INPUT_BYTES)
        return psc_fail(e, PSC_EINPUT, "%s: too large for a PKCS#12 file", opts->path);
    const unsigned char *p = buf;
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (p12 == NULL) {
        ERR_clear_error();
        return damaged(&r, "not a complete PKCS#12 structure (truncated or corrupt)");
    }
    if ((size_t)(p - buf) < len)
        psc_store_warn(st, "%s: %zu bytes after the PKCS#12 structure ignored", opts->path,
                       len - (size_t)(p - buf));
    set_candidates(&r);
    int rc = verify_mac(&r, p12);
    STACK_OF(PKCS7) *safes = NULL;
    if (rc == PSC_OK && (safes = PKCS12_unpack_authsafes(p12)) == NULL) {
        ERR_clear_error();
        rc = damaged(&r, "the content list does not parse");
    }
    for (int i = 0; rc == PSC_OK && i < sk_PKCS7_num(safes); i++)
        rc = read_authsafe(&r, sk_PKCS7_value(safes, i));
    if (rc == PSC_OK && !PKCS12_mac_present(p12) && r.encrypted_seen)
        psc_store_warn(st, "%s: PKCS#12 without integrity check (no MAC); contents decrypted "
                       "but not authenticated", opts->path);
    if (rc == PSC_OK)
        rc = psc_p12_pair_keys(r.items, r.n, decrypt_sealed, &r);
    if (rc == PSC_OK)
        rc = emit_entries(&r);
    if (rc == PSC_OK && r.key_err.code != PSC_OK) {
        /* the certificates are in the store; the file still fails */
        rc = psc_fail(e, r.key_err.code, "%s", r.key_err.msg);
        e->partial = 1;
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    reader_free(&r);
    ERR_clear_error();
    return rc;
}

const psc_format psc_format_p12 = {"p12", ".p12 .pfx", 0, p12_probe, p12_read, psc_p12_write};
