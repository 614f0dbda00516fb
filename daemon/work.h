/*
 * work.h - the work queue: which inputs to clean, in what order, by whom.
 *
 * Inputs (paths relative to IN) enter from a scan (work_scan: incremental,
 * like make, an input whose output is at least as new is skipped) or from
 * the watcher (work_add: the file changed, so it is cleaned whatever the
 * output's age).  Each input is queued once; an input that changes, or
 * that a scan finds, while a worker has it is cleaned again after that
 * worker is done, so the last version always wins and no two workers ever
 * hold the same input or the same output.  An input a worker finds still
 * open for writing is looked at again a few times (open_retries below),
 * then left for its close event.  work_dispatch() hands queued inputs to
 * idle workers; work_receive() takes the results, logs one line per file
 * and handles failures: the input goes to failed_dir with a NAME.error file
 * giving the reason, or, without failed_dir, it is remembered and skipped
 * by scans until it changes.
 *
 * Costs: every operation is O(1) in the number of inputs (hash maps and
 * ring buffers).  A scan keeps at most 256 inputs queued (8 per worker with
 * more workers): past that it lets the workers catch up first, calling
 * on_wait meanwhile (so the daemon can feed its watchdog and notice
 * signals; a non-zero return stops the scan, whose inputs a later scan will
 * find).  Memory is then about 20 bytes per input present in IN (names.h)
 * plus the queue.
 *
 * Ownership: work borrows the pool and the settings' strings; both must
 * outlive it.
 */
#ifndef CLEANER_DAEMON_WORK_H
#define CLEANER_DAEMON_WORK_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "error.h"
#include "pool.h"
#include "scan.h"

/* Looks at an input found open for writing: first after WORK_OPEN_FIRST_MS,
 * each next look waiting twice as long. */
#define WORK_OPEN_FIRST_MS    10
#define WORK_OPEN_RETRIES_MAX 8      /* 10 + 20 + ... + 1280 ms = 2.55 s */

typedef struct work_settings {
    const char   *input_dir;
    const char   *output_dir;
    const char   *failed_dir;    /* NULL: failures are remembered instead */
    output_format format;        /* decides the output extension */
    scan_exclude  exclude[3];    /* OUT, done_dir, failed_dir inside IN */
    size_t        nexclude;
    unsigned      open_retries;  /* looks again at an open input (<= MAX) */
} work_settings;

typedef struct work_counts {
    uint64_t cleaned;
    uint64_t failed;
    uint64_t up_to_date;   /* skipped by scans: output newer */
    uint64_t deferred;     /* still open for writing after their last look */
} work_counts;

typedef struct work work;

work *work_new(pool *p, const work_settings *s, cl_error *err);
void  work_free(work *w);

/* Points the borrowed folder names at new strings (after a reload). */
void  work_set_dirs(work *w, const char *input_dir, const char *output_dir,
                    const char *failed_dir);

/* Sets the function a long scan calls while it waits for workers. */
void  work_set_wait_hook(work *w, int (*on_wait)(void *ctx), void *ctx);

/* Scans IN/start ("" for all of IN).  0, or -1 with err. */
int   work_scan(work *w, const char *start, cl_error *err);

/* A file in IN was written or moved in.  0, or -1 (oom). */
int   work_add(work *w, const char *rel);

/* A file left IN (deleted or moved away). */
void  work_forget(work *w, const char *rel);

/* Queues the waiting inputs that are due, then sends queued inputs, oldest
 * first, to idle workers.  When the next one's output is being written by
 * another worker, it waits for that result. */
void  work_dispatch(work *w);

/* Milliseconds until a waiting input is due (0: now), or limit when none
 * waits for less; limit < 0 stands for no limit.  For poll() timeouts. */
int   work_wait_ms(const work *w, int limit);

/* Handles the results of the workers poll() flagged in fds[0..pool size). */
void  work_receive(work *w, const struct pollfd *fds);

/* Inputs queued or waiting for another look. */
size_t work_queued(const work *w);
size_t work_running(const work *w);
work_counts work_get_counts(const work *w);

#endif
