/* The floor for inspect of a JKS (scripts/bench.sh "limit"): read the file,
 * walk its entries, SHA-256 each certificate and SHA-1 over the whole file
 * (what the integrity check costs), nothing else.  Prints the number of
 * certificates and the in-process time in seconds.  Built by bench.sh:
 *   cc -O2 -o floor floor.c -lcrypto
 * Trusted-certificate and key entries of a version 2 JKS are walked; any
 * other layout ends with exit 2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

static const unsigned char *p, *end;

static int need(size_t n) { return (size_t)(end - p) >= n; }

static uint32_t u32(void)
{
    if (!need(4))
        exit(2);
    uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    p += 4;
    return v;
}

static const unsigned char *skip(size_t n)
{
    if (!need(n))
        exit(2);
    const unsigned char *q = p;
    p += n;
    return q;
}

static void utf(void)
{
    if (!need(2))
        exit(2);
    size_t n = (size_t)p[0] << 8 | p[1];
    p += 2;
    skip(n);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL)
        return 2;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(len > 0 ? (size_t)len : 1);
    if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    p = buf;
    end = buf + len;
    unsigned char md[32];
    unsigned int mdlen;
    EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL), *sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    EVP_Digest(buf, (size_t)len, md, &mdlen, sha1, NULL);
    u32(); /* magic */
    u32(); /* version */
    uint32_t n = u32(), certs = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t tag = u32();
        utf();    /* alias */
        skip(8);  /* date */
        uint32_t chain = 1;
        if (tag == 1) {
            skip(u32()); /* protected key */
            chain = u32();
        } else if (tag != 2)
            return 2;
        for (uint32_t k = 0; k < chain; k++) {
            utf(); /* "X.509" */
            uint32_t clen = u32();
            const unsigned char *der = skip(clen);
            EVP_Digest(der, clen, md, &mdlen, sha256, NULL);
            certs++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%u %.6f\n", certs, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(buf);
    EVP_MD_free(sha256);
    EVP_MD_free(sha1);
    return 0;
}
