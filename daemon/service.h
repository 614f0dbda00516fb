/*
 * service.h - what --once and the daemon share: checked folders opened
 * once, the lock on OUT, the cleaner built from the config, the worker pool
 * and the work queue, all on one event loop.
 *
 * service_start() takes over the config (and frees it on failure), checks
 * the folders (IN must exist, or is created with SERVICE_CREATE_INPUT; OUT,
 * done_dir and failed_dir are created; IN differs from OUT and from
 * done_dir), opens each as a folder descriptor that every later path is
 * resolved beneath (fileio.h), and takes an exclusive lock on
 * OUT/.cleaner.lock: one daemon or --once per output folder, a second one
 * is refused with the first one's pid.  Under the lock it removes the
 * temporary files whose writer is dead.  A case-insensitive OUT fed by a
 * case-sensitive IN is refused (names.h).  Then it builds the cleaner and
 * forks the workers.
 *
 * service_reload() swaps in a new config and cleaner for workers started
 * from then on; settings that shape the folders or the queue (input_dir,
 * output_dir, done_dir, failed_dir, format, jobs) need a restart and are
 * kept.  service_reopen_input() opens IN again after it was deleted or
 * moved away and came back; a symlink in its place is not followed.
 *
 * Errors from start and reload are config errors: err names the file or
 * folder and the cause.
 */
#ifndef CLEANER_DAEMON_SERVICE_H
#define CLEANER_DAEMON_SERVICE_H

#include "cleaner.h"
#include "config.h"
#include "error.h"
#include "loop.h"
#include "pool.h"
#include "scan.h"
#include "work.h"
#include "worker.h"

enum {
    SERVICE_CREATE_INPUT = 1,   /* the daemon: make IN when missing */
    SERVICE_ONCE = 2,           /* --once: retries end, then it fails */
};

#define SERVICE_LOCK_NAME ".cleaner.lock"

typedef struct service {
    config        cfg;
    cl_cleaner   *cleaner;
    worker_ctx    wctx;
    pool         *pool;
    work         *work;
    scan_exclude  exclude[3];
    size_t        nexclude;
    int           in_fd, out_fd, done_fd, failed_fd, lock_fd;
} service;

int  service_start(service *s, config *cfg, loop *l, unsigned flags, cl_error *err);
void service_stop(service *s);

/* Takes over *next (freed on failure, when the old config stays). */
int  service_reload(service *s, config *next, cl_error *err);

/* Removes the temporary files in OUT whose writer's pid is gone.  At
 * start the workers of a daemon killed with -9 may still be dying (their
 * PR_SET_PDEATHSIG is not instant), so the daemon calls it again shortly
 * after, at every rescan, and service_stop() once its workers are reaped. */
void service_remove_stale_temps(const service *s);

/* Opens IN again (it was deleted or moved and is back).  0, or -1 with
 * errno when it is not there (yet). */
int  service_reopen_input(service *s);

#endif
