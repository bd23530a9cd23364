/* Output files: written to a temporary file in the same folder, fsync'd and
 * renamed, so a failure leaves no partial file; created with `mode` (0600 for
 * anything holding a private key); an existing file is kept unless force.
 *
 * Every temporary file or folder this process creates is registered here
 * while it exists; SIGINT, SIGTERM and SIGHUP remove the registered paths
 * (unlink/rmdir and a raw getdents walk only: async-signal-safe) and then
 * re-raise, so an interrupted run leaves nothing behind.  SIGKILL cannot be
 * caught: psc_outfile_stale() finds what such a run left. */
#ifndef PSC_OUTFILE_H
#define PSC_OUTFILE_H

#include <stddef.h>
#include <sys/types.h>
#include "error.h"

/* path "-" writes to standard output.  Errors are PSC_EOUTPUT. */
int psc_outfile_write(const char *path, const void *data, size_t len, mode_t mode, int force,
                      psc_err *e);

/* write(2) all n bytes, again after EINTR: 0, or -1 with errno. */
int psc_write_all(int fd, const void *data, size_t n);

/* An output written as it is made (a plan of 2,000 systems is 9.8 MB): the
 * same guarantees as psc_outfile_write.  open checks --force and makes the
 * temporary file (registered for signal cleanup; nothing for "-"); write is
 * a psc_buf sink; commit fsyncs and renames it into place; abort removes it.
 * Exactly one of commit or abort follows a successful open. */
typedef struct psc_outstream {
    const char *path; /* as given, for messages */
    char *tmp;        /* NULL for standard output */
    int fd;
    int force;
    mode_t mode;
} psc_outstream;
int psc_outstream_open(psc_outstream *o, const char *path, mode_t mode, int force, psc_err *e);
int psc_outstream_write(void *o, const void *data, size_t len);
int psc_outstream_commit(psc_outstream *o, psc_err *e);
void psc_outstream_abort(psc_outstream *o);

/* Staged write for transactions: writes data to a fresh temporary file next
 * to `path` (registered for signal cleanup), fsync'd, with `mode`.  *tmp_out
 * receives its malloc'ed name.  Messages name `path`, never the temp name. */
int psc_outfile_stage(const char *path, const void *data, size_t len, mode_t mode,
                      char **tmp_out, psc_err *e);
/* Write one file inside a staging folder (`path` under a registered temp
 * folder), created exclusively with `mode`, not fsync'd one by one: the
 * whole folder is made durable with one psc_outfile_sync_tree before it is
 * installed (fsync per file was most of export's time: 9,000 files at 2,000
 * systems).  Messages name `shown`, the final path the user asked for. */
int psc_outfile_write_shown(const char *path, const char *shown, const void *data, size_t len,
                            mode_t mode, psc_err *e);

/* One syncfs(2) for a staged folder's files and folders. */
int psc_outfile_sync_tree(const char *dir, psc_err *e);
/* Create a directory (and parents) with 0755; ok if it exists. */
int psc_mkdirs(const char *path, psc_err *e);

/* Temporary paths of this process: removed by the signal handlers while
 * registered.  is_dir: the folder and everything in it (two levels deep). */
int psc_tmp_register(const char *path, int is_dir);
void psc_tmp_unregister(const char *path);
/* Remove a registered temporary path now (file, or folder tree) and unregister it. */
void psc_tmp_remove(const char *path);

/* rename(from, to) that fails with EEXIST when `to` exists (renameat2
 * RENAME_NOREPLACE; link()+unlink() for files where the file system lacks it). */
int psc_rename_noreplace(const char *from, const char *to);

/* A temporary sibling of `path` left by a run that was killed (SIGKILL, power
 * loss): "<path>.tmpXXXXXX", not one this process made.  Returns the first one
 * found (malloc'ed) or NULL. */
char *psc_outfile_stale(const char *path);

#endif
