/* The export handoff (pseconv export): the finished plan as files for the
 * people who carry the steps out.  Built file by file, each one checked (path,
 * key markers) and summed when it is complete; with a spill folder (export
 * -o DIR: the folder's staging copy) each file is then written there and
 * dropped from memory (2,000 systems are 20 MB of files), else kept in
 * memory.  The folder and every archive hold exactly the same bytes; the
 * whole is installed atomically (bundle_out.c).
 *
 *   CHECKLIST.md                  the whole plan (plan --format markdown)
 *   SHA256SUMS                    every other file, for `sha256sum -c SHA256SUMS`
 *   manifest.json                 {"files":[{"path","sha256","bytes","steps"}]}
 *   <SYSTEM>/README.md            that system's steps, in its own words, in order
 *   <SYSTEM>/<NN>-<target>-<name>.<ext>   one PEM certificate per step
 *   <SYSTEM>/<NN>-user-mapping-<name>.txt the DN as typed into VUSREXTID
 *   <SYSTEM>/sapgenpse.sh         standalone Web Dispatcher only: its PSE imports via maintain_pk
 *   <SYSTEM>/<keystore file>      cpi, --update-keystore: keystore + planned trusted certs
 *
 * Only systems with a `todo` step get a folder.  No file ever holds a
 * private key: certificates are written from the plan's DER, the updated
 * keystore is written with include_keys = 0, and every file is scanned for
 * PEM/PKCS#8 key markers before anything is written. */
#ifndef PSC_BUNDLE_H
#define PSC_BUNDLE_H

#include <stddef.h>
#include <time.h>
#include "plan_types.h"
#include "buf.h"
#include "secret.h"
#include "reproarchive.h"
#include "bundle_files.h" /* psc_bundle, psc_bundle_file and what is done with a file */

typedef struct psc_bundle_opts {
    int update_keystore;               /* --update-keystore */
    const psc_secret *keystore_password; /* overrides the landscape's keystore_password; may be NULL */
    const psc_buf *delta_markdown;     /* export --since: the whole delta (new, kept, clean-up
                                          after cut-over) as DELTA.md at the top; may be NULL */
    const psc_secret *handoff_password;  /* the written copy's password (default: the keystore's); may be NULL */
    const char *spill_dir;             /* an empty folder (the staging copy of the export
                                          folder) where each complete file is written and
                                          then dropped from memory; NULL: keep them all */
    const char *spill_shown;           /* the export folder as given (messages name it, not
                                          the temporary copy) */
} psc_bundle_opts;

/* Build every file in memory.  Errors: PSC_EINPUT (keystore unreadable or
 * wrong password, a certificate too large for its target), PSC_EOUTPUT
 * (a writer failed, or the key scan found key material). */
int psc_bundle_build(const psc_plan *p, const psc_bundle_opts *o, psc_bundle **out,
                     psc_err *e);

/* manifest.json's "format" (with "generator": "pseconv"): how --force
 * recognises a previous export it may replace. */
#define PSC_BUNDLE_FORMAT 1

/* Every file path is relative with no empty, "." or ".." component
 * (defence in depth below the landscape's name rule).  PSC_EOUTPUT otherwise. */
int psc_bundle_check_paths(const psc_bundle *b, psc_err *e);

#endif
