/* Unit tests: cleaner/regex_literal.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex_literal.h"

/* A set's members joined as "{a}{b}", or "" when none is known. */
static const char *joined(const cl_literal_set *set)
{
    static char out[1024];
    out[0] = '\0';
    for (int i = 0; i < set->n; i++) {
        strcat(out, "{");
        strcat(out, set->alt[i].text);
        strcat(out, "}");
    }
    return out;
}

static const char *literals_of(const char *pattern)
{
    cl_literal_set set;
    cl_regex_required_literals(pattern, strlen(pattern), 2, &set);
    return joined(&set);
}

static void test_longest_top_level_run(void **state)
{
    (void)state;
    assert_string_equal(literals_of("\\bcontains copyrighted material\\b"),
                        "{contains copyrighted material}");
    /* The quantified 's' is not part of the run. */
    assert_string_equal(literals_of("\\bplease use the share buttons?\\b"),
                        "{please use the share button}");
    assert_string_equal(literals_of("^\\(@\\w+\\)"), "{(@}");
}

static void test_alternatives_give_a_set(void **state)
{
    (void)state;
    assert_string_equal(literals_of("(pic\\.twitter\\.com|https?://t\\.co)/\\S+"),
                        "{pic.twitter.com}{://t.co}");
    assert_string_equal(literals_of("^(?:author|written by)\\s*: (?<author>\\w+)"),
                        "{author}{written by}");
    assert_string_equal(literals_of("cat|dog"), "{cat}{dog}");
}

/* Sets are chosen for how rarely their literals occur in prose, not for
 * their length: "(@" once beats twelve month names. */
static void test_rarest_set_is_chosen(void **state)
{
    (void)state;
    assert_string_equal(literals_of("- [^()]{1,80}\\(@\\w+\\)\\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"),
                        "{(@}");
    assert_string_equal(literals_of("the\\s+report"), "{report}");
    /* A common word is no rare string, however rare its letters. */
    assert_string_equal(literals_of("(re-?post|share) (this|it)"), "{post}{share}");
}

/* A group of plain-text alternatives joins the literal text around it:
 * every match holds one of the joined strings whole, and they are far
 * rarer than either part ("this " is a common word, "post" is not rare). */
static void test_plain_groups_join_the_run(void **state)
{
    (void)state;
    assert_string_equal(literals_of("the (quarterly|annual) report"),
                        "{the quarterly report}{the annual report}");
    assert_string_equal(literals_of("\\b(please )?(click|use|tap) the share buttons?\\b"),
                        "{click the share button}{use the share button}{tap the share button}");
    assert_string_equal(literals_of("(re-?post|share) (this (article|story|post)|it with|widely)"),
                        "{ this article}{ this story}{ this post}{ it with}{ widely}");
    assert_string_equal(literals_of("(ab|cd)(ef|gh)"), "{abef}{abgh}{cdef}{cdgh}");
    assert_string_equal(literals_of("((ab|cd)e|fg)h"), "{abeh}{cdeh}{fgh}");
    /* Not plain text: a quantifier or a class inside, or the group repeated. */
    assert_string_equal(literals_of("xyz(ab?|cd)uvw"), "{xyz}");
    assert_string_equal(literals_of("xyz(a[bc]|cd)uvw"), "{xyz}");
    assert_string_equal(literals_of("xyz(ab|cd)+uvw"), "{xyz}");
    /* 36 joined strings would pass the cap: the second group runs alone. */
    assert_string_equal(literals_of("(aa|bb|cc|dd|ee|ff)(gg|hh|ii|jj|kk|ll)"),
                        "{gg}{hh}{ii}{jj}{kk}{ll}");
}

static size_t lead_of(const char *pattern)
{
    cl_literal_set set;
    assert_true(cl_regex_required_literals(pattern, strlen(pattern), 2, &set) > 0);
    return set.lead;
}

/* The bytes a match may hold before its literal: each item before it at
 * its widest (a character 4 bytes, a repeat its greatest count), nothing
 * for assertions and lookarounds, no bound past '*', '+' or "{n,}". */
static void test_lead_bounds_the_bytes_before_the_literal(void **state)
{
    (void)state;
    assert_int_equal(lead_of("abc"), 0);
    assert_int_equal(lead_of("(?=zz)\\bfoo"), 0);
    assert_int_equal(lead_of("a.b.cde"), 10);
    assert_int_equal(lead_of("x{2,5}(foo|bar)"), 5);
    assert_int_equal(lead_of("\\b[a-z]{2} (?:one|three) marker\\b"), 8);
    assert_int_equal(lead_of("\\b(the )?(views|opinions)( and opinions)? expressed"), 25);
    /* A repeated group has a member in its first repeat. */
    assert_int_equal(lead_of("q?(ab|cd)+ef"), 1);
    assert_true(lead_of("x\\s*abc") == CL_LEAD_UNBOUNDED);
    assert_true(lead_of("x{3,}abc") == CL_LEAD_UNBOUNDED);
}

static void test_optional_parts_give_nothing(void **state)
{
    (void)state;
    assert_string_equal(literals_of("(abc)?x"), "");
    assert_string_equal(literals_of("(abc)*"), "");
    assert_string_equal(literals_of("abc|\\d+"), "");  /* one branch has none */
    assert_string_equal(literals_of("(?=abc)\\w"), "");  /* a lookahead consumes nothing */
}

static void test_unknown_constructs_give_nothing(void **state)
{
    (void)state;
    const char *const unknown[] = {
        "(?i)abc", "\\Qabc\\E", "\\x41bc", "(a)\\1bcd", "(*ACCEPT)abc", "abc{,2}",
        "a{x}bcd", "(?(1)abc|def)", "(?P<n>abc)", "\\p{L}abc", "abc)", "(abc",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        if (literals_of(unknown[i])[0] != '\0')
            fail_msg("literal found in %s: %s", unknown[i], literals_of(unknown[i]));
    }
}

static const char *prefixes_of(const char *pattern)
{
    cl_literal_set set;
    cl_regex_prefix_literals(pattern, strlen(pattern), 1, &set);
    return joined(&set);
}

static void test_prefixes_of_anchored_patterns(void **state)
{
    (void)state;
    assert_string_equal(prefixes_of("^listen to (this|the) article\\b"), "{listen to }");
    assert_string_equal(prefixes_of("^(read|see)( the)? more"), "{read}{see}");
    assert_string_equal(prefixes_of("^(?:by|von) (?<author>.+)$"), "{by}{von}");
    assert_string_equal(prefixes_of("^comments?$"), "{comment}");
    assert_string_equal(prefixes_of("^(the )?original"), "{the }{original}");
    assert_string_equal(prefixes_of("^\\(?(more )?(reporting|writing) by"),
                        "{(}{more }{reporting}{writing}");
    assert_string_equal(prefixes_of("^(the )?"), "");
    assert_string_equal(prefixes_of("^\\d+ comments"), "");
    assert_string_equal(prefixes_of("^(a|b*)c"), "");
    assert_string_equal(prefixes_of("^share|follow"), "");  /* "follow" is not anchored */
    assert_string_equal(prefixes_of("share this"), "");
}

/* 1 when s contains a member of the set. */
/* 1 when a member starts within `lead` bytes after s[from] (CL_LEAD_UNBOUNDED:
 * anywhere after it). */
static int member_within_lead(const cl_literal_set *set, const char *s, size_t from)
{
    for (int i = 0; i < set->n; i++)
        for (const char *p = s + from; (p = strstr(p, set->alt[i].text)) != NULL; p++)
            if (set->lead == CL_LEAD_UNBOUNDED || (size_t)(p - s) - from <= set->lead)
                return 1;
    return 0;
}

static int contains_member(const cl_literal_set *set, const char *s)
{
    for (int i = 0; i < set->n; i++)
        if (strstr(s, set->alt[i].text))
            return 1;
    return 0;
}

static int starts_with_member(const cl_literal_set *set, const char *s)
{
    for (int i = 0; i < set->n; i++)
        if (strncmp(s, set->alt[i].text, set->alt[i].len) == 0)
            return 1;
    return 0;
}

/* Whenever PCRE2 matches, the text holds a required literal, and starts
 * with a prefix literal. */
static void test_filter_never_hides_a_match(void **state)
{
    (void)state;
    const char *const patterns[] = {
        "\\b(feel free to )?(re-?post|share) (and share )?(this (article|story)|it with|widely)\\b",
        "-\\s?[^()\\n-]{1,80}\\(@\\w{1,30}\\)\\s+\\d{4}$", "^\\d+ comments?$",
        "\\bdo(es)? not necessarily (reflect|represent)\\b", "x(ab)+y", "(ab){2,}c",
        "^(feel|share)s? (it|this)\\b", "^(ab)+c", "^comments?:",
        "^\\(?(the )?original (source|article)", "(ab|cd)(ef|gh)", "((ab|cd)e|fg)h",
        "the (quarterly|annual) report", "\\b[a-z]{2} (?:one|three) marker\\b",
        "x{2,5}(foo|bar)", "a.b.cde", "\\b(the )?(views|opinions)( and opinions)? expressed",
    };
    const char *const texts[] = {
        "please share this article", "feel free to repost widely", "share it with friends",
        "- jane (@jane) 2022", "12 comments", "3 comment", "this does not necessarily reflect",
        "xababy", "xy", "ababc", "abc", "", "shares this", "feel it", "comment: x",
        "original source", "the original article", "(original source", "(the original source",
        "xcdghx", "abeh", "fgh", "in the annual report", "q one marker, zz three marker",
        "\xC3\xA9\xC3\xA9 zz one marker", "xxxxxbar", "a\xC3\xA9" "b\xC3\xA9" "cde",
        "the opinions and opinions expressed",
    };
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++) {
        int code;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
                                       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
        assert_non_null(re);
        cl_literal_set set, prefix;
        cl_regex_required_literals(patterns[i], strlen(patterns[i]), 2, &set);
        cl_regex_prefix_literals(patterns[i], strlen(patterns[i]), 1, &prefix);
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            if (pcre2_match(re, (PCRE2_SPTR)texts[k], strlen(texts[k]), 0, 0, md, NULL) < 0)
                continue;
            if (set.n && !contains_member(&set, texts[k]))
                fail_msg("%s matches \"%s\" but no required literal is in it", patterns[i], texts[k]);
            size_t start = pcre2_get_ovector_pointer(md)[0];
            if (set.n && !member_within_lead(&set, texts[k], start))
                fail_msg("%s matches \"%s\" at %zu, more than %zu bytes before its literal",
                         patterns[i], texts[k], start, set.lead);
            if (prefix.n && !starts_with_member(&prefix, texts[k]))
                fail_msg("%s matches \"%s\" but it starts with no prefix", patterns[i], texts[k]);
        }
        pcre2_code_free(re);
    }
    pcre2_match_data_free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_top_level_run),
        cmocka_unit_test(test_alternatives_give_a_set),
        cmocka_unit_test(test_rarest_set_is_chosen),
        cmocka_unit_test(test_plain_groups_join_the_run),
        cmocka_unit_test(test_lead_bounds_the_bytes_before_the_literal),
        cmocka_unit_test(test_optional_parts_give_nothing),
        cmocka_unit_test(test_unknown_constructs_give_nothing),
        cmocka_unit_test(test_prefixes_of_anchored_patterns),
        cmocka_unit_test(test_filter_never_hides_a_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
