/* Live looks at one TLS endpoint: the chain and CertificateRequest without a
 * client certificate, then the mutual handshake and one request with it. */
#include "tlsprobe.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <openssl/err.h>

#define MAX_REDIRECTS 3
#define MAX_ANSWER 16384
#define HEAD_ANSWER_MS 3000   /* a HEAD unanswered this long counts as refused: some servers
                                 (openssl s_server -www among them) never answer one */

int psc_url_parse(const char *url, psc_url *u, psc_err *e)
{
    memset(u, 0, sizeof *u);
    if (url == NULL || strncasecmp(url, "https://", 8) != 0)
        return psc_fail(e, PSC_EUSAGE, "url '%s': write https://HOST[:PORT][/PATH]",
                        url ? url : "");
    const char *auth = url + 8;
    size_t an = strcspn(auth, "/?#");
    char hp[300];
    if (an == 0 || an >= sizeof hp)
        return psc_fail(e, PSC_EUSAGE, "url '%s': no host", url);
    memcpy(hp, auth, an);
    hp[an] = '\0';
    if (strchr(hp, '@') != NULL)
        return psc_fail(e, PSC_EUSAGE,
                        "url https://%s: user names and passwords in the URL are not sent; "
                        "remove them (probe authenticates with the client certificate only)",
                        strchr(hp, '@') + 1);
    if (psc_fetch_parse_target(hp, u->host, sizeof u->host, u->port, sizeof u->port, e) != PSC_OK)
        return psc_fail(e, PSC_EUSAGE, "url '%s': write https://HOST[:PORT][/PATH]", url);
    const char *path = auth + an;
    size_t pn = strcspn(path, "#");
    if (pn + 2 > sizeof u->path)
        return psc_fail(e, PSC_EUSAGE, "url '%s': path too long", url);
    for (size_t i = 0; i < pn; i++)
        if ((unsigned char)path[i] <= ' ' || path[i] == 0x7f)
            return psc_fail(e, PSC_EUSAGE, "url '%s': spaces or control characters in the path",
                            url);
    if (pn == 0 || path[0] != '/')
        u->path[0] = '/';
    memcpy(u->path + strlen(u->path), path, pn);
    return PSC_OK;
}

static int is_ip_literal(const char *host)
{
    unsigned char tmp[16];
    return inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
}

/* Connect (maybe via the proxy) and set up an SSL with SNI on the socket. */
static int open_tls(const psc_url *u, const psc_proxy *px, long long deadline, SSL_CTX *ctx,
                    SSL **ssl_out, int *fd_out, char *addr, size_t addrlen, psc_err *e)
{
    int rc = psc_tcp_connect(u->host, u->port, px, deadline, fd_out, addr, addrlen, e);
    if (rc != PSC_OK)
        return rc;
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL || !SSL_set_fd(ssl, *fd_out) ||
        (!is_ip_literal(u->host) && !SSL_set_tlsext_host_name(ssl, u->host))) {
        SSL_free(ssl);
        close(*fd_out);
        *fd_out = -1;
        rc = psc_fail(e, PSC_EINPUT, "%s:%s: cannot set up TLS", u->host, u->port);
        psc_err_add_openssl(e);
        return rc;
    }
    *ssl_out = ssl;
    return PSC_OK;
}

static void last_ssl_reason(char *out, size_t n)
{
    unsigned long code = ERR_peek_last_error();
    const char *why = code ? ERR_reason_error_string(code) : NULL;
    snprintf(out, n, "%s", why ? why : "connection closed during the handshake");
    ERR_clear_error();
}

/* ---- the look without a client certificate ---- */

static int note_request(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    psc_tls_look *l = SSL_get_app_data(ssl);
    l->cert_requested = 1;
    const STACK_OF(X509_NAME) *names = SSL_get0_peer_CA_list(ssl);
    if (names != NULL && l->ca_names == NULL)
        l->ca_names = sk_X509_NAME_deep_copy(names, X509_NAME_dup, X509_NAME_free);
    (void)x509;
    (void)pkey;
    return 0; /* send no certificate */
}

int psc_tls_look_at(const psc_url *u, const psc_proxy *px, int timeout_ms, psc_tls_look *out,
                    psc_err *e)
{
    memset(out, 0, sizeof *out);
    long long deadline = psc_tls_now_ms() + (timeout_ms > 0 ? timeout_ms : 10000);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return psc_fail(e, PSC_EINPUT, "cannot set up TLS");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_security_level(ctx, 0); /* look at weak chains too: the checks judge them */
    SSL_CTX_set_client_cert_cb(ctx, note_request);
    SSL *ssl = NULL;
    int fd = -1;
    int rc = open_tls(u, px, deadline, ctx, &ssl, &fd, out->address, sizeof out->address, e);
    if (rc != PSC_OK) {
        SSL_CTX_free(ctx);
        return rc;
    }
    SSL_set_app_data(ssl, out);
    int hs = psc_tls_handshake(ssl, fd, deadline);
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    if (chain == NULL || sk_X509_num(chain) == 0) {
        char why[200];
        if (hs == -1)
            snprintf(why, sizeof why, "no handshake within the timeout");
        else
            last_ssl_reason(why, sizeof why);
        rc = psc_fail(e, PSC_EINPUT, "%s:%s: TLS handshake failed (%s); is it a TLS port?",
                      u->host, u->port, why);
    } else {
        out->chain = X509_chain_up_ref(chain);
        if (hs == 1)
            snprintf(out->protocol, sizeof out->protocol, "%s", SSL_get_version(ssl));
        if (out->chain == NULL)
            rc = psc_fail(e, PSC_EINPUT, "out of memory");
    }
    if (hs == 1)
        (void)SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    ERR_clear_error();
    return rc;
}

void psc_tls_look_free(psc_tls_look *l)
{
    if (l == NULL)
        return;
    sk_X509_pop_free(l->chain, X509_free);
    sk_X509_NAME_pop_free(l->ca_names, X509_NAME_free);
    l->chain = NULL;
    l->ca_names = NULL;
}

/* ---- the mutual handshake and one request ---- */

static void note_alert(const SSL *ssl, int where, int ret)
{
    psc_tls_call *c = SSL_get_app_data(ssl);
    if ((where & SSL_CB_READ_ALERT) == SSL_CB_READ_ALERT && (ret & 0xff) != SSL_AD_CLOSE_NOTIFY &&
        c->alert[0] == '\0')
        snprintf(c->alert, sizeof c->alert, "%s", SSL_alert_desc_string_long(ret));
}

/* Write all of buf; 0 on failure (alert or reason noted by the caller). */
static int ssl_write_all(SSL *ssl, int fd, const char *buf, size_t len, long long deadline)
{
    size_t off = 0;
    while (off < len) {
        size_t w = 0;
        if (SSL_write_ex(ssl, buf + off, len - off, &w)) {
            off += w;
            continue;
        }
        int err = SSL_get_error(ssl, 0);
        short ev = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (ev == 0 || !psc_tls_wait(fd, ev, deadline))
            return 0;
    }
    return 1;
}

/* Read the answer's header (up to the blank line, or what came before the
 * close).  Returns the bytes read; *failed when TLS failed rather than closed. */
static size_t ssl_read_head(SSL *ssl, int fd, char *buf, size_t cap, long long deadline,
                            int *failed)
{
    size_t n = 0;
    *failed = 0;
    while (n + 1 < cap) {
        size_t r = 0;
        if (SSL_read_ex(ssl, buf + n, cap - 1 - n, &r)) {
            n += r;
            buf[n] = '\0';
            if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n") != NULL)
                break;
            continue;
        }
        int err = SSL_get_error(ssl, 0);
        if (err == SSL_ERROR_ZERO_RETURN)
            break;
        short ev = err == SSL_ERROR_WANT_READ ? POLLIN : err == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (ev == 0 || !psc_tls_wait(fd, ev, deadline)) {
            *failed = 1;
            break;
        }
    }
    buf[n] = '\0';
    return n;
}

/* The value of header `name` in head (case-insensitive), or "". */
static void header_value(const char *head, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *p = strchr(head, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        const char *h = p + 1;
        if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            h += nl + 1;
            h += strspn(h, " \t");
            size_t l = strcspn(h, "\r\n");
            if (l >= n)
                l = n - 1;
            for (size_t i = 0; i < l; i++) /* the server's bytes: printable only */
                out[i] = (unsigned char)h[i] < 0x20 || h[i] == 0x7f ? '?' : h[i];
            out[l] = '\0';
            return;
        }
    }
}

/* One connection: handshake, `method path`, status.  Returns PSC_EINPUT when unreachable. */
static int one_request(const psc_url *u, const char *path, const char *method,
                       const psc_proxy *px, int timeout_ms, SSL_CTX *ctx, psc_tls_call *out,
                       psc_err *e)
{
    long long deadline = psc_tls_now_ms() + (timeout_ms > 0 ? timeout_ms : 10000);
    SSL *ssl = NULL;
    int fd = -1;
    char addr[64];
    int rc = open_tls(u, px, deadline, ctx, &ssl, &fd, addr, sizeof addr, e);
    if (rc != PSC_OK)
        return rc;
    SSL_set_app_data(ssl, out);
    out->alert[0] = out->tls_error[0] = out->location[0] = '\0';
    out->http_status = 0;
    out->handshake_ok = 0;
    snprintf(out->method, sizeof out->method, "%s", method);
    snprintf(out->path, sizeof out->path, "%s", path);
    int hs = psc_tls_handshake(ssl, fd, deadline);
    if (hs != 1) {
        if (hs == -1)
            snprintf(out->tls_error, sizeof out->tls_error, "no handshake within the timeout");
        else
            last_ssl_reason(out->tls_error, sizeof out->tls_error);
        goto done;
    }
    out->handshake_ok = 1;
    char req[1600];
    int is443 = strcmp(u->port, "443") == 0, v6 = strchr(u->host, ':') != NULL;
    int len = snprintf(req, sizeof req,
                       "%s %s HTTP/1.1\r\nHost: %s%s%s%s%s\r\nUser-Agent: pseconv/" PSECONV_VERSION
                       " (probe)\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                       method, path, v6 ? "[" : "", u->host, v6 ? "]" : "", is443 ? "" : ":",
                       is443 ? "" : u->port);
    char *ans = malloc(MAX_ANSWER);
    if (ans == NULL) {
        rc = psc_fail(e, PSC_EINPUT, "out of memory");
        goto done;
    }
    int failed = 0;
    if (len < 0 || (size_t)len >= sizeof req ||
        !ssl_write_all(ssl, fd, req, (size_t)len, deadline)) {
        failed = 1;
        ans[0] = '\0';
    } else {
        long long until = deadline;
        if (strcmp(method, "HEAD") == 0 && psc_tls_now_ms() + HEAD_ANSWER_MS < until)
            until = psc_tls_now_ms() + HEAD_ANSWER_MS;
        (void)ssl_read_head(ssl, fd, ans, MAX_ANSWER, until, &failed);
    }
    int status = 0;
    if (sscanf(ans, "HTTP/%*d.%*d %d", &status) == 1 && status >= 100 && status <= 999) {
        out->http_status = status;
        if (status / 100 == 3)
            header_value(ans, "Location", out->location, sizeof out->location);
    } else if (failed || ans[0] == '\0') {
        last_ssl_reason(out->tls_error, sizeof out->tls_error);
        if (!failed)
            snprintf(out->tls_error, sizeof out->tls_error, "the server closed the connection "
                                                            "without an answer");
    }
    free(ans);
    if (!failed)
        (void)SSL_shutdown(ssl);
done:
    SSL_free(ssl);
    close(fd);
    ERR_clear_error();
    return rc;
}

/* Same host and port as u?  Fills path from an absolute or host-relative Location. */
static int same_host_path(const psc_url *u, const char *location, char *path, size_t n)
{
    if (location[0] == '/' && location[1] != '/') {
        snprintf(path, n, "%s", location);
        return strlen(location) < n;
    }
    psc_url to;
    psc_err ignore = {0};
    if (psc_url_parse(location, &to, &ignore) != PSC_OK)
        return 0;
    if (strcasecmp(to.host, u->host) != 0 || strcmp(to.port, u->port) != 0)
        return 0;
    snprintf(path, n, "%s", to.path);
    return 1;
}

int psc_tls_call_with(const psc_url *u, const psc_proxy *px, int timeout_ms, X509 *cert,
                      STACK_OF(X509) *extra, EVP_PKEY *key, psc_tls_call *out, psc_err *e)
{
    memset(out, 0, sizeof *out);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return psc_fail(e, PSC_EINPUT, "cannot set up TLS");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* trust was judged from the look */
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_info_callback(ctx, note_alert);
    int ok = SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    for (int i = 0; ok && extra && i < sk_X509_num(extra); i++)
        ok = SSL_CTX_add1_chain_cert(ctx, sk_X509_value(extra, i)) == 1;
    if (!ok) {
        int rc = psc_fail(e, PSC_EINPUT, "cannot use the client certificate and key");
        psc_err_add_openssl(e);
        SSL_CTX_free(ctx);
        return rc;
    }
    psc_url cur = *u;
    const char *method = "HEAD";
    int rc = PSC_OK;
    for (int hops = 0; rc == PSC_OK; hops++) {
        rc = one_request(&cur, cur.path, method, px, timeout_ms, ctx, out, e);
        if (rc != PSC_OK || !out->handshake_ok || out->alert[0])
            break;
        /* HEAD refused (or no answer to it): ask again with GET */
        int s = out->http_status;
        if (strcmp(method, "HEAD") == 0 && (s == 0 || s == 400 || s == 405 || s == 501)) {
            method = "GET";
            continue;
        }
        if (s / 100 != 3 || out->location[0] == '\0')
            break;
        char next[sizeof cur.path];
        if (hops >= MAX_REDIRECTS || !same_host_path(&cur, out->location, next, sizeof next)) {
            out->redirect_off_host = hops < MAX_REDIRECTS;
            break;
        }
        snprintf(cur.path, sizeof cur.path, "%s", next);
    }
    SSL_CTX_free(ctx);
    return rc;
}
