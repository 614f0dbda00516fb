/* Unit tests for daemon/worker.c, pool.c and work.c: cleaning in forked
 * workers, crash isolation, the work queue over a real folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pool.h"
#include "work.h"
#include "worker.h"

static char tmpdir[64], in_dir[96], out_dir[96];
static cl_cleaner *cleaner;

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cleaner-test-pool.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(in_dir, sizeof in_dir, "%s/in", tmpdir);
    snprintf(out_dir, sizeof out_dir, "%s/out", tmpdir);
    cl_options o;
    cl_options_init(&o);
    cleaner = cl_cleaner_new(&o, NULL);
    log_set_level(LOG_LEVEL_ERROR);
    return cleaner && mkdir(in_dir, 0755) == 0 && mkdir(out_dir, 0755) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cl_cleaner_free(cleaner);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static worker_ctx make_ctx(void)
{
    return (worker_ctx){ .cleaner = cleaner, .format = OUTPUT_TEXT,
                         .input_dir = in_dir, .output_dir = out_dir,
                         .max_input_bytes = 1 << 20, .cpu_seconds = 30 };
}

static void put(const char *rel, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", in_dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static int out_exists(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", out_dir, rel);
    return access(path, F_OK) == 0;
}

#define ARTICLE "A paragraph that is long enough to be body text, ending with a period.\n"

static void worker_process_outcomes(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    worker_result r;
    put("w1.txt", ARTICLE, strlen(ARTICLE));
    worker_process(&ctx, "w1.txt", "w1.txt", &r);
    assert_int_equal(r.status, WORKER_OK);
    assert_int_equal(r.bytes_in, strlen(ARTICLE));
    assert_true(r.bytes_out > 0);
    assert_true(out_exists("w1.txt"));

    worker_process(&ctx, "absent.txt", "absent.txt", &r);
    assert_int_equal(r.status, WORKER_GONE);

    put("bin.txt", "ab\0cd", 5);
    worker_process(&ctx, "bin.txt", "bin.txt", &r);
    assert_int_equal(r.status, WORKER_FAILED);
    assert_non_null(strstr(r.reason, "binary"));
    assert_false(out_exists("bin.txt"));
}

/* Waits for worker `slot`'s next result. */
static void receive(pool *p, size_t slot, worker_result *r)
{
    struct pollfd fds[8];
    for (int tries = 0; tries < 100; tries++) {
        pool_pollfds(p, fds);
        assert_true(poll(&fds[slot], 1, 100) >= 0);
        if (fds[slot].revents && pool_receive(p, slot, r) == 1)
            return;
    }
    fail_msg("no result from worker %zu", slot);
}

static void pool_cleans_in_workers(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    cl_error err = { "" };
    pool *p = pool_new(2, &ctx, &err);
    assert_non_null(p);
    assert_int_equal(pool_size(p), 2);
    put("p1.md", ARTICLE, strlen(ARTICLE));
    long slot = pool_idle_slot(p);
    assert_true(slot >= 0);
    assert_int_equal(pool_submit(p, (size_t)slot, 42, "p1.md", "p1.txt", &err), 0);
    assert_int_equal(pool_busy(p), 1);
    worker_result r;
    receive(p, (size_t)slot, &r);
    assert_int_equal(r.id, 42);
    assert_int_equal(r.status, WORKER_OK);
    assert_true(out_exists("p1.txt"));
    assert_int_equal(pool_busy(p), 0);
    pool_free(p);
}

/* A worker killed on a file fails that file with the reason, and is replaced. */
static void crashed_worker_fails_one_file(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    cl_error err = { "" };
    pool *p = pool_new(1, &ctx, &err);
    assert_non_null(p);
    put("victim.txt", ARTICLE, strlen(ARTICLE));
    pid_t pid = pool_worker_pid(p, 0);
    assert_true(pid > 0);
    kill(pid, SIGSTOP);
    assert_int_equal(pool_submit(p, 0, 7, "victim.txt", "victim.txt", &err), 0);
    kill(pid, SIGKILL);
    worker_result r;
    receive(p, 0, &r);
    assert_int_equal(r.id, 7);
    assert_int_equal(r.status, WORKER_CRASHED);
    assert_non_null(strstr(r.reason, "SIGKILL"));
    assert_true(pool_worker_pid(p, 0) > 0);
    assert_int_not_equal(pool_worker_pid(p, 0), pid);
    /* The replacement works. */
    assert_int_equal(pool_submit(p, 0, 8, "victim.txt", "victim.txt", &err), 0);
    receive(p, 0, &r);
    assert_int_equal(r.status, WORKER_OK);
    pool_free(p);
}

/* A stopped worker cannot trip its CPU limit: the wall-clock limit (twice
 * worker_cpu_seconds plus 5 s) fails its file instead. */
static void stopped_worker_times_out(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    ctx.cpu_seconds = 1;
    cl_error err = { "" };
    pool *p = pool_new(1, &ctx, &err);
    assert_non_null(p);
    put("stuck.txt", ARTICLE, strlen(ARTICLE));
    pid_t pid = pool_worker_pid(p, 0);
    kill(pid, SIGSTOP);
    assert_int_equal(pool_submit(p, 0, 9, "stuck.txt", "stuck.txt", &err), 0);
    pool_kill_overdue(p);
    assert_int_equal(kill(pid, 0), 0);      /* not yet overdue */
    sleep(8);
    pool_kill_overdue(p);
    worker_result r;
    receive(p, 0, &r);
    assert_int_equal(r.status, WORKER_CRASHED);
    assert_non_null(strstr(r.reason, "time limit (7 s)"));
    pool_free(p);
}

static void drain(work *w, pool *p)
{
    struct pollfd fds[8];
    for (int rounds = 0; rounds < 2000; rounds++) {
        work_dispatch(w);
        if (work_queued(w) == 0 && work_running(w) == 0)
            return;
        pool_pollfds(p, fds);
        poll(fds, pool_size(p), work_wait_ms(w, 100));
        work_receive(w, fds);
    }
    fail_msg("work queue did not drain");
}

/* Empties IN and OUT between tests. */
static void empty_folders(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/* '%s'/*", in_dir, out_dir);
    assert_int_equal(system(cmd), 0);
}

/* Opens IN/rel for writing, as a writer that has not closed it yet. */
static int hold_open(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", in_dir, rel);
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    return fd;
}

/* The pool borrows its context: one for the test running. */
static worker_ctx work_ctx;

/* A pool of nworkers cleaning IN into OUT, and its work queue. */
static work *start_work(size_t nworkers, unsigned open_retries, pool **p)
{
    cl_error err = { "" };
    work_ctx = make_ctx();
    *p = pool_new(nworkers, &work_ctx, &err);
    assert_non_null(*p);
    work_settings s = { .input_dir = in_dir, .output_dir = out_dir, .format = OUTPUT_TEXT,
                        .open_retries = open_retries };
    work *w = work_new(*p, &s, &err);
    assert_non_null(w);
    return w;
}

static void work_queue_over_a_folder(void **state)
{
    (void)state;
    empty_folders();
    for (int i = 0; i < 20; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "d%d/f%d.txt", i % 3, i);
        put(rel, ARTICLE, strlen(ARTICLE));
    }
    put("twin.md", ARTICLE, strlen(ARTICLE));
    put("twin.html", ARTICLE, strlen(ARTICLE));
    put("bad.txt", "x\0y", 3);

    pool *p;
    work *w = start_work(2, 0, &p);
    cl_error err = { "" };
    assert_int_equal(work_scan(w, "", &err), 0);
    drain(w, p);
    work_counts n = work_get_counts(w);
    assert_int_equal(n.cleaned, 22);
    assert_int_equal(n.failed, 1);
    assert_true(out_exists("d2/f5.txt"));
    assert_true(out_exists("twin.md.txt"));
    assert_true(out_exists("twin.html.txt"));
    assert_false(out_exists("twin.txt"));

    /* Rescan: everything up to date, the unchanged failure skipped. */
    assert_int_equal(work_scan(w, "", &err), 0);
    drain(w, p);
    n = work_get_counts(w);
    assert_int_equal(n.cleaned, 22);
    assert_int_equal(n.failed, 1);
    assert_int_equal(n.up_to_date, 22);

    /* An event always cleans again, and a changed failure is retried. */
    assert_int_equal(work_add(w, "d0/f0.txt"), 0);
    assert_int_equal(work_add(w, "d0/f0.txt"), 0);   /* queued once */
    assert_int_equal(work_queued(w), 1);
    put("bad.txt", ARTICLE, strlen(ARTICLE));
    assert_int_equal(work_add(w, "bad.txt"), 0);
    drain(w, p);
    n = work_get_counts(w);
    assert_int_equal(n.cleaned, 24);
    assert_true(out_exists("bad.txt"));
    work_free(w);
    pool_free(p);
}

/* A scan that finds an input a worker has must look again when the worker
 * is done: the worker may find it still open for writing, and when the
 * writer closed it before its folder was watched (a folder made while the
 * daemon's first scan ran), no event will bring it back. */
static void rescan_while_running_looks_again(void **state)
{
    (void)state;
    empty_folders();
    put("late/held.txt", ARTICLE, strlen(ARTICLE));
    int writer = hold_open("late/held.txt");

    pool *p;
    work *w = start_work(1, 0, &p);
    cl_error err = { "" };
    assert_int_equal(work_scan(w, "", &err), 0);
    work_dispatch(w);
    assert_int_equal(work_running(w), 1);
    /* The worker has answered (still open for writing), unread yet. */
    struct pollfd fds[1];
    pool_pollfds(p, fds);
    assert_int_equal(poll(fds, 1, 10000), 1);
    assert_int_equal(work_scan(w, "late", &err), 0);
    close(writer);
    work_receive(w, fds);
    drain(w, p);
    work_counts n = work_get_counts(w);
    assert_int_equal(n.deferred, 0);    /* the scan's look came after */
    assert_int_equal(n.cleaned, 1);
    assert_true(out_exists("late/held.txt"));
    work_free(w);
    pool_free(p);
}

static int64_t elapsed_ms(const struct timespec *since)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    int64_t ns = (int64_t)(t.tv_sec - since->tv_sec) * 1000000000 + (t.tv_nsec - since->tv_nsec);
    return ns / 1000000;
}

/* The kernel sends a file's close event before it counts the writer out, so
 * a worker acting on the event at once can find the file still open, and no
 * event follows.  Here the writer lets go only after the worker answered. */
static work_counts clean_after_raced_close(unsigned open_retries)
{
    empty_folders();
    put("raced.txt", ARTICLE, strlen(ARTICLE));
    int writer = hold_open("raced.txt");

    pool *p;
    work *w = start_work(1, open_retries, &p);
    assert_int_equal(work_add(w, "raced.txt"), 0);      /* the close event */
    work_dispatch(w);
    assert_int_equal(work_running(w), 1);
    struct pollfd fds[1];
    pool_pollfds(p, fds);
    assert_int_equal(poll(fds, 1, 10000), 1);
    work_receive(w, fds);
    assert_int_equal(work_running(w), 0);
    assert_int_equal(work_queued(w), open_retries > 0);  /* waiting, or left */
    close(writer);
    drain(w, p);
    work_counts n = work_get_counts(w);
    work_free(w);
    pool_free(p);
    return n;
}

static void found_open_after_its_event_is_looked_at_again(void **state)
{
    (void)state;
    work_counts n = clean_after_raced_close(0);
    assert_int_equal(n.deferred, 1);    /* with no other look, left uncleaned */
    assert_int_equal(n.cleaned, 0);
    assert_false(out_exists("raced.txt"));
    n = clean_after_raced_close(3);
    assert_int_equal(n.deferred, 0);
    assert_int_equal(n.cleaned, 1);
    assert_true(out_exists("raced.txt"));
}

/* A writer that keeps the file open: looked at open_retries more times, the
 * last after 10 + 20 ms, then left for its close event. */
static void held_open_is_left_after_its_looks(void **state)
{
    (void)state;
    empty_folders();
    put("held.txt", ARTICLE, strlen(ARTICLE));
    int writer = hold_open("held.txt");

    pool *p;
    work *w = start_work(1, 2, &p);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(work_add(w, "held.txt"), 0);
    drain(w, p);
    assert_true(elapsed_ms(&start) >= 10 + 20);
    work_counts n = work_get_counts(w);
    assert_int_equal(n.deferred, 1);
    assert_int_equal(n.cleaned, 0);
    assert_int_equal(work_queued(w), 0);
    close(writer);
    work_free(w);
    pool_free(p);
}

static void failed_dir_gets_input_and_reason(void **state)
{
    (void)state;
    char failed[128];
    snprintf(failed, sizeof failed, "%s/failed", tmpdir);
    empty_folders();
    put("sub/broken.html", "\x89PNG\r\n\x1a\n", 8);
    worker_ctx ctx = make_ctx();
    cl_error err = { "" };
    pool *p = pool_new(1, &ctx, &err);
    work_settings s = { .input_dir = in_dir, .output_dir = out_dir,
                        .failed_dir = failed, .format = OUTPUT_TEXT };
    work *w = work_new(p, &s, &err);
    assert_int_equal(work_scan(w, "", &err), 0);
    drain(w, p);
    char path[256];
    snprintf(path, sizeof path, "%s/sub/broken.html", failed);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/sub/broken.html.error", failed);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char reason[256] = "";
    assert_non_null(fgets(reason, sizeof reason, f));
    fclose(f);
    assert_non_null(strstr(reason, "binary"));
    work_free(w);
    pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worker_process_outcomes),
        cmocka_unit_test(pool_cleans_in_workers),
        cmocka_unit_test(crashed_worker_fails_one_file),
        cmocka_unit_test(stopped_worker_times_out),
        cmocka_unit_test(work_queue_over_a_folder),
        cmocka_unit_test(rescan_while_running_looks_again),
        cmocka_unit_test(found_open_after_its_event_is_looked_at_again),
        cmocka_unit_test(held_open_is_left_after_its_looks),
        cmocka_unit_test(failed_dir_gets_input_and_reason),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
