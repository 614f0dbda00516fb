#include "service.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "fileio.h"
#include "log.h"

/* Checks one folder, creating it when asked; errors start with the config
 * line that named it. */
static int check_folder(const config *c, config_folder f, const char *dir,
                        int create, int writable, cl_error *err)
{
    char where[4200];
    config_origin(c, f, where, sizeof where);
    cl_error cause = { "" };
    struct stat st;
    if (create && fileio_make_dirs(dir, &cause) < 0)
        return cl_fail(err, "%s%s", where, cause.msg);
    if (stat(dir, &st) < 0)
        return cl_fail(err, "%s%s: %s", where, dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cl_fail(err, "%s%s: %s", where, dir, strerror(ENOTDIR));
    if (writable && access(dir, W_OK | X_OK) < 0)
        return cl_fail(err, "%s%s: %s", where, dir, strerror(errno));
    return 0;
}

static int check_folders(const config *c, int create_input, cl_error *err)
{
    if (!c->input_dir || !c->output_dir)
        return cl_fail(err, "%s: input and output folders are needed (-i IN -o OUT, "
                       "or input_dir and output_dir)", c->path ? c->path : "command line");
    /* IN is written to only when inputs move to done_dir or failed_dir. */
    int moves = c->done_dir || c->failed_dir;
    if (check_folder(c, CONFIG_INPUT_DIR, c->input_dir, create_input, moves, err) < 0
        || check_folder(c, CONFIG_OUTPUT_DIR, c->output_dir, 1, 1, err) < 0
        || (c->done_dir && check_folder(c, CONFIG_DONE_DIR, c->done_dir, 1, 1, err) < 0)
        || (c->failed_dir && check_folder(c, CONFIG_FAILED_DIR, c->failed_dir, 1, 1, err) < 0))
        return -1;
    struct stat in, out;
    if (stat(c->input_dir, &in) == 0 && stat(c->output_dir, &out) == 0
        && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
        return cl_fail(err, "%s: the output folder must differ from the input folder",
                       c->output_dir);
    return 0;
}

static int remove_if_temp(void *ctx, const char *rel, const struct stat *st)
{
    const char *root = ctx;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    if (!S_ISREG(st->st_mode) || !fileio_is_temp(base))
        return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (unlink(path) == 0)
        log_info("%s: removed a temporary file left by an interrupted run", path);
    return 0;
}

static void set_worker_ctx(service *s)
{
    const config *c = &s->cfg;
    s->wctx = (worker_ctx){
        .cleaner = s->cleaner, .format = c->format, .explain = c->explain,
        .input_dir = c->input_dir, .output_dir = c->output_dir,
        .done_dir = c->done_dir, .max_input_bytes = c->max_input_bytes,
        .memory_bytes = c->worker_memory_bytes, .cpu_seconds = c->worker_cpu_seconds,
    };
}

static void find_exclusions(service *s)
{
    const char *dirs[] = { s->cfg.output_dir, s->cfg.done_dir, s->cfg.failed_dir };
    s->nexclude = 0;
    for (size_t i = 0; i < 3; i++)
        if (dirs[i] && scan_exclude_of(dirs[i], &s->exclude[s->nexclude]) == 0)
            s->nexclude++;
}

int service_start(service *s, config *cfg, int create_input, cl_error *err)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    memset(cfg, 0, sizeof *cfg);
    if (check_folders(&s->cfg, create_input, err) < 0)
        goto fail;
    cl_error scan_err = { "" };
    scan_visitor temp_files = { .on_file = remove_if_temp, .ctx = s->cfg.output_dir };
    if (scan_tree(s->cfg.output_dir, "", NULL, 0, SCAN_ALL_NAMES, &temp_files,
                  &scan_err) < 0)
        log_warn("%s", scan_err.msg);
    if (!(s->cleaner = engine_new(&s->cfg, err)))
        goto fail;
    set_worker_ctx(s);
    find_exclusions(s);
    if (!(s->pool = pool_new((size_t)config_jobs(&s->cfg), &s->wctx, err)))
        goto fail;
    work_settings ws = { .input_dir = s->cfg.input_dir, .output_dir = s->cfg.output_dir,
                         .failed_dir = s->cfg.failed_dir, .format = s->cfg.format,
                         .nexclude = s->nexclude,
                         .open_retries = WORK_OPEN_RETRIES_MAX };
    memcpy(ws.exclude, s->exclude, sizeof ws.exclude);
    if (!(s->work = work_new(s->pool, &ws, err)))
        goto fail;
    return 0;
fail:
    service_stop(s);
    return -1;
}

void service_stop(service *s)
{
    work_free(s->work);
    pool_free(s->pool);
    cl_cleaner_free(s->cleaner);
    config_free(&s->cfg);
    memset(s, 0, sizeof *s);
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Keeps the settings a running service cannot change, warning about them. */
static void keep_fixed_settings(const config *old, config *next)
{
    int changed = !same(old->input_dir, next->input_dir)
        || !same(old->output_dir, next->output_dir)
        || !same(old->done_dir, next->done_dir)
        || !same(old->failed_dir, next->failed_dir)
        || old->format != next->format || config_jobs(old) != config_jobs(next);
    if (!changed)
        return;
    log_warn("reload: folders, format and jobs keep their values until a restart");
    config_set_path(&next->input_dir, old->input_dir);
    config_set_path(&next->output_dir, old->output_dir);
    config_set_path(&next->done_dir, old->done_dir);
    config_set_path(&next->failed_dir, old->failed_dir);
    next->format = old->format;
    next->jobs = old->jobs;
}

int service_reload(service *s, config *next, cl_error *err)
{
    cl_cleaner *cleaner = engine_new(next, err);
    if (!cleaner) {
        config_free(next);
        return -1;
    }
    keep_fixed_settings(&s->cfg, next);
    cl_cleaner *old_cleaner = s->cleaner;
    config old_cfg = s->cfg;
    s->cfg = *next;
    memset(next, 0, sizeof *next);
    s->cleaner = cleaner;
    set_worker_ctx(s);
    pool_set_ctx(s->pool, &s->wctx);
    /* Busy workers run on their own copies made at fork(): safe to free. */
    cl_cleaner_free(old_cleaner);
    config_free(&old_cfg);
    work_set_dirs(s->work, s->cfg.input_dir, s->cfg.output_dir, s->cfg.failed_dir);
    log_set_level(s->cfg.log_level);
    return 0;
}

void service_drain(service *s)
{
    size_t n = pool_size(s->pool);
    struct pollfd *fds = calloc(n, sizeof *fds);
    if (!fds)
        return;
    for (;;) {
        work_dispatch(s->work);
        if (work_running(s->work) == 0 && work_queued(s->work) == 0)
            break;
        pool_pollfds(s->pool, fds);
        if (poll(fds, n, work_wait_ms(s->work, 1000)) < 0 && errno != EINTR)
            break;
        work_receive(s->work, fds);
        pool_kill_overdue(s->pool);
    }
    free(fds);
}
