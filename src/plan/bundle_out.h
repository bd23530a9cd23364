/* Writing the export out: the folder and the archives (bundle_out.c). */
#ifndef PSC_BUNDLE_OUT_H
#define PSC_BUNDLE_OUT_H

#include "bundle.h"

/* Can `dir` be written?  Missing or empty: yes.  Not empty: only with force,
 * and only when it is a previous pseconv export: its manifest.json has
 * generator "pseconv" and format PSC_BUNDLE_FORMAT, AND every file in it is
 * listed in its SHA256SUMS.  PSC_EOUTPUT (naming the foreign file) otherwise. */
int psc_bundle_check_dir(const char *dir, int force, psc_err *e);

/* The staging copy of DIR, made before the bundle is built so that each
 * file can be written there as soon as it is complete (psc_bundle_opts.
 * spill_dir = tmp): DIR's missing parents (top: the topmost one made) and
 * the registered temporary sibling "<DIR>.tmpXXXXXX". */
typedef struct psc_bundle_stage {
    char *tmp;
    char *top;
} psc_bundle_stage;
int psc_bundle_stage_begin(const char *dir, psc_bundle_stage *st, psc_err *e);
/* Remove what psc_bundle_stage_begin made (nothing once psc_bundle_write took it). */
void psc_bundle_stage_abort(const char *dir, psc_bundle_stage *st);

/* The export as one transaction: the tree (dir may be NULL) and the archives
 * (names[i] with the bytes archives[i]) are staged in temporary space first
 * (in stage->tmp when stage is begun: psc_bundle_write takes it over);
 * only when all are complete are they installed, with the cleanup signals
 * blocked.  On any failure nothing new is left and nothing old is lost.  A
 * DIR that did not exist at the start is installed with RENAME_NOREPLACE (one
 * that appeared meanwhile is exit 4); a replaced previous export is parked and
 * re-checked (psc_bundle_check_dir) before it is deleted. */
int psc_bundle_write(const psc_bundle *b, const char *dir, char *const *names,
                     const psc_buf *archives, size_t narchives, int force,
                     psc_bundle_stage *stage, psc_err *e);
/* Tests only: called once everything is staged, before the install step
 * (where a concurrent writer or a signal would strike).  NULL normally. */
extern void (*psc_bundle_staged_hook)(void);

/* The archive of the whole tree (system == NULL), or of one system's folder
 * plus a SHA256SUMS for just those files (--split). */
int psc_bundle_archive(const psc_bundle *b, const char *system, psc_archive_kind kind,
                       time_t mtime, const char *name, psc_buf *out, psc_err *e);

/* "<stem>-<SYSTEM><suffix>" for --split (malloc'ed, NULL on allocation failure). */
char *psc_bundle_split_name(const char *archive, const char *system);

#endif
