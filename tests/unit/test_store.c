/* The store and the chain builder, fed with certificates parsed by OpenSSL
 * directly (not by our readers), so a reader bug cannot hide a store bug. */
#include "unit.h"
#include "keypair.h"
#include "chain.h"
#include "store.h"
#include "keypair.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <string.h>

static X509 *load_x509(const char *name)
{
    BIO *b = BIO_new_file(unit_fixture(name), "r");
    X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    CU_ASSERT_PTR_NOT_NULL(x);
    return x;
}

static EVP_PKEY *load_key(const char *name)
{
    BIO *b = BIO_new_file(unit_fixture(name), "r");
    EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    CU_ASSERT_PTR_NOT_NULL(k);
    return k;
}

static psc_cert *add(psc_store *st, const char *name)
{
    X509 *x = load_x509(name);
    psc_err e = {0};
    psc_cert *c = x ? psc_store_add_x509(st, x, name, &e) : NULL;
    X509_free(x);
    CU_ASSERT_PTR_NOT_NULL(c);
    return c;
}

static psc_entry *add_entry(psc_store *st, const char *name, const char *file)
{
    psc_cert *c = add(st, name);
    psc_entry *en = psc_store_add_entry(st, PSC_ENTRY_CERT, NULL, file, "pem", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(en);
    CU_ASSERT_EQUAL(psc_entry_push_cert(en, c), 0);
    return en;
}

static void test_dedupe_and_facts(void)
{
    psc_store *st = psc_store_new();
    psc_cert *a = add(st, "pki/erp-client.crt");
    psc_cert *b = add(st, "pki/erp-client.crt");
    CU_ASSERT_PTR_EQUAL(a, b);
    CU_ASSERT_EQUAL(psc_store_cert_count(st), 1);

    X509 *x = load_x509("pki/erp-client.crt");
    unsigned char md[32];
    unsigned int n = 0;
    CU_ASSERT_EQUAL(X509_digest(x, EVP_sha256(), md, &n), 1);
    CU_ASSERT_EQUAL(memcmp(md, a->sha256, 32), 0);
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(st, md), a);
    X509_free(x);

    CU_ASSERT_STRING_EQUAL(a->subject, "CN=ERP-P41 SSL Client Standard, OU=SAP, O=Nordwind Handel AG, C=DE");
    CU_ASSERT_STRING_EQUAL(a->issuer, "CN=Nordwind Issuing CA 07, O=Nordwind Handel AG, C=DE");
    CU_ASSERT_STRING_EQUAL(a->key_type, "EC");
    CU_ASSERT_STRING_EQUAL(a->curve, "P-256");
    CU_ASSERT_EQUAL(a->key_bits, 256);
    CU_ASSERT_STRING_EQUAL(a->sig_alg, "sha256WithRSAEncryption"); /* signed by the RSA issuing CA */
    CU_ASSERT_TRUE(a->has_eku && a->eku_client && !a->eku_server);
    CU_ASSERT_FALSE(a->is_ca);
    CU_ASSERT_FALSE(a->self_signed);

    psc_cert *root = add(st, "pki/corp-root.crt");
    CU_ASSERT_TRUE(root->is_ca && root->self_signed);
    CU_ASSERT_STRING_EQUAL(root->key_type, "RSA");
    CU_ASSERT_EQUAL(root->key_bits, 3072);
    psc_cert *old = add(st, "pki/sha1.crt");
    CU_ASSERT_STRING_EQUAL(old->sig_alg, "sha1WithRSAEncryption");
    psc_cert *p384 = add(st, "pki/p384-leaf.crt");
    CU_ASSERT_STRING_EQUAL(p384->curve, "P-384");
    CU_ASSERT_STRING_EQUAL(p384->sig_alg, "ecdsa-with-SHA384");
    char t[21];
    psc_time_rfc3339(root->not_before, t);
    CU_ASSERT_STRING_EQUAL(t, "2025-01-01T00:00:00Z");
    psc_time_rfc3339(root->not_after, t);
    CU_ASSERT_STRING_EQUAL(t, "2045-01-01T00:00:00Z");
    psc_store_free(st);
}

static void test_chain_and_roles(void)
{
    psc_store *st = psc_store_new();
    /* Inserted out of order, with unrelated certificates around. */
    psc_cert *root = add(st, "pki/corp-root.crt");
    add(st, "pki/hci-root.crt");
    psc_cert *leaf = add(st, "pki/erp-client.crt");
    add(st, "pki/lb-intermediate.crt");
    psc_cert *issuing = add(st, "pki/corp-issuing.crt");
    psc_chain ch;
    psc_chain_build(st, leaf, time(NULL), &ch);
    CU_ASSERT_EQUAL_FATAL(ch.len, 3);
    CU_ASSERT_PTR_EQUAL(ch.certs[0], leaf);
    CU_ASSERT_PTR_EQUAL(ch.certs[1], issuing);
    CU_ASSERT_PTR_EQUAL(ch.certs[2], root);
    CU_ASSERT_TRUE(ch.complete);
    CU_ASSERT_TRUE(ch.valid_now);
    CU_ASSERT_EQUAL(psc_cert_role(st, leaf), PSC_ROLE_LEAF);
    CU_ASSERT_EQUAL(psc_cert_role(st, issuing), PSC_ROLE_INTERMEDIATE);
    CU_ASSERT_EQUAL(psc_cert_role(st, root), PSC_ROLE_ROOT);
    CU_ASSERT_TRUE(psc_cert_issues_any(st, issuing));
    CU_ASSERT_FALSE(psc_cert_issues_any(st, leaf));
    psc_store_free(st);

    /* Without the root: the best path is incomplete and says so. */
    st = psc_store_new();
    leaf = add(st, "pki/erp-client.crt");
    add(st, "pki/corp-issuing.crt");
    psc_chain_build(st, leaf, time(NULL), &ch);
    CU_ASSERT_EQUAL(ch.len, 2);
    CU_ASSERT_FALSE(ch.complete);
    psc_store_free(st);

    /* The load balancer chain does not issue the HCI client certificate. */
    st = psc_store_new();
    leaf = add(st, "pki/hci-client.crt");
    add(st, "pki/lb-intermediate.crt");
    add(st, "pki/lb-root.crt");
    psc_chain_build(st, leaf, time(NULL), &ch);
    CU_ASSERT_EQUAL(ch.len, 1);
    CU_ASSERT_FALSE(ch.complete);
    psc_store_free(st);
}

/* Two CA certificates that issue each other: path building must end. */
static X509 *make_cert(const char *subject, const char *issuer, EVP_PKEY *subject_key,
                       EVP_PKEY *signer)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_NAME *s = X509_NAME_new(), *i = X509_NAME_new();
    X509_NAME_add_entry_by_txt(s, "CN", MBSTRING_ASC, (const unsigned char *)subject, -1, -1, 0);
    X509_NAME_add_entry_by_txt(i, "CN", MBSTRING_ASC, (const unsigned char *)issuer, -1, -1, 0);
    X509_set_subject_name(x, s);
    X509_set_issuer_name(x, i);
    X509_NAME_free(s);
    X509_NAME_free(i);
    X509_set_pubkey(x, subject_key);
    X509_sign(x, signer, EVP_sha256());
    return x;
}

static void test_circular_chain_terminates(void)
{
    EVP_PKEY *ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *kb = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ka);
    CU_ASSERT_PTR_NOT_NULL_FATAL(kb);
    X509 *a = make_cert("A", "B", ka, kb), *b = make_cert("B", "A", kb, ka);
    X509 *leaf = make_cert("leaf", "A", kb, ka);
    psc_store *st = psc_store_new();
    psc_err e = {0};
    psc_cert *ca = psc_store_add_x509(st, a, "a", &e);
    psc_cert *cb = psc_store_add_x509(st, b, "b", &e);
    psc_cert *cl = psc_store_add_x509(st, leaf, "leaf", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
    psc_chain ch;
    psc_chain_build(st, cl, time(NULL), &ch);
    CU_ASSERT_EQUAL(ch.len, 3); /* leaf, A, B; then B's issuer A is already on the path */
    CU_ASSERT_PTR_EQUAL(ch.certs[1], ca);
    CU_ASSERT_PTR_EQUAL(ch.certs[2], cb);
    CU_ASSERT_FALSE(ch.complete);
    psc_store_free(st);
    X509_free(a);
    X509_free(b);
    X509_free(leaf);
    EVP_PKEY_free(ka);
    EVP_PKEY_free(kb);
}

static void test_pairing(void)
{
    psc_store *st = psc_store_new();
    add_entry(st, "pki/corp-root.crt", "chain.pem"); /* chain material from another file */
    add_entry(st, "pki/erp-client.crt", "bundle.pem");
    add_entry(st, "pki/corp-issuing.crt", "bundle.pem");
    add_entry(st, "pki/hci-root.crt", "other.pem"); /* unrelated: stays */
    CU_ASSERT_EQUAL(psc_store_add_loose_key(st, load_key("pki/erp-client.key"), "bundle.pem", "pem", 4), 0);
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 2);
    psc_entry *kp = psc_store_entry(st, 0);
    CU_ASSERT_EQUAL(kp->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_PTR_NOT_NULL(kp->key);
    CU_ASSERT_EQUAL_FATAL(kp->chain_len, 3);
    CU_ASSERT_STRING_EQUAL(kp->chain[0]->subject, "CN=ERP-P41 SSL Client Standard, OU=SAP, O=Nordwind Handel AG, C=DE");
    CU_ASSERT_STRING_EQUAL(kp->chain[2]->subject, "CN=Nordwind Root CA, O=Nordwind Handel AG, C=DE");
    CU_ASSERT_STRING_EQUAL(kp->alias, "ERP-P41 SSL Client Standard");
    CU_ASSERT_STRING_EQUAL(psc_store_entry(st, 1)->alias, "Fake Baltimore CyberTrust Root");
    CU_ASSERT_PTR_EQUAL(psc_store_find_alias(st, "erp-p41 ssl client STANDARD"), kp);
    psc_store_free(st);

    /* A key whose certificate is missing: a key entry of its own (as OpenSSL
     * and keytool read it), named by its file's name for it, and a warning
     * because the inputs do hold certificates (a mixed-up file?). */
    st = psc_store_new();
    add_entry(st, "pki/corp-root.crt", "bundle.pem");
    CU_ASSERT_EQUAL(psc_store_add_loose_key_named(st, load_key("pki/erp-client.key"), "mine",
                                                  "key.pem", "pem", 0), 0);
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 2);
    psc_entry *ko = psc_store_entry(st, 1);
    CU_ASSERT_EQUAL(ko->type, PSC_ENTRY_KEYPAIR);
    CU_ASSERT_EQUAL(ko->chain_len, 0);
    CU_ASSERT_PTR_NOT_NULL(ko->key);
    CU_ASSERT_STRING_EQUAL(ko->alias, "mine");
    CU_ASSERT_STRING_EQUAL(ko->origin.file, "key.pem");
    CU_ASSERT_EQUAL_FATAL(psc_store_warning_count(st), 1);
    CU_ASSERT_STRING_EQUAL(psc_store_warning(st, 0),
                           "key.pem: no certificate among the inputs matches the private key "
                           "'mine'; it is kept as a key entry without certificate");
    char kd[48];
    psc_pkey_desc(ko->key, kd, sizeof kd);
    CU_ASSERT_STRING_EQUAL(kd, "EC P-256");
    /* ...which no keystore writer takes: a key entry there needs a certificate */
    CU_ASSERT_EQUAL(psc_store_require_certs(st, "out.jks", "JKS", 1, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "out.jks: the private key 'mine' has no certificate, "
                                         "and a JKS key entry needs one"));
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_store_require_certs(st, "out.jks", "JKS", 0, &e), PSC_OK);
    psc_store_free(st);

    /* A key alone, no name: "key-" and its public key's SHA-256, no warning. */
    st = psc_store_new();
    CU_ASSERT_EQUAL(psc_store_add_loose_key(st, load_key("pki/erp-client.key"), "k.pem", "pem", 0), 0);
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(psc_store_entry_count(st), 1);
    CU_ASSERT_EQUAL(strncmp(psc_store_entry(st, 0)->alias, "key-", 4), 0);
    CU_ASSERT_EQUAL(strlen(psc_store_entry(st, 0)->alias), 16);
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 0);
    psc_store_free(st);
}

static void test_aliases_unique(void)
{
    psc_store *st = psc_store_new();
    /* Same CN twice (the erp-rsa cert and a second entry of it from another
     * file share nothing but the name after renaming), plus many others. */
    psc_entry *a = add_entry(st, "pki/hci-root.crt", "a.pem");
    psc_entry *b = psc_store_add_entry(st, PSC_ENTRY_TRUSTED, NULL, "b.pem", "pem", 0);
    psc_entry_push_cert(b, a->chain[0]);
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(a->alias, "Fake Baltimore CyberTrust Root");
    CU_ASSERT_STRING_EQUAL(b->alias, "Fake Baltimore CyberTrust Root-2");
    CU_ASSERT_EQUAL(psc_entry_set_alias(st, b, "renamed"), 0);
    CU_ASSERT_PTR_EQUAL(psc_store_find_alias(st, "RENAMED"), b);
    CU_ASSERT_PTR_NULL(psc_store_find_alias(st, "Fake Baltimore CyberTrust Root-2"));
    psc_store_remove_entry(st, 0);
    CU_ASSERT_PTR_NULL(psc_store_find_alias(st, "Fake Baltimore CyberTrust Root"));
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);

    /* Enough entries to force several rebuilds of the alias table. */
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "alias-%d", i);
        CU_ASSERT_PTR_NOT_NULL(psc_store_add_entry(st, PSC_ENTRY_TRUSTED, name, "c.pem", "pem", (size_t)i));
    }
    CU_ASSERT_PTR_NOT_NULL(psc_store_find_alias(st, "ALIAS-0"));
    CU_ASSERT_PTR_NOT_NULL(psc_store_find_alias(st, "alias-299"));
    CU_ASSERT_PTR_NULL(psc_store_find_alias(st, "alias-300"));
    psc_store_free(st);
}

static void test_warnings_once(void)
{
    psc_store *st = psc_store_new();
    psc_store_warn(st, "%s: integrity not checked", "x.jks");
    psc_store_warn(st, "%s: integrity not checked", "x.jks");
    psc_store_warn(st, "%s: integrity not checked", "y.jks");
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 2);
    CU_ASSERT_STRING_EQUAL(psc_store_warning(st, 1), "y.jks: integrity not checked");
    psc_store_free(st);
}

static void test_rollback(void)
{
    psc_store *st = psc_store_new();
    add_entry(st, "pki/corp-root.crt", "good.pem");
    psc_store_mark m = psc_store_get_mark(st);
    /* A "file" that failed half-way: an entry, a new certificate, a loose key. */
    psc_cert *issuing = add_entry(st, "pki/corp-issuing.crt", "bad.pem")->chain[0];
    add(st, "pki/erp-client.crt");
    CU_ASSERT_EQUAL(psc_store_add_loose_key(st, load_key("pki/erp-client.key"), "bad.pem", "pem", 2), 0);
    psc_store_warn(st, "bad.pem: something");
    unsigned char sha[32];
    memcpy(sha, issuing->sha256, 32);
    psc_store_rollback(st, m);
    CU_ASSERT_EQUAL(psc_store_entry_count(st), 1);
    CU_ASSERT_EQUAL(psc_store_cert_count(st), 1);
    CU_ASSERT_PTR_NULL(psc_store_find_sha256(st, sha));
    CU_ASSERT_EQUAL(psc_store_warning_count(st), 1);
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_store_pair_keys(st, &e), PSC_OK); /* the key went with its file */
    /* The indexes were rebuilt: the root is still found, and new certificates chain to it. */
    psc_cert *root = psc_store_cert(st, 0);
    CU_ASSERT_PTR_EQUAL(psc_store_find_sha256(st, root->sha256), root);
    psc_cert *again = add(st, "pki/corp-issuing.crt");
    psc_cert *out[2];
    CU_ASSERT_EQUAL(psc_store_issuers_of(st, again, out, 2), 1);
    CU_ASSERT_PTR_EQUAL(out[0], root);
    psc_store_free(st);
}

static void test_bad_der(void)
{
    psc_store *st = psc_store_new();
    psc_err e = {0};
    const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    CU_ASSERT_PTR_NULL(psc_store_add_cert_der(st, junk, sizeof junk, "junk.der", &e));
    CU_ASSERT_EQUAL(e.code, PSC_EINPUT);
    CU_ASSERT_STRING_EQUAL(e.msg, "junk.der: not a valid X.509 certificate");
    CU_ASSERT_EQUAL(psc_store_cert_count(st), 0);
    psc_store_free(st);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"dedupe by SHA-256 and certificate facts", test_dedupe_and_facts},
        {"chain building and roles", test_chain_and_roles},
        {"circular chain terminates", test_circular_chain_terminates},
        {"keys paired by public key", test_pairing},
        {"aliases unique and case-insensitive", test_aliases_unique},
        {"warnings collected once", test_warnings_once},
        {"invalid DER rejected", test_bad_der},
        {"rollback of a failed file", test_rollback},
        CU_TEST_INFO_NULL};
    unit_suite("store", tests);
}
