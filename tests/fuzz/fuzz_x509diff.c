/* libFuzzer harness fuzz_x509diff (issue 17): every input goes through the
 * certificate store twice, with the DER walk and with d2i_X509 only
 * (PSC_NOLITE), and any disagreement on accept/reject or on a fact
 * (tests/x509diff.h) aborts.  Seeds: certificates from fixtures/ and the
 * unusual-but-valid ones tests/e2e/certgen.py builds (scripts/fuzz.sh).
 *
 * Speed: d2i_X509 makes a hundred small allocations per certificate (the
 * provider decoders), and under ASan those cost more than the decoding.
 * OpenSSL's own allocations therefore go to glibc directly: memory errors
 * in pseconv's code are still caught, OpenSSL's internals (not under test
 * here; the reader harnesses keep them under ASan) are not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/crypto.h>

#include "../x509diff.h"

extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static void *plain_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return __libc_malloc(n);
}

static void *plain_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return __libc_realloc(p, n);
}

static void plain_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    __libc_free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (getenv("PSC_FUZZ_OPENSSL_ASAN") == NULL &&
        !CRYPTO_set_mem_functions(plain_malloc, plain_realloc, plain_free)) {
        fprintf(stderr, "fuzz_x509diff: cannot set OpenSSL's allocator\n");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[1024];
    if (x509diff_one(data, size, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_x509diff: the DER walk and OpenSSL disagree: %s\n", why);
        abort();
    }
    return 0;
}
