#include "work.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "log.h"
#include "names.h"
#include "strmap.h"

enum { STATE_QUEUED = 1, STATE_RUNNING, STATE_RUNNING_AGAIN, STATE_WAITING };

/* An input in a line: its owned path, when it is due (waiting lines only)
 * and how many times in a row a worker found it open for writing. */
typedef struct entry {
    char    *rel;
    uint64_t due_ms;
    unsigned open_tries;
} entry;

typedef struct ring {      /* FIFO of entries in a growable ring buffer */
    entry  *items;
    size_t  head, len, cap;
} ring;

typedef struct running_job {
    uint64_t id;       /* 0: slot idle */
    char    *rel;
    char    *out_rel;
    unsigned open_tries;
} running_job;

/*
 * Bound on the queue while a scan fills it: past queue_high() inputs the
 * scan lets the workers take some until half remain, so a scan of any size
 * holds little memory; a few inputs per worker keep them all busy.
 */
#define WORK_QUEUE_MIN 256

static size_t queue_high(const work *w);

struct work {
    pool         *pool;
    work_settings s;
    names        *names;
    strmap       *states;        /* rel -> STATE_* while queued, running or waiting */
    strmap       *failures;      /* rel -> signature of the failed version */
    strmap       *busy_outputs;  /* out_rel -> 1 while a worker writes it */
    ring          queue;         /* inputs ready for a worker */
    /* Inputs found open for writing, one line per try: all entries of a
     * line wait the same delay, so each line is in order of due time.  An
     * entry whose input left STATE_WAITING meanwhile (an event queued it)
     * is stale: when it comes due it is dropped, or, if the input waits
     * again by then, it queues the input early, which only looks sooner. */
    ring          waiting[WORK_OPEN_RETRIES_MAX];
    size_t        nwaiting;      /* inputs in STATE_WAITING */
    running_job  *running;       /* one per pool slot */
    uint64_t      next_id;
    work_counts   counts;
    struct pollfd *fds;          /* one per pool slot, for waiting in scans */
    int         (*on_wait)(void *ctx);
    void         *wait_ctx;
};

/* ---- rings ---- */

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Appends e, taking ownership of e.rel on success.  0, or -1 (oom). */
static int ring_push(ring *r, entry e)
{
    if (r->len == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        entry *items = malloc(cap * sizeof *items);
        if (!items)
            return -1;
        for (size_t i = 0; i < r->len; i++)
            items[i] = r->items[(r->head + i) % r->cap];
        free(r->items);
        r->items = items;
        r->cap = cap;
        r->head = 0;
    }
    r->items[(r->head + r->len) % r->cap] = e;
    r->len++;
    return 0;
}

static const entry *ring_front(const ring *r)
{
    return &r->items[r->head];
}

static entry ring_pop(ring *r)
{
    entry e = r->items[r->head];
    r->head = (r->head + 1) % r->cap;
    r->len--;
    return e;
}

static void ring_free(ring *r)
{
    while (r->len > 0)
        free(ring_pop(r).rel);
    free(r->items);
}

/* ---- setup ---- */

/* Identifies one version of a file: a change makes a failed input eligible. */
static uint64_t signature_of(const struct stat *st)
{
    uint64_t ns = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
    return (ns * 1000003u) ^ (uint64_t)st->st_size ^ ((uint64_t)st->st_ino << 32);
}

static void path_join(char *out, size_t size, const char *dir, const char *rel)
{
    snprintf(out, size, "%s/%s", dir, rel);
}

work *work_new(pool *p, const work_settings *s, cl_error *err)
{
    work *w = calloc(1, sizeof *w);
    if (!w)
        goto oom;
    w->pool = p;
    w->s = *s;
    w->next_id = 1;
    w->names = names_new();
    w->states = strmap_new();
    w->failures = strmap_new();
    w->busy_outputs = strmap_new();
    w->running = calloc(pool_size(p) ? pool_size(p) : 1, sizeof *w->running);
    w->fds = calloc(pool_size(p) ? pool_size(p) : 1, sizeof *w->fds);
    if (!w->names || !w->states || !w->failures || !w->busy_outputs || !w->running
        || !w->fds)
        goto oom;
    return w;
oom:
    work_free(w);
    cl_fail(err, "out of memory");
    return NULL;
}

void work_free(work *w)
{
    if (!w)
        return;
    ring_free(&w->queue);
    for (size_t i = 0; i < WORK_OPEN_RETRIES_MAX; i++)
        ring_free(&w->waiting[i]);
    if (w->running) {
        for (size_t i = 0; i < pool_size(w->pool); i++) {
            free(w->running[i].rel);
            free(w->running[i].out_rel);
        }
    }
    free(w->running);
    free(w->fds);
    names_free(w->names);
    strmap_free(w->states);
    strmap_free(w->failures);
    strmap_free(w->busy_outputs);
    free(w);
}

void work_set_dirs(work *w, const char *input_dir, const char *output_dir,
                   const char *failed_dir)
{
    w->s.input_dir = input_dir;
    w->s.output_dir = output_dir;
    w->s.failed_dir = failed_dir;
}

void work_set_wait_hook(work *w, int (*on_wait)(void *ctx), void *ctx)
{
    w->on_wait = on_wait;
    w->wait_ctx = ctx;
}

/* ---- the queue and the waiting lines ---- */

/* Queues a copy of rel unless it is queued already; a running one is
 * redone after, a waiting one is queued now. */
static int enqueue(work *w, const char *rel, unsigned open_tries)
{
    uint64_t *state = strmap_get(w->states, rel);
    if (state && *state == STATE_RUNNING)
        *state = STATE_RUNNING_AGAIN;
    if (state && *state != STATE_WAITING)
        return 0;
    char *copy = strdup(rel);
    if (!copy || ring_push(&w->queue, (entry){ copy, 0, open_tries }) < 0) {
        free(copy);
        return -1;
    }
    if (state) {
        *state = STATE_QUEUED;
        w->nwaiting--;
    } else if (strmap_put(w->states, rel, STATE_QUEUED) < 0) {
        w->queue.len--;     /* takes back the entry just pushed */
        free(copy);
        return -1;
    }
    return 0;
}

/* Moves the waiting inputs that are due to the queue. */
static void queue_due(work *w, uint64_t now)
{
    for (size_t i = 0; i < WORK_OPEN_RETRIES_MAX; i++) {
        ring *r = &w->waiting[i];
        while (r->len > 0 && ring_front(r)->due_ms <= now) {
            entry e = ring_pop(r);
            uint64_t *state = strmap_get(w->states, e.rel);
            if (state && *state == STATE_WAITING && enqueue(w, e.rel, e.open_tries) < 0) {
                log_error("%s/%s: out of memory, not requeued", w->s.input_dir, e.rel);
                strmap_remove(w->states, e.rel);
                w->nwaiting--;
            }
            free(e.rel);
        }
    }
}

/*
 * A worker found the input open for writing.  The kernel sends a file's
 * close event before it counts the writer out, so a worker that acts on the
 * event at once can find the file still open, and no other event follows:
 * the input is looked at again after 10, 20, 40... ms, open_retries times,
 * before it is left for its close.  Takes job->rel when it waits.
 */
static void look_again_later(work *w, running_job *job)
{
    unsigned tries = job->open_tries + 1;
    if (tries > w->s.open_retries || tries > WORK_OPEN_RETRIES_MAX) {
        w->counts.deferred++;
        log_info("%s/%s: still open for writing, left for when it is closed",
                 w->s.input_dir, job->rel);
        return;
    }
    uint64_t delay = (uint64_t)WORK_OPEN_FIRST_MS << (tries - 1);
    entry e = { job->rel, now_ms() + delay, tries };
    if (strmap_put(w->states, job->rel, STATE_WAITING) < 0
        || ring_push(&w->waiting[tries - 1], e) < 0) {
        strmap_remove(w->states, job->rel);
        log_error("%s/%s: out of memory, left for when it is closed",
                  w->s.input_dir, job->rel);
        return;
    }
    w->nwaiting++;
    log_debug("%s/%s: still open for writing, looking again in %llu ms",
              w->s.input_dir, e.rel, (unsigned long long)delay);
    job->rel = NULL;
}

int work_wait_ms(const work *w, int limit)
{
    if (w->nwaiting == 0)
        return limit;
    uint64_t now = now_ms();
    for (size_t i = 0; i < WORK_OPEN_RETRIES_MAX; i++) {
        const ring *r = &w->waiting[i];
        if (r->len == 0)
            continue;
        uint64_t due = ring_front(r)->due_ms;
        int ms = due > now ? (int)(due - now) : 0;
        if (limit < 0 || ms < limit)
            limit = ms;
    }
    return limit;
}

/* ---- failures ---- */

static void write_error_file(const work *w, const char *rel, const char *reason)
{
    char path[PATH_MAX], text[CL_ERROR_MAX + 2];
    snprintf(path, sizeof path, "%s/%s.error", w->s.failed_dir, rel);
    int n = snprintf(text, sizeof text, "%s\n", reason);
    cl_error err = { "" };
    if (fileio_write_atomic(path, text, (size_t)n, &err) < 0)
        log_error("%s", err.msg);
}

/* Moves a failed input to failed_dir; 0, or -1 when it stays in IN. */
static int move_to_failed(const work *w, const char *rel, const char *reason)
{
    char from[PATH_MAX], to[PATH_MAX];
    path_join(from, sizeof from, w->s.input_dir, rel);
    path_join(to, sizeof to, w->s.failed_dir, rel);
    cl_error err = { "" };
    if (fileio_move(from, to, &err) < 0) {
        log_error("%s: %s", from, err.msg);
        return -1;
    }
    write_error_file(w, rel, reason);
    return 0;
}

static void record_failure(work *w, const char *rel, const char *reason)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, w->s.input_dir, rel);
    log_error("%s: %s", path, reason);
    w->counts.failed++;
    if (w->s.failed_dir && move_to_failed(w, rel, reason) == 0) {
        names_remove(w->names, rel);
        return;
    }
    struct stat st;
    if (lstat(path, &st) == 0)
        strmap_put(w->failures, rel, signature_of(&st));
}

/* ---- scanning ---- */

static int output_is_current(const work *w, const char *out_rel,
                             const struct timespec *in_mtime)
{
    char path[PATH_MAX];
    path_join(path, sizeof path, w->s.output_dir, out_rel);
    struct stat st;
    if (stat(path, &st) < 0)
        return 0;
    if (st.st_mtim.tv_sec != in_mtime->tv_sec)
        return st.st_mtim.tv_sec > in_mtime->tv_sec;
    return st.st_mtim.tv_nsec >= in_mtime->tv_nsec;
}

static size_t queue_high(const work *w)
{
    size_t per_worker = 8 * pool_size(w->pool);
    return per_worker > WORK_QUEUE_MIN ? per_worker : WORK_QUEUE_MIN;
}

/* Lets workers take inputs until the queue is down to half its bound.
 * 0, or -1 when the wait hook asks to stop the scan. */
static int wait_for_room(work *w)
{
    size_t low = queue_high(w) / 2;
    while (w->queue.len > low) {
        work_dispatch(w);
        if (w->queue.len <= low)
            break;
        pool_pollfds(w->pool, w->fds);
        if (poll(w->fds, pool_size(w->pool), work_wait_ms(w, 1000)) < 0 && errno != EINTR)
            break;
        work_receive(w, w->fds);
        pool_kill_overdue(w->pool);
        if (w->on_wait && w->on_wait(w->wait_ctx))
            return -1;
    }
    return 0;
}

static int on_scan_name(void *ctx, const char *rel)
{
    work *w = ctx;
    return names_add(w->names, rel);
}

/* Decides about one scanned entry; all its siblings are in the names index
 * already (on_scan_name ran over the folder first). */
static int on_scan_file(void *ctx, const char *rel, const struct stat *st)
{
    work *w = ctx;
    /* Queued already, or a worker has it: then it is looked at again when
     * the worker is done, as after an event.  The worker may find it still
     * open for writing, and a writer that closed it before its folder was
     * watched sent no event to bring it back. */
    if (strmap_get(w->states, rel))
        return enqueue(w, rel, 0);
    uint64_t *failed = strmap_get(w->failures, rel);
    if (failed && *failed == signature_of(st))
        return 0;
    if (!S_ISREG(st->st_mode)) {
        char reason[64];
        snprintf(reason, sizeof reason, "refused: not a regular file (%s)",
                 fileio_kind_name(st->st_mode));
        record_failure(w, rel, reason);
        return 0;
    }
    char *out_rel = names_output(w->names, rel, output_format_ext(w->s.format));
    if (!out_rel)
        return -1;
    int current = output_is_current(w, out_rel, &st->st_mtim);
    free(out_rel);
    if (current) {
        w->counts.up_to_date++;
        return 0;
    }
    if (enqueue(w, rel, 0) < 0)
        return -1;
    if (w->queue.len >= queue_high(w))
        return wait_for_room(w);
    return 0;
}

int work_scan(work *w, const char *start, cl_error *err)
{
    scan_visitor inputs = { .on_name = on_scan_name, .on_file = on_scan_file, .ctx = w };
    return scan_tree(w->s.input_dir, start, w->s.exclude, w->s.nexclude, 0,
                     &inputs, err);
}

/* ---- events ---- */

int work_add(work *w, const char *rel)
{
    strmap_remove(w->failures, rel);
    if (names_add(w->names, rel) < 0)
        return -1;
    return enqueue(w, rel, 0);
}

void work_forget(work *w, const char *rel)
{
    names_remove(w->names, rel);
    strmap_remove(w->failures, rel);
}

/* ---- dispatch and results ---- */

static void fail_unstartable(work *w)
{
    char *rel = ring_pop(&w->queue).rel;
    strmap_remove(w->states, rel);
    record_failure(w, rel, "no worker process could be started");
    free(rel);
}

void work_dispatch(work *w)
{
    if (w->nwaiting > 0)
        queue_due(w, now_ms());
    while (w->queue.len > 0) {
        long slot = pool_idle_slot(w->pool);
        if (slot < 0) {
            if (pool_busy(w->pool) == 0)
                fail_unstartable(w);
            if (pool_busy(w->pool) == 0)
                continue;
            return;
        }
        const char *rel = ring_front(&w->queue)->rel;
        char *out_rel = names_output(w->names, rel, output_format_ext(w->s.format));
        if (!out_rel || strmap_get(w->busy_outputs, out_rel)) {
            free(out_rel);      /* wait for the worker writing it */
            return;
        }
        cl_error err = { "" };
        uint64_t id = w->next_id++;
        if (pool_submit(w->pool, (size_t)slot, id, rel, out_rel, &err) < 0) {
            log_warn("%s: %s; retrying", rel, err.msg);
            free(out_rel);
            continue;
        }
        entry taken = ring_pop(&w->queue);
        strmap_put(w->states, taken.rel, STATE_RUNNING);
        strmap_put(w->busy_outputs, out_rel, 1);
        w->running[slot] = (running_job){ id, taken.rel, out_rel, taken.open_tries };
    }
}

static void log_result(const work *w, const running_job *job, const worker_result *r)
{
    char in[PATH_MAX], out[PATH_MAX];
    path_join(in, sizeof in, w->s.input_dir, job->rel);
    path_join(out, sizeof out, w->s.output_dir, job->out_rel);
    log_info("%s -> %s: %llu -> %llu bytes, %u of %u blocks removed, %u ms",
             in, out, (unsigned long long)r->bytes_in,
             (unsigned long long)r->bytes_out, r->blocks_dropped, r->blocks, r->ms);
    if (r->reason[0])
        log_warn("%s: %s", in, r->reason);
}

static void finish(work *w, size_t slot, const worker_result *r)
{
    running_job job = w->running[slot];
    w->running[slot] = (running_job){ 0, NULL, NULL, 0 };
    strmap_remove(w->busy_outputs, job.out_rel);
    uint64_t *state = strmap_get(w->states, job.rel);
    int again = state && *state == STATE_RUNNING_AGAIN;
    strmap_remove(w->states, job.rel);

    switch (r->status) {
    case WORKER_OK:
        w->counts.cleaned++;
        log_result(w, &job, r);
        break;
    case WORKER_GONE:
        log_debug("%s/%s: gone before it was read", w->s.input_dir, job.rel);
        names_remove(w->names, job.rel);
        break;
    case WORKER_WRITING:
        if (!again)     /* else the scan or event that came is its next look */
            look_again_later(w, &job);
        break;
    default:
        if (again)      /* changed meanwhile: the new version gets its turn */
            log_error("%s/%s: %s", w->s.input_dir, job.rel, r->reason);
        else
            record_failure(w, job.rel, r->reason);
        break;
    }
    if (again && enqueue(w, job.rel, 0) < 0)
        log_error("%s/%s: out of memory, not requeued", w->s.input_dir, job.rel);
    free(job.rel);
    free(job.out_rel);
}

void work_receive(work *w, const struct pollfd *fds)
{
    for (size_t slot = 0; slot < pool_size(w->pool); slot++) {
        if (!(fds[slot].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        worker_result r;
        if (pool_receive(w->pool, slot, &r) == 1 && w->running[slot].id == r.id)
            finish(w, slot, &r);
    }
}

size_t work_queued(const work *w)
{
    return w->queue.len + w->nwaiting;
}

size_t work_running(const work *w)
{
    return pool_busy(w->pool);
}

work_counts work_get_counts(const work *w)
{
    return w->counts;
}
