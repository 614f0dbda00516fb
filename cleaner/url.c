/*
 * url.c - reference resolution (contract in url.h).
 */
#include "url.h"

#include <string.h>
#include <strings.h>

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t scheme_len(const char *s, size_t len)
{
    if (len == 0 || !is_alpha(s[0]))
        return 0;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (c == ':')
            return i + 1;
        if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

int cl_url_has_scheme(const char *s, size_t len)
{
    return scheme_len(s, len) > 0;
}

/* The parts of a URL as spans: scheme "https:", authority "//host", path,
 * and the rest ("?query#fragment"). */
typedef struct parts {
    size_t scheme, auth_end, path_end, len;
} parts;

static parts split(const char *s)
{
    parts p = { 0, 0, 0, strlen(s) };
    p.scheme = scheme_len(s, p.len);
    size_t i = p.scheme;
    if (i + 1 < p.len && s[i] == '/' && s[i + 1] == '/') {
        i += 2;
        while (i < p.len && s[i] != '/' && s[i] != '?' && s[i] != '#')
            i++;
    }
    p.auth_end = i;
    while (i < p.len && s[i] != '?' && s[i] != '#')
        i++;
    p.path_end = i;
    return p;
}

/* Drops the last segment of out (from its last '/', kept), never going
 * before `floor`. */
static void drop_segment(cl_buf *out, size_t floor)
{
    size_t k = out->len;
    if (k > floor && out->data[k - 1] == '/')
        k--;
    while (k > floor && out->data[k - 1] != '/')
        k--;
    cl_buf_truncate(out, k);
}

/* RFC 3986 5.2.4: appends path[0..n) to out without "." and ".."
 * segments; out->len at the call is where the path starts. */
static void append_path(cl_buf *out, const char *path, size_t n)
{
    size_t floor = out->len, i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        size_t seg = j - i;
        int last = j >= n;
        if (seg == 1 && path[i] == '.') {
            if (last && (out->len == floor || out->data[out->len - 1] != '/'))
                cl_buf_append_char(out, '/');
        } else if (seg == 2 && path[i] == '.' && path[i + 1] == '.') {
            drop_segment(out, floor);
            if (out->len == floor || out->data[out->len - 1] != '/')
                cl_buf_append_char(out, '/');
        } else {
            cl_buf_append(out, path + i, seg);
            if (!last)
                cl_buf_append_char(out, '/');
        }
        i = j + 1;
    }
}

/* The base's path up to its last '/', then ref's path: RFC 3986 5.2.3. */
static void merge(cl_buf *out, const char *base, const parts *b, const char *ref, size_t n)
{
    cl_buf joined = CL_BUF_INIT;
    size_t k = b->path_end;
    while (k > b->auth_end && base[k - 1] != '/')
        k--;
    if (k == b->auth_end && b->auth_end > b->scheme)
        cl_buf_append_char(&joined, '/');  /* "http://host" has an empty path */
    else
        cl_buf_append(&joined, base + b->auth_end, k - b->auth_end);
    cl_buf_append(&joined, ref, n);
    append_path(out, cl_buf_cstr(&joined), joined.len);
    if (joined.oom)
        out->oom = 1;
    cl_buf_free(&joined);
}

/* Where the base's fragment starts, or its end. */
static size_t fragment_at(const char *s, const parts *p)
{
    size_t i = p->path_end;
    while (i < p->len && s[i] != '#')
        i++;
    return i;
}

static int resolved(cl_buf *out)
{
    return out->oom ? -1 : 1;
}

int cl_url_resolve(const char *base, const char *ref, cl_buf *out)
{
    if (!ref)
        return 0;
    parts r = split(ref);
    if (r.scheme || !base || !cl_url_has_scheme(base, strlen(base))) {
        cl_buf_append(out, ref, r.len);
        return out->oom ? -1 : r.scheme > 0;
    }
    parts b = split(base);
    cl_buf_append(out, base, b.scheme);
    if (r.auth_end > 0) {  /* "//host/path": the base's scheme only */
        cl_buf_append(out, ref, r.auth_end);
        append_path(out, ref + r.auth_end, r.path_end - r.auth_end);
        cl_buf_append(out, ref + r.path_end, r.len - r.path_end);
        return resolved(out);
    }
    cl_buf_append(out, base + b.scheme, b.auth_end - b.scheme);
    if (r.path_end == 0) {  /* "", "?q", "#f": the base's path */
        size_t upto = ref[0] == '?' ? b.path_end : fragment_at(base, &b);
        cl_buf_append(out, base + b.auth_end, upto - b.auth_end);
        cl_buf_append(out, ref, r.len);
        return resolved(out);
    }
    if (ref[0] == '/')
        append_path(out, ref, r.path_end);
    else
        merge(out, base, &b, ref, r.path_end);
    cl_buf_append(out, ref + r.path_end, r.len - r.path_end);
    return resolved(out);
}

int cl_url_host(const char *url, size_t *start, size_t *len)
{
    parts p = split(url);
    if (!p.scheme || p.auth_end < p.scheme + 2)
        return -1;
    size_t s = p.scheme + 2, e = p.auth_end;
    for (size_t i = s; i < e; i++)
        if (url[i] == '@')
            s = i + 1;  /* user:password@ */
    size_t colon = s;
    while (colon < e && url[colon] != ':')
        colon++;
    e = colon;
    if (e - s > 4 && strncasecmp(url + s, "www.", 4) == 0)
        s += 4;
    if (e == s)
        return -1;
    *start = s;
    *len = e - s;
    return 0;
}
