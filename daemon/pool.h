/*
 * pool.h - a fixed set of forked workers fed over socket pairs, on the
 * daemon's event loop.
 *
 * Each worker (worker.h) is a long-lived child with one SOCK_SEQPACKET
 * socket: the parent sends one job at a time and gets one worker_result
 * back, so the cost of fork() is paid once per worker, not per file.  The
 * pool registers each worker's socket with the loop and hands every result
 * to the on_result callback given at creation, with the worker's slot.
 *
 * A worker that dies (crash, SIGXCPU, out of memory, killed) shows up as
 * end of file on its socket: the pool reaps it, reports WORKER_CRASHED (or
 * WORKER_TOO_COSTLY for the CPU and wall-clock limits) for the job it
 * held, with the signal or exit status as the reason, and forks a
 * replacement when next asked for an idle worker.  A job running longer
 * than twice worker_cpu_seconds plus 5 s of wall-clock time (a stopped or
 * blocked worker) is killed by the pool's own timer.  pool_set_ctx()
 * (config reload, IN re-opened) replaces idle workers at once and busy ones
 * when they finish, so in-flight files complete under the config they
 * started with.
 *
 * The folders of the worker_ctx (in_fd, out_fd, done_fd) are handed to
 * each child as its descriptors 4, 5 and 6; every other descriptor but the
 * standard ones and its socket (3) is closed in the child.
 *
 * Ownership: the pool borrows the loop and the worker_ctx (both must
 * outlive it, or the ctx the next pool_set_ctx); pool_free() closes the
 * sockets and waits for the workers, which finish their current file first.
 */
#ifndef CLEANER_DAEMON_POOL_H
#define CLEANER_DAEMON_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "loop.h"
#include "worker.h"

typedef struct pool pool;

/* A job's result; out_fd is the output of a file-mode job (the callee
 * owns and closes it), -1 for every other. */
typedef void (*pool_result_fn)(void *ctx, size_t slot, const worker_result *r,
                               int out_fd);

pool  *pool_new(size_t nworkers, const worker_ctx *ctx, loop *l,
                pool_result_fn on_result, void *result_ctx, cl_error *err);
void   pool_free(pool *p);

size_t pool_size(const pool *p);
size_t pool_busy(const pool *p);

/* Index of an idle worker (forking replacements as needed), or -1 when
 * all are busy or none could be started. */
long   pool_idle_slot(pool *p);

/* Sends a job to idle worker `slot`.  0, or -1 with err (the job was not
 * taken; the worker is replaced when next asked for). */
int    pool_submit(pool *p, size_t slot, uint64_t id, const char *in_rel,
                   const char *out_rel, cl_error *err);

/* Process id of worker `slot` (0 when none runs), for diagnostics. */
pid_t  pool_worker_pid(const pool *p, size_t slot);

/* New context for workers started from now on (see above). */
void   pool_set_ctx(pool *p, const worker_ctx *ctx);

#endif
