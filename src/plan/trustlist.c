/* The CAs SAP's load balancer accepts for client certificates (trustlist.h):
 * the landscape's sap_trusted_cas (any format the readers know; unreadable =
 * input error), else the public roots (unreadable = a note and an empty list,
 * so every private root is reported and none is missed).  Read only when a
 * flow has a client calling a cpi system with a certificate. */
#include "trustlist.h"
#include "format.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *psc_public_roots_file(void)
{
    const char *env = getenv("PSECONV_PUBLIC_ROOTS");
    return env && *env ? env : "/etc/ssl/certs/ca-certificates.crt";
}

static int needed(const psc_landscape *ls)
{
    if (ls->sap_list)
        return 1;
    for (size_t f = 0; f < ls->nflows; f++)
        for (size_t h = 1; h < ls->flows[f].npath; h++)
            if (ls->flows[f].auth == PSC_AUTH_CERTIFICATE &&
                ls->systems[ls->flows[f].path[h]].type == PSC_SYS_CPI)
                return 1;
    return 0;
}

int psc_trusted_cas_load(psc_landscape *ls, char *note, size_t n, psc_err *e)
{
    note[0] = '\0';
    if (!needed(ls))
        return PSC_OK;
    if (!ls->sap_list) {
        free(ls->trusted_cas_file);
        ls->trusted_cas_file = strdup(psc_public_roots_file());
    }
    if (ls->trusted_cas_file == NULL || (ls->trusted_cas = psc_store_new()) == NULL)
        return psc_fail(e, PSC_EINPUT, "out of memory");
    psc_secret pw = {0};
    psc_read_opts ro = {0};
    ro.path = ls->trusted_cas_file;
    ro.password = &pw;
    psc_err re = {0};
    int rc = psc_read_file(ls->trusted_cas, ls->trusted_cas_file, NULL, &ro, NULL, &re);
    if (rc == PSC_OK)
        return PSC_OK;
    if (ls->sap_list)
        return psc_fail(e, rc, "%s", re.msg);
    snprintf(note, n, "public root list %s: %s; every client root towards SAP Cloud Integration "
                      "is reported as not accepted (set PSECONV_PUBLIC_ROOTS or [landscape] "
                      "sap_trusted_cas)", ls->trusted_cas_file, re.msg);
    return PSC_OK;
}
