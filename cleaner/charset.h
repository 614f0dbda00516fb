/*
 * charset.h - getting any input to UTF-8.
 *
 * Order: a BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE); else valid UTF-8 as is,
 * or repaired when most of its non-ASCII bytes are valid UTF-8 (scraped
 * pages are often re-encoded with their old meta left in); else the
 * charset the transport declared (an HTTP Content-Type), as browsers
 * trust it over the page's own; for HTML, a <meta charset> or http-equiv Content-Type in the first 4 KiB;
 * else uchardet's guess; else windows-1252.  Conversion is iconv's, with
 * undecodable bytes replaced, so the result is always valid UTF-8.
 */
#ifndef CLEANER_CHARSET_H
#define CLEANER_CHARSET_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/*
 * Appends the UTF-8 form of bytes[0..len) to out.  `sniff_html` enables the
 * meta charset look-up; `declared` (may be NULL) is the transport's label.  The detected charset name is copied into
 * charset[0..charset_size) when charset is not NULL.  0, or -1 with err set
 * (an unsupported charset is not an error: it falls back as above).
 */
int cl_charset_to_utf8(const char *bytes, size_t len, int sniff_html,
                       const char *declared, cl_buf *out, char *charset, size_t charset_size,
                       cl_error *err);

#endif
