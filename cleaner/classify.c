#include "classify.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "title.h"
#include "utf8.h"

void cl_classify_options_init(cl_classify_options *o)
{
    o->body_min_words = 10;
    o->max_link_density = 0.5;
    o->headline_min_words = 6;
    o->headline_max_words = 25;
}

/* Features of one block.  What needs a walk of its text is computed once
 * and kept as bits, one byte a block (a document of tiny paragraphs has a
 * block every 2 or 3 input bytes); the rest is read off the block. */
typedef struct features {
    size_t words;
    double link_density;
    int    ends_sentence;  /* last visible character ends a sentence */
    int    menu;           /* short items between separators: flattened links */
    int    body;           /* prose of the article (is_body) */
} features;

enum {
    F_ENDS_SENTENCE = 1u << 0,
    F_MENU          = 1u << 1,
    F_BODY          = 1u << 2,
};

/* Code points that end a sentence (Latin, CJK, Devanagari, Arabic). */
static int is_sentence_end(unsigned long cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';' ||
           cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F ||
           cp == 0xFF0E || cp == 0x0964 || cp == 0x061F || cp == 0x06D4;
}

/* Closing quotes and brackets, and emoji with their modifiers, that may
 * follow the sentence's end ("See you soon! \U0001F642"). */
static int is_closer(unsigned long cp)
{
    if (cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '*' ||
        cp == 0x2019 || cp == 0x201D || cp == 0xBB || cp == 0x300D || cp == 0x300F)
        return 1;
    if (cp < 0x80)
        return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_SO || c == UTF8PROC_CATEGORY_SK ||
           c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ME ||
           c == UTF8PROC_CATEGORY_CF;
}

/* Decodes the code point that ends at s[end-1], stepping back over
 * continuation bytes; *start receives its first byte. */
static unsigned long last_code_point(const char *s, size_t end, size_t *start)
{
    size_t i = end - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && end - i < 4)
        i--;
    *start = i;
    const unsigned char *u = (const unsigned char *)s + i;
    size_t n = cl_utf8_seq_len(u, end - i);
    switch (n) {
    case 1: return u[0];
    case 2: return ((u[0] & 0x1Ful) << 6) | (u[1] & 0x3F);
    case 3: return ((u[0] & 0x0Ful) << 12) | ((u[1] & 0x3Ful) << 6) | (u[2] & 0x3F);
    case 4: return ((u[0] & 0x07ul) << 18) | ((u[1] & 0x3Ful) << 12) |
                   ((u[2] & 0x3Ful) << 6) | (u[3] & 0x3F);
    default: return 0xFFFD;
    }
}

int cl_text_ends_sentence(const char *s, size_t len)
{
    size_t end = len;
    while (end > 0) {
        size_t start;
        unsigned long cp = last_code_point(s, end, &start);
        if (is_sentence_end(cp))
            return 1;
        if (!is_closer(cp) && cp != ' ')
            return 0;
        end = start;
    }
    return 0;
}

/* ". ", "? ", "! " before the last word: the block holds several sentences.
 * A single capital before the dot ("J. Smith") is an initial, not an end.
 * Only whether one exists matters, so each mark is looked for on its own:
 * memchr jumps over the prose between marks, which are rare but for the
 * sentence ends themselves. */
static int has_inner_sentence_end(const char *s, size_t len)
{
    if (len < 3)
        return 0;
    const char *end = s + len - 1;  /* a mark needs a byte after it */
    for (const char *mark = ".?!"; *mark; mark++) {
        for (const char *p = s + 1; (p = memchr(p, *mark, (size_t)(end - p))) != NULL; p++) {
            size_t i = (size_t)(p - s);
            if (s[i + 1] == ' ' &&
                !(s[i] == '.' && s[i - 1] >= 'A' && s[i - 1] <= 'Z' && (i < 2 || s[i - 2] == ' ')))
                return 1;
        }
    }
    return 0;
}

/*
 * Navigation flattened to text ("Home • News • Sport", "A | B | C") keeps no
 * link markup, but its shape remains: several separators with few words
 * between them.
 */
#define MENU_MIN_SEPARATORS 2
#define MENU_MAX_WORDS_PER_ITEM 5

/* Width of the menu separator at s[i] ('|', U+2022, U+00B7, U+00BB, U+203A), or 0. */
static size_t separator_width(const unsigned char *s, size_t len, size_t i)
{
    if (s[i] == '|')
        return 1;
    if (s[i] == 0xC2 && i + 1 < len && (s[i + 1] == 0xB7 || s[i + 1] == 0xBB))
        return 2;
    if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0xA2 || s[i + 2] == 0xBA))
        return 3;
    return 0;
}

/* Separators that start with byte `lead` and have a space or the text's
 * edge on both sides.  Counted one lead byte at a time, so that memchr jumps
 * over the text between them: the other bytes of a separator are UTF-8
 * continuation bytes, which no separator starts with. */
static size_t count_separators(const unsigned char *s, size_t len, unsigned char lead)
{
    size_t separators = 0;
    for (const unsigned char *p = s; (p = memchr(p, lead, len - (size_t)(p - s))) != NULL; p++) {
        size_t i = (size_t)(p - s), w = separator_width(s, len, i);
        if (w && (i == 0 || s[i - 1] == ' ') && (i + w == len || s[i + w] == ' '))
            separators++;
    }
    return separators;
}

static int looks_like_menu(const char *text, size_t len, size_t words)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t separators = count_separators(s, len, '|') + count_separators(s, len, 0xC2) +
                        count_separators(s, len, 0xE2);
    return separators >= MENU_MIN_SEPARATORS &&
           words <= (separators + 1) * MENU_MAX_WORDS_PER_ITEM + separators;
}

/* Prose of the article: long enough, punctuated, not mostly links. */
static int is_body(const cl_block *b, const features *f, const cl_classify_options *o)
{
    if (b->kind == CL_BLOCK_HEADING || b->kind == CL_BLOCK_SEPARATOR || f->menu)
        return 0;
    if (f->words >= (size_t)o->body_min_words && f->ends_sentence && f->link_density < 0.8)
        return 1;
    return f->words >= (size_t)o->body_min_words * 3 && f->link_density < o->max_link_density;
}

static features features_of(const cl_block *b, unsigned bits)
{
    features f;
    f.words = b->words;
    f.link_density = b->len ? (double)b->link_len / (double)b->len : 0.0;
    f.ends_sentence = (bits & F_ENDS_SENTENCE) != 0;
    f.menu = (bits & F_MENU) != 0;
    f.body = (bits & F_BODY) != 0;
    return f;
}

/* The bits of block b; `body` is decided once here, as every later step
 * asks it of the same blocks again. */
static unsigned char block_bits(const cl_block *b, const cl_classify_options *o)
{
    unsigned bits = cl_text_ends_sentence(b->text, b->len) ? F_ENDS_SENTENCE : 0;
    /* A table row's cells are joined with " | " by the readers themselves. */
    if (b->kind != CL_BLOCK_TABLE_ROW && looks_like_menu(b->text, b->len, b->words))
        bits |= F_MENU;
    features f = features_of(b, bits);
    if (is_body(b, &f, o))
        bits |= F_BODY;
    return (unsigned char)bits;
}

/* Block i's features, from its bits in fb. */
static features feat(const cl_doc *doc, const unsigned char *fb, size_t i)
{
    return features_of(&doc->blocks[i], fb[i]);
}

/* Short, one unpunctuated phrase: a title, a subheading, or a headline of
 * another article.  Inner sentence ends are looked for last, in the few
 * short blocks that do not end with one: the search reads the whole block
 * when it finds none. */
static int is_headline_like(const cl_block *b, const features *f, const cl_classify_options *o)
{
    return (b->kind == CL_BLOCK_PARAGRAPH || b->kind == CL_BLOCK_HEADING) &&
           f->words > 0 && f->words <= (size_t)o->headline_max_words &&
           !f->ends_sentence && !has_inner_sentence_end(b->text, b->len);
}

/* Blocks no position can save: separators, menus and, in flat documents,
 * short runs of links. */
static void drop_by_block_features(cl_doc *doc, const unsigned char *fb,
                                   const cl_classify_options *o, int flat)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        cl_block *b = &doc->blocks[i];
        if (b->decision != CL_KEEP)
            continue;
        features f = feat(doc, fb, i);
        if (b->kind == CL_BLOCK_SEPARATOR)
            cl_block_decide(b, CL_DROP, "separator");
        else if (f.menu)
            cl_block_decide(b, CL_DROP, "menu");
        else if (flat && f.link_density > o->max_link_density &&
                 !(f.ends_sentence && f.words >= (size_t)o->body_min_words))
            cl_block_decide(b, CL_DROP, "link density");
    }
}

static void promote_title(cl_doc *doc, const unsigned char *fb, size_t first_body,
                          const cl_classify_options *o)
{
    for (size_t i = 0; i < first_body; i++) {
        cl_block *b = &doc->blocks[i];
        if (b->decision != CL_KEEP)
            continue;
        features f = feat(doc, fb, i);
        if (is_headline_like(b, &f, o) && f.link_density < o->max_link_density) {
            if (!doc->meta[CL_META_TITLE])
                cl_doc_set_meta(doc, CL_META_TITLE, b->text, b->len, 0);
            if (cl_title_names_heading(doc->meta[CL_META_TITLE], b->text, b->len))
                cl_block_decide(b, CL_DROP, "title");
        }
        return;  /* only the first kept block can be the headline */
    }
}

/* The nearest kept block before (dir -1) or after (dir +1) block i. */
static const cl_block *kept_neighbour(const cl_doc *doc, size_t i, int dir, size_t *at)
{
    for (size_t k = i; dir < 0 ? k-- > 0 : ++k < doc->nblocks;) {
        if (doc->blocks[k].decision == CL_KEEP) {
            *at = k;
            return &doc->blocks[k];
        }
    }
    return NULL;
}

static int neighbour_is_body(const cl_doc *doc, const unsigned char *fb, size_t i, int dir)
{
    size_t k;
    const cl_block *n = kept_neighbour(doc, i, dir, &k);
    return n && (fb[k] & F_BODY);
}

/*
 * Between the first and the last body paragraph, a lone short unpunctuated
 * paragraph of several words, with body prose on both sides, reads as the
 * headline of another article (sites interleave "related" links).  Fewer
 * words read as a subheading; runs of short lines are lists, recipes,
 * tables flattened to text, and stay.  After the body, anything short and
 * unpunctuated, and headings with no body below them, are trailers.
 */
static void drop_by_position(cl_doc *doc, const unsigned char *fb, size_t first, size_t last,
                             const cl_classify_options *o)
{
    for (size_t i = first + 1; i < doc->nblocks; i++) {
        cl_block *b = &doc->blocks[i];
        if (b->decision != CL_KEEP)
            continue;
        features f = feat(doc, fb, i);
        if (!is_headline_like(b, &f, o))
            continue;
        if (i > last)
            cl_block_decide(b, CL_DROP, "after the body, no sentence");
        else if (b->kind == CL_BLOCK_PARAGRAPH && f.words >= (size_t)o->headline_min_words &&
                 neighbour_is_body(doc, fb, i, -1) && neighbour_is_body(doc, fb, i, +1))
            cl_block_decide(b, CL_DROP, "interleaved headline");
    }
}

#define REGION_LINKS_MAX_WORDS 10

/*
 * What a kept block says about being part of the article: body prose counts
 * its words for, link-dense blocks twice their words against, short phrases
 * half their words against; short sentences, list items and table rows are
 * neutral.
 */
static double region_score(const cl_block *b, const features *f, const cl_classify_options *o)
{
    if (f->body)
        return (double)f->words;
    if (f->menu)
        return -2.0 * (double)f->words;
    /* Capped: one long block of links inside a story (an inline teaser)
     * must not outweigh the paragraphs on either side of it. */
    if (f->link_density > o->max_link_density)
        return -2.0 * (double)(f->words < REGION_LINKS_MAX_WORDS ? f->words
                                                                  : REGION_LINKS_MAX_WORDS);
    /* Lists and tables of plain text belong to whatever text they touch. */
    if (b->kind == CL_BLOCK_LIST_ITEM || b->kind == CL_BLOCK_TABLE_ROW ||
        (b->kind != CL_BLOCK_HEADING && f->ends_sentence))
        return 0.0;
    return -0.5 * (double)f->words;
}

static double region_score_at(const cl_doc *doc, const unsigned char *fb, size_t i,
                              const cl_classify_options *o)
{
    features f = feat(doc, fb, i);
    return region_score(&doc->blocks[i], &f, o);
}

/* Extends [*start, *end] over the neutral kept blocks on either side. */
static void extend_over_neutral(const cl_doc *doc, const unsigned char *fb,
                                const cl_classify_options *o, size_t *start, size_t *end)
{
    for (size_t i = *end + 1; i < doc->nblocks; i++) {
        if (doc->blocks[i].decision != CL_KEEP)
            continue;
        if (region_score_at(doc, fb, i, o) < 0.0)
            break;
        *end = i;
    }
    for (size_t i = *start; i-- > 0;) {
        if (doc->blocks[i].decision != CL_KEEP)
            continue;
        if (region_score_at(doc, fb, i, o) < 0.0)
            break;
        *start = i;
    }
}

/* Block i's weight in the main run: dropped blocks still separate (a bar of
 * links between two texts) but never attract. */
static double run_weight(const cl_doc *doc, const unsigned char *fb, size_t i,
                         const cl_classify_options *o)
{
    double score = region_score_at(doc, fb, i, o);
    return doc->blocks[i].decision == CL_KEEP || score < 0.0 ? score : 0.0;
}

/*
 * The article as the run of blocks with the highest total score (maximum-
 * sum subarray, one pass): page furniture, comment threads and teaser lists
 * before or after it fall outside.  Neutral short sentences next to the run
 * join it.  Kept blocks outside are dropped.
 */
static void keep_main_region(cl_doc *doc, const unsigned char *fb, const cl_classify_options *o)
{
    double best = 0.0, run = 0.0;
    size_t best_start = 0, best_end = 0, run_start = 0;
    int found = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (run <= 0.0) {
            run = 0.0;
            run_start = i;
        }
        run += run_weight(doc, fb, i, o);
        if (run > best) {
            best = run;
            best_start = run_start;
            best_end = i;
            found = 1;
        }
    }
    if (!found)
        return;
    extend_over_neutral(doc, fb, o, &best_start, &best_end);
    for (size_t i = 0; i < doc->nblocks; i++)
        if ((i < best_start || i > best_end) && doc->blocks[i].decision == CL_KEEP)
            cl_block_decide(&doc->blocks[i], CL_DROP, "outside the main text");
}

/* The first and last kept body blocks; 0 when there is none. */
static int find_body(const cl_doc *doc, const unsigned char *fb, size_t *first, size_t *last)
{
    int found = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (doc->blocks[i].decision == CL_KEEP && (fb[i] & F_BODY)) {
            if (!found)
                *first = i;
            *last = i;
            found = 1;
        }
    }
    return found;
}

/* Words of kept body blocks in [from, to). */
static size_t body_words(const cl_doc *doc, const unsigned char *fb, size_t from, size_t to)
{
    size_t words = 0;
    for (size_t i = from; i < to; i++)
        if (doc->blocks[i].decision == CL_KEEP && (fb[i] & F_BODY))
            words += doc->blocks[i].words;
    return words;
}

/*
 * After an end-rule block that reads as a section title, nothing is article.
 * The marker must close a real text: at least END_MARKER_MIN_WORDS body
 * words, or more than follow, come before it; earlier ones are navigation
 * ("Most read" in a sidebar above the story).  A section title is a heading
 * when the document marks any up (then a bare "12 comments" paragraph is a
 * meta link and list items are toolbar buttons), else a paragraph.
 */
#define END_MARKER_MIN_WORDS 100

static void drop_after_end_marker(cl_doc *doc, const unsigned char *fb)
{
    int has_headings = 0;
    for (size_t i = 0; i < doc->nblocks && !has_headings; i++)
        has_headings = doc->blocks[i].kind == CL_BLOCK_HEADING;
    cl_block_kind title_kind = has_headings ? CL_BLOCK_HEADING : CL_BLOCK_PARAGRAPH;
    size_t total = body_words(doc, fb, 0, doc->nblocks), before = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        if (b->decision == CL_KEEP && (fb[i] & F_BODY))
            before += b->words;
        if (!(b->flags & CL_BLOCK_ENDS_ARTICLE) || b->kind != title_kind || before == 0 ||
            (before < END_MARKER_MIN_WORDS && before <= total - before))
            continue;
        for (size_t k = i + 1; k < doc->nblocks; k++)
            if (doc->blocks[k].decision == CL_KEEP)
                cl_block_decide(&doc->blocks[k], CL_DROP, "after the end of the article");
        return;
    }
}

/* Blocks whose feature bits fit on the stack: an article's, without a malloc. */
#define CLASSIFY_STACK_BLOCKS 1024

void cl_classify(cl_doc *doc, const cl_classify_options *o)
{
    if (doc->nblocks == 0)
        return;
    unsigned char stack_fb[CLASSIFY_STACK_BLOCKS];
    unsigned char *fb = doc->nblocks <= sizeof stack_fb ? stack_fb : malloc(doc->nblocks);
    if (!fb)
        return;  /* out of memory: leave every decision as the rules made it */
    for (size_t i = 0; i < doc->nblocks; i++)
        fb[i] = block_bits(&doc->blocks[i], o);

    /*
     * The HTML reader chose the article's container and judged links and
     * position on the DOM, which says more than a flat sequence of blocks
     * (measured on aeb-dev: F1 0.973 with the flat checks on HTML, 0.977
     * without).  Text and Markdown have only the sequence.
     */
    int flat = doc->format != CL_FORMAT_HTML;
    drop_by_block_features(doc, fb, o, flat);
    size_t first = 0, last = 0;
    if (find_body(doc, fb, &first, &last)) {
        promote_title(doc, fb, first, o);
        if (flat)
            keep_main_region(doc, fb, o);
        drop_after_end_marker(doc, fb);
        if (flat && find_body(doc, fb, &first, &last))
            drop_by_position(doc, fb, first, last, o);
    }
    if (fb != stack_fb)
        free(fb);
}
