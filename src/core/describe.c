#include "describe.h"
#include "chain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

void psc_cert_key_desc(const psc_cert *c, char *out, size_t n)
{
    if (c->key_invalid)
        snprintf(out, n, "%s (invalid %s)", c->key_type,
                 strcmp(c->key_type, "EC") == 0 ? "point" : "key");
    else if (c->curve[0]) {
        /* "EC P-256", cut to n as snprintf("%s %s") would: without a format
         * to parse, once per certificate inspect prints */
        size_t k = strnlen(c->key_type, n - 1);
        psc_strcpy_cut(out, n, c->key_type);
        if (k + 1 < n) {
            out[k] = ' ';
            psc_strcpy_cut(out + k + 1, n - k - 1, c->curve);
        }
    } else
        snprintf(out, n, "%s %d", c->key_type, c->key_bits);
}

cJSON *psc_cert_json(psc_store *st, const psc_cert *c, time_t now)
{
    cJSON *o = cJSON_CreateObject();
    char nb[21], na[21];
    psc_time_rfc3339(c->not_before, nb);
    psc_time_rfc3339(c->not_after, na);
    cJSON_AddStringToObject(o, "subject", c->subject);
    cJSON_AddStringToObject(o, "issuer", c->issuer);
    cJSON_AddStringToObject(o, "serial", c->serial_hex);
    /* a Time OpenSSL refuses is null, never 1970 (issue 17) */
    if (c->not_before_invalid)
        cJSON_AddNullToObject(o, "not_before");
    else
        cJSON_AddStringToObject(o, "not_before", nb);
    if (c->not_after_invalid) {
        cJSON_AddNullToObject(o, "not_after");
        cJSON_AddNullToObject(o, "days_left");
    } else {
        cJSON_AddStringToObject(o, "not_after", na);
        cJSON_AddNumberToObject(o, "days_left", (double)psc_days_left(c->not_after, now));
    }
    cJSON_AddStringToObject(o, "sha256", c->sha256_hex);
    const unsigned char *sha1 = psc_cert_sha1(c);
    char sha1_hex[41];
    if (sha1 != NULL) {
        psc_hex(sha1, 20, sha1_hex);
        cJSON_AddStringToObject(o, "sha1", sha1_hex);
    } else {
        cJSON_AddNullToObject(o, "sha1"); /* no SHA-1 in this OpenSSL (a FIPS-only set-up) */
    }
    cJSON *key = cJSON_AddObjectToObject(o, "key");
    cJSON_AddStringToObject(key, "type", c->key_type);
    cJSON_AddNumberToObject(key, "bits", c->key_bits);
    if (c->curve[0])
        cJSON_AddStringToObject(key, "curve", c->curve);
    if (c->key_invalid)
        cJSON_AddBoolToObject(key, "invalid", 1);
    cJSON_AddStringToObject(o, "signature", c->sig_alg);
    cJSON_AddBoolToObject(o, "is_ca", c->is_ca);
    cJSON_AddBoolToObject(o, "self_signed", c->self_signed);
    cJSON_AddStringToObject(o, "role", psc_role_name(psc_cert_role(st, c)));
    return o;
}

cJSON *psc_entry_json(psc_store *st, const psc_entry *en, time_t now)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "alias", en->alias ? en->alias : "");
    cJSON_AddStringToObject(o, "type", psc_entry_type_name(en->type));
    if (en->type == PSC_ENTRY_KEYPAIR || en->type == PSC_ENTRY_OWN)
        cJSON_AddBoolToObject(o, "private_key", en->key != NULL || en->key_listed);
    if (en->key != NULL) { /* the private key's own facts (a key alone has no certificate) */
        char type[16], curve[PSC_CURVE_LEN];
        int bits = 0;
        psc_pkey_facts(en->key, type, &bits, curve);
        cJSON *key = cJSON_AddObjectToObject(o, "key");
        cJSON_AddStringToObject(key, "type", type);
        cJSON_AddNumberToObject(key, "bits", bits);
        if (curve[0])
            cJSON_AddStringToObject(key, "curve", curve);
    }
    if (en->secret_alg)
        cJSON_AddStringToObject(o, "algorithm", en->secret_alg);
    if (en->note)
        cJSON_AddStringToObject(o, "note", en->note);
    cJSON *certs = cJSON_AddArrayToObject(o, "certificates");
    for (size_t i = 0; i < en->chain_len; i++)
        cJSON_AddItemToArray(certs, psc_cert_json(st, en->chain[i], now));
    return o;
}

/* ---- output that cannot be turned against its reader -------------------- */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not one
 * (overlong forms, surrogates and code points over U+10FFFF are not). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0;
    return n;
}

int psc_utf8_valid(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

void psc_fputs_escaped(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *run = (const unsigned char *)s; /* bytes printed as they are */
    for (const unsigned char *p = run; p && *p;) {
        size_t n = utf8_seq(p);
        if (n > 1 || (n == 1 && *p >= 0x20 && *p != 0x7F && *p != '\\')) {
            p += n;
            continue;
        }
        fwrite(run, 1, (size_t)(p - run), f);
        unsigned c = *p++;
        run = p;
        /* control characters, DEL, backslash and bytes that are not UTF-8 */
        char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        size_t k = 2;
        if (c == '\n' || c == '\r' || c == '\t' || c == '\\')
            esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '\\';
        else
            k = 4;
        fwrite(esc, 1, k, f);
    }
    if (run)
        fwrite(run, 1, strlen((const char *)run), f);
}

char *psc_json_print(const cJSON *root, int formatted)
{
    char *raw = formatted ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    if (raw == NULL)
        return NULL;
    /* cJSON passes string bytes through: each byte that is not UTF-8 becomes
     * U+FFFD (3 bytes), so the output is always valid JSON text */
    size_t len = strlen(raw), bad = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p;) {
        size_t n = utf8_seq(p);
        bad += n == 0;
        p += n ? n : 1;
    }
    if (bad == 0)
        return raw;
    char *out = bad <= (SIZE_MAX - len - 1) / 2 ? malloc(len + 2 * bad + 1) : NULL;
    if (out != NULL) {
        char *o = out;
        for (const unsigned char *p = (const unsigned char *)raw; *p;) {
            size_t n = utf8_seq(p);
            if (n == 0) {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                p++;
            } else {
                memcpy(o, p, n);
                o += n;
                p += n;
            }
        }
        *o = '\0';
    }
    cJSON_free(raw);
    return out;
}

int psc_json_put_nested(psc_buf *b, cJSON *item, int depth)
{
    char *s = item != NULL ? psc_json_print(item, 1) : NULL;
    cJSON_Delete(item);
    if (s == NULL)
        return -1;
    int rc = 0;
    const char *run = s;
    for (const char *p = s;; p++) {
        if (*p != '\n' && *p != '\0')
            continue;
        /* the run up to and with the line break, then the extra tabs */
        rc = psc_buf_append(b, run, (size_t)(p - run) + (*p == '\n'));
        for (int d = 0; *p == '\n' && d < depth && rc == 0; d++)
            rc = psc_buf_append(b, "\t", 1);
        if (*p == '\0' || rc != 0)
            break;
        run = p + 1;
    }
    free(s);
    return rc;
}

int psc_json_put_member(psc_buf *b, const char *key, cJSON *value, int last)
{
    return psc_buf_printf(b, "\t\"%s\":\t", key) || psc_json_put_nested(b, value, 1) ||
           psc_buf_puts(b, last ? "\n" : ",\n") ? -1 : 0;
}

int psc_check_aliases_utf8(psc_store *st, const char *path, const char *format, psc_err *e)
{
    for (size_t i = 0; i < psc_store_entry_count(st); i++) {
        const psc_entry *en = psc_store_entry(st, i);
        if (en->alias == NULL || psc_utf8_valid(en->alias))
            continue;
        char shown[200] = "";
        FILE *m = fmemopen(shown, sizeof shown - 1, "w");
        if (m != NULL) {
            psc_fputs_escaped(m, en->alias);
            fclose(m);
        }
        return psc_fail(e, PSC_EINPUT,
                        "%s: the alias '%s' is not valid UTF-8, which a %s file cannot hold "
                        "(keytool rejects it); rename the entry in its source",
                        path, shown, format);
    }
    return PSC_OK;
}

int psc_cert_put_pem(psc_buf *out, const psc_cert *c)
{
    unsigned char line[65];
    if (psc_buf_puts(out, "-----BEGIN CERTIFICATE-----\n") != 0)
        return -1;
    for (size_t off = 0; off < c->der_len; off += 48) {
        size_t n = c->der_len - off < 48 ? c->der_len - off : 48;
        int w = EVP_EncodeBlock(line, c->der + off, (int)n);
        if (psc_buf_append(out, line, (size_t)w) != 0 || psc_buf_puts(out, "\n") != 0)
            return -1;
    }
    return psc_buf_puts(out, "-----END CERTIFICATE-----\n");
}
