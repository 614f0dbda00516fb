/*
 * cleaner-features - the block model's training data: every block of every
 * file named, with the features the decision module would score it by.
 *
 *   cleaner-features [-c CONFIG] FILE...
 *
 * Files are cleaned as `cleaner` cleans them (the config's rules and
 * options, the format detected from the content) but without a model, so
 * that each block carries the proposals of the readers, rules and
 * heuristics: what cl_decide() reads.  One line per block on standard
 * output, tab-separated:
 *
 *   FILE  INDEX  PROPOSED  WORDS  FEATURES  TEXT
 *
 * PROPOSED is keep or drop, or final-keep or final-drop for a block no
 * model rescores (decide.h: cl_decide_is_final).
 * FEATURES are space-separated names (block_features.h); TEXT is the block
 * text with tabs and line breaks as spaces.  scripts/train.py labels the
 * blocks against the data sets' ground truth and fits the model.  A file
 * that cannot be read or cleaned is reported on standard error and
 * skipped; the exit code is then 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_features.h"
#include "buf.h"
#include "cleaner.h"
#include "decide.h"
#include "config.h"
#include "engine.h"
#include "fileio.h"

typedef struct line_out {
    cl_buf *buf;
} line_out;

static void add_name(void *ctx, const char *name, size_t len, float value)
{
    line_out *o = ctx;
    (void)value;
    if (o->buf->len)
        cl_buf_append(o->buf, " ", 1);
    cl_buf_append(o->buf, name, len);
}

static void print_block(const char *file, const cl_doc *doc, size_t i, cl_buf *names)
{
    const cl_block *b = &doc->blocks[i];
    line_out o = { names };
    names->len = 0;
    cl_block_features(doc, i, add_name, &o);
    printf("%s\t%zu\t%s%s\t%u\t%.*s\t", file, i, cl_decide_is_final(b) ? "final-" : "",
           b->decision == CL_KEEP ? "keep" : "drop",
           b->words, (int)names->len, names->data ? names->data : "");
    for (size_t k = 0; k < b->len; k++) {
        char c = b->text[k];
        putchar(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
    putchar('\n');
}

static int dump_file(const cl_cleaner *c, const char *file, cl_buf *names)
{
    cl_buf in = CL_BUF_INIT;
    cl_error err = { { 0 } };
    cl_doc *doc = NULL;
    int rc = fileio_read_path(file, CL_MAX_INPUT_BYTES, &in, &err);
    if (rc < 0)
        fprintf(stderr, "cleaner-features: %s: %s\n", file, err.msg);
    else if ((rc = cl_clean(c, in.data ? in.data : "", in.len, file, &doc, &err)) < 0)
        fprintf(stderr, "cleaner-features: %s: %s\n", file, err.msg);
    for (size_t i = 0; doc && i < doc->nblocks; i++)
        print_block(file, doc, i, names);
    cl_doc_free(doc);
    cl_buf_free(&in);
    return rc;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        config_path = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: cleaner-features [-c CONFIG] FILE...\n");
        return 2;
    }
    config cfg;
    config_init(&cfg);
    cl_error err = { { 0 } };
    char *found = config_path ? NULL : config_find(&err);
    if ((config_path || found) && config_load(&cfg, config_path ? config_path : found, &err) < 0) {
        fprintf(stderr, "cleaner-features: %s\n", err.msg);
        free(found);
        return 2;
    }
    free(found);
    cfg.options.block_contexts = 1;
    cl_cleaner *c = engine_new(&cfg, &err);
    if (!c) {
        fprintf(stderr, "cleaner-features: %s\n", err.msg);
        config_free(&cfg);
        return 2;
    }
    cl_cleaner_set_model(c, NULL);
    cl_buf names = CL_BUF_INIT;
    int status = 0;
    for (int i = first; i < argc; i++)
        if (dump_file(c, argv[i], &names) < 0)
            status = 1;
    cl_buf_free(&names);
    cl_cleaner_free(c);
    config_free(&cfg);
    return status;
}
