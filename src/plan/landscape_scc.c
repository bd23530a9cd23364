/* cloudconnector keys (landscape_scc.h).  The file keys (system_cert, ca_cert,
 * chain, trust_store) are read like every other file key by landscape.c;
 * here only the words.  Accepts what an admin writes for a switch. */
#include "landscape_scc.h"

#include <stdio.h>
#include <strings.h>

static const struct {
    const char *word;
    int value;
} switch_words[] = {{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {"on", 1}, {"off", 0}};

int psc_landscape_scc_keys(psc_system *s, const char *principal_propagation, char *msg, size_t n)
{
    s->principal_propagation = 0;
    if (principal_propagation == NULL)
        return 0;
    for (size_t i = 0; i < sizeof switch_words / sizeof switch_words[0]; i++)
        if (strcasecmp(principal_propagation, switch_words[i].word) == 0) {
            s->principal_propagation = switch_words[i].value;
            return 0;
        }
    snprintf(msg, n, "principal_propagation = '%s' in [system %s]; accepted: yes, no",
             principal_propagation, s->name);
    return -1;
}

int psc_landscape_scc_empty_store(const char *value)
{
    return strcasecmp(value, "empty") == 0 || strcasecmp(value, "none") == 0;
}
