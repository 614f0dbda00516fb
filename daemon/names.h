/*
 * names.h - which output an input gets: one function, one rule.
 *
 * IN/dir/name becomes OUT/dir/name + ext (".txt" or ".json"): the whole
 * input name is kept and the extension appended, so x.html -> x.html.txt,
 * x -> x.txt, a.txt -> a.txt.txt.  The mapping is a function of the name
 * alone and appending is injective, so it is one-to-one and stable over
 * time: two inputs never share an output, whatever arrives later or in
 * what order, and an input rewritten under its name replaces its own
 * output, never another's.  Names differing only in case stay distinct
 * outputs on a case-sensitive OUT (a case-insensitive OUT is refused at
 * start, see service.h).
 *
 * A name whose output would not fit the filesystem (a component longer
 * than NAME_MAX, 255 bytes, or a path of PATH_MAX or more) is an error:
 * never cut, never hashed into another name.
 */
#ifndef CLEANER_DAEMON_NAMES_H
#define CLEANER_DAEMON_NAMES_H

#include "error.h"

/* 0 with *out a new string (free() it), or -1 with err saying why the
 * input has no output name (its cause only, without the name). */
int names_output(const char *rel, const char *ext, char **out, cl_error *err);

#endif
