#include "watcher.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inotifytools/inotifytools.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "strmap.h"

#define WATCHER_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE \
                      | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

/* One read() of events: the kernel's queue drains in a few reads. */
#define WATCHER_BUF (64 * 1024)

struct watcher {
    char          root[PATH_MAX];     /* with a trailing '/' */
    size_t        root_len;
    int           root_fd;            /* for walking below root */
    int           root_wd;
    int           fd;                 /* the library's inotify descriptor */
    scan_exclude  excl[SCAN_MAX_EXCLUDE];
    size_t        nexcl;
    strmap       *watched;            /* rel -> wd */
    strmap       *unwatched;          /* rel -> errno of the last try */
    char         *rel;                /* the last event's path, owned */
    size_t        rel_cap;
    size_t        pos, len;           /* unread events in buf */
    char          buf[WATCHER_BUF] __attribute__((aligned(__alignof__(struct inotify_event))));
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

/* ---- watching ---- */

static void remember_unwatched(watcher *w, const char *rel, int e)
{
    if (strmap_get(w->unwatched, rel))
        return;     /* logged once, when it first failed */
    log_warn("%s%s: cannot watch: %s%s; the periodic rescan covers it", w->root, rel,
             strerror(e), e == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
    strmap_put(w->unwatched, rel, (uint64_t)e);
}

/*
 * Watches one folder.  The kernel call is idempotent and its watch
 * descriptor tells whether the library already knows the folder under this
 * name.  0, or -1 when the folder is gone.
 */
static int watch_one(watcher *w, const char *rel)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s%s%s", w->root, rel, *rel ? "/" : "");
    if (n < 0 || (size_t)n >= sizeof path) {
        remember_unwatched(w, rel, ENAMETOOLONG);
        return 0;
    }
    int wd = inotify_add_watch(w->fd, path, WATCHER_MASK | IN_ONLYDIR | IN_DONT_FOLLOW);
    if (wd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return -1;
        remember_unwatched(w, rel, errno);
        return 0;
    }
    if (strmap_remove(w->unwatched, rel))
        log_info("%s%s: watched now", w->root, rel);
    strmap_put(w->watched, rel, (uint64_t)wd);
    /* The library answers "" (not NULL) for a descriptor it does not know. */
    const char *known = inotifytools_filename_from_wd(wd);
    if (known && *known) {
        if (strcmp(known, path) != 0)
            inotifytools_set_filename_by_wd(wd, path);
        return 0;
    }
    /* The kernel watch exists already: this registers its name with the
     * library, and can only fail if the folder vanished meanwhile. */
    inotifytools_watch_file(path, WATCHER_MASK);
    return 0;
}

static int is_excluded(const watcher *w, const struct stat *st)
{
    for (size_t i = 0; i < w->nexcl; i++)
        if (w->excl[i].dev == st->st_dev && w->excl[i].ino == st->st_ino)
            return 1;
    return 0;
}

int watcher_add_tree(watcher *w, const char *rel)
{
    cl_error err = { "" };
    scan_cursor *c = scan_open(w->root_fd, rel, w->excl, w->nexcl, 0, &err);
    if (!c)
        return 0;   /* gone again, or unreadable: the rescan says which */
    scan_entry e;
    int rc;
    while ((rc = scan_next(c, &e)) == 1) {
        if (S_ISDIR(e.st.st_mode) && !(*e.rel && is_excluded(w, &e.st)))
            watch_one(w, e.rel);
    }
    scan_close(c);
    if (rc < 0)
        log_error("%s%s: out of memory while adding watches", w->root, rel);
    return 1;
}

static int collect_key(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    strmap *keys = ctx;
    return strmap_put(keys, key, 0) < 0 ? -1 : 0;
}

static int retry_one(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    watcher *w = ctx;
    watcher_add_tree(w, key);
    return 0;
}

size_t watcher_retry(watcher *w)
{
    if (strmap_count(w->unwatched) == 0)
        return 0;
    strmap *keys = strmap_new();
    if (keys && strmap_each(w->unwatched, collect_key, keys) == 0)
        strmap_each(keys, retry_one, w);
    strmap_free(keys);
    return strmap_count(w->unwatched);
}

/* ---- folders leaving ---- */

typedef struct subtree {
    const char *rel;
    size_t      len;
    strmap     *found;
} subtree;

static int collect_below(void *ctx, const char *key, uint64_t wd)
{
    subtree *t = ctx;
    if (strncmp(key, t->rel, t->len) == 0 && (key[t->len] == '\0' || key[t->len] == '/'))
        return strmap_put(t->found, key, wd) < 0 ? -1 : 0;
    return 0;
}

static int drop_watch(void *ctx, const char *key, uint64_t wd)
{
    watcher *w = ctx;
    inotifytools_remove_watch_by_wd((int)wd);
    strmap_remove(w->watched, key);
    return 0;
}

static int drop_unwatched(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    watcher *w = ctx;
    strmap_remove(w->unwatched, key);
    return 0;
}

/* Calls fn for the entries of map at or below rel (collected first: fn
 * may change map). */
static void each_below(watcher *w, strmap *map, const char *rel,
                       int (*fn)(void *, const char *, uint64_t))
{
    subtree t = { rel, strlen(rel), strmap_new() };
    if (t.found && strmap_each(map, collect_below, &t) == 0)
        strmap_each(t.found, fn, w);
    strmap_free(t.found);
}

/* Forgets the watches of rel and every folder below it. */
static void drop_subtree(watcher *w, const char *rel)
{
    each_below(w, w->watched, rel, drop_watch);
    each_below(w, w->unwatched, rel, drop_unwatched);
}

/* ---- the watcher ---- */

watcher *watcher_new(const char *root, const scan_exclude *excl, size_t nexcl,
                     cl_error *err)
{
    watcher *w = calloc(1, sizeof *w);
    if (!w) {
        cl_fail(err, "out of memory");
        return NULL;
    }
    w->root_fd = -1;
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
    w->nexcl = !excl ? 0 : nexcl < SCAN_MAX_EXCLUDE ? nexcl : SCAN_MAX_EXCLUDE;
    if (w->nexcl)
        memcpy(w->excl, excl, w->nexcl * sizeof *excl);
    if (!inotifytools_initialize()) {
        cl_fail(err, "cannot start inotify: %s", strerror(inotifytools_error()));
        free(w);
        return NULL;
    }
    w->watched = strmap_new();
    w->unwatched = strmap_new();
    w->fd = find_inotify_fd();
    w->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!w->watched || !w->unwatched || w->fd < 0 || w->root_fd < 0) {
        cl_fail(err, "%s: cannot watch: %s", root,
                w->root_fd < 0 ? strerror(errno) : "no inotify descriptor or memory");
        watcher_free(w);
        return NULL;
    }
    fcntl(w->fd, F_SETFL, fcntl(w->fd, F_GETFL) | O_NONBLOCK);
    watcher_add_tree(w, "");
    uint64_t *wd = strmap_get(w->watched, "");
    if (!wd) {
        cl_fail(err, "%s: cannot watch the input folder: %s", root,
                strmap_get(w->unwatched, "") ? strerror((int)*strmap_get(w->unwatched, ""))
                                             : "it vanished");
        watcher_free(w);
        return NULL;
    }
    w->root_wd = (int)*wd;
    return w;
}

void watcher_free(watcher *w)
{
    if (!w)
        return;
    inotifytools_cleanup();
    if (w->root_fd >= 0)
        close(w->root_fd);
    strmap_free(w->watched);
    strmap_free(w->unwatched);
    free(w->rel);
    free(w);
}

int watcher_fd(const watcher *w)
{
    return w->fd;
}

/* 1 when some folder on the path is a dotfolder we do not process. */
static int in_hidden_folder(const char *rel)
{
    for (const char *p = rel; (p = strchr(p, '/')); p++)
        if (p[1] == '.')
            return 1;
    return rel[0] == '.';
}

/* Sets w->rel to the event's path relative to root; 0 when it has none. */
static int event_rel(watcher *w, const struct inotify_event *ev)
{
    const char *dir = inotifytools_filename_from_wd(ev->wd);
    if (!dir || !*dir || strncmp(dir, w->root, w->root_len) != 0)
        return 0;
    size_t need = strlen(dir + w->root_len) + strlen(ev->name) + 1;
    if (need > w->rel_cap) {
        char *p = realloc(w->rel, need);
        if (!p)
            return 0;
        w->rel = p;
        w->rel_cap = need;
    }
    snprintf(w->rel, need, "%s%s", dir + w->root_len, ev->name);
    return !in_hidden_folder(w->rel);
}

static int translate(watcher *w, const struct inotify_event *ev, watcher_event *out)
{
    out->rel = "";
    if (ev->mask & IN_Q_OVERFLOW) {
        out->kind = WATCHER_OVERFLOW;
        return 1;
    }
    if (ev->wd == w->root_wd && (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))) {
        out->kind = WATCHER_ROOT_LOST;
        return 1;
    }
    if (ev->len == 0 || !ev->name[0] || !event_rel(w, ev))
        return 0;
    out->rel = w->rel;
    if (ev->mask & IN_ISDIR) {
        if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
            drop_subtree(w, w->rel);
        if (!(ev->mask & (IN_CREATE | IN_MOVED_TO)) || scan_ignored(ev->name))
            return 0;
        out->kind = WATCHER_DIR_NEW;
        return 1;
    }
    if (scan_ignored(ev->name))
        return 0;
    if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
        out->kind = WATCHER_FILE_READY;
    else if (ev->mask & IN_CREATE)
        out->kind = WATCHER_FILE_CREATED;
    else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
        out->kind = WATCHER_FILE_GONE;
    else
        return 0;
    return 1;
}

int watcher_next(watcher *w, watcher_event *ev)
{
    for (;;) {
        if (w->pos >= w->len) {
            ssize_t n = read(w->fd, w->buf, sizeof w->buf);
            if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -1;
            if (n == 0)
                return 0;
            w->pos = 0;
            w->len = (size_t)n;
        }
        const struct inotify_event *raw = (const void *)(w->buf + w->pos);
        w->pos += sizeof *raw + raw->len;
        if (translate(w, raw, ev))
            return 1;
    }
}
