/*
 * status.h - whether a cleaned document holds an article.
 *
 * A page whose body (the kept blocks as cl_render_body() gives them, the
 * title aside) is empty or shorter than the caller's bar is "no article":
 * an index page, a stub, a page whose text was all chrome.  The caller
 * reports it as such instead of writing an empty success.
 *
 * The body's length is counted in Unicode code points, with each run of
 * whitespace (ASCII or U+00A0, the ones the readers collapse; the blank
 * line between two blocks too) counted as one and none at either end, so
 * neither the bytes of a UTF-8 sequence nor the layout add to it:
 * "Für  uns\n\n- ja" is 12.  In Python, len(" ".join(body.split())) for
 * a body without other Unicode spaces.
 */
#ifndef CLEANER_STATUS_H
#define CLEANER_STATUS_H

#include <stddef.h>
#include "doc.h"

typedef enum cl_status {
    CL_STATUS_OK = 0,
    CL_STATUS_NO_ARTICLE,
} cl_status;

/* "ok" or "no_article": the JSON "status" (render.h). */
const char *cl_status_name(cl_status s);

/* Characters of s[0..len), valid UTF-8, counted as above. */
size_t cl_text_chars(const char *s, size_t len);

/* cl_text_chars() of what cl_render_body() gives, without rendering it:
 * one pass over the kept blocks' text, no allocation.  0 for NULL. */
size_t cl_body_chars(const cl_doc *doc);

/* CL_STATUS_NO_ARTICLE when the body has no character or fewer than
 * min_body_chars (so 0 lets any non-empty body through).  *body_chars,
 * when not NULL, gets the count. */
cl_status cl_doc_status(const cl_doc *doc, size_t min_body_chars, size_t *body_chars);

#endif
