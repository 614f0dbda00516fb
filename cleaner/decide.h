/*
 * decide.h - where each block's keep or drop is settled.
 *
 * The stages before it propose: the readers (the HTML reader's choice of
 * the main container and its chrome boxes), the rules and the classifier's
 * heuristics each leave a decision and a reason on a block, and a reader
 * may give it a context (doc.h).  These are evidence.  cl_decide() turns
 * the evidence into the decision once, for every format: the learned block
 * model (model.h) scores each block from its features (block_features.h),
 * which include the proposals for it and its neighbours; a two-stage model
 * then scores each block again from the first stage's probabilities of it
 * and of the blocks around it (an article is a run of blocks: a short line
 * between two paragraphs of body is body).  The last stage's probability
 * against the model's thresholds for the document's format decides: a block
 * proposed for dropping is kept from keep_threshold up, one proposed for
 * keeping is dropped below drop_threshold (model.h).  Two kinds of proposal are
 * final and never rescored: a matched rule (CL_BLOCK_FINAL: rules are the
 * high-precision exceptions and the site-scoped chrome) and the promotion
 * of a headline to the title.
 *
 * The article is never lost to the model: when the model would keep no
 * text of a document whose proposals kept some, the proposals stand.  Every block the model decides gets the reason
 * "model P: PROPOSED REASON".  Without a model (NULL) the proposals are the
 * decisions.  Linear in the blocks; no allocation for a document of up to
 * DECIDE_STACK_BLOCKS blocks, and on allocation failure beyond that the
 * proposals stand.
 */
#ifndef CLEANER_DECIDE_H
#define CLEANER_DECIDE_H

#include "doc.h"
#include "model.h"

void cl_decide(cl_doc *doc, const cl_model *model);

/* The first stage's probability that block i is article text. */
double cl_decide_score(const cl_doc *doc, size_t i, const cl_model *model);

/* 1 when no model rescores the block: a rule decided it, or it became the
 * title. */
int    cl_decide_is_final(const cl_block *b);

#endif
