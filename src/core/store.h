/* The normalized in-memory certificate store every reader fills and every
 * writer, the planner and the renderers read.
 *
 * - Certificates are deduplicated by SHA-256 of their DER: one psc_cert per
 *   distinct certificate, owned by the store, shared by the entries.
 * - Entries are what a keystore or file holds: a bare certificate, a key pair
 *   (private key + chain, leaf first), a trusted certificate, a PSE's own
 *   certificate, or a (listed, never decrypted) secret key.
 * - Loose private keys (PEM) are paired with their certificate by public key
 *   in psc_store_pair_keys(), never by position.
 * - Warnings (integrity not checked, trailing bytes, ...) are collected here;
 *   the command prints them.  Library code never prints. */
#ifndef PSC_STORE_H
#define PSC_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/x509.h>
#include <openssl/evp.h>
#include "error.h"

typedef enum psc_entry_type {
    PSC_ENTRY_CERT = 0,     /* "certificate": bare certificate from PEM/DER/P7B */
    PSC_ENTRY_KEYPAIR,      /* "key-pair": private key + chain, leaf first */
    PSC_ENTRY_TRUSTED,      /* "trusted": keystore trusted entry, PSE certificate list */
    PSC_ENTRY_OWN,          /* "own": the PSE's own certificate (key may be present) */
    PSC_ENTRY_SECRET        /* "secret-key": JCEKS sealed/secret key, listed only */
} psc_entry_type;

const char *psc_entry_type_name(psc_entry_type t);

typedef enum psc_role { PSC_ROLE_LEAF = 0, PSC_ROLE_INTERMEDIATE, PSC_ROLE_ROOT } psc_role;
const char *psc_role_name(psc_role r);

/* One distinct certificate.  Derived facts are computed once at insertion
 * from a walk of the DER (x509lite.c) that does not decode the public key;
 * the full OpenSSL X509 is decoded only where it is needed (signatures,
 * keys, PKCS#12 bags): psc_cert_x509(). */
typedef struct psc_cert {
    X509 *x509_cache;            /* private: use psc_cert_x509() */
    int x509_failed;             /* private: OpenSSL refused the DER */
    EVP_PKEY *pubkey_cache;      /* private (sigcache.c): the public key, kept once the
                                  * certificate was an issuer in a signature check, so a
                                  * CA of 10,000 leaves is decoded once, not per leaf */
    int pubkey_failed;           /* private: no usable public key */
    unsigned char *der;          /* exact bytes as read */
    size_t der_len;
    unsigned char sha256[32];
    unsigned char sha1[20];
    char sha256_hex[65];
    char sha1_hex[41];
    char *subject;               /* "CN=..., OU=..., O=..., C=DE" (STRUST order) */
    char *issuer;
    char *serial_hex;            /* lowercase, no separators */
    time_t not_before, not_after;
    char key_type[16];           /* "RSA", "EC", "DSA", "Ed25519", ... */
    int key_bits;
    char curve[64];              /* "P-256" etc. for EC, else "" */
    char sig_alg[48];            /* e.g. "ecdsa-with-SHA256" */
    int is_ca;                   /* basicConstraints CA:TRUE */
    int self_signed;             /* OpenSSL's EXFLAG_SS: subject == issuer Name, the AKI
                                  * (if any) names this certificate (keyIdentifier == SKI,
                                  * serial, issuer), and the TBS signature algorithm fits
                                  * the key's type.  The signature is NOT checked here:
                                  * chain building does (complete = the top's own key
                                  * verifies it) */
    int has_eku;                 /* extendedKeyUsage extension present */
    int eku_client, eku_server;  /* clientAuth / serverAuth (or anyEKU) present */
    size_t index;                /* position in store->certs */
    uint32_t subject_hash;       /* issuer index keys */
    uint32_t issuer_hash;
    X509_NAME *subject_name;     /* decoded Names, for X509_NAME_cmp; owned by the store's
                                  * name table (one per distinct Name, shared) */
    X509_NAME *issuer_name;
    const unsigned char *ski;    /* subjectKeyIdentifier, NULL if absent (points into der
                                  * or the decoded X509) */
    size_t ski_len;
    const unsigned char *aki;    /* authorityKeyIdentifier keyIdentifier, NULL if absent */
    size_t aki_len;
    /* Facts OpenSSL cannot read (issue 17): a Time ASN1_TIME_to_tm refuses
     * (not_before/not_after are then 0 and mean nothing), a public key
     * X509_get0_pubkey cannot load (key_type names the algorithm, e.g. an EC
     * point off its curve). */
    unsigned char not_before_invalid, not_after_invalid, key_invalid;
    unsigned char noncanonical;  /* the input was BER, der holds OpenSSL's re-encoding */
    unsigned char *key_ids;      /* private: ski/aki bytes when decoded by OpenSSL (BER) */
} psc_cert;

/* The OpenSSL X509 of c, decoded from c->der on first use and kept; NULL
 * when OpenSSL refuses the encoding (callers fail with PSC_EINPUT "not a
 * valid X.509 certificate").  The store owns it. */
X509 *psc_cert_x509(const psc_cert *c);

typedef struct psc_origin {
    char *file;                  /* path as given by the user */
    const char *format;          /* static format name, e.g. "jks" */
    size_t index;                /* entry position within that file */
} psc_origin;

typedef struct psc_entry {
    psc_entry_type type;
    char *alias;
    psc_origin origin;
    psc_cert **chain;            /* leaf first; one element for certificate/trusted/own */
    size_t chain_len;
    EVP_PKEY *key;               /* key-pair (and own, when the PSE's key was read) */
    int64_t created_ms;          /* keystore timestamp (ms since epoch), 0 = unknown */
    char *secret_alg;            /* secret-key: algorithm if known, may be NULL */
    char *note;                  /* free text a reader wants inspect to show (e.g. PSE unknown objects), may be NULL */
    int key_listed;              /* key-pair whose key is in the file but was not decrypted
                                  * (inspect of a PKCS#12, keys_listed_only): key is NULL */
} psc_entry;

typedef struct psc_store psc_store;

psc_store *psc_store_new(void);
void psc_store_free(psc_store *st);

/* Parse DER, deduplicate, return the store's certificate (never NULL on
 * success).  Error: PSC_EINPUT naming `what` (e.g. the file). */
psc_cert *psc_store_add_cert_der(psc_store *st, const unsigned char *der, size_t len,
                                 const char *what, psc_err *e);
/* Same for an already parsed X509: the store takes its own reference. */
psc_cert *psc_store_add_x509(psc_store *st, X509 *x, const char *what, psc_err *e);
psc_cert *psc_store_find_sha256(const psc_store *st, const unsigned char sha256[32]);

/* New empty entry (alias may be NULL: a stable one is derived from the
 * certificate when the first certificate is pushed).  file is copied. */
psc_entry *psc_store_add_entry(psc_store *st, psc_entry_type type, const char *alias,
                               const char *file, const char *format, size_t index);
int psc_entry_push_cert(psc_entry *en, psc_cert *c);
/* Takes ownership of key. */
void psc_entry_set_key(psc_entry *en, EVP_PKEY *key);
int psc_entry_set_note(psc_entry *en, const char *note);
int psc_entry_set_alias(psc_store *st, psc_entry *en, const char *alias);

/* A private key without a certificate yet (PEM): kept until pairing.  Takes ownership. */
int psc_store_add_loose_key(psc_store *st, EVP_PKEY *key, const char *file,
                            const char *format, size_t index);
/* Pair loose keys with certificate entries by public key: the matching
 * certificate entry becomes a key-pair with its chain completed from the
 * store (issuer index); bare certificate entries of the same file absorbed
 * into that chain are removed.  A key with no certificate is an error
 * (PSC_EINPUT, names the file).  Readers' callers run this once after reading. */
int psc_store_pair_keys(psc_store *st, psc_err *e);

size_t psc_store_cert_count(const psc_store *st);
psc_cert *psc_store_cert(const psc_store *st, size_t i);
size_t psc_store_entry_count(const psc_store *st);
psc_entry *psc_store_entry(const psc_store *st, size_t i);
/* Remove entry i (order of the others is kept). */
void psc_store_remove_entry(psc_store *st, size_t i);
/* Case-insensitive alias lookup (JKS semantics); NULL if none. */
psc_entry *psc_store_find_alias(const psc_store *st, const char *alias);

/* A point to return to when a file fails half-way: rollback removes the
 * entries, certificates and loose keys added since the mark (warnings stay),
 * so a damaged file leaves nothing behind for chain building to find. */
typedef struct psc_store_mark {
    size_t certs, entries, keys;
} psc_store_mark;
psc_store_mark psc_store_get_mark(const psc_store *st);
void psc_store_rollback(psc_store *st, psc_store_mark m);

/* Warnings, in the order they were raised. */
void psc_store_warn(psc_store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t psc_store_warning_count(const psc_store *st);
const char *psc_store_warning(const psc_store *st, size_t i);

/* Issuer index: the certificates whose subject equals c's issuer (and, when
 * both have them, whose SKI equals c's AKI), in insertion order.  Built on
 * demand, O(1) average per lookup.  Returns the count, fills up to max. */
size_t psc_store_issuers_of(psc_store *st, const psc_cert *c, psc_cert **out, size_t max);

/* Does issuer's key verify child's signature (memoized per pair in
 * sigcache.c; 0 when either certificate does not decode). */
int psc_cert_signed_by(const psc_cert *child, const psc_cert *issuer);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void psc_hex(const unsigned char *in, size_t n, char *out);
/* RFC 3339 UTC "2026-11-29T23:25:01Z" into out (21 bytes). */
void psc_time_rfc3339(time_t t, char out[21]);
/* Days from now until t (negative when past). */
long psc_days_left(time_t t, time_t now);

#endif
