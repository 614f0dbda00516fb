/*
 * fuzz_rules.c - libFuzzer target on the rule-file parser.
 *
 * Bytes -> cl_rules_load().  A failure must name the source and a cause; a
 * success must leave a rule set that can be used: it is matched against a
 * small document whose blocks carry multi-byte characters, lists and
 * bylines, so strip spans, byline groups and empty matches are mapped back
 * through the normaliser on real UTF-8.
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

static void use_rules(const cl_rules *rules)
{
    cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
    if (!doc)
        return;
    for (size_t i = 0; i < sizeof sample_blocks / sizeof *sample_blocks; i++)
        cl_doc_add_block(doc, i == 1 ? CL_BLOCK_LIST_ITEM : CL_BLOCK_PARAGRAPH, 1,
                         sample_blocks[i], strlen(sample_blocks[i]), 0);
    cl_doc_set_meta(doc, CL_META_SITE, "Example News", 12, 1);
    cl_doc_set_meta(doc, CL_META_URL, "https://www.example.com/a", 25, 1);
    if (cl_rules_apply(rules, doc) < 0)
        abort();
    cl_rule_match m;
    cl_rules_match_attr(rules, "share-buttons", 13, NULL, "http://example.com/", &m);
    cl_doc_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cl_rules *rules = cl_rules_new();
    if (!rules)
        return 0;
    cl_error err;
    err.msg[0] = '\0';
    if (cl_rules_load(rules, FUZZ_SOURCE, (const char *)data, size, &err) == 0) {
        use_rules(rules);
    } else if (strncmp(err.msg, FUZZ_SOURCE ":", strlen(FUZZ_SOURCE ":")) != 0 ||
               !err.msg[strlen(FUZZ_SOURCE ":")]) {
        fprintf(stderr, "fuzz_rules: error does not name the source: '%s'\n", err.msg);
        abort();
    }
    cl_rules_free(rules);
    return 0;
}
