/* The normalized in-memory certificate store every reader fills and every
 * writer, the planner and the renderers read.
 *
 * - Certificates are deduplicated by SHA-256 of their DER: one psc_cert per
 *   distinct certificate, owned by the store, shared by the entries.
 * - Entries are what a keystore or file holds: a bare certificate, a key pair
 *   (private key + chain, leaf first), a trusted certificate, a PSE's own
 *   certificate, or a (listed, never decrypted) secret key.
 * - Loose private keys (PEM) are paired with their certificate by public key
 *   in psc_store_pair_keys() (keypair.c), never by position.
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
#include "buf.h"
#include "certfacts.h"
#include "words.h"

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
/* A store whose certificates are pool's: a certificate several stores hold
 * (a landscape's shared CA chain file, read for each of 2,000 systems) is
 * parsed, kept and its public key decoded once, in pool; this store lists
 * and indexes it like its own.  pool must outlive the store, and a
 * psc_cert's `index` is then its position in pool, not here. */
psc_store *psc_store_new_pooled(psc_store *pool);
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

/* A private key without a certificate yet (PEM): kept until pairing.  Takes ownership
 * on success (on failure the caller still owns key). */
int psc_store_add_loose_key(psc_store *st, EVP_PKEY *key, const char *file,
                            const char *format, size_t index);
/* Same with the name the file gives the key (PKCS#12 friendlyName), may be NULL. */
int psc_store_add_loose_key_named(psc_store *st, EVP_PKEY *key, const char *alias,
                                  const char *file, const char *format, size_t index);

/* The loose keys, for the pairing (keypair.c). */
typedef struct psc_loose_key {
    EVP_PKEY *key;
    psc_origin origin;
    char *alias;                 /* may be NULL */
} psc_loose_key;
size_t psc_store_loose_key_count(const psc_store *st);
psc_loose_key *psc_store_loose_key(psc_store *st, size_t i);
void psc_store_drop_loose_keys(psc_store *st);
/* Entries without an alias get one from their first certificate. */
int psc_store_name_unnamed(psc_store *st);


/* Key facts of a private or public key: type ("RSA", "EC", ...), bits, and the
 * curve for EC ("P-256"), as psc_cert holds them for a certificate's key. */
void psc_pkey_facts(EVP_PKEY *pk, char type[16], int *bits, char curve[PSC_CURVE_LEN]);
/* "RSA 2048" / "EC P-256" into out. */
void psc_pkey_desc(EVP_PKEY *pk, char *out, size_t n);

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

/* Drop the lookup indexes (SHA-256, subject, issuer, alias) once the store
 * is complete and rarely searched: a plan keeps a store per system, whose
 * indexes are a tenth of an export's memory at 2,000 systems.  The next
 * lookup or insertion rebuilds them. */
void psc_store_compact(psc_store *st);

/* Warnings, in the order they were raised. */
void psc_store_warn(psc_store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t psc_store_warning_count(const psc_store *st);
const char *psc_store_warning(const psc_store *st, size_t i);

/* Issuer index: the certificates whose subject equals c's issuer (and, when
 * both have them, whose SKI equals c's AKI), in insertion order.  Built on
 * demand, O(1) average per lookup.  Returns the count, fills up to max. */
size_t psc_store_issuers_of(psc_store *st, const psc_cert *c, psc_cert **out, size_t max);
/* Does any certificate in the store have c as its issuer (subject match + signature)? */
int psc_cert_issues_any(psc_store *st, const psc_cert *c);

/* Does issuer's key verify child's signature (memoized per pair in
 * sigcache.c; 0 when either certificate does not decode). */
int psc_cert_signed_by(const psc_cert *child, const psc_cert *issuer);

/* RFC 3339 UTC "2026-11-29T23:25:01Z" into out (21 bytes). */
void psc_time_rfc3339(time_t t, char out[21]);
/* Days from now until t (negative when past). */
long psc_days_left(time_t t, time_t now);

#endif
