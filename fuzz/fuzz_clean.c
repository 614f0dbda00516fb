/*
 * fuzz_clean.c - libFuzzer target on the library's whole entry point.
 *
 * Bytes -> cl_clean() -> every renderer.  The detector chooses the format,
 * unless the first byte is 0x01, 0x02 or 0x03, which forces text, Markdown
 * or HTML on the rest: seeds (real pages) exercise detection, mutations soon
 * find the forcing prefix and drive each reader with any bytes.  The rules
 * shipped in config/rules are loaded once, so the rule matcher and the attr
 * pruning see fuzzed text too, and so is the shipped block model, with
 * thresholds for HTML added so that the decision module's every path (both
 * stages, the contexts of every reader) sees it as well.
 *
 * Beyond "no crash, no leak, no UB", it checks the library's promises: a
 * failure always says why, every rendering is valid UTF-8, and the body's
 * length as status.h counts it without rendering is that of the rendered
 * body.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cleaner.h"
#include "render.h"
#include "utf8.h"

#define FORCE_PREFIX_MAX 3

static cl_cleaner *cleaners[1 + FORCE_PREFIX_MAX];

/* Appends the file at path to out; 0, or -1 when it cannot be opened. */
static int read_whole(const char *path, cl_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cl_buf_append(out, chunk, n);
    fclose(f);
    return 0;
}

static void load_rule_file(cl_rules *rules, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cl_buf text = CL_BUF_INIT;
    if (read_whole(path, &text) < 0)
        return;
    cl_error err;
    if (cl_rules_load(rules, path, cl_buf_cstr(&text), text.len, &err) < 0)
        fprintf(stderr, "fuzz_clean: %s\n", err.msg);
    cl_buf_free(&text);
}

static cl_rules *load_shipped_rules(void)
{
    const char *dir = FUZZ_REPO "/config/rules";
    cl_rules *rules = cl_rules_new();
    DIR *d = opendir(dir);
    if (!rules || !d) {
        if (d)
            closedir(d);
        return rules;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".rules"))
            load_rule_file(rules, dir, e->d_name);
    closedir(d);
    return rules;
}

/* The shipped model deciding every format, or NULL when there is none. */
static cl_model *load_shipped_model(void)
{
    cl_buf text = CL_BUF_INIT;
    if (read_whole(FUZZ_REPO "/config/model/blocks.model", &text) < 0) {
        fprintf(stderr, "fuzz_clean: no config/model/blocks.model: the decision module "
                        "is not fuzzed\n");
        return NULL;
    }
    static const char html_on[] = "\ndrop_threshold.html 0.1\nkeep_threshold.html 0.5\n";
    cl_buf_append(&text, html_on, sizeof html_on - 1);
    cl_error err;
    cl_model *m = cl_model_load("blocks.model", cl_buf_cstr(&text), text.len, &err);
    if (!m)
        fprintf(stderr, "fuzz_clean: %s\n", err.msg);
    cl_buf_free(&text);
    return m;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    for (int force = 0; force <= FORCE_PREFIX_MAX; force++) {
        cl_options o;
        cl_options_init(&o);
        o.force_format = force;
        cleaners[force] = cl_cleaner_new(&o, load_shipped_rules());
        if (!cleaners[force])
            abort();
        cl_cleaner_set_model(cleaners[force], load_shipped_model());
    }
    return 0;
}

static void check_utf8(const cl_buf *b, const char *what)
{
    if (!cl_utf8_valid(cl_buf_cstr(b), b->len)) {
        fprintf(stderr, "fuzz_clean: %s rendering is not valid UTF-8\n", what);
        abort();
    }
}

static void render_all(const cl_doc *doc)
{
    cl_buf out = CL_BUF_INIT;
    if (cl_render_text(doc, &out) < 0)
        abort();
    check_utf8(&out, "text");
    cl_buf_clear(&out);
    if (cl_render_json(doc, "fuzz\n\"input\".html", CL_STATUS_NO_ARTICLE, 1, &out) < 0)
        abort();
    check_utf8(&out, "json");
    cl_buf_clear(&out);
    if (cl_render_explain(doc, &out) < 0)
        abort();
    check_utf8(&out, "explain");
    cl_buf_clear(&out);
    if (cl_render_body(doc, &out) < 0)
        abort();
    if (cl_body_chars(doc) != cl_text_chars(cl_buf_cstr(&out), out.len)) {
        fprintf(stderr, "fuzz_clean: cl_body_chars differs from the rendered body's\n");
        abort();
    }
    cl_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int force = size > 0 && data[0] >= 1 && data[0] <= FORCE_PREFIX_MAX ? data[0] : 0;
    if (force) {
        data++;
        size--;
    }
    /* A private copy with no slack after it, so ASan sees any over-read. */
    char *bytes = malloc(size ? size : 1);
    if (!bytes)
        return 0;
    memcpy(bytes, data, size);
    cl_doc *doc = NULL;
    cl_error err;
    if (cl_clean(cleaners[force], bytes, size, "input.html", &doc, &err) == 0) {
        render_all(doc);
        cl_doc_free(doc);
    } else if (doc || !err.msg[0]) {
        fprintf(stderr, "fuzz_clean: failure without a message or with a document\n");
        abort();
    }
    free(bytes);
    return 0;
}
