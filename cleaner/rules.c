#include "rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs.h>
#include <ini.h>
#include <pcre2.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "buf.h"
#include "build_id.h"
#include "normalize.h"
#include "records.h"
#include "regex_literal.h"
#include "regex_probe.h"

/* Debian's libinih reads lines of at most 199 bytes and splits longer ones
 * silently, which would turn the tail of a long pattern into a bogus key:
 * such lines are refused up front with a message saying so. */
#define RULES_MAX_LINE 199

/* A rule with no max_words applies to blocks of any length. */
#define RULES_NO_WORD_LIMIT ((size_t)-1)

/*
 * Budgets of one PCRE2 search, so that a pattern that backtracks
 * catastrophically gives up instead of holding a worker for its whole CPU
 * limit.  With PCRE2's default match limit of 10 000 000, `(x+x+)+y` on
 * 12 KB of x took 220 ms interpreted (40 ms with the JIT) before giving
 * up at its first start position; 12 KB of runs of 21 x, each just under
 * that limit at every position, took 170 s interpreted (as under the
 * systemd unit) and 21 s with the JIT.
 *
 * The match limit is what bounds time, on both paths: the interpreter
 * counts backtracking frames (22 ns each here), the JIT its own steps
 * (4 ns).  10 000 costs at most 0.3 ms interpreted, 0.06 ms with the JIT;
 * it is 4 times the most any shipped pattern needed on the 127 626 blocks
 * of 738 pages (the ../shared corpora, the seeds, fixtures/raw): 2 471, the
 * first dateline pattern interpreted (2 441 with the JIT).  A pattern with
 * `.*` or a lookahead to the end needs 1 to 2.4 a byte of the block, so
 * those still match in blocks of 4 KB, far longer than their rules'
 * max_words allow in prose.
 *
 * PCRE2 restarts the count at each start position it tries, so a search
 * costs at most the budget times the positions tried: one for a pattern
 * anchored with ^, else each one from search_start() on that PCRE2's own
 * start-of-match checks do not rule out.  A text crafted to cost just
 * under the budget at every position of a 12 KB block still takes 250 ms
 * interpreted (35 ms with the JIT), so the shipped patterns are timed on
 * adversarial texts by tests/unit/test_rules.c; PCRE2 has no budget for a
 * whole search.
 *
 * The depth limit (interpreter only: the JIT ignores it and stops at its
 * 32 KiB stack, PCRE2_ERROR_JIT_STACKLIMIT) bounds nesting: the shipped
 * patterns needed at most 14 on those pages; a repeated group takes about
 * 3 a word, so 1 000 lets one run over the 200 words of the longest
 * max_words.  The heap limit bounds the memory those frames take (128
 * bytes plus 16 a group each), and so what the reused match data
 * (cl_rules.scratch) can grow to: 1 000 frames of a pattern of 100 groups.
 */
#define RULES_MATCH_LIMIT    10000
#define RULES_DEPTH_LIMIT    1000
#define RULES_HEAP_LIMIT_KIB 2048

/* One phrase or regex.  `code` is NULL until its first use when the cache
 * vouched for it at load (pattern_code); what loading needs of the
 * compiled code is kept beside it. */
typedef struct pattern {
    pcre2_code    *code;
    char          *text;       /* as compiled: a phrase normalised */
    size_t         len;
    uint32_t       options;    /* its pcre2_compile() options */
    uint32_t       captures;   /* capture groups */
    int            author;     /* the number of (?<author>...), or 0 */
    cl_literal_set required;   /* literals one of which each match contains */
    unsigned char  at_start;   /* ... and starts with, at the block's start */
    unsigned char  jit_tried;  /* pattern_code() JIT-compiled it, or tried */
    unsigned char  broken;     /* compiling it on first use failed (memory) */
} pattern;

typedef struct rule {
    char          *name;
    cl_rule_target target;
    cl_rule_action action;
    size_t         max_words;
    char          *site;
    pattern       *patterns;
    size_t         npatterns;
    size_t         first_id;   /* patterns are numbered across all rules */
} rule;

/*
 * Most blocks match no rule, and trying each of a hundred patterns on each
 * block cost several times more than parsing.  Nearly every pattern has
 * literals one of which each of its matches contains (regex_literal.h):
 * cl_rules_prepare() compiles them into Hyperscan literal databases: one
 * for attributes, one per word tier for text (word_tier).
 * cl_rules_apply() normalises the blocks of a document into one buffer and
 * scans each tier's part of it once: each scan has a fixed cost (65 ns
 * here, the time to scan some sixty bytes), and over the seed articles'
 * blocks of 100 bytes one scan a block ran at 444 MB/s, one a document at
 * 954 MB/s.  Each match marks its pattern as a candidate of the block it
 * falls in, and notes where its first literal starts.  PCRE2 then runs
 * only on candidates, in load order, from the literal's lead before it
 * (search_start), for the exact verdict, the span and the author group.
 * A pattern with no such literal (a caseless one, or a long alternation)
 * stays "unindexed" and is a candidate everywhere, as all patterns are
 * before cl_rules_prepare().
 *
 * Hyperscan could take the regular expressions themselves, but compiling
 * the shipped rules that way took 20 s (Unicode classes under bounded
 * repeats), and a daemon or a one-shot run cannot wait for that; literals
 * compile in milliseconds.
 */

/*
 * Blocks are scanned by word-count tier.  Short literals ("by ", month
 * names) belong to rules for short blocks (bylines, datelines) and hit
 * often; over the seed text a scan for every literal ran at 1 150 MB/s,
 * one for the literals of rules that allow 200 words at 3 000 MB/s.  So a
 * distinct max_words of a text rule starts a tier (tiers_build() merges
 * those that would save little): the blocks of at most that many words,
 * and more than the tier before allows, are scanned for the literals of
 * the rules that allow at least as many words; no other rule could match
 * them anyway.  Tier 0 holds every text literal.
 */
typedef struct word_tier {
    size_t         max_words;
    hs_database_t *db;        /* NULL: none of its patterns has a literal */
    cl_buf         key;       /* what db was compiled from (index_key) */
} word_tier;

typedef struct pattern_bits {
    uint64_t *words;
    size_t    nwords;
} pattern_bits;

/* Every indexed literal and its pattern.  A literal a pattern's matches
 * start with is stored after a '\n', which begins each block in a scan:
 * it is then found at blocks' starts only. */
typedef struct literal_table {
    char          *bytes;
    const char   **text;      /* into bytes */
    size_t        *len;
    size_t        *pattern;
    size_t         n;
} literal_table;

struct cl_rules {
    rule             *items;
    size_t            n, cap;
    size_t            npatterns;   /* over all rules */
    size_t           *rule_of_id;  /* pattern id -> index in items */
    size_t            max_text_words;  /* no text rule applies to longer blocks */
    literal_table     literals;    /* what the databases report, by match id */
    word_tier        *tiers;       /* by ascending max_words; none: no text index */
    size_t            ntiers;
    hs_database_t    *attr_db;     /* NULL: nothing indexed */
    cl_buf            attr_key;
    hs_scratch_t     *hs_scratch;
    int               prepared;    /* the index is that of every rule loaded */
    cl_buf            cache_bytes; /* cl_rules_use_cache()'s copy, until prepared */
    cl_records        cache;       /* over cache_bytes; empty: no cache */
    int               cache_vouches;  /* written by this build: 'P' records count */
    cl_records        pattern_cursor; /* after the last pattern the cache vouched for */
    cl_rules_cache_stats cache_stats;
    pattern_bits      unindexed;   /* candidates everywhere */
    pattern_bits      hits;        /* one text's candidates: see rules.h */
    pcre2_match_data *scratch;     /* reused by every match: see rules.h */
    uint32_t          ovector_pairs;
    pcre2_match_context *limits;   /* RULES_*_LIMIT; read-only once made */
    uint32_t          match_options;   /* PCRE2_NO_JIT when the JIT is off */
    int               no_jit;          /* cl_rules_set_jit(rules, 0) */
};

static void rule_clear(rule *r)
{
    free(r->name);
    free(r->site);
    for (size_t i = 0; i < r->npatterns; i++) {
        pcre2_code_free(r->patterns[i].code);
        free(r->patterns[i].text);
    }
    free(r->patterns);
    memset(r, 0, sizeof *r);
}

/* The budgets every search runs under (RULES_MATCH_LIMIT); NULL on oom. */
static pcre2_match_context *limits_new(void)
{
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (mc) {
        pcre2_set_match_limit(mc, RULES_MATCH_LIMIT);
        pcre2_set_depth_limit(mc, RULES_DEPTH_LIMIT);
        pcre2_set_heap_limit(mc, RULES_HEAP_LIMIT_KIB);
    }
    return mc;
}

cl_rules *cl_rules_new(void)
{
    cl_rules *rules = calloc(1, sizeof(cl_rules));
    if (!rules)
        return NULL;
    rules->limits = limits_new();
    if (!rules->limits) {
        free(rules);
        return NULL;
    }
    rules->match_options = PCRE2_NO_UTF_CHECK;
    return rules;
}

void cl_rules_set_jit(cl_rules *rules, int on)
{
    if (!rules)
        return;
    rules->no_jit = !on;
    rules->match_options = PCRE2_NO_UTF_CHECK | (on ? 0 : PCRE2_NO_JIT);
}

static void literal_table_free(literal_table *t)
{
    free(t->bytes);
    free(t->text);
    free(t->len);
    free(t->pattern);
    memset(t, 0, sizeof *t);
}

/* Every pattern a candidate everywhere.  The bits past the last pattern
 * stay clear: a block with no candidate is one whose words are all 0. */
static void all_unindexed(cl_rules *rules)
{
    uint64_t *u = rules->unindexed.words;
    size_t nwords = rules->unindexed.nwords;
    if (!u || !nwords)
        return;
    memset(u, 0xFF, nwords * sizeof *u);
    if (rules->npatterns % 64)
        u[nwords - 1] = ((uint64_t)1 << (rules->npatterns % 64)) - 1;
}

/* Back to "nothing indexed": every pattern is a candidate everywhere. */
static void drop_indexes(cl_rules *rules)
{
    literal_table_free(&rules->literals);
    for (size_t t = 0; t < rules->ntiers; t++) {
        hs_free_database(rules->tiers[t].db);
        cl_buf_free(&rules->tiers[t].key);
    }
    free(rules->tiers);
    rules->tiers = NULL;
    rules->ntiers = 0;
    hs_free_database(rules->attr_db);
    cl_buf_free(&rules->attr_key);
    hs_free_scratch(rules->hs_scratch);
    rules->prepared = 0;
    rules->attr_db = NULL;
    rules->hs_scratch = NULL;
    all_unindexed(rules);
}

void cl_rules_free(cl_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n; i++)
        rule_clear(&rules->items[i]);
    free(rules->items);
    drop_indexes(rules);
    free(rules->unindexed.words);
    free(rules->hits.words);
    free(rules->rule_of_id);
    pcre2_match_data_free(rules->scratch);
    pcre2_match_context_free(rules->limits);
    cl_buf_free(&rules->cache_bytes);
    free(rules);
}

size_t cl_rules_count(const cl_rules *rules)
{
    return rules ? rules->n : 0;
}

/* ---- loading ----------------------------------------------------------- */

typedef struct loader {
    const char *source;
    rule       *items;      /* parsed so far, moved into cl_rules on success */
    size_t      n, cap;
    int         line;       /* the line inih is on, counted by us */
    cl_error   *err;
    int         failed;
    cl_rules   *rules;      /* loaded into; its cache vouches for patterns */
    pcre2_match_context *screen_limits;  /* screen_pattern(), made on first use */
    pcre2_match_data    *screen_data;
} loader;

static int loader_fail(loader *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first error and returns 0, which stops inih. */
static int loader_fail(loader *ld, const char *fmt, ...)
{
    char cause[CL_ERROR_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cause, sizeof cause, fmt, ap);
    va_end(ap);
    cl_fail(ld->err, "%s: rule [%s]: %s", ld->source,
            ld->n ? ld->items[ld->n - 1].name : "?", cause);
    ld->failed = 1;
    return 0;
}

static rule *loader_rule_for(loader *ld, const char *section)
{
    if (ld->n && strcmp(ld->items[ld->n - 1].name, section) == 0)
        return &ld->items[ld->n - 1];
    if (ld->n == ld->cap) {
        size_t cap = ld->cap ? ld->cap * 2 : 16;
        rule *p = realloc(ld->items, cap * sizeof *p);
        if (!p)
            return NULL;
        ld->items = p;
        ld->cap = cap;
    }
    rule *r = &ld->items[ld->n];
    memset(r, 0, sizeof *r);
    r->name = strdup(section);
    if (!r->name)
        return NULL;
    r->max_words = RULES_NO_WORD_LIMIT;
    ld->n++;
    return r;
}

/*
 * The text is lower-cased before matching, so a pattern written in lower case
 * needs no PCRE2_CASELESS, which with UCP doubles the matching time
 * (measured) and leaves the pattern no required literals (the index then
 * tries it on every block).  One with an upper-case letter outside an
 * escape ("\\S", "\\p{Lu}") gets it, so patterns match as their authors
 * expect either way.  Upper case is what cl_normalize() lowers:
 * utf8proc_tolower() changes it.
 */
static int has_upper_case(const char *pat, size_t len)
{
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)pat;
    for (size_t i = 0; i < len;) {
        if (pat[i] == '\\') {
            if (i + 2 < len && (pat[i + 1] == 'p' || pat[i + 1] == 'P') && pat[i + 2] == '{')
                while (i < len && pat[i] != '}')
                    i++;
            else
                i++;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 1;  /* not UTF-8: PCRE2 refuses it anyway */
        if (utf8proc_tolower(cp) != cp)
            return 1;
        i += (size_t)n;
    }
    return 0;
}

/* Shortest literal worth a look before the match: "(@" already rules out
 * nearly every block for the tweet trailer. */
#define REQUIRED_LITERAL_MIN 2

/*
 * Literals one of which every match of the pattern contains (regex_literal.h);
 * none for a caseless pattern, whose matches need not have the pattern's
 * bytes.  For a pattern anchored at the start, literals every match starts
 * with are better still: the index reports them only at a block's start
 * (*at_start), where most blocks do not have them.
 */
static void required_literals(uint32_t opts, const char *pat, size_t patlen,
                              cl_literal_set *set, unsigned char *at_start)
{
    set->n = 0;
    *at_start = 0;
    if (opts & PCRE2_CASELESS)
        return;
    if (!(opts & PCRE2_LITERAL)) {
        *at_start = cl_regex_prefix_literals(pat, patlen, 1, set) > 0;
        /* A single required character ('/' or '-' of a numeric date)
         * still lets most blocks skip the pattern. */
        if (!*at_start && !cl_regex_required_literals(pat, patlen, REQUIRED_LITERAL_MIN, set))
            cl_regex_required_literals(pat, patlen, 1, set);
    } else if (patlen >= REQUIRED_LITERAL_MIN && patlen <= CL_LITERAL_MAX_LEN) {
        /* A phrase is its own literal; quoted, the reader takes it whole. */
        cl_buf quoted = CL_BUF_INIT;
        for (size_t i = 0; i < patlen; i++) {
            if (!((pat[i] >= 'a' && pat[i] <= 'z') || (pat[i] >= '0' && pat[i] <= '9') ||
                  (unsigned char)pat[i] >= 0x80))
                cl_buf_append_char(&quoted, '\\');
            cl_buf_append_char(&quoted, pat[i]);
        }
        if (!quoted.oom)
            cl_regex_required_literals(quoted.data, quoted.len, REQUIRED_LITERAL_MIN, set);
        cl_buf_free(&quoted);
    }
}

/* What loading needs of pattern p's compiled code, from it. */
static void describe_code(pattern *p, const char *text)
{
    int g = pcre2_substring_number_from_name(p->code, (PCRE2_SPTR) "author");
    pcre2_pattern_info(p->code, PCRE2_INFO_CAPTURECOUNT, &p->captures);
    p->author = g > 0 ? g : 0;
    required_literals(p->options, text, p->len, &p->required, &p->at_start);
}

/* Appends *p (its text copied; the rule then owns p->code) to r's
 * patterns.  1, or 0 through loader_fail (p->code freed). */
static int rule_keep_pattern(loader *ld, rule *r, pattern *p, const char *text)
{
    pattern *all = realloc(r->patterns, (r->npatterns + 1) * sizeof *all);
    if (all)
        r->patterns = all;
    p->text = all ? malloc(p->len + 1) : NULL;
    if (!p->text) {
        pcre2_code_free(p->code);
        return loader_fail(ld, "out of memory");
    }
    memcpy(p->text, text, p->len);
    p->text[p->len] = '\0';
    r->patterns[r->npatterns++] = *p;
    return 1;
}

/* ---- screening patterns as they load ---------------------------------- */

/*
 * A regex that backtracks catastrophically is refused when it loads, with
 * its file, line and rule, rather than giving up on blocks ever after.
 * The match limit (RULES_MATCH_LIMIT) bounds one start position, not a
 * search: `(x+x+)+y` on a 12 KB block of runs of 12 x still costs 250 ms
 * interpreted, each position just under the limit; and where it gives up,
 * its rule silently matches nothing.
 *
 * regex_probe.h builds from the pattern alone a few texts of about 64
 * bytes on which such a pattern shows: a prefix that reaches one of its
 * repeats, a run the repeat can match in many ways, then a tail on which
 * the rest fails, so that every way is tried (2^n for a run of n).  Each
 * probe is matched at its start only (PCRE2_ANCHORED: one position, the
 * cost of a good pattern on it is its steps there, about a microsecond),
 * on the interpreter (PCRE2_NO_JIT, so that the verdict does not depend on
 * the JIT being there; it is also what the systemd unit runs), under
 * SCREEN_MATCH_LIMIT and the usual depth and heap limits.  A pattern any
 * probe takes past one of them is refused.
 *
 * SCREEN_MATCH_LIMIT is a tenth of RULES_MATCH_LIMIT.  An exponential
 * pattern needs millions of steps on a probe, and `(.*a){12}` 14 335; the
 * most any probe of a shipped pattern needed is 193 (an author byline),
 * and of the ordinary patterns of tests/unit/test_rules.c 205.  A
 * polynomial one is refused from degree three (`\s*\s*\s*x`: 2 279 steps
 * on 64 spaces); a quadratic one passes (PCRE2 counts the scan of a
 * repeat it made possessive as one step).  Read as a rate, 1 000 steps on
 * 64 bytes is what would cost a 12 KB block (192 such stretches) about
 * 4 ms interpreted, the issue's "a few milliseconds".  Screening the 108
 * shipped patterns adds 0.6 to 0.9 ms to loading them (294 probes).
 *
 * It is no bound on a search.  What the probes cannot show is in
 * regex_probe.h; the match limit bounds each place those are tried at.
 * A pattern that is linear at each place still costs a block the sum over
 * places: `(?:x|\s)*z` (136 steps on its probes) on 12 KB of sentences of
 * 400 bytes takes 0.13 s interpreted, each place just under the limit,
 * and `[a-z]+[0-9]` on a 12 KB run of letters 0.12 s, its scans counted
 * as one step each.  Only a budget for a whole search would bound those;
 * the shipped patterns are timed on such texts (tests/unit/test_rules.c).
 */
#define SCREEN_MATCH_LIMIT 1000

/* The pattern is quoted in the error up to this many bytes. */
#define SCREEN_QUOTE_MAX 48

static int is_limit_error(int rc);

typedef struct screen {
    const pcre2_code    *re;
    pcre2_match_data    *data;
    pcre2_match_context *limits;
    size_t               tripped;  /* length of the probe that hit a limit */
} screen;

static int screen_probe(const char *text, size_t len, size_t start, void *user)
{
    screen *sc = user;
    int rc = pcre2_match(sc->re, (PCRE2_SPTR)text, len, start, PCRE2_ANCHORED | PCRE2_NO_JIT,
                         sc->data, sc->limits);
    if (!is_limit_error(rc))
        return 0;
    sc->tripped = len;
    return 1;
}

/*
 * The last character PCRE2 knows every match holds, as UTF-8 into out
 * (NUL-terminated, "" when none): PCRE2 looks for it before it tries a
 * match, so a probe without it would never be tried.  PCRE2 gives its last
 * code unit; a non-ASCII one is completed from the pattern.
 */
static void required_char(const pcre2_code *re, const char *pat, size_t patlen, char out[5])
{
    uint32_t type = 0, cu = 0;
    out[0] = '\0';
    if (pcre2_pattern_info(re, PCRE2_INFO_LASTCODETYPE, &type) != 0 || type != 1 ||
        pcre2_pattern_info(re, PCRE2_INFO_LASTCODEUNIT, &cu) != 0)
        return;
    if (cu < 0x80) {
        out[0] = (char)cu;
        out[1] = '\0';
        return;
    }
    for (size_t i = patlen; i-- > 0;) {
        unsigned char c = (unsigned char)pat[i];
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c >= 0xC0 && i + n <= patlen && (unsigned char)pat[i + n - 1] == cu) {
            memcpy(out, pat + i, n);
            out[n] = '\0';
            return;
        }
    }
}

/* 1 when no probe of pattern re of rule r reaches a limit, else 0 through
 * the loader's error ("FILE: rule [NAME]: regex '...' backtracks ..."). */
static int screen_pattern(loader *ld, const rule *r, const pcre2_code *re, const char *pat,
                          size_t patlen)
{
    if (!ld->screen_limits) {
        ld->screen_limits = pcre2_match_context_create(NULL);
        ld->screen_data = pcre2_match_data_create(1, NULL);
        if (!ld->screen_limits || !ld->screen_data)
            return loader_fail(ld, "out of memory");
        pcre2_set_match_limit(ld->screen_limits, SCREEN_MATCH_LIMIT);
        pcre2_set_depth_limit(ld->screen_limits, RULES_DEPTH_LIMIT);
        pcre2_set_heap_limit(ld->screen_limits, RULES_HEAP_LIMIT_KIB);
    }
    char required[5];
    required_char(re, pat, patlen, required);
    screen sc = { re, ld->screen_data, ld->screen_limits, 0 };
    if (!cl_regex_probes(pat, patlen, required, screen_probe, &sc))
        return 1;
    size_t quoted = patlen;
    if (quoted > SCREEN_QUOTE_MAX) {
        quoted = SCREEN_QUOTE_MAX;
        while (quoted > 0 && ((unsigned char)pat[quoted] & 0xC0) == 0x80)
            quoted--;
    }
    cl_fail(ld->err, "%s: rule [%s]: regex '%.*s%s' backtracks catastrophically: it needs "
            "more than %d steps on a %zu-byte text; rewrite it without nested or "
            "overlapping repeats", ld->source, r->name, (int)quoted, pat,
            quoted < patlen ? "..." : "", SCREEN_MATCH_LIMIT, sc.tripped);
    ld->failed = 1;
    return 0;
}

/*
 * The cache (cl_rules_save_cache) holds every pattern that loaded when it
 * was written, under the key 'P', its compile options and its text, with
 * what loading took from its compiled code (describe_code): a regex there
 * compiled and passed the screen.  Those depend on the code that made them
 * (regex_literal.c, the screen), so they are trusted only from a cache
 * written by this very build (its build id, build_id.h); the databases
 * are keyed by their own inputs and need no such care.
 */
#define PATTERN_KEY_MAX 1024

static size_t pattern_key(char *key, uint32_t opts, const char *text, size_t len)
{
    if (len + 5 > PATTERN_KEY_MAX)
        return 0;
    key[0] = 'P';
    for (int i = 0; i < 4; i++)
        key[1 + i] = (char)(opts >> (8 * i));
    memcpy(key + 5, text, len);
    return len + 5;
}

/* Bounds-checked reads of a cached value; `bad` is sticky. */
typedef struct value_reader {
    const unsigned char *at, *end;
    int                  bad;
} value_reader;

static uint64_t read_uint(value_reader *v, int bytes)
{
    uint64_t x = 0;
    if (v->bad || v->end - v->at < bytes) {
        v->bad = 1;
        return 0;
    }
    for (int i = 0; i < bytes; i++)
        x |= (uint64_t)v->at[i] << (8 * i);
    v->at += bytes;
    return x;
}

/* PCRE2 numbers at most 65 535 groups. */
#define PATTERN_MAX_CAPTURES 65535

/* Fills p from a 'P' record's value (save_pattern); 0 when it is not one
 * this build could have written. */
static int read_pattern_value(const void *value, size_t len, pattern *p)
{
    value_reader v = { value, (const unsigned char *)value + len, 0 };
    p->captures = (uint32_t)read_uint(&v, 4);
    p->author = (int)read_uint(&v, 4);
    p->at_start = (unsigned char)read_uint(&v, 1);
    p->required.n = (int)read_uint(&v, 1);
    uint64_t lead = read_uint(&v, 8);
    p->required.lead = lead > SIZE_MAX ? CL_LEAD_UNBOUNDED : (size_t)lead;
    if (v.bad || p->captures > PATTERN_MAX_CAPTURES || (uint32_t)p->author > p->captures ||
        p->required.n > CL_LITERAL_MAX_ALTS)
        return 0;
    for (int a = 0; a < p->required.n; a++) {
        cl_literal *l = &p->required.alt[a];
        l->len = (unsigned char)read_uint(&v, 1);
        if (v.bad || l->len > CL_LITERAL_MAX_LEN || v.end - v.at < l->len)
            return 0;
        memcpy(l->text, v.at, l->len);
        l->text[l->len] = '\0';
        v.at += l->len;
    }
    return v.at == v.end;
}

/* 1 and p filled when the cache vouches for the pattern.  Rules load in
 * the order they were saved in, so the search goes on after the last one
 * found: one comparison a pattern when nothing changed. */
static int vouched_pattern(cl_rules *rules, pattern *p, const char *text)
{
    char key[PATTERN_KEY_MAX];
    size_t klen = rules->cache_vouches ? pattern_key(key, p->options, text, p->len) : 0;
    cl_records it = rules->pattern_cursor;
    const void *k, *v;
    size_t kl, vl;
    while (klen && cl_records_next(&it, &k, &kl, &v, &vl)) {
        if (kl == klen && memcmp(k, key, klen) == 0) {
            rules->pattern_cursor = it;
            return read_pattern_value(v, vl, p);
        }
    }
    return 0;
}

static void screen_free(loader *ld)
{
    pcre2_match_data_free(ld->screen_data);
    pcre2_match_context_free(ld->screen_limits);
}

/* Compiles, screens (a regex) and keeps pattern p; 1, or 0 through
 * loader_fail. */
static int compile_pattern(loader *ld, rule *r, pattern *p, const char *text)
{
    int code;
    PCRE2_SIZE offset;
    p->code = pcre2_compile((PCRE2_SPTR)text, p->len, p->options, &code, &offset, NULL);
    if (!p->code) {
        char msg[120];
        pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
        return loader_fail(ld, "bad regular expression at offset %zu: %s", (size_t)offset, msg);
    }
    if (!(p->options & PCRE2_LITERAL) && !screen_pattern(ld, r, p->code, text, p->len)) {
        pcre2_code_free(p->code);
        return 0;
    }
    describe_code(p, text);
    return rule_keep_pattern(ld, r, p, text);
}

static int rule_add_pattern(loader *ld, rule *r, const char *value, int literal)
{
    cl_buf norm = CL_BUF_INIT;
    const char *pat = value;
    size_t patlen = strlen(value);
    if (literal) {
        /* Phrases are written as people read them: normalise them like the
         * text they are matched against. */
        if (cl_normalize(value, patlen, &norm, NULL) < 0)
            return loader_fail(ld, "out of memory");
        pat = cl_buf_cstr(&norm);
        patlen = norm.len;
    }
    /* PCRE2 refuses UCP with LITERAL; a literal needs no character classes. */
    uint32_t opts = PCRE2_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP) |
                    (has_upper_case(pat, patlen) ? PCRE2_CASELESS : 0);
    pattern p = { .len = patlen, .options = opts };
    int rc = vouched_pattern(ld->rules, &p, pat) ? rule_keep_pattern(ld, r, &p, pat)
                                                 : compile_pattern(ld, r, &p, pat);
    ld->rules->cache_stats.patterns_vouched += rc && !p.code;
    ld->rules->cache_stats.patterns_compiled += rc && p.code;
    cl_buf_free(&norm);
    return rc;
}

static int parse_action(const char *v, cl_rule_action *a)
{
    if (strcasecmp(v, "drop") == 0) *a = CL_RULE_DROP;
    else if (strcasecmp(v, "strip") == 0) *a = CL_RULE_STRIP;
    else if (strcasecmp(v, "byline") == 0) *a = CL_RULE_BYLINE;
    else if (strcasecmp(v, "end") == 0) *a = CL_RULE_END;
    else return -1;
    return 0;
}

static int on_ini_entry(void *user, const char *section, const char *name,
                        const char *value)
{
    loader *ld = user;
    if (!section[0])
        return loader_fail(ld, "key '%s' outside a [rule] section", name);
    rule *r = loader_rule_for(ld, section);
    if (!r)
        return loader_fail(ld, "out of memory");
    if (strcmp(name, "phrase") == 0)
        return rule_add_pattern(ld, r, value, 1);
    if (strcmp(name, "regex") == 0)
        return rule_add_pattern(ld, r, value, 0);
    if (strcmp(name, "action") == 0) {
        if (parse_action(value, &r->action) < 0)
            return loader_fail(ld, "unknown action '%s' (drop, strip, byline, end)", value);
        return 1;
    }
    if (strcmp(name, "target") == 0) {
        if (strcasecmp(value, "text") == 0) r->target = CL_TARGET_TEXT;
        else if (strcasecmp(value, "attr") == 0) r->target = CL_TARGET_ATTR;
        else return loader_fail(ld, "unknown target '%s' (text, attr)", value);
        return 1;
    }
    if (strcmp(name, "max_words") == 0) {
        char *end;
        long v = strtol(value, &end, 10);
        if (*value == '\0' || *end != '\0' || v < 0)
            return loader_fail(ld, "max_words '%s' is not a whole number", value);
        r->max_words = (size_t)v;
        return 1;
    }
    if (strcmp(name, "site") == 0) {
        free(r->site);
        r->site = strdup(value);
        return r->site ? 1 : loader_fail(ld, "out of memory");
    }
    return loader_fail(ld, "unknown key '%s'", name);
}

static int loader_validate(loader *ld)
{
    for (size_t i = 0; i < ld->n; i++) {
        rule *r = &ld->items[i];
        if (r->npatterns == 0)
            return cl_fail(ld->err, "%s: rule [%s]: no phrase or regex", ld->source, r->name);
        if (r->target == CL_TARGET_ATTR && r->action != CL_RULE_DROP)
            return cl_fail(ld->err, "%s: rule [%s]: attr rules can only drop", ld->source, r->name);
        if (r->action == CL_RULE_BYLINE) {
            for (size_t k = 0; k < r->npatterns; k++)
                if (!r->patterns[k].author)
                    return cl_fail(ld->err, "%s: rule [%s]: a byline regex needs a group (?<author>...)",
                                   ld->source, r->name);
        }
    }
    return 0;
}

/* ---- the Hyperscan index ---------------------------------------------- */

/* Pattern id's bit in a set of words, one bit a pattern. */
static int bit_is_set(const uint64_t *words, size_t id)
{
    return (words[id / 64] >> (id % 64)) & 1;
}

static void bit_set(uint64_t *words, size_t id)
{
    words[id / 64] |= (uint64_t)1 << (id % 64);
}

static void bit_clear(uint64_t *words, size_t id)
{
    words[id / 64] &= ~((uint64_t)1 << (id % 64));
}

/* Numbers the patterns in load order, which is the order they are tried
 * in, and sizes what is indexed by pattern id: every pattern unindexed. */
static int number_patterns(cl_rules *rules)
{
    rules->npatterns = 0;
    rules->max_text_words = 0;
    for (size_t i = 0; i < rules->n; i++) {
        rule *r = &rules->items[i];
        r->first_id = rules->npatterns;
        rules->npatterns += r->npatterns;
        if (r->target == CL_TARGET_TEXT && r->max_words > rules->max_text_words)
            rules->max_text_words = r->max_words;
    }
    size_t nwords = (rules->npatterns + 63) / 64, alloc = nwords ? nwords : 1;
    uint64_t *h = realloc(rules->hits.words, alloc * sizeof *h);
    if (h)
        rules->hits.words = h;
    uint64_t *u = h ? realloc(rules->unindexed.words, alloc * sizeof *u) : NULL;
    if (u)
        rules->unindexed.words = u;
    size_t *ids = u ? realloc(rules->rule_of_id, (rules->npatterns + 1) * sizeof *ids) : NULL;
    if (!ids)
        return -1;
    rules->rule_of_id = ids;
    rules->hits.nwords = rules->unindexed.nwords = nwords;
    all_unindexed(rules);
    for (size_t i = 0; i < rules->n; i++)
        for (size_t k = 0; k < rules->items[i].npatterns; k++)
            ids[rules->items[i].first_id + k] = i;
    return 0;
}

static int literal_table_build(cl_rules *rules)
{
    literal_table *t = &rules->literals;
    size_t cap = 1;
    for (size_t i = 0; i < rules->n; i++)
        for (size_t k = 0; k < rules->items[i].npatterns; k++)
            cap += (size_t)rules->items[i].patterns[k].required.n;
    t->bytes = malloc(cap * (CL_LITERAL_MAX_LEN + 1));
    t->text = malloc(cap * sizeof *t->text);
    t->len = malloc(cap * sizeof *t->len);
    t->pattern = malloc(cap * sizeof *t->pattern);
    if (!t->bytes || !t->text || !t->len || !t->pattern)
        return -1;
    char *o = t->bytes;
    for (size_t i = 0; i < rules->n; i++) {
        const rule *r = &rules->items[i];
        for (size_t k = 0; k < r->npatterns; k++) {
            for (int a = 0; a < r->patterns[k].required.n; a++) {
                const cl_literal *l = &r->patterns[k].required.alt[a];
                t->text[t->n] = o;
                if (r->patterns[k].at_start)
                    *o++ = '\n';
                memcpy(o, l->text, l->len);
                o += l->len;
                t->len[t->n] = (size_t)(o - t->text[t->n]);
                t->pattern[t->n++] = r->first_id + k;
            }
        }
    }
    return 0;
}

/* Whether literal i goes into the database of the `target` patterns whose
 * rules allow blocks of `words` words. */
static int literal_wanted(const cl_rules *rules, size_t i, cl_rule_target target, size_t words)
{
    const rule *r = &rules->items[rules->rule_of_id[rules->literals.pattern[i]]];
    return r->target == target && r->max_words >= words;
}

/* Little-endian, as the cache is read (read_uint). */
static void append_uint(cl_buf *b, uint64_t v, int bytes)
{
    char le[8];
    for (int i = 0; i < bytes; i++)
        le[i] = (char)(v >> (8 * i));
    cl_buf_append(b, le, (size_t)bytes);
}

/*
 * What a database is compiled from, as its key in the cache: 'D', then
 * each literal's match id, length and bytes, in the order given to
 * Hyperscan.  The flags (none) and the mode are the same for every
 * database and go into the cache's header.  A database found under the
 * same key is the one this compile would make, whatever else changed in
 * the rules.
 */
static int index_key(const char **text, const size_t *lens, const unsigned int *ids, size_t n,
                     cl_buf *key)
{
    cl_buf_append_char(key, 'D');
    for (size_t i = 0; i < n; i++) {
        append_uint(key, ids[i], 4);
        append_uint(key, lens[i], 4);
        cl_buf_append(key, text[i], lens[i]);
    }
    return key->oom ? -1 : 0;
}

/* The database the cache holds under key, or NULL (none, or Hyperscan
 * refuses its bytes). */
static hs_database_t *cached_database(cl_rules *rules, const cl_buf *key)
{
    const void *bytes;
    size_t len;
    hs_database_t *db = NULL;
    if (!cl_records_find(&rules->cache, key->data, key->len, &bytes, &len) ||
        hs_deserialize_database(bytes, len, &db) != HS_SUCCESS)
        return NULL;
    return db;
}

/* The database of the n literals: from the cache, or compiled.  0, 1
 * when it does not compile, -1 on allocation failure. */
static int database_for(cl_rules *rules, const char **text, const size_t *lens,
                        const unsigned int *ids, size_t n, const cl_buf *key,
                        hs_database_t **db)
{
    if ((*db = cached_database(rules, key))) {
        rules->cache_stats.db_adopted++;
        return 0;
    }
    unsigned int *flags = calloc(n, sizeof *flags);
    if (!flags)
        return -1;
    hs_compile_error_t *cerr = NULL;
    if (hs_compile_lit_multi(text, flags, ids, lens, (unsigned int)n, HS_MODE_BLOCK, NULL, db,
                             &cerr) != HS_SUCCESS) {
        hs_free_compile_error(cerr);
        free(flags);
        *db = NULL;
        return 1;
    }
    free(flags);
    rules->cache_stats.db_compiled++;
    return 0;
}

/*
 * Makes *db (match id: the literal's index in the table) from the literals
 * of the `target` patterns whose rules allow `words` words, and *key what
 * it is made from (index_key; the caller frees it); *db is NULL when there
 * are none.  With `take_out`, their patterns leave the unindexed set.  0,
 * 1 when the database does not compile (the patterns then stay
 * unindexed), -1 on allocation failure.
 */
static int index_build(cl_rules *rules, cl_rule_target target, size_t words, int take_out,
                       hs_database_t **db, cl_buf *key)
{
    const literal_table *t = &rules->literals;
    const char **text = malloc((t->n + 1) * sizeof *text);
    size_t *lens = malloc((t->n + 1) * sizeof *lens);
    unsigned int *ids = malloc((t->n + 1) * sizeof *ids);
    size_t n = 0;
    int rc = text && lens && ids ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < t->n; i++) {
        if (!literal_wanted(rules, i, target, words))
            continue;
        text[n] = t->text[i];
        lens[n] = t->len[i];
        ids[n++] = (unsigned int)i;
    }
    *db = NULL;
    if (rc == 0 && n > 0)
        rc = index_key(text, lens, ids, n, key) < 0
                 ? -1 : database_for(rules, text, lens, ids, n, key, db);
    for (size_t i = 0; take_out && *db && i < n; i++)
        bit_clear(rules->unindexed.words, t->pattern[ids[i]]);
    free(text);
    free(lens);
    free(ids);
    if (*db && hs_alloc_scratch(*db, &rules->hs_scratch) != HS_SUCCESS) {
        hs_free_database(*db);
        *db = NULL;
        rc = -1;
    }
    return rc;
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The distinct max_words of the text rules, ascending, into limits. */
static size_t text_word_limits(const cl_rules *rules, size_t *limits)
{
    size_t n = 0;
    for (size_t i = 0; i < rules->n; i++)
        if (rules->items[i].target == CL_TARGET_TEXT)
            limits[n++] = rules->items[i].max_words;
    qsort(limits, n, sizeof *limits, compare_size);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || limits[i] != limits[distinct - 1])
            limits[distinct++] = limits[i];
    return distinct;
}

static size_t literals_wanted(const cl_rules *rules, cl_rule_target target, size_t words)
{
    size_t n = 0;
    for (size_t i = 0; i < rules->literals.n; i++)
        n += literal_wanted(rules, i, target, words);
    return n;
}

/*
 * One database per word tier (word_tier).  Tier 0 takes its patterns out of
 * the unindexed set, so if it does not compile there are no tiers and
 * every text pattern stays a candidate everywhere.  A tier is left to the
 * tier before, whose database holds more, when its own would not compile
 * or would keep more than three quarters of that one's literals: each
 * database is compiled at start-up, and with the shipped rules a tier for
 * every limit cost 2.2 times the compile time of merged ones (ten
 * databases, not five) for 2% fewer scan instructions.
 */
static int tiers_build(cl_rules *rules)
{
    size_t *limits = malloc((rules->n + 1) * sizeof *limits);
    rules->tiers = malloc((rules->n + 1) * sizeof *rules->tiers);
    if (!limits || !rules->tiers) {
        free(limits);
        return -1;
    }
    size_t nlimits = text_word_limits(rules, limits), last = 0;
    int rc = 0;
    for (size_t i = 0; i < nlimits; i++) {
        size_t n = literals_wanted(rules, CL_TARGET_TEXT, limits[i]);
        if (i > 0 && n * 4 > last * 3) {
            rules->tiers[rules->ntiers - 1].max_words = limits[i];
            continue;
        }
        hs_database_t *db;
        cl_buf key = CL_BUF_INIT;
        rc = index_build(rules, CL_TARGET_TEXT, limits[i], i == 0, &db, &key);
        if (rc == 0)
            last = n;
        if (rc != 0)
            cl_buf_free(&key);
        if (rc < 0 || (rc == 1 && i == 0))
            break;
        if (rc == 1)
            rules->tiers[rules->ntiers - 1].max_words = limits[i];
        else
            rules->tiers[rules->ntiers++] = (word_tier){ limits[i], db, key };
    }
    free(limits);
    return rc < 0 ? -1 : 0;
}

/* ---- the index cache --------------------------------------------------- */

#define CACHE_HEADER_MAX 512

/* The key of the record holding the writer's build id. */
#define BUILD_KEY "B"

/* Everything the databases depend on besides their keys: the versions of
 * the libraries that made them and of ours, the host's platform as
 * Hyperscan tunes for it, the compile flags and mode; and PCRE2's version,
 * for the patterns compiled on first use. */
static void cache_header(char *buf, size_t size)
{
    hs_platform_info_t platform;
    memset(&platform, 0, sizeof platform);
    hs_populate_platform(&platform);
    char pcre2[64] = "";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre2);
    snprintf(buf, size,
             "cleaner %s rules index; hyperscan %s, tune %u, features %llx, block mode, "
             "literal flags 0; pcre2 %s", CLEANER_VERSION, hs_version(), platform.tune,
             platform.cpu_features, pcre2);
}

static void forget_cache(cl_rules *rules)
{
    cl_buf_free(&rules->cache_bytes);
    memset(&rules->cache, 0, sizeof rules->cache);
    memset(&rules->pattern_cursor, 0, sizeof rules->pattern_cursor);
    rules->cache_vouches = 0;
}

static int written_by_this_build(const cl_records *cache)
{
    unsigned char id[CL_BUILD_ID_MAX];
    size_t n = cl_build_id(id), len;
    const void *v;
    return n > 0 && cl_records_find(cache, BUILD_KEY, 1, &v, &len) && len == n &&
           memcmp(v, id, n) == 0;
}

int cl_rules_use_cache(cl_rules *rules, cl_buf *bytes)
{
    if (!rules || !bytes)
        return 0;
    forget_cache(rules);
    rules->cache_bytes = *bytes;
    *bytes = (cl_buf)CL_BUF_INIT;
    char header[CACHE_HEADER_MAX];
    cache_header(header, sizeof header);
    if (cl_records_open(&rules->cache, rules->cache_bytes.data, rules->cache_bytes.len,
                        header) < 0) {
        forget_cache(rules);
        return 0;
    }
    rules->pattern_cursor = rules->cache;
    rules->cache_vouches = written_by_this_build(&rules->cache);
    return 1;
}

static int save_database(cl_buf *out, const hs_database_t *db, const cl_buf *key)
{
    char *bytes = NULL;
    size_t len = 0;
    if (!db)
        return 0;
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
        return -1;
    int rc = cl_records_add(out, key->data, key->len, bytes, len);
    free(bytes);
    return rc;
}

/* Pattern p's record, as read_pattern_value() reads it. */
static int save_pattern(cl_buf *out, const pattern *p, cl_buf *value)
{
    char key[PATTERN_KEY_MAX];
    size_t klen = pattern_key(key, p->options, p->text, p->len);
    if (!klen)
        return 0;
    cl_buf_clear(value);
    append_uint(value, p->captures, 4);
    append_uint(value, (uint32_t)p->author, 4);
    append_uint(value, p->at_start, 1);
    append_uint(value, (uint64_t)p->required.n, 1);
    append_uint(value, p->required.lead, 8);
    for (int a = 0; a < p->required.n; a++) {
        append_uint(value, p->required.alt[a].len, 1);
        cl_buf_append(value, p->required.alt[a].text, p->required.alt[a].len);
    }
    return value->oom ? -1 : cl_records_add(out, key, klen, value->data, value->len);
}

/* Every pattern loaded, which compiled and passed the screen, in load
 * order, after this build's id; none without an id. */
static int save_patterns(cl_buf *out, const cl_rules *rules)
{
    unsigned char id[CL_BUILD_ID_MAX];
    size_t n = cl_build_id(id);
    if (n == 0)
        return 0;
    int rc = cl_records_add(out, BUILD_KEY, 1, id, n);
    cl_buf value = CL_BUF_INIT;
    for (size_t i = 0; rc == 0 && i < rules->n; i++)
        for (size_t k = 0; rc == 0 && k < rules->items[i].npatterns; k++)
            rc = save_pattern(out, &rules->items[i].patterns[k], &value);
    cl_buf_free(&value);
    return rc;
}

int cl_rules_save_cache(const cl_rules *rules, cl_buf *out)
{
    if (!rules || !rules->prepared)
        return -1;
    char header[CACHE_HEADER_MAX];
    cache_header(header, sizeof header);
    int rc = cl_records_begin(out, header);
    for (size_t t = 0; rc == 0 && t < rules->ntiers; t++)
        rc = save_database(out, rules->tiers[t].db, &rules->tiers[t].key);
    if (rc == 0)
        rc = save_database(out, rules->attr_db, &rules->attr_key);
    if (rc == 0)
        rc = save_patterns(out, rules);
    return rc == 0 ? cl_records_end(out) : -1;
}

cl_rules_cache_stats cl_rules_cache_use(const cl_rules *rules)
{
    cl_rules_cache_stats none = { 0, 0, 0, 0 };
    return rules ? rules->cache_stats : none;
}

int cl_rules_prepare(cl_rules *rules)
{
    if (!rules || rules->prepared)
        return 0;
    drop_indexes(rules);
    hs_database_t *attr_db = NULL;
    if (literal_table_build(rules) < 0 || tiers_build(rules) < 0 ||
        index_build(rules, CL_TARGET_ATTR, 0, 1, &attr_db, &rules->attr_key) < 0) {
        hs_free_database(attr_db);
        drop_indexes(rules);
        return -1;
    }
    rules->attr_db = attr_db;
    rules->prepared = 1;
    forget_cache(rules);
    return 0;
}

/* The database of every text literal, or NULL. */
static const hs_database_t *text_db(const cl_rules *rules)
{
    return rules->ntiers ? rules->tiers[0].db : NULL;
}

size_t cl_rules_unindexed(const cl_rules *rules)
{
    size_t n = 0;
    for (size_t id = 0; rules && id < rules->npatterns; id++)
        n += bit_is_set(rules->unindexed.words, id);
    return n;
}

typedef struct text_scan {
    const cl_rules *rules;
    uint64_t       *hits;
} text_scan;

static int on_text_hit(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void *user)
{
    (void)from, (void)to, (void)flags;
    text_scan *ts = user;
    bit_set(ts->hits, ts->rules->literals.pattern[id]);
    return 0;
}

static int any_bit(const uint64_t *words, size_t nwords)
{
    uint64_t any = 0;
    for (size_t w = 0; w < nwords; w++)
        any |= words[w];
    return any != 0;
}

/* Fills `hits` with the patterns that may match s: those `db` reports, and
 * the unindexed ones.  0 when there are none.  s is scanned after a '\n',
 * as blocks are (literal_table); when that copy cannot be made, or the scan
 * fails (it cannot, short of a corrupt database), every pattern is one. */
static int find_candidates(const cl_rules *rules, const hs_database_t *db, const char *s,
                           size_t len, uint64_t *hits)
{
    size_t nwords = rules->hits.nwords;
    if (nwords == 0)
        return 0;  /* no rules: the bit sets were never allocated */
    memcpy(hits, rules->unindexed.words, nwords * sizeof *hits);
    if (!db)
        return any_bit(hits, nwords);
    char *line = len < UINT_MAX ? malloc(len + 1) : NULL;
    text_scan ts = { rules, hits };
    if (line) {
        line[0] = '\n';
        memcpy(line + 1, s, len);
    }
    if (!line || hs_scan(db, line, (unsigned int)len + 1, 0, rules->hs_scratch, on_text_hit,
                         &ts) != HS_SUCCESS)
        memset(hits, 0xFF, nwords * sizeof *hits);
    free(line);
    return any_bit(hits, nwords);
}

static int rules_take(cl_rules *rules, loader *ld)
{
    /* A file with no rules adds nothing; rules->items may still be NULL, and
     * NULL + 0 or memcpy from NULL is undefined behaviour. */
    if (ld->n == 0)
        return 0;
    if (rules->n + ld->n > rules->cap) {
        size_t cap = rules->cap ? rules->cap : 16;
        while (cap < rules->n + ld->n)
            cap *= 2;
        rule *p = realloc(rules->items, cap * sizeof *p);
        if (!p)
            return -1;
        rules->items = p;
        rules->cap = cap;
    }
    memcpy(rules->items + rules->n, ld->items, ld->n * sizeof *ld->items);
    rules->n += ld->n;
    ld->n = 0;
    drop_indexes(rules);
    if (number_patterns(rules) < 0)
        return -1;
    uint32_t pairs = rules->ovector_pairs;
    for (size_t i = 0; i < rules->n; i++)
        for (size_t k = 0; k < rules->items[i].npatterns; k++) {
            uint32_t c = rules->items[i].patterns[k].captures;
            if (c + 1 > pairs)
                pairs = c + 1;
        }
    if (!rules->scratch || pairs > rules->ovector_pairs) {
        pcre2_match_data_free(rules->scratch);
        rules->scratch = pcre2_match_data_create(pairs, NULL);
        rules->ovector_pairs = pairs;
        if (!rules->scratch)
            return -1;
    }
    return 0;
}

/* The 1-based number of the first line longer than RULES_MAX_LINE, or 0. */
static int first_overlong_line(const char *text, size_t len)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i - start > RULES_MAX_LINE)
            return line;
        line++;
        start = i + 1;
    }
    return 0;
}

int cl_rules_load(cl_rules *rules, const char *source, const char *text,
                  size_t len, cl_error *err)
{
    int overlong = first_overlong_line(text, len);
    if (overlong)
        return cl_fail(err, "%s:%d: line longer than %d bytes: split the pattern "
                       "into several regex lines", source, overlong, RULES_MAX_LINE);
    loader ld = { .source = source, .err = err, .rules = rules };
    char *copy = malloc(len + 1);
    if (!copy)
        return cl_fail(err, "%s: out of memory", source);
    memcpy(copy, text, len);
    copy[len] = '\0';
    int line = ini_parse_string(copy, on_ini_entry, &ld);
    free(copy);
    int rc = 0;
    if (line != 0) {
        if (ld.failed) {
            /* Our message lacks the line: inih reports it as the return value. */
            char msg[CL_ERROR_MAX];
            snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
            size_t slen = strlen(source);
            cl_fail(err, "%s:%d:%s", source, line,
                    strncmp(msg, source, slen) == 0 && msg[slen] == ':' ? msg + slen + 1 : msg);
        } else {
            cl_fail(err, "%s:%d: syntax error (expected [name] or key = value)", source, line);
        }
        rc = -1;
    } else if (loader_validate(&ld) < 0 || rules_take(rules, &ld) < 0) {
        rc = -1;
    }
    for (size_t i = 0; i < ld.n; i++)
        rule_clear(&ld.items[i]);
    free(ld.items);
    screen_free(&ld);
    return rc;
}

/* ---- matching ---------------------------------------------------------- */

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* The host part of a URL: after "//", up to the next '/', ':', '?' or '#'. */
static int url_host_ends_with(const char *url, const char *suffix)
{
    const char *h = strstr(url, "//");
    h = h ? h + 2 : url;
    size_t n = strcspn(h, "/:?#");
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(h + n - k, suffix, k) == 0 &&
           (n == k || h[n - k - 1] == '.');
}

static int rule_applies_to_site(const rule *r, const char *site, const char *url)
{
    if (!r->site)
        return 1;
    return (site && ends_with_ci(site, r->site)) || (url && url_host_ends_with(url, r->site));
}

/* The errors of a search that ran out of budget (RULES_MATCH_LIMIT). */
static int is_limit_error(int rc)
{
    return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
           rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/*
 * Pattern k of rule r, compiled if the cache vouched for it at load, and
 * JIT-compiled on its first use unless the JIT is off.  JIT-compiling
 * every pattern at load was a tenth of a one-file run's start-up, and
 * compiling them and reading their literals more than half of what the
 * index cache left (52 of 95 M instructions), mostly for patterns that run
 * on no block; now a process compiles those it runs, once each.  The
 * pattern changes here, through the const cl_rules: the single-thread
 * rule of rules.h covers it, and a fork()ed worker compiles into its own
 * copy.  Where JIT compiling fails (MemoryDenyWriteExecute) PCRE2
 * interprets, and it is not tried again; a pattern that does not compile
 * (out of memory: it compiled when the cache was written, by the same
 * PCRE2) is NULL, and its searches give up.
 */
static const pcre2_code *pattern_code(const cl_rules *rules, const rule *r, size_t k)
{
    pattern *p = &r->patterns[k];
    if (!p->code && !p->broken) {
        int code;
        PCRE2_SIZE offset;
        p->code = pcre2_compile((PCRE2_SPTR)p->text, p->len, p->options, &code, &offset, NULL);
        p->broken = !p->code;
    }
    if (p->code && !rules->no_jit && !p->jit_tried) {
        p->jit_tried = 1;
        pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
    }
    return p->code;
}

/* 1 and the match's span when `re` matches s at or after `from`; its groups
 * stay in rules->scratch until the next match.  0 when it does not match,
 * -1 when the search gave up at a limit, which callers count as no match
 * and report. */
static int pattern_search(const cl_rules *rules, const pcre2_code *re, const char *s,
                          size_t len, size_t from, size_t *start, size_t *end)
{
    if (!re)
        return -1;
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, from, rules->match_options, rules->scratch,
                         rules->limits);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return is_limit_error(rc) ? -1 : 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rules->scratch);
    *start = ov[0];
    *end = ov[1];
    return 1;
}

/* The (?<author>...) group of the match pattern p just made, if it took
 * part. */
static void author_span(const cl_rules *rules, const pattern *p, cl_rule_match *m)
{
    uint32_t g = (uint32_t)p->author;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rules->scratch);
    if (g > 0 && g < pcre2_get_ovector_count(rules->scratch) && ov[2 * g] != PCRE2_UNSET) {
        m->group_start = ov[2 * g];
        m->group_end = ov[2 * g + 1];
    }
}

/* The next candidate in `hits` at or after *id; 0 when none is left. */
static int next_candidate(const cl_rules *rules, const uint64_t *hits, size_t *id)
{
    for (size_t w = *id / 64; w < rules->hits.nwords; w++) {
        uint64_t bits = hits[w];
        if (w == *id / 64)
            bits &= ~(uint64_t)0 << (*id % 64);
        if (bits) {
            *id = w * 64 + (size_t)__builtin_ctzll(bits);
            return *id < rules->npatterns;
        }
    }
    return 0;
}

/*
 * Where a search for pattern id in s may start: a match holds one of the
 * pattern's literals at most `lead` bytes after its start, and the first
 * one in s is at seen[id] (regex_literal.h).  Moved back to a character's
 * first byte: PCRE2 reads s as UTF-8 from there on without checking it.
 * An unindexed pattern is a candidate without a literal seen.
 */
static size_t search_start(const cl_rules *rules, const rule *r, size_t id, const char *s,
                           const uint32_t *seen)
{
    size_t lead = r->patterns[id - r->first_id].required.lead;
    if (!seen || bit_is_set(rules->unindexed.words, id) || lead == CL_LEAD_UNBOUNDED ||
        seen[id] <= lead)
        return 0;
    size_t from = seen[id] - lead;
    while (from > 0 && ((unsigned char)s[from] & 0xC0) == 0x80)
        from--;
    return from;
}

/*
 * The first drop, byline or end rule of `target` among the candidates in
 * `hits` that matches s.  Candidates are tried in load order, so the first
 * rule to match wins as if every rule were tried.  `seen`, unless NULL,
 * holds where in s the first literal of each candidate starts.  The first
 * rule whose search gives up goes into *limited, unless one is there.
 */
static int first_match(const cl_rules *rules, const uint64_t *hits, const uint32_t *seen,
                       cl_rule_target target, const char *s, size_t len, size_t words,
                       const char *site, const char *url, cl_rule_match *m,
                       const rule **limited)
{
    for (size_t id = 0; next_candidate(rules, hits, &id); id++) {
        const rule *r = &rules->items[rules->rule_of_id[id]];
        if (r->target != target || r->action == CL_RULE_STRIP || words > r->max_words ||
            !rule_applies_to_site(r, site, url))
            continue;
        const pcre2_code *re = pattern_code(rules, r, id - r->first_id);
        size_t from = search_start(rules, r, id, s, seen);
        int found = pattern_search(rules, re, s, len, from, &m->start, &m->end);
        if (found < 0 && !*limited)
            *limited = r;
        if (found <= 0)
            continue;
        m->name = r->name;
        m->action = r->action;
        m->group_start = m->group_end = 0;
        if (r->action == CL_RULE_BYLINE)
            author_span(rules, &r->patterns[id - r->first_id], m);
        return 1;
    }
    return 0;
}

/* first_match() over the candidates in s, naming in m a rule that gave up. */
static int match_one(const cl_rules *rules, const hs_database_t *db, cl_rule_target target,
                     const char *s, size_t len, size_t words, const char *site,
                     const char *url, cl_rule_match *m)
{
    const rule *limited = NULL;
    m->limited = NULL;
    if (!rules || !find_candidates(rules, db, s, len, rules->hits.words))
        return 0;
    int found = first_match(rules, rules->hits.words, NULL, target, s, len, words, site, url,
                            m, &limited);
    m->limited = limited ? limited->name : NULL;
    return found;
}

int cl_rules_match_text(const cl_rules *rules, const char *norm, size_t len,
                        size_t words, const char *site, const char *url,
                        cl_rule_match *m)
{
    return match_one(rules, rules ? text_db(rules) : NULL, CL_TARGET_TEXT, norm, len, words,
                     site, url, m);
}

int cl_rules_match_attr(const cl_rules *rules, const char *value, size_t len,
                        const char *site, const char *url, cl_rule_match *m)
{
    return match_one(rules, rules ? rules->attr_db : NULL, CL_TARGET_ATTR, value, len, 0, site,
                     url, m);
}

/* ---- applying to a document -------------------------------------------- */

/*
 * Work buffers for one cl_rules_apply() call, freed together, reused for
 * each window of blocks (RULES_WINDOW_BLOCKS).  The window's blocks rules
 * may apply to are normalised into `scan`, each after a '\n' (which
 * normalised text never holds, so no literal spans two blocks, and one
 * starting with '\n' is found at a block's start only), grouped by word
 * tier: tier t's are scanned blocks tier_first[t] to tier_first[t + 1],
 * one scan a tier.  Scanned block j is doc->blocks[block_of[j]], its text
 * at scan.data + scan_start[j], up to the '\n' before scan_start[j + 1],
 * its candidates at hits + j * nwords, where their first literals start
 * at seen + j * npatterns; scan_index[i - first] maps document block i
 * back, SIZE_MAX for a block not scanned.
 */
typedef struct apply_ctx {
    const cl_rules *rules;
    cl_doc         *doc;
    size_t          first, nblocks;         /* the window: blocks [first, first + nblocks) */
    cl_buf          scan;
    size_t         *block_of, *scan_start;  /* scan_start has one more entry */
    size_t         *scan_index;
    size_t         *tier_first, *tier_next; /* ngroups + 1 and ngroups entries */
    size_t          ngroups;                /* tiers, or 1 without an index */
    size_t          nscanned;
    size_t          scan_base;              /* where the current scan starts */
    size_t          last_hit_block;
    uint64_t       *hits;
    size_t          nwords;
    uint32_t       *seen;
    cl_buf          norm, map, text;  /* one block's, once a rule may change it */
    size_t          norm_of;          /* the block `norm` holds, or SIZE_MAX */
    int             mapped;           /* `map` matches `norm` */
    const rule     *limited;          /* the current block's first rule to give up */
} apply_ctx;

/*
 * Blocks are matched a window of at most RULES_WINDOW_BLOCKS at a time: the
 * per-block arrays (candidates, and where each pattern's literal was seen:
 * 4 bytes a pattern) cost about 470 bytes a block with the shipped rules,
 * which on a document of tiny paragraphs (a block per 3 input bytes) came
 * to 150 times the input.  A window bounds them, at 2 MB; an article fits
 * in one, and a scan more per tier and window costs nothing measurable.
 */
#define RULES_WINDOW_BLOCKS 4096

/* The per-block arrays share one allocation, owned by `hits`: a document
 * is cleaned in tens of microseconds, and each malloc/free pair counts. */
static int apply_ctx_init(apply_ctx *ax, const cl_rules *rules, cl_doc *doc)
{
    memset(ax, 0, sizeof *ax);
    ax->rules = rules;
    ax->doc = doc;
    ax->norm_of = SIZE_MAX;
    ax->nwords = rules->hits.nwords;
    ax->ngroups = rules->ntiers ? rules->ntiers : 1;
    size_t cap = doc->nblocks < RULES_WINDOW_BLOCKS ? doc->nblocks : RULES_WINDOW_BLOCKS;
    size_t nhits = cap * ax->nwords;
    size_t nsizes = 3 * cap + 1 + 2 * ax->ngroups + 1;
    size_t nseen = cap * rules->npatterns;
    ax->hits = malloc(nhits * sizeof *ax->hits + nsizes * sizeof(size_t) +
                      nseen * sizeof *ax->seen);
    if (!ax->hits)
        return -1;
    ax->block_of = (size_t *)(ax->hits + nhits);
    ax->scan_start = ax->block_of + cap;
    ax->scan_index = ax->scan_start + cap + 1;
    ax->tier_first = ax->scan_index + cap;
    ax->tier_next = ax->tier_first + ax->ngroups + 1;
    ax->seen = (uint32_t *)(ax->tier_next + ax->ngroups);
    return 0;
}

static void apply_ctx_free(apply_ctx *ax)
{
    cl_buf_free(&ax->scan);
    free(ax->hits);
    cl_buf_free(&ax->norm);
    cl_buf_free(&ax->map);
    cl_buf_free(&ax->text);
}

static int rules_may_apply(const cl_rules *rules, const cl_block *b)
{
    return b->decision == CL_KEEP && b->kind != CL_BLOCK_CODE &&
           b->words <= rules->max_text_words;
}

/* Zeroed bytes after the scanned text: PCRE2's JIT reads a little past the
 * end of a subject (harmless, but valgrind reports the bytes it reads if
 * they were never written). */
#define SCAN_TAIL 64

/* The first tier whose blocks may have `words` words; 0 without tiers. */
static size_t tier_of(const cl_rules *rules, size_t words)
{
    size_t t = 0;
    while (t + 1 < rules->ntiers && words > rules->tiers[t].max_words)
        t++;
    return t;
}

/* Fills block_of with the blocks rules may apply to, by tier and in
 * document order within one (a counting sort), and sizes the scan.
 * scan_index holds each block's tier meanwhile (SIZE_MAX: not scanned);
 * normalise_for_scan() then makes it the block's place in the scan. */
static size_t group_by_tier(apply_ctx *ax)
{
    const cl_block *blocks = ax->doc->blocks + ax->first;
    size_t bytes = SCAN_TAIL;
    memset(ax->tier_first, 0, (ax->ngroups + 1) * sizeof *ax->tier_first);
    for (size_t i = 0; i < ax->nblocks; i++) {
        ax->scan_index[i] = SIZE_MAX;
        if (rules_may_apply(ax->rules, &blocks[i])) {
            ax->scan_index[i] = tier_of(ax->rules, blocks[i].words);
            ax->tier_first[ax->scan_index[i] + 1]++;
            bytes += blocks[i].len + 1;
        }
    }
    for (size_t t = 0; t < ax->ngroups; t++) {
        ax->tier_first[t + 1] += ax->tier_first[t];
        ax->tier_next[t] = ax->tier_first[t];
    }
    for (size_t i = 0; i < ax->nblocks; i++)
        if (ax->scan_index[i] != SIZE_MAX)
            ax->block_of[ax->tier_next[ax->scan_index[i]]++] = ax->first + i;
    ax->nscanned = ax->tier_first[ax->ngroups];
    return bytes;
}

static int normalise_for_scan(apply_ctx *ax)
{
    /* Normalising seldom grows text: one allocation for most documents. */
    if (cl_buf_reserve(&ax->scan, group_by_tier(ax)) < 0)
        return -1;
    for (size_t j = 0; j < ax->nscanned; j++) {
        const cl_block *b = &ax->doc->blocks[ax->block_of[j]];
        cl_buf_append_char(&ax->scan, '\n');
        ax->scan_index[ax->block_of[j] - ax->first] = j;
        ax->scan_start[j] = ax->scan.len;
        if (cl_normalize(b->text, b->len, &ax->scan, NULL) < 0)
            return -1;
    }
    ax->scan_start[ax->nscanned] = ax->scan.len + 1;
    if (cl_buf_reserve(&ax->scan, SCAN_TAIL) < 0)
        return -1;
    memset(ax->scan.data + ax->scan.len, 0, SCAN_TAIL);
    return 0;
}

/* The scanned block holding scan byte `at`: hits come in ascending order
 * of their end, so the last block found is the first guess. */
static size_t scanned_block_at(apply_ctx *ax, size_t at)
{
    size_t j = ax->last_hit_block;
    if (ax->scan_start[j] <= at && at < ax->scan_start[j + 1])
        return j;
    size_t lo = 0, hi = ax->nscanned;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ax->scan_start[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    ax->last_hit_block = lo;
    return lo;
}

/* Literal starts past this are noted as this: searches then start early. */
#define SEEN_MAX UINT32_MAX

static int on_scan_hit(unsigned int id, unsigned long long from, unsigned long long to,
                       unsigned int flags, void *user)
{
    (void)from, (void)flags;
    apply_ctx *ax = user;
    const literal_table *t = &ax->rules->literals;
    size_t end = ax->scan_base + (size_t)to, j = scanned_block_at(ax, end - 1);
    size_t p = t->pattern[id];
    uint64_t *hits = ax->hits + j * ax->nwords;
    /* A literal starting with '\n' starts a block: at 0. */
    size_t at = end - t->len[id] >= ax->scan_start[j] ? end - t->len[id] - ax->scan_start[j] : 0;
    uint32_t *seen = &ax->seen[j * ax->rules->npatterns + p];
    if (at > SEEN_MAX)
        at = SEEN_MAX;
    /* `seen` is written with the bit: no pass clears it for each document. */
    if (!bit_is_set(hits, p))
        *seen = (uint32_t)at;
    else if (at < *seen)
        *seen = (uint32_t)at;
    bit_set(hits, p);
    return 0;
}

/* Tier t's blocks' candidates, from one scan of them; when the scan fails
 * (it cannot, short of a corrupt database), every pattern is one. */
static void scan_tier(apply_ctx *ax, size_t t)
{
    size_t first = ax->tier_first[t], end = ax->tier_first[t + 1];
    const hs_database_t *db = ax->rules->ntiers ? ax->rules->tiers[t].db : NULL;
    if (first == end || !db)
        return;
    /* From the '\n' before the tier's first block to the one after its last. */
    ax->scan_base = ax->scan_start[first] - 1;
    size_t len = ax->scan_start[end] - 1 - ax->scan_base;
    if (len > UINT_MAX || hs_scan(db, ax->scan.data + ax->scan_base, (unsigned int)len, 0,
                                  ax->rules->hs_scratch, on_scan_hit, ax) != HS_SUCCESS) {
        memset(ax->hits + first * ax->nwords, 0xFF, (end - first) * ax->nwords * sizeof *ax->hits);
        memset(ax->seen + first * ax->rules->npatterns, 0,
               (end - first) * ax->rules->npatterns * sizeof *ax->seen);
    }
}

/* Every scanned block's candidates: the unindexed patterns, and what the
 * scan of its tier reports. */
static void scan_document(apply_ctx *ax)
{
    for (size_t j = 0; j < ax->nscanned; j++)
        memcpy(ax->hits + j * ax->nwords, ax->rules->unindexed.words,
               ax->nwords * sizeof *ax->hits);
    for (size_t t = 0; t < ax->ngroups; t++)
        scan_tier(ax, t);
}

/* Block bi's normalised text in ax->norm, with its offset map if asked;
 * the map costs more than the normalising, and only matched blocks need
 * it. */
static int normalise_block(apply_ctx *ax, size_t bi, int with_map)
{
    if (ax->norm_of == bi && (ax->mapped || !with_map))
        return 0;
    const cl_block *b = &ax->doc->blocks[bi];
    cl_buf_clear(&ax->norm);
    cl_buf_clear(&ax->map);
    ax->norm_of = bi;
    ax->mapped = with_map;
    return cl_normalize(b->text, b->len, &ax->norm, with_map ? &ax->map : NULL);
}

/* The start of the character after the one at s[i]: after an empty match
 * the search must resume on a character boundary, since PCRE2 matching with
 * PCRE2_NO_UTF_CHECK is undefined (the JIT crashes) from inside a UTF-8
 * sequence. */
static size_t next_char(const char *s, size_t len, size_t i)
{
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Marks in `*cut` (allocated on the first match) every span `re`, a
 * pattern of r, matches in block bi's normalised text s; the offset map is
 * built on the first.  A search that gives up ends the marking. */
static int mark_pattern_spans(apply_ctx *ax, size_t bi, const rule *r, const pcre2_code *re,
                              const char *s, size_t len, unsigned char **cut)
{
    size_t from = 0, a, e;
    int found = 0;
    while (from < len && (found = pattern_search(ax->rules, re, s, len, from, &a, &e)) > 0) {
        if (!*cut && (normalise_block(ax, bi, 1) < 0 ||
                      !(*cut = calloc(ax->doc->blocks[bi].len, 1))))
            return -1;
        size_t sa = cl_normalize_map_at(&ax->map, a), se = cl_normalize_map_at(&ax->map, e);
        memset(*cut + sa, 1, se - sa);
        from = e > a ? e : next_char(s, len, a);
    }
    if (found < 0 && !ax->limited)
        ax->limited = r;
    return 0;
}

/* Marks the spans of the strip rules among the candidates in block bi's
 * normalised text s, those whose max_words the block is within (the word
 * tiers leave the others out of its candidates); *cut stays NULL when
 * none matches. */
static int mark_strip_spans(apply_ctx *ax, size_t bi, const uint64_t *hits, const char *s,
                            size_t len, unsigned char **cut)
{
    const cl_rules *rules = ax->rules;
    const char *site = ax->doc->meta[CL_META_SITE], *url = ax->doc->meta[CL_META_URL];
    size_t words = ax->doc->blocks[bi].words;
    for (size_t id = 0; next_candidate(rules, hits, &id); id++) {
        const rule *r = &rules->items[rules->rule_of_id[id]];
        if (r->target != CL_TARGET_TEXT || r->action != CL_RULE_STRIP || words > r->max_words ||
            !rule_applies_to_site(r, site, url))
            continue;
        if (mark_pattern_spans(ax, bi, r, pattern_code(rules, r, id - r->first_id), s, len,
                               cut) < 0)
            return -1;
    }
    return 0;
}

/*
 * Removes every span any strip pattern matches, mapped back to the block's
 * own text.  Spans are merged by marking, for each byte of the source,
 * whether it is cut; blocks are short, so a byte mask is the simplest
 * correct merge of overlapping spans from different patterns.  Returns 1
 * when the block's text changed (and ax->norm holds it normalised), 0 when
 * not.
 */
static int strip_block(apply_ctx *ax, size_t bi, const uint64_t *hits, const char *norm,
                       size_t len)
{
    unsigned char *cut = NULL;
    if (mark_strip_spans(ax, bi, hits, norm, len, &cut) < 0) {
        free(cut);
        return -1;
    }
    if (!cut)
        return 0;
    cl_block *b = &ax->doc->blocks[bi];
    cl_buf_clear(&ax->text);
    for (size_t i = 0, run; i < b->len; i += run) {
        for (run = 1; i + run < b->len && cut[i + run] == cut[i]; run++)
            ;
        if (!cut[i])
            cl_buf_append_collapsed(&ax->text, b->text + i, run);
    }
    free(cut);
    cl_buf_rtrim(&ax->text);
    if (ax->text.oom)
        return -1;
    if (ax->text.len == 0) {
        cl_block_decide(b, CL_DROP, "rule: stripped to nothing");
        b->flags |= CL_BLOCK_FINAL;
        return 0;
    }
    size_t link_len = b->link_len < ax->text.len ? b->link_len : ax->text.len;
    ax->norm_of = SIZE_MAX;
    if (cl_doc_set_block_text(ax->doc, bi, ax->text.data, ax->text.len, link_len) < 0 ||
        normalise_block(ax, bi, 0) < 0)
        return -1;
    return 1;
}

/* The author a byline names, from the block's own text (not the lower-cased
 * form).  Names start with a capital: "By the end of May, ..." is no byline. */
static int byline_author(apply_ctx *ax, size_t bi, const cl_rule_match *m,
                         const char **author, size_t *len)
{
    if (m->group_end <= m->group_start || normalise_block(ax, bi, 1) < 0)
        return 0;
    const cl_block *b = &ax->doc->blocks[bi];
    size_t a = cl_normalize_map_at(&ax->map, m->group_start);
    size_t e = cl_normalize_map_at(&ax->map, m->group_end);
    while (e > a && strchr(" ,;:.", b->text[e - 1]))
        e--;
    if (e <= a || (b->text[a] >= 'a' && b->text[a] <= 'z'))
        return 0;
    *author = b->text + a;
    *len = e - a;
    return 1;
}

static int act_on_match(apply_ctx *ax, size_t bi, const cl_rule_match *m)
{
    cl_block *b = &ax->doc->blocks[bi];
    if (m->action == CL_RULE_BYLINE) {
        const char *author;
        size_t alen;
        if (!byline_author(ax, bi, m, &author, &alen))
            return 0;
        if (cl_doc_set_meta(ax->doc, CL_META_AUTHOR, author, alen, 0) < 0)
            return -1;
    }
    if (m->action == CL_RULE_END)
        b->flags |= CL_BLOCK_ENDS_ARTICLE;
    /* "rule NAME", cut to fit; snprintf cost ten times more. */
    char reason[CL_REASON_MAX] = "rule ";
    size_t at = strlen(reason), n = strlen(m->name);
    if (n > sizeof reason - 1 - at)
        n = sizeof reason - 1 - at;
    memcpy(reason + at, m->name, n);
    reason[at + n] = '\0';
    cl_block_decide(b, CL_DROP, reason);
    b->flags |= CL_BLOCK_FINAL;
    return 0;
}

/* Scanned block j: strip, then the first drop, byline or end rule.  A block
 * whose text stripping changed is scanned again on its own. */
static int rules_decide_block(apply_ctx *ax, size_t j)
{
    const cl_rules *rules = ax->rules;
    uint64_t *hits = ax->hits + j * ax->nwords;
    if (!any_bit(hits, ax->nwords))
        return 0;
    size_t bi = ax->block_of[j];
    const char *norm = ax->scan.data + ax->scan_start[j];
    size_t len = ax->scan_start[j + 1] - ax->scan_start[j] - 1;
    int stripped = strip_block(ax, bi, hits, norm, len);
    if (stripped < 0)
        return -1;
    cl_block *b = &ax->doc->blocks[bi];
    if (b->decision == CL_DROP)
        return 0;
    /* Where literals start is known in the text as scanned. */
    const uint32_t *seen = ax->seen + j * rules->npatterns;
    if (stripped) {
        norm = ax->norm.data;
        len = ax->norm.len;
        seen = NULL;
        if (!find_candidates(rules, text_db(rules), norm, len, hits))
            return 0;
    }
    cl_rule_match m;
    if (!first_match(rules, hits, seen, CL_TARGET_TEXT, norm, len, b->words,
                     ax->doc->meta[CL_META_SITE], ax->doc->meta[CL_META_URL], &m, &ax->limited))
        return 0;
    return act_on_match(ax, bi, &m);
}

/* The reason of a block kept although a rule's search on it gave up. */
#define GAVE_UP_REASON ": gave up (match limit)"

/* rules_decide_block(), and a block kept although a search on it gave up
 * says which rule did, for --explain: the library does not log. */
static int apply_to_block(apply_ctx *ax, size_t j)
{
    ax->limited = NULL;
    int rc = rules_decide_block(ax, j);
    cl_block *b = &ax->doc->blocks[ax->block_of[j]];
    if (rc == 0 && ax->limited && b->decision == CL_KEEP) {
        char reason[CL_REASON_MAX];
        int room = (int)(sizeof reason - sizeof "rule " - sizeof GAVE_UP_REASON + 1);
        snprintf(reason, sizeof reason, "rule %.*s" GAVE_UP_REASON, room, ax->limited->name);
        cl_block_decide(b, CL_KEEP, reason);
    }
    return rc;
}

/* Blocks [first, first + n) of the document, n at most RULES_WINDOW_BLOCKS. */
static int apply_window(apply_ctx *ax, size_t first, size_t n)
{
    ax->first = first;
    ax->nblocks = n;
    ax->last_hit_block = 0;
    cl_buf_clear(&ax->scan);
    int rc = normalise_for_scan(ax);
    if (rc == 0)
        scan_document(ax);
    /* In document order: the first byline names the author. */
    for (size_t i = 0; i < n && rc == 0; i++)
        if (ax->scan_index[i] != SIZE_MAX)
            rc = apply_to_block(ax, ax->scan_index[i]);
    return rc;
}

int cl_rules_apply(const cl_rules *rules, cl_doc *doc)
{
    if (!rules || !rules->n)
        return 0;
    apply_ctx ax;
    int rc = apply_ctx_init(&ax, rules, doc);
    for (size_t first = 0; first < doc->nblocks && rc == 0; first += RULES_WINDOW_BLOCKS) {
        size_t left = doc->nblocks - first;
        rc = apply_window(&ax, first, left < RULES_WINDOW_BLOCKS ? left : RULES_WINDOW_BLOCKS);
    }
    apply_ctx_free(&ax);
    return rc;
}
