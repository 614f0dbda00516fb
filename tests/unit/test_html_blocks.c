/* Unit tests: the HTML reader (html_blocks, html_walk, html_select,
 * html_meta, html_depth). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "charset.h"
#include "html_blocks.h"
#include "html_depth.h"
#include "render.h"
#include "rules.h"

#include <glob.h>

#define PARA "<p>This paragraph is long enough, with commas, clauses, and words, to read as prose.</p>"
#define ARTICLE_BODY PARA PARA PARA PARA

static cl_doc *read_html_with(const char *html, const cl_rules *rules)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    cl_error err;
    assert_int_equal(cl_html_read(html, strlen(html), rules, 0, doc, &err), 0);
    return doc;
}

static cl_doc *read_html(const char *html)
{
    return read_html_with(html, NULL);
}

static cl_rules *load_rules(const char *text)
{
    cl_rules *r = cl_rules_new();
    cl_error err;
    assert_int_equal(cl_rules_load(r, "test", text, strlen(text), &err), 0);
    return r;
}

/* The kept blocks' texts joined by '\n', for whole-output assertions. */
static char *kept_text(const cl_doc *doc)
{
    cl_buf b = CL_BUF_INIT;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (doc->blocks[i].decision != CL_KEEP)
            continue;
        if (b.len)
            cl_buf_append_char(&b, '\n');
        cl_buf_append_str(&b, doc->blocks[i].text);
    }
    return cl_buf_detach(&b);
}

static size_t kept_count(const cl_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++)
        n += doc->blocks[i].decision == CL_KEEP;
    return n;
}

/* The block with this text, kept or not; NULL when there is none. */
static const cl_block *find_block(const cl_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (strcmp(doc->blocks[i].text, text) == 0)
            return &doc->blocks[i];
    return NULL;
}

static int has_block(const cl_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].decision == CL_KEEP && strcmp(doc->blocks[i].text, text) == 0)
            return 1;
    return 0;
}

static void test_inline_elements_keep_spacing_block_elements_separate(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" PARA "<p>one<span> two</span><b>three</b> <i>four</i></p>"
                            "<div>text before the box<div>the inner box, on its own line</div>text after the box</div></div>");
    assert_true(has_block(doc, "one twothree four"));
    assert_true(has_block(doc, "text before the box"));
    assert_true(has_block(doc, "the inner box, on its own line"));
    assert_true(has_block(doc, "text after the box"));
    cl_doc_free(doc);
}

static void test_br_ends_a_block(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" PARA "<p>first line<br>second line</p></div>");
    assert_true(has_block(doc, "first line"));
    assert_true(has_block(doc, "second line"));
    cl_doc_free(doc);
}

static void test_scripts_styles_nav_and_forms_controls_are_pruned(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<body><nav><a href=/>Home</a></nav><div>" ARTICLE_BODY
                            "<script>var x = 1;</script><style>p{}</style>"
                            "<button>Click me</button></div><aside>Aside text</aside></body>");
    char *text = kept_text(doc);
    assert_null(strstr(text, "var x"));
    assert_null(strstr(text, "p{}"));
    assert_null(strstr(text, "Home"));
    assert_null(strstr(text, "Click me"));
    assert_null(strstr(text, "Aside text"));
    free(text);
    cl_doc_free(doc);
}

static void test_hidden_elements_are_dropped(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<p style=\"display: none\">Invisible one.</p>"
                            "<p hidden>Invisible two.</p><p aria-hidden=\"true\">Invisible three.</p></div>");
    char *text = kept_text(doc);
    assert_null(strstr(text, "Invisible"));
    assert_non_null(strstr(text, "long enough"));
    free(text);
    cl_doc_free(doc);
}

static const char share_rule[] =
    "[share]\ntarget = attr\naction = drop\nregex = (?:^|[\\s_-])share(?=$|[\\s_-])\n";

static void test_attr_rule_prunes_chrome_box(void **state)
{
    (void)state;
    cl_rules *r = load_rules(share_rule);
    cl_doc *doc = read_html_with("<div>" ARTICLE_BODY
                                 "<div class=\"post-share\"><p>Share this story on every network.</p></div>"
                                 "</div>", r);
    char *text = kept_text(doc);
    assert_null(strstr(text, "Share this"));
    assert_non_null(strstr(text, "long enough"));
    const cl_block *b = find_block(doc, "Share this story on every network.");
    assert_non_null(b);
    assert_int_equal(b->decision, CL_DROP);
    assert_string_equal(b->reason, "html chrome: share");
    free(text);
    cl_doc_free(doc);
    cl_rules_free(r);
}

static void test_chrome_named_wrapper_holding_the_article_is_kept(void **state)
{
    (void)state;
    cl_rules *r = load_rules(share_rule);
    cl_doc *doc = read_html_with("<div class=\"layout share-enabled\"><div>" ARTICLE_BODY
                                 "</div></div>", r);
    assert_int_equal(kept_count(doc), 4);
    cl_doc_free(doc);
    cl_rules_free(r);
}

static void test_nav_misused_as_a_wrapper_keeps_its_article(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<body><nav class=page><div>" ARTICLE_BODY "</div>"
                            "<nav><a href=a>Home</a> <a href=b>About</a></nav></nav></body>");
    assert_int_equal(kept_count(doc), 4);
    assert_string_equal(find_block(doc, "Home About")->reason, "html chrome: nav");
    cl_doc_free(doc);
}

static void test_main_content_wins_over_link_lists_and_footer(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<body><div id=menu><ul><li><a href=a>World news</a></li><li><a href=b>Sports news</a></li>"
        "<li><a href=c>Business news</a></li></ul></div>"
        "<div id=story>" ARTICLE_BODY "</div>"
        "<div id=more><p><a href=d>Another story, with a long linked headline here</a></p>"
        "<p><a href=e>Yet another story, with a long linked headline here</a></p></div></body>");
    char *text = kept_text(doc);
    assert_null(strstr(text, "World news"));
    assert_null(strstr(text, "Another story"));
    assert_int_equal(kept_count(doc), 4);
    assert_string_equal(find_block(doc, "World news")->reason, "html outside the main content");
    for (size_t i = 0; i < doc->nblocks; i++)
        assert_int_equal(!!(doc->blocks[i].flags & CL_BLOCK_IN_MAIN),
                         doc->blocks[i].decision == CL_KEEP);
    free(text);
    cl_doc_free(doc);
}

static void test_link_box_keeps_its_plain_sentences(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<div>" ARTICLE_BODY "<div><p>This closing paragraph has no link in it and it runs on "
        "long enough to be prose.</p><p>More stories</p><p><a href=a>Another headline about "
        "something else</a></p><p><a href=b>Yet another headline about something</a></p></div>"
        "</div>");
    assert_true(has_block(doc, "This closing paragraph has no link in it and it runs on long "
                               "enough to be prose."));
    assert_false(has_block(doc, "Another headline about something else"));
    assert_false(has_block(doc, "More stories"));
    cl_doc_free(doc);
}

static void test_link_box_keeps_cjk_sentences(void **state)
{
    (void)state;
    /* 这是一段没有链接的中文段落，它足够长，应该被保留下来。 */
    const char *zh = "\xE8\xBF\x99\xE6\x98\xAF\xE4\xB8\x80\xE6\xAE\xB5\xE6\xB2\xA1\xE6\x9C\x89"
                     "\xE9\x93\xBE\xE6\x8E\xA5\xE7\x9A\x84\xE4\xB8\xAD\xE6\x96\x87\xE6\xAE\xB5"
                     "\xE8\x90\xBD\xEF\xBC\x8C\xE5\xAE\x83\xE8\xB6\xB3\xE5\xA4\x9F\xE9\x95\xBF"
                     "\xEF\xBC\x8C\xE5\xBA\x94\xE8\xAF\xA5\xE8\xA2\xAB\xE4\xBF\x9D\xE7\x95\x99"
                     "\xE4\xB8\x8B\xE6\x9D\xA5\xE3\x80\x82";
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_str(&b, "<div>" ARTICLE_BODY "<div><p>");
    cl_buf_append_str(&b, zh);
    cl_buf_append_str(&b, "</p><p><a href=a>Another headline about something else</a></p>"
                          "<p><a href=b>Yet another headline about something</a></p></div></div>");
    cl_doc *doc = read_html(cl_buf_cstr(&b));
    assert_true(has_block(doc, zh));
    assert_false(has_block(doc, "Another headline about something else"));
    cl_doc_free(doc);
    cl_buf_free(&b);
}

static void test_chunks_of_one_article_are_joined(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<body><article><div class=chunk><div class=text>" PARA PARA PARA "</div>"
        "<div class=rail></div></div>"
        "<div class=chunk><div class=text>" PARA PARA "<p>The closing chunk, with its own words, ends here.</p>"
        "</div><div class=rail></div></div></article></body>");
    assert_true(has_block(doc, "The closing chunk, with its own words, ends here."));
    assert_int_equal(kept_count(doc), 6);
    cl_doc_free(doc);
}

static void test_embedded_post_is_kept_despite_its_links(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<div>" PARA PARA "<div class=embed><blockquote><p>Look at <a href=a>this</a> "
        "<a href=b>https://t.co/x</a></p>\u2014 Someone (@someone) <a href=c>November 18, 2019</a>"
        "</blockquote></div>" PARA PARA "</div>");
    assert_true(has_block(doc, "Look at this https://t.co/x"));
    cl_doc_free(doc);
}

static void test_metadata_from_head_and_json_ld(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<html><head><title>A fine headline here | The Site</title>"
        "<meta property=\"og:site_name\" content=\"The Site\">"
        "<link rel=canonical href=\"https://example.org/a\">"
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Ren\\u00e9 Roe\"}],"
        "\"datePublished\":\"2020-01-02T03:04:05Z\",\"publisher\":{\"name\":\"Pub\"}}</script>"
        "</head><body><div>" ARTICLE_BODY "</div></body></html>");
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "A fine headline here");
    assert_string_equal(cl_doc_meta(doc, CL_META_SITE), "The Site");
    assert_string_equal(cl_doc_meta(doc, CL_META_URL), "https://example.org/a");
    assert_string_equal(cl_doc_meta(doc, CL_META_AUTHOR), "Ren\xC3\xA9 Roe");
    assert_string_equal(cl_doc_meta(doc, CL_META_DATE), "2020-01-02T03:04:05Z");
    cl_doc_free(doc);
}

static void test_og_title_beats_title_and_time_gives_date(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<head><title>Page | Site</title><meta property=\"og:title\" content=\"The OG title\">"
        "</head><body><div><time datetime=\"2021-05-06\">May 6</time>" ARTICLE_BODY "</div></body>");
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "The OG title");
    assert_string_equal(cl_doc_meta(doc, CL_META_DATE), "2021-05-06");
    cl_doc_free(doc);
}

static void test_metadata_cleanup(void **state)
{
    (void)state;
    cl_doc *doc = read_html(
        "<head><title>Opinion | The real headline here</title>"
        "<meta name=author content=\"By Jane Doe\">"
        "<meta property=\"article:published_time\" content=\"0001-01-01T00:00:00Z\"></head>"
        "<body><div><h1>The real headline here</h1>" ARTICLE_BODY "</div></body>");
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "The real headline here");
    assert_string_equal(cl_doc_meta(doc, CL_META_AUTHOR), "Jane Doe");
    assert_null(cl_doc_meta(doc, CL_META_DATE));
    cl_doc_free(doc);
}

static void test_json_ld_body_stands_in_for_script_rendered_pages(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_str(&b, "<head><script type=\"application/ld+json\">{\"articleBody\":\"");
    for (int i = 0; i < 12; i++)
        cl_buf_append_str(&b, "A sentence of the article, told only to scripts.\\n");
    cl_buf_append_str(&b, "\"}</script></head><body><div id=app>Loading...</div></body>");
    cl_doc *doc = read_html(cl_buf_cstr(&b));
    assert_int_equal(doc->nblocks, 12);
    assert_string_equal(doc->blocks[0].text, "A sentence of the article, told only to scripts.");
    assert_string_equal(doc->blocks[0].reason, "json-ld articleBody");
    cl_doc_free(doc);
    cl_buf_free(&b);
}

static void test_title_loses_the_site_name_before_or_after(void **state)
{
    (void)state;
    const char *pages[] = {
        "<head><title>The Daily Example \xE2\x80\x93 Park plan approved</title>",
        "<head><title>Park plan approved | The Daily Example</title>",
    };
    for (int i = 0; i < 2; i++) {
        cl_buf b = CL_BUF_INIT;
        cl_buf_append_str(&b, pages[i]);
        cl_buf_append_str(&b, "<meta property=og:site_name content=\"The Daily Example\"></head>"
                              "<body><div>" ARTICLE_BODY "</div></body>");
        cl_doc *doc = read_html(cl_buf_cstr(&b));
        assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "Park plan approved");
        cl_doc_free(doc);
        cl_buf_free(&b);
    }
}

static void test_headline_repeating_the_title_is_not_body(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<head><title>Big news today - Site</title></head>"
                            "<body><div><h1>Big news today</h1>" ARTICLE_BODY
                            "<h2>A subheading</h2>" PARA "</div></body>");
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "Big news today");
    assert_false(has_block(doc, "Big news today"));
    assert_true(has_block(doc, "A subheading"));
    cl_doc_free(doc);
}

static void test_code_keeps_line_breaks(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<pre>\nint main(void)\n{\n    return 0;\n}</pre></div>");
    size_t i = doc->nblocks - 1;
    assert_int_equal(doc->blocks[i].kind, CL_BLOCK_CODE);
    assert_string_equal(doc->blocks[i].text, "int main(void)\n{\n    return 0;\n}");
    cl_doc_free(doc);
}

static void test_table_rows_join_cells(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<table><tr><th>Year of sale</th><th>Units sold</th></tr>"
                            "<tr><td>2019</td><td>1,000 units</td></tr></table></div>");
    assert_true(has_block(doc, "Year of sale | Units sold"));
    assert_true(has_block(doc, "2019 | 1,000 units"));
    assert_int_equal(doc->blocks[doc->nblocks - 1].kind, CL_BLOCK_TABLE_ROW);
    cl_doc_free(doc);
}

static void test_list_items_carry_their_depth(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<ul><li>Outer item<ul><li>Inner item</li></ul></li>"
                            "</ul></div>");
    size_t n = doc->nblocks;
    assert_int_equal(doc->blocks[n - 2].kind, CL_BLOCK_LIST_ITEM);
    assert_int_equal(doc->blocks[n - 2].level, 1);
    assert_string_equal(doc->blocks[n - 1].text, "Inner item");
    assert_int_equal(doc->blocks[n - 1].level, 2);
    cl_doc_free(doc);
}

static void test_figure_caption_is_emitted_dropped(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<figure><img src=x.jpg>"
                            "<figcaption>A photo of the scene</figcaption></figure></div>");
    const cl_block *b = &doc->blocks[doc->nblocks - 1];
    assert_int_equal(b->kind, CL_BLOCK_CAPTION);
    assert_int_equal(b->decision, CL_DROP);
    assert_string_equal(b->reason, "figure caption");
    cl_doc_free(doc);
}

static void test_link_text_is_counted(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<div>" ARTICLE_BODY "<p>Read <a href=x>the report</a> now.</p></div>");
    const cl_block *b = &doc->blocks[doc->nblocks - 1];
    assert_string_equal(b->text, "Read the report now.");
    assert_int_equal(b->link_len, strlen("the report"));
    cl_doc_free(doc);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_deep_nesting_is_fast_and_keeps_text(void **state)
{
    (void)state;
    enum { DEPTH = 100000 };
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_str(&b, "<html><body>");
    for (int i = 0; i < DEPTH; i++)
        cl_buf_append_str(&b, "<div>");
    cl_buf_append_str(&b, "Deep text, far down, with commas, reads as a paragraph.");
    for (int i = 0; i < DEPTH; i++)
        cl_buf_append_str(&b, "</div>");
    double t0 = seconds();
    cl_doc *doc = read_html(cl_buf_cstr(&b));
    assert_true(seconds() - t0 < 5.0);
    assert_true(has_block(doc, "Deep text, far down, with commas, reads as a paragraph."));
    cl_doc_free(doc);
    cl_buf_free(&b);
}

static void test_depth_bound_leaves_shallow_pages_alone(void **state)
{
    (void)state;
    const char *shallow = "<div><p>a<div>b</div></p><!-- <div><div><div> --></div>";
    cl_buf out = CL_BUF_INIT;
    assert_int_equal(cl_html_bound_depth(shallow, strlen(shallow), 2, &out), 0);
    assert_int_equal(out.len, 0);
    const char *deep = "<div><div><div><script>'<div>'</script>x</div>y</div></div>";
    assert_int_equal(cl_html_bound_depth(deep, strlen(deep), 2, &out), 1);
    assert_string_equal(cl_buf_cstr(&out), "<div><div><script>'<div>'</script>xy</div></div>");
    cl_buf_free(&out);
}

static void test_attributes_past_the_bound_are_cut(void **state)
{
    (void)state;
    cl_buf in = CL_BUF_INIT, out = CL_BUF_INIT;
    cl_buf_append_str(&in, "<p title=\"a > b\"");
    for (int i = 1; i < CL_HTML_MAX_ATTRS + 40; i++)
        cl_buf_printf(&in, " a%d=\"x\"", i);
    cl_buf_append_str(&in, ">text</p>");
    assert_int_equal(cl_html_bound_depth(cl_buf_cstr(&in), in.len, 100, &out), 1);
    const char *o = cl_buf_cstr(&out);
    char last[32], first_cut[32];
    snprintf(last, sizeof last, " a%d=\"x\">text</p>", CL_HTML_MAX_ATTRS - 1);
    snprintf(first_cut, sizeof first_cut, " a%d=", CL_HTML_MAX_ATTRS);
    assert_non_null(strstr(o, last));
    assert_null(strstr(o, first_cut));
    assert_int_equal(strncmp(o, "<p title=\"a > b\" a1=", 20), 0);
    cl_buf_free(&in);
    cl_buf_free(&out);
}

static void test_garbage_never_crashes(void **state)
{
    (void)state;
    unsigned seed = 12345;
    char buf[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly markup characters, so the parser sees many tags */
            buf[i] = "<>/=\"' abdiv\np&#;!-"[(seed >> 16) % 19];
        }
        cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
        assert_int_equal(cl_html_read(buf, sizeof buf, NULL, 0, doc, NULL), 0);
        cl_doc_free(doc);
    }
}

/* The whole file in a buffer (NULL when absent); free() it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cl_buf b = CL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cl_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return cl_buf_detach(&b);
}

static cl_rules *shipped_chrome_rules(void)
{
    size_t n;
    char *text = slurp("config/rules/html-chrome.rules", &n);
    if (!text)
        return NULL;
    cl_rules *r = load_rules(text);
    free(text);
    return r;
}

static void test_shipped_chrome_rules_load_and_prune(void **state)
{
    (void)state;
    cl_rules *r = shipped_chrome_rules();
    if (!r)
        skip();
    cl_doc *doc = read_html_with(
        "<div class=\"entry-content\">" ARTICLE_BODY
        "<div class=\"sharedaddy sd-sharing-enabled\"><p>Share this: Facebook, Twitter, Email</p></div>"
        "<div id=\"comments\"><p>Great post, thanks for writing it, really.</p></div>"
        "<div class=\"newsletter-signup\"><p>Sign up for our newsletter, it is free.</p></div>"
        "<div class=\"hidden-xs\"><p>Shown on wide screens, with commas, as prose.</p></div></div>", r);
    char *out = kept_text(doc);
    assert_null(strstr(out, "Share this"));
    assert_null(strstr(out, "Great post"));
    assert_null(strstr(out, "newsletter"));
    assert_non_null(strstr(out, "Shown on wide screens"));
    free(out);
    cl_doc_free(doc);
    cl_rules_free(r);
}

/* Bytes in, body out, as the pipeline's charset and HTML stages see them. */
static void check_fixture(const char *html_path, const cl_rules *r)
{
    char expected_path[512];
    const char *name = strrchr(html_path, '/') + 1;
    size_t n = strlen(name) - strlen(".html");
    snprintf(expected_path, sizeof expected_path, "fixtures/reader/%.*s.txt", (int)n, name);
    size_t raw_len, want_len;
    char *raw = slurp(html_path, &raw_len), *want = slurp(expected_path, &want_len);
    assert_non_null(raw);
    assert_non_null(want);
    cl_buf utf8 = CL_BUF_INIT, body = CL_BUF_INIT;
    assert_int_equal(cl_charset_to_utf8(raw, raw_len, 1, NULL, &utf8, NULL, 0, NULL), 0);
    cl_doc *doc = read_html_with(cl_buf_cstr(&utf8), r);
    assert_int_equal(cl_render_body(doc, &body), 0);
    cl_buf_append_char(&body, '\n');
    if (strcmp(cl_buf_cstr(&body), want) != 0)
        fail_msg("%s: got\n%s", html_path, cl_buf_cstr(&body));
    cl_doc_free(doc);
    cl_buf_free(&utf8);
    cl_buf_free(&body);
    free(raw);
    free(want);
}

/* Ruby readings (rt, rp) are annotations over the base text, not text. */
static void test_ruby_readings_never_enter_the_text(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<html><body><article><p>日本語の<ruby>漢字<rp>(</rp><rt>かんじ</rt>"
                            "<rp>)</rp></ruby>を読むのは楽しいことです。これは本文の文章です。"
                            "</p></article></body></html>");
    char *text = kept_text(doc);
    assert_non_null(strstr(text, "日本語の漢字を読む"));
    assert_null(strstr(text, "かんじ"));
    free(text);
    cl_doc_free(doc);
}

/* An unclosed <div> inside a <noscript> makes the parser put the rest of
 * the page in it: such a noscript is read; a small one is still skipped. */
static void test_noscript_holding_the_page_is_read(void **state)
{
    (void)state;
    cl_doc *doc = read_html("<html><body><noscript><div id=\"nojs\"></noscript>"
        "<article><h1>Harbour ferry</h1>"
        "<p>The council met on Monday to discuss the harbour ferry service and its costs.</p>"
        "<p>Residents said the late crossings matter to people who work night shifts.</p>"
        "<p>The decision is expected next month, after a public consultation.</p>"
        "</article></div></body></html>");
    char *text = kept_text(doc);
    assert_non_null(strstr(text, "late crossings matter"));
    free(text);
    cl_doc_free(doc);
    doc = read_html("<html><body><noscript><p>Please enable JavaScript.</p></noscript>"
                    "<article><p>The council met on Monday to discuss the harbour ferry "
                    "service and its costs for the coming year.</p></article></body></html>");
    text = kept_text(doc);
    assert_null(strstr(text, "enable JavaScript"));
    free(text);
    cl_doc_free(doc);
}

static void test_fixture_pages_give_their_expected_text(void **state)
{
    (void)state;
    cl_rules *r = shipped_chrome_rules();
    glob_t g;
    if (!r || glob("fixtures/raw/*.html", 0, NULL, &g) != 0) {
        cl_rules_free(r);
        skip();
    }
    for (size_t i = 0; i < g.gl_pathc; i++)
        check_fixture(g.gl_pathv[i], r);
    globfree(&g);
    cl_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inline_elements_keep_spacing_block_elements_separate),
        cmocka_unit_test(test_br_ends_a_block),
        cmocka_unit_test(test_scripts_styles_nav_and_forms_controls_are_pruned),
        cmocka_unit_test(test_hidden_elements_are_dropped),
        cmocka_unit_test(test_attr_rule_prunes_chrome_box),
        cmocka_unit_test(test_chrome_named_wrapper_holding_the_article_is_kept),
        cmocka_unit_test(test_nav_misused_as_a_wrapper_keeps_its_article),
        cmocka_unit_test(test_main_content_wins_over_link_lists_and_footer),
        cmocka_unit_test(test_link_box_keeps_its_plain_sentences),
        cmocka_unit_test(test_link_box_keeps_cjk_sentences),
        cmocka_unit_test(test_chunks_of_one_article_are_joined),
        cmocka_unit_test(test_embedded_post_is_kept_despite_its_links),
        cmocka_unit_test(test_metadata_from_head_and_json_ld),
        cmocka_unit_test(test_og_title_beats_title_and_time_gives_date),
        cmocka_unit_test(test_metadata_cleanup),
        cmocka_unit_test(test_json_ld_body_stands_in_for_script_rendered_pages),
        cmocka_unit_test(test_title_loses_the_site_name_before_or_after),
        cmocka_unit_test(test_headline_repeating_the_title_is_not_body),
        cmocka_unit_test(test_code_keeps_line_breaks),
        cmocka_unit_test(test_table_rows_join_cells),
        cmocka_unit_test(test_list_items_carry_their_depth),
        cmocka_unit_test(test_figure_caption_is_emitted_dropped),
        cmocka_unit_test(test_link_text_is_counted),
        cmocka_unit_test(test_deep_nesting_is_fast_and_keeps_text),
        cmocka_unit_test(test_depth_bound_leaves_shallow_pages_alone),
        cmocka_unit_test(test_attributes_past_the_bound_are_cut),
        cmocka_unit_test(test_garbage_never_crashes),
        cmocka_unit_test(test_shipped_chrome_rules_load_and_prune),
        cmocka_unit_test(test_ruby_readings_never_enter_the_text),
        cmocka_unit_test(test_noscript_holding_the_page_is_read),
        cmocka_unit_test(test_fixture_pages_give_their_expected_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
