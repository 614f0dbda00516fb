#include "http.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* zlib's output step: small enough to check max often, large enough that
 * the calls cost nothing next to the inflating. */
#define HTTP_INFLATE_STEP (64u << 10)

static int span_is(http_span v, const char *word)
{
    size_t n = strlen(word);
    return v.len == n && strncasecmp(v.s, word, n) == 0;
}

static http_span trim(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return (http_span){ s, len };
}

/* The end of the line starting at p (its LF, or end), within end. */
static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

void http_parse_content_type(const char *value, size_t len, http_span *mime,
                             http_span *charset)
{
    const char *end = value + len;
    const char *semi = memchr(value, ';', len);
    *mime = trim(value, (size_t)((semi ? semi : end) - value));
    *charset = (http_span){ NULL, 0 };
    while (semi) {
        const char *p = semi + 1;
        semi = memchr(p, ';', (size_t)(end - p));
        http_span param = trim(p, (size_t)((semi ? semi : end) - p));
        if (param.len < 8 || strncasecmp(param.s, "charset=", 8) != 0)
            continue;
        http_span v = trim(param.s + 8, param.len - 8);
        if (v.len >= 2 && v.s[0] == '"' && v.s[v.len - 1] == '"')
            v = (http_span){ v.s + 1, v.len - 2 };
        *charset = v;
    }
}

int http_mime_is_html(http_span mime)
{
    return span_is(mime, "text/html") || span_is(mime, "application/xhtml+xml");
}

/* Transfer-Encoding: a list whose last coding is chunked. */
static int names_chunked(http_span v)
{
    const char *comma = v.len ? memrchr(v.s, ',', v.len) : NULL;
    http_span last = comma ? trim(comma + 1, (size_t)(v.s + v.len - comma - 1)) : v;
    return span_is(last, "chunked");
}

static void set_coding(http_response *r, http_span v)
{
    r->coding_name = v;
    if (v.len == 0 || span_is(v, "identity"))
        r->coding = HTTP_CODING_IDENTITY;
    else if (span_is(v, "gzip") || span_is(v, "x-gzip"))
        r->coding = HTTP_CODING_GZIP;
    else if (span_is(v, "deflate"))
        r->coding = HTTP_CODING_DEFLATE;
    else
        r->coding = HTTP_CODING_UNSUPPORTED;
}

static void take_header(http_response *r, http_span name, http_span value)
{
    if (span_is(name, "Content-Type"))
        http_parse_content_type(value.s, value.len, &r->mime, &r->charset);
    else if (span_is(name, "Transfer-Encoding"))
        r->chunked = names_chunked(value);
    else if (span_is(name, "Content-Encoding"))
        set_coding(r, value);
}

/* "HTTP/1.1 200 OK": the status, or -1. */
static int parse_status_line(const char *p, const char *end)
{
    if (end - p < 10 || strncmp(p, "HTTP/", 5) != 0)
        return -1;
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    if (!sp || end - sp < 4)
        return -1;
    int status = 0;
    for (int i = 1; i <= 3; i++) {
        if (sp[i] < '0' || sp[i] > '9')
            return -1;
        status = status * 10 + (sp[i] - '0');
    }
    if (sp + 4 < end && sp[4] != ' ' && sp[4] != '\r')
        return -1;
    return status;
}

int http_parse_response(const char *bytes, size_t len, http_response *r, cl_error *err)
{
    memset(r, 0, sizeof *r);
    const char *end = bytes + (len < HTTP_MAX_HEADER_BYTES ? len : HTTP_MAX_HEADER_BYTES);
    const char *eol = line_end(bytes, end);
    if ((r->status = parse_status_line(bytes, eol)) < 0)
        return cl_fail(err, "no HTTP status line");
    for (const char *p = eol + 1; p < end; p = eol + 1) {
        eol = line_end(p, end);
        if (eol == end)
            break;
        http_span line = trim(p, (size_t)(eol - p));
        if (line.len == 0) {
            r->body_offset = (size_t)(eol + 1 - bytes);
            return 0;
        }
        const char *colon = memchr(line.s, ':', line.len);
        if (!colon)
            continue;   /* a junk line: browsers skip it too */
        take_header(r, trim(line.s, (size_t)(colon - line.s)),
                    trim(colon + 1, (size_t)(line.s + line.len - colon - 1)));
    }
    if (len > HTTP_MAX_HEADER_BYTES)
        return cl_fail(err, "HTTP headers over %u bytes", HTTP_MAX_HEADER_BYTES);
    return cl_fail(err, "HTTP headers without their end (no blank line)");
}

/* A chunk-size line at p: the size, with *next past its LF; -1 if p holds
 * none (a bad size, no LF before end, or a size beyond any body). */
static long long chunk_size(const char *p, const char *end, const char **next)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        return -1;
    long long size = 0;
    int digits = 0;
    for (; p < eol; p++, digits++) {
        int c = *p, v = c >= '0' && c <= '9' ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0)
            break;
        if (digits >= 15)
            return -1;
        size = size * 16 + v;
    }
    if (digits == 0 || (p < eol && *p != ';' && *p != '\r' && *p != ' ' && *p != '\t'))
        return -1;
    *next = eol + 1;
    return size;
}

static int dechunk(const char *body, size_t len, size_t max, cl_buf *out, cl_error *err)
{
    const char *p = body, *end = body + len;
    for (;;) {
        const char *data;
        long long size = chunk_size(p, end, &data);
        if (size < 0)
            return p == end ? 0 : cl_fail(err, "bad chunk size at body byte %zu",
                                          (size_t)(p - body));
        if (size == 0)
            return 0;
        size_t take = (size_t)size < (size_t)(end - data) ? (size_t)size
                                                          : (size_t)(end - data);
        if (out->len + take > max)
            return cl_fail(err, "body over %zu bytes", max);
        if (cl_buf_append(out, data, take) < 0)
            return cl_fail(err, "out of memory");
        if (take < (size_t)size)
            return 0;   /* cut short: keep what came */
        p = data + take;
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
    }
}

static int inflate_run(z_stream *z, size_t max, cl_buf *out, cl_error *err)
{
    int zrc = Z_OK;
    while (zrc != Z_STREAM_END) {
        if (out->len >= max)
            return cl_fail(err, "body decodes to over %zu bytes", max);
        size_t step = max - out->len < HTTP_INFLATE_STEP ? max - out->len : HTTP_INFLATE_STEP;
        if (cl_buf_reserve(out, step) < 0)
            return cl_fail(err, "out of memory");
        z->next_out = (unsigned char *)out->data + out->len;
        z->avail_out = (unsigned)step;
        zrc = inflate(z, Z_NO_FLUSH);
        out->len += step - z->avail_out;
        out->data[out->len] = '\0';
        if (zrc == Z_BUF_ERROR || (zrc == Z_OK && z->avail_in == 0 && z->avail_out > 0))
            return cl_fail(err, "compressed body cut short");
        if (zrc != Z_OK && zrc != Z_STREAM_END)
            return cl_fail(err, "corrupt compressed body (%s)", z->msg ? z->msg : "zlib error");
    }
    return 0;
}

/* windowBits: 15 + 32 reads gzip or zlib by their header; -15 raw deflate. */
static int inflate_body(const char *in, size_t len, int window_bits, size_t max,
                        cl_buf *out, cl_error *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, window_bits) != Z_OK)
        return cl_fail(err, "out of memory");
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (unsigned)len;
    size_t start = out->len;
    int rc = len > 0xFFFFFFFFu ? cl_fail(err, "compressed body over 4 GiB")
                               : inflate_run(&z, max, out, err);
    inflateEnd(&z);
    if (rc < 0)
        cl_buf_truncate(out, start);
    return rc;
}

/* "deflate" is zlib-wrapped by the RFC, raw in many servers: try both. */
static int undo_coding(const http_response *r, const char *in, size_t len, size_t max,
                       cl_buf *out, cl_error *err)
{
    switch (r->coding) {
    case HTTP_CODING_IDENTITY:
        if (len > max)
            return cl_fail(err, "body over %zu bytes", max);
        return cl_buf_append(out, in, len) < 0 ? cl_fail(err, "out of memory") : 0;
    case HTTP_CODING_GZIP:
        return inflate_body(in, len, 15 + 32, max, out, err);
    case HTTP_CODING_DEFLATE:
        if (inflate_body(in, len, 15 + 32, max, out, NULL) == 0)
            return 0;
        return inflate_body(in, len, -15, max, out, err);
    case HTTP_CODING_UNSUPPORTED:
        break;
    }
    return cl_fail(err, "unsupported Content-Encoding '%.*s'",
                   (int)(r->coding_name.len < 40 ? r->coding_name.len : 40), r->coding_name.s);
}

int http_decode_body(const http_response *r, const char *body, size_t len, size_t max,
                     cl_buf *out, cl_error *err)
{
    const char *first;
    if (!r->chunked || chunk_size(body, body + len, &first) < 0)
        return undo_coding(r, body, len, max, out, err);
    cl_buf raw = CL_BUF_INIT;
    int rc = dechunk(body, len, max, &raw, err);
    if (rc == 0)
        rc = undo_coding(r, cl_buf_cstr(&raw), raw.len, max, out, err);
    cl_buf_free(&raw);
    return rc;
}
