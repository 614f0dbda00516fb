#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

int fileio_errno_is_transient(int e)
{
    switch (e) {
    case ENOSPC: case EDQUOT: case EACCES: case EPERM: case EROFS: case EIO:
    case ENOMEM: case EMFILE: case ENFILE: case EAGAIN: case EBUSY:
    case ETXTBSY: case EINTR: case ESTALE: case ETIMEDOUT:
    case ENOENT:    /* a folder deleted under us: not the input's fault */
        return 1;
    default:
        return 0;
    }
}

/* -1 or FILEIO_TRANSIENT for errno e, with the message formatted. */
static int fail_errno(cl_error *err, int e, const char *what, const char *name)
{
    cl_fail(err, "cannot %s%s%s: %s", what, name ? " " : "", name ? name : "",
            strerror(e));
    return fileio_errno_is_transient(e) ? FILEIO_TRANSIENT : -1;
}

int fileio_read_fd(int fd, size_t max, cl_buf *out, cl_error *err)
{
    size_t total = 0;
    for (;;) {
        if (cl_buf_reserve(out, FILEIO_CHUNK + 1) < 0)
            return cl_fail(err, "out of memory");
        ssize_t n = read(fd, out->data + out->len, FILEIO_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail_errno(err, errno, "read", NULL);
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

/* ---- resolving beneath a folder ---- */

/*
 * Walks rel one component at a time from root, refusing symlinks and "..".
 * Each step's descriptor is closed once the next is open, so the depth of
 * a path costs no descriptors and no PATH_MAX: a tree deeper than PATH_MAX
 * resolves as well as a shallow one.
 */
int fileio_open_dir_at(int root, const char *rel, int create)
{
    int fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *p = rel;
    while (fd >= 0 && *p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        char name[NAME_MAX + 1];
        if (n == 0 || n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.')) {
            close(fd);
            errno = n > NAME_MAX ? ENAMETOOLONG : EINVAL;
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (create && mkdirat(fd, name, 0755) < 0 && errno != EEXIST) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int saved = errno;
        close(fd);
        errno = saved;
        fd = next;
        p += n + (slash != NULL);
    }
    return fd;
}

/* Splits rel at its last '/': the folder part into dir, the name returned. */
static const char *split_rel(const char *rel, char *dir, size_t size)
{
    const char *slash = strrchr(rel, '/');
    if (!slash) {
        dir[0] = '\0';
        return rel;
    }
    size_t n = (size_t)(slash - rel);
    if (n >= size)
        n = size - 1;
    memcpy(dir, rel, n);
    dir[n] = '\0';
    return slash + 1;
}

/* The folder holding root/rel, opened safely; its leaf name in *leaf. */
static int open_parent(int root, const char *rel, int create, const char **leaf,
                       char *dir, size_t size)
{
    *leaf = split_rel(rel, dir, size);
    return fileio_open_dir_at(root, dir, create);
}

/* ---- reads ---- */

/* Takes a read lease: 1 taken, 0 not available here, -1 open for writing. */
static int take_read_lease(int fd)
{
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
        return 1;
    return errno == EAGAIN ? -1 : 0;
}

static uint64_t age_ms(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t ms = (int64_t)(now.tv_sec - t->tv_sec) * 1000
        + (now.tv_nsec - t->tv_nsec) / 1000000;
    return ms > 0 ? (uint64_t)ms : 0;
}

static int same_version(const struct stat *a, const struct stat *b)
{
    return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec
        && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Reads an opened input under the checks of fileio.h. */
static int read_opened(int fd, const fileio_read_opts *o, cl_buf *out, cl_error *err)
{
    struct stat st, after;
    int lease = 0, rc;
    if (fstat(fd, &st) < 0)
        return fail_errno(err, errno, "stat", NULL);
    if (!S_ISREG(st.st_mode))
        return cl_fail(err, "refused: not a regular file (%s)", fileio_kind_name(st.st_mode));
    if ((unsigned long long)st.st_size > o->max_bytes)
        return cl_fail(err, "refused: %lld bytes, larger than max_input_bytes (%zu)",
                       (long long)st.st_size, o->max_bytes);
    if (o->skip_if_writing && (lease = take_read_lease(fd)) < 0)
        return FILEIO_WRITING;
    if (o->skip_if_writing && lease == 0 && age_ms(&st.st_mtim) < o->settle_ms)
        return FILEIO_WRITING;
    if (cl_buf_reserve(out, (size_t)st.st_size + 1) < 0)
        rc = cl_fail(err, "out of memory");
    else
        rc = fileio_read_fd(fd, o->max_bytes, out, err);
    if (rc == 0 && o->skip_if_writing && lease == 0
        && (fstat(fd, &after) < 0 || !same_version(&st, &after)))
        rc = FILEIO_WRITING;
    if (lease > 0)
        fcntl(fd, F_SETLEASE, F_UNLCK);
    return rc;
}

int fileio_read_at(int root, const char *rel, const fileio_read_opts *o,
                   cl_buf *out, cl_error *err)
{
    char dir[PATH_MAX];
    const char *leaf;
    int dfd = open_parent(root, rel, 0, &leaf, dir, sizeof dir);
    if (dfd < 0) {
        if (errno == ENOENT)
            return FILEIO_GONE;
        if (errno == ELOOP || errno == ENOTDIR)
            return cl_fail(err, "refused: a symbolic link or no folder on the path");
        return fail_errno(err, errno, "open the folder", NULL);
    }
    int fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int saved = errno;
    close(dfd);
    if (fd < 0) {
        if (saved == ENOENT)
            return FILEIO_GONE;
        if (saved == ELOOP)
            return cl_fail(err, "refused: symbolic link");
        return fail_errno(err, saved, "open", NULL);
    }
    int rc = read_opened(fd, o, out, err);
    close(fd);
    return rc;
}

int fileio_unlink_at(int root, const char *rel)
{
    char dir[PATH_MAX];
    const char *leaf;
    int dfd = open_parent(root, rel, 0, &leaf, dir, sizeof dir);
    if (dfd < 0)
        return -1;
    int rc = unlinkat(dfd, leaf, 0);
    int saved = errno;
    close(dfd);
    errno = saved;
    return rc;
}

int fileio_read_path(const char *path, size_t max, cl_buf *out, cl_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            return cl_fail(err, "refused: symbolic link");
        return cl_fail(err, "cannot open: %s", strerror(errno));
    }
    fileio_read_opts o = { .max_bytes = max };
    int rc = read_opened(fd, &o, out, err);
    close(fd);
    return rc == 0 ? 0 : -1;
}

/* ---- writes ---- */

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

/*
 * Creates a new temporary file in folder dfd, mode 0644 less the umask.
 * The name holds the pid and a counter, so concurrent writers never pick
 * the same one and a restart can tell a dead writer's leftovers from a
 * live one's; O_EXCL guards against leftovers of an earlier same pid.
 */
static int create_temp(int dfd, char *tmp, size_t size)
{
    static unsigned long counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(tmp, size, FILEIO_TEMP_PREFIX "%ld-%lu", (long)getpid(), counter++);
        int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* The folder a write goes to, opened (and made) safely; on failure -1
 * with *rc the class: a symlink in the way is the folder's fault, not the
 * input's, so it is transient like a full disk. */
static int open_target_dir(int root, const char *rel, const char **leaf,
                           int *rc, cl_error *err)
{
    char dir[PATH_MAX];
    int dfd = open_parent(root, rel, 1, leaf, dir, sizeof dir);
    if (dfd >= 0)
        return dfd;
    if (errno == ELOOP || errno == ENOTDIR) {
        cl_fail(err, "cannot write: a symbolic link or no folder on the output path");
        *rc = FILEIO_TRANSIENT;
    } else {
        *rc = fail_errno(err, errno, "create the output folder", NULL);
    }
    return -1;
}

/* Writes, syncs and closes the temporary file: the failing step, or NULL. */
static const char *fill_temp(int fd, const char *data, size_t len, int *saved)
{
    const char *step = NULL;
    if (fileio_write_all(fd, data, len) < 0)
        step = "write";
    else if (fdatasync(fd) < 0)
        step = "fsync";
    if (step)
        *saved = errno;
    if (close(fd) < 0 && !step) {
        step = "close";
        *saved = errno;
    }
    return step;
}

int fileio_write_atomic_at(int root, const char *rel, const char *data,
                           size_t len, cl_error *err)
{
    const char *leaf;
    int rc = 0;
    int dfd = open_target_dir(root, rel, &leaf, &rc, err);
    if (dfd < 0)
        return rc;
    char tmp[64];
    int saved = 0;
    const char *step = NULL;
    int fd = create_temp(dfd, tmp, sizeof tmp);
    if (fd < 0) {
        step = "create a temporary file for";
        saved = errno;
    } else if ((step = fill_temp(fd, data, len, &saved)) == NULL) {
        if (renameat(dfd, tmp, dfd, leaf) < 0)
            step = "rename";
        else if (fsync(dfd) < 0)
            step = "fsync the folder of";
        if (step)
            saved = errno;
    }
    if (step) {
        if (fd >= 0)
            unlinkat(dfd, tmp, 0);
        rc = fail_errno(err, saved, step, leaf);
    }
    close(dfd);
    return rc;
}

int fileio_move_at(int from_root, const char *from_rel, int to_root,
                   const char *to_rel, cl_error *err)
{
    char dir[PATH_MAX];
    const char *from_leaf, *to_leaf;
    int from = open_parent(from_root, from_rel, 0, &from_leaf, dir, sizeof dir);
    if (from < 0)
        return fail_errno(err, errno, "open the folder of", from_rel);
    int rc = 0;
    int to = open_target_dir(to_root, to_rel, &to_leaf, &rc, err);
    if (to < 0) {
        close(from);
        return rc;
    }
    if (renameat(from, from_leaf, to, to_leaf) < 0) {
        if (errno == EXDEV)
            rc = cl_fail(err, "cannot move: not on the same filesystem");
        else if (errno == ENOENT)   /* the input is gone: nothing to retry */
            rc = cl_fail(err, "cannot move %s: %s", from_rel, strerror(ENOENT));
        else
            rc = fail_errno(err, errno, "move", from_rel);
    } else if (fsync(to) < 0 || fsync(from) < 0) {
        rc = fail_errno(err, errno, "fsync after moving", from_rel);
    }
    close(from);
    close(to);
    return rc;
}

int fileio_is_temp(const char *name)
{
    return strncmp(name, FILEIO_TEMP_PREFIX, sizeof FILEIO_TEMP_PREFIX - 1) == 0;
}

/* When process pid started, in nanoseconds since the epoch, to a clock
 * tick; LLONG_MAX for a zombie (it writes nothing any more); -1 when it
 * cannot be told (no /proc, or hidden from us).  The boot
 * time comes from the two clocks, not /proc/stat's whole seconds, so that
 * a pid reused within a second of its last holder's write is still told
 * apart. */
static long long process_start_ns(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');     /* the name may hold anything */
    if (p && (p[2] == 'Z' || p[2] == 'X'))
        return LLONG_MAX;   /* a zombie no one reaps (a container's init): gone */
    unsigned long long ticks = 0;
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    long hz = sysconf(_SC_CLK_TCK);
    if (!p || sscanf(p + 1, "%llu", &ticks) != 1 || hz <= 0)
        return -1;
    struct timespec real, boot;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    long long booted = ((long long)real.tv_sec - boot.tv_sec) * 1000000000LL
                       + (real.tv_nsec - boot.tv_nsec);
    return booted + (long long)(ticks * (1000000000ULL / (unsigned long long)hz));
}

/* Clock ticks and the two clocks' reading: how far apart a start and a
 * write must be to be told apart. */
#define FILEIO_START_SLACK_NS 50000000LL

int fileio_temp_is_stale(const char *name, const struct stat *st)
{
    if (!fileio_is_temp(name))
        return 0;
    char *end;
    long pid = strtol(name + sizeof FILEIO_TEMP_PREFIX - 1, &end, 10);
    if (pid <= 0 || *end != '-')
        return 1;   /* not a name we make: nobody writes it */
    /* EPERM: alive under another user (a hidden process): not stale. */
    if (kill((pid_t)pid, 0) < 0)
        return errno == ESRCH;
    /* Alive, but started after the file was last written: the pid was
     * reused, and the writer is gone. */
    long long started = process_start_ns(pid);
    long long written = st ? (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec
                           : 0;
    return st && started >= 0 && started > written + FILEIO_START_SLACK_NS;
}
