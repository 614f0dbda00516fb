/*
 * html_depth.h - bounding element nesting and attributes before Gumbo.
 *
 * Gumbo checks "is there a <p> in button scope" and "is this element in
 * scope" by walking the stack of open elements, so N nested block elements
 * cost O(N^2): 100 000 nested <div>s take over half a minute.  Chromium's
 * parser stops nesting at a depth of 512 and adds deeper elements as
 * siblings; we do the same on the markup: a linear tag scan counts the
 * depth (void elements and elements whose end tag is optional, such as
 * <p> and <li>, do not nest), and only when a page goes deeper than the
 * limit is it rewritten without the start and end tags beyond it.  Their
 * text stays, inside the element at the limit.  Comments and raw-text
 * elements (script, style, textarea, title, ...) are skipped whole.
 *
 * Gumbo also compares each attribute with every earlier one of its tag
 * (duplicates are dropped), so one tag with 50 000 attributes costs
 * seconds: attributes past CL_HTML_MAX_ATTRS in a tag are cut the same way.
 */
#ifndef CLEANER_HTML_DEPTH_H
#define CLEANER_HTML_DEPTH_H

#include <stddef.h>
#include "buf.h"

#define CL_HTML_MAX_DEPTH 512
/* No real element needs more; the duplicate check is quadratic past it. */
#define CL_HTML_MAX_ATTRS 256

/*
 * When s[0..n) nests deeper than `limit` or has a tag with too many
 * attributes, appends the bounded markup to out and returns 1; else
 * returns 0 and leaves out alone.  -1 on oom.
 */
int cl_html_bound_depth(const char *s, size_t n, size_t limit, cl_buf *out);

#endif
