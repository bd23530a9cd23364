/* Deterministic archives (tar.gz, zip) of in-memory files, through libarchive.
 * (Not named archive.h: src/core is on the include path and would shadow <archive.h>.)
 *
 * The same list of files gives byte-identical archives: entries are sorted
 * by path, every entry has the same fixed time, owner root (uid/gid 0) and a
 * mode of 0644 (0755 for folders and entries marked executable), the gzip
 * header carries no timestamp and the zip DOS times are taken in UTC.  The
 * archive is built in a psc_buf; the caller writes it with outfile.c. */
#ifndef PSC_REPROARCHIVE_H
#define PSC_REPROARCHIVE_H

#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "error.h"

typedef enum psc_archive_kind {
    PSC_ARCHIVE_NONE = 0,
    PSC_ARCHIVE_TARGZ, /* .tar.gz .tgz: pax (restricted) tar, gzip without timestamp */
    PSC_ARCHIVE_ZIP    /* .zip: deflate */
} psc_archive_kind;

typedef struct psc_archive_file {
    const char *path;          /* relative, '/' separated, no leading '/', no ".." */
    const unsigned char *data; /* NULL: empty (len 0), or fetched (psc_archive_build_fetched) */
    size_t len;
    int executable;            /* 0755 instead of 0644 (sapgenpse.sh) */
    const void *src;           /* psc_archive_build_fetched: the fetch's handle of the file */
} psc_archive_file;

/* The bytes of one member, asked for just before it is written: into *tmp
 * when they have to be read (the builder frees it after the member), so an
 * archive of files on disk holds one of them in memory at a time.  *len must
 * come out as the member's len. */
typedef int (*psc_archive_fetch_fn)(const void *ctx, const psc_archive_file *f, psc_buf *tmp,
                                    const unsigned char **data, size_t *len, psc_err *e);

/* The libarchive opened (dlopen) on the first archive: "libarchive.so.13".
 * Not linked, so the other commands do not load its dependencies; a test
 * points it at a missing library to see the message. */
extern const char *psc_archive_library;

/* Kind from the file name's ending (case-insensitive); PSC_ARCHIVE_NONE if neither. */
psc_archive_kind psc_archive_kind_of(const char *path);
/* The name without its archive ending ("out/handoff.tar.gz" -> "out/handoff"),
 * malloc'ed; NULL on allocation failure. */
char *psc_archive_stem(const char *path);
/* ".tar.gz", ".tgz" or ".zip": the ending path uses (for --split names). */
const char *psc_archive_suffix(const char *path);

/* The fixed entry time: $SOURCE_DATE_EPOCH when it is a valid number,
 * else 2000-01-01T00:00:00Z (zip cannot store times before 1980). */
time_t psc_archive_default_mtime(void);

/* Build the archive of `files` (any order; folder entries for every parent
 * are added) into out.  `name` is used in messages.  Errors: PSC_EOUTPUT
 * (libarchive failure), PSC_EUSAGE (an unsafe or duplicate path). */
int psc_archive_build(psc_archive_kind kind, const psc_archive_file *files, size_t n,
                      time_t mtime, const char *name, psc_buf *out, psc_err *e);
/* The same, the bytes of each member without data from fetch(ctx, member, ...). */
int psc_archive_build_fetched(psc_archive_kind kind, const psc_archive_file *files, size_t n,
                              time_t mtime, const char *name, psc_archive_fetch_fn fetch,
                              const void *ctx, psc_buf *out, psc_err *e);

#endif
