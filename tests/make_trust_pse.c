/* Trust-list PSEs for the end-to-end tests (tests/e2e/test_pse.sh), built
 * with ../pse_build.h like the unit test's and the fuzz seeds: SAP publishes
 * such PSEs (no PIN, no own certificate, no key, one PKList of signed
 * certificates) but their licence keeps them out of this repository, so the
 * tests make the same shape from the fixture PKI and Debian's public roots.
 *
 *   make_trust_pse [-c] [-t K] [-u NAME] [-p PIN] OUT.pse CERTS.pem
 *
 * Every certificate of CERTS.pem goes into the list, in file order.
 *   -c       the list is a CertList object instead of a PKList
 *   -t K     the last K entries hold only the to-be-signed part (the older
 *            PKList form, which cannot become a certificate)
 *   -u NAME  add an object of a type pseconv does not know, named NAME
 *   -p PIN   encrypt (v2 container, 3DES PBE, 2048 iterations); default plain v2
 * Exit status 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "pse_build.h"

#define MAX_CERTS 4096
#define USAGE "usage: make_trust_pse [-c] [-t K] [-u NAME] [-p PIN] OUT.pse CERTS.pem"

static int fail(const char *what)
{
    fprintf(stderr, "make_trust_pse: %s\n", what);
    ERR_print_errors_fp(stderr);
    return 1;
}

int main(int argc, char **argv)
{
    const char *list = "PKList", *unknown = NULL, *pin = NULL;
    long tbs = 0;
    int opt;
    while ((opt = getopt(argc, argv, "ct:u:p:")) != -1) {
        switch (opt) {
        case 'c': list = "CertList"; break;
        case 't': tbs = strtol(optarg, NULL, 10); break;
        case 'u': unknown = optarg; break;
        case 'p': pin = optarg; break;
        default: return fail(USAGE);
        }
    }
    if (argc - optind != 2 || tbs < 0)
        return fail(USAGE);
    static X509 *certs[MAX_CERTS];
    static unsigned char form[MAX_CERTS];
    size_t n = 0;
    FILE *in = fopen(argv[optind + 1], "r");
    if (in == NULL)
        return fail("cannot open the certificate file");
    while (n < MAX_CERTS && (certs[n] = PEM_read_X509(in, NULL, NULL, NULL)) != NULL)
        n++;
    fclose(in);
    ERR_clear_error(); /* the end of the file shows as "no start line" */
    for (size_t i = 0; i < n; i++)
        form[i] = i + (size_t)tbs >= n ? PSE_TRUST_TBS : PSE_TRUST_SIGNED;
    psc_buf content, file;
    int rc = 1;
    psc_buf_init(&file);
    if (n == 0) {
        fail("no certificate in the certificate file");
    } else if (pse_build_trust_content(certs, n, form, list, unknown, &content) != 0) {
        fail("cannot build the PSE content");
    } else {
        int built = pin ? pse_build_make_v2(content.data, content.len, pin, 2048, &file)
                        : pse_build_plain_v2(content.data, content.len, &file);
        FILE *out = built == 0 ? fopen(argv[optind], "wb") : NULL;
        if (out == NULL) {
            fail(built == 0 ? "cannot create the output file" : "cannot build the PSE");
        } else {
            int ok = fwrite(file.data, 1, file.len, out) == file.len;
            if (fclose(out) != 0 || !ok)
                fail("cannot write the output file");
            else
                rc = 0;
        }
        psc_buf_free(&content, 0);
    }
    psc_buf_free(&file, 0);
    for (size_t i = 0; i < n; i++)
        X509_free(certs[i]);
    return rc;
}
