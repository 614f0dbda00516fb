/*
 * html_walk.c - Gumbo tree to the flat page model (contract in html_walk.h).
 */
#include "html_walk.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* class + id + role, lower-cased, as attr rules see them; longer attribute
 * strings are cut (the chrome words come first in practice). */
#define ATTR_MAX 256

/* Pages repeat a few class strings thousands of times: each distinct one is
 * matched against the attr rules once.  Power of two; a full table just
 * overwrites (a miss costs one match, never a wrong answer). */
#define ATTR_CACHE 1024

/* What an element changed on entry, undone on exit. */
enum {
    U_NODE    = 1u << 0,
    U_LINK    = 1u << 1,
    U_PRE     = 1u << 2,
    U_LIST    = 1u << 3,
    U_LI      = 1u << 4,
    U_QUOTE   = 1u << 5,
    U_CAPTION = 1u << 6,
    U_HEADING = 1u << 7,
    U_FIGCAP  = 1u << 8,
};

typedef struct frame {
    const GumboNode *node;
    unsigned         next;   /* next child to visit */
    unsigned         undo;
    uint32_t         hnode;
} frame;

typedef struct attr_entry {
    uint64_t    key;     /* hash of the class/id/role string; 0: empty */
    const char *rule;    /* the matching rule's name, or NULL */
} attr_entry;

typedef struct walker {
    const cl_hwalk_opts *o;
    cl_hpage *pg;
    cl_hmeta *meta;
    frame    *stack;
    size_t    depth, cap;
    uint32_t  cur;           /* innermost open node */
    cl_buf    pend;          /* text of the block being gathered */
    size_t    pend_link;
    int       link, pre, list, li, quote, caption, figcaption, heading;
    int       oom;
    attr_entry cache[ATTR_CACHE];
} walker;

void cl_hpage_free(cl_hpage *pg)
{
    free(pg->nodes);
    free(pg->blocks);
    cl_buf_free(&pg->text);
    cl_buf_free(&pg->attrs);
    memset(pg, 0, sizeof *pg);
}

/* ---- element classes ---------------------------------------------------- */

static int is_skipped_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_APPLET:
    case GUMBO_TAG_MENU: case GUMBO_TAG_LABEL:
    case GUMBO_TAG_RT: case GUMBO_TAG_RP:   /* ruby readings: not the text */
        return 1;
    default:
        return 0;
    }
}

static int is_block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_OL: case GUMBO_TAG_P:
    case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR:
    case GUMBO_TAG_UL: case GUMBO_TAG_LEGEND: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_UNKNOWN:  /* custom elements are mostly layout wrappers */
        return 1;
    default:
        return 0;
    }
}

static int heading_level(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
    }
}

static const char *attr(const GumboNode *el, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&el->v.element.attributes, name);
    return a ? a->value : NULL;
}

static const char *find_ci(const char *h, const char *needle)
{
    size_t k = strlen(needle);
    for (; *h; h++)
        if (strncasecmp(h, needle, k) == 0)
            return h;
    return NULL;
}

/* display:none or visibility:hidden, with any spacing around the colon. */
static int style_hides(const char *style)
{
    char squeezed[128];
    size_t k = 0;
    for (const char *p = style; *p && k + 1 < sizeof squeezed; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n')
            squeezed[k++] = *p;
    squeezed[k] = '\0';
    return find_ci(squeezed, "display:none") || find_ci(squeezed, "visibility:hidden");
}

static int is_hidden(const GumboNode *el)
{
    if (gumbo_get_attribute(&el->v.element.attributes, "hidden"))
        return 1;
    const char *aria = attr(el, "aria-hidden");
    if (aria && strcasecmp(aria, "true") == 0)
        return 1;
    const char *style = attr(el, "style");
    return style && style_hides(style);
}

static int is_article_prop(const GumboNode *el)
{
    const char *ip = attr(el, "itemprop");
    return ip && find_ci(ip, "articlebody");
}

static int attr_exempt(const GumboNode *el)
{
    switch (el->v.element.tag) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ARTICLE:
        return 1;
    default:
        return is_article_prop(el);
    }
}

static size_t append_lower(char *dst, size_t k, size_t cap, const char *s)
{
    if (!s || !*s)
        return k;
    if (k && k + 1 < cap)
        dst[k++] = ' ';
    for (; *s && k + 1 < cap; s++)
        dst[k++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
    return k;
}

/* nav and aside are chrome by definition; like any chrome, they are kept
 * when they hold most of the page's text (sites that misuse them). */
static const char *tag_chrome(GumboTag t)
{
    if (t == GUMBO_TAG_NAV)
        return "nav";
    return t == GUMBO_TAG_ASIDE ? "aside" : NULL;
}

/* FNV-1a, never 0 (the empty-slot mark). */
static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ? h : 1;
}

/* The attr rule naming the element chrome, or NULL. */
static const char *attr_chrome(walker *w, const GumboNode *el)
{
    if (!w->o->rules || attr_exempt(el))
        return NULL;
    char buf[ATTR_MAX];
    size_t k = 0;
    k = append_lower(buf, k, sizeof buf, attr(el, "class"));
    k = append_lower(buf, k, sizeof buf, attr(el, "id"));
    k = append_lower(buf, k, sizeof buf, attr(el, "role"));
    if (k == 0)
        return NULL;
    buf[k] = '\0';
    uint64_t key = hash_bytes(buf, k);
    attr_entry *e = &w->cache[key & (ATTR_CACHE - 1)];
    if (e->key == key)
        return e->rule;
    const char *site = w->meta ? cl_hmeta_get(w->meta, CL_META_SITE) : NULL;
    const char *url = w->meta ? cl_hmeta_get(w->meta, CL_META_URL) : NULL;
    cl_rule_match m;
    e->key = key;
    e->rule = cl_rules_match_attr(w->o->rules, buf, k, site, url, &m) ? m.name : NULL;
    return e->rule;
}

/* ---- blocks ------------------------------------------------------------- */

static cl_block_kind pending_kind(const walker *w, int *level)
{
    *level = 0;
    if (w->pre)
        return CL_BLOCK_CODE;
    if (w->heading) {
        *level = w->heading;
        return CL_BLOCK_HEADING;
    }
    if (w->caption)
        return CL_BLOCK_CAPTION;
    if (w->li) {
        *level = w->list > 0 ? w->list : 1;
        return CL_BLOCK_LIST_ITEM;
    }
    return w->quote ? CL_BLOCK_QUOTE : CL_BLOCK_PARAGRAPH;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Code keeps its lines, but not the blank ones a <pre> opens with. */
static size_t code_start(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static void flush(walker *w)
{
    cl_buf *p = &w->pend;
    cl_buf_rtrim(p);
    int level;
    cl_block_kind kind = pending_kind(w, &level);
    size_t start = kind == CL_BLOCK_CODE ? code_start(cl_buf_cstr(p), p->len) : 0;
    size_t len = p->len - start;
    if (p->len > start && w->pg->text.len + len < CL_HPAGE_TEXT_MAX &&
        grow((void **)&w->pg->blocks, &w->pg->block_cap, w->pg->nblocks,
             sizeof(cl_hblock)) == 0) {
        cl_hblock *b = &w->pg->blocks[w->pg->nblocks++];
        b->node = w->cur;
        b->kind = (uint8_t)kind;
        b->level = (uint8_t)level;
        b->flags = w->figcaption ? CL_HB_FIGURE : 0;
        b->dropped_as = CL_HDROP_OUTSIDE;
        b->off = (uint32_t)w->pg->text.len;
        b->len = (uint32_t)len;
        b->link_len = (uint32_t)(w->pend_link < len ? w->pend_link : len);
        cl_buf_append(&w->pg->text, p->data + start, b->len);
        cl_buf_append_char(&w->pg->text, '\0');
    } else if (p->len > start) {
        w->oom = 1;
    }
    cl_buf_clear(p);
    w->pend_link = 0;
}

static void add_text(walker *w, const char *s, size_t n)
{
    size_t before = w->pend.len;
    if (w->pre)
        cl_buf_append(&w->pend, s, n);
    else
        cl_buf_append_collapsed(&w->pend, s, n);
    if (w->link)
        w->pend_link += w->pend.len - before;
}

/* ---- nodes -------------------------------------------------------------- */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static uint16_t node_flags(const GumboNode *el, const char *chrome)
{
    GumboTag tag = el->v.element.tag;
    const char *role = attr(el, "role");
    unsigned f = 0;
    if (tag == GUMBO_TAG_ARTICLE)
        f |= CL_HN_ARTICLE;
    if (tag == GUMBO_TAG_MAIN || (role && strcasecmp(role, "main") == 0))
        f |= CL_HN_MAIN;
    if (is_article_prop(el))
        f |= CL_HN_BODYPROP;
    if (chrome)
        f |= CL_HN_CHROME;
    if (tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_FORM)
        f |= CL_HN_SECTIONING;
    return (uint16_t)f;
}

/* s[0..k) without a last character its end cut in two. */
static size_t whole_chars(const char *s, size_t k)
{
    size_t lead = k;
    while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead == 0)
        return 0;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t need = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return k - (lead - 1) >= need ? k : lead - 1;
}

/* The node's class and id, lower-cased, for the block model's features. */
static int keep_attrs(cl_hpage *pg, cl_hnode *n, const char *cls, const char *id)
{
    char buf[CL_HNODE_ATTR_MAX + 1];
    size_t k = append_lower(buf, 0, sizeof buf, cls);
    k = append_lower(buf, k, sizeof buf, id);
    if (k == sizeof buf - 1)  /* cut short: not inside a character */
        k = whole_chars(buf, k);
    if (k == 0)
        return 0;
    for (size_t i = 0; i < k; i++)  /* tabs and line breaks separate too */
        if ((unsigned char)buf[i] <= ' ' || buf[i] == 0x7f)
            buf[i] = ' ';
    if (pg->attrs.len > CL_HPAGE_TEXT_MAX - k)
        return -1;
    n->attr_off = (uint32_t)pg->attrs.len;
    n->attr_len = (uint32_t)k;
    cl_buf_append(&pg->attrs, buf, k);
    return pg->attrs.oom ? -1 : 0;
}

static int open_node(walker *w, const GumboNode *el, frame *f, const char *chrome)
{
    cl_hpage *pg = w->pg;
    if (grow((void **)&pg->nodes, &pg->node_cap, pg->nnodes, sizeof(cl_hnode)) < 0)
        return -1;
    cl_hnode *n = &pg->nodes[pg->nnodes];
    memset(n, 0, sizeof *n);
    n->parent = w->cur;
    n->tag = (uint16_t)el->v.element.tag;
    n->flags = node_flags(el, chrome);
    n->chrome = chrome;
    n->blk_first = (uint32_t)pg->nblocks;
    const char *cls = attr(el, "class");
    n->class_hash = cls && *cls ? hash_str(cls) : 0;
    if (w->o->keep_attrs && keep_attrs(pg, n, cls, attr(el, "id")) < 0)
        return -1;
    if (w->cur != CL_HNONE)
        pg->nodes[w->cur].flags |= CL_HN_BLOCKKIDS;
    f->hnode = w->cur = (uint32_t)pg->nnodes++;
    f->undo |= U_NODE;
    return 0;
}

static void close_node(walker *w, uint32_t idx)
{
    cl_hnode *n = &w->pg->nodes[idx];
    n->blk_end = (uint32_t)w->pg->nblocks;
    n->node_end = (uint32_t)w->pg->nnodes;
    w->cur = n->parent;
}

/* ---- the walk ----------------------------------------------------------- */

static int push(walker *w, const GumboNode *node)
{
    if (grow((void **)&w->stack, &w->cap, w->depth, sizeof(frame)) < 0)
        return -1;
    frame *f = &w->stack[w->depth++];
    f->node = node;
    f->next = 0;
    f->undo = 0;
    f->hnode = CL_HNONE;
    return 0;
}

/* Head children are flat: offer them to meta without a descent. */
static void scan_head(walker *w, const GumboNode *head)
{
    const GumboVector *kids = &head->v.element.children;
    for (unsigned i = 0; i < kids->length; i++) {
        const GumboNode *k = kids->data[i];
        if (k->type == GUMBO_NODE_ELEMENT)
            cl_hmeta_element(w->meta, k);
    }
}

/* Metadata elements; 1 when the element holds nothing else worth a visit. */
static int offer_meta(walker *w, const GumboNode *el)
{
    GumboTag t = el->v.element.tag;
    if (t == GUMBO_TAG_HEAD) {
        if (w->meta)
            scan_head(w, el);
        return 1;
    }
    if (w->meta)
        cl_hdate_element(&w->meta->dates, el);  /* <time>, date classes */
    if (t == GUMBO_TAG_META || t == GUMBO_TAG_LINK || t == GUMBO_TAG_SCRIPT ||
        t == GUMBO_TAG_TITLE) {
        if (w->meta)
            cl_hmeta_element(w->meta, el);
        return 1;
    }
    return 0;
}

static void set_context(walker *w, frame *f, GumboTag t)
{
    unsigned u = 0;
    if (t == GUMBO_TAG_A) { w->link++; u |= U_LINK; }
    if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING || t == GUMBO_TAG_XMP ||
        t == GUMBO_TAG_PLAINTEXT) { w->pre++; u |= U_PRE; }
    if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_DIR) { w->list++; u |= U_LIST; }
    if (t == GUMBO_TAG_LI) { w->li++; u |= U_LI; }
    if (t == GUMBO_TAG_BLOCKQUOTE) { w->quote++; u |= U_QUOTE; }
    if (t == GUMBO_TAG_FIGCAPTION || t == GUMBO_TAG_CAPTION) { w->caption++; u |= U_CAPTION; }
    if (t == GUMBO_TAG_FIGCAPTION) { w->figcaption++; u |= U_FIGCAP; }
    if (heading_level(t)) { w->heading = heading_level(t); u |= U_HEADING; }
    f->undo |= u;
}

static void undo_context(walker *w, unsigned u)
{
    if (u & U_LINK) w->link--;
    if (u & U_PRE) w->pre--;
    if (u & U_LIST) w->list--;
    if (u & U_LI) w->li--;
    if (u & U_QUOTE) w->quote--;
    if (u & U_CAPTION) w->caption--;
    if (u & U_FIGCAP) w->figcaption--;
    if (u & U_HEADING) w->heading = 0;
}

static void line_break(walker *w)
{
    if (w->pre)
        add_text(w, "\n", 1);
    else
        flush(w);
}

/*
 * A <noscript> is skipped (tracking pixels, "enable JavaScript" notes) but
 * for one that holds the page: an unclosed <div> inside it makes the
 * parser leave it open to the end, so the whole article is its content.
 * It holds the page when its first NOSCRIPT_LOOK descendants include
 * NOSCRIPT_BLOCKS paragraphs, headings or list items; a bounded look, so a
 * page of many small noscripts stays linear.
 */
#define NOSCRIPT_LOOK   512
#define NOSCRIPT_BLOCKS 3

static int is_text_block_tag(GumboTag t)
{
    return t == GUMBO_TAG_P || t == GUMBO_TAG_LI || t == GUMBO_TAG_ARTICLE
        || (t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6);
}

static int noscript_holds_page(const GumboNode *el)
{
    const GumboNode *stack[64];
    size_t depth = 0, seen = 0, blocks = 0;
    stack[depth++] = el;
    while (depth > 0 && seen < NOSCRIPT_LOOK) {
        const GumboNode *n = stack[--depth];
        const GumboVector *kids = &n->v.element.children;
        for (unsigned i = 0; i < kids->length && seen < NOSCRIPT_LOOK; i++) {
            const GumboNode *k = kids->data[i];
            if (k->type != GUMBO_NODE_ELEMENT)
                continue;
            seen++;
            if (is_text_block_tag(k->v.element.tag) && ++blocks >= NOSCRIPT_BLOCKS)
                return 1;
            if (depth < sizeof stack / sizeof *stack)
                stack[depth++] = k;
        }
    }
    return 0;
}

/* 1 when the element's children are to be visited. */
static int enter_element(walker *w, frame *f)
{
    const GumboNode *el = f->node;
    GumboTag t = el->v.element.tag;
    if (offer_meta(w, el))
        return 0;
    if (is_skipped_tag(t) && !(t == GUMBO_TAG_NOSCRIPT && noscript_holds_page(el)))
        return 0;
    if (t == GUMBO_TAG_BR || t == GUMBO_TAG_HR) {
        line_break(w);
        return 0;
    }
    /* A chrome inline element becomes a node too, so that its text is a
     * block of its own that can be dropped. */
    const char *chrome = is_hidden(el) ? "hidden" : tag_chrome(t);
    if (!chrome)
        chrome = attr_chrome(w, el);
    if (chrome || is_block_tag(t)) {
        if (!w->pre)
            flush(w);
        if (open_node(w, el, f, chrome) < 0)
            return -1;
    } else if (t == GUMBO_TAG_IMG) {
        add_text(w, " ", 1);
    }
    set_context(w, f, t);
    return 1;
}

static void leave_element(walker *w, frame *f)
{
    if ((f->undo & U_NODE) && !(w->pre > ((f->undo & U_PRE) ? 1 : 0)))
        flush(w);
    if (f->undo & U_NODE)
        close_node(w, f->hnode);
    undo_context(w, f->undo);
}

static void visit_leaf(walker *w, const GumboNode *n)
{
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA)
        add_text(w, n->v.text.text, strlen(n->v.text.text));
}

static const GumboVector *children_of(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    if (n->type == GUMBO_NODE_ELEMENT)
        return &n->v.element.children;
    return NULL;
}

static int walk(walker *w, const GumboNode *root)
{
    if (push(w, root) < 0)
        return -1;
    while (w->depth > 0 && !w->oom) {
        frame *f = &w->stack[w->depth - 1];
        const GumboVector *kids = children_of(f->node);
        if (!kids || f->next >= kids->length) {
            if (f->node->type == GUMBO_NODE_ELEMENT)
                leave_element(w, f);
            w->depth--;
            continue;
        }
        const GumboNode *k = kids->data[f->next++];
        if (k->type != GUMBO_NODE_ELEMENT) {
            visit_leaf(w, k);
            continue;
        }
        if (push(w, k) < 0)
            return -1;
        int visit = enter_element(w, &w->stack[w->depth - 1]);
        if (visit < 0)
            return -1;
        if (!visit)
            w->depth--;
    }
    flush(w);
    return w->oom || w->pend.oom || w->pg->text.oom ? -1 : 0;
}

/* ---- table rows --------------------------------------------------------- */

/* A row whose every block is the one line of a cell of this very row. */
static int is_simple_row(const cl_hpage *pg, uint32_t row)
{
    const cl_hnode *r = &pg->nodes[row];
    if (r->blk_end - r->blk_first < 2)
        return 0;
    uint32_t prev = CL_HNONE;
    for (uint32_t i = r->blk_first; i < r->blk_end; i++) {
        uint32_t cell = pg->blocks[i].node;
        if (cell == CL_HNONE || cell == prev || pg->nodes[cell].parent != row)
            return 0;
        prev = cell;
    }
    return 1;
}

static int merge_row(cl_hpage *pg, uint32_t row)
{
    cl_hnode *r = &pg->nodes[row];
    cl_hblock *first = &pg->blocks[r->blk_first];
    size_t off = pg->text.len, link = 0, need = 1;
    for (uint32_t i = r->blk_first; i < r->blk_end; i++)
        need += pg->blocks[i].len + 3;
    /* The cells are copied from this very buffer: no realloc under them. */
    if (off + need > CL_HPAGE_TEXT_MAX || cl_buf_reserve(&pg->text, need) < 0)
        return -1;
    for (uint32_t i = r->blk_first; i < r->blk_end; i++) {
        cl_hblock *b = &pg->blocks[i];
        if (i > r->blk_first) {
            cl_buf_append(&pg->text, " | ", 3);
            b->flags |= CL_HB_MERGED;
        }
        cl_buf_append(&pg->text, pg->text.data + b->off, b->len);
        link += b->link_len;
    }
    cl_buf_append_char(&pg->text, '\0');
    if (pg->text.oom)
        return -1;
    first->off = (uint32_t)off;
    first->len = (uint32_t)(pg->text.len - off - 1);
    first->link_len = (uint32_t)link;
    first->kind = CL_BLOCK_TABLE_ROW;
    first->node = row;
    return 0;
}

static int merge_rows(cl_hpage *pg)
{
    for (uint32_t i = 0; i < pg->nnodes; i++)
        if (pg->nodes[i].tag == GUMBO_TAG_TR && is_simple_row(pg, i) && merge_row(pg, i) < 0)
            return -1;
    return 0;
}

int cl_html_walk(const GumboNode *root, const cl_hwalk_opts *o, cl_hpage *pg,
                 cl_hmeta *meta)
{
    walker w;  /* 16 KiB with its cache: fine on any thread's stack */
    memset(&w, 0, sizeof w);
    w.o = o;
    w.pg = pg;
    w.meta = meta;
    w.cur = CL_HNONE;
    int rc = walk(&w, root);
    free(w.stack);
    cl_buf_free(&w.pend);
    if (rc == 0)
        rc = merge_rows(pg);
    return rc;
}
