/*
 * html_date.c - a page's publication and modification dates (contract in
 * html_date.h).
 */
#include "html_date.h"

#include <string.h>
#include <strings.h>

#include "buf.h"

/* An element's text is read this far: a date sits at the start of a
 * byline or a post's meta line, never deep in a paragraph. */
#define HDATE_TEXT_MAX 256

/* Ancestors looked at for a comment or sidebar around a candidate. */
#define HDATE_ANCESTORS 32

/* Blocks around the title whose text may hold the date; longer blocks are
 * paragraphs, which mention dates but are not dated by them. */
#define TITLE_BLOCKS_BEFORE 3
#define TITLE_BLOCKS_AFTER  8
#define TITLE_BLOCK_MAX_WORDS 40

/* The page's text offers this many dates at most: some of the first are
 * before CL_DATE_MIN_YEAR or in the future. */
#define PAGE_DATES 4

/* A heading shorter than this ("News") names a section, not the page. */
#define TITLE_MIN_BYTES 12

enum rank {
    R_NONE = 0,
    R_PAGE_TEXT,      /* any short block of the page: the last resort */
    R_DESCRIPTION,    /* the page's description: "(news of 14 January 2020)" */
    R_TITLE_TEXT,     /* a short block near the title */
    R_CLASS_TEXT,     /* an element whose class names a date or byline */
    R_TIME,           /* a <time> after the first */
    R_TIME_FIRST,
    R_TIME_ARTICLE,   /* inside <article> */
    R_TIME_PUBDATE,   /* <time pubdate> */
    R_ITEMPROP,       /* itemprop=datePublished on any element */
    R_META_MINOR,
    R_META,
    R_META_ARTICLE,   /* article:published_time */
    R_LD,             /* JSON-LD */
};

void cl_hdate_init(cl_hdate *h)
{
    memset(h, 0, sizeof *h);
}

/* Keeps c unless the list is full of candidates at least as good. */
static void add(cl_hdate *h, const cl_date *d, int rank, int modified)
{
    cl_hdate_cand c = { *d, (unsigned char)rank, (unsigned char)modified };
    if (h->n < CL_HDATE_CANDIDATES) {
        h->cand[h->n++] = c;
        return;
    }
    size_t worst = 0;
    for (size_t i = 1; i < h->n; i++)
        if (h->cand[i].rank < h->cand[worst].rank)
            worst = i;
    if (h->cand[worst].rank < rank) {
        memmove(&h->cand[worst], &h->cand[worst + 1], (h->n - worst - 1) * sizeof c);
        h->cand[h->n - 1] = c;
    }
}

static void offer(cl_hdate *h, int rank, int modified, const char *v, size_t n)
{
    cl_date d;
    if (v && cl_date_parse(v, n, CL_DATE_DMY, &d))
        add(h, &d, rank, modified);
}

/* Every date in free text: an update's goes to the modification. */
static void offer_text(cl_hdate *h, int rank, const char *s, size_t n)
{
    cl_date_hit hit;
    for (size_t at = 0; cl_date_scan(s, n, at, CL_DATE_DMY, &hit); at = hit.end)
        add(h, &hit.date, rank, hit.updated);
}

/* ---- meta tags and JSON-LD ---------------------------------------------- */

typedef struct date_key {
    const char *name;
    int         rank;
    int         modified;
} date_key;

static const date_key meta_date_keys[] = {
    { "article:published_time", R_META_ARTICLE, 0 },
    { "og:published_time", R_META_ARTICLE, 0 },
    { "datepublished", R_META_ARTICLE, 0 },
    { "article:published", R_META, 0 },
    { "dc.date.issued", R_META, 0 },
    { "dcterms.issued", R_META, 0 },
    { "dcterms.created", R_META, 0 },
    { "dc.date.created", R_META, 0 },
    { "citation_publication_date", R_META, 0 },
    { "citation_date", R_META, 0 },
    { "parsely-pub-date", R_META, 0 },
    { "sailthru.date", R_META, 0 },
    { "pubdate", R_META, 0 },
    { "publishdate", R_META, 0 },
    { "publish-date", R_META, 0 },
    { "publish_date", R_META, 0 },
    { "published_time", R_META, 0 },
    { "datecreated", R_META, 0 },
    { "dc.date", R_META_MINOR, 0 },
    { "dc:date", R_META_MINOR, 0 },
    { "dcterms.date", R_META_MINOR, 0 },
    { "date", R_META_MINOR, 0 },
    { "article:modified_time", R_META_ARTICLE, 1 },
    { "og:updated_time", R_META, 1 },
    { "datemodified", R_META, 1 },
    { "dcterms.modified", R_META, 1 },
    { "last-modified", R_META_MINOR, 1 },
};

int cl_hdate_meta(cl_hdate *h, const char *key, size_t key_len, const char *content)
{
    if ((key_len == 11 && strncasecmp(key, "description", 11) == 0) ||
        (key_len == 14 && strncasecmp(key, "og:description", 14) == 0)) {
        offer_text(h, R_DESCRIPTION, content, strlen(content));
        return 0;  /* the description field's too */
    }
    for (size_t i = 0; i < sizeof meta_date_keys / sizeof *meta_date_keys; i++) {
        const date_key *k = &meta_date_keys[i];
        if (strlen(k->name) == key_len && strncasecmp(key, k->name, key_len) == 0) {
            offer(h, k->rank, k->modified, content, strlen(content));
            return 1;
        }
    }
    return 0;
}

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* Objects whose dates are not the page's: its comments, reviews, the
 * items of a list of other articles. */
static int foreign_owner(const char *owner)
{
    return is(owner, "comment") || is(owner, "review") || is(owner, "itemListElement") ||
           is(owner, "hasPart") || is(owner, "subjectOf") || is(owner, "mentions") ||
           is(owner, "citation") || is(owner, "isPartOf");
}

int cl_hdate_ld(cl_hdate *h, const char *key, const char *owner, const char *v, size_t n)
{
    int modified = is(key, "dateModified");
    if (!modified && !is(key, "datePublished") && !is(key, "dateCreated"))
        return 0;
    if (!foreign_owner(owner))
        offer(h, R_LD, modified, v, n);
    return 1;
}

/* ---- elements ----------------------------------------------------------- */

static const char *attr(const GumboNode *el, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&el->v.element.attributes, name);
    return a ? a->value : NULL;
}

static int has_word(const char *s, const char *const *words, size_t count)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < count; i++)
        if (strcasestr(s, words[i]))
            return 1;
    return 0;
}

/* 1 when a part of s (between spaces, '-' and '_') starts with one of the
 * words: "comments-area" and "relatedPosts", not "page--wsidebar". */
static int has_part(const char *s, const char *const *words, size_t count)
{
    for (const char *p = s; p && *p; p++) {
        if (p != s && p[-1] != ' ' && p[-1] != '-' && p[-1] != '_')
            continue;
        for (size_t i = 0; i < count; i++)
            if (strncasecmp(p, words[i], strlen(words[i])) == 0)
                return 1;
    }
    return 0;
}

/* Boxes whose dates belong to other pages or to readers. */
static const char *const foreign_words[] = {
    "comment", "related", "sidebar", "aside", "widget", "recent", "popular", "reply",
    "replies", "teaser", "trending",
};

static int foreign_box(const GumboNode *el)
{
    size_t n = sizeof foreign_words / sizeof *foreign_words;
    return has_part(attr(el, "class"), foreign_words, n) ||
           has_part(attr(el, "id"), foreign_words, n);
}

/* 1 when el sits in a comment or a sidebar (an <aside> outside the
 * article: inside it, an aside holds the article's own meta line);
 * *in_article when in <article>.  The classes of <body> and <html> name
 * the page's layout ("right-sidebar"), not a box. */
static int in_foreign_box(const GumboNode *el, int *in_article)
{
    int aside = 0;
    *in_article = 0;
    for (int k = 0; el && el->type == GUMBO_NODE_ELEMENT && k < HDATE_ANCESTORS &&
                    el->v.element.tag != GUMBO_TAG_BODY && el->v.element.tag != GUMBO_TAG_HTML;
         k++, el = el->parent) {
        if (el->v.element.tag == GUMBO_TAG_NAV || foreign_box(el))
            return 1;
        aside |= el->v.element.tag == GUMBO_TAG_ASIDE;
        if (el->v.element.tag == GUMBO_TAG_ARTICLE)
            *in_article = 1;
    }
    return aside && !*in_article;
}

/* The element's text, its first HDATE_TEXT_MAX bytes, as one line. */
static void element_text(const GumboNode *el, char *out, size_t cap)
{
    const GumboNode *stack[HDATE_ANCESTORS];
    size_t depth = 0, k = 0;
    stack[depth++] = el;
    while (depth > 0 && k + 1 < cap) {
        const GumboNode *n = stack[--depth];
        if (n->type == GUMBO_NODE_TEXT) {
            if (k > 0)
                out[k++] = ' ';
            size_t len = strlen(n->v.text.text), room = cap - 1 - k;
            memcpy(out + k, n->v.text.text, len < room ? len : room);
            k += len < room ? len : room;
            continue;
        }
        if (n->type != GUMBO_NODE_ELEMENT || n->v.element.tag == GUMBO_TAG_SCRIPT ||
            n->v.element.tag == GUMBO_TAG_STYLE)
            continue;
        const GumboVector *kids = &n->v.element.children;
        for (unsigned i = kids->length; i > 0 && depth < HDATE_ANCESTORS; i--)
            stack[depth++] = kids->data[i - 1];
    }
    out[k < cap ? k : cap - 1] = '\0';
}

static void offer_element_text(cl_hdate *h, const GumboNode *el, int rank)
{
    char text[HDATE_TEXT_MAX + 1];
    element_text(el, text, sizeof text);
    offer_text(h, rank, text, strlen(text));
}

static void time_element(cl_hdate *h, const GumboNode *el)
{
    int in_article;
    if (in_foreign_box(el, &in_article))
        return;
    const char *cls = attr(el, "class");
    int modified = cls && (strcasestr(cls, "updated") || strcasestr(cls, "modified"));
    int rank = attr(el, "pubdate") ? R_TIME_PUBDATE
             : in_article ? R_TIME_ARTICLE : h->time_seen ? R_TIME : R_TIME_FIRST;
    h->time_seen = 1;
    const char *dt = attr(el, "datetime");
    if (dt)
        offer(h, rank, modified, dt, strlen(dt));
    else
        offer_element_text(h, el, rank);
}

/* itemprop=datePublished (or RDFa's property): the content or datetime
 * attribute, else the text. */
static int itemprop_element(cl_hdate *h, const GumboNode *el)
{
    const char *ip = attr(el, "itemprop");
    if (!ip)
        ip = attr(el, "property");  /* RDFa: property="schema:dateCreated" */
    if (!ip)
        return 0;
    int modified = strcasestr(ip, "datemodified") != NULL;
    if (!modified && !strcasestr(ip, "datepublished") && !strcasestr(ip, "datecreated"))
        return 0;
    int in_article;
    if (in_foreign_box(el, &in_article))
        return 1;
    const char *v = attr(el, "content");
    if (!v)
        v = attr(el, "datetime");
    if (v)
        offer(h, R_ITEMPROP, modified, v, strlen(v));
    else
        offer_element_text(h, el, R_ITEMPROP);
    return 1;
}

/* The class and id words of the boxes that hold a post's date. */
static const char *const date_box_words[] = {
    "date", "datum", "fecha", "publish", "posted", "byline", "dateline", "timestamp",
    "meta", "submitted", "time",
};

static int names_date_box(const GumboNode *el)
{
    size_t n = sizeof date_box_words / sizeof *date_box_words;
    return has_word(attr(el, "class"), date_box_words, n) ||
           has_word(attr(el, "id"), date_box_words, n);
}

void cl_hdate_element(cl_hdate *h, const GumboNode *el)
{
    if (el->v.element.attributes.length > 0 && itemprop_element(h, el))
        return;
    if (el->v.element.tag == GUMBO_TAG_TIME) {
        time_element(h, el);
        return;
    }
    if (el->v.element.attributes.length == 0 || !names_date_box(el))
        return;
    int in_article;
    if (in_foreign_box(el, &in_article))
        return;
    /* hAtom: <abbr class="published" title="2020-06-07T10:00:00+02:00"> */
    const char *title = attr(el, "title");
    const char *cls = attr(el, "class");
    if (title && cls && strcasestr(cls, "published"))
        offer(h, R_CLASS_TEXT, 0, title, strlen(title));
    offer_element_text(h, el, R_CLASS_TEXT);
}

/* ---- the text around the title ------------------------------------------ */

/* A heading that is the page's title, or the title with the site's name. */
static int is_title(const cl_hpage *pg, const cl_hblock *b, const char *title)
{
    if (b->kind != CL_BLOCK_HEADING || b->len < TITLE_MIN_BYTES || !title)
        return 0;
    char text[HDATE_TEXT_MAX + 1];
    size_t n = b->len < HDATE_TEXT_MAX ? b->len : HDATE_TEXT_MAX;
    memcpy(text, cl_hblock_text(pg, b), n);
    text[n] = '\0';
    return strcasestr(title, text) != NULL;
}

/* The block of the title: the heading the page's title names, else the
 * first h1, else the first of the chosen content. */
static size_t title_block(const cl_hpage *pg, const char *title)
{
    for (size_t i = 0; i < pg->nblocks; i++)
        if (is_title(pg, &pg->blocks[i], title))
            return i;
    for (size_t i = 0; i < pg->nblocks; i++)
        if (pg->blocks[i].kind == CL_BLOCK_HEADING && pg->blocks[i].level == 1)
            return i;
    for (size_t i = 0; i < pg->nblocks; i++)
        if (pg->blocks[i].flags & CL_HB_KEEP)
            return i;
    return pg->nblocks;
}

/* The first dates of the page's short blocks, in document order. */
static void page_text(cl_hdate *h, const cl_hpage *pg)
{
    size_t found = 0;
    for (size_t i = 0; i < pg->nblocks && found < PAGE_DATES; i++) {
        const cl_hblock *b = &pg->blocks[i];
        const char *s = cl_hblock_text(pg, b);
        cl_date_hit hit;
        if (cl_count_words(s, b->len) > TITLE_BLOCK_MAX_WORDS)
            continue;
        for (size_t at = 0; found < PAGE_DATES && cl_date_scan(s, b->len, at, CL_DATE_DMY, &hit);
             at = hit.end, found++)
            add(h, &hit.date, R_PAGE_TEXT, hit.updated);
    }
}

void cl_hdate_page(cl_hdate *h, const cl_hpage *pg, const char *title)
{
    page_text(h, pg);
    size_t t = title_block(pg, title);
    if (t == pg->nblocks)
        return;
    size_t from = t > TITLE_BLOCKS_BEFORE ? t - TITLE_BLOCKS_BEFORE : 0;
    for (size_t i = from; i < pg->nblocks && i <= t + TITLE_BLOCKS_AFTER; i++) {
        const cl_hblock *b = &pg->blocks[i];
        const char *s = cl_hblock_text(pg, b);
        if (!(b->flags & CL_HB_FIGURE) && cl_count_words(s, b->len) <= TITLE_BLOCK_MAX_WORDS)
            offer_text(h, R_TITLE_TEXT, s, b->len);
    }
}

/* ---- the choice --------------------------------------------------------- */

/*
 * The candidates, sorted out once: the most trusted publication among the
 * page's structured data (JSON-LD, meta tags, itemprop), the date the page
 * shows (the best <time>, date box or line near the title), and the URL's.
 * The first offered of a rank wins the rank.
 */
typedef struct choice {
    const cl_hdate_cand *structured;  /* publication, rank >= R_ITEMPROP */
    const cl_hdate_cand *shown;       /* R_TITLE_TEXT .. R_TIME_PUBDATE */
    const cl_hdate_cand *described;   /* R_DESCRIPTION */
    const cl_hdate_cand *page;        /* R_PAGE_TEXT */
    const cl_hdate_cand *modified;
    cl_date              url;
    int                  has_url;
} choice;

static int is_shown(int rank)
{
    return rank >= R_TITLE_TEXT && rank <= R_TIME_PUBDATE;
}

static void keep_best(const cl_hdate_cand **slot, const cl_hdate_cand *c)
{
    if (!*slot || c->rank > (*slot)->rank)
        *slot = c;
}

/* The date shown: the best rank, and of one rank the original over an
 * update ("Aktualisiert am ..."). */
static void keep_shown(const cl_hdate_cand **slot, const cl_hdate_cand *c)
{
    if (!*slot || c->rank > (*slot)->rank ||
        (c->rank == (*slot)->rank && (*slot)->modified && !c->modified))
        *slot = c;
}

static void sort_out(const cl_hdate *h, long long now, choice *ch)
{
    for (size_t i = 0; i < h->n; i++) {
        const cl_hdate_cand *c = &h->cand[i];
        if (!cl_date_valid(&c->date, now, 0))
            continue;
        if (c->modified)
            keep_best(&ch->modified, c);
        if (is_shown(c->rank))
            keep_shown(&ch->shown, c);
        else if (c->modified)
            continue;
        else if (c->rank >= R_ITEMPROP)
            keep_best(&ch->structured, c);
        else if (c->rank == R_DESCRIPTION)
            keep_best(&ch->described, c);
        else if (c->rank == R_PAGE_TEXT)
            keep_best(&ch->page, c);
    }
}

static int same_day(const cl_date *a, const cl_date *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* A structured candidate (publication or modification) of day d. */
static const cl_hdate_cand *structured_on(const cl_hdate *h, const cl_date *d, long long now)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->cand[i].rank >= R_ITEMPROP && same_day(&h->cand[i].date, d) &&
            cl_date_valid(&h->cand[i].date, now, 0))
            return &h->cand[i];
    return NULL;
}

static long long day_number(const cl_date *d)
{
    return (long long)d->year * 372 + d->month * 31 + d->day;
}

/* Within a day of each other, across a month's end too. */
static int a_day_apart(const cl_date *a, const cl_date *b)
{
    cl_date next = *a;
    next.day++;
    if (next.day > 28 && !cl_date_valid(&next, 0, 0)) {
        next.day = 1;
        if (++next.month > 12) {
            next.month = 1;
            next.year++;
        }
    }
    return same_day(&next, b) || same_day(a, b) || (day_number(b) < day_number(a) &&
                                                     a_day_apart(b, a));
}

/*
 * The publication date, in this order:
 *   - the URL's, when the structured one is a day off: a time stored in
 *     UTC ("2019-12-31T23:11:59+00:00") for a page dated in its own zone;
 *   - the date the page shows, when its structured data has that day
 *     (as publication or modification): what the page presents as its
 *     date, of the dates its data gives;
 *   - the structured publication; the URL's; the date shown; the one in
 *     the description.
 */
static const cl_date *publication(const cl_hdate *h, const choice *ch, long long now)
{
    const cl_hdate_cand *s = ch->structured;
    if (ch->has_url && s && a_day_apart(&s->date, &ch->url))
        return &ch->url;
    const cl_hdate_cand *confirmed = ch->shown ? structured_on(h, &ch->shown->date, now) : NULL;
    if (confirmed)
        return &confirmed->date;
    if (s)
        return &s->date;
    if (ch->has_url)
        return &ch->url;
    if (ch->shown)
        return &ch->shown->date;
    if (ch->described)
        return &ch->described->date;
    return ch->page ? &ch->page->date : NULL;
}

static int before(const cl_date *a, const cl_date *b)
{
    return day_number(a) < day_number(b);
}

static int set_date(cl_doc *doc, cl_meta_field f, const cl_date *d)
{
    char iso[CL_DATE_ISO_MAX];
    if (!d)
        return 0;
    size_t n = cl_date_iso(d, iso);
    return cl_doc_set_meta(doc, f, iso, n, 0);
}

/* The full date in the URL the page was fetched from, else in its own. */
static int url_date(const cl_doc *doc, cl_date *d)
{
    const char *urls[2] = { doc->input_url, doc->meta[CL_META_URL] };
    for (int i = 0; i < 2; i++)
        if (cl_date_from_url(urls[i], d) && cl_date_valid(d, doc->now, 0))
            return 1;
    return 0;
}

int cl_hdate_finish(cl_hdate *h, cl_doc *doc)
{
    choice ch;
    memset(&ch, 0, sizeof ch);
    ch.has_url = url_date(doc, &ch.url);
    sort_out(h, doc->now, &ch);
    const cl_date *pub = publication(h, &ch, doc->now);
    const cl_date *mod = ch.modified ? &ch.modified->date : NULL;
    /* An update before the publication is a stray date (a template's, a
     * cache's): the publication stands alone. */
    if (pub && mod && before(mod, pub))
        mod = NULL;
    if (set_date(doc, CL_META_DATE, pub) < 0)
        return -1;
    return set_date(doc, CL_META_DATE_MODIFIED, mod);
}
