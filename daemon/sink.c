#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

struct sink {
    int    fd;
    char  *path;       /* NULL: standard output */
    char  *temp;       /* the temporary file written, beside path */
    char   buf[SINK_BUFFER];
    size_t len;
};

static const char *sink_name(const sink *s)
{
    return s->path ? s->path : "standard output";
}

static void sink_free(sink *s)
{
    free(s->path);
    free(s->temp);
    free(s);
}

/* "DIR/.cleaner-tmp-PID-N" beside path; its descriptor, or -1. */
static int open_temp(sink *s)
{
    static unsigned long counter;
    char *copy = strdup(s->path);
    if (!copy)
        return -1;
    const char *dir = dirname(copy);
    size_t size = strlen(dir) + sizeof FILEIO_TEMP_PREFIX + 48;
    int fd = -1;
    if ((s->temp = malloc(size))) {
        for (int tries = 0; tries < 100 && fd < 0; tries++) {
            snprintf(s->temp, size, "%s/" FILEIO_TEMP_PREFIX "%ld-%lu", dir, (long)getpid(),
                     counter++);
            fd = open(s->temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd < 0 && errno != EEXIST)
                break;
        }
    }
    free(copy);
    return fd;
}

sink *sink_open(const char *path, cl_error *err)
{
    sink *s = calloc(1, sizeof *s);
    if (!s) {
        cl_fail(err, "out of memory");
        return NULL;
    }
    s->fd = STDOUT_FILENO;
    if (!path || strcmp(path, "-") == 0)
        return s;
    if (!(s->path = strdup(path)) || (s->fd = open_temp(s)) < 0) {
        cl_fail(err, "%s: cannot create a temporary file beside it: %s", path,
                strerror(errno));
        sink_free(s);
        return NULL;
    }
    return s;
}

static int flush(sink *s, cl_error *err)
{
    if (s->len && fileio_write_all(s->fd, s->buf, s->len) < 0)
        return cl_fail(err, "%s: cannot write: %s", sink_name(s), strerror(errno));
    s->len = 0;
    return 0;
}

int sink_write(sink *s, const char *data, size_t len, cl_error *err)
{
    if (s->len + len > sizeof s->buf && flush(s, err) < 0)
        return -1;
    if (len > sizeof s->buf) {
        if (fileio_write_all(s->fd, data, len) < 0)
            return cl_fail(err, "%s: cannot write: %s", sink_name(s), strerror(errno));
        return 0;
    }
    memcpy(s->buf + s->len, data, len);
    s->len += len;
    return 0;
}

/* The folder entry of the rename is durable only once the folder is. */
static int sync_folder(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int sink_commit(sink *s, cl_error *err)
{
    int rc = flush(s, err);
    if (rc == 0 && s->path) {
        if (fsync(s->fd) < 0 || rename(s->temp, s->path) < 0 || sync_folder(s->path) < 0)
            rc = cl_fail(err, "%s: cannot write: %s", s->path, strerror(errno));
    }
    if (s->path) {
        close(s->fd);
        if (rc < 0)
            unlink(s->temp);
    }
    sink_free(s);
    return rc;
}

void sink_abort(sink *s)
{
    if (!s)
        return;
    if (s->path) {
        close(s->fd);
        unlink(s->temp);
    } else {
        cl_error ignored;
        flush(s, &ignored);
    }
    sink_free(s);
}
