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
#include <unistd.h>
#include <sys/stat.h>

#include "fuzz_plan.h"

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

    char why[128];
    if (fuzz_plan_one(ini_path, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_landscape: %s\n", why);
        abort();
    }
    return 0;
}
