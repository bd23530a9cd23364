/* Issue 16: the export transaction and the temp-file cleanup on signals.
 * A test hook (psc_bundle_staged_hook) strikes exactly between staging and
 * installing: a folder appears (item 3) or a signal arrives (item 6). */
#include "unit.h"
#include "bundle_out.h"
#include "outfile.h"
#include "secret.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char race_dir[600];

/* Names in folder `dir` starting with `prefix` (temporary leftovers). */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

/* A bundle of two files, one in a system folder. */
static void small_bundle(psc_bundle *b, psc_bundle_file f[2])
{
    memset(b, 0, sizeof *b);
    memset(f, 0, 2 * sizeof *f);
    f[0].path = "CHECKLIST.md";
    f[1].path = "ERP/README.md";
    f[1].system = "ERP";
    for (int i = 0; i < 2; i++) {
        psc_buf_init(&f[i].data);
        psc_buf_puts(&f[i].data, "content\n");
    }
    b->files = f;
    b->nfiles = 2;
}

static void someone_creates_dir(void)
{
    mkdir(race_dir, 0755);
    char p[700];
    snprintf(p, sizeof p, "%s/precious.txt", race_dir);
    FILE *f = fopen(p, "w");
    fputs("precious\n", f);
    fclose(f);
}

static void test_dir_appears_during_export(void)
{
    snprintf(race_dir, sizeof race_dir, "%s/race", unit_tmpdir());
    psc_bundle b;
    psc_bundle_file f[2];
    small_bundle(&b, f);
    psc_err e = {0};
    psc_bundle_staged_hook = someone_creates_dir;
    CU_ASSERT_EQUAL(psc_bundle_write(&b, race_dir, NULL, NULL, 0, 1, NULL, &e), PSC_EOUTPUT);
    psc_bundle_staged_hook = NULL;
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "appeared during the export"));
    char p[700];
    snprintf(p, sizeof p, "%s/precious.txt", race_dir);
    psc_buf got;
    psc_buf_init(&got);
    CU_ASSERT_EQUAL(psc_buf_read_file(&got, p, 100, &e), PSC_OK);
    CU_ASSERT_STRING_EQUAL((char *)got.data, "precious\n");
    psc_buf_free(&got, 0);
    snprintf(p, sizeof p, "%s/race/CHECKLIST.md", unit_tmpdir());
    CU_ASSERT_NOT_EQUAL(access(p, F_OK), 0);
    CU_ASSERT_EQUAL(count_prefixed(unit_tmpdir(), "race."), 0);
    for (int i = 0; i < 2; i++)
        psc_buf_free(&f[i].data, 0);
}

/* psc_buf_read_file reads a file of known size into a buffer of that size
 * (plus its NUL), and the size limit holds to the byte, also for stdin. */
static void test_read_file_sizes(void)
{
    char p[700];
    snprintf(p, sizeof p, "%s/thousand.bin", unit_tmpdir());
    FILE *f = fopen(p, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (int i = 0; i < 1000; i++)
        fputc('a' + i % 26, f);
    fclose(f);
    psc_buf b;
    psc_err e = {0};
    psc_buf_init(&b);
    CU_ASSERT_EQUAL(psc_buf_read_file(&b, p, 1000, &e), PSC_OK);
    CU_ASSERT_EQUAL(b.len, 1000);
    CU_ASSERT_EQUAL(b.cap, 1002); /* exactly reserved: size, one byte to see EOF, NUL */
    CU_ASSERT_EQUAL(b.data[999], 'a' + 999 % 26);
    CU_ASSERT_EQUAL(b.data[1000], '\0');
    psc_buf_free(&b, 0);
    CU_ASSERT_EQUAL(psc_buf_read_file(&b, p, 999, &e), PSC_EINPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "is larger than 999 bytes"));
    psc_buf_free(&b, 0);
    /* stdin (a pipe: no size known) grows and stops at the same limit */
    int fds[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    char big[70000];
    memset(big, 'x', sizeof big);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        ssize_t w = write(fds[1], big, sizeof big);
        _exit(w == (ssize_t)sizeof big ? 0 : 1);
    }
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    memset(&e, 0, sizeof e);
    CU_ASSERT_EQUAL(psc_buf_read_file(&b, "-", sizeof big, &e), PSC_OK);
    CU_ASSERT_EQUAL(b.len, sizeof big);
    CU_ASSERT_EQUAL(b.data[sizeof big - 1], 'x');
    dup2(saved, STDIN_FILENO);
    close(saved);
    psc_buf_free(&b, 0);
    int st;
    waitpid(pid, &st, 0);
    CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void raise_sigint(void) { raise(SIGINT); }

/* Run fn in a child; it must die of sig. */
static void child_dies_of(void (*fn)(void), int sig)
{
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        fn();
        _exit(0); /* not reached when the signal kills */
    }
    int st = 0;
    CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
    CU_ASSERT_TRUE(WIFSIGNALED(st));
    CU_ASSERT_EQUAL(WIFSIGNALED(st) ? WTERMSIG(st) : -1, sig);
}

static char sig_dir[600];

static void export_then_sigint(void)
{
    psc_bundle b;
    psc_bundle_file f[2];
    small_bundle(&b, f);
    char out[700], arch[700];
    snprintf(out, sizeof out, "%s/handoff", sig_dir);
    snprintf(arch, sizeof arch, "%s/handoff.tar.gz", sig_dir);
    char *names[1] = {arch};
    psc_buf bufs[1];
    psc_buf_init(&bufs[0]);
    psc_buf_puts(&bufs[0], "archive bytes");
    psc_err e = {0};
    psc_bundle_staged_hook = raise_sigint; /* staged folder and archive exist now */
    psc_bundle_write(&b, out, names, bufs, 1, 0, NULL, &e);
}

static void stage_then_sigterm(void)
{
    char out[700];
    snprintf(out, sizeof out, "%s/out.p12", sig_dir);
    char *tmp = NULL;
    psc_err e = {0};
    if (psc_outfile_stage(out, "a complete PKCS#12 with a key", 29, 0600, &tmp, &e) != PSC_OK)
        _exit(3);
    if (access(tmp, F_OK) != 0)
        _exit(4);
    raise(SIGTERM);
}

static void test_signals_remove_temp_files(void)
{
    snprintf(sig_dir, sizeof sig_dir, "%s/sig", unit_tmpdir());
    CU_ASSERT_EQUAL_FATAL(mkdir(sig_dir, 0755), 0);
    child_dies_of(stage_then_sigterm, SIGTERM);
    CU_ASSERT_EQUAL(count_prefixed(sig_dir, "out.p12"), 0);
    child_dies_of(export_then_sigint, SIGINT);
    CU_ASSERT_EQUAL(count_prefixed(sig_dir, "handoff"), 0);
}

static void test_stale_temp_is_found(void)
{
    char dir[600], p[700];
    snprintf(dir, sizeof dir, "%s/stale", unit_tmpdir());
    CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
    snprintf(p, sizeof p, "%s/out.p12", dir);
    CU_ASSERT_PTR_NULL(psc_outfile_stale(p));
    snprintf(p, sizeof p, "%s/out.p12.tmpAbC123", dir);
    fclose(fopen(p, "w"));
    snprintf(p, sizeof p, "%s/out.p12", dir);
    char *s = psc_outfile_stale(p);
    CU_ASSERT_PTR_NOT_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(s ? strstr(s, "/stale/out.p12.tmpAbC123") : NULL);
    free(s);
}

/* Item 9: once a secret is loaded the process cannot dump core. */
static void test_secret_disables_core_dumps(void)
{
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        struct rlimit big = {RLIM_INFINITY, RLIM_INFINITY};
        setrlimit(RLIMIT_CORE, &big);
        if (prctl(PR_GET_DUMPABLE) != 1)
            _exit(2);
        psc_secret s = {0};
        psc_secret_set(&s, "secret");
        psc_secret_clear(&s);
        struct rlimit now;
        getrlimit(RLIMIT_CORE, &now);
        _exit(prctl(PR_GET_DUMPABLE) == 0 && now.rlim_cur == 0 && now.rlim_max == 0 ? 0 : 1);
    }
    int st = 0;
    CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
    CU_ASSERT_TRUE(WIFEXITED(st));
    CU_ASSERT_EQUAL(WEXITSTATUS(st), 0);
}

/* A sink that keeps what it is handed, in chunks; fails from call fail_at on. */
typedef struct sink_log {
    unsigned char got[300000];
    size_t len, calls, fail_at;
} sink_log;

static int log_sink(void *ctx, const void *p, size_t n)
{
    sink_log *l = ctx;
    if (++l->calls >= l->fail_at) {
        errno = ENOSPC;
        return -1;
    }
    CU_ASSERT_FATAL(l->len + n <= sizeof l->got);
    memcpy(l->got + l->len, p, n);
    l->len += n;
    return 0;
}

/* A streaming psc_buf never holds more than one chunk, hands the sink every
 * byte in order, and reports the sink's errno when a write fails. */
static void test_buf_streams_to_its_sink(void)
{
    static sink_log l;
    memset(&l, 0, sizeof l);
    l.fail_at = 1000;
    psc_buf b;
    psc_buf_init(&b);
    b.plain = 1;
    CU_ASSERT_EQUAL_FATAL(psc_buf_set_sink(&b, log_sink, &l), 0);
    for (int i = 0; i < 20000; i++)
        CU_ASSERT_EQUAL_FATAL(psc_buf_printf(&b, "line %05d\n", i), 0); /* 11 bytes each */
    CU_ASSERT_EQUAL(b.cap, PSC_BUF_SINK_CHUNK);
    CU_ASSERT_EQUAL(l.calls, 3); /* 220,000 bytes: three full chunks handed on so far */
    CU_ASSERT_EQUAL(psc_buf_flush(&b), 0);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_EQUAL(l.len, 220000);
    CU_ASSERT_EQUAL(memcmp(l.got, "line 00000\nline 00001\n", 22), 0);
    CU_ASSERT_EQUAL(memcmp(l.got + 219989, "line 19999\n", 11), 0);
    CU_ASSERT_EQUAL(b.failed, 0);
    /* the next write fails: the buffer fails with it and keeps the errno, and
     * stays failed (a writer that ignores each return checks b.failed once) */
    l.fail_at = l.calls + 1;
    int failed = 0;
    for (int i = 0; i < 20000 && !failed; i++)
        failed = psc_buf_printf(&b, "line %05d\n", i) != 0;
    CU_ASSERT_TRUE(failed);
    CU_ASSERT_EQUAL(b.sink_errno, ENOSPC);
    CU_ASSERT_EQUAL(b.failed, 1);
    psc_buf_puts(&b, "x");
    CU_ASSERT_EQUAL(b.failed, 1);
    CU_ASSERT_EQUAL(psc_buf_flush(&b), -1);
    psc_buf_free(&b, 0);
}

/* psc_outstream: an existing file is kept without force, the output appears
 * only on commit (with its mode), and abort leaves nothing behind. */
static void test_outstream_commit_and_abort(void)
{
    char dir[700], p[800];
    snprintf(dir, sizeof dir, "%s/outstream", unit_tmpdir());
    mkdir(dir, 0755);
    snprintf(p, sizeof p, "%s/plan.json", dir);
    psc_outstream o;
    psc_err e = {0};
    CU_ASSERT_EQUAL_FATAL(psc_outstream_open(&o, p, 0644, 0, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_outstream_write(&o, "{}\n", 3), 0);
    struct stat sb;
    CU_ASSERT_NOT_EQUAL(stat(p, &sb), 0); /* not there before the commit */
    CU_ASSERT_EQUAL(count_prefixed(dir, "plan.json.tmp"), 1);
    CU_ASSERT_EQUAL(psc_outstream_commit(&o, &e), PSC_OK);
    CU_ASSERT_EQUAL_FATAL(stat(p, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 3);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0644);
    CU_ASSERT_EQUAL(count_prefixed(dir, "plan.json.tmp"), 0);
    /* exists, no force: refused at open, before anything is made */
    CU_ASSERT_EQUAL(psc_outstream_open(&o, p, 0644, 0, &e), PSC_EOUTPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "exists; use --force to overwrite it"));
    CU_ASSERT_EQUAL(count_prefixed(dir, "plan.json.tmp"), 0);
    /* force, then abort: the old file stays as it was, no temp file is left */
    CU_ASSERT_EQUAL_FATAL(psc_outstream_open(&o, p, 0644, 1, &e), PSC_OK);
    CU_ASSERT_EQUAL(psc_outstream_write(&o, "partial", 7), 0);
    psc_outstream_abort(&o);
    CU_ASSERT_EQUAL(stat(p, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 3);
    CU_ASSERT_EQUAL(count_prefixed(dir, "plan.json.tmp"), 0);
}

void unit_register(void)
{
    static const CU_TestInfo tests[] = {
        /* first: the later tests read files, which protects this process too */
        {"a loaded secret disables core dumps", test_secret_disables_core_dumps},
        {"a folder that appears during the export is left alone", test_dir_appears_during_export},
        {"files are read into a buffer of their size, within the limit", test_read_file_sizes},
        {"a streaming buffer hands every byte to its sink, in chunks", test_buf_streams_to_its_sink},
        {"an output stream appears on commit only, abort leaves nothing", test_outstream_commit_and_abort},
        {"SIGINT/SIGTERM remove this process's temp files", test_signals_remove_temp_files},
        {"a stale temp file of a killed run is found", test_stale_temp_is_found},
        {NULL, NULL}};
    unit_suite("output transaction", tests);
}
