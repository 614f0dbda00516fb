#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes16.h"

int cl_buf_reserve(cl_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int cl_buf_append(cl_buf *b, const char *s, size_t n)
{
    if (cl_buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cl_buf_append_str(cl_buf *b, const char *s)
{
    return cl_buf_append(b, s, strlen(s));
}

int cl_buf_append_char(cl_buf *b, char c)
{
    return cl_buf_append(b, &c, 1);
}

int cl_buf_printf(cl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cl_buf_reserve(b, (size_t)n) < 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void cl_buf_truncate(cl_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

void cl_buf_clear(cl_buf *b)
{
    cl_buf_truncate(b, 0);
}

void cl_buf_free(cl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

char *cl_buf_detach(cl_buf *b)
{
    if (b->oom) {
        cl_buf_free(b);
        return NULL;
    }
    char *p = b->data ? b->data : strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *cl_buf_cstr(const cl_buf *b)
{
    return b->data ? b->data : "";
}

/* Byte classes for cl_buf_append_collapsed: the width of the whitespace a
 * byte starts (ASCII whitespace 1; 0xC2, which may start U+00A0, 2), else 0.
 * One table look-up a byte instead of seven comparisons. */
static const unsigned char collapse_width[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1, [0xC2] = 2,
};

/*
 * 1 when the 8 bytes of w come out of the collapsing unchanged: no byte
 * below 0x20 (the whitespace other than ' ' is all there), no 0xC2 (maybe
 * U+00A0), no two spaces in a row, and no leading space when `carry` is
 * 0x80 (one was just written).  Prose is mostly such groups, copied whole.
 * Sets *spaces to the flags of the spaces of w.  A printable ASCII group,
 * the common case, is told in three operations and its spaces found in four.
 */
static int collapses_to_itself(uint64_t w, uint64_t carry, uint64_t *spaces)
{
    if (!cl_swar_outside_ascii_from(w, 0x20))
        *spaces = cl_swar_eq_ascii(w, ' ');
    else if (!cl_swar_any_below(w, 0x20) && !cl_swar_eq(w, 0xC2))
        *spaces = cl_swar_eq(w, ' ');
    else
        return 0;
    return !(*spaces & ((*spaces << 8) | carry));
}

/*
 * The 16 bytes at u copied to o when they are printable ASCII with single
 * spaces (the bulk of prose, taken two words a step); returns 0 and writes
 * nothing when they are not.  Adds the words they start to *starts and
 * moves *carry on, as the group loop of the caller does.
 */
static int copy_printable16(const unsigned char *u, char *o, uint64_t *carry, size_t *starts)
{
    cl_bytes16 v = cl_bytes16_load(u);
    if (cl_bytes16_printable(v) != 0xFFFF)
        return 0;
    unsigned spaces = cl_bytes16_eq(v, ' ');
    unsigned after_space = (spaces << 1 | (unsigned)(*carry >> 7)) & 0xFFFF;
    if (spaces & after_space)
        return 0;
    cl_bytes16_store(o, v);
    *starts += cl_mask16_count(~spaces & after_space);
    *carry = (uint64_t)(spaces >> 15) << 7;
    return 1;
}

int cl_buf_append_collapsed(cl_buf *b, const char *s, size_t n)
{
    size_t words = 0;
    return cl_buf_append_collapsed_counted(b, s, n, &words);
}

/*
 * The words the appended text starts are the bytes written right after a
 * space or at the buffer's start (every byte written other than ' ' is a
 * word byte for cl_count_words): for a group copied whole, the bytes after
 * its spaces, found with the mask the copy test already made.  Counting
 * costs a few operations a group, so cl_buf_append_collapsed does it too
 * rather than keep a second copy of the loop.
 */
int cl_buf_append_collapsed_counted(cl_buf *b, const char *s, size_t n, size_t *words)
{
    const unsigned char *u = (const unsigned char *)s;
    /* Called for every text run of a Markdown block: the capacity check
     * is made here, the call only when the buffer must grow. */
    if ((b->oom || b->len + n + 1 > b->cap) && cl_buf_reserve(b, n) < 0)
        return -1;
    /* The output is never longer than the input: written in place. */
    char *o = b->data + b->len;
    /* 0x80 when a space was just written (or nothing yet): the flag of
     * "space before" for the byte written next, as the group tests use it. */
    uint64_t carry = b->len == 0 || o[-1] == ' ' || o[-1] == '\n' ? 0x80 : 0;
    size_t starts = 0;
    for (size_t i = 0; i < n;) {
        if (i + 16 <= n && copy_printable16(u + i, o, &carry, &starts)) {
            o += 16;
            i += 16;
            continue;
        }
        if (i + 8 <= n) {
            uint64_t w = cl_swar_load(u + i), spaces;
            if (collapses_to_itself(w, carry, &spaces)) {
                cl_swar_store(o, w);
                starts += cl_swar_count(~spaces & ((spaces << 8) | carry));
                o += 8;
                i += 8;
                carry = spaces >> 56;
                continue;
            }
        }
        /* A byte at a time up to the end of this group, then groups again. */
        for (size_t end = i + 8 < n ? i + 8 : n; i < end;) {
            size_t w = collapse_width[u[i]];
            if (w == 0 || (w == 2 && (i + 1 >= n || u[i + 1] != 0xA0))) {
                *o++ = s[i++];
                starts += (size_t)(carry >> 7);
                carry = 0;
                continue;
            }
            if (!carry) {
                *o++ = ' ';
                carry = 0x80;
            }
            i += w;
        }
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
    *words += starts;
    return 0;
}

void cl_buf_rtrim(cl_buf *b)
{
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
    if (b->data)
        b->data[b->len] = '\0';
}
