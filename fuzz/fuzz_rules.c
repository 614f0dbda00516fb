/*
 * fuzz_rules.c - libFuzzer target on the rule-file parser.
 *
 * Bytes -> cl_rules_load().  A failure must name the source and a cause; a
 * success must leave a rule set that can be used: it is matched against a
 * small document whose blocks carry multi-byte characters, lists and
 * bylines, so strip spans, byline groups and empty matches are mapped back
 * through the normaliser on real UTF-8.  It is matched twice, before and
 * after cl_rules_prepare(): the literal index may only make matching
 * faster, so any difference in the outcome is a bug (a literal that a
 * match need not contain, or a prefix it need not start with).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "rules.h"

#define FUZZ_SOURCE "fuzz.rules"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const sample_blocks[] = {
    "Share this article on Facebook — or Twitter",
    "By Jane Doe, staff writer",
    "Ça coûte 3 € ; «quoted» “curly” text… 日本語のテキスト",
    "Follow us on social media for more!",
    "Copyright © 2024 Example Corp. All rights reserved.",
    "A normal body paragraph with enough words to look like prose, and a full stop.",
};

/* What applying the rules did: each block's decision, reason and text,
 * the author, and the attr match; malloc'd, NULL on allocation failure. */
static char *use_rules(const cl_rules *rules)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    if (!doc)
        return NULL;
    for (size_t i = 0; i < sizeof sample_blocks / sizeof *sample_blocks; i++)
        cl_doc_add_block(doc, i == 1 ? CL_BLOCK_LIST_ITEM : CL_BLOCK_PARAGRAPH, 1,
                         sample_blocks[i], strlen(sample_blocks[i]), 0);
    cl_doc_set_meta(doc, CL_META_SITE, "Example News", 12, 1);
    cl_doc_set_meta(doc, CL_META_URL, "https://www.example.com/a", 25, 1);
    if (cl_rules_apply(rules, doc) < 0)
        abort();
    cl_rule_match m;
    int attr = cl_rules_match_attr(rules, "share-buttons", 13, NULL, "http://example.com/", &m);
    size_t cap = 256;
    for (size_t i = 0; i < doc->nblocks; i++)
        cap += doc->blocks[i].len + CL_REASON_MAX + 8;
    char *out = malloc(cap);
    if (out) {
        const char *author = cl_doc_meta(doc, CL_META_AUTHOR);
        size_t n = (size_t)snprintf(out, cap, "attr %d %s|author %s|", attr,
                                    attr ? m.name : "", author ? author : "");
        for (size_t i = 0; i < doc->nblocks && n < cap; i++)
            n += (size_t)snprintf(out + n, cap - n, "%d %s %s|", (int)doc->blocks[i].decision,
                                  doc->blocks[i].reason, doc->blocks[i].text);
    }
    cl_doc_free(doc);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cl_rules *rules = cl_rules_new();
    if (!rules)
        return 0;
    cl_error err;
    err.msg[0] = '\0';
    if (cl_rules_load(rules, FUZZ_SOURCE, (const char *)data, size, &err) == 0) {
        char *unindexed = use_rules(rules);
        char *indexed = cl_rules_prepare(rules) == 0 ? use_rules(rules) : NULL;
        if (unindexed && indexed && strcmp(unindexed, indexed) != 0) {
            fprintf(stderr, "fuzz_rules: the index changed the outcome\n  without: %s\n  with:    %s\n",
                    unindexed, indexed);
            abort();
        }
        free(unindexed);
        free(indexed);
    } else if (strncmp(err.msg, FUZZ_SOURCE ":", strlen(FUZZ_SOURCE ":")) != 0 ||
               !err.msg[strlen(FUZZ_SOURCE ":")]) {
        fprintf(stderr, "fuzz_rules: error does not name the source: '%s'\n", err.msg);
        abort();
    }
    cl_rules_free(rules);
    return 0;
}
