/*
 * title.h - the headline inside a page's <title>.
 *
 * A <title> is often "Headline | Site", "SITE - Headline" or "Headline -
 * Section - Site", with separators | - – — · : » / :: in any script.
 * cl_title_clean() cuts a known site name (og:site_name, application-name,
 * the JSON-LD publisher, the host) with its separator from either end;
 * with no known name it applies Readability's rule: cut at the last
 * separator when what stays has 3 words or more, else at the first, and
 * keep the whole title when the cut leaves 4 words or fewer of a title
 * that merely had one separator.  Structured titles (og:title, JSON-LD
 * headline) are the page's own and are not cut.
 *
 * cl_title_similarity() is Readability's measure of how much of `b` the
 * words of `a` cover, used to choose between a JSON-LD name and headline.
 *
 * Costs: linear in the title times the number of separators and names.
 */
#ifndef CLEANER_TITLE_H
#define CLEANER_TITLE_H

#include <stddef.h>

typedef struct cl_title_span {
    size_t start, len;
} cl_title_span;

/* The headline's span in t[0..n); `sites` holds nsites names (NULL
 * entries allowed). */
cl_title_span cl_title_clean(const char *t, size_t n, const char *const *sites,
                             size_t nsites);

/* 1 minus the share of b's characters in words a lacks: 1.0 when every
 * word of b is in a, 0 when none is or either has no word. */
double cl_title_similarity(const char *a, const char *b);

/*
 * 1 when `heading` (len bytes) is the headline `title` names: the same
 * text, or a part of it long enough to be its headline (8 bytes and 40%
 * of the title: "Headline" in "Headline | Site").  The readers drop that
 * heading from the body whatever site name the title carries.
 */
int cl_title_names_heading(const char *title, const char *heading, size_t len);

/* 1 when title t[0..n) is the heading head[0..hn) with a separator and more
 * before or after it ("Opinion | Headline", "Headline - Site"): a <title>
 * that only adds to the page's top heading is cut back to it.  (og:title
 * and JSON-LD headlines are the page's own words, taken as given.) */
int cl_title_extends(const char *t, size_t n, const char *head, size_t hn);

#endif
