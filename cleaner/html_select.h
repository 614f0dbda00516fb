/*
 * html_select.h - choosing the main content of a page model.
 *
 * Readability's container scoring on the flat model: every paragraph of 25
 * characters or more scores 1 + its commas + one point per 100 characters
 * (at most 3), given in full to its container, half to the next ancestor
 * and a third of a level's worth further up (five levels).  Containers
 * start from a small bonus by tag, and their score is scaled by one minus
 * their link density.  The best one (moved up to a common ancestor when
 * several near-best ones share it, or to a parent that scores higher) is
 * joined by the siblings that score a fifth of it or read as paragraphs.
 * Inside the chosen content, link-heavy lists and boxes with few commas
 * are dropped as Readability's conditional cleaning does, and so are
 * header, footer and form elements that sit inside it.
 *
 * Every pass is linear in the number of nodes and blocks.
 */
#ifndef CLEANER_HTML_SELECT_H
#define CLEANER_HTML_SELECT_H

#include "html_model.h"

/* Sets CL_HB_KEEP on the chosen blocks.  0, or -1 on allocation failure. */
int cl_html_select(cl_hpage *pg);

#endif
