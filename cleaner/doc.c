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

void cl_doc_free(cl_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nblocks; i++)
        free(doc->blocks[i].text);
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
    char *copy = malloc(len + 1);
    if (!copy)
        return -2;
    memcpy(copy, text, len);
    copy[len] = '\0';
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
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    cl_block *b = &doc->blocks[i];
    free(b->text);
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
