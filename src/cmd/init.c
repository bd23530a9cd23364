/* pseconv init [-o FILE]: a commented landscape template of the seed's
 * scenario (ERP, Cloud Integration, C4C, optional Web Dispatcher, or SAP
 * Cloud Connector as a commented alternative). */
#include "cmd.h"

#include <getopt.h>
#include <string.h>

static const char help[] =
    "usage: pseconv init [-o FILE] [--force]\n"
    "\n"
    "Writes a commented landscape template (default: landscape.ini in the current\n"
    "folder; '-o -' prints it) for the C4C <-> SAP Cloud Integration <-> ERP\n"
    "scenario, with a Web Dispatcher in front of ERP (or, commented out, SAP Cloud\n"
    "Connector): fill in the certificate files you have, remove what does not apply,\n"
    "then run 'pseconv plan FILE'.\n"
    "\n"
    "options:\n"
    "  -o FILE      where to write (an existing file is kept unless --force)\n"
    "  --force      overwrite FILE\n"
    "  -h, --help   this text\n";

static const char template_text[] =
    "; pseconv landscape: which systems take part, which certificate files you have\n"
    "; for each, and which message flows run between them.  `pseconv plan THIS-FILE`\n"
    "; turns it into a checklist (STRUST, iFlow/service key, keystore, communication\n"
    "; arrangement).  Paths are relative to this file's folder.  Any certificate\n"
    "; format works (PEM, DER, P7B, PKCS#12, JKS, PSE); passwords are SPECs:\n"
    "; env:VAR, file:PATH, pass:TEXT (visible!).  Unknown keys are errors, so a typo\n"
    "; never silently drops a trust relation.  A key you do not have yet can stay\n"
    "; out: the plan then names it in a missing-input finding.\n"
    "\n"
    "[landscape]\n"
    "name      = My C4C integration\n"
    "warn_days = 60                          ; warn about certificates expiring within N days (default 60)\n"
    "; sap_trusted_cas = sap/trusted-cas.pem ; the CAs SAP's load balancer accepts for client\n"
    ";                                       ; certificates (SAP Help: \"Load Balancer Root\n"
    ";                                       ; Certificates Supported by SAP\"); default: public roots\n"
    "\n"
    "; The ERP (or CRM, S/4HANA) system: transaction STRUST.\n"
    "[system ERP]\n"
    "type         = abap                     ; abap, cpi, c4c, webdispatcher or cloudconnector\n"
    "client_cert  = erp/sslc-own.cer         ; STRUST > SSL client Standard > own certificate (export)\n"
    "server_cert  = erp/ssls-own.cer         ; STRUST > SSL server Standard > own certificate (export)\n"
    "chain        = erp/corp-chain.pem       ; the CA certificates that issued the two above\n"
    "service_user = CODINTG                  ; SU01 user that HCI's client certificate is mapped to\n"
    "; service_user_roles  = SAP_SD_COD_INTEGRATION, SAP_SD_COD_INTEGRATION_EXT ; its roles (default for ERP)\n"
    "; ssl_client_identity = DFAULT          ; SSL client identity of the SM59/SOAMANAGER destination:\n"
    ";                                       ; DFAULT (Standard, default), ANONYM or a custom ID\n"
    "; Current state, optional: what the PSEs already trust (a PSE, a .pselist, or any\n"
    "; certificate file).  Steps already done are then marked as in place.\n"
    "; ssl_client_pse    = erp/SAPSSLC.pse\n"
    "; ssl_server_pse    = erp/SAPSSLS.pse\n"
    "; ssl_anonymous_pse = erp/SAPSSLA.pse\n"
    "; pse_pin           = env:ERP_PSE_PIN\n"
    "\n"
    "; SAP Cloud Integration (HCI / CPI).\n"
    "[system HCI]\n"
    "type         = cpi\n"
    "environment  = cf                       ; cf (Cloud Foundry, today's tenants) or neo\n"
    "; client_cert and client_chain: Monitor > Integrations and APIs > Manage Security >\n"
    "; Keystore > sap_cloudintegrationcertificate (or the key client_key_alias names) >\n"
    "; Download > Certificate, and Download > Chain.\n"
    "client_cert  = hci/client.cer           ; the tenant's client certificate\n"
    "client_chain = hci/client-chain.p7b     ; its root and intermediate\n"
    "; client_key_alias = my-client-key      ; the receiver channel's \"Private Key Alias\", when\n"
    ";                                       ; not SAP's sap_cloudintegrationcertificate\n"
    "server_chain = hci/worker-node.pem      ; the chain the worker node URL presents (pseconv fetch)\n"
    "; keystore          = hci/keystore.jks  ; Monitor > Integrations and APIs > Manage Security >\n"
    ";                                       ; Keystore > Download: what the tenant trusts today\n"
    "; keystore_password = env:HCI_KEYSTORE_PASSWORD\n"
    "; url          = https://TENANT.it-cpi001-rt.cfapps.eu10.hana.ondemand.com/http/PATH ; for pseconv probe\n"
    "\n"
    "; SAP Cloud for Customer.\n"
    "[system C4C]\n"
    "type         = c4c\n"
    "client_cert  = c4c/arrangement.cer      ; communication arrangement > Download certificate\n"
    "server_chain = c4c/server.pem           ; the chain the tenant URL presents\n"
    "\n"
    "; Optional: a Web Dispatcher as reverse proxy in front of ERP, so ERP is not reachable\n"
    "; from the internet.  Delete this section and write `path = C4C -> HCI -> ERP` below\n"
    "; when HCI calls ERP directly (plan then warns: backend-on-internet).\n"
    "[system WD]\n"
    "type         = webdispatcher\n"
    "client_cert  = wd/sslc-own.pem          ; the Web Dispatcher's SSL client own certificate\n"
    "server_cert  = wd/ssls-own.pem          ; the Web Dispatcher's SSL server own certificate\n"
    "chain        = wd/chain.pem             ; their issuers\n"
    "; ssl          = terminate              ; terminate (default: a second TLS session to ERP)\n"
    ";                                       ; or passthrough (ERP sees HCI's certificate itself)\n"
    "\n"
    "; Or: SAP Cloud Connector instead of the Web Dispatcher (on Cloud Foundry SAP's\n"
    "; standard path: HCI calls through the Connectivity service, SCC opens the HTTPS\n"
    "; connection to ERP; no inbound port).  Uncomment the section, delete [system WD]\n"
    "; and write `path = C4C -> HCI -> SCC -> ERP` below.\n"
    "; [system SCC]\n"
    "; type                  = cloudconnector\n"
    "; system_cert           = scc/system.cer    ; Configuration > On Premise > System Certificate\n"
    "; chain                 = scc/chain.pem     ; the issuers of the system certificate\n"
    "; ca_cert               = scc/ca.cer        ; Configuration > On Premise > CA Certificate\n"
    "; trust_store           = scc/trust.pem     ; Configuration > On Premise > Trust Store (optional)\n"
    "; principal_propagation = no                ; yes: the message's user reaches ERP (CERTRULE)\n"
    "\n"
        "; Inbound to C4C: ERP calls HCI, HCI calls C4C.\n"
    "[flow replicate-material]\n"
    "path  = ERP -> HCI -> C4C\n"
    "auth  = certificate                     ; certificate or basic (user and password)\n"
    "iflow = Replicate Material from SAP ERP ; optional: named in the instructions\n"
    "\n"
    "; Outbound from C4C: C4C calls HCI, HCI calls ERP through the proxy.\n"
    "[flow account-to-erp]\n"
    "path  = C4C -> HCI -> WD -> ERP\n"
    "; path = C4C -> HCI -> SCC -> ERP        ; with the Cloud Connector instead of WD\n"
    "auth  = certificate\n";

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = "landscape.ini";
    int c, force = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'F': force = 1; break;
        case 'h': cli_help(help); return 0;
        default: return cli_usage("init", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("init", "unexpected argument '%s' (write -o FILE)", argv[optind]);
    psc_err e = {0};
    if (psc_outfile_write(out, template_text, sizeof template_text - 1, 0644, force, &e) != PSC_OK)
        return cli_report(&e);
    if (strcmp(out, "-") != 0)
        fprintf(stderr, "pseconv: wrote %s; put in the paths of your certificate files, then run "
                        "'pseconv plan %s'\n",
                out, out);
    return PSC_OK;
}
