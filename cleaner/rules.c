#include "rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ini.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "normalize.h"
#include "regex_literal.h"

/* Debian's libinih reads lines of at most 199 bytes and splits longer ones
 * silently, which would turn the tail of a long pattern into a bogus key:
 * such lines are refused up front with a message saying so. */
#define RULES_MAX_LINE 199

/* A rule with no max_words applies to blocks of any length. */
#define RULES_NO_WORD_LIMIT ((size_t)-1)

typedef struct rule {
    char          *name;
    cl_rule_target target;
    cl_rule_action action;
    size_t         max_words;
    char          *site;
    pcre2_code   **patterns;
    char         **sources;    /* each pattern as regex source, for prefilters */
    unsigned char *classes;    /* each pattern's prefilter class, or PF_NONE */
    cl_literal_set *required;  /* literals one of which each match contains */
    size_t         npatterns;
} rule;

/*
 * Most blocks match no rule, and trying each of a hundred patterns on each
 * block cost more than parsing.  Patterns anchored at the start of a block
 * (most text rules) are also compiled into anchored alternations, tried
 * first: when the one for the block's length fails, none of them is tried.
 * There is one alternation per word limit (PF_MAX_BUCKETS at most): bucket
 * j holds the patterns of rules allowing at least anchored_from[j] words, so
 * a long paragraph is not tried against the 14-word dateline patterns.
 * Attr patterns, matched on short class names, get one alternation too.
 * Floating text patterns stay separate: PCRE2 scans for each one's first
 * character far faster than an alternation tries every branch at every
 * position (measured: 3x slower).  A class whose patterns cannot be
 * combined faithfully (numbered back-references would change meaning) has
 * no filter.
 */
/* PF_NONE: a pattern in no prefilter; PF_TRY_ALL: rule_search skips none. */
enum { PF_TEXT_ANCHORED, PF_ATTR, PF_NONE, PF_TRY_ALL };

#define PF_MAX_BUCKETS 8

typedef struct prefilter {
    pcre2_code *code;      /* NULL: see `empty` */
    int         empty;     /* no pattern in the class: nothing can match */
} prefilter;

struct cl_rules {
    rule             *items;
    size_t            n, cap;
    prefilter         attr_filter;
    prefilter         anchored[PF_MAX_BUCKETS];
    size_t            anchored_from[PF_MAX_BUCKETS];  /* ascending, [0] = 0 */
    int               nanchored;
    pcre2_match_data *scratch;  /* reused by every match: see rules.h */
    uint32_t          ovector_pairs;
};

static void rule_clear(rule *r)
{
    free(r->name);
    free(r->site);
    for (size_t i = 0; i < r->npatterns; i++) {
        pcre2_code_free(r->patterns[i]);
        free(r->sources[i]);
    }
    free(r->patterns);
    free(r->sources);
    free(r->classes);
    free(r->required);
    memset(r, 0, sizeof *r);
}

cl_rules *cl_rules_new(void)
{
    cl_rules *rules = calloc(1, sizeof(cl_rules));
    if (rules)
        rules->attr_filter.empty = 1;  /* nothing loaded: nothing matches */
    return rules;
}

void cl_rules_free(cl_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n; i++)
        rule_clear(&rules->items[i]);
    free(rules->items);
    pcre2_code_free(rules->attr_filter.code);
    for (int j = 0; j < PF_MAX_BUCKETS; j++)
        pcre2_code_free(rules->anchored[j].code);
    pcre2_match_data_free(rules->scratch);
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
 * (measured).  One with an upper-case letter outside an escape ("\\S",
 * "\\p{Lu}") gets it, so patterns match as their authors expect either way.
 */
static int has_upper_case(const char *pat, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)pat[i];
        if (c == '\\') {
            if (i + 2 < len && (pat[i + 1] == 'p' || pat[i + 1] == 'P') && pat[i + 2] == '{')
                while (i < len && pat[i] != '}')
                    i++;
            else
                i++;
            continue;
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 0xC3 && c <= 0xF4))
            return 1;  /* non-ASCII: no cheap test; stay on the safe side */
    }
    return 0;
}

/* A pattern's text as a regex: a literal is quoted with \Q...\E, any "\E" in
 * it closed and reopened around an escaped one.  malloc'd; NULL on oom. */
static char *pattern_source(const char *pat, size_t len, int literal)
{
    cl_buf b = CL_BUF_INIT;
    if (!literal) {
        cl_buf_append(&b, pat, len);
        return cl_buf_detach(&b);
    }
    cl_buf_append_str(&b, "\\Q");
    for (size_t i = 0; i < len; i++) {
        if (pat[i] == '\\' && i + 1 < len && pat[i + 1] == 'E') {
            cl_buf_append_str(&b, "\\E\\\\E\\Q");
            i++;
        } else {
            cl_buf_append_char(&b, pat[i]);
        }
    }
    cl_buf_append_str(&b, "\\E");
    return cl_buf_detach(&b);
}

/* Shortest literal worth a look before the match: "(@" already rules out
 * nearly every block for the tweet trailer. */
#define REQUIRED_LITERAL_MIN 2

/*
 * Literals one of which every match of the pattern contains
 * (regex_literal.h); none for a caseless pattern, whose matches need not
 * have the pattern's bytes.
 */
static void required_literals(const pcre2_code *re, const char *pat, size_t patlen,
                              int literal, cl_literal_set *set)
{
    uint32_t opts = 0;
    pcre2_pattern_info(re, PCRE2_INFO_ARGOPTIONS, &opts);
    set->n = 0;
    if (opts & PCRE2_CASELESS)
        return;
    if (!literal) {
        cl_regex_required_literals(pat, patlen, REQUIRED_LITERAL_MIN, set);
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

/* Stores a compiled pattern and its source; 1, or 0 through loader_fail. */
static int rule_keep_pattern(loader *ld, rule *r, pcre2_code *re, const char *pat,
                             size_t patlen, int literal)
{
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  /* falls back to the interpreter */
    char *source = pattern_source(pat, patlen, literal);
    pcre2_code **p = source ? realloc(r->patterns, (r->npatterns + 1) * sizeof *p) : NULL;
    if (p)
        r->patterns = p;
    char **q = p ? realloc(r->sources, (r->npatterns + 1) * sizeof *q) : NULL;
    if (q)
        r->sources = q;
    cl_literal_set *l = q ? realloc(r->required, (r->npatterns + 1) * sizeof *l) : NULL;
    if (l)
        r->required = l;
    unsigned char *c = l ? realloc(r->classes, r->npatterns + 1) : NULL;
    if (!c) {
        pcre2_code_free(re);
        free(source);
        return loader_fail(ld, "out of memory");
    }
    r->classes = c;
    r->patterns[r->npatterns] = re;
    r->sources[r->npatterns] = source;
    required_literals(re, pat, patlen, literal, &r->required[r->npatterns]);
    r->classes[r->npatterns++] = PF_NONE;  /* set by rule_classify_patterns */
    return 1;
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
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, patlen, opts, &code, &offset, NULL);
    if (!re) {
        cl_buf_free(&norm);
        char msg[120];
        pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
        return loader_fail(ld, "bad regular expression at offset %zu: %s", (size_t)offset, msg);
    }
    int rc = rule_keep_pattern(ld, r, re, pat, patlen, literal);
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
                if (pcre2_substring_number_from_name(r->patterns[k],
                                                     (PCRE2_SPTR) "author") < 0)
                    return cl_fail(ld->err, "%s: rule [%s]: a byline regex needs a group (?<author>...)",
                                   ld->source, r->name);
        }
    }
    return 0;
}

/* Compiles class k's alternation; leaves code NULL when it cannot stand in
 * faithfully for the patterns.  -1 only on allocation failure. */
/* Compiles into pf the alternation of the class-k patterns of rules allowing
 * at least min_words words. */
static int build_prefilter(cl_rules *rules, prefilter *pf, int k, size_t min_words)
{
    pcre2_code_free(pf->code);
    pf->code = NULL;
    pf->empty = 1;
    cl_buf alt = CL_BUF_INIT;
    int faithful = 1;
    uint32_t caseless = 0;
    for (size_t i = 0; i < rules->n; i++) {
        const rule *r = &rules->items[i];
        for (size_t p = 0; p < r->npatterns; p++) {
            if (r->classes[p] != k || r->max_words < min_words)
                continue;
            uint32_t backrefs = 0, opts = 0;
            pcre2_pattern_info(r->patterns[p], PCRE2_INFO_BACKREFMAX, &backrefs);
            pcre2_pattern_info(r->patterns[p], PCRE2_INFO_ARGOPTIONS, &opts);
            faithful &= backrefs == 0;
            caseless |= opts & PCRE2_CASELESS;
            cl_buf_append_str(&alt, pf->empty ? "(?:" : "|(?:");
            cl_buf_append_str(&alt, r->sources[p]);
            cl_buf_append_str(&alt, ")");
            pf->empty = 0;
        }
    }
    if (alt.oom) {
        cl_buf_free(&alt);
        return -1;
    }
    if (!pf->empty && faithful) {
        int code;
        PCRE2_SIZE offset;
        /* Anchored at compile time: the JIT ignores PCRE2_ANCHORED given
         * at match time and would fall back to the interpreter. */
        uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_DUPNAMES | caseless |
                        (k == PF_TEXT_ANCHORED ? PCRE2_ANCHORED : 0);
        pf->code = pcre2_compile((PCRE2_SPTR)alt.data, alt.len, opts, &code, &offset, NULL);
        if (pf->code)
            pcre2_jit_compile(pf->code, PCRE2_JIT_COMPLETE);
    }
    cl_buf_free(&alt);
    return 0;
}

/* Which prefilter each pattern belongs to: attr patterns to PF_ATTR, text
 * drop/byline/end patterns anchored at the start to PF_TEXT_ANCHORED. */
static void classify_patterns(cl_rules *rules)
{
    for (size_t i = 0; i < rules->n; i++) {
        rule *r = &rules->items[i];
        for (size_t p = 0; p < r->npatterns; p++) {
            uint32_t opts = 0;
            pcre2_pattern_info(r->patterns[p], PCRE2_INFO_ALLOPTIONS, &opts);
            if (r->target == CL_TARGET_ATTR)
                r->classes[p] = PF_ATTR;
            else if (r->action != CL_RULE_STRIP && (opts & PCRE2_ANCHORED))
                r->classes[p] = PF_TEXT_ANCHORED;
            else
                r->classes[p] = PF_NONE;
        }
    }
}

/* The word limits that start anchored buckets: 0, then one past each
 * distinct max_words of a rule with anchored patterns, ascending, as many
 * as fit.  Blocks longer than the last limit use the last bucket, which
 * still holds every rule they may match. */
static void plan_anchored_buckets(cl_rules *rules)
{
    rules->anchored_from[0] = 0;
    rules->nanchored = 1;
    for (;;) {
        size_t last = rules->anchored_from[rules->nanchored - 1], next = RULES_NO_WORD_LIMIT;
        for (size_t i = 0; i < rules->n; i++) {
            const rule *r = &rules->items[i];
            for (size_t p = 0; p < r->npatterns; p++)
                if (r->classes[p] == PF_TEXT_ANCHORED && r->max_words + 1 > last &&
                    r->max_words < next)
                    next = r->max_words;
        }
        if (next == RULES_NO_WORD_LIMIT || rules->nanchored == PF_MAX_BUCKETS)
            return;
        rules->anchored_from[rules->nanchored++] = next + 1;
    }
}

/* Back to "no filter": every pattern is tried. */
static void drop_prefilters(cl_rules *rules)
{
    for (int j = 0; j < PF_MAX_BUCKETS; j++) {
        pcre2_code_free(rules->anchored[j].code);
        rules->anchored[j].code = NULL;
    }
    rules->nanchored = 0;
    pcre2_code_free(rules->attr_filter.code);
    rules->attr_filter.code = NULL;
    rules->attr_filter.empty = 0;
    for (size_t i = 0; i < rules->n; i++)
        memset(rules->items[i].classes, PF_NONE, rules->items[i].npatterns);
}

int cl_rules_prepare(cl_rules *rules)
{
    if (!rules)
        return 0;
    drop_prefilters(rules);
    classify_patterns(rules);
    plan_anchored_buckets(rules);
    for (int j = 0; j < rules->nanchored; j++) {
        if (build_prefilter(rules, &rules->anchored[j], PF_TEXT_ANCHORED,
                            rules->anchored_from[j]) < 0) {
            drop_prefilters(rules);
            return -1;
        }
    }
    if (build_prefilter(rules, &rules->attr_filter, PF_ATTR, 0) < 0) {
        drop_prefilters(rules);
        return -1;
    }
    return 0;
}

/* The anchored bucket for a block of `words` words: the last one whose
 * limit it reaches. */
static const prefilter *anchored_bucket(const cl_rules *rules, size_t words)
{
    int j = 0;
    while (j + 1 < rules->nanchored && rules->anchored_from[j + 1] <= words)
        j++;
    return &rules->anchored[j];
}

/* 0 when no pattern behind pf can match s; 1 when one may. */
static int prefilter_may_match(const cl_rules *rules, const prefilter *pf, const char *s,
                               size_t len)
{
    if (pf->empty)
        return 0;
    if (!pf->code)
        return 1;
    return pcre2_match(pf->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK,
                       rules->scratch, NULL) >= 0;
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
    drop_prefilters(rules);
    uint32_t pairs = rules->ovector_pairs;
    for (size_t i = 0; i < rules->n; i++)
        for (size_t k = 0; k < rules->items[i].npatterns; k++) {
            uint32_t c;
            pcre2_pattern_info(rules->items[i].patterns[k], PCRE2_INFO_CAPTURECOUNT, &c);
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
    loader ld = { .source = source, .err = err };
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

/* 1 and the match's span when `re` matches s at or after `from`.  A text
 * with none of the pattern's required literals cannot match: memchr() and
 * memcmp() say so far faster than PCRE2. */
static int pattern_search(const cl_rules *rules, const pcre2_code *re,
                          const cl_literal_set *required, const char *s, size_t len,
                          size_t from, size_t *start, size_t *end)
{
    if (!cl_literal_set_in(required, s + from, len - from))
        return 0;
    if (pcre2_match(re, (PCRE2_SPTR)s, len, from, PCRE2_NO_UTF_CHECK, rules->scratch,
                    NULL) < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rules->scratch);
    *start = ov[0];
    *end = ov[1];
    return 1;
}

/* 1 and a match's span when any pattern of r matches; patterns of a class
 * the prefilter ruled out (`skip`) are not tried. */
static int rule_search(const cl_rules *rules, const rule *r, const char *s,
                       size_t len, int skip, size_t *start, size_t *end)
{
    for (size_t k = 0; k < r->npatterns; k++)
        if (r->classes[k] != skip &&
            pattern_search(rules, r->patterns[k], &r->required[k], s, len, 0, start, end))
            return 1;
    return 0;
}

static void author_span(const cl_rules *rules, const rule *r, const char *s,
                        size_t len, cl_rule_match *m)
{
    m->group_start = m->group_end = 0;
    for (size_t k = 0; k < r->npatterns; k++) {
        if (pcre2_match(r->patterns[k], (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK,
                        rules->scratch, NULL) < 0)
            continue;
        int g = pcre2_substring_number_from_name(r->patterns[k], (PCRE2_SPTR) "author");
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rules->scratch);
        if (g > 0 && ov[2 * g] != PCRE2_UNSET) {
            m->group_start = ov[2 * g];
            m->group_end = ov[2 * g + 1];
        }
        return;
    }
}

/* The rule's part of a match; the span is set by the search. */
static void fill_match(cl_rule_match *m, const rule *r)
{
    m->name = r->name;
    m->action = r->action;
    m->group_start = m->group_end = 0;
}

int cl_rules_match_text(const cl_rules *rules, const char *norm, size_t len,
                        size_t words, const char *site, const char *url,
                        cl_rule_match *m)
{
    if (!rules)
        return 0;
    int skip = PF_TRY_ALL;
    if (rules->nanchored && !prefilter_may_match(rules, anchored_bucket(rules, words), norm, len))
        skip = PF_TEXT_ANCHORED;
    for (size_t i = 0; i < rules->n; i++) {
        const rule *r = &rules->items[i];
        if (r->target != CL_TARGET_TEXT || r->action == CL_RULE_STRIP ||
            words > r->max_words || !rule_applies_to_site(r, site, url))
            continue;
        if (!rule_search(rules, r, norm, len, skip, &m->start, &m->end))
            continue;
        fill_match(m, r);
        if (r->action == CL_RULE_BYLINE)
            author_span(rules, r, norm, len, m);
        return 1;
    }
    return 0;
}

int cl_rules_match_attr(const cl_rules *rules, const char *value, size_t len,
                        const char *site, const char *url, cl_rule_match *m)
{
    if (!rules || !prefilter_may_match(rules, &rules->attr_filter, value, len))
        return 0;
    for (size_t i = 0; i < rules->n; i++) {
        const rule *r = &rules->items[i];
        if (r->target != CL_TARGET_ATTR || !rule_applies_to_site(r, site, url))
            continue;
        if (!rule_search(rules, r, value, len, PF_TRY_ALL, &m->start, &m->end))
            continue;
        fill_match(m, r);
        return 1;
    }
    return 0;
}

/* ---- applying to a document -------------------------------------------- */

/* Work buffers for one cl_rules_apply() call, freed together. */
typedef struct apply_ctx {
    const cl_rules *rules;
    cl_doc         *doc;
    cl_buf          norm, map, text;
    int             mapped;   /* `map` matches `norm` */
} apply_ctx;

/* The offset map costs more than the normalising itself; it is built only
 * for the few blocks a rule matched. */
static int normalise_block(apply_ctx *ax, const cl_block *b, int with_map)
{
    cl_buf_clear(&ax->norm);
    cl_buf_clear(&ax->map);
    ax->mapped = with_map;
    return cl_normalize(b->text, b->len, &ax->norm, with_map ? &ax->map : NULL);
}

static int ensure_map(apply_ctx *ax, const cl_block *b)
{
    return ax->mapped ? 0 : normalise_block(ax, b, 1);
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

/* Marks in `*cut` (allocated on the first match) every span `re` matches. */
static int mark_pattern_spans(apply_ctx *ax, const cl_block *b, const pcre2_code *re,
                              const cl_literal_set *required, unsigned char **cut)
{
    size_t from = 0, a, e;
    while (from < ax->norm.len &&
           pattern_search(ax->rules, re, required, ax->norm.data, ax->norm.len, from, &a, &e)) {
        if (!*cut && (ensure_map(ax, b) < 0 || !(*cut = calloc(b->len, 1))))
            return -1;
        size_t sa = cl_normalize_map_at(&ax->map, a), se = cl_normalize_map_at(&ax->map, e);
        memset(*cut + sa, 1, se - sa);
        from = e > a ? e : next_char(ax->norm.data, ax->norm.len, a);
    }
    return 0;
}

/*
 * Removes every span any strip pattern matches, mapped back to the block's
 * own text.  Spans are merged by marking, for each byte of the source,
 * whether it is cut; blocks are short, so a byte mask is the simplest
 * correct merge of overlapping spans from different patterns.
 */
static int strip_block(apply_ctx *ax, size_t bi)
{
    cl_block *b = &ax->doc->blocks[bi];
    unsigned char *cut = NULL;
    for (size_t i = 0; i < ax->rules->n; i++) {
        const rule *r = &ax->rules->items[i];
        if (r->target != CL_TARGET_TEXT || r->action != CL_RULE_STRIP ||
            !rule_applies_to_site(r, ax->doc->meta[CL_META_SITE], ax->doc->meta[CL_META_URL]))
            continue;
        for (size_t k = 0; k < r->npatterns; k++) {
            if (mark_pattern_spans(ax, b, r->patterns[k], &r->required[k], &cut) < 0) {
                free(cut);
                return -1;
            }
        }
    }
    if (!cut)
        return 0;
    cl_buf_clear(&ax->text);
    for (size_t i = 0; i < b->len; i++)
        if (!cut[i])
            cl_buf_append_collapsed(&ax->text, b->text + i, 1);
    free(cut);
    cl_buf_rtrim(&ax->text);
    if (ax->text.oom)
        return -1;
    if (ax->text.len == 0) {
        cl_block_decide(b, CL_DROP, "rule: stripped to nothing");
        return 0;
    }
    size_t link_len = b->link_len < ax->text.len ? b->link_len : ax->text.len;
    if (cl_doc_set_block_text(ax->doc, bi, ax->text.data, ax->text.len, link_len) < 0)
        return -1;
    return normalise_block(ax, &ax->doc->blocks[bi], 0);
}

/* The author a byline names, from the block's own text (not the lower-cased
 * form).  Names start with a capital: "By the end of May, ..." is no byline. */
static int byline_author(apply_ctx *ax, const cl_block *b, const cl_rule_match *m,
                         const char **author, size_t *len)
{
    if (m->group_end <= m->group_start || ensure_map(ax, b) < 0)
        return 0;
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

static int apply_to_block(apply_ctx *ax, size_t bi)
{
    if (normalise_block(ax, &ax->doc->blocks[bi], 0) < 0 || strip_block(ax, bi) < 0)
        return -1;
    cl_block *b = &ax->doc->blocks[bi];
    if (b->decision == CL_DROP)
        return 0;
    cl_rule_match m;
    if (!cl_rules_match_text(ax->rules, ax->norm.data, ax->norm.len, b->words,
                             ax->doc->meta[CL_META_SITE], ax->doc->meta[CL_META_URL], &m))
        return 0;
    char reason[CL_REASON_MAX];
    if (m.action == CL_RULE_BYLINE) {
        const char *author;
        size_t alen;
        if (!byline_author(ax, b, &m, &author, &alen))
            return 0;
        if (cl_doc_set_meta(ax->doc, CL_META_AUTHOR, author, alen, 0) < 0)
            return -1;
    }
    if (m.action == CL_RULE_END)
        b->flags |= CL_BLOCK_ENDS_ARTICLE;
    snprintf(reason, sizeof reason, "rule %s", m.name);
    cl_block_decide(b, CL_DROP, reason);
    return 0;
}

int cl_rules_apply(const cl_rules *rules, cl_doc *doc)
{
    if (!rules || !rules->n)
        return 0;
    apply_ctx ax = { .rules = rules, .doc = doc };
    int rc = 0;
    for (size_t i = 0; i < doc->nblocks && rc == 0; i++) {
        cl_block *b = &doc->blocks[i];
        if (b->decision == CL_KEEP && b->kind != CL_BLOCK_CODE)
            rc = apply_to_block(&ax, i);
    }
    cl_buf_free(&ax.norm);
    cl_buf_free(&ax.map);
    cl_buf_free(&ax.text);
    return rc;
}
