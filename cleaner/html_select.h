/*
 * html_select.h - choosing the main content of a page model.
 *
 * 1. Chrome is decided by text, not names: a node an attr rule flagged (or
 *    a hidden one) is dropped with all it holds, unless it holds more than
 *    half of the page's paragraph score: then it is a layout wrapper with
 *    an unlucky class ("page-ad-margins", "penci_sidebar").
 * 2. Readability's container scoring: every paragraph of 25 bytes or more
 *    scores 1 + its commas + one point per 100 bytes (at most 3), given in
 *    full to its container, half to the next ancestor and a third of a
 *    level's worth further up (five levels).  Containers start from a small
 *    bonus by tag, and their score is scaled by one minus their link
 *    density.  The best one is moved up to a common ancestor when several
 *    near-best ones share it, or to a parent that scores higher.
 * 3. The enclosing <article>, itemprop=articleBody or <main> replaces it
 *    when it holds half as much paragraph score again (an article cut into
 *    chunks between ad rails).
 * 4. Siblings that score a fifth of the best or read as paragraphs join it.
 * 5. Inside, bottom-up, header, footer and form elements are dropped, and
 *    so are link-heavy or near-empty boxes with few commas (Readability's
 *    conditional cleaning), except a box holding most of the content or
 *    mostly a quotation (an embedded post links a lot by nature); linkless
 *    sentences of 80 bytes or more in such a box stay (jusText's "good"
 *    paragraphs: a "more stories" list inside a box of article text).
 *
 * Every step is a linear pass over the nodes or blocks.
 *
 * `lenient` is a second chance for a page whose strict selection kept no
 * article (cleaner.c decides when): every block of text scores, not only
 * paragraphs of 25 bytes; a flagged <article>, <main> or articleBody is not
 * chrome, nor is a flagged node holding most of the one of those it is in
 * ("article sticky-sidebar-parent"), nor are the nodes of a chrome reason
 * that together hold most of the page's paragraph score (a page builder
 * naming every box "widget"); and any <article> around the chosen box
 * replaces it.
 */
#ifndef CLEANER_HTML_SELECT_H
#define CLEANER_HTML_SELECT_H

#include "html_model.h"

/* Sets CL_HB_KEEP on the chosen blocks and dropped_as on the others.
 * 0, or -1 on allocation failure. */
int cl_html_select(cl_hpage *pg, int lenient);

#endif
