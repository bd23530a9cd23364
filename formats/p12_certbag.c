/* PKCS#12 certificate bags to and from the store's DER, without the X509
 * decode OpenSSL's own helpers need (see p12_certbag.h). */
#include "p12_certbag.h"
#include "cursor.h"

#include <limits.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>

/* A certBag around the stored DER.  PKCS12_SAFEBAG_create_cert would need
 * the decoded X509 (psc_cert_x509: OSSL_DECODER setup and a public-key
 * decode per certificate, 61% of writing 10,000 certificates) only to encode
 * the same bytes again: pack them as they are, an ANY holding the whole
 * SEQUENCE, which OpenSSL writes out verbatim into the bag's OCTET STRING. */
PKCS12_SAFEBAG *psc_p12_cert_bag(const psc_cert *c)
{
    if (c->der_len > INT_MAX)
        return NULL;
    ASN1_TYPE *any = ASN1_TYPE_new();
    ASN1_STRING *seq = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
    PKCS12_SAFEBAG *bag = NULL;
    if (any != NULL && seq != NULL && ASN1_STRING_set(seq, c->der, (int)c->der_len)) {
        ASN1_TYPE_set(any, V_ASN1_SEQUENCE, seq); /* any owns seq now */
        seq = NULL;
        bag = PKCS12_item_pack_safebag(any, ASN1_ITEM_rptr(ASN1_ANY), NID_x509Certificate,
                                       NID_certBag);
    }
    ASN1_STRING_free(seq);
    ASN1_TYPE_free(any);
    return bag;
}

/* The certificate of an X.509 certBag straight from its DER, without the
 * X509 decode of PKCS12_SAFEBAG_get1_cert (77% of inspecting a 10,000-entry
 * keytool PKCS#12): SafeBag ::= SEQUENCE { OID, [0] { SEQUENCE { OID,
 * [0] { OCTET STRING cert } } }, attributes }.  NULL when anything is off:
 * the caller then takes the OpenSSL path and its messages. */
psc_cert *psc_p12_cert_from_bag(psc_store *st, PKCS12_SAFEBAG *bag, const char *path)
{
    unsigned char *der = NULL;
    int len = i2d_PKCS12_SAFEBAG(bag, &der);
    psc_cert *c = NULL;
    if (len > 0) {
        psc_cursor all, sb, v0, cb, v1, os;
        const unsigned char *oid, *cert;
        size_t oidlen, certlen;
        psc_cursor_init(&all, der, (size_t)len);
        if (psc_cursor_der_expect(&all, 0x30, &sb) == 0 &&
            psc_cursor_der_element(&sb, &oid, &oidlen) == 0 &&
            psc_cursor_der_expect(&sb, 0xa0, &v0) == 0 &&
            psc_cursor_der_expect(&v0, 0x30, &cb) == 0 &&
            psc_cursor_der_element(&cb, &oid, &oidlen) == 0 &&
            psc_cursor_der_expect(&cb, 0xa0, &v1) == 0 &&
            psc_cursor_der_expect(&v1, 0x04, &os) == 0 &&
            (certlen = psc_cursor_remaining(&os)) > 0 &&
            psc_cursor_bytes(&os, certlen, &cert) == 0) {
            psc_err quiet;
            memset(&quiet, 0, sizeof quiet);
            c = psc_store_add_cert_der(st, cert, certlen, path, &quiet);
        }
    }
    OPENSSL_free(der);
    ERR_clear_error();
    return c;
}

