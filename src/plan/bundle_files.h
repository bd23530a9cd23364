/* The export bundle's files: the list, and what happens to each file once it
 * is complete (its path checked to stay below the folder, no private-key
 * marker in it, its size and SHA-256 kept, written to the spill folder and
 * dropped from memory when there is one).  Used by bundle.c, which decides
 * what the files hold; this file knows nothing of plans or systems. */
#ifndef PSC_BUNDLE_FILES_H
#define PSC_BUNDLE_FILES_H

#include <stddef.h>
#include "buf.h"
#include "error.h"
#include "certfacts.h"

typedef struct psc_bundle_file {
    char *path;          /* relative to the export folder, '/' separated */
    psc_buf data;        /* the bytes, until the file is spilled */
    int spilled;         /* the bytes are in psc_bundle.spill/path, not in data */
    int executable;      /* sapgenpse.sh */
    size_t bytes;        /* size and SHA-256 of the bytes, once complete */
    unsigned char sha256[32];
    const char *system;  /* folder's system name (the plan's), NULL for top-level files */
    const char **steps;  /* step ids the file serves ("R2"; the plan's), for manifest.json */
    size_t nsteps;
} psc_bundle_file;

typedef struct psc_bundle {
    psc_bundle_file *files;  /* sorted by path once built */
    size_t nfiles, cap;
    char **systems;          /* systems that got a folder, plan order */
    size_t nsystems;
    char **notes;            /* things the command should tell the user (keystore written, ...) */
    size_t nnotes;
    const char *spill;       /* psc_bundle_opts.spill_dir, or NULL */
    const char *shown;       /* psc_bundle_opts.spill_shown: the folder messages name */
    size_t ndone;            /* files[0..ndone) are complete (checked, summed, spilled) */
} psc_bundle;

void psc_bundle_free(psc_bundle *b);

/* The bytes of f: in memory, or read back from the spill folder into *tmp
 * (the caller frees it).  PSC_EOUTPUT when the spilled file cannot be read. */
int psc_bundle_file_data(const psc_bundle *b, const psc_bundle_file *f, psc_buf *tmp,
                         const unsigned char **data, size_t *len, psc_err *e);

/* Does the buffer contain private key material (PEM key armour)?  Exposed for tests. */
int psc_bundle_has_key_marker(const unsigned char *p, size_t n);

/* Is a bundle path relative, '/'-separated, without an empty, "." or ".."
 * component? */
int psc_bundle_path_ok(const char *rel);

/* A new empty file "system/name" (system NULL: at the top); NULL with e set. */
psc_bundle_file *psc_bundle_add_file(psc_bundle *b, const char *system, const char *name,
                                     psc_err *e);
/* Record that the file serves the plan's step id (kept by pointer). */
int psc_bundle_file_add_step(psc_bundle_file *f, const char *id, psc_err *e);
/* A note for README.md ("ERP: no server certificate given"). */
int psc_bundle_add_note(psc_bundle *b, const char *text, psc_err *e);
/* The error for two files of one path. */
int psc_bundle_same_path(const char *path, psc_err *e);
/* Finish (check, sum, spill) every file added since the last call. */
int psc_bundle_finish_new_files(psc_bundle *b, psc_err *e);

/* Fill the newest file f by fill(ctx): streamed into the spill folder when
 * there is one (a 2,000-system CHECKLIST.md never whole in memory), else into
 * memory; complete afterwards either way. */
typedef int (*psc_bundle_fill_fn)(const void *ctx, psc_buf *out, psc_err *e);
int psc_bundle_fill_file(psc_bundle *b, psc_bundle_file *f, psc_bundle_fill_fn fill,
                         const void *ctx, psc_err *e);

#endif
