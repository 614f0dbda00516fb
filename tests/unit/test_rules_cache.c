/* The rules index cache (rules.h): saving, adopting, and refusing bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>

#include "cleaner.h"
#include "doc.h"
#include "records.h"
#include "render.h"
#include "shipped_rules.h"

#define SEEDS_DIR    "../shared/seeds"
#define FIXTURES_DIR "fixtures/raw"

static const char rules_a[] =
    "[share]\nphrase = share this article\nphrase = follow us on\n"
    "[byline]\naction = byline\nmax_words = 12\nregex = ^by (?<author>[a-z]+ [a-z]+)$\n"
    "[dateline]\nmax_words = 6\nregex = ^(monday|tuesday), \\d+ (may|june)$\n"
    "[bar]\ntarget = attr\nphrase = share-bar\n";

/* rules_a with one phrase changed: the tier-0 text database differs. */
static const char rules_b[] =
    "[share]\nphrase = share this article\nphrase = subscribe to our feed\n"
    "[byline]\naction = byline\nmax_words = 12\nregex = ^by (?<author>[a-z]+ [a-z]+)$\n"
    "[dateline]\nmax_words = 6\nregex = ^(monday|tuesday), \\d+ (may|june)$\n"
    "[bar]\ntarget = attr\nphrase = share-bar\n";

/* Rules from text, offered `cache` first (a copy: the library takes it)
 * when it is not NULL, and prepared.  *taken says what use_cache said. */
static cl_rules *rules_with(const char *text, const cl_buf *cache, int *taken)
{
    cl_rules *r = cl_rules_new();
    assert_non_null(r);
    int t = 0;
    if (cache) {
        cl_buf copy = CL_BUF_INIT;
        cl_buf_append(&copy, cache->data, cache->len);
        t = cl_rules_use_cache(r, &copy);
        assert_int_equal(copy.len, 0);
        cl_buf_free(&copy);
    }
    if (taken)
        *taken = t;
    cl_error err = { "" };
    if (cl_rules_load(r, "t.rules", text, strlen(text), &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(cl_rules_prepare(r), 0);
    return r;
}

static void saved(const cl_rules *r, cl_buf *out)
{
    cl_buf_clear(out);
    assert_int_equal(cl_rules_save_cache(r, out), 0);
    assert_true(out->len > 0);
}

static void assert_same_text_match(const cl_rules *x, const cl_rules *y, const char *s,
                                   size_t words)
{
    cl_rule_match a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    int fa = cl_rules_match_text(x, s, strlen(s), words, NULL, NULL, &a);
    int fb = cl_rules_match_text(y, s, strlen(s), words, NULL, NULL, &b);
    if (fa != fb)
        fail_msg("'%s': %d compiled, %d from the cache", s, fa, fb);
    if (!fa)
        return;
    assert_string_equal(a.name, b.name);
    assert_int_equal(a.start, b.start);
    assert_int_equal(a.end, b.end);
    assert_int_equal(a.group_start, b.group_start);
    assert_int_equal(a.group_end, b.group_end);
}

static const char *const samples[] = {
    "please share this article with friends", "follow us on the web", "by jane doe",
    "by jane", "monday, 12 may", "tuesday, 3 june 2026", "subscribe to our feed",
    "the council met on monday", "",
};

static void assert_same_results(const cl_rules *x, const cl_rules *y)
{
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        assert_same_text_match(x, y, samples[i], 5);
    cl_rule_match a, b;
    assert_int_equal(cl_rules_match_attr(x, "share-bar top", 13, NULL, NULL, &a),
                     cl_rules_match_attr(y, "share-bar top", 13, NULL, NULL, &b));
    assert_int_equal(cl_rules_match_attr(x, "sidebar", 7, NULL, NULL, &a),
                     cl_rules_match_attr(y, "sidebar", 7, NULL, NULL, &b));
}

/* Nothing compiled or screened at load from a cache of the same rules,
 * and the index holds as many patterns as when compiled. */
static void test_cache_round_trip_compiles_nothing(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    cl_rules_cache_stats c = cl_rules_cache_use(compiled);
    assert_true(c.db_compiled > 0);
    assert_int_equal(c.db_adopted, 0);
    assert_int_equal(c.patterns_compiled, 5);
    saved(compiled, &bytes);
    int taken;
    cl_rules *cached = rules_with(rules_a, &bytes, &taken);
    assert_int_equal(taken, 1);
    cl_rules_cache_stats s = cl_rules_cache_use(cached);
    assert_int_equal(s.db_compiled, 0);
    assert_int_equal(s.db_adopted, c.db_compiled);
    assert_int_equal(s.patterns_compiled, 0);
    assert_int_equal(s.patterns_vouched, 5);
    assert_int_equal(cl_rules_unindexed(cached), cl_rules_unindexed(compiled));
    assert_same_results(compiled, cached);
    cl_rules_free(compiled);
    cl_rules_free(cached);
    cl_buf_free(&bytes);
}

/* Saved again from adopted databases, the cache is the same bytes. */
static void test_cache_saved_from_a_cache_is_the_same(void **state)
{
    (void)state;
    cl_buf first = CL_BUF_INIT, second = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    saved(compiled, &first);
    cl_rules *cached = rules_with(rules_a, &first, NULL);
    saved(cached, &second);
    assert_int_equal(first.len, second.len);
    assert_memory_equal(first.data, second.data, first.len);
    cl_rules_free(compiled);
    cl_rules_free(cached);
    cl_buf_free(&first);
    cl_buf_free(&second);
}

/* Other rules: what the cache does not hold under the very same key is
 * compiled, and the new phrase matches. */
static void test_cache_of_other_rules_compiles_what_changed(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT;
    cl_rules *a = rules_with(rules_a, NULL, NULL);
    saved(a, &bytes);
    int taken;
    cl_rules *b = rules_with(rules_b, &bytes, &taken);
    assert_int_equal(taken, 1);
    cl_rules_cache_stats s = cl_rules_cache_use(b);
    assert_true(s.db_compiled > 0);
    assert_int_equal(s.patterns_compiled, 1);
    assert_int_equal(s.patterns_vouched, 4);
    cl_rules *fresh = rules_with(rules_b, NULL, NULL);
    assert_same_results(fresh, b);
    cl_rule_match m;
    assert_int_equal(cl_rules_match_text(b, "subscribe to our feed", 21, 4, NULL, NULL, &m), 1);
    assert_int_equal(cl_rules_match_text(b, "follow us on", 12, 3, NULL, NULL, &m), 0);
    cl_rules_free(a);
    cl_rules_free(b);
    cl_rules_free(fresh);
    cl_buf_free(&bytes);
}

/* A regex that backtracks catastrophically is refused whatever the cache
 * holds: it is listed in none, since only loaded patterns are saved. */
static void test_cache_never_spares_a_new_regex_the_screen(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT;
    cl_rules *a = rules_with(rules_a, NULL, NULL);
    saved(a, &bytes);
    cl_rules *r = cl_rules_new();
    cl_buf copy = CL_BUF_INIT;
    cl_buf_append(&copy, bytes.data, bytes.len);
    assert_int_equal(cl_rules_use_cache(r, &copy), 1);
    const char bad[] = "[x]\nregex = (x+x+)+y\n";
    cl_error err = { "" };
    assert_int_equal(cl_rules_load(r, "bad.rules", bad, strlen(bad), &err), -1);
    assert_non_null(strstr(err.msg, "backtracks catastrophically"));
    cl_rules_free(r);
    cl_rules_free(a);
    cl_buf_free(&bytes);
}

/* Truncated bytes are refused whole: the rules are compiled as without a
 * cache, and match alike. */
static void test_cache_truncated_is_refused(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    saved(compiled, &bytes);
    size_t lens[] = { 0, 1, 8, 20, bytes.len / 2, bytes.len - 8, bytes.len - 1 };
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        size_t full = bytes.len;
        bytes.len = lens[i];
        int taken;
        cl_rules *r = rules_with(rules_a, &bytes, &taken);
        bytes.len = full;
        if (taken)
            fail_msg("%zu of %zu bytes were taken", lens[i], full);
        cl_rules_cache_stats s = cl_rules_cache_use(r);
        assert_int_equal(s.db_adopted, 0);
        assert_int_equal(s.patterns_vouched, 0);
        assert_same_results(compiled, r);
        cl_rules_free(r);
    }
    cl_rules_free(compiled);
    cl_buf_free(&bytes);
}

/* A byte changed anywhere (a sample of places, databases included), or
 * garbage, is refused. */
static void test_cache_corrupt_is_refused(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    saved(compiled, &bytes);
    for (size_t at = 0; at < bytes.len; at += 1 + bytes.len / 37) {
        bytes.data[at] ^= 0x20;
        int taken;
        cl_rules *r = rules_with(rules_a, &bytes, &taken);
        bytes.data[at] ^= 0x20;
        if (taken)
            fail_msg("a byte changed at %zu of %zu was taken", at, bytes.len);
        assert_same_results(compiled, r);
        cl_rules_free(r);
    }
    cl_buf garbage = CL_BUF_INIT;
    for (int i = 0; i < 4096; i++)
        cl_buf_append_char(&garbage, (char)(i * 7919));
    int taken;
    cl_rules *r = rules_with(rules_a, &garbage, &taken);
    assert_int_equal(taken, 0);
    assert_same_results(compiled, r);
    cl_rules_free(r);
    cl_rules_free(compiled);
    cl_buf_free(&garbage);
    cl_buf_free(&bytes);
}

/* The same bytes with another header (another version, library or
 * machine), digest and all in order, are refused. */
static void test_cache_of_another_header_is_refused(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT, other = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    saved(compiled, &bytes);
    /* The header is after the magic (8 bytes) and its u32 length. */
    uint32_t hlen = (uint32_t)(unsigned char)bytes.data[8] |
                    (uint32_t)(unsigned char)bytes.data[9] << 8;
    char header[1024];
    assert_true(hlen < sizeof header - 2);
    memcpy(header, bytes.data + 12, hlen);
    header[hlen] = '\0';
    header[0] = 'C';  /* "cleaner ..." -> "Cleaner ..." */
    cl_records r;
    assert_int_equal(cl_records_open(&r, bytes.data, bytes.len, header), -1);
    header[0] = bytes.data[12];
    assert_int_equal(cl_records_open(&r, bytes.data, bytes.len, header), 0);
    header[0] = 'C';
    assert_int_equal(cl_records_begin(&other, header), 0);
    const void *k, *v;
    size_t kl, vl;
    while (cl_records_next(&r, &k, &kl, &v, &vl))
        assert_int_equal(cl_records_add(&other, k, kl, v, vl), 0);
    assert_int_equal(cl_records_end(&other), 0);
    int taken;
    cl_rules *x = rules_with(rules_a, &other, &taken);
    assert_int_equal(taken, 0);
    assert_same_results(compiled, x);
    cl_rules_free(x);
    cl_rules_free(compiled);
    cl_buf_free(&bytes);
    cl_buf_free(&other);
}

/* Patterns are taken from a cache only when this very build wrote it:
 * with another build id the databases are still adopted (keyed by their
 * inputs), every pattern compiled and screened. */
static void test_cache_of_another_build_vouches_for_no_pattern(void **state)
{
    (void)state;
    cl_buf bytes = CL_BUF_INIT, other = CL_BUF_INIT;
    cl_rules *compiled = rules_with(rules_a, NULL, NULL);
    saved(compiled, &bytes);
    uint32_t hlen = (uint32_t)(unsigned char)bytes.data[8] |
                    (uint32_t)(unsigned char)bytes.data[9] << 8;
    char header[1024];
    memcpy(header, bytes.data + 12, hlen);
    header[hlen] = '\0';
    cl_records r;
    assert_int_equal(cl_records_open(&r, bytes.data, bytes.len, header), 0);
    assert_int_equal(cl_records_begin(&other, header), 0);
    const void *k, *v;
    size_t kl, vl;
    int builds = 0;
    while (cl_records_next(&r, &k, &kl, &v, &vl)) {
        if (kl == 1 && *(const char *)k == 'B') {
            builds++;
            char id[64];
            assert_true(vl <= sizeof id);
            memcpy(id, v, vl);
            id[0] ^= 1;
            assert_int_equal(cl_records_add(&other, k, kl, id, vl), 0);
        } else {
            assert_int_equal(cl_records_add(&other, k, kl, v, vl), 0);
        }
    }
    if (builds == 0)
        skip();  /* linked without a build id: no pattern is ever saved */
    assert_int_equal(cl_records_end(&other), 0);
    int taken;
    cl_rules *x = rules_with(rules_a, &other, &taken);
    assert_int_equal(taken, 1);
    cl_rules_cache_stats s = cl_rules_cache_use(x);
    assert_int_equal(s.db_compiled, 0);
    assert_int_equal(s.patterns_vouched, 0);
    assert_int_equal(s.patterns_compiled, 5);
    assert_same_results(compiled, x);
    cl_rules_free(x);
    cl_rules_free(compiled);
    cl_buf_free(&bytes);
    cl_buf_free(&other);
}

/* ---- the shipped rules on the fixtures and seeds ---- */

/* The shipped rules, offered `cache` when not NULL, loaded in name order
 * as the daemon loads them; jit as cl_rules_set_jit. */
static cl_cleaner *shipped_cleaner(const cl_buf *cache, int jit)
{
    cl_rules *r = cl_rules_new();
    cl_rules_set_jit(r, jit);
    if (cache) {
        cl_buf copy = CL_BUF_INIT;
        cl_buf_append(&copy, cache->data, cache->len);
        assert_int_equal(cl_rules_use_cache(r, &copy), 1);
    }
    struct dirent **list;
    int n = scandir(SHIPPED_RULES_DIR, &list, NULL, alphasort);
    assert_true(n > 0);
    cl_buf text = CL_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (has_suffix(list[i]->d_name, ".rules")) {
            char path[4096];
            cl_error err = { "" };
            snprintf(path, sizeof path, "%s/%s", SHIPPED_RULES_DIR, list[i]->d_name);
            read_file(path, &text);
            if (cl_rules_load(r, path, text.data, text.len, &err) < 0)
                fail_msg("%s", err.msg);
        }
        free(list[i]);
    }
    free(list);
    cl_buf_free(&text);
    assert_int_equal(cl_rules_prepare(r), 0);
    cl_cleaner *c = cl_cleaner_new(NULL, r);
    assert_non_null(c);
    return c;
}

typedef struct pair {
    cl_cleaner *compiled, *cached;
    size_t      files;
} pair;

static void compare_file(pair *p, const char *path, const char *name)
{
    cl_buf in = CL_BUF_INIT, out_a = CL_BUF_INIT, out_b = CL_BUF_INIT;
    read_file(path, &in);
    cl_doc *a, *b;
    cl_error err = { "" };
    assert_int_equal(cl_clean(p->compiled, in.data, in.len, name, &a, &err), 0);
    assert_int_equal(cl_clean(p->cached, in.data, in.len, name, &b, &err), 0);
    assert_int_equal(a->nblocks, b->nblocks);
    for (size_t i = 0; i < a->nblocks; i++) {
        const cl_block *x = &a->blocks[i], *y = &b->blocks[i];
        if (x->decision != y->decision || strcmp(x->reason, y->reason) != 0 ||
            strcmp(x->text, y->text) != 0)
            fail_msg("%s block %zu: compiled %s, from the cache %s: %.80s", path, i,
                     x->reason, y->reason, x->text);
    }
    assert_int_equal(cl_render_json(a, name, CL_STATUS_OK, 1, &out_a), 0);
    assert_int_equal(cl_render_json(b, name, CL_STATUS_OK, 1, &out_b), 0);
    assert_string_equal(cl_buf_cstr(&out_a), cl_buf_cstr(&out_b));
    p->files++;
    cl_doc_free(a);
    cl_doc_free(b);
    cl_buf_free(&in);
    cl_buf_free(&out_a);
    cl_buf_free(&out_b);
}

static void compare_folder(pair *p, const char *dir)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        fail_msg("cannot read the folder %s", dir);
    for (int i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.' && list[i]->d_type == DT_REG) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
            compare_file(p, path, list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
}

/* Every block of the fixtures and seeds gets the same decision and reason
 * with the index and patterns from the cache as compiled, with the JIT and
 * on the interpreter. */
static void test_cache_cleans_fixtures_and_seeds_alike(void **state)
{
    (void)state;
    for (int jit = 0; jit < 2; jit++) {
        pair p = { shipped_cleaner(NULL, jit), NULL, 0 };
        cl_buf bytes = CL_BUF_INIT;
        assert_int_equal(cl_rules_save_cache(cl_cleaner_rules(p.compiled), &bytes), 0);
        p.cached = shipped_cleaner(&bytes, jit);
        cl_rules_cache_stats s = cl_rules_cache_use(cl_cleaner_rules(p.cached));
        assert_int_equal(s.db_compiled, 0);
        assert_true(s.db_adopted > 0);
        compare_folder(&p, FIXTURES_DIR);
        assert_true(p.files > 0);
        compare_folder(&p, SEEDS_DIR);
        cl_cleaner_free(p.compiled);
        cl_cleaner_free(p.cached);
        cl_buf_free(&bytes);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_round_trip_compiles_nothing),
        cmocka_unit_test(test_cache_saved_from_a_cache_is_the_same),
        cmocka_unit_test(test_cache_of_other_rules_compiles_what_changed),
        cmocka_unit_test(test_cache_never_spares_a_new_regex_the_screen),
        cmocka_unit_test(test_cache_truncated_is_refused),
        cmocka_unit_test(test_cache_corrupt_is_refused),
        cmocka_unit_test(test_cache_of_another_header_is_refused),
        cmocka_unit_test(test_cache_of_another_build_vouches_for_no_pattern),
        cmocka_unit_test(test_cache_cleans_fixtures_and_seeds_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
