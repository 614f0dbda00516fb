/*
 * html_meta.c - metadata candidates and their ranking (contract in
 * html_meta.h).
 */
#include "html_meta.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "author.h"
#include "title.h"
#include "url.h"
#include "utf8.h"

/* JSON-LD keys deeper than this are skipped, not misattributed. */
#define LD_MAX_DEPTH 32

/* Bounds on what a page's lists add: keywords metas can hold hundreds. */
#define MAX_TAGS_BYTES 1024
#define MAX_AUTHORS_BYTES 2048

/* Readability's limit: a byline element's text is a name or two. */
#define BYLINE_MAX_BYTES 100

void cl_hmeta_init(cl_hmeta *m)
{
    memset(m, 0, sizeof *m);
}

void cl_hmeta_free(cl_hmeta *m)
{
    for (int f = 0; f < CL_META_COUNT; f++)
        cl_buf_free(&m->field[f]);
    cl_buf_free(&m->ld_body);
    cl_buf_free(&m->scratch);
    cl_buf_free(&m->authors);
    cl_buf_free(&m->byline);
    for (int i = 0; i < CL_HMETA_SITES; i++)
        cl_buf_free(&m->site[i]);
    cl_buf_free(&m->title_el);
    cl_buf_free(&m->base);
    cl_buf_free(&m->ld_name);
    cl_buf_free(&m->ld_headline);
    for (int d = 0; d < CL_HMETA_LD_OBJECTS; d++)
        for (int k = 0; k < 3; k++)
            cl_buf_free(&m->ld_pending[d][k]);
}

const char *cl_hmeta_get(const cl_hmeta *m, cl_meta_field f)
{
    return m->rank[f] ? cl_buf_cstr(&m->field[f]) : NULL;
}

static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

static void offer(cl_hmeta *m, cl_meta_field f, int rank, const char *v, size_t n)
{
    if (!v || rank <= m->rank[f] || only_space(v, n))
        return;
    cl_buf_clear(&m->field[f]);
    cl_buf_append_collapsed(&m->field[f], v, n);
    cl_buf_rtrim(&m->field[f]);
    m->rank[f] = rank;
}

static void offer_str(cl_hmeta *m, cl_meta_field f, int rank, const char *v)
{
    if (v)
        offer(m, f, rank, v, strlen(v));
}

static void set_buf(cl_buf *b, const char *v, size_t n)
{
    cl_buf_clear(b);
    cl_buf_append_collapsed(b, v, n);
    cl_buf_rtrim(b);
}

/* A byline of rank `rank`: a better rank starts the list again, the same
 * rank (a second author meta, a JSON-LD array) adds to it. */
static void offer_author(cl_hmeta *m, int rank, const char *v, size_t n)
{
    if (!v || rank < m->author_rank || only_space(v, n))
        return;
    if (rank > m->author_rank)
        cl_buf_clear(&m->authors);
    m->author_rank = rank;
    if (m->authors.len + n >= MAX_AUTHORS_BYTES)
        return;
    cl_buf_append_collapsed(&m->authors, v, n);
    cl_buf_append_char(&m->authors, '\n');
}

static int listed_ci(const cl_buf *list, const char *t, size_t n)
{
    const char *p = cl_buf_cstr(list);
    while (*p) {
        const char *e = strstr(p, ", ");
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && strncasecmp(p, t, n) == 0)
            return 1;
        p += k + (e ? 2 : 0);
    }
    return 0;
}

/* Adds each comma-separated item of v to the tags, once each. */
static void offer_tags(cl_hmeta *m, const char *v, size_t n)
{
    cl_buf *tags = &m->field[CL_META_TAGS];
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && v[j] != ',' && v[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && (v[a] == ' ' || v[a] == '\t' || v[a] == '\n'))
            a++;
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t' || v[b - 1] == '\n'))
            b--;
        if (b > a && tags->len + (b - a) < MAX_TAGS_BYTES && !memchr(v + a, '\n', b - a) &&
            !listed_ci(tags, v + a, b - a)) {
            if (tags->len)
                cl_buf_append_str(tags, ", ");
            cl_buf_append(tags, v + a, b - a);
            m->rank[CL_META_TAGS] = 1;
        }
        i = j + 1;
    }
}

static const char *attr(const GumboNode *el, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&el->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Concatenated text children (title, script): these hold only text. */
static void child_text(const GumboNode *el, cl_buf *out)
{
    const GumboVector *kids = &el->v.element.children;
    cl_buf_clear(out);
    for (unsigned i = 0; i < kids->length; i++) {
        const GumboNode *k = kids->data[i];
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE ||
            k->type == GUMBO_NODE_CDATA)
            cl_buf_append_str(out, k->v.text.text);
    }
}

typedef struct meta_key {
    const char   *name;   /* property / name / itemprop / http-equiv value */
    cl_meta_field field;
    int           rank;
} meta_key;

/* Ranks: 4 structured (OpenGraph, article:*), 3 widespread names, 2 minor. */
static const meta_key meta_keys[] = {
    { "dc.title", CL_META_TITLE, 5 },
    { "dc:title", CL_META_TITLE, 5 },
    { "dcterm:title", CL_META_TITLE, 5 },
    { "og:title", CL_META_TITLE, 4 },
    { "weibo:article:title", CL_META_TITLE, 4 },
    { "title", CL_META_TITLE, 3 },
    { "twitter:title", CL_META_TITLE, 3 },
    { "parsely-title", CL_META_TITLE, 2 },
    { "og:site_name", CL_META_SITE, 4 },
    { "application-name", CL_META_SITE, 2 },
    { "og:url", CL_META_URL, 3 },
    { "content-language", CL_META_LANG, 3 },
    { "language", CL_META_LANG, 2 },
    { "dc.language", CL_META_LANG, 2 },
    { "og:locale", CL_META_LANG, 1 },
    { "dc.description", CL_META_DESCRIPTION, 5 },
    { "dc:description", CL_META_DESCRIPTION, 5 },
    { "og:description", CL_META_DESCRIPTION, 4 },
    { "description", CL_META_DESCRIPTION, 3 },
    { "twitter:description", CL_META_DESCRIPTION, 2 },
    { "og:image", CL_META_IMAGE, 4 },
    { "og:image:url", CL_META_IMAGE, 4 },
    { "og:image:secure_url", CL_META_IMAGE, 4 },
    { "twitter:image", CL_META_IMAGE, 3 },
    { "twitter:image:src", CL_META_IMAGE, 3 },
    { "article:tag", CL_META_TAGS, 1 },
    { "article:section", CL_META_TAGS, 1 },
    { "keywords", CL_META_TAGS, 1 },
    { "news_keywords", CL_META_TAGS, 1 },
    { "dc.creator", CL_META_AUTHOR, 5 },
    { "dc:creator", CL_META_AUTHOR, 5 },
    { "dcterm:creator", CL_META_AUTHOR, 5 },
    { "citation_author", CL_META_AUTHOR, 5 },
    { "author", CL_META_AUTHOR, 4 },
    { "article:author", CL_META_AUTHOR, 4 },
    { "article:author_name", CL_META_AUTHOR, 4 },
    { "parsely-author", CL_META_AUTHOR, 3 },
    { "sailthru.author", CL_META_AUTHOR, 3 },
    { "byl", CL_META_AUTHOR, 2 },
};

static int is_url(const char *v)
{
    return strncasecmp(v, "http:", 5) == 0 || strncasecmp(v, "https:", 6) == 0 ||
           v[0] == '/';
}

/* One meta key's value, taken as its field wants it. */
static void meta_value(cl_hmeta *m, const meta_key *mk, const char *content)
{
    size_t n = strlen(content);
    switch (mk->field) {
    case CL_META_AUTHOR:
        /* article:author is often a profile URL, not a name */
        if (!is_url(content))
            offer_author(m, mk->rank, content, n);
        return;
    case CL_META_TAGS:
        offer_tags(m, content, n);
        return;
    case CL_META_SITE: {
        cl_buf *site = &m->site[mk->rank >= 4 ? CL_HMETA_SITE_OG : CL_HMETA_SITE_APP];
        if (!site->len)
            set_buf(site, content, n);
        break;
    }
    default:
        break;
    }
    offer(m, mk->field, mk->rank, content, n);
}

/* A key's name is matched whole: "og:title", and each of the words of
 * property="dc:creator twitter:site_name" (RDFa allows several). */
static void meta_key_word(cl_hmeta *m, const char *w, size_t n, const char *content)
{
    if (cl_hdate_meta(&m->dates, w, n, content))
        return;
    for (size_t i = 0; i < sizeof meta_keys / sizeof *meta_keys; i++) {
        const meta_key *mk = &meta_keys[i];
        if (strlen(mk->name) == n && strncasecmp(w, mk->name, n) == 0)
            meta_value(m, mk, content);
    }
}

static void meta_element(cl_hmeta *m, const GumboNode *el)
{
    const char *content = attr(el, "content");
    if (!content)
        return;
    const char *keys[4] = { attr(el, "property"), attr(el, "name"), attr(el, "itemprop"),
                            attr(el, "http-equiv") };
    for (int k = 0; k < 4; k++) {
        const char *p = keys[k];
        while (p && *p) {
            while (*p == ' ' || *p == '\t' || *p == '\n')
                p++;
            size_t n = strcspn(p, " \t\n");
            if (n)
                meta_key_word(m, p, n, content);
            p += n;
        }
    }
}

static int rel_has(const char *rel, const char *word)
{
    size_t k = strlen(word);
    for (const char *p = rel; p && *p; ) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \t\n");
        if (n == k && strncasecmp(p, word, k) == 0)
            return 1;
        p += n;
    }
    return 0;
}

static void link_element(cl_hmeta *m, const GumboNode *el)
{
    const char *rel = attr(el, "rel");
    if (rel_has(rel, "canonical"))
        offer_str(m, CL_META_URL, 4, attr(el, "href"));
    else if (rel_has(rel, "image_src"))
        offer_str(m, CL_META_IMAGE, 2, attr(el, "href"));
}

/* ---- JSON-LD ------------------------------------------------------------ */

typedef struct ld_scan {
    const char *s;
    size_t      n, i;
    const char *stack[LD_MAX_DEPTH];  /* key owning each open container */
    char        is_array[LD_MAX_DEPTH];
    int         depth;
    const char *key;                  /* the member key just read */
    cl_buf      keybuf[LD_MAX_DEPTH + 1];
} ld_scan;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static unsigned read_hex4(const char *s, size_t n, size_t i)
{
    if (i + 4 > n)
        return 0xFFFD;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[i + (size_t)k]);
        if (h < 0)
            return 0xFFFD;
        v = v * 16 + (unsigned)h;
    }
    return v;
}

/* \uD83D\uDE00: a surrogate pair is one code point. */
static unsigned read_escape_u(const char *s, size_t n, size_t *i)
{
    unsigned cp = read_hex4(s, n, *i);
    *i += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF && *i + 6 <= n && s[*i] == '\\' && s[*i + 1] == 'u') {
        unsigned lo = read_hex4(s, n, *i + 2);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            *i += 6;
            return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
    }
    return cp;
}

/* Decodes the JSON string starting after its opening quote at sc->i. */
static void ld_string(ld_scan *sc, cl_buf *out)
{
    const char *s = sc->s;
    cl_buf_clear(out);
    while (sc->i < sc->n && s[sc->i] != '"') {
        size_t start = sc->i;
        while (sc->i < sc->n && s[sc->i] != '"' && s[sc->i] != '\\')
            sc->i++;
        cl_buf_append(out, s + start, sc->i - start);
        if (sc->i >= sc->n || s[sc->i] != '\\')
            continue;
        if (sc->i + 1 >= sc->n) {
            sc->i = sc->n;  /* a backslash ends the text: nothing to escape */
            break;
        }
        char c = s[sc->i + 1];
        sc->i += 2;
        switch (c) {
        case 'n':
            cl_buf_append_char(out, '\n');  /* paragraph breaks of articleBody */
            break;
        case 'r': case 't': case 'f': case 'b':
            cl_buf_append_char(out, ' ');
            break;
        case 'u':
            cl_utf8_append(out, read_escape_u(s, sc->n, &sc->i));
            break;
        default:
            cl_buf_append_char(out, c);
        }
    }
    sc->i++;
}

static int key_is(const char *k, const char *name)
{
    return k && strcmp(k, name) == 0;
}

/* Schema.org's article types (Article, NewsArticle, BlogPosting,
 * TechArticle, LiveBlogPosting ...), not a WebPage or an Organization. */
static int is_article_type(const cl_buf *v)
{
    static const char *const ends[] = { "Article", "Posting", "Report", "APIReference" };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t k = strlen(ends[i]);
        if (v->len >= k && memcmp(v->data + v->len - k, ends[i], k) == 0)
            return 1;
    }
    return 0;
}

/* The shallow object a value is a member of (through an array of values
 * too), or -1. */
static int ld_object(const ld_scan *sc)
{
    int d = sc->depth - 1;
    if (d >= 0 && d < LD_MAX_DEPTH && sc->is_array[d])
        d--;
    return d >= 0 && d < CL_HMETA_LD_OBJECTS && !sc->is_array[d] ? d : -1;
}

enum { LD_NAME, LD_HEADLINE, LD_DESCRIPTION };

/* Name, headline and description wait for their object's end: its @type
 * can come after them. */
static int ld_pending_value(cl_hmeta *m, const ld_scan *sc, const cl_buf *v)
{
    const char *key = sc->key;
    int slot = key_is(key, "name") ? LD_NAME : key_is(key, "headline") ? LD_HEADLINE
             : key_is(key, "description") ? LD_DESCRIPTION : -1;
    int obj = ld_object(sc);
    if (key_is(key, "@type") && obj >= 0) {
        m->ld_is_article[obj] |= (char)is_article_type(v);
        return 1;
    }
    if (slot < 0 || obj < 0 || sc->is_array[sc->depth - 1])
        return 0;
    cl_buf *b = &m->ld_pending[obj][slot];
    if (!b->len)
        set_buf(b, v->data, v->len);
    return slot != LD_NAME;
}

static void ld_value(cl_hmeta *m, const ld_scan *sc, const cl_buf *v)
{
    const char *key = sc->key;
    const char *owner = sc->depth > 0 ? sc->stack[sc->depth - 1] : NULL;
    if (ld_pending_value(m, sc, v))
        return;
    if (cl_hdate_ld(&m->dates, key, owner, v->data, v->len))
        return;
    if (key_is(key, "author") || (key_is(key, "name") && key_is(owner, "author")))
        offer_author(m, 6, v->data, v->len);
    else if (key_is(key, "creator") || (key_is(key, "name") && key_is(owner, "creator")))
        offer_author(m, 3, v->data, v->len);
    else if (key_is(key, "name") && key_is(owner, "publisher")) {
        if (!m->site[CL_HMETA_SITE_PUBLISHER].len)
            set_buf(&m->site[CL_HMETA_SITE_PUBLISHER], v->data, v->len);
        offer(m, CL_META_SITE, 3, v->data, v->len);
    } else if (key_is(key, "keywords") || key_is(key, "articleSection"))
        offer_tags(m, v->data, v->len);
    else if (key_is(key, "inLanguage"))
        offer(m, CL_META_LANG, 3, v->data, v->len);
    else if (key_is(key, "image") || (key_is(key, "url") && key_is(owner, "image")))
        offer(m, CL_META_IMAGE, 2, v->data, v->len);
    else if (key_is(key, "thumbnailUrl"))
        offer(m, CL_META_IMAGE, 1, v->data, v->len);
    else if (key_is(key, "articleBody") && v->len > m->ld_body.len) {
        cl_buf_clear(&m->ld_body);
        cl_buf_append(&m->ld_body, v->data, v->len);
    }
}

static size_t skip_space(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i;
}

/*
 * A string followed by ':' is a member key, kept for the value that follows;
 * containers remember the key that owns them, so "author": {"name": ...}
 * and "author": [{"name": ...}] both reach the author field.
 */
/* The key values inside the innermost container inherit: an array's owner
 * key for its elements, none in an object until a member key is read. */
static const char *ld_inherited_key(const ld_scan *sc)
{
    if (sc->depth <= 0 || sc->depth > LD_MAX_DEPTH)
        return NULL;
    return sc->is_array[sc->depth - 1] ? sc->stack[sc->depth - 1] : NULL;
}

static void ld_open(cl_hmeta *m, ld_scan *sc, int is_array)
{
    if (!is_array && sc->depth < CL_HMETA_LD_OBJECTS) {
        for (int k = 0; k < 3; k++)
            cl_buf_clear(&m->ld_pending[sc->depth][k]);
        m->ld_is_article[sc->depth] = 0;
    }
    if (sc->depth < LD_MAX_DEPTH) {
        sc->stack[sc->depth] = sc->key;
        sc->is_array[sc->depth] = (char)is_array;
    }
    sc->depth++;
    if (!is_array)
        sc->key = NULL;
}

/* The first article object closed gives its name, headline and
 * description. */
static void ld_commit(cl_hmeta *m, int obj)
{
    cl_buf *p = m->ld_pending[obj];
    if (!m->ld_is_article[obj] || m->ld_article)
        return;
    m->ld_article = 1;
    set_buf(&m->ld_name, cl_buf_cstr(&p[LD_NAME]), p[LD_NAME].len);
    set_buf(&m->ld_headline, cl_buf_cstr(&p[LD_HEADLINE]), p[LD_HEADLINE].len);
    offer(m, CL_META_DESCRIPTION, 6, cl_buf_cstr(&p[LD_DESCRIPTION]), p[LD_DESCRIPTION].len);
}

static void ld_close(cl_hmeta *m, ld_scan *sc)
{
    if (sc->depth > 0)
        sc->depth--;
    if (sc->depth < CL_HMETA_LD_OBJECTS && !sc->is_array[sc->depth])
        ld_commit(m, sc->depth);
    sc->key = ld_inherited_key(sc);
}

static void ld_string_token(cl_hmeta *m, ld_scan *sc)
{
    cl_buf *val = &m->scratch;
    ld_string(sc, val);
    size_t j = skip_space(sc->s, sc->n, sc->i);
    if (j < sc->n && sc->s[j] == ':') {
        int slot = sc->depth < LD_MAX_DEPTH ? sc->depth : LD_MAX_DEPTH;
        cl_buf_clear(&sc->keybuf[slot]);
        cl_buf_append(&sc->keybuf[slot], cl_buf_cstr(val), val->len);
        sc->key = cl_buf_cstr(&sc->keybuf[slot]);
        sc->i = j + 1;
        return;
    }
    if (sc->depth <= LD_MAX_DEPTH)
        ld_value(m, sc, val);
}

/*
 * A string followed by ':' is a member key, kept for the value that follows;
 * containers remember the key that owns them, so "author": {"name": ...}
 * and "author": [{"name": ...}] both reach the author field.
 */
static void ld_scan_text(cl_hmeta *m, ld_scan *sc)
{
    while (sc->i < sc->n) {
        char c = sc->s[sc->i++];
        if (c == '{' || c == '[')
            ld_open(m, sc, c == '[');
        else if (c == '}' || c == ']')
            ld_close(m, sc);
        else if (c == '"')
            ld_string_token(m, sc);
        else if (c == ',')
            sc->key = ld_inherited_key(sc);
    }
}

static void jsonld_element(cl_hmeta *m, const GumboNode *el)
{
    const char *type = attr(el, "type");
    if (!type || strcasecmp(type, "application/ld+json") != 0)
        return;
    cl_buf text = CL_BUF_INIT;
    child_text(el, &text);
    ld_scan sc;
    memset(&sc, 0, sizeof sc);
    sc.s = cl_buf_cstr(&text);
    sc.n = text.len;
    ld_scan_text(m, &sc);
    for (int k = 0; k <= LD_MAX_DEPTH; k++)
        cl_buf_free(&sc.keybuf[k]);
    cl_buf_free(&text);
}

void cl_hmeta_element(cl_hmeta *m, const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_TITLE:
        if (!m->title_el.len) {
            child_text(el, &m->scratch);
            set_buf(&m->title_el, cl_buf_cstr(&m->scratch), m->scratch.len);
        }
        break;
    case GUMBO_TAG_BASE:
        if (!m->base.len && attr(el, "href"))
            set_buf(&m->base, attr(el, "href"), strlen(attr(el, "href")));
        break;
    case GUMBO_TAG_META:
        meta_element(m, el);
        break;
    case GUMBO_TAG_LINK:
        link_element(m, el);
        break;
    case GUMBO_TAG_SCRIPT:
        jsonld_element(m, el);
        break;
    default:
        break;
    }
}

/* ---- the page: html[lang], bylines -------------------------------------- */

typedef struct page_frame {
    const GumboNode *node;
    unsigned         next;
    int              in_article;
} page_frame;

static const char *attr_or_empty(const GumboNode *el, const char *name)
{
    const char *v = attr(el, name);
    return v ? v : "";
}

static int has_ci(const char *h, const char *needle)
{
    return strcasestr(h, needle) != NULL;
}

static int class_or_id_has(const GumboNode *el, const char *needle)
{
    return has_ci(attr_or_empty(el, "class"), needle) || has_ci(attr_or_empty(el, "id"), needle);
}

static int is_frame_el(const GumboNode *el);

/* Page parts whose bylines are other articles' or commenters'.  The
 * page's frame (html, body, main, article) carries page-type classes
 * ("sidebar-primary", "author-4326"), not names of its parts; an <aside>
 * inside the article is its own (a byline box beside the text). */
static int is_aside(const GumboNode *el, int in_article)
{
    static const char *const asides[] = {
        "comment", "sidebar", "related", "footer", "widget", "promo", "recommend",
        "newsletter", "share", "social", "menu", "popular", "trending", "teaser",
    };
    GumboTag t = el->v.element.tag;
    if (is_frame_el(el))
        return 0;
    if ((t == GUMBO_TAG_ASIDE && !in_article) || t == GUMBO_TAG_NAV || t == GUMBO_TAG_FOOTER ||
        t == GUMBO_TAG_FORM || t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE ||
        t == GUMBO_TAG_HEAD || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE ||
        attr(el, "hidden") || strcasecmp(attr_or_empty(el, "aria-hidden"), "true") == 0)
        return 1;
    for (size_t i = 0; i < sizeof asides / sizeof *asides; i++)
        if (class_or_id_has(el, asides[i]))
            return 1;
    return 0;
}

static int is_frame_el(const GumboNode *el)
{
    GumboTag t = el->v.element.tag;
    return t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY || t == GUMBO_TAG_MAIN ||
           t == GUMBO_TAG_ARTICLE;
}

static int is_article_el(const GumboNode *el)
{
    GumboTag t = el->v.element.tag;
    return t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN ||
           has_ci(attr_or_empty(el, "itemprop"), "articleBody") ||
           has_ci(attr_or_empty(el, "itemtype"), "Article");
}

/* "author" as a word of a class ("author", "post-author", "authors"),
 * not inside one ("authority-control"). */
static int has_word_ci(const char *h, const char *w)
{
    size_t k = strlen(w);
    for (const char *p = strcasestr(h, w); p; p = strcasestr(p + 1, w)) {
        char after = p[k] == 's' ? p[k + 1] : p[k];
        if (!((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z')))
            return 1;
    }
    return 0;
}

static int is_byline_el(const GumboNode *el)
{
    const char *cls = attr_or_empty(el, "class"), *id = attr_or_empty(el, "id");
    return rel_has(attr(el, "rel"), "author") || has_ci(attr_or_empty(el, "itemprop"), "author") ||
           has_ci(cls, "byline") || has_ci(id, "byline") || has_word_ci(cls, "author") ||
           has_word_ci(id, "author") || has_ci(cls, "writtenby");
}

/* The element's text, whitespace collapsed, stopping past `max` bytes. */
static int node_text(const GumboNode *el, cl_buf *out, size_t max)
{
    const GumboNode *stack[64];
    unsigned next[64];
    int depth = 0;
    stack[0] = el;
    next[0] = 0;
    cl_buf_clear(out);
    while (depth >= 0 && out->len <= max) {
        const GumboNode *n = stack[depth];
        const GumboVector *kids = &n->v.element.children;
        if (next[depth] >= kids->length) {
            depth--;
            continue;
        }
        const GumboNode *k = kids->data[next[depth]++];
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE) {
            cl_buf_append_char(out, ' ');
            cl_buf_append_collapsed(out, k->v.text.text, strlen(k->v.text.text));
        } else if (k->type == GUMBO_NODE_ELEMENT && depth + 1 < 64 && !is_aside(k, 1)) {
            stack[++depth] = k;
            next[depth] = 0;
        }
    }
    return out->oom ? -1 : 0;
}

/* A byline element: its text if short enough, the best rank kept.  1 when
 * taken; 0 when too long to be a byline (a box named "author-bio" holding
 * one is looked into); -1 on allocation failure. */
static int offer_byline(cl_hmeta *m, const GumboNode *el, int rank)
{
    if (rank <= m->byline_rank)
        return 1;
    if (node_text(el, &m->scratch, BYLINE_MAX_BYTES) < 0)
        return -1;
    const char *t = cl_buf_cstr(&m->scratch);
    size_t n = m->scratch.len;
    while (n && *t == ' ')
        t++, n--;
    if (n >= BYLINE_MAX_BYTES)
        return 0;
    if (n == 0)
        return 1;
    set_buf(&m->byline, t, n);
    m->byline_rank = rank;
    return 1;
}

static void page_root(cl_hmeta *m, const GumboNode *el)
{
    const char *lang = attr(el, "lang");
    offer_str(m, CL_META_LANG, 4, lang ? lang : attr(el, "xml:lang"));
}

static int page_element(cl_hmeta *m, const GumboNode *el, int in_article, int *descend)
{
    *descend = 0;
    if (el->v.element.tag == GUMBO_TAG_HTML)
        page_root(m, el);
    if (is_aside(el, in_article))
        return 0;
    if (!is_frame_el(el) && is_byline_el(el)) {
        int taken = offer_byline(m, el, in_article ? 2 : 1);
        if (taken != 0)
            return taken < 0 ? -1 : 0;
    }
    *descend = 1;
    return 0;
}

int cl_hmeta_page(cl_hmeta *m, const GumboNode *root)
{
    page_frame *stack = NULL;
    size_t depth = 0, cap = 0;
    int rc = 0;
    if (!root || root->type != GUMBO_NODE_DOCUMENT)
        return 0;
    const GumboVector *top = &root->v.document.children;
    for (unsigned i = 0; i < top->length && rc == 0; i++) {
        const GumboNode *n = top->data[i];
        int descend = 0;
        if (n->type != GUMBO_NODE_ELEMENT ||
            page_element(m, n, 0, &descend) < 0 || !descend)
            continue;
        depth = 0;
        if (cap == 0 && !(stack = malloc(sizeof *stack * (cap = 64))))
            return -1;
        stack[depth++] = (page_frame){ n, 0, is_article_el(n) };
        while (depth > 0 && rc == 0) {
            page_frame *f = &stack[depth - 1];
            const GumboVector *kids = &f->node->v.element.children;
            if (f->next >= kids->length) {
                depth--;
                continue;
            }
            const GumboNode *k = kids->data[f->next++];
            int in_article = f->in_article;
            if (k->type != GUMBO_NODE_ELEMENT)
                continue;
            rc = page_element(m, k, in_article, &descend);
            if (rc < 0 || !descend)
                continue;
            if (depth == cap) {
                page_frame *grown = realloc(stack, sizeof *stack * cap * 2);
                if (!grown) {
                    rc = -1;
                    break;
                }
                stack = grown;
                cap *= 2;
            }
            stack[depth++] = (page_frame){ k, 0, in_article || is_article_el(k) };
        }
    }
    free(stack);
    return rc;
}

/* ---- finish ------------------------------------------------------------- */

/* The names a page gives itself and its host ("example.com"): none of
 * them is a title or a person. */
#define MAX_SITES (CL_HMETA_SITES + 1)

static size_t site_names(const cl_hmeta *m, const char *url, cl_buf *host,
                         const char *names[MAX_SITES])
{
    size_t k = 0, start, len;
    for (int i = 0; i < CL_HMETA_SITES; i++)
        if (m->site[i].len)
            names[k++] = cl_buf_cstr(&m->site[i]);
    if (url && cl_url_host(url, &start, &len) == 0) {
        cl_buf_append(host, url + start, len);
        names[k++] = cl_buf_cstr(host);
    }
    return k;
}

static int is_site_name(const char *t, size_t n, const char *const *sites, size_t ns)
{
    for (size_t i = 0; i < ns; i++)
        if (strlen(sites[i]) == n && strncasecmp(t, sites[i], n) == 0)
            return 1;
    return 0;
}

/*
 * Readability's choice between a JSON-LD article's name and headline: the
 * headline when it, and not the name, resembles the page's <title>.
 */
#define TITLE_SIMILAR 0.75

static const cl_buf *ld_title(const cl_hmeta *m, const char *ref)
{
    const cl_buf *name = &m->ld_name, *headline = &m->ld_headline;
    if (!name->len || !headline->len || strcmp(name->data, headline->data) == 0)
        return name->len ? name : headline;
    int headline_like = cl_title_similarity(headline->data, ref) > TITLE_SIMILAR;
    int name_like = cl_title_similarity(name->data, ref) > TITLE_SIMILAR;
    return headline_like && !name_like ? headline : name;
}

/* A title that is the site's name: og:site_name or the publisher's, not
 * application-name, which many pages set to the page's own title. */
static int is_site_title(const cl_hmeta *m, const char *t, size_t n)
{
    const char *names[2] = { cl_buf_cstr(&m->site[CL_HMETA_SITE_OG]),
                             cl_buf_cstr(&m->site[CL_HMETA_SITE_PUBLISHER]) };
    for (int i = 0; i < 2; i++)
        if (names[i][0] && is_site_name(t, n, &names[i], 1))
            return 1;
    return 0;
}

static int set_title(const cl_hmeta *m, const char *h1, size_t h1_len,
                     const char *const *sites, size_t ns, cl_doc *doc)
{
    const char *el = cl_buf_cstr(&m->title_el);
    cl_title_span sp = cl_title_clean(el, m->title_el.len, sites, ns);
    cl_buf cleaned = CL_BUF_INIT;
    cl_buf_append(&cleaned, el + sp.start, sp.len);
    const cl_buf *ld = ld_title(m, cl_buf_cstr(&cleaned));
    const cl_buf *meta = m->rank[CL_META_TITLE] ? &m->field[CL_META_TITLE] : NULL;
    const char *cand[4] = { cl_buf_cstr(ld), meta ? cl_buf_cstr(meta) : "",
                            cl_buf_cstr(&cleaned), h1 };
    size_t len[4] = { ld->len, meta ? meta->len : 0, cleaned.len, h1 ? h1_len : 0 };
    int rc = 0;
    for (int i = 0; i < 4; i++) {
        if (!len[i] || is_site_title(m, cand[i], len[i]))
            continue;
        if (i == 2 && h1 && cl_title_extends(cand[i], len[i], h1, h1_len))
            i = 3;
        rc = cl_doc_set_meta(doc, CL_META_TITLE, cand[i], len[i], 0);
        break;
    }
    cl_buf_free(&cleaned);
    return rc;
}

/* Each line of `raw` a byline, its names added to `list`. */
static int add_bylines(cl_buf *list, const cl_buf *raw, const char *const *sites, size_t ns)
{
    const char *p = cl_buf_cstr(raw);
    while (*p) {
        size_t k = strcspn(p, "\n");
        if (cl_author_add(list, p, k, sites, ns) < 0)
            return -1;
        p += k + (p[k] ? 1 : 0);
    }
    return 0;
}

static int set_authors(const cl_hmeta *m, const char *const *sites, size_t ns, cl_doc *doc)
{
    cl_buf list = CL_BUF_INIT;
    int rc = add_bylines(&list, &m->authors, sites, ns);
    if (rc == 0 && !list.len)
        rc = add_bylines(&list, &m->byline, sites, ns);
    if (rc == 0 && list.len)
        rc = cl_doc_set_meta(doc, CL_META_AUTHOR, list.data, list.len, 0);
    cl_buf_free(&list);
    return rc;
}

/* A field's URL made absolute against <base href>, itself resolved
 * against the input's URL; a URL that stays relative is not set. */
static int set_absolute(const cl_hmeta *m, cl_meta_field f, const char *base, cl_doc *doc)
{
    if (!m->rank[f])
        return 0;
    cl_buf abs = CL_BUF_INIT;
    int rc = cl_url_resolve(base, cl_buf_cstr(&m->field[f]), &abs);
    if (rc == 1)
        rc = cl_doc_set_meta(doc, f, abs.data, abs.len, 0);
    cl_buf_free(&abs);
    return rc < 0 ? -1 : 0;
}

static int set_urls(const cl_hmeta *m, cl_doc *doc, cl_buf *base)
{
    const char *input = doc->input_url;
    if (m->base.len && cl_url_resolve(input, cl_buf_cstr(&m->base), base) < 0)
        return -1;
    const char *b = base->len && cl_url_has_scheme(base->data, base->len) ? base->data : input;
    if (set_absolute(m, CL_META_URL, b, doc) < 0 || set_absolute(m, CL_META_IMAGE, b, doc) < 0)
        return -1;
    return 0;
}

int cl_hmeta_finish(cl_hmeta *m, const char *h1, size_t h1_len, cl_doc *doc)
{
    cl_buf base = CL_BUF_INIT, host = CL_BUF_INIT;
    int rc = set_urls(m, doc, &base);
    const char *sites[MAX_SITES];
    size_t ns = site_names(m, doc->meta[CL_META_URL] ? doc->meta[CL_META_URL] : doc->input_url,
                           &host, sites);
    if (rc == 0)
        rc = set_title(m, h1, h1_len, sites, ns, doc);
    if (rc == 0)
        rc = set_authors(m, sites, ns, doc);
    for (int f = 0; f < CL_META_COUNT && rc == 0; f++) {
        if (!m->rank[f] || f == CL_META_TITLE || f == CL_META_AUTHOR || f == CL_META_URL ||
            f == CL_META_IMAGE)
            continue;
        const char *v = cl_buf_cstr(&m->field[f]);
        rc = cl_doc_set_meta(doc, (cl_meta_field)f, v, m->field[f].len, 0);
    }
    if (rc == 0)
        rc = cl_hdate_finish(&m->dates, doc);
    cl_buf_free(&base);
    cl_buf_free(&host);
    return rc < 0 ? -1 : 0;
}
