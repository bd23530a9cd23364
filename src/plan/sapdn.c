/* A certificate's subject in SAP's notation, as STRUST and the certificate
 * display show it and as VUSREXTID compares it (a string compare): SAP's
 * crypto library names stateOrProvinceName "SP" where OpenSSL says "ST".
 * Attributes whose SAP name we cannot be sure of (emailAddress, serialNumber,
 * ...), multi-valued RDNs and non-ASCII values are written as OpenSSL does
 * and reported, so the admin copies the DN from STRUST or uses CERTRULE. */
#include "sapdn.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

typedef struct sap_attr {
    int nid;
    const char *sap;
} sap_attr;

/* The attributes whose SAP short name is certain. */
static const sap_attr sap_names[] = {
    {NID_commonName, "CN"},
    {NID_organizationalUnitName, "OU"},
    {NID_organizationName, "O"},
    {NID_localityName, "L"},
    {NID_stateOrProvinceName, "SP"},
    {NID_countryName, "C"},
};

static const char *sap_name_of(int nid)
{
    for (size_t i = 0; i < sizeof sap_names / sizeof sap_names[0]; i++)
        if (sap_names[i].nid == nid)
            return sap_names[i].sap;
    return NULL;
}

static int needs_quoting(const unsigned char *v, int len)
{
    for (int i = 0; i < len; i++)
        if (strchr(",+=\"\\<>;", v[i]))
            return 1;
    return len > 0 && (v[0] == ' ' || v[len - 1] == ' ');
}

int psc_sap_dn(const psc_cert *c, char *out, size_t n, const char **uncertain)
{
    *uncertain = NULL;
    out[0] = '\0';
    /* the Name alone (kept per distinct Name), not the whole X509: a plan of
     * 2,000 systems kept 4,000 decoded certificates for this */
    const X509_NAME *name = psc_name_x509(c->subject_name);
    if (name == NULL)
        return -1;
    size_t o = 0;
    int count = X509_NAME_entry_count(name);
    int prev_set = -1;
    /* STRUST order: the last RDN first ("CN=..., O=..., C=..."), as psc_cert.subject */
    for (int i = count - 1; i >= 0; i--) {
        const X509_NAME_ENTRY *en = X509_NAME_get_entry(name, i);
        int set = X509_NAME_ENTRY_set(en);
        if (set == prev_set && *uncertain == NULL)
            *uncertain = "a multi-valued RDN";
        prev_set = set;
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(en));
        const char *label = sap_name_of(nid);
        if (label == NULL) {
            label = nid != NID_undef ? OBJ_nid2sn(nid) : "?";
            if (*uncertain == NULL)
                *uncertain = nid == NID_pkcs9_emailAddress ? "emailAddress" : label;
        }
        unsigned char *v = NULL;
        int len = ASN1_STRING_to_UTF8(&v, X509_NAME_ENTRY_get_data(en));
        if (len < 0)
            return -1;
        for (int k = 0; k < len && *uncertain == NULL; k++)
            if (v[k] >= 0x80)
                *uncertain = "non-ASCII characters";
        if (needs_quoting(v, len) && *uncertain == NULL)
            *uncertain = "characters that need quoting";
        int w = snprintf(out + o, n - o, "%s%s=%.*s", o ? ", " : "", label, len, (const char *)v);
        OPENSSL_free(v);
        if (w < 0 || (size_t)w >= n - o)
            return -1;
        o += (size_t)w;
    }
    return 0;
}
