/*
 * work.h - the work queue: which inputs to clean, in what order, by whom,
 * and what to do when a job fails.
 *
 * Inputs (paths relative to IN) enter from a scan (work_scan: incremental,
 * like make, an input whose output is at least as new is skipped) or from
 * the watcher (work_add: the file changed, so it is cleaned whatever the
 * output's age).  Each input is queued once; an input that changes, or
 * that a scan finds, while a worker has it is cleaned again after that
 * worker is done, so the last version always wins.  Outputs are named by
 * names_output(), one-to-one, so no two workers ever write one output.
 *
 * Scans run in bounded steps: work_step(), called from the event loop's
 * before-sleep hook, takes at most WORK_SCAN_STEP entries of the scan and
 * stops while the queue holds queue_high() inputs, so a scan of any size
 * holds little memory and never keeps the loop from signals, events and
 * results.  work_step() also queues the waiting inputs that came due and
 * hands queued inputs to idle workers, oldest first.
 *
 * Failures are classed by the worker (worker.h):
 *  - a bad input (FAILED, TOO_COSTLY, an output name that cannot exist) is
 *    final: logged once, moved to failed_dir with a NAME.error file giving
 *    the reason, or, without failed_dir, remembered and skipped by scans
 *    until the file changes;
 *  - an environment failure (RETRY) is looked at again after 0.5, 1, 2 ...
 *    30 s, env_retries times; after that the daemon leaves it to its next
 *    periodic rescan (it is not remembered as failed), and --once counts it
 *    failed.  Nothing is quarantined for an environment failure;
 *  - a crashed worker (CRASHED) is retried like the environment, but a
 *    third crash on the same input is final;
 *  - an input still being written (WRITING) is looked at again after 10,
 *    20 ... 1280 ms, open_retries times, then left for its close event.
 *
 * An input with no article (NO_ARTICLE) is no failure: it is counted
 * apart and logged as a warning, with the cause.  In JSON it has its output
 * like any other; in text it has none, so it is remembered as a failure
 * is, and skipped by scans until it changes.
 *
 * Costs: every operation is O(1) in the number of inputs (hash maps and
 * ring buffers, one ring per delay, so each ring stays in due order).
 *
 * Ownership: work borrows the loop, the pool and the settings' strings and
 * descriptors; all must outlive it.
 */
#ifndef CLEANER_DAEMON_WORK_H
#define CLEANER_DAEMON_WORK_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "error.h"
#include "loop.h"
#include "pool.h"
#include "scan.h"

#define WORK_OPEN_RETRIES_MAX 8      /* 10 + 20 + ... + 1280 ms = 2.55 s */
#define WORK_ENV_RETRIES_MAX  7      /* 0.5 + 1 + ... + 16 + 30 s = 61.5 s */
#define WORK_CRASHES_MAX      3      /* the third crash on an input is final */

/* Entries a step takes from a running scan: a few milliseconds of lstat. */
#define WORK_SCAN_STEP 256

typedef struct work_settings {
    const char   *input_dir;     /* for messages */
    int           in_fd;         /* IN, OUT, failed_dir (-1: none): opened */
    int           out_fd;        /* once, all paths resolved beneath them */
    int           failed_fd;
    output_format format;        /* decides the output extension */
    scan_exclude  exclude[3];    /* OUT, done_dir, failed_dir inside IN */
    size_t        nexclude;
    unsigned      open_retries;  /* looks again at an open input (<= MAX) */
    unsigned      env_retries;   /* tries again after an environment failure */
    int           final_after_retries;  /* --once: then count it failed */
} work_settings;

typedef struct work_counts {
    uint64_t cleaned;      /* with an article */
    uint64_t no_article;   /* cleaned, but under min_body_chars (worker.h) */
    uint64_t failed;
    uint64_t up_to_date;   /* skipped by scans: output newer */
    uint64_t deferred;     /* still open for writing after their last look */
    uint64_t retry_later;  /* environment failures left to the next rescan */
} work_counts;

typedef struct work work;

work *work_new(loop *l, const work_settings *s, cl_error *err);
void  work_free(work *w);

/* The pool whose results come to work_on_result(); set once, after
 * pool_new(..., work_on_result, w).  0, or -1 (oom). */
int   work_set_pool(work *w, pool *p);
void  work_on_result(void *w, size_t slot, const worker_result *r, int out_fd);

/* Points the borrowed folder names at new strings (after a reload). */
void  work_set_input(work *w, const char *input_dir, int in_fd);

/* Asks for a scan of IN/start ("" for all of IN), run by work_step().
 * 0, or -1 (oom). */
int   work_scan(work *w, const char *start);

/* A file in IN was written or moved in.  0, or -1 (oom). */
int   work_add(work *w, const char *rel);

/* A file left IN (deleted or moved away). */
void  work_forget(work *w, const char *rel);

/* One step: due inputs queued, a bounded part of the scan, dispatch. */
void  work_step(work *w);

/* 1 when nothing is queued, waiting, running or left to scan. */
int   work_idle(const work *w);

size_t work_queued(const work *w);
size_t work_running(const work *w);
work_counts work_get_counts(const work *w);

#endif
