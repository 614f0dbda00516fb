/*
 * html_select.c - main-content selection (contract in html_select.h).
 */
#include "html_select.h"

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

/* Readability's constants, kept because they are well tested on the web. */
#define MIN_PARAGRAPH_CHARS 25
#define SCORE_LEVELS        5
#define TOP_CANDIDATES      5
#define MIN_SHARED_TOP      3
#define SIBLING_MIN_SCORE   10.0
#define CLEAN_MAX_COMMAS    10
/* A chrome-named node holding more than this share of the page's paragraph
 * score is taken for a wrapper of the article. */
#define CHROME_MAX_SHARE    0.5
/* A linkless sentence this long inside a link-heavy box is article text. */
#define GOOD_PARAGRAPH_CHARS 80
/* The <article> (or <main>) around the chosen box replaces it when it holds
 * this much more paragraph score: articles cut into chunks between ad rails. */
#define ARTICLE_GAIN        1.5
/* Distinct chrome reasons the lenient pass sums mass for; more are rare,
 * and a reason past them is simply never rescued. */
#define MAX_CHROME_REASONS  32

/* Per-node totals over the subtree, computed once bottom-up. */
typedef struct nstat {
    double mass;          /* paragraph score held, chrome included */
    double value;         /* paragraph score held outside chrome */
    size_t len, link, commas, head_len, quote_len;
    size_t paras, items;
    size_t own_blocks;    /* blocks straight in the node, not below */
    int    scored;
    int    chrome_above;  /* an ancestor is flagged chrome */
    uint32_t article;     /* the nearest <article>, <main> or articleBody at
                             or above the node, CL_HNONE when none */
} nstat;

/* `lenient`: the second chance (html_select.h). */
typedef struct selector {
    cl_hpage *pg;
    nstat    *st;
    int       lenient;
} selector;

static int is_content_kind(int kind)
{
    return kind == CL_BLOCK_PARAGRAPH || kind == CL_BLOCK_QUOTE ||
           kind == CL_BLOCK_CODE || kind == CL_BLOCK_TABLE_ROW;
}

/* ',' and the commas of Arabic, CJK and full-width text. */
static size_t count_commas(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char u = (unsigned char)s[i];
        if (u == ',')
            c++;
        else if (u == 0xD8 && i + 1 < n && (unsigned char)s[i + 1] == 0x8C)
            c++;
        else if (u == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                 (unsigned char)s[i + 2] == 0x8C)
            c++;
        else if (u == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                 (unsigned char)s[i + 2] == 0x81)
            c++;
    }
    return c;
}

static int live(const cl_hblock *b)
{
    return !(b->flags & (CL_HB_MERGED | CL_HB_DEAD)) && b->node != CL_HNONE;
}

/* Readability's paragraph score: 0 for what is not a paragraph. */
static double paragraph_value(const cl_hblock *b, int lenient)
{
    if (!is_content_kind(b->kind) || b->len < (lenient ? 1 : MIN_PARAGRAPH_CHARS))
        return 0.0;
    size_t chars = b->len / 100;
    return 1.0 + (double)b->commas + (double)(chars < 3 ? chars : 3);
}

/* Every later pass reads these instead of the text. */
static void measure_blocks(cl_hpage *pg, int lenient)
{
    for (size_t i = 0; i < pg->nblocks; i++) {
        cl_hblock *b = &pg->blocks[i];
        b->commas = (uint32_t)count_commas(cl_hblock_text(pg, b), b->len);
        b->value = (float)paragraph_value(b, lenient);
    }
}

typedef struct reason_mass {
    const char *reason;   /* borrowed: the rule's name, or "hidden" */
    double      mass;
} reason_mass;

/* The paragraph score held by the outermost nodes flagged for each reason. */
static size_t sum_reason_mass(const selector *s, reason_mass *rm)
{
    const cl_hpage *pg = s->pg;
    size_t n = 0;
    for (size_t i = 0; i < pg->nnodes; i++) {
        const cl_hnode *nd = &pg->nodes[i];
        if (!(nd->flags & CL_HN_CHROME) || s->st[i].chrome_above)
            continue;
        size_t k = 0;
        while (k < n && rm[k].reason != nd->chrome)
            k++;
        if (k == n && n < MAX_CHROME_REASONS)
            rm[n++] = (reason_mass){ nd->chrome, 0.0 };
        if (k < n)
            rm[k].mass += s->st[i].mass;
    }
    return n;
}

/* Whether the lenient pass keeps flagged node i alive. */
static int rescued(const selector *s, uint32_t i, const reason_mass *rm, size_t nrm,
                   double total)
{
    const cl_hnode *n = &s->pg->nodes[i];
    uint32_t a = s->st[i].article;
    if (a == i)
        return 1;
    if (a != CL_HNONE && s->st[i].mass > CHROME_MAX_SHARE * s->st[a].mass)
        return 1;
    for (size_t k = 0; k < nrm; k++)
        if (rm[k].reason == n->chrome)
            return rm[k].mass > CHROME_MAX_SHARE * total;
    return 0;
}

/*
 * A chrome-flagged node holding most of the page's paragraph score is a
 * wrapper with an unlucky class ("page-ad-margins", "penci_sidebar"), not
 * chrome: the text it holds decides, not its name.
 */
static void decide_chrome(selector *s)
{
    cl_hpage *pg = s->pg;
    double total = 0.0;
    for (size_t i = 0; i < pg->nblocks; i++) {
        const cl_hblock *b = &pg->blocks[i];
        if (live(b))
            s->st[b->node].mass += b->value;
    }
    for (size_t i = pg->nnodes; i-- > 0;) {
        uint32_t p = pg->nodes[i].parent;
        if (p != CL_HNONE)
            s->st[p].mass += s->st[i].mass;
        else
            total += s->st[i].mass;
    }
    for (size_t i = 0; i < pg->nnodes; i++) {
        uint32_t p = pg->nodes[i].parent;
        s->st[i].chrome_above = p != CL_HNONE &&
                                (s->st[p].chrome_above || (pg->nodes[p].flags & CL_HN_CHROME));
        s->st[i].article = (pg->nodes[i].flags & (CL_HN_ARTICLE | CL_HN_MAIN | CL_HN_BODYPROP))
                               ? (uint32_t)i
                               : p != CL_HNONE ? s->st[p].article : CL_HNONE;
    }
    reason_mass rm[MAX_CHROME_REASONS];
    size_t nrm = s->lenient ? sum_reason_mass(s, rm) : 0;
    for (size_t i = 0; i < pg->nnodes; i++) {
        cl_hnode *n = &pg->nodes[i];
        const cl_hnode *p = n->parent != CL_HNONE ? &pg->nodes[n->parent] : NULL;
        if (p && (p->flags & CL_HN_DEAD)) {
            n->flags |= CL_HN_DEAD;
            if (!(n->flags & CL_HN_CHROME))
                n->chrome = p->chrome;
        } else if ((n->flags & CL_HN_CHROME) && s->st[i].mass <= CHROME_MAX_SHARE * total &&
                   !(s->lenient && rescued(s, (uint32_t)i, rm, nrm, total))) {
            n->flags |= CL_HN_DEAD;
        }
    }
    for (size_t i = 0; i < pg->nblocks; i++) {
        cl_hblock *b = &pg->blocks[i];
        if (b->node != CL_HNONE && (pg->nodes[b->node].flags & CL_HN_DEAD)) {
            b->flags |= CL_HB_DEAD;
            b->dropped_as = CL_HDROP_CHROME;
        }
    }
}

static void gather_stats(selector *s)
{
    cl_hpage *pg = s->pg;
    for (size_t i = 0; i < pg->nblocks; i++) {
        const cl_hblock *b = &pg->blocks[i];
        if (!live(b))
            continue;
        nstat *t = &s->st[b->node];
        t->own_blocks++;
        t->value += b->value;
        t->len += b->len;
        t->link += b->link_len;
        t->commas += b->commas;
        if (b->kind == CL_BLOCK_HEADING)
            t->head_len += b->len;
        if (b->kind == CL_BLOCK_QUOTE)
            t->quote_len += b->len;
    }
    for (size_t i = pg->nnodes; i-- > 0;) {
        const cl_hnode *n = &pg->nodes[i];
        nstat *t = &s->st[i];
        t->paras += n->tag == GUMBO_TAG_P;
        t->items += n->tag == GUMBO_TAG_LI;
        if (n->parent == CL_HNONE)
            continue;
        nstat *p = &s->st[n->parent];
        p->value += t->value;
        p->len += t->len;
        p->link += t->link;
        p->commas += t->commas;
        p->head_len += t->head_len;
        p->quote_len += t->quote_len;
        p->paras += t->paras;
        p->items += t->items;
    }
}

static double link_density(const nstat *t)
{
    return t->len ? (double)t->link / (double)t->len : 0.0;
}

static double tag_bonus(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_DIV: return 5;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL:
    case GUMBO_TAG_DL: case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM: return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH: return -5;
    default: return 0;
    }
}

static void add_score(selector *s, uint32_t node, double v)
{
    if (!s->st[node].scored) {
        s->st[node].scored = 1;
        s->pg->nodes[node].score = tag_bonus((GumboTag)s->pg->nodes[node].tag);
    }
    s->pg->nodes[node].score += v;
}

/*
 * Readability scores a <p> into its parent; text straight in a box that has
 * other blocks, or several paragraphs cut by <br>s, counts as paragraphs of
 * that box (Readability wraps such text in <p>s), and a box with one run of
 * text is itself a paragraph.
 */
static uint32_t score_start(const selector *s, uint32_t node)
{
    const cl_hnode *n = &s->pg->nodes[node];
    if (n->tag != GUMBO_TAG_P &&
        ((n->flags & CL_HN_BLOCKKIDS) || s->st[node].own_blocks > 1))
        return node;
    return n->parent;
}

static void score_paragraphs(selector *s)
{
    cl_hpage *pg = s->pg;
    for (size_t i = 0; i < pg->nblocks; i++) {
        const cl_hblock *b = &pg->blocks[i];
        double v = live(b) ? b->value : 0.0;
        if (v == 0.0)
            continue;
        uint32_t a = score_start(s, b->node);
        for (int level = 0; level < SCORE_LEVELS && a != CL_HNONE; level++) {
            double div = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
            add_score(s, a, v / div);
            a = pg->nodes[a].parent;
        }
    }
    for (size_t i = 0; i < pg->nnodes; i++)
        if (s->st[i].scored)
            pg->nodes[i].score *= 1.0 - link_density(&s->st[i]);
}

static int is_ancestor(const cl_hpage *pg, uint32_t a, uint32_t d)
{
    return a != CL_HNONE && a <= d && d < pg->nodes[a].node_end;
}

/* The TOP_CANDIDATES best scored nodes, best first; returns how many. */
static size_t top_candidates(const selector *s, uint32_t *top)
{
    size_t n = 0;
    for (uint32_t i = 0; i < s->pg->nnodes; i++) {
        if (!s->st[i].scored)
            continue;
        double v = s->pg->nodes[i].score;
        size_t k = n < TOP_CANDIDATES ? n++ : TOP_CANDIDATES;
        while (k > 0 && s->pg->nodes[top[k - 1]].score < v) {
            if (k < TOP_CANDIDATES)
                top[k] = top[k - 1];
            k--;
        }
        if (k < TOP_CANDIDATES)
            top[k] = i;
    }
    return n;
}

static int is_body_or_root(const cl_hpage *pg, uint32_t n)
{
    return n == CL_HNONE || pg->nodes[n].tag == GUMBO_TAG_BODY ||
           pg->nodes[n].parent == CL_HNONE;
}

/* Several near-best candidates inside one ancestor: the ancestor is it. */
static uint32_t shared_ancestor(const selector *s, const uint32_t *top, size_t n)
{
    const cl_hpage *pg = s->pg;
    uint32_t best = top[0];
    size_t close = 0;
    for (size_t i = 1; i < n; i++)
        close += pg->nodes[top[i]].score >= 0.75 * pg->nodes[best].score;
    if (close < MIN_SHARED_TOP)
        return best;
    for (uint32_t a = pg->nodes[best].parent; !is_body_or_root(pg, a); a = pg->nodes[a].parent) {
        size_t inside = 0;
        for (size_t i = 1; i < n; i++)
            inside += pg->nodes[top[i]].score >= 0.75 * pg->nodes[best].score &&
                      is_ancestor(pg, a, top[i]);
        if (inside >= MIN_SHARED_TOP)
            return a;
    }
    return best;
}

static size_t child_count(const cl_hpage *pg, uint32_t n)
{
    size_t c = 0;
    for (uint32_t k = n + 1; k < pg->nodes[n].node_end; k = pg->nodes[k].node_end)
        c++;
    return c;
}

static uint32_t climb(const selector *s, uint32_t top)
{
    const cl_hpage *pg = s->pg;
    double last = pg->nodes[top].score, threshold = last / 3.0;
    for (uint32_t a = pg->nodes[top].parent; !is_body_or_root(pg, a); a = pg->nodes[a].parent) {
        if (!s->st[a].scored)
            continue;
        double v = pg->nodes[a].score;
        if (v < threshold)
            break;
        if (v > last) {
            top = a;
            break;
        }
        last = v;
    }
    while (!is_body_or_root(pg, pg->nodes[top].parent) &&
           child_count(pg, pg->nodes[top].parent) == 1)
        top = pg->nodes[top].parent;
    return top;
}

static void keep_range(cl_hpage *pg, uint32_t node)
{
    pg->nodes[node].flags |= CL_HN_CHOSEN;
    for (uint32_t i = pg->nodes[node].blk_first; i < pg->nodes[node].blk_end; i++)
        if (live(&pg->blocks[i]))
            pg->blocks[i].flags |= CL_HB_KEEP;
}

static int reads_as_sentence(const cl_hpage *pg, const cl_hnode *n)
{
    for (uint32_t i = n->blk_first; i < n->blk_end; i++) {
        const cl_hblock *b = &pg->blocks[i];
        const char *t = cl_hblock_text(pg, b);
        if (cl_text_ends_sentence(t, b->len) || memmem(t, b->len, ". ", 2))
            return 1;
    }
    return 0;
}

static int sibling_belongs(const selector *s, uint32_t top, uint32_t c, double threshold)
{
    const cl_hpage *pg = s->pg;
    const cl_hnode *n = &pg->nodes[c], *t = &pg->nodes[top];
    double bonus = n->class_hash && n->class_hash == t->class_hash ? t->score * 0.2 : 0.0;
    if (s->st[c].scored && n->score + bonus >= threshold)
        return 1;
    if (n->tag != GUMBO_TAG_P)
        return 0;
    double ld = link_density(&s->st[c]);
    size_t len = s->st[c].len;
    if (len > 80)
        return ld < 0.25;
    return len > 0 && ld == 0.0 && reads_as_sentence(pg, n);
}

static void keep_with_siblings(selector *s, uint32_t top)
{
    cl_hpage *pg = s->pg;
    uint32_t parent = pg->nodes[top].parent;
    if (parent == CL_HNONE) {
        keep_range(pg, top);
        return;
    }
    double threshold = pg->nodes[top].score * 0.2;
    if (threshold < SIBLING_MIN_SCORE)
        threshold = SIBLING_MIN_SCORE;
    for (uint32_t c = parent + 1; c < pg->nodes[parent].node_end; c = pg->nodes[c].node_end)
        if (c == top || sibling_belongs(s, top, c, threshold))
            keep_range(pg, c);
}

static void drop_range(cl_hpage *pg, uint32_t node, cl_hdrop why)
{
    for (uint32_t i = pg->nodes[node].blk_first; i < pg->nodes[node].blk_end; i++) {
        cl_hblock *b = &pg->blocks[i];
        if (b->flags & CL_HB_KEEP) {
            b->flags &= (uint16_t)~CL_HB_KEEP;
            b->dropped_as = (uint8_t)why;
        }
    }
}


/* A box cleaned for its links may still hold paragraphs of the article:
 * sentences of some length with no link at all stay (jusText's "good"). */
static void drop_links_of(cl_hpage *pg, uint32_t node)
{
    for (uint32_t i = pg->nodes[node].blk_first; i < pg->nodes[node].blk_end; i++) {
        cl_hblock *b = &pg->blocks[i];
        if (!(b->flags & CL_HB_KEEP))
            continue;
        if (b->link_len == 0 && b->len >= GOOD_PARAGRAPH_CHARS && b->kind == CL_BLOCK_PARAGRAPH &&
            cl_text_ends_sentence(cl_hblock_text(pg, b), b->len))
            continue;
        b->flags &= (uint16_t)~CL_HB_KEEP;
        b->dropped_as = (uint8_t)CL_HDROP_BOX;
    }
}

static int is_cleaned_tag(GumboTag t)
{
    return t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION || t == GUMBO_TAG_TABLE ||
           t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_FORM ||
           t == GUMBO_TAG_FIELDSET;
}

/* Readability's _cleanConditionally, without the image and embed counts,
 * on the node's totals `t` less what was already cleaned out of it. */
static int fishy(const selector *s, uint32_t i, const nstat *t, uint32_t top)
{
    const cl_hnode *n = &s->pg->nodes[i];
    if (!is_cleaned_tag((GumboTag)n->tag) || t->len == 0)
        return 0;
    /* A box that holds most of the content is the content, whatever its
     * links (Readability gets there by running again without cleaning). */
    if (t->value * 2.0 >= s->st[top].value)
        return 0;
    if (s->st[i].scored && n->score < 0)
        return 1;
    if (t->commas >= CLEAN_MAX_COMMAS)
        return 0;
    int list = n->tag == GUMBO_TAG_UL || n->tag == GUMBO_TAG_OL;
    double heading_density = (double)t->head_len / (double)t->len;
    if (!list && t->items > t->paras + 100)
        return 1;
    if (!list && heading_density < 0.9 && t->len < 25)
        return 1;
    /* an embedded post quotes its links: they are the quote, not navigation */
    if (t->quote_len * 2 >= t->len)
        return 0;
    return link_density(t) > 0.2;
}

static void stat_add(nstat *a, const nstat *b, double sign)
{
    a->value += sign * b->value;
    a->len = (size_t)((double)a->len + sign * (double)b->len);
    a->link = (size_t)((double)a->link + sign * (double)b->link);
    a->commas = (size_t)((double)a->commas + sign * (double)b->commas);
    a->head_len = (size_t)((double)a->head_len + sign * (double)b->head_len);
    a->quote_len = (size_t)((double)a->quote_len + sign * (double)b->quote_len);
    a->paras = (size_t)((double)a->paras + sign * (double)b->paras);
    a->items = (size_t)((double)a->items + sign * (double)b->items);
}

/* Nodes inside what keep_with_siblings chose, top-down. */
static void mark_inside(const cl_hpage *pg, unsigned char *inside)
{
    for (uint32_t i = 0; i < pg->nnodes; i++) {
        uint32_t p = pg->nodes[i].parent;
        inside[i] = (pg->nodes[i].flags & CL_HN_CHOSEN) || (p != CL_HNONE && inside[p]);
    }
}

/*
 * Bottom-up, as Readability removes nested boxes before it judges the box
 * around them: a paragraph box that holds a "more stories" list is judged
 * without the list.  What a node loses is handed to its parent, which
 * comes later in reverse pre-order: one pass, no walk up per removal.
 */
static int clean_inside(selector *s, uint32_t top)
{
    cl_hpage *pg = s->pg;
    nstat *gone = calloc(pg->nnodes, sizeof *gone);
    unsigned char *inside = malloc(pg->nnodes);
    if (!gone || !inside) {
        free(gone);
        free(inside);
        return -1;
    }
    mark_inside(pg, inside);
    for (uint32_t i = (uint32_t)pg->nnodes; i-- > 0;) {
        const cl_hnode *n = &pg->nodes[i];
        nstat left = s->st[i];
        stat_add(&left, &gone[i], -1.0);
        int judged = inside[i] && !is_ancestor(pg, i, top) && left.len > 0;
        if (judged && (n->flags & CL_HN_SECTIONING)) {
            drop_range(pg, i, CL_HDROP_SECTIONING);
            gone[i] = s->st[i];
        } else if (judged && fishy(s, i, &left, top)) {
            /* what stays is a few plain paragraphs: the parent judges it
             * as gone, which only makes the parent less likely to go */
            drop_links_of(pg, i);
            gone[i] = s->st[i];
        }
        if (n->parent != CL_HNONE)
            stat_add(&gone[n->parent], &gone[i], 1.0);
    }
    free(gone);
    free(inside);
    return 0;
}

/* The nearest <article>, itemprop=articleBody or <main> holding the candidate. */
static uint32_t article_ancestor(const cl_hpage *pg, uint32_t top)
{
    for (uint32_t a = top; a != CL_HNONE; a = pg->nodes[a].parent)
        if (pg->nodes[a].flags & (CL_HN_ARTICLE | CL_HN_BODYPROP | CL_HN_MAIN))
            return a;
    return CL_HNONE;
}

int cl_html_select(cl_hpage *pg, int lenient)
{
    if (pg->nnodes == 0)
        return 0;
    selector s = { pg, calloc(pg->nnodes, sizeof(nstat)), lenient };
    if (!s.st)
        return -1;
    measure_blocks(pg, lenient);
    decide_chrome(&s);
    gather_stats(&s);
    score_paragraphs(&s);
    uint32_t top[TOP_CANDIDATES];
    size_t n = top_candidates(&s, top);
    uint32_t best = n ? climb(&s, shared_ancestor(&s, top, n)) : 0;
    if (n) {
        uint32_t a = article_ancestor(pg, best);
        if (a != CL_HNONE &&
            s.st[a].value > (lenient ? 0.0 : ARTICLE_GAIN * s.st[best].value))
            best = a;
    }
    if (n)
        keep_with_siblings(&s, best);
    else
        keep_range(pg, 0);
    int rc = clean_inside(&s, best);
    free(s.st);
    return rc;
}

