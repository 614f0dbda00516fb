#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "notify.h"
#include "service.h"
#include "settings.h"
#include "watcher.h"

/* How often the tick runs: STATUS=, the watchdog, a lost IN looked for. */
#define DAEMON_TICK_MS 1000
/* When the leftovers of a killed predecessor's dying workers are looked
 * for again after the start. */
#define DAEMON_TEMPS_AGAIN_MS 2000

typedef struct daemon_state {
    loop          *loop;
    service        s;
    watcher       *watcher;       /* NULL: --once, or IN is lost */
    const char    *config_path;
    const cli_args *args;
    int            once;
    int            sigfd;
    int            stopping;
    int            interrupted;   /* --once stopped by a signal */
    int            reload_requested;
    int            in_lost;
    int            in_link_logged;
    int            exit_code;     /* the daemon's, when it stops itself */
    uint64_t       watchdog_ms;   /* 0: no watchdog */
    uint64_t       next_watchdog;
    loop_timer     tick;
    loop_timer     rescan;
    loop_timer     temps;
    work_counts    last_counts;
    size_t         last_queued;
} daemon_state;

static int start(daemon_state *d, int create_input)
{
    config cfg;
    cl_error err = { "" };
    if (settings_load(&cfg, d->config_path, d->args, &err) < 0) {
        log_error("%s", err.msg);
        return -1;
    }
    log_set_level(cfg.log_level);
    unsigned flags = (create_input ? SERVICE_CREATE_INPUT : 0) | (d->once ? SERVICE_ONCE : 0);
    if (service_start(&d->s, &cfg, d->loop, flags, &err) < 0) {
        log_error("%s", err.msg);
        return -1;
    }
    return 0;
}

static void report_status(daemon_state *d, int force)
{
    work_counts n = work_get_counts(d->s.work);
    size_t queued = work_queued(d->s.work) + work_running(d->s.work);
    if (!force && n.cleaned == d->last_counts.cleaned && n.failed == d->last_counts.failed
        && n.no_article == d->last_counts.no_article && queued == d->last_queued)
        return;
    d->last_counts = n;
    d->last_queued = queued;
    /* New counts go last: readers of the older line keep working. */
    notify_status("%s%llu cleaned, %llu failed, %zu pending, %llu no article",
                  d->stopping ? "stopping: " : d->in_lost ? "input folder lost: " : "",
                  (unsigned long long)n.cleaned, (unsigned long long)n.failed, queued,
                  (unsigned long long)n.no_article);
}

/* ---- signals ---- */

static void reload(daemon_state *d)
{
    notify_reloading();
    config next;
    cl_error err = { "" };
    if (settings_load(&next, d->config_path, d->args, &err) < 0
        || service_reload(&d->s, &next, &err) < 0)
        log_error("reload failed, keeping the old config: %s", err.msg);
    else
        log_info("reloaded %s", d->config_path ? d->config_path : "the built-in config");
    notify_ready();
}

/* Only records what was asked: the before-sleep step acts on it. */
static void on_signals(void *ctx, int fd, short revents)
{
    (void)revents;
    daemon_state *d = ctx;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP && !d->once) {
            d->reload_requested = 1;
            continue;
        }
        if (!d->stopping)
            log_info("stopping: finishing %zu files in progress",
                     work_running(d->s.work));
        d->stopping = 1;
        d->interrupted = 1;
        notify_stopping();
    }
}

static int open_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* ---- the watcher ---- */

static void on_watch_events(void *ctx, int fd, short revents);

static void scan_or_log(daemon_state *d, const char *rel)
{
    if (work_scan(d->s.work, rel) < 0)
        log_error("%s/%s: out of memory, not scanned", d->s.cfg.input_dir, rel);
}

static int watch_input(daemon_state *d, cl_error *err)
{
    d->watcher = watcher_new(d->s.cfg.input_dir, d->s.exclude, d->s.nexclude, err);
    if (!d->watcher)
        return -1;
    if (loop_add_fd(d->loop, watcher_fd(d->watcher), on_watch_events, d) < 0) {
        watcher_free(d->watcher);
        d->watcher = NULL;
        return cl_fail(err, "too many descriptors for the event loop");
    }
    return 0;
}

static void unwatch_input(daemon_state *d)
{
    if (!d->watcher)
        return;
    loop_del_fd(d->loop, watcher_fd(d->watcher));
    watcher_free(d->watcher);
    d->watcher = NULL;
}

/* IN was deleted or moved away: every watch names the old folder, so all
 * go at once, before another event can be read against the wrong folder. */
static void on_input_lost(daemon_state *d)
{
    log_error("%s: the input folder was deleted or moved away; it is watched "
              "again as soon as it exists", d->s.cfg.input_dir);
    unwatch_input(d);
    d->in_lost = 1;
    report_status(d, 1);
}

/*
 * 1 when the path of IN no longer names the folder opened at start.  A
 * rename sends IN_MOVE_SELF at once, but a deletion sends IN_DELETE_SELF
 * only when the last descriptor of the folder closes, and the daemon holds
 * one: so the tick also compares the path with the descriptor.
 */
static int input_replaced(const daemon_state *d)
{
    struct stat path, held;
    if (fstat(d->s.in_fd, &held) < 0 || stat(d->s.cfg.input_dir, &path) < 0)
        return 1;
    return path.st_dev != held.st_dev || path.st_ino != held.st_ino || held.st_nlink == 0;
}

/* OUT deleted: its descriptor names a folder nothing can be written into
 * and no path reaches.  Unlike IN it is not waited for: the daemon stops
 * with an error, so that systemd restarts it on a folder it can use (and
 * the restart's scan finds every input left). */
static void check_output(daemon_state *d)
{
    struct stat st;
    if (d->stopping || fstat(d->s.out_fd, &st) < 0 || st.st_nlink > 0)
        return;
    log_error("%s: the output folder was deleted; stopping so that a restart "
              "can create it", d->s.cfg.output_dir);
    d->stopping = 1;
    d->exit_code = 1;
    notify_stopping();
}

/* IN is back when its path names a real folder again.  A symlink put in
 * its place is not followed: a link to /etc must not become the input. */
static void look_for_input(daemon_state *d)
{
    struct stat st;
    if (lstat(d->s.cfg.input_dir, &st) < 0)
        return;
    if (S_ISLNK(st.st_mode)) {
        if (!d->in_link_logged)
            log_error("%s: the input folder was replaced by a symbolic link, which is "
                      "not followed; waiting for a real folder", d->s.cfg.input_dir);
        d->in_link_logged = 1;
        return;
    }
    if (!S_ISDIR(st.st_mode) || service_reopen_input(&d->s) < 0)
        return;
    d->in_link_logged = 0;
    cl_error err = { "" };
    if (watch_input(d, &err) < 0) {
        log_error("%s", err.msg);
        return;
    }
    d->in_lost = 0;
    log_info("%s: the input folder is back: watching and scanning it",
             d->s.cfg.input_dir);
    scan_or_log(d, "");
}

/* A FIFO, socket or symlink, or a new hard link to a complete file, gets
 * no close-after-write event: it is looked at now. */
static void on_created(daemon_state *d, const char *rel)
{
    struct stat st;
    if (fstatat(d->s.in_fd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
        return;
    if (!S_ISREG(st.st_mode) || st.st_nlink > 1)
        work_add(d->s.work, rel);
}

static void on_overflow(daemon_state *d)
{
    log_warn("inotify queue overflow: rescanning %s", d->s.cfg.input_dir);
    watcher_add_tree(d->watcher, "");
    scan_or_log(d, "");
}

static void on_watch_events(void *ctx, int fd, short revents)
{
    (void)fd;
    (void)revents;
    daemon_state *d = ctx;
    watcher_event ev;
    int rc = 0;
    while (d->watcher && (rc = watcher_next(d->watcher, &ev)) == 1) {
        switch (ev.kind) {
        case WATCHER_FILE_READY:
            if (work_add(d->s.work, ev.rel) < 0)
                log_error("%s/%s: out of memory, not queued", d->s.cfg.input_dir, ev.rel);
            break;
        case WATCHER_FILE_CREATED: on_created(d, ev.rel); break;
        case WATCHER_FILE_GONE:    work_forget(d->s.work, ev.rel); break;
        case WATCHER_DIR_NEW:
            if (watcher_add_tree(d->watcher, ev.rel) == 1)
                scan_or_log(d, ev.rel);
            break;
        case WATCHER_OVERFLOW:     on_overflow(d); break;
        case WATCHER_ROOT_LOST:    on_input_lost(d); return;
        }
    }
    if (d->watcher && rc < 0) {
        log_error("reading inotify events: %s; rescanning", strerror(errno));
        scan_or_log(d, "");
    }
}

/* ---- timers and the before-sleep step ---- */

static void on_tick(void *ctx)
{
    daemon_state *d = ctx;
    uint64_t now = loop_now_ms();
    if (d->watchdog_ms && now >= d->next_watchdog) {
        notify_watchdog();
        d->next_watchdog = now + d->watchdog_ms;
    }
    if (!d->in_lost && !d->once && input_replaced(d))
        on_input_lost(d);
    if (!d->once)
        check_output(d);
    if (d->in_lost && !d->stopping)
        look_for_input(d);
    report_status(d, 0);
    uint64_t next = DAEMON_TICK_MS;
    if (d->watchdog_ms && d->watchdog_ms < next)
        next = d->watchdog_ms;
    loop_timer_arm(&d->tick, next);
}

static void on_temps(void *ctx)
{
    service_remove_stale_temps(&((daemon_state *)ctx)->s);
}

static void on_rescan(void *ctx)
{
    daemon_state *d = ctx;
    service_remove_stale_temps(&d->s);
    if (d->watcher)
        watcher_retry(d->watcher);
    if (!d->in_lost)
        scan_or_log(d, "");
    loop_timer_arm(&d->rescan, (uint64_t)d->s.cfg.rescan_interval * 1000u);
}

static void before_sleep(void *ctx)
{
    daemon_state *d = ctx;
    if (d->reload_requested) {
        d->reload_requested = 0;
        reload(d);
    }
    if (!d->stopping && !d->in_lost)
        work_step(d->s.work);
    if ((d->stopping || (d->once && work_idle(d->s.work)))
        && work_running(d->s.work) == 0)
        loop_stop(d->loop);
}

static int setup(daemon_state *d, cl_error *err)
{
    if ((d->sigfd = open_signals()) < 0)
        return cl_fail(err, "cannot set up signals: %s", strerror(errno));
    if (loop_add_fd(d->loop, d->sigfd, on_signals, d) < 0
        || loop_add_timer(d->loop, &d->tick, on_tick, d) < 0
        || loop_add_timer(d->loop, &d->rescan, on_rescan, d) < 0
        || loop_add_timer(d->loop, &d->temps, on_temps, d) < 0)
        return cl_fail(err, "cannot set up the event loop");
    loop_set_before_sleep(d->loop, before_sleep, d);
    uint64_t usec = notify_watchdog_usec();
    d->watchdog_ms = usec / 2000;
    if (usec && d->watchdog_ms == 0)
        d->watchdog_ms = 1;
    loop_timer_arm(&d->tick, 0);
    if (!d->once)
        loop_timer_arm(&d->temps, DAEMON_TEMPS_AGAIN_MS);
    if (!d->once && d->s.cfg.rescan_interval)
        loop_timer_arm(&d->rescan, (uint64_t)d->s.cfg.rescan_interval * 1000u);
    return 0;
}

static void teardown(daemon_state *d)
{
    unwatch_input(d);
    service_stop(&d->s);
    if (d->sigfd >= 0)
        close(d->sigfd);
    loop_free(d->loop);
}

/* Starts the service on a new loop; 0, or the exit code on failure. */
static int begin(daemon_state *d, const char *config_path, const cli_args *a, int once)
{
    memset(d, 0, sizeof *d);
    d->config_path = config_path;
    d->args = a;
    d->once = once;
    d->sigfd = -1;
    if (!(d->loop = loop_new())) {
        log_error("out of memory");
        return 2;
    }
    if (start(d, !once) < 0) {
        loop_free(d->loop);
        return 2;
    }
    cl_error err = { "" };
    if (setup(d, &err) < 0 || (!once && watch_input(d, &err) < 0)) {
        log_error("%s", err.msg);
        teardown(d);
        return 1;
    }
    return 0;
}

int daemon_once(const char *config_path, const cli_args *a)
{
    daemon_state d;
    int rc = begin(&d, config_path, a, 1);
    if (rc)
        return rc;
    scan_or_log(&d, "");
    if (loop_run(d.loop) < 0)
        log_error("poll: %s", strerror(errno));
    work_counts n = work_get_counts(d.s.work);
    log_info("done: %llu cleaned, %llu failed, %llu up to date, %llu no article",
             (unsigned long long)n.cleaned, (unsigned long long)n.failed,
             (unsigned long long)n.up_to_date, (unsigned long long)n.no_article);
    if (n.deferred)
        log_warn("%llu inputs were still being written and were left for the next run",
                 (unsigned long long)n.deferred);
    if (d.interrupted)
        log_warn("interrupted: %zu inputs left for the next run", work_queued(d.s.work));
    rc = n.failed > 0 || d.interrupted ? 1 : 0;     /* no article is no failure */
    teardown(&d);
    return rc;
}

int daemon_run(const char *config_path, const cli_args *a)
{
    daemon_state d;
    int rc = begin(&d, config_path, a, 0);
    if (rc)
        return rc;
    log_info("watching %s, writing to %s, %zu workers", d.s.cfg.input_dir,
             d.s.cfg.output_dir, pool_size(d.s.pool));
    /* Ready once the watch is in place: the backlog is work like any other,
     * and a large one must not hold up the start (TimeoutStartSec). */
    notify_ready();
    scan_or_log(&d, "");
    report_status(&d, 1);
    if (loop_run(d.loop) < 0) {
        log_error("poll: %s", strerror(errno));
        rc = 1;
    }
    report_status(&d, 1);
    log_info("stopped: %zu inputs still queued are left for the next start",
             work_queued(d.s.work));
    teardown(&d);
    return rc ? rc : d.exit_code;
}
