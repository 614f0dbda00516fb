/*
 * rules.h - data-driven chrome rules.
 *
 * Rules come from INI text (files under config/rules/, read by the caller and
 * handed over as buffers), one section per rule:
 *
 *   [share-prompt]                 ; the rule's name, shown by --explain
 *   target    = text               ; text: a block's normalised text (default)
 *                                  ; attr: an HTML element's class/id/role
 *   phrase    = follow us on       ; a literal, matched anywhere
 *   regex     = ^share (this|on)\b ; a PCRE2 pattern; both keys repeatable
 *   action    = drop               ; drop the block | strip the matched span |
 *                                  ; byline: drop, and the named group
 *                                  ; (?<author>...) becomes the author |
 *                                  ; end: the article ends here (a comments
 *                                  ; or related-links heading): the block and
 *                                  ; all after it go, once body came before
 *   max_words = 40                 ; only blocks of at most this many words
 *   site      = example.com        ; only documents whose URL host or site
 *                                  ; name ends with this (case-insensitive)
 *
 * Lines are at most 199 bytes (libinih's limit); a rule may repeat
 * `regex` instead.  Text patterns see the normalised form (normalize.h): lower case, straight
 * quotes, '-' for every dash, single spaces.  Every pattern is compiled at
 * load (on its first use instead when the index cache vouches for it,
 * below), and JIT-compiled on its first use (a block whose literals say it
 * may match) when the JIT is available.  A loaded cl_rules may be shared
 * by any number of documents, one match at a time: matching writes its
 * match data, scan scratch and the patterns it compiles on first use, so
 * it is not safe from two threads at once.  fork()ed workers each get
 * their own copy of all three, and compile the patterns they use once
 * each; a parent that never matches compiles none.
 *
 * Cost: a regex that backtracks catastrophically (`(x+x+)+y`, `(a|aa)+b`)
 * is refused by cl_rules_load(), which tries each on short probes built
 * from it (regex_probe.h; 6 to 8 us a pattern).  Every search also runs
 * under PCRE2 match, depth and heap limits (rules.c), so a pattern the
 * probes miss, or one that only needs more on a long block, gives up
 * within a fraction of a millisecond per place in the text it is tried
 * at, instead of holding a worker for its whole CPU limit.  A search that
 * gives up counts as no match; the block says so to --explain
 * (cl_rules_apply) and a cl_rule_match names the rule.
 *
 * Ownership: cl_rules_new() returns an object the caller frees with
 * cl_rules_free(); names returned in a cl_rule_match are borrowed from it.
 */
#ifndef CLEANER_RULES_H
#define CLEANER_RULES_H

#include <stddef.h>
#include "buf.h"
#include "doc.h"
#include "error.h"

typedef struct cl_rules cl_rules;

typedef enum cl_rule_action {
    CL_RULE_DROP = 0,
    CL_RULE_STRIP,
    CL_RULE_BYLINE,
    CL_RULE_END,
} cl_rule_action;

typedef enum cl_rule_target {
    CL_TARGET_TEXT = 0,
    CL_TARGET_ATTR,
} cl_rule_target;

typedef struct cl_rule_match {
    const char    *name;        /* borrowed from the cl_rules */
    cl_rule_action action;
    size_t         start, end;  /* matched span in the normalised text */
    size_t         group_start, group_end; /* (?<author>...), or 0,0 */
    const char    *limited;     /* the first rule whose search gave up at a
                                   limit and counted as no match, or NULL;
                                   set whether a rule matched or not */
} cl_rule_match;

cl_rules *cl_rules_new(void);
void      cl_rules_free(cl_rules *rules);

/*
 * With `on` 0, patterns run on PCRE2's interpreter instead of its JIT, as
 * they do under the systemd unit (its MemoryDenyWriteExecute makes JIT
 * compilation fail, and PCRE2 then interprets): for tests, which compare
 * the two.  While it is off no pattern is JIT-compiled, and those already
 * compiled are interpreted.
 */
void      cl_rules_set_jit(cl_rules *rules, int on);

/*
 * Parses rules from `text` and adds them.  `source` names the text in error
 * messages ("config/rules/share.rules").  On error nothing from this text is
 * added and err says "SOURCE:LINE: cause" (unknown key, bad action, a regular
 * expression that does not compile with its offset, a rule with no pattern,
 * a regex that backtracks catastrophically: "SOURCE:LINE: rule [NAME]: regex
 * '...' backtracks catastrophically: it needs more than N steps on a
 * K-byte text; rewrite it without nested or overlapping repeats").
 */
int    cl_rules_load(cl_rules *rules, const char *source, const char *text,
                     size_t len, cl_error *err);

size_t cl_rules_count(const cl_rules *rules);

/*
 * Compiles the index that lets one scan of a block rule out most patterns
 * (a Hyperscan database per target, see rules.c), once the last file is
 * loaded: cl_cleaner_new() calls it, and a second call with nothing loaded
 * since keeps the index.  Databases the cache offered (cl_rules_use_cache)
 * are taken from it instead of compiled.  Matching gives the same results
 * without it, only slower; loading more rules afterwards drops it until the
 * next call.  0, or -1 on allocation failure (the rules then stay usable,
 * unindexed).
 */
int    cl_rules_prepare(cl_rules *rules);

/*
 * The index cache.  Compiling the index was 77% of the 869 M instructions
 * of a process that cleans one small file, and compiling, screening and
 * reading the literals of the patterns most of the rest of loading the
 * rules; with the cache, loading and preparing the shipped rules takes
 * 16 M.  The library does no I/O: the caller keeps the bytes
 * (daemon/rules_cache.h).
 *
 * The bytes (records.h) hold each database under the exact list of
 * literals and match ids it was compiled from, and, with the id of the
 * build that wrote them (build_id.h), every pattern that loaded (so
 * compiled, and a regex passed the backtracking screen) under its exact
 * text and compile options, with its capture count, author group and
 * required literals.  Their header names the versions of this library,
 * Hyperscan and PCRE2, the host platform as Hyperscan tunes for it and the
 * compile mode.  A database is adopted only when the rules now need one
 * from the very same literals; a pattern skips compiling and the screen
 * only when listed with the very same text and options by this very
 * build.  So a cache made from other rules, by another build or on another
 * machine is harmless: what it does not match is compiled and screened as
 * without it, and results are the same either way.  Bytes that are
 * truncated, corrupted (their digest) or of another header are refused
 * whole.  The digest catches accidents, not a forger: the bytes are
 * trusted as much as whoever can write them (a forged pattern record could
 * spare a regex the screen), so the cache lives in a folder only the
 * daemon's user writes.
 */

/* Offers bytes an earlier cl_rules_save_cache() made, before the rules are
 * loaded (their patterns are taken from it too).  Takes the buffer (it is
 * left empty; a megabyte is not copied) and keeps it until
 * cl_rules_prepare() succeeds.  1 when usable, 0 when refused (freed:
 * everything is compiled and screened as without it). */
int    cl_rules_use_cache(cl_rules *rules, cl_buf *bytes);

/* Appends the prepared index and the loaded patterns to out, for a later
 * cl_rules_use_cache().  0, or -1 when not prepared or out of
 * memory (out is then unusable). */
int    cl_rules_save_cache(const cl_rules *rules, cl_buf *out);

/* What the cache spared (counted over every load and prepare); a cache
 * worth saving again is one with anything compiled. */
typedef struct cl_rules_cache_stats {
    size_t db_adopted;      /* databases taken from the cache */
    size_t db_compiled;     /* databases compiled */
    size_t patterns_vouched;   /* taken as the cache describes them */
    size_t patterns_compiled;  /* compiled (and a regex screened) at load */
} cl_rules_cache_stats;

cl_rules_cache_stats cl_rules_cache_use(const cl_rules *rules);

/* Patterns the index does not hold, tried on every block: all of them
 * before cl_rules_prepare(), afterwards only those Hyperscan refuses even
 * as a prefilter. */
size_t cl_rules_unindexed(const cl_rules *rules);

/*
 * First drop, byline or end rule, in load order, that matches the normalised
 * block text; `words` is the block's word count, `site` and `url` the
 * document's (either may be NULL: site-scoped rules then need the other).
 * Strip rules are applied by cl_rules_apply() only.  Returns 1 and fills m
 * when one matches, else 0.  Not safe to call from two threads at once on
 * the same cl_rules (it reuses one match buffer and one scan scratch).
 */
int cl_rules_match_text(const cl_rules *rules, const char *norm, size_t len,
                        size_t words, const char *site, const char *url,
                        cl_rule_match *m);

/*
 * First rule with target attr matching a lower-cased class, id or role value.
 * Returns 1 and fills m when one matches, else 0.
 */
int cl_rules_match_attr(const cl_rules *rules, const char *value, size_t len,
                        const char *site, const char *url, cl_rule_match *m);

/*
 * Applies the text rules to every block still kept: strip rules remove their
 * spans (a block stripped to nothing is dropped), then the first drop,
 * byline or end rule drops the block; a byline sets the author when none is
 * known; an end rule also flags the block CL_BLOCK_ENDS_ARTICLE, which the
 * classifier acts on (it knows where the body is).  A block that no rule
 * dropped, though a rule's search on it gave up at a limit, is kept with
 * the reason "rule NAME: gave up (match limit)".
 * Returns -1 only on allocation failure.
 */
int cl_rules_apply(const cl_rules *rules, cl_doc *doc);

#endif
