#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const unsigned char *p, size_t n)
{
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

int psc_outfile_write(const char *path, const void *data, size_t len, mode_t mode, int force,
                      psc_err *e)
{
    if (strcmp(path, "-") == 0) {
        if (write_all(STDOUT_FILENO, data, len) != 0)
            return psc_fail(e, PSC_EOUTPUT, "cannot write to standard output: %s", strerror(errno));
        return PSC_OK;
    }
    struct stat sb;
    if (!force && lstat(path, &sb) == 0)
        return psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", path);

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", path);
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp); /* 0600 from the start: a key never sits in a readable file */
    if (fd < 0) {
        int err = errno;
        free(tmp);
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(err));
    }
    int rc = PSC_OK;
    if (write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0 || fsync(fd) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (rc == PSC_OK && !force && link(tmp, path) != 0) {
        /* link() instead of rename() without --force: never replaces a file
         * that appeared since the check above. */
        rc = errno == EEXIST
                 ? psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", path)
                 : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    } else if (rc == PSC_OK && force && rename(tmp, path) != 0) {
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    }
    unlink(tmp); /* after link() the temp name is just a second name; after rename it is gone */
    free(tmp);
    return rc;
}

int psc_outfile_write_in_tree(const char *path, const void *data, size_t len, mode_t mode,
                              psc_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    int rc = PSC_OK;
    if (write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == PSC_OK)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
    return rc;
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
