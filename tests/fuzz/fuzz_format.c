/* libFuzzer harness for one reader, compiled once per format with
 * -DFUZZ_FORMAT="pem" (see CMakeLists.txt).  Whatever bytes arrive, the
 * reader must return (no crash, no sanitizer report, no leak) and an error
 * must carry a message naming the file; accepted input is paired and written
 * back by the same format's writer (fuzz_read.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_read.h"

#ifndef FUZZ_FORMAT
#error "compile with -DFUZZ_FORMAT=\"pem\" (or another format name)"
#endif

static const psc_format *fmt;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fmt = psc_format_by_name(FUZZ_FORMAT);
    if (fmt == NULL || fmt->read == NULL) {
        fprintf(stderr, "fuzz_%s: the %s reader is not built in\n", FUZZ_FORMAT, FUZZ_FORMAT);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[PSC_MSG_MAX + 64];
    if (fuzz_read_one(fmt, data, size, NULL, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_%s: %s\n", FUZZ_FORMAT, why);
        abort();
    }
    return 0;
}
