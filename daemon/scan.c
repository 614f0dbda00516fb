#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

int scan_ignored(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || ends_with(name, n, ".tmp")
        || ends_with(name, n, ".part") || ends_with(name, n, "~");
}

int scan_exclude_of(const char *path, scan_exclude *out)
{
    struct stat st;
    if (!path || stat(path, &st) < 0)
        return -1;
    out->dev = st.st_dev;
    out->ino = st.st_ino;
    return 0;
}

static int excluded(const struct stat *st, const scan_exclude *excl, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (excl[i].dev == st->st_dev && excl[i].ino == st->st_ino)
            return 1;
    return 0;
}

/* The folders still to visit: a stack of relative paths it owns. */
typedef struct dir_stack {
    char  **items;
    size_t  len, cap;
} dir_stack;

static int push(dir_stack *s, const char *rel)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return -1;
        s->items = items;
        s->cap = cap;
    }
    if (!(s->items[s->len] = strdup(rel)))
        return -1;
    s->len++;
    return 0;
}

static void stack_free(dir_stack *s)
{
    for (size_t i = 0; i < s->len; i++)
        free(s->items[i]);
    free(s->items);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + 1 + strlen(b) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, *a ? "/" : "", b);
    return p;
}

typedef struct walk {
    int                 root_fd;
    const scan_exclude *excl;
    size_t              nexcl;
    unsigned            flags;
    const scan_visitor *v;
    dir_stack           todo;
} walk;

static int skipped_name(const walk *w, const char *name)
{
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return 1;
    return !(w->flags & SCAN_ALL_NAMES) && scan_ignored(name);
}

/* First pass: the names of the folder's regular files. */
static int announce_names(walk *w, const char *rel, DIR *d)
{
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (skipped_name(w, e->d_name))
            continue;
        struct stat st;
        int regular = e->d_type == DT_REG
            || (e->d_type == DT_UNKNOWN
                && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISREG(st.st_mode));
        if (!regular)
            continue;
        char *child = join(rel, e->d_name);
        rc = child ? w->v->on_name(w->v->ctx, child) : -1;
        free(child);
    }
    rewinddir(d);
    return rc;
}

/* Visits the entries of one folder; pushes its subfolders. -1 stops. */
static int visit_dir(walk *w, const char *rel, int dfd)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        log_warn("%s: cannot read folder: %s", rel, strerror(errno));
        return 0;
    }
    int rc = w->v->on_name ? announce_names(w, rel, d) : 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        const char *name = e->d_name;
        if (skipped_name(w, name))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;   /* vanished since readdir: nothing to do */
        char *child = join(rel, name);
        if (!child) {
            rc = -1;
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!excluded(&st, w->excl, w->nexcl) && push(&w->todo, child) < 0)
                rc = -1;
        } else if (w->v->on_file) {
            rc = w->v->on_file(w->v->ctx, child, &st);
        }
        free(child);
    }
    closedir(d);
    return rc;
}

static int open_dir(int root_fd, const char *rel, struct stat *st)
{
    int fd = openat(root_fd, *rel ? rel : ".",
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, st) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int scan_tree(const char *root, const char *start, const scan_exclude *excl,
              size_t nexcl, unsigned flags, const scan_visitor *v,
              cl_error *err)
{
    walk w = { .excl = excl, .nexcl = nexcl, .flags = flags, .v = v };
    w.root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w.root_fd < 0)
        return cl_fail(err, "%s: cannot open folder: %s", root, strerror(errno));
    int rc = push(&w.todo, start ? start : "");
    if (rc < 0)
        cl_fail(err, "out of memory");
    int first = 1;
    while (rc == 0 && w.todo.len > 0) {
        char *rel = w.todo.items[--w.todo.len];
        struct stat st;
        int dfd = open_dir(w.root_fd, rel, &st);
        if (dfd < 0) {
            if (first)
                rc = cl_fail(err, "%s/%s: cannot open folder: %s", root, rel, strerror(errno));
            else if (errno != ENOENT)
                log_warn("%s/%s: cannot open folder: %s", root, rel, strerror(errno));
        } else if (v->on_dir && (rc = v->on_dir(v->ctx, rel, &st)) < 0) {
            close(dfd);
            cl_fail(err, "%s/%s: walk stopped", root, rel);
        } else {
            rc = visit_dir(&w, rel, dfd);
            if (rc < 0)
                cl_fail(err, "%s/%s: walk stopped", root, rel);
        }
        first = 0;
        free(rel);
    }
    stack_free(&w.todo);
    close(w.root_fd);
    return rc;
}
