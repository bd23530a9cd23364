/* The planner's linear helpers (src/plan/planindex.c) and the export tree's
 * file writing (psc_outfile_write_shown / psc_outfile_sync_tree). */
#include "unit.h"
#include "outfile.h"
#include "planindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_group_by_system_is_stable(void)
{
    /* added in flow order: a hub's steps interleave with its partners' */
    size_t sys[] = {2, 0, 1, 0, 2, 1, 0};
    const char *ids[] = {"a", "b", "c", "d", "e", "f", "g"};
    psc_step steps[7];
    memset(steps, 0, sizeof steps);
    for (size_t i = 0; i < 7; i++)
        snprintf(steps[i].id, sizeof steps[i].id, "%s", ids[i]);
    CU_ASSERT_EQUAL_FATAL(psc_steps_group_by_system(steps, sys, 7, 3), 0);
    const char *want[] = {"b", "d", "g", "c", "f", "a", "e"};
    size_t want_sys[] = {0, 0, 0, 1, 1, 2, 2};
    for (size_t i = 0; i < 7; i++) {
        CU_ASSERT_STRING_EQUAL(steps[i].id, want[i]);
        CU_ASSERT_EQUAL(sys[i], want_sys[i]);
    }
    CU_ASSERT_EQUAL(psc_steps_group_by_system(steps, sys, 0, 3), 0); /* empty plan */
}

static void test_keys(void)
{
    static psc_system a, b; /* only their addresses matter */
    CU_ASSERT_EQUAL(psc_finding_key("expired", &a, NULL), psc_finding_key("expired", &a, NULL));
    CU_ASSERT_NOT_EQUAL(psc_finding_key("expired", &a, NULL), psc_finding_key("expired", &b, NULL));
    CU_ASSERT_EQUAL(psc_step_key(&a, "strust-ssl-server", NULL, "R1"),
                    psc_step_key(&a, "strust-ssl-server", NULL, "R1"));
    CU_ASSERT_NOT_EQUAL(psc_step_key(&a, "strust-ssl-server", NULL, "R1"),
                        psc_step_key(&a, "strust-ssl-client", NULL, "R1"));
}

static void test_write_in_tree(void)
{
    char dir[512], f[600];
    snprintf(dir, sizeof dir, "%s/tree", unit_tmpdir());
    CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
    snprintf(f, sizeof f, "%s/run.sh", dir);
    psc_err e;
    memset(&e, 0, sizeof e);
    CU_ASSERT_EQUAL(psc_outfile_write_shown(f, "out/run.sh", "echo hi\n", 8, 0755, &e), PSC_OK);
    struct stat sb;
    CU_ASSERT_EQUAL_FATAL(stat(f, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0755);
    CU_ASSERT_EQUAL(sb.st_size, 8);
    /* never replaces: the tree is new, a second writer of the name is a bug */
    CU_ASSERT_EQUAL(psc_outfile_write_shown(f, "out/run.sh", "x", 1, 0644, &e), PSC_EOUTPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cannot write out/run.sh: File exists"));
    CU_ASSERT_EQUAL_FATAL(stat(f, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 8);
    CU_ASSERT_EQUAL(psc_outfile_sync_tree(dir, &e), PSC_OK);
    snprintf(f, sizeof f, "%s/missing", dir);
    CU_ASSERT_EQUAL(psc_outfile_sync_tree(f, &e), PSC_EOUTPUT);
    snprintf(f, sizeof f, "%s/run.sh", dir);
    unlink(f);
    rmdir(dir);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        {"steps grouped by system, rule order kept", test_group_by_system_is_stable},
        {"finding and step keys", test_keys},
        {"export tree files: exclusive, mode, one sync", test_write_in_tree},
        CU_TEST_INFO_NULL};
    unit_suite("planindex", tests);
}
