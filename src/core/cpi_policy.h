/* SAP Cloud Integration limits that keystore writers check with --for cpi
 * (JKS and PKCS#12 share this one place).  Findings become store warnings:
 * - reserved aliases: sap_*, hcicertificate, hcicertificate1, hcimsgcertificate
 *   (SAP owns them; an upload with them is refused or overwrites SAP's keys);
 * - keystore password policy: at least 8 ASCII characters from at least 3 of
 *   lower case, upper case, digits, special characters;
 * - "Add > Key Pair" files over 30,720 bytes (checked when the store holds a key pair). */
#ifndef PSC_CPI_POLICY_H
#define PSC_CPI_POLICY_H

#include <stddef.h>
#include "store.h"
#include "secret.h"

#define PSC_CPI_MAX_KEYPAIR_FILE_BYTES 30720u

void psc_cpi_policy_check(psc_store *st, const psc_secret *password, size_t file_bytes);

/* The pieces, for tests: 1 when alias is reserved by SAP; 1 when the password meets the policy. */
int psc_cpi_alias_reserved(const char *alias);
int psc_cpi_password_ok(const psc_secret *password);

#endif
