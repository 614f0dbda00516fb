/*
 * html_meta.h - page metadata from <head>, JSON-LD and <time>.
 *
 * The walk hands over every element that can carry metadata (title, meta,
 * link, time, script type=application/ld+json), in document order.  Each
 * source has a trust rank per field; the most trusted candidate wins
 * whatever the order (og:title over <title>, JSON-LD datePublished over a
 * bare <time>).  cl_hmeta_finish() cleans the title (no site suffix) and
 * writes the fields into the document.  JSON-LD is scanned iteratively with
 * a bounded key stack: any nesting depth is safe.
 *
 * Ownership: a cl_hmeta owns copies of every candidate; cl_hmeta_free()
 * releases them.  No pointer into the Gumbo tree is kept.
 */
#ifndef CLEANER_HTML_META_H
#define CLEANER_HTML_META_H

#include <gumbo.h>
#include "buf.h"
#include "doc.h"

typedef struct cl_hmeta {
    cl_buf field[CL_META_COUNT];
    int    rank[CL_META_COUNT];   /* rank of the candidate held; 0: none */
    cl_buf ld_body;               /* the longest JSON-LD articleBody */
    cl_buf scratch;
} cl_hmeta;

void cl_hmeta_init(cl_hmeta *m);
void cl_hmeta_free(cl_hmeta *m);

/* Offers an element; ignores elements that carry no metadata. */
void cl_hmeta_element(cl_hmeta *m, const GumboNode *el);

/* The best candidate so far, or NULL. */
const char *cl_hmeta_get(const cl_hmeta *m, cl_meta_field f);

/*
 * Writes the fields into doc (fields already set there are kept).  `h1` is
 * the page's first top-level heading (may be NULL): a title that merely
 * extends it with a site name is cut back to it.  0, or -1 on oom.
 */
int cl_hmeta_finish(cl_hmeta *m, const char *h1, size_t h1_len, cl_doc *doc);

#endif
