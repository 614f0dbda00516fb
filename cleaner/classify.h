/*
 * classify.h - the generic block classifier.
 *
 * Catches the chrome no rule names, from features of each block and its
 * neighbours: word count, link density, sentence punctuation, position
 * relative to the body, kind.  It only turns CL_KEEP into CL_DROP (or the
 * other way for short blocks inside the body); blocks a rule dropped stay
 * dropped.  It also promotes a leading headline to the title when the reader
 * found none.  Every decision writes its reason.
 */
#ifndef CLEANER_CLASSIFY_H
#define CLEANER_CLASSIFY_H

#include "doc.h"

typedef struct cl_classify_options {
    /* A body paragraph: at least this many words, or ends like a sentence. */
    int    body_min_words;
    /* Blocks at least this share link text, and short, are navigation. */
    double max_link_density;
    /* Short unpunctuated lines with at least this many words, between body
     * paragraphs, are interleaved headlines (related articles); shorter ones
     * are taken for subheadings. */
    int    headline_min_words;
    /* At most this many words: a candidate headline / title. */
    int    headline_max_words;
} cl_classify_options;

void cl_classify_options_init(cl_classify_options *o);

void cl_classify(cl_doc *doc, const cl_classify_options *o);

#endif
