/* Writing the export out: the folder and the archives (bundle_out.c). */
#ifndef PSC_BUNDLE_OUT_H
#define PSC_BUNDLE_OUT_H

#include "bundle.h"

/* Can `dir` be written?  Missing or empty: yes.  Not empty: only with force,
 * and only when it holds a manifest.json (a previous export), so --force
 * never wipes an unrelated folder.  PSC_EOUTPUT otherwise. */
int psc_bundle_check_dir(const char *dir, int force, psc_err *e);

/* Write the tree into a temporary sibling folder, then rename it to dir
 * (replacing a previous export with force): a failure leaves dir as it was. */
int psc_bundle_write_dir(const psc_bundle *b, const char *dir, int force, psc_err *e);

/* The archive of the whole tree (system == NULL), or of one system's folder
 * plus a SHA256SUMS for just those files (--split). */
int psc_bundle_archive(const psc_bundle *b, const char *system, psc_archive_kind kind,
                       time_t mtime, const char *name, psc_buf *out, psc_err *e);

/* "<stem>-<SYSTEM><suffix>" for --split (malloc'ed, NULL on allocation failure). */
char *psc_bundle_split_name(const char *archive, const char *system);

#endif
