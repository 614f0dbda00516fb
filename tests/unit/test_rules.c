/* Unit tests: cleaner/rules.c (loading, matching, applying to a document). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "doc.h"
#include "rules.h"

static cl_rules *load(const char *text)
{
    cl_rules *r = cl_rules_new();
    cl_error err = { "" };
    int rc = cl_rules_load(r, "t.rules", text, strlen(text), &err);
    if (rc < 0)
        fail_msg("unexpected load error: %s", err.msg);
    return r;
}

static void expect_load_error(const char *text, const char *needle)
{
    cl_rules *r = cl_rules_new();
    cl_error err = { "" };
    assert_int_equal(cl_rules_load(r, "t.rules", text, strlen(text), &err), -1);
    if (!strstr(err.msg, needle))
        fail_msg("error '%s' lacks '%s'", err.msg, needle);
    assert_int_equal(cl_rules_count(r), 0);  /* nothing half-loaded */
    cl_rules_free(r);
}

static void test_load_errors_name_file_line_and_cause(void **state)
{
    (void)state;
    expect_load_error("[a]\nregex = (unclosed\n", "t.rules:2:");
    expect_load_error("[a]\nregex = (unclosed\n", "bad regular expression at offset");
    expect_load_error("[a]\nphrase = x\ncolour = red\n", "unknown key 'colour'");
    expect_load_error("[a]\nphrase = x\naction = explode\n", "unknown action");
    expect_load_error("[a]\naction = drop\n", "no phrase or regex");
    expect_load_error("[a]\nregex = ^by (.*)$\naction = byline\n", "(?<author>");
    expect_load_error("phrase = x\n", "outside a [rule] section");
}

static void test_overlong_line_refused_not_split(void **state)
{
    (void)state;
    char text[400] = "[a]\nregex = ";
    size_t n = strlen(text);
    memset(text + n, 'x', 250);
    strcpy(text + n + 250, "\n");
    expect_load_error(text, "t.rules:2: line longer than 199 bytes");
}

static void test_phrase_is_normalised_and_word_limited(void **state)
{
    (void)state;
    cl_rules *r = load("[follow]\nphrase = Follow \xE2\x80\x9CUs\xE2\x80\x9D\nmax_words = 5\n");
    cl_rule_match m;
    const char *t = "please follow \"us\" now";
    assert_int_equal(cl_rules_match_text(r, t, strlen(t), 4, NULL, NULL, &m), 1);
    assert_string_equal(m.name, "follow");
    assert_int_equal(cl_rules_match_text(r, t, strlen(t), 6, NULL, NULL, &m), 0);
    cl_rules_free(r);
}

static void test_upper_case_patterns_still_match(void **state)
{
    (void)state;
    cl_rules *r = load("[a]\nregex = ^Read More\\b\n[b]\nregex = ^\\S+ more$\n");
    cl_rule_match m;
    assert_int_equal(cl_rules_match_text(r, "read more here", 14, 3, NULL, NULL, &m), 1);
    assert_string_equal(m.name, "a");
    assert_int_equal(cl_rules_match_text(r, "much more", 9, 2, NULL, NULL, &m), 1);
    assert_string_equal(m.name, "b");
    cl_rules_free(r);
}

/* The prefilters cl_rules_prepare builds (one anchored alternation per word
 * limit) must never change which rule matches. */
static void test_prepared_rules_match_as_unprepared(void **state)
{
    (void)state;
    cl_rules *r = load("[short]\nregex = ^short\\b\nmax_words = 3\n"
                       "[mid]\nregex = ^mid\\b\nmax_words = 10\n"
                       "[any]\nregex = ^any\\b\n"
                       "[float]\nphrase = inside\nmax_words = 10\n");
    const char *texts[] = { "short one", "short one two three four", "mid a b c",
                            "any a b c d e f g h i j k l m n o p", "it is inside here", "none" };
    size_t words[] = { 2, 5, 4, 18, 4, 1 };
    const char *want[] = { "short", NULL, "mid", "any", "float", NULL };
    for (int prepared = 0; prepared < 2; prepared++) {
        if (prepared)
            assert_int_equal(cl_rules_prepare(r), 0);
        for (size_t i = 0; i < 6; i++) {
            cl_rule_match m;
            int hit = cl_rules_match_text(r, texts[i], strlen(texts[i]), words[i], NULL, NULL, &m);
            assert_int_equal(hit, want[i] != NULL);
            if (hit)
                assert_string_equal(m.name, want[i]);
        }
    }
    cl_rules_free(r);
}

static void test_site_scope(void **state)
{
    (void)state;
    cl_rules *r = load("[promo]\nphrase = promo\nsite = example.com\n");
    cl_rule_match m;
    assert_int_equal(cl_rules_match_text(r, "promo", 5, 1, NULL, NULL, &m), 0);
    assert_int_equal(cl_rules_match_text(r, "promo", 5, 1, NULL, "https://www.example.com/a", &m), 1);
    assert_int_equal(cl_rules_match_text(r, "promo", 5, 1, NULL, "https://notexample.com/a", &m), 0);
    assert_int_equal(cl_rules_match_text(r, "promo", 5, 1, "Example.com", NULL, &m), 1);
    cl_rules_free(r);
}

static void test_attr_rules_only_match_attributes(void **state)
{
    (void)state;
    cl_rules *r = load("[social]\ntarget = attr\nregex = (^|[-_ ])share\n");
    cl_rule_match m;
    assert_int_equal(cl_rules_match_attr(r, "post-share-bar", 14, NULL, NULL, &m), 1);
    assert_int_equal(cl_rules_match_attr(r, "timeshare", 9, NULL, NULL, &m), 0);
    assert_int_equal(cl_rules_match_text(r, "share", 5, 1, NULL, NULL, &m), 0);
    cl_rules_free(r);
}

static void test_apply_strip_drop_and_byline(void **state)
{
    (void)state;
    cl_rules *r = load("[trailer]\nregex = \\s*https?://t\\.co/\\S+\naction = strip\n"
                       "[copy]\nregex = ^copyright\\b\nmax_words = 10\n"
                       "[byline]\nregex = ^by (?<author>[^,]+?),?$\naction = byline\nmax_words = 6\n");
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    const char *texts[] = {
        "By Jane \xC3\x89lise Doe,",
        "By the end of May, prices had doubled.",
        "The minister spoke.https://t.co/AbC123",
        "COPYRIGHT \xC2\xA9 2022 Someone",
        "https://t.co/xyz",
    };
    for (size_t i = 0; i < 5; i++)
        cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, texts[i], strlen(texts[i]), 0);
    assert_int_equal(cl_rules_apply(r, doc), 0);
    assert_int_equal(doc->blocks[0].decision, CL_DROP);
    assert_string_equal(cl_doc_meta(doc, CL_META_AUTHOR), "Jane \xC3\x89lise Doe");
    assert_int_equal(doc->blocks[1].decision, CL_KEEP);   /* lower-case: no name */
    assert_string_equal(doc->blocks[2].text, "The minister spoke.");
    assert_int_equal(doc->blocks[2].decision, CL_KEEP);
    assert_int_equal(doc->blocks[3].decision, CL_DROP);
    assert_string_equal(doc->blocks[3].reason, "rule copy");
    assert_int_equal(doc->blocks[4].decision, CL_DROP);   /* stripped to nothing */
    cl_doc_free(doc);
    cl_rules_free(r);
}

/* Regression: a strip rule's second pattern matching before its first one's
 * match was skipped, leaving the tweet URL in the text. */
static void test_strip_patterns_each_scan_the_whole_block(void **state)
{
    (void)state;
    cl_rules *r = load("[trailer]\nregex = -\\s?[^()-]{1,40}\\(@\\w+\\)$\n"
                       "regex = https?://t\\.co/\\S+\naction = strip\n");
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    const char *t = "It is open, she wrote.https://t.co/Ab12 \xE2\x80\x94 A City (@acity)";
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, t, strlen(t), 0);
    assert_int_equal(cl_rules_apply(r, doc), 0);
    assert_string_equal(doc->blocks[0].text, "It is open, she wrote.");
    cl_doc_free(doc);
    cl_rules_free(r);
}

/* Decisions and texts after cl_rules_apply over blocks made of texts[]. */
static cl_doc *apply_to_texts(cl_rules *r, const char *const *texts, size_t n)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    for (size_t i = 0; i < n; i++)
        cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, texts[i], strlen(texts[i]), 0);
    assert_int_equal(cl_rules_apply(r, doc), 0);
    return doc;
}

/* Both documents reached the expected decisions, with the same texts. */
static void expect_decisions(const cl_doc *want, const cl_doc *got, const cl_decision *expect,
                             size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(want->blocks[i].decision, expect[i]);
        assert_int_equal(got->blocks[i].decision, expect[i]);
        assert_string_equal(got->blocks[i].text, want->blocks[i].text);
    }
}

/* The index scans a document's blocks at once and maps each literal it
 * finds back to its block: a literal in the wrong block, or none in the
 * right one, would change what is dropped.  Unprepared rules try every
 * pattern on every block and are the reference. */
static void test_indexed_apply_matches_unindexed(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "no promo here",
        "promo code inside",
        "S\xC3\xADguenos en la red",
        "Written by Ann Lee",
        "the date was 12/03/2021",
        "12/03/2021",
        "see more at the end promo",
        "It was a fine day.https://t.co/AbC",
        "big sale",
        "ok",
        "promo",
    };
    const size_t n = sizeof texts / sizeof *texts;
    cl_rules *r = load("[promo]\nregex = ^promo\\b\nmax_words = 4\n"
                       "[intl]\nregex = ^s\xC3\xADguenos\\b\n"
                       "[byline]\nregex = ^Written by (?<author>.+)$\naction = byline\n"
                       "[date]\nregex = ^\\d{1,2}/\\d{1,2}/\\d{4}$\n"
                       "[trailer]\nregex = https?://t\\.co/\\S+\naction = strip\n"
                       "[sale]\nregex = \\bsale$\nmax_words = 3\n");
    cl_doc *want = apply_to_texts(r, texts, n);
    assert_int_equal(cl_rules_prepare(r), 0);
    /* Only the caseless byline pattern has no literal to index. */
    assert_int_equal(cl_rules_unindexed(r), 1);
    cl_doc *got = apply_to_texts(r, texts, n);
    const cl_decision expect[] = { CL_KEEP, CL_DROP, CL_DROP, CL_DROP, CL_KEEP, CL_DROP,
                                   CL_KEEP, CL_KEEP, CL_DROP, CL_KEEP, CL_DROP };
    expect_decisions(want, got, expect, n);
    assert_string_equal(got->blocks[7].text, "It was a fine day.");
    assert_string_equal(cl_doc_meta(got, CL_META_AUTHOR), "Ann Lee");
    cl_doc_free(want);
    cl_doc_free(got);
    cl_rules_free(r);
}

/* A pattern is searched from where its first literal was seen, less the
 * bytes a match may hold before it (the lead): here two letters, up to 8
 * bytes, then " one marker".  Starting at the literal itself would miss
 * every match; a start inside an "\xC3\xA9" must move back to its first
 * byte.  A first literal outside a match still finds the later match. */
static void test_search_starts_a_lead_before_the_literal(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 zz one marker",
        "\xC3\xA9\xC3\xA9\xC3\xA9 zz three marker",
        "q one marker, then zz one marker",
        "q one marker only",
        "zz one marker",
    };
    const size_t n = sizeof texts / sizeof *texts;
    cl_rules *r = load("[marker]\nregex = \\b[a-z]{2} (one|three) marker\\b\n");
    cl_doc *want = apply_to_texts(r, texts, n);
    assert_int_equal(cl_rules_prepare(r), 0);
    assert_int_equal(cl_rules_unindexed(r), 0);
    cl_doc *got = apply_to_texts(r, texts, n);
    const cl_decision expect[] = { CL_DROP, CL_DROP, CL_DROP, CL_KEEP, CL_DROP };
    expect_decisions(want, got, expect, n);
    cl_doc_free(want);
    cl_doc_free(got);
    cl_rules_free(r);
}

/* Blocks are scanned by word tier, not in document order (rules.c): each
 * block must still meet the rules its length allows, exactly at a limit
 * too, and the first byline in the document must name the author even
 * when a later one is in a lower tier. */
static void test_word_tiers_keep_limits_and_document_order(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Written by Ann Marie Lee",                       /* 5 words: tier 8 */
        "By Bob",                                         /* 2 words: tier 3 */
        "promo one two three four five six seven",        /* 8: at promo's limit */
        "promo one two three four five six seven eight",  /* 9: over it */
        "a b c d e f g h i j k l promo https://t.co/x",   /* any length */
        "By Carl Dee Eve",                                /* 4: over by's limit */
        "sale",
    };
    const size_t n = sizeof texts / sizeof *texts;
    cl_rules *r = load("[by]\nregex = ^by (?<author>.+)$\naction = byline\nmax_words = 3\n"
                       "[written]\nregex = ^written by (?<author>.+)$\naction = byline\n"
                       "max_words = 8\n"
                       "[promo]\nregex = ^promo\\b\nmax_words = 8\n"
                       "[trailer]\nregex = https?://t\\.co/\\S+\naction = strip\n"
                       "[sale]\nregex = ^sale$\nmax_words = 1\n");
    cl_doc *want = apply_to_texts(r, texts, n);
    assert_int_equal(cl_rules_prepare(r), 0);
    cl_doc *got = apply_to_texts(r, texts, n);
    const cl_decision expect[] = { CL_DROP, CL_DROP, CL_DROP, CL_KEEP, CL_KEEP, CL_KEEP,
                                   CL_DROP };
    expect_decisions(want, got, expect, n);
    assert_string_equal(got->blocks[4].text, "a b c d e f g h i j k l promo");
    assert_string_equal(cl_doc_meta(want, CL_META_AUTHOR), "Ann Marie Lee");
    assert_string_equal(cl_doc_meta(got, CL_META_AUTHOR), "Ann Marie Lee");
    cl_doc_free(want);
    cl_doc_free(got);
    cl_rules_free(r);
}

/* max_words holds for strip rules too, with and without the index. */
static void test_strip_rule_keeps_to_its_word_limit(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Read it https://t.co/x",
        "A longer sentence that ends with https://t.co/y",
    };
    cl_rules *r = load("[trailer]\nregex = \\s*https?://t\\.co/\\S+\naction = strip\n"
                       "max_words = 3\n");
    for (int prepared = 0; prepared < 2; prepared++) {
        if (prepared)
            assert_int_equal(cl_rules_prepare(r), 0);
        cl_doc *doc = apply_to_texts(r, texts, 2);
        assert_string_equal(doc->blocks[0].text, "Read it");
        assert_string_equal(doc->blocks[1].text, texts[1]);
        cl_doc_free(doc);
    }
    cl_rules_free(r);
}

static void test_end_rule_flags_the_block(void **state)
{
    (void)state;
    cl_rules *r = load("[end]\nregex = ^comments$\naction = end\nmax_words = 3\n");
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    cl_doc_add_block(doc, CL_BLOCK_HEADING, 2, "Comments", 8, 0);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, "comments welcome", 16, 0);
    assert_int_equal(cl_rules_apply(r, doc), 0);
    assert_int_equal(doc->blocks[0].decision, CL_DROP);
    assert_true(doc->blocks[0].flags & CL_BLOCK_ENDS_ARTICLE);
    assert_int_equal(doc->blocks[1].decision, CL_KEEP);
    cl_doc_free(doc);
    cl_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_errors_name_file_line_and_cause),
        cmocka_unit_test(test_overlong_line_refused_not_split),
        cmocka_unit_test(test_phrase_is_normalised_and_word_limited),
        cmocka_unit_test(test_upper_case_patterns_still_match),
        cmocka_unit_test(test_prepared_rules_match_as_unprepared),
        cmocka_unit_test(test_site_scope),
        cmocka_unit_test(test_attr_rules_only_match_attributes),
        cmocka_unit_test(test_apply_strip_drop_and_byline),
        cmocka_unit_test(test_strip_patterns_each_scan_the_whole_block),
        cmocka_unit_test(test_end_rule_flags_the_block),
        cmocka_unit_test(test_indexed_apply_matches_unindexed),
        cmocka_unit_test(test_search_starts_a_lead_before_the_literal),
        cmocka_unit_test(test_word_tiers_keep_limits_and_document_order),
        cmocka_unit_test(test_strip_rule_keeps_to_its_word_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
