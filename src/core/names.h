/* The distinct Names (subjects and issuers) of one store, each read,
 * printed and hashed once: a CA's subject is the issuer of every
 * certificate it signed.  Below certfacts.c; chain building, the PSE
 * reader and probe compare Names through psc_name_eq.
 *
 * A Name made only of single-valued RDNs with well-known attribute types
 * and plain ASCII PrintableString/UTF8String/IA5String values (nearly all
 * of them) is read by a walk of its DER: its text is the value bytes, its
 * canonical form (what X509_NAME_cmp compares) is built here.  Any other
 * Name is decoded by OpenSSL (d2i_X509_NAME, X509_NAME_print_ex).  The
 * differential tests (tests/x509diff.h, fuzz_x509diff) hold the two to the
 * same text, hash and equality. */
#ifndef PSC_NAMES_H
#define PSC_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>

typedef struct psc_name psc_name;

/* X509_NAME_print_ex flags of every DN pseconv prints: RFC 2253 reversed
 * ("CN=..., OU=..., O=..., C=DE", the order STRUST and Java print), UTF-8
 * kept readable (no \\UXXXX escapes), ", " between RDNs. */
#define PSC_NAME_PRINT_FLAGS                                                                    \
    ((XN_FLAG_RFC2253 & ~(unsigned long)ASN1_STRFLGS_ESC_MSB & ~(unsigned long)XN_FLAG_SEP_MASK) | \
     XN_FLAG_SEP_CPLUS_SPC)

/* A Name from elsewhere (a PSE's list, a server's CA list) printed as
 * psc_name_text prints the store's, cut to size - 1 bytes; "" on failure. */
void psc_name_print(const X509_NAME *name, char *out, size_t size);

typedef struct psc_name_table {
    psc_name **slots; /* open addressing by FNV-1a of the Name's DER */
    size_t cap, used;
} psc_name_table;

void psc_name_table_free(psc_name_table *t);

/* The table's Name for der[0..len), added on first sight.  walk = 0: always
 * through OpenSSL (the reference of the differential tests).  NULL when
 * OpenSSL refuses the Name (*oom = 0) or out of memory (*oom = 1). */
const psc_name *psc_name_intern(psc_name_table *t, const unsigned char *der, size_t len,
                                int walk, int *oom);

/* "CN=..., OU=..., O=..., C=DE": RFC 2253 reversed (the order STRUST and
 * Java print), UTF-8 kept readable. */
const char *psc_name_text(const psc_name *n);

/* X509_NAME_hash_ex: equal for Names X509_NAME_cmp calls equal. */
uint32_t psc_name_hash(const psc_name *n);

/* 1 when X509_NAME_cmp(a, b) == 0 (NULL equals only NULL). */
int psc_name_eq(const psc_name *a, const psc_name *b);

/* The OpenSSL X509_NAME, decoded on first use and kept with the Name; NULL
 * out of memory.  For comparing with Names from elsewhere (a server's CA
 * list, an AKI directoryName). */
const X509_NAME *psc_name_x509(const psc_name *n);

/* 1 when the walk read the Name, 0 when OpenSSL did (for the tests). */
int psc_name_walked(const psc_name *n);

/* X509_NAME_get_text_by_NID(name, NID_commonName, buf, len): the first
 * CN's value bytes, truncated to len - 1; -1 when there is none. */
int psc_name_cn(const psc_name *n, char *buf, int len);

#endif
