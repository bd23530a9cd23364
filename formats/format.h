/* One interface for every format (after libarchive's per-format files):
 * each formats/<name>.c defines one `const psc_format psc_format_<name>`
 * and registry.c lists them in one table.  A format knows its bytes and the
 * store's API, nothing else: no printing, no option parsing. */
#ifndef PSC_FORMAT_H
#define PSC_FORMAT_H

#include <stddef.h>
#include "../src/core/store.h"
#include "../src/core/buf.h"
#include "../src/core/secret.h"
#include "readreport.h"

typedef struct psc_write_opts {
    const char *path;               /* output name for messages */
    const psc_secret *password;     /* --out-password: store/PKCS#12 password, key encryption */
    int legacy;                     /* --legacy: PKCS#12 3DES + SHA-1 MAC */
    int pem;                        /* --pem: armoured output where the format has both (p7b) */
    int for_cpi;                    /* --for cpi: SAP Cloud Integration checks (warnings) */
    int include_keys;               /* 0: never write private keys (handoff bundles) */
    unsigned long iterations;       /* PKCS#12 KDF/MAC iterations; 0 = 2048 (OpenSSL's and
                                     * keytool's default).  The fuzz harness writes with 1. */
} psc_write_opts;

#define PSC_DEFAULT_MAX_ITERATIONS 10000000UL

typedef struct psc_format {
    const char *name;               /* "pem", "der", "p7b", "p12", "jks", "jceks", "pse", "pselist" */
    const char *extensions;         /* space separated, with dots: ".pem .crt .cer .key .txt" */
    int is_text;                    /* may be written to standard output */
    /* Confidence 0..100 that buf is this format (0 = no).  Must be cheap and
     * must not trust the file name.  May be NULL for write-only formats. */
    int (*probe)(const unsigned char *buf, size_t len);
    /* Read everything into st.  Returns PSC_OK or an error code with e set;
     * messages start with opts->path.  NULL = cannot read. */
    int (*read)(psc_store *st, const unsigned char *buf, size_t len, const psc_read_opts *opts,
                psc_err *e);
    /* Serialize st into out.  Warnings go to st (psc_store_warn).  NULL = cannot write. */
    int (*write)(psc_store *st, psc_buf *out, const psc_write_opts *opts, psc_err *e);
} psc_format;

/* The registry (formats/registry.c). */
size_t psc_format_count(void);
const psc_format *psc_format_at(size_t i);
const psc_format *psc_format_by_name(const char *name);
/* By the output path's extension (case-insensitive); NULL if unknown. */
const psc_format *psc_format_by_extension(const char *path);
/* Highest-confidence reader for the bytes; NULL if none claims them. */
const psc_format *psc_format_detect(const unsigned char *buf, size_t len);

/* Read one file (or "-" for stdin) into st: load (bounded size), detect or use
 * `forced`, read.  *used receives the format (may be NULL).  Does NOT pair keys. */
#define PSC_MAX_INPUT_BYTES (256u * 1024u * 1024u)
int psc_read_file(psc_store *st, const char *path, const psc_format *forced,
                  const psc_read_opts *opts, const psc_format **used, psc_err *e);
int psc_read_buffer(psc_store *st, const unsigned char *buf, size_t len, const psc_format *forced,
                    const psc_read_opts *opts, const psc_format **used, psc_err *e);

#endif
