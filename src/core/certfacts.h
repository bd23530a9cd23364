/* One distinct certificate (psc_cert) and its facts, filled at insertion,
 * and the store's table of distinct Names (see certfacts.c).  Below the
 * store: the store keeps psc_certs, chain.c and sigcache.c read them. */
#ifndef PSC_CERTFACTS_H
#define PSC_CERTFACTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <openssl/x509.h>
#include <openssl/evp.h>

#include "names.h"

/* A curve name and its NUL: the longest OpenSSL knows, "wap-wsg-idm-ecid-wtls10",
 * has 23 characters (longer provider names are cut). */
#define PSC_CURVE_LEN 24

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
    unsigned char sha1_cache[20]; /* private: use psc_cert_sha1() */
    unsigned char sha1_done;     /* private: sha1_cache holds it */
    char sha256_hex[65];
    const char *subject;         /* "CN=..., OU=..., O=..., C=DE" (STRUST order); owned
                                  * by the store's name table (psc_name_text) */
    const char *issuer;
    char *serial_hex;            /* lowercase, no separators; -> serial_inline for
                                  * serials up to 20 octets (RFC 5280's limit) */
    char serial_inline[44];      /* private */
    time_t not_before, not_after;
    char key_type[16];           /* "RSA", "EC", "DSA", "Ed25519", ... */
    int key_bits;
    char curve[PSC_CURVE_LEN];   /* "P-256" etc. for EC, else "" */
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
    size_t index;                /* position in its store's certs (the pool's for a pooled
                                  * store: psc_store_new_pooled) */
    uint32_t subject_hash;       /* issuer index keys */
    uint32_t issuer_hash;
    const psc_name *subject_name; /* the Names, for psc_name_eq; owned by the store's
                                   * name table (one per distinct Name, shared) */
    const psc_name *issuer_name;
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
    signed char self_result;     /* private (sigcache.c): own key verifies it: 1, -1, 0 unknown */
    signed char sig_result;      /* private (sigcache.c): whether the key of the certificate
                                  * whose SHA-256 is sig_issuer verifies it (1, -1; 0 none) */
    unsigned char sig_issuer[32];
    unsigned char *key_ids;      /* private: ski/aki bytes when decoded by OpenSSL (BER) */
} psc_cert;

/* SHA-1 of c's DER (20 bytes), computed on first use: only JSON output and
 * the PKCS#12 localKeyId need it, and inspect of a 10,000-certificate store
 * spent 4% computing it for nothing.  NULL when no SHA-1 is available. */
const unsigned char *psc_cert_sha1(const psc_cert *c);

/* The OpenSSL X509 of c, decoded from c->der on first use and kept; NULL
 * when OpenSSL refuses the encoding (callers fail with PSC_EINPUT "not a
 * valid X.509 certificate").  The store owns it. */
X509 *psc_cert_x509(const psc_cert *c);

/* Fill every fact field of c from c->der (and c->x509_cache when set):
 * 0 ok, -1 not a valid X.509 certificate, -2 out of memory.  Names come
 * from (and stay owned by) t. */
int psc_cert_fill_facts(psc_name_table *t, psc_cert *c);

/* 0: der[0..len) is what OpenSSL writes for it (DER), use it as is (also
 * when OpenSSL refuses it: reading it reports that).  1: it is BER (a
 * non-minimal or indefinite length, dirty unused signature bits ...):
 * *out (OPENSSL_free) holds i2d_X509 of d2i_X509, the bytes OpenSSL
 * fingerprints.  *decoded: the X509 when this check had to decode it
 * (X509_free; its re-encoding is the bytes to use), else NULL. */
int psc_cert_der_canonical(const unsigned char *der, size_t len, unsigned char **out,
                           size_t *out_len, X509 **decoded);

/* 0: every fact from d2i_X509 (as the environment variable PSC_NOLITE
 * does), 1: the DER walk with d2i_X509 as the fallback (default).  For the
 * differential tests and fuzz_x509diff. */
void psc_certfacts_set_lite(int on);
/* The setting above: 1 when pseconv's own fast readers are on (the DER
 * walk, the PEM reader's base64 decoding of plain certificate blocks). */
int psc_certfacts_lite(void);

#endif
