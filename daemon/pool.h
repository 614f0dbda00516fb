/*
 * pool.h - a fixed set of forked workers fed over socket pairs.
 *
 * Each worker (worker.h) is a long-lived child with one SOCK_SEQPACKET
 * socket: the parent sends one job at a time and gets one worker_result
 * back, so the cost of fork() is paid once per worker, not per file.  The
 * parent polls the sockets with its other descriptors (pool_pollfds), then
 * calls pool_receive() on the ready ones.
 *
 * A worker that dies (crash, SIGXCPU, out of memory) shows up as end of file
 * on its socket: the pool reaps it, returns a WORKER_CRASHED result for the
 * job it held, with the signal or exit status as the reason, and forks a
 * replacement.  pool_set_ctx() (config reload) replaces idle workers at once
 * and busy ones when they finish, so in-flight files complete under the
 * config they started with.
 *
 * Ownership: the pool borrows the worker_ctx (it must outlive the pool or
 * the next pool_set_ctx); pool_free() closes the sockets and waits for the
 * workers, which finish their current file first.
 */
#ifndef CLEANER_DAEMON_POOL_H
#define CLEANER_DAEMON_POOL_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"
#include "worker.h"

typedef struct pool pool;

pool  *pool_new(size_t nworkers, const worker_ctx *ctx, cl_error *err);
void   pool_free(pool *p);

size_t pool_size(const pool *p);
size_t pool_busy(const pool *p);

/* Index of an idle worker (forking replacements as needed), or -1 when
 * all are busy or none could be started. */
long   pool_idle_slot(pool *p);

/* Sends a job to idle worker `slot`.  0, or -1 with err (the job was not
 * taken; the worker is replaced if it died). */
int    pool_submit(pool *p, size_t slot, uint64_t id, const char *in_rel,
                   const char *out_rel, cl_error *err);

/* Fills fds[0..pool_size) with the workers' sockets, in slot order. */
void   pool_pollfds(const pool *p, struct pollfd *fds);

/* Reads worker `slot`'s reply after poll() flagged it.  1 with *r filled,
 * or 0 when there was nothing to read. */
int    pool_receive(pool *p, size_t slot, worker_result *r);

/* Kills workers whose job has run longer than twice worker_cpu_seconds
 * plus 5 s of wall-clock time (stopped or blocked); their jobs then fail
 * with that reason.  Call about once a second. */
void   pool_kill_overdue(pool *p);

/* Process id of worker `slot` (0 when none runs), for diagnostics. */
pid_t  pool_worker_pid(const pool *p, size_t slot);

/* New context for workers started from now on (see above). */
void   pool_set_ctx(pool *p, const worker_ctx *ctx);

#endif
