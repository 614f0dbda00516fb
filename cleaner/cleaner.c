#include "cleaner.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "charset.h"
#include "decide.h"
#include "detect.h"
#include "html_blocks.h"
#include "lang.h"
#include "md_blocks.h"
#include "status.h"
#include "text_blocks.h"

/* A body of fewer code points is worth a second reading. */
#define SECOND_CHANCE_CHARS 50

struct cl_cleaner {
    cl_options options;
    cl_rules  *rules;
    cl_model  *model;
};

void cl_options_init(cl_options *o)
{
    memset(o, 0, sizeof *o);
    cl_classify_options_init(&o->classify);
}

cl_cleaner *cl_cleaner_new(const cl_options *o, cl_rules *rules)
{
    cl_cleaner *c = calloc(1, sizeof *c);
    if (!c) {
        cl_rules_free(rules);
        return NULL;
    }
    /* Out of memory here leaves the rules correct, only unfiltered. */
    cl_rules_prepare(rules);
    if (o)
        c->options = *o;
    else
        cl_options_init(&c->options);
    c->rules = rules;
    return c;
}

void cl_cleaner_free(cl_cleaner *c)
{
    if (!c)
        return;
    cl_rules_free(c->rules);
    cl_model_free(c->model);
    free(c);
}

void cl_cleaner_set_model(cl_cleaner *c, cl_model *model)
{
    cl_model_free(c->model);
    c->model = model;
}

const cl_model *cl_cleaner_model(const cl_cleaner *c)
{
    return c ? c->model : NULL;
}

const cl_rules *cl_cleaner_rules(const cl_cleaner *c)
{
    return c ? c->rules : NULL;
}

static int has_utf16_or_32_bom(const unsigned char *b, size_t len)
{
    return len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) ||
                        (len >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF));
}

/*
 * Text and Markdown: valid UTF-8 (as the binary test found) is used in
 * place, without a copy; anything else goes through the charset module,
 * which repairs damaged UTF-8 and converts a legacy encoding.
 */
static int text_to_utf8(const char *bytes, size_t len, int utf8_valid, const char *declared,
                        cl_buf *tmp, const char **utf8, size_t *utf8_len, cl_error *err)
{
    if (utf8_valid) {
        *utf8 = bytes;
        *utf8_len = len;
        return 0;
    }
    if (cl_charset_to_utf8(bytes, len, 0, declared, tmp, NULL, 0, err) < 0)
        return -1;
    *utf8 = cl_buf_cstr(tmp);
    *utf8_len = tmp->len;
    return 0;
}

static int read_blocks(const cl_cleaner *c, cl_format format, const char *bytes, size_t len,
                       int utf8_valid, const char *declared, int lenient, cl_doc *doc,
                       cl_error *err)
{
    cl_buf tmp = CL_BUF_INIT;
    const char *utf8 = NULL;
    size_t n = 0;
    int rc;
    if (format == CL_FORMAT_HTML) {
        rc = cl_charset_to_utf8(bytes, len, 1, declared, &tmp, NULL, 0, err);
        if (rc == 0)
            rc = cl_html_read(cl_buf_cstr(&tmp), tmp.len, c->rules, lenient, doc, err);
    } else {
        rc = text_to_utf8(bytes, len, utf8_valid, declared, &tmp, &utf8, &n, err);
        if (rc == 0)
            rc = format == CL_FORMAT_MARKDOWN ? cl_md_read(utf8, n, doc, err)
                                              : cl_text_read(utf8, n, doc, err);
    }
    cl_buf_free(&tmp);
    return rc;
}

/* Copies bytes without their NULs into out (which may hold them already:
 * it is read from before it is written). 0, or -1 on allocation failure. */
static int drop_nul_bytes(const char *bytes, size_t len, cl_buf *out)
{
    cl_buf kept = CL_BUF_INIT;
    if (cl_buf_reserve(&kept, len + 1) < 0)
        return -1;
    for (const char *p = bytes, *end = bytes + len; p < end;) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        const char *stop = nul ? nul : end;
        cl_buf_append(&kept, p, (size_t)(stop - p));
        p = stop + (nul != NULL);
    }
    if (kept.oom) {
        cl_buf_free(&kept);
        return -1;
    }
    cl_buf_free(out);
    *out = kept;
    return 0;
}

/* The carrier's facts go on the document before a reader runs, so the
 * readers can use them (a base URL, the latest possible date). */
static int take_input_facts(const cl_input *in, long long now, cl_doc *doc)
{
    doc->fetch_time = in->fetch_time > 0 ? in->fetch_time : 0;
    if (in->now > 0)
        now = in->now;
    doc->now = doc->fetch_time ? doc->fetch_time : now > 0 ? now : 0;
    if (in->url && *in->url && !(doc->input_url = strdup(in->url)))
        return -1;
    return 0;
}

/* A page that names no URL of its own is the one it was fetched from. */
static int url_from_input(cl_doc *doc)
{
    if (!doc->input_url || doc->meta[CL_META_URL])
        return 0;
    return cl_doc_set_meta(doc, CL_META_URL, doc->input_url, strlen(doc->input_url), 0);
}

/* One document's bytes, ready for the readers, and how to read them. */
typedef struct clean_pass {
    const cl_cleaner *c;
    const cl_input   *in;
    const char       *bytes;
    size_t            len;
    int               utf8_valid;
    cl_format         format;
} clean_pass;

/* Blocks, proposals, decisions: a new document in *out, or -1 with err. */
static int run_pass(const clean_pass *p, int lenient, cl_doc **out, cl_error *err)
{
    const cl_cleaner *c = p->c;
    cl_doc *doc = cl_doc_new(p->format);
    if (!doc)
        return cl_fail(err, "out of memory");
    doc->want_contexts = c->options.block_contexts ||
                         (c->model && cl_model_decides(c->model, p->format));
    if (take_input_facts(p->in, p->c->options.now, doc) < 0 ||
        read_blocks(c, p->format, p->bytes, p->len, p->utf8_valid, p->in->charset, lenient,
                    doc, err) < 0 ||
        url_from_input(doc) < 0 || cl_rules_apply(c->rules, doc) < 0) {
        if (!err || !err->msg[0])
            cl_fail(err, "out of memory");
        cl_doc_free(doc);
        return -1;
    }
    cl_classify(doc, &c->options.classify);
    cl_decide(doc, c->model);
    if (cl_doc_oom(doc) || cl_lang_settle(doc, !c->options.skip_lang_detection) < 0) {
        cl_doc_free(doc);
        return cl_fail(err, "out of memory");
    }
    *out = doc;
    return 0;
}

/* Bytes of body text outside headings and links: what an article has and
 * a list of teasers has not. */
static size_t unlinked_body(const cl_doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        if (b->decision == CL_KEEP && b->kind != CL_BLOCK_HEADING)
            n += b->len - (b->link_len < b->len ? b->link_len : b->len);
    }
    return n;
}

/*
 * Careful with the article: an HTML page whose strict reading kept (almost)
 * nothing is read again with the lenient selection (html_select.h), since
 * what people give a cleaner are mostly articles.  The second reading
 * stands only when it keeps SECOND_CHANCE_CHARS bytes of text outside
 * headings and links, and more than the first: a page of navigation alone
 * stays without an article.  It costs a second parse on such pages only;
 * failing for memory, the first reading stands.
 */
static void second_chance(const clean_pass *p, cl_doc **doc)
{
    cl_doc *again = NULL;
    cl_error ignored = { "" };
    if (run_pass(p, 1, &again, &ignored) < 0)
        return;
    size_t chars = unlinked_body(again);
    if (chars >= SECOND_CHANCE_CHARS && chars > unlinked_body(*doc)) {
        cl_doc_free(*doc);
        *doc = again;
        return;
    }
    cl_doc_free(again);
}

int cl_clean(const cl_cleaner *c, const char *bytes, size_t len,
             const char *name_hint, cl_doc **out, cl_error *err)
{
    const cl_input in = { .bytes = bytes, .len = len, .name_hint = name_hint };
    return cl_clean_input(c, &in, out, err);
}

int cl_clean_input(const cl_cleaner *c, const cl_input *in, cl_doc **out, cl_error *err)
{
    const char *bytes = in->bytes;
    size_t len = in->len;
    *out = NULL;
    if (err)
        err->msg[0] = '\0';
    if (len > CL_MAX_INPUT_BYTES)
        return cl_fail(err, "input of %zu bytes, over the %zu the cleaner takes", len,
                       CL_MAX_INPUT_BYTES);
    cl_buf wide = CL_BUF_INIT;
    /* UTF-16/32 is full of NUL bytes: convert it before the binary test. */
    if (has_utf16_or_32_bom((const unsigned char *)bytes, len)) {
        if (cl_charset_to_utf8(bytes, len, 0, NULL, &wide, NULL, 0, err) < 0)
            return -1;
        bytes = cl_buf_cstr(&wide);
        len = wide.len;
    }
    int rc = -1, utf8_valid;
    if (cl_detect_binary(bytes, len, &utf8_valid)) {
        cl_fail(err, "binary input (not text: NUL bytes, control characters or a binary signature)");
        goto done;
    }
    /* A few stray NULs in a text page are dropped (readers work on C
     * strings); cl_detect_binary() refused the pages full of them. */
    if (memchr(bytes, '\0', len)) {
        if (drop_nul_bytes(bytes, len, &wide) < 0) {
            cl_fail(err, "out of memory");
            goto done;
        }
        bytes = cl_buf_cstr(&wide);
        len = wide.len;
    }
    cl_format format = c->options.force_format
                           ? (cl_format)(c->options.force_format - 1)
                           : cl_detect_format(bytes, len, in->name_hint);
    const clean_pass pass = { c, in, bytes, len, utf8_valid, format };
    if (run_pass(&pass, 0, out, err) < 0)
        goto done;
    if (format == CL_FORMAT_HTML && cl_body_chars(*out) < SECOND_CHANCE_CHARS)
        second_chance(&pass, out);
    rc = 0;
done:
    cl_buf_free(&wide);
    return rc;
}
