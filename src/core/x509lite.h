/* A certificate's facts straight from its DER, without decoding the public
 * key.  OpenSSL 3's d2i_X509 decodes every certificate's key through the
 * provider decoders (EC group creation and all): half of the time `inspect`
 * spends on a 10,000-entry trust store, for keys nobody looks at.  This walk
 * reads the structure with the bounds-checked cursor and hands only the small
 * pieces OpenSSL does well (Names, Times, OIDs, INTEGERs) to OpenSSL.
 *
 * Strictness: everything accepted here is also accepted by d2i_X509
 * (definite lengths only, no constructed strings, no trailing bytes inside
 * any structure, INTEGER/OID/BIT STRING contents checked as OpenSSL does).  Certificates OpenSSL takes but this walk refuses (BER
 * encodings, unusual key algorithms) make the store fall back to d2i_X509, so
 * nothing that loaded before fails to load now. */
#ifndef PSC_X509LITE_H
#define PSC_X509LITE_H

#include <stddef.h>
#include <openssl/x509.h>

typedef struct psc_x509lite {
    /* Pointers into the caller's DER (valid while it is). */
    const unsigned char *serial;    /* the serialNumber INTEGER element (tag + length + value) */
    size_t serial_len;
    const unsigned char *issuer;    /* Name elements, exact bytes */
    size_t issuer_len;
    const unsigned char *subject;
    size_t subject_len;
    const unsigned char *not_before; /* Time elements (UTCTime / GeneralizedTime) */
    size_t not_before_len;
    const unsigned char *not_after;
    size_t not_after_len;
    const unsigned char *ski;       /* subjectKeyIdentifier value, NULL if absent */
    size_t ski_len;
    const unsigned char *aki;       /* authorityKeyIdentifier keyIdentifier [0], NULL if absent */
    size_t aki_len;
    const unsigned char *aki_ext;   /* the whole AKI value when it counts (for its issuer
                                     * and serial, which only the self-signed rule reads) */
    size_t aki_ext_len;
    int aki_names_issuer;           /* the AKI holds authorityCertIssuer or -SerialNumber */
    int sig_nid;                    /* outer signatureAlgorithm, NID_undef when unknown */
    const unsigned char *sig_oid;   /* its OBJECT IDENTIFIER element (for the dotted form) */
    size_t sig_oid_len;
    int tbs_sig_nid;                /* the TBS signature field (OpenSSL's self-signed rule) */
    /* Key facts from the SPKI without building a key: "RSA" (also RSASSA-PSS)
     * with the modulus bit length, or "EC" with a named curve.  key_known = 0
     * for every other algorithm: the caller asks EVP_PKEY. */
    int key_known;
    char key_type[8];
    int key_bits;
    int curve_nid;                  /* EC: the named curve, else NID_undef */
    int key_invalid;                /* EC on a known curve whose point OpenSSL refuses
                                     * (off the curve, wrong length): key_known = 1 */
    /* Extensions, with OpenSSL's X509_get_extension_flags() meaning: an
     * extension counts only when it occurs once and its value decodes. */
    int is_ca;                      /* basicConstraints present with cA TRUE */
    int has_eku;
    int eku_client, eku_server;     /* clientAuth / serverAuth, or anyExtendedKeyUsage */
} psc_x509lite;

/* Walk one certificate that spans exactly der[0..len).  0 on success, -1 when
 * it is not a DER certificate this walk accepts, or when one of the
 * extensions it reads is BER that OpenSSL decodes (the caller then takes
 * d2i_X509's facts). */
int psc_x509lite_parse(const unsigned char *der, size_t len, psc_x509lite *out);

/* 1 when i2d_X509 of what d2i_X509 reads from der[0..len) gives exactly
 * these bytes, without decoding anything: OpenSSL keeps the TBS as read
 * (even BER) and re-encodes only the outer header, the signatureAlgorithm
 * (a universal primitive parameter; other parameters are kept as read) and
 * the signature BIT STRING (unused bits cleared).  0: a non-minimal length,
 * indefinite length or dirty unused bits there (or not a certificate): ask
 * OpenSSL for the re-encoding. */
int psc_x509lite_canonical(const unsigned char *der, size_t len);

/* The bit length of curve_nid's group order (P-256: 256), cached per curve;
 * 0 when OpenSSL does not know the curve. */
int psc_x509lite_curve_bits(int curve_nid);

/* Does OpenSSL load this EC point (o2i_ECPublicKey: EC_POINT_oct2point on
 * the named curve: the encoding's length, coordinates below p, the point on
 * the curve)?  Uncompressed points on prime curves are checked here in
 * Montgomery form; any other answers EC_POINT_oct2point.  One group per
 * curve for the process. */
int psc_x509lite_ec_point_ok(int curve_nid, const unsigned char *pt, size_t n);

#endif
