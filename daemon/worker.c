#include "worker.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "fileio.h"

/* Allocations from this size up get their own mapping (see worker_run). */
#define WORKER_MMAP_THRESHOLD (128 * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define WORKER_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_UNDER_ASAN 1
#endif
#endif

static uint32_t ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
    return ms > 0 ? (uint32_t)ms : 0;
}

static void print_explain(const char *in_rel, const cl_buf *explain)
{
    if (explain->len == 0)
        return;
    cl_buf all = CL_BUF_INIT;
    cl_buf_printf(&all, "explain: %s\n", in_rel);
    cl_buf_append(&all, explain->data, explain->len);
    if (!all.oom)
        fileio_write_all(STDERR_FILENO, all.data, all.len);
    cl_buf_free(&all);
}

static void move_to_done(const worker_ctx *ctx, const char *in_rel, worker_result *r)
{
    cl_error err = { "" };
    if (fileio_move_at(ctx->in_fd, in_rel, ctx->done_fd, in_rel, &err) == 0)
        return;
    size_t used = strlen(r->reason);
    snprintf(r->reason + used, sizeof r->reason - used, "%sdone_dir: %s",
             used ? "; " : "", err.msg);
}

/* A text document with no article gets no output, and the output of an
 * earlier version of its input goes.  0, FILEIO_TRANSIENT or -1. */
static int remove_output(const worker_ctx *ctx, const char *out_rel, cl_error *err)
{
    if (fileio_unlink_at(ctx->out_fd, out_rel) == 0 || errno == ENOENT)
        return 0;
    int e = errno;
    cl_fail(err, "cannot remove the output of an earlier version: %s", strerror(e));
    /* A symlink or no folder on the path is OUT's fault, as for a write. */
    return e == ELOOP || e == ENOTDIR || fileio_errno_is_transient(e) ? FILEIO_TRANSIENT : -1;
}

/* The status of a failed fileio call. */
static worker_status status_of(int rc)
{
    switch (rc) {
    case FILEIO_GONE:      return WORKER_GONE;
    case FILEIO_WRITING:   return WORKER_WRITING;
    case FILEIO_TRANSIENT: return WORKER_RETRY;
    default:               return WORKER_FAILED;
    }
}

void worker_process(const worker_ctx *ctx, const char *in_rel,
                    const char *out_rel, worker_result *r)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r->status = WORKER_FAILED;
    r->reason[0] = '\0';
    r->bytes_in = r->bytes_out = 0;
    r->blocks = r->blocks_dropped = 0;

    cl_buf input = CL_BUF_INIT, output = CL_BUF_INIT, explain = CL_BUF_INIT;
    cl_error err = { "" };
    fileio_read_opts ro = ctx->read;
    ro.skip_if_writing = 1;
    int rc = fileio_read_at(ctx->in_fd, in_rel, &ro, &input, &err);
    if (rc != 0) {
        r->status = status_of(rc);
        goto done;
    }
    r->bytes_in = input.len;

    const char *base = strrchr(in_rel, '/');
    engine_request rq = {
        .bytes = cl_buf_cstr(&input), .len = input.len,
        .name_hint = base ? base + 1 : in_rel, .source = in_rel,
        .format = ctx->format, .explain = ctx->explain,
        .min_body_chars = ctx->min_body_chars,
    };
    engine_stats stats = { 0 };
    if (engine_clean(ctx->cleaner, &rq, &output, &explain, &stats, &err) < 0)
        goto done;
    r->blocks = (uint32_t)stats.blocks;
    r->blocks_dropped = (uint32_t)stats.blocks_dropped;
    int article = stats.status == CL_STATUS_OK;
    if (!article && ctx->format == OUTPUT_TEXT)
        rc = remove_output(ctx, out_rel, &err);
    else
        rc = fileio_write_atomic_at(ctx->out_fd, out_rel, cl_buf_cstr(&output), output.len,
                                    &err);
    if (rc != 0) {
        r->status = status_of(rc);
        goto done;
    }
    r->bytes_out = output.len;
    r->status = article ? WORKER_OK : WORKER_NO_ARTICLE;
    if (!article)
        engine_no_article_cause(&stats, ctx->min_body_chars, r->reason, sizeof r->reason);
    print_explain(in_rel, &explain);
    if (ctx->done_fd >= 0)
        move_to_done(ctx, in_rel, r);
done:
    if (r->status == WORKER_FAILED || r->status == WORKER_RETRY)
        snprintf(r->reason, sizeof r->reason, "%s", err.msg[0] ? err.msg : "failed");
    r->ms = ms_since(&t0);
    cl_buf_free(&input);
    cl_buf_free(&output);
    cl_buf_free(&explain);
}

static int read_named(const char *path, size_t max, cl_buf *in, cl_error *err)
{
    if (strcmp(path, "-") == 0)
        return fileio_read_fd(STDIN_FILENO, max, in, err);
    return fileio_read_path(path, max, in, err);
}

/* A memory file holding data, rewound for its reader; -1 with err. */
static int memory_file(const cl_buf *data, cl_error *err)
{
    int fd = memfd_create("cleaner-output", MFD_CLOEXEC);
    if (fd < 0) {
        cl_fail(err, "cannot create a memory file: %s", strerror(errno));
        return -1;
    }
    if (fileio_write_all(fd, data->data ? data->data : "", data->len) < 0
        || lseek(fd, 0, SEEK_SET) < 0) {
        cl_fail(err, "cannot fill a memory file: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void worker_process_direct(const worker_ctx *ctx, const char *path,
                           worker_result *r, int *out_fd)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(r, 0, sizeof *r);
    r->status = WORKER_FAILED;
    *out_fd = -1;
    cl_buf in = CL_BUF_INIT, out = CL_BUF_INIT, explain = CL_BUF_INIT;
    cl_error err = { "" };
    int stdin_named = strcmp(path, "-") == 0;
    const char *base = strrchr(path, '/');
    if (read_named(path, ctx->read.max_bytes, &in, &err) < 0)
        goto done;
    r->bytes_in = in.len;
    engine_request rq = {
        .bytes = cl_buf_cstr(&in), .len = in.len,
        .name_hint = stdin_named ? NULL : base ? base + 1 : path,
        .source = stdin_named ? "<stdin>" : path,
        .format = ctx->format, .explain = ctx->explain,
        .min_body_chars = ctx->min_body_chars, .url = ctx->url,
    };
    engine_stats stats = { 0 };
    if (engine_clean(ctx->cleaner, &rq, &out, &explain, &stats, &err) < 0)
        goto done;
    if (out.len && out.data[out.len - 1] != '\n')
        cl_buf_append_char(&out, '\n');    /* one JSON document per line */
    if (out.oom) {
        cl_fail(&err, "out of memory");
        goto done;
    }
    if ((*out_fd = memory_file(&out, &err)) < 0)
        goto done;
    r->status = WORKER_OK;
    if (stats.status == CL_STATUS_NO_ARTICLE) {
        r->status = WORKER_NO_ARTICLE;
        engine_no_article_cause(&stats, ctx->min_body_chars, r->reason, sizeof r->reason);
    }
    r->bytes_out = out.len;
    r->blocks = (uint32_t)stats.blocks;
    r->blocks_dropped = (uint32_t)stats.blocks_dropped;
    if (explain.len)
        fileio_write_all(STDERR_FILENO, explain.data, explain.len);
done:
    if (r->status == WORKER_FAILED)
        snprintf(r->reason, sizeof r->reason, "%s", err.msg[0] ? err.msg : "failed");
    r->ms = ms_since(&t0);
    cl_buf_free(&in);
    cl_buf_free(&out);
    cl_buf_free(&explain);
}

/* Sends the result, with the output's descriptor when there is one. */
static int send_result(int sock, const worker_result *r, int fd)
{
    struct iovec iov = { (void *)r, sizeof *r };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (fd >= 0) {
        memset(&control, 0, sizeof control);
        m.msg_control = control.buf;
        m.msg_controllen = sizeof control.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)sizeof *r ? 0 : -1;
}

size_t worker_encode_job(char *buf, uint64_t id, const char *in_rel,
                         const char *out_rel)
{
    size_t a = strlen(in_rel) + 1, b = strlen(out_rel) + 1;
    if (8 + a + b > WORKER_MAX_JOB)
        return 0;
    memcpy(buf, &id, 8);
    memcpy(buf + 8, in_rel, a);
    memcpy(buf + 8 + a, out_rel, b);
    return 8 + a + b;
}

void worker_set_process_limits(size_t memory_bytes)
{
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);
#ifndef WORKER_UNDER_ASAN
    if (memory_bytes) {
        struct rlimit mem = { memory_bytes, memory_bytes };
        setrlimit(RLIMIT_AS, &mem);
    }
#else
    (void)memory_bytes;
#endif
}

/* Allows this job cpu_seconds of CPU time on top of what was used so far. */
static void set_job_cpu_limit(unsigned cpu_seconds)
{
    if (!cpu_seconds)
        return;
    struct rusage ru;
    struct rlimit lim;
    if (getrusage(RUSAGE_SELF, &ru) < 0 || getrlimit(RLIMIT_CPU, &lim) < 0)
        return;
    rlim_t used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1);
    rlim_t want = used + cpu_seconds;
    if (lim.rlim_max != RLIM_INFINITY && want > lim.rlim_max)
        want = lim.rlim_max;
    lim.rlim_cur = want;
    setrlimit(RLIMIT_CPU, &lim);
}

static void detach_from_parent_signals(void)
{
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGIO, SIG_IGN);     /* lease breaks: see fileio_read_input() */
    signal(SIGCHLD, SIG_DFL);
}

/* Splits a job message; 0, or -1 when malformed. */
static int decode_job(char *msg, size_t n, uint64_t *id, const char **in_rel,
                      const char **out_rel)
{
    if (n < 10 || msg[n - 1] != '\0')
        return -1;
    memcpy(id, msg, 8);
    *in_rel = msg + 8;
    size_t a = strlen(*in_rel) + 1;
    if (8 + a >= n)
        return -1;
    *out_rel = msg + 8 + a;
    return 0;
}

void worker_run(int sock, const worker_ctx *ctx)
{
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    detach_from_parent_signals();
    worker_set_process_limits(ctx->memory_bytes);
    /* A worker's peak RSS grew by a fifth from 100 to 10 000 files with no
     * leak (valgrind: 0 bytes lost): glibc kept fragmented heap.  Large
     * blocks (Gumbo's trees, page buffers) mapped on their own, and the
     * heap trimmed after each file, keep it flat. */
    mallopt(M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD);

    char msg[WORKER_MAX_JOB];
    for (;;) {
        ssize_t n = recv(sock, msg, sizeof msg, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        uint64_t id;
        const char *in_rel, *out_rel;
        if (decode_job(msg, (size_t)n, &id, &in_rel, &out_rel) < 0)
            break;
        set_job_cpu_limit(ctx->cpu_seconds);
        worker_result r;
        memset(&r, 0, sizeof r);
        int out_fd = -1;
        if (*out_rel)
            worker_process(ctx, in_rel, out_rel, &r);
        else
            worker_process_direct(ctx, in_rel, &r, &out_fd);
        malloc_trim(0);
        r.id = id;
        int rc = send_result(sock, &r, out_fd);
        if (out_fd >= 0)
            close(out_fd);
        if (rc < 0)
            break;
    }
    /* _exit: the parent's state copied by fork() is not ours to free, and
     * leak checkers must not run over it. */
    _exit(0);
}
