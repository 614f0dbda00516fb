/*
 * html_meta.c - metadata candidates and their ranking (contract in
 * html_meta.h).
 */
#include "html_meta.h"

#include <string.h>
#include <strings.h>

#include "utf8.h"

/* JSON-LD keys deeper than this are skipped, not misattributed. */
#define LD_MAX_DEPTH 32

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
    const char   *name;   /* property / name / itemprop value */
    cl_meta_field field;
    int           rank;
} meta_key;

/* Ranks: 4 structured (OpenGraph, article:*), 3 widespread names, 2 minor. */
static const meta_key meta_keys[] = {
    { "og:title", CL_META_TITLE, 4 },
    { "twitter:title", CL_META_TITLE, 2 },
    { "og:site_name", CL_META_SITE, 4 },
    { "application-name", CL_META_SITE, 2 },
    { "og:url", CL_META_URL, 3 },
    { "article:published_time", CL_META_DATE, 4 },
    { "datepublished", CL_META_DATE, 4 },
    { "date", CL_META_DATE, 3 },
    { "pubdate", CL_META_DATE, 3 },
    { "publishdate", CL_META_DATE, 3 },
    { "publish-date", CL_META_DATE, 3 },
    { "dc.date", CL_META_DATE, 3 },
    { "dc.date.issued", CL_META_DATE, 3 },
    { "dcterms.date", CL_META_DATE, 3 },
    { "parsely-pub-date", CL_META_DATE, 3 },
    { "sailthru.date", CL_META_DATE, 2 },
    { "og:updated_time", CL_META_DATE, 1 },
    { "author", CL_META_AUTHOR, 3 },
    { "article:author", CL_META_AUTHOR, 3 },
    { "dc.creator", CL_META_AUTHOR, 3 },
    { "parsely-author", CL_META_AUTHOR, 2 },
    { "sailthru.author", CL_META_AUTHOR, 2 },
    { "byl", CL_META_AUTHOR, 1 },
};

static int is_url(const char *v)
{
    return strncasecmp(v, "http:", 5) == 0 || strncasecmp(v, "https:", 6) == 0 ||
           v[0] == '/';
}

static void meta_element(cl_hmeta *m, const GumboNode *el)
{
    const char *content = attr(el, "content");
    if (!content)
        return;
    const char *keys[3] = { attr(el, "property"), attr(el, "name"), attr(el, "itemprop") };
    for (int k = 0; k < 3; k++) {
        if (!keys[k])
            continue;
        for (size_t i = 0; i < sizeof meta_keys / sizeof *meta_keys; i++) {
            const meta_key *mk = &meta_keys[i];
            if (strcasecmp(keys[k], mk->name) != 0)
                continue;
            /* article:author is often a profile URL, not a name */
            if (mk->field == CL_META_AUTHOR && is_url(content))
                continue;
            offer_str(m, mk->field, mk->rank, content);
        }
    }
}

static void link_element(cl_hmeta *m, const GumboNode *el)
{
    const char *rel = attr(el, "rel");
    if (rel && strcasecmp(rel, "canonical") == 0)
        offer_str(m, CL_META_URL, 4, attr(el, "href"));
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

static void ld_value(cl_hmeta *m, const ld_scan *sc, const cl_buf *v)
{
    const char *key = sc->key;
    const char *owner = sc->depth > 0 ? sc->stack[sc->depth - 1] : NULL;
    if (key_is(key, "headline"))
        offer(m, CL_META_TITLE, 3, v->data, v->len);
    else if (key_is(key, "datePublished"))
        offer(m, CL_META_DATE, 5, v->data, v->len);
    else if (key_is(key, "author") || (key_is(key, "name") &&
             (key_is(owner, "author") || key_is(owner, "creator"))))
        offer(m, CL_META_AUTHOR, 4, v->data, v->len);
    else if (key_is(key, "name") && key_is(owner, "publisher"))
        offer(m, CL_META_SITE, 3, v->data, v->len);
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

static void ld_open(ld_scan *sc, int is_array)
{
    if (sc->depth < LD_MAX_DEPTH) {
        sc->stack[sc->depth] = sc->key;
        sc->is_array[sc->depth] = (char)is_array;
    }
    sc->depth++;
    if (!is_array)
        sc->key = NULL;
}

static void ld_close(ld_scan *sc)
{
    if (sc->depth > 0)
        sc->depth--;
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
            ld_open(sc, c == '[');
        else if (c == '}' || c == ']')
            ld_close(sc);
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
        if (m->rank[CL_META_TITLE] < 1) {
            child_text(el, &m->scratch);
            offer(m, CL_META_TITLE, 1, cl_buf_cstr(&m->scratch), m->scratch.len);
        }
        break;
    case GUMBO_TAG_META:
        meta_element(m, el);
        break;
    case GUMBO_TAG_LINK:
        link_element(m, el);
        break;
    case GUMBO_TAG_TIME:
        offer_str(m, CL_META_DATE, 1, attr(el, "datetime"));
        break;
    case GUMBO_TAG_SCRIPT:
        jsonld_element(m, el);
        break;
    default:
        break;
    }
}

/* ---- title clean-up ----------------------------------------------------- */

static const char *const title_seps[] = {
    " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xBB ",
    " \xC2\xAB ", " \xC2\xB7 ", " / ",
};

/* The last separator in t[0..n), or NULL. */
static const char *last_sep(const char *t, size_t n, size_t *sep_len)
{
    const char *best = NULL;
    for (size_t i = 0; i < sizeof title_seps / sizeof *title_seps; i++) {
        size_t k = strlen(title_seps[i]);
        for (const char *p = t; p + k <= t + n; p++) {
            if (memcmp(p, title_seps[i], k) == 0 && (!best || p > best)) {
                best = p;
                *sep_len = k;
            }
        }
    }
    return best;
}

/*
 * Readability's rule: cut at the last separator when what stays still reads
 * as a headline (3 words or more); a title that starts with the h1 is cut
 * to the h1.
 */
static const char *find_ci_n(const char *h, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

/* A span of the title; the rest is the site's name and separators. */
typedef struct span {
    size_t start, len;
} span;

/* Length of the separator starting at p, 0 when none does. */
static size_t sep_at(const char *p, size_t avail)
{
    for (size_t i = 0; i < sizeof title_seps / sizeof *title_seps; i++) {
        size_t k = strlen(title_seps[i]);
        if (k <= avail && memcmp(p, title_seps[i], k) == 0)
            return k;
    }
    return 0;
}

/* Length of the separator ending at t + end, 0 when none does. */
static size_t sep_before(const char *t, size_t end)
{
    for (size_t i = 0; i < sizeof title_seps / sizeof *title_seps; i++) {
        size_t k = strlen(title_seps[i]);
        if (k <= end && memcmp(t + end - k, title_seps[i], k) == 0)
            return k;
    }
    return 0;
}

/* "Site | Headline" or "Headline - Site", the site's name being known. */
static int strip_site(const char *t, span *sp, const char *site)
{
    size_t n = sp->len, k = site ? strlen(site) : 0, sep;
    if (k == 0 || k + 4 >= n)
        return 0;
    if (strncasecmp(t, site, k) == 0 && (sep = sep_at(t + k, n - k)) > 0) {
        sp->start = k + sep;
        sp->len = n - sp->start;
        return 1;
    }
    if (strncasecmp(t + n - k, site, k) == 0 && (sep = sep_before(t, n - k)) > 0) {
        sp->len = n - k - sep;
        return 1;
    }
    return 0;
}

static span clean_title(const char *t, size_t n, const char *h1, size_t h1_len,
                        const char *site)
{
    span sp = { 0, n };
    /* "Opinion | The headline | Site": the h1 is the headline itself */
    const char *at = h1 && h1_len >= 8 && h1_len * 5 >= n * 2 ? find_ci_n(t, n, h1, h1_len) : NULL;
    if (at) {
        sp.start = (size_t)(at - t);
        sp.len = h1_len;
        return sp;
    }
    if (strip_site(t, &sp, site))
        return sp;
    size_t sep_len = 0;
    const char *sep = last_sep(t, n, &sep_len);
    if (sep && cl_count_words(t, (size_t)(sep - t)) >= 3)
        sp.len = (size_t)(sep - t);
    return sp;
}

int cl_hmeta_finish(cl_hmeta *m, const char *h1, size_t h1_len, cl_doc *doc)
{
    for (int f = 0; f < CL_META_COUNT; f++) {
        if (!m->rank[f])
            continue;
        const char *v = cl_buf_cstr(&m->field[f]);
        span sp = { 0, m->field[f].len };
        if (f == CL_META_TITLE)
            sp = clean_title(v, sp.len, h1, h1_len, cl_hmeta_get(m, CL_META_SITE));
        if (f == CL_META_AUTHOR && strncasecmp(v, "by ", 3) == 0)
            sp = (span){ 3, sp.len - 3 };
        if (f == CL_META_DATE && strncmp(v, "000", 3) == 0)
            continue;  /* CMS placeholders such as 0001-01-01 */
        if (cl_doc_set_meta(doc, (cl_meta_field)f, v + sp.start, sp.len, 0) < 0)
            return -1;
    }
    if (!m->rank[CL_META_TITLE] && h1 &&
        cl_doc_set_meta(doc, CL_META_TITLE, h1, h1_len, 0) < 0)
        return -1;
    return 0;
}
