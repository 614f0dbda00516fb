#include "service.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

static int same_folder(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0
        && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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
    if (same_folder(c->input_dir, c->output_dir))
        return cl_fail(err, "%s: the output folder must differ from the input folder",
                       c->output_dir);
    if (same_folder(c->input_dir, c->done_dir) || same_folder(c->input_dir, c->failed_dir))
        return cl_fail(err, "%s: done_dir and failed_dir must differ from the input folder",
                       c->input_dir);
    return 0;
}

static int open_folder(const char *path, cl_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        cl_fail(err, "%s: cannot open folder: %s", path, strerror(errno));
    return fd;
}

/* ---- the lock and the leftovers ---- */

/* Takes OUT's lock, or names the pid holding it. */
static int take_lock(service *s, cl_error *err)
{
    s->lock_fd = openat(s->out_fd, SERVICE_LOCK_NAME,
                        O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (s->lock_fd < 0)
        return cl_fail(err, "%s/%s: cannot open the lock: %s", s->cfg.output_dir,
                       SERVICE_LOCK_NAME, strerror(errno));
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        char pid[24] = "";
        ssize_t n = pread(s->lock_fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        return cl_fail(err, "%s: in use by another cleaner (pid %s): one daemon or "
                       "--once per output folder", s->cfg.output_dir, *pid ? pid : "?");
    }
    char pid[24];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(s->lock_fd, 0) < 0 || pwrite(s->lock_fd, pid, (size_t)n, 0) != n)
        log_warn("%s/%s: cannot write the pid: %s", s->cfg.output_dir, SERVICE_LOCK_NAME,
                 strerror(errno));
    return 0;
}

/* Removes the temporary files of writers that are gone.  Under the lock no
 * other cleaner writes here, but a live pid is left alone all the same:
 * the name says whose file it is, and only its writer may remove it. */
void service_remove_stale_temps(const service *s)
{
    cl_error err = { "" };
    scan_cursor *c = scan_open(s->out_fd, "", NULL, 0, SCAN_ALL_NAMES, &err);
    if (!c) {
        log_warn("%s: %s", s->cfg.output_dir, err.msg);
        return;
    }
    scan_entry e;
    while (scan_next(c, &e) == 1) {
        const char *base = strrchr(e.rel, '/');
        base = base ? base + 1 : e.rel;
        if (S_ISREG(e.st.st_mode) && fileio_temp_is_stale(base, &e.st)
            && fileio_unlink_at(s->out_fd, e.rel) == 0)
            log_info("%s/%s: removed a temporary file left by an interrupted run",
                     s->cfg.output_dir, e.rel);
    }
    scan_close(c);
}

/* 1 when folder dfd matches names case-insensitively, 0 when not, -1
 * when it cannot be told (no write access there: then it matters not). */
static int folds_case(int dfd)
{
    char lower[64], upper[64];
    snprintf(lower, sizeof lower, ".cleaner-case-probe-%ld", (long)getpid());
    snprintf(upper, sizeof upper, ".CLEANER-CASE-PROBE-%ld", (long)getpid());
    int fd = openat(dfd, lower, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    close(fd);
    struct stat st;
    int folds = fstatat(dfd, upper, &st, AT_SYMLINK_NOFOLLOW) == 0;
    unlinkat(dfd, lower, 0);
    return folds;
}

static int check_case(const service *s, cl_error *err)
{
    if (folds_case(s->out_fd) != 1 || folds_case(s->in_fd) == 1)
        return 0;
    return cl_fail(err, "%s: the output folder ignores case but the input folder does "
                   "not: inputs differing only in case would share an output",
                   s->cfg.output_dir);
}

/* ---- start and stop ---- */

static void set_worker_ctx(service *s)
{
    const config *c = &s->cfg;
    s->wctx = (worker_ctx){
        .cleaner = s->cleaner, .format = c->format, .explain = c->explain,
        .min_body_chars = c->min_body_chars,
        .in_fd = s->in_fd, .out_fd = s->out_fd, .done_fd = s->done_fd,
        .input_dir = c->input_dir,
        .read = { .max_bytes = c->max_input_bytes, .settle_ms = c->settle_ms },
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

static int open_folders(service *s, cl_error *err)
{
    const config *c = &s->cfg;
    if ((s->in_fd = open_folder(c->input_dir, err)) < 0
        || (s->out_fd = open_folder(c->output_dir, err)) < 0
        || (c->done_dir && (s->done_fd = open_folder(c->done_dir, err)) < 0)
        || (c->failed_dir && (s->failed_fd = open_folder(c->failed_dir, err)) < 0))
        return -1;
    return 0;
}

static int start_work(service *s, loop *l, unsigned flags, cl_error *err)
{
    int once = (flags & SERVICE_ONCE) != 0;
    work_settings ws = {
        .input_dir = s->cfg.input_dir, .in_fd = s->in_fd, .out_fd = s->out_fd,
        .failed_fd = s->failed_fd, .format = s->cfg.format, .nexclude = s->nexclude,
        .open_retries = WORK_OPEN_RETRIES_MAX,
        .env_retries = once ? 3 : WORK_ENV_RETRIES_MAX, .final_after_retries = once,
    };
    memcpy(ws.exclude, s->exclude, sizeof ws.exclude);
    if (!(s->work = work_new(l, &ws, err)))
        return -1;
    s->pool = pool_new((size_t)config_jobs(&s->cfg), &s->wctx, l, work_on_result,
                       s->work, err);
    if (!s->pool)
        return -1;
    if (work_set_pool(s->work, s->pool) < 0)
        return cl_fail(err, "out of memory");
    return 0;
}

int service_start(service *s, config *cfg, loop *l, unsigned flags, cl_error *err)
{
    memset(s, 0, sizeof *s);
    s->in_fd = s->out_fd = s->done_fd = s->failed_fd = s->lock_fd = -1;
    s->cfg = *cfg;
    memset(cfg, 0, sizeof *cfg);
    if (check_folders(&s->cfg, (flags & SERVICE_CREATE_INPUT) != 0, err) < 0
        || open_folders(s, err) < 0 || take_lock(s, err) < 0 || check_case(s, err) < 0)
        goto fail;
    service_remove_stale_temps(s);
    if (!(s->cleaner = engine_new(&s->cfg, err)))
        goto fail;
    set_worker_ctx(s);
    find_exclusions(s);
    if (start_work(s, l, flags, err) < 0)
        goto fail;
    return 0;
fail:
    service_stop(s);
    return -1;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void service_stop(service *s)
{
    work_free(s->work);
    pool_free(s->pool);
    /* Every worker is reaped now: what a dead writer left goes before the
     * lock does. */
    if (s->lock_fd >= 0)
        service_remove_stale_temps(s);
    cl_cleaner_free(s->cleaner);
    config_free(&s->cfg);
    close_fd(&s->in_fd);
    close_fd(&s->out_fd);
    close_fd(&s->done_fd);
    close_fd(&s->failed_fd);
    close_fd(&s->lock_fd);     /* releases the lock: the very last step */
    memset(s, 0, sizeof *s);
    s->in_fd = s->out_fd = s->done_fd = s->failed_fd = s->lock_fd = -1;
}

int service_reopen_input(service *s)
{
    int fd = open(s->cfg.input_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    work_set_input(s->work, s->cfg.input_dir, fd);
    close_fd(&s->in_fd);
    s->in_fd = fd;
    set_worker_ctx(s);
    pool_set_ctx(s->pool, &s->wctx);
    find_exclusions(s);
    return 0;
}

/* ---- reload ---- */

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
    work_set_input(s->work, s->cfg.input_dir, s->in_fd);
    config_free(&old_cfg);
    log_set_level(s->cfg.log_level);
    return 0;
}
