/*
 * author.h - person names from the bylines pages give.
 *
 * A byline is "By Jane Doe and John Roe, Staff Writers | March 3, 2024",
 * "Von Erika Mustermann", "Doe, Jane".  cl_author_add() cuts it to the
 * names: no "By"/"Von"/"Par"/"Por"/"Di"/"Door"/"Av" prefix, nothing from
 * a date or a separator on, no role ("Staff Writer", "Correspondent"),
 * "and"/"und"/"et"/"y"/"&"/";" joins split, and it appends each new name
 * to a list joined by "; ".  A name that is one of the site's names (the
 * publisher, og:site_name, the host) is no person and is dropped.
 *
 * Costs: linear in the byline; names longer than CL_AUTHOR_MAX_NAME bytes
 * or of more than CL_AUTHOR_MAX_WORDS words are sentences, not names.
 */
#ifndef CLEANER_AUTHOR_H
#define CLEANER_AUTHOR_H

#include <stddef.h>
#include "buf.h"

#define CL_AUTHOR_MAX_NAME  80
#define CL_AUTHOR_MAX_WORDS 6

/*
 * Appends the names of byline s[0..n) that `list` does not hold yet
 * (compared without case) to list, "; " between names.  `sites` holds
 * nsites names (NULL entries allowed) that are not persons.  Returns how
 * many names the byline held (new or not), or -1 on allocation failure.
 */
int cl_author_add(cl_buf *list, const char *s, size_t n, const char *const *sites,
                  size_t nsites);

#endif
