#include "md_blocks.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text_blocks.h"
#include "utf8.h"

#define MD_TEXT_RESERVE 4096

typedef struct md_reader {
    cl_doc       *doc;
    cl_buf        text;       /* the block being built */
    size_t        words;      /* of text, counted as it was collapsed */
    int           uncounted;  /* text has bytes the counting collapse did not write */
    size_t        link_len;
    cl_block_kind kind;
    int           level;
    int           open;       /* a block is being built */
    int           quote_depth;
    int           list_depth;
    int           link_depth;
    int           image_depth;
    int           html_block; /* inside raw HTML: not article text */
    int           cells;      /* cells so far in the current table row */
    int           failed;
} md_reader;

static void block_flush(md_reader *r)
{
    if (r->open && r->text.len) {
        long rc = r->uncounted ? cl_doc_add_block(r->doc, r->kind, r->level, r->text.data,
                                                  r->text.len, r->link_len)
                               : cl_doc_add_counted_block(r->doc, r->kind, r->level, r->text.data,
                                                          r->text.len, r->link_len, r->words);
        if (rc == -2)
            r->failed = 1;
    }
    if (r->text.oom)
        r->failed = 1;
    cl_buf_clear(&r->text);
    r->words = 0;
    r->uncounted = 0;
    r->link_len = 0;
    r->open = 0;
}

static void block_start(md_reader *r, cl_block_kind kind, int level)
{
    block_flush(r);
    r->kind = kind;
    r->level = level;
    r->open = 1;
}

/* The kind of a paragraph depends on the containers it sits in. */
static cl_block_kind paragraph_kind(const md_reader *r)
{
    if (r->quote_depth)
        return CL_BLOCK_QUOTE;
    if (r->list_depth)
        return CL_BLOCK_LIST_ITEM;
    return CL_BLOCK_PARAGRAPH;
}

static int on_enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    md_reader *r = user;
    switch (type) {
    case MD_BLOCK_QUOTE: block_flush(r); r->quote_depth++; break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:    block_flush(r); r->list_depth++; break;
    case MD_BLOCK_LI:    block_start(r, CL_BLOCK_LIST_ITEM, r->list_depth); break;
    case MD_BLOCK_P:
        /* A loose list item's paragraphs each become an item block. */
        if (!(r->open && r->kind == CL_BLOCK_LIST_ITEM && r->text.len == 0))
            block_start(r, paragraph_kind(r), r->list_depth);
        break;
    case MD_BLOCK_H:
        block_start(r, CL_BLOCK_HEADING, (int)((MD_BLOCK_H_DETAIL *)detail)->level);
        break;
    case MD_BLOCK_CODE:  block_start(r, CL_BLOCK_CODE, 0); break;
    case MD_BLOCK_HR:
        block_start(r, CL_BLOCK_SEPARATOR, 0);
        cl_buf_append_str(&r->text, "---");
        r->uncounted = 1;
        block_flush(r);
        break;
    case MD_BLOCK_HTML:  block_flush(r); r->html_block = 1; break;
    case MD_BLOCK_TR:    block_start(r, CL_BLOCK_TABLE_ROW, 0); r->cells = 0; break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (r->cells++) {
            cl_buf_append_str(&r->text, " | ");
            r->uncounted = 1;
        }
        break;
    default: break;
    }
    return 0;
}

static int on_leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    md_reader *r = user;
    (void)detail;
    switch (type) {
    case MD_BLOCK_QUOTE: block_flush(r); r->quote_depth--; break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:    block_flush(r); r->list_depth--; break;
    case MD_BLOCK_HTML:  r->html_block = 0; break;
    case MD_BLOCK_LI:
    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_CODE:
    case MD_BLOCK_TR:    block_flush(r); break;
    default: break;
    }
    return r->failed ? -1 : 0;
}

static int on_enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    md_reader *r = user;
    (void)detail;
    if (type == MD_SPAN_A)
        r->link_depth++;
    else if (type == MD_SPAN_IMG)
        r->image_depth++;
    return 0;
}

static int on_leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    md_reader *r = user;
    (void)detail;
    if (type == MD_SPAN_A)
        r->link_depth--;
    else if (type == MD_SPAN_IMG)
        r->image_depth--;
    return 0;
}

/*
 * md4c hands entities over undecoded.  Numeric ones and the named ones that
 * occur in converted articles are decoded; any other stays as written, which
 * loses nothing.
 */
static void append_entity(cl_buf *b, const char *s, size_t n)
{
    static const struct { const char *name; unsigned long cp; } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
        { "&apos;", '\'' }, { "&nbsp;", 0xA0 }, { "&copy;", 0xA9 }, { "&reg;", 0xAE },
        { "&mdash;", 0x2014 }, { "&ndash;", 0x2013 }, { "&hellip;", 0x2026 },
        { "&lsquo;", 0x2018 }, { "&rsquo;", 0x2019 }, { "&ldquo;", 0x201C },
        { "&rdquo;", 0x201D }, { "&laquo;", 0xAB }, { "&raquo;", 0xBB },
    };
    if (n > 3 && s[1] == '#') {
        int hex = s[2] == 'x' || s[2] == 'X';
        unsigned long cp = strtoul(s + 2 + hex, NULL, hex ? 16 : 10);
        cl_utf8_append(b, cp);
        return;
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0) {
            cl_utf8_append(b, named[i].cp);
            return;
        }
    cl_buf_append(b, s, n);
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
    md_reader *r = user;
    if (!r->open || r->html_block || r->image_depth)
        return 0;
    size_t before = r->text.len;
    switch (type) {
    case MD_TEXT_NORMAL:
    case MD_TEXT_LATEXMATH:
        cl_buf_append_collapsed_counted(&r->text, s, n, &r->words);
        break;
    case MD_TEXT_CODE:
        if (r->kind == CL_BLOCK_CODE) {
            cl_buf_append(&r->text, s, n);
            r->uncounted = 1;
        } else {
            cl_buf_append_collapsed_counted(&r->text, s, n, &r->words);
        }
        break;
    case MD_TEXT_ENTITY:
        append_entity(&r->text, s, n);
        r->uncounted = 1;
        break;
    case MD_TEXT_NULLCHAR:
        cl_utf8_append(&r->text, 0xFFFD);
        r->uncounted = 1;
        break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        cl_buf_append_collapsed_counted(&r->text, " ", 1, &r->words);
        break;
    case MD_TEXT_HTML:
        break;
    }
    if (r->link_depth)
        r->link_len += r->text.len - before;
    return 0;
}

int cl_md_read(const char *utf8, size_t len, cl_doc *doc, cl_error *err)
{
    size_t skip;
    if (cl_text_take_date_marker(utf8, len, doc, &skip, err) < 0)
        return -1;

    md_reader r = { .doc = doc };
    /* No block is longer than the input: one allocation for most
     * documents, where doubling from 64 bytes took about five. */
    cl_buf_reserve(&r.text, len < MD_TEXT_RESERVE ? len : MD_TEXT_RESERVE);
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = CL_MD_READER_FLAGS,
        .enter_block = on_enter_block,
        .leave_block = on_leave_block,
        .enter_span = on_enter_span,
        .leave_span = on_leave_span,
        .text = on_text,
    };
    int rc = md_parse(utf8 + skip, (MD_SIZE)(len - skip), &parser, &r);
    block_flush(&r);
    cl_buf_free(&r.text);
    if (r.failed)
        return cl_fail(err, "out of memory");
    if (rc != 0)
        return cl_fail(err, "Markdown parser failed (%d)", rc);
    return cl_text_take_top_date(doc, err);
}
