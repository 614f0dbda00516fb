/*
 * scan.h - walking a folder tree, iteratively (deep trees cost no stack).
 *
 * scan_tree() visits every entry below root/start: on_dir for each folder
 * (start included) before its entries, on_file for every other entry
 * (regular files, but also FIFOs, sockets, symlinks: the caller decides) with
 * its lstat().  With on_name, each folder is read twice: first on_name gets
 * the name of each regular file, then on_file runs, so a caller can know a
 * file's siblings before it decides about the file, without holding the
 * folder's listing in memory.  Symlinks to folders are not followed.
 * Ignored names (scan_ignored) are skipped unless SCAN_ALL_NAMES is given,
 * and so are the excluded folders (OUT, done_dir, failed_dir when inside IN),
 * compared by device and inode.  `rel` is relative to root ("" for root).
 *
 * A folder that cannot be read is logged and skipped; only an unreadable
 * start folder, or a callback returning -1, fails the walk (-1 with err).
 * Cost: one lstat per entry; memory: the folders waiting to be visited.
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

typedef int (*scan_visit)(void *ctx, const char *rel, const struct stat *st);
typedef int (*scan_name)(void *ctx, const char *rel);

typedef struct scan_visitor {
    scan_visit on_dir;    /* may be NULL */
    scan_name  on_name;   /* may be NULL: one pass per folder */
    scan_visit on_file;   /* may be NULL */
    void      *ctx;
} scan_visitor;

enum { SCAN_ALL_NAMES = 1 };

int scan_tree(const char *root, const char *start, const scan_exclude *excl,
              size_t nexcl, unsigned flags, const scan_visitor *v,
              cl_error *err);

/*
 * 1 for names the daemon never treats as inputs: dotfiles (our own
 * temporary files among them) and the temporary names of other writers,
 * *.tmp, *.part and *~.
 */
int scan_ignored(const char *name);

/* Fills *out with path's device and inode; 0, or -1 when it is absent. */
int scan_exclude_of(const char *path, scan_exclude *out);

#endif
