/* Deterministic archives: same files -> same bytes, whatever the input
 * order, the time zone or the moment; members read back through libarchive's
 * reader with the fixed owner, modes and time. */
#include "unit.h"
#include "reproarchive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char readme[] = "# ERP\n1. import\n";
static const unsigned char script[] = "#!/bin/sh\nset -eu\n";
static const unsigned char cert[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

static const psc_archive_file files_a[] = {
    {"manifest.json", (const unsigned char *)"{}", 2, 0, NULL},
    {"ERP/sapgenpse.sh", script, sizeof script - 1, 1, NULL},
    {"ERP/README.md", readme, sizeof readme - 1, 0, NULL},
    {"CHECKLIST.md", readme, sizeof readme - 1, 0, NULL},
    {"ERP/01-strust-ssl-client-standard-lb-root.crt", cert, sizeof cert - 1, 0, NULL},
    {"HCI/01-service-key-erp-client.pem", cert, sizeof cert - 1, 0, NULL},
    {"SHA256SUMS", NULL, 0, 0, NULL},
};
/* the same files in another order */
static const psc_archive_file files_b[] = {
    {"HCI/01-service-key-erp-client.pem", cert, sizeof cert - 1, 0, NULL},
    {"SHA256SUMS", NULL, 0, 0, NULL},
    {"ERP/01-strust-ssl-client-standard-lb-root.crt", cert, sizeof cert - 1, 0, NULL},
    {"CHECKLIST.md", readme, sizeof readme - 1, 0, NULL},
    {"ERP/README.md", readme, sizeof readme - 1, 0, NULL},
    {"manifest.json", (const unsigned char *)"{}", 2, 0, NULL},
    {"ERP/sapgenpse.sh", script, sizeof script - 1, 1, NULL},
};
#define NFILES (sizeof files_a / sizeof files_a[0])

static const char *expected_order[] = {
    "CHECKLIST.md",
    "ERP/",
    "ERP/01-strust-ssl-client-standard-lb-root.crt",
    "ERP/README.md",
    "ERP/sapgenpse.sh",
    "HCI/",
    "HCI/01-service-key-erp-client.pem",
    "SHA256SUMS",
    "manifest.json",
};
#define NEXPECTED (sizeof expected_order / sizeof expected_order[0])

static void build(psc_archive_kind kind, const psc_archive_file *f, size_t n, time_t t,
                  psc_buf *out)
{
    psc_err e = {0};
    psc_buf_init(out);
    int rc = psc_archive_build(kind, f, n, t, "test", out, &e);
    if (rc != PSC_OK)
        fprintf(stderr, "archive: %s\n", e.msg);
    CU_ASSERT_EQUAL_FATAL(rc, PSC_OK);
    CU_ASSERT(out->len > 0);
}

static int same(const psc_buf *a, const psc_buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

/* Read back and check order, owner, modes, time and contents. */
static void check_members(const psc_buf *arc, time_t t)
{
    struct archive *a = archive_read_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    archive_read_support_format_all(a);
    archive_read_support_filter_all(a);
    CU_ASSERT_EQUAL_FATAL(archive_read_open_memory(a, arc->data, arc->len), ARCHIVE_OK);
    struct archive_entry *en;
    size_t i = 0;
    while (archive_read_next_header(a, &en) == ARCHIVE_OK) {
        CU_ASSERT_FATAL(i < NEXPECTED);
        const char *p = archive_entry_pathname(en);
        CU_ASSERT_STRING_EQUAL(p, expected_order[i]);
        CU_ASSERT_EQUAL(archive_entry_mtime(en), t);
        CU_ASSERT_EQUAL(archive_entry_uid(en), 0);
        CU_ASSERT_EQUAL(archive_entry_gid(en), 0);
        int is_dir = p[strlen(p) - 1] == '/';
        int is_exec = strcmp(p, "ERP/sapgenpse.sh") == 0;
        CU_ASSERT_EQUAL(archive_entry_perm(en), is_dir || is_exec ? 0755 : 0644);
        CU_ASSERT_EQUAL(archive_entry_filetype(en), is_dir ? AE_IFDIR : AE_IFREG);
        if (strcmp(p, "ERP/README.md") == 0) {
            char got[64] = {0};
            la_ssize_t n = archive_read_data(a, got, sizeof got - 1);
            CU_ASSERT_EQUAL(n, (la_ssize_t)(sizeof readme - 1));
            CU_ASSERT_STRING_EQUAL(got, (const char *)readme);
        }
        i++;
    }
    CU_ASSERT_EQUAL(i, NEXPECTED);
    archive_read_free(a);
}

static void test_targz_deterministic(void)
{
    psc_buf a, b;
    time_t t = psc_archive_default_mtime();
    build(PSC_ARCHIVE_TARGZ, files_a, NFILES, t, &a);
    build(PSC_ARCHIVE_TARGZ, files_b, NFILES, t, &b);
    CU_ASSERT(same(&a, &b));
    /* gzip magic, and the gzip MTIME field (bytes 4..7) is zero */
    CU_ASSERT(a.data[0] == 0x1f && a.data[1] == 0x8b);
    CU_ASSERT(a.data[4] == 0 && a.data[5] == 0 && a.data[6] == 0 && a.data[7] == 0);
    check_members(&a, t);
    psc_buf_free(&a, 0);
    psc_buf_free(&b, 0);
}

static void test_zip_deterministic_across_tz(void)
{
    psc_buf a, b;
    time_t t = 1767225600; /* 2026-01-01T00:00:00Z */
    setenv("TZ", "America/Los_Angeles", 1);
    build(PSC_ARCHIVE_ZIP, files_a, NFILES, t, &a);
    CU_ASSERT_STRING_EQUAL(getenv("TZ"), "America/Los_Angeles"); /* restored */
    setenv("TZ", "Asia/Tokyo", 1);
    build(PSC_ARCHIVE_ZIP, files_b, NFILES, t, &b);
    unsetenv("TZ");
    CU_ASSERT(same(&a, &b));
    CU_ASSERT(a.data[0] == 'P' && a.data[1] == 'K');
    check_members(&a, t);
    psc_buf_free(&a, 0);
    psc_buf_free(&b, 0);
}

static void test_time_changes_bytes(void)
{
    /* the time is really stored: a different fixed time gives other bytes */
    psc_buf a, b;
    build(PSC_ARCHIVE_TARGZ, files_a, NFILES, 946684800, &a);
    build(PSC_ARCHIVE_TARGZ, files_a, NFILES, 946684802, &b);
    CU_ASSERT(!same(&a, &b));
    psc_buf_free(&a, 0);
    psc_buf_free(&b, 0);
}

static void test_source_date_epoch(void)
{
    unsetenv("SOURCE_DATE_EPOCH");
    CU_ASSERT_EQUAL(psc_archive_default_mtime(), 946684800);
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    CU_ASSERT_EQUAL(psc_archive_default_mtime(), 1767225600);
    setenv("SOURCE_DATE_EPOCH", "12abc", 1);
    CU_ASSERT_EQUAL(psc_archive_default_mtime(), 946684800);
    setenv("SOURCE_DATE_EPOCH", "0", 1); /* before 1980: zip cannot store it */
    CU_ASSERT_EQUAL(psc_archive_default_mtime(), 946684800);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_names(void)
{
    CU_ASSERT_EQUAL(psc_archive_kind_of("out/x.tar.gz"), PSC_ARCHIVE_TARGZ);
    CU_ASSERT_EQUAL(psc_archive_kind_of("X.TGZ"), PSC_ARCHIVE_TARGZ);
    CU_ASSERT_EQUAL(psc_archive_kind_of("x.zip"), PSC_ARCHIVE_ZIP);
    CU_ASSERT_EQUAL(psc_archive_kind_of("x.tar"), PSC_ARCHIVE_NONE);
    CU_ASSERT_EQUAL(psc_archive_kind_of(".zip"), PSC_ARCHIVE_NONE);
    char *s = psc_archive_stem("out/handoff.tar.gz");
    CU_ASSERT_STRING_EQUAL(s, "out/handoff");
    free(s);
    s = psc_archive_stem("h.zip");
    CU_ASSERT_STRING_EQUAL(s, "h");
    free(s);
    CU_ASSERT_STRING_EQUAL(psc_archive_suffix("a.tgz"), ".tgz");
}

static void test_rejects_unsafe_and_duplicates(void)
{
    static const char *bad[] = {"/etc/passwd", "../x", "a/../b", "a//b", "a/", "", "a\\b", "./a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        psc_archive_file f = {bad[i], readme, 3, 0, NULL};
        psc_buf out;
        psc_buf_init(&out);
        psc_err e = {0};
        CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_TARGZ, &f, 1, 0, "t.tar.gz", &out, &e),
                        PSC_EUSAGE);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "unsafe"));
        psc_buf_free(&out, 0);
    }
    psc_archive_file dup[] = {{"a/b", readme, 3, 0, NULL}, {"a/b", readme, 3, 0, NULL}};
    psc_archive_file clash[] = {{"a", readme, 3, 0, NULL}, {"a/b", readme, 3, 0, NULL}};
    psc_buf out;
    psc_buf_init(&out);
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_ZIP, dup, 2, 0, "t.zip", &out, &e), PSC_EUSAGE);
    psc_err e2 = {0};
    CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_ZIP, clash, 2, 0, "t.zip", &out, &e2),
                    PSC_EUSAGE);
    CU_ASSERT_STRING_EQUAL(e.msg, "t.zip: archive member 'a/b' given twice");
    CU_ASSERT_STRING_EQUAL(e2.msg, "t.zip: archive member 'a' given twice");
    /* "ERP-x" sorts between the file "ERP" and the folder "ERP/": not neighbours */
    psc_archive_file apart[] = {{"ERP/a", readme, 3, 0, NULL}, {"ERP-x", readme, 3, 0, NULL},
                                {"ERP", readme, 3, 0, NULL}};
    psc_err e4 = {0};
    CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_TARGZ, apart, 3, 0, "t.tar.gz", &out, &e4),
                    PSC_EUSAGE);
    CU_ASSERT_STRING_EQUAL(e4.msg, "t.tar.gz: archive member 'ERP' given twice");
    psc_err e3 = {0};
    CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_NONE, dup, 1, 0, "t.tar", &out, &e3),
                    PSC_EUSAGE);
    psc_buf_free(&out, 0);
}

/* Folders shared by many files are one member each, in order. */
static void test_folders_once(void)
{
    psc_archive_file f[] = {{"B/x/2", readme, 3, 0, NULL}, {"A/1", readme, 3, 0, NULL},
                            {"B/x/1", readme, 3, 0, NULL}, {"B/y", readme, 3, 0, NULL},
                            {"A/2", readme, 3, 0, NULL}};
    psc_buf out;
    build(PSC_ARCHIVE_TARGZ, f, 5, 0, &out);
    static const char *want[] = {"A/", "A/1", "A/2", "B/", "B/x/", "B/x/1", "B/x/2", "B/y"};
    struct archive *a = archive_read_new();
    archive_read_support_format_all(a);
    archive_read_support_filter_all(a);
    CU_ASSERT_EQUAL_FATAL(archive_read_open_memory(a, out.data, out.len), ARCHIVE_OK);
    struct archive_entry *en;
    size_t i = 0;
    while (archive_read_next_header(a, &en) == ARCHIVE_OK) {
        CU_ASSERT_FATAL(i < sizeof want / sizeof want[0]);
        CU_ASSERT_STRING_EQUAL(archive_entry_pathname(en), want[i]);
        i++;
    }
    CU_ASSERT_EQUAL(i, sizeof want / sizeof want[0]);
    archive_read_free(a);
    psc_buf_free(&out, 0);
}

/* libarchive is opened on the first archive (not linked): a library that
 * cannot be opened is one message naming the archive and the library, and
 * the next archive tries again.  Runs first, before any archive opened it. */
static void test_library_missing(void)
{
    const char *real = psc_archive_library;
    psc_archive_library = "libpseconv-no-such-archive.so.0";
    psc_buf out;
    psc_buf_init(&out);
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_archive_build(PSC_ARCHIVE_TARGZ, files_a, NFILES, 0, "out/h.tar.gz", &out,
                                      &e),
                    PSC_EOUTPUT);
    CU_ASSERT_EQUAL(out.len, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot write out/h.tar.gz: "
                                         "libpseconv-no-such-archive.so.0, which pseconv loads to "
                                         "write archives, is not usable ("));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "apt install libarchive13"));
    psc_archive_library = real;
    psc_buf_free(&out, 0);
    build(PSC_ARCHIVE_TARGZ, files_a, NFILES, 0, &out); /* opened now */
    psc_buf_free(&out, 0);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"libarchive that cannot be opened", test_library_missing},
        {"tar.gz is byte-identical for any input order", test_targz_deterministic},
        {"zip is byte-identical across time zones", test_zip_deterministic_across_tz},
        {"the fixed time is stored", test_time_changes_bytes},
        {"SOURCE_DATE_EPOCH", test_source_date_epoch},
        {"kind, stem and suffix from names", test_names},
        {"unsafe and duplicate member names", test_rejects_unsafe_and_duplicates},
        {"a folder shared by many files is one member", test_folders_once},
        CU_TEST_INFO_NULL,
    };
    unit_suite("archive", tests);
}
