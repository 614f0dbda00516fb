#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

/* Where a child finds its socket and its folders (pool.h). */
enum { CHILD_SOCK = 3, CHILD_IN = 4, CHILD_OUT = 5, CHILD_DONE = 6 };

typedef struct worker_slot {
    pid_t    pid;         /* 0: not running */
    int      sock;        /* -1: not running */
    int      busy;
    uint64_t job_id;
    uint64_t started_ms;  /* when the job was sent */
    int      overdue;     /* killed for exceeding the wall-clock limit */
    unsigned generation;  /* of the ctx it was forked with */
} worker_slot;

struct pool {
    worker_slot       *slots;
    size_t             n;
    const worker_ctx  *ctx;
    unsigned           generation;
    loop              *loop;
    loop_timer         overdue_timer;
    pool_result_fn     on_result;
    void              *result_ctx;
};

static void on_socket(void *ctx, int fd, short revents);

/* Moves fd to number want in the child; for -1, whatever the parent had
 * there (another worker's socket) is closed, so that no worker ever holds a
 * socket of another and keeps it from seeing its end of file. */
static int place_fd(int fd, int want)
{
    if (fd < 0) {
        close(want);
        return -1;
    }
    if (fd != want && dup2(fd, want) < 0)
        _exit(127);
    return want;
}

/*
 * The child keeps only stdin/out/err, its socket and its folders.  The
 * folders go above the socket's number first, so that placing one never
 * overwrites another still to be placed.
 */
static void become_worker(int sock, const worker_ctx *parent)
{
    worker_ctx ctx = *parent;
    int high[4] = { sock, ctx.in_fd, ctx.out_fd, ctx.done_fd };
    for (int i = 0; i < 4; i++)
        if (high[i] >= 0 && (high[i] = fcntl(high[i], F_DUPFD, 16)) < 0)
            _exit(127);
    place_fd(high[0], CHILD_SOCK);
    ctx.in_fd = place_fd(high[1], CHILD_IN);
    ctx.out_fd = place_fd(high[2], CHILD_OUT);
    ctx.done_fd = place_fd(high[3], CHILD_DONE);
    close_range(CHILD_DONE + 1, ~0u, 0);
    worker_run(CHILD_SOCK, &ctx);
}

static int start_worker(pool *p, worker_slot *w, cl_error *err)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return cl_fail(err, "cannot create a worker socket: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return cl_fail(err, "cannot fork a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        close(sv[0]);
        become_worker(sv[1], p->ctx);
    }
    close(sv[1]);
    if (loop_add_fd(p->loop, sv[0], on_socket, p) < 0) {
        close(sv[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return cl_fail(err, "too many descriptors for the event loop");
    }
    *w = (worker_slot){ .pid = pid, .sock = sv[0], .busy = 0,
                        .generation = p->generation };
    return 0;
}

/* Closes the socket (the worker exits on end of file) and reaps it. */
static int stop_worker(pool *p, worker_slot *w)
{
    int status = 0;
    if (w->sock >= 0) {
        loop_del_fd(p->loop, w->sock);
        close(w->sock);
    }
    w->sock = -1;
    if (w->pid > 0) {
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    w->pid = 0;
    w->busy = 0;
    return status;
}

/* The wall-clock limit of a job: the CPU limit normally fires first; this
 * one catches a worker that is stopped or blocked instead of computing. */
static uint64_t wall_limit_ms(const worker_ctx *ctx)
{
    return ctx->cpu_seconds ? (2u * ctx->cpu_seconds + 5u) * 1000u : 0;
}

static void kill_overdue(void *ctx)
{
    pool *p = ctx;
    uint64_t limit = wall_limit_ms(p->ctx), now = loop_now_ms();
    for (size_t i = 0; i < p->n; i++) {
        worker_slot *w = &p->slots[i];
        if (!w->busy || w->overdue || w->pid <= 0)
            continue;
        if (now - w->started_ms > limit) {
            w->overdue = 1;
            kill(w->pid, SIGKILL);  /* its end of file reports the job */
        } else {
            loop_timer_arm_by(&p->overdue_timer, w->started_ms + limit + 1);
        }
    }
}

pool *pool_new(size_t nworkers, const worker_ctx *ctx, loop *l,
               pool_result_fn on_result, void *result_ctx, cl_error *err)
{
    pool *p = calloc(1, sizeof *p);
    if (!p || !(p->slots = calloc(nworkers ? nworkers : 1, sizeof *p->slots))) {
        free(p);
        cl_fail(err, "out of memory");
        return NULL;
    }
    *p = (pool){ .slots = p->slots, .ctx = ctx, .loop = l,
                 .on_result = on_result, .result_ctx = result_ctx };
    loop_add_timer(l, &p->overdue_timer, kill_overdue, p);
    for (size_t i = 0; i < nworkers; i++)
        p->slots[i].sock = -1;
    for (size_t i = 0; i < nworkers; i++) {
        p->n = i + 1;
        if (start_worker(p, &p->slots[i], err) < 0) {
            p->n = i;
            pool_free(p);
            return NULL;
        }
    }
    return p;
}

void pool_free(pool *p)
{
    if (!p)
        return;
    /* Close every socket before waiting, so the workers exit in parallel. */
    for (size_t i = 0; i < p->n; i++) {
        if (p->slots[i].sock >= 0) {
            loop_del_fd(p->loop, p->slots[i].sock);
            close(p->slots[i].sock);
        }
        p->slots[i].sock = -1;
    }
    for (size_t i = 0; i < p->n; i++)
        stop_worker(p, &p->slots[i]);
    loop_del_timer(p->loop, &p->overdue_timer);
    free(p->slots);
    free(p);
}

size_t pool_size(const pool *p)
{
    return p->n;
}

size_t pool_busy(const pool *p)
{
    size_t busy = 0;
    for (size_t i = 0; i < p->n; i++)
        busy += p->slots[i].busy != 0;
    return busy;
}

/* Forks a worker for an empty or outdated idle slot; logs failures. */
static void refresh_slot(pool *p, worker_slot *w)
{
    if (w->pid > 0 && w->generation == p->generation)
        return;
    if (w->pid > 0)
        stop_worker(p, w);
    cl_error err = { "" };
    if (start_worker(p, w, &err) < 0)
        log_error("%s", err.msg);
}

long pool_idle_slot(pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        worker_slot *w = &p->slots[i];
        if (w->busy)
            continue;
        refresh_slot(p, w);
        if (w->pid > 0)
            return (long)i;
    }
    return -1;
}

int pool_submit(pool *p, size_t slot, uint64_t id, const char *in_rel,
                const char *out_rel, cl_error *err)
{
    worker_slot *w = &p->slots[slot];
    char msg[WORKER_MAX_JOB];
    size_t n = worker_encode_job(msg, id, in_rel, out_rel);
    if (n == 0)
        return cl_fail(err, "path too long for a job");
    if (send(w->sock, msg, n, MSG_NOSIGNAL) != (ssize_t)n) {
        int saved = errno;
        stop_worker(p, w);
        return cl_fail(err, "worker gone: %s", strerror(saved));
    }
    w->busy = 1;
    w->job_id = id;
    w->started_ms = loop_now_ms();
    w->overdue = 0;
    if (wall_limit_ms(p->ctx))
        loop_timer_arm_by(&p->overdue_timer, w->started_ms + wall_limit_ms(p->ctx) + 1);
    return 0;
}

/* The status and reason of a job whose worker died. */
static void describe_death(int status, int overdue, const worker_ctx *ctx,
                           worker_result *r)
{
    r->status = WORKER_CRASHED;
    if (overdue) {
        r->status = WORKER_TOO_COSTLY;
        snprintf(r->reason, sizeof r->reason, "worker exceeded the time limit (%llu s)",
                 (unsigned long long)(wall_limit_ms(ctx) / 1000));
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU) {
            r->status = WORKER_TOO_COSTLY;
            snprintf(r->reason, sizeof r->reason, "worker exceeded worker_cpu_seconds (%u s)",
                     ctx->cpu_seconds);
        } else if (sig == SIGKILL) {
            snprintf(r->reason, sizeof r->reason, "worker killed (SIGKILL, out of memory?)");
        } else {
            snprintf(r->reason, sizeof r->reason, "worker crashed: %s (signal %d)",
                     strsignal(sig), sig);
        }
    } else if (WIFEXITED(status)) {
        snprintf(r->reason, sizeof r->reason, "worker exited with status %d (out of memory?)",
                 WEXITSTATUS(status));
    } else {
        snprintf(r->reason, sizeof r->reason, "worker died");
    }
}

static long slot_of_fd(const pool *p, int fd)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->slots[i].sock == fd)
            return (long)i;
    return -1;
}

/* Reads one result and the descriptor passed with it (*fd, or -1). */
static ssize_t receive_result(int sock, worker_result *r, int *fd)
{
    struct iovec iov = { r, sizeof *r };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    ssize_t n = recvmsg(sock, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&m) : NULL; c; c = CMSG_NXTHDR(&m, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            memcpy(fd, CMSG_DATA(c), sizeof *fd);
    return n;
}

/* A worker's socket is readable: its result, or its death. */
static void on_socket(void *ctx, int fd, short revents)
{
    (void)revents;
    pool *p = ctx;
    long slot = slot_of_fd(p, fd);
    if (slot < 0)
        return;
    worker_slot *w = &p->slots[slot];
    worker_result r;
    int out_fd = -1;
    ssize_t n = receive_result(w->sock, &r, &out_fd);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n == (ssize_t)sizeof r && w->busy && r.id == w->job_id) {
        r.reason[sizeof r.reason - 1] = '\0';
        w->busy = 0;
        if (w->generation != p->generation)
            refresh_slot(p, w);
        p->on_result(p->result_ctx, (size_t)slot, &r, out_fd);
        return;
    }
    if (out_fd >= 0)
        close(out_fd);
    /* End of file, an error or garbage: the worker is gone. */
    int was_busy = w->busy, overdue = w->overdue;
    uint64_t id = w->job_id;
    int status = stop_worker(p, w);
    if (!was_busy)
        return;
    memset(&r, 0, sizeof r);
    r.id = id;
    describe_death(status, overdue, p->ctx, &r);
    p->on_result(p->result_ctx, (size_t)slot, &r, -1);
}

pid_t pool_worker_pid(const pool *p, size_t slot)
{
    return slot < p->n ? p->slots[slot].pid : 0;
}

void pool_set_ctx(pool *p, const worker_ctx *ctx)
{
    p->ctx = ctx;
    p->generation++;
    for (size_t i = 0; i < p->n; i++)
        if (!p->slots[i].busy)
            refresh_slot(p, &p->slots[i]);
}
