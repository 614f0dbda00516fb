/*
 * classify.h - the generic block classifier.
 *
 * Catches the chrome no rule names, from features of each block and its
 * neighbours: word count, link density, sentence punctuation, menu shape
 * ("A | B | C"), kind and position.  In order:
 *   1. separators and flattened menus go, and (text and Markdown only)
 *      short link-dense blocks;
 *   2. a leading headline becomes the title when the reader found none;
 *   3. (text and Markdown only) the article is the run of blocks with the
 *      best score, body words for and furniture against; the rest goes;
 *   4. after a block an `end` rule flagged (a comments or related-links
 *      title) that closes a real text, everything goes;
 *   5. (text and Markdown only) a lone short unpunctuated line between body
 *      paragraphs is another article's headline, and after the body such
 *      lines are trailers.
 * HTML skips the flat steps: its reader judged links and position on the
 * DOM.  The classifier only turns CL_KEEP into CL_DROP; blocks a rule
 * dropped stay dropped.  Every decision writes its reason.  Linear in the
 * number of blocks.
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

/*
 * 1 when UTF-8 text s[0..len) ends like a sentence: . ! ? : ; or an
 * ellipsis, or the CJK, Devanagari and Arabic marks, possibly followed by
 * closing quotes, brackets, spaces or emoji.  Shared with the HTML reader.
 */
int  cl_text_ends_sentence(const char *s, size_t len);

#endif
