/* The planner's linear helpers (src/plan/planindex.c) and the export tree's
 * file writing (psc_outfile_write_shown / psc_outfile_sync_tree). */
#include "unit.h"
#include "outfile.h"
#include "planindex.h"
#include "planner.h"

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

/* psc_plan_steps_of: one system's steps by the index (steps grouped by
 * system in landscape order), and the same answer from a scan when a plan's
 * steps are not grouped (a hand-made plan). */
static void test_steps_of_index(void)
{
    psc_system sys[3];
    memset(sys, 0, sizeof sys);
    psc_landscape ls;
    memset(&ls, 0, sizeof ls);
    ls.systems = sys;
    ls.nsystems = 3;
    psc_step steps[6];
    memset(steps, 0, sizeof steps);
    size_t of[] = {0, 0, 2, 2, 2, 0}; /* grouped: 0 0 2 2 2, then one out of order */
    for (size_t i = 0; i < 6; i++) {
        steps[i].system = &sys[of[i]];
        snprintf(steps[i].id, sizeof steps[i].id, "S%zu", i);
    }
    for (int grouped = 1; grouped >= 0; grouped--) {
        psc_plan p;
        memset(&p, 0, sizeof p);
        p.landscape = &ls;
        p.steps = steps;
        p.nsteps = grouped ? 5 : 6;
        const psc_step *out[8];
        CU_ASSERT_EQUAL(psc_plan_steps_of(&p, &sys[0], out, 8), grouped ? 2 : 3);
        CU_ASSERT_PTR_EQUAL(out[0], &steps[0]);
        CU_ASSERT_PTR_EQUAL(out[1], &steps[1]);
        if (!grouped)
            CU_ASSERT_PTR_EQUAL(out[2], &steps[5]);
        CU_ASSERT_EQUAL(psc_plan_steps_of(&p, &sys[1], out, 8), 0);
        CU_ASSERT_EQUAL(psc_plan_steps_of(&p, &sys[2], out, 2), 3); /* the count, 2 filled */
        CU_ASSERT_PTR_EQUAL(out[1], &steps[3]);
        CU_ASSERT_EQUAL(p.step_first != NULL, grouped); /* the index, or the scan */
        free(p.step_first);
    }
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
        {"a system's steps: by the index, or by a scan when not grouped", test_steps_of_index},
        {"finding and step keys", test_keys},
        {"export tree files: exclusive, mode, one sync", test_write_in_tree},
        CU_TEST_INFO_NULL};
    unit_suite("planindex", tests);
}
