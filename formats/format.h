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

/* What a reader met in the container but did not read (a CRL bag, an
 * unknown PSE object, a PSE list entry without a signature), collected by
 * psc_read_skipped and judged once in psc_read_buffer: if the file gave
 * entries, each becomes a warning; if it gave nothing, the file is an error
 * that names them, never "0 entries" (issue 23). */
typedef struct psc_read_report {
    char **skipped;
    size_t nskipped, cap;
} psc_read_report;

typedef struct psc_read_opts {
    const char *path;               /* name used in messages ("-" shown as "<stdin>") */
    const psc_secret *password;     /* store password / PKCS#12 password / PSE PIN, may be unset */
    const psc_secret *key_password; /* JKS/JCEKS key entries; unset = use password */
    unsigned long max_iterations;   /* KDF iteration cap (PKCS#12, PSE); 0 = default cap */
    psc_read_report *report;        /* set by psc_read_buffer; NULL = skips warn at once */
    int keys_listed_only;           /* inspect: a PKCS#12 key paired by localKeyId stays
                                     * encrypted (no KDF), as keytool -list */
} psc_read_opts;

/* A reader skipped something of a non-empty container: `what` (printf) says
 * what, without the file name ("skipped a CRL bag ...").  Never fails: on
 * out of memory, or without a report, it warns at once. */
void psc_read_skipped(psc_store *st, const psc_read_opts *opts, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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
