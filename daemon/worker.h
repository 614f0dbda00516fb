/*
 * worker.h - the process that cleans files, one at a time, for the pool.
 *
 * A worker is forked by the pool (pool.h) and loops: receive a job (an input
 * path relative to IN and an output path relative to OUT) on its socket,
 * read the input safely (fileio.h), clean and render it (engine.h), write the
 * output atomically, optionally move the input to done_dir, and send back a
 * worker_result.  The parent never reads file contents.  A document with no
 * article (status.h) is WORKER_NO_ARTICLE: in JSON its output is written all
 * the same; in text it has none, and an output left by an earlier version of
 * the input is removed, so OUT never holds an article its input lost.  The
 * input goes to done_dir either way: it was handled.
 *
 * Limits: at start the worker sets RLIMIT_AS (worker_memory; skipped under
 * AddressSanitizer, whose shadow memory needs a huge address space) and no
 * core dumps; before each job it sets RLIMIT_CPU to the CPU time used so far
 * plus worker_cpu_seconds, so the limit is per file although the process
 * lives on.  A runaway is killed by SIGXCPU, a crash by its signal: the pool
 * turns either into a failure of that one file.
 *
 * A worker ignores SIGTERM, SIGINT and SIGHUP (systemd signals the whole
 * cgroup): it finishes its file and exits when the parent closes the
 * socket, or at once if the parent dies (PR_SET_PDEATHSIG).
 */
#ifndef CLEANER_DAEMON_WORKER_H
#define CLEANER_DAEMON_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include "cleaner.h"
#include "config.h"
#include "error.h"
#include "fileio.h"

typedef struct worker_ctx {
    const cl_cleaner *cleaner;
    output_format     format;
    int               explain;
    size_t            min_body_chars;  /* a shorter body is no article */
    const char       *url;             /* file mode: --url of the one file */
    int               in_fd;           /* IN, OUT, done_dir: folders opened */
    int               out_fd;          /* once (fileio.h); done_fd -1: none */
    int               done_fd;
    const char       *input_dir;       /* their names, for messages only */
    fileio_read_opts  read;            /* max_bytes, settle_ms */
    size_t            memory_bytes;    /* 0: no limit */
    unsigned          cpu_seconds;     /* 0: no limit */
} worker_ctx;

/*
 * How a job ended.  FAILED is final: the input itself is bad (binary, too
 * large, not a regular file, refused by the cleaner) and stays failed
 * until it changes.  RETRY is the environment's fault (no space, no
 * permission, a read-only or failing disk): the same input is tried again
 * later and never quarantined.  CRASHED, set by the pool, is either: the
 * work queue retries a crash a few times before it calls it final.
 */
typedef enum worker_status {
    WORKER_OK = 0,
    WORKER_FAILED,    /* a bad input: reason says why */
    WORKER_GONE,      /* the input vanished before it was opened */
    WORKER_WRITING,   /* still being written: look again later */
    WORKER_RETRY,     /* the environment failed: reason says how */
    WORKER_CRASHED,   /* set by the pool: the worker died on this file */
    WORKER_TOO_COSTLY,/* set by the pool: CPU or time limit on this file */
    WORKER_NO_ARTICLE,/* cleaned, but the body is under min_body_chars */
} worker_status;

/* Sent back for every job; `reason` is the failure's cause, for
 * WORKER_NO_ARTICLE how short the body is, and for WORKER_OK a warning
 * (done_dir move failed) or "".  A done_dir warning follows the no-article
 * cause after "; ". */
typedef struct worker_result {
    uint64_t id;
    int32_t  status;
    uint32_t ms;
    uint64_t bytes_in;
    uint64_t bytes_out;
    uint32_t blocks;
    uint32_t blocks_dropped;
    char     reason[CL_ERROR_MAX];
} worker_result;

/* Largest job message: an id and two NUL-terminated paths of less than
 * PATH_MAX bytes each (names_output() guarantees it). */
#define WORKER_MAX_JOB (8 + 2 * 4096)

/* Cleans IN/in_rel into OUT/out_rel in this process; fills r (not r->id). */
void worker_process(const worker_ctx *ctx, const char *in_rel,
                    const char *out_rel, worker_result *r);

/*
 * File mode (direct.h): cleans `path`, as named on the command line ("-"
 * for standard input), and leaves the rendered output in a new memory
 * file, *out_fd (-1 on failure; the caller closes it).  Explanations go to
 * standard error.
 */
void worker_process_direct(const worker_ctx *ctx, const char *path,
                           worker_result *r, int *out_fd);

/* Encodes a job into buf (WORKER_MAX_JOB bytes); its length, or 0 if too
 * long.  An empty out_rel asks for file mode: the output comes back as a
 * descriptor passed with the result. */
size_t worker_encode_job(char *buf, uint64_t id, const char *in_rel,
                         const char *out_rel);

/* No core dumps, and RLIMIT_AS at memory_bytes (0: none; skipped under
 * AddressSanitizer).  For any process that cleans untrusted input. */
void worker_set_process_limits(size_t memory_bytes);

/* The child's main loop on socket `sock`; never returns. */
void worker_run(int sock, const worker_ctx *ctx) __attribute__((noreturn));

#endif
