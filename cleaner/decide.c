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

/* "model 0.87: PROPOSED REASON" ("model 0.87" when the proposal gave
 * none), cut to size; a printf a block showed in the profile. */
static void model_reason(char *out, size_t size, float p, const char *proposed)
{
    int hundredths = (int)(p * 100.0f + 0.5f);
    char head[] = "model 0.00: ";
    if (hundredths >= 100) {
        head[6] = '1';
    } else {
        head[8] = (char)('0' + hundredths / 10);
        head[9] = (char)('0' + hundredths % 10);
    }
    size_t n = *proposed ? sizeof head - 1 : sizeof head - 3, r = strlen(proposed);
    if (n > size - 1)
        n = size - 1;
    if (r > size - 1 - n)
        r = size - 1 - n;
    memcpy(out, head, n);
    memcpy(out + n, proposed, r);
    out[n + r] = '\0';
}

static void apply(cl_doc *doc, const float *p, const unsigned char *keep)
{
    char reason[CL_REASON_MAX];
    for (size_t i = 0; i < doc->nblocks; i++) {
        cl_block *b = &doc->blocks[i];
        if (cl_decide_is_final(b))
            continue;
        model_reason(reason, sizeof reason, p[i], b->reason);
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

/* The second stage's weights for a document of format f: each feature's
 * own plus its format-conjoined twin's, looked up once a document. */
static void stage2_weights(const cl_model *model, cl_format f, double w[CL_STAGE2_COUNT])
{
    static const char format_letter[] = { 'T', 'M', 'H' };
    char conj[32];
    for (int k = 0; k < CL_STAGE2_COUNT; k++) {
        const char *name = cl_stage2_name(k);
        int n = snprintf(conj, sizeof conj, "2:%c|%s", format_letter[f], name + 2);
        w[k] = cl_model_weight(model, cl_model_key(name, strlen(name))) +
               cl_model_weight(model, cl_model_key(conj, (size_t)n));
    }
}

/* The second stage: each block again, with what the first said of the
 * blocks around it.  p2 gets the final probabilities. */
static void rescore_in_context(const cl_doc *doc, const cl_model *model, const float *p,
                               float *p2)
{
    cl_stage2_doc d;
    double w[CL_STAGE2_COUNT], v[CL_STAGE2_COUNT];
    cl_block_stage2_prepare(doc, p, STAGE1_KEEP, &d);
    stage2_weights(model, doc->format, w);
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (cl_decide_is_final(&doc->blocks[i])) {
            p2[i] = p[i];
            continue;
        }
        cl_block_stage2_values(doc, i, p, &d, v);
        double sum = 0.0;
        for (int k = 0; k < CL_STAGE2_COUNT; k++)
            sum += w[k] * v[k];
        p2[i] = (float)(1.0 / (1.0 + exp(-sum)));
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
