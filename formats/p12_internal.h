/* Private to formats/p12.c (reader, probe) and formats/p12_write.c (writer). */
#ifndef PSC_P12_INTERNAL_H
#define PSC_P12_INTERNAL_H

#include <stdint.h>
#include <openssl/x509.h>
#include "format.h"

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

/* Is the cipher usable here?  Loads OpenSSL's legacy provider (keeping the
 * default one) the first time a cipher is missing.  *legacy_failed is set
 * when that load was needed and failed. */
int psc_p12_cipher_ready(const char *name, int *legacy_failed);

/* Before any password-based key derivation (PKCS#12 bags and MAC, encrypted
 * PEM/DER PKCS#8): each derivation under the iteration cap, and all of one
 * file's derivations under the per-file budget (4x the cap, or
 * PSECONV_MAX_FILE_ITERATIONS), so a small file cannot buy hours of work. */
typedef struct psc_pbe_guard {
    const char *path, *kind;     /* for messages: "x.p12", "PKCS#12" */
    unsigned long cap;
    unsigned long long budget, spent;
    psc_err *e;
} psc_pbe_guard;
int psc_pbe_guard_init(psc_pbe_guard *g, const char *path, const char *kind, unsigned long cap,
                       psc_err *e);
/* Charge iter iterations; PSC_EINPUT when over the cap or the budget. */
int psc_pbe_guard_spend(psc_pbe_guard *g, uint64_t iter, const char *what);
/* Check a PBE AlgorithmIdentifier (PKCS#12 PBE, PBES1, PBES2 with PBKDF2 or
 * scrypt): iterations charged to g, the cipher available (the legacy provider
 * loaded on demand). */
int psc_pbe_check(psc_pbe_guard *g, const X509_ALGOR *alg, const char *what);
/* An iteration INTEGER (absent: 1) charged to g. */
int psc_pbe_check_iter(psc_pbe_guard *g, const ASN1_INTEGER *ai, const char *what);

#endif
