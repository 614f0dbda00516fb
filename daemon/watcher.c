#include "watcher.h"

#include <dirent.h>
#include <errno.h>
#include <inotifytools/inotifytools.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCHER_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE)

struct watcher {
    char          root[PATH_MAX];     /* with a trailing '/' */
    size_t        root_len;
    int           fd;
    scan_exclude  excl[4];
    size_t        nexcl;
    char          rel[PATH_MAX];
};

/* libinotifytools has no accessor for its descriptor: find the process's
 * only inotify instance in /proc/self/fd. */
static int find_inotify_fd(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int found = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        char target[64];
        ssize_t n = readlinkat(dirfd(d), e->d_name, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strcmp(target, "anon_inode:inotify") == 0)
            found = atoi(e->d_name);
    }
    closedir(d);
    return found;
}

static int is_excluded(const watcher *w, const char *path)
{
    scan_exclude id;
    if (scan_exclude_of(path, &id) < 0)
        return 0;
    for (size_t i = 0; i < w->nexcl; i++)
        if (w->excl[i].dev == id.dev && w->excl[i].ino == id.ino)
            return 1;
    return 0;
}

watcher *watcher_new(const char *root, const scan_exclude *excl, size_t nexcl,
                     cl_error *err)
{
    watcher *w = calloc(1, sizeof *w);
    if (!w) {
        cl_fail(err, "out of memory");
        return NULL;
    }
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n + 2 > sizeof w->root) {
        free(w);
        cl_fail(err, "%s: path too long", root);
        return NULL;
    }
    memcpy(w->root, root, n);
    w->root[n] = '/';
    w->root[n + 1] = '\0';
    w->root_len = n + 1;
    w->nexcl = nexcl < 4 ? nexcl : 4;
    memcpy(w->excl, excl, w->nexcl * sizeof *excl);

    if (!inotifytools_initialize()) {
        cl_fail(err, "cannot start inotify: %s", strerror(inotifytools_error()));
        free(w);
        return NULL;
    }
    w->fd = find_inotify_fd();
    if (w->fd < 0) {
        cl_fail(err, "cannot find the inotify descriptor");
        watcher_free(w);
        return NULL;
    }
    if (watcher_add_tree(w, "", err) < 0) {
        watcher_free(w);
        return NULL;
    }
    return w;
}

void watcher_free(watcher *w)
{
    if (!w)
        return;
    inotifytools_cleanup();
    free(w);
}

int watcher_fd(const watcher *w)
{
    return w->fd;
}

/*
 * Watches one folder; the walk (our scanner, which honours the exclusions)
 * brings the ones below.  The kernel call comes first: it is idempotent and
 * its watch descriptor tells whether the library already knows the folder
 * under this name (its name table keeps stale entries of deleted folders,
 * so looking the name up is not enough).
 */
static int watch_one(void *ctx, const char *rel, const struct stat *st)
{
    (void)st;
    watcher *w = ctx;
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s%s%s", w->root, rel, *rel ? "/" : "");
    if (n < 0 || (size_t)n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int wd = inotify_add_watch(w->fd, path, WATCHER_MASK);
    if (wd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    /* The library answers "" (not NULL) for a descriptor it does not know. */
    const char *known = inotifytools_filename_from_wd(wd);
    if (known && strcmp(known, path) == 0)
        return 0;
    if (known && *known) {
        inotifytools_set_filename_by_wd(wd, path);
        return 0;
    }
    /* The kernel watch exists already: this registers its name with the
     * library, and can only fail if the folder vanished meanwhile. */
    inotifytools_watch_file(path, WATCHER_MASK);
    return 0;
}

static int add_tree(watcher *w, const char *rel, cl_error *err)
{
    scan_visitor folders = { .on_dir = watch_one, .ctx = w };
    int rc = scan_tree(w->root, rel, w->excl, w->nexcl, 0, &folders, err);
    if (rc < 0 && errno)
        return cl_fail(err, "%s%s: cannot watch: %s%s", w->root, rel, strerror(errno),
                       errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
    return rc;
}

int watcher_add_tree(watcher *w, const char *rel, cl_error *err)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", w->root, rel);
    if (*rel && is_excluded(w, path))
        return 0;
    errno = 0;
    if (add_tree(w, rel, err) < 0)
        return errno == ENOENT ? 0 : -1;
    return 1;
}

int watcher_refresh(watcher *w, cl_error *err)
{
    errno = 0;
    return add_tree(w, "", err) < 0 ? -1 : 0;
}

/* 1 when some folder on the path is a dotfolder we do not process. */
static int in_hidden_folder(const char *rel)
{
    for (const char *p = rel; (p = strchr(p, '/')); p++)
        if (p[1] == '.')
            return 1;
    return rel[0] == '.';
}

static int translate(watcher *w, const struct inotify_event *ev, watcher_event *out)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        out->kind = WATCHER_OVERFLOW;
        out->rel = "";
        return 1;
    }
    if (ev->len == 0 || !ev->name[0] || scan_ignored(ev->name))
        return 0;
    const char *dir = inotifytools_filename_from_wd(ev->wd);
    if (!dir || !*dir || strncmp(dir, w->root, w->root_len) != 0)
        return 0;
    int n = snprintf(w->rel, sizeof w->rel, "%s%s", dir + w->root_len, ev->name);
    if (n < 0 || (size_t)n >= sizeof w->rel || in_hidden_folder(w->rel))
        return 0;
    out->rel = w->rel;
    if (ev->mask & IN_ISDIR) {
        if (!(ev->mask & (IN_CREATE | IN_MOVED_TO)))
            return 0;
        out->kind = WATCHER_DIR_NEW;
    } else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
        out->kind = WATCHER_FILE_READY;
    } else if (ev->mask & IN_CREATE) {
        out->kind = WATCHER_FILE_CREATED;
    } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
        out->kind = WATCHER_FILE_GONE;
    } else {
        return 0;
    }
    return 1;
}

int watcher_next(watcher *w, watcher_event *ev)
{
    for (;;) {
        /* next_event(0) would block: only next_events() takes 0 as "poll". */
        struct inotify_event *raw = inotifytools_next_events(0, 1);
        if (!raw)
            return inotifytools_error() && inotifytools_error() != EINTR ? -1 : 0;
        if (translate(w, raw, ev))
            return 1;
    }
}
