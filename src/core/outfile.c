#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- registry of this process's temporary paths ------------------------- */

typedef struct tmp_path {
    char *path;
    int is_dir;
} tmp_path;

/* Changed only with the cleanup signals blocked, so the handler never sees a
 * half-updated list. */
static tmp_path *reg;
static size_t nreg, capreg;
static int handlers_installed;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIG_CLEANUP (sizeof cleanup_signals / sizeof cleanup_signals[0])

static void block(sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    for (size_t i = 0; i < NSIG_CLEANUP; i++)
        sigaddset(&s, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &s, old);
}

/* Async-signal-safe removal of a folder's contents: open/getdents64/unlinkat
 * only (no opendir: it allocates).  depth bounds the recursion; the export
 * staging folder is two levels deep. */
static void raw_clear(int dfd, int depth)
{
    char buf[4096];
    /* passes over the folder until one removes nothing: entries removed while
     * reading may make getdents skip others */
    for (int removed = 1; removed;) {
        removed = 0;
        lseek(dfd, 0, SEEK_SET);
        ssize_t n;
        while ((n = getdents64(dfd, buf, sizeof buf)) > 0) {
            for (ssize_t off = 0; off < n;) {
                struct dirent64 *de = (struct dirent64 *)(buf + off);
                off += de->d_reclen;
                const char *nm = de->d_name;
                if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0')))
                    continue;
                if (unlinkat(dfd, nm, 0) == 0) {
                    removed = 1;
                    continue;
                }
                if (depth > 0) {
                    int sub = openat(dfd, nm, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub >= 0) {
                        raw_clear(sub, depth - 1);
                        close(sub);
                    }
                    if (unlinkat(dfd, nm, AT_REMOVEDIR) == 0)
                        removed = 1;
                }
            }
        }
    }
}

static void raw_remove(const tmp_path *t)
{
    if (!t->is_dir) {
        unlink(t->path);
        return;
    }
    int dfd = open(t->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
        raw_clear(dfd, 3);
        close(dfd);
    }
    rmdir(t->path);
}

static void on_signal(int sig)
{
    int saved = errno;
    for (size_t i = nreg; i > 0; i--)
        raw_remove(&reg[i - 1]);
    signal(sig, SIG_DFL);
    raise(sig); /* die of the same signal: the caller sees why */
    errno = saved;
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIG_CLEANUP; i++)
        sigaddset(&sa.sa_mask, cleanup_signals[i]);
    for (size_t i = 0; i < NSIG_CLEANUP; i++) {
        struct sigaction old;
        /* keep an inherited "ignore" (nohup): that caller asked not to be stopped */
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(cleanup_signals[i], &sa, NULL);
    }
}

int psc_tmp_register(const char *path, int is_dir)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return -1;
    sigset_t old;
    block(&old);
    int rc = 0;
    if (nreg == capreg) {
        size_t n = capreg ? capreg * 2 : 16;
        tmp_path *p = realloc(reg, n * sizeof *p);
        if (p == NULL)
            rc = -1;
        else {
            reg = p;
            capreg = n;
        }
    }
    if (rc == 0) {
        reg[nreg].path = copy;
        reg[nreg].is_dir = is_dir;
        nreg++;
        install_handlers();
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        free(copy);
    return rc;
}

void psc_tmp_unregister(const char *path)
{
    sigset_t old;
    block(&old);
    char *gone = NULL;
    for (size_t i = 0; i < nreg; i++)
        if (strcmp(reg[i].path, path) == 0) {
            gone = reg[i].path;
            reg[i] = reg[nreg - 1];
            nreg--;
            break;
        }
    if (nreg == 0) {
        free(reg);
        reg = NULL;
        capreg = 0;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(gone);
}

void psc_tmp_remove(const char *path)
{
    int is_dir = 0;
    for (size_t i = 0; i < nreg; i++)
        if (strcmp(reg[i].path, path) == 0)
            is_dir = reg[i].is_dir;
    tmp_path t = {(char *)path, is_dir};
    raw_remove(&t);
    psc_tmp_unregister(path);
}

/* ---- writing ------------------------------------------------------------ */

int psc_write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int psc_rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* file systems without RENAME_NOREPLACE: link() never replaces either */
    if (link(from, to) != 0)
        return -1;
    unlink(from);
    return 0;
}

/* A fresh temporary sibling of path ("<path>.tmpXXXXXX", 0600), registered
 * for signal cleanup: *fd and *tmp_out (malloc'ed) on success. */
static int make_temp(const char *path, int *fd, char **tmp_out, psc_err *e)
{
    *tmp_out = NULL;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", path);
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    sigset_t old;
    block(&old); /* between mkstemp and registration a signal would leave the file */
    *fd = mkstemp(tmp); /* 0600 from the start: a key never sits in a readable file */
    int reg_failed = *fd >= 0 && psc_tmp_register(tmp, 0) != 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (*fd < 0 || reg_failed) {
        int err = reg_failed ? ENOMEM : errno;
        if (*fd >= 0) {
            close(*fd);
            unlink(tmp);
        }
        free(tmp);
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(err));
    }
    *tmp_out = tmp;
    return PSC_OK;
}

int psc_outfile_stage(const char *path, const void *data, size_t len, mode_t mode,
                      char **tmp_out, psc_err *e)
{
    int fd;
    char *tmp;
    int rc = make_temp(path, &fd, &tmp, e);
    *tmp_out = NULL;
    if (rc != PSC_OK)
        return rc;
    if (psc_write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0 || fsync(fd) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (rc != PSC_OK) {
        psc_tmp_remove(tmp);
        free(tmp);
        return rc;
    }
    *tmp_out = tmp;
    return PSC_OK;
}

int psc_outfile_write_shown(const char *path, const char *shown, const void *data, size_t len,
                            mode_t mode, psc_err *e)
{
    /* inside a registered staging folder: the folder's cleanup covers it */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", shown, strerror(errno));
    int rc = PSC_OK;
    /* no fsync per file: the staging folder is synced once (psc_outfile_sync_tree)
     * before it is installed; fsync per file was most of export's time */
    if (psc_write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", shown, strerror(errno));
    if (close(fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", shown, strerror(errno));
    return rc;
}

int psc_outstream_open(psc_outstream *o, const char *path, mode_t mode, int force, psc_err *e)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    o->fd = STDOUT_FILENO;
    o->force = force;
    o->mode = mode;
    if (strcmp(path, "-") == 0)
        return PSC_OK;
    struct stat sb;
    if (!force && lstat(path, &sb) == 0)
        return psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", path);
    return make_temp(path, &o->fd, &o->tmp, e);
}

int psc_outstream_write(void *ctx, const void *data, size_t len)
{
    psc_outstream *o = ctx;
    return psc_write_all(o->fd, data, len);
}

void psc_outstream_abort(psc_outstream *o)
{
    if (o->tmp == NULL)
        return;
    close(o->fd);
    psc_tmp_remove(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}

int psc_outstream_commit(psc_outstream *o, psc_err *e)
{
    if (o->tmp == NULL)
        return PSC_OK; /* standard output: written as it came */
    const char *path = o->path;
    int rc = PSC_OK;
    if (fchmod(o->fd, o->mode) != 0 || fsync(o->fd) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (close(o->fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (rc == PSC_OK && !o->force && psc_rename_noreplace(o->tmp, path) != 0) {
        /* never replaces a file that appeared since the check in open */
        rc = errno == EEXIST
                 ? psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", path)
                 : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    } else if (rc == PSC_OK && o->force && rename(o->tmp, path) != 0) {
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    }
    if (rc != PSC_OK)
        psc_tmp_remove(o->tmp);
    else
        psc_tmp_unregister(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

int psc_outfile_write(const char *path, const void *data, size_t len, mode_t mode, int force,
                      psc_err *e)
{
    psc_outstream o;
    int rc = psc_outstream_open(&o, path, mode, force, e);
    if (rc != PSC_OK)
        return rc;
    if (psc_outstream_write(&o, data, len) != 0) {
        rc = o.tmp ? psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno))
                   : psc_fail(e, PSC_EOUTPUT, "cannot write to standard output: %s",
                              strerror(errno));
        psc_outstream_abort(&o);
        return rc;
    }
    return psc_outstream_commit(&o, e);
}

int psc_outfile_sync_tree(const char *dir, psc_err *e)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", dir, strerror(errno));
    /* one syncfs for the tree's files and folders (they are on one file system) */
    int rc = syncfs(fd) == 0 ? PSC_OK
                             : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

int psc_mkdirs(const char *path, psc_err *e)
{
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (p == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", path);
    memcpy(p, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            int err = errno;
            free(p);
            return psc_fail(e, PSC_EOUTPUT, "cannot create folder %s: %s", path, strerror(err));
        }
        p[i] = c;
    }
    free(p);
    return PSC_OK;
}

/* ---- leftovers of a killed run ------------------------------------------ */

char *psc_outfile_stale(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *slash = memrchr(path, '/', n);
    size_t dl = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t bl = n - (size_t)(base - path);
    char *dir = slash ? strndup(path, dl ? dl : 1) : strdup(".");
    if (dir == NULL)
        return NULL;
    DIR *d = opendir(dir);
    char *found = NULL;
    struct dirent *de;
    while (d && found == NULL && (de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        /* "<base>.tmpXXXXXX" exactly: mkstemp/mkdtemp's six characters */
        if (strncmp(nm, base, bl) != 0 || strncmp(nm + bl, ".tmp", 4) != 0 ||
            strlen(nm + bl + 4) != 6)
            continue;
        size_t m = strlen(dir) + 1 + strlen(nm) + 1;
        if ((found = malloc(m)) != NULL)
            snprintf(found, m, "%s/%s", dir, nm);
        int ours = 0; /* this run's own staging (export stages before it warns) */
        for (size_t i = 0; found && i < nreg && !ours; i++)
            ours = strcmp(reg[i].path, found) == 0;
        if (ours) {
            free(found);
            found = NULL;
        }
    }
    if (d)
        closedir(d);
    free(dir);
    return found;
}
