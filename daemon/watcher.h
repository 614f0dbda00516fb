/*
 * watcher.h - inotify events for IN and its subfolders, via libinotifytools.
 *
 * The only module that touches libinotifytools, and for two things only:
 * its inotify instance (inotifytools_initialize, _cleanup) and its table
 * from watch descriptors to folder names (inotifytools_watch_file,
 * _filename_from_wd, _set_filename_by_wd, _remove_watch_by_wd), which
 * turns an event into a path.  Adding watches (inotify_add_watch, so each
 * failure is seen per folder) and reading events (one non-blocking read of
 * the library's descriptor at a time) are ours.  The library keeps its
 * state in process-wide globals (some with plain names like `verbosity`),
 * so at most one watcher exists at a time and nothing else includes
 * <inotifytools/inotifytools.h>.  The library blocks in select() with a
 * timeout in whole seconds; for the event loop we find its descriptor
 * (watcher_fd) and drain events with watcher_next(), which never blocks.
 *
 * Folders leaving: a subfolder deleted or moved away loses its watches
 * (and those below it) as soon as its event is read, so nothing that
 * happens in it afterwards is attributed to a folder of the same name in
 * IN.  IN itself deleted or moved away gives WATCHER_ROOT_LOST: every
 * watch is then stale and the caller frees the watcher, and makes a new
 * one once IN exists again.
 *
 * Folders that cannot be watched (fs.inotify.max_user_watches reached,
 * permissions) are remembered and logged once each; watcher_retry()
 * tries them again (the daemon calls it on its rescan timer, and the
 * rescan covers their files meanwhile).
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
    WATCHER_FILE_CREATED,    /* created; only non-regular files and new
                                hard links matter (no close event follows) */
    WATCHER_FILE_GONE,       /* deleted or moved away */
    WATCHER_DIR_NEW,         /* created or moved in: watch and scan it */
    WATCHER_OVERFLOW,        /* the kernel queue overflowed: rescan IN */
    WATCHER_ROOT_LOST,       /* IN was deleted or moved: every watch is gone */
} watcher_kind;

typedef struct watcher_event {
    watcher_kind kind;
    const char  *rel;        /* borrowed until the next watcher_next() */
} watcher_event;

typedef struct watcher watcher;

/* Watches root recursively, except the excluded folders.  NULL with err
 * when root itself cannot be watched. */
watcher *watcher_new(const char *root, const scan_exclude *excl, size_t nexcl,
                     cl_error *err);
void     watcher_free(watcher *w);

int      watcher_fd(const watcher *w);

/* 1 with *ev filled, 0 when no event is pending, -1 on a read error. */
int      watcher_next(watcher *w, watcher_event *ev);

/*
 * Watches root/rel and every folder below it.  Call before scanning it:
 * files created before the watch are found by the scan, those created after
 * come as events, so none is missed.  1 if walked, 0 if it is excluded or
 * gone.  A folder below that cannot be watched is remembered (see above).
 */
int      watcher_add_tree(watcher *w, const char *rel);

/* Tries the remembered folders again; the number still unwatched. */
size_t   watcher_retry(watcher *w);

#endif
