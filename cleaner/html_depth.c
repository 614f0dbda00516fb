/*
 * html_depth.c - bounding element nesting (contract in html_depth.h).
 */
#include "html_depth.h"

#include <gumbo.h>
#include <string.h>
#include <strings.h>

/* One markup item found by the scan: s[start..end) */
typedef enum { ITEM_OTHER, ITEM_OPEN, ITEM_CLOSE } item_kind;

typedef struct scan {
    const char *s;
    size_t      n, i;
    size_t      depth, limit;
    int         wide;       /* a tag has more than CL_HTML_MAX_ATTRS */
    cl_buf     *out;        /* NULL while only measuring */
    size_t      copied;     /* s[0..copied) already handled */
} scan;

/* A start or end tag as the scan read it. */
typedef struct tag_span {
    size_t end;             /* one past its '>' */
    size_t gt;              /* its '>' (or its "/>") */
    size_t attr_cut;        /* where attribute CL_HTML_MAX_ATTRS + 1 starts; 0 */
    int    self_closing;
} tag_span;

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_name_end(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '/' || c == '>';
}

/* Elements that never hold others, or that the parser closes by itself
 * (a new <p> ends the open one): they do not deepen the tree. */
static int nests(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_AREA: case GUMBO_TAG_BASE: case GUMBO_TAG_BR:
    case GUMBO_TAG_COL: case GUMBO_TAG_EMBED: case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT: case GUMBO_TAG_LINK:
    case GUMBO_TAG_META: case GUMBO_TAG_PARAM: case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK: case GUMBO_TAG_WBR: case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_RB: case GUMBO_TAG_RT: case GUMBO_TAG_RP: case GUMBO_TAG_RTC:
    case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD: case GUMBO_TAG_BODY:
        return 0;
    default:
        return 1;
    }
}

static int is_raw_text(GumboTag t)
{
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_TEXTAREA ||
           t == GUMBO_TAG_TITLE || t == GUMBO_TAG_XMP || t == GUMBO_TAG_IFRAME ||
           t == GUMBO_TAG_NOEMBED || t == GUMBO_TAG_NOFRAMES || t == GUMBO_TAG_NOSCRIPT;
}

static size_t find(const scan *sc, size_t from, const char *needle)
{
    size_t k = strlen(needle);
    if (from >= sc->n)
        return sc->n;
    const char *p = memmem(sc->s + from, sc->n - from, needle, k);
    return p ? (size_t)(p - sc->s) + k : sc->n;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * Reads a tag from after its name to its '>': quotes count only where a
 * value starts (after '='), and each name that follows a space, not a '=',
 * starts an attribute.
 */
static tag_span read_tag(const scan *sc, size_t i)
{
    tag_span t = { sc->n, sc->n, 0, 0 };
    char quote = 0, prev = 0;
    int after_space = 0;
    size_t attrs = 0, space_at = i;
    for (; i < sc->n; i++) {
        char c = sc->s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            prev = c;
            continue;
        }
        if (c == '>') {
            t.self_closing = prev == '/';
            t.gt = t.self_closing ? i - 1 : i;
            t.end = i + 1;
            return t;
        }
        if (is_space(c)) {
            if (!after_space)
                space_at = i;
            after_space = 1;
            continue;
        }
        if ((c == '"' || c == '\'') && prev == '=')
            quote = c;
        else if (after_space && c != '=' && c != '/' && prev != '=' && ++attrs == CL_HTML_MAX_ATTRS + 1)
            t.attr_cut = space_at;
        after_space = 0;
        prev = c;
    }
    return t;
}

/* Past the end tag of a raw-text element whose content starts at i: the
 * end tag is skipped too, as its start tag did not count. */
static size_t raw_text_end(const scan *sc, size_t i, const char *name, size_t len)
{
    for (; i + 2 + len <= sc->n; i++) {
        const char *p = memchr(sc->s + i, '<', sc->n - i);
        if (!p)
            break;
        i = (size_t)(p - sc->s);
        if (i + 2 + len <= sc->n && sc->s[i + 1] == '/' &&
            strncasecmp(sc->s + i + 2, name, len) == 0) {
            return read_tag(sc, i + 2 + len).end;
        }
    }
    return sc->n;
}

static GumboTag read_name(const scan *sc, size_t i, size_t *len)
{
    size_t k = i;
    while (k < sc->n && !is_name_end(sc->s[k]))
        k++;
    *len = k - i;
    return gumbo_tagn_enum(sc->s + i, (unsigned)*len);
}

/* Drops s[from..to) from the output: what came before it is copied. */
static void cut(scan *sc, size_t from, size_t to)
{
    if (sc->out) {
        cl_buf_append(sc->out, sc->s + sc->copied, from - sc->copied);
        sc->copied = to;
    }
}

static void start_tag(scan *sc, size_t lt, size_t *max)
{
    size_t len;
    GumboTag t = read_name(sc, lt + 1, &len);
    tag_span tag = read_tag(sc, lt + 1 + len);
    sc->i = tag.end;
    int deep = 0;
    if (!tag.self_closing && nests(t) && !is_raw_text(t)) {
        if (++sc->depth > *max)
            *max = sc->depth;
        deep = sc->depth > sc->limit;
    }
    if (deep)
        cut(sc, lt, tag.end);
    else if (tag.attr_cut) {
        sc->wide = 1;
        cut(sc, tag.attr_cut, tag.gt);
    }
    if (is_raw_text(t))
        sc->i = raw_text_end(sc, tag.end, sc->s + lt + 1, len);
}

static void end_tag(scan *sc, size_t lt)
{
    size_t len;
    GumboTag t = read_name(sc, lt + 2, &len);
    size_t end = read_tag(sc, lt + 2 + len).end;
    sc->i = end;
    if (!nests(t) || sc->depth == 0)
        return;
    if (sc->depth > sc->limit)
        cut(sc, lt, end);
    sc->depth--;
}

/* One pass; returns the deepest nesting seen. */
static size_t run(scan *sc)
{
    size_t max = 0;
    while (sc->i < sc->n) {
        const char *p = memchr(sc->s + sc->i, '<', sc->n - sc->i);
        if (!p)
            break;
        size_t lt = (size_t)(p - sc->s);
        char c = lt + 1 < sc->n ? sc->s[lt + 1] : '\0';
        if (c == '!' && lt + 3 < sc->n && sc->s[lt + 2] == '-' && sc->s[lt + 3] == '-')
            sc->i = find(sc, lt + 4, "-->");
        else if (c == '!' || c == '?')
            sc->i = find(sc, lt + 1, ">");
        else if (c == '/' && lt + 2 < sc->n && is_alpha(sc->s[lt + 2]))
            end_tag(sc, lt);
        else if (is_alpha(c))
            start_tag(sc, lt, &max);
        else
            sc->i = lt + 1;
    }
    return max;
}

int cl_html_bound_depth(const char *s, size_t n, size_t limit, cl_buf *out)
{
    scan sc = { s, n, 0, 0, limit, 0, NULL, 0 };
    if (run(&sc) <= limit && !sc.wide)
        return 0;
    scan rw = { s, n, 0, 0, limit, 0, out, 0 };
    run(&rw);
    cl_buf_append(out, s + rw.copied, n - rw.copied);
    return out->oom ? -1 : 1;
}
