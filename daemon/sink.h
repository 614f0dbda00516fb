/*
 * sink.h - where a record stream's lines go: standard output, or a file
 * that appears whole.
 *
 * A file is written to a temporary dotfile beside it (FILEIO_TEMP_PREFIX,
 * the pid, a counter), then fsync()ed, renamed over the target and its
 * folder fsync()ed, as fileio.h does for the daemon's outputs; but it is
 * written as it goes, never held in memory, so a stream of any length
 * costs one SINK_BUFFER.  A run that stops (sink_abort) removes the
 * temporary file: the target keeps its old contents or stays absent.
 *
 * Errors: -1 with err naming the path (or "standard output") and the
 * cause.  Ownership: sink_commit() and sink_abort() free the sink.
 */
#ifndef CLEANER_DAEMON_SINK_H
#define CLEANER_DAEMON_SINK_H

#include <stddef.h>
#include "error.h"

#define SINK_BUFFER (64u << 10)

typedef struct sink sink;

/* path NULL or "-": standard output. */
sink *sink_open(const char *path, cl_error *err);
int   sink_write(sink *s, const char *data, size_t len, cl_error *err);
int   sink_commit(sink *s, cl_error *err);
void  sink_abort(sink *s);

#endif
