/*
 * normalize.h - the text form rules are matched against.
 *
 * Case-folded (Unicode, via utf8proc), curly quotes made straight, every dash
 * made '-', U+2026 made "...", every whitespace run (NBSP included) one space,
 * no leading or trailing space.  Rule authors write patterns for this form,
 * so one rule covers "Follow us", "FOLLOW  US" and "follow\u00a0us".
 *
 * With a non-NULL `map`, map->data receives, as size_t values, the offset in
 * the source of the byte that produced each output byte, plus one final entry
 * for the source length: a span [a, b) of the output maps back to source
 * [map[a], map[b]).  Input must be valid UTF-8.
 */
#ifndef CLEANER_NORMALIZE_H
#define CLEANER_NORMALIZE_H

#include <stddef.h>
#include "buf.h"

int cl_normalize(const char *s, size_t len, cl_buf *out, cl_buf *map);

/* Reads entry i of a map built by cl_normalize. */
size_t cl_normalize_map_at(const cl_buf *map, size_t i);

#endif
