/*
 * html_blocks.h - HTML to blocks: parse with Gumbo, find the main content,
 * emit its blocks, and fill metadata (title, author, date, site, url).
 *
 * Chrome elements are pruned by the attr rules of `rules` (class, id and
 * role tokens) and by tag (script, style, nav, aside, form, ...).  The tree
 * is walked iteratively: deep nesting costs no stack.
 */
#ifndef CLEANER_HTML_BLOCKS_H
#define CLEANER_HTML_BLOCKS_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "rules.h"

/* Input: valid UTF-8.  0, or -1 with err set. */
int cl_html_read(const char *utf8, size_t len, const cl_rules *rules,
                 cl_doc *doc, cl_error *err);

#endif
