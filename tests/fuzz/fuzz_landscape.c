/* libFuzzer harness for the landscape parser (src/plan/landscape.c) and the
 * planner behind it.  psc_landscape_load() takes a path (file names inside
 * the landscape are resolved against its folder), so each input is written
 * to <tmp>/landscape/fuzz.ini where <tmp>/pki links to fixtures/pki: the
 * seed landscape's "../pki/erp-client.crt" paths then resolve and the
 * planner and renderers run on real certificates. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "plan.h"

#ifndef PSECONV_FIXTURES_DIR
#error "compile with -DPSECONV_FIXTURES_DIR=\"/path/to/fixtures\""
#endif

static char ini_path[512];
static char tmp_root[256];

static void cleanup(void)
{
    char p[600];
    unlink(ini_path);
    snprintf(p, sizeof p, "%s/landscape", tmp_root);
    rmdir(p);
    snprintf(p, sizeof p, "%s/pki", tmp_root);
    unlink(p);
    rmdir(tmp_root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmp_root, sizeof tmp_root, "%s/pseconv-fuzz-landscape.XXXXXX", tmp);
    if (mkdtemp(tmp_root) == NULL) {
        perror("mkdtemp");
        abort();
    }
    char p[600];
    snprintf(p, sizeof p, "%s/landscape", tmp_root);
    if (mkdir(p, 0700) != 0) {
        perror("mkdir");
        abort();
    }
    snprintf(p, sizeof p, "%s/pki", tmp_root);
    if (symlink(PSECONV_FIXTURES_DIR "/pki", p) != 0) {
        perror("symlink");
        abort();
    }
    snprintf(ini_path, sizeof ini_path, "%s/landscape/fuzz.ini", tmp_root);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(ini_path, "wb");
    if (f == NULL)
        abort();
    if (size > 0 && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    psc_plan *plan = NULL;
    psc_err e = {0};
    /* A fixed "now" keeps runs reproducible (fixtures are valid 2025..2045). */
    int rc = psc_plan_load_and_run(ini_path, (time_t)1798761600 /* 2027-01-01 */, &plan, &e);
    if (rc != PSC_OK) {
        if (rc < 0 || rc > PSC_EOUTPUT || e.msg[0] == '\0') {
            fprintf(stderr, "fuzz_landscape: error %d without a message\n", rc);
            abort();
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
