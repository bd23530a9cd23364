/* Writing the export out: the folder (temporary sibling + rename, so a
 * failure leaves DIR as it was) and the archives (whole tree or one system). */
#include "bundle_out.h"
#include "outfile.h"
#include "store_index.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- is DIR ours to replace? ------------------------------------------- */

/* A file of at most max bytes, NUL-terminated (NULL when missing or larger). */
static char *slurp(const char *dir, const char *name, size_t max)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return NULL;
    psc_buf b;
    psc_buf_init(&b);
    psc_err ignored = {0};
    if (psc_buf_read_file(&b, path, max, &ignored) != PSC_OK) {
        psc_buf_free(&b, 0);
        return NULL;
    }
    return (char *)b.data; /* psc_buf_read_file NUL-terminates */
}

/* The paths SHA256SUMS lists (its "<64 hex>  path" lines), as a set: one
 * lookup per file of the old tree.  A scan of SHA256SUMS per file made
 * export --force quadratic (1.4 s of 2.4 s at 2,000 systems).  0, or -1
 * when out of memory.  sums is cut into lines in place. */
static int sums_paths(char *sums, psc_nameset *paths)
{
    for (char *l = sums; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        if (strlen(l) > 66 && l[64] == ' ' && l[65] == ' ' && psc_nameset_add(paths, l + 66) < 0)
            return -1;
        l = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* Every regular file below dir/rel one of paths; the first that is not
 * (or a symlink, device, ...) is copied into foreign. */
static int all_listed(const char *dir, const char *rel, const psc_nameset *paths, int depth,
                      char *foreign, size_t fn)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (d == NULL) {
        snprintf(foreign, fn, "%s", rel[0] ? rel : ".");
        return 0;
    }
    int ok = 1;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char sub[PATH_MAX], full[PATH_MAX];
        struct stat sb;
        if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) >=
                sizeof sub ||
            (size_t)snprintf(full, sizeof full, "%s/%s", dir, sub) >= sizeof full) {
            snprintf(foreign, fn, "%s", de->d_name);
            ok = 0;
            break;
        }
        if (lstat(full, &sb) != 0)
            continue; /* gone meanwhile */
        if (S_ISDIR(sb.st_mode) && depth > 0)
            ok = all_listed(dir, sub, paths, depth - 1, foreign, fn);
        else if (!S_ISREG(sb.st_mode) ||
                 (strcmp(sub, "SHA256SUMS") != 0 && !psc_nameset_has(paths, sub))) {
            snprintf(foreign, fn, "%s", sub);
            ok = 0;
        }
    }
    closedir(d);
    return ok;
}

/* The manifest.json last found to be pseconv's, by identity.  export --force
 * checks the folder before the plan, before the install and again after
 * parking it; parsing the same manifest each time (2,000 systems: 1.7 MB,
 * 5 MB of cJSON nodes while the plan is in memory) made the peak of the run.
 * Any write to the file changes its ctime, so a changed one is read again. */
static struct stat known_manifest;

static int same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Is dir/manifest.json pseconv's (generator "pseconv", format PSC_BUNDLE_FORMAT)? */
static int own_manifest(const char *dir)
{
    char path[PATH_MAX];
    struct stat before, after;
    if ((size_t)snprintf(path, sizeof path, "%s/manifest.json", dir) >= sizeof path ||
        lstat(path, &before) != 0 || !S_ISREG(before.st_mode))
        return 0;
    if (known_manifest.st_ino != 0 && same_file_state(&before, &known_manifest))
        return 1;
    char *m = slurp(dir, "manifest.json", 64u << 20);
    cJSON *root = m ? cJSON_Parse(m) : NULL;
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(root, "generator");
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    int ours = cJSON_IsString(gen) && strcmp(gen->valuestring, "pseconv") == 0 &&
               cJSON_IsNumber(fmt) && fmt->valuedouble == PSC_BUNDLE_FORMAT;
    cJSON_Delete(root);
    free(m);
    if (ours && lstat(path, &after) == 0 && same_file_state(&before, &after))
        known_manifest = after; /* unchanged while it was read */
    return ours;
}

/* A previous pseconv export: its own manifest.json AND every file listed in
 * its SHA256SUMS. */
static int owned_export(const char *dir, psc_err *e)
{
    if (!own_manifest(dir))
        return psc_fail(e, PSC_EOUTPUT,
                        "%s is not empty and holds no pseconv manifest.json (not a previous "
                        "export); not replacing it, even with --force",
                        dir);
    char *sums = slurp(dir, "SHA256SUMS", 64u << 20);
    psc_nameset paths;
    psc_nameset_init(&paths, 0);
    if (sums != NULL && sums_paths(sums, &paths) != 0) {
        psc_nameset_free(&paths);
        free(sums);
        return psc_fail(e, PSC_EOUTPUT, "%s/SHA256SUMS: out of memory", dir);
    }
    char foreign[PATH_MAX] = "SHA256SUMS";
    int ok = sums != NULL && all_listed(dir, "", &paths, 8, foreign, sizeof foreign);
    psc_nameset_free(&paths);
    free(sums);
    if (!ok)
        return psc_fail(e, PSC_EOUTPUT,
                        "%s/%s is not part of the previous export (not in its SHA256SUMS); not "
                        "replacing %s, even with --force",
                        dir, foreign, dir);
    return PSC_OK;
}

/* ---- the folder --------------------------------------------------------- */

static int dir_state(const char *dir, int *exists, int *empty, psc_err *e)
{
    *exists = *empty = 0;
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
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            *empty = 0;
    closedir(d);
    return PSC_OK;
}

int psc_bundle_check_dir(const char *dir, int force, psc_err *e)
{
    int exists, empty;
    int rc = dir_state(dir, &exists, &empty, e);
    if (rc != PSC_OK || !exists || empty)
        return rc;
    if (!force)
        return psc_fail(e, PSC_EOUTPUT, "%s exists and is not empty; use --force to replace a "
                                        "previous export, or choose another -o DIR", dir);
    return owned_export(dir, e);
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

/* Missing ancestors of dir, created here (so a failed export removes them):
 * *created_top is the topmost folder this call created (NULL: none). */
static int make_parents(const char *dir, char **created_top, psc_err *e)
{
    *created_top = NULL;
    char *parent = strdup(dir);
    if (parent == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", dir);
    size_t pl = strlen(parent);
    while (pl > 1 && parent[pl - 1] == '/')
        parent[--pl] = '\0';
    char *slash = strrchr(parent, '/');
    if (slash == NULL || slash == parent) {
        free(parent);
        return PSC_OK;
    }
    *slash = '\0';
    char *probe = strdup(parent);
    struct stat sb;
    while (probe && lstat(probe, &sb) != 0 && errno == ENOENT) {
        free(*created_top);
        *created_top = strdup(probe);
        char *up = strrchr(probe, '/');
        if (up == NULL || up == probe)
            break;
        *up = '\0';
    }
    free(probe);
    int rc = psc_mkdirs(parent, e);
    free(parent);
    return rc;
}

/* rmdir the (empty) folders make_parents created, deepest first. */
static void remove_parents(const char *dir, const char *top)
{
    if (top == NULL)
        return;
    char *p = strdup(dir);
    size_t tl = strlen(top);
    while (p) {
        char *slash = strrchr(p, '/');
        if (slash == NULL || slash == p)
            break;
        *slash = '\0';
        if (strlen(p) < tl)
            break;
        rmdir(p);
    }
    free(p);
}

typedef struct staged_file {
    const char *final;
    char *tmp;      /* staged bytes, registered for signal cleanup */
    char *backup;   /* --force: the replaced file, until commit */
    int installed;
} staged_file;

/* The registered temporary sibling folder tmp ("<dir>.tmpXXXXXX", made here). */
static int make_stage(const char *dir, char *tmp, psc_err *e)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    int made = mkdtemp(tmp) != NULL;
    int err = errno;
    if (made && psc_tmp_register(tmp, 1) != 0) {
        rmdir(tmp);
        made = 0;
        err = ENOMEM;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (!made)
        return psc_fail(e, PSC_EOUTPUT, "cannot create a folder next to %s: %s", dir,
                        strerror(err));
    if (chmod(tmp, 0755) != 0)
        return psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", dir, strerror(errno));
    return PSC_OK;
}

/* Write the bundle's files that are still in memory into the staging
 * folder tmp (the spilled ones are there already), then sync it. */
static int stage_tree(const psc_bundle *b, const char *dir, const char *tmp, psc_err *e)
{
    const char *last_system = NULL;
    for (size_t i = 0; i < b->nfiles; i++) {
        const psc_bundle_file *f = &b->files[i];
        if (f->spilled)
            continue;
        char path[PATH_MAX], shown[PATH_MAX];
        if (!psc_bundle_path_ok(f->path) ||
            (size_t)snprintf(path, sizeof path, "%s/%s", tmp, f->path) >= sizeof path ||
            (size_t)snprintf(shown, sizeof shown, "%s/%s", dir, f->path) >= sizeof shown)
            return psc_fail(e, PSC_EOUTPUT, "%s/%s: not a path below %s", dir, f->path, dir);
        /* a system's files come one after another: its folder is made once */
        if (f->system && (last_system == NULL || strcmp(last_system, f->system) != 0)) {
            char sd[PATH_MAX];
            snprintf(sd, sizeof sd, "%s/%s", tmp, f->system);
            if (mkdir(sd, 0755) != 0 && errno != EEXIST)
                return psc_fail(e, PSC_EOUTPUT, "cannot create folder %s/%s: %s", dir,
                                f->system, strerror(errno));
            last_system = f->system;
        }
        int rc = psc_outfile_write_shown(path, shown,
                                         f->data.data ? f->data.data : (const unsigned char *)"",
                                         f->data.len, f->executable ? 0755 : 0644, e);
        if (rc != PSC_OK)
            return rc;
    }
    return psc_outfile_sync_tree(tmp, e); /* one sync for the whole tree */
}

int psc_bundle_stage_begin(const char *dir, psc_bundle_stage *st, psc_err *e)
{
    memset(st, 0, sizeof *st);
    int rc = make_parents(dir, &st->top, e);
    if (rc == PSC_OK && (st->tmp = sibling(dir, ".tmp")) == NULL)
        rc = psc_fail(e, PSC_EOUTPUT, "%s: out of memory", dir);
    if (rc == PSC_OK && (rc = make_stage(dir, st->tmp, e)) != PSC_OK) {
        psc_tmp_remove(st->tmp);
        free(st->tmp);
        st->tmp = NULL;
    }
    if (rc != PSC_OK) {
        remove_parents(dir, st->top);
        free(st->top);
        st->top = NULL;
    }
    return rc;
}

void psc_bundle_stage_abort(const char *dir, psc_bundle_stage *st)
{
    if (st->tmp) {
        psc_tmp_remove(st->tmp);
        remove_parents(dir, st->top);
    }
    free(st->tmp);
    free(st->top);
    memset(st, 0, sizeof *st);
}

void (*psc_bundle_staged_hook)(void);

int psc_bundle_write(const psc_bundle *b, const char *dir, char *const *names,
                     const psc_buf *archives, size_t narchives, int force,
                     psc_bundle_stage *stage, psc_err *e)
{
    int rc = psc_bundle_check_paths(b, e);
    int existed = 0, empty = 0;
    if (rc == PSC_OK && dir) {
        rc = psc_bundle_check_dir(dir, force, e);
        if (rc == PSC_OK)
            rc = dir_state(dir, &existed, &empty, e);
    }
    char *top = NULL, *tmp = NULL, *old = NULL;
    staged_file *sf = calloc(narchives ? narchives : 1, sizeof *sf);
    if (rc == PSC_OK && sf == NULL)
        rc = psc_fail(e, PSC_EOUTPUT, "export: out of memory");
    /* 1. stage everything; nothing visible changes.  The folder's staging
     * copy is the caller's when begun before the build (it holds the spilled
     * files), else begun here; either way this function owns it now. */
    psc_bundle_stage own = {0};
    if (!(stage && stage->tmp))
        stage = &own;
    if (rc == PSC_OK && dir && stage->tmp == NULL)
        rc = psc_bundle_stage_begin(dir, stage, e);
    tmp = stage->tmp;
    top = stage->top;
    stage->tmp = stage->top = NULL;
    if (rc == PSC_OK && tmp && (rc = stage_tree(b, dir, tmp, e)) != PSC_OK) {
        psc_tmp_remove(tmp);
        free(tmp);
        tmp = NULL;
    }
    for (size_t i = 0; i < narchives && rc == PSC_OK; i++) {
        sf[i].final = names[i];
        struct stat sb;
        if (!force && lstat(names[i], &sb) == 0)
            rc = psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it", names[i]);
        else
            rc = psc_outfile_stage(names[i], archives[i].data, archives[i].len, 0644, &sf[i].tmp,
                                   e);
    }
    if (rc == PSC_OK && psc_bundle_staged_hook)
        psc_bundle_staged_hook();
    /* 2. install, with the cleanup signals held off: all or nothing */
    sigset_t all, saved;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &saved);
    int dir_installed = 0, parked = 0;
    if (rc == PSC_OK && dir) {
        int now_exists, now_empty;
        rc = dir_state(dir, &now_exists, &now_empty, e);
        if (rc == PSC_OK && now_exists && !now_empty && !(existed && !empty && force))
            /* not there, or empty, at the start: someone else's data now; never touched */
            rc = psc_fail(e, PSC_EOUTPUT, "%s appeared during the export; not replacing it", dir);
        else if (rc == PSC_OK && now_exists && !now_empty) {
            /* park the previous export, then check it is still only ours */
            old = sibling(dir, ".old");
            if (old == NULL || mkdtemp(old) == NULL || rename(dir, old) != 0)
                rc = psc_fail(e, PSC_EOUTPUT, "cannot replace %s: %s", dir, strerror(errno));
            else {
                parked = 1;
                psc_err oe = {0};
                if (owned_export(old, &oe) != PSC_OK)
                    rc = psc_fail(e, PSC_EOUTPUT,
                                  "%s changed during the export (a file that is not part of "
                                  "the previous export appeared); not replacing it",
                                  dir);
            }
        }
        if (rc == PSC_OK) {
            /* a DIR that did not exist must not appear meanwhile: NOREPLACE */
            int r = now_exists ? rename(tmp, dir) : psc_rename_noreplace(tmp, dir);
            if (r != 0)
                rc = errno == EEXIST || errno == ENOTEMPTY
                         ? psc_fail(e, PSC_EOUTPUT,
                                    "%s appeared during the export; not replacing it", dir)
                         : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", dir, strerror(errno));
            else
                dir_installed = 1;
        }
    }
    for (size_t i = 0; i < narchives && rc == PSC_OK; i++) {
        struct stat sb;
        if (force && lstat(sf[i].final, &sb) == 0) {
            /* keep the old archive under a temporary name until everything is in place */
            sf[i].backup = sibling(sf[i].final, ".old");
            int fd = sf[i].backup ? mkstemp(sf[i].backup) : -1;
            if (fd >= 0)
                close(fd);
            if (fd < 0 || rename(sf[i].final, sf[i].backup) != 0) {
                rc = psc_fail(e, PSC_EOUTPUT, "cannot replace %s: %s", sf[i].final,
                              strerror(errno));
                if (fd >= 0)
                    unlink(sf[i].backup);
                free(sf[i].backup);
                sf[i].backup = NULL;
                break;
            }
        }
        if (psc_rename_noreplace(sf[i].tmp, sf[i].final) != 0) {
            rc = errno == EEXIST
                     ? psc_fail(e, PSC_EOUTPUT, "%s exists; use --force to overwrite it",
                                sf[i].final)
                     : psc_fail(e, PSC_EOUTPUT, "cannot write %s: %s", sf[i].final,
                                strerror(errno));
            if (sf[i].backup && rename(sf[i].backup, sf[i].final) == 0) {
                free(sf[i].backup);
                sf[i].backup = NULL;
            }
        } else {
            sf[i].installed = 1;
            psc_tmp_unregister(sf[i].tmp);
        }
    }
    /* 3. commit (drop what was replaced) or roll back (put it all back) */
    for (size_t i = 0; i < narchives; i++) {
        if (rc != PSC_OK && sf[i].installed) {
            if (sf[i].backup == NULL || rename(sf[i].backup, sf[i].final) != 0)
                unlink(sf[i].final);
        } else if (sf[i].backup)
            unlink(sf[i].backup);
        if (!sf[i].installed && sf[i].tmp)
            psc_tmp_remove(sf[i].tmp);
        free(sf[i].tmp);
        free(sf[i].backup);
    }
    if (dir_installed && rc != PSC_OK && rename(dir, tmp) != 0)
        rm_tree(dir); /* cannot happen short of a vanished parent: never leave a half state */
    if (tmp) {
        if (dir_installed && rc == PSC_OK)
            psc_tmp_unregister(tmp);
        else
            psc_tmp_remove(tmp);
    }
    if (parked) {
        if (rc != PSC_OK && rename(old, dir) == 0)
            parked = 0; /* the previous export (or the foreign folder) goes back */
        else if (rc == PSC_OK)
            rm_tree(old);
    } else if (old != NULL)
        rmdir(old); /* the empty placeholder of a failed park */
    if (rc != PSC_OK && dir && !dir_installed)
        remove_parents(dir, top);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    free(old);
    free(tmp);
    free(top);
    free(sf);
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

/* Where path stands against the files of system (the paths "SYSTEM/..."):
 * < 0 before them, 0 one of them, > 0 after them, in strcmp order. */
static int against_system(const char *path, const char *system, size_t n)
{
    int c = strncmp(path, system, n);
    return c ? c : (unsigned char)path[n] - '/';
}

/* The files of `system`, [*begin, *end): a built bundle is sorted by path
 * (strcmp), and a system's files are exactly the paths that begin "SYSTEM/",
 * so they are one range, found by binary search.  A scan of every file per
 * system was 8% of export --split at 2,000 systems, and quadratic. */
static void system_range(const psc_bundle *b, const char *system, size_t *begin, size_t *end)
{
    size_t n = strlen(system), lo = 0, hi = b->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (against_system(b->files[mid].path, system, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *begin = lo;
    while (lo < b->nfiles && against_system(b->files[lo].path, system, n) == 0)
        lo++;
    *end = lo;
}

/* A bundle file's bytes: in memory, or read back from the spill folder, one
 * file at a time (reading all of them back first took 2,000 systems' export
 * --archive to 61 MiB; the tree is 29 MB). */
static int fetch_file(const void *ctx, const psc_archive_file *af, psc_buf *tmp,
                      const unsigned char **data, size_t *len, psc_err *e)
{
    return psc_bundle_file_data(ctx, af->src, tmp, data, len, e);
}

int psc_bundle_archive(const psc_bundle *b, const char *system, psc_archive_kind kind,
                       time_t mtime, const char *name, psc_buf *out, psc_err *e)
{
    size_t from = 0, to = b->nfiles;
    if (system)
        system_range(b, system, &from, &to);
    /* the range's files, and SHA256SUMS for a system's archive */
    psc_archive_file *af = calloc(to - from + 1, sizeof *af);
    if (af == NULL)
        return psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name);
    size_t n = 0;
    psc_buf sums;
    psc_buf_init(&sums);
    int bad = 0;
    for (size_t i = from; i < to; i++) {
        const psc_bundle_file *f = &b->files[i];
        af[n].path = f->path;
        af[n].len = f->bytes;
        af[n].executable = f->executable;
        af[n].src = f;
        n++;
        char hex[65];
        psc_hex(f->sha256, 32, hex);
        if (system)
            bad = bad || psc_buf_printf(&sums, "%s  %s\n", hex, f->path) != 0;
    }
    if (system) {
        af[n].path = "SHA256SUMS";
        af[n].data = sums.data;
        af[n].len = sums.len;
        n++;
    }
    int rc = bad ? psc_fail(e, PSC_EOUTPUT, "%s: out of memory", name)
                 : psc_archive_build_fetched(kind, af, n, mtime, name, fetch_file, b, out, e);
    psc_buf_free(&sums, 0);
    free(af);
    return rc;
}
