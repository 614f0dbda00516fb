#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
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

/* The folders still to visit: a stack of relative paths it owns. */
typedef struct dir_stack {
    char  **items;
    size_t  len, cap;
} dir_stack;

static int push_owned(dir_stack *s, char *rel)
{
    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return -1;
        s->items = items;
        s->cap = cap;
    }
    s->items[s->len++] = rel;
    return 0;
}

struct scan_cursor {
    int           root_fd;
    scan_exclude  excl[SCAN_MAX_EXCLUDE];
    size_t        nexcl;
    unsigned      flags;
    dir_stack     todo;
    DIR          *dir;        /* the folder being read, NULL between folders */
    char         *dir_rel;    /* its path, owned */
    char         *rel;        /* the entry last returned, owned */
};

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + 1 + strlen(b) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, *a ? "/" : "", b);
    return p;
}

static int excluded(const scan_cursor *c, const struct stat *st)
{
    for (size_t i = 0; i < c->nexcl; i++)
        if (c->excl[i].dev == st->st_dev && c->excl[i].ino == st->st_ino)
            return 1;
    return 0;
}

static int skipped_name(const scan_cursor *c, const char *name)
{
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return 1;
    return !(c->flags & SCAN_ALL_NAMES) && scan_ignored(name);
}

/* Opens folder rel for reading; fills st.  The DIR, or NULL (errno). */
static DIR *open_folder(const scan_cursor *c, const char *rel, struct stat *st)
{
    int fd = fileio_open_dir_at(c->root_fd, rel, 0);
    if (fd < 0)
        return NULL;
    DIR *d = fstat(fd, st) == 0 ? fdopendir(fd) : NULL;
    if (!d) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return d;
}

scan_cursor *scan_open(int root_fd, const char *start, const scan_exclude *excl,
                       size_t nexcl, unsigned flags, cl_error *err)
{
    scan_cursor *c = calloc(1, sizeof *c);
    char *first = strdup(start ? start : "");
    if (!c || !first || push_owned(&c->todo, first) < 0) {
        free(first);
        scan_close(c);
        cl_fail(err, "out of memory");
        return NULL;
    }
    c->root_fd = root_fd;
    c->nexcl = excl && nexcl < SCAN_MAX_EXCLUDE ? nexcl : excl ? SCAN_MAX_EXCLUDE : 0;
    if (c->nexcl)
        memcpy(c->excl, excl, c->nexcl * sizeof *excl);
    c->flags = flags;
    struct stat st;
    DIR *probe = open_folder(c, first, &st);
    if (!probe) {
        cl_fail(err, "%s: cannot open folder: %s", *first ? first : ".", strerror(errno));
        scan_close(c);
        return NULL;
    }
    closedir(probe);
    return c;
}

void scan_close(scan_cursor *c)
{
    if (!c)
        return;
    if (c->dir)
        closedir(c->dir);
    for (size_t i = 0; i < c->todo.len; i++)
        free(c->todo.items[i]);
    free(c->todo.items);
    free(c->dir_rel);
    free(c->rel);
    free(c);
}

/* Starts the next folder waiting: 1 with the folder as the entry, 0 when
 * none is left, -1 out of memory.  Unreadable folders are skipped. */
static int next_folder(scan_cursor *c, scan_entry *e)
{
    while (c->todo.len > 0) {
        char *rel = c->todo.items[--c->todo.len];
        DIR *d = open_folder(c, rel, &e->st);
        if (!d) {
            if (errno != ENOENT)
                log_warn("%s: cannot open folder: %s", *rel ? rel : ".", strerror(errno));
            free(rel);
            continue;
        }
        c->dir = d;
        free(c->dir_rel);
        c->dir_rel = rel;
        free(c->rel);
        if (!(c->rel = strdup(rel)))
            return -1;
        e->rel = c->rel;
        return 1;
    }
    return 0;
}

int scan_next(scan_cursor *c, scan_entry *e)
{
    for (;;) {
        if (!c->dir)
            return next_folder(c, e);
        struct dirent *d = readdir(c->dir);
        if (!d) {
            closedir(c->dir);
            c->dir = NULL;
            continue;
        }
        if (skipped_name(c, d->d_name))
            continue;
        if (fstatat(dirfd(c->dir), d->d_name, &e->st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;   /* vanished since readdir: nothing to do */
        char *child = join(c->dir_rel, d->d_name);
        if (!child)
            return -1;
        if (S_ISDIR(e->st.st_mode)) {
            if (excluded(c, &e->st)) {
                free(child);
            } else if (push_owned(&c->todo, child) < 0) {
                free(child);
                return -1;
            }
            continue;
        }
        free(c->rel);
        c->rel = child;
        e->rel = child;
        return 1;
    }
}
