/* SAP Cloud Connector (R14..R20): what to enter where, per target.  The rows
 * themselves are in rules.c; this file writes the "how:" of the steps whose
 * words depend on the Cloud Connector's settings (principal propagation, the
 * flow's auth) and on the back end behind it.  A table: target -> writer. */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scc_ctx {
    const psc_system *at, *client, *server, *downstream;
    const psc_flow *flow;
    const psc_cert *cert;
    const psc_system *scc;        /* the hop's cloudconnector */
} scc_ctx;

/* How the call authenticates at the back end, in the receiver channel's words. */
static const char *channel_auth(const scc_ctx *x)
{
    if (x->flow->auth == PSC_AUTH_BASIC)
        return "Authentication \"Basic\" with the back-end user's credentials (SCC passes them on)";
    if (x->scc->principal_propagation)
        return "Authentication \"Principal Propagation\" (SCC issues a short-lived certificate "
               "for the message's user)";
    return "Authentication \"None\" (SCC logs on with its system certificate, mapped to a "
           "technical user); not \"Client Certificate\": HCI's client certificate does not "
           "reach the back end through SCC";
}

static char *onpremise_proxy(const scc_ctx *x)
{
    char iflow[300];
    if (x->flow->iflow)
        snprintf(iflow, sizeof iflow, "the iFlow \"%s\"", x->flow->iflow);
    else
        snprintf(iflow, sizeof iflow, "the iFlow of flow \"%s\"", x->flow->name);
    return psc_strfmt("In %s, the receiver channel to %s: Proxy Type \"On-Premise\"; Location ID = the "
               "Location ID %s was connected with (empty for none); Address = "
               "http://<virtual host>:<virtual port>/<path> of %s's access control mapping "
               "(http: %s opens the HTTPS session to %s itself); %s. A BTP destination instead "
               "of the channel address: Proxy Type OnPremise, the same Location ID and URL.",
               iflow, x->downstream ? x->downstream->name : "the back end", x->server->name,
               x->server->name, x->server->name,
               x->downstream ? x->downstream->name : "the back end", channel_auth(x));
}

static char *subaccount(const scc_ctx *x)
{
    return psc_strfmt("In %s: Connector > Add Subaccount: Region = the region of %s's subaccount, "
               "Subaccount = its ID (BTP cockpit > the subaccount's overview), Subaccount User "
               "with the role Cloud Connector Administrator, Location ID = the one %s's channel "
               "names (empty for the default). The subaccount must show \"Connected\" "
               "(outbound HTTPS from %s to SAP on port 443; no inbound port is opened).",
               x->server->name, x->client->name, x->client->name, x->server->name);
}

static char *access_control(const scc_ctx *x)
{
    const psc_system *be = x->downstream;
    char internal[600];
    if (be && be->url)
        snprintf(internal, sizeof internal, "the host and HTTPS port of %s (%s)", be->name,
                 be->url);
    else
        snprintf(internal, sizeof internal, "the host and HTTPS port of %s (SMICM > Services)",
                 be ? be->name : "the back end");
    return psc_strfmt("Back-end Type \"ABAP System\"; Protocol \"HTTPS\"; Internal Host and Port = %s; "
               "Virtual Host and Port = the names %s's channel calls; Principal Type \"%s\"%s; "
               "Host In Request Header \"Use Virtual Host\". Then Resources > Add: the URL path "
               "the flow calls (\"Path and All Sub-Paths\" only where needed).",
               internal, x->client->name,
               x->flow->auth == PSC_AUTH_CERTIFICATE && x->scc->principal_propagation
                   ? "X.509 Certificate" : "None",
               x->flow->auth == PSC_AUTH_CERTIFICATE && !x->scc->principal_propagation
                   ? "; System Certificate for Logon: checked" : "");
}

static char *principal_propagation(const scc_ctx *x)
{
    const psc_cert *ca = x->scc->files[PSC_KEY_CA_CERT].leaf;
    char ca_words[700];
    if (ca)
        snprintf(ca_words, sizeof ca_words, "%s (SHA-256 %s)", ca->subject, ca->sha256_hex);
    else
        snprintf(ca_words, sizeof ca_words, "(not given: ca_cert in [system %s])",
                 x->scc->name);
    return psc_strfmt("Configuration > On Premise > CA Certificate: the CA certificate %s with its key "
               "(Import a PKCS#12 file, or Generate a CSR and upload the signed response). "
               "Configuration > On Premise > Principal Propagation: Subject Pattern CN=${name} "
               "(or ${email}, matching the CERTRULE rule in %s), Certificate Validity in "
               "minutes. Cloud To On-Premise > Principal Propagation > Synchronize (trust the "
               "subaccount's identity provider). The access control mapping of %s: Principal "
               "Type \"X.509 Certificate\".",
               ca_words, x->server->name, x->server->name);
}

static char *certrule(const scc_ctx *x)
{
    return psc_strfmt("RZ10: login/certificate_mapping_rulebased = 1 (RZ11 sets it without a "
               "restart). CERTRULE > Upload Certificate: a sample certificate from %s "
               "(Configuration > On Premise > Principal Propagation > Create Sample Certificate; "
               "issuer %s); Rule: Certificate Attribute \"Subject\", the entry CN (the pattern "
               "CN=${name}) > Login As \"ID\" (or \"E-Mail\" for ${email}); Save; the status "
               "shows the user the sample maps to. Certificate logon allowed where the call "
               "lands (SICF > Logon Data > SSL Certificate Logon, or SOAMANAGER X.509) and the "
               "HTTPS port requests a client certificate (icm/HTTPS/verify_client = 1).",
               x->client->name, x->cert ? x->cert->subject : "<SCC's CA certificate>");
}

static char *trust_store(const scc_ctx *x)
{
    if (x->cert == NULL)
        return NULL;
    return psc_strfmt("Add the certificate %s (SHA-256 %s). With an empty Trust Store %s trusts the "
               "server certificate of every back end; once it lists one, only the listed ones.",
               x->cert->subject, x->cert->sha256_hex, x->client->name);
}

static const struct {
    const char *target;
    char *(*write)(const scc_ctx *x);
} writers[] = {
    {"onpremise-proxy", onpremise_proxy},
    {"scc-subaccount", subaccount},
    {"scc-access-control", access_control},
    {"scc-principal-propagation", principal_propagation},
    {"certrule", certrule},
    {"scc-trust-store", trust_store},
};

char *psc_scc_detail(const char *target, const psc_system *at, const psc_system *client,
                     const psc_system *server, const psc_system *downstream, const psc_flow *f,
                     const psc_cert *cert)
{
    scc_ctx x = {at, client, server, downstream, f, cert, NULL};
    x.scc = client->type == PSC_SYS_CLOUDCONNECTOR   ? client
            : server->type == PSC_SYS_CLOUDCONNECTOR ? server
                                                     : NULL;
    if (x.scc == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        if (strcmp(writers[i].target, target) == 0)
            return writers[i].write(&x);
    return NULL;
}
