/* Certificate findings (see lint.h).  Thresholds follow what SAP's own
 * checks and current browsers reject: RSA below 2048 bits, EC below 256,
 * MD5 or SHA-1 signatures. */
#include "lint.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void psc_lint_list_free(psc_lint_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int add(psc_lint_list *l, psc_severity sev, const char *code, const psc_cert *c,
               const char *remedy, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add(psc_lint_list *l, psc_severity sev, const char *code, const psc_cert *c,
               const char *remedy, const char *fmt, ...)
{
    if (psc_grow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items) != 0)
        return -1;
    psc_lint *it = &l->items[l->n++];
    memset(it, 0, sizeof *it);
    it->severity = sev;
    it->code = code;
    it->cert = c;
    it->remedy = remedy;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof it->message, fmt, ap);
    va_end(ap);
    return 0;
}

int psc_lint_has(const psc_lint_list *l, const char *code, const psc_cert *c)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].cert == c && strcmp(l->items[i].code, code) == 0)
            return 1;
    return 0;
}

static const char *short_name(const psc_cert *c)
{
    /* The CN is what people recognise; fall back to the whole subject. */
    const char *cn = strstr(c->subject, "CN=");
    return cn ? cn : c->subject;
}

static int weak_signature(const psc_cert *c)
{
    /* OpenSSL long names: "sha1WithRSAEncryption", "ecdsa-with-SHA1",
     * "md5WithRSAEncryption", "dsaWithSHA1", "sha1WithRSA"... */
    char low[sizeof c->sig_alg];
    size_t i;
    for (i = 0; c->sig_alg[i] && i + 1 < sizeof low; i++)
        low[i] = (char)((c->sig_alg[i] >= 'A' && c->sig_alg[i] <= 'Z') ? c->sig_alg[i] + 32
                                                                         : c->sig_alg[i]);
    low[i] = '\0';
    if (strstr(low, "md5") || strstr(low, "md2") || strstr(low, "md4"))
        return 1;
    const char *p = strstr(low, "sha1");
    if (p && !(p[4] >= '0' && p[4] <= '9'))
        return 1;
    p = strstr(low, "sha-1");
    return p != NULL;
}

#define REMEDY_RENEW \
    "Renew it: in STRUST select the PSE, Create certificate request, have it signed by " \
    "the CA, Import certificate response (SAP-issued certificates: ask SAP for the new one)"
#define REMEDY_WEAK_KEY \
    "Create a new key pair of at least RSA 2048 or EC P-256 (STRUST > PSE > Replace/Create " \
    "with the new algorithm), a certificate request, and import the CA's response"
#define REMEDY_WEAK_SIG \
    "Have the certificate re-issued with a SHA-256 signature (new certificate request to the CA)"
#define REMEDY_EKU \
    "Request the certificate again with the Extended Key Usage the role needs " \
    "(TLS Web Client Authentication for a client, TLS Web Server Authentication for a server)"
#define REMEDY_INVALID_TIME \
    "Have the certificate re-issued: its validity dates are not valid UTCTime/GeneralizedTime " \
    "values, so no TLS peer can check them"
#define REMEDY_INVALID_KEY \
    "Have the certificate re-issued: its public key cannot be loaded, so no peer can verify " \
    "a handshake with it"
#define REMEDY_NOT_YET \
    "Check the system clock; import the certificate only from its validity start"

int psc_lint_cert(psc_lint_list *out, const psc_cert *c, const char *label,
                  const psc_lint_opts *o)
{
    long warn = o->warn_days > 0 ? o->warn_days : 30;
    const char *who = label ? label : "certificate";
    const char *cn = short_name(c);
    char when[21];
    int rc = 0;

    if (c->not_before_invalid || c->not_after_invalid) {
        /* never "expired on 1970-01-01": OpenSSL cannot read the date */
        rc |= add(out, PSC_SEV_ERROR, "invalid-validity", c, REMEDY_INVALID_TIME,
                  "%s %s has an invalid %s%s%s time (OpenSSL: Bad time value)", who, cn,
                  c->not_before_invalid ? "notBefore" : "",
                  c->not_before_invalid && c->not_after_invalid ? " and " : "",
                  c->not_after_invalid ? "notAfter" : "");
    } else if (o->now > c->not_after) {
        psc_time_rfc3339(c->not_after, when);
        rc |= add(out, PSC_SEV_ERROR, "expired", c, REMEDY_RENEW, "%s %s expired on %s", who,
                  cn, when);
    } else if (o->now < c->not_before) {
        psc_time_rfc3339(c->not_before, when);
        rc |= add(out, PSC_SEV_ERROR, "not-yet-valid", c, REMEDY_NOT_YET,
                  "%s %s is not valid before %s", who, cn, when);
    } else {
        long days = psc_days_left(c->not_after, o->now);
        if (days <= warn) {
            psc_time_rfc3339(c->not_after, when);
            rc |= add(out, PSC_SEV_WARNING, "expires-soon", c, REMEDY_RENEW,
                      "%s %s expires on %s (%ld days left, warn_days %ld)", who, cn, when, days,
                      warn);
        }
    }

    if (c->key_invalid)
        rc |= add(out, PSC_SEV_ERROR, "invalid-key", c, REMEDY_INVALID_KEY,
                  "%s %s has an invalid %s public key%s (OpenSSL cannot load it)", who, cn,
                  c->key_type, strcmp(c->key_type, "EC") == 0 ? " (the point is not on the curve)" : "");
    else if (strcmp(c->key_type, "RSA") == 0 && c->key_bits < 2048)
        rc |= add(out, PSC_SEV_WARNING, "weak-key", c, REMEDY_WEAK_KEY,
                  "%s %s has a weak key: RSA %d (at least 2048 needed)", who, cn, c->key_bits);
    else if (strcmp(c->key_type, "EC") == 0 && c->key_bits < 256)
        rc |= add(out, PSC_SEV_WARNING, "weak-key", c, REMEDY_WEAK_KEY,
                  "%s %s has a weak key: EC %d bits (at least 256 needed)", who, cn, c->key_bits);
    else if (strcmp(c->key_type, "DSA") == 0)
        rc |= add(out, PSC_SEV_WARNING, "weak-key", c, REMEDY_WEAK_KEY,
                  "%s %s has a DSA key (not accepted for TLS by current SAP systems)", who, cn);

    /* A root's self-signature is never checked by a peer: SHA-1 roots are fine. */
    if (!c->self_signed && weak_signature(c))
        rc |= add(out, PSC_SEV_WARNING, "weak-signature", c, REMEDY_WEAK_SIG,
                  "%s %s is signed with %s (MD5/SHA-1 are rejected by current TLS stacks)", who,
                  cn, c->sig_alg);

    if (c->has_eku && o->usage == PSC_USE_CLIENT && !c->eku_client)
        rc |= add(out, o->eku_error ? PSC_SEV_ERROR : PSC_SEV_WARNING, "missing-eku", c,
                  REMEDY_EKU,
                  "%s %s is used as a TLS client certificate but its Extended Key Usage "
                  "lacks clientAuth%s",
                  who, cn, o->eku_error ? " (SAP's load balancer rejects it)" : "");
    else if (c->has_eku && o->usage == PSC_USE_SERVER && !c->eku_server)
        rc |= add(out, o->eku_error ? PSC_SEV_ERROR : PSC_SEV_WARNING, "missing-eku", c,
                  REMEDY_EKU,
                  "%s %s is used as a TLS server certificate but its Extended Key Usage "
                  "lacks serverAuth",
                  who, cn);
    else if (c->has_eku && o->usage == PSC_USE_TLS && !c->eku_client && !c->eku_server)
        rc |= add(out, PSC_SEV_WARNING, "missing-eku", c, REMEDY_EKU,
                  "%s %s has an Extended Key Usage with neither clientAuth nor serverAuth: "
                  "no TLS peer accepts it",
                  who, cn);
    return rc ? -1 : 0;
}

int psc_lint_chain(psc_lint_list *out, const psc_chain *ch, const char *label,
                   const psc_lint_opts *o)
{
    if (ch->len == 0)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < ch->len; i++) {
        psc_lint_opts co = *o;
        if (i > 0)
            co.usage = PSC_USE_ANY;
        char sub[160];
        if (i == 0)
            snprintf(sub, sizeof sub, "%s", label ? label : "certificate");
        else
            snprintf(sub, sizeof sub, "%s%sissuer", label ? label : "", label ? " " : "");
        rc |= psc_lint_cert(out, ch->certs[i], sub, &co);
    }
    if (!ch->complete) {
        const psc_cert *top = ch->certs[ch->len - 1];
        rc |= add(out, PSC_SEV_WARNING, "chain-incomplete", ch->certs[0],
                  "Add the missing issuer certificates (root and intermediates) to the chain "
                  "file; ask the CA or SAP (ticket) for them",
                  "%s %s: the chain stops at %s, whose issuer %s is not given (no self-signed "
                  "root reached)",
                  label ? label : "certificate", short_name(ch->certs[0]), short_name(top),
                  top->issuer);
    }
    return rc ? -1 : 0;
}
