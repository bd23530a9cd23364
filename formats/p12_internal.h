/* Private to formats/p12.c (reader, probe) and formats/p12_write.c (writer). */
#ifndef PSC_P12_INTERNAL_H
#define PSC_P12_INTERNAL_H

#include "format.h"
#include "p12_cipher.h"
#include "pbe_guard.h"

/* Oracle's "trusted key usage" bag attribute: Java lists a certificate bag
 * as a trustedCertEntry only when it carries this attribute.  keytool writes
 * the value as a SET holding the OID anyExtendedKeyUsage. */
#define PSC_P12_JAVA_TRUST_OID "2.16.840.1.113894.746875.1.1"
#define PSC_P12_ANY_EKU_OID "2.5.29.37.0"

/* The profiles pseconv writes.  Modern = what OpenSSL 3's `pkcs12 -export`
 * writes by default (PBES2 + PBKDF2-HMAC-SHA256 + AES-256-CBC for keys and
 * certificates, HMAC-SHA256 MAC, PKCS12_DEFAULT_ITER = 2048 iterations). */
#define PSC_P12_WRITE_ITER 2048

/* SAP Cloud Integration limits checked with --for cpi. */

int psc_p12_write(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e);

#endif
