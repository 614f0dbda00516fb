#include "regex_probe.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* Longest prefix a site may have (a site past it gives no probe on that
 * track), and the least run a probe pumps after its prefix. */
#define PREFIX_MAX (CL_PROBE_RUN)
#define RUN_MIN    (CL_PROBE_RUN / 2)

/* Longest pump kept; a longer fullest match is cut at an item's end.
 * Half a run: a pump is still repeated at least twice. */
#define REP_MAX 32

/* Repeats of a pattern that give probes: 24 sites, each of two prefixes,
 * two pumps and two tails, already make four times CL_PROBE_MAX. */
#define SITES_MAX 24

/* Deeper groups are read past: they still match, but give no site. */
#define DEPTH_MAX 16

/* The two prefixes: each item in its plainest way, and each optional
 * item once (with a non-word character after a \b that follows a word
 * character: "\bfollow\b.*(x+x+)+y" needs "follow " before the run). */
enum { PLAIN, ONCE, NTRACKS };

typedef struct track {
    char   s[PREFIX_MAX];
    size_t len;
    size_t broken_at;  /* an item did not fit after s[0..broken_at): SIZE_MAX
                          when none; no site on this track while set */
} track;

typedef struct rep {
    char   s[REP_MAX];
    size_t n;
} rep;

/* A repeat: its prefixes and pumps, as offsets into the reader's pool;
 * a length of 0 for a pump, or SIZE_MAX for a prefix, is none. */
typedef struct site {
    size_t prefix[NTRACKS], prefix_len[NTRACKS];
    size_t pump[2], pump_len[2];  /* plainest, fullest */
} site;

/* Most text kept before a probe for a lookbehind the pattern starts with. */
#define BEHIND_MAX 16

typedef struct reader {
    const char *p, *end;
    char        behind[BEHIND_MAX];  /* what `(?<=\s)` at the start needs before */
    size_t      behind_len;
    track       t[NTRACKS];
    int         boundary;  /* a \b since the last character of t[ONCE] */
    site        sites[SITES_MAX];
    size_t      nsites;
    char        pool[SITES_MAX * (NTRACKS * PREFIX_MAX + 2 * REP_MAX)];
    size_t      pool_len;
} reader;

/* ---- texts ----------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_word_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* Appends s[0..n) whole, or not at all when it does not fit.  Most
 * appends are of one character: a loop costs less than a call. */
static void rep_append(rep *to, const char *s, size_t n)
{
    if (to->n + n <= REP_MAX)
        for (size_t i = 0; i < n; i++)
            to->s[to->n++] = s[i];
}

static void track_append(track *t, const char *s, size_t n)
{
    if (t->broken_at != SIZE_MAX)
        return;
    if (t->len + n > PREFIX_MAX) {
        t->broken_at = t->len;
        return;
    }
    for (size_t i = 0; i < n; i++)
        t->s[t->len++] = s[i];
}

/* Back to s[0..at): whatever did not fit after `at` is dropped too. */
static void track_truncate(track *t, size_t at)
{
    if (at < t->len)
        t->len = at;
    if (t->broken_at != SIZE_MAX && at <= t->broken_at)
        t->broken_at = SIZE_MAX;
}

/* The item from `from` on is there `count` times in all. */
static void track_repeat(track *t, size_t from, unsigned long count)
{
    size_t n = t->len - from;
    if (count == 0)
        track_truncate(t, from);
    for (unsigned long i = 1; i < count && n > 0 && t->broken_at == SIZE_MAX; i++)
        track_append(t, t->s + from, n);
}

/* Where the tracks were: restoring them truncates to there, since the
 * bytes before a mark never change while what follows it is read. */
typedef struct mark {
    size_t len, broken_at;
} mark;

static void marks_take(const reader *rd, mark *m)
{
    for (int k = 0; k < NTRACKS; k++)
        m[k] = (mark){ rd->t[k].len, rd->t[k].broken_at };
}

static void marks_restore(reader *rd, const mark *m)
{
    for (int k = 0; k < NTRACKS; k++) {
        rd->t[k].len = m[k].len;
        rd->t[k].broken_at = m[k].broken_at;
    }
}

static size_t pool_put(reader *rd, const char *s, size_t n)
{
    size_t at = rd->pool_len;
    memcpy(rd->pool + at, s, n);
    rd->pool_len += n;
    return at;
}

/* The item from[k] on each track may repeat; `full` is its fullest match. */
static void add_site(reader *rd, const size_t *from, const rep *full)
{
    const track *plain = &rd->t[PLAIN];
    size_t n = plain->len - from[PLAIN];
    if (rd->nsites == SITES_MAX || (n == 0 && full->n == 0))
        return;
    site *s = &rd->sites[rd->nsites++];
    for (int k = 0; k < NTRACKS; k++) {
        const track *t = &rd->t[k];
        s->prefix_len[k] = t->broken_at == SIZE_MAX ? from[k] : SIZE_MAX;
        s->prefix[k] = t->broken_at == SIZE_MAX ? pool_put(rd, t->s, from[k]) : 0;
    }
    int plain_ok = plain->broken_at == SIZE_MAX && n <= REP_MAX;
    s->pump_len[0] = plain_ok ? n : 0;
    s->pump[0] = pool_put(rd, plain->s + from[PLAIN], s->pump_len[0]);
    int same = plain_ok && full->n == n && memcmp(full->s, plain->s + from[PLAIN], n) == 0;
    s->pump_len[1] = same ? 0 : full->n;
    s->pump[1] = pool_put(rd, full->s, s->pump_len[1]);
}

/* ---- characters ------------------------------------------------------------ */

/*
 * What one character of the pattern may be: a literal (`first`, no
 * stand-in), or a class, escape or '.' that takes some of the stand-ins.
 * A class stands for the first stand-in it takes, in this order, so that
 * classes that overlap pick the same character; else for its first member.
 */
static const char stand_ins[] = "a1 .-#$";
#define NSTAND_INS (sizeof stand_ins - 1)
#define ALL_STAND_INS ((1u << NSTAND_INS) - 1)
#define WORD_STAND_INS 3u  /* 'a' and '1' */

typedef struct one_char {
    unsigned takes;      /* stand-ins */
    char     first[4];   /* a member, or the literal */
    size_t   first_len;  /* 0: none */
} one_char;

static unsigned stand_in_bit(char c)
{
    const char *at = c ? memchr(stand_ins, c, NSTAND_INS) : NULL;
    return at ? 1u << (at - stand_ins) : 0;
}

static unsigned stand_ins_of(const char *s)
{
    unsigned takes = 0;
    for (; *s; s++)
        takes |= stand_in_bit(*s);
    return takes;
}

/* The character oc stands for into out; with `nonword`, a stand-in that
 * is no word character when it takes one (a first pass skips 'a', '1'). */
static size_t stand_in(const one_char *oc, int nonword, char *out)
{
    for (int pass = nonword ? 0 : 1; oc->takes && pass < 2; pass++)
        for (size_t i = pass ? 0 : 2; i < NSTAND_INS; i++)
            if (oc->takes & (1u << i)) {
                out[0] = stand_ins[i];
                return 1;
            }
    for (size_t i = 0; i < oc->first_len; i++)
        out[i] = oc->first[i];
    return oc->first_len;
}

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

/* A whole character at p, or as much of it as there is. */
static size_t char_len(const char *p, const char *end)
{
    size_t n = utf8_len((unsigned char)*p);
    return n <= (size_t)(end - p) ? n : (size_t)(end - p);
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | ((cp >> 18) & 0x07));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t utf8_decode(const char *s, size_t n)
{
    uint32_t cp = (unsigned char)s[0];
    if (n > 1) {
        cp &= 0xFFu >> (n + 1);
        for (size_t i = 1; i < n; i++)
            cp = (cp << 6) | ((unsigned char)s[i] & 0x3F);
    }
    return cp;
}

/* Stand-ins a Unicode property takes, by its name after \p ("L", "Nd",
 * "Latin"): scripts count as letters. */
static unsigned property_takes(const char *name, size_t n)
{
    if (n == 0)
        return 0;
    switch (name[0]) {
    case 'N': return stand_ins_of("1");
    case 'Z': return stand_ins_of(" ");
    case 'P': return stand_ins_of(".-#");
    case 'S': return stand_ins_of("$");
    case 'C': case 'M': return 0;
    case 'X':
        if (n >= 3 && (memcmp(name, "Xsp", 3) == 0 || memcmp(name, "Xps", 3) == 0))
            return stand_ins_of(" ");
        return WORD_STAND_INS;  /* Xan, Xwd, Xuc */
    default:
        return n == 3 && memcmp(name, "Any", 3) == 0 ? ALL_STAND_INS : stand_ins_of("a");
    }
}

/* Stand-ins the property at p (after \p or \P: "L", "{Lu}", "{^L}")
 * takes; *p moves past it. */
static unsigned read_property(const char **p, const char *end, int negated)
{
    const char *q = *p, *name = q;
    size_t n = 0;
    if (q < end && *q != '{') {
        n = 1;
        q++;
    } else if (q < end) {
        const char *close = memchr(q, '}', (size_t)(end - q));
        q++;
        if (q < end && *q == '^') {
            negated = !negated;
            q++;
        }
        name = q;
        n = close ? (size_t)(close - q) : 0;
        q = close ? close + 1 : end;
    }
    *p = q;
    unsigned takes = property_takes(name, n);
    return negated ? ALL_STAND_INS & ~takes : takes;
}

/* The stand-ins of the class escape c (\w, \d, \s, \p{..}, their
 * negations, \N and the like), *p moved past its argument; 0 when c is no
 * class escape. */
static int class_escape(char c, const char **p, const char *end, unsigned *takes)
{
    switch (c) {
    case 'w': *takes = WORD_STAND_INS; return 1;
    case 'd': *takes = stand_ins_of("1"); return 1;
    case 's': case 'h': *takes = stand_ins_of(" "); return 1;
    case 'W': *takes = ALL_STAND_INS & ~WORD_STAND_INS; return 1;
    case 'D': *takes = ALL_STAND_INS & ~stand_ins_of("1"); return 1;
    case 'S': case 'H': *takes = ALL_STAND_INS & ~stand_ins_of(" "); return 1;
    case 'N': case 'X': case 'C': case 'V': *takes = ALL_STAND_INS; return 1;
    case 'p': case 'P': *takes = read_property(p, end, c == 'P'); return 1;
    default: return 0;
    }
}

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The code point of the character escape at *p (after the '\\': \n, \x41,
 * \x{263a}, \o{101}, \0101, \cA), *p moved past it; -1 for none. */
static long char_escape(const char **p, const char *end)
{
    const char *q = *p;
    char c = *q++;
    long cp = -1;
    const char *codes = strchr("ntrfea", c);
    if (c && codes) {
        cp = "\n\t\r\f\x1b\x07"[codes - "ntrfea"];
    } else if (c == 'x' || c == 'o' || c == '0') {
        int base = c == 'x' ? 16 : 8, braced = c != '0' && q < end && *q == '{';
        size_t most = braced ? 8 : c == 'x' ? 2 : 3;
        cp = 0;
        q += braced;
        for (size_t i = 0; i < most && q < end && hex_value(*q) >= 0 && hex_value(*q) < base;
             i++, q++)
            cp = cp * base + hex_value(*q);
        q += braced && q < end && *q == '}';
    } else if (c == 'c' && q < end) {
        cp = *q++ & 0x1F;
    }
    if (cp < 0 || cp >= 0x110000)
        return -1;
    *p = q;
    return cp;
}

/* ---- classes --------------------------------------------------------------- */

/* Stand-ins a POSIX class ("alpha", "^digit" between "[:" and ":]") takes. */
static unsigned posix_takes(const char *name, size_t n)
{
    static const struct { const char *name, *takes; } names[] = {
        { "alpha", "a" }, { "lower", "a" }, { "alnum", "a1" }, { "word", "a1" },
        { "xdigit", "a1" }, { "digit", "1" }, { "space", " " }, { "blank", " " },
        { "punct", ".-#$" }, { "graph", "a1.-#$" }, { "print", "a1 .-#$" },
    };
    int negated = n > 0 && name[0] == '^';
    unsigned takes = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].name) == n - (size_t)negated &&
            memcmp(names[i].name, name + negated, n - (size_t)negated) == 0)
            takes = stand_ins_of(names[i].takes);
    return negated ? ALL_STAND_INS & ~takes : takes;
}

/* A member of a class, or one end of a range, at *p: its code point, or
 * -1 for a class escape (whose stand-ins go into *takes); *p moved past. */
static long class_member(const char **p, const char *end, unsigned *takes)
{
    const char *q = *p;
    if (*q == '\\' && q + 1 < end) {
        q++;
        const char *after = q + 1;
        unsigned t;
        if (class_escape(*q, &after, end, &t)) {
            *takes |= t;
            *p = after;
            return -1;
        }
        if (*q == 'b') {  /* a backspace, in a class */
            *p = q + 1;
            return 0x08;
        }
        long cp = char_escape(&q, end);
        if (cp >= 0) {
            *p = q;
            return cp;
        }
        /* Any other escaped character is itself. */
    }
    size_t n = char_len(q, end);
    *p = q + n;
    return utf8_decode(q, n);
}

/* The class at *at ('['), *at moved past it. */
static void read_class(const char **at, const char *end, one_char *oc)
{
    const char *p = *at + 1;
    int negated = p < end && *p == '^';
    p += negated;
    unsigned takes = 0;
    long first = -1;
    for (int at_start = 1; p < end && (*p != ']' || at_start); at_start = 0) {
        if (*p == '[' && p + 1 < end && p[1] == ':') {
            const char *name = p + 2, *q = name;
            while (q + 1 < end && !(q[0] == ':' && q[1] == ']'))
                q++;
            takes |= posix_takes(name, (size_t)(q - name));
            p = q + 2 <= end ? q + 2 : end;
            continue;
        }
        long lo = class_member(&p, end, &takes), hi = lo;
        if (lo >= 0 && p + 1 < end && *p == '-' && p[1] != ']') {
            const char *q = p + 1;
            unsigned ignored = 0;
            hi = class_member(&q, end, &ignored);
            if (hi >= 0)
                p = q;
            else
                hi = lo;  /* "a-\d": the '-' is a member, read next */
        }
        for (size_t i = 0; lo >= 0 && i < NSTAND_INS; i++)
            if (stand_ins[i] >= lo && stand_ins[i] <= hi)
                takes |= 1u << i;
        if (first < 0)
            first = lo;
    }
    *at = p < end ? p + 1 : end;
    oc->takes = negated ? ALL_STAND_INS & ~takes : takes;
    oc->first_len = 0;
    if (!negated && first >= 0)
        oc->first_len = utf8_encode((uint32_t)first, oc->first);
    else if (negated)
        oc->first_len = utf8_encode(1, oc->first);  /* a control character */
}

/* ---- groups and escapes ---------------------------------------------------- */

/* Past the ')' that closes the group whose body starts at p; escapes,
 * classes and nested groups are skipped whole. */
static const char *skip_to_close(const char *p, const char *end)
{
    int depth = 1;
    while (p < end) {
        if (*p == '\\') {
            p += p + 1 < end ? 2 : 1;
        } else if (*p == '[') {
            one_char ignored;
            read_class(&p, end, &ignored);
        } else {
            if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0)
                return p + 1;
            p++;
        }
    }
    return end;
}

/* The escape at rd->p ('\\'), rd->p moved past it: 1 with what it stands
 * for in *oc; 0 for one that matches no character (an assertion, a
 * back-reference, which stand for nothing here). */
static int read_escape(reader *rd, one_char *oc)
{
    const char *p = rd->p + 1, *end = rd->end;
    rd->p = p < end ? p + 1 : end;
    if (p == end)
        return 0;
    char c = *p;
    const char *q = p + 1;
    oc->first_len = 0;
    oc->takes = 0;
    if (class_escape(c, &q, end, &oc->takes)) {
        rd->p = q;
        oc->first_len = 1;
        oc->first[0] = 'a';  /* \p{Lu}, \p{M}: a letter, at worst no match */
        return 1;
    }
    if (c == 'v' || c == 'R') {
        oc->first[0] = '\n';
        oc->first_len = 1;
        return 1;
    }
    q = p;
    long cp = char_escape(&q, end);
    if (cp >= 0) {
        rd->p = q;
        oc->first_len = utf8_encode((uint32_t)cp, oc->first);
        return 1;
    }
    if (c == 'g' || c == 'k') {  /* \g1, \g{-1}, \k<name>, \g'name' */
        q = p + 1;
        if (q < end && (*q == '{' || *q == '<' || *q == '\'')) {
            char close = *q == '{' ? '}' : *q == '<' ? '>' : '\'';
            while (q < end && *q != close)
                q++;
            q += q < end;
        } else {
            q += q < end && (*q == '-' || *q == '+');
        }
        rd->p = q;
    }
    while (is_digit(c) && rd->p < end && is_digit(*rd->p))
        rd->p++;  /* \1 ... \99 */
    if (c == 'g' || c == 'k' || is_digit(c))
        return 0;
    if (c == 'b')
        rd->boundary = 1;
    if (is_word_char(c))
        return 0;  /* \b, \B, \A, \z, \Z, \G, \K, \E and unknown letters */
    oc->first_len = char_len(p, end);
    memcpy(oc->first, p, oc->first_len);
    rd->p = p + oc->first_len;
    return 1;
}

/*
 * How the group at rd->p ('(') reads: 0 for one whose body must match, 1
 * for a lookaround, 2 for a positive lookbehind, all with rd->p moved to
 * the body; -1 for one that matches nothing or is not followed (a comment,
 * a verb, options, recursion), which rd->p is moved past.
 */
static int open_group(reader *rd)
{
    const char *p = rd->p + 1, *end = rd->end;
    rd->p = p;
    if (p < end && *p == '*') {
        /* (*pla:...) and its kin are lookarounds; other verbs match nothing. */
        while (p < end && *p != ':' && *p != ')')
            p++;
        if (p < end && *p == ':') {
            rd->p = p + 1;
            return 1;
        }
        rd->p = skip_to_close(rd->p, end);
        return -1;
    }
    if (p == end || *p != '?')
        return 0;
    p++;
    int kind = -1;
    if (p < end && *p && strchr(":>|", *p)) {
        kind = 0;
        p++;
    } else if (p < end && (*p == '=' || *p == '!')) {
        kind = 1;
        p++;
    } else if (p + 1 < end && *p == '<' && (p[1] == '=' || p[1] == '!')) {
        kind = p[1] == '=' ? 2 : 1;
        p += 2;
    } else if (p < end && (*p == '<' || *p == '\'' || (*p == 'P' && p + 1 < end && p[1] == '<'))) {
        char close = *p == '\'' ? '\'' : '>';  /* a named group */
        while (p < end && *p != close)
            p++;
        kind = 0;
        p += p < end;
    } else if (p < end && *p == '(') {
        kind = 0;  /* a conditional: its branches read as a group's */
        p = skip_to_close(p + 1, end);
    } else {
        const char *q = p;  /* option letters, then ':' for a group */
        while (q < end && (*q == '-' || *q == '^' || (*q >= 'a' && *q <= 'z') ||
                           (*q >= 'A' && *q <= 'Z')))
            q++;
        if (q > p && q < end && *q == ':') {
            kind = 0;
            p = q + 1;
        }
    }
    rd->p = kind < 0 ? skip_to_close(p, end) : p;
    return kind;
}

/* ---- the walk -------------------------------------------------------------- */

static unsigned long read_count(reader *rd)
{
    unsigned long n = 0;
    for (; rd->p < rd->end && is_digit(*rd->p); rd->p++)
        n = n < 100000 ? n * 10 + (unsigned long)(*rd->p - '0') : n;
    return n;
}

/* The quantifier at rd->p, if any: 1 with its counts (ULONG_MAX: no
 * bound), rd->p past it and a lazy or possessive mark; else 0.  A '{'
 * that is no quantifier is a literal, as PCRE2 reads it. */
static int read_quantifier(reader *rd, unsigned long *min, unsigned long *max)
{
    const char *start = rd->p, *end = rd->end;
    if (start == end || !*start || !strchr("?*+{", *start))
        return 0;
    rd->p++;
    if (*start == '{') {
        if (rd->p == end || !is_digit(*rd->p)) {
            rd->p = start;
            return 0;
        }
        *min = *max = read_count(rd);
        if (rd->p < end && *rd->p == ',') {
            rd->p++;
            *max = rd->p < end && is_digit(*rd->p) ? read_count(rd) : ULONG_MAX;
        }
        if (rd->p == end || *rd->p != '}') {
            rd->p = start;
            return 0;
        }
        rd->p++;
    } else {
        *min = *start == '+';
        *max = *start == '?' ? 1 : ULONG_MAX;
    }
    if (rd->p < end && (*rd->p == '?' || *rd->p == '+'))
        rd->p++;
    return 1;
}

static void read_alternatives(reader *rd, int depth, rep *full);

/* A group at rd->p ('('): its matches appended to the tracks, its fullest
 * into *full.  A lookaround matches no text: its sites stay, the text goes;
 * what a lookbehind at the start needs goes before the probes. */
static void read_group(reader *rd, int depth, rep *full)
{
    full->n = 0;
    int kind = open_group(rd);
    if (kind < 0)
        return;
    if (depth >= DEPTH_MAX) {
        rd->p = skip_to_close(rd->p, rd->end);
        return;
    }
    mark saved[NTRACKS];
    marks_take(rd, saved);
    read_alternatives(rd, depth + 1, full);
    if (rd->p < rd->end && *rd->p == ')')
        rd->p++;
    if (kind == 0)
        return;
    const track *plain = &rd->t[PLAIN];
    if (kind == 2 && saved[PLAIN].len == 0 && rd->behind_len == 0 &&
        plain->broken_at == SIZE_MAX && plain->len <= BEHIND_MAX) {
        memcpy(rd->behind, plain->s, plain->len);
        rd->behind_len = plain->len;
    }
    marks_restore(rd, saved);
    full->n = 0;
}

/* Appends one character of the pattern to the tracks and to *full. */
static void add_char(reader *rd, const one_char *oc, rep *full)
{
    char c[4];
    size_t n = stand_in(oc, 0, c);
    track_append(&rd->t[PLAIN], c, n);
    rep_append(full, c, n);
    const track *once = &rd->t[ONCE];
    int nonword = rd->boundary && once->len > 0 && is_word_char(once->s[once->len - 1]);
    n = stand_in(oc, nonword, c);
    track_append(&rd->t[ONCE], c, n);
    rd->boundary = 0;
}

/* One item: its matches appended to the tracks, its fullest into *full. */
static void read_item(reader *rd, int depth, rep *full)
{
    one_char oc = { .takes = 0 };
    full->n = 0;
    switch (*rd->p) {
    case '(':
        read_group(rd, depth, full);
        return;
    case '[':
        read_class(&rd->p, rd->end, &oc);
        break;
    case '\\':
        if (rd->p + 1 < rd->end && rd->p[1] == 'Q') {  /* \Q...\E, one item */
            const char *s = rd->p + 2, *q = s;
            while (q < rd->end && !(q[0] == '\\' && q + 1 < rd->end && q[1] == 'E'))
                q++;
            for (int k = 0; k < NTRACKS; k++)
                track_append(&rd->t[k], s, (size_t)(q - s));
            rep_append(full, s, (size_t)(q - s));
            rd->p = q < rd->end ? q + 2 : q;
            return;
        }
        if (!read_escape(rd, &oc))
            return;
        break;
    case '.':
        oc.takes = ALL_STAND_INS;
        rd->p++;
        break;
    case '^': case '$':
        rd->p++;
        return;
    default:
        oc.first_len = char_len(rd->p, rd->end);
        memcpy(oc.first, rd->p, oc.first_len);
        rd->p += oc.first_len;
        break;
    }
    add_char(rd, &oc, full);
}

/* Items up to '|', ')' or the end; each that may repeat is a site. */
static void read_sequence(reader *rd, int depth, rep *full)
{
    full->n = 0;
    while (rd->p < rd->end && *rd->p != '|' && *rd->p != ')') {
        size_t from[NTRACKS] = { rd->t[PLAIN].len, rd->t[ONCE].len };
        rep item;
        read_item(rd, depth, &item);
        unsigned long min, max;
        if (!read_quantifier(rd, &min, &max)) {
            rep_append(full, item.s, item.n);
            continue;
        }
        if (max >= 2)
            add_site(rd, from, &item);
        track_repeat(&rd->t[PLAIN], from[PLAIN], min);
        track_repeat(&rd->t[ONCE], from[ONCE], min ? min : 1);
        for (unsigned long k = 0; k < (min ? min : 1) && item.n && full->n + item.n <= REP_MAX;
             k++)
            rep_append(full, item.s, item.n);
    }
}

/* Alternatives separated by '|': the tracks get the first one (each
 * alternative is read after the same prefix), *full every alternative's
 * fullest match in turn. */
static void read_alternatives(reader *rd, int depth, rep *full)
{
    mark before[NTRACKS], first[NTRACKS];
    marks_take(rd, before);
    read_sequence(rd, depth, full);
    if (rd->p == rd->end || *rd->p != '|')
        return;
    char first_text[NTRACKS][PREFIX_MAX];
    marks_take(rd, first);
    for (int k = 0; k < NTRACKS; k++)
        memcpy(first_text[k], rd->t[k].s + before[k].len, first[k].len - before[k].len);
    while (rd->p < rd->end && *rd->p == '|') {
        rd->p++;
        marks_restore(rd, before);
        rep alt;
        read_sequence(rd, depth, &alt);
        rep_append(full, alt.s, alt.n);
    }
    for (int k = 0; k < NTRACKS; k++)
        memcpy(rd->t[k].s + before[k].len, first_text[k], first[k].len - before[k].len);
    marks_restore(rd, first);
}

/* ---- probes ---------------------------------------------------------------- */

/* A character the pattern does not hold anywhere, so that no literal of
 * it takes the tail. */
static char foreign_char(const char *pattern, size_t len)
{
    for (const char *c = "!#%~;&=@"; *c; c++)
        if (!memchr(pattern, *c, len))
            return *c;
    return '\x01';
}

static uint64_t hash_text(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

typedef struct emitter {
    const reader *rd;
    char          tail[1 + 4];  /* the foreign character, then `required` */
    size_t        tail_len;
    uint64_t      seen[CL_PROBE_MAX];
    size_t        nseen;
    int         (*each)(const char *, size_t, size_t, void *);
    void         *user;
} emitter;

/* Site s's probe on track k with pump j and `spaces` spaces before the
 * tail; 0, or what `each` returned. */
static int emit(emitter *em, const site *s, int k, int j, size_t spaces)
{
    const reader *rd = em->rd;
    size_t plen = s->pump_len[j], n = s->prefix_len[k];
    if (plen == 0 || n == SIZE_MAX || em->nseen == CL_PROBE_MAX)
        return 0;
    char text[BEHIND_MAX + CL_PROBE_MAX_LEN];
    size_t b = rd->behind_len, run_to = n + RUN_MIN > CL_PROBE_RUN ? n + RUN_MIN : CL_PROBE_RUN;
    memcpy(text, rd->behind, b);
    memcpy(text + b, rd->pool + s->prefix[k], n);
    run_to += b;
    n += b;
    while (n < run_to) {
        memcpy(text + n, rd->pool + s->pump[j], plen);
        n += plen;
    }
    memset(text + n, ' ', spaces);
    n += spaces;
    memcpy(text + n, em->tail, em->tail_len);
    n += em->tail_len;
    uint64_t h = hash_text(text, n);
    for (size_t i = 0; i < em->nseen; i++)
        if (em->seen[i] == h)
            return 0;
    em->seen[em->nseen++] = h;
    return em->each(text, n, b, em->user);
}

int cl_regex_probes(const char *pattern, size_t len, const char *required,
                    int (*each)(const char *text, size_t len, size_t start, void *user),
                    void *user)
{
    reader rd = { .p = pattern, .end = pattern + len };
    for (int k = 0; k < NTRACKS; k++)
        rd.t[k].broken_at = SIZE_MAX;
    rep full;
    while (rd.p < rd.end) {
        read_alternatives(&rd, 0, &full);
        rd.p += rd.p < rd.end;  /* a ')' with no group open */
    }
    emitter em = { .rd = &rd, .each = each, .user = user };
    size_t rlen = strlen(required);
    em.tail[0] = foreign_char(pattern, len);
    em.tail_len = 1;
    if (rlen < sizeof em.tail) {
        memcpy(em.tail + 1, required, rlen);
        em.tail_len += rlen;
    }
    /* The plainest probes first, the tail after two spaces last. */
    for (size_t spaces = 0; spaces <= 2; spaces += 2)
        for (int k = 0; k < NTRACKS; k++)
            for (size_t i = 0; i < rd.nsites; i++)
                for (int j = 0; j < 2; j++) {
                    int rc = emit(&em, &rd.sites[i], k, j, spaces);
                    if (rc)
                        return rc;
                }
    return 0;
}
