#include "describe.h"
#include "chain.h"

#include <stdio.h>
#include <string.h>

void psc_cert_key_desc(const psc_cert *c, char *out, size_t n)
{
    if (c->key_invalid)
        snprintf(out, n, "%s (invalid %s)", c->key_type,
                 strcmp(c->key_type, "EC") == 0 ? "point" : "key");
    else if (c->curve[0])
        snprintf(out, n, "%s %s", c->key_type, c->curve);
    else
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
    cJSON_AddStringToObject(o, "sha1", c->sha1_hex);
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
    if (en->secret_alg)
        cJSON_AddStringToObject(o, "algorithm", en->secret_alg);
    if (en->note)
        cJSON_AddStringToObject(o, "note", en->note);
    cJSON *certs = cJSON_AddArrayToObject(o, "certificates");
    for (size_t i = 0; i < en->chain_len; i++)
        cJSON_AddItemToArray(certs, psc_cert_json(st, en->chain[i], now));
    return o;
}
