/* Fetch a server's certificate chain: resolve, connect and handshake inside
 * one deadline, then keep what the server presented. */
#include "tlsfetch.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(long long deadline)
{
    long long r = deadline - now_ms();
    return r <= 0 ? 0 : (r > 0x7fffffff ? 0x7fffffff : (int)r);
}

int psc_fetch_parse_target(const char *target, char *host, size_t hostlen, char *port,
                           size_t portlen, psc_err *e)
{
    const char *h = target, *p = NULL;
    size_t hl;
    if (target == NULL || *target == '\0')
        return psc_fail(e, PSC_EUSAGE, "no server given (HOST[:PORT])");
    /* a URL as copied from a browser: scheme, host, port; the path is ignored */
    char hostport[300];
    const char *scheme_end = strstr(target, "://");
    if (scheme_end != NULL) {
        const char *a = scheme_end + 3;
        size_t n = strcspn(a, "/?#");
        const char *at = memchr(a, '@', n); /* user info: not part of the address */
        if (at != NULL) {
            n -= (size_t)(at + 1 - a);
            a = at + 1;
        }
        if (n == 0 || n >= sizeof hostport)
            return psc_fail(e, PSC_EUSAGE, "%s: no host in the URL", target);
        memcpy(hostport, a, n);
        hostport[n] = '\0';
        target = hostport;
        h = target;
    }
    if (*target == '[') {
        const char *close = strchr(target, ']');
        if (close == NULL || (close[1] != '\0' && close[1] != ':'))
            return psc_fail(e, PSC_EUSAGE, "%s: write an IPv6 address as [ADDR]:PORT", target);
        h = target + 1;
        hl = (size_t)(close - h);
        p = close[1] == ':' ? close + 2 : NULL;
    } else {
        const char *colon = strchr(target, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            hl = strlen(target); /* bare IPv6 address, default port */
        } else {
            hl = colon ? (size_t)(colon - target) : strlen(target);
            p = colon ? colon + 1 : NULL;
        }
    }
    if (hl == 0 || hl >= hostlen)
        return psc_fail(e, PSC_EUSAGE, "%s: not a host name", target);
    for (size_t i = 0; i < hl; i++)
        if ((unsigned char)h[i] <= ' ' || h[i] == '/' || h[i] == '@')
            return psc_fail(e, PSC_EUSAGE, "%s: not a host name (give HOST[:PORT], not a URL)",
                            target);
    memcpy(host, h, hl);
    host[hl] = '\0';
    if (p == NULL)
        p = "443";
    char *end = NULL;
    long v = strtol(p, &end, 10);
    if (*p == '\0' || *end != '\0' || v < 1 || v > 65535 || strlen(p) >= portlen)
        return psc_fail(e, PSC_EUSAGE, "%s: the port must be a number from 1 to 65535", target);
    snprintf(port, portlen, "%ld", v);
    return PSC_OK;
}

/* Name resolution bounded by the deadline (getaddrinfo_a: glibc >= 2.34 has it in libc). */
static int resolve(const char *host, const char *port, long long deadline, struct addrinfo **out,
                   psc_err *e)
{
    static struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    struct gaicb *req = calloc(1, sizeof *req);
    if (req == NULL)
        return psc_fail(e, PSC_EINPUT, "%s: out of memory", host);
    req->ar_name = host;
    req->ar_service = port;
    req->ar_request = &hints;
    struct gaicb *list[1] = {req};
    int rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
    if (rc != 0) {
        free(req);
        return psc_fail(e, PSC_EINPUT, "cannot resolve %s: %s", host, gai_strerror(rc));
    }
    for (;;) {
        int left = remaining(deadline);
        struct timespec ts = {left / 1000, (long)(left % 1000) * 1000000L};
        int s = gai_suspend((const struct gaicb *const *)list, 1, &ts);
        rc = gai_error(req);
        if (rc != EAI_INPROGRESS)
            break;
        if (s == EAI_AGAIN || remaining(deadline) == 0) {
            if (gai_cancel(req) == EAI_CANCELED)
                free(req);
            /* else the resolver thread still owns req: leave it (we exit soon) */
            return psc_fail(e, PSC_EINPUT,
                            "cannot resolve %s: no answer within the timeout; check the name and "
                            "your DNS, or try a larger --timeout",
                            host);
        }
    }
    if (rc != 0) {
        free(req);
        return psc_fail(e, PSC_EINPUT, "cannot resolve %s: %s; check the host name", host,
                        gai_strerror(rc));
    }
    *out = req->ar_result;
    free(req);
    return PSC_OK;
}

static void numeric_address(const struct addrinfo *ai, char *out, size_t n)
{
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)n, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, n, "?");
}

/* Non-blocking connect to each address in turn until one answers or time runs out. */
static int connect_any(const struct addrinfo *list, const char *hp, long long deadline, int *fd_out,
                       char *addr, size_t addrlen, psc_err *e)
{
    int last_err = 0, timed_out = 0;
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_err = errno;
            continue;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
            last_err = errno;
            close(fd);
            continue;
        }
        int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (r != 0 && errno == EINPROGRESS) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            int pr;
            do
                pr = poll(&pfd, 1, remaining(deadline));
            while (pr < 0 && errno == EINTR);
            if (pr == 0) {
                timed_out = 1;
                close(fd);
                break;
            }
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (pr < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
                soerr = errno;
            r = soerr == 0 ? 0 : -1;
            errno = soerr;
        }
        if (r == 0) {
            numeric_address(ai, addr, addrlen);
            *fd_out = fd;
            return PSC_OK;
        }
        last_err = errno;
        close(fd);
        if (remaining(deadline) == 0) {
            timed_out = 1;
            break;
        }
    }
    if (timed_out)
        return psc_fail(e, PSC_EINPUT,
                        "cannot connect to %s: no answer within the timeout; check the address "
                        "and firewalls, or try a larger --timeout",
                        hp);
    return psc_fail(e, PSC_EINPUT, "cannot connect to %s: %s; check the host name and port", hp,
                    strerror(last_err ? last_err : ECONNREFUSED));
}

/* Drive SSL_connect on the non-blocking socket until done, failed or late.
 * Returns 1 done, 0 failed (OpenSSL error queue set), -1 timed out. */
static int handshake(SSL *ssl, int fd, long long deadline)
{
    for (;;) {
        ERR_clear_error();
        int r = SSL_connect(ssl);
        if (r == 1)
            return 1;
        int err = SSL_get_error(ssl, r);
        short ev;
        if (err == SSL_ERROR_WANT_READ)
            ev = POLLIN;
        else if (err == SSL_ERROR_WANT_WRITE)
            ev = POLLOUT;
        else
            return 0;
        struct pollfd pfd = {fd, ev, 0};
        int pr;
        do
            pr = poll(&pfd, 1, remaining(deadline));
        while (pr < 0 && errno == EINTR);
        if (pr == 0)
            return -1;
        if (pr < 0)
            return 0;
    }
}

static void ssl_reason(char *out, size_t n)
{
    unsigned long code = ERR_peek_last_error();
    const char *why = code ? ERR_reason_error_string(code) : NULL;
    snprintf(out, n, "%s", why ? why : "connection closed during the handshake");
    ERR_clear_error();
}

static int is_ip_literal(const char *host)
{
    unsigned char tmp[16];
    return inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
}

static int store_chain(psc_store *st, STACK_OF(X509) *chain, const char *hp,
                       psc_fetch_result *res, psc_err *e)
{
    res->first_entry = psc_store_entry_count(st);
    int n = sk_X509_num(chain);
    for (int i = 0; i < n; i++) {
        psc_cert *c = psc_store_add_x509(st, sk_X509_value(chain, i), hp, e);
        if (c == NULL)
            return e->code ? e->code : PSC_EINPUT;
        /* alias from the CN (like keytool's -importcert habit), unique */
        char alias[72], base[64];
        const char *cn = strstr(c->subject, "CN=");
        size_t k = 0;
        for (const char *q = cn ? cn + 3 : ""; *q && *q != ',' && k + 1 < sizeof base; q++)
            base[k++] = *q;
        base[k] = '\0';
        if (k == 0)
            snprintf(base, sizeof base, "cert-%d", i + 1);
        snprintf(alias, sizeof alias, "%s", base);
        for (int d = 2; psc_store_find_alias(st, alias) != NULL && d < 10000; d++)
            snprintf(alias, sizeof alias, "%s-%d", base, d);
        psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, alias, hp, "tls", (size_t)i);
        if (en == NULL || psc_entry_push_cert(en, c) != 0)
            return psc_fail(e, PSC_EINPUT, "%s: out of memory", hp);
        res->count++;
    }
    return PSC_OK;
}

int psc_fetch_chain(psc_store *st, const psc_fetch_opts *opts, psc_fetch_result *res,
                    psc_err *e)
{
    memset(res, 0, sizeof *res);
    int rc = psc_fetch_parse_target(opts->target, res->host, sizeof res->host, res->port,
                                    sizeof res->port, e);
    if (rc != PSC_OK)
        return rc;
    char hp[300];
    snprintf(hp, sizeof hp, strchr(res->host, ':') ? "[%s]:%s" : "%s:%s", res->host, res->port);
    long long deadline = now_ms() + (opts->timeout_ms > 0 ? opts->timeout_ms : 10000);

    psc_proxy proxy;
    if ((rc = psc_proxy_choose(opts->proxy, res->host, &proxy, e)) != PSC_OK)
        return rc;
    int fd = -1;
    rc = psc_tcp_connect(res->host, res->port, &proxy, deadline, &fd, res->address,
                         sizeof res->address, e);
    if (rc != PSC_OK)
        return rc;

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = ctx ? SSL_new(ctx) : NULL;
    if (ssl == NULL) {
        rc = psc_fail(e, PSC_EINPUT, "%s: cannot set up TLS", hp);
        psc_err_add_openssl(e);
        goto out;
    }
    /* We only look: no verification, and level 0 so weak chains are still
     * fetched (verify and plan report them). */
    SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
    SSL_set_security_level(ssl, 0);
    const char *sni = opts->servername ? opts->servername
                                       : (is_ip_literal(res->host) ? "" : res->host);
    if (*sni != '\0' && !SSL_set_tlsext_host_name(ssl, sni)) {
        rc = psc_fail(e, PSC_EUSAGE, "%s: invalid server name '%s' for --servername", hp, sni);
        goto out;
    }
    if (!SSL_set_fd(ssl, fd)) {
        rc = psc_fail(e, PSC_EINPUT, "%s: cannot set up TLS", hp);
        goto out;
    }
    int hs = handshake(ssl, fd, deadline);
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
    if (hs == -1 && (chain == NULL || sk_X509_num(chain) == 0)) {
        rc = psc_fail(e, PSC_EINPUT,
                      "%s: connected, but the TLS handshake did not finish within the timeout; "
                      "is it a TLS port? try a larger --timeout",
                      hp);
        goto out;
    }
    if (hs != 1) {
        char why[200];
        if (hs == -1)
            snprintf(why, sizeof why, "timed out after the certificates were received");
        else
            ssl_reason(why, sizeof why);
        if (chain == NULL || sk_X509_num(chain) == 0) {
            rc = psc_fail(e, PSC_EINPUT,
                          "%s: TLS handshake failed (%s); is it a TLS port? for a proxy or a "
                          "virtual host try --servername NAME",
                          hp, why);
            goto out;
        }
        res->handshake_failed = 1;
        snprintf(res->note, sizeof res->note, "%s", why);
    } else {
        snprintf(res->protocol, sizeof res->protocol, "%s", SSL_get_version(ssl));
        const char *cn = SSL_get_cipher_name(ssl);
        snprintf(res->cipher, sizeof res->cipher, "%s", cn ? cn : "");
    }
    rc = store_chain(st, chain, hp, res, e);
    if (hs == 1)
        (void)SSL_shutdown(ssl); /* one non-blocking close_notify, best effort */
out:
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    if (fd >= 0)
        close(fd);
    ERR_clear_error();
    return rc;
}

int psc_cert_ca_issuers_url(const psc_cert *c, char *out, size_t n)
{
    X509 *x = psc_cert_x509(c);
    AUTHORITY_INFO_ACCESS *aia = x ? X509_get_ext_d2i(x, NID_info_access, NULL, NULL) : NULL;
    int found = 0;
    for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia) && !found; i++) {
        ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
        if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers || ad->location->type != GEN_URI)
            continue;
        const ASN1_IA5STRING *uri = ad->location->d.uniformResourceIdentifier;
        int len = ASN1_STRING_length(uri);
        const unsigned char *p = ASN1_STRING_get0_data(uri);
        if (len <= 0 || (size_t)len >= n)
            continue;
        for (int j = 0; j < len; j++)
            out[j] = (p[j] >= 0x21 && p[j] < 0x7f) ? (char)p[j] : '?';
        out[len] = '\0';
        found = 1;
    }
    AUTHORITY_INFO_ACCESS_free(aia);
    return found;
}

/* ---- connecting, directly or through an HTTP CONNECT proxy (shared with probe) ---- */

long long psc_tls_now_ms(void) { return now_ms(); }

int psc_tls_handshake(SSL *ssl, int fd, long long deadline) { return handshake(ssl, fd, deadline); }

int psc_tls_wait(int fd, short ev, long long deadline)
{
    struct pollfd pfd = {fd, ev, 0};
    int pr;
    do
        pr = poll(&pfd, 1, remaining(deadline));
    while (pr < 0 && errno == EINTR);
    return pr > 0;
}

int psc_proxy_parse(const char *url, psc_proxy *p, psc_err *e)
{
    memset(p, 0, sizeof *p);
    const char *hp = url;
    if (strncmp(url, "http://", 7) == 0)
        hp = url + 7;
    else if (strstr(url, "://") != NULL)
        return psc_fail(e, PSC_EUSAGE,
                        "proxy '%s': only http://HOST:PORT proxies (HTTP CONNECT) are supported",
                        url);
    char buf[300];
    size_t n = strcspn(hp, "/");
    if (n >= sizeof buf || (hp[n] == '/' && hp[n + 1] != '\0'))
        return psc_fail(e, PSC_EUSAGE, "proxy '%s': give http://HOST:PORT (no path)", url);
    memcpy(buf, hp, n);
    buf[n] = '\0';
    if (strchr(buf, '@') != NULL)
        return psc_fail(e, PSC_EUSAGE,
                        "proxy: user:password@ in the proxy URL is not supported (pseconv sends "
                        "no credentials but the client certificate); use a proxy that allows "
                        "this host without logon");
    const char *close = strrchr(buf, ']');
    const char *colon = strrchr(close ? close : buf, ':');
    if (colon == NULL || colon[1] == '\0')
        return psc_fail(e, PSC_EUSAGE, "proxy '%s': give the port (http://HOST:PORT)", url);
    return psc_fetch_parse_target(buf, p->host, sizeof p->host, p->port, sizeof p->port, e) ==
                   PSC_OK
               ? PSC_OK
               : psc_fail(e, PSC_EUSAGE, "proxy '%s': give http://HOST:PORT", url);
}

/* NO_PROXY: "*", or names; an entry matches the host itself and its subdomains. */
static int no_proxy_covers(const char *list, const char *host)
{
    size_t hl = strlen(host);
    while (list && *list) {
        size_t n = strcspn(list, ", ");
        const char *ent = list;
        if (n > 0 && ent[0] == '.') {
            ent++;
            n--;
        }
        if (n == 1 && ent[0] == '*')
            return 1;
        if (n > 0 && hl >= n && strncasecmp(host + hl - n, ent, n) == 0 &&
            (hl == n || host[hl - n - 1] == '.'))
            return 1;
        list += strcspn(list, ", ");
        list += strspn(list, ", ");
    }
    return 0;
}

int psc_proxy_choose(const char *given, const char *host, psc_proxy *p, psc_err *e)
{
    memset(p, 0, sizeof *p);
    if (given != NULL)
        return *given ? psc_proxy_parse(given, p, e) : PSC_OK;
    const char *env = getenv("HTTPS_PROXY");
    if (env == NULL || *env == '\0')
        env = getenv("https_proxy");
    if (env == NULL || *env == '\0')
        return PSC_OK;
    const char *np = getenv("NO_PROXY");
    if (np == NULL || *np == '\0')
        np = getenv("no_proxy");
    if (no_proxy_covers(np, host))
        return PSC_OK;
    psc_err pe = {0};
    if (psc_proxy_parse(env, p, &pe) != PSC_OK)
        return psc_fail(e, PSC_EUSAGE, "HTTPS_PROXY: %s", pe.msg);
    return PSC_OK;
}

/* Send CONNECT and read the proxy's answer header byte by byte (nothing of
 * the TLS stream may be consumed). */
static int proxy_connect(int fd, const char *host, const char *port, const psc_proxy *px,
                         long long deadline, psc_err *e)
{
    char req[700];
    char hp[300];
    if (strchr(host, ':'))
        snprintf(hp, sizeof hp, "[%s]:%s", host, port);
    else
        snprintf(hp, sizeof hp, "%s:%s", host, port);
    int len = snprintf(req, sizeof req,
                       "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pseconv/" PSECONV_VERSION
                       "\r\n\r\n",
                       hp, hp);
    for (int off = 0; off < len;) {
        if (!psc_tls_wait(fd, POLLOUT, deadline))
            return psc_fail(e, PSC_EINPUT, "proxy %s:%s: no answer within the timeout", px->host,
                            px->port);
        ssize_t w = send(fd, req + off, (size_t)(len - off), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return psc_fail(e, PSC_EINPUT, "proxy %s:%s: %s", px->host, px->port, strerror(errno));
        off += w > 0 ? (int)w : 0;
    }
    char ans[4096];
    size_t n = 0;
    while (n < 4 || memcmp(ans + n - 4, "\r\n\r\n", 4) != 0) {
        if (n + 1 >= sizeof ans)
            return psc_fail(e, PSC_EINPUT, "proxy %s:%s: answer to CONNECT too long", px->host,
                            px->port);
        if (!psc_tls_wait(fd, POLLIN, deadline))
            return psc_fail(e, PSC_EINPUT,
                            "proxy %s:%s: no answer to CONNECT %s within the timeout", px->host,
                            px->port, hp);
        ssize_t r = recv(fd, ans + n, 1, 0);
        if (r == 0)
            return psc_fail(e, PSC_EINPUT, "proxy %s:%s closed the connection on CONNECT %s",
                            px->host, px->port, hp);
        if (r < 0 && errno != EAGAIN && errno != EINTR)
            return psc_fail(e, PSC_EINPUT, "proxy %s:%s: %s", px->host, px->port, strerror(errno));
        n += r > 0 ? (size_t)r : 0;
    }
    ans[n] = '\0';
    ans[strcspn(ans, "\r\n")] = '\0';
    int status = 0;
    if (sscanf(ans, "HTTP/%*d.%*d %d", &status) != 1 || status / 100 != 2)
        return psc_fail(e, PSC_EINPUT,
                        "proxy %s:%s refused CONNECT %s: %.200s; ask the proxy's admin to allow "
                        "this host and port",
                        px->host, px->port, hp, ans);
    return PSC_OK;
}

int psc_tcp_connect(const char *host, const char *port, const psc_proxy *proxy,
                    long long deadline, int *fd, char *addr, size_t addrlen, psc_err *e)
{
    int via = proxy != NULL && proxy->host[0] != '\0';
    const char *ch = via ? proxy->host : host, *cp = via ? proxy->port : port;
    char hp[300];
    snprintf(hp, sizeof hp, strchr(ch, ':') ? "%s[%s]:%s" : "%s%s:%s", via ? "proxy " : "", ch,
             cp);
    struct addrinfo *ai = NULL;
    int rc = resolve(ch, cp, deadline, &ai, e);
    if (rc != PSC_OK)
        return rc;
    *fd = -1;
    rc = connect_any(ai, hp, deadline, fd, addr, addrlen, e);
    freeaddrinfo(ai);
    if (rc != PSC_OK || !via)
        return rc;
    if ((rc = proxy_connect(*fd, host, port, proxy, deadline, e)) != PSC_OK) {
        close(*fd);
        *fd = -1;
        return rc;
    }
    snprintf(addr, addrlen, "via proxy %.20s:%s", proxy->host, proxy->port);
    return PSC_OK;
}
