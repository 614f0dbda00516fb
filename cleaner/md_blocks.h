/*
 * md_blocks.h - Markdown to blocks, with md4c.
 *
 * md4c's SAX callbacks build one block per paragraph, heading, list item,
 * quoted paragraph, code block and table row.  Inline markup is dropped:
 * links and images keep their text (images their alt text), emphasis and
 * code spans their content; soft breaks become spaces.  Link text is counted
 * in the block's link_len.  A leading date marker is handled as in
 * text_blocks.h.  md4c is iterative and bounds its own nesting.
 */
#ifndef CLEANER_MD_BLOCKS_H
#define CLEANER_MD_BLOCKS_H

#include <stddef.h>
#include "doc.h"
#include "error.h"

/* The md4c parser flags the reader uses: GitHub's dialect without bare URL
 * and www. autolinks, which md4c 0.4.8 scans quadratically within a
 * paragraph (100 000 bare URLs, 1.5 MB, took 5 s).  A bare URL stays text
 * either way; it just no longer counts as link text.  Public so that the
 * benchmark's parse-only loop parses exactly as the reader does. */
#define CL_MD_READER_FLAGS \
    (MD_DIALECT_GITHUB & ~(MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS))

int cl_md_read(const char *utf8, size_t len, cl_doc *doc, cl_error *err);

#endif
