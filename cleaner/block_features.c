/*
 * block_features.c - a block's model features (contract in block_features.h).
 *
 * Names are built in a buffer on the stack, prefix then value, and handed
 * to the callback; nothing is allocated.  Only the first words of a block
 * are read (FIRST_WORDS), and its last word, so a block costs the same
 * whatever its length.
 */
#include "block_features.h"
#include "classify.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIRST_WORDS 6      /* words whose unigrams are features */
#define FIRST_PAIRS 4      /* of which the first pairs are bigrams too */
#define WORD_MAX    24     /* a longer word is cut */
#define CJK_CHARS   8      /* leading characters of an unspaced word paired */

/* `format` is set while the shape and proposal features are emitted: each
 * of them also goes out as "FORMAT|NAME", so that one model weighs "outside
 * the main content" differently for an HTML page and a flattened text. */
typedef struct emitter {
    cl_feature_fn fn;
    void         *ctx;
    char          format;  /* 'H', 'M', 'T', or 0 */
} emitter;

static void emit(const emitter *e, const char *prefix, const char *value, size_t len)
{
    char name[CL_FEATURE_MAX];
    size_t p = strlen(prefix);
    len = cl_utf8_cut(value, len, sizeof name - 3 - p);
    name[0] = e->format;
    name[1] = '|';
    memcpy(name + 2, prefix, p);
    memcpy(name + 2 + p, value, len);
    e->fn(e->ctx, name + 2, p + len, 1.0f);
    if (e->format)
        e->fn(e->ctx, name, p + len + 2, 1.0f);
}

static void emit_str(const emitter *e, const char *prefix, const char *value)
{
    emit(e, prefix, value, strlen(value));
}

/* Bucket labels: the smallest bound not below v. */
static const char *bucket(unsigned long v, const unsigned long *bounds, const char *const *labels,
                          size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v <= bounds[i])
            return labels[i];
    return labels[n];
}

static const char *words_bucket(unsigned long w)
{
    static const unsigned long b[] = { 0, 1, 2, 3, 5, 8, 12, 20, 40, 80 };
    static const char *const l[] = { "0", "1", "2", "3", "4-5", "6-8", "9-12", "13-20",
                                     "21-40", "41-80", "81+" };
    return bucket(w, b, l, sizeof b / sizeof *b);
}

static const char *bytes_bucket(unsigned long n)
{
    static const unsigned long b[] = { 10, 30, 80, 200, 500, 1500 };
    static const char *const l[] = { "10", "30", "80", "200", "500", "1500", "more" };
    return bucket(n, b, l, sizeof b / sizeof *b);
}

static const char *density_bucket(const cl_block *b)
{
    if (b->link_len == 0)
        return "0";
    double d = (double)b->link_len / (double)b->len;
    return d <= 0.2 ? "0.2" : d <= 0.5 ? "0.5" : d <= 0.8 ? "0.8" : "1";
}

/* The reason with spaces as '_': a feature name holds no space. */
static void emit_reason(const emitter *e, const char *prefix, const cl_block *b)
{
    char r[CL_REASON_MAX];
    size_t n = strlen(b->reason);
    memcpy(r, b->reason, n);
    for (size_t i = 0; i < n; i++)
        if (r[i] == ' ')
            r[i] = '_';
    emit(e, prefix, n ? r : "none", n ? n : 4);
    emit_str(e, prefix[0] == 'r' ? "d=" : prefix[0] == 'p' ? "pd=" : "nd=",
             b->decision == CL_KEEP ? "keep" : "drop");
}

static void emit_neighbour(const emitter *e, const cl_doc *doc, size_t i, int dir)
{
    const char *rp = dir < 0 ? "pr=" : "nr=", *wp = dir < 0 ? "pw=" : "nw=";
    if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= doc->nblocks)) {
        emit_str(e, rp, "edge");
        return;
    }
    const cl_block *n = &doc->blocks[dir < 0 ? i - 1 : i + 1];
    emit_reason(e, rp, n);
    emit_str(e, wp, words_bucket(n->words));
}

/* ---- words -------------------------------------------------------------- */

/* The word at s as a feature value: ASCII lower-cased, digits as 0, ASCII
 * punctuation at either end dropped.  Returns its length in out. */
static size_t word_value(const char *s, size_t n, char *out)
{
    while (n && (unsigned char)s[0] < 0x80 && strchr("\"'()[]{}<>,.;:!?*-|/#@", s[0]))
        s++, n--;
    while (n && (unsigned char)s[n - 1] < 0x80 && strchr("\"'()[]{}<>,.;:!?*-|/#@", s[n - 1]))
        n--;
    n = cl_utf8_cut(s, n, WORD_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c >= '0' && c <= '9' ? '0' : (char)c;
    }
    return n;
}

/* Bytes of the UTF-8 character starting with byte c. */
static size_t char_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* A word of three-byte characters (CJK, kana, Hangul, Thai) is a phrase
 * written without spaces: its leading character pairs stand for words. */
static void emit_char_pairs(const emitter *e, const char *w, size_t n)
{
    size_t starts[CJK_CHARS + 2], k = 0, i = 0;
    while (i < n && k <= CJK_CHARS) {
        starts[k++] = i;
        i += char_len((unsigned char)w[i]);
    }
    starts[k] = i < n ? i : n;
    if (k < 3 || char_len((unsigned char)w[0]) != 3)
        return;
    for (size_t j = 0; j + 1 < k; j++)
        emit(e, "c=", w + starts[j], starts[j + 2] - starts[j]);
}

/* The last word of the block: after its last space. */
static const char *last_word(const cl_block *b, size_t *n)
{
    const char *end = b->text + b->len, *w = end;
    while (w > b->text && w[-1] != ' ' && w[-1] != '\n' && w[-1] != '\t')
        w--;
    *n = (size_t)(end - w);
    return w;
}

static void emit_words(const emitter *e, const cl_block *b)
{
    char prev[WORD_MAX], cur[WORD_MAX], pair[2 * WORD_MAX + 1];
    size_t prev_n = 0, nwords = 0;
    const char *s = b->text, *end = b->text + b->len;
    while (s < end && nwords < FIRST_WORDS) {
        while (s < end && (*s == ' ' || *s == '\n' || *s == '\t'))
            s++;
        const char *w = s;
        while (s < end && *s != ' ' && *s != '\n' && *s != '\t')
            s++;
        size_t n = word_value(w, (size_t)(s - w), cur);
        if (n == 0)
            continue;
        emit(e, nwords == 0 ? "t0=" : "t=", cur, n);
        if (nwords == 0)
            emit_char_pairs(e, cur, n);
        if (nwords > 0 && nwords <= FIRST_PAIRS) {
            memcpy(pair, prev, prev_n);
            pair[prev_n] = '_';
            memcpy(pair + prev_n + 1, cur, n);
            emit(e, "b=", pair, prev_n + 1 + n);
        }
        memcpy(prev, cur, n);
        prev_n = n;
        nwords++;
    }
    if (b->words > 1) {
        size_t n;
        const char *w = last_word(b, &n);
        if ((n = word_value(w, n, cur)) > 0)
            emit(e, "tl=", cur, n);
    }
}

/* ---- shape -------------------------------------------------------------- */

/* What the block starts with: list bullets, numbers, brackets and quotes
 * mark menus, counters and link lists in flattened pages. */
static const char *start_class(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return "upper";
    if (c >= 'a' && c <= 'z')
        return "lower";
    if (c >= '0' && c <= '9')
        return "digit";
    if (c >= 0x80)
        return "utf8";
    if (strchr("*+-#>", c))
        return "bullet";
    if (strchr("[(<{", c))
        return "bracket";
    if (strchr("\"'", c))
        return "quote";
    return "other";
}

/* The share of words that start with a capital, from counts: "Home News
 * Sport About" is a menu, whatever its language (for the scripts that
 * have capitals). */
static const char *capitals_bucket(size_t words, size_t caps)
{
    if (words < 3)
        return "few";
    return caps * 4 <= words ? "0.25" : caps * 2 <= words ? "0.5" : caps * 4 <= 3 * words
               ? "0.75" : "1";
}

static const char *word_length_bucket(const cl_block *b)
{
    if (b->words == 0)
        return "0";
    size_t avg = b->len / b->words;
    return avg <= 3 ? "3" : avg <= 5 ? "5" : avg <= 7 ? "7" : avg <= 10 ? "10" : "long";
}

static void emit_shape(const emitter *e, const cl_block *b)
{
    size_t commas = 0, digits = 0, words = 0, caps = 0;
    for (size_t i = 0; i < b->len; i++) {  /* one pass for all the counts */
        char c = b->text[i];
        commas += c == ',';
        digits += c >= '0' && c <= '9';
        if (i == 0 || b->text[i - 1] == ' ') {
            words++;
            caps += c >= 'A' && c <= 'Z';
        }
    }
    emit_str(e, "comma=", commas == 0 ? "0" : commas == 1 ? "1" : commas < 4 ? "2-3" : "4+");
    emit_str(e, "digits=", digits == 0 ? "0" : digits * 10 < b->len ? "some" : "many");
    emit_str(e, "end=", cl_text_ends_sentence(b->text, b->len) ? "sentence" : "other");
    emit_str(e, "start=", start_class((unsigned char)b->text[0]));
    emit_str(e, "caps=", capitals_bucket(words, caps));
    emit_str(e, "wlen=", word_length_bucket(b));
    if (b->text[b->len - 1] == ':')
        emit_str(e, "colon", "");
    if (strstr(b->text, " | "))
        emit_str(e, "pipes", "");
    if (b->flags & CL_BLOCK_IN_MAIN)
        emit_str(e, "flag=", "in-main");
    if (b->flags & CL_BLOCK_LINE_SPLIT)
        emit_str(e, "flag=", "line-split");
    if (b->flags & CL_BLOCK_ENDS_ARTICLE)
        emit_str(e, "flag=", "ends-article");
}

/* "WORD&REASON" into out (cut to its size), spaces as '_'.  Returns the
 * length. */
static size_t join_reason(char *out, size_t size, const char *w, size_t wn, const char *reason)
{
    size_t n = 0;
    for (size_t k = 0; k < wn && n + 1 < size; k++)
        out[n++] = w[k];
    if (n + 1 < size)
        out[n++] = '&';
    for (const char *r = reason; *r && n + 1 < size; r++)
        out[n++] = *r == ' ' ? '_' : *r;
    return n;
}

/* The context's words, and for text, whose contexts are few words (lines
 * and wrapping), each word joined with the proposal's reason: a short line
 * between paragraphs means something else in a hard-wrapped dump than in a
 * scraper's one-paragraph-a-line text. */
static void emit_context(const emitter *e, const cl_doc *doc, size_t i)
{
    const char *s = cl_doc_block_context(doc, i);
    const cl_block *b = &doc->blocks[i];
    char joined[CL_FEATURE_MAX];
    while (*s) {
        while (*s == ' ')
            s++;
        const char *w = s;
        while (*s && *s != ' ')
            s++;
        if (s == w)
            continue;
        emit(e, "h:", w, (size_t)(s - w));
        if (doc->format != CL_FORMAT_TEXT)
            continue;
        size_t n = join_reason(joined, sizeof joined, w, (size_t)(s - w), b->reason);
        emit(e, "hr:", joined, n);
    }
}

void cl_block_features(const cl_doc *doc, size_t i, cl_feature_fn fn, void *ctx)
{
    static const char format_letter[] = { 'T', 'M', 'H' };
    emitter e = { fn, ctx, format_letter[doc->format] };
    const cl_block *b = &doc->blocks[i];
    char kind[32];
    const char *kind_name = cl_block_kind_name((cl_block_kind)b->kind);
    emit_str(&e, "f=", cl_format_name(doc->format));
    emit_str(&e, "k=", kind_name);
    if (b->kind == CL_BLOCK_HEADING || b->kind == CL_BLOCK_LIST_ITEM) {
        size_t n = strlen(kind_name);
        memcpy(kind, kind_name, n);
        kind[n++] = '/';
        kind[n++] = (char)('0' + (b->level < 4 ? b->level : 4));
        emit(&e, "kl=", kind, n);
    }
    emit_str(&e, "w=", words_bucket(b->words));
    emit_str(&e, "len=", bytes_bucket(b->len));
    emit_str(&e, "ld=", density_bucket(b));
    size_t decile = doc->nblocks > 1 ? i * 10 / doc->nblocks : 0;
    char pos[4] = { (char)('0' + decile), 0 };
    emit_str(&e, "pos=", pos);
    emit_reason(&e, "r=", b);
    emit_neighbour(&e, doc, i, -1);
    emit_neighbour(&e, doc, i, +1);
    emit_shape(&e, b);
    e.format = 0;
    emit_words(&e, b);
    emit_context(&e, doc, i);
}

/* ---- the second stage ---------------------------------------------------- */

#define STAGE2_WINDOW     3   /* blocks either side in "2:win" */
#define STAGE2_WIDE      10   /* and in "2:wide" */
#define STAGE2_BODY_WORDS 10  /* a kept block this long anchors "2:between" */

void cl_block_stage2_prepare(const cl_doc *doc, const float *p, double threshold,
                             cl_stage2_doc *out)
{
    double sum = 0, words = 0;
    out->first_kept = 1;
    out->last_kept = 0;
    int any = 0;
    for (size_t j = 0; j < doc->nblocks; j++) {
        double w = doc->blocks[j].words + 1.0;
        sum += w * p[j];
        words += w;
        if (p[j] >= threshold && doc->blocks[j].words >= STAGE2_BODY_WORDS) {
            if (!any)
                out->first_kept = j;
            out->last_kept = j;
            any = 1;
        }
    }
    out->doc_mean = words > 0 ? sum / words : 0.5;
}

static double window_mean(const cl_doc *doc, size_t i, const float *p, size_t width)
{
    double sum = 0, words = 0;
    size_t from = i > width ? i - width : 0;
    for (size_t j = from; j <= i + width && j < doc->nblocks; j++) {
        if (j == i)
            continue;
        double w = doc->blocks[j].words + 1.0;
        sum += w * p[j];
        words += w;
    }
    return words > 0 ? sum / words : 0.5;
}

static const char *const stage2_names[CL_STAGE2_COUNT] = {
    "2:bias", "2:logit", "2:prev", "2:prev-edge", "2:next", "2:next-edge", "2:prev2",
    "2:next2", "2:win", "2:wide", "2:doc", "2:proposed", "2:between",
};

const char *cl_stage2_name(int k)
{
    return k >= 0 && k < CL_STAGE2_COUNT ? stage2_names[k] : NULL;
}

void cl_block_stage2_values(const cl_doc *doc, size_t i, const float *p, const cl_stage2_doc *d,
                            double v[CL_STAGE2_COUNT])
{
    size_t n = doc->nblocks;
    double q = p[i] < 1e-4 ? 1e-4 : p[i] > 1 - 1e-4 ? 1 - 1e-4 : p[i];
    double logit = log(q / (1 - q));
    memset(v, 0, CL_STAGE2_COUNT * sizeof *v);
    v[CL_STAGE2_BIAS] = 1.0;
    v[CL_STAGE2_LOGIT] = logit < -8 ? -8 : logit > 8 ? 8 : logit;
    if (i >= 1)
        v[CL_STAGE2_PREV] = p[i - 1];
    else
        v[CL_STAGE2_PREV_EDGE] = 1.0;
    if (i + 1 < n)
        v[CL_STAGE2_NEXT] = p[i + 1];
    else
        v[CL_STAGE2_NEXT_EDGE] = 1.0;
    if (i >= 2)
        v[CL_STAGE2_PREV2] = p[i - 2];
    if (i + 2 < n)
        v[CL_STAGE2_NEXT2] = p[i + 2];
    v[CL_STAGE2_WIN] = window_mean(doc, i, p, STAGE2_WINDOW);
    v[CL_STAGE2_WIDE] = window_mean(doc, i, p, STAGE2_WIDE);
    v[CL_STAGE2_DOC] = d->doc_mean;
    v[CL_STAGE2_PROPOSED] = doc->blocks[i].decision == CL_KEEP;
    v[CL_STAGE2_BETWEEN] = d->first_kept < i && i < d->last_kept;
}

/* A feature whose value is 0 weighs nothing: it is not emitted. */
void cl_block_stage2_features(const cl_doc *doc, size_t i, const float *p,
                              const cl_stage2_doc *d, cl_feature_fn fn, void *ctx)
{
    static const char format_letter[] = { 'T', 'M', 'H' };
    double v[CL_STAGE2_COUNT];
    char conj[32];
    cl_block_stage2_values(doc, i, p, d, v);
    for (int k = 0; k < CL_STAGE2_COUNT; k++) {
        if (v[k] == 0)
            continue;
        const char *name = stage2_names[k];
        fn(ctx, name, strlen(name), (float)v[k]);
        int len = snprintf(conj, sizeof conj, "2:%c|%s", format_letter[doc->format], name + 2);
        fn(ctx, conj, (size_t)len, (float)v[k]);
    }
}
