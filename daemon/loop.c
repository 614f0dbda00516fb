#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

typedef struct loop_fd {
    loop_fd_fn fn;
    void      *ctx;
} loop_fd;

struct loop {
    struct pollfd pfds[LOOP_MAX_FDS];
    loop_fd       handlers[LOOP_MAX_FDS];
    size_t        nfds;
    loop_timer   *timers[LOOP_MAX_TIMERS];
    size_t        ntimers;
    loop_fn       before_sleep;
    void         *before_sleep_ctx;
    int           stop;
};

uint64_t loop_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

loop *loop_new(void)
{
    return calloc(1, sizeof(loop));
}

void loop_free(loop *l)
{
    free(l);
}

static long find_fd(const loop *l, int fd)
{
    for (size_t i = 0; i < l->nfds; i++)
        if (l->pfds[i].fd == fd)
            return (long)i;
    return -1;
}

int loop_add_fd(loop *l, int fd, loop_fd_fn fn, void *ctx)
{
    long i = find_fd(l, fd);
    if (i < 0) {
        if (l->nfds == LOOP_MAX_FDS)
            return -1;
        i = (long)l->nfds++;
    }
    l->pfds[i] = (struct pollfd){ .fd = fd, .events = POLLIN };
    l->handlers[i] = (loop_fd){ fn, ctx };
    return 0;
}

void loop_del_fd(loop *l, int fd)
{
    long i = find_fd(l, fd);
    if (i < 0)
        return;
    l->nfds--;
    l->pfds[i] = l->pfds[l->nfds];
    l->handlers[i] = l->handlers[l->nfds];
}

int loop_add_timer(loop *l, loop_timer *t, loop_fn fn, void *ctx)
{
    if (l->ntimers == LOOP_MAX_TIMERS)
        return -1;
    *t = (loop_timer){ .fn = fn, .ctx = ctx };
    l->timers[l->ntimers++] = t;
    return 0;
}

void loop_del_timer(loop *l, loop_timer *t)
{
    for (size_t i = 0; i < l->ntimers; i++) {
        if (l->timers[i] == t) {
            l->timers[i] = l->timers[--l->ntimers];
            return;
        }
    }
}

void loop_timer_arm(loop_timer *t, uint64_t delay_ms)
{
    t->due_ms = loop_now_ms() + delay_ms;
    t->armed = 1;
}

void loop_timer_arm_by(loop_timer *t, uint64_t due_ms)
{
    if (!t->armed || due_ms < t->due_ms)
        t->due_ms = due_ms;
    t->armed = 1;
}

void loop_timer_disarm(loop_timer *t)
{
    t->armed = 0;
}

void loop_set_before_sleep(loop *l, loop_fn fn, void *ctx)
{
    l->before_sleep = fn;
    l->before_sleep_ctx = ctx;
}

void loop_stop(loop *l)
{
    l->stop = 1;
}

int loop_stopped(const loop *l)
{
    return l->stop;
}

/* Milliseconds to the earliest armed timer, -1 for none. */
static int poll_timeout(const loop *l, uint64_t now)
{
    int timeout = -1;
    for (size_t i = 0; i < l->ntimers; i++) {
        const loop_timer *t = l->timers[i];
        if (!t->armed)
            continue;
        uint64_t wait = t->due_ms > now ? t->due_ms - now : 0;
        if (wait > 60000)
            wait = 60000;
        if (timeout < 0 || (int)wait < timeout)
            timeout = (int)wait;
    }
    return timeout;
}

static void fire_timers(loop *l)
{
    uint64_t now = loop_now_ms();
    /* A handler may re-arm its own timer or register another: walk a copy. */
    loop_timer *due[LOOP_MAX_TIMERS];
    size_t n = 0;
    for (size_t i = 0; i < l->ntimers; i++)
        if (l->timers[i]->armed && l->timers[i]->due_ms <= now)
            due[n++] = l->timers[i];
    for (size_t i = 0; i < n; i++) {
        due[i]->armed = 0;
        due[i]->fn(due[i]->ctx);
    }
}

/* Handlers may add or remove descriptors (a worker replaced): they are
 * called from a snapshot, and one removed meanwhile is skipped. */
static void dispatch_fds(loop *l, int ready)
{
    struct pollfd seen[LOOP_MAX_FDS];
    size_t n = l->nfds;
    for (size_t i = 0; i < n; i++)
        seen[i] = l->pfds[i];
    for (size_t i = 0; i < n && ready > 0; i++) {
        if (!seen[i].revents)
            continue;
        ready--;
        long now = find_fd(l, seen[i].fd);
        if (now >= 0)
            l->handlers[now].fn(l->handlers[now].ctx, seen[i].fd, seen[i].revents);
    }
}

int loop_run_once(loop *l)
{
    if (l->before_sleep)
        l->before_sleep(l->before_sleep_ctx);
    if (l->stop)
        return 0;
    int n = poll(l->pfds, l->nfds, poll_timeout(l, loop_now_ms()));
    if (n < 0 && errno != EINTR)
        return -1;
    if (n > 0)
        dispatch_fds(l, n);
    fire_timers(l);
    return 0;
}

int loop_run(loop *l)
{
    while (!l->stop)
        if (loop_run_once(l) < 0)
            return -1;
    return 0;
}
