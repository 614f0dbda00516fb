/*
 * html_date.h - a page's publication and modification dates.
 *
 * Every source offers candidates, parsed at once by date.h; each has a
 * trust rank, after htmldate's order:
 *
 *   structured: JSON-LD datePublished / dateCreated (dateModified: the
 *     modification) > article:published_time and its kind (og:, DC,
 *     citation_*, parsely, sailthru, pubdate) > the generic "date" meta
 *     > itemprop (or RDFa property) datePublished on any element
 *   shown: <time pubdate> > a <time> inside the article > the first
 *     <time> > the text of an element whose class or id names a date,
 *     a byline or the post's meta > short blocks around the title
 *   the URL (date.h), the description, the page's first short dates
 *
 * Elements inside comments, related-article lists and sidebars offer
 * nothing: their dates are other pages'.  cl_hdate_finish() keeps valid
 * dates only (date.h: a calendar day, from CL_DATE_MIN_YEAR, not after
 * doc->now) and picks the publication (CL_META_DATE):
 *
 *   - the URL's, when the structured one is a day off it (a time stored
 *     in UTC for a page dated in its own zone);
 *   - the best date shown, when the structured data has that day too (as
 *     publication or modification): the page presents it as its date;
 *   - else the structured publication, the URL's, the date shown, the
 *     description's, the page's.
 *
 * Of the dates shown at one rank, an original beats an update ("Updated
 * on ...", "Aktualisiert am ..."); updates, and the structured
 * modifications, give CL_META_DATE_MODIFIED when not before the
 * publication.  A year/month URL (/2020/06/) gives no date: its day is
 * unknown, and taking it as a filter on the other candidates gained
 * nothing on dates-dev.
 *
 * Costs: an element's text is read up to HDATE_TEXT_MAX bytes; at most
 * CL_HDATE_CANDIDATES candidates are kept (a better one replaces the
 * worst).  No allocation.
 */
#ifndef CLEANER_HTML_DATE_H
#define CLEANER_HTML_DATE_H

#include <gumbo.h>
#include <stddef.h>
#include "date.h"
#include "doc.h"
#include "html_model.h"

#define CL_HDATE_CANDIDATES 32

typedef struct cl_hdate_cand {
    cl_date       date;
    unsigned char rank;
    unsigned char modified;   /* a modification date, not the publication */
} cl_hdate_cand;

typedef struct cl_hdate {
    cl_hdate_cand cand[CL_HDATE_CANDIDATES];
    size_t        n;
    int           time_seen;  /* a <time> was offered: later ones rank lower */
} cl_hdate;

void cl_hdate_init(cl_hdate *h);

/* A meta tag's key (property, name, itemprop, one word of it) and its
 * content.  1 when the key names a date (taken), 0 when it is another
 * field's. */
int  cl_hdate_meta(cl_hdate *h, const char *key, size_t key_len, const char *content);

/* A JSON-LD string member: `key` its name, `owner` the key of the object
 * holding it (NULL at the top or in @graph).  1 when taken. */
int  cl_hdate_ld(cl_hdate *h, const char *key, const char *owner, const char *v, size_t n);

/* An element of <body>: <time>, itemprop=datePublished and its kind, hAtom
 * "published", and elements whose class or id names a date. */
void cl_hdate_element(cl_hdate *h, const GumboNode *el);

/* The short blocks around the title: the heading that `title` (the page's
 * best title candidate, may be NULL) holds, else the first h1, else the
 * first block of the chosen content.  Once selection has run. */
void cl_hdate_page(cl_hdate *h, const cl_hpage *pg, const char *title);

/* Writes the date fields into doc (fields already set are kept), with the
 * URL as a source: doc->input_url, else the page's own (CL_META_URL, set
 * before).  0, or -1 on oom. */
int  cl_hdate_finish(cl_hdate *h, cl_doc *doc);

#endif
