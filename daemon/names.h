/*
 * names.h - which output an input gets, so that no two inputs share one.
 *
 * IN/dir/name.ext becomes OUT/dir/name + ext (".txt" or ".json"): the last
 * extension is replaced and subfolders are mirrored.  Two inputs of one
 * folder can map to the same output (a.md and a.html -> a.txt; also a.md
 * and an extension-less "a", whose full name is a's stem): every such
 * input then keeps its whole name, a.md -> a.md.txt and a.html ->
 * a.html.txt.  Full names are unique, so outputs stay distinct, and the
 * choice depends only on which inputs are present, not on arrival order.
 *
 * The index records the inputs present (paths relative to IN) with O(1)
 * updates and look-ups.  An input processed before its twin arrived keeps
 * the plain name; the twin gets the long one, so neither is overwritten.
 */
#ifndef CLEANER_DAEMON_NAMES_H
#define CLEANER_DAEMON_NAMES_H

typedef struct names names;

names *names_new(void);
void   names_free(names *n);

/* Records an input present in IN.  Idempotent.  0, or -1 (oom). */
int    names_add(names *n, const char *rel);
void   names_remove(names *n, const char *rel);
void   names_clear(names *n);

/* The output path (relative to OUT) for input `rel`; a new string to free(),
 * or NULL on allocation failure. */
char  *names_output(const names *n, const char *rel, const char *ext);

#endif
