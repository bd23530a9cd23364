/* pseconv expiry --format ics: an RFC 5545 calendar with two events per
 * certificate, one at the renewal date (expiry - lead) and one at expiry,
 * the forced steps in the description.  Content lines end in CRLF and are
 * folded at 75 octets (never inside a UTF-8 sequence); times are UTC
 * ("...Z"); TEXT values escape backslash, semicolon, comma and newline.
 * UIDs are the certificate's SHA-256, so a re-import updates the events
 * instead of doubling them. */
#include "ics.h"

#include <stdio.h>
#include <string.h>

#define ICS_FOLD 75

static void ics_time(time_t t, char out[17])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Append one content line, folded: each physical line at most 75 octets,
 * continuation lines start with one space (RFC 5545 3.1). */
static void line(psc_buf *b, const char *s)
{
    size_t n = strlen(s), col = 0;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0xF0)
            len = 4;
        else if (ch >= 0xE0)
            len = 3;
        else if (ch >= 0xC0)
            len = 2;
        if (i + len > n)
            len = n - i;
        if (col + len > ICS_FOLD) {
            psc_buf_puts(b, "\r\n ");
            col = 1;
        }
        psc_buf_append(b, s + i, len);
        col += len;
        i += len;
    }
    psc_buf_puts(b, "\r\n");
}

/* "NAME:" + escaped TEXT value (RFC 5545 3.3.11). */
static void text_prop(psc_buf *b, const char *name, const char *value)
{
    psc_buf v;
    psc_buf_init(&v);
    psc_buf_printf(&v, "%s:", name);
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == ',')
            psc_buf_printf(&v, "\\%c", *p);
        else if (*p == '\n')
            psc_buf_puts(&v, "\\n");
        else if (*p != '\r')
            psc_buf_append(&v, p, 1);
    }
    if (psc_buf_cstr(&v) == 0)
        line(b, (const char *)v.data);
    psc_buf_free(&v, 0);
}

static void description(const psc_expiry *x, const psc_expiry_cert *c, psc_buf *d)
{
    char exp[21];
    psc_time_rfc3339(c->cert->not_after, exp);
    psc_buf_printf(d, "Certificate: %s\nSHA-256: %s\nOwner: %s %s (%s)\nExpires: %s\n",
                   c->cert->subject, c->cert->sha256_hex, c->owner->name,
                   psc_expiry_key_words(c), psc_role_name(c->role), exp);
    if (c->nforces == 0)
        psc_buf_puts(d, "Renewal forces: nothing in the plan (no step uses it)\n");
    else
        psc_buf_puts(d, "Renewal forces:\n");
    for (size_t k = 0; k < c->nforces; k++) {
        const psc_step *s = c->forces[k].step;
        psc_buf_printf(d, "- %s %s %s: %s\n", s->system->name, s->id, s->target,
                       c->forces[k].task);
    }
    for (size_t i = 0; i < x->nfindings; i++)
        if (x->findings[i].about == c)
            psc_buf_printf(d, "Finding %s: %s\n", x->findings[i].code, x->findings[i].message);
    psc_buf_printf(d, "Landscape: %s (pseconv expiry)", x->plan->landscape->name);
}

static void event(psc_buf *b, const psc_expiry *x, const psc_expiry_cert *c, int renew)
{
    char stamp[17], start[17], end[17], buf[200];
    time_t at = renew ? c->renew_by : c->cert->not_after;
    ics_time(x->plan->now, stamp);
    ics_time(at, start);
    ics_time(at + 3600, end);
    char cn[80] = "";
    const char *p = strstr(c->cert->subject, "CN=");
    if (p) {
        size_t i = 0;
        for (p += 3; *p && *p != ',' && i + 1 < sizeof cn; p++)
            cn[i++] = *p;
        cn[i] = '\0';
    } else {
        snprintf(cn, sizeof cn, "%.16s", c->cert->sha256_hex);
    }
    char exp[21];
    psc_time_rfc3339(c->cert->not_after, exp);
    line(b, "BEGIN:VEVENT");
    snprintf(buf, sizeof buf, "UID:%s-%s@pseconv", c->cert->sha256_hex, renew ? "renew" : "expiry");
    line(b, buf);
    snprintf(buf, sizeof buf, "DTSTAMP:%s", stamp);
    line(b, buf);
    snprintf(buf, sizeof buf, "DTSTART:%s", start);
    line(b, buf);
    snprintf(buf, sizeof buf, "DTEND:%s", end);
    line(b, buf);
    snprintf(buf, sizeof buf, "%s %s %s: %s (expires %.10s)", renew ? "Renew" : "Expires:",
             c->owner->name, psc_expiry_key_words(c), cn, exp);
    text_prop(b, "SUMMARY", buf);
    psc_buf d;
    psc_buf_init(&d);
    description(x, c, &d);
    if (psc_buf_cstr(&d) == 0)
        text_prop(b, "DESCRIPTION", (const char *)d.data);
    psc_buf_free(&d, 0);
    text_prop(b, "CATEGORIES", "certificate renewal");
    line(b, "TRANSP:TRANSPARENT");
    line(b, "END:VEVENT");
}

int psc_expiry_render_ics(const psc_expiry *x, psc_buf *out, psc_err *e)
{
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//pseconv//certificate expiry//EN");
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    for (size_t i = 0; i < x->ncerts; i++) {
        event(out, x, &x->certs[i], 1);
        event(out, x, &x->certs[i], 0);
    }
    line(out, "END:VCALENDAR");
    if (out->failed) /* any line that could not be added, not only the first */
        return psc_fail(e, PSC_EOUTPUT, "expiry: out of memory");
    return PSC_OK;
}
