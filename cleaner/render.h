/*
 * render.h - turning a decided document into output bytes.
 *
 * Text: the title (when known) then every kept block, separated by one blank
 * line; list items as "- item"; UTF-8, LF line ends, one final newline; an
 * empty document renders as the empty string.
 * JSON: one object {source, status, format, title, author, date, site, url,
 * body} with null for unknown metadata; status is the caller's verdict
 * (status.h), "ok" or "no_article"; body is the text rendering without the
 * title.  With `explain`, also "blocks": [{kind, text, decision, reason}].
 * Explain: one line per block, "KEEP|DROP reason: text" (text shortened),
 * the form --explain prints to standard error.
 *
 * All append to `out`; they return 0, or -1 on allocation failure.
 */
#ifndef CLEANER_RENDER_H
#define CLEANER_RENDER_H

#include "buf.h"
#include "doc.h"
#include "status.h"

int cl_render_text(const cl_doc *doc, cl_buf *out);
int cl_render_body(const cl_doc *doc, cl_buf *out);  /* text without the title */
int cl_render_json(const cl_doc *doc, const char *source, cl_status status, int explain,
                   cl_buf *out);
int cl_render_explain(const cl_doc *doc, cl_buf *out);

/* Appends s as a JSON string literal (with quotes). */
int cl_json_string(cl_buf *out, const char *s, size_t len);

#endif
