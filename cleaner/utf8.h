/*
 * utf8.h - UTF-8 validation and repair.
 *
 * Input files are untrusted: every reader works on valid UTF-8, so bytes that
 * are not are replaced by U+FFFD (one per maximal invalid subsequence, as the
 * Unicode standard recommends) rather than rejected.
 */
#ifndef CLEANER_UTF8_H
#define CLEANER_UTF8_H

#include <stddef.h>
#include "buf.h"

/* 1 when s[0..len) is entirely valid UTF-8 (no overlongs, no surrogates). */
int    cl_utf8_valid(const char *s, size_t len);

/* Appends s to out with invalid sequences replaced by U+FFFD.  Returns the
 * number of replacements, or -1 on allocation failure. */
long   cl_utf8_repair(const char *s, size_t len, cl_buf *out);

/* Length of the valid sequence starting at s[0] (1..4), or 0 if invalid. */
size_t cl_utf8_seq_len(const unsigned char *s, size_t avail);

/* The longest prefix of s[0..len), at most `max` bytes, that ends on a
 * character boundary: where to cut a valid UTF-8 string short. */
size_t cl_utf8_cut(const char *s, size_t len, size_t max);

/* Appends code point cp as UTF-8; NUL, surrogates and values past U+10FFFF
 * become U+FFFD.  0, or -1 on allocation failure. */
int    cl_utf8_append(cl_buf *out, unsigned long cp);

#endif
