#include "regex_literal.h"

#include <limits.h>
#include <string.h>

typedef struct reader {
    const char *p, *end;
    size_t      min_len;
    int         prefix;  /* what matches start with, not what they contain */
} reader;

/*
 * What a sequence requires while it is read: the literal run in progress
 * and the best set found so far.  A run is a set: after a group whose
 * alternatives are plain text, "this (story|post)" runs as "this story"
 * and "this post", one of which every match holds whole.
 */
typedef struct sequence {
    cl_literal_set run;       /* n == 0: no run in progress */
    int            run_full;  /* cut at CL_LITERAL_MAX_LEN: add nothing more */
    int            exact;     /* the run is the whole sequence so far */
    size_t         width;     /* most bytes the items so far can match */
    cl_literal_set best;
} sequence;

/* Byte counts that saturate at CL_LEAD_UNBOUNDED, for widths and leads. */
#define WIDTH_CAP ((size_t)1 << 24)

static size_t width_add(size_t a, size_t b)
{
    return a >= WIDTH_CAP || b >= WIDTH_CAP || a + b >= WIDTH_CAP ? CL_LEAD_UNBOUNDED : a + b;
}

static size_t width_times(size_t w, unsigned long n)
{
    if (w == 0 || n == 0)
        return 0;
    return w >= WIDTH_CAP || n >= WIDTH_CAP / w ? CL_LEAD_UNBOUNDED : w * (size_t)n;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * How often each byte occurs in normalised English prose, per ten thousand
 * bytes: letters by their usual frequencies, spaces about one byte in six,
 * digits and punctuation seldom.  Only the order of magnitude matters: a
 * set is chosen for how rarely its literals occur, and "(@" must beat the
 * twelve month names, which a longest-literal rule would prefer.
 */
static double byte_frequency(unsigned char c)
{
    static const unsigned short letters[26] = {
        656, 120, 224, 344, 1016, 176, 160, 488, 560, 12, 62, 320, 192,
        536, 600, 152, 8, 480, 504, 728, 224, 78, 192, 12, 160, 6,
    };
    if (c >= 'a' && c <= 'z')
        return letters[c - 'a'];
    if (c == ' ')
        return 1700;
    if (c >= '0' && c <= '9')
        return 30;
    if (c == '.' || c == ',')
        return 100;
    if (c >= 0x80)
        return 20;
    return 5;
}

/*
 * Letters do not follow each other at random, and the product of byte
 * frequencies takes the commonest words for rare strings: "this " came out
 * rarer than "share", and the share prompt went to PCRE2 on 1 474 blocks
 * a MB of the seeds.  A literal that is one of the commonest English words
 * (spaces around it aside) counts as starting at one position in a
 * thousand, as each of these does in prose.
 */
static int is_common_word(const char *s, size_t len)
{
    static const char *const words[] = {
        "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for",
        "on", "are", "with", "as", "be", "at", "this", "from", "or", "by", "not",
        "but", "have", "has", "had", "an", "they", "we", "you", "he", "she",
        "his", "her", "their", "its", "which", "will", "would", "all", "there",
        "been", "were", "more", "one", "about", "who", "said", "if", "can",
    };
    while (len && s[0] == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
            return 1;
    return 0;
}

#define COMMON_WORD_FREQUENCY 0.001

/* The share of text positions at which some member of s starts. */
static double set_frequency(const cl_literal_set *s)
{
    double sum = 0;
    for (int i = 0; i < s->n; i++) {
        double f = 1;
        for (unsigned k = 0; k < s->alt[i].len; k++)
            f *= byte_frequency((unsigned char)s->alt[i].text[k]) / 10000.0;
        if (f < COMMON_WORD_FREQUENCY && is_common_word(s->alt[i].text, s->alt[i].len))
            f = COMMON_WORD_FREQUENCY;
        sum += f;
    }
    return sum;
}

static size_t set_min_len(const cl_literal_set *s)
{
    size_t m = (size_t)-1;
    for (int i = 0; i < s->n; i++)
        if (s->alt[i].len < m)
            m = s->alt[i].len;
    return m;
}

/* Keeps `cand` when its members are expected to occur more rarely. */
static void keep_better(cl_literal_set *best, const cl_literal_set *cand, size_t min_len)
{
    if (cand->n == 0 || set_min_len(cand) < min_len)
        return;
    if (best->n == 0 || set_frequency(cand) < set_frequency(best))
        *best = *cand;
}

static void end_run(sequence *sq, size_t min_len)
{
    keep_better(&sq->best, &sq->run, min_len);
    sq->run.n = 0;
    sq->run_full = 0;
}

static size_t set_max_len(const cl_literal_set *s)
{
    size_t m = 0;
    for (int i = 0; i < s->n; i++)
        if (s->alt[i].len > m)
            m = s->alt[i].len;
    return m;
}

static void add_to_run(sequence *sq, const char *s, size_t n)
{
    if (sq->run.n == 0) {
        sq->run.n = 1;
        sq->run.alt[0].len = 0;
        sq->run.lead = sq->width;
    }
    if (sq->run_full || set_max_len(&sq->run) + n > CL_LITERAL_MAX_LEN) {
        sq->run_full = 1;  /* a prefix of a required run is required too */
        sq->exact = 0;
        return;
    }
    for (int i = 0; i < sq->run.n; i++) {
        cl_literal *l = &sq->run.alt[i];
        memcpy(l->text + l->len, s, n);
        l->len = (unsigned char)(l->len + n);
        l->text[l->len] = '\0';
    }
}

/*
 * A group that matches exactly one of the strings of g joins the run: each
 * member of the run followed by each member of g.  When the product would
 * not fit, the run ends there and g starts the next one.
 */
static void add_group_to_run(sequence *sq, const cl_literal_set *g, size_t min_len)
{
    cl_literal_set product = { .n = 0 };
    if (sq->run.n == 0 || sq->run_full || sq->run.n * g->n > CL_LITERAL_MAX_ALTS ||
        set_max_len(&sq->run) + set_max_len(g) > CL_LITERAL_MAX_LEN) {
        if (sq->run.n)
            sq->exact = 0;
        end_run(sq, min_len);
        sq->run = *g;
        sq->run.lead = sq->width;
        return;
    }
    for (int i = 0; i < sq->run.n; i++)
        for (int k = 0; k < g->n; k++) {
            cl_literal *l = &product.alt[product.n++];
            memcpy(l->text, sq->run.alt[i].text, sq->run.alt[i].len);
            memcpy(l->text + sq->run.alt[i].len, g->alt[k].text, g->alt[k].len);
            l->len = (unsigned char)(sq->run.alt[i].len + g->alt[k].len);
            l->text[l->len] = '\0';
        }
    product.lead = sq->run.lead;
    sq->run = product;
}

/* A count of a quantifier, capped: only "at least once" and bounds on
 * widths depend on it. */
static const char *read_count(const char *q, const char *end, unsigned long *n)
{
    *n = 0;
    for (; q < end && is_digit(*q); q++)
        *n = *n < 100000 ? *n * 10 + (unsigned long)(*q - '0') : *n;
    return q;
}

/*
 * The quantifier at rd->p ("?", "*", "+", "{n}", "{n,}", "{n,m}", then maybe
 * a lazy '?' or possessive '+'): consumes it, sets *min and *max to its
 * least and greatest count (ULONG_MAX: no bound) and returns 1; 0 when
 * there is none; -1 for a '{' that is not a quantifier (PCRE2 then reads it
 * as a literal: too subtle to follow).
 */
static int read_quantifier(reader *rd, unsigned long *min, unsigned long *max)
{
    const char *q = rd->p, *end = rd->end;
    if (q == end || !strchr("?*+{", *q))
        return 0;
    if (*q == '{') {
        q++;
        if (q == end || !is_digit(*q))
            return -1;
        q = read_count(q, end, min);
        *max = *min;
        if (q < end && *q == ',') {
            q++;
            *max = ULONG_MAX;
            if (q < end && is_digit(*q))
                q = read_count(q, end, max);
        }
        if (q == end || *q != '}')
            return -1;
    } else {
        *min = *q == '+';
        *max = *q == '?' ? 1 : ULONG_MAX;
    }
    q++;
    if (q < end && (*q == '?' || *q == '+'))
        q++;
    rd->p = q;
    return 1;
}

/* Past a character class starting at p ('['); NULL when malformed. */
static const char *skip_class(const char *p, const char *end)
{
    p++;
    if (p < end && *p == '^')
        p++;
    if (p < end && *p == ']')
        p++;  /* a ']' first is a member */
    while (p < end && *p != ']') {
        if (*p == '\\') {
            if (p + 1 >= end || p[1] == 'Q' || p[1] == 'E')
                return NULL;
            p += 2;
        } else if (*p == '[' && p + 1 < end && p[1] == ':') {
            const char *close = NULL;
            for (const char *q = p + 2; q + 1 < end && !close; q++)
                if (q[0] == ':' && q[1] == ']')
                    close = q;
            if (!close)
                return NULL;
            p = close + 2;
        } else {
            p++;
        }
    }
    return p < end ? p + 1 : NULL;
}

/* The group opening at p: 1 for a lookaround, 0 for a group whose content
 * must match (plain, (?:, (?<name>), with *body set past the opening; -1
 * for anything else (inline options, verbs, conditionals, recursion). */
static int group_kind(const char *p, const char *end, const char **body)
{
    if (p + 1 < end && p[1] == '*')
        return -1;
    if (p + 1 >= end || p[1] != '?') {
        *body = p + 1;
        return 0;
    }
    if (p + 2 >= end)
        return -1;
    if (p[2] == ':') {
        *body = p + 3;
        return 0;
    }
    if (p[2] == '=' || p[2] == '!')
        return 1;
    if (p[2] != '<' || p + 3 >= end)
        return -1;
    if (p[3] == '=' || p[3] == '!')
        return 1;
    if (!is_ascii_letter(p[3]))
        return -1;
    const char *q = p + 4;
    while (q < end && (is_ascii_letter(*q) || is_digit(*q) || *q == '_'))
        q++;
    if (q == end || *q != '>')
        return -1;
    *body = q + 1;
    return 0;
}

/* Past the lookaround starting at p ('('), nested groups included; NULL
 * when malformed or holding a construct this reader does not follow. */
static const char *skip_group(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        if (*p == '\\') {
            if (p + 1 >= end || p[1] == 'Q')
                return NULL;
            p += 2;
        } else if (*p == '[') {
            if (!(p = skip_class(p, end)))
                return NULL;
        } else if (*p == '(') {
            const char *body;
            if (group_kind(p, end, &body) < 0)
                return NULL;
            depth++;
            p++;
        } else if (*p == ')') {
            p++;
            if (--depth == 0)
                return p;
        } else {
            p++;
        }
    }
    return NULL;
}

static int read_alternatives(reader *rd, int depth, cl_literal_set *out, int *exact,
                             size_t *width);

/* Escapes that stand for one character of a class, or an assertion: the
 * only letters after '\\' followed here.  Others (\x, \Q, \g, \k, \p,
 * digits, ...) take arguments or change the reading. */
static int is_simple_escape(char c)
{
    return c && strchr("bBsSdDwWhHvVRXAzZGKntrfea", c) != NULL;
}

/* Most bytes the escape \c matches: none for an assertion, three for \R
 * (CR LF, or U+2028 as UTF-8), no bound for \X (a grapheme cluster), else
 * one character. */
static size_t escape_width(char c)
{
    if (strchr("bBAzZGK", c))
        return 0;
    if (c == 'R')
        return 3;
    if (c == 'X')
        return CL_LEAD_UNBOUNDED;
    return 4;
}

/* Bytes of the UTF-8 character whose lead byte is c. */
static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/*
 * Reads one item at rd->p.  A literal character sets *lit, *lit_len; a
 * group whose content must match sets *group to its requirement, and
 * *exact when the group matches exactly one of those strings.  *width: the
 * most bytes the item matches once.  -1 to give up.
 */
static int read_item(reader *rd, int depth, const char **lit, size_t *lit_len,
                     cl_literal_set *group, int *exact, size_t *width)
{
    const char *p = rd->p, *end = rd->end;
    const char *body;
    *lit = NULL;
    *lit_len = 0;
    group->n = 0;
    group->lead = 0;
    *exact = 0;
    *width = 4;  /* a character: a class, '.', most escapes */
    switch (*p) {
    case '\\':
        if (p + 1 >= end || (unsigned char)p[1] >= 0x80)
            return -1;
        if (is_digit(p[1]) || is_ascii_letter(p[1])) {
            if (!is_simple_escape(p[1]))
                return -1;
            *width = escape_width(p[1]);
        } else {
            *lit = p + 1;
            *lit_len = 1;
            *width = 1;
        }
        rd->p = p + 2;
        return 0;
    case '[':
        rd->p = skip_class(p, end);
        return rd->p ? 0 : -1;
    case '(':
        switch (group_kind(p, end, &body)) {
        case 1:
            *width = 0;  /* a lookaround matches no bytes */
            rd->p = skip_group(p, end);
            return rd->p ? 0 : -1;
        case 0:
            if (depth >= CL_LITERAL_MAX_DEPTH)
                return -1;
            rd->p = body;
            if (read_alternatives(rd, depth + 1, group, exact, width) < 0 || rd->p == end ||
                *rd->p != ')')
                return -1;
            rd->p++;
            return 0;
        default:
            return -1;
        }
    case '.': case '^': case '$':
        if (*p != '.')
            *width = 0;
        rd->p = p + 1;
        return 0;
    case '{': case '?': case '*': case '+':
        return -1;
    default: {
        size_t n = utf8_len((unsigned char)*p);
        if ((size_t)(end - p) < n)
            return -1;
        *lit = p;
        *lit_len = n;
        *width = n;
        rd->p = p + n;
        return 0;
    }
    }
}

/* One item of a sequence with its quantifier, if any. */
typedef struct item {
    const char    *lit;        /* a literal character, or NULL */
    size_t         lit_len;
    cl_literal_set group;      /* what a group requires (or starts with) */
    int            exact;      /* the group matches exactly one of `group` */
    size_t         width;      /* most bytes it matches, all repeats counted */
    unsigned long  min;        /* least count: 1 unless quantified */
    int            quantified;
} item;

static int read_quantified_item(reader *rd, int depth, item *it)
{
    unsigned long max = 1;
    it->min = 1;
    if (read_item(rd, depth, &it->lit, &it->lit_len, &it->group, &it->exact, &it->width) < 0)
        return -1;
    it->quantified = read_quantifier(rd, &it->min, &max);
    it->width = width_times(it->width, max);
    return it->quantified < 0 ? -1 : 0;
}

/* Adds the members of `from` to `to`; 0 when they do not all fit. */
static int set_union(cl_literal_set *to, const cl_literal_set *from)
{
    if (to->n + from->n > CL_LITERAL_MAX_ALTS)
        return 0;
    for (int i = 0; i < from->n; i++)
        to->alt[to->n++] = from->alt[i];
    return 1;
}

/*
 * The prefixes of one alternative: its leading run of literal characters,
 * or the prefixes of the group it starts with; an optional item first adds
 * its own prefixes to those of what follows it ("(the )?original" gives
 * "the " and "original").  The rest is read past.  An empty set when any
 * way to start is unknown.
 */
static int read_prefix_sequence(reader *rd, int depth, cl_literal_set *out)
{
    /* Prefixes are at a match's start: no lead. */
    sequence sq = { .run.n = 0 };
    cl_literal_set acc = { .n = 0 };  /* prefixes of optional items so far */
    int leading = 1, known = 0;
    item it;
    while (rd->p < rd->end && *rd->p != '|' && *rd->p != ')') {
        if (read_quantified_item(rd, depth, &it) < 0)
            return -1;
        if (!leading)
            continue;
        if (it.lit && !it.quantified) {
            add_to_run(&sq, it.lit, it.lit_len);
            continue;
        }
        leading = 0;
        if (sq.run.n > 0) {
            known = 1;
            continue;
        }
        if (it.lit && it.lit_len <= CL_LITERAL_MAX_LEN) {
            it.group.n = 1;
            memcpy(it.group.alt[0].text, it.lit, it.lit_len);
            it.group.alt[0].text[it.lit_len] = '\0';
            it.group.alt[0].len = (unsigned char)it.lit_len;
        }
        if (it.group.n == 0 || !set_union(&acc, &it.group)) {
            known = 0;
            continue;
        }
        leading = it.min == 0;  /* optional: what follows may come first */
        known = !leading;
    }
    out->n = 0;
    if (sq.run.n > 0) {
        end_run(&sq, 1);
        known = set_union(&acc, &sq.best);
    }
    for (int i = 0; i < acc.n; i++)
        if (acc.alt[i].len < rd->min_len)
            known = 0;
    if (known)
        *out = acc;
    out->lead = 0;
    return 0;
}

/*
 * One alternative: items up to '|', ')' or the end.  *exact when it is
 * plain text, its whole run (then *out is that run, however short: the
 * group holding it may join a longer one).  *width: the most bytes it
 * matches.  A set's lead counts the widths of the items before it; a
 * group repeated still has a member in its first repeat.
 */
static int read_sequence(reader *rd, int depth, cl_literal_set *out, int *exact, size_t *width)
{
    *exact = 0;
    *width = CL_LEAD_UNBOUNDED;
    if (rd->prefix)
        return read_prefix_sequence(rd, depth, out);
    sequence sq = { .run.n = 0, .exact = 1, .width = 0 };
    item it;
    while (rd->p < rd->end && *rd->p != '|' && *rd->p != ')') {
        if (read_quantified_item(rd, depth, &it) < 0)
            return -1;
        /* A quantified item may be absent or repeated: nothing after it is
         * adjacent to the run for sure. */
        if (it.lit && !it.quantified) {
            add_to_run(&sq, it.lit, it.lit_len);
        } else if (it.exact && !it.quantified) {
            add_group_to_run(&sq, &it.group, rd->min_len);
        } else {
            sq.exact = 0;
            end_run(&sq, rd->min_len);
            if (it.min > 0 && it.group.n > 0) {
                it.group.lead = width_add(sq.width, it.group.lead);
                keep_better(&sq.best, &it.group, rd->min_len);
            }
        }
        sq.width = width_add(sq.width, it.width);
    }
    *width = sq.width;
    if (sq.exact && sq.run.n > 0 && !sq.run_full) {
        *exact = 1;
        *out = sq.run;
        return 0;
    }
    end_run(&sq, rd->min_len);
    *out = sq.best;
    return 0;
}

/* Alternatives separated by '|': every one must bring a set, and the union
 * is the requirement (when it stays within CL_LITERAL_MAX_ALTS), with the
 * greatest of their leads.  *exact when every alternative is plain text;
 * *width: the widest. */
static int read_alternatives(reader *rd, int depth, cl_literal_set *out, int *exact,
                             size_t *width)
{
    int all_known = 1;
    *exact = 1;
    *width = 0;
    out->n = 0;
    out->lead = 0;
    for (;;) {
        cl_literal_set alt;
        int alt_exact;
        size_t alt_width;
        if (read_sequence(rd, depth, &alt, &alt_exact, &alt_width) < 0)
            return -1;
        *exact &= alt_exact;
        if (alt_width > *width)
            *width = alt_width;
        if (alt.n == 0 || out->n + alt.n > CL_LITERAL_MAX_ALTS) {
            all_known = 0;
        } else {
            for (int i = 0; i < alt.n; i++)
                out->alt[out->n++] = alt.alt[i];
            if (alt.lead > out->lead)
                out->lead = alt.lead;
        }
        if (rd->p == rd->end || *rd->p != '|')
            break;
        rd->p++;
    }
    if (!all_known) {
        out->n = 0;
        *exact = 0;
    }
    return 0;
}

int cl_regex_required_literals(const char *pattern, size_t len, size_t min_len,
                               cl_literal_set *set)
{
    reader rd = { .p = pattern, .end = pattern + len, .min_len = min_len ? min_len : 1 };
    int exact;
    size_t width;
    /* A plain-text alternative comes back whole, even shorter than asked. */
    if (read_alternatives(&rd, 0, set, &exact, &width) < 0 || rd.p != rd.end ||
        set_min_len(set) < rd.min_len)
        set->n = 0;
    return set->n;
}

int cl_regex_prefix_literals(const char *pattern, size_t len, size_t min_len,
                             cl_literal_set *set)
{
    set->n = 0;
    if (len == 0 || pattern[0] != '^')
        return 0;
    reader rd = { .p = pattern + 1, .end = pattern + len, .min_len = min_len ? min_len : 1,
                  .prefix = 1 };
    int exact;
    size_t width;
    if (read_sequence(&rd, 0, set, &exact, &width) < 0 || rd.p != rd.end)
        set->n = 0;
    return set->n;
}
