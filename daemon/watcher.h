/*
 * watcher.h - inotify events for IN and its subfolders, via libinotifytools.
 *
 * The only module that touches libinotifytools.  That library keeps its
 * state in process-wide globals (some with plain names like `verbosity` or
 * `initialized`), so at most one watcher may exist, and nothing else may
 * include <inotifytools/inotifytools.h>.
 *
 * The library blocks in select() with a timeout in whole seconds; to fit an
 * event loop we find its inotify descriptor (watcher_fd) for poll(), then
 * drain the events with watcher_next(), which never blocks.
 *
 * Paths in events are relative to IN.  Events under dotfolders or for
 * ignored names (scan_ignored) are dropped here.
 */
#ifndef CLEANER_DAEMON_WATCHER_H
#define CLEANER_DAEMON_WATCHER_H

#include <stddef.h>
#include "error.h"
#include "scan.h"

typedef enum watcher_kind {
    WATCHER_FILE_READY = 0,  /* closed after writing, or moved in: clean it */
    WATCHER_FILE_CREATED,    /* created; only non-regular ones matter */
    WATCHER_FILE_GONE,       /* deleted or moved away */
    WATCHER_DIR_NEW,         /* created or moved in: watch and scan it */
    WATCHER_OVERFLOW,        /* the kernel queue overflowed: rescan IN */
} watcher_kind;

typedef struct watcher_event {
    watcher_kind kind;
    const char  *rel;        /* borrowed until the next watcher_next() */
} watcher_event;

typedef struct watcher watcher;

/* Watches root recursively, except the excluded folders. NULL with err. */
watcher *watcher_new(const char *root, const scan_exclude *excl, size_t nexcl,
                     cl_error *err);
void     watcher_free(watcher *w);

int      watcher_fd(const watcher *w);

/* 1 with *ev filled, 0 when no event is pending, -1 on a read error. */
int      watcher_next(watcher *w, watcher_event *ev);

/*
 * Watches root/rel and every folder below it.  Call before scanning it:
 * files created before the watch are found by the scan, those created after
 * come as events, so none is missed.  1 if watched, 0 if it is excluded or
 * already watched (or gone), -1 with err.
 */
int      watcher_add_tree(watcher *w, const char *rel, cl_error *err);

/* Watches folders below root that lack a watch (after an overflow, their
 * creation events may have been lost).  0 or -1 with err. */
int      watcher_refresh(watcher *w, cl_error *err);

#endif
