/*
 * source.h - where a record reader (warc.h, jsonl.h) gets its bytes: a
 * read callback, so the readers run on a file, standard input or a buffer
 * alike (unit tests and fuzz targets use the buffer).
 *
 * A source_read_fn fills up to n bytes of buf and returns how many, 0 at
 * the end, or -1 with errno set.  Neither source owns what it reads from.
 */
#ifndef CLEANER_DAEMON_SOURCE_H
#define CLEANER_DAEMON_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

typedef ssize_t (*source_read_fn)(void *ctx, void *buf, size_t n);

/* ctx: a pointer to an int descriptor; EINTR is retried. */
ssize_t source_read_fd(void *ctx, void *buf, size_t n);

typedef struct source_mem {
    const char *bytes;
    size_t      len;
    size_t      pos;
    size_t      step;   /* at most this many bytes per read (0: any), so
                           tests cross every buffer boundary */
} source_mem;

/* ctx: a source_mem. */
ssize_t source_read_mem(void *ctx, void *buf, size_t n);

#endif
