/* Unit tests: daemon/jsonl.c, JSON Lines records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

static const jsonl_fields defaults = { NULL, NULL, NULL };

static int parse(const char *line, const jsonl_fields *f, jsonl_record *rec, cl_error *err)
{
    return jsonl_parse(line, strlen(line), f, rec, err);
}

static void id_url_and_the_first_content_field_are_taken(void **state)
{
    (void)state;
    jsonl_record rec;
    cl_error err = { "" };
    assert_int_equal(parse("{\"id\":7,\"url\":\"http://a.example/\",\"text\":\"t\","
                           "\"html\":\"<p>h</p>\",\"lang\":\"de\"}", &defaults, &rec, &err), 0);
    assert_int_equal(json_integer_value(rec.id), 7);
    assert_string_equal(rec.url, "http://a.example/");
    assert_string_equal(rec.content, "<p>h</p>");
    assert_string_equal(rec.content_field, "html");
    assert_string_equal(rec.name_hint, "record.html");
    assert_true(jsonl_is_record_field(&defaults, "text"));
    assert_false(jsonl_is_record_field(&defaults, "lang"));
    jsonl_record_clear(&rec);
    assert_int_equal(parse("{\"markdown\":\"# x\"}", &defaults, &rec, &err), 0);
    assert_null(rec.id);
    assert_string_equal(rec.name_hint, "record.md");
    jsonl_record_clear(&rec);
}

static void configured_field_names_are_used(void **state)
{
    (void)state;
    const jsonl_fields f = { "doc_id", "link", "raw" };
    jsonl_record rec;
    cl_error err = { "" };
    assert_int_equal(parse("{\"doc_id\":\"a\",\"link\":\"u\",\"raw\":\"x\",\"html\":\"no\"}",
                           &f, &rec, &err), 0);
    assert_string_equal(json_string_value(rec.id), "a");
    assert_string_equal(rec.url, "u");
    assert_string_equal(rec.content, "x");
    assert_null(rec.name_hint);
    assert_false(jsonl_is_record_field(&f, "html"));
    jsonl_record_clear(&rec);
    assert_int_equal(parse("{\"html\":\"x\"}", &f, &rec, &err), -1);
    assert_string_equal(err.msg, "no 'raw' field");
    jsonl_record_clear(&rec);
}

/* Bad records fail with a cause; the object, when there is one, stays
 * for the error line's id. */
static void bad_records_say_why_and_keep_their_id(void **state)
{
    (void)state;
    jsonl_record rec;
    cl_error err = { "" };
    assert_int_equal(parse("{\"id\":1,\"html\":", &defaults, &rec, &err), -1);
    assert_non_null(strstr(err.msg, "invalid JSON at column"));
    assert_null(rec.object);
    assert_int_equal(parse("[1,2]", &defaults, &rec, &err), -1);
    assert_string_equal(err.msg, "not a JSON object");
    assert_int_equal(parse("{\"id\":\"k\",\"title\":\"t\"}", &defaults, &rec, &err), -1);
    assert_string_equal(json_string_value(rec.id), "k");
    jsonl_record_clear(&rec);
    assert_int_equal(parse("{\"id\":[1],\"html\":\"x\"}", &defaults, &rec, &err), -1);
    jsonl_record_clear(&rec);
    assert_int_equal(parse("{\"url\":3,\"html\":\"x\"}", &defaults, &rec, &err), -1);
    jsonl_record_clear(&rec);
    assert_int_equal(parse("{\"html\":\"a\\u0000b\"}", &defaults, &rec, &err), -1);
    jsonl_record_clear(&rec);
}

static void deep_nesting_is_an_error_not_a_crash(void **state)
{
    (void)state;
    size_t n = 1u << 20;
    char *deep = malloc(n);
    memset(deep, '[', n);
    jsonl_record rec;
    cl_error err = { "" };
    assert_int_equal(jsonl_parse(deep, n, &defaults, &rec, &err), -1);
    assert_non_null(strstr(err.msg, "depth"));
    free(deep);
}

typedef struct lines {
    int      n;
    char     text[8][32];
    uint64_t number[8];
    int      too_long[8];
    size_t   len[8];
} lines;

static int read_lines(const char *s, size_t step, size_t max, lines *out)
{
    source_mem m = { s, strlen(s), 0, step };
    jsonl_reader *r = jsonl_reader_new(source_read_mem, &m, max);
    jsonl_line line;
    cl_error err = { "" };
    int rc;
    memset(out, 0, sizeof *out);
    while ((rc = jsonl_next(r, &line, &err)) > 0 && out->n < 8) {
        if (line.bytes)
            snprintf(out->text[out->n], sizeof out->text[0], "%.*s", (int)line.len, line.bytes);
        out->number[out->n] = line.number;
        out->too_long[out->n] = line.too_long;
        out->len[out->n] = line.len;
        out->n++;
    }
    jsonl_reader_free(r);
    return rc;
}

static void lines_split_at_lf_with_blank_lines_skipped(void **state)
{
    (void)state;
    const size_t steps[] = { 0, 1, 3 };
    for (int k = 0; k < 3; k++) {
        lines l;
        assert_int_equal(read_lines("a\r\n\n  \nbb\nccc", steps[k], 100, &l), 0);
        assert_int_equal(l.n, 3);
        assert_string_equal(l.text[0], "a");
        assert_string_equal(l.text[1], "bb");
        assert_int_equal(l.number[1], 4);
        assert_string_equal(l.text[2], "ccc");
    }
}

static void a_line_over_max_is_skipped_not_stored(void **state)
{
    (void)state;
    lines l;
    assert_int_equal(read_lines("short\n0123456789abcdef\nnext\n", 4, 8, &l), 0);
    assert_int_equal(l.n, 3);
    assert_true(l.too_long[1]);
    assert_int_equal(l.len[1], 16);
    assert_string_equal(l.text[2], "next");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_url_and_the_first_content_field_are_taken),
        cmocka_unit_test(configured_field_names_are_used),
        cmocka_unit_test(bad_records_say_why_and_keep_their_id),
        cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
        cmocka_unit_test(lines_split_at_lf_with_blank_lines_skipped),
        cmocka_unit_test(a_line_over_max_is_skipped_not_stored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
