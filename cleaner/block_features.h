/*
 * block_features.h - what the block model (model.h) sees of a block.
 *
 * A block's features are named strings, each with a value (1 for most):
 * its format, kind and heading level; its size, link density and sentence
 * shape as buckets; its position; the verdict and reason the readers, rules
 * and heuristics proposed for it and for its neighbours; its first words
 * and word pairs (lower-cased, digits as 0; characters pairs for scripts
 * written without spaces), its last word; and every word of the context its
 * reader gave it (doc.h: cl_doc_set_block_context), prefixed "h:".  Names
 * are language-independent by construction: no word list is built in.
 *
 * The same function feeds training (scripts/train.py reads the names the
 * features tool prints) and inference (decide.c sums the weights), so the
 * two never disagree.  A name is at most CL_FEATURE_MAX - 1 bytes; longer
 * words are cut.
 */
#ifndef CLEANER_FEATURES_H
#define CLEANER_FEATURES_H

#include <stddef.h>
#include "doc.h"

#define CL_FEATURE_MAX 96

/* Called once per feature of a block; `name` is not NUL-terminated and is
 * valid only during the call. */
typedef void (*cl_feature_fn)(void *ctx, const char *name, size_t len, float value);

/* Calls fn for each feature of block i of doc.  Reads the document only. */
void cl_block_features(const cl_doc *doc, size_t i, cl_feature_fn fn, void *ctx);

/*
 * The second stage's features of block i: what the first stage (the
 * features above, scored by the model) said of it and of the blocks around
 * it, as numbers.  p[j] is the first stage's probability for block j; a
 * block no model scores (a rule's) counts as 1 when kept, else 0.  Names
 * start with "2:": "2:bias" (1), "2:logit" (block i's log-odds, clamped to
 * +-8), "2:prev", "2:next", "2:prev2", "2:next2" (neighbours'
 * probabilities, 0 past an edge, with "2:prev-edge" and "2:next-edge"
 * there), "2:win" (mean probability of the three blocks either side,
 * weighted by words; "2:wide" of ten), "2:doc" (the same over the document),
 * "2:proposed" (1 when the proposal was to keep it), "2:between"
 * (1 when blocks of ten words or more that the first stage keeps lie on
 * both sides), each also conjoined with the format ("2:H|logit"); a
 * feature whose value is 0 weighs nothing and is not emitted.  Linear
 * in the window, constant per block but for "2:doc" and "2:between", which
 * cl_block_stage2_prepare() computes once per document.
 */
typedef struct cl_stage2_doc {
    double doc_mean;       /* words-weighted mean of p over the document */
    size_t first_kept;     /* the first and last block of ten words or more */
    size_t last_kept;      /* that p keeps; first_kept > last_kept: none */
} cl_stage2_doc;

void cl_block_stage2_prepare(const cl_doc *doc, const float *p, double threshold,
                             cl_stage2_doc *out);
void cl_block_stage2_features(const cl_doc *doc, size_t i, const float *p,
                              const cl_stage2_doc *d, cl_feature_fn fn, void *ctx);

/* The same features as numbers, for the decision module's inner loop:
 * v[k] is the value of the feature cl_stage2_name(k) names (0 when absent:
 * it then weighs nothing either way), and each also stands for its
 * format-conjoined twin. */
enum {
    CL_STAGE2_BIAS = 0, CL_STAGE2_LOGIT, CL_STAGE2_PREV, CL_STAGE2_PREV_EDGE, CL_STAGE2_NEXT,
    CL_STAGE2_NEXT_EDGE, CL_STAGE2_PREV2, CL_STAGE2_NEXT2, CL_STAGE2_WIN, CL_STAGE2_WIDE,
    CL_STAGE2_DOC, CL_STAGE2_PROPOSED, CL_STAGE2_BETWEEN, CL_STAGE2_COUNT
};

void cl_block_stage2_values(const cl_doc *doc, size_t i, const float *p, const cl_stage2_doc *d,
                            double v[CL_STAGE2_COUNT]);
const char *cl_stage2_name(int k);  /* "2:bias" ...; NULL out of range */

#endif
