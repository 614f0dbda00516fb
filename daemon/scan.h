/*
 * scan.h - walking a folder tree in bounded steps (deep trees cost no
 * stack, large ones no pause).
 *
 * A cursor yields the entries below root/start one at a time: every
 * folder (start included) before its entries, then every other entry
 * (regular files, but also FIFOs, sockets, symlinks: the caller decides)
 * with its lstat().  So the daemon's event loop can take a few hundred
 * entries a round and handle signals, events and results in between.
 * Folders are opened one component at a time beneath the root's
 * descriptor without following symlinks (fileio_open_dir_at), so a walk
 * never leaves the tree and a path deeper than PATH_MAX is walked too.
 * Ignored names (scan_ignored) are skipped unless SCAN_ALL_NAMES is given,
 * and so are the excluded folders (OUT, done_dir, failed_dir when inside
 * IN), compared by device and inode.  `rel` is relative to root ("" for
 * root).
 *
 * A folder that cannot be read is logged and skipped; only an unreadable
 * start folder fails the walk (scan_open returns NULL with err).
 * Cost: one lstat per entry; memory: one open folder and the names of the
 * folders waiting to be visited.
 */
#ifndef CLEANER_DAEMON_SCAN_H
#define CLEANER_DAEMON_SCAN_H

#include <stddef.h>
#include <sys/stat.h>
#include "error.h"

typedef struct scan_exclude {
    dev_t dev;
    ino_t ino;
} scan_exclude;

#define SCAN_MAX_EXCLUDE 4

enum { SCAN_ALL_NAMES = 1 };

typedef struct scan_entry {
    const char *rel;      /* borrowed until the next scan_next() */
    struct stat st;
} scan_entry;

typedef struct scan_cursor scan_cursor;

/* Borrows root_fd (it must stay open while the cursor lives). */
scan_cursor *scan_open(int root_fd, const char *start, const scan_exclude *excl,
                       size_t nexcl, unsigned flags, cl_error *err);
/* 1 with *e filled, 0 at the end, -1 out of memory. */
int  scan_next(scan_cursor *c, scan_entry *e);
void scan_close(scan_cursor *c);

/*
 * 1 for names the daemon never treats as inputs: dotfiles (our own
 * temporary files among them) and the temporary names of other writers,
 * *.tmp, *.part and *~.
 */
int scan_ignored(const char *name);

/* Fills *out with path's device and inode; 0, or -1 when it is absent. */
int scan_exclude_of(const char *path, scan_exclude *out);

#endif
