/*
 * html_meta.h - page metadata from <head>, JSON-LD and <time>.
 *
 * The walk hands over every element that can carry metadata (title, meta,
 * link, time, script type=application/ld+json), in document order.  Each
 * source has a trust rank per field; the most trusted candidate wins
 * whatever the order (og:title over <title>, JSON-LD datePublished over a
 * bare <time>).  Fields: title, author, date, site, url, lang, description,
 * image and tags (article:tag, article:section, keywords, JSON-LD keywords
 * and articleSection, joined by ", ").  cl_hmeta_finish() cleans the title
 * and authors and writes the fields into the document.  JSON-LD is scanned iteratively with
 * a bounded key stack: any nesting depth is safe.
 *
 * Ownership: a cl_hmeta owns copies of every candidate; cl_hmeta_free()
 * releases them.  No pointer into the Gumbo tree is kept.
 */
#ifndef CLEANER_HTML_META_H
#define CLEANER_HTML_META_H

#include <gumbo.h>
#include "buf.h"
#include "doc.h"
#include "html_date.h"

/* JSON-LD objects this shallow can be the article ({"@graph": [...]}
 * nests it two deep); deeper ones are its parts. */
#define CL_HMETA_LD_OBJECTS 4

/* Names a page gives itself: og:site_name, application-name, the JSON-LD
 * publisher; never a person's or a headline. */
enum { CL_HMETA_SITE_OG, CL_HMETA_SITE_APP, CL_HMETA_SITE_PUBLISHER, CL_HMETA_SITES };

typedef struct cl_hmeta {
    cl_buf field[CL_META_COUNT];
    int    rank[CL_META_COUNT];   /* rank of the candidate held; 0: none */
    cl_buf ld_body;               /* the longest JSON-LD articleBody */
    cl_hdate dates;               /* date candidates, from every source */
    cl_buf scratch;
    /* Authors: the raw bylines of the best rank, each ending in '\n'
     * (JSON-LD arrays and repeated metas give several), cleaned by
     * author.h once the site's names are known; then the page's byline. */
    cl_buf authors;
    int    author_rank;
    cl_buf byline;
    int    byline_rank;
    cl_buf site[CL_HMETA_SITES];
    cl_buf title_el;              /* the <title> element as it is */
    cl_buf base;                  /* <base href> */
    /* The JSON-LD article's name and headline, one of which is the title. */
    cl_buf ld_name, ld_headline;
    int    ld_article;            /* 1 once an article object was closed */
    /* Name, headline, description of the open shallow objects. */
    cl_buf ld_pending[CL_HMETA_LD_OBJECTS][3];
    char   ld_is_article[CL_HMETA_LD_OBJECTS];
} cl_hmeta;

void cl_hmeta_init(cl_hmeta *m);
void cl_hmeta_free(cl_hmeta *m);

/* Offers an element; ignores elements that carry no metadata. */
void cl_hmeta_element(cl_hmeta *m, const GumboNode *el);

/*
 * Reads what the element walk does not offer: html[lang], <base href> and
 * the article's byline elements (rel=author, itemprop=author, a class or
 * id naming a byline or author, outside asides, navigation, comments and
 * sidebars).  An iterative walk of the tree; 0, or -1 on oom.
 */
int cl_hmeta_page(cl_hmeta *m, const GumboNode *root);

/* The best candidate so far, or NULL. */
const char *cl_hmeta_get(const cl_hmeta *m, cl_meta_field f);

/*
 * Writes the fields into doc (fields already set there are kept): the
 * title (title.h: JSON-LD article, dc:title, og:title ... then the <title>
 * without the site's name, then `h1`, the page's first top-level heading,
 * may be NULL), never one of the site's names; the authors (author.h);
 * url and image resolved against <base href> and doc->input_url (url.h);
 * the declared language, as given (lang.h normalises it).  0, or -1 on oom.
 */
int cl_hmeta_finish(cl_hmeta *m, const char *h1, size_t h1_len, cl_doc *doc);

#endif
