#include "status.h"

/* A count in progress: `space` is a whitespace run seen since the last
 * character, counted only when another character follows. */
typedef struct char_count {
    size_t n;
    int    space;
} char_count;

static void count_chars(char_count *c, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = p[i];
        if (b == ' ' || (b >= '\t' && b <= '\r')) {
            c->space = 1;
            continue;
        }
        if (b == 0xC2 && i + 1 < len && p[i + 1] == 0xA0) {   /* U+00A0 */
            c->space = 1;
            i++;
            continue;
        }
        if ((b & 0xC0) == 0x80)
            continue;           /* inside a sequence: its lead byte counted */
        if (c->space && c->n > 0)
            c->n++;             /* the run before it, as one space */
        c->space = 0;
        c->n++;
    }
}

const char *cl_status_name(cl_status s)
{
    return s == CL_STATUS_NO_ARTICLE ? "no_article" : "ok";
}

size_t cl_text_chars(const char *s, size_t len)
{
    char_count c = { 0, 0 };
    count_chars(&c, s, len);
    return c.n;
}

/* Follows render.c's layout: a blank line between blocks and a list item's
 * indentation are whitespace runs; of its "- " marker the '-' counts. */
size_t cl_body_chars(const cl_doc *doc)
{
    char_count c = { 0, 0 };
    for (size_t i = 0; doc && i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        if (b->decision != CL_KEEP)
            continue;
        c.space = 1;
        if (b->kind == CL_BLOCK_LIST_ITEM)
            count_chars(&c, "- ", 2);
        count_chars(&c, b->text, b->len);
    }
    return c.n;
}

cl_status cl_doc_status(const cl_doc *doc, size_t min_body_chars, size_t *body_chars)
{
    size_t n = cl_body_chars(doc);
    if (body_chars)
        *body_chars = n;
    return n == 0 || n < min_body_chars ? CL_STATUS_NO_ARTICLE : CL_STATUS_OK;
}
