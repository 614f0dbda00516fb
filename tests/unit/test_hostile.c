/*
 * Unit tests: the hostile-input matrix (issue 6) at library level, and every
 * input in fixtures/regressions/ (one file per bug fuzzing found).
 *
 * Each case goes through cl_clean() and both renderers, as the daemon does,
 * and must give the correct document or a clear error, within
 * HOSTILE_SECONDS.  Big inputs are generated here, never committed.  Leaks
 * are caught by LeakSanitizer in the build/asan run.  Paths are relative to
 * the repository root, where scripts/run-tests.sh runs the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cleaner.h"
#include "render.h"
#include "shipped_rules.h"
#include "utf8.h"

/* The limit per input.  ASan and UBSan at -O1 slow the library down
 * (1.3x to 2x in CPU time on this matrix; Gumbo itself is not instrumented),
 * so the build/asan run gets a documented factor rather than a looser limit
 * for everyone. */
#define HOSTILE_SECONDS 5.0
#if defined(__SANITIZE_ADDRESS__)
#define HOSTILE_TIME_FACTOR 3.0
#else
#define HOSTILE_TIME_FACTOR 1.0
#endif

/* The 50 MB page is the exception: Gumbo alone parses about 10 MB/s here, so
 * no reader built on it can clean 50 MB in 5 s.  The daemon never hands it
 * over: max_input_bytes (16 MiB by default) refuses it unread, at once, which
 * tests/integration/hostile_matrix.sh checks.  Here the library must still
 * clean it whole, in time linear in its size. */
#define BIG_PAGE_SECONDS 20.0

#define REGRESSIONS_DIR "fixtures/regressions"

#define BODY_EN "The council approved the new budget on Tuesday evening, after a long debate about the cost of repairing the old bridge."

/* What cleaning one input gave: on success both renderings, else the error. */
typedef struct outcome {
    int      rc;
    cl_error err;
    cl_buf   text;
    cl_buf   json;
    double   seconds;
} outcome;

static void outcome_free(outcome *o)
{
    cl_buf_free(&o->text);
    cl_buf_free(&o->json);
}

/* ---- helpers ------------------------------------------------------------- */

/* CPU time, not wall time: the library is single-threaded, and the machines
 * running `make check` are shared, so wall time would measure the neighbours. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


static cl_cleaner *new_cleaner(int force_format)
{
    cl_options o;
    cl_options_init(&o);
    o.force_format = force_format;
    cl_cleaner *c = cl_cleaner_new(&o, shipped_rules());
    assert_non_null(c);
    return c;
}

/* One line of the test log per input: its name (control bytes shown as
 * '?'), the outcome and the CPU time. */
static void report(const char *name, const outcome *o)
{
    char shown[64];
    snprintf(shown, sizeof shown, "%s", name);
    for (char *p = shown; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    print_message("    %-28s %s in %.3f s of CPU\n", shown, o->rc == 0 ? "cleaned" : o->err.msg,
                  o->seconds);
}

/*
 * Cleans and renders like the daemon, timing the whole, and checks what
 * holds for every input: within the time limit; success gives valid UTF-8
 * renderings; failure gives a cause and no document (no partial output).
 */
static void clean_within(const cl_cleaner *c, const char *bytes, size_t len,
                         const char *name, double limit, outcome *o)
{
    memset(o, 0, sizeof *o);
    cl_doc *doc = NULL;
    double start = cpu_seconds();
    o->rc = cl_clean(c, bytes, len, name, &doc, &o->err);
    if (o->rc == 0) {
        assert_int_equal(cl_render_text(doc, &o->text), 0);
        assert_int_equal(cl_render_json(doc, name, CL_STATUS_OK, 0, &o->json), 0);
        cl_doc_free(doc);
    }
    o->seconds = cpu_seconds() - start;
    if (o->seconds > limit * HOSTILE_TIME_FACTOR)
        fail_msg("%s took %.2f s of CPU (limit %.1f s x %.0f)", name, o->seconds, limit,
                 HOSTILE_TIME_FACTOR);
    if (o->rc == 0) {
        assert_true(cl_utf8_valid(cl_buf_cstr(&o->text), o->text.len));
        assert_true(cl_utf8_valid(cl_buf_cstr(&o->json), o->json.len));
    } else {
        assert_int_equal(o->rc, -1);
        assert_null(doc);
        assert_true(o->err.msg[0] != '\0');
    }
    report(name, o);
}

static void clean_with(const cl_cleaner *c, const char *bytes, size_t len,
                       const char *name, outcome *o)
{
    clean_within(c, bytes, len, name, HOSTILE_SECONDS, o);
}

static void clean(const char *bytes, size_t len, const char *name, outcome *o)
{
    cl_cleaner *c = new_cleaner(0);
    clean_with(c, bytes, len, name, o);
    cl_cleaner_free(c);
}

static void expect_text(const outcome *o, const char *expected)
{
    assert_int_equal(o->rc, 0);
    assert_string_equal(cl_buf_cstr(&o->text), expected);
}

static void expect_contains(const outcome *o, const char *needle)
{
    assert_int_equal(o->rc, 0);
    if (!strstr(cl_buf_cstr(&o->text), needle))
        fail_msg("output lacks '%s'; it starts '%.200s'", needle, cl_buf_cstr(&o->text));
}

static void expect_binary_error(const outcome *o)
{
    assert_int_equal(o->rc, -1);
    if (!strstr(o->err.msg, "binary"))
        fail_msg("error '%s' does not say the input is binary", o->err.msg);
}

/* Encodes UTF-8 text into `charset` with iconv, as a legacy page would be. */
static void encode(const char *utf8, const char *charset, cl_buf *out)
{
    iconv_t cd = iconv_open(charset, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t left = strlen(utf8);
    assert_int_equal(cl_buf_reserve(out, left * 4 + 16), 0);
    char *in = (char *)utf8, *dst = out->data + out->len;
    size_t room = out->cap - out->len - 1;
    assert_true(iconv(cd, &in, &left, &dst, &room) != (size_t)-1);
    out->len = (size_t)(dst - out->data);
    out->data[out->len] = '\0';
    iconv_close(cd);
}

/* ---- tiny and empty inputs ---------------------------------------------- */

static void test_empty_file_is_an_empty_document(void **state)
{
    (void)state;
    outcome o;
    clean("", 0, "empty.txt", &o);
    expect_text(&o, "");
    outcome_free(&o);
}

static void test_one_byte(void **state)
{
    (void)state;
    outcome o;
    clean("x", 1, "one-byte.txt", &o);
    expect_text(&o, "x\n");
    outcome_free(&o);
}

static void test_only_whitespace_is_an_empty_document(void **state)
{
    (void)state;
    static const char ws[] = " \t\r\n\n   \f\n\t \r\n";
    outcome o;
    clean(ws, sizeof ws - 1, "whitespace.txt", &o);
    expect_text(&o, "");
    outcome_free(&o);
}

/* ---- big and deep inputs ------------------------------------------------ */

#define BIG_HTML_BYTES ((size_t)50 << 20)

static void test_50mb_html_page(void **state)
{
    (void)state;
    cl_buf page = CL_BUF_INIT;
    cl_buf_append_str(&page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                             "<title>A very long report</title></head><body><article>"
                             "<h1>A very long report</h1>\n");
    for (unsigned i = 0; page.len < BIG_HTML_BYTES; i++)
        cl_buf_printf(&page, "<p>Paragraph %u of the report, in which the committee "
                             "explains its findings in plain words.</p>\n", i);
    cl_buf_append_str(&page, "<p>The final paragraph closes the report.</p>"
                             "</article></body></html>\n");
    assert_false(page.oom);
    outcome o;
    cl_cleaner *c = new_cleaner(0);
    clean_within(c, page.data, page.len, "big.html", BIG_PAGE_SECONDS, &o);
    cl_cleaner_free(c);
    expect_contains(&o, "Paragraph 0 of the report, in which");
    expect_contains(&o, "Paragraph 100000 of the report, in which");
    expect_contains(&o, "The final paragraph closes the report.");
    outcome_free(&o);
    cl_buf_free(&page);
}

#define DEEP_DIVS 100000

static void test_100000_nested_divs(void **state)
{
    (void)state;
    cl_buf page = CL_BUF_INIT;
    cl_buf_append_str(&page, "<!DOCTYPE html><html><head><title>Deep</title></head><body>");
    for (int i = 0; i < DEEP_DIVS; i++)
        cl_buf_append_str(&page, "<div>");
    cl_buf_append_str(&page, "<p>" BODY_EN "</p>");
    for (int i = 0; i < DEEP_DIVS; i++)
        cl_buf_append_str(&page, "</div>");
    cl_buf_append_str(&page, "</body></html>\n");
    assert_false(page.oom);
    outcome o;
    clean(page.data, page.len, "deep.html", &o);
    expect_contains(&o, BODY_EN);
    outcome_free(&o);
    cl_buf_free(&page);
}

#define MANY_ATTRIBUTES 50000

/* Not in the list, found beside it: Gumbo checks each new attribute
 * against all earlier ones of its tag, so one tag with 50 000 attributes
 * (440 KB) cost 6 s and 200 000 (1.6 MB) hit the worker's CPU limit. */
static void test_50000_attributes_on_one_element(void **state)
{
    (void)state;
    cl_buf page = CL_BUF_INIT;
    cl_buf_append_str(&page, "<!DOCTYPE html><html><head><title>Wide</title></head><body><div");
    for (int i = 0; i < MANY_ATTRIBUTES; i++)
        cl_buf_printf(&page, " data-a%d=x", i);
    cl_buf_append_str(&page, "><p>" BODY_EN "</p></div></body></html>\n");
    assert_false(page.oom);
    outcome o;
    clean(page.data, page.len, "wide.html", &o);
    expect_contains(&o, BODY_EN);
    outcome_free(&o);
    cl_buf_free(&page);
}

#define LONG_LINE_BYTES ((size_t)1 << 20)

/* One 1 MiB word: kept whole or dropped whole, never cut. */
static void test_1mb_line_without_spaces(void **state)
{
    (void)state;
    cl_buf line = CL_BUF_INIT;
    cl_buf_append_str(&line, BODY_EN "\n\n");
    size_t start = line.len;
    while (line.len - start < LONG_LINE_BYTES)
        cl_buf_append_str(&line, "abcdefghijklmnopqrstuvwxyz0123456789");
    cl_buf_append_str(&line, "\n\n" BODY_EN "\n");
    assert_false(line.oom);
    outcome o;
    clean(line.data, line.len, "long-line.txt", &o);
    expect_contains(&o, BODY_EN);
    const char *out = cl_buf_cstr(&o.text);
    const char *word = strstr(out, "abcdefghij");
    if (word)
        assert_int_equal(strcspn(word, "\n"), line.len - start - strlen("\n\n" BODY_EN "\n"));
    outcome_free(&o);
    cl_buf_free(&line);
}

/* ---- encodings ----------------------------------------------------------- */

/* Three stray bytes in a UTF-8 text full of accents: each becomes U+FFFD,
 * the rest stays as it was (no legacy re-decoding of the whole text). */
static void test_invalid_utf8_is_repaired_in_place(void **state)
{
    (void)state;
    static const char in[] =
        "Caf\xC3\xA9 owners in K\xC3\xB6ln and na\xC3\xAFve tourists met on Tuesday "
        "\xFF to discuss the \xC3 new street plan, which the \xED\xA0\x80 mayor backs.\n";
    static const char expected[] =
        "Caf\xC3\xA9 owners in K\xC3\xB6ln and na\xC3\xAFve tourists met on Tuesday "
        "\xEF\xBF\xBD to discuss the \xEF\xBF\xBD new street plan, which the "
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD mayor backs.\n";
    outcome o;
    clean(in, sizeof in - 1, "invalid-utf8.txt", &o);
    expect_text(&o, expected);
    outcome_free(&o);
}

#define UTF16_TEXT "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln: the council approved the " \
                   "budget on Tuesday, \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 to all."

static void test_utf16_with_bom(void **state)
{
    (void)state;
    static const char *const charsets[] = { "UTF-16LE", "UTF-16BE" };
    static const char *const boms[] = { "\xFF\xFE", "\xFE\xFF" };
    for (int i = 0; i < 2; i++) {
        cl_buf in = CL_BUF_INIT;
        cl_buf_append(&in, boms[i], 2);
        encode(UTF16_TEXT "\n", charsets[i], &in);
        outcome o;
        clean(in.data, in.len, charsets[i], &o);
        expect_text(&o, UTF16_TEXT "\n");
        outcome_free(&o);
        cl_buf_free(&in);
    }
}

#define CYRILLIC_BODY "\xD0\xA1\xD1\x8A\xD0\xB5\xD1\x88\xD1\x8C \xD0\xB6\xD0\xB5 " \
    "\xD0\xB5\xD1\x89\xD1\x91 \xD1\x8D\xD1\x82\xD0\xB8\xD1\x85 \xD0\xBC\xD1\x8F\xD0\xB3" \
    "\xD0\xBA\xD0\xB8\xD1\x85 \xD1\x84\xD1\x80\xD0\xB0\xD0\xBD\xD1\x86\xD1\x83\xD0\xB7" \
    "\xD1\x81\xD0\xBA\xD0\xB8\xD1\x85 \xD0\xB1\xD1\x83\xD0\xBB\xD0\xBE\xD0\xBA, \xD0\xB4" \
    "\xD0\xB0 \xD0\xB2\xD1\x8B\xD0\xBF\xD0\xB5\xD0\xB9 \xD1\x87\xD0\xB0\xD1\x8E. "
/* "Съешь же ещё этих мягких французских булок, да выпей чаю. " */

static void test_windows_1251_page_with_meta_charset(void **state)
{
    (void)state;
    cl_buf page = CL_BUF_INIT;
    encode("<html><head><meta charset=\"windows-1251\"><title>\xD0\x9D\xD0\xBE\xD0\xB2"
           "\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8</title></head><body><article><p>"
           CYRILLIC_BODY CYRILLIC_BODY CYRILLIC_BODY "</p></article></body></html>\n",
           "WINDOWS-1251", &page);
    outcome o;
    clean(page.data, page.len, "cp1251.html", &o);
    expect_contains(&o, CYRILLIC_BODY CYRILLIC_BODY);
    outcome_free(&o);
    cl_buf_free(&page);
}

#define JAPANESE_BODY "\xE5\x90\xBE\xE8\xBC\xA9\xE3\x81\xAF\xE7\x8C\xAB\xE3\x81\xA7" \
    "\xE3\x81\x82\xE3\x82\x8B\xE3\x80\x82\xE5\x90\x8D\xE5\x89\x8D\xE3\x81\xAF\xE3\x81\xBE" \
    "\xE3\x81\xA0\xE7\x84\xA1\xE3\x81\x84\xE3\x80\x82\xE3\x81\xA9\xE3\x81\x93\xE3\x81\xA7" \
    "\xE7\x94\x9F\xE3\x82\x8C\xE3\x81\x9F\xE3\x81\x8B\xE3\x81\xA8\xE3\x82\x93\xE3\x81\xA8" \
    "\xE8\xA6\x8B\xE5\xBD\x93\xE3\x81\x8C\xE3\x81\xA4\xE3\x81\x8B\xE3\x81\xAC\xE3\x80\x82"
/* "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。" */

static void test_shift_jis_page_with_meta_charset(void **state)
{
    (void)state;
    cl_buf page = CL_BUF_INIT;
    encode("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
           "charset=Shift_JIS\"><title>\xE7\x8C\xAB</title></head><body><article><p>"
           JAPANESE_BODY JAPANESE_BODY "</p></article></body></html>\n",
           "SHIFT_JIS", &page);
    outcome o;
    clean(page.data, page.len, "sjis.html", &o);
    expect_contains(&o, JAPANESE_BODY JAPANESE_BODY);
    outcome_free(&o);
    cl_buf_free(&page);
}

/* ---- binary inputs ------------------------------------------------------- */

/* A stray NUL in a text page is dropped; a page full of NULs is binary. */
static void test_stray_nul_dropped_many_refused(void **state)
{
    (void)state;
    static const char in[] = BODY_EN "\0" BODY_EN "\n";
    outcome o;
    clean(in, sizeof in - 1, "nul.txt", &o);
    expect_contains(&o, BODY_EN BODY_EN);
    outcome_free(&o);
    char nuls[1200];
    for (size_t i = 0; i < sizeof nuls; i++)
        nuls[i] = i % 3 == 2 ? '\0' : 'a';
    clean(nuls, sizeof nuls, "nuls.txt", &o);
    expect_binary_error(&o);
    outcome_free(&o);
}

static void test_png_is_refused_as_binary(void **state)
{
    (void)state;
    /* A 1x1 grey PNG: signature, IHDR, IDAT, IEND. */
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
        0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0,
        0x3a, 0x7e, 0x9b, 0x55,
        0, 0, 0, 10, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0x68, 0, 0, 0, 0x82, 0, 0x81,
        0x77, 0xcd, 0x72, 0xb6,
        0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
    };
    outcome o;
    clean((const char *)png, sizeof png, "image.png", &o);
    expect_binary_error(&o);
    outcome_free(&o);
}

/* ---- pathological Markdown ----------------------------------------------- */

#define DEEP_QUOTES 10000

static void test_markdown_10000_nested_blockquotes(void **state)
{
    (void)state;
    cl_buf md = CL_BUF_INIT;
    for (int i = 0; i < DEEP_QUOTES; i++)
        cl_buf_append_str(&md, "> ");
    cl_buf_append_str(&md, BODY_EN "\n");
    assert_false(md.oom);
    outcome o;
    clean(md.data, md.len, "deep-quotes.md", &o);
    expect_contains(&o, BODY_EN);
    outcome_free(&o);
    cl_buf_free(&md);
}

#define MANY_LINKS 100000

/* A link farm after the article: the article is kept, the farm is chrome. */
static void test_markdown_100000_links(void **state)
{
    (void)state;
    cl_buf md = CL_BUF_INIT;
    cl_buf_append_str(&md, "# Budget approved\n\n" BODY_EN "\n\n" BODY_EN "\n\n");
    for (int i = 0; i < MANY_LINKS; i++)
        cl_buf_printf(&md, "- [Related story %d](https://example.com/story/%d)\n", i, i);
    assert_false(md.oom);
    outcome o;
    clean(md.data, md.len, "links.md", &o);
    expect_contains(&o, BODY_EN);
    assert_null(strstr(cl_buf_cstr(&o.text), "Related story 99999"));
    outcome_free(&o);
    cl_buf_free(&md);
}

#define BARE_URLS 200000

/* Not in the list, found beside it: md4c's permissive autolinks are
 * quadratic within a paragraph (19 s for these 3 MB before the fix). */
static void test_markdown_100000_bare_urls_in_one_paragraph(void **state)
{
    (void)state;
    cl_buf md = CL_BUF_INIT;
    cl_buf_append_str(&md, "# Sources\n\n" BODY_EN "\n\n");
    for (int i = 0; i < BARE_URLS; i++)
        cl_buf_printf(&md, "%s%d ", i % 2 ? "www.example.com/" : "https://example.com/", i);
    cl_buf_append_str(&md, "\n\n" BODY_EN "\n");
    assert_false(md.oom);
    outcome o;
    clean(md.data, md.len, "urls.md", &o);
    expect_contains(&o, BODY_EN);
    outcome_free(&o);
    cl_buf_free(&md);
}

/* ---- hostile file names -------------------------------------------------- */

/* The name is the JSON "source": it must come out escaped and valid UTF-8
 * whatever bytes the file system allowed in it. */
static void test_file_names_with_newline_and_bad_bytes(void **state)
{
    (void)state;
    static const char body[] = BODY_EN "\n";
    outcome o;
    clean(body, sizeof body - 1, "two\nlines.txt", &o);
    expect_text(&o, body);
    assert_non_null(strstr(cl_buf_cstr(&o.json), "{\"source\":\"two\\nlines.txt\""));
    outcome_free(&o);

    clean(body, sizeof body - 1, "caf\xE9-\xFF.txt", &o);
    expect_text(&o, body);
    assert_non_null(strstr(cl_buf_cstr(&o.json),
                           "{\"source\":\"caf\xEF\xBF\xBD-\xEF\xBF\xBD.txt\""));
    outcome_free(&o);
}

/* ---- fuzz regressions ---------------------------------------------------- */

/* Multi-byte characters of every length, for rules that match inside them. */
#define MIXED_SCRIPTS "\xC3\x87" "a co\xC3\xBBte 3 \xE2\x82\xAC \xE2\x80\x94 " \
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80 share on facebook"
/* "Ça coûte 3 € — 日本語 😀 share on facebook" */

/* Each block's decision after applying the rules to two sample blocks,
 * with the text and attr matchers called too. */
static void use_rules(const cl_rules *rules, cl_decision decisions[2])
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, BODY_EN, strlen(BODY_EN), 0);
    cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, MIXED_SCRIPTS, strlen(MIXED_SCRIPTS), 0);
    assert_int_equal(cl_rules_apply(rules, doc), 0);
    decisions[0] = doc->blocks[0].decision;
    decisions[1] = doc->blocks[1].decision;
    cl_rule_match m;
    cl_rules_match_attr(rules, "share-bar", 9, NULL, NULL, &m);
    cl_rules_match_text(rules, "share on facebook", 17, 3, NULL, NULL, &m);
    cl_doc_free(doc);
}

/* A rule file must load or fail with "SOURCE:...", and work once loaded,
 * with the same outcome before and after its index is built. */
static void replay_rules(const char *path, const cl_buf *bytes)
{
    cl_rules *rules = cl_rules_new();
    cl_error err = { "" };
    if (cl_rules_load(rules, path, cl_buf_cstr(bytes), bytes->len, &err) < 0) {
        assert_int_equal(strncmp(err.msg, path, strlen(path)), 0);
    } else {
        cl_decision unindexed[2], indexed[2];
        use_rules(rules, unindexed);
        assert_int_equal(cl_rules_prepare(rules), 0);
        use_rules(rules, indexed);
        assert_memory_equal(unindexed, indexed, sizeof indexed);
    }
    cl_rules_free(rules);
}

/* Any other input: every format, detected and forced, as fuzz_clean does. */
static void replay_document(const char *path, const cl_buf *bytes)
{
    for (int force = 0; force <= 3; force++) {
        cl_cleaner *c = new_cleaner(force);
        outcome o;
        clean_with(c, cl_buf_cstr(bytes), bytes->len, path, &o);
        outcome_free(&o);
        cl_cleaner_free(c);
    }
}

static void test_fuzz_regressions(void **state)
{
    (void)state;
    DIR *d = opendir(REGRESSIONS_DIR);
    assert_non_null(d);
    int replayed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", REGRESSIONS_DIR, e->d_name);
        cl_buf bytes = CL_BUF_INIT;
        read_file(path, &bytes);
        if (has_suffix(e->d_name, ".rules"))
            replay_rules(path, &bytes);
        else
            replay_document(path, &bytes);
        cl_buf_free(&bytes);
        replayed++;
    }
    closedir(d);
    assert_true(replayed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_file_is_an_empty_document),
        cmocka_unit_test(test_one_byte),
        cmocka_unit_test(test_only_whitespace_is_an_empty_document),
        cmocka_unit_test(test_50mb_html_page),
        cmocka_unit_test(test_100000_nested_divs),
        cmocka_unit_test(test_50000_attributes_on_one_element),
        cmocka_unit_test(test_1mb_line_without_spaces),
        cmocka_unit_test(test_invalid_utf8_is_repaired_in_place),
        cmocka_unit_test(test_utf16_with_bom),
        cmocka_unit_test(test_windows_1251_page_with_meta_charset),
        cmocka_unit_test(test_shift_jis_page_with_meta_charset),
        cmocka_unit_test(test_stray_nul_dropped_many_refused),
        cmocka_unit_test(test_png_is_refused_as_binary),
        cmocka_unit_test(test_markdown_10000_nested_blockquotes),
        cmocka_unit_test(test_markdown_100000_links),
        cmocka_unit_test(test_markdown_100000_bare_urls_in_one_paragraph),
        cmocka_unit_test(test_file_names_with_newline_and_bad_bytes),
        cmocka_unit_test(test_fuzz_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
