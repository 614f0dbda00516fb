/*
 * cleaner.h - the library's entry point: bytes in, a decided document out.
 *
 *   detect (charset, binary, format) -> read blocks (text | Markdown | HTML)
 *   -> rules -> classifier heuristics -> decisions (decide.h: the block
 *   model) -> the caller renders (render.h)
 *
 * A cl_cleaner holds the options, the compiled rules and the block model;
 * once set up (cl_cleaner_new() prepares the rules' prefilters,
 * cl_cleaner_set_model() gives it a model) cleaning changes nothing in it
 * but the rules' patterns compiled on their first use (rules.h), so it
 * can clean any number of documents, one at a time per process.  The
 * library does no I/O: callers read files and pass buffers.
 */
#ifndef CLEANER_CLEANER_H
#define CLEANER_CLEANER_H

#include <stddef.h>
#include "classify.h"
#include "model.h"
#include "doc.h"
#include "error.h"
#include "rules.h"

typedef struct cl_options {
    int                 force_format;  /* 0: detect; else 1 + cl_format */
    /* Readers give blocks their contexts (doc.h) even where no model reads
     * them: for a tool that writes training data. */
    int                 block_contexts;
    cl_classify_options classify;
    /* Seconds since the epoch: the caller's "now", after which no date is a
     * publication date, for inputs with neither a fetch_time nor a now of
     * their own (cl_input).  The library reads no clock, so a page gives
     * the same date on any day.  0: no date is refused as future. */
    long long           now;
    /* The language from the page's declaration only: CLD2 reads about 500
     * instructions a byte of the 1024 it samples, which halves the text
     * and Markdown throughput (lang.h). */
    int                 skip_lang_detection;
} cl_options;

void cl_options_init(cl_options *o);

typedef struct cl_cleaner cl_cleaner;

/* Takes ownership of `rules` (may be NULL: no rules), even on failure. */
cl_cleaner *cl_cleaner_new(const cl_options *o, cl_rules *rules);
void        cl_cleaner_free(cl_cleaner *c);

/* Takes ownership of `model` (may be NULL: the proposals of the readers,
 * rules and heuristics are the decisions), freeing any previous one.  Call
 * it before the cleaner cleans. */
void        cl_cleaner_set_model(cl_cleaner *c, cl_model *model);
const cl_model *cl_cleaner_model(const cl_cleaner *c);
const cl_rules *cl_cleaner_rules(const cl_cleaner *c);

/*
 * The longest input cl_clean() takes, far beyond any article: block lengths
 * are 32-bit (doc.h, CL_BLOCK_MAX_LEN), and no reader makes a block more
 * than nine times its input's bytes, so with a sixteenth of 4 GiB none can
 * overflow.  A longer input fails with a message saying so.
 */
#define CL_MAX_INPUT_BYTES ((size_t)256 << 20)

/*
 * Cleans bytes[0..len).  `name_hint` (may be NULL) is the file name, used
 * only to break format ties.  On success *out is a new document the caller
 * frees with cl_doc_free().  Fails, with err set and *out NULL, on binary
 * input (NUL bytes, known binary signatures), an input over
 * CL_MAX_INPUT_BYTES or allocation failure.  Any other input, however
 * malformed, gives a document.
 */
int cl_clean(const cl_cleaner *c, const char *bytes, size_t len,
             const char *name_hint, cl_doc **out, cl_error *err);

/*
 * A document and what the carrier knows about it (an HTTP response in a
 * WARC record, a JSON Lines record, a --url option).  Only bytes is
 * required; the strings are borrowed for the call.
 */
typedef struct cl_input {
    const char *bytes;
    size_t      len;
    const char *name_hint;   /* the file name: breaks format ties */
    const char *url;         /* where the page was fetched: the document's url
                                when the page names none, and the base its
                                relative links resolve against */
    const char *charset;     /* the transport's label (HTTP Content-Type),
                                trusted over the page's own (charset.h) */
    long long   fetch_time;  /* seconds since the epoch (WARC-Date), 0 when
                                unknown: no publication date is later */
    long long   now;         /* the caller's clock for this document, for
                                one that lives longer than a day (a daemon);
                                0: cl_options.now */
} cl_input;

/* cl_clean() with everything the carrier knows; the same contract. */
int cl_clean_input(const cl_cleaner *c, const cl_input *in, cl_doc **out,
                   cl_error *err);

#endif
