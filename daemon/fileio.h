/*
 * fileio.h - how the daemon touches files: safe reads and atomic writes.
 *
 * Inputs are untrusted paths in a folder anyone may drop things into, so a
 * read opens with O_NOFOLLOW (a symlink is refused, never followed) and
 * O_NONBLOCK (opening a FIFO cannot block), then fstat()s the descriptor:
 * only a regular file of at most `max` bytes is read.  A file that grows past
 * `max` while being read is refused too.
 *
 * Outputs appear atomically: written to a temporary file beside the target
 * (named FILEIO_TEMP_PREFIX..., a dotfile), fsync()ed, renamed into place,
 * then the folder is fsync()ed.  A reader sees the old output or the whole
 * new one, and after a crash at most a temporary file remains, which
 * fileio_is_temp() recognises so a restart can remove it.
 *
 * Errors: -1 with err holding the cause only ("refused: FIFO"); the caller
 * prefixes the file name.  Buffers are the caller's (cl_buf).
 */
#ifndef CLEANER_DAEMON_FILEIO_H
#define CLEANER_DAEMON_FILEIO_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

#define FILEIO_TEMP_PREFIX ".cleaner-tmp-"

enum {
    FILEIO_GONE = 1,     /* no such file (deleted before it was opened) */
    FILEIO_WRITING,      /* some process still has it open for writing */
};

enum { FILEIO_SKIP_IF_WRITING = 1 };

/*
 * Appends the file's bytes to out.  0, FILEIO_GONE, FILEIO_WRITING, or -1.
 * With FILEIO_SKIP_IF_WRITING, the file is read under a read lease
 * (F_SETLEASE), which the kernel refuses while any process has the file open
 * for writing: such a file is not read (FILEIO_WRITING; its close will
 * bring an event).  Where leases are not allowed (not the file's owner, a
 * filesystem without them) the file is read all the same.  A writer opening
 * the file during the read waits for the lease to be released, right after
 * the read; the lease-break signal (SIGIO) must be ignored.
 */
int fileio_read_input(const char *path, size_t max, unsigned flags, cl_buf *out,
                      cl_error *err);

/* fileio_read_input() without flags, a missing file an error like any other. */
int fileio_read_path(const char *path, size_t max, cl_buf *out, cl_error *err);

/* Reads an open descriptor (standard input) to its end.  0 or -1. */
int fileio_read_fd(int fd, size_t max, cl_buf *out, cl_error *err);

/* Writes data to path atomically (see above), creating missing folders. */
int fileio_write_atomic(const char *path, const char *data, size_t len,
                        cl_error *err);

/* mkdir -p.  0 or -1. */
int fileio_make_dirs(const char *dir, cl_error *err);

/* Renames from -> to (creating to's folders) and makes it durable. */
int fileio_move(const char *from, const char *to, cl_error *err);

/* "FIFO", "symbolic link", ... for a non-regular st_mode. */
const char *fileio_kind_name(unsigned mode);

/* 1 when a file name is one of our temporary files. */
int fileio_is_temp(const char *name);

/* Writes all of data to fd, retrying short writes.  0 or -1 (errno). */
int fileio_write_all(int fd, const char *data, size_t len);

#endif
