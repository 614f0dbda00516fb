/*
 * engine.h - from config to a ready cl_cleaner, and from bytes to output.
 *
 * engine_new() reads every *.rules file of the config's rules_dir (in name
 * order, so the first matching rule is stable), hands each to
 * cl_rules_load(), and builds the cleaner with the config's options.  The
 * library does no I/O; this is where its inputs are read.  The rules'
 * index comes from the cache in cache_dir when it holds it, and is
 * written there when it did not (rules_cache.h).
 *
 * engine_clean() runs one document through the library, judges whether it
 * holds an article (status.h: a body under min_body_chars does not) and
 * renders it in the requested format: JSON always, with its "status"; text
 * only for an article, so a text output is never a near-empty success.
 * With explain in text mode the per-block decisions go to `explain_out`
 * (the caller prints them on standard error), article or not.
 */
#ifndef CLEANER_DAEMON_ENGINE_H
#define CLEANER_DAEMON_ENGINE_H

#include <stddef.h>
#include "buf.h"
#include "cleaner.h"
#include "cli.h"
#include "config.h"
#include "error.h"
#include "status.h"

/* A new cleaner (cl_cleaner_free() it), or NULL with err naming the rules
 * file and the cause. */
cl_cleaner *engine_new(const config *cfg, cl_error *err);

/* settings_load() then engine_new(), for a run in this process, with the
 * log level set and any error logged: 0 with *cfg (config_free() it) and
 * *out, or 2, the exit status of a configuration error. */
int engine_setup(const char *config_path, const cli_args *a, config *cfg,
                 cl_cleaner **out);

typedef struct engine_stats {
    size_t    blocks;          /* blocks read */
    size_t    blocks_dropped;  /* blocks removed by rules or the classifier */
    cl_status status;          /* CL_STATUS_NO_ARTICLE: nothing rendered as text */
    size_t    body_chars;      /* the body's length as status.h counts it */
} engine_stats;

typedef struct engine_request {
    const char   *bytes;
    size_t        len;
    const char   *name_hint;  /* file name for format ties, may be NULL */
    const char   *source;     /* "source" in JSON output */
    output_format format;
    int           explain;
    size_t        min_body_chars;  /* a shorter body is no article */
    const char   *url;         /* where the page came from (cl_input), may be NULL */
    const char   *charset;     /* the transport's charset label, may be NULL */
    long long     fetch_time;  /* seconds since the epoch, 0: unknown */
} engine_request;

/* Appends the rendered document to out (and explanations to explain_out
 * when it is not NULL).  0, or -1 with err holding the cause. */
int engine_clean(const cl_cleaner *c, const engine_request *rq, cl_buf *out,
                 cl_buf *explain_out, engine_stats *stats, cl_error *err);

/* Why a document is no article, for the log: "no article: 12 characters,
 * min_body_chars is 25", or "no article: empty body". */
void engine_no_article_cause(const engine_stats *stats, size_t min_body_chars,
                             char *buf, size_t size);

#endif
