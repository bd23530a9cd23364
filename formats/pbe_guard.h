/* The work bound of password-based key derivation (formats/pbe_guard.c),
 * shared by PKCS#12, PEM and DER PKCS#8 readers. */
#ifndef PSC_PBE_GUARD_H
#define PSC_PBE_GUARD_H

#include <stdint.h>
#include <openssl/x509.h>
#include "../src/core/error.h"

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
