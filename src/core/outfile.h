/* Output files: written to a temporary file in the same folder, fsync'd and
 * renamed, so a failure leaves no partial file; created with `mode` (0600 for
 * anything holding a private key); an existing file is kept unless force. */
#ifndef PSC_OUTFILE_H
#define PSC_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>
#include "error.h"

/* path "-" writes to standard output.  Errors are PSC_EOUTPUT. */
int psc_outfile_write(const char *path, const void *data, size_t len, mode_t mode, int force,
                      psc_err *e);
/* A new file inside a folder that is itself temporary (an export tree that is
 * renamed into place when complete): created exclusively with `mode`, written,
 * not fsync'd one by one; psc_outfile_sync_tree makes the whole tree durable
 * with one syncfs(2) before the rename.  (fsync per file was most of export's
 * time: 9,000 files at 2,000 systems.) */
int psc_outfile_write_in_tree(const char *path, const void *data, size_t len, mode_t mode,
                              psc_err *e);
int psc_outfile_sync_tree(const char *dir, psc_err *e);
/* Create a directory (and parents) with 0755; ok if it exists. */
int psc_mkdirs(const char *path, psc_err *e);

#endif
