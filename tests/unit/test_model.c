/* Unit tests: cleaner/model.c, the block model's text file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define HEADER "cleaner-block-model 1\n"

static cl_model *load(const char *text, cl_error *err)
{
    memset(err, 0, sizeof *err);
    return cl_model_load("blocks.model", text, strlen(text), err);
}

/* Loads a text the test expects to be refused, with `want` in the error. */
static void assert_refused(const char *text, const char *want)
{
    cl_error err;
    cl_model *m = load(text, &err);
    if (m || !strstr(err.msg, want))
        fail_msg("model \"%s\": got %s, error \"%s\", want one with \"%s\"", text,
                 m ? "a model" : "NULL", err.msg, want);
    cl_model_free(m);
}

static float weight(const cl_model *m, const char *name)
{
    return cl_model_weight(m, cl_model_key(name, strlen(name)));
}

static void test_minimal_file_parses_with_defaults(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER, &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 0);
    assert_int_equal(cl_model_stages(m), 1);
    assert_true(cl_model_bias(m) == 0.0);
    for (int f = 0; f < CL_FORMAT_COUNT; f++) {
        assert_true(cl_model_keep_threshold(m, (cl_format)f) == 0.5);
        assert_true(cl_model_drop_threshold(m, (cl_format)f) == 0.5);
    }
    cl_model_free(m);
}

static void test_weights_and_bias_are_read(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "bias -1.25\nw=3 0.4172\nt0=zebra\t-2e1\nH|k=paragraph 3\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 3);     /* bias is no weight */
    assert_true(cl_model_bias(m) == -1.25);
    assert_float_equal(weight(m, "w=3"), 0.4172f, 1e-6);
    assert_float_equal(weight(m, "t0=zebra"), -20.0f, 0);
    assert_float_equal(weight(m, "H|k=paragraph"), 3.0f, 0);
    cl_model_free(m);
}

static void test_unknown_feature_weighs_zero(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "w=3 0.5\n", &err);
    assert_non_null(m);
    assert_true(weight(m, "w=4") == 0.0f);
    assert_true(weight(m, "w=") == 0.0f);
    assert_true(weight(m, "w=3 ") == 0.0f);     /* the bytes, not a prefix */
    assert_true(weight(m, "") == 0.0f);
    cl_model_free(m);
}

static void test_key_depends_on_the_bytes_only(void **state)
{
    (void)state;
    char a[] = "t0=zebra", b[] = "t0=zebraXX";
    assert_true(cl_model_key(a, 8) == cl_model_key(b, 8));   /* len bytes, not the NUL */
    assert_true(cl_model_key(a, 8) != cl_model_key(b, 10));
    assert_true(cl_model_key("a", 1) != cl_model_key("b", 1));
    assert_true(cl_model_key("", 0) != 0);
    assert_true(cl_model_key("a", 1) != 0);
}

static void test_later_weight_of_a_name_replaces_the_earlier(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "x 1\nx 2\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 1);
    assert_float_equal(weight(m, "x"), 2.0f, 0);
    cl_model_free(m);
}

/* More weights than the first table holds: every one survives the growth. */
static void test_many_weights_all_found(void **state)
{
    (void)state;
    enum { N = 5000 };
    char *text = malloc(N * 32 + sizeof HEADER);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "%s", HEADER);
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(text + n, "t=w%d %d\n", i, i + 1);
    cl_error err;
    cl_model *m = cl_model_load("big.model", text, n, &err);
    free(text);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), N);
    char name[32];
    for (int i = 0; i < N; i++) {
        sprintf(name, "t=w%d", i);
        assert_float_equal(weight(m, name), (float)(i + 1), 0);
    }
    assert_true(weight(m, "t=w5000") == 0.0f);
    cl_model_free(m);
}

static void test_comments_and_blank_lines_ignored(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load("# the block model\n\n   \n\t# indented comment\n" HEADER
                       "# a comment 5\n\nbias 1\n   \n# w=3 7\nw=4 2\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 1);
    assert_true(cl_model_bias(m) == 1.0);
    assert_true(weight(m, "w=3") == 0.0f);
    assert_true(weight(m, "# w=3") == 0.0f);
    assert_float_equal(weight(m, "w=4"), 2.0f, 0);
    cl_model_free(m);
}

static void test_crlf_line_endings_accepted(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load("cleaner-block-model 1\r\n\r\n# c\r\nthreshold 0.25\r\nbias 0.5\r\n"
                       "w=3 1.5\r\n", &err);
    assert_non_null(m);
    assert_true(cl_model_bias(m) == 0.5);
    assert_true(cl_model_keep_threshold(m, CL_FORMAT_HTML) == 0.25);
    assert_float_equal(weight(m, "w=3"), 1.5f, 0);
    assert_true(weight(m, "w=3\r") == 0.0f);
    cl_model_free(m);
}

static void test_last_line_needs_no_newline(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "w=3 1.5", &err);
    assert_non_null(m);
    assert_float_equal(weight(m, "w=3"), 1.5f, 0);
    cl_model_free(m);
    /* Only len bytes are read: a weight past them is not. */
    const char text[] = HEADER "w=3 1.5\nw=4 2";
    m = cl_model_load("cut.model", text, sizeof HEADER - 1 + 8, &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 1);
    assert_true(weight(m, "w=4") == 0.0f);
    cl_model_free(m);
}

static void test_version_line_is_required_first(void **state)
{
    (void)state;
    assert_refused("bias 1\n", "blocks.model:1:");
    assert_refused("# comment\n\nbias 1\n" HEADER, "blocks.model:3:");
    assert_refused("cleaner-block-model 2\nbias 1\n", "blocks.model:1:");
    assert_refused("cleaner-block-model\n", "blocks.model:1:");
    assert_refused("", "blocks.model");
    assert_refused("# only a comment\n\n", "blocks.model");
}

static void test_line_that_is_not_name_number_refused_with_line(void **state)
{
    (void)state;
    assert_refused(HEADER "bias 1\nw=3 heavy\n", "blocks.model:3:");
    assert_refused(HEADER "w=3\n", "blocks.model:2:");
    assert_refused(HEADER "w=3 1.5x\n", "blocks.model:2:");
    assert_refused(HEADER "w=3 \n", "blocks.model:2:");
    assert_refused(HEADER "\n\n 0.5\n", "blocks.model:4:");
}

static void test_weight_that_is_not_finite_refused(void **state)
{
    (void)state;
    assert_refused(HEADER "w=3 nan\n", "blocks.model:2:");
    assert_refused(HEADER "w=3 inf\n", "blocks.model:2:");
    assert_refused(HEADER "w=3 -infinity\n", "blocks.model:2:");
    assert_refused(HEADER "w=3 1e999\n", "blocks.model:2:");
    assert_refused(HEADER "bias nan\n", "blocks.model:2:");
}

static void test_threshold_outside_zero_one_refused(void **state)
{
    (void)state;
    assert_refused(HEADER "bias 0\nkeep_threshold 1.5\n", "blocks.model:3:");
    assert_refused(HEADER "drop_threshold -0.1\n", "blocks.model:2:");
    assert_refused(HEADER "drop_threshold.html 1.01\n", "blocks.model:2:");
}

/* 0 and 1 are the ends of the range: the model never drops, never keeps. */
static void test_threshold_ends_turn_the_model_off_for_a_format(void **state)
{
    (void)state;
    cl_error err = { { 0 } };
    const char *text = HEADER "drop_threshold.html 0\nkeep_threshold.html 1\n"
                       "keep_threshold.text 1\n";
    cl_model *m = cl_model_load("blocks.model", text, strlen(text), &err);
    assert_non_null(m);
    assert_false(cl_model_decides(m, CL_FORMAT_HTML));
    assert_true(cl_model_decides(m, CL_FORMAT_TEXT));      /* it may still drop */
    assert_true(cl_model_decides(m, CL_FORMAT_MARKDOWN));
    cl_model_free(m);
}

static void test_threshold_for_unknown_format_refused(void **state)
{
    (void)state;
    assert_refused(HEADER "keep_threshold.pdf 0.5\n", "blocks.model:2:");
    assert_refused(HEADER "\ndrop_threshold.htm 0.5\n", "blocks.model:3:");
    assert_refused(HEADER "threshold. 0.5\n", "blocks.model:2:");
    assert_refused(HEADER "threshold.HTML 0.5\n", "blocks.model:2:");
}

static void test_threshold_sets_both_for_every_format(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "threshold 0.3\n", &err);
    assert_non_null(m);
    for (int f = 0; f < CL_FORMAT_COUNT; f++) {
        assert_true(cl_model_keep_threshold(m, (cl_format)f) == 0.3);
        assert_true(cl_model_drop_threshold(m, (cl_format)f) == 0.3);
    }
    assert_int_equal(cl_model_count(m), 0);     /* a setting, not a weight */
    cl_model_free(m);
}

static void test_keep_and_drop_thresholds_set_one_side(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "keep_threshold 0.7\ndrop_threshold 0.2\n", &err);
    assert_non_null(m);
    for (int f = 0; f < CL_FORMAT_COUNT; f++) {
        assert_true(cl_model_keep_threshold(m, (cl_format)f) == 0.7);
        assert_true(cl_model_drop_threshold(m, (cl_format)f) == 0.2);
    }
    cl_model_free(m);
}

static void test_format_threshold_sets_that_format_only(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "threshold 0.4\nkeep_threshold.text 0.8\n"
                       "drop_threshold.markdown 0.1\nthreshold.html 0.6\n", &err);
    assert_non_null(m);
    assert_true(cl_model_keep_threshold(m, CL_FORMAT_TEXT) == 0.8);
    assert_true(cl_model_drop_threshold(m, CL_FORMAT_TEXT) == 0.4);
    assert_true(cl_model_keep_threshold(m, CL_FORMAT_MARKDOWN) == 0.4);
    assert_true(cl_model_drop_threshold(m, CL_FORMAT_MARKDOWN) == 0.1);
    assert_true(cl_model_keep_threshold(m, CL_FORMAT_HTML) == 0.6);
    assert_true(cl_model_drop_threshold(m, CL_FORMAT_HTML) == 0.6);
    assert_int_equal(cl_model_count(m), 0);
    cl_model_free(m);
}

/* A name that only starts like a setting is a feature's weight. */
static void test_name_like_a_setting_is_a_weight(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "thresholds 7\nbias2 3\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_count(m), 2);
    assert_float_equal(weight(m, "thresholds"), 7.0f, 0);
    assert_float_equal(weight(m, "bias2"), 3.0f, 0);
    assert_true(cl_model_bias(m) == 0.0);
    assert_true(cl_model_keep_threshold(m, CL_FORMAT_TEXT) == 0.5);
    cl_model_free(m);
}

static void test_two_stages_only_with_a_second_stage_weight(void **state)
{
    (void)state;
    cl_error err;
    cl_model *m = load(HEADER "bias 1\nw=3 1\n2 1\n2x 1\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_stages(m), 1);
    cl_model_free(m);
    m = load(HEADER "w=3 1\n# 2:bias 1\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_stages(m), 1);
    cl_model_free(m);
    m = load(HEADER "w=3 1\n2:prev 2.5\n2:bias -1\n", &err);
    assert_non_null(m);
    assert_int_equal(cl_model_stages(m), 2);
    assert_float_equal(weight(m, "2:prev"), 2.5f, 0);
    assert_float_equal(weight(m, "2:bias"), -1.0f, 0);
    assert_true(cl_model_bias(m) == 0.0);       /* "2:bias" is the second stage's */
    cl_model_free(m);
}

static void test_free_null_is_harmless(void **state)
{
    (void)state;
    cl_model_free(NULL);
    assert_null(cl_model_load("x", HEADER "w 1 2 x\n", sizeof HEADER + 7, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_file_parses_with_defaults),
        cmocka_unit_test(test_weights_and_bias_are_read),
        cmocka_unit_test(test_unknown_feature_weighs_zero),
        cmocka_unit_test(test_key_depends_on_the_bytes_only),
        cmocka_unit_test(test_later_weight_of_a_name_replaces_the_earlier),
        cmocka_unit_test(test_many_weights_all_found),
        cmocka_unit_test(test_comments_and_blank_lines_ignored),
        cmocka_unit_test(test_crlf_line_endings_accepted),
        cmocka_unit_test(test_last_line_needs_no_newline),
        cmocka_unit_test(test_version_line_is_required_first),
        cmocka_unit_test(test_line_that_is_not_name_number_refused_with_line),
        cmocka_unit_test(test_weight_that_is_not_finite_refused),
        cmocka_unit_test(test_threshold_outside_zero_one_refused),
        cmocka_unit_test(test_threshold_ends_turn_the_model_off_for_a_format),
        cmocka_unit_test(test_threshold_for_unknown_format_refused),
        cmocka_unit_test(test_threshold_sets_both_for_every_format),
        cmocka_unit_test(test_keep_and_drop_thresholds_set_one_side),
        cmocka_unit_test(test_format_threshold_sets_that_format_only),
        cmocka_unit_test(test_name_like_a_setting_is_a_weight),
        cmocka_unit_test(test_two_stages_only_with_a_second_stage_weight),
        cmocka_unit_test(test_free_null_is_harmless),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
