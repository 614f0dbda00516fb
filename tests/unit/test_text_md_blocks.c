/* Unit tests: cleaner/text_blocks.c and cleaner/md_blocks.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "md_blocks.h"
#include "text_blocks.h"

static cl_doc *read_text(const char *s)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    assert_int_equal(cl_text_read(s, strlen(s), doc, NULL), 0);
    return doc;
}

static cl_doc *read_md(const char *s)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_MARKDOWN);
    assert_int_equal(cl_md_read(s, strlen(s), doc, NULL), 0);
    return doc;
}

static void test_text_blank_lines_separate_paragraphs(void **state)
{
    (void)state;
    cl_doc *doc = read_text("One line\nand its rest.\n\n\n  Two.  \n\n*\n");
    assert_int_equal(doc->nblocks, 3);
    assert_string_equal(doc->blocks[0].text, "One line and its rest.");
    assert_string_equal(doc->blocks[1].text, "Two.");
    assert_int_equal(doc->blocks[2].kind, CL_BLOCK_SEPARATOR);
    cl_doc_free(doc);
}

static void test_text_without_blank_lines_splits_on_lines(void **state)
{
    (void)state;
    cl_doc *doc = read_text("First paragraph.\nSecond paragraph.\r\nThird.");
    assert_int_equal(doc->nblocks, 3);
    assert_string_equal(doc->blocks[1].text, "Second paragraph.");
    assert_true(doc->blocks[2].flags & CL_BLOCK_LINE_SPLIT);
    cl_doc_free(doc);
}

static void test_text_date_marker_becomes_metadata(void **state)
{
    (void)state;
    cl_doc *doc = read_text(" date 2022-10-11 Body starts here.\n\nMore.");
    assert_string_equal(cl_doc_meta(doc, CL_META_DATE), "2022-10-11");
    assert_string_equal(doc->blocks[0].text, "Body starts here.");
    cl_doc_free(doc);
    char date[11];
    assert_int_equal(cl_text_date_marker("date 2022-10-11x", 16, date), 0);
    assert_int_equal(cl_text_date_marker("update 2022-10-11 ", 18, date), 0);
}

static void test_md_links_keep_text_and_count_link_bytes(void **state)
{
    (void)state;
    cl_doc *doc = read_md("Say [hello](#) to **all** of `you` &amp; &#8220;them&#8221;.\n");
    assert_int_equal(doc->nblocks, 1);
    assert_string_equal(doc->blocks[0].text, "Say hello to all of you & \xE2\x80\x9Cthem\xE2\x80\x9D.");
    assert_int_equal(doc->blocks[0].link_len, 5);
    cl_doc_free(doc);
}

static void test_md_block_kinds(void **state)
{
    (void)state;
    cl_doc *doc = read_md("## Sub head\n\n- one\n- two [x](y)\n\n> quoted\n> text\n\n"
                          "```\ncode  line 1\n  line 2\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                          "![alt text](img.png) caption\n");
    assert_int_equal(doc->blocks[0].kind, CL_BLOCK_HEADING);
    assert_int_equal(doc->blocks[0].level, 2);
    assert_int_equal(doc->blocks[1].kind, CL_BLOCK_LIST_ITEM);
    assert_string_equal(doc->blocks[2].text, "two x");
    assert_int_equal(doc->blocks[3].kind, CL_BLOCK_QUOTE);
    assert_string_equal(doc->blocks[3].text, "quoted text");
    assert_int_equal(doc->blocks[4].kind, CL_BLOCK_CODE);
    assert_string_equal(doc->blocks[4].text, "code  line 1\n  line 2");
    assert_int_equal(doc->blocks[5].kind, CL_BLOCK_SEPARATOR);
    assert_int_equal(doc->blocks[6].kind, CL_BLOCK_TABLE_ROW);
    assert_string_equal(doc->blocks[7].text, "1 | 2");
    assert_string_equal(doc->blocks[8].text, "caption");  /* alt text is not prose */
    assert_int_equal(doc->nblocks, 9);
    cl_doc_free(doc);
}

/* The word count a byte at a time, to check the 8-bytes-at-a-time one. */
static size_t words_bytewise(const char *s, size_t len)
{
    size_t words = 0;
    int in_word = 0;
    for (size_t i = 0; i < len; i++) {
        int space = strchr(" \n\t\r", s[i]) && s[i];
        words += !space && !in_word;
        in_word = !space;
    }
    return words;
}

static void test_count_words_across_groups(void **state)
{
    (void)state;
    assert_int_equal(cl_count_words("", 0), 0);
    assert_int_equal(cl_count_words("   ", 3), 0);
    assert_int_equal(cl_count_words("one", 3), 1);
    assert_int_equal(cl_count_words("seventeen letters", 17), 2);
    assert_int_equal(cl_count_words(" a\tb\nc\rd  e\f", 12), 5);  /* '\f' is no space */
    /* Every alignment of words and each kind of space against the groups. */
    const char *text = "Ab cd\teee\n\nf ghijklmnop  q\rrs t uvwxyz0123456789 . ,  end ";
    size_t n = strlen(text);
    for (size_t from = 0; from < n; from++)
        for (size_t len = 0; from + len <= n; len++)
            assert_int_equal(cl_count_words(text + from, len), words_bytewise(text + from, len));
}

/* The text block i of test_doc_texts_never_move is given: lengths vary, and
 * block 1000 is longer than any chunk the document allocates by itself. */
static size_t numbered_text(size_t i, char *out, size_t cap)
{
    if (i == 1000) {
        memset(out, 'x', cap - 1);
        out[cap - 1] = '\0';
        return cap - 1;
    }
    int n = snprintf(out, cap, "block %zu %.*s", i, (int)(i % 40 + 1),
                     "abcdefghijklmnopqrstuvwxyz0123456789ABCD");
    return (size_t)n;
}

/* Block texts stay where they were stored, intact, however many blocks
 * follow and however long; a replaced text stays readable until the end. */
static void test_doc_texts_never_move(void **state)
{
    (void)state;
    enum { N = 3000, BIG = 200000 };
    static char want[BIG];
    static const char *where[N];
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    for (size_t i = 0; i < N; i++) {
        size_t n = numbered_text(i, want, sizeof want);
        assert_int_equal(cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, want, n, 0), (long)i);
        where[i] = doc->blocks[i].text;
    }
    for (size_t i = 0; i < N; i++) {
        size_t n = numbered_text(i, want, sizeof want);
        assert_ptr_equal(doc->blocks[i].text, where[i]);
        assert_int_equal(doc->blocks[i].len, n);
        assert_string_equal(doc->blocks[i].text, want);
    }
    /* A new text taken from the old one, which stays as it was. */
    assert_int_equal(cl_doc_set_block_text(doc, 7, where[7] + 6, 3, 0), 0);
    assert_string_equal(doc->blocks[7].text, "7 a");
    assert_int_equal(doc->blocks[7].words, 2);
    assert_string_equal(where[7], "block 7 abcdefgh");
    cl_doc_free(doc);
}

/* Both readers count the words of their blocks as they build them: the
 * counts must be the ones cl_count_words gives, entities, code, tables and
 * all. */
static void test_readers_count_words_as_built(void **state)
{
    (void)state;
    const char *text = "  One  line\n\tand its\xC2\xA0rest.\r\n\n\nTwo words\n\n* * *\n";
    const char *md = "# A  title\n\nSome *emphasis*, a [link](x) and&nbsp;an &amp; entity\n"
                     "over two lines.\n\n- item one\n- item  two\n\n```\ncode  block\nhere\n```\n\n"
                     "| a | b |\n|---|---|\n| c d | e |\n\n---\n\n> quoted `code  span`\n";
    cl_doc *docs[] = { read_text(text), read_md(md) };
    for (size_t d = 0; d < 2; d++) {
        assert_true(docs[d]->nblocks >= 3);
        for (size_t i = 0; i < docs[d]->nblocks; i++) {
            const cl_block *b = &docs[d]->blocks[i];
            assert_int_equal(b->words, cl_count_words(b->text, b->len));
        }
        cl_doc_free(docs[d]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_blank_lines_separate_paragraphs),
        cmocka_unit_test(test_text_without_blank_lines_splits_on_lines),
        cmocka_unit_test(test_text_date_marker_becomes_metadata),
        cmocka_unit_test(test_md_links_keep_text_and_count_link_bytes),
        cmocka_unit_test(test_md_block_kinds),
        cmocka_unit_test(test_count_words_across_groups),
        cmocka_unit_test(test_readers_count_words_as_built),
        cmocka_unit_test(test_doc_texts_never_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
