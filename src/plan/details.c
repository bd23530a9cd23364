/* The "how:" line of a step: the exact entries a person types (VUSREXTID,
 * profile parameters, SCC settings).  Reads the step and the systems of its
 * hop; Cloud Connector targets are written by rules_scc.c. */
#include "rules.h"
#include "sapdn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char *psc_step_detail(const psc_step *s, const psc_system *at, const psc_system *client,
                      const psc_system *server, const psc_system *downstream, const psc_flow *f,
                      const psc_cert *c)
{
    char *scc = psc_scc_detail(s->target, at, client, server, downstream, f, c);
    if (scc)
        return scc;
    if (s->action == PSC_ACTION_MAP_USER) {
        const char *u = at->service_user ? at->service_user : "<service_user>";
        char dn[1024], rb[300];
        const char *why = NULL;
        if (c == NULL || psc_sap_dn(c, dn, sizeof dn, &why) != 0)
            snprintf(dn, sizeof dn, "%s", c ? c->subject : "<subject of the certificate>");
        return psc_strfmt("SU01: create the service user %s (user type B or C) with %s. "
                   "SM30 view VUSREXTID, External ID type DN > New Entries: External ID = "
                   "%s, User = %s, Activated. Allow certificate logon where the call lands: "
                   "SICF > the ICF service > Logon Data > Procedure \"Alternative Logon "
                   "Procedure\" with SSL Certificate Logon, or SOAMANAGER > the endpoint > "
                   "Configuration > Authentication \"X.509 SSL Client Certificate\"; the "
                   "HTTPS port must request a client certificate "
                   "(icm/HTTPS/verify_client = 1, or VCLIENT=1 on its icm/server_port_<xx>).",
                   u, psc_service_user_roles(at, rb, sizeof rb), dn, u);
    }
    if (s->action == PSC_ACTION_CONFIGURE && c && at == client)
        return psc_strfmt("Profile of %s: icm/HTTPS/verify_client = 1 (or VCLIENT=1 on the HTTPS "
                   "port: icm/server_port_<xx> = PROT=HTTPS,PORT=<port>,VCLIENT=1) ; "
                   "icm/HTTPS/forward_ccert_as_header = true ; wdisp/ssl_encrypt = 1 ; "
                   "wdisp/ssl_auth = 2 ; wdisp/ssl_cred = SAPSSLC.pse (its own client "
                   "certificate %s). Then restart the Web Dispatcher (sapcontrol -nr <NN> "
                   "-function RestartInstance, or icmon pf=<profile>).",
                   at->name, c->subject);
    if (s->action == PSC_ACTION_CONFIGURE && c)
        return psc_strfmt("RZ10, instance profile of %s: icm/HTTPS/trust_client_with_issuer = %s ; "
                   "icm/HTTPS/trust_client_with_subject = %s . Then restart the ICM (SMICM > "
                   "Administration > ICM > Exit Soft > Global). Kernels with "
                   "icm/trusted_reverse_proxy_<xx> (several proxies, HA pairs) take "
                   "icm/trusted_reverse_proxy_0 = SUBJECT=\"%s\", ISSUER=\"%s\" instead.",
                   at->name, c->issuer, c->subject, c->subject, c->issuer);
    if (s->action == PSC_ACTION_REPLACE && c)
        return psc_strfmt("Replace the self-signed certificate %s (SHA-256 %s) in %s.", c->subject,
                   c->sha256_hex, at->name);
    return NULL;
}
