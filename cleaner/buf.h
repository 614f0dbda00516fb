/*
 * buf.h - growable byte buffer, always NUL-terminated.
 *
 * Ownership: a cl_buf owns `data`; cl_buf_free() releases it and leaves an
 * empty buffer.  cl_buf_detach() hands `data` to the caller (free() it).
 * Allocation failure is fatal to the operation, not the process: appends
 * return -1 and set `oom`, which stays set, so a caller may append many times
 * and check once.
 */
#ifndef CLEANER_BUF_H
#define CLEANER_BUF_H

#include <stddef.h>

typedef struct cl_buf {
    char  *data;   /* NULL until the first append; else NUL-terminated */
    size_t len;
    size_t cap;
    int    oom;    /* sticky: an append failed */
} cl_buf;

#define CL_BUF_INIT { NULL, 0, 0, 0 }

int   cl_buf_reserve(cl_buf *b, size_t extra);
int   cl_buf_append(cl_buf *b, const char *s, size_t n);
int   cl_buf_append_str(cl_buf *b, const char *s);
int   cl_buf_append_char(cl_buf *b, char c);
int   cl_buf_printf(cl_buf *b, const char *fmt, ...)
          __attribute__((format(printf, 2, 3)));
void  cl_buf_truncate(cl_buf *b, size_t len);
void  cl_buf_clear(cl_buf *b);
void  cl_buf_free(cl_buf *b);
char *cl_buf_detach(cl_buf *b);            /* "" when empty; NULL on oom */
const char *cl_buf_cstr(const cl_buf *b);  /* "" when empty */

/*
 * Appends `s` with every run of ASCII whitespace (and U+00A0) folded into one
 * space, never starting the buffer with a space nor doubling one already at
 * its end.  The way inline text of HTML and Markdown is joined into blocks.
 */
int   cl_buf_append_collapsed(cl_buf *b, const char *s, size_t n);

/*
 * cl_buf_append_collapsed that also adds to *words the number of words the
 * appended text starts in the buffer, so that a text built by this function
 * alone (with single spaces appended between its calls, and cl_buf_rtrim)
 * has its cl_count_words without a second pass over it.
 */
int   cl_buf_append_collapsed_counted(cl_buf *b, const char *s, size_t n, size_t *words);

/* Removes trailing spaces (the ones cl_buf_append_collapsed may leave). */
void  cl_buf_rtrim(cl_buf *b);

#endif
