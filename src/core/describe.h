/* One description of certificates and entries for every output that shows
 * them (inspect, verify, plan JSON), so field names never drift from cli.md. */
#ifndef PSC_DESCRIBE_H
#define PSC_DESCRIBE_H

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

#endif
