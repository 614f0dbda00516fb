#include "daemon.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "service.h"
#include "settings.h"
#include "watcher.h"

/* How often STATUS= is refreshed when counts change. */
#define DAEMON_STATUS_MS 1000

static int start(service *s, const char *config_path, const cli_args *a,
                 int create_input)
{
    config cfg;
    cl_error err = { "" };
    if (settings_load(&cfg, config_path, a, &err) < 0) {
        log_error("%s", err.msg);
        return -1;
    }
    log_set_level(cfg.log_level);
    if (service_start(s, &cfg, create_input, &err) < 0) {
        log_error("%s", err.msg);
        return -1;
    }
    return 0;
}

int daemon_once(const char *config_path, const cli_args *a)
{
    service s;
    if (start(&s, config_path, a, 0) < 0)
        return 2;
    cl_error err = { "" };
    int rc = work_scan(s.work, "", &err);
    if (rc < 0)
        log_error("%s", err.msg);
    service_drain(&s);
    work_counts n = work_get_counts(s.work);
    log_info("done: %llu cleaned, %llu failed, %llu up to date",
             (unsigned long long)n.cleaned, (unsigned long long)n.failed,
             (unsigned long long)n.up_to_date);
    if (n.deferred)
        log_warn("%llu inputs were still being written and were left for the next run",
                 (unsigned long long)n.deferred);
    service_stop(&s);
    return rc < 0 || n.failed > 0 ? 1 : 0;
}

/* ---- the daemon loop ---- */

typedef struct loop {
    service        s;
    watcher       *watcher;
    const char    *config_path;
    const cli_args *args;
    int            sigfd;
    int            stopping;
    int            reload_requested;
    uint64_t       watchdog_ms;    /* 0: no watchdog */
    uint64_t       next_watchdog;
    uint64_t       next_status;
    work_counts    last_counts;
    size_t         last_queued;
} loop;

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
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

static void report_status(loop *l, int force)
{
    work_counts n = work_get_counts(l->s.work);
    size_t queued = work_queued(l->s.work) + work_running(l->s.work);
    if (!force && n.cleaned == l->last_counts.cleaned && n.failed == l->last_counts.failed
        && queued == l->last_queued)
        return;
    l->last_counts = n;
    l->last_queued = queued;
    notify_status("%s%llu cleaned, %llu failed, %zu pending",
                  l->stopping ? "stopping: " : "",
                  (unsigned long long)n.cleaned, (unsigned long long)n.failed, queued);
}

static void reload(loop *l)
{
    notify_reloading();
    config next;
    cl_error err = { "" };
    if (settings_load(&next, l->config_path, l->args, &err) < 0
        || service_reload(&l->s, &next, &err) < 0)
        log_error("reload failed, keeping the old config: %s", err.msg);
    else
        log_info("reloaded %s", l->config_path ? l->config_path : "the built-in config");
    notify_ready();
}

/* Only records what was asked: a reload runs from the main loop, never in
 * the middle of a scan that borrows the current config's folder names. */
static void on_signals(loop *l)
{
    struct signalfd_siginfo si;
    while (read(l->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            l->reload_requested = 1;
            continue;
        }
        if (!l->stopping)
            log_info("stopping: finishing %zu files in progress",
                     work_running(l->s.work));
        l->stopping = 1;
        notify_stopping();
    }
}

static void rescan(loop *l, const char *rel)
{
    cl_error err = { "" };
    if (work_scan(l->s.work, rel, &err) < 0 && !l->stopping)
        log_error("%s", err.msg);
}

static void on_new_dir(loop *l, const char *rel)
{
    cl_error err = { "" };
    int watched = watcher_add_tree(l->watcher, rel, &err);
    if (watched < 0)
        log_error("%s", err.msg);
    if (watched == 1)
        rescan(l, rel);
}

/* A FIFO, socket or symlink gets no close-after-write event: refuse it now. */
static void on_created(loop *l, const char *rel)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", l->s.cfg.input_dir, rel);
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        work_add(l->s.work, rel);
}

static void on_overflow(loop *l)
{
    log_warn("inotify queue overflow: rescanning %s", l->s.cfg.input_dir);
    cl_error err = { "" };
    if (watcher_refresh(l->watcher, &err) < 0)
        log_error("%s", err.msg);
    rescan(l, "");
}

static void on_watch_events(loop *l)
{
    watcher_event ev;
    int rc;
    while ((rc = watcher_next(l->watcher, &ev)) == 1) {
        switch (ev.kind) {
        case WATCHER_FILE_READY:
            if (work_add(l->s.work, ev.rel) < 0)
                log_error("%s/%s: out of memory, not queued", l->s.cfg.input_dir, ev.rel);
            break;
        case WATCHER_FILE_CREATED: on_created(l, ev.rel); break;
        case WATCHER_FILE_GONE:    work_forget(l->s.work, ev.rel); break;
        case WATCHER_DIR_NEW:      on_new_dir(l, ev.rel); break;
        case WATCHER_OVERFLOW:     on_overflow(l); break;
        }
    }
    if (rc < 0) {
        log_error("reading inotify events: %s; rescanning", strerror(errno));
        rescan(l, "");
    }
}

static int poll_timeout(const loop *l, uint64_t now)
{
    uint64_t next = l->next_status;
    if (l->watchdog_ms && l->next_watchdog < next)
        next = l->next_watchdog;
    int timeout = next > now ? (int)(next - now) : 0;
    return l->stopping ? timeout : work_wait_ms(l->s.work, timeout);
}

static void on_timers(loop *l)
{
    uint64_t now = now_ms();
    if (l->watchdog_ms && now >= l->next_watchdog) {
        notify_watchdog();
        l->next_watchdog = now + l->watchdog_ms;
    }
    if (now >= l->next_status) {
        pool_kill_overdue(l->s.pool);
        report_status(l, 0);
        l->next_status = now + DAEMON_STATUS_MS;
    }
}

/* While a long scan waits for workers: feed the watchdog, and stop the
 * scan on SIGTERM. */
static int on_scan_wait(void *ctx)
{
    loop *l = ctx;
    struct pollfd pfd = { .fd = l->sigfd, .events = POLLIN };
    if (poll(&pfd, 1, 0) > 0)
        on_signals(l);
    on_timers(l);
    return l->stopping;
}

/* One round: dispatch, wait for signals, events or results, handle them. */
static int run_once(loop *l, struct pollfd *fds)
{
    if (!l->stopping)
        work_dispatch(l->s.work);
    fds[0] = (struct pollfd){ .fd = l->sigfd, .events = POLLIN };
    fds[1] = (struct pollfd){ .fd = l->stopping ? -1 : watcher_fd(l->watcher), .events = POLLIN };
    pool_pollfds(l->s.pool, fds + 2);
    int n = poll(fds, 2 + pool_size(l->s.pool), poll_timeout(l, now_ms()));
    if (n < 0 && errno != EINTR) {
        log_error("poll: %s", strerror(errno));
        return -1;
    }
    if (n > 0) {
        work_receive(l->s.work, fds + 2);
        if (fds[0].revents & POLLIN)
            on_signals(l);
        if (!l->stopping && (fds[1].revents & POLLIN))
            on_watch_events(l);
    }
    if (l->reload_requested) {
        l->reload_requested = 0;
        reload(l);
    }
    on_timers(l);
    return 0;
}

static int setup(loop *l, cl_error *err)
{
    if ((l->sigfd = open_signals()) < 0)
        return cl_fail(err, "cannot set up signals: %s", strerror(errno));
    l->watcher = watcher_new(l->s.cfg.input_dir, l->s.exclude, l->s.nexclude, err);
    if (!l->watcher)
        return -1;
    work_set_wait_hook(l->s.work, on_scan_wait, l);
    uint64_t usec = notify_watchdog_usec();
    l->watchdog_ms = usec / 2000;
    if (usec && l->watchdog_ms == 0)
        l->watchdog_ms = 1;
    return 0;
}

int daemon_run(const char *config_path, const cli_args *a)
{
    loop l;
    memset(&l, 0, sizeof l);
    l.config_path = config_path;
    l.args = a;
    l.sigfd = -1;
    if (start(&l.s, config_path, a, 1) < 0)
        return 2;
    cl_error err = { "" };
    int rc = 0;
    struct pollfd *fds = calloc(2 + pool_size(l.s.pool), sizeof *fds);
    if (!fds || setup(&l, &err) < 0) {
        log_error("%s", err.msg[0] ? err.msg : "out of memory");
        rc = 1;
        goto out;
    }
    log_info("watching %s, writing to %s, %zu workers", l.s.cfg.input_dir,
             l.s.cfg.output_dir, pool_size(l.s.pool));
    /* Ready once the watch is in place: the backlog is work like any other,
     * and a large one must not hold up the start (TimeoutStartSec). */
    notify_ready();
    rescan(&l, "");
    report_status(&l, 1);
    while (!l.stopping || work_running(l.s.work) > 0) {
        if (run_once(&l, fds) < 0) {
            rc = 1;
            break;
        }
    }
    report_status(&l, 1);
    log_info("stopped: %zu inputs still queued are left for the next start",
             work_queued(l.s.work));
out:
    free(fds);
    watcher_free(l.watcher);
    if (l.sigfd >= 0)
        close(l.sigfd);
    service_stop(&l.s);
    return rc;
}
