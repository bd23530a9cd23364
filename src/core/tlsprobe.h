/* Live TLS looks at one endpoint, for `pseconv probe` (the hop logic is in
 * src/plan/probe.c; this module knows nothing of landscapes).
 *
 * Two connections per endpoint:
 * - psc_tls_look: no client certificate; keeps the chain the server presents,
 *   whether it asked for a client certificate and the CA names it sent in the
 *   CertificateRequest.
 * - psc_tls_call: the full mutual handshake with a client key, then one
 *   request (HEAD, GET when HEAD is refused) to the URL's path; keeps the TLS
 *   alert or the HTTP status.  Redirects are followed only on the same
 *   host and port, at most 3; nothing but the client certificate is sent.
 * Both go through the proxy the caller chose (tlsfetch.h). */
#ifndef PSC_TLSPROBE_H
#define PSC_TLSPROBE_H

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "tlsfetch.h"

typedef struct psc_url {
    char host[256];
    char port[8];
    char path[1024];        /* "/" when the URL has none */
} psc_url;

/* "https://HOST[:PORT][/PATH]" -> parts.  PSC_EUSAGE when it is not that. */
int psc_url_parse(const char *url, psc_url *u, psc_err *e);

typedef struct psc_tls_look {
    STACK_OF(X509) *chain;          /* as sent, leaf first (owned) */
    int cert_requested;             /* the server sent a CertificateRequest */
    STACK_OF(X509_NAME) *ca_names;  /* acceptable client CA names (owned), NULL = none sent */
    char address[64];
    char protocol[16];
} psc_tls_look;

/* Connect, handshake without a client certificate, keep what the server
 * showed.  PSC_EINPUT when the server cannot be reached or sends no
 * certificate (the hop is unreachable); a server that aborts after asking
 * for a certificate is fine. */
int psc_tls_look_at(const psc_url *u, const psc_proxy *px, int timeout_ms, psc_tls_look *out,
                    psc_err *e);
void psc_tls_look_free(psc_tls_look *l);

typedef struct psc_tls_call {
    int handshake_ok;       /* the mutual handshake completed */
    char alert[64];         /* TLS alert received from the server ("unknown CA"), "" = none */
    char tls_error[200];    /* when the handshake or the request failed without an alert */
    int http_status;        /* 0 = no HTTP answer */
    char method[8];         /* the request that got http_status: "HEAD" or "GET" */
    char path[1024];        /* the path that got it (after same-host redirects) */
    char location[512];     /* a redirect not followed (other host, or too many) */
    int redirect_off_host;
} psc_tls_call;

/* Mutual handshake with cert (+ extra chain certs, not the root) and key,
 * then the request.  PSC_EINPUT only when the server cannot be reached;
 * every TLS/HTTP outcome is in out. */
int psc_tls_call_with(const psc_url *u, const psc_proxy *px, int timeout_ms, X509 *cert,
                      STACK_OF(X509) *extra, EVP_PKEY *key, psc_tls_call *out, psc_err *e);

#endif
