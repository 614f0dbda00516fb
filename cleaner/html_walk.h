/*
 * html_walk.h - Gumbo tree to the flat page model (html_model.h).
 *
 * One iterative pre-order walk with an explicit stack (any nesting depth
 * costs heap, not C stack).  It prunes what is never article text: scripts,
 * styles, embedded media, form controls.  nav, aside, hidden elements
 * (hidden, aria-hidden, display:none) and elements whose class, id or role
 * an attr rule names as chrome are kept as nodes flagged CL_HN_CHROME:
 * wrappers such as "page-ad-margins" or "layout_sidebar" hold whole
 * articles, so whether such a node is chrome is decided once the text it
 * holds is known (html_select.h).  <html>, <body>, <main>, <article> and
 * itemprop=articleBody are never flagged by attributes.  header, footer
 * and form are flagged CL_HN_SECTIONING for the same reason.
 *
 * Block-level elements become nodes and separate text; inline elements
 * never add nor remove spaces; <br> ends a block; text inside <pre> keeps
 * its line breaks.  Table rows whose cells each hold one line of text are
 * joined into one CL_BLOCK_TABLE_ROW block ("a | b"); cells of layout
 * tables stay blocks of their own.
 */
#ifndef CLEANER_HTML_WALK_H
#define CLEANER_HTML_WALK_H

#include <gumbo.h>
#include "html_meta.h"
#include "html_model.h"
#include "rules.h"

typedef struct cl_hwalk_opts {
    const cl_rules *rules;      /* attr rules; may be NULL */
    int             keep_attrs; /* keep each node's class and id (cl_hpage.attrs)
                                   for the blocks' contexts */
} cl_hwalk_opts;

/* Fills pg (which must be zeroed) from the tree; offers metadata elements to
 * meta when it is not NULL.  0, or -1 on allocation failure. */
int cl_html_walk(const GumboNode *root, const cl_hwalk_opts *o, cl_hpage *pg,
                 cl_hmeta *meta);

#endif
