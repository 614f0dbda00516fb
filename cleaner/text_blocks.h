/*
 * text_blocks.h - plain text to blocks.
 *
 * Paragraphs are separated by blank lines; a text with no blank line at all
 * is one paragraph per line (scrapers that join paragraphs with a single
 * newline).  Within a paragraph, line breaks become spaces.  A leading
 * " date YYYY-MM-DD" marker (as scrapers prepend) sets the date metadata and
 * is removed; the rest of that line is ordinary text.  Without one, a
 * date line near the top sets it (cl_text_take_top_date).  Lines made only of
 * separator characters ("*", "---", "===") become separator blocks.
 */
#ifndef CLEANER_TEXT_BLOCKS_H
#define CLEANER_TEXT_BLOCKS_H

#include <stddef.h>
#include "doc.h"
#include "error.h"

/* Input: valid UTF-8.  Adds blocks and metadata to doc.  0, or -1 (oom). */
int cl_text_read(const char *utf8, size_t len, cl_doc *doc, cl_error *err);

/*
 * If s starts with a scraper date marker (" date 2022-10-11 "), returns the
 * number of bytes it spans (with the following spaces) and copies the date,
 * NUL-terminated, into date[0..11); else 0.
 */
size_t cl_text_date_marker(const char *s, size_t len, char date[11]);

/*
 * Takes a leading date marker off s: sets the document's date and stores in
 * *skip the bytes to pass over (0 when there is none).  Shared with the
 * Markdown reader.  0, or -1 with err set (out of memory).
 */
int cl_text_take_date_marker(const char *s, size_t len, cl_doc *doc, size_t *skip,
                             cl_error *err);

/*
 * A document read without a date marker gets the first date (date.h; not
 * after doc->now, no update) of a short block (a dozen words at most)
 * among its first five blocks or the five after its first heading: a
 * dateline, a byline with its date.  Shared with the Markdown reader.
 * 0, or -1 with err set (out of memory).
 */
int cl_text_take_top_date(cl_doc *doc, cl_error *err);

#endif
