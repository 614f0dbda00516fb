#include "direct.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "fileio.h"
#include "log.h"
#include "settings.h"
#include "worker.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int read_input(const char *name, const config *cfg, cl_buf *in, cl_error *err)
{
    if (strcmp(name, "-") == 0)
        return fileio_read_fd(STDIN_FILENO, cfg->max_input_bytes, in, err);
    return fileio_read_path(name, cfg->max_input_bytes, in, err);
}

/* Cleans one input and writes it out; runs in the child.  0 or -1. */
static int clean_one(const char *name, const config *cfg, const cl_cleaner *c)
{
    cl_buf in = CL_BUF_INIT, out = CL_BUF_INIT, explain = CL_BUF_INIT;
    cl_error err = { "" };
    const char *display = strcmp(name, "-") == 0 ? "<stdin>" : name;
    int rc = read_input(name, cfg, &in, &err);
    if (rc == 0) {
        engine_request rq = {
            .bytes = cl_buf_cstr(&in), .len = in.len,
            .name_hint = strcmp(name, "-") == 0 ? NULL : base_name(name),
            .source = display, .format = cfg->format, .explain = cfg->explain,
        };
        engine_stats stats;
        rc = engine_clean(c, &rq, &out, &explain, &stats, &err);
    }
    if (rc == 0 && out.len && out.data[out.len - 1] != '\n')
        cl_buf_append_char(&out, '\n');    /* one JSON document per line */
    if (rc == 0 && (out.oom || fileio_write_all(STDOUT_FILENO, out.data ? out.data : "", out.len) < 0))
        rc = cl_fail(&err, "cannot write to standard output: %s",
                     out.oom ? "out of memory" : strerror(errno));
    if (rc == 0 && explain.len)
        fileio_write_all(STDERR_FILENO, explain.data, explain.len);
    if (rc != 0)
        log_error("%s: %s", display, err.msg);
    cl_buf_free(&in);
    cl_buf_free(&out);
    cl_buf_free(&explain);
    return rc;
}

/* The same limits as the pool's workers (worker.h). */
static void limit_child(const config *cfg)
{
    if (cfg->worker_cpu_seconds) {
        struct rlimit cpu = { cfg->worker_cpu_seconds, cfg->worker_cpu_seconds };
        setrlimit(RLIMIT_CPU, &cpu);
    }
    worker_set_process_limits(cfg->worker_memory_bytes);
}

static void describe_status(const char *name, int status, const config *cfg)
{
    const char *display = strcmp(name, "-") == 0 ? "<stdin>" : name;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        log_error("%s: exceeded worker_cpu_seconds (%u s)", display, cfg->worker_cpu_seconds);
    else if (WIFSIGNALED(status))
        log_error("%s: the cleaner crashed: %s", display, strsignal(WTERMSIG(status)));
}

/* Forks a child for one input so a crash fails this file alone. */
static int run_isolated(const char *name, const config *cfg, const cl_cleaner *c)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return clean_one(name, cfg, c);
    if (pid == 0) {
        limit_child(cfg);
        int rc = clean_one(name, cfg, c);
        /* exit(), not _exit(): the child frees what it allocated, so leak
         * checkers run over it. */
        exit(rc == 0 ? 0 : 1);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    describe_status(name, status, cfg);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int direct_run(const char *config_path, const cli_args *a)
{
    config cfg;
    cl_error err = { "" };
    if (settings_load(&cfg, config_path, a, &err) < 0) {
        log_error("%s", err.msg);
        return 2;
    }
    log_set_level(cfg.log_level);
    cl_cleaner *c = engine_new(&cfg, &err);
    if (!c) {
        log_error("%s", err.msg);
        config_free(&cfg);
        return 2;
    }
    int failed = 0;
    for (size_t i = 0; i < a->nfiles; i++)
        if (run_isolated(a->files[i], &cfg, c) < 0)
            failed = 1;
    cl_cleaner_free(c);
    config_free(&cfg);
    return failed;
}
