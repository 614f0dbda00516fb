/*
 * doc.h - the document model every stage shares.
 *
 * A format reader (text_blocks, md_blocks, html_blocks) turns input bytes into
 * an ordered list of blocks: paragraphs, headings, list items, quotes, code,
 * table rows, captions.  Block text is UTF-8 with inline markup removed
 * (links keep their anchor text) and whitespace collapsed, except in code
 * blocks, which keep their line breaks.  Later stages only set decisions and
 * metadata; the renderer prints the kept blocks.
 *
 * Ownership: the cl_doc owns every block, every block's text and reason and
 * every metadata string; cl_doc_free() releases all of it.  Getters and the
 * arrays below are borrowed and live as long as the document.  Block texts
 * are stored in chunks of memory that never move: a block's text pointer
 * stays valid until cl_doc_free(), even after cl_doc_set_block_text() has
 * given the block a new text.
 *
 * Memory: a text of one-letter lines ("x\n" repeated) has a block per 2
 * input bytes, so a block is kept small: 32 bytes, its text in the shared
 * chunks (its bytes and a NUL), its reason a pointer to the document's one
 * copy of each distinct reason.  A document then takes at most 17 bytes
 * per input byte (up to 16 more while the blocks array has just doubled)
 * and a few kilobytes.  Contexts, when a reader is asked for them
 * (want_contexts), add a pointer a block and their text, one copy for a
 * run of blocks with the same context.
 */
#ifndef CLEANER_DOC_H
#define CLEANER_DOC_H

#include <stddef.h>
#include <stdint.h>

typedef enum cl_format {
    CL_FORMAT_TEXT = 0,
    CL_FORMAT_MARKDOWN,
    CL_FORMAT_HTML,
    CL_FORMAT_COUNT
} cl_format;

const char *cl_format_name(cl_format f);

typedef enum cl_block_kind {
    CL_BLOCK_PARAGRAPH = 0,
    CL_BLOCK_HEADING,     /* level 1..6 */
    CL_BLOCK_LIST_ITEM,   /* level = nesting depth, 1 for a top-level item */
    CL_BLOCK_QUOTE,       /* a paragraph inside a blockquote */
    CL_BLOCK_CODE,        /* line breaks preserved */
    CL_BLOCK_TABLE_ROW,   /* cells joined by " | " */
    CL_BLOCK_CAPTION,     /* figcaption, table caption */
    CL_BLOCK_SEPARATOR,   /* a thematic break or a line of '*', '-', '=' ... */
} cl_block_kind;

const char *cl_block_kind_name(cl_block_kind k);

typedef enum cl_decision {
    CL_KEEP = 0,
    CL_DROP,
} cl_decision;

/* Why a block was kept or dropped, for --explain: reasons are cut to
 * CL_REASON_MAX - 1 bytes. */
#define CL_REASON_MAX 64

/* Block lengths and word counts are 32-bit, to keep blocks small.  No
 * reader makes a block's text more than nine times its input's bytes (a
 * repaired or legacy charset triples them, a Markdown table row triples
 * its '|'), and cl_clean() refuses inputs over CL_MAX_INPUT_BYTES
 * (cleaner.h), far below this. */
#define CL_BLOCK_MAX_LEN UINT32_MAX

/* Flags a reader may set on a block to help the classifier. */
enum {
    CL_BLOCK_IN_MAIN    = 1u << 0, /* inside the container the extractor chose */
    CL_BLOCK_LINE_SPLIT = 1u << 1, /* text paragraph that was one line of a
                                      text without blank lines */
    CL_BLOCK_ENDS_ARTICLE = 1u << 2, /* an end rule matched: comments or
                                        related links start here */
    CL_BLOCK_FINAL = 1u << 3,        /* a rule decided it: the decision
                                        module (decide.h) leaves it */
};

/* A deeper level is stored as this one: a list nested 4 million deep,
 * which only a line of 8 MB of "- - - ..." makes. */
#define CL_BLOCK_MAX_LEVEL ((1u << 22) - 1)

/* 32 bytes: the small fields share one word. */
typedef struct cl_block {
    char       *text;          /* NUL-terminated; in the document's text chunks */
    const char *reason;        /* NUL-terminated, "" until decided; owned by the
                                  document: set it with cl_block_decide() only */
    uint32_t    len;           /* bytes of text, at most CL_BLOCK_MAX_LEN */
    uint32_t    words;         /* whitespace-separated words of text */
    uint32_t    link_len;      /* bytes of text that were link anchors */
    unsigned    level    : 22; /* heading 1..6, list depth from 1; else 0 */
    unsigned    kind     : 4;  /* cl_block_kind */
    unsigned    flags    : 5;  /* CL_BLOCK_* */
    unsigned    decision : 1;  /* cl_decision */
} cl_block;

/* Metadata fields; each is NULL until a stage sets it. */
typedef enum cl_meta_field {
    CL_META_TITLE = 0,
    CL_META_AUTHOR,
    CL_META_DATE,
    CL_META_SITE,
    CL_META_URL,
    CL_META_DATE_MODIFIED, /* ISO 8601, as CL_META_DATE: the page's last update */
    CL_META_LANG,          /* ISO 639-1 code: declared, else detected (lang.h) */
    CL_META_DESCRIPTION,
    CL_META_IMAGE,         /* absolute URL */
    CL_META_TAGS,          /* keywords and sections, joined by ", " */
    CL_META_COUNT
} cl_meta_field;

const char *cl_meta_field_name(cl_meta_field f);

/* Storage of the block texts and reasons, private to doc.c. */
typedef struct cl_text_chunk cl_text_chunk;
typedef struct cl_reasons cl_reasons;

typedef struct cl_doc {
    cl_format      format;
    cl_block      *blocks;
    size_t         nblocks;
    size_t         cap;
    char          *meta[CL_META_COUNT];  /* owned; NULL when unknown */
    cl_text_chunk *texts;                /* owned: the chunks block texts are in */
    const char   **contexts;             /* owned array, NULL until a reader gives
                                            a block a context; strings in texts */
    size_t         ncontexts;            /* entries of contexts */
    int            want_contexts;        /* set before a reader runs: readers
                                            build contexts only when asked */
    cl_reasons    *reasons;              /* owned: one copy of each reason */
    /* What the carrier knew (cl_input, cleaner.h), set before a reader runs. */
    char          *input_url;            /* owned; NULL when not given */
    long long      fetch_time;           /* seconds since the epoch; 0: unknown */
    long long      now;                  /* no date is later (date.h): fetch_time,
                                            else cl_options.now; 0: none */
} cl_doc;

cl_doc *cl_doc_new(cl_format format);
void    cl_doc_free(cl_doc *doc);

/*
 * Appends a block, copying `len` bytes of `text` (which need not be
 * NUL-terminated).  Trailing spaces are dropped; an empty block is not added
 * (returns 0 all the same).  Returns the new block's index, -1 when empty,
 * or -2 on allocation failure (or a text over CL_BLOCK_MAX_LEN bytes, which
 * no input cl_clean() accepts can give).
 */
long cl_doc_add_block(cl_doc *doc, cl_block_kind kind, int level,
                      const char *text, size_t len, size_t link_len);

/* cl_doc_add_block for a reader that counted the words of the text as it
 * built it (cl_buf_append_collapsed_counted): `words` must be what
 * cl_count_words(text, len) gives, and the text is not walked again. */
long cl_doc_add_counted_block(cl_doc *doc, cl_block_kind kind, int level, const char *text,
                              size_t len, size_t link_len, size_t words);

/* Gives block i a copy of `text` (len bytes) as its text; the old text
 * stays where it is, unused, until cl_doc_free().  `text` may be (part of)
 * any block's text.  0 or -1. */
int  cl_doc_set_block_text(cl_doc *doc, size_t i, const char *text, size_t len,
                           size_t link_len);

/*
 * A reader's evidence about block i beyond its text, for the decision
 * module (decide.h): space-separated feature words such as "tag=p
 * in=article c=entry-content", which block_features.h turns into model features.
 * Copied (a run of blocks with the same context shares one copy).  0, or -1
 * on allocation failure.
 */
int  cl_doc_set_block_context(cl_doc *doc, size_t i, const char *ctx, size_t len);

/* Block i's context, "" when its reader gave none. */
const char *cl_doc_block_context(const cl_doc *doc, size_t i);

/* Sets the block's decision and its reason (copied, cut to CL_REASON_MAX - 1
 * bytes).  `b` must be a block of a cl_doc.  Should the copy fail for want of
 * memory, the block keeps its old reason and cl_doc_oom() says so. */
void cl_block_decide(cl_block *b, cl_decision d, const char *reason);

/* 1 when cl_block_decide() could not copy a reason for want of memory. */
int  cl_doc_oom(const cl_doc *doc);

/*
 * Sets a metadata field to a copy of `value` with whitespace collapsed and
 * trimmed.  With `overwrite` 0 a field already set is left alone, so readers
 * can offer candidates from the most to the least trusted source.  An empty
 * value is ignored.  0, or -1 on allocation failure.
 */
int  cl_doc_set_meta(cl_doc *doc, cl_meta_field f, const char *value,
                     size_t len, int overwrite);

const char *cl_doc_meta(const cl_doc *doc, cl_meta_field f);

/* Number of whitespace-separated words in s[0..len). */
size_t cl_count_words(const char *s, size_t len);

#endif
