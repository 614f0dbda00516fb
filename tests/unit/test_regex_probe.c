/* Unit tests: cleaner/regex_probe.c (the texts the load-time screen tries). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "regex_probe.h"

typedef struct probes {
    char   text[CL_PROBE_MAX + 1][CL_PROBE_MAX_LEN + 32];
    size_t len[CL_PROBE_MAX + 1], start[CL_PROBE_MAX + 1];
    size_t n;
} probes;

static int collect(const char *text, size_t len, size_t start, void *user)
{
    probes *p = user;
    assert_true(p->n <= CL_PROBE_MAX);
    assert_true(len < sizeof p->text[0]);
    memcpy(p->text[p->n], text, len);
    p->text[p->n][len] = '\0';
    p->len[p->n] = len;
    p->start[p->n++] = start;
    return 0;
}

static void probes_of(const char *pattern, const char *required, probes *p)
{
    p->n = 0;
    assert_int_equal(cl_regex_probes(pattern, strlen(pattern), required, collect, p), 0);
}

/* The index of the probe equal to `want`, failing with the probes when
 * there is none. */
static size_t find_probe(const probes *p, const char *want, const char *pattern)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->text[i], want) == 0)
            return i;
    for (size_t i = 0; i < p->n; i++)
        print_message("    probe %zu: '%s'\n", i, p->text[i]);
    fail_msg("%s: no probe '%s'", pattern, want);
    return 0;
}

/* `unit` repeated up to CL_PROBE_RUN bytes after `prefix`, then `tail`. */
static void pumped(char *out, size_t size, const char *prefix, const char *unit,
                   const char *tail)
{
    size_t n = (size_t)snprintf(out, size, "%s", prefix);
    while (n < CL_PROBE_RUN)
        n += (size_t)snprintf(out + n, size - n, "%s", unit);
    snprintf(out + n, size - n, "%s", tail);
}

static void expect_probe(const char *pattern, const char *required, const char *prefix,
                         const char *unit, const char *tail)
{
    probes p;
    char want[CL_PROBE_MAX_LEN + 32];
    probes_of(pattern, required, &p);
    pumped(want, sizeof want, prefix, unit, tail);
    find_probe(&p, want, pattern);
}

static void test_pattern_without_repeats_gives_no_probe(void **state)
{
    (void)state;
    probes p;
    probes_of("^share (this|on|via)\\b", "", &p);
    assert_int_equal(p.n, 0);
    probes_of("", "", &p);
    assert_int_equal(p.n, 0);
    probes_of("^(the )?original (source|article)\\b", "", &p);
    assert_int_equal(p.n, 0);
}

/* A run the repeats can share, then a character the pattern does not
 * hold, then PCRE2's required character; the same after two spaces. */
static void test_nested_repeat_is_pumped_then_failed(void **state)
{
    (void)state;
    expect_probe("(x+x+)+y", "y", "", "x", "!y");
    expect_probe("(x+x+)+y", "y", "", "x", "  !y");
    expect_probe("^(a+)+$", "", "", "a", "!");
}

/* What comes before a repeat is matched first, each item its plainest
 * way: optional items left out, the first alternative of a group. */
static void test_prefix_reaches_the_repeat(void **state)
{
    (void)state;
    expect_probe("^by (\\w+\\s?)*$", "", "by ", "a", "!");
    expect_probe("^(?:by|from) (?<author>(?:\\w+ ?)+)$", "", "by ", "a", "!");
    expect_probe("^(?:(?:written|posted) )?by (\\w+\\s?)*$", "", "by ", "a", "!");
    expect_probe("^\\d{2}-(x+x+)+y", "y", "11-", "x", "!y");
    expect_probe("^(?:ab){3}-(x+x+)+y", "y", "ababab-", "x", "!y");
}

/* The fullest pump takes every alternative in turn, so that those that
 * overlap show; and an optional part once. */
static void test_alternatives_are_pumped_in_turn(void **state)
{
    (void)state;
    expect_probe("(\\w|\\d)+x", "x", "", "a1", "!x");
    expect_probe("(ab|a|b)*c", "c", "", "ab", "!c");
    expect_probe("(a|aa)+b", "b", "", "a", "!b");
    expect_probe("(?:\\d+,?)+ points", "s", "", "1,", "!s");
}

/* Classes stand for 'a' when they take it, else for the first stand-in
 * they take or leave, else their first member. */
static void test_classes_stand_for_a_character_they_take(void **state)
{
    (void)state;
    expect_probe("([^,;:]+,?)+!", "!", "", "a", "#!");
    expect_probe("(?:[\\s_-]+x?)+!", "!", "", " ", "#!");
    expect_probe("(?:[:|]+x?)+!", "!", "", ":", "#!");
    expect_probe("(?:\\p{N}+x?)+!", "!", "", "1", "#!");
    expect_probe("(?:[[:digit:]]+x?)+!", "!", "", "1", "#!");
    expect_probe("(?:[à-ü]+x?)+!", "!", "", "à", "#!");
    expect_probe("(?:\\x{e9}+x?)+!", "!", "", "é", "#!");
}

/* The tail's first character is one the pattern does not hold. */
static void test_tail_avoids_the_patterns_characters(void **state)
{
    (void)state;
    expect_probe("(\\w+\\s?)+!", "!", "", "a", "#!");
    expect_probe("(\\w+[!#%~;&=@]?)+$", "", "", "a", "\x01");
}

/* With each optional item once, a \b after a word character is met by a
 * non-word stand-in: "\bfollow\b.*" reaches the repeat after "follow ". */
static void test_word_boundary_is_met_on_the_fuller_prefix(void **state)
{
    (void)state;
    expect_probe("\\bfollow\\b.*(x+x+)+y", "y", "follow ", "x", "!y");
}

/* A pattern that starts with a lookbehind gets its text first, and the
 * match is to start after it. */
static void test_leading_lookbehind_text_comes_first(void **state)
{
    (void)state;
    probes p;
    char want[CL_PROBE_MAX_LEN + 32];
    probes_of("(?<=\\s)(a+)+b", "b", &p);
    want[0] = ' ';  /* then a run of CL_PROBE_RUN bytes, as without it */
    pumped(want + 1, sizeof want - 1, "", "a", "!b");
    size_t i = find_probe(&p, want, "(?<=\\s)(a+)+b");
    assert_int_equal(p.start[i], 1);
    probes_of("(?<!\\w)(a+)+b", "b", &p);
    for (size_t k = 0; k < p.n; k++)
        assert_int_equal(p.start[k], 0);
}

/* Repeats inside lookarounds are sites too. */
static void test_lookaround_repeats_are_probed(void **state)
{
    (void)state;
    expect_probe("(?=(a+)+b)", "b", "", "a", "!b");
    expect_probe("^x(?!(a+)+b)", "", "x", "a", "#");
}

/* However many repeats a pattern has, the probes stay few, short and
 * distinct. */
static void test_probes_are_bounded_and_distinct(void **state)
{
    (void)state;
    char pattern[400] = "";
    for (int i = 0; i < 40; i++)
        strcat(pattern, "(a|b)+-");  /* 40 sites of two pumps and two tails */
    probes p;
    probes_of(pattern, "-", &p);
    assert_int_equal(p.n, CL_PROBE_MAX);
    for (size_t i = 0; i < p.n; i++) {
        assert_true(p.len[i] <= CL_PROBE_MAX_LEN);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(p.text[i], p.text[k]);
    }
    /* A prefix longer than a probe's run gives no probe. */
    char longer[200];
    snprintf(longer, sizeof longer, "^%.*s(x+x+)+y", 70,
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    probes_of(longer, "y", &p);
    assert_int_equal(p.n, 0);
}

/* Syntax the walk does not follow is read past without harm. */
static void test_unusual_syntax_is_read_past(void **state)
{
    (void)state;
    static const char *const patterns[] = {
        "\\Q(x+\\E+y", "(?#comment (+)x+", "(?i)x{2,}+", "[]a]+", "[^]]+", "(?(1)a|b)+",
        "(*UTF)x+", "a{,3}", "x{2", "\\k<n>+", "(?<n>a)\\g{n}+", "(?|(a)|(b))+", "\\", "(?",
        "[a-\\d]+", "[\\x{100}-\\x{200}]+", "\\p{Latin}+", "\\P{L}+", "\\p{^N}+", "\\o{101}+",
        "\\cA+", "(?P<n>a+)+(?P=n)", "(?R)?a+", "x++y", "(?>a+)+b", "(?x) a + b",
    };
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        probes p;
        probes_of(patterns[i], "", &p);
        for (size_t k = 0; k < p.n; k++)
            assert_true(p.len[k] <= CL_PROBE_MAX_LEN);
    }
}

/* Every probe of a pattern written in UTF-8 is UTF-8. */
static void test_probes_are_utf8(void **state)
{
    (void)state;
    static const char *const patterns[] = {
        "(?:é+|[à-ü]+)+x", "^(síguenos|suivez-nous) (\\p{L}+\\s?)+$", "(日本+語*)+!",
        "[^é]+(?:ü|ö)*$",
    };
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        probes p;
        probes_of(patterns[i], "", &p);
        assert_true(p.n > 0);
        for (size_t k = 0; k < p.n; k++) {
            const unsigned char *s = (const unsigned char *)p.text[k];
            for (size_t j = 0; j < p.len[k];) {
                size_t n = s[j] < 0x80 ? 1 : s[j] >= 0xF0 ? 4 : s[j] >= 0xE0 ? 3 : 2;
                if (s[j] >= 0x80 && s[j] < 0xC0)
                    fail_msg("%s: probe '%s' has a stray byte at %zu", patterns[i], p.text[k], j);
                for (size_t c = 1; c < n; c++)
                    if (j + c >= p.len[k] || (s[j + c] & 0xC0) != 0x80)
                        fail_msg("%s: probe '%s' cuts a character at %zu", patterns[i],
                                 p.text[k], j);
                j += n;
            }
        }
    }
}

/* The callback's nonzero return stops the probes and is returned. */
static int stop_at_second(const char *text, size_t len, size_t start, void *user)
{
    (void)text, (void)len, (void)start;
    return ++*(int *)user == 2 ? 7 : 0;
}

static void test_callback_stops_the_probes(void **state)
{
    (void)state;
    int calls = 0;
    assert_int_equal(cl_regex_probes("(x+x+)+y", 8, "y", stop_at_second, &calls), 7);
    assert_int_equal(calls, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_without_repeats_gives_no_probe),
        cmocka_unit_test(test_nested_repeat_is_pumped_then_failed),
        cmocka_unit_test(test_prefix_reaches_the_repeat),
        cmocka_unit_test(test_alternatives_are_pumped_in_turn),
        cmocka_unit_test(test_classes_stand_for_a_character_they_take),
        cmocka_unit_test(test_tail_avoids_the_patterns_characters),
        cmocka_unit_test(test_word_boundary_is_met_on_the_fuller_prefix),
        cmocka_unit_test(test_leading_lookbehind_text_comes_first),
        cmocka_unit_test(test_lookaround_repeats_are_probed),
        cmocka_unit_test(test_probes_are_bounded_and_distinct),
        cmocka_unit_test(test_unusual_syntax_is_read_past),
        cmocka_unit_test(test_probes_are_utf8),
        cmocka_unit_test(test_callback_stops_the_probes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
