/* Unit tests: daemon/http.c, the HTTP response inside a WARC record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "http.h"

#define MAX (1u << 20)

static int parse(const char *s, http_response *r)
{
    cl_error err = { "" };
    return http_parse_response(s, strlen(s), r, &err);
}

static int span_eq(http_span v, const char *s)
{
    return v.len == strlen(s) && memcmp(v.s, s, v.len) == 0;
}

static void status_type_charset_and_body_offset(void **state)
{
    (void)state;
    const char *s = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\n"
                    "Content-Length: 5\r\n\r\nhello";
    http_response r;
    assert_int_equal(parse(s, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(span_eq(r.mime, "text/html"));
    assert_true(span_eq(r.charset, "ISO-8859-1"));
    assert_true(http_mime_is_html(r.mime));
    assert_string_equal(s + r.body_offset, "hello");
    assert_int_equal(r.coding, HTTP_CODING_IDENTITY);
    assert_false(r.chunked);
}

static void lf_only_headers_and_other_statuses(void **state)
{
    (void)state;
    http_response r;
    assert_int_equal(parse("HTTP/1.0 404 Not Found\nContent-Type: IMAGE/PNG\n\nx", &r), 0);
    assert_int_equal(r.status, 404);
    assert_false(http_mime_is_html(r.mime));
    assert_int_equal(parse("HTTP/2 301\r\n\r\n", &r), 0);
    assert_int_equal(r.status, 301);
    assert_int_equal(r.mime.len, 0);
}

static void broken_headers_are_refused(void **state)
{
    (void)state;
    http_response r;
    assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n", &r), -1);
    assert_int_equal(parse("HTTP/1.1 2x0 OK\r\n\r\n", &r), -1);
    assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", &r), -1);
    assert_int_equal(parse("", &r), -1);
}

static void decode(const http_response *r, const char *body, size_t len, size_t max,
                   cl_buf *out, int want_rc)
{
    cl_error err = { "" };
    cl_buf_clear(out);
    assert_int_equal(http_decode_body(r, body, len, max, out, &err), want_rc);
}

static void chunked_bodies_are_joined(void **state)
{
    (void)state;
    http_response r;
    assert_int_equal(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &r), 0);
    assert_true(r.chunked);
    cl_buf out = CL_BUF_INIT;
    const char *body = "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";
    decode(&r, body, strlen(body), MAX, &out, 0);
    assert_string_equal(cl_buf_cstr(&out), "hello, world");
    /* cut short: the chunks that came are kept */
    decode(&r, "5\r\nhel", 6, MAX, &out, 0);
    assert_string_equal(cl_buf_cstr(&out), "hel");
    /* said chunked, stored de-chunked: taken as it is */
    decode(&r, "<html>x</html>", 14, MAX, &out, 0);
    assert_string_equal(cl_buf_cstr(&out), "<html>x</html>");
    /* a broken size line after the first chunk is an error */
    decode(&r, "2\r\nab\r\nzz\r\n", 11, MAX, &out, -1);
    cl_buf_free(&out);
}

static size_t gzip_bytes(const char *in, size_t len, unsigned char *out, size_t cap, int bits)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (unsigned)len;
    z.next_out = out;
    z.avail_out = (unsigned)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void gzip_and_both_deflates_are_undone(void **state)
{
    (void)state;
    const char *page = "<html><body><p>Gzipped page text.</p></body></html>";
    unsigned char z[512];
    http_response r;
    cl_buf out = CL_BUF_INIT;
    const int bits[] = { 15 + 16, 15, -15 };
    const char *hdr[] = { "Content-Encoding: gzip", "Content-Encoding: deflate",
                          "Content-Encoding: deflate" };
    for (int i = 0; i < 3; i++) {
        char head[128];
        snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\n%s\r\n\r\n", hdr[i]);
        assert_int_equal(parse(head, &r), 0);
        size_t n = gzip_bytes(page, strlen(page), z, sizeof z, bits[i]);
        decode(&r, (const char *)z, n, MAX, &out, 0);
        assert_string_equal(cl_buf_cstr(&out), page);
        decode(&r, (const char *)z, n / 2, MAX, &out, -1);   /* truncated */
    }
    assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n", &r), 0);
    assert_int_equal(r.coding, HTTP_CODING_UNSUPPORTED);
    decode(&r, "x", 1, MAX, &out, -1);
    cl_buf_free(&out);
}

/* A gzip bomb: 8 MB of zeros in a few KB stops at max, an error. */
static void a_body_that_expands_past_max_is_refused(void **state)
{
    (void)state;
    static char zeros[8u << 20];
    static unsigned char z[64u << 10];
    size_t n = gzip_bytes(zeros, sizeof zeros, z, sizeof z, 15 + 16);
    http_response r;
    assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", &r), 0);
    cl_buf out = CL_BUF_INIT;
    decode(&r, (const char *)z, n, 1u << 20, &out, -1);
    assert_true(out.cap <= (2u << 20));
    decode(&r, (const char *)z, n, sizeof zeros, &out, 0);
    assert_int_equal(out.len, sizeof zeros);
    cl_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_type_charset_and_body_offset),
        cmocka_unit_test(lf_only_headers_and_other_statuses),
        cmocka_unit_test(broken_headers_are_refused),
        cmocka_unit_test(chunked_bodies_are_joined),
        cmocka_unit_test(gzip_and_both_deflates_are_undone),
        cmocka_unit_test(a_body_that_expands_past_max_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
