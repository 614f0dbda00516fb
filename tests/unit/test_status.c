/* Unit tests: cleaner/status.c, whether a document holds an article. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cleaner.h"
#include "render.h"
#include "status.h"

#define TEXT_CHARS(s) cl_text_chars((s), strlen(s))

static void add(cl_doc *doc, cl_block_kind kind, int level, const char *text)
{
    assert_true(cl_doc_add_block(doc, kind, level, text, strlen(text), 0) >= 0);
}

static void chars_are_code_points_with_whitespace_runs_as_one(void **state)
{
    (void)state;
    assert_int_equal(TEXT_CHARS(""), 0);
    assert_int_equal(TEXT_CHARS(" \t\n\r\f\v"), 0);
    assert_int_equal(TEXT_CHARS("abc"), 3);
    assert_int_equal(TEXT_CHARS("Für  uns\n\n- ja"), 12);
    assert_int_equal(TEXT_CHARS("  a \t b  "), 3);            /* ends not counted */
    assert_int_equal(TEXT_CHARS("日本語"), 3);                 /* 9 bytes */
    assert_int_equal(TEXT_CHARS("😀 ok"), 4);                  /* a 4-byte sequence */
    assert_int_equal(TEXT_CHARS("a\xC2\xA0\xC2\xA0" "b"), 3);  /* U+00A0 is a space */
    assert_int_equal(TEXT_CHARS("\xC2\xA0"), 0);
}

/* cl_body_chars() counts the body as cl_render_body() lays it out: the
 * title aside, dropped blocks aside, list markers in, code lines as
 * whitespace runs. */
static void body_chars_match_the_rendered_body(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_MARKDOWN);
    cl_doc_set_meta(doc, CL_META_TITLE, "A long title that must not count", 32, 0);
    add(doc, CL_BLOCK_LIST_ITEM, 1, "first");
    add(doc, CL_BLOCK_HEADING, 2, "Über uns");
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Dropped chrome, many characters long.");
    add(doc, CL_BLOCK_LIST_ITEM, 3, "deep item");
    add(doc, CL_BLOCK_CODE, 0, "int x;\n\n    return x;");
    add(doc, CL_BLOCK_QUOTE, 0, "«Zitat»");
    cl_block_decide(&doc->blocks[2], CL_DROP, "rule x");
    cl_buf body = CL_BUF_INIT;
    assert_int_equal(cl_render_body(doc, &body), 0);
    size_t want = cl_text_chars(body.data, body.len);
    /* "- first Über uns - deep item int x; return x; «Zitat»" */
    assert_int_equal(want, 53);
    assert_int_equal(cl_body_chars(doc), want);
    cl_buf_free(&body);
    cl_doc_free(doc);
}

static void empty_body_is_no_article_whatever_the_bar(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    cl_doc_set_meta(doc, CL_META_TITLE, "Only a title", 12, 0);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Home | News | Sport | Contact");
    cl_block_decide(&doc->blocks[0], CL_DROP, "html chrome: nav");
    size_t chars = 99;
    assert_int_equal(cl_doc_status(doc, 0, &chars), CL_STATUS_NO_ARTICLE);
    assert_int_equal(chars, 0);
    assert_int_equal(cl_doc_status(doc, 25, NULL), CL_STATUS_NO_ARTICLE);
    assert_int_equal(cl_doc_status(NULL, 0, &chars), CL_STATUS_NO_ARTICLE);
    assert_int_equal(chars, 0);
    cl_doc_free(doc);
}

static void body_under_the_bar_is_no_article_at_it_ok(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Photos of the week.");   /* 19 */
    size_t chars = 0;
    assert_int_equal(cl_doc_status(doc, 25, &chars), CL_STATUS_NO_ARTICLE);
    assert_int_equal(chars, 19);
    assert_int_equal(cl_doc_status(doc, 20, NULL), CL_STATUS_NO_ARTICLE);
    assert_int_equal(cl_doc_status(doc, 19, NULL), CL_STATUS_OK);
    assert_int_equal(cl_doc_status(doc, 0, NULL), CL_STATUS_OK);
    cl_doc_free(doc);
}

/* Bytes would say 43: the bar is on characters. */
static void bar_counts_characters_not_bytes(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Привет мир, это заметка.");
    size_t chars = 0;
    assert_int_equal(cl_doc_status(doc, 25, &chars), CL_STATUS_NO_ARTICLE);
    assert_int_equal(chars, 24);
    cl_doc_free(doc);
}

/* The whole library on a page of navigation and footer only. */
static void page_of_chrome_only_has_no_article(void **state)
{
    (void)state;
    static const char page[] =
        "<!DOCTYPE html><html><head><title>Example News</title></head><body>"
        "<header><a href=\"/\">Example News</a></header>"
        "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li></ul></nav>"
        "<footer><nav><a href=\"/privacy\">Privacy</a> <a href=\"/terms\">Terms</a></nav></footer>"
        "</body></html>";
    cl_options o;
    cl_options_init(&o);
    cl_cleaner *c = cl_cleaner_new(&o, NULL);
    assert_non_null(c);
    cl_doc *doc = NULL;
    cl_error err = { "" };
    assert_int_equal(cl_clean(c, page, sizeof page - 1, "page.html", &doc, &err), 0);
    size_t chars = 99;
    assert_int_equal(cl_doc_status(doc, 0, &chars), CL_STATUS_NO_ARTICLE);
    assert_int_equal(chars, 0);
    cl_doc_free(doc);
    cl_cleaner_free(c);
}

static void json_carries_the_status(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Short.");
    cl_buf out = CL_BUF_INIT;
    assert_int_equal(cl_render_json(doc, "a.txt", CL_STATUS_NO_ARTICLE, 0, &out), 0);
    assert_non_null(strstr(out.data, "{\"source\":\"a.txt\",\"status\":\"no_article\","));
    assert_non_null(strstr(out.data, "\"body\":\"Short.\""));     /* the record is whole */
    cl_buf_clear(&out);
    assert_int_equal(cl_render_json(doc, "a.txt", CL_STATUS_OK, 0, &out), 0);
    assert_non_null(strstr(out.data, "\"status\":\"ok\""));
    assert_string_equal(cl_status_name(CL_STATUS_NO_ARTICLE), "no_article");
    assert_string_equal(cl_status_name(CL_STATUS_OK), "ok");
    cl_buf_free(&out);
    cl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chars_are_code_points_with_whitespace_runs_as_one),
        cmocka_unit_test(body_chars_match_the_rendered_body),
        cmocka_unit_test(empty_body_is_no_article_whatever_the_bar),
        cmocka_unit_test(body_under_the_bar_is_no_article_at_it_ok),
        cmocka_unit_test(bar_counts_characters_not_bytes),
        cmocka_unit_test(page_of_chrome_only_has_no_article),
        cmocka_unit_test(json_carries_the_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
