/* Unit tests for daemon/fileio.c: reads and atomic writes beneath a
 * folder descriptor, never through a symlink; moves; temporary names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "tmpdir.h"

static const char *at(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", tmpdir, name);
    return p;
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The test folder as a descriptor, opened once per test program. */
static int root(void)
{
    static int fd = -1;
    if (fd < 0)
        fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static int read_at(const char *rel, size_t max, int skip_if_writing, unsigned settle_ms,
                   cl_buf *b, cl_error *err)
{
    fileio_read_opts o = { .max_bytes = max, .skip_if_writing = skip_if_writing,
                           .settle_ms = settle_ms };
    return fileio_read_at(root(), rel, &o, b, err);
}

static void reads_regular_file(void **state)
{
    (void)state;
    put("a.txt", "hello\n");
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    assert_int_equal(read_at("a.txt", 100, 0, 0, &b, &err), 0);
    assert_int_equal(b.len, 6);
    assert_string_equal(b.data, "hello\n");
    cl_buf_free(&b);
}

static void missing_file_is_gone_not_error(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    assert_int_equal(read_at("nope", 100, 0, 0, &b, &err), FILEIO_GONE);
    assert_int_equal(read_at("nodir/nope", 100, 0, 0, &b, &err), FILEIO_GONE);
    assert_int_equal(fileio_read_path(at("nope"), 100, &b, &err), -1);
    assert_non_null(strstr(err.msg, "No such file"));
    cl_buf_free(&b);
}

static void refuses_symlink_fifo_folder_oversize(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    put("target", "x");
    assert_int_equal(symlink(at("target"), at("link")), 0);
    assert_int_equal(read_at("link", 100, 0, 0, &b, &err), -1);
    assert_string_equal(err.msg, "refused: symbolic link");

    assert_int_equal(mkfifo(at("fifo"), 0600), 0);
    /* Must return at once: O_NONBLOCK, then fstat says FIFO. */
    assert_int_equal(read_at("fifo", 100, 0, 0, &b, &err), -1);
    assert_string_equal(err.msg, "refused: not a regular file (FIFO)");

    assert_int_equal(mkdir(at("adir"), 0755), 0);
    assert_int_equal(read_at("adir", 100, 0, 0, &b, &err), -1);
    assert_string_equal(err.msg, "refused: not a regular file (directory)");

    put("big", "0123456789");
    assert_int_equal(read_at("big", 9, 0, 0, &b, &err), -1);
    assert_non_null(strstr(err.msg, "larger than max_input_bytes (9)"));
    assert_int_equal(read_at("big", 10, 0, 0, &b, &err), 0);
    cl_buf_free(&b);
}

/* A symlink or ".." anywhere on the path is refused, not followed: the
 * folder swapped for a link after its event was queued. */
static void never_resolves_through_a_link(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    assert_int_equal(mkdir(at("elsewhere"), 0755), 0);
    put("elsewhere/secret.txt", "secret");
    assert_int_equal(symlink("elsewhere", at("swapped")), 0);
    assert_int_equal(read_at("swapped/secret.txt", 100, 0, 0, &b, &err), -1);
    assert_non_null(strstr(err.msg, "symbolic link"));
    assert_int_equal(read_at("elsewhere/../elsewhere/secret.txt", 100, 0, 0, &b, &err), -1);
    assert_int_equal(b.len, 0);
    /* The write side: a folder of OUT swapped for a link is OUT's failure. */
    assert_int_equal(fileio_write_atomic_at(root(), "swapped/out.txt", "x", 1, &err),
                     FILEIO_TRANSIENT);
    assert_int_equal(access(at("elsewhere/out.txt"), F_OK), -1);
    cl_buf_free(&b);
}

/* A file some process still has open for writing is left for its close. */
static void file_open_for_writing_is_skipped(void **state)
{
    (void)state;
    put("w.txt", "partial");
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    FILE *writer = fopen(at("w.txt"), "a");
    assert_non_null(writer);
    assert_int_equal(read_at("w.txt", 100, 1, 0, &b, &err), FILEIO_WRITING);
    assert_int_equal(b.len, 0);
    assert_int_equal(read_at("w.txt", 100, 0, 0, &b, &err), 0);
    fclose(writer);
    cl_buf_clear(&b);
    assert_int_equal(read_at("w.txt", 100, 1, 0, &b, &err), 0);
    assert_string_equal(b.data, "partial");
    cl_buf_free(&b);
}

/* Without a lease (not the owner, no CAP_LEASE: a DynamicUser service),
 * a file modified within settle_ms is taken to be still written.  Run in a
 * child that drops root to uid 65534; skipped unless run as root. */
static void without_a_lease_a_fresh_file_waits(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    assert_int_equal(chmod(tmpdir, 0755), 0);
    put("fresh.txt", "fresh");
    put("old.txt", "old");
    struct timespec old[2] = { { time(NULL) - 10, 0 }, { time(NULL) - 10, 0 } };
    assert_int_equal(utimensat(AT_FDCWD, at("old.txt"), old, 0), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        cl_buf b = CL_BUF_INIT;
        cl_error err = { "" };
        if (read_at("fresh.txt", 100, 1, 5000, &b, &err) != FILEIO_WRITING)
            _exit(11);
        if (read_at("old.txt", 100, 1, 5000, &b, &err) != 0 || strcmp(b.data, "old") != 0)
            _exit(12);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void stream_over_limit_refused(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "abcdef", 6), 6);
    close(fds[1]);
    cl_buf b = CL_BUF_INIT;
    cl_error err = { "" };
    assert_int_equal(fileio_read_fd(fds[0], 5, &b, &err), -1);
    assert_non_null(strstr(err.msg, "max_input_bytes"));
    close(fds[0]);
    cl_buf_free(&b);
}

static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += fileio_is_temp(e->d_name);
    closedir(d);
    return n;
}

static void atomic_write_creates_folders_and_replaces(void **state)
{
    (void)state;
    cl_error err = { "" };
    const char *rel = "out/deep/er/doc.txt";
    assert_int_equal(fileio_write_atomic_at(root(), rel, "one\n", 4, &err), 0);
    assert_int_equal(fileio_write_atomic_at(root(), rel, "two\n", 4, &err), 0);
    cl_buf b = CL_BUF_INIT;
    assert_int_equal(read_at(rel, 100, 0, 0, &b, &err), 0);
    assert_string_equal(b.data, "two\n");
    cl_buf_free(&b);
    struct stat st;
    assert_int_equal(stat(at(rel), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(count_temp_files(at("out/deep/er")), 0);
}

static void failed_write_leaves_no_temp_file(void **state)
{
    (void)state;
    cl_error err = { "" };
    /* The target is a folder: rename fails after the temporary was written. */
    assert_int_equal(mkdir(at("occupied"), 0755), 0);
    assert_int_equal(mkdir(at("occupied/x.txt"), 0755), 0);
    put("occupied/x.txt/keep", "k");
    assert_int_equal(fileio_write_atomic_at(root(), "occupied/x.txt", "data", 4, &err), -1);
    assert_non_null(strstr(err.msg, "rename"));
    assert_int_equal(count_temp_files(at("occupied")), 0);
}

static void move_creates_target_folders(void **state)
{
    (void)state;
    cl_error err = { "" };
    put("m.txt", "m");
    assert_int_equal(fileio_move_at(root(), "m.txt", root(), "done/sub/m.txt", &err), 0);
    assert_int_equal(access(at("done/sub/m.txt"), F_OK), 0);
    assert_int_equal(access(at("m.txt"), F_OK), -1);
    assert_int_equal(fileio_move_at(root(), "m.txt", root(), "done/m2.txt", &err), -1);
    assert_non_null(strstr(err.msg, "m.txt"));
}

/* A temporary file is stale only when the pid in its name is gone, or
 * now names a process younger than the file. */
static void temp_names_and_their_writers(void **state)
{
    (void)state;
    assert_true(fileio_is_temp(FILEIO_TEMP_PREFIX "abc123"));
    assert_false(fileio_is_temp("a.txt"));
    assert_false(fileio_is_temp(".cleaner"));
    char name[64];
    snprintf(name, sizeof name, FILEIO_TEMP_PREFIX "%ld-3", (long)getpid());
    struct stat now = { 0 };
    clock_gettime(CLOCK_REALTIME, &now.st_mtim);
    assert_false(fileio_temp_is_stale(name, &now));
    /* Our pid, but a file last written before we started: a reused pid. */
    struct stat old = { 0 };
    old.st_mtim.tv_sec = 1000000000;
    assert_true(fileio_temp_is_stale(name, &old));
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);
    snprintf(name, sizeof name, FILEIO_TEMP_PREFIX "%ld-3", (long)child);
    assert_true(fileio_temp_is_stale(name, &now));
    assert_false(fileio_temp_is_stale("a.txt", &now));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_regular_file),
        cmocka_unit_test(missing_file_is_gone_not_error),
        cmocka_unit_test(refuses_symlink_fifo_folder_oversize),
        cmocka_unit_test(never_resolves_through_a_link),
        cmocka_unit_test(file_open_for_writing_is_skipped),
        cmocka_unit_test(without_a_lease_a_fresh_file_waits),
        cmocka_unit_test(stream_over_limit_refused),
        cmocka_unit_test(atomic_write_creates_folders_and_replaces),
        cmocka_unit_test(failed_write_leaves_no_temp_file),
        cmocka_unit_test(move_creates_target_folders),
        cmocka_unit_test(temp_names_and_their_writers),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
