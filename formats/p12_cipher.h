/* Cipher availability for PKCS#12 (formats/p12_cipher.c). */
#ifndef PSC_P12_CIPHER_H
#define PSC_P12_CIPHER_H

/* Is the cipher usable here?  Loads OpenSSL's legacy provider (keeping the
 * default one) the first time a cipher is missing.  *legacy_failed is set
 * when that load was needed and failed. */
int psc_p12_cipher_ready(const char *name, int *legacy_failed);

#endif
