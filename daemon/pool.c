#include "pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

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
};

/* The child keeps only stdin/out/err and its socket, as descriptor 3. */
static void become_worker(int sock, const worker_ctx *ctx)
{
    if (sock != 3) {
        if (dup2(sock, 3) < 0)
            _exit(127);
    }
    close_range(4, ~0u, 0);
    worker_run(3, ctx);
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
    *w = (worker_slot){ .pid = pid, .sock = sv[0], .busy = 0,
                        .generation = p->generation };
    return 0;
}

/* Closes the socket (the worker exits on end of file) and reaps it. */
static int stop_worker(worker_slot *w)
{
    int status = 0;
    if (w->sock >= 0)
        close(w->sock);
    w->sock = -1;
    if (w->pid > 0) {
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    w->pid = 0;
    w->busy = 0;
    return status;
}

pool *pool_new(size_t nworkers, const worker_ctx *ctx, cl_error *err)
{
    pool *p = calloc(1, sizeof *p);
    if (!p || !(p->slots = calloc(nworkers ? nworkers : 1, sizeof *p->slots))) {
        free(p);
        cl_fail(err, "out of memory");
        return NULL;
    }
    p->ctx = ctx;
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
        if (p->slots[i].sock >= 0)
            close(p->slots[i].sock);
        p->slots[i].sock = -1;
    }
    for (size_t i = 0; i < p->n; i++)
        stop_worker(&p->slots[i]);
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
        stop_worker(w);
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

static uint64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

int pool_submit(pool *p, size_t slot, uint64_t id, const char *in_rel,
                const char *out_rel, cl_error *err)
{
    worker_slot *w = &p->slots[slot];
    char msg[WORKER_MAX_JOB];
    size_t n = worker_encode_job(msg, id, in_rel, out_rel);
    if (n == 0)
        return cl_fail(err, "path too long");
    if (send(w->sock, msg, n, MSG_NOSIGNAL) != (ssize_t)n) {
        int saved = errno;
        stop_worker(w);
        return cl_fail(err, "worker gone: %s", strerror(saved));
    }
    w->busy = 1;
    w->job_id = id;
    w->started_ms = monotonic_ms();
    w->overdue = 0;
    return 0;
}

void pool_pollfds(const pool *p, struct pollfd *fds)
{
    for (size_t i = 0; i < p->n; i++)
        fds[i] = (struct pollfd){ .fd = p->slots[i].sock, .events = POLLIN };
}

/* The wall-clock limit of a job: the CPU limit normally fires first; this
 * one catches a worker that is stopped or blocked instead of computing. */
static uint64_t wall_limit_ms(const worker_ctx *ctx)
{
    return ctx->cpu_seconds ? (2u * ctx->cpu_seconds + 5u) * 1000u : 0;
}

static void describe_death(int status, int overdue, const worker_ctx *ctx,
                           char *out, size_t size)
{
    if (overdue) {
        snprintf(out, size, "worker exceeded the time limit (%llu s)",
                 (unsigned long long)(wall_limit_ms(ctx) / 1000));
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGXCPU)
            snprintf(out, size, "worker exceeded worker_cpu_seconds (%u s)", ctx->cpu_seconds);
        else if (sig == SIGKILL)
            snprintf(out, size, "worker killed (SIGKILL, out of memory?)");
        else
            snprintf(out, size, "worker crashed: %s (signal %d)", strsignal(sig), sig);
    } else if (WIFEXITED(status)) {
        snprintf(out, size, "worker exited with status %d (out of memory?)",
                 WEXITSTATUS(status));
    } else {
        snprintf(out, size, "worker died");
    }
}

int pool_receive(pool *p, size_t slot, worker_result *r)
{
    worker_slot *w = &p->slots[slot];
    if (w->sock < 0)
        return 0;
    ssize_t n = recv(w->sock, r, sizeof *r, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n == (ssize_t)sizeof *r && w->busy && r->id == w->job_id) {
        r->reason[sizeof r->reason - 1] = '\0';
        w->busy = 0;
        if (w->generation != p->generation)
            refresh_slot(p, w);
        return 1;
    }
    /* End of file, an error or garbage: the worker is gone. */
    int was_busy = w->busy, overdue = w->overdue;
    uint64_t id = w->job_id;
    int status = stop_worker(w);
    refresh_slot(p, w);
    if (!was_busy)
        return 0;
    memset(r, 0, sizeof *r);
    r->id = id;
    r->status = WORKER_CRASHED;
    describe_death(status, overdue, p->ctx, r->reason, sizeof r->reason);
    return 1;
}

void pool_kill_overdue(pool *p)
{
    uint64_t limit = wall_limit_ms(p->ctx), now = monotonic_ms();
    if (!limit)
        return;
    for (size_t i = 0; i < p->n; i++) {
        worker_slot *w = &p->slots[i];
        if (w->busy && !w->overdue && w->pid > 0 && now - w->started_ms > limit) {
            w->overdue = 1;
            kill(w->pid, SIGKILL);  /* its end of file reports the job */
        }
    }
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
