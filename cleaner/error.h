/*
 * error.h - how the library reports failure.
 *
 * Library calls return 0 on success and -1 on failure, filling a cl_error the
 * caller provides (which may be NULL).  The message states the cause only;
 * the caller, which knows the file, prefixes its name.  The library never
 * prints and never exits.
 */
#ifndef CLEANER_ERROR_H
#define CLEANER_ERROR_H

#define CL_ERROR_MAX 256

typedef struct cl_error {
    char msg[CL_ERROR_MAX];
} cl_error;

/* Formats into err->msg when err is not NULL; returns -1 for `return cl_fail(...)`. */
int cl_fail(cl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
