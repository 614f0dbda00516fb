/* Unit tests: cleaner/buf.c and cleaner/utf8.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bytes16.h"
#include "doc.h"
#include "swar.h"
#include "utf8.h"

static void test_buf_append_and_detach(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    assert_string_equal(cl_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        cl_buf_append_str(&b, "ab");
    assert_int_equal(b.len, 2000);
    assert_int_equal(b.data[b.len], '\0');
    cl_buf_printf(&b, "%d-%s", 42, "x");
    assert_string_equal(b.data + 2000, "42-x");
    char *p = cl_buf_detach(&b);
    assert_non_null(p);
    assert_null(b.data);
    assert_int_equal(strlen(p), 2004);
    free(p);
}

static void test_buf_collapsed_folds_whitespace(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_collapsed(&b, "  a \t\n b", 8);
    cl_buf_append_collapsed(&b, "  c\xC2\xA0\xC2\xA0" "d  ", 10);
    cl_buf_rtrim(&b);
    assert_string_equal(b.data, "a b c d");
    cl_buf_free(&b);
}

/* Long runs go 8 bytes at a time: whitespace, NBSP and a lone 0xC2 at every
 * offset of those groups, and a buffer that already ends with a space. */
static void test_buf_collapsed_across_groups(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    const char *run = "abcdefgh ijklmnop  qrstuvw\txyz01234\n\n5678";
    cl_buf_append_collapsed(&b, run, strlen(run));
    assert_string_equal(b.data, "abcdefgh ijklmnop qrstuvw xyz01234 5678");
    cl_buf_clear(&b);
    cl_buf_append_collapsed(&b, "word ", 5);
    cl_buf_append_collapsed(&b, " second half of it", 18);
    assert_string_equal(b.data, "word second half of it");
    for (size_t at = 0; at < 16; at++) {
        char in[40] = "0123456789abcdefghijklmnopqrstu";
        memcpy(in + at, " \xC2\xA0\t \xC2\xAB", 7);
        char want[40];
        memcpy(want, in, at);
        memcpy(want + at, " \xC2\xAB", 3);
        strcpy(want + at + 3, in + at + 7);
        cl_buf_clear(&b);
        cl_buf_append_collapsed(&b, in, strlen(in));
        assert_string_equal(b.data, at ? want : want + 1);
    }
    cl_buf_free(&b);
}

/* cl_buf_append_collapsed a byte at a time, appending to out[0..*len). */
static void collapse_bytewise(char *out, size_t *len, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t width = c == ' ' || (c >= '\t' && c <= '\r') ? 1
                       : c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0 ? 2 : 0;
        if (!width) {
            out[(*len)++] = (char)c;
            continue;
        }
        if (*len && out[*len - 1] != ' ' && out[*len - 1] != '\n')
            out[(*len)++] = ' ';
        i += width - 1;
    }
    out[*len] = '\0';
}

/* Pseudo-random appends of up to 40 bytes heavy with spaces, against the
 * byte-wise collapse: mostly printable, so that groups of 16 and 8 are
 * taken whole, with double spaces on both sides of their word boundaries,
 * and now and then a line end, NBSP or another 0xC2. */
static void test_buf_collapsed_against_bytewise(void **state)
{
    (void)state;
    static const char printable[] = "ab  cd xyz  .Q", other[] = "\t\n\r\xC2\xA0\xC2\xAB";
    uint32_t seed = 777;
    for (int round = 0; round < 300; round++) {
        cl_buf b = CL_BUF_INIT;
        char want[4096];
        size_t want_len = 0, words = 0;
        for (int k = 0; k < 8; k++) {
            char piece[40];
            seed = seed * 1103515245u + 12345u;
            size_t n = (seed >> 16) % sizeof piece;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                unsigned r = seed >> 16;
                piece[i] = r % 16 ? printable[(r / 16) % (sizeof printable - 1)]
                                  : other[(r / 16) % (sizeof other - 1)];
            }
            assert_int_equal(cl_buf_append_collapsed_counted(&b, piece, n, &words), 0);
            collapse_bytewise(want, &want_len, piece, n);
            assert_int_equal(b.len, want_len);
            assert_memory_equal(cl_buf_cstr(&b), want, want_len);
            assert_int_equal(words, cl_count_words(b.data, b.len));
        }
        cl_buf_free(&b);
    }
}

/* The counting collapse finds the words cl_count_words finds in what it
 * built, whatever the groups, the whitespace and the calls' boundaries. */
static void test_buf_collapsed_counts_words(void **state)
{
    (void)state;
    const char *pieces[] = {
        "  Lead", "ing words\t", "\n", "x", " ", "\xC2\xA0", "eight by", "  tes.  ",
        "\xC2\xA9 sign", "a b c d e f g h i j", "\r\n\r\n", "tail",
    };
    size_t n = sizeof pieces / sizeof *pieces;
    for (size_t from = 0; from < n; from++) {
        cl_buf b = CL_BUF_INIT;
        size_t words = 0;
        for (size_t k = from; k < from + n; k++) {
            const char *p = pieces[k % n];
            assert_int_equal(cl_buf_append_collapsed_counted(&b, p, strlen(p), &words), 0);
            assert_int_equal(words, cl_count_words(b.data, b.len));
        }
        cl_buf_free(&b);
    }
}

static void test_utf8_valid_rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    assert_true(cl_utf8_valid("h\xC3\xA9llo \xE2\x80\x94 \xF0\x9F\x98\x80", 15));
    assert_false(cl_utf8_valid("\xC0\xAF", 2));          /* overlong '/' */
    assert_false(cl_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
    assert_false(cl_utf8_valid("\xF4\x90\x80\x80", 4));  /* > U+10FFFF */
    assert_false(cl_utf8_valid("\xE2\x80", 2));          /* truncated */
}

/* A non-ASCII character, valid or not, at every offset against the groups
 * of eight and sixteen the validator steps by. */
static void test_utf8_valid_at_every_offset(void **state)
{
    (void)state;
    static const char *const good[] = { "\xC3\xA9", "\xE2\x80\x9C", "\xF0\x9F\x98\x80" };
    static const char *const bad[] = { "\xC3", "\xE2\x80", "\xED\xA0\x80", "\x80", "\xFF" };
    char text[64];
    for (size_t at = 0; at < 40; at++) {
        for (size_t k = 0; k < 3 + 5; k++) {
            const char *seq = k < 3 ? good[k] : bad[k - 3];
            size_t n = strlen(seq);
            memset(text, 'a', sizeof text);
            memcpy(text + at, seq, n);
            for (size_t len = at + n; len <= at + n + 20; len++)
                assert_int_equal(cl_utf8_valid(text, len), k < 3);
        }
    }
}

/* The exact SWAR masks against a byte-by-byte reckoning, for every byte
 * value at every place among neighbours that could carry or borrow. */
static void test_swar_below(void **state)
{
    (void)state;
    static const unsigned char fills[] = { 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xFF };
    static const unsigned char limits[] = { 0x00, 0x01, 0x20, 0x61, 0x80 };
    for (size_t f = 0; f < sizeof fills; f++)
        for (unsigned v = 0; v < 256; v++)
            for (size_t at = 0; at < 8; at++) {
                unsigned char bytes[8];
                memset(bytes, fills[f], sizeof bytes);
                bytes[at] = (unsigned char)v;
                uint64_t w = cl_swar_load(bytes);
                for (size_t l = 0; l < sizeof limits; l++) {
                    uint64_t want = 0;
                    for (size_t k = 0; k < 8; k++)
                        if (bytes[k] < limits[l])
                            want |= (uint64_t)0x80 << (8 * k);
                    assert_int_equal(cl_swar_below(w, limits[l]), want);
                }
            }
}

/* The masks of 16 bytes, byte-by-byte. */
typedef struct mask16_want {
    unsigned eq, below, high, printable;
    unsigned char lower[16];
} mask16_want;

static mask16_want mask16_reference(const unsigned char *bytes, unsigned char c, unsigned char n)
{
    mask16_want w = { 0, 0, 0, 0, { 0 } };
    for (unsigned k = 0; k < 16; k++) {
        w.eq |= (unsigned)(bytes[k] == c) << k;
        w.below |= (unsigned)(bytes[k] < n) << k;
        w.high |= (unsigned)(bytes[k] >= 0x80) << k;
        w.printable |= (unsigned)(bytes[k] >= 0x20 && bytes[k] < 0x80) << k;
        w.lower[k] = bytes[k] >= 'A' && bytes[k] <= 'Z' ? (unsigned char)(bytes[k] + 32) : bytes[k];
    }
    return w;
}

/* Both implementations of bytes16.h (on x86-64, SSE2 and SWAR; elsewhere
 * SWAR twice) against the reference, for every byte value at every place
 * among neighbours that could carry or borrow. */
static void test_bytes16_masks_against_bytewise(void **state)
{
    (void)state;
    static const unsigned char fills[] = { 0x00, 0x1F, 0x20, 0x41, 0x5A, 0x7F, 0x80, 0xFF };
    static const unsigned char limits[] = { 0x01, 0x20, 0x61, 0x80 };
    for (size_t f = 0; f < sizeof fills; f++)
        for (unsigned v = 0; v < 256; v++)
            for (size_t at = 0; at < 16; at++) {
                unsigned char bytes[16], out[16];
                memset(bytes, fills[f], sizeof bytes);
                bytes[at] = (unsigned char)v;
                cl_bytes16 b = cl_bytes16_load(bytes);
                cl_swar16 s = cl_swar16_load(bytes);
                for (size_t l = 0; l < sizeof limits; l++) {
                    mask16_want w = mask16_reference(bytes, (unsigned char)v, limits[l]);
                    assert_int_equal(cl_bytes16_eq(b, (unsigned char)v), w.eq);
                    assert_int_equal(cl_swar16_eq(s, (unsigned char)v), w.eq);
                    assert_int_equal(cl_bytes16_below(b, limits[l]), w.below);
                    assert_int_equal(cl_swar16_below(s, limits[l]), w.below);
                    assert_int_equal(cl_bytes16_high(b), w.high);
                    assert_int_equal(cl_swar16_high(s), w.high);
                    assert_int_equal(cl_bytes16_printable(b), w.printable);
                    assert_int_equal(cl_swar16_printable(s), w.printable);
                    if (w.high)
                        continue;  /* lower-casing takes ASCII only */
                    cl_bytes16_store(out, cl_bytes16_ascii_lower(b));
                    assert_memory_equal(out, w.lower, 16);
                    cl_swar16_store(out, cl_swar16_ascii_lower(s));
                    assert_memory_equal(out, w.lower, 16);
                }
            }
    for (unsigned m = 1; m < 0x10000; m++) {
        unsigned count = 0, first = 16;
        for (unsigned k = 16; k-- > 0;)
            if (m & (1u << k)) {
                count++;
                first = k;
            }
        assert_int_equal(cl_mask16_count(m), count);
        assert_int_equal(cl_mask16_first(m), first);
    }
}

static void test_utf8_repair_replaces_maximal_subparts(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    /* A truncated 3-byte sequence is one replacement, a lone 0xFF another. */
    long n = cl_utf8_repair("a\xE2\x80" "b\xFF" "c", 6, &b);
    assert_int_equal(n, 2);
    assert_string_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    assert_true(cl_utf8_valid(b.data, b.len));
    cl_buf_free(&b);
}

static void test_utf8_append_encodes_and_replaces_invalid(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_utf8_append(&b, 'a');
    cl_utf8_append(&b, 0xE9);
    cl_utf8_append(&b, 0x201C);
    cl_utf8_append(&b, 0x1F600);
    cl_utf8_append(&b, 0xD800);    /* surrogate */
    cl_utf8_append(&b, 0x110000);  /* past the last code point */
    assert_string_equal(b.data, "a\xC3\xA9\xE2\x80\x9C\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD");
    cl_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append_and_detach),
        cmocka_unit_test(test_buf_collapsed_folds_whitespace),
        cmocka_unit_test(test_buf_collapsed_across_groups),
        cmocka_unit_test(test_buf_collapsed_counts_words),
        cmocka_unit_test(test_buf_collapsed_against_bytewise),
        cmocka_unit_test(test_utf8_valid_rejects_overlong_and_surrogates),
        cmocka_unit_test(test_utf8_valid_at_every_offset),
        cmocka_unit_test(test_swar_below),
        cmocka_unit_test(test_bytes16_masks_against_bytewise),
        cmocka_unit_test(test_utf8_repair_replaces_maximal_subparts),
        cmocka_unit_test(test_utf8_append_encodes_and_replaces_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
