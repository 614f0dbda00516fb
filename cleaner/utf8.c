#include "utf8.h"

#include <string.h>

#include "bytes16.h"

/* The range of a sequence's second byte for lead byte c (0xC2..0xF4): it
 * carries the overlong, surrogate and past-U+10FFFF checks; later bytes are
 * plain continuation bytes. */
static void second_byte_range(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    *hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
}

static size_t sequence_need(unsigned char c)
{
    return c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

size_t cl_utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0], lo, hi;
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t need = sequence_need(c);
    if (avail < need)
        return 0;
    second_byte_range(c, &lo, &hi);
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need;
}

/* The offset of the first invalid sequence in s[i..len), or len.  Most text
 * is ASCII: sixteen bytes at a time are stepped over, up to the first byte
 * of a group that is not ASCII. */
static size_t valid_until(const unsigned char *s, size_t i, size_t len)
{
    while (i < len) {
        if (i + 16 <= len) {
            unsigned high = cl_bytes16_high(cl_bytes16_load(s + i));
            if (!high) {
                i += 16;
                continue;
            }
            i += cl_mask16_first(high);
        }
        size_t n = cl_utf8_seq_len(s + i, len - i);
        if (!n)
            return i;
        i += n;
    }
    return len;
}

int cl_utf8_valid(const char *s, size_t len)
{
    return valid_until((const unsigned char *)s, 0, len) == len;
}

/* Length of the maximal prefix of an invalid sequence at s: the lead byte and
 * the continuation bytes that could still have belonged to it. */
static size_t invalid_prefix_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0], lo, hi;
    if (c < 0xC2 || c > 0xF4)
        return 1;
    size_t need = sequence_need(c), i = 1;
    second_byte_range(c, &lo, &hi);
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
    if (cl_buf_reserve(out, len) < 0)
        return -1;
    for (size_t run = 0; run < len;) {
        size_t bad = valid_until(u, run, len);
        cl_buf_append(out, s + run, bad - run);
        if (bad == len)
            break;
        cl_buf_append(out, replacement, 3);
        replaced++;
        run = bad + invalid_prefix_len(u + bad, len - bad);
    }
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

size_t cl_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}
