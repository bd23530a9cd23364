/* Shared scaffolding for the CUnit programs: each test_*.c defines
 * unit_register(), which adds its suites; unit.c runs them. */
#ifndef PSC_UNIT_H
#define PSC_UNIT_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include "buf.h"

void unit_register(void);

/* Adds a suite with the given tests ({name, fn} pairs ending in {NULL, NULL}). */
void unit_suite(const char *name, const CU_TestInfo *tests);

/* "$PSECONV_FIXTURES/<rel>" (static buffer, valid until the next call). */
const char *unit_fixture(const char *rel);
/* "$PSECONV_CORPUS/<rel>". */
const char *unit_corpus(const char *rel);
/* Read a whole file into b (CU_FAIL on error); returns 0 on success. */
int unit_read(const char *path, psc_buf *b);
/* SHA-256 of every certificate OpenSSL itself finds in a PEM file, in file
 * order (the expected values our readers are compared with).  Returns the count. */
size_t unit_openssl_fps(const char *path, unsigned char fps[][32], size_t max);
/* A fresh temporary folder for this program; files inside are removed at exit. */
const char *unit_tmpdir(void);

#endif
