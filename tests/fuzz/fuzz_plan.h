/* One landscape file through the loader, the planner and every renderer.
 * Shared by fuzz_landscape.c and tests/unit/test_regressions.c.  Returns 0
 * when the code behaved (a plan, or an error with a message), -1 with `why`. */
#ifndef PSC_FUZZ_PLAN_H
#define PSC_FUZZ_PLAN_H

#include <stdio.h>
#include <time.h>

#include "planner.h"
#include "render.h"

static inline int fuzz_plan_one(const char *ini_path, char *why, size_t n)
{
    psc_plan *plan = NULL;
    psc_err e = {0};
    /* A fixed "now" keeps runs reproducible (fixtures are valid 2025..2045). */
    int rc = psc_plan_load_and_run(ini_path, (time_t)1798761600 /* 2027-01-01 */, &plan, &e);
    if (rc != PSC_OK) {
        if (rc < 0 || rc > PSC_EOUTPUT || e.msg[0] == '\0') {
            snprintf(why, n, "landscape: error %d without a message", rc);
            return -1;
        }
        return 0;
    }
    static const psc_plan_format outs[] = {PSC_PLAN_TEXT, PSC_PLAN_MARKDOWN, PSC_PLAN_JSON,
                                           PSC_PLAN_DOT};
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        psc_buf b;
        psc_buf_init(&b);
        psc_err re = {0};
        psc_plan_render(plan, outs[i], &b, &re);
        psc_buf_free(&b, 0);
    }
    for (size_t i = 0; i < plan->landscape->nsystems; i++) {
        psc_buf b;
        psc_buf_init(&b);
        psc_err re = {0};
        psc_plan_render_system_markdown(plan, &plan->landscape->systems[i], &b, &re);
        psc_buf_free(&b, 0);
    }
    psc_plan_free(plan);
    return 0;
}

#endif
