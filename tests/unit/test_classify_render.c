/* Unit tests: cleaner/classify.c and cleaner/render.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "classify.h"
#include "render.h"

#define BODY1 "The committee met on Tuesday to discuss the budget, and members agreed on most of the items."
#define BODY2 "Several members said the remaining questions would be settled at the next meeting in June."

static cl_doc *doc_of(const char *const *texts, size_t n)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    for (size_t i = 0; i < n; i++)
        cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, texts[i], strlen(texts[i]), 0);
    return doc;
}

static void classify(cl_doc *doc)
{
    cl_classify_options o;
    cl_classify_options_init(&o);
    cl_classify(doc, &o);
}

static void test_leading_headline_becomes_title(void **state)
{
    (void)state;
    const char *t[] = { "Committee Agrees on Budget", BODY1, BODY2 };
    cl_doc *doc = doc_of(t, 3);
    classify(doc);
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "Committee Agrees on Budget");
    assert_int_equal(doc->blocks[0].decision, CL_DROP);   /* printed once, as title */
    assert_int_equal(doc->blocks[1].decision, CL_KEEP);
    cl_doc_free(doc);
}

static void test_interleaved_headline_dropped_subheading_kept(void **state)
{
    (void)state;
    const char *t[] = { BODY1, "Storm closes schools across the region for a second day", BODY2,
                        "Next steps", BODY1 };
    cl_doc *doc = doc_of(t, 5);
    classify(doc);
    assert_int_equal(doc->blocks[1].decision, CL_DROP);
    assert_string_equal(doc->blocks[1].reason, "interleaved headline");
    assert_int_equal(doc->blocks[3].decision, CL_KEEP);
    cl_doc_free(doc);
}

static void test_link_dense_and_trailing_blocks_dropped(void **state)
{
    (void)state;
    const char *t[] = { BODY1, BODY2, "He declined to comment.", "More from our partners" };
    cl_doc *doc = doc_of(t, 4);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, "Home News Sport", 15, 15);
    classify(doc);
    assert_int_equal(doc->blocks[2].decision, CL_KEEP);   /* a sentence, though short */
    assert_int_equal(doc->blocks[3].decision, CL_DROP);
    assert_int_equal(doc->blocks[4].decision, CL_DROP);
    assert_string_equal(doc->blocks[4].reason, "link density");
    cl_doc_free(doc);
}

static void test_main_region_drops_furniture_around_the_article(void **state)
{
    (void)state;
    const char *t[] = { "Home", "World Business Sport Culture Opinion", BODY1, BODY2,
                        "He declined to comment.", "Terms of use Privacy policy Contact us About",
                        "Cookie settings", "A reader wrote that the committee should have met sooner than it did." };
    cl_doc *doc = doc_of(t, 8);
    doc->blocks[5].link_len = doc->blocks[5].len;  /* a footer of links */
    classify(doc);
    assert_int_equal(doc->blocks[1].decision, CL_DROP);
    assert_string_equal(doc->blocks[1].reason, "outside the main text");
    assert_int_equal(doc->blocks[2].decision, CL_KEEP);
    assert_int_equal(doc->blocks[4].decision, CL_KEEP);   /* a short sentence next to the body */
    assert_int_equal(doc->blocks[5].decision, CL_DROP);
    assert_int_equal(doc->blocks[6].decision, CL_DROP);
    assert_string_equal(doc->blocks[6].reason, "outside the main text");
    assert_int_equal(doc->blocks[7].decision, CL_DROP);   /* body-like, but cut off by the links */
    cl_doc_free(doc);
}

static void test_end_marker_cuts_what_follows_only_after_the_body(void **state)
{
    (void)state;
    const char *t[] = { "Comments", BODY1, BODY2, "Comments", BODY1 };
    cl_doc *doc = doc_of(t, 5);
    for (size_t i = 0; i < 5; i += 3) {
        doc->blocks[i].flags |= CL_BLOCK_ENDS_ARTICLE;  /* as an end rule leaves them */
        cl_block_decide(&doc->blocks[i], CL_DROP, "rule end");
    }
    classify(doc);
    assert_int_equal(doc->blocks[1].decision, CL_KEEP);
    assert_int_equal(doc->blocks[2].decision, CL_KEEP);
    assert_int_equal(doc->blocks[4].decision, CL_DROP);
    assert_string_equal(doc->blocks[4].reason, "after the end of the article");
    cl_doc_free(doc);
}

static void test_flattened_menu_dropped_table_row_kept(void **state)
{
    (void)state;
    const char *t[] = { BODY1, "Home \xE2\x80\xA2 News \xE2\x80\xA2 Sport \xE2\x80\xA2 Weather", BODY2,
                        "Terms of Use | Privacy Policy | Contact", BODY1 };
    cl_doc *doc = doc_of(t, 5);
    cl_doc_add_block(doc, CL_BLOCK_TABLE_ROW, 0, "Pos | Player | Plays | Stats", 28, 0);
    classify(doc);
    assert_int_equal(doc->blocks[1].decision, CL_DROP);
    assert_string_equal(doc->blocks[1].reason, "menu");
    assert_int_equal(doc->blocks[3].decision, CL_DROP);
    assert_int_equal(doc->blocks[5].decision, CL_KEEP);
    cl_doc_free(doc);
}

static void test_render_text_and_json(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_MARKDOWN);
    cl_doc_set_meta(doc, CL_META_TITLE, " A  \"Title\" ", 12, 0);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, "Line\twith tab.", 14, 0);
    cl_doc_add_block(doc, CL_BLOCK_LIST_ITEM, 2, "item", 4, 0);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, "gone", 4, 0);
    cl_block_decide(&doc->blocks[2], CL_DROP, "rule x");
    cl_buf out = CL_BUF_INIT;
    cl_render_text(doc, &out);
    assert_string_equal(out.data, "A \"Title\"\n\nLine\twith tab.\n\n  - item\n");
    cl_buf_clear(&out);
    cl_render_json(doc, "in/a.md", CL_STATUS_OK, 1, &out);
    assert_non_null(strstr(out.data, "\"title\":\"A \\\"Title\\\"\""));
    assert_non_null(strstr(out.data, "\"author\":null"));
    assert_non_null(strstr(out.data, "\"body\":\"Line\\twith tab.\\n\\n  - item\""));
    assert_non_null(strstr(out.data, "\"decision\":\"drop\",\"reason\":\"rule x\""));
    assert_int_equal(out.data[out.len - 1], '\n');
    cl_buf_free(&out);
    cl_doc_free(doc);
}

static void test_render_empty_document_is_empty(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    cl_buf out = CL_BUF_INIT;
    cl_render_text(doc, &out);
    assert_int_equal(out.len, 0);
    cl_buf_free(&out);
    cl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leading_headline_becomes_title),
        cmocka_unit_test(test_interleaved_headline_dropped_subheading_kept),
        cmocka_unit_test(test_link_dense_and_trailing_blocks_dropped),
        cmocka_unit_test(test_main_region_drops_furniture_around_the_article),
        cmocka_unit_test(test_end_marker_cuts_what_follows_only_after_the_body),
        cmocka_unit_test(test_flattened_menu_dropped_table_row_kept),
        cmocka_unit_test(test_render_text_and_json),
        cmocka_unit_test(test_render_empty_document_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
