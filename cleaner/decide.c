/*
 * decide.c - the decision module (contract in decide.h).
 */
#include "decide.h"
#include "block_features.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECIDE_STACK_BLOCKS 512

/* What the first stage keeps, for the second stage's features: fixed, so
 * that training computes the same features (scripts/train.py). */
#define STAGE1_KEEP 0.5

typedef struct score_sum {
    const cl_model *model;
    double          sum;
} score_sum;

static void add_weight(void *ctx, const char *name, size_t len, float value)
{
    score_sum *s = ctx;
    s->sum += value * cl_model_weight(s->model, cl_model_key(name, len));
}

double cl_decide_score(const cl_doc *doc, size_t i, const cl_model *model)
{
    score_sum s = { model, cl_model_bias(model) };
    cl_block_features(doc, i, add_weight, &s);
    return 1.0 / (1.0 + exp(-s.sum));
}

int cl_decide_is_final(const cl_block *b)
{
    return (b->flags & CL_BLOCK_FINAL) || strcmp(b->reason, "title") == 0;
}

/* Bytes of text the decisions in `keep` (1 or 0 a block) would keep. */
static size_t kept_bytes(const cl_doc *doc, const unsigned char *keep)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++)
        n += keep[i] ? doc->blocks[i].len : 0;
    return n;
}

static void apply(cl_doc *doc, const float *p, const unsigned char *keep)
{
    char reason[CL_REASON_MAX];
    for (size_t i = 0; i < doc->nblocks; i++) {
        cl_block *b = &doc->blocks[i];
        if (cl_decide_is_final(b))
            continue;
        snprintf(reason, sizeof reason, "model %.2f: %s", p[i], b->reason);
        cl_block_decide(b, keep[i] ? CL_KEEP : CL_DROP, reason);
    }
}

/* The first stage: each block alone.  A final block counts as its
 * decision, for its neighbours' second stage. */
static void score_blocks(const cl_doc *doc, const cl_model *model, float *p)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        if (cl_decide_is_final(b))
            p[i] = b->decision == CL_KEEP ? 1.0f : 0.0f;
        else
            p[i] = (float)cl_decide_score(doc, i, model);
    }
}

/* The second stage: each block again, with what the first said of the
 * blocks around it.  p2 gets the final probabilities. */
static void rescore_in_context(const cl_doc *doc, const cl_model *model, const float *p,
                               float *p2)
{
    cl_stage2_doc d;
    cl_block_stage2_prepare(doc, p, STAGE1_KEEP, &d);
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (cl_decide_is_final(&doc->blocks[i])) {
            p2[i] = p[i];
            continue;
        }
        score_sum s = { model, 0.0 };
        cl_block_stage2_features(doc, i, p, &d, add_weight, &s);
        p2[i] = (float)(1.0 / (1.0 + exp(-s.sum)));
    }
}

void cl_decide(cl_doc *doc, const cl_model *model)
{
    if (!model || doc->nblocks == 0 || !cl_model_decides(model, doc->format))
        return;
    float stack_p[2 * DECIDE_STACK_BLOCKS];
    unsigned char stack_keep[DECIDE_STACK_BLOCKS];
    int heap = doc->nblocks > DECIDE_STACK_BLOCKS;
    float *p = heap ? malloc(2 * doc->nblocks * sizeof *p) : stack_p;
    unsigned char *keep = heap ? malloc(doc->nblocks) : stack_keep;
    if (!p || !keep)
        goto done;
    /* Every score first: a block's features read its neighbours' proposals,
     * which must not be the model's own decisions yet. */
    score_blocks(doc, model, p);
    float *final = p;
    if (cl_model_stages(model) == 2) {
        final = p + doc->nblocks;
        rescore_in_context(doc, model, p, final);
    }
    double keep_at = cl_model_keep_threshold(model, doc->format);
    double drop_below = cl_model_drop_threshold(model, doc->format);
    size_t proposed = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        int kept = b->decision == CL_KEEP;
        proposed += kept ? b->len : 0;
        if (cl_decide_is_final(b))
            keep[i] = kept;
        else if (kept)
            keep[i] = final[i] >= drop_below;
        else
            keep[i] = keep_at < 1 && final[i] >= keep_at;
    }
    if (proposed > 0 && kept_bytes(doc, keep) == 0)
        goto done;  /* the proposals stand: the article is not lost */
    apply(doc, final, keep);
done:
    if (heap) {
        free(p);
        free(keep);
    }
}
