#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t cl_utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (avail < need)
        return 0;
    /* The second byte's range carries the overlong, surrogate and >U+10FFFF
     * checks; the rest are plain continuation bytes. */
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need;
}

/* Eight bytes of s at i when all are ASCII (no high bit set): most text is
 * such runs, stepped over a word at a time. */
static int ascii8_at(const unsigned char *s, size_t i, size_t len)
{
    uint64_t w;
    if (i + sizeof w > len)
        return 0;
    memcpy(&w, s + i, sizeof w);
    return !(w & 0x8080808080808080ull);
}

int cl_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (ascii8_at(u, i, len)) {
            i += 8;
            continue;
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = cl_utf8_seq_len(u + i, len - i);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

/* Length of the maximal prefix of an invalid sequence at s: the lead byte and
 * the continuation bytes that could still have belonged to it. */
static size_t invalid_prefix_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0xC2 || c > 0xF4)
        return 1;
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
    else if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
    size_t i = 1;
    if (i < avail && i < need && s[i] >= lo && s[i] <= hi) {
        i++;
        while (i < avail && i < need && (s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

long cl_utf8_repair(const char *s, size_t len, cl_buf *out)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    const unsigned char *u = (const unsigned char *)s;
    long replaced = 0;
    size_t run = 0;  /* start of the current valid run */
    if (cl_buf_reserve(out, len) < 0)
        return -1;
    for (size_t i = 0; i < len;) {
        if (ascii8_at(u, i, len)) {
            i += 8;
            continue;
        }
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = cl_utf8_seq_len(u + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        cl_buf_append(out, s + run, i - run);
        cl_buf_append(out, replacement, 3);
        replaced++;
        i += invalid_prefix_len(u + i, len - i);
        run = i;
    }
    cl_buf_append(out, s + run, len - run);
    return out->oom ? -1 : replaced;
}

int cl_utf8_append(cl_buf *out, unsigned long cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        return cl_buf_append(out, u, 1);
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return cl_buf_append(out, u, 2);
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        return cl_buf_append(out, u, 3);
    }
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    return cl_buf_append(out, u, 4);
}
