#include "detect.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bytes16.h"
#include "utf8.h"

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

/* What one pass over the bytes finds. */
typedef struct byte_census {
    size_t controls;   /* stray controls in the sniffed head */
    size_t nuls;       /* NUL bytes anywhere */
    int    utf8_valid;
} byte_census;

/* The controls `low` of the group at s + base: only bytes below 0x20 are
 * looked up, and text has them only at line ends. */
static void census_controls(const unsigned char *s, size_t base, unsigned low, size_t head,
                            byte_census *c)
{
    for (; low; low &= low - 1) {
        size_t k = base + cl_mask16_first(low);
        c->nuls += s[k] == 0;
        if (k < head)
            c->controls += stray_control[s[k]];
    }
}

/* The UTF-8 sequences that start at the non-ASCII bytes `high` of the
 * group at s + base.  *valid_to, where the last sequence checked ends, may
 * lie in the next group: its continuation bytes start nothing. */
static void census_utf8(const unsigned char *s, size_t len, size_t base, unsigned high,
                        size_t *valid_to, byte_census *c)
{
    if (*valid_to > base)
        high &= ~0u << (*valid_to - base);
    while (high) {
        size_t k = base + cl_mask16_first(high);
        size_t n = cl_utf8_seq_len(s + k, len - k);
        if (!n) {
            c->utf8_valid = 0;
            return;
        }
        *valid_to = k + n;
        high &= ~0u << (*valid_to - base);
    }
}

/*
 * The binary test and the UTF-8 check in one pass, sixteen bytes at a time:
 * most groups of text have neither a control nor a byte past 0x7F, and one
 * test passes them for both.  The last bytes, fewer than sixteen, are
 * gathered into masks of the same shape.
 */
static byte_census take_census(const unsigned char *s, size_t len, size_t head, int check_utf8)
{
    byte_census c = { 0, 0, check_utf8 };
    size_t valid_to = 0, i = 0;
    for (; i + 16 <= len; i += 16) {
        cl_bytes16 v = cl_bytes16_load(s + i);
        unsigned low = cl_bytes16_below(v, 0x20), high = cl_bytes16_high(v);
        if (low)
            census_controls(s, i, low, head, &c);
        if (high && c.utf8_valid)
            census_utf8(s, len, i, high, &valid_to, &c);
    }
    unsigned low = 0, high = 0;
    for (size_t k = i; k < len; k++) {
        low |= (unsigned)(s[k] < 0x20) << (k - i);
        high |= (unsigned)(s[k] >= 0x80) << (k - i);
    }
    census_controls(s, i, low, head, &c);
    if (c.utf8_valid)
        census_utf8(s, len, i, high, &valid_to, &c);
    return c;
}

int cl_detect_binary(const char *bytes, size_t len, int *utf8_valid)
{
    static const struct { const char *magic; size_t len; } sigs[] = {
        { "\x89PNG\r\n\x1a\n", 8 }, { "GIF8", 4 }, { "\xff\xd8\xff", 3 },
        { "%PDF-", 5 }, { "PK\x03\x04", 4 }, { "\x1f\x8b", 2 }, { "\x7f" "ELF", 4 },
    };
    if (utf8_valid)
        *utf8_valid = 0;
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (len >= sigs[i].len && memcmp(bytes, sigs[i].magic, sigs[i].len) == 0)
            return 1;
    size_t head = len < DETECT_SNIFF_BYTES ? len : DETECT_SNIFF_BYTES;
    byte_census c = take_census((const unsigned char *)bytes, len, head, utf8_valid != NULL);
    if (utf8_valid)
        *utf8_valid = c.utf8_valid;
    /* Text has essentially no NUL and no other stray control, but a few
     * happen in scraped pages (a truncated script, a bad copy): those are
     * dropped by the caller, not a reason to refuse the page.  Binary data
     * has them everywhere: one byte in twenty of the head, or one NUL in a
     * hundred anywhere. */
    return c.nuls * 100 > len || (head && c.controls * 20 > head);
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
