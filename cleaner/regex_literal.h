/*
 * regex_literal.h - literals one of which every match of a regex contains.
 *
 * Most text blocks match none of the rule patterns, and PCRE2 spends
 * hundreds of instructions a block on each pattern to say so.
 * "\bcontains copyrighted material\b" cannot match a block without
 * "contains copyrighted material", nor "(pic\.twitter\.com|https?://t\.co)/"
 * one with neither "pic.twitter.com/" nor "://t.co/": one scan for all such
 * literals (rules.c) rules most patterns out.
 *
 * The reader follows literal characters, escaped punctuation, groups and
 * their alternatives, and quantifiers; classes, escapes such as \b or \s and
 * lookarounds end a run of literal characters.  A group of plain-text
 * alternatives joins the run it stands in: "this (story|post) was" gives
 * "this story was" and "this post was", each far rarer than "this ".
 * Anything it does not know for sure (\Q, \x, back-references, inline
 * options, verbs, conditionals, a brace that is not a quantifier) gives no
 * literal: the filter only ever errs towards trying the pattern.  The
 * literals hold for a pattern compiled without PCRE2_CASELESS,
 * PCRE2_EXTENDED and PCRE2_LITERAL.
 */
#ifndef CLEANER_REGEX_LITERAL_H
#define CLEANER_REGEX_LITERAL_H

#include <stddef.h>

/* Bounds that keep the sets small and the reader linear: a group with more
 * alternatives, or nesting deeper, simply gives no literal. */
#define CL_LITERAL_MAX_ALTS 32
#define CL_LITERAL_MAX_LEN 63
#define CL_LITERAL_MAX_DEPTH 16

typedef struct cl_literal {
    char          text[CL_LITERAL_MAX_LEN + 1];
    unsigned char len;
} cl_literal;

/* No bound is known: a '*', '+' or "{n,}" may come first. */
#define CL_LEAD_UNBOUNDED ((size_t)-1)

/* Every match contains at least one member; n == 0: nothing is known.
 * A match holds at most `lead` bytes before that member, so a search may
 * start `lead` bytes before the first place a member occurs. */
typedef struct cl_literal_set {
    cl_literal alt[CL_LITERAL_MAX_ALTS];
    int        n;
    size_t     lead;
} cl_literal_set;

/*
 * Fills *set with literals of at least min_len bytes one of which every
 * match of pattern[0..len) contains; returns set->n (0: none known).  Of
 * the sets a pattern requires ("(@" and a month name, say), the one whose
 * literals are expected to occur least often in English prose is given.
 */
int cl_regex_required_literals(const char *pattern, size_t len, size_t min_len,
                               cl_literal_set *set);

/*
 * For a pattern anchored with a leading '^' (and no top-level '|'): fills
 * *set with literals of at least min_len bytes one of which every match
 * starts with, at the start of the subject.  Returns set->n (0: none known,
 * or the pattern is not anchored so).  "^(read|see) more" gives {read, see};
 * "^(the )?original" gives none.
 */
int cl_regex_prefix_literals(const char *pattern, size_t len, size_t min_len,
                             cl_literal_set *set);

#endif
