#include "text_blocks.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "date.h"

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t cl_text_date_marker(const char *s, size_t len, char date[11])
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (len - i < 4 + 1 + 10 || memcmp(s + i, "date", 4) != 0)
        return 0;
    i += 4;
    if (s[i] != ' ' && s[i] != '\t' && s[i] != ':')
        return 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ':'))
        i++;
    if (len - i < 10)
        return 0;
    const char *d = s + i;
    for (int k = 0; k < 10; k++) {
        int dash = k == 4 || k == 7;
        if (dash ? d[k] != '-' : !is_digit(d[k]))
            return 0;
    }
    /* The marker is exactly a date: "2022-10-11x" is not one. */
    if (len - i > 10 && d[10] != ' ' && d[10] != '\t' && d[10] != '\n' && d[10] != '\r')
        return 0;
    memcpy(date, d, 10);
    date[10] = '\0';
    i += 10;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* A line of only separator characters ("*", "* * *", "-----", "___"). */
static int is_separator_line(const char *s, size_t n)
{
    size_t marks = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr("*-_=~#+.", s[i]) && s[i])
            marks++;
        else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    }
    return marks > 0;
}

#define TEXT_RESERVE 4096

/* A text browser's dump is wrapped at 80 columns or so: a paragraph longer
 * than this that spans one line was not wrapped. */
#define WRAP_WIDTH 100

typedef struct para_builder {
    cl_doc  *doc;
    cl_buf   text;       /* built by the counting collapse and single spaces */
    size_t   words;      /* of text, counted as it was collapsed */
    unsigned flags;
    int      separator;  /* every line so far was a separator line */
    unsigned lines;      /* input lines of the paragraph being built */
    cl_buf   block_lines;  /* a byte per block added: its lines, up to 3 */
    size_t   long_blocks, wrapped_blocks;  /* see set_contexts() */
} para_builder;

static int para_flush(para_builder *pb)
{
    long rc = 0;
    if (pb->text.len) {
        cl_block_kind kind = pb->separator ? CL_BLOCK_SEPARATOR : CL_BLOCK_PARAGRAPH;
        rc = cl_doc_add_counted_block(pb->doc, kind, 0, pb->text.data, pb->text.len, 0,
                                      pb->words);
        if (rc >= 0) {
            pb->doc->blocks[rc].flags |= pb->flags;
            cl_buf_append_char(&pb->block_lines, (char)(pb->lines < 3 ? pb->lines : 3));
        }
        if (rc >= 0 && pb->text.len >= WRAP_WIDTH) {
            pb->long_blocks++;
            pb->wrapped_blocks += pb->lines > 1;
        }
    }
    cl_buf_clear(&pb->text);
    pb->words = 0;
    pb->lines = 0;
    pb->separator = 1;
    return rc == -2 || pb->text.oom || pb->block_lines.oom ? -1 : 0;
}

static void para_add_line(para_builder *pb, const char *line, size_t n)
{
    if (!is_separator_line(line, n))
        pb->separator = 0;
    if (pb->text.len)
        cl_buf_append_char(&pb->text, ' ');
    cl_buf_append_collapsed_counted(&pb->text, line, n, &pb->words);
    cl_buf_rtrim(&pb->text);
    pb->lines++;
}

/*
 * The reader's evidence for the block model (doc.h contexts): how many
 * input lines a paragraph took, and whether the text is hard-wrapped (most
 * paragraphs longer than a line of WRAP_WIDTH span several lines, as a
 * page dumped by a text browser does) or one paragraph a line, as scrapers
 * write.  A short line between paragraphs is a subheading in the first and
 * often another article's headline in the second.
 */
static int set_contexts(para_builder *pb)
{
    cl_doc *doc = pb->doc;
    const char *wrap = pb->wrapped_blocks * 2 > pb->long_blocks ? "wrapped" : "unwrapped";
    char ctx[32];
    for (size_t i = 0; i < doc->nblocks && i < pb->block_lines.len; i++) {
        int n = snprintf(ctx, sizeof ctx, "lines=%d %s", pb->block_lines.data[i], wrap);
        if (cl_doc_set_block_context(doc, i, ctx, (size_t)n) < 0)
            return -1;
    }
    return 0;
}

/* Bytes of the line at s[0..len): up to the next '\n' or the end.  memchr
 * finds line ends many bytes at a time. */
static size_t line_len(const char *s, size_t len)
{
    const char *nl = memchr(s, '\n', len);
    return nl ? (size_t)(nl - s) : len;
}

/* A text with no blank line anywhere: its paragraphs are its lines. */
static int has_blank_line(const char *s, size_t len)
{
    int nonblank_seen = 0;
    for (size_t start = 0; start <= len;) {
        size_t n = line_len(s + start, len - start);
        int blank = is_blank(s + start, n);
        if (blank && nonblank_seen && start + n < len)
            return 1;
        nonblank_seen |= !blank;
        start += n + 1;
    }
    return 0;
}

int cl_text_take_date_marker(const char *s, size_t len, cl_doc *doc, size_t *skip,
                             cl_error *err)
{
    char date[11];
    *skip = cl_text_date_marker(s, len, date);
    if (*skip && cl_doc_set_meta(doc, CL_META_DATE, date, 10, 0) < 0)
        return cl_fail(err, "out of memory");
    return 0;
}

/* A date line is among the first blocks of a text (a dateline, a byline
 * with its date), or just after its first heading; a short one, as a
 * sentence that names a date is about an event, not dated by it. */
#define TOP_DATE_BLOCKS    5
#define TOP_DATE_MAX_WORDS 12

static int is_date_line(const cl_block *b)
{
    return b->words <= TOP_DATE_MAX_WORDS && b->kind != CL_BLOCK_CODE;
}

/* The first valid date of block b that is no update, or 0. */
static int block_date(const cl_doc *doc, const cl_block *b, cl_date *d)
{
    cl_date_hit hit;
    for (size_t at = 0; cl_date_scan(b->text, b->len, at, CL_DATE_DMY, &hit); at = hit.end) {
        if (!hit.updated && cl_date_valid(&hit.date, doc->now, 0)) {
            *d = hit.date;
            return 1;
        }
    }
    return 0;
}

static size_t first_heading(const cl_doc *doc)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].kind == CL_BLOCK_HEADING)
            return i;
    return doc->nblocks;
}

int cl_text_take_top_date(cl_doc *doc, cl_error *err)
{
    if (doc->meta[CL_META_DATE])
        return 0;
    size_t h = first_heading(doc);
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (i >= TOP_DATE_BLOCKS && (i <= h || i > h + TOP_DATE_BLOCKS))
            continue;
        cl_date d;
        char iso[CL_DATE_ISO_MAX];
        if (!is_date_line(&doc->blocks[i]) || !block_date(doc, &doc->blocks[i], &d))
            continue;
        size_t n = cl_date_iso(&d, iso);
        return cl_doc_set_meta(doc, CL_META_DATE, iso, n, 0) < 0 ? cl_fail(err, "out of memory") : 0;
    }
    return 0;
}

int cl_text_read(const char *utf8, size_t len, cl_doc *doc, cl_error *err)
{
    size_t skip;
    if (cl_text_take_date_marker(utf8, len, doc, &skip, err) < 0)
        return -1;
    const char *s = utf8 + skip;
    len -= skip;

    int line_mode = !has_blank_line(s, len);
    para_builder pb = { .doc = doc, .separator = 1,
                        .flags = line_mode ? CL_BLOCK_LINE_SPLIT : 0 };
    /* No paragraph is longer than the input: one allocation for most
     * documents, where doubling from 64 bytes took about five. */
    cl_buf_reserve(&pb.text, len < TEXT_RESERVE ? len : TEXT_RESERVE);
    int rc = 0;
    for (size_t start = 0; start <= len && rc == 0;) {
        const char *line = s + start;
        size_t n = line_len(line, len - start);
        start += n + 1;
        if (is_blank(line, n)) {
            rc = para_flush(&pb);
            continue;
        }
        para_add_line(&pb, line, n);
        if (line_mode)
            rc = para_flush(&pb);
    }
    if (rc == 0)
        rc = para_flush(&pb);
    if (rc == 0 && doc->want_contexts)
        rc = set_contexts(&pb);
    cl_buf_free(&pb.text);
    cl_buf_free(&pb.block_lines);
    if (rc < 0)
        return cl_fail(err, "out of memory");
    return cl_text_take_top_date(doc, err);
}
