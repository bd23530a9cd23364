/* Ciphers for PKCS#12: OpenSSL 3 keeps RC2, RC4 and single DES (what old
 * PKCS#12 files use) in the legacy provider.  Shared by the reader (p12.c)
 * and the writer (p12_write.c, --legacy 3DES), below both. */
#include "p12_cipher.h"

#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

static int cipher_fetchable(const char *name)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    EVP_CIPHER_free(c);
    ERR_clear_error();
    return c != NULL;
}

static OSSL_PROVIDER *prov_default, *prov_legacy;

/* Drop our references before OPENSSL_cleanup (registered earlier, so it
 * runs later) frees the provider store; otherwise they stay allocated. */
static void unload_providers(void)
{
    if (prov_legacy)
        OSSL_PROVIDER_unload(prov_legacy);
    if (prov_default)
        OSSL_PROVIDER_unload(prov_default);
    prov_legacy = prov_default = NULL;
}

int psc_p12_cipher_ready(const char *name, int *legacy_failed)
{
    static int tried;
    if (cipher_fetchable(name))
        return 1;
    if (!tried) {
        /* Loading a provider explicitly turns off the implicit default
         * one unless fallbacks are retained; load both to be sure. */
        tried = 1;
        prov_default = OSSL_PROVIDER_try_load(NULL, "default", 1);
        prov_legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
        if (prov_default || prov_legacy)
            atexit(unload_providers);
        ERR_clear_error();
    }
    if (prov_legacy == NULL && legacy_failed)
        *legacy_failed = 1;
    return cipher_fetchable(name);
}
