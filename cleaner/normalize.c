#include "normalize.h"

#include <string.h>
#include <utf8proc.h>

#include "utf8.h"

static int map_push(cl_buf *map, size_t offset)
{
    return map ? cl_buf_append(map, (const char *)&offset, sizeof offset) : 0;
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

/* Appends bytes for one output unit, each mapped to source offset `src`. */
static void emit(cl_buf *out, cl_buf *map, const char *s, size_t n, size_t src)
{
    cl_buf_append(out, s, n);
    for (size_t i = 0; i < n; i++)
        map_push(map, src);
}

/* ASCII lower-casing as a table: one load a byte in the run loop. */
#define LOWER8(b) (b), (b) + 1, (b) + 2, (b) + 3, (b) + 4, (b) + 5, (b) + 6, (b) + 7
static const char ascii_lower[128] = {
    LOWER8(0), LOWER8(8), LOWER8(16), LOWER8(24), LOWER8(32), LOWER8(40), LOWER8(48),
    LOWER8(56), '@', LOWER8('a'), LOWER8('i'), LOWER8('q'), 'y', 'z', '[', '\\', ']', '^',
    '_', LOWER8(96), LOWER8(104), LOWER8(112), LOWER8(120),
};
#undef LOWER8

int cl_normalize(const char *s, size_t len, cl_buf *out, cl_buf *map)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = out->len;
    int pending_space = 0;
    size_t space_src = 0;
    if (cl_buf_reserve(out, len + 1) < 0)
        return -1;
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        /* Without a map, a plain space only marks a pending one, and a run
         * of printable ASCII (most of the text) is written in place: one
         * capacity check a run, for the rest of the input, a pending space
         * and the final NUL (case folds that grow, U+023A to U+2C65, and
         * U+FFFD for invalid bytes can use up the reserve above). */
        if (!map && c == ' ') {
            pending_space = 1;
            i++;
            continue;
        }
        if (!map && c > ' ' && c < 0x80) {
            size_t rest = len - i;  /* the run is at most the rest */
            if (out->len + rest + 2 > out->cap && cl_buf_reserve(out, rest + 1) < 0)
                return -1;
            char *o = out->data + out->len;
            if (pending_space && out->len > start)
                *o++ = ' ';
            pending_space = 0;
            size_t k = 0;
            for (; k < rest && u[i + k] > ' ' && u[i + k] < 0x80; k++)
                o[k] = ascii_lower[u[i + k]];
            out->len = (size_t)(o + k - out->data);
            i += k;
            continue;
        }
        utf8proc_int32_t cp;
        size_t n;
        if (c < 0x80) {
            cp = c;
            n = 1;
        } else {
            utf8proc_ssize_t r = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
            n = r > 0 ? (size_t)r : 1;
            if (r <= 0)
                cp = 0xFFFD;
        }
        int space = (cp < 0x80 && (cp == ' ' || (cp >= '\t' && cp <= '\r'))) ||
                    is_unicode_space(cp);
        if (space) {
            if (!pending_space)
                space_src = i;
            pending_space = 1;
            i += n;
            continue;
        }
        if (pending_space && out->len > start)
            emit(out, map, " ", 1, space_src);
        pending_space = 0;
        if (cp < 0x80) {
            char lower = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            emit(out, map, &lower, 1, i);
        } else {
            const char *p = fold_punct(cp);
            if (p) {
                emit(out, map, p, strlen(p), i);
            } else {
                utf8proc_uint8_t tmp[4];
                utf8proc_ssize_t w = utf8proc_encode_char(utf8proc_tolower(cp), tmp);
                emit(out, map, (const char *)tmp, (size_t)w, i);
            }
        }
        i += n;
    }
    map_push(map, len);
    out->data[out->len] = '\0';
    if (out->oom || (map && map->oom))
        return -1;
    return 0;
}
