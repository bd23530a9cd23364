/* What the X.509 container formats pem.c, der.c and p7b.c share
 * (formats/certentry.c): bare certificate entries, each certificate once per
 * file, PKCS#7 certificates into the store, the store's distinct
 * certificates for writing, and finding a PEM BEGIN line. */
#ifndef PSC_CERTENTRY_H
#define PSC_CERTENTRY_H

#include <stddef.h>
#include "format.h"

/* Certificates seen during one read, so a file that repeats a certificate
 * gives one entry.  Indexed by psc_cert->index. */
typedef struct psc_seen {
    unsigned char *flags;
    size_t cap;
} psc_seen;

/* 1 if c was already marked, else marks it and returns 0; -1 on allocation failure. */
int psc_seen_mark(psc_seen *s, const psc_cert *c);
void psc_seen_free(psc_seen *s);

/* Add c as a bare certificate entry (alias NULL) unless `seen` already has it.
 * *index counts the entries of this file.  Returns PSC_OK or PSC_EINPUT. */
int psc_add_cert_entry(psc_store *st, psc_cert *c, const char *path, const char *fmt,
                       size_t *index, psc_seen *seen, psc_err *e);

/* Parse DER PKCS#7 SignedData (BER accepted) and add each certificate as a
 * bare certificate entry.  `what` names the input in messages.  A SignedData
 * without certificates is an error. */
int psc_p7_add_certs(psc_store *st, const unsigned char *der, size_t len, const char *path,
                     const char *fmt, size_t *index, psc_seen *seen, psc_err *e);

/* Does the DER start like a PKCS#7 SignedData ContentInfo (SEQUENCE, OID 1.2.840.113549.1.7.2)? */
int psc_p7_looks_signed(const unsigned char *buf, size_t len);

/* The distinct certificates of every entry's chain, in entry order, leaf
 * first.  *out is malloc'd (free it); *n may be 0.  -1 on allocation failure. */
int psc_store_distinct_certs(psc_store *st, psc_cert ***out, size_t *n);

/* Warn once when the store holds private keys that a certificates-only
 * format (`fmt`) leaves out. */
void psc_warn_keys_dropped(psc_store *st, const char *fmt, const psc_write_opts *opts);

/* The first "-----BEGIN " that starts a line (after optional blanks and, at
 * the start of the buffer, a UTF-8 BOM), searching [from, len).  Returns 0
 * and its offset, or -1 when there is none. */
int psc_pem_find_begin(const unsigned char *buf, size_t len, size_t from, size_t *at);

#endif
