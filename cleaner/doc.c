#include "doc.h"
#include "buf.h"
#include "swar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = { "text", "markdown", "html" };
static const char *const kind_names[] = {
    "paragraph", "heading", "list-item", "quote", "code", "table-row",
    "caption", "separator",
};
static const char *const meta_names[] = { "title", "author", "date", "site", "url" };

const char *cl_format_name(cl_format f)
{
    return (unsigned)f < 3 ? format_names[f] : "unknown";
}

const char *cl_block_kind_name(cl_block_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "unknown";
}

const char *cl_meta_field_name(cl_meta_field f)
{
    return (unsigned)f < CL_META_COUNT ? meta_names[f] : "unknown";
}

cl_doc *cl_doc_new(cl_format format)
{
    cl_doc *doc = calloc(1, sizeof *doc);
    if (doc)
        doc->format = format;
    return doc;
}

/*
 * Block texts are copied into chunks the document owns rather than each into
 * a malloc of its own: a document has tens to thousands of short blocks, and
 * an allocation and a free a block cost more than copying its text.  A text
 * is appended to the newest chunk; chunks never move, so text pointers stay
 * valid, and each new chunk is twice the size of the last, up to a cap, so
 * a document takes a few allocations.  A text longer than a chunk gets one
 * of its own, linked behind the newest, whose room stays in use.
 */
struct cl_text_chunk {
    cl_text_chunk *next;
    size_t         used;
    size_t         cap;
    char           bytes[];
};

#define TEXT_CHUNK_FIRST 4096   /* the text of a short article fits */
#define TEXT_CHUNK_MAX   65536

static cl_text_chunk *add_text_chunk(cl_doc *doc, size_t need)
{
    cl_text_chunk *newest = doc->texts;
    size_t cap = newest ? newest->cap * 2 : TEXT_CHUNK_FIRST;
    if (cap > TEXT_CHUNK_MAX)
        cap = TEXT_CHUNK_MAX;
    int own = need > cap;
    if (own)
        cap = need;
    if (cap > SIZE_MAX - sizeof(cl_text_chunk))
        return NULL;
    cl_text_chunk *c = malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    c->used = 0;
    c->cap = cap;
    if (own && newest) {
        c->next = newest->next;
        newest->next = c;
    } else {
        c->next = newest;
        doc->texts = c;
    }
    return c;
}

/* A NUL-terminated copy of text[0..len) in the document's chunks; NULL on
 * allocation failure. */
static inline char *store_text(cl_doc *doc, const char *text, size_t len)
{
    cl_text_chunk *c = doc->texts;
    if ((!c || c->cap - c->used <= len) && !(c = add_text_chunk(doc, len + 1)))
        return NULL;
    char *copy = c->bytes + c->used;
    memcpy(copy, text, len);
    copy[len] = '\0';
    c->used += len + 1;
    return copy;
}

void cl_doc_free(cl_doc *doc)
{
    if (!doc)
        return;
    for (cl_text_chunk *c = doc->texts, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(doc->blocks);
    for (int f = 0; f < CL_META_COUNT; f++)
        free(doc->meta[f]);
    free(doc);
}

static size_t trimmed_len(const char *text, size_t len)
{
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\n' ||
                   text[len - 1] == '\t' || text[len - 1] == '\r'))
        len--;
    return len;
}

/* cl_doc_add_block, with the words counted here when `words` is NULL. */
static long add_block(cl_doc *doc, cl_block_kind kind, int level, const char *text, size_t len,
                      size_t link_len, const size_t *words)
{
    len = trimmed_len(text, len);
    if (len == 0)
        return -1;
    if (doc->nblocks == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 32;
        cl_block *p = realloc(doc->blocks, cap * sizeof *p);
        if (!p)
            return -2;
        doc->blocks = p;
        doc->cap = cap;
    }
    char *copy = store_text(doc, text, len);
    if (!copy)
        return -2;
    cl_block *b = &doc->blocks[doc->nblocks];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->level = level;
    b->text = copy;
    b->len = len;
    b->words = words ? *words : cl_count_words(copy, len);
    b->link_len = link_len > len ? len : link_len;
    return (long)doc->nblocks++;
}

long cl_doc_add_block(cl_doc *doc, cl_block_kind kind, int level,
                      const char *text, size_t len, size_t link_len)
{
    return add_block(doc, kind, level, text, len, link_len, NULL);
}

long cl_doc_add_counted_block(cl_doc *doc, cl_block_kind kind, int level, const char *text,
                              size_t len, size_t link_len, size_t words)
{
    return add_block(doc, kind, level, text, len, link_len, &words);
}

int cl_doc_set_block_text(cl_doc *doc, size_t i, const char *text, size_t len,
                          size_t link_len)
{
    if (i >= doc->nblocks)
        return -1;
    len = trimmed_len(text, len);
    char *copy = store_text(doc, text, len);
    if (!copy)
        return -1;
    cl_block *b = &doc->blocks[i];
    b->text = copy;
    b->len = len;
    b->words = cl_count_words(copy, len);
    b->link_len = link_len > len ? len : link_len;
    return 0;
}

void cl_block_decide(cl_block *b, cl_decision d, const char *reason)
{
    b->decision = d;
    size_t n = strlen(reason);
    if (n >= CL_REASON_MAX)
        n = CL_REASON_MAX - 1;
    memcpy(b->reason, reason, n);
    b->reason[n] = '\0';
}

int cl_doc_set_meta(cl_doc *doc, cl_meta_field f, const char *value,
                    size_t len, int overwrite)
{
    if ((unsigned)f >= CL_META_COUNT || !value)
        return 0;
    if (doc->meta[f] && !overwrite)
        return 0;
    cl_buf b = CL_BUF_INIT;
    cl_buf_append_collapsed(&b, value, len);
    cl_buf_rtrim(&b);
    if (b.oom)
        return -1;
    if (b.len == 0) {
        cl_buf_free(&b);
        return 0;
    }
    free(doc->meta[f]);
    doc->meta[f] = cl_buf_detach(&b);
    return 0;
}

const char *cl_doc_meta(const cl_doc *doc, cl_meta_field f)
{
    return (unsigned)f < CL_META_COUNT ? doc->meta[f] : NULL;
}

static int is_word_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/*
 * A word starts at a non-space byte that follows a space or the start of
 * the text.  With the spaces of 8 bytes flagged in a word, the bytes that
 * follow a space are the flags shifted by one byte, so a group costs a few
 * operations instead of a comparison chain a byte.  Block text is collapsed:
 * '\n', '\t' and '\r' (all below '\r' + 1) are rare and looked for only in
 * groups that have such a low byte; a group of ASCII without them, the
 * common case, takes the cheapest test for spaces.
 */
size_t cl_count_words(const char *s, size_t len)
{
    size_t words = 0, i = 0;
    uint64_t after_space = 0x80;  /* byte 0 of the next group follows a space */
    for (; i + 8 <= len; i += 8) {
        uint64_t w = cl_swar_load(s + i), space;
        if (!cl_swar_outside_ascii_from(w, '\r' + 1)) {
            space = cl_swar_eq_ascii(w, ' ');
        } else {
            space = cl_swar_eq(w, ' ');
            if (cl_swar_any_below(w, '\r' + 1))
                space |= cl_swar_eq(w, '\n') | cl_swar_eq(w, '\t') | cl_swar_eq(w, '\r');
        }
        words += cl_swar_count(~space & CL_SWAR_HIGH & ((space << 8) | after_space));
        after_space = space >> 56;
    }
    int in_word = !after_space;
    for (; i < len; i++) {
        int space = is_word_space(s[i]);
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return words;
}
