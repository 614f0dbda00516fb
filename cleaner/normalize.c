#include "normalize.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "bytes16.h"
#include "utf8.h"

/* Appends to the map n entries: `offset` n times, or with `step` 1 the
 * offsets offset .. offset + n - 1 (a run copied byte for byte). */
static void map_push(cl_buf *map, size_t offset, size_t n, size_t step)
{
    if (!map || !n || cl_buf_reserve(map, n * sizeof offset) < 0)
        return;
    for (size_t k = 0; k < n; k++, offset += step)
        memcpy(map->data + map->len + k * sizeof offset, &offset, sizeof offset);
    map->len += n * sizeof offset;
}

size_t cl_normalize_map_at(const cl_buf *map, size_t i)
{
    size_t v;
    memcpy(&v, map->data + i * sizeof v, sizeof v);
    return v;
}

/* The punctuation folds rule authors rely on; 0 when cp is not one of them. */
static const char *fold_punct(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x00B4:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
    case 0x00AB: case 0x00BB:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212:
        return "-";
    case 0x2026:
        return "...";
    default:
        return NULL;
    }
}

static int is_unicode_space(utf8proc_int32_t cp)
{
    return cp == 0x00A0 || cp == 0x2007 || cp == 0x202F || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029;
}

/* Appends bytes for one output unit (at most 4), each mapped to source
 * offset `src`.  The final NUL is written once, by cl_normalize. */
static void emit(cl_buf *out, cl_buf *map, const char *s, size_t n, size_t src)
{
    if (out->len + n >= out->cap && cl_buf_reserve(out, n) < 0)
        return;
    for (size_t k = 0; k < n; k++)
        out->data[out->len + k] = s[k];
    out->len += n;
    map_push(map, src, n, 0);
}

/* ASCII lower-casing as a table: one load a byte in the run loop. */
#define LOWER8(b) (b), (b) + 1, (b) + 2, (b) + 3, (b) + 4, (b) + 5, (b) + 6, (b) + 7
static const char ascii_lower[128] = {
    LOWER8(0), LOWER8(8), LOWER8(16), LOWER8(24), LOWER8(32), LOWER8(40), LOWER8(48),
    LOWER8(56), '@', LOWER8('a'), LOWER8('i'), LOWER8('q'), 'y', 'z', '[', '\\', ']', '^',
    '_', LOWER8(96), LOWER8(104), LOWER8(112), LOWER8(120),
};
#undef LOWER8

/*
 * Spaces are written eagerly, at the first byte of a whitespace run, unless
 * the output is empty or already ends with one: the output's last byte is
 * then all the state there is, and a run of plain ASCII can be copied with
 * its single spaces as it stands.  The one trailing space this can leave is
 * taken off at the end.
 */
static int at_space(const cl_buf *out, size_t start)
{
    return out->len == start || out->data[out->len - 1] == ' ';
}

/* 1 when ASCII byte c is written as its lower case: printable or a single
 * space (a space right after one is part of a run). */
static int folds_as_is(unsigned char c, int space_before)
{
    return c >= ' ' && c < 0x80 && !(c == ' ' && space_before);
}

/* 1 when a group whose spaces are flagged in `spaces` has two in a row,
 * counting a space just before it (`carry`: 0x80 when there is one, else
 * 0: the flag of the previous group's last byte, moved to byte 0). */
static int has_double_space(uint64_t spaces, uint64_t carry)
{
    return (spaces & ((spaces << 8) | carry)) != 0;
}

/*
 * Writes to o, lower-cased, the head of u[0..n) that is printable ASCII with
 * single spaces (and no leading one when `space_before`); returns its length.
 * Most text is such runs: 16 bytes are tested and case-folded at once, then
 * 8; a group that fails is done a byte at a time, up to the byte that needs
 * the general path (whitespace, non-ASCII, a control).  o must have room for
 * n bytes.
 */
static size_t fold_ascii_run(const unsigned char *u, size_t n, char *o, int space_before)
{
    size_t i = 0;
    uint64_t carry = (uint64_t)space_before << 7;  /* byte 0's "space before" flag */
    for (;;) {
        for (; i + 16 <= n; i += 16) {
            cl_bytes16 v = cl_bytes16_load(u + i);
            if (cl_bytes16_printable(v) != 0xFFFF)
                break;
            unsigned spaces = cl_bytes16_eq(v, ' ');
            if (spaces & (spaces << 1 | (unsigned)(carry >> 7)))
                break;
            cl_bytes16_store(o + i, cl_bytes16_ascii_lower(v));
            carry = (uint64_t)(spaces >> 15) << 7;
        }
        for (; i + 8 <= n; i += 8) {
            uint64_t w = cl_swar_load(u + i);
            if (cl_swar_outside_ascii_from(w, ' '))
                break;
            uint64_t spaces = cl_swar_eq_ascii(w, ' ');
            if (has_double_space(spaces, carry))
                break;
            cl_swar_store(o + i, cl_swar_ascii_lower(w));
            carry = spaces >> 56;
        }
        for (size_t end = i + 8 < n ? i + 8 : n; i < end; i++) {
            if (!folds_as_is(u[i], carry != 0))
                return i;
            o[i] = ascii_lower[u[i]];
            carry = u[i] == ' ' ? 0x80 : 0;
        }
        if (i == n)
            return n;
    }
}

static int is_space(utf8proc_int32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || is_unicode_space(cp);
}

/* Normalises the character at u[i] into out; returns its length in u. */
static size_t fold_char(const unsigned char *u, size_t len, size_t i, cl_buf *out,
                        cl_buf *map, size_t start)
{
    utf8proc_int32_t cp = u[i];
    size_t n = 1;
    if (cp >= 0x80) {
        utf8proc_ssize_t r = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
        if (r > 0)
            n = (size_t)r;
        else
            cp = 0xFFFD;
    }
    if (is_space(cp)) {
        if (!at_space(out, start))
            emit(out, map, " ", 1, i);
        return n;
    }
    if (cp < 0x80) {
        emit(out, map, &ascii_lower[cp], 1, i);
        return n;
    }
    const char *p = fold_punct(cp);
    if (p) {
        emit(out, map, p, strlen(p), i);
    } else {
        utf8proc_uint8_t tmp[4];
        utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), tmp);
        emit(out, map, (const char *)tmp, (size_t)w, i);
    }
    return n;
}

int cl_normalize(const char *s, size_t len, cl_buf *out, cl_buf *map)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = out->len;
    if (cl_buf_reserve(out, len + 1) < 0)
        return -1;
    for (size_t i = 0; i < len;) {
        /* ASCII runs are written in place, mapped byte for byte.  The
         * reserve above can be used up by case folds that grow (U+023A to
         * U+2C65) and U+FFFD for invalid bytes: the rest of the input is
         * checked for once a run. */
        if (out->len + len - i + 1 <= out->cap || cl_buf_reserve(out, len - i) == 0) {
            size_t k = fold_ascii_run(u + i, len - i, out->data + out->len, at_space(out, start));
            map_push(map, i, k, 1);
            out->len += k;
            i += k;
        }
        if (i < len)
            i += fold_char(u, len, i, out, map, start);
    }
    if (out->len > start && out->data[out->len - 1] == ' ') {
        out->len--;
        if (map && map->len >= sizeof(size_t))
            map->len -= sizeof(size_t);
    }
    map_push(map, len, 1, 0);
    if (map && map->data)
        map->data[map->len] = '\0';
    out->data[out->len] = '\0';
    if (out->oom || (map && map->oom))
        return -1;
    return 0;
}
