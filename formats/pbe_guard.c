/* Work limits for password-based key derivation, shared by the PKCS#12 reader
 * and the PEM/DER PKCS#8 key readers (see p12_internal.h).  A file is
 * untrusted input: its iteration counts are checked, and charged to a per-file
 * budget, before any derivation runs. */
#include "pbe_guard.h"
#include "format.h"
#include "p12_cipher.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#define MAX_SCRYPT_COST (1UL << 20)

static int guard_damaged(psc_pbe_guard *g, const char *what)
{
    return psc_fail(g->e, PSC_EINPUT, "%s is damaged: %s; get a fresh copy or re-export it",
                    g->path, what);
}

static int too_many_iterations(psc_pbe_guard *g, const char *what, uint64_t iter)
{
    return psc_fail(g->e, PSC_EINPUT,
                    "%s: the %s %s asks for %llu key-derivation iterations, more than the "
                    "limit of %lu; refusing to spend that time on an untrusted file",
                    g->path, g->kind, what, (unsigned long long)iter, g->cap);
}

int psc_pbe_guard_init(psc_pbe_guard *g, const char *path, const char *kind, unsigned long cap,
                       psc_err *e)
{
    memset(g, 0, sizeof *g);
    g->path = path;
    g->kind = kind;
    g->cap = cap ? cap : PSC_DEFAULT_MAX_ITERATIONS;
    g->e = e;
    g->budget = 4ULL * g->cap;
    const char *v = getenv("PSECONV_MAX_FILE_ITERATIONS");
    if (v == NULL || *v == '\0')
        return PSC_OK;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno != 0 || *end != '\0' || !isdigit((unsigned char)v[0]) || n == 0)
        return psc_fail(e, PSC_EUSAGE,
                        "PSECONV_MAX_FILE_ITERATIONS=%.40s is not a positive number; unset it or "
                        "give the per-file key-derivation budget",
                        v);
    g->budget = n;
    return PSC_OK;
}

int psc_pbe_guard_spend(psc_pbe_guard *g, uint64_t iter, const char *what)
{
    if (iter > g->cap)
        return too_many_iterations(g, what, iter);
    /* the cap is per derivation; a file with many bags adds them up */
    g->spent += iter;
    if (g->spent > g->budget)
        return psc_fail(g->e, PSC_EINPUT,
                        "%s: the %s asks for more than %llu key-derivation iterations in total "
                        "(the per-file budget, 4x the per-derivation limit); refusing to spend "
                        "that time on an untrusted file (PSECONV_MAX_FILE_ITERATIONS raises it)",
                        g->path, g->kind, g->budget);
    return PSC_OK;
}

/* Read an iteration INTEGER (absent = 1 per PKCS#12) and check it. */
int psc_pbe_check_iter(psc_pbe_guard *g, const ASN1_INTEGER *ai, const char *what)
{
    uint64_t it = 1;
    if (ai != NULL && ASN1_INTEGER_get_uint64(&it, ai) != 1) {
        ERR_clear_error();
        return guard_damaged(g, "negative or oversized iteration count");
    }
    return psc_pbe_guard_spend(g, it, what);
}

static int need_cipher(psc_pbe_guard *g, const char *name, const char *what)
{
    int legacy_failed = 0;
    if (psc_p12_cipher_ready(name, &legacy_failed))
        return PSC_OK;
    if (legacy_failed)
        return psc_fail(g->e, PSC_EINPUT,
                        "%s: the %s needs %s from OpenSSL's legacy provider, which could not "
                        "be loaded; install it or re-export the file with modern algorithms",
                        g->path, what, name);
    return psc_fail(g->e, PSC_EINPUT, "%s: the %s uses %s, which this OpenSSL cannot decrypt",
                    g->path, what, name);
}

/* Check a PBE AlgorithmIdentifier (PKCS#12 PBE, PKCS#5 PBES1 or PBES2)
 * before using it: iteration count under the cap, cipher available. */
int psc_pbe_check(psc_pbe_guard *g, const X509_ALGOR *alg, const char *what)
{
    const ASN1_OBJECT *obj;
    int ptype;
    const void *pval;
    X509_ALGOR_get0(&obj, &ptype, &pval, alg);
    const ASN1_TYPE *param = alg->parameter;
    int nid = OBJ_obj2nid(obj);
    char oidtxt[80];
    OBJ_obj2txt(oidtxt, sizeof oidtxt, obj, 1);
    if (param == NULL || param->type != V_ASN1_SEQUENCE)
        return guard_damaged(g, "encryption parameters missing");

    if (nid == NID_pbes2) {
        PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), param);
        if (p2 == NULL || p2->keyfunc == NULL || p2->encryption == NULL) {
            PBE2PARAM_free(p2);
            ERR_clear_error();
            return guard_damaged(g, "PBES2 parameters do not parse");
        }
        int rc = PSC_OK, kdf = OBJ_obj2nid(p2->keyfunc->algorithm);
        if (kdf == NID_id_pbkdf2) {
            PBKDF2PARAM *kp = p2->keyfunc->parameter
                                  ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
                                                              p2->keyfunc->parameter)
                                  : NULL;
            rc = kp == NULL ? guard_damaged(g, "PBKDF2 parameters do not parse")
                            : psc_pbe_check_iter(g, kp->iter, what);
            PBKDF2PARAM_free(kp);
        } else if (kdf == NID_id_scrypt) {
            SCRYPT_PARAMS *sp = p2->keyfunc->parameter
                                    ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS),
                                                                p2->keyfunc->parameter)
                                    : NULL;
            uint64_t cost = 0;
            if (sp == NULL || ASN1_INTEGER_get_uint64(&cost, sp->costParameter) != 1)
                rc = guard_damaged(g, "scrypt parameters do not parse");
            else if (cost > MAX_SCRYPT_COST)
                rc = too_many_iterations(g, what, cost);
            SCRYPT_PARAMS_free(sp);
        } else {
            char kdftxt[80];
            OBJ_obj2txt(kdftxt, sizeof kdftxt, p2->keyfunc->algorithm, 0);
            rc = psc_fail(g->e, PSC_EINPUT, "%s: the %s uses the unsupported key derivation %s",
                          g->path, what, kdftxt);
        }
        int cnid = OBJ_obj2nid(p2->encryption->algorithm);
        if (rc == PSC_OK && (cnid == NID_undef || OBJ_nid2sn(cnid) == NULL)) {
            OBJ_obj2txt(oidtxt, sizeof oidtxt, p2->encryption->algorithm, 1);
            rc = psc_fail(g->e, PSC_EINPUT, "%s: the %s uses the unknown cipher %s",
                          g->path, what, oidtxt);
        }
        if (rc == PSC_OK)
            rc = need_cipher(g, OBJ_nid2sn(cnid), what);
        PBE2PARAM_free(p2);
        ERR_clear_error();
        return rc;
    }

    int cnid = NID_undef, mnid = NID_undef;
    if (nid == NID_undef || !EVP_PBE_find(EVP_PBE_TYPE_OUTER, nid, &cnid, &mnid, NULL) ||
        cnid == NID_undef) {
        ERR_clear_error();
        return psc_fail(g->e, PSC_EINPUT, "%s: the %s uses the unknown encryption algorithm %s",
                        g->path, what, oidtxt);
    }
    PBEPARAM *pp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), param);
    int rc = pp == NULL ? guard_damaged(g, "PBE parameters do not parse") : psc_pbe_check_iter(g, pp->iter, what);
    PBEPARAM_free(pp);
    ERR_clear_error();
    return rc == PSC_OK ? need_cipher(g, OBJ_nid2sn(cnid), what) : rc;
}

