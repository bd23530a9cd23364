/* pseconv probe: check each hop live, with the client's own trust and
 * identity as the landscape gives them, and say what fails in plan terms.
 *
 * Per hop CLIENT -> SERVER whose server has a `url` (probe.c):
 *   1. server-trust: the chain the server presents, verified against the
 *      client's trust (its current-state PSE/keystore for the target the
 *      plan imports into, else the plan's imports); a root that differs from
 *      the landscape's server_chain file is a rotation (server-chain-changed);
 *   2. client-ca: the CA names of the server's CertificateRequest vs the
 *      client's certificate chain;
 *   3. handshake / http: with the client's private key, the mutual handshake
 *      and one request (tlsprobe.c): TLS alerts, HTTP 401/403, off-host
 *      redirects fail; other answers mean the certificate was accepted.
 * Every failure names the plan step (psc_step) that fixes it, found through
 * the planner's steps (system, owner, action), never re-derived. */
#ifndef PSC_PROBE_H
#define PSC_PROBE_H

#include "plan_types.h"

typedef enum psc_hop_status {
    PSC_HOP_OK = 0,
    PSC_HOP_FAILS,
    PSC_HOP_UNREACHABLE,
    PSC_HOP_SKIPPED          /* the server has no url */
} psc_hop_status;
const char *psc_hop_status_name(psc_hop_status s); /* "ok", "fails", "unreachable", "skipped" */

typedef struct psc_probe_failure {
    const char *check;       /* "server-trust", "server-chain-changed", "client-ca",
                                "handshake", "http" */
    char *reason;
    const char *rule;        /* step id ("R2"), NULL when no step fixes it */
    const psc_system *where; /* the system the step is done in, may be NULL */
    char file[320];          /* "ERP/01-strust-...crt" (export bundle), or the landscape
                                file to refresh; "" = none */
} psc_probe_failure;

typedef struct psc_hop_probe {
    const psc_system *client, *server;
    psc_auth auth;
    psc_hop_status status;
    char *message;           /* unreachable / skipped: why */
    char address[64];
    char protocol[16];
    psc_cert **chain;        /* what the server presented (probe's store), leaf first */
    size_t nchain;
    int cert_requested;
    char **ca_names;         /* acceptable client CA names the server sent */
    size_t nca_names;
    int mutual_tried;        /* a private key was there and the mutual handshake ran */
    int http_status;         /* 0 = none */
    char method[8];
    char tls_alert[64];
    psc_probe_failure *failures;
    size_t nfailures;
    char **notes;
    size_t nnotes;
} psc_hop_probe;

typedef struct psc_probe {
    const psc_plan *plan;
    psc_store *live;         /* the presented chains */
    psc_hop_probe *hops;
    size_t nhops;
} psc_probe;

typedef struct psc_probe_opts {
    const char *hop;         /* "ERP->HCI" (spaces allowed), NULL = every hop */
    int timeout_ms;          /* per connection; <= 0: 10 s */
    const char *proxy;       /* NULL = HTTPS_PROXY, "" = none, else http://HOST:PORT */
} psc_probe_opts;

/* Probe the plan's hops.  PSC_EUSAGE: --hop names no hop, bad proxy;
 * PSC_EINPUT: no server with a url (among the chosen hops). */
int psc_probe_run(const psc_plan *p, const psc_probe_opts *o, psc_probe **out, psc_err *e);
void psc_probe_free(psc_probe *pr);
/* 1 when a hop fails, else 3 when a hop was unreachable, else 0. */
int psc_probe_exit_code(const psc_probe *pr);


#endif
