#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read granularity: large enough that a typical article is one read(). */
#define FILEIO_CHUNK (64u * 1024)

const char *fileio_kind_name(unsigned m)
{
    if (S_ISFIFO(m)) return "FIFO";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISCHR(m))  return "character device";
    if (S_ISBLK(m))  return "block device";
    if (S_ISDIR(m))  return "directory";
    if (S_ISLNK(m))  return "symbolic link";
    return "special file";
}

int fileio_read_fd(int fd, size_t max, cl_buf *out, cl_error *err)
{
    size_t total = 0;
    for (;;) {
        size_t want = FILEIO_CHUNK;
        if (cl_buf_reserve(out, want + 1) < 0)
            return cl_fail(err, "out of memory");
        ssize_t n = read(fd, out->data + out->len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return cl_fail(err, "cannot read: %s", strerror(errno));
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > max)
            return cl_fail(err, "refused: larger than max_input_bytes (%zu)", max);
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    return 0;
}

/* Takes a read lease: 1 taken, 0 not available here, -1 open for writing. */
static int take_read_lease(int fd)
{
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
        return 1;
    return errno == EAGAIN ? -1 : 0;
}

int fileio_read_input(const char *path, size_t max, unsigned flags, cl_buf *out,
                      cl_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return FILEIO_GONE;
        if (errno == ELOOP)
            return cl_fail(err, "refused: symbolic link");
        return cl_fail(err, "cannot open: %s", strerror(errno));
    }
    struct stat st;
    int rc, lease = 0;
    if (fstat(fd, &st) < 0)
        rc = cl_fail(err, "cannot stat: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = cl_fail(err, "refused: not a regular file (%s)", fileio_kind_name(st.st_mode));
    else if ((unsigned long long)st.st_size > max)
        rc = cl_fail(err, "refused: %lld bytes, larger than max_input_bytes (%zu)",
                     (long long)st.st_size, max);
    else if ((flags & FILEIO_SKIP_IF_WRITING) && (lease = take_read_lease(fd)) < 0)
        rc = FILEIO_WRITING;
    else if (cl_buf_reserve(out, (size_t)st.st_size + 1) < 0)
        rc = cl_fail(err, "out of memory");
    else
        rc = fileio_read_fd(fd, max, out, err);
    if (lease > 0)
        fcntl(fd, F_SETLEASE, F_UNLCK);
    close(fd);
    return rc;
}

int fileio_read_path(const char *path, size_t max, cl_buf *out, cl_error *err)
{
    int rc = fileio_read_input(path, max, 0, out, err);
    if (rc == FILEIO_GONE)
        return cl_fail(err, "cannot open: %s", strerror(ENOENT));
    return rc;
}

int fileio_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int fileio_make_dirs(const char *dir, cl_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;   /* the common case: one call instead of one per level */
    char path[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0)
        return 0;
    if (n >= sizeof path)
        return cl_fail(err, "%s: path too long", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            return cl_fail(err, "cannot create folder %s: %s", path, strerror(errno));
        path[i] = saved;
    }
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        return cl_fail(err, "cannot create folder %s: %s", dir, strerror(ENOTDIR));
    return 0;
}

/* Splits path into its folder (returned in dir) and final name. */
static const char *split_path(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
        return path;
    }
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    snprintf(dir, size, "%.*s", (int)n, path);
    return slash + 1;
}

static int sync_dir(const char *dir, cl_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return cl_fail(err, "cannot open folder %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    if (rc < 0)
        return cl_fail(err, "cannot fsync folder %s: %s", dir, strerror(saved));
    return 0;
}

/*
 * Creates a new temporary file in dir, mode 0644 less the umask (created
 * with its final mode: no fchmod).  The name holds the pid and a counter,
 * so concurrent writers never pick the same one; O_EXCL guards against
 * leftovers of an earlier process with the same pid.
 */
static int create_temp(const char *dir, char *tmp, size_t size, cl_error *err)
{
    static unsigned long counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        if ((size_t)snprintf(tmp, size, "%s/" FILEIO_TEMP_PREFIX "%ld-%lu", dir,
                             (long)getpid(), counter++) >= size)
            return cl_fail(err, "output path too long");
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0)
                cl_fail(err, "cannot create a temporary file in %s: %s", dir, strerror(errno));
            return fd;
        }
    }
    return cl_fail(err, "cannot create a temporary file in %s: names taken", dir);
}

int fileio_write_atomic(const char *path, const char *data, size_t len,
                        cl_error *err)
{
    char dir[PATH_MAX], tmp[PATH_MAX];
    split_path(path, dir, sizeof dir);
    if (fileio_make_dirs(dir, err) < 0)
        return -1;
    int fd = create_temp(dir, tmp, sizeof tmp, err);
    if (fd < 0)
        return -1;
    const char *step = NULL;
    if (fileio_write_all(fd, data, len) < 0)
        step = "write";
    else if (fdatasync(fd) < 0)
        step = "fsync";
    int saved = errno;
    if (close(fd) < 0 && !step) {
        step = "close";
        saved = errno;
    }
    if (!step && rename(tmp, path) < 0) {
        step = "rename";
        saved = errno;
    }
    if (step) {
        unlink(tmp);
        return cl_fail(err, "cannot %s %s: %s", step, path, strerror(saved));
    }
    return sync_dir(dir, err);
}

int fileio_move(const char *from, const char *to, cl_error *err)
{
    char from_dir[PATH_MAX], to_dir[PATH_MAX];
    split_path(from, from_dir, sizeof from_dir);
    split_path(to, to_dir, sizeof to_dir);
    if (fileio_make_dirs(to_dir, err) < 0)
        return -1;
    if (rename(from, to) < 0) {
        if (errno == EXDEV)
            return cl_fail(err, "cannot move to %s: not on the same filesystem", to);
        return cl_fail(err, "cannot move to %s: %s", to, strerror(errno));
    }
    if (sync_dir(to_dir, err) < 0)
        return -1;
    return sync_dir(from_dir, err);
}

int fileio_is_temp(const char *name)
{
    return strncmp(name, FILEIO_TEMP_PREFIX, sizeof FILEIO_TEMP_PREFIX - 1) == 0;
}
