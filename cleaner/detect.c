#include "detect.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "bytes16.h"

/* Only the head of a document is sniffed: enough for a doctype and the first
 * blocks, and it keeps detection O(1) on 50 MB inputs. */
#define DETECT_SNIFF_BYTES 65536

static int has_suffix(const char *name, const char *suffix)
{
    if (!name)
        return 0;
    size_t n = strlen(name), s = strlen(suffix);
    return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

static int starts_with_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* C0 controls other than the whitespace and ESC that text does carry: 0x00
 * to 0x1F but for '\t' '\n' '\f' '\r' (0x09, 0x0A, 0x0C, 0x0D) and 0x1B.  A
 * table, as every line end sends a group of bytes through it. */
#define CONTROL4(b) [b] = 1, [(b) + 1] = 1, [(b) + 2] = 1, [(b) + 3] = 1
static const unsigned char stray_control[256] = {
    CONTROL4(0x00), CONTROL4(0x04), [0x08] = 1, [0x0B] = 1, CONTROL4(0x0E),
    CONTROL4(0x12), CONTROL4(0x16), [0x1A] = 1, CONTROL4(0x1C),
};
#undef CONTROL4

/* Stray controls in s[0..n), and whether one is a NUL.  Text has controls
 * only at line ends: sixteen bytes at a time skip the rest, and only the
 * bytes below 0x20 of a group are looked up. */
static size_t count_stray_controls(const unsigned char *s, size_t n, int *nul)
{
    size_t controls = 0, i = 0;
    for (; i + 16 <= n; i += 16)
        for (unsigned low = cl_bytes16_below(cl_bytes16_load(s + i), 0x20); low; low &= low - 1) {
            unsigned char c = s[i + cl_mask16_first(low)];
            controls += stray_control[c];
            *nul |= c == 0;
        }
    for (; i < n; i++) {
        controls += stray_control[s[i]];
        *nul |= s[i] == 0;
    }
    return controls;
}

int cl_detect_binary(const char *bytes, size_t len)
{
    static const struct { const char *magic; size_t len; } sigs[] = {
        { "\x89PNG\r\n\x1a\n", 8 }, { "GIF8", 4 }, { "\xff\xd8\xff", 3 },
        { "%PDF-", 5 }, { "PK\x03\x04", 4 }, { "\x1f\x8b", 2 }, { "\x7f" "ELF", 4 },
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (len >= sigs[i].len && memcmp(bytes, sigs[i].magic, sigs[i].len) == 0)
            return 1;
    /* The sniffed head is read once, for its controls and its NULs; text
     * has no NUL anywhere. */
    size_t n = len < DETECT_SNIFF_BYTES ? len : DETECT_SNIFF_BYTES;
    int nul = 0;
    size_t controls = count_stray_controls((const unsigned char *)bytes, n, &nul);
    if (nul || memchr(bytes + n, '\0', len - n))
        return 1;
    /* Text has essentially none; a few stray ones happen in scraped pages. */
    return n && controls * 20 > n;
}

/* Counts HTML tags of the kinds that never appear in prose by accident. */
static int html_score(const char *s, size_t n)
{
    static const char *const strong[] = {
        "<!doctype html", "<html", "<head", "<body", "<meta ", "<title>",
    };
    static const char *const blocks[] = {
        "<div", "<p>", "<p ", "</p>", "<br", "<a href", "<span", "<li>", "<table",
        "<h1", "<h2", "<script", "<img ",
    };
    int score = 0;
    for (const char *p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s);
        for (size_t k = 0; k < sizeof strong / sizeof *strong; k++)
            if (starts_with_ci(s + i, n - i, strong[k]))
                score += 10;
        for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
            if (starts_with_ci(s + i, n - i, blocks[k]))
                score += 1;
    }
    return score;
}

/* Score of the line starting at s[0..n): an ATX heading or a fence 3, a
 * list or quote marker 1. */
static int markdown_line_score(const char *s, size_t n)
{
    size_t j = 0;
    while (j < n && s[j] == ' ' && j < 4)
        j++;
    if (j < n && s[j] == '#') {
        size_t k = j;
        while (k < n && s[k] == '#' && k - j < 7)
            k++;
        return k < n && k - j <= 6 && s[k] == ' ' ? 3 : 0;
    }
    if (j + 2 < n && (s[j] == '`' || s[j] == '~') && s[j + 1] == s[j] && s[j + 2] == s[j])
        return 3;
    if (j + 1 < n && (s[j] == '-' || s[j] == '*' || s[j] == '+' || s[j] == '>') && s[j + 1] == ' ')
        return 1;
    return 0;
}

/* Occurrences of the two bytes a, b in a row in s[0..n), weighted, added to
 * *score until it reaches `enough`. */
static void add_pairs(const char *s, size_t n, char a, char b, int weight, int *score, int enough)
{
    for (const char *p = s; *score < enough && (p = memchr(p, a, n - (size_t)(p - s))) != NULL; p++)
        if ((size_t)(p + 1 - s) < n && p[1] == b)
            *score += weight;
}

/*
 * Counts Markdown constructs: inline links "](" 3, emphasis "**" 1, and what
 * a line starts with (markdown_line_score).  Every construct adds to the
 * score, so the three kinds are counted one after the other, each jumping
 * with memchr to the one byte it needs ('\n', ']', '*'), and counting stops
 * once the score reaches `enough`: the result is exact below it.
 */
static int markdown_score(const char *s, size_t n, int enough)
{
    int score = 0;
    for (const char *line = s; score < enough && line < s + n;) {
        size_t rest = n - (size_t)(line - s);
        score += markdown_line_score(line, rest);
        const char *nl = memchr(line, '\n', rest);
        if (!nl)
            break;
        line = nl + 1;
    }
    add_pairs(s, n, ']', '(', 3, &score, enough);
    add_pairs(s, n, '*', '*', 1, &score, enough);
    return score;
}

cl_format cl_detect_format(const char *utf8, size_t len, const char *name_hint)
{
    size_t n = len < DETECT_SNIFF_BYTES ? len : DETECT_SNIFF_BYTES;
    size_t i = 0;
    while (i < n && isspace((unsigned char)utf8[i]))
        i++;
    if (starts_with_ci(utf8 + i, n - i, "<!doctype html") ||
        starts_with_ci(utf8 + i, n - i, "<html") ||
        starts_with_ci(utf8 + i, n - i, "<?xml"))
        return CL_FORMAT_HTML;
    int html = html_score(utf8, n);
    if (html >= 10)
        return CL_FORMAT_HTML;
    /* Markdown is counted only as far as the tests below look: to 3, and to
     * the HTML score it must beat. */
    int md = markdown_score(utf8, n, html > 3 ? html : 3);
    if (html >= 3 && html > md)
        return CL_FORMAT_HTML;
    if (md >= 3)
        return CL_FORMAT_MARKDOWN;
    if (has_suffix(name_hint, ".html") || has_suffix(name_hint, ".htm") ||
        has_suffix(name_hint, ".xhtml"))
        return html ? CL_FORMAT_HTML : CL_FORMAT_TEXT;
    if (has_suffix(name_hint, ".md") || has_suffix(name_hint, ".markdown"))
        return CL_FORMAT_MARKDOWN;
    return CL_FORMAT_TEXT;
}
