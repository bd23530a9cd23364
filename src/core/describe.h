/* One description of certificates and entries for every output that shows
 * them (inspect, verify, plan JSON), so field names never drift from cli.md. */
#ifndef PSC_DESCRIBE_H
#define PSC_DESCRIBE_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "store.h"

/* {"subject","issuer","serial","not_before","not_after","sha256","sha1",
 *  "key":{"type","bits"[,"curve"]},"signature","is_ca","self_signed","role",
 *  "days_left"} */
cJSON *psc_cert_json(psc_store *st, const psc_cert *c, time_t now);
/* {"alias","type","certificates":[...]} plus "private_key", "algorithm", "note" where set. */
cJSON *psc_entry_json(psc_store *st, const psc_entry *en, time_t now);
/* "EC P-256", "RSA 2048" */
void psc_cert_key_desc(const psc_cert *c, char *out, size_t n);
/* The certificate as one PEM block (64 columns, LF) from its stored DER, appended
 * to out: what convert -> PEM and export's certificate files write.  -1 out of memory. */
int psc_cert_put_pem(psc_buf *out, const psc_cert *c);

/* Is s valid UTF-8 (no overlong forms, surrogates or code points over U+10FFFF)? */
int psc_utf8_valid(const char *s);
/* Text output of untrusted names (aliases, subjects): control characters as
 * \n, \r, \t or \xHH, a backslash as \\, bytes that are not UTF-8 as \xHH
 * (like openssl -nameopt esc_ctrl), so a name cannot move the cursor, color
 * the terminal or fake a line. */
void psc_fputs_escaped(FILE *f, const char *s);
/* cJSON_Print (formatted) or cJSON_PrintUnformatted, with every byte that is
 * not UTF-8 replaced by U+FFFD: always valid JSON.  Free with cJSON_free/free
 * (malloc'ed when replaced; the caller frees with free()). */
char *psc_json_print(const cJSON *root, int formatted);
/* Append item as psc_json_print(formatted) writes it nested `depth` levels
 * deep in a larger document: the same text with `depth` more tabs after
 * every line break (strings never hold a raw line break).  So a long JSON
 * array is printed one element at a time, never as one tree.  Frees item;
 * 0 ok, -1 out of memory (item NULL counts as out of memory). */
int psc_json_put_nested(psc_buf *b, cJSON *item, int depth);
/* Member `key` of a root object printed that way: "\tkey:\tvalue" and ",\n"
 * (or "\n" for the last).  Frees value; 0 ok, -1 out of memory. */
int psc_json_put_member(psc_buf *b, const char *key, cJSON *value, int last);
/* Writers of PKCS#12 and JKS/JCEKS: every alias valid UTF-8, else PSC_EINPUT
 * naming the alias (escaped). */
int psc_check_aliases_utf8(psc_store *st, const char *path, const char *format, psc_err *e);

#endif
