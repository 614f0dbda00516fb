/*
 * http.h - the HTTP response inside a WARC record: status line, the
 * headers the cleaner needs, and the body with its transfer and content
 * codings undone.
 *
 * Pure functions over buffers, for warc.h's records and for fuzzing: no
 * I/O, no global state.  Header values are spans into the caller's bytes
 * (borrowed, never copied, valid as long as those bytes).
 *
 * Leniency, as crawlers write them: header lines may end in LF or CRLF;
 * a body that says "chunked" but does not start with a chunk-size line is
 * taken as already de-chunked (archivers often store it so and keep the
 * header); a chunked body cut short keeps the chunks it has (a truncated
 * fetch).  A content coding other than gzip, deflate (zlib or raw) and
 * identity is refused with its name.
 *
 * Limits: the header section is at most HTTP_MAX_HEADER_BYTES; the decoded
 * body never grows past the caller's `max` (a gzip member that expands
 * without end stops there, with an error), so memory is bounded by max
 * whatever the record claims.  Costs: one pass over the header bytes; one
 * over the body per coding.
 */
#ifndef CLEANER_DAEMON_HTTP_H
#define CLEANER_DAEMON_HTTP_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/* Far beyond a real response's headers (a few KB), small enough that a
 * record of junk is refused before much is scanned. */
#define HTTP_MAX_HEADER_BYTES (64u << 10)

typedef struct http_span {
    const char *s;    /* NULL with len 0: absent */
    size_t      len;
} http_span;

typedef enum http_coding {
    HTTP_CODING_IDENTITY = 0,
    HTTP_CODING_GZIP,
    HTTP_CODING_DEFLATE,
    HTTP_CODING_UNSUPPORTED,   /* coding_name says which */
} http_coding;

typedef struct http_response {
    int         status;        /* 200 */
    http_span   mime;          /* Content-Type without parameters */
    http_span   charset;       /* its charset parameter, unquoted */
    int         chunked;       /* Transfer-Encoding names chunked */
    http_coding coding;        /* Content-Encoding */
    http_span   coding_name;
    size_t      body_offset;   /* the body starts here in the bytes parsed */
} http_response;

/*
 * Parses the status line and headers of bytes[0..len).  0, or -1 with err
 * saying what is wrong (no "HTTP/x NNN" status line, a header section
 * without its blank line or over HTTP_MAX_HEADER_BYTES).
 */
int http_parse_response(const char *bytes, size_t len, http_response *r, cl_error *err);

/* Splits a Content-Type value into its media type and charset (spans into
 * value; charset.len 0 when none). */
void http_parse_content_type(const char *value, size_t len, http_span *mime,
                             http_span *charset);

/* 1 when mime is an HTML type (text/html, application/xhtml+xml), case
 * aside. */
int http_mime_is_html(http_span mime);

/*
 * Appends the body (body[0..len), the bytes after the headers) to out
 * with r's transfer and content codings undone, at most max bytes.  0, or
 * -1 with err: a malformed chunk, a corrupt or truncated compressed
 * stream, an unsupported coding, a body decoding past max.
 */
int http_decode_body(const http_response *r, const char *body, size_t len, size_t max,
                     cl_buf *out, cl_error *err);

#endif
