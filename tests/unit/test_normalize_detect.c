/* Unit tests: cleaner/normalize.c and cleaner/detect.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "detect.h"
#include "normalize.h"
#include "utf8.h"

static void test_normalize_folds_case_quotes_dashes_space(void **state)
{
    (void)state;
    cl_buf out = CL_BUF_INIT;
    const char *s = "  \xE2\x80\x9C" "Follow\xC2\xA0" "Us\xE2\x80\x9D \xE2\x80\x94 It\xE2\x80\x99" "s \xC3\x89" "T\xC3\x89\xE2\x80\xA6 ";
    assert_int_equal(cl_normalize(s, strlen(s), &out, NULL), 0);
    assert_string_equal(out.data, "\"follow us\" - it's \xC3\xA9" "t\xC3\xA9...");
    cl_buf_free(&out);
}

static void test_normalize_map_points_back_to_source(void **state)
{
    (void)state;
    cl_buf out = CL_BUF_INIT, map = CL_BUF_INIT;
    const char *s = "Ab  \xE2\x80\x94" "Cd";
    cl_normalize(s, strlen(s), &out, &map);
    assert_string_equal(out.data, "ab -cd");
    assert_int_equal(map.len / sizeof(size_t), out.len + 1);
    assert_int_equal(cl_normalize_map_at(&map, 2), 2);   /* the space run */
    assert_int_equal(cl_normalize_map_at(&map, 3), 4);   /* the dash */
    assert_int_equal(cl_normalize_map_at(&map, 4), 7);   /* 'c' */
    assert_int_equal(cl_normalize_map_at(&map, out.len), strlen(s));
    cl_buf_free(&out);
    cl_buf_free(&map);
}

/* ASCII normalised a byte at a time: lower case, whitespace runs one space,
 * none at either end. */
static size_t normalize_ascii_bytewise(const char *s, size_t n, char *out)
{
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            if (!space)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        space = 0;
    }
    if (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return o;
}

/* The groups of 16 and 8 and the bytes between them against the byte-wise
 * reckoning, on pseudo-random ASCII heavy with spaces and the letters at
 * the edges of the capitals. */
static void test_normalize_ascii_against_bytewise(void **state)
{
    (void)state;
    static const char alphabet[] = "aB c  \tZ\n.@[`{Az~ \x01";
    uint32_t seed = 12345;
    char text[80], want[81];
    for (int round = 0; round < 4000; round++) {
        size_t n = (size_t)round % sizeof text;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        cl_buf out = CL_BUF_INIT;
        assert_int_equal(cl_normalize(text, n, &out, NULL), 0);
        size_t len = normalize_ascii_bytewise(text, n, want);
        assert_int_equal(out.len, len);
        assert_string_equal(cl_buf_cstr(&out), want);
        cl_buf_free(&out);
    }
}

/* Without a map, runs of ASCII take a faster path than with one: both must
 * give the same text, across 8-byte groups, double spaces, capitals at
 * every offset and a text that ends on whitespace. */
static void test_normalize_same_with_and_without_map(void **state)
{
    (void)state;
    const char *cases[] = {
        "ABCDEFGH IJKLMNOP  QRSTUVWX\tYZ@[`{ end",
        "   Leading spaces then Words, MORE words and \xE2\x80\x9Cquotes\xE2\x80\x9D  ",
        "x \xC3\x89T\xC3\x89 Caf\xC3\xA9 \xC8\xBA\xC8\xBA\xC8\xBA\xC8\xBA grows \x01\x7F\n\n",
        "Twelve words in a row with NBSP\xC2\xA0\xC2\xA0" "and \xE2\x80\xA6 dots\r\n",
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t n = strlen(cases[c]);
        for (size_t from = 0; from < n; from++) {
            cl_buf plain = CL_BUF_INIT, mapped = CL_BUF_INIT, map = CL_BUF_INIT;
            assert_int_equal(cl_normalize(cases[c] + from, n - from, &plain, NULL), 0);
            assert_int_equal(cl_normalize(cases[c] + from, n - from, &mapped, &map), 0);
            assert_string_equal(plain.data, mapped.data);
            assert_int_equal(map.len / sizeof(size_t), mapped.len + 1);
            cl_buf_free(&plain);
            cl_buf_free(&mapped);
            cl_buf_free(&map);
        }
    }
    cl_buf out = CL_BUF_INIT;
    cl_normalize(cases[0], strlen(cases[0]), &out, NULL);
    assert_string_equal(out.data, "abcdefgh ijklmnop qrstuvwx yz@[`{ end");
    cl_buf_free(&out);
}

static void test_detect_formats_from_content(void **state)
{
    (void)state;
    const char *html = "<!DOCTYPE html><html><body><p>x</p></body></html>";
    const char *frag = "<div class=a><p>One.</p><p>Two.</p></div>";
    const char *md = "# Title\n\nText with a [link](#) and **bold**.\n";
    const char *text = "Just words.\n\nMore words, 3 < 4 and [1] too.\n";
    assert_int_equal(cl_detect_format(html, strlen(html), "a.txt"), CL_FORMAT_HTML);
    assert_int_equal(cl_detect_format(frag, strlen(frag), NULL), CL_FORMAT_HTML);
    assert_int_equal(cl_detect_format(md, strlen(md), "a.txt"), CL_FORMAT_MARKDOWN);
    assert_int_equal(cl_detect_format(text, strlen(text), NULL), CL_FORMAT_TEXT);
    /* The name only breaks ties. */
    assert_int_equal(cl_detect_format(text, strlen(text), "x.md"), CL_FORMAT_MARKDOWN);
}

static void test_detect_binary(void **state)
{
    (void)state;
    assert_true(cl_detect_binary("\x89PNG\r\n\x1a\n\0\0", 10, NULL));
    assert_true(cl_detect_binary("text\0more", 9, NULL));     /* 1 NUL in 9 bytes */
    /* A page with a few stray NULs is text (the caller drops them). */
    char page[2000];
    memset(page, 'a', sizeof page);
    for (size_t i = 100; i < sizeof page; i += 40)
        page[i] = ' ';
    page[500] = page[900] = page[1500] = '\0';
    assert_false(cl_detect_binary(page, sizeof page, NULL));
    for (size_t i = 0; i < 25; i++)
        page[i * 80 + 3] = '\0';                               /* > 1 in 100 */
    assert_true(cl_detect_binary(page, sizeof page, NULL));
    assert_false(cl_detect_binary("plain text\n\twith tabs\r\n", 23, NULL));
    assert_false(cl_detect_binary("", 0, NULL));
}

/* One NUL makes a text binary wherever it is: at any byte of the groups
 * and of the shorter tail, and past the sniffed head. */
/* NULs are counted wherever they are (in groups of sixteen and in the
 * tail): one in a hundred bytes makes binary, fewer are stray. */
static void test_detect_binary_counts_nuls_anywhere(void **state)
{
    (void)state;
    static char big[70000];
    memset(big, 'x', sizeof big);
    assert_false(cl_detect_binary(big, sizeof big, NULL));
    for (size_t at = 0; at < 40; at++) {
        big[at] = '\0';
        assert_true(cl_detect_binary(big, 40, NULL));      /* 1 in 40 */
        big[at] = 'x';
    }
    big[69999] = '\0';
    assert_false(cl_detect_binary(big, sizeof big, NULL));  /* one stray NUL */
    for (size_t i = 0; i < 699; i++)
        big[i * 100 + 7] = '\0';
    assert_false(cl_detect_binary(big, sizeof big, NULL));  /* 700: 1 in 100 */
    big[69998] = '\0';
    assert_true(cl_detect_binary(big, sizeof big, NULL));   /* 701, in the tail */
}

/* The UTF-8 validity found with the binary test is cl_utf8_valid's, for
 * sequences valid and not at every offset against the groups of sixteen
 * (across a group's end, in the tail, cut off by the end). */
static void test_detect_binary_tells_utf8_validity(void **state)
{
    (void)state;
    static const char *const seqs[] = {
        "\xC3\xA9", "\xE2\x80\x9C", "\xF0\x9F\x98\x80", "\xC3\xA9\xE2\x80\x94",
        "\x80", "\xC3", "\xE2\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xC0\xAF", "\xFF", "\xC3\xA9\xA9",
    };
    char text[48];
    for (size_t q = 0; q < sizeof seqs / sizeof *seqs; q++)
        for (size_t len = 1; len <= sizeof text; len++)
            for (size_t at = 0; at < len; at++) {
                memset(text, 'a', sizeof text);
                size_t n = strlen(seqs[q]);
                memcpy(text + at, seqs[q], at + n <= len ? n : len - at);
                int valid = -1;
                assert_false(cl_detect_binary(text, len, &valid));
                assert_int_equal(valid, cl_utf8_valid(text, len));
            }
}

/* Stray controls make a text binary past one in twenty bytes, wherever they
 * sit against the groups the count steps by; line ends, tabs, form feeds and
 * ESC are no strays. */
static void test_detect_binary_counts_stray_controls(void **state)
{
    (void)state;
    char text[200];
    for (size_t shift = 0; shift < 17; shift++) {
        for (size_t strays = 9; strays <= 11; strays++) {
            memset(text, 'x', sizeof text);
            for (size_t k = 0; k < 40; k++)
                text[(shift + 5 * k) % sizeof text] = "\n\t\r\f\x1B"[k % 5];
            for (size_t k = 0; k < strays; k++)
                text[(shift + 7 + 13 * k) % sizeof text] = (char)(k % 2 ? 0x01 : 0x1F);
            assert_int_equal(cl_detect_binary(text, sizeof text, NULL), strays * 20 > sizeof text);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_folds_case_quotes_dashes_space),
        cmocka_unit_test(test_normalize_map_points_back_to_source),
        cmocka_unit_test(test_normalize_same_with_and_without_map),
        cmocka_unit_test(test_normalize_ascii_against_bytewise),
        cmocka_unit_test(test_detect_formats_from_content),
        cmocka_unit_test(test_detect_binary),
        cmocka_unit_test(test_detect_binary_counts_nuls_anywhere),
        cmocka_unit_test(test_detect_binary_tells_utf8_validity),
        cmocka_unit_test(test_detect_binary_counts_stray_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
