/* Unit tests: cleaner/block_features.c, what the block model sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_features.h"
#include "utf8.h"

#define BODY "The zebra 2024 herd crossed the river at dawn, as it does every year."

/* The features of a block, as the callback hands them out. */
#define NAMES_MAX 512

typedef struct names {
    char   name[NAMES_MAX][CL_FEATURE_MAX + 1];
    size_t len[NAMES_MAX];
    float  value[NAMES_MAX];
    size_t n;
    int    overflow;   /* a name of CL_FEATURE_MAX bytes or more was given */
} names;

static void collect(void *ctx, const char *name, size_t len, float value)
{
    names *l = ctx;
    if (len >= CL_FEATURE_MAX) {
        l->overflow = 1;
        len = CL_FEATURE_MAX;
    }
    assert_true(l->n < NAMES_MAX);
    memcpy(l->name[l->n], name, len);
    l->name[l->n][len] = '\0';
    l->len[l->n] = len;
    l->value[l->n] = value;
    l->n++;
}

static names *features_of(const cl_doc *doc, size_t i)
{
    names *l = calloc(1, sizeof *l);
    assert_non_null(l);
    cl_block_features(doc, i, collect, l);
    return l;
}

static int has(const names *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->len[i] == strlen(name) && memcmp(l->name[i], name, l->len[i]) == 0)
            return 1;
    return 0;
}

static int has_prefix(const names *l, const char *prefix)
{
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->name[i], prefix, strlen(prefix)) == 0)
            return 1;
    return 0;
}

#define assert_has(l, name) \
    do { if (!has((l), (name))) fail_msg("no feature \"%s\"", (name)); } while (0)

/* Every name: short enough, valid UTF-8, no space (a model line is
 * "NAME NUMBER").  NULL, or the first bad name described in why. */
static const char *names_problem(const names *l, char *why, size_t size)
{
    if (l->overflow) {
        snprintf(why, size, "a name of %d bytes or more", CL_FEATURE_MAX);
        return why;
    }
    for (size_t i = 0; i < l->n; i++) {
        const char *bad = l->len[i] == 0 || l->len[i] >= CL_FEATURE_MAX ? "has a bad length"
                          : !cl_utf8_valid(l->name[i], l->len[i])    ? "is not valid UTF-8"
                          : memchr(l->name[i], ' ', l->len[i])        ? "holds a space"
                                                                      : NULL;
        if (bad) {
            snprintf(why, size, "feature \"%s\" (%zu bytes) %s", l->name[i], l->len[i], bad);
            return why;
        }
    }
    return NULL;
}

static void assert_names_well_formed(const names *l)
{
    char why[256];
    if (names_problem(l, why, sizeof why))
        fail_msg("%s", why);
}

static long add(cl_doc *doc, cl_block_kind kind, int level, const char *text)
{
    long k = cl_doc_add_block(doc, kind, level, text, strlen(text), 0);
    assert_true(k >= 0);
    return k;
}

static void set_context(cl_doc *doc, size_t i, const char *ctx)
{
    assert_int_equal(cl_doc_set_block_context(doc, i, ctx, strlen(ctx)), 0);
}

static void test_paragraph_names_its_format_kind_words_and_context(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, CL_BLOCK_HEADING, 1, "Zebras");
    add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);
    set_context(doc, 1, "tag=p in=article c=entry-content");
    cl_block_decide(&doc->blocks[1], CL_KEEP, "html main: article");
    names *l = features_of(doc, 1);
    assert_has(l, "f=html");
    assert_has(l, "H|f=html");
    assert_has(l, "k=paragraph");
    assert_has(l, "H|k=paragraph");
    assert_has(l, "w=13-20");                      /* 14 words */
    assert_has(l, "t0=the");                       /* lower-cased */
    assert_has(l, "t=zebra");
    assert_has(l, "t=0000");                       /* digits as 0 */
    assert_has(l, "b=the_zebra");
    assert_has(l, "tl=year");                      /* its last word, no '.' */
    assert_has(l, "h:tag=p");
    assert_has(l, "h:in=article");
    assert_has(l, "h:c=entry-content");
    assert_has(l, "r=html_main:_article");         /* the reason, spaces as '_' */
    assert_has(l, "d=keep");
    assert_has(l, "pr=none");                      /* the heading before: no reason */
    assert_has(l, "nr=edge");
    assert_false(has(l, "t0=The"));
    assert_false(has(l, "H|t0=the"));              /* words are not format-conjoined */
    assert_false(has(l, "H|h:tag=p"));
    assert_false(has_prefix(l, "kl="));            /* no level for a paragraph */
    assert_names_well_formed(l);
    free(l);
    l = features_of(doc, 0);
    assert_has(l, "k=heading");
    assert_has(l, "kl=heading/1");
    assert_has(l, "t0=zebras");
    assert_has(l, "pr=edge");
    assert_false(has_prefix(l, "h:"));             /* no context given */
    assert_names_well_formed(l);
    free(l);
    cl_doc_free(doc);
}

static void test_first_word_lowercased_digits_as_zero_punctuation_dropped(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "\"Route66,\" she said.");
    names *l = features_of(doc, 0);
    assert_has(l, "t0=route00");
    assert_has(l, "T|k=paragraph");
    assert_has(l, "f=text");
    assert_names_well_formed(l);
    free(l);
    cl_doc_free(doc);
}

static void test_each_format_conjoins_its_letter(void **state)
{
    (void)state;
    static const struct { cl_format f; const char *name; } want[] = {
        { CL_FORMAT_TEXT, "T|f=text" },
        { CL_FORMAT_MARKDOWN, "M|f=markdown" },
        { CL_FORMAT_HTML, "H|f=html" },
    };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        cl_doc *doc = cl_doc_new(want[k].f);
        add(doc, CL_BLOCK_LIST_ITEM, 2, "an item");
        names *l = features_of(doc, 0);
        assert_has(l, want[k].name);
        assert_has(l, "kl=list-item/2");
        free(l);
        cl_doc_free(doc);
    }
}

static void test_same_block_gives_the_same_names_twice(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "Home | News | Sport");
    add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "日本語の文章です。");
    set_context(doc, 1, "tag=p in=main");
    cl_block_decide(&doc->blocks[0], CL_DROP, "html chrome: nav");
    for (size_t i = 0; i < doc->nblocks; i++) {
        names *a = features_of(doc, i), *b = features_of(doc, i);
        assert_true(a->n > 10);
        assert_int_equal(a->n, b->n);
        for (size_t k = 0; k < a->n; k++) {
            assert_int_equal(a->len[k], b->len[k]);
            assert_memory_equal(a->name[k], b->name[k], a->len[k]);
            assert_true(a->value[k] == b->value[k]);
        }
        free(a);
        free(b);
    }
    cl_doc_free(doc);
}

static void test_unspaced_word_gives_character_pairs(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, "日本語の文章");
    add(doc, CL_BLOCK_PARAGRAPH, 0, "zebras and more");
    names *l = features_of(doc, 0);
    assert_has(l, "t0=日本語の文章");
    assert_has(l, "c=日本");
    assert_has(l, "c=本語");
    assert_has(l, "c=語の");
    assert_has(l, "c=の文");
    assert_has(l, "c=文章");
    assert_names_well_formed(l);
    free(l);
    l = features_of(doc, 1);
    assert_false(has_prefix(l, "c="));             /* a spaced script has none */
    free(l);
    cl_doc_free(doc);
}

/* Long words are cut at a character boundary, wherever their first
 * multi-byte character falls. */
static void test_long_words_cut_without_splitting_a_character(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "a\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 then a long last word "
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9x",
        "日本語の文章です日本語の文章です日本語の文章です",  /* 72 bytes, one word */
        "x日本語の文章です日本語の文章です",                   /* a cut inside a character */
        "xy😀😀😀😀😀😀😀😀 middle 😀😀😀😀😀😀😀😀😀😀",
    };
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        cl_doc *doc = cl_doc_new(CL_FORMAT_MARKDOWN);
        add(doc, CL_BLOCK_PARAGRAPH, 0, texts[k]);
        names *l = features_of(doc, 0);
        char why[256];
        const char *bad = has_prefix(l, "t0=") ? names_problem(l, why, sizeof why) : "no t0=";
        free(l);                                  /* before failing: no leak */
        cl_doc_free(doc);
        if (bad)
            fail_msg("text %zu: %s", k, bad);
    }
}

/* A context word is a reader's (an HTML class name can be any length, in
 * any script): its feature is cut like a word of the text. */
static void test_long_context_word_cut_without_splitting_a_character(void **state)
{
    (void)state;
    char ctx[400] = "c=";
    for (int i = 0; i < 40; i++)
        strcat(ctx, "文");                          /* 2 + 120 bytes */
    strcat(ctx, " tag=p ");
    for (int i = 0; i < 60; i++)
        strcat(ctx, "é");
    for (cl_format f = CL_FORMAT_TEXT; f < CL_FORMAT_COUNT; f++) {
        cl_doc *doc = cl_doc_new(f);
        add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);
        set_context(doc, 0, ctx);
        cl_block_decide(&doc->blocks[0], CL_KEEP, "some reason");
        names *l = features_of(doc, 0);
        char why[256];
        const char *bad = has(l, "h:tag=p") && has_prefix(l, "h:c=文文文")
                              ? names_problem(l, why, sizeof why) : "context words missing";
        free(l);                                  /* before failing: no leak */
        cl_doc_free(doc);
        if (bad)
            fail_msg("%s: %s", cl_format_name(f), bad);
    }
}

/* ---- the second stage ---------------------------------------------------- */

static int value_of(const names *l, const char *name, float *v)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->len[i] == strlen(name) && memcmp(l->name[i], name, l->len[i]) == 0) {
            *v = l->value[i];
            return 1;
        }
    return 0;
}

static void assert_value(const names *l, const char *name, double want)
{
    float v = 0;
    if (!value_of(l, name, &v))
        fail_msg("no feature \"%s\"", name);
    if (v < want - 1e-4 || v > want + 1e-4)
        fail_msg("feature \"%s\" is %g, want %g", name, v, want);
}

static names *stage2_of(const cl_doc *doc, size_t i, const float *p)
{
    cl_stage2_doc d;
    cl_block_stage2_prepare(doc, p, 0.5, &d);
    names *l = calloc(1, sizeof *l);
    assert_non_null(l);
    cl_block_stage2_features(doc, i, p, &d, collect, l);
    return l;
}

static void test_stage2_features_are_the_neighbours_probabilities(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    for (int i = 0; i < 5; i++)
        add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);      /* 14 words each */
    cl_block_decide(&doc->blocks[2], CL_DROP, "menu");
    const float p[5] = { 0.9f, 0.2f, 0.8f, 0.7f, 0.1f };
    names *l = stage2_of(doc, 2, p);
    assert_value(l, "2:bias", 1);
    assert_value(l, "2:H|bias", 1);
    assert_value(l, "2:logit", 1.3862944);        /* log(0.8 / 0.2) */
    assert_value(l, "2:prev", 0.2);
    assert_value(l, "2:H|prev", 0.2);
    assert_value(l, "2:next", 0.7);
    assert_value(l, "2:prev2", 0.9);
    assert_value(l, "2:next2", 0.1);
    assert_value(l, "2:win", (0.9 + 0.2 + 0.7 + 0.1) / 4);   /* words alike */
    assert_value(l, "2:doc", (0.9 + 0.2 + 0.8 + 0.7 + 0.1) / 5);
    assert_value(l, "2:between", 1);              /* kept body at 0 and 3 */
    assert_false(has(l, "2:proposed"));           /* proposed dropped */
    assert_false(has(l, "2:prev-edge"));
    assert_names_well_formed(l);
    free(l);
    l = stage2_of(doc, 0, p);
    assert_value(l, "2:prev-edge", 1);
    assert_false(has(l, "2:prev"));
    assert_false(has(l, "2:prev2"));
    assert_value(l, "2:proposed", 1);
    assert_false(has(l, "2:between"));            /* no kept body before it */
    assert_value(l, "2:logit", 2.1972246);        /* log(0.9 / 0.1) */
    free(l);
    l = stage2_of(doc, 4, p);
    assert_value(l, "2:next-edge", 1);
    assert_false(has(l, "2:next"));
    free(l);
    cl_doc_free(doc);
}

static void test_stage2_logit_is_clamped(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);
    add(doc, CL_BLOCK_PARAGRAPH, 0, BODY);
    const float p[2] = { 1.0f, 0.0f };
    names *l = stage2_of(doc, 0, p);
    assert_value(l, "2:logit", 8);
    assert_value(l, "2:T|logit", 8);
    free(l);
    l = stage2_of(doc, 1, p);
    assert_value(l, "2:logit", -8);
    free(l);
    cl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paragraph_names_its_format_kind_words_and_context),
        cmocka_unit_test(test_first_word_lowercased_digits_as_zero_punctuation_dropped),
        cmocka_unit_test(test_each_format_conjoins_its_letter),
        cmocka_unit_test(test_same_block_gives_the_same_names_twice),
        cmocka_unit_test(test_unspaced_word_gives_character_pairs),
        cmocka_unit_test(test_long_words_cut_without_splitting_a_character),
        cmocka_unit_test(test_long_context_word_cut_without_splitting_a_character),
        cmocka_unit_test(test_stage2_features_are_the_neighbours_probabilities),
        cmocka_unit_test(test_stage2_logit_is_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
