/*
 * detect.h - which reader a buffer goes to.
 *
 * Decided from content first: markup that only HTML has (a doctype, <html>,
 * <head>, <body>, or several block tags), Markdown constructs (links
 * "[text](url)", ATX headings, emphasis, lists, fences) counted against the
 * length, else plain text.  The file name only breaks ties (.md, .html).
 */
#ifndef CLEANER_DETECT_H
#define CLEANER_DETECT_H

#include <stddef.h>
#include "doc.h"

cl_format cl_detect_format(const char *utf8, size_t len, const char *name_hint);

/*
 * 1 when the bytes are not text: NUL bytes past one in a hundred, C0
 * control characters past one in twenty of the first bytes sniffed, or a
 * known binary signature (PNG, GIF, JPEG, PDF, ZIP, gzip, ELF).  A few
 * stray NULs in a page are text: the caller drops them.  Call on
 * the buffer after any UTF-16/32 BOM has been converted.  Unless NULL,
 * *utf8_valid tells whether the bytes are valid UTF-8 (as cl_utf8_valid),
 * found in the same pass; 0 when the bytes are binary.
 */
int cl_detect_binary(const char *bytes, size_t len, int *utf8_valid);

#endif
