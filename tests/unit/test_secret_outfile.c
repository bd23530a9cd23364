/* Password SPECs and atomic output files. */
#include "unit.h"
#include "outfile.h"
#include "secret.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_specs(void)
{
    psc_secret s = {0};
    psc_err e = {0};
    int visible = 0;
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "pass:changeit", "--password", &visible, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(s.data, "changeit");
    CU_ASSERT_EQUAL(s.len, 8);
    CU_ASSERT_EQUAL(visible, 1);

    setenv("PSC_UNIT_PW", "from env", 1);
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "env:PSC_UNIT_PW", "--password", &visible, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(s.data, "from env");
    CU_ASSERT_EQUAL(visible, 0);

    char path[512];
    snprintf(path, sizeof path, "%s/pw.txt", unit_tmpdir());
    FILE *f = fopen(path, "w");
    fputs("first line\r\nsecond line\n", f);
    fclose(f);
    char spec[600];
    snprintf(spec, sizeof spec, "file:%s", path);
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, spec, "--password", NULL, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(s.data, "first line");

    int fds[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    CU_ASSERT_EQUAL(write(fds[1], "piped\n", 6), 6);
    close(fds[1]);
    snprintf(spec, sizeof spec, "fd:%d", fds[0]);
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, spec, "--password", NULL, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL(s.data, "piped");
    close(fds[0]);

    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "pass:", "--password", NULL, &e), PSC_OK);
    CU_ASSERT_TRUE(psc_secret_is_set(&s)); /* an empty password is a password (empty.jks) */
    CU_ASSERT_EQUAL(s.len, 0);
    psc_secret_clear(&s);
    CU_ASSERT_FALSE(psc_secret_is_set(&s));
}

static void test_spec_errors(void)
{
    psc_secret s = {0};
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "changeit", "--password", NULL, &e), PSC_EUSAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--password takes a SPEC"));
    psc_err_clear(&e);
    unsetenv("PSC_UNIT_NOPE");
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "env:PSC_UNIT_NOPE", "--password", NULL, &e), PSC_EINPUT);
    CU_ASSERT_STRING_EQUAL(e.msg, "--password: environment variable PSC_UNIT_NOPE is not set");
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "file:/nonexistent/pw", "--out-password", NULL, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--out-password: cannot open /nonexistent/pw"));
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_secret_from_spec(&s, "fd:x", "--password", NULL, &e), PSC_EUSAGE);
    CU_ASSERT_FALSE(psc_secret_is_set(&s));
}

static void test_wipe(void)
{
    char buf[16];
    memset(buf, 'A', sizeof buf);
    psc_wipe(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        CU_ASSERT_EQUAL(buf[i], 0);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void test_outfile(void)
{
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/out", unit_tmpdir());
    psc_err e = {0};
    CU_ASSERT_EQUAL(psc_mkdirs(dir, &e), PSC_OK);
    snprintf(path, sizeof path, "%s/key.pem", dir);
    CU_ASSERT_EQUAL(psc_outfile_write(path, "secret\n", 7, 0600, 0, &e), PSC_OK);
    struct stat sb;
    CU_ASSERT_EQUAL_FATAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0600);
    CU_ASSERT_EQUAL(sb.st_size, 7);

    /* No overwrite without force; the old content stays. */
    CU_ASSERT_EQUAL(psc_outfile_write(path, "other", 5, 0644, 0, &e), PSC_EOUTPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "exists; use --force to overwrite it"));
    CU_ASSERT_EQUAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 7);
    psc_err_clear(&e);
    CU_ASSERT_EQUAL(psc_outfile_write(path, "other", 5, 0644, 1, &e), PSC_OK);
    CU_ASSERT_EQUAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 5);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0644);
    CU_ASSERT_EQUAL(count_files(dir), 1); /* no temporary file left behind */

    /* A folder that does not exist: an output error, nothing created. */
    CU_ASSERT_EQUAL(psc_outfile_write("/nonexistent-dir/x.pem", "x", 1, 0644, 0, &e), PSC_EOUTPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot write /nonexistent-dir/x.pem"));
}

void unit_register(void)
{
    static const CU_TestInfo secret_tests[] = {
        {"pass env file fd", test_specs},
        {"malformed and unreadable SPECs", test_spec_errors},
        {"wipe zeroes", test_wipe},
        CU_TEST_INFO_NULL};
    static const CU_TestInfo out_tests[] = {{"temp, rename, mode, force", test_outfile}, CU_TEST_INFO_NULL};
    unit_suite("secret", secret_tests);
    unit_suite("outfile", out_tests);
}
