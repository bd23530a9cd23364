/* The store's Names (src/core/names.c) against OpenSSL: for Names built
 * with X509_NAME_add_entry (every string type, escapes, case and space
 * variants, multi-valued RDNs, unknown types, long values), the walk and
 * OpenSSL's reading give the same text, the same X509_NAME_hash_ex, the
 * same first CN, and psc_name_eq agrees with X509_NAME_cmp on every pair. */
#include "unit.h"
#include "names.h"

#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

typedef struct {
    const char *field; /* a short name or dotted OID */
    int type;          /* MBSTRING_* or V_ASN1_* */
    const char *value;
    int set;           /* 0: a new RDN, 1: joins the previous RDN */
} ava;

#define END {NULL, 0, NULL, 0}
#define P V_ASN1_PRINTABLESTRING
#define U V_ASN1_UTF8STRING
#define I V_ASN1_IA5STRING

/* Each row one Name; the walk reads rows 0..WALKED-1 itself. */
static const ava names[][6] = {
    {{"C", P, "DE", 0}, {"O", P, "SAP SE", 0}, {"CN", P, "host01.example.com", 0}, END},
    {{"C", P, "DE", 0}, {"O", P, "sap se", 0}, {"CN", P, "HOST01.example.COM", 0}, END},
    {{"C", P, "DE", 0}, {"O", U, "SAP  SE", 0}, {"CN", U, "host01.example.com", 0}, END},
    {{"C", P, "de", 0}, {"O", I, "SAP SE", 0}, {"CN", I, "host01.example.com", 0}, END},
    {{"DC", I, "com", 0}, {"DC", I, "example", 0}, {"emailAddress", I, "a@b.example", 0}, END},
    {{"CN", U, "Nordwind Root CA", 0}, {"O", U, "Nordwind Handel AG", 0}, {"C", P, "DE", 0}, END},
    {{"serialNumber", P, "42", 0}, {"OU", U, "I0020/ID=1 (x) *?!", 0}, {"CN", U, "a", 0}, END},
    {{"CN", U, "first", 0}, {"CN", U, "second", 0}, END},
    {{"O", U, "no common name", 0}, END},
    /* ---- below: Names the walk leaves to OpenSSL ---- */
    {{"C", P, "DE", 0}, {"O", V_ASN1_BMPSTRING, "SAP SE", 0}, {"CN", V_ASN1_BMPSTRING, "host01.example.com", 0}, END},
    {{"CN", U, "a, b", 0}, END},
    {{"CN", U, "a+b", 0}, {"O", U, "x;y", 0}, END},
    {{"CN", U, "#hash", 0}, END},
    {{"CN", U, " lead", 0}, END},
    {{"CN", U, "trail ", 0}, END},
    {{"CN", U, "quote\"d", 0}, END},
    {{"CN", U, "back\\slash", 0}, END},
    {{"CN", U, "\xc3\x9c" "berweisung", 0}, END},
    {{"CN", U, "tab\there", 0}, END},
    {{"CN", U, "multi", 0}, {"OU", U, "valued", 1}, END},
    {{"1.2.3.4.5", U, "unknown type", 0}, {"CN", U, "x", 0}, END},
    {{"CN", V_ASN1_UNIVERSALSTRING, "host01.example.com", 0}, {"O", V_ASN1_T61STRING, "SAP SE", 0}, END},
    {{"CN", U, "", 0}, END},
    {END},
};
#define WALKED 9
#define NNAMES (sizeof names / sizeof names[0])

static X509_NAME *build(const ava *row)
{
    X509_NAME *n = X509_NAME_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    for (const ava *a = row; a->field; a++) {
        /* BMPString and UniversalString values: the ASCII text widened */
        int w = a->type == V_ASN1_BMPSTRING ? 2 : a->type == V_ASN1_UNIVERSALSTRING ? 4 : 1;
        unsigned char wide[256] = {0};
        size_t len = strlen(a->value);
        for (size_t i = 0; i < len; i++)
            wide[i * w + w - 1] = (unsigned char)a->value[i];
        const unsigned char *v = w > 1 ? wide : (const unsigned char *)a->value;
        int ok = X509_NAME_add_entry_by_txt(n, a->field, a->type, v, (int)(len * w), -1,
                                            a->set ? -1 : 0);
        CU_ASSERT_EQUAL_FATAL(ok, 1);
    }
    return n;
}

/* A Name of `rdns` RDNs, each a CN of `vlen` letters (long forms of the
 * length octets; more RDNs than the walk takes). */
static X509_NAME *build_long(int rdns, size_t vlen)
{
    X509_NAME *n = X509_NAME_new();
    char v[400];
    memset(v, 'X', vlen);
    v[vlen] = '\0';
    for (int i = 0; i < rdns; i++)
        CU_ASSERT_EQUAL_FATAL(X509_NAME_add_entry_by_txt(n, i % 2 ? "OU" : "CN", V_ASN1_UTF8STRING,
                                                         (unsigned char *)v, -1, -1, 0), 1);
    return n;
}

static void expected_text(const X509_NAME *n, char *out, size_t max)
{
    unsigned long flags = PSC_NAME_PRINT_FLAGS;
    BIO *b = BIO_new(BIO_s_mem());
    CU_ASSERT_FATAL(X509_NAME_print_ex(b, n, 0, flags) >= 0);
    char *p;
    long len = BIO_get_mem_data(b, &p);
    snprintf(out, max, "%.*s", (int)len, p);
    BIO_free(b);
}

static void test_names_match_openssl(void)
{
    enum { EXTRA = 4 };
    X509_NAME *x[NNAMES + EXTRA];
    const psc_name *walked[NNAMES + EXTRA], *ref[NNAMES + EXTRA];
    psc_name_table tw = {0}, tr = {0};
    size_t n = 0;
    for (size_t i = 0; i < NNAMES; i++)
        x[n++] = build(names[i]);
    x[n++] = build_long(3, 130);  /* two-octet lengths */
    x[n++] = build_long(2, 300);  /* three-octet lengths */
    x[n++] = build_long(33, 3);   /* more RDNs than the walk reads */
    x[n++] = build_long(32, 3);
    for (size_t i = 0; i < n; i++) {
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(x[i], &der);
        CU_ASSERT_FATAL(len > 0);
        int oom;
        walked[i] = psc_name_intern(&tw, der, (size_t)len, 1, &oom);
        ref[i] = psc_name_intern(&tr, der, (size_t)len, 0, &oom);
        CU_ASSERT_PTR_NOT_NULL_FATAL(walked[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref[i]);
        /* rows 0..WALKED-1 and the long Names but the one of 33 RDNs */
        CU_ASSERT_EQUAL(psc_name_walked(walked[i]), i < WALKED || (i >= NNAMES && i != NNAMES + 2));
        CU_ASSERT_EQUAL(psc_name_walked(ref[i]), 0);
        /* interning is by DER: the same bytes give the same Name */
        CU_ASSERT_PTR_EQUAL(psc_name_intern(&tw, der, (size_t)len, 1, &oom), walked[i]);
        OPENSSL_free(der);

        char want[2048];
        expected_text(x[i], want, sizeof want);
        CU_ASSERT_STRING_EQUAL(psc_name_text(walked[i]), want);
        CU_ASSERT_STRING_EQUAL(psc_name_text(ref[i]), want);
        uint32_t h = (uint32_t)X509_NAME_hash_ex(x[i], NULL, NULL, NULL);
        CU_ASSERT_EQUAL(psc_name_hash(walked[i]), h);
        CU_ASSERT_EQUAL(psc_name_hash(ref[i]), h);
        char a[64], b[64];
        int la = psc_name_cn(walked[i], a, sizeof a);
        int lb = X509_NAME_get_text_by_NID(x[i], NID_commonName, b, sizeof b);
        CU_ASSERT_EQUAL(la, lb);
        if (la >= 0 && lb >= 0)
            CU_ASSERT_STRING_EQUAL(a, b);
        CU_ASSERT_EQUAL(X509_NAME_cmp(psc_name_x509(walked[i]), x[i]), 0);
        if (la != lb || strcmp(psc_name_text(walked[i]), want) != 0)
            fprintf(stderr, "\n  name %zu: \"%s\" want \"%s\"", i, psc_name_text(walked[i]), want);
    }
    /* every pair, walked against walked and walked against OpenSSL's */
    size_t equal_pairs = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int want = X509_NAME_cmp(x[i], x[j]) == 0;
            equal_pairs += want && i != j;
            CU_ASSERT_EQUAL(psc_name_eq(walked[i], walked[j]), want);
            CU_ASSERT_EQUAL(psc_name_eq(walked[i], ref[j]), want);
            CU_ASSERT_EQUAL(psc_name_eq(ref[i], ref[j]), want);
        }
    /* rows 0-3 and 9 are one Name up to case, spaces and string type */
    CU_ASSERT_EQUAL(equal_pairs, 20);
    CU_ASSERT(psc_name_eq(walked[0], walked[3]));
    CU_ASSERT(psc_name_eq(walked[2], ref[9]));
    CU_ASSERT(!psc_name_eq(walked[0], walked[4]));
    CU_ASSERT(!psc_name_eq(walked[0], NULL));
    CU_ASSERT(psc_name_eq(NULL, NULL));
    for (size_t i = 0; i < n; i++)
        X509_NAME_free(x[i]);
    psc_name_table_free(&tw);
    psc_name_table_free(&tr);
}

static void test_names_refused(void)
{
    /* a SET where a SEQUENCE belongs: OpenSSL refuses, so does the walk */
    static const unsigned char bad[] = {0x30, 0x05, 0x31, 0x03, 0x31, 0x01, 0x00};
    psc_name_table t = {0};
    int oom = 1;
    CU_ASSERT_PTR_NULL(psc_name_intern(&t, bad, sizeof bad, 1, &oom));
    CU_ASSERT_EQUAL(oom, 0);
    oom = 1;
    CU_ASSERT_PTR_NULL(psc_name_intern(&t, bad, sizeof bad - 1, 1, &oom));
    CU_ASSERT_EQUAL(oom, 0);
    psc_name_table_free(&t);
}

/* Many distinct Names: the table grows and keeps every Name at its address. */
static void test_names_table_grows(void)
{
    psc_name_table t = {0};
    const psc_name *first = NULL;
    unsigned char *der0 = NULL;
    int len0 = 0;
    for (int i = 0; i < 5000; i++) {
        X509_NAME *x = X509_NAME_new();
        char cn[32];
        snprintf(cn, sizeof cn, "host%05d", i);
        X509_NAME_add_entry_by_txt(x, "CN", MBSTRING_ASC, (unsigned char *)cn, -1, -1, 0);
        unsigned char *der = NULL;
        int len = i2d_X509_NAME(x, &der);
        int oom;
        const psc_name *nm = psc_name_intern(&t, der, (size_t)len, 1, &oom);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
        if (i == 0) {
            first = nm;
            der0 = der;
            len0 = len;
        } else {
            OPENSSL_free(der);
        }
        X509_NAME_free(x);
    }
    CU_ASSERT_EQUAL(t.used, 5000);
    int oom;
    CU_ASSERT_PTR_EQUAL(psc_name_intern(&t, der0, (size_t)len0, 1, &oom), first);
    CU_ASSERT_STRING_EQUAL(psc_name_text(first), "CN=host00000");
    OPENSSL_free(der0);
    psc_name_table_free(&t);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"names_match_openssl", test_names_match_openssl},
        {"names_refused", test_names_refused},
        {"names_table_grows", test_names_table_grows},
        CU_TEST_INFO_NULL,
    };
    unit_suite("names", tests);
}
