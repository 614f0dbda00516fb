/*
 * html_blocks.c - HTML to blocks (contract in html_blocks.h).
 *
 *   gumbo parse -> html_walk (prune, flat model, metadata candidates)
 *   -> html_select (main content) -> blocks into the cl_doc
 *
 * Every block is emitted already decided: the chosen ones kept and flagged
 * CL_BLOCK_IN_MAIN (or the JSON-LD articleBody's lines, when the markup
 * holds a fraction of it), the rest dropped with the reason selection left
 * them out.  The headline is dropped when it repeats the title, and so are
 * figure captions: they describe a picture the text does not show.
 */
#include "html_blocks.h"
#include "html_depth.h"
#include "html_meta.h"
#include "html_select.h"
#include "html_walk.h"
#include "title.h"

#include <gumbo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Gumbo copies the open-element stack into every parse error it records:
 * on deeply nested input that costs seconds and gigabytes, and nothing
 * here reads the errors. */
#define GUMBO_MAX_ERRORS 0

/* JSON-LD articleBody replaces the markup's text when it is at least this
 * long and this many times longer: a page whose text is left to scripts. */
#define LD_BODY_MIN    500
#define LD_BODY_FACTOR 3

static const cl_hblock *first_h1(const cl_hpage *pg)
{
    for (size_t i = 0; i < pg->nblocks; i++)
        if (pg->blocks[i].kind == CL_BLOCK_HEADING && pg->blocks[i].level == 1)
            return &pg->blocks[i];
    return NULL;
}

static int is_headline(const cl_hpage *pg, const cl_hblock *b, const cl_doc *doc)
{
    if (b->kind != CL_BLOCK_HEADING)
        return 0;
    return cl_title_names_heading(cl_doc_meta(doc, CL_META_TITLE), cl_hblock_text(pg, b), b->len);
}

/* Bytes of text the chosen blocks hold. */
static size_t kept_len(const cl_hpage *pg)
{
    size_t n = 0;
    for (size_t i = 0; i < pg->nblocks; i++)
        if ((pg->blocks[i].flags & CL_HB_KEEP) && !(pg->blocks[i].flags & CL_HB_MERGED))
            n += pg->blocks[i].len;
    return n;
}

/*
 * Pages rendered by scripts often carry the article only in their JSON-LD:
 * when its articleBody (plain text, not markup) is several times what the
 * markup gave, its lines are the paragraphs.
 */
static int use_ld_body(const cl_hpage *pg, const cl_buf *ld)
{
    if (ld->len < LD_BODY_MIN || ld->len < LD_BODY_FACTOR * kept_len(pg))
        return 0;
    return !memchr(ld->data, '<', ld->len);
}

static int emit_ld_body(const cl_buf *ld, cl_doc *doc)
{
    const char *s = ld->data, *end = ld->data + ld->len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        cl_buf line = CL_BUF_INIT;
        cl_buf_append_collapsed(&line, s, (size_t)(e - s));
        long k = cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, cl_buf_cstr(&line), line.len, 0);
        cl_buf_free(&line);
        if (k == -2)
            return -1;
        if (k >= 0) {
            doc->blocks[k].flags |= CL_BLOCK_IN_MAIN;
            cl_block_decide(&doc->blocks[k], CL_KEEP, "json-ld articleBody");
        }
        s = e + 1;
    }
    return 0;
}

/* The --explain reason of a block selection left out. */
static void drop_reason(const cl_hpage *pg, const cl_hblock *b, char *out, size_t size)
{
    switch ((cl_hdrop)b->dropped_as) {
    case CL_HDROP_CHROME:
        snprintf(out, size, "html chrome: %s", pg->nodes[b->node].chrome);
        break;
    case CL_HDROP_SECTIONING:
        snprintf(out, size, "html header, footer or form");
        break;
    case CL_HDROP_BOX:
        snprintf(out, size, "html link-heavy box");
        break;
    default:
        snprintf(out, size, "html outside the main content");
    }
}

static void decide(const cl_hpage *pg, const cl_hblock *b, cl_doc *doc, cl_block *out)
{
    char reason[CL_REASON_MAX];
    if (!(b->flags & CL_HB_KEEP)) {
        drop_reason(pg, b, reason, sizeof reason);
        cl_block_decide(out, CL_DROP, reason);
        return;
    }
    out->flags |= CL_BLOCK_IN_MAIN;
    if (b->flags & CL_HB_FIGURE)
        cl_block_decide(out, CL_DROP, "figure caption");
    else if (is_headline(pg, b, doc))
        cl_block_decide(out, CL_DROP, "html headline");
    else
        cl_block_decide(out, CL_KEEP, "html main content");
}

/* ---- the block's context: the DOM around it, for the block model ------- */

/* Ancestors whose class and id words are features: the box a block is in
 * is named by its nearest wrappers, not by the page's outer layout. */
#define CONTEXT_ATTR_LEVELS 3
#define CONTEXT_MAX_WORDS   16

/* Appends " PREFIXWORD", each run of digits as one '0': "post-12345" and
 * "post-678" are the same feature. */
static void context_word(cl_buf *out, const char *prefix, const char *s, size_t n)
{
    if (out->len)
        cl_buf_append(out, " ", 1);
    cl_buf_append(out, prefix, strlen(prefix));
    for (size_t i = 0; i < n; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (digit && i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
            continue;
        cl_buf_append(out, digit ? "0" : s + i, 1);
    }
}

/* Generated class names ("style--hat-1a2b3c4d", "css-x7k2p9") name no kind
 * of box: a part with digits inside it, or a long one, is such a hash. */
static int is_hash_like(const char *s, size_t n)
{
    if (n > 20)
        return 1;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* Each class or id token ("c=entry-content") and its parts between '-' and
 * '_' ("p=entry", "p=content"): a model learns "sidebar" once for every
 * "left-sidebar" and "sidebar_2". */
static size_t context_attr_words(cl_buf *out, const char *s, size_t n, size_t room)
{
    size_t words = 0;
    for (size_t i = 0; i < n && words < room;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t t = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i == t)
            break;
        int hashed = 0;
        for (size_t p = t; p < i && words < room;) {
            size_t q = p;
            while (q < i && s[q] != '-' && s[q] != '_')
                q++;
            if (is_hash_like(s + p, q - p))
                hashed = 1;
            else if (q - p >= 2 && q - p < i - t && ++words)
                context_word(out, "p=", s + p, q - p);
            p = q + 1;
        }
        if (!hashed && words < room && ++words)
            context_word(out, "c=", s + t, i - t);
    }
    return words;
}

static void context_flags(cl_buf *out, unsigned flags, const cl_hnode *n, unsigned *seen)
{
    static const struct { unsigned flag; const char *word; } names[] = {
        { CL_HN_ARTICLE, "article" }, { CL_HN_MAIN, "main" }, { CL_HN_BODYPROP, "bodyprop" },
        { CL_HN_SECTIONING, "sectioning" }, { CL_HN_CHROME, "chrome" },
        { CL_HN_CHOSEN, "chosen" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if ((flags & names[i].flag) && !(*seen & names[i].flag)) {
            *seen |= names[i].flag;
            context_word(out, "", names[i].word, strlen(names[i].word));
            if (names[i].flag == CL_HN_CHROME && n->chrome)
                context_word(out, "why=", n->chrome, strlen(n->chrome));
        }
}

/* "in=TAG" for the structural tags among a block's ancestors. */
static int structural_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_SECTION: case GUMBO_TAG_FORM:
    case GUMBO_TAG_LI: case GUMBO_TAG_TABLE: case GUMBO_TAG_FIGURE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_DL: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_DETAILS: case GUMBO_TAG_UNKNOWN:
        return 1;
    default:
        return 0;
    }
}

static void block_context(const cl_hpage *pg, const cl_hblock *b, cl_buf *out)
{
    out->len = 0;
    const cl_hnode *n = &pg->nodes[b->node];
    const char *tag = gumbo_normalized_tagname((GumboTag)n->tag);
    context_word(out, "tag=", tag, strlen(tag));
    if (b->flags & CL_HB_FIGURE)
        context_word(out, "", "figure", 6);
    unsigned seen_flags = 0;
    size_t words = 0, level = 0;
    char seen_tag[GUMBO_TAG_LAST + 1] = { 0 };
    for (uint32_t a = b->node; a != CL_HNONE; a = pg->nodes[a].parent, level++) {
        const cl_hnode *an = &pg->nodes[a];
        if (level > 0 && structural_tag((GumboTag)an->tag) && !seen_tag[an->tag]) {
            seen_tag[an->tag] = 1;
            const char *t = gumbo_normalized_tagname((GumboTag)an->tag);
            context_word(out, "in=", *t ? t : "custom", *t ? strlen(t) : 6);
        }
        context_flags(out, an->flags, an, &seen_flags);
        if (level < CONTEXT_ATTR_LEVELS && an->attr_len && words < CONTEXT_MAX_WORDS)
            words += context_attr_words(out, cl_hnode_attrs(pg, an), an->attr_len,
                                        CONTEXT_MAX_WORDS - words);
    }
}

/* Every block goes in, decided, so that --explain shows what was left out
 * and why; only kept ones are rendered. */
static int emit(const cl_hpage *pg, cl_doc *doc)
{
    cl_buf ctx = CL_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < pg->nblocks && rc == 0; i++) {
        const cl_hblock *b = &pg->blocks[i];
        if (b->flags & CL_HB_MERGED)
            continue;
        long k = cl_doc_add_block(doc, (cl_block_kind)b->kind, b->level,
                                  cl_hblock_text(pg, b), b->len, b->link_len);
        if (k == -2)
            rc = -1;
        if (k < 0)
            continue;
        decide(pg, b, doc, &doc->blocks[k]);
        if (!doc->want_contexts)
            continue;
        block_context(pg, b, &ctx);
        if (ctx.oom || cl_doc_set_block_context(doc, (size_t)k, ctx.data, ctx.len) < 0)
            rc = -1;
    }
    cl_buf_free(&ctx);
    return rc;
}

/* Selection, metadata and blocks, from the walked page. */
static int read_page(cl_hpage *pg, cl_hmeta *meta, int lenient, cl_doc *doc)
{
    int rc = cl_html_select(pg, lenient);
    cl_hdate_page(&meta->dates, pg, cl_hmeta_get(meta, CL_META_TITLE));
    if (rc == 0) {
        const cl_hblock *h1 = first_h1(pg);
        rc = cl_hmeta_finish(meta, h1 ? cl_hblock_text(pg, h1) : NULL, h1 ? h1->len : 0, doc);
    }
    if (rc == 0)
        rc = use_ld_body(pg, &meta->ld_body) ? emit_ld_body(&meta->ld_body, doc) : emit(pg, doc);
    return rc;
}

/*
 * Gumbo's tree takes a few hundred bytes an element, the most of any stage
 * (6 MB of "<p>x</p>" parse into 295 MB): it goes as soon as the walk has
 * made the flat model, which holds nothing of it, so that selection, the
 * blocks and the rules never share memory with it.
 */
static int parse_and_walk(const char *utf8, size_t len, const cl_hwalk_opts *wo,
                          cl_hpage *pg, cl_hmeta *meta)
{
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = GUMBO_MAX_ERRORS;
    GumboOutput *out = gumbo_parse_with_options(&opts, utf8, len);
    if (!out)
        return -1;
    int rc = cl_html_walk(out->document, wo, pg, meta);
    if (rc == 0)
        rc = cl_hmeta_page(meta, out->document);
    gumbo_destroy_output(&opts, out);
    return rc;
}

int cl_html_read(const char *utf8, size_t len, const cl_rules *rules, int lenient,
                 cl_doc *doc, cl_error *err)
{
    if (!utf8 || !doc)
        return cl_fail(err, "html: no input");
    cl_buf bounded = CL_BUF_INIT;
    int deep = cl_html_bound_depth(utf8, len, CL_HTML_MAX_DEPTH, &bounded);
    if (deep < 0) {
        cl_buf_free(&bounded);
        return cl_fail(err, "html: out of memory");
    }
    if (deep) {
        utf8 = cl_buf_cstr(&bounded);
        len = bounded.len;
    }
    cl_hmeta meta;
    cl_hmeta_init(&meta);
    cl_hpage pg;
    memset(&pg, 0, sizeof pg);
    cl_hwalk_opts wo = { rules, doc->want_contexts };
    int rc = parse_and_walk(utf8, len, &wo, &pg, &meta);
    cl_buf_free(&bounded);
    if (rc == 0)
        rc = read_page(&pg, &meta, lenient, doc);
    cl_hpage_free(&pg);
    cl_hmeta_free(&meta);
    return rc < 0 ? cl_fail(err, "html: out of memory") : 0;
}
