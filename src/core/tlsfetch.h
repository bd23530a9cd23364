/* Fetch the certificate chain a TLS server presents (pseconv fetch).
 *
 * Connects with OpenSSL, without verifying anything (the point is to see
 * what the server sends, including broken or self-signed chains), within
 * one overall deadline that covers name resolution, connect and handshake.
 * The certificates go into the store as `certificate` entries, in the order
 * the server sent them; the command prints and writes them. */
#ifndef PSC_TLSFETCH_H
#define PSC_TLSFETCH_H

#include <stddef.h>
#include "store.h"
#include "error.h"

typedef struct psc_fetch_opts {
    const char *target;     /* "HOST", "HOST:PORT", "[V6ADDR]:PORT", "V6ADDR" */
    const char *servername; /* SNI; NULL = the host unless it is an IP address; "" = none */
    int timeout_ms;         /* whole operation; <= 0 means 10 s */
} psc_fetch_opts;

typedef struct psc_fetch_result {
    char host[256];
    char port[8];
    char address[64];       /* the address that answered, numeric */
    char protocol[16];      /* "TLSv1.3" */
    char cipher[64];
    int handshake_failed;   /* the chain was read, then the server aborted (e.g. it
                               demanded a client certificate); reason in note */
    char note[256];
    size_t first_entry;     /* store entries [first_entry, first_entry + count) */
    size_t count;
} psc_fetch_result;

/* Split target into host and port (default "443").  PSC_EUSAGE on nonsense. */
int psc_fetch_parse_target(const char *target, char *host, size_t hostlen, char *port,
                           size_t portlen, psc_err *e);

/* Connect, handshake, store the presented chain.  Every failure (DNS,
 * connect, timeout, handshake without a certificate) is PSC_EINPUT with one
 * line naming HOST:PORT and what to try. */
int psc_fetch_chain(psc_store *st, const psc_fetch_opts *opts, psc_fetch_result *res,
                    psc_err *e);

/* The caIssuers URL of c's Authority Information Access (where to download
 * its issuer), or 0 when it has none. */
int psc_cert_ca_issuers_url(const psc_cert *c, char *out, size_t n);

#endif
