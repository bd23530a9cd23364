/* Writing the export out: the folder (temporary sibling + rename, so a
 * failure leaves DIR as it was) and the archives (whole tree or one system). */
#include "bundle.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the folder --------------------------------------------------------- */

static int dir_state(const char *dir, int *exists, int *empty, int *has_manifest, psc_err *e)
{
    *exists = *empty = *has_manifest = 0;
    struct stat sb;
    if (lstat(dir, &sb) != 0) {
        if (errno == ENOENT)
            return PSC_OK;
        return psc_fail(e, PSC_EOUTPUT, "cannot use %s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return psc_fail(e, PSC_EOUTPUT, "%s exists and is not a folder; choose another -o DIR",
                        dir);
    *exists = 1;
    DIR *d = opendir(dir);
    if (d == NULL)
        return psc_fail(e, PSC_EOUTPUT, "cannot read %s: %s", dir, strerror(errno));
    *empty = 1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        *empty = 0;
        if (strcmp(de->d_name, "manifest.json") == 0)
            *has_manifest = 1;
    }
    closedir(d);
    return PSC_OK;
}

int psc_bundle_check_dir(const char *dir, int force, psc_err *e)
{
    int exists, empty, manifest;
    int rc = dir_state(dir, &exists, &empty, &manifest, e);
    if (rc != PSC_OK || !exists || empty)
        return rc;
    if (!force)
        return psc_fail(e, PSC_EOUTPUT, "%s exists and is not empty; use --force to replace a "
                                        "previous export, or choose another -o DIR", dir);
    if (!manifest)
        return psc_fail(e, PSC_EOUTPUT, "%s is not empty and holds no manifest.json (not a "
                                        "previous export); not replacing it, even with --force",
                        dir);
    return PSC_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *sibling(const char *dir, const char *tag)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--; /* "out/" -> "out" */
    char *s = malloc(n + strlen(tag) + 8);
    if (s)
        sprintf(s, "%.*s%sXXXXXX", (int)n, dir, tag);
    return s;
}

int psc_bundle_write_dir(const psc_bundle *b, const char *dir, int force, psc_err *e)
{
    int rc = psc_bundle_check_dir(dir, force, e);
    if (rc != PSC_OK)
        return rc;
    /* the parent must exist for the temporary sibling */
    char *parent = strdup(dir);
    if (parent == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", dir);
    size_t pl = strlen(parent);
    while (pl > 1 && parent[pl - 1] == '/')
        parent[--pl] = '\0';
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        rc = psc_mkdirs(parent, e);
    }
    free(parent);
    char *tmp = sibling(dir, ".tmp");
    if (rc != PSC_OK || tmp == NULL) {
        free(tmp);
        return rc != PSC_OK ? rc : psc_fail(e, PSC_EOUTPUT, "%s: out of memory", dir);
    }
    if (mkdtemp(tmp) == NULL) {
        rc = psc_fail(e, PSC_EOUTPUT, "cannot create a folder next to %s: %s", dir, strerror(errno));
        free(tmp);
        return rc;
    }
    if (chmod(tmp, 0755) != 0)
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", tmp, strerror(errno));
    const char *last_system = NULL;
    for (size_t i = 0; i < b->nfiles && rc == PSC_OK; i++) {
        const psc_bundle_file *f = &b->files[i];
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", tmp, f->path) >= sizeof path) {
            rc = psc_fail(e, PSC_EOUTPUT, "%s/%s: path too long", dir, f->path);
            break;
        }
        /* a system's files come one after another: its folder is made once */
        if (f->system && (last_system == NULL || strcmp(last_system, f->system) != 0)) {
            char sd[PATH_MAX];
            snprintf(sd, sizeof sd, "%s/%s", tmp, f->system);
            rc = psc_mkdirs(sd, e);
            last_system = f->system;
        }
        if (rc == PSC_OK)
            rc = psc_outfile_write_in_tree(path, f->data.data ? f->data.data
                                                              : (const unsigned char *)"",
                                           f->data.len, f->executable ? 0755 : 0644, e);
    }
    if (rc == PSC_OK) /* the tree is complete: durable before it takes the name */
        rc = psc_outfile_sync_tree(tmp, e);
    int exists, empty, manifest;
    if (rc == PSC_OK)
        rc = dir_state(dir, &exists, &empty, &manifest, e);
    char *old = NULL;
    int parked = 0;
    if (rc == PSC_OK && exists && !empty) {
        /* park the previous export under a unique name, swap, then delete it */
        old = sibling(dir, ".old");
        if (old == NULL || mkdtemp(old) == NULL || rename(dir, old) != 0)
            rc = psc_fail(e, PSC_EOUTPUT, "cannot replace %s: %s", dir, strerror(errno));
        else
            parked = 1;
    }
    if (rc == PSC_OK && rename(tmp, dir) != 0) {
        rc = psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", dir, strerror(errno));
        if (parked && rename(old, dir) == 0) /* the previous export goes back */
            parked = 0;
    }
    if (rc != PSC_OK)
        rm_tree(tmp);
    /* the replaced export, or the empty placeholder of a failed swap; a parked
     * previous export that could not go back stays where it is */
    if (old != NULL && (rc == PSC_OK || !parked))
        rm_tree(old);
    free(old);
    free(tmp);
    return rc;
}

/* ---- archives ----------------------------------------------------------- */

char *psc_bundle_split_name(const char *archive, const char *system)
{
    char *stem = psc_archive_stem(archive);
    if (stem == NULL)
        return NULL;
    const char *suffix = psc_archive_suffix(archive);
    size_t n = strlen(stem) + 1 + strlen(system) + strlen(suffix) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s-%s%s", stem, system, suffix);
    free(stem);
    return s;
}

int psc_bundle_archive(const psc_bundle *b, const char *system, psc_archive_kind kind,
                       time_t mtime, const char *name, psc_buf *out, psc_err *e)
{
    psc_archive_file *af = calloc(b->nfiles + 1, sizeof *af);
    if (af == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
    size_t n = 0;
    psc_buf sums;
    psc_buf_init(&sums);
    int bad = 0;
    for (size_t i = 0; i < b->nfiles; i++) {
        const psc_bundle_file *f = &b->files[i];
        if (system && (f->system == NULL || strcmp(f->system, system) != 0))
            continue;
        af[n].path = f->path;
        af[n].data = f->data.data;
        af[n].len = f->data.len;
        af[n].executable = f->executable;
        n++;
        if (system) {
            char hex[65];
            psc_bundle_sha256_hex(f->data.data, f->data.len, hex);
            bad = bad || psc_buf_printf(&sums, "%s  %s\n", hex, f->path) != 0;
        }
    }
    if (system) {
        af[n].path = "SHA256SUMS";
        af[n].data = sums.data;
        af[n].len = sums.len;
        n++;
    }
    int rc = bad ? psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name)
                 : psc_archive_build(kind, af, n, mtime, name, out, e);
    psc_buf_free(&sums, 0);
    free(af);
    return rc;
}
