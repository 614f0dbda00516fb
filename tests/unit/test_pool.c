/* Unit tests for daemon/worker.c, pool.c and work.c on the event loop:
 * cleaning in forked workers, crash isolation, the work queue over a real
 * folder, retries. */
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
#include "loop.h"
#include "pool.h"
#include "work.h"
#include "worker.h"

static char tmpdir[64], in_dir[96], out_dir[96];
static int in_dir_fd = -1, out_dir_fd = -1;
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
    if (!cleaner || mkdir(in_dir, 0755) < 0 || mkdir(out_dir, 0755) < 0)
        return -1;
    in_dir_fd = open(in_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    out_dir_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return in_dir_fd >= 0 && out_dir_fd >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cl_cleaner_free(cleaner);
    close(in_dir_fd);
    close(out_dir_fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static worker_ctx make_ctx(void)
{
    return (worker_ctx){ .cleaner = cleaner, .format = OUTPUT_TEXT,
                         .in_fd = in_dir_fd, .out_fd = out_dir_fd, .done_fd = -1,
                         .input_dir = in_dir, .read = { .max_bytes = 1 << 20 },
                         .cpu_seconds = 30 };
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
    worker_process(&ctx, "w1.txt", "w1.txt.txt", &r);
    assert_int_equal(r.status, WORKER_OK);
    assert_int_equal(r.bytes_in, strlen(ARTICLE));
    assert_true(r.bytes_out > 0);
    assert_true(out_exists("w1.txt.txt"));

    worker_process(&ctx, "absent.txt", "absent.txt.txt", &r);
    assert_int_equal(r.status, WORKER_GONE);

    put("bin.txt", "ab\0cd", 5);
    worker_process(&ctx, "bin.txt", "bin.txt.txt", &r);
    assert_int_equal(r.status, WORKER_FAILED);
    assert_non_null(strstr(r.reason, "binary"));
    assert_false(out_exists("bin.txt.txt"));
}

#define SHORT "A short note.\n"      /* 13 characters, under a bar of 25 */

static int out_holds(const char *rel, const char *text)
{
    char path[256], buf[1024];
    snprintf(path, sizeof path, "%s/%s", out_dir, rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

/* No article: in text no output, and an earlier version's output goes; in
 * JSON the record is written with its status; the reason says how short. */
static void worker_no_article_outcomes(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    ctx.min_body_chars = 25;
    worker_result r;
    put("short.txt", SHORT, strlen(SHORT));
    char stale[256];
    snprintf(stale, sizeof stale, "%s/short.txt.txt", out_dir);
    FILE *f = fopen(stale, "w");
    assert_non_null(f);
    fputs("the article of an earlier version\n", f);
    fclose(f);
    worker_process(&ctx, "short.txt", "short.txt.txt", &r);
    assert_int_equal(r.status, WORKER_NO_ARTICLE);
    assert_string_equal(r.reason, "no article: 13 characters, min_body_chars is 25");
    assert_int_equal(r.bytes_out, 0);
    assert_false(out_exists("short.txt.txt"));

    ctx.format = OUTPUT_JSON;
    worker_process(&ctx, "short.txt", "short.txt.json", &r);
    assert_int_equal(r.status, WORKER_NO_ARTICLE);
    assert_true(out_holds("short.txt.json", "\"status\":\"no_article\""));
    assert_true(out_holds("short.txt.json", "\"body\":\"A short note.\""));

    put("empty.txt", "", 0);
    worker_process(&ctx, "empty.txt", "empty.txt.json", &r);
    assert_int_equal(r.status, WORKER_NO_ARTICLE);
    assert_string_equal(r.reason, "no article: empty body");

    ctx.format = OUTPUT_TEXT;
    ctx.min_body_chars = 0;
    worker_process(&ctx, "short.txt", "short.txt.txt", &r);
    assert_int_equal(r.status, WORKER_OK);
    assert_true(out_holds("short.txt.txt", "A short note."));
}

/* A subfolder of IN swapped for a symlink after the job was decided: the
 * worker refuses the path rather than read through the link. */
static void worker_never_follows_a_swapped_folder(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    char outside[128], link[128], secret[160];
    snprintf(outside, sizeof outside, "%s/outside", tmpdir);
    snprintf(link, sizeof link, "%s/swapped", in_dir);
    snprintf(secret, sizeof secret, "%s/x.txt", outside);
    mkdir(outside, 0755);
    FILE *f = fopen(secret, "w");
    assert_non_null(f);
    fputs(ARTICLE, f);
    fclose(f);
    unlink(link);
    assert_int_equal(symlink(outside, link), 0);
    worker_result r;
    worker_process(&ctx, "swapped/x.txt", "swapped/x.txt.txt", &r);
    assert_int_equal(r.status, WORKER_FAILED);
    assert_non_null(strstr(r.reason, "symbolic link"));
    assert_false(out_exists("swapped/x.txt.txt"));
    unlink(link);
}

/* Puts a file where OUT's folder `rel` should be, so that writing below it
 * fails with ENOTDIR: a fault of OUT, not of the input.  Its path in path. */
static void block_output_folder(const char *rel, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", out_dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

/* An unwritable OUT is the environment's failure, not the input's. */
static void unwritable_output_is_a_retry(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    put("envfail.txt", ARTICLE, strlen(ARTICLE));
    char blocker[160];
    block_output_folder("blocked", blocker, sizeof blocker);
    worker_result r;
    worker_process(&ctx, "envfail.txt", "blocked/envfail.txt.txt", &r);
    assert_int_equal(r.status, WORKER_RETRY);
    unlink(blocker);
    worker_process(&ctx, "envfail.txt", "blocked/envfail.txt.txt", &r);
    assert_int_equal(r.status, WORKER_OK);
}

/* The result of the last job, as the pool's callback got it. */
typedef struct captured {
    int           seen;
    size_t        slot;
    worker_result r;
} captured;

static void capture(void *ctx, size_t slot, const worker_result *r, int out_fd)
{
    captured *c = ctx;
    if (out_fd >= 0)
        close(out_dir_fd);
    c->seen = 1;
    c->slot = slot;
    c->r = *r;
}

static int64_t elapsed_ms(const struct timespec *since)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    int64_t ns = (int64_t)(t.tv_sec - since->tv_sec) * 1000000000 + (t.tv_nsec - since->tv_nsec);
    return ns / 1000000;
}

static void no_op(void *ctx)
{
    (void)ctx;
}

/* Runs rounds of the loop until `done` holds, for at most `ms`. */
static void run_until(loop *l, int (*done)(void *), void *ctx, int ms)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    loop_timer wake;    /* a round at least every 50 ms */
    assert_int_equal(loop_add_timer(l, &wake, no_op, NULL), 0);
    while (!done(ctx) && elapsed_ms(&start) < ms) {
        loop_timer_arm(&wake, 50);
        assert_int_equal(loop_run_once(l), 0);
    }
    loop_del_timer(l, &wake);
    if (!done(ctx))
        fail_msg("not done within %d ms", ms);
}

static int seen(void *ctx)
{
    return ((captured *)ctx)->seen;
}

static void receive(loop *l, captured *c, int ms)
{
    c->seen = 0;
    run_until(l, seen, c, ms);
}

static void pool_cleans_in_workers(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    cl_error err = { "" };
    captured c = { 0 };
    loop *l = loop_new();
    pool *p = pool_new(2, &ctx, l, capture, &c, &err);
    assert_non_null(p);
    assert_int_equal(pool_size(p), 2);
    put("p1.md", ARTICLE, strlen(ARTICLE));
    long slot = pool_idle_slot(p);
    assert_true(slot >= 0);
    assert_int_equal(pool_submit(p, (size_t)slot, 42, "p1.md", "p1.md.txt", &err), 0);
    assert_int_equal(pool_busy(p), 1);
    receive(l, &c, 10000);
    assert_int_equal(c.r.id, 42);
    assert_int_equal(c.slot, (size_t)slot);
    assert_int_equal(c.r.status, WORKER_OK);
    assert_true(out_exists("p1.md.txt"));
    assert_int_equal(pool_busy(p), 0);
    pool_free(p);
    loop_free(l);
}

/* A worker killed on a file fails that file with the reason, and is replaced. */
static void crashed_worker_fails_one_file(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    cl_error err = { "" };
    captured c = { 0 };
    loop *l = loop_new();
    pool *p = pool_new(1, &ctx, l, capture, &c, &err);
    assert_non_null(p);
    put("victim.txt", ARTICLE, strlen(ARTICLE));
    pid_t pid = pool_worker_pid(p, 0);
    assert_true(pid > 0);
    kill(pid, SIGSTOP);
    assert_int_equal(pool_submit(p, 0, 7, "victim.txt", "victim.txt.txt", &err), 0);
    kill(pid, SIGKILL);
    receive(l, &c, 10000);
    assert_int_equal(c.r.id, 7);
    assert_int_equal(c.r.status, WORKER_CRASHED);
    assert_non_null(strstr(c.r.reason, "SIGKILL"));
    /* The replacement works. */
    assert_int_equal(pool_idle_slot(p), 0);
    assert_int_not_equal(pool_worker_pid(p, 0), pid);
    assert_int_equal(pool_submit(p, 0, 8, "victim.txt", "victim.txt.txt", &err), 0);
    receive(l, &c, 10000);
    assert_int_equal(c.r.status, WORKER_OK);
    pool_free(p);
    loop_free(l);
}

/* A stopped worker cannot trip its CPU limit: the pool's own timer (twice
 * worker_cpu_seconds plus 5 s) fails its file instead. */
static void stopped_worker_times_out(void **state)
{
    (void)state;
    worker_ctx ctx = make_ctx();
    ctx.cpu_seconds = 1;
    cl_error err = { "" };
    captured c = { 0 };
    loop *l = loop_new();
    pool *p = pool_new(1, &ctx, l, capture, &c, &err);
    assert_non_null(p);
    put("stuck.txt", ARTICLE, strlen(ARTICLE));
    pid_t pid = pool_worker_pid(p, 0);
    kill(pid, SIGSTOP);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(pool_submit(p, 0, 9, "stuck.txt", "stuck.txt.txt", &err), 0);
    receive(l, &c, 12000);
    assert_true(elapsed_ms(&start) >= 7000);
    assert_int_equal(c.r.status, WORKER_TOO_COSTLY);
    assert_non_null(strstr(c.r.reason, "time limit (7 s)"));
    pool_free(p);
    loop_free(l);
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

/* A loop, a pool of nworkers cleaning IN into OUT, and its work queue:
 * what service_start() builds, without the config. */
typedef struct bench {
    loop      *l;
    pool      *p;
    work      *w;
    worker_ctx ctx;
} bench;

static void step(void *ctx)
{
    work_step(ctx);
}

static void start_work(bench *b, size_t nworkers, unsigned open_retries, int failed_fd)
{
    cl_error err = { "" };
    b->ctx = make_ctx();
    b->l = loop_new();
    assert_non_null(b->l);
    work_settings s = { .input_dir = in_dir, .in_fd = in_dir_fd, .out_fd = out_dir_fd,
                        .failed_fd = failed_fd, .format = OUTPUT_TEXT,
                        .open_retries = open_retries, .env_retries = 2,
                        .final_after_retries = 1 };
    b->w = work_new(b->l, &s, &err);
    assert_non_null(b->w);
    b->p = pool_new(nworkers, &b->ctx, b->l, work_on_result, b->w, &err);
    assert_non_null(b->p);
    assert_int_equal(work_set_pool(b->w, b->p), 0);
    loop_set_before_sleep(b->l, step, b->w);
}

static void stop_work(bench *b)
{
    work_free(b->w);
    pool_free(b->p);
    loop_free(b->l);
}

static int idle(void *ctx)
{
    return work_idle(ctx);
}

static void drain(bench *b)
{
    run_until(b->l, idle, b->w, 60000);
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
    put("twin", ARTICLE, strlen(ARTICLE));
    put("bad.txt", "x\0y", 3);

    bench b;
    start_work(&b, 2, 0, -1);
    assert_int_equal(work_scan(b.w, ""), 0);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 23);
    assert_int_equal(n.failed, 1);
    assert_true(out_exists("d2/f5.txt.txt"));
    assert_true(out_exists("twin.md.txt"));
    assert_true(out_exists("twin.html.txt"));
    assert_true(out_exists("twin.txt"));

    /* Rescan: everything up to date, the unchanged failure skipped. */
    assert_int_equal(work_scan(b.w, ""), 0);
    drain(&b);
    n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 23);
    assert_int_equal(n.failed, 1);
    assert_int_equal(n.up_to_date, 23);

    /* An event always cleans again, and a changed failure is retried. */
    assert_int_equal(work_add(b.w, "d0/f0.txt"), 0);
    assert_int_equal(work_add(b.w, "d0/f0.txt"), 0);   /* queued once */
    assert_int_equal(work_queued(b.w), 1);
    put("bad.txt", ARTICLE, strlen(ARTICLE));
    assert_int_equal(work_add(b.w, "bad.txt"), 0);
    drain(&b);
    n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 25);
    assert_true(out_exists("bad.txt.txt"));
    stop_work(&b);
}

/* No article is counted apart from cleaned and failed.  In text it has no
 * output a scan could find up to date: scans skip it until it changes. */
static void work_counts_no_article_apart(void **state)
{
    (void)state;
    empty_folders();
    put("art.txt", ARTICLE, strlen(ARTICLE));
    put("short.txt", SHORT, strlen(SHORT));
    put("sub/empty.txt", "", 0);
    bench b;
    start_work(&b, 2, 0, -1);
    b.ctx.min_body_chars = 25;
    pool_set_ctx(b.p, &b.ctx);
    assert_int_equal(work_scan(b.w, ""), 0);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 1);
    assert_int_equal(n.no_article, 2);
    assert_int_equal(n.failed, 0);
    assert_true(out_exists("art.txt.txt"));
    assert_false(out_exists("short.txt.txt"));
    assert_false(out_exists("sub/empty.txt.txt"));

    assert_int_equal(work_scan(b.w, ""), 0);
    drain(&b);
    n = work_get_counts(b.w);
    assert_int_equal(n.no_article, 2);      /* not cleaned again */
    assert_int_equal(n.up_to_date, 1);

    /* A new version is cleaned: now it is an article. */
    put("short.txt", ARTICLE, strlen(ARTICLE));
    assert_int_equal(work_add(b.w, "short.txt"), 0);
    drain(&b);
    n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 2);
    assert_int_equal(n.no_article, 2);
    assert_true(out_exists("short.txt.txt"));
    stop_work(&b);
}

/* A scan of many inputs runs in steps: the queue never holds more than
 * its bound, and the loop turns between steps. */
static void scan_feeds_the_queue_in_steps(void **state)
{
    (void)state;
    empty_folders();
    for (int i = 0; i < 1200; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "many/f%d.txt", i);
        put(rel, "x", 1);
    }
    bench b;
    start_work(&b, 1, 0, -1);
    assert_int_equal(work_scan(b.w, ""), 0);
    size_t most = 0;
    int rounds = 0;
    while (!work_idle(b.w) && rounds < 100000) {
        assert_int_equal(loop_run_once(b.l), 0);
        if (work_queued(b.w) > most)
            most = work_queued(b.w);
        rounds++;
    }
    assert_true(work_idle(b.w));
    assert_true(most <= 256 + WORK_SCAN_STEP);
    assert_true(rounds > 1200 / WORK_SCAN_STEP);
    assert_int_equal(work_get_counts(b.w).cleaned, 1200);
    stop_work(&b);
}

/* An input whose output name cannot exist fails at once, with the reason,
 * and the queue moves on (no retry, no loop). */
static void impossible_output_name_fails_once(void **state)
{
    (void)state;
    empty_folders();
    char name[256];
    memset(name, 'n', 252);
    strcpy(name + 252, ".md");     /* 255 bytes: + ".txt" is 259 */
    put(name, ARTICLE, strlen(ARTICLE));
    put("fine.txt", ARTICLE, strlen(ARTICLE));
    bench b;
    start_work(&b, 1, 0, -1);
    assert_int_equal(work_add(b.w, name), 0);
    assert_int_equal(work_add(b.w, "fine.txt"), 0);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.failed, 1);
    assert_int_equal(n.cleaned, 1);
    stop_work(&b);
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

    bench b;
    start_work(&b, 1, 0, -1);
    assert_int_equal(work_scan(b.w, ""), 0);
    work_step(b.w);
    assert_int_equal(work_running(b.w), 1);
    /* The worker has answered (still open for writing), unread yet: its
     * lease attempt takes a millisecond, the wait leaves ample room. */
    usleep(300 * 1000);
    assert_int_equal(work_scan(b.w, "late"), 0);
    work_step(b.w);
    close(writer);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.deferred, 0);    /* the scan's look came after */
    assert_int_equal(n.cleaned, 1);
    assert_true(out_exists("late/held.txt.txt"));
    stop_work(&b);
}

static int nothing_running(void *ctx)
{
    return work_running(ctx) == 0;
}

/* The kernel sends a file's close event before it counts the writer out, so
 * a worker acting on the event at once can find the file still open, and no
 * event follows.  Here the writer lets go only after the worker answered. */
static work_counts clean_after_raced_close(unsigned open_retries)
{
    empty_folders();
    put("raced.txt", ARTICLE, strlen(ARTICLE));
    int writer = hold_open("raced.txt");

    bench b;
    start_work(&b, 1, open_retries, -1);
    assert_int_equal(work_add(b.w, "raced.txt"), 0);      /* the close event */
    work_step(b.w);
    assert_int_equal(work_running(b.w), 1);
    loop_set_before_sleep(b.l, NULL, NULL);   /* results only, no new looks */
    run_until(b.l, nothing_running, b.w, 10000);
    assert_int_equal(work_queued(b.w), open_retries > 0);  /* waiting, or left */
    loop_set_before_sleep(b.l, step, b.w);
    close(writer);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    stop_work(&b);
    return n;
}

static void found_open_after_its_event_is_looked_at_again(void **state)
{
    (void)state;
    work_counts n = clean_after_raced_close(0);
    assert_int_equal(n.deferred, 1);    /* with no other look, left uncleaned */
    assert_int_equal(n.cleaned, 0);
    assert_false(out_exists("raced.txt.txt"));
    n = clean_after_raced_close(3);
    assert_int_equal(n.deferred, 0);
    assert_int_equal(n.cleaned, 1);
    assert_true(out_exists("raced.txt.txt"));
}

/* A writer that keeps the file open: looked at open_retries more times, the
 * last after 10 + 20 ms, then left for its close event. */
static void held_open_is_left_after_its_looks(void **state)
{
    (void)state;
    empty_folders();
    put("held.txt", ARTICLE, strlen(ARTICLE));
    int writer = hold_open("held.txt");

    bench b;
    start_work(&b, 1, 2, -1);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(work_add(b.w, "held.txt"), 0);
    drain(&b);
    assert_true(elapsed_ms(&start) >= 10 + 20);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.deferred, 1);
    assert_int_equal(n.cleaned, 0);
    assert_int_equal(work_queued(b.w), 0);
    close(writer);
    stop_work(&b);
}

static int failed_dir_fd(char *path, size_t size)
{
    snprintf(path, size, "%s/failed", tmpdir);
    mkdir(path, 0755);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static void failed_dir_gets_input_and_reason(void **state)
{
    (void)state;
    char failed[128];
    int ffd = failed_dir_fd(failed, sizeof failed);
    empty_folders();
    put("sub/broken.html", "\x89PNG\r\n\x1a\n", 8);
    bench b;
    start_work(&b, 1, 0, ffd);
    assert_int_equal(work_scan(b.w, ""), 0);
    drain(&b);
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
    stop_work(&b);
    close(ffd);
}

/* An environment failure is retried, after 0.5 then 1 s, and is never
 * quarantined; when the environment recovers meanwhile it is cleaned. */
static void environment_failure_is_retried_not_quarantined(void **state)
{
    (void)state;
    char failed[128];
    int ffd = failed_dir_fd(failed, sizeof failed);
    empty_folders();
    put("sub/retry.txt", ARTICLE, strlen(ARTICLE));
    char blocker[160];
    block_output_folder("sub", blocker, sizeof blocker);

    bench b;
    start_work(&b, 1, 0, ffd);
    assert_int_equal(work_add(b.w, "sub/retry.txt"), 0);
    drain(&b);
    work_counts n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 0);
    assert_int_equal(n.failed, 1);       /* --once: counted after its tries */
    char path[256];
    snprintf(path, sizeof path, "%s/sub/retry.txt", failed);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/sub/retry.txt", in_dir);
    assert_int_equal(access(path, F_OK), 0);

    /* The folder in the way goes during the first wait: cleaned. */
    assert_int_equal(work_add(b.w, "sub/retry.txt"), 0);
    work_step(b.w);
    unlink(blocker);
    drain(&b);
    n = work_get_counts(b.w);
    assert_int_equal(n.cleaned, 1);
    assert_true(out_exists("sub/retry.txt.txt"));
    stop_work(&b);
    close(ffd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worker_process_outcomes),
        cmocka_unit_test(worker_no_article_outcomes),
        cmocka_unit_test(worker_never_follows_a_swapped_folder),
        cmocka_unit_test(unwritable_output_is_a_retry),
        cmocka_unit_test(pool_cleans_in_workers),
        cmocka_unit_test(crashed_worker_fails_one_file),
        cmocka_unit_test(stopped_worker_times_out),
        cmocka_unit_test(work_queue_over_a_folder),
        cmocka_unit_test(work_counts_no_article_apart),
        cmocka_unit_test(scan_feeds_the_queue_in_steps),
        cmocka_unit_test(impossible_output_name_fails_once),
        cmocka_unit_test(rescan_while_running_looks_again),
        cmocka_unit_test(found_open_after_its_event_is_looked_at_again),
        cmocka_unit_test(held_open_is_left_after_its_looks),
        cmocka_unit_test(failed_dir_gets_input_and_reason),
        cmocka_unit_test(environment_failure_is_retried_not_quarantined),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
