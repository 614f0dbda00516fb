#include "rules_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "log.h"

char *rules_cache_default_dir(void)
{
    const char *systemd = getenv("CACHE_DIRECTORY");
    if (systemd && systemd[0] == '/')
        return strndup(systemd, strcspn(systemd, ":"));
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char *dir = NULL;
    /* The XDG spec ignores a relative $XDG_CACHE_HOME. */
    if (xdg && xdg[0] == '/')
        return asprintf(&dir, "%s/cleaner", xdg) < 0 ? NULL : dir;
    if (home && home[0] == '/')
        return asprintf(&dir, "%s/.cache/cleaner", home) < 0 ? NULL : dir;
    return NULL;
}

static void cache_path(const char *dir, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, RULES_CACHE_FILE);
}

/* All `size` bytes of fd, into a buffer sized once: a megabyte read in
 * growing chunks cost as many page faults again.  0, or -1 with errno (0
 * for a file shorter than its size). */
static int read_whole(int fd, size_t size, cl_buf *out)
{
    if (cl_buf_reserve(out, size + 1) < 0)
        return -1;
    while (out->len < size) {
        ssize_t n = read(fd, out->data + out->len, size - out->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n < 0 ? errno : 0;
            return -1;
        }
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    return 0;
}

/* Why the open file may not be trusted, or NULL; *size its size. */
static const char *untrusted(int fd, size_t *size)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return strerror(errno);
    if (!S_ISREG(st.st_mode))
        return "not a regular file";
    if (st.st_uid != geteuid())
        return "owned by another user";
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "writable by others";
    if ((unsigned long long)st.st_size > RULES_CACHE_MAX_BYTES)
        return "too large";
    *size = (size_t)st.st_size;
    return NULL;
}

/* 0 with the file's bytes, 1 when there is none, -1 (logged) otherwise. */
static int read_cache(const char *path, cl_buf *bytes)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        log_debug("rules index cache %s: none yet", path);
        return 1;
    }
    if (fd < 0) {
        log_warn("rules index cache %s: cannot open: %s; compiling the rules", path,
                 strerror(errno));
        return -1;
    }
    size_t size = 0;
    const char *why = untrusted(fd, &size);
    if (!why && read_whole(fd, size, bytes) < 0)
        why = errno ? strerror(errno) : "shorter than its size";
    close(fd);
    if (why)
        log_warn("rules index cache %s: refused: %s; compiling the rules", path, why);
    return why ? -1 : 0;
}

void rules_cache_offer(const char *dir, cl_rules *rules)
{
    if (!dir)
        return;
    char path[4096];
    cache_path(dir, path, sizeof path);
    cl_buf bytes = CL_BUF_INIT;
    if (read_cache(path, &bytes) == 0 && cl_rules_use_cache(rules, &bytes) == 0)
        log_debug("rules index cache %s: not of this version, platform or whole; "
                  "compiling the rules", path);
    cl_buf_free(&bytes);
}

static void write_cache(const char *dir, const char *path, const cl_rules *rules)
{
    cl_buf bytes = CL_BUF_INIT;
    cl_error err = { "" };
    int dfd = -1;
    if (cl_rules_save_cache(rules, &bytes) < 0) {
        log_warn("rules index cache %s: out of memory while saving it", path);
    } else if (fileio_make_dirs(dir, &err) < 0 ||
               (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        log_warn("rules index cache %s: %s", path,
                 err.msg[0] ? err.msg : strerror(errno));
    } else if (fileio_write_atomic_at(dfd, RULES_CACHE_FILE, bytes.data, bytes.len, &err) != 0) {
        log_warn("rules index cache %s: %s", path, err.msg);
    } else {
        log_debug("rules index cache %s written (%zu bytes)", path, bytes.len);
    }
    if (dfd >= 0)
        close(dfd);
    cl_buf_free(&bytes);
}

void rules_cache_update(const char *dir, const cl_rules *rules)
{
    cl_rules_cache_stats st = cl_rules_cache_use(rules);
    char path[4096] = "";
    if (dir)
        cache_path(dir, path, sizeof path);
    if (st.db_compiled == 0 && st.patterns_compiled == 0) {
        if (dir && st.db_adopted)
            log_debug("rules index from cache %s (%zu databases, %zu patterns)", path,
                      st.db_adopted, st.patterns_vouched);
        return;
    }
    log_debug("rules index: %zu databases compiled, %zu from the cache; %zu patterns "
              "compiled, %zu from the cache", st.db_compiled, st.db_adopted,
              st.patterns_compiled, st.patterns_vouched);
    if (dir)
        write_cache(dir, path, rules);
}
