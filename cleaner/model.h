/*
 * model.h - the learned block model: weights of named features.
 *
 * A logistic regression over the features block_features.h names: a block is
 * article text with probability 1 / (1 + exp(-(bias + sum of the weights
 * of its features, each times its value))).  Two thresholds turn it into a
 * decision, for the article's sake: a block the readers, rules and
 * heuristics proposed to drop is kept at or above keep_threshold, and one
 * they proposed to keep is dropped only below drop_threshold, which a
 * trained model sets lower: removing text needs more evidence than keeping
 * it.  A drop_threshold of 0 never drops a kept block, a keep_threshold of
 * 1 never keeps a dropped one; with both, the model does not decide that
 * format at all (and costs nothing there).  The weights are data, trained
 * by `make train` (scripts/train.py) and read from config/model/
 * blocks.model, so a user can retrain on a corpus of their own without
 * recompiling.  The file is
 * text, one setting or weight a line ('#' starts a comment):
 *
 *   cleaner-block-model 1      ; the format's version, the first line
 *   threshold 0.5              ; both thresholds (0.5 unless set)
 *   keep_threshold 0.5         ; or each, for every format,
 *   drop_threshold.text 0.15   ; or for one: .text, .markdown or .html
 *   bias -1.25
 *   w=3 0.4172                 ; FEATURE WEIGHT: features never listed weigh 0
 *
 * Feature names hold no spaces.  A model has one or two stages: names
 * starting with "2:" are the second stage's (block_features.h: the first
 * stage's probabilities of a block and its neighbours), which then gives
 * the probability the threshold applies to; `bias` is the first stage's,
 * "2:bias" the second's.  Ownership: cl_model_load() returns a model
 * the caller frees with cl_model_free(); it is immutable once loaded and may
 * be shared by any number of documents and threads.
 */
#ifndef CLEANER_MODEL_H
#define CLEANER_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "doc.h"
#include "error.h"

typedef struct cl_model cl_model;

/*
 * Parses a model from text[0..len); `source` names it in error messages.
 * NULL on error, with err saying "SOURCE:LINE: cause" (a missing or unknown
 * version line, a line that is not NAME NUMBER, a weight that is not a
 * finite number, a threshold outside [0, 1] or for an unknown format) or
 * "out of memory".
 */
cl_model *cl_model_load(const char *source, const char *text, size_t len, cl_error *err);
void      cl_model_free(cl_model *m);

/* The key a feature name is looked up by: the same for the same bytes. */
uint64_t  cl_model_key(const char *name, size_t len);

/* The weight of the feature whose key cl_model_key() gave, 0 when the
 * model does not list it. */
float     cl_model_weight(const cl_model *m, uint64_t key);

double    cl_model_bias(const cl_model *m);
/* The thresholds for a document of format f (see above). */
double    cl_model_keep_threshold(const cl_model *m, cl_format f);
double    cl_model_drop_threshold(const cl_model *m, cl_format f);

/* 0 when the thresholds for format f leave every proposal as it is. */
int       cl_model_decides(const cl_model *m, cl_format f);
size_t    cl_model_count(const cl_model *m);  /* the weights listed */
int       cl_model_stages(const cl_model *m); /* 2 when "2:" weights are listed */

#endif
