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
    const char *proxy;      /* --proxy http://HOST:PORT; NULL = HTTPS_PROXY from the
                               environment (unless NO_PROXY names the host); "" = none */
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

/* ---- connecting, directly or through an HTTP CONNECT proxy -------------
 * Shared with `pseconv probe` (tlsprobe.c).  ERP hosts rarely reach the
 * internet directly, so both commands go through the proxy an admin names
 * (or HTTPS_PROXY).  No proxy credentials are ever sent. */

typedef struct psc_proxy {
    char host[256];          /* "" = connect directly */
    char port[8];
} psc_proxy;

/* "http://HOST:PORT" (a trailing "/" is accepted; "HOST:PORT" alone too).
 * PSC_EUSAGE for https:// proxies, user:password@ and a missing port. */
int psc_proxy_parse(const char *url, psc_proxy *p, psc_err *e);
/* The proxy to use for host: `given` when not NULL ("" = none), else
 * HTTPS_PROXY / https_proxy unless NO_PROXY / no_proxy ("*", or a comma list
 * of names and .domain suffixes) covers host.  An unusable HTTPS_PROXY is PSC_EUSAGE. */
int psc_proxy_choose(const char *given, const char *host, psc_proxy *p, psc_err *e);

long long psc_tls_now_ms(void);
/* Resolve and connect to host:port (or to the proxy, then CONNECT host:port)
 * before deadline (psc_tls_now_ms() + ms).  On success *fd is a non-blocking
 * socket and addr the numeric address that answered ("via proxy H:P" through a
 * proxy).  Failures are PSC_EINPUT with one line naming what to check. */
int psc_tcp_connect(const char *host, const char *port, const psc_proxy *proxy,
                    long long deadline, int *fd, char *addr, size_t addrlen, psc_err *e);
/* Drive SSL_connect on the non-blocking fd: 1 done, 0 failed (OpenSSL error
 * queue set), -1 timed out. */
struct ssl_st;
int psc_tls_handshake(struct ssl_st *ssl, int fd, long long deadline);
/* Wait until fd is readable (ev POLLIN) or writable (POLLOUT): 1 ready, 0 late. */
int psc_tls_wait(int fd, short ev, long long deadline);

#endif
