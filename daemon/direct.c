#include "direct.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "fileio.h"
#include "log.h"
#include "loop.h"
#include "pool.h"
#include "settings.h"
#include "worker.h"

enum { FILE_PENDING = 0, FILE_RUNNING, FILE_CLEANED, FILE_FAILED };

typedef struct direct_file {
    int state;
    int out_fd;     /* the cleaned output, until printed */
} direct_file;

typedef struct direct {
    const cli_args *args;
    loop           *loop;
    pool           *pool;
    direct_file    *files;
    size_t         *slot_file;     /* per worker slot: the file it cleans */
    size_t          next_submit;
    size_t          next_print;
    int             failed;
    int             no_article;    /* some file had none: exit 3 */
    int             write_failed;
} direct;

static const char *display(const char *name)
{
    return strcmp(name, "-") == 0 ? "<stdin>" : name;
}

/* Copies an output to standard output. 0, or -1 (errno). */
static int print_output(int fd)
{
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (int)n;
        if (fileio_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
            return -1;
    }
}

/* Prints the finished files that are next in argument order. */
static void print_ready(direct *d)
{
    while (d->next_print < d->args->nfiles && d->files[d->next_print].state >= FILE_CLEANED) {
        direct_file *f = &d->files[d->next_print];
        if (f->state == FILE_CLEANED && !d->write_failed && print_output(f->out_fd) < 0) {
            log_error("cannot write to standard output: %s", strerror(errno));
            d->write_failed = 1;
        }
        if (f->out_fd >= 0)
            close(f->out_fd);
        f->out_fd = -1;
        d->next_print++;
    }
}

static void on_result(void *ctx, size_t slot, const worker_result *r, int out_fd)
{
    direct *d = ctx;
    size_t i = d->slot_file[slot];
    direct_file *f = &d->files[i];
    if ((r->status == WORKER_OK || r->status == WORKER_NO_ARTICLE) && out_fd >= 0) {
        f->state = FILE_CLEANED;
        f->out_fd = out_fd;     /* for no article: its JSON, or empty text */
        if (r->status == WORKER_NO_ARTICLE) {
            log_warn("%s: %s", display(d->args->files[i]), r->reason);
            d->no_article = 1;
        }
        return;
    }
    if (out_fd >= 0)
        close(out_fd);
    log_error("%s: %s", display(d->args->files[i]), r->reason[0] ? r->reason : "failed");
    f->state = FILE_FAILED;
    d->failed = 1;
}

/* Fails the files no worker can take: none could be started. */
static void fail_rest(direct *d, const char *why)
{
    for (size_t i = d->next_submit; i < d->args->nfiles; i++) {
        log_error("%s: %s", display(d->args->files[i]), why);
        d->files[i].state = FILE_FAILED;
    }
    d->next_submit = d->args->nfiles;
    d->failed = 1;
}

static void submit_more(direct *d)
{
    size_t ahead = DIRECT_AHEAD * pool_size(d->pool);
    while (d->next_submit < d->args->nfiles && d->next_submit < d->next_print + ahead) {
        long slot = pool_idle_slot(d->pool);
        if (slot < 0) {
            if (pool_busy(d->pool) == 0)
                fail_rest(d, "no worker process could be started");
            return;
        }
        size_t i = d->next_submit;
        cl_error err = { "" };
        if (pool_submit(d->pool, (size_t)slot, i + 1, d->args->files[i], "", &err) < 0) {
            log_error("%s: %s", display(d->args->files[i]), err.msg);
            d->files[i].state = FILE_FAILED;
            d->failed = 1;
        } else {
            d->files[i].state = FILE_RUNNING;
            d->slot_file[slot] = i;
        }
        d->next_submit++;
    }
}

static void before_sleep(void *ctx)
{
    direct *d = ctx;
    print_ready(d);
    submit_more(d);
    print_ready(d);
    if (d->next_print == d->args->nfiles)
        loop_stop(d->loop);
}

/* Workers for n files: never more than there are files. */
static size_t workers_for(const config *cfg, size_t nfiles)
{
    size_t jobs = (size_t)config_jobs(cfg);
    return nfiles < jobs ? (nfiles ? nfiles : 1) : jobs;
}

static int run_files(direct *d, const config *cfg, const cl_cleaner *c)
{
    worker_ctx ctx = {
        .cleaner = c, .format = cfg->format, .explain = cfg->explain,
        .min_body_chars = cfg->min_body_chars, .url = d->args->url,
        .in_fd = -1, .out_fd = -1, .done_fd = -1,
        .read = { .max_bytes = cfg->max_input_bytes },
        .memory_bytes = cfg->worker_memory_bytes, .cpu_seconds = cfg->worker_cpu_seconds,
    };
    cl_error err = { "" };
    size_t n = workers_for(cfg, d->args->nfiles);
    d->files = calloc(d->args->nfiles ? d->args->nfiles : 1, sizeof *d->files);
    d->slot_file = calloc(n, sizeof *d->slot_file);
    d->loop = loop_new();
    if (!d->files || !d->slot_file || !d->loop) {
        log_error("out of memory");
        return -1;
    }
    for (size_t i = 0; i < d->args->nfiles; i++)
        d->files[i].out_fd = -1;
    if (!(d->pool = pool_new(n, &ctx, d->loop, on_result, d, &err))) {
        log_error("%s", err.msg);
        return -1;
    }
    loop_set_before_sleep(d->loop, before_sleep, d);
    fflush(stdout);
    int rc = loop_run(d->loop);
    if (rc < 0)
        log_error("poll: %s", strerror(errno));
    pool_free(d->pool);
    return rc;
}

int direct_run(const char *config_path, const cli_args *a)
{
    config cfg;
    cl_cleaner *c;
    if (engine_setup(config_path, a, &cfg, &c) != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    direct d = { .args = a };
    int rc = run_files(&d, &cfg, c);
    for (size_t i = 0; d.files && i < a->nfiles; i++)
        if (d.files[i].out_fd >= 0)
            close(d.files[i].out_fd);
    free(d.files);
    free(d.slot_file);
    loop_free(d.loop);
    cl_cleaner_free(c);
    config_free(&cfg);
    if (rc < 0 || d.failed || d.write_failed)
        return 1;
    return d.no_article ? 3 : 0;
}
