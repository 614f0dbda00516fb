/*
 * regex_probe.h - short texts on which a regex that backtracks
 * catastrophically shows it.
 *
 * A backtracking matcher (PCRE2's) fails on "xxxx...x!y" with `(x+x+)+y`
 * only after trying every way to share the run of x between the two
 * repeats and the outer one: 2^n ways for n x's.  `(a|aa)+b`,
 * `^by (\w+\s?)*$` and `(.*a){12}` do the like.  Such a text has three
 * parts: a prefix that brings the match to a repeat, a run that the repeat
 * can match in more than one way ("pumped"), and a tail on which the rest
 * of the pattern fails, so that every way is tried.
 *
 * The reader walks the pattern once.  Every item that may repeat ('*',
 * '+', "{n,}", "{n,m}" with m > 1, a group as much as a character, inside
 * lookarounds too) is a site; for each it keeps
 *   - two prefixes, texts the items before it match: each item its
 *     plainest way (the first alternative of a group, an optional item
 *     left out, a repeat its least number of times), and each optional
 *     item once, where a \b after a word character gets a non-word
 *     character ("\bfollow\b.*(x+x+)+y" needs "follow " before the run);
 *   - two pumps, one repeat of the item: its plainest match ("a" for
 *     `(\w+\s?)`) and its fullest (each optional part once, and every
 *     alternative of a group in turn: "a1" for `(\w|\d)`, "aaa" for
 *     `(a|aa)`, "abab" for `(ab|a|b)`), which is where alternatives that
 *     overlap show.
 * A class, escape or '.' stands for the first of 'a', '1', ' ', '.', '-',
 * '#', '$' it takes (a negated class: that it leaves), so that classes
 * that overlap pick the same character; else for its first member.
 * What a lookbehind at the pattern's start needs (" " for `(?<=\s)`) goes
 * before the probe, which is then matched after it.
 *
 * A probe is a prefix, a pump repeated until the text is CL_PROBE_RUN
 * bytes long, then a tail: a character the pattern does not hold (so that
 * no literal takes it), either alone or after two spaces (for repeats
 * that an optional space ends), then `required`, which the caller takes
 * from PCRE2 (its last required character: without it in the text PCRE2
 * would not try the pattern at all).  Identical probes are given once.
 *
 * Cost: linear in the pattern; at most CL_PROBE_MAX probes of at most
 * CL_PROBE_MAX_LEN bytes, whatever the pattern.
 *
 * What it misses (a probe only ever shows what a pattern really costs on
 * it; these cost more on texts it does not build): back-references,
 * recursion and conditions stand for nothing; inline options such as (?x)
 * are ignored; a lookbehind other than at the start is not met; a prefix
 * past CL_PROBE_RUN bytes, or a repeat after the first 24, gives no
 * probe; an ambiguity that needs another pump (a character of a class
 * other than its stand-in, a sequence of alternatives other than all of
 * them in turn), or a run of one length only (`(a?){20}a{20}` blows up on
 * 20 to 40 a's, not on 64), goes unseen.
 */
#ifndef CLEANER_REGEX_PROBE_H
#define CLEANER_REGEX_PROBE_H

#include <stddef.h>

/* The prefix and the pumped run fill a probe to this many bytes: enough
 * for 2^32 ways to split a run, short enough to cost a good pattern a
 * microsecond or two. */
#define CL_PROBE_RUN 64

/* Longest probe: a prefix of up to CL_PROBE_RUN bytes, a pumped run of
 * CL_PROBE_RUN / 2 bytes or more, two spaces and a tail.  A site whose
 * prefix would be longer gives no probe. */
#define CL_PROBE_MAX_LEN 160

/* Probes of one pattern, at most: bounds the time a pattern of 199 bytes
 * with dozens of repeats takes to screen. */
#define CL_PROBE_MAX 48

/*
 * Calls each(text, len, start, user) for every probe of pattern[0..len),
 * a regex as PCRE2 reads it with PCRE2_UTF: the match is to be tried at
 * `start` only (PCRE2_ANCHORED), which is 0 unless the pattern starts with
 * a lookbehind, whose text then comes first.  `required` (NUL-terminated,
 * at most 4 bytes, may be "") ends every tail.  Stops at the first call
 * that returns nonzero and returns what it returned; 0 when every probe
 * was given.
 */
int cl_regex_probes(const char *pattern, size_t len, const char *required,
                    int (*each)(const char *text, size_t len, size_t start, void *user),
                    void *user);

#endif
