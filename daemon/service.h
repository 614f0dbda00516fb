/*
 * service.h - what --once and the daemon share: checked folders, the
 * cleaner built from the config, the worker pool and the work queue.
 *
 * service_start() takes over the config (and frees it on failure), checks
 * the folders (IN must exist, or is created when `create_input`; OUT,
 * done_dir and failed_dir are created; IN and OUT must differ), removes
 * temporary files a crash left in OUT, builds the cleaner and forks the
 * workers.  service_reload() swaps in a new config and cleaner for workers
 * started from then on; settings that shape the folders or the queue
 * (input_dir, output_dir, done_dir, failed_dir, format, jobs) need a restart
 * and are kept.
 *
 * Errors from start and reload are config errors: err names the file or
 * folder and the cause.
 */
#ifndef CLEANER_DAEMON_SERVICE_H
#define CLEANER_DAEMON_SERVICE_H

#include "cleaner.h"
#include "config.h"
#include "error.h"
#include "pool.h"
#include "scan.h"
#include "work.h"
#include "worker.h"

typedef struct service {
    config        cfg;
    cl_cleaner   *cleaner;
    worker_ctx    wctx;
    pool         *pool;
    work         *work;
    scan_exclude  exclude[3];
    size_t        nexclude;
} service;

int  service_start(service *s, config *cfg, int create_input, cl_error *err);
void service_stop(service *s);

/* Takes over *next (freed on failure, when the old config stays). */
int  service_reload(service *s, config *next, cl_error *err);

/* Dispatches, polls the workers and handles results until nothing is
 * queued, waiting for another look or running. */
void service_drain(service *s);

#endif
