/* Unit tests: cleaner/decide.c, where the block model settles each block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"

/* A block starting with "zebra" scores 0.993, one starting with "gnu"
 * 0.007, any other 0.5: between the thresholds. */
#define ZEBRA_MODEL \
    "cleaner-block-model 1\n" \
    "keep_threshold 0.7\n" \
    "drop_threshold 0.3\n" \
    "bias 0\n" \
    "t0=zebra 5\n" \
    "t0=gnu -5\n"

#define ZEBRA "Zebra herds crossed the river at dawn, as they do every year."
#define GNU   "Gnu migration maps and photos, all in one place."
#define OKAPI "Okapi sightings were reported twice in the same week."

static cl_model *model_of(const char *text)
{
    cl_error err = { { 0 } };
    cl_model *m = cl_model_load("test.model", text, strlen(text), &err);
    if (!m)
        fail_msg("model refused: %s", err.msg);
    return m;
}

/* Appends a block proposed kept ('k') or dropped ('d'), with the reason
 * "proposed keep" or "proposed drop". */
static void add(cl_doc *doc, const char *text, char proposal)
{
    long k = cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, text, strlen(text), 0);
    assert_true(k >= 0);
    cl_block_decide(&doc->blocks[k], proposal == 'k' ? CL_KEEP : CL_DROP,
                    proposal == 'k' ? "proposed keep" : "proposed drop");
}

/* What a matched rule leaves on a block (rules.c). */
static void add_ruled(cl_doc *doc, const char *text, cl_decision d)
{
    long k = cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, text, strlen(text), 0);
    assert_true(k >= 0);
    cl_block_decide(&doc->blocks[k], d, "rule promo");
    doc->blocks[k].flags |= CL_BLOCK_FINAL;
}

static void decide_with(cl_doc *doc, const char *model_text)
{
    cl_model *m = model_of(model_text);
    cl_decide(doc, m);
    cl_model_free(m);
}

static void assert_decision(const cl_doc *doc, size_t i, cl_decision want)
{
    if (doc->blocks[i].decision != want)
        fail_msg("block %zu \"%.20s\": %s (%s), want %s", i, doc->blocks[i].text,
                 doc->blocks[i].decision == CL_KEEP ? "kept" : "dropped", doc->blocks[i].reason,
                 want == CL_KEEP ? "kept" : "dropped");
}

static int by_model(const cl_block *b)
{
    return strncmp(b->reason, "model ", 6) == 0;
}

static void test_proposed_drop_kept_above_keep_threshold(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');
    add(doc, OKAPI, 'd');
    add(doc, OKAPI, 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_KEEP);
    assert_decision(doc, 1, CL_DROP);     /* 0.5: under keep_threshold 0.7 */
    cl_doc_free(doc);
}

static void test_proposed_drop_kept_at_exactly_keep_threshold(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, OKAPI, 'd');                 /* no weight: probability 0.5 */
    add(doc, ZEBRA, 'k');
    decide_with(doc, "cleaner-block-model 1\nkeep_threshold 0.5\ndrop_threshold 0.1\n"
                     "t0=zebra 5\n");
    assert_decision(doc, 0, CL_KEEP);
    cl_doc_free(doc);
}

static void test_proposed_keep_dropped_below_drop_threshold(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, GNU, 'k');
    add(doc, OKAPI, 'k');
    add(doc, ZEBRA, 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_KEEP);     /* 0.5: not under drop_threshold 0.3 */
    assert_decision(doc, 2, CL_KEEP);
    cl_doc_free(doc);
}

/* At drop_threshold a proposed keep stands; a hair under, it goes. */
static void test_proposed_keep_stands_at_exactly_drop_threshold(void **state)
{
    (void)state;
    static const char *const models[] = {
        "cleaner-block-model 1\nkeep_threshold 0.9\ndrop_threshold 0.5\nt0=zebra 5\n",
        "cleaner-block-model 1\nkeep_threshold 0.9\ndrop_threshold 0.5\nt0=zebra 5\n"
        "bias -0.01\n",
    };
    for (int k = 0; k < 2; k++) {
        cl_doc *doc = cl_doc_new(CL_FORMAT_MARKDOWN);
        add(doc, OKAPI, 'k');
        add(doc, ZEBRA, 'k');
        decide_with(doc, models[k]);
        assert_decision(doc, 0, k == 0 ? CL_KEEP : CL_DROP);
        assert_decision(doc, 1, CL_KEEP);
        cl_doc_free(doc);
    }
}

/* Asymmetry: a probability between drop_threshold and keep_threshold
 * changes no proposal, whichever it was. */
static void test_probability_between_thresholds_keeps_the_proposal(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, OKAPI, 'k');
    add(doc, OKAPI, 'd');
    add(doc, "Another okapi sentence, scored 0.5 as well.", 'd');
    add(doc, "Another okapi sentence, scored 0.5 as well.", 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_KEEP);
    assert_decision(doc, 1, CL_DROP);
    assert_decision(doc, 2, CL_DROP);
    assert_decision(doc, 3, CL_KEEP);
    cl_doc_free(doc);
}

static void test_thresholds_are_the_documents_formats(void **state)
{
    (void)state;
    /* sigmoid(1) = 0.73: over the text threshold, under the html one. */
    const char *model = "cleaner-block-model 1\nkeep_threshold 0.6\n"
                        "keep_threshold.html 0.9\nt0=zebra 1\n";
    for (cl_format f = CL_FORMAT_TEXT; f < CL_FORMAT_COUNT; f++) {
        cl_doc *doc = cl_doc_new(f);
        add(doc, ZEBRA, 'd');
        add(doc, OKAPI, 'k');
        decide_with(doc, model);
        assert_decision(doc, 0, f == CL_FORMAT_HTML ? CL_DROP : CL_KEEP);
        cl_doc_free(doc);
    }
}

/* keep_threshold 1: however sure the model is, a dropped block stays
 * dropped; with drop_threshold 0 too, the format is left alone. */
static void test_threshold_ends_leave_the_proposals(void **state)
{
    (void)state;
    const char *never_keep = "cleaner-block-model 1\nkeep_threshold 1\ndrop_threshold 0.3\n"
                             "t0=zebra 40\nt0=gnu -5\n";
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, ZEBRA, 'd');
    add(doc, GNU, 'k');
    add(doc, OKAPI, 'k');
    decide_with(doc, never_keep);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_DROP);  /* it may still drop */
    cl_doc_free(doc);

    const char *off = "cleaner-block-model 1\ndrop_threshold.html 0\nkeep_threshold.html 1\n"
                      "t0=zebra 40\nt0=gnu -40\n";
    doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');
    add(doc, GNU, 'k');
    decide_with(doc, off);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_KEEP);
    assert_string_equal(doc->blocks[0].reason, "proposed drop");
    assert_string_equal(doc->blocks[1].reason, "proposed keep");
    cl_doc_free(doc);
}

static void test_rule_decided_block_never_rescored(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add_ruled(doc, ZEBRA, CL_DROP);       /* the model would keep it */
    add_ruled(doc, GNU, CL_KEEP);         /* the model would drop it */
    add(doc, OKAPI, 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_DROP);
    assert_string_equal(doc->blocks[0].reason, "rule promo");
    assert_decision(doc, 1, CL_KEEP);
    assert_string_equal(doc->blocks[1].reason, "rule promo");
    assert_true(doc->blocks[0].flags & CL_BLOCK_FINAL);
    assert_true(cl_decide_is_final(&doc->blocks[0]));
    assert_false(cl_decide_is_final(&doc->blocks[2]));
    cl_doc_free(doc);
}

static void test_title_block_never_rescored(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, "Zebra Herds Cross the River", 'k');
    cl_block_decide(&doc->blocks[0], CL_DROP, "title");   /* as classify.c promotes it */
    add(doc, GNU, 'k');
    add(doc, OKAPI, 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_DROP);
    assert_string_equal(doc->blocks[0].reason, "title");
    assert_true(cl_decide_is_final(&doc->blocks[0]));
    assert_decision(doc, 1, CL_DROP);     /* the others are the model's */
    cl_doc_free(doc);
}

static void test_model_keeping_nothing_leaves_the_proposals(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, GNU, 'k');
    add(doc, "Gnu facts: they run, they graze, they cross the river.", 'k');
    add(doc, "Gnu calves stand within minutes of birth.", 'd');
    add_ruled(doc, ZEBRA, CL_DROP);
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_KEEP);
    assert_decision(doc, 1, CL_KEEP);
    assert_decision(doc, 2, CL_DROP);
    assert_string_equal(doc->blocks[0].reason, "proposed keep");
    assert_string_equal(doc->blocks[1].reason, "proposed keep");
    assert_string_equal(doc->blocks[2].reason, "proposed drop");
    cl_doc_free(doc);
}

/* The fallback is for losing the article only: one block the model keeps
 * lets it drop the others. */
static void test_model_keeping_some_text_overrides_the_proposals(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, GNU, 'k');
    add(doc, "Gnu facts: they run, they graze, they cross the river.", 'k');
    add(doc, ZEBRA, 'd');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_DROP);
    assert_decision(doc, 2, CL_KEEP);
    cl_doc_free(doc);
}

/* Nothing proposed, nothing kept: no article was there to lose. */
static void test_model_decides_when_the_proposals_kept_nothing(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    add(doc, GNU, 'd');
    add(doc, OKAPI, 'd');
    decide_with(doc, ZEBRA_MODEL);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_DROP);
    assert_true(by_model(&doc->blocks[0]));
    assert_true(by_model(&doc->blocks[1]));
    cl_doc_free(doc);
}

static void test_null_model_changes_nothing(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');
    add(doc, GNU, 'k');
    cl_decide(doc, NULL);
    assert_decision(doc, 0, CL_DROP);
    assert_decision(doc, 1, CL_KEEP);
    assert_string_equal(doc->blocks[0].reason, "proposed drop");
    assert_string_equal(doc->blocks[1].reason, "proposed keep");
    cl_doc_free(doc);
    doc = cl_doc_new(CL_FORMAT_HTML);     /* and no block is no work */
    decide_with(doc, ZEBRA_MODEL);
    assert_int_equal(doc->nblocks, 0);
    cl_doc_free(doc);
}

static void test_decided_reason_is_model_probability_and_proposal(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');
    add(doc, GNU, 'k');
    add(doc, OKAPI, 'k');
    decide_with(doc, ZEBRA_MODEL);
    assert_string_equal(doc->blocks[0].reason, "model 0.99: proposed drop");
    assert_string_equal(doc->blocks[1].reason, "model 0.01: proposed keep");
    assert_string_equal(doc->blocks[2].reason, "model 0.50: proposed keep");
    for (size_t i = 0; i < doc->nblocks; i++)
        assert_true(by_model(&doc->blocks[i]));
    cl_doc_free(doc);
}

/* A block's score reads its neighbours' proposals, not what the model has
 * just decided for them. */
static void test_scores_read_the_proposals_not_the_models_decisions(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');                 /* the model keeps it */
    add(doc, OKAPI, 'd');                 /* 0.5 unless its neighbour was kept */
    add(doc, OKAPI, 'k');
    decide_with(doc, ZEBRA_MODEL "pd=keep 5\n");
    assert_decision(doc, 0, CL_KEEP);
    assert_decision(doc, 1, CL_DROP);
    cl_doc_free(doc);
}

static void test_cl_decide_score_is_the_first_stage_probability(void **state)
{
    (void)state;
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    add(doc, ZEBRA, 'd');
    add(doc, GNU, 'k');
    add(doc, OKAPI, 'k');
    cl_model *m = model_of(ZEBRA_MODEL);
    assert_float_equal(cl_decide_score(doc, 0, m), 1 / (1 + exp(-5.0)), 1e-6);
    assert_float_equal(cl_decide_score(doc, 1, m), 1 / (1 + exp(5.0)), 1e-6);
    assert_float_equal(cl_decide_score(doc, 2, m), 0.5, 1e-9);
    cl_model_free(m);
    cl_doc_free(doc);
}

/* ---- many blocks: past DECIDE_STACK_BLOCKS, on the heap ----------------- */

static const char *const cycle_text[3] = { ZEBRA, GNU, OKAPI };

/* Block i: zebra, gnu or okapi in turn, proposals kept and dropped in runs
 * of three. */
static cl_doc *cycle_doc(size_t n)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    for (size_t i = 0; i < n; i++)
        add(doc, cycle_text[i % 3], (i / 3) % 2 ? 'd' : 'k');
    return doc;
}

static void test_large_document_decides_like_a_small_one(void **state)
{
    (void)state;
    static const size_t sizes[] = { 6, 511, 512, 513, 1500 };
    cl_model *m = model_of(ZEBRA_MODEL);
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        cl_doc *doc = cycle_doc(sizes[s]);
        cl_decide(doc, m);
        for (size_t i = 0; i < doc->nblocks; i++) {
            cl_decision proposed = (i / 3) % 2 ? CL_DROP : CL_KEEP;
            cl_decision want = i % 3 == 0 ? CL_KEEP : i % 3 == 1 ? CL_DROP : proposed;
            assert_decision(doc, i, want);
            assert_true(by_model(&doc->blocks[i]));
        }
        cl_doc_free(doc);
    }
    cl_model_free(m);
}

/* ---- two stages --------------------------------------------------------- */

/* The first stage keeps zebra blocks only (logit +-8 after clamping); the
 * second adds 30 times the previous block's first-stage probability: the
 * block right after a kept one is kept, 2 * -8 + 30 - 10 = 4. */
#define STAGE1 \
    "cleaner-block-model 1\n" \
    "t0=zebra 20\n" \
    "t0=gnu -20\n"
#define STAGE2 \
    "2:bias -10\n" \
    "2:logit 2\n" \
    "2:prev 30\n"

static void test_second_stage_keeps_a_block_for_its_neighbour(void **state)
{
    (void)state;
    for (int stages = 1; stages <= 2; stages++) {
        cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
        add(doc, GNU, 'k');
        add(doc, ZEBRA, 'k');
        add(doc, GNU, 'k');
        add(doc, GNU, 'k');
        cl_model *m = model_of(stages == 1 ? STAGE1 : STAGE1 STAGE2);
        assert_int_equal(cl_model_stages(m), stages);
        cl_decide(doc, m);
        cl_model_free(m);
        assert_decision(doc, 0, CL_DROP);
        assert_decision(doc, 1, CL_KEEP);
        assert_decision(doc, 2, stages == 2 ? CL_KEEP : CL_DROP);
        assert_decision(doc, 3, CL_DROP);     /* its neighbour's first stage said drop */
        if (stages == 2)
            assert_string_equal(doc->blocks[2].reason, "model 0.98: proposed keep");
        cl_doc_free(doc);
    }
}

/* In the second stage a rule's block counts as its decision: 1 when kept. */
static void test_second_stage_reads_a_final_block_as_its_decision(void **state)
{
    (void)state;
    for (int ruled = 0; ruled <= 1; ruled++) {
        cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
        add(doc, ZEBRA, 'k');
        add_ruled(doc, GNU, ruled ? CL_KEEP : CL_DROP);
        add(doc, GNU, 'k');
        decide_with(doc, STAGE1 STAGE2);
        assert_decision(doc, 1, ruled ? CL_KEEP : CL_DROP);
        assert_decision(doc, 2, ruled ? CL_KEEP : CL_DROP);
        cl_doc_free(doc);
    }
}

static void test_second_stage_on_a_large_document(void **state)
{
    (void)state;
    cl_model *m = model_of(STAGE1 STAGE2);
    cl_doc *doc = cl_doc_new(CL_FORMAT_HTML);
    for (size_t i = 0; i < 1200; i++)
        add(doc, i % 100 == 50 ? ZEBRA : GNU, 'k');
    cl_decide(doc, m);
    for (size_t i = 0; i < doc->nblocks; i++)
        assert_decision(doc, i, i % 100 == 50 || i % 100 == 51 ? CL_KEEP : CL_DROP);
    cl_doc_free(doc);
    cl_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proposed_drop_kept_above_keep_threshold),
        cmocka_unit_test(test_proposed_drop_kept_at_exactly_keep_threshold),
        cmocka_unit_test(test_proposed_keep_dropped_below_drop_threshold),
        cmocka_unit_test(test_proposed_keep_stands_at_exactly_drop_threshold),
        cmocka_unit_test(test_probability_between_thresholds_keeps_the_proposal),
        cmocka_unit_test(test_thresholds_are_the_documents_formats),
        cmocka_unit_test(test_rule_decided_block_never_rescored),
        cmocka_unit_test(test_title_block_never_rescored),
        cmocka_unit_test(test_model_keeping_nothing_leaves_the_proposals),
        cmocka_unit_test(test_model_keeping_some_text_overrides_the_proposals),
        cmocka_unit_test(test_model_decides_when_the_proposals_kept_nothing),
        cmocka_unit_test(test_threshold_ends_leave_the_proposals),
        cmocka_unit_test(test_null_model_changes_nothing),
        cmocka_unit_test(test_decided_reason_is_model_probability_and_proposal),
        cmocka_unit_test(test_scores_read_the_proposals_not_the_models_decisions),
        cmocka_unit_test(test_cl_decide_score_is_the_first_stage_probability),
        cmocka_unit_test(test_large_document_decides_like_a_small_one),
        cmocka_unit_test(test_second_stage_keeps_a_block_for_its_neighbour),
        cmocka_unit_test(test_second_stage_reads_a_final_block_as_its_decision),
        cmocka_unit_test(test_second_stage_on_a_large_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
