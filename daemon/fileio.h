/*
 * fileio.h - how the daemon touches files: safe reads and atomic writes,
 * every one of them beneath a folder opened once.
 *
 * IN, OUT, done_dir and failed_dir are opened once, at start, as folder
 * descriptors; every input and output is then named by a path relative to
 * one of them and resolved one component at a time with
 * openat(O_NOFOLLOW | O_DIRECTORY), so a symlink anywhere on the path (a
 * subfolder swapped for a link to /etc after its event was queued, OUT
 * itself replaced by a link) is refused, never followed, and nothing is
 * ever read or written outside those folders.  ".." components are refused
 * too.  A folder renamed while the daemon runs keeps its descriptor: the
 * daemon goes on writing into the folder it opened.
 *
 * Reads open the file with O_NOFOLLOW and O_NONBLOCK (a FIFO cannot
 * block), then fstat() it: only a regular file of at most `max_bytes`
 * is read, and one that grows past it while being read is refused.
 *
 * Complete reads.  A file another process still writes is not read
 * (FILEIO_WRITING; its close brings it back).  Where the kernel grants a
 * read lease (we own the file, or hold CAP_LEASE) the lease says so
 * exactly.  Where it does not (a DynamicUser service reading another
 * user's files), a file modified less than `settle_ms` ago is taken to be
 * still written, and a file whose size or mtime changed during the read is
 * read again later.  That is a heuristic: a producer that pauses longer
 * than settle_ms mid-file can be read early.  Producers that need
 * guaranteed complete reads write elsewhere and rename(2) the file in.
 *
 * Outputs appear atomically: written to a temporary file beside the target
 * (FILEIO_TEMP_PREFIX, the writer's pid, a counter: a dotfile), fsync()ed,
 * renamed into place, then the folder is fsync()ed.  A reader sees the old
 * output or the whole new one; after a crash at most a temporary file
 * remains, whose pid tells whether its writer is gone (fileio_temp_is_stale).
 *
 * Errors: -1 for a bad input (refused: not a regular file, too large, a
 * symbolic link on the path), FILEIO_TRANSIENT for a failure of the
 * environment (no space, permissions, read-only or failing disk), with err
 * holding the cause only ("refused: FIFO"); the caller prefixes the name.
 * Buffers are the caller's (cl_buf).
 */
#ifndef CLEANER_DAEMON_FILEIO_H
#define CLEANER_DAEMON_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "buf.h"
#include "error.h"

#define FILEIO_TEMP_PREFIX ".cleaner-tmp-"

enum {
    FILEIO_GONE = 1,     /* no such file (deleted before it was opened) */
    FILEIO_WRITING,      /* still being written: look again later */
    FILEIO_TRANSIENT,    /* the environment failed: retry later */
};

typedef struct fileio_read_opts {
    size_t   max_bytes;
    int      skip_if_writing;  /* the FILEIO_WRITING checks above */
    unsigned settle_ms;        /* without a lease; 0: no settle window */
} fileio_read_opts;

/* Opens folder `rel` ("" for root itself) beneath root, creating missing
 * components when `create`.  A descriptor, or -1 with errno (ELOOP or
 * ENOTDIR when a component is a symlink or no folder). */
int fileio_open_dir_at(int root, const char *rel, int create);

/* Appends root/rel's bytes to out.  0, FILEIO_GONE, FILEIO_WRITING,
 * FILEIO_TRANSIENT or -1.  The lease-break signal (SIGIO) must be ignored. */
int fileio_read_at(int root, const char *rel, const fileio_read_opts *o,
                   cl_buf *out, cl_error *err);

/* Writes data to root/rel atomically, creating missing folders.
 * 0, FILEIO_TRANSIENT or -1. */
int fileio_write_atomic_at(int root, const char *rel, const char *data,
                           size_t len, cl_error *err);

/* Renames from_root/from_rel to to_root/to_rel (creating folders) and
 * makes it durable.  0, FILEIO_TRANSIENT or -1. */
int fileio_move_at(int from_root, const char *from_rel, int to_root,
                   const char *to_rel, cl_error *err);

/* Removes root/rel (a file), resolved as above.  0, or -1 with errno. */
int fileio_unlink_at(int root, const char *rel);

/* A path named on the command line (symlinks refused), read whole.
 * 0 or -1. */
int fileio_read_path(const char *path, size_t max, cl_buf *out, cl_error *err);

/* Reads an open descriptor (standard input) to its end.  0 or -1. */
int fileio_read_fd(int fd, size_t max, cl_buf *out, cl_error *err);

/* mkdir -p.  0 or -1. */
int fileio_make_dirs(const char *dir, cl_error *err);

/* "FIFO", "symbolic link", ... for a non-regular st_mode. */
const char *fileio_kind_name(unsigned mode);

/* 1 when a file name is one of our temporary files. */
int fileio_is_temp(const char *name);

/* 1 when a temporary file's writer (the pid in its name) is gone: no
 * such process, a zombie (a killed daemon's worker that nobody reaps, as
 * under a container's init), or one that started after the file (st, may
 * be NULL) was last written, which is the pid reused by another process. */
int fileio_temp_is_stale(const char *name, const struct stat *st);

/* 1 for an errno that says the environment failed, not the input. */
int fileio_errno_is_transient(int e);

/* Writes all of data to fd, retrying short writes.  0 or -1 (errno). */
int fileio_write_all(int fd, const char *data, size_t len);

#endif
