/* Unit tests: daemon/warc.c, WARC records from plain and gzipped streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "warc.h"

#define MAX_BLOCK (1u << 20)

/* A record of type `type` with `block`, its Content-Length `claimed`
 * (-1: the block's length). */
static void add_record(cl_buf *out, const char *type, const char *block, long claimed)
{
    size_t len = strlen(block);
    cl_buf_printf(out, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Target-URI: <http://example.com/%s>\r\n"
                  "WARC-Record-ID: <urn:uuid:%s-1>\r\nWARC-Date: 2024-05-06T07:08:09.123Z\r\n"
                  "Content-Type: application/http; msgtype=response\r\n"
                  "Content-Length: %ld\r\n\r\n", type, type, type,
                  claimed < 0 ? (long)len : claimed);
    cl_buf_append(out, block, len);
    cl_buf_append_str(out, "\r\n\r\n");
}

static void gzip_append(cl_buf *out, const char *in, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, len);
    assert_int_equal(cl_buf_reserve(out, cap), 0);
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (unsigned)len;
    z.next_out = (unsigned char *)out->data + out->len;
    z.avail_out = (unsigned)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    out->len += cap - z.avail_out;
    deflateEnd(&z);
}

typedef struct seen {
    int  n;
    char types[16][16];
    char errors[16][CL_ERROR_MAX];
    char blocks[16][64];
    uint64_t offsets[16];
} seen;

/* Reads every record of bytes, `step` bytes per read. */
static int read_all(const cl_buf *bytes, size_t step, size_t max_block, seen *s)
{
    source_mem m = { bytes->data, bytes->len, 0, step };
    warc_reader *r = warc_reader_new(source_read_mem, &m, max_block);
    assert_non_null(r);
    memset(s, 0, sizeof *s);
    const warc_record *rec;
    cl_error err = { "" };
    int rc;
    while ((rc = warc_next(r, &rec, &err)) > 0 && s->n < 16) {
        snprintf(s->types[s->n], sizeof s->types[0], "%s", rec->type_name);
        snprintf(s->errors[s->n], sizeof s->errors[0], "%s", rec->error);
        snprintf(s->blocks[s->n], sizeof s->blocks[0], "%s", rec->block);
        s->offsets[s->n] = rec->offset;
        s->n++;
    }
    warc_reader_free(r);
    return rc;
}

static void header_fields_are_read(void **state)
{
    (void)state;
    char hdr[] = "WARC/1.0\r\nwarc-type: response\r\nWARC-Target-URI: <http://a.example/x y>\r\n"
                 "WARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2018-11-02T18:55:11Z\r\n"
                 "Content-Type: application/http;msgtype=response\r\n"
                 "Content-Length: 1613\r\n\r\n";
    warc_record rec;
    memset(&rec, 0, sizeof rec);
    cl_error err = { "" };
    assert_int_equal(warc_parse_header(hdr, strlen(hdr), &rec, &err), 0);
    assert_int_equal(rec.type, WARC_TYPE_RESPONSE);
    assert_string_equal(rec.target_uri, "http://a.example/x y");
    assert_string_equal(rec.record_id, "<urn:uuid:1>");
    assert_int_equal(rec.fetch_time, 1541184911);
    assert_int_equal(rec.content_length, 1613);
    assert_string_equal(rec.content_type, "application/http;msgtype=response");
}

static void headers_without_a_length_are_refused(void **state)
{
    (void)state;
    char none[] = "WARC/1.0\r\nWARC-Type: response\r\n\r\n";
    char bad[] = "WARC/1.0\r\nContent-Length: 12x\r\n\r\n";
    char junk[] = "HTTP/1.1 200 OK\r\n\r\n";
    warc_record rec;
    cl_error err = { "" };
    memset(&rec, 0, sizeof rec);
    assert_int_equal(warc_parse_header(none, strlen(none), &rec, &err), -1);
    assert_int_equal(warc_parse_header(bad, strlen(bad), &rec, &err), -1);
    assert_int_equal(warc_parse_header(junk, strlen(junk), &rec, &err), -1);
    assert_int_equal(warc_parse_date("2018-11-02"), 1541116800);
    assert_int_equal(warc_parse_date("yesterday"), 0);
}

static void plain_and_gzipped_streams_give_the_same_records(void **state)
{
    (void)state;
    const char *types[] = { "warcinfo", "response", "request", "resource" };
    cl_buf plain = CL_BUF_INIT, gz = CL_BUF_INIT;
    for (int i = 0; i < 4; i++) {
        cl_buf one = CL_BUF_INIT;
        add_record(&one, types[i], types[i], -1);
        cl_buf_append(&plain, one.data, one.len);
        gzip_append(&gz, one.data, one.len);
        cl_buf_free(&one);
    }
    const size_t steps[] = { 0, 1, 7 };
    for (int k = 0; k < 3; k++) {
        seen s;
        assert_int_equal(read_all(&plain, steps[k], MAX_BLOCK, &s), 0);
        assert_int_equal(s.n, 4);
        assert_string_equal(s.types[1], "response");
        assert_string_equal(s.blocks[1], "response");
        assert_string_equal(s.blocks[2], "");            /* request: not kept */
        assert_string_equal(s.errors[3], "");
        assert_int_equal(read_all(&gz, steps[k], MAX_BLOCK, &s), 0);
        assert_int_equal(s.n, 4);
        assert_string_equal(s.blocks[3], "resource");
        assert_int_equal(s.offsets[0], 0);
        assert_true(s.offsets[1] > 0 && s.offsets[2] > s.offsets[1]);
    }
    cl_buf_free(&plain);
    cl_buf_free(&gz);
}

/* A member cut in two: its record is an error, the next member's record
 * comes out whole. */
static void a_truncated_member_is_one_error_and_the_stream_goes_on(void **state)
{
    (void)state;
    cl_buf a = CL_BUF_INIT, b = CL_BUF_INIT, gz = CL_BUF_INIT, first = CL_BUF_INIT;
    add_record(&a, "response", "<html><body>first page of some length</body></html>", -1);
    add_record(&b, "resource", "second", -1);
    gzip_append(&first, a.data, a.len);
    cl_buf_append(&gz, first.data, first.len / 2);
    gzip_append(&gz, b.data, b.len);
    seen s;
    assert_int_equal(read_all(&gz, 0, MAX_BLOCK, &s), 0);
    assert_true(s.n >= 2);
    assert_non_null(strstr(s.errors[0], "gzip member at offset 0"));
    assert_string_equal(s.types[s.n - 1], "resource");
    assert_string_equal(s.blocks[s.n - 1], "second");
    assert_string_equal(s.errors[s.n - 1], "");
    /* cut at the very end: one error, then the end */
    cl_buf_truncate(&first, first.len - 30);
    assert_int_equal(read_all(&first, 3, MAX_BLOCK, &s), 0);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(s.errors[0], "cut short"));
    cl_buf_free(&a);
    cl_buf_free(&b);
    cl_buf_free(&gz);
    cl_buf_free(&first);
}

static void a_short_plain_record_and_junk_are_errors(void **state)
{
    (void)state;
    cl_buf w = CL_BUF_INIT;
    cl_buf_append_str(&w, "garbage line\r\n");
    add_record(&w, "response", "body", 2);            /* claims 2 of 4 bytes */
    add_record(&w, "resource", "fine", -1);
    add_record(&w, "response", "the end", 100);       /* claims more than there is */
    seen s;
    assert_int_equal(read_all(&w, 5, MAX_BLOCK, &s), 0);
    assert_int_equal(s.n, 5);
    assert_non_null(strstr(s.errors[0], "no WARC record here: 14 bytes"));
    assert_string_equal(s.blocks[1], "bo");
    assert_non_null(strstr(s.errors[2], "no WARC record here"));
    assert_string_equal(s.blocks[3], "fine");
    assert_non_null(strstr(s.errors[4], "cut short"));
    cl_buf_free(&w);
}

/* A record claiming 1 TB is read in steps and kept up to max_block. */
static void a_huge_claimed_length_costs_max_block(void **state)
{
    (void)state;
    cl_buf w = CL_BUF_INIT;
    add_record(&w, "response", "0123456789abcdef", -1);
    add_record(&w, "response", "tiny", 1000000000000L);
    seen s;
    assert_int_equal(read_all(&w, 0, 8, &s), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.blocks[0], "01234567");
    assert_non_null(strstr(s.errors[1], "cut short"));
    cl_buf_free(&w);
}

static void a_header_of_junk_is_bounded(void **state)
{
    (void)state;
    cl_buf w = CL_BUF_INIT;
    cl_buf_append_str(&w, "WARC/1.0\r\n");
    for (int i = 0; i < 5000; i++)
        cl_buf_append_str(&w, "X-Junk: 0123456789\r\n");
    add_record(&w, "resource", "after", -1);
    seen s;
    assert_int_equal(read_all(&w, 0, MAX_BLOCK, &s), 0);
    assert_int_equal(s.n, 2);
    assert_non_null(strstr(s.errors[0], "header over"));
    assert_string_equal(s.blocks[1], "after");
    cl_buf_free(&w);
}

static ssize_t failing_read(void *ctx, void *buf, size_t n)
{
    (void)ctx;
    (void)buf;
    (void)n;
    errno = EIO;
    return -1;
}

static void a_failing_source_is_fatal(void **state)
{
    (void)state;
    warc_reader *r = warc_reader_new(failing_read, NULL, MAX_BLOCK);
    const warc_record *rec;
    cl_error err = { "" };
    assert_int_equal(warc_next(r, &rec, &err), -1);
    assert_non_null(strstr(err.msg, "read error at offset 0"));
    warc_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_fields_are_read),
        cmocka_unit_test(headers_without_a_length_are_refused),
        cmocka_unit_test(plain_and_gzipped_streams_give_the_same_records),
        cmocka_unit_test(a_truncated_member_is_one_error_and_the_stream_goes_on),
        cmocka_unit_test(a_short_plain_record_and_junk_are_errors),
        cmocka_unit_test(a_huge_claimed_length_costs_max_block),
        cmocka_unit_test(a_header_of_junk_is_bounded),
        cmocka_unit_test(a_failing_source_is_fatal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
