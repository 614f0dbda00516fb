#include "detect.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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

int cl_detect_binary(const char *bytes, size_t len)
{
    static const struct { const char *magic; size_t len; } sigs[] = {
        { "\x89PNG\r\n\x1a\n", 8 }, { "GIF8", 4 }, { "\xff\xd8\xff", 3 },
        { "%PDF-", 5 }, { "PK\x03\x04", 4 }, { "\x1f\x8b", 2 }, { "\x7f" "ELF", 4 },
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (len >= sigs[i].len && memcmp(bytes, sigs[i].magic, sigs[i].len) == 0)
            return 1;
    if (memchr(bytes, '\0', len))
        return 1;
    size_t n = len < DETECT_SNIFF_BYTES ? len : DETECT_SNIFF_BYTES, controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b)
            controls++;
    }
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
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '<')
            continue;
        for (size_t k = 0; k < sizeof strong / sizeof *strong; k++)
            if (starts_with_ci(s + i, n - i, strong[k]))
                score += 10;
        for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
            if (starts_with_ci(s + i, n - i, blocks[k]))
                score += 1;
    }
    return score;
}

/* Counts Markdown constructs: inline links, ATX headings, fences, emphasis,
 * list markers and quote markers at line starts. */
static int markdown_score(const char *s, size_t n)
{
    int score = 0;
    int line_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (line_start) {
            size_t j = i;
            while (j < n && s[j] == ' ' && j - i < 4)
                j++;
            if (j < n && s[j] == '#') {
                size_t k = j;
                while (k < n && s[k] == '#' && k - j < 7)
                    k++;
                if (k < n && k - j <= 6 && s[k] == ' ')
                    score += 3;
            } else if (j + 2 < n && (s[j] == '`' || s[j] == '~') && s[j + 1] == s[j] &&
                       s[j + 2] == s[j]) {
                score += 3;
            } else if (j + 1 < n && (s[j] == '-' || s[j] == '*' || s[j] == '+' || s[j] == '>') &&
                       s[j + 1] == ' ') {
                score += 1;
            }
        }
        line_start = c == '\n';
        if (c == ']' && i + 1 < n && s[i + 1] == '(')
            score += 3;
        else if (c == '*' && i + 1 < n && s[i + 1] == '*')
            score += 1;
    }
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
    int md = markdown_score(utf8, n);
    if (html >= 10 || (html >= 3 && html > md))
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
