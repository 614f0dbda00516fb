#include "work.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "names.h"
#include "strmap.h"

enum { STATE_QUEUED = 1, STATE_RUNNING, STATE_RUNNING_AGAIN, STATE_WAITING };

/* An input in a line: its owned path, when it is due (waiting lines only)
 * and how often in a row it was found open, failed by the environment,
 * or crashed its worker. */
typedef struct entry {
    char    *rel;
    uint64_t due_ms;
    uint8_t  open_tries;
    uint8_t  env_tries;
    uint8_t  crashes;
} entry;

typedef struct ring {      /* FIFO of entries in a growable ring buffer */
    entry  *items;
    size_t  head, len, cap;
} ring;

typedef struct running_job {
    uint64_t id;       /* 0: slot idle */
    entry    in;       /* the input, with its tries so far */
    char    *out_rel;
} running_job;

/*
 * The waiting lines, one per delay, so each is in order of due time: the
 * looks at an input found open (10 ms doubling to 1280 ms), then the
 * retries after an environment failure (0.5 s doubling, 30 s at most).
 */
#define OPEN_FIRST_MS 10
#define ENV_FIRST_MS  500
#define ENV_MAX_MS    30000
#define NLINES (WORK_OPEN_RETRIES_MAX + WORK_ENV_RETRIES_MAX)

/*
 * Bound on the queue while a scan fills it: past queue_high() inputs the
 * scan waits for the workers to take some, so a scan of any size holds
 * little memory; a few inputs per worker keep them all busy.
 */
#define WORK_QUEUE_MIN 256

struct work {
    loop         *loop;
    pool         *pool;
    work_settings s;
    strmap       *states;        /* rel -> STATE_* while queued, running or waiting */
    /* rel -> signature of a version scans leave alone until it changes: a
     * final failure, or a text input with no article, which has no output
     * to be found up to date by. */
    strmap       *settled;
    ring          queue;         /* inputs ready for a worker */
    /* An entry whose input left STATE_WAITING meanwhile (an event queued
     * it) is stale: when it comes due it is dropped, or, if the input waits
     * again by then, it queues the input early, which only looks sooner. */
    ring          waiting[NLINES];
    size_t        nwaiting;      /* inputs in STATE_WAITING */
    running_job  *running;       /* one per pool slot */
    size_t        nslots;
    uint64_t      next_id;
    work_counts   counts;
    scan_cursor  *scan;          /* the scan being run, NULL: none */
    strmap       *scans_asked;   /* starts of the scans still to run */
    loop_timer    due_timer;     /* the earliest waiting input */
};

/* ---- rings ---- */

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

static void on_due(void *ctx)
{
    (void)ctx;      /* work_step(), in the next before-sleep, does the work */
}

work *work_new(loop *l, const work_settings *s, cl_error *err)
{
    work *w = calloc(1, sizeof *w);
    if (!w)
        goto oom;
    w->loop = l;
    w->s = *s;
    w->next_id = 1;
    w->states = strmap_new();
    w->settled = strmap_new();
    w->scans_asked = strmap_new();
    if (!w->states || !w->settled || !w->scans_asked)
        goto oom;
    loop_add_timer(l, &w->due_timer, on_due, w);
    return w;
oom:
    work_free(w);
    cl_fail(err, "out of memory");
    return NULL;
}

int work_set_pool(work *w, pool *p)
{
    w->pool = p;
    w->nslots = pool_size(p);
    w->running = calloc(w->nslots ? w->nslots : 1, sizeof *w->running);
    return w->running ? 0 : -1;
}

void work_free(work *w)
{
    if (!w)
        return;
    ring_free(&w->queue);
    for (size_t i = 0; i < NLINES; i++)
        ring_free(&w->waiting[i]);
    for (size_t i = 0; w->running && i < w->nslots; i++) {
        free(w->running[i].in.rel);
        free(w->running[i].out_rel);
    }
    free(w->running);
    scan_close(w->scan);
    if (w->loop)
        loop_del_timer(w->loop, &w->due_timer);
    strmap_free(w->states);
    strmap_free(w->settled);
    strmap_free(w->scans_asked);
    free(w);
}

void work_set_input(work *w, const char *input_dir, int in_fd)
{
    w->s.input_dir = input_dir;
    if (in_fd != w->s.in_fd) {
        scan_close(w->scan);     /* it walked the old folder */
        w->scan = NULL;
        w->s.in_fd = in_fd;
    }
}

/* ---- the queue and the waiting lines ---- */

/* Queues a copy of e.rel unless it is queued already; a running one is
 * redone after, a waiting one is queued now. */
static int enqueue(work *w, entry e)
{
    uint64_t *state = strmap_get(w->states, e.rel);
    if (state && *state == STATE_RUNNING)
        *state = STATE_RUNNING_AGAIN;
    if (state && *state != STATE_WAITING)
        return 0;
    char *copy = strdup(e.rel);
    e.rel = copy;
    if (!copy || ring_push(&w->queue, e) < 0) {
        free(copy);
        return -1;
    }
    if (state) {
        *state = STATE_QUEUED;
        w->nwaiting--;
    } else if (strmap_put(w->states, copy, STATE_QUEUED) < 0) {
        w->queue.len--;     /* takes back the entry just pushed */
        free(copy);
        return -1;
    }
    return 0;
}

static int enqueue_new(work *w, const char *rel)
{
    return enqueue(w, (entry){ .rel = (char *)rel });
}

/* Moves the waiting inputs that are due to the queue. */
static void queue_due(work *w, uint64_t now)
{
    for (size_t i = 0; i < NLINES; i++) {
        ring *r = &w->waiting[i];
        while (r->len > 0 && ring_front(r)->due_ms <= now) {
            entry e = ring_pop(r);
            uint64_t *state = strmap_get(w->states, e.rel);
            if (state && *state == STATE_WAITING && enqueue(w, e) < 0) {
                log_error("%s/%s: out of memory, not requeued", w->s.input_dir, e.rel);
                strmap_remove(w->states, e.rel);
                w->nwaiting--;
            }
            free(e.rel);
        }
        if (r->len > 0)
            loop_timer_arm_by(&w->due_timer, ring_front(r)->due_ms);
    }
}

/* Puts the job's input on waiting line `line`; takes job->in.rel. */
static void wait_on_line(work *w, running_job *job, size_t line, uint64_t delay)
{
    entry e = job->in;
    e.due_ms = loop_now_ms() + delay;
    if (strmap_put(w->states, e.rel, STATE_WAITING) < 0
        || ring_push(&w->waiting[line], e) < 0) {
        strmap_remove(w->states, e.rel);
        log_error("%s/%s: out of memory, left for the next event or rescan",
                  w->s.input_dir, e.rel);
        return;
    }
    w->nwaiting++;
    loop_timer_arm_by(&w->due_timer, e.due_ms);
    job->in.rel = NULL;
}

/*
 * A worker found the input still being written.  The kernel sends a file's
 * close event before it counts the writer out, so a worker that acts on the
 * event at once can find the file still open, and no other event follows:
 * the input is looked at again after 10, 20, 40... ms, open_retries times,
 * before it is left for its close.
 */
static void look_again_later(work *w, running_job *job)
{
    unsigned tries = job->in.open_tries + 1u;
    if (tries > w->s.open_retries || tries > WORK_OPEN_RETRIES_MAX) {
        w->counts.deferred++;
        log_info("%s/%s: still open for writing, left for when it is closed",
                 w->s.input_dir, job->in.rel);
        return;
    }
    uint64_t delay = (uint64_t)OPEN_FIRST_MS << (tries - 1);
    log_debug("%s/%s: still open for writing, looking again in %llu ms",
              w->s.input_dir, job->in.rel, (unsigned long long)delay);
    job->in.open_tries = (uint8_t)tries;
    wait_on_line(w, job, tries - 1, delay);
}

/* ---- failures ---- */

static void write_error_file(const work *w, const char *rel, const char *reason)
{
    char text[CL_ERROR_MAX + 2];
    int n = snprintf(text, sizeof text, "%s\n", reason);
    size_t len = strlen(rel) + sizeof ".error";
    char *name = malloc(len);
    if (!name)
        return;
    snprintf(name, len, "%s.error", rel);
    cl_error err = { "" };
    if (fileio_write_atomic_at(w->s.failed_fd, name, text, (size_t)n, &err) != 0)
        log_error("failed_dir: %s: %s", name, err.msg);
    free(name);
}

/* Moves a failed input to failed_dir; 0, or -1 when it stays in IN. */
static int move_to_failed(const work *w, const char *rel, const char *reason)
{
    cl_error err = { "" };
    if (fileio_move_at(w->s.in_fd, rel, w->s.failed_fd, rel, &err) != 0) {
        log_error("%s/%s: %s", w->s.input_dir, rel, err.msg);
        return -1;
    }
    write_error_file(w, rel, reason);
    return 0;
}

/* Scans skip the version of rel now in IN (if still there) until it changes. */
static void remember_version(work *w, const char *rel)
{
    struct stat st;
    if (fstatat(w->s.in_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
        strmap_put(w->settled, rel, signature_of(&st));
}

/* A final failure: logged, quarantined or remembered. */
static void record_failure(work *w, const char *rel, const char *reason)
{
    log_error("%s/%s: %s", w->s.input_dir, rel, reason);
    w->counts.failed++;
    if (w->s.failed_fd >= 0 && move_to_failed(w, rel, reason) == 0)
        return;
    remember_version(w, rel);
}

/* An environment failure or a crash: try again later, or give up. */
static void retry_later(work *w, running_job *job, const char *reason)
{
    unsigned tries = job->in.env_tries + 1u;
    if (tries > w->s.env_retries || tries > WORK_ENV_RETRIES_MAX) {
        if (w->s.final_after_retries) {
            log_error("%s/%s: %s (after %u tries)", w->s.input_dir, job->in.rel,
                      reason, tries);
            w->counts.failed++;
        } else {
            log_warn("%s/%s: %s; left for the next rescan", w->s.input_dir,
                     job->in.rel, reason);
            w->counts.retry_later++;
        }
        return;
    }
    uint64_t delay = (uint64_t)ENV_FIRST_MS << (tries - 1);
    if (delay > ENV_MAX_MS)
        delay = ENV_MAX_MS;
    log_warn("%s/%s: %s; retrying in %llu ms", w->s.input_dir, job->in.rel, reason,
             (unsigned long long)delay);
    job->in.env_tries = (uint8_t)tries;
    job->in.open_tries = 0;
    wait_on_line(w, job, WORK_OPEN_RETRIES_MAX + tries - 1, delay);
}

static void after_crash(work *w, running_job *job, const char *reason)
{
    job->in.crashes++;
    if (job->in.crashes >= WORK_CRASHES_MAX)
        record_failure(w, job->in.rel, reason);
    else
        retry_later(w, job, reason);
}

/* ---- scanning ---- */

static int output_is_current(const work *w, const char *out_rel,
                             const struct timespec *in_mtime)
{
    struct stat st;
    if (fstatat(w->s.out_fd, out_rel, &st, 0) < 0)
        return 0;
    if (st.st_mtim.tv_sec != in_mtime->tv_sec)
        return st.st_mtim.tv_sec > in_mtime->tv_sec;
    return st.st_mtim.tv_nsec >= in_mtime->tv_nsec;
}

static size_t queue_high(const work *w)
{
    size_t per_worker = 8 * w->nslots;
    return per_worker > WORK_QUEUE_MIN ? per_worker : WORK_QUEUE_MIN;
}

/* Decides about one scanned file.  0, or -1 (oom). */
static int on_scan_file(work *w, const char *rel, const struct stat *st)
{
    /* Queued already, or a worker has it: then it is looked at again when
     * the worker is done, as after an event.  The worker may find it still
     * open for writing, and a writer that closed it before its folder was
     * watched sent no event to bring it back. */
    if (strmap_get(w->states, rel))
        return enqueue_new(w, rel);
    uint64_t *settled = strmap_get(w->settled, rel);
    if (settled && *settled == signature_of(st))
        return 0;
    if (!S_ISREG(st->st_mode)) {
        char reason[64];
        snprintf(reason, sizeof reason, "refused: not a regular file (%s)",
                 fileio_kind_name(st->st_mode));
        record_failure(w, rel, reason);
        return 0;
    }
    char *out_rel;
    cl_error err = { "" };
    if (names_output(rel, output_format_ext(w->s.format), &out_rel, &err) < 0) {
        record_failure(w, rel, err.msg);
        return 0;
    }
    int current = output_is_current(w, out_rel, &st->st_mtim);
    free(out_rel);
    if (current) {
        w->counts.up_to_date++;
        return 0;
    }
    return enqueue_new(w, rel);
}

static int first_key(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    *(char **)ctx = strdup(key);
    return 1;
}

/* Opens the next scan asked for; 0 when none is left. */
static int open_next_scan(work *w)
{
    while (!w->scan && strmap_count(w->scans_asked) > 0) {
        char *start = NULL;
        if (strmap_get(w->scans_asked, ""))
            start = strdup("");
        else
            strmap_each(w->scans_asked, first_key, &start);
        if (!start)
            return 0;
        if (*start == '\0')
            strmap_clear(w->scans_asked);   /* the whole of IN covers them all */
        else
            strmap_remove(w->scans_asked, start);
        cl_error err = { "" };
        w->scan = scan_open(w->s.in_fd, start, w->s.exclude, w->s.nexclude, 0, &err);
        if (!w->scan && *start == '\0')
            log_error("%s: %s", w->s.input_dir, err.msg);
        free(start);
    }
    return w->scan != NULL;
}

/* Takes up to WORK_SCAN_STEP entries of the scan while the queue has room. */
static void scan_step(work *w)
{
    for (size_t n = 0; n < WORK_SCAN_STEP && w->queue.len < queue_high(w); n++) {
        if (!open_next_scan(w))
            return;
        scan_entry e;
        int rc = scan_next(w->scan, &e);
        if (rc == 1 && S_ISDIR(e.st.st_mode))
            continue;
        if (rc == 1 && on_scan_file(w, e.rel, &e.st) == 0)
            continue;
        if (rc != 0)
            log_error("%s: out of memory, scan stopped; the next rescan resumes it",
                      w->s.input_dir);
        scan_close(w->scan);
        w->scan = NULL;
    }
}

int work_scan(work *w, const char *start)
{
    return strmap_put(w->scans_asked, start, 1);
}

/* ---- events ---- */

int work_add(work *w, const char *rel)
{
    strmap_remove(w->settled, rel);
    return enqueue_new(w, rel);
}

void work_forget(work *w, const char *rel)
{
    strmap_remove(w->settled, rel);
}

/* ---- dispatch and results ---- */

/* Sends the queue's head to worker `slot`: 1 sent, 0 the worker is gone
 * (the head stays), -1 the head has no output name (failed and dropped). */
static int submit_head(work *w, size_t slot)
{
    const char *rel = ring_front(&w->queue)->rel;
    char *out_rel;
    cl_error err = { "" };
    if (names_output(rel, output_format_ext(w->s.format), &out_rel, &err) < 0) {
        entry e = ring_pop(&w->queue);
        strmap_remove(w->states, e.rel);
        record_failure(w, e.rel, err.msg);
        free(e.rel);
        return -1;
    }
    uint64_t id = w->next_id++;
    if (pool_submit(w->pool, slot, id, rel, out_rel, &err) < 0) {
        log_warn("%s/%s: %s; trying another worker", w->s.input_dir, rel, err.msg);
        free(out_rel);
        return 0;
    }
    entry taken = ring_pop(&w->queue);
    strmap_put(w->states, taken.rel, STATE_RUNNING);
    w->running[slot] = (running_job){ id, taken, out_rel };
    return 1;
}

/* Retry soon when workers cannot be started or fed: never spin. */
#define WORK_RESTART_MS 1000

static void dispatch(work *w)
{
    size_t lost = 0;
    while (w->queue.len > 0) {
        long slot = pool_idle_slot(w->pool);
        if (slot < 0) {
            if (pool_busy(w->pool) == 0)
                loop_timer_arm_by(&w->due_timer, loop_now_ms() + WORK_RESTART_MS);
            return;
        }
        if (submit_head(w, (size_t)slot) == 0 && ++lost >= w->nslots) {
            loop_timer_arm_by(&w->due_timer, loop_now_ms() + WORK_RESTART_MS);
            return;
        }
    }
}

void work_step(work *w)
{
    if (w->nwaiting > 0)
        queue_due(w, loop_now_ms());
    scan_step(w);
    dispatch(w);
}

static void log_result(const work *w, const running_job *job, const worker_result *r)
{
    log_info("%s/%s -> %s: %llu -> %llu bytes, %u of %u blocks removed, %u ms",
             w->s.input_dir, job->in.rel, job->out_rel,
             (unsigned long long)r->bytes_in, (unsigned long long)r->bytes_out,
             r->blocks_dropped, r->blocks, r->ms);
    if (r->reason[0])
        log_warn("%s/%s: %s", w->s.input_dir, job->in.rel, r->reason);
}

/* One line naming the input and the cause (and the output, in JSON). */
static void log_no_article(const work *w, const running_job *job, const worker_result *r)
{
    if (w->s.format == OUTPUT_JSON)
        log_warn("%s/%s -> %s: %s", w->s.input_dir, job->in.rel, job->out_rel, r->reason);
    else
        log_warn("%s/%s: %s", w->s.input_dir, job->in.rel, r->reason);
}

/* What a result means for its input; `again`: it changed meanwhile, and
 * the new version gets its own turn whatever this one did. */
static void settle(work *w, running_job *job, const worker_result *r, int again)
{
    switch (r->status) {
    case WORKER_OK:
        w->counts.cleaned++;
        log_result(w, job, r);
        break;
    case WORKER_NO_ARTICLE:
        w->counts.no_article++;
        log_no_article(w, job, r);
        if (!again && w->s.format == OUTPUT_TEXT)
            remember_version(w, job->in.rel);
        break;
    case WORKER_GONE:
        log_debug("%s/%s: gone before it was read", w->s.input_dir, job->in.rel);
        break;
    case WORKER_WRITING:
        if (!again)
            look_again_later(w, job);
        break;
    case WORKER_RETRY:
        if (!again)
            retry_later(w, job, r->reason);
        break;
    case WORKER_CRASHED:
        if (!again)
            after_crash(w, job, r->reason);
        break;
    default:
        if (again)
            log_error("%s/%s: %s", w->s.input_dir, job->in.rel, r->reason);
        else
            record_failure(w, job->in.rel, r->reason);
        break;
    }
}

void work_on_result(void *ctx, size_t slot, const worker_result *r, int out_fd)
{
    work *w = ctx;
    if (out_fd >= 0)
        close(out_fd);      /* folder jobs write their own outputs */
    if (slot >= w->nslots || w->running[slot].id != r->id)
        return;
    running_job job = w->running[slot];
    w->running[slot] = (running_job){ 0 };
    uint64_t *state = strmap_get(w->states, job.in.rel);
    int again = state && *state == STATE_RUNNING_AGAIN;
    strmap_remove(w->states, job.in.rel);
    settle(w, &job, r, again);
    if (again && job.in.rel && enqueue_new(w, job.in.rel) < 0)
        log_error("%s/%s: out of memory, not requeued", w->s.input_dir, job.in.rel);
    free(job.in.rel);
    free(job.out_rel);
}

int work_idle(const work *w)
{
    return w->queue.len == 0 && w->nwaiting == 0 && pool_busy(w->pool) == 0
        && !w->scan && strmap_count(w->scans_asked) == 0;
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
