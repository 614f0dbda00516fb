/*
 * html_blocks.h - HTML to blocks: parse with Gumbo, find the main content,
 * emit its blocks, and fill metadata (title, author, date, site, url).
 *
 *   html_depth  nesting bounded at 512 before Gumbo (its scope checks are
 *               quadratic in depth)
 *   html_walk   one iterative walk: the flat page model, chrome flagged by
 *               tag (nav, aside), hiddenness and the attr rules of `rules`
 *               (class, id and role tokens), metadata candidates
 *   html_select Readability-style container scoring, chrome decided by the
 *               text it holds, the enclosing <article> for chunked pages,
 *               conditional cleaning that keeps plain sentences
 *   html_meta   og:, article:, JSON-LD, <time>, canonical; title without
 *               the site's name
 *
 * Every block is added already decided: the content kept and flagged
 * CL_BLOCK_IN_MAIN, the rest dropped with the reason (--explain shows it).
 * When the markup holds a third or less of the page's JSON-LD articleBody
 * (pages rendered by scripts), that body's lines are the content instead.
 * Nothing recurses on the input: deep nesting costs no stack.
 */
#ifndef CLEANER_HTML_BLOCKS_H
#define CLEANER_HTML_BLOCKS_H

#include <stddef.h>
#include "doc.h"
#include "error.h"
#include "rules.h"

/* Input: valid UTF-8.  `lenient`: the second-chance selection
 * (html_select.h).  0, or -1 with err set (allocation failure only: any
 * markup, however broken, gives a document). */
int cl_html_read(const char *utf8, size_t len, const cl_rules *rules, int lenient,
                 cl_doc *doc, cl_error *err);

#endif
