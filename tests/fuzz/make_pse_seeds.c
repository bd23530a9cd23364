/* Seeds for fuzz_pse that are cheap to decrypt: the harness caps PSE PBE
 * iterations (fuzz_read.h), and sapgenpse-made files use 10000, so the
 * encrypted paths are only reached through PSEs made here at a low count.
 * Built with ../pse_build.h, the same builders unit.test_pse uses.
 *
 *   make_pse_seeds PLAIN_PSE FIXTURES_PKI_DIR OUT_DIR ITERATIONS
 *
 * PLAIN_PSE: a plain v2 PSE (fixtures/third-party/pysap-pse/
 * pse_v2_lps_off_pbes1_3des_sha1_plain.pse), whose content the v2/v4 seeds
 * carry; FIXTURES_PKI_DIR: fixtures/pki, for the chain and trust-list seeds
 * (the trust-list seeds also take the first ten of Debian's public roots,
 * /etc/ssl/certs/ca-certificates.crt, where the machine has it).  Encrypted
 * seeds use PIN 1234567980 (the pysap family password the harness tries).
 * Exit status 0, or 1 with a message on any failure. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../pse_build.h"

#define PIN "1234567980"
#define PLAIN_MAX (1u << 20)

static int path_in(char *path, size_t size, const char *dir, const char *name)
{
    int n = snprintf(path, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "make_pse_seeds: path too long: %s/%s\n", dir, name);
        return -1;
    }
    return 0;
}

/* PEM certificate (key NULL) or private key (x NULL) DIR/NAME. */
static int load_pem(const char *dir, const char *name, X509 **x, EVP_PKEY **key)
{
    char path[PATH_MAX];
    if (path_in(path, sizeof path, dir, name) != 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "make_pse_seeds: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ok = x ? (*x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL
               : (*key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) != NULL;
    fclose(f);
    if (!ok) {
        fprintf(stderr, "make_pse_seeds: %s: not a PEM %s\n", path,
                x ? "certificate" : "private key");
        ERR_print_errors_fp(stderr);
        return -1;
    }
    return 0;
}

/* Write what a builder made (built: its return value) to DIR/NAME; b is freed. */
static int emit(const char *dir, const char *name, int built, psc_buf *b)
{
    char path[PATH_MAX];
    int rc = -1;
    if (built != 0) {
        fprintf(stderr, "make_pse_seeds: cannot build %s\n", name);
        ERR_print_errors_fp(stderr);
    } else if (path_in(path, sizeof path, dir, name) == 0) {
        FILE *f = fopen(path, "wb");
        if (f == NULL) {
            fprintf(stderr, "make_pse_seeds: cannot create %s: %s\n", path, strerror(errno));
        } else {
            int ok = fwrite(b->data, 1, b->len, f) == b->len;
            if (fclose(f) != 0)
                ok = 0;
            if (ok) {
                printf("%s (%zu bytes)\n", path, b->len);
                rc = 0;
            } else {
                fprintf(stderr, "make_pse_seeds: cannot write %s: %s\n", path, strerror(errno));
            }
        }
    }
    psc_buf_free(b, 0);
    return rc;
}

#define DEBIAN_ROOTS "/etc/ssl/certs/ca-certificates.crt"
#define DEBIAN_SEED_ROOTS 10 /* as many as SAP's published BTP trust list holds */

/* One trust-list PSE seed (issue 23): the list object `list` of certs in the
 * given forms (NULL: all signed), an unknown object when `unknown`, in a
 * plain v2 file or, with pin, an encrypted v4 file. */
static int trust_seed(const char *out, const char *name, X509 *const *certs, size_t n,
                      const unsigned char *form, const char *list, const char *unknown,
                      const char *pin, int it)
{
    psc_buf content, b;
    psc_buf_init(&b);
    if (pse_build_trust_content(certs, n, form, list, unknown, &content) != 0)
        return emit(out, name, -1, &b);
    int built = pin ? pse_build_make_v4(content.data, content.len, pin, it, 0, &b)
                    : pse_build_plain_v2(content.data, content.len, &b);
    psc_buf_free(&content, 0);
    return emit(out, name, built, &b);
}

/* Trust-list PSEs as SAP publishes them (no Cert, no key, no PIN, a PKList of
 * signed certificates) from the fixture roots and, where the machine has
 * them, the first Debian public roots; plus the shapes the reader must name
 * or refuse: to-be-signed-only entries, an unknown object, nothing usable. */
static int trust_seeds(const char *pki, const char *out, int it)
{
    static const char *const names[] = {"lb-root.crt", "lb-intermediate.crt", "hci-root.crt",
                                        "corp-root.crt", "p384-root.crt"};
    enum { N = sizeof names / sizeof names[0] };
    static const unsigned char mixed[N] = {PSE_TRUST_SIGNED, PSE_TRUST_TBS, PSE_TRUST_SIGNED,
                                           PSE_TRUST_TBS, PSE_TRUST_SIGNED};
    static const unsigned char tbs[N] = {PSE_TRUST_TBS, PSE_TRUST_TBS, PSE_TRUST_TBS,
                                         PSE_TRUST_TBS, PSE_TRUST_TBS};
    X509 *certs[N] = {NULL}, *roots[DEBIAN_SEED_ROOTS] = {NULL};
    size_t nroots = 0;
    int ok = 1;
    for (size_t i = 0; i < N && ok; i++)
        ok = load_pem(pki, names[i], &certs[i], NULL) == 0;
    ok = ok &&
         trust_seed(out, "seed-trust-pklist.pse", certs, N, NULL, "PKList", NULL, NULL, it) == 0 &&
         trust_seed(out, "seed-trust-mixed.pse", certs, N, mixed, "PKList", "CrlSet", NULL,
                    it) == 0 &&
         trust_seed(out, "seed-trust-tbs-only.pse", certs, N, tbs, "PKList", NULL, NULL, it) == 0 &&
         trust_seed(out, "seed-trust-certlist-v4-enc.pse", certs, N, NULL, "CertList", NULL, PIN,
                    it) == 0;
    FILE *f = ok ? fopen(DEBIAN_ROOTS, "r") : NULL;
    if (f != NULL) {
        while (nroots < DEBIAN_SEED_ROOTS &&
               (roots[nroots] = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
            nroots++;
        fclose(f);
        ERR_clear_error();
        ok = nroots == 0 || trust_seed(out, "seed-trust-debian-roots.pse", roots, nroots, NULL,
                                       "PKList", NULL, NULL, it) == 0;
    }
    for (size_t i = 0; i < N; i++)
        X509_free(certs[i]);
    for (size_t i = 0; i < nroots; i++)
        X509_free(roots[i]);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: make_pse_seeds PLAIN_PSE FIXTURES_PKI_DIR OUT_DIR ITERATIONS\n");
        return 1;
    }
    const char *plain_path = argv[1], *pki = argv[2], *out = argv[3];
    char *end;
    errno = 0;
    long iter = strtol(argv[4], &end, 10);
    if (errno != 0 || end == argv[4] || *end != '\0' || iter < 1 || iter > INT_MAX) {
        fprintf(stderr, "make_pse_seeds: ITERATIONS must be a whole number from 1 to %d, not %s\n",
                INT_MAX, argv[4]);
        return 1;
    }
    int it = (int)iter;
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "make_pse_seeds: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }

    int ok = 0;
    psc_buf plain, chain, b;
    psc_err e;
    memset(&e, 0, sizeof e);
    psc_buf_init(&plain), psc_buf_init(&chain), psc_buf_init(&b);
    X509 *leaf = NULL, *ca = NULL, *root = NULL, *lb = NULL, *hci = NULL;
    EVP_PKEY *key = NULL;
    const unsigned char *c;
    size_t n;
    if (psc_buf_read_file(&plain, plain_path, PLAIN_MAX, &e) != 0) {
        fprintf(stderr, "make_pse_seeds: %s\n", e.msg);
        goto done;
    }
    if (pse_build_v2_content(plain.data, plain.len, &c, &n) != 0) {
        fprintf(stderr, "make_pse_seeds: %s is not a plain v2 PSE\n", plain_path);
        goto done;
    }
    if (load_pem(pki, "erp-rsa.crt", &leaf, NULL) != 0 ||
        load_pem(pki, "corp-issuing.crt", &ca, NULL) != 0 ||
        load_pem(pki, "corp-root.crt", &root, NULL) != 0 ||
        load_pem(pki, "lb-root.crt", &lb, NULL) != 0 ||
        load_pem(pki, "hci-root.crt", &hci, NULL) != 0 ||
        load_pem(pki, "erp-rsa.key", NULL, &key) != 0)
        goto done;
    if (pse_build_chain_content(leaf, ca, root, lb, hci, key, &chain) != 0) {
        fprintf(stderr, "make_pse_seeds: cannot build the chain PSE content\n");
        ERR_print_errors_fp(stderr);
        goto done;
    }
    ok = emit(out, "seed-v2-enc.pse", pse_build_make_v2(c, n, PIN, it, &b), &b) == 0 &&
         emit(out, "seed-v4-plain.pse", pse_build_make_v4(c, n, NULL, it, 0, &b), &b) == 0 &&
         emit(out, "seed-v4-enc.pse", pse_build_make_v4(c, n, PIN, it, 0, &b), &b) == 0 &&
         emit(out, "seed-v4-baddigest.pse", pse_build_make_v4(c, n, NULL, it, 1, &b), &b) == 0 &&
         emit(out, "seed-chain-v2-plain.pse", pse_build_plain_v2(chain.data, chain.len, &b),
              &b) == 0 &&
         emit(out, "seed-chain-v2-enc.pse", pse_build_make_v2(chain.data, chain.len, PIN, it, &b),
              &b) == 0 &&
         emit(out, "seed-chain-v4-enc.pse",
              pse_build_make_v4(chain.data, chain.len, PIN, it, 0, &b), &b) == 0 &&
         trust_seeds(pki, out, it) == 0;
done:
    psc_buf_free(&plain, 0), psc_buf_free(&chain, 1), psc_buf_free(&b, 0);
    X509_free(leaf), X509_free(ca), X509_free(root), X509_free(lb), X509_free(hci);
    EVP_PKEY_free(key);
    return ok ? 0 : 1;
}
