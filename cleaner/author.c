/*
 * author.c - bylines to names (contract in author.h).
 */
#include "author.h"

#include <string.h>
#include <strings.h>

#include "doc.h"

typedef struct span {
    const char *s;
    size_t      n;
} span;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static span trim(span t)
{
    while (t.n && (is_space(t.s[0]) || t.s[0] == ',' || t.s[0] == ':' || t.s[0] == '-'))
        t.s++, t.n--;
    while (t.n && (is_space(t.s[t.n - 1]) || t.s[t.n - 1] == ',' || t.s[t.n - 1] == '.' ||
                   t.s[t.n - 1] == '-'))
        t.n--;
    return t;
}

static int word_at(span t, size_t i, const char *w)
{
    size_t k = strlen(w);
    return i + k <= t.n && strncasecmp(t.s + i, w, k) == 0 &&
           (i == 0 || is_space(t.s[i - 1])) &&
           (i + k == t.n || is_space(t.s[i + k]) || t.s[i + k] == ':' || t.s[i + k] == ',');
}

/* "By", "Written by", "Von" ...: the word that introduces a byline. */
static span strip_prefix(span t)
{
    static const char *const prefixes[] = {
        "written by", "posted by", "words by", "text by", "story by", "by",
        "von", "par", "por", "di", "door", "av", "af", "autor", "auteur", "author",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        if (word_at(t, 0, prefixes[i])) {
            size_t k = strlen(prefixes[i]);
            return trim((span){ t.s + k, t.n - k });
        }
    }
    return t;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "March 11", "Dec 3": a month's name followed by a day starts a date. */
static int month_at(span t, size_t i)
{
    static const char *const months[] = {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    };
    for (size_t k = 0; k < sizeof months / sizeof *months; k++) {
        size_t m = strlen(months[k]);
        if (word_at(t, i, months[k]) && i + m + 1 < t.n && is_digit(t.s[i + m + 1]))
            return 1;
    }
    return 0;
}

/* Where a date, a time or a separator starts the part after the names;
 * 0 for a user name ("jdoe42"): no person's name has digits. */
static size_t names_end(span t)
{
    static const char *const stops[] = { "|", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                         "\xE2\x80\xA2", "\xC2\xB7", "(", "\n" };
    for (size_t i = 0; i < t.n; i++) {
        if (is_digit(t.s[i]))
            return i > 0 && is_letter(t.s[i - 1]) ? 0 : i;
        if (month_at(t, i))
            return i;
        for (size_t k = 0; k < sizeof stops / sizeof *stops; k++) {
            size_t m = strlen(stops[k]);
            if (i + m <= t.n && memcmp(t.s + i, stops[k], m) == 0)
                return i;
        }
    }
    return t.n;
}

static int word_or_plural_at(span t, size_t i, const char *w)
{
    size_t k = strlen(w);
    if (word_at(t, i, w))
        return 1;
    return i + k < t.n && strncasecmp(t.s + i, w, k) == 0 && (i == 0 || is_space(t.s[i - 1])) &&
           (t.s[i + k] == 's' || t.s[i + k] == 'S') &&
           (i + k + 1 == t.n || is_space(t.s[i + k + 1]));
}

/* Words no person's name holds: roles, desks, agencies. */
static int is_role(span t)
{
    static const char *const roles[] = {
        "editor", "writer", "reporter", "correspondent", "contributor", "columnist",
        "photographer", "staff", "news", "press", "agency", "team", "desk", "updated",
        "published", "redaktion", "rédaction", "redacción", "follow",
    };
    for (size_t i = 0; i < t.n; i++)
        for (size_t k = 0; k < sizeof roles / sizeof *roles; k++)
            if (word_or_plural_at(t, i, roles[k]))
                return 1;
    return 0;
}

static int same_ci(span t, const char *s)
{
    return s && strlen(s) == t.n && strncasecmp(t.s, s, t.n) == 0;
}

static int is_site(span t, const char *const *sites, size_t nsites)
{
    for (size_t i = 0; i < nsites; i++)
        if (same_ci(t, sites[i]))
            return 1;
    return 0;
}

static int listed(const cl_buf *list, span t)
{
    const char *p = cl_buf_cstr(list);
    while (*p) {
        const char *e = strstr(p, "; ");
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == t.n && strncasecmp(p, t.s, k) == 0)
            return 1;
        p += k + (e ? 2 : 0);
    }
    return 0;
}

/* Names are capitalised: half their words or more start with a capital (or a
 * letter of a script without case), whatever particles ("van der", "de",
 * "bin") they hold; a sentence cut at its commas is not. */
static int capitalised(span t)
{
    size_t words = 0, caps = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (is_space(t.s[i]) || (i > 0 && !is_space(t.s[i - 1])))
            continue;
        unsigned char c = (unsigned char)t.s[i];
        words++;
        caps += (c >= 'A' && c <= 'Z') || c >= 0x80;
    }
    return caps * 2 >= words;
}

/* What the names of one byline are checked against. */
typedef struct byline {
    span               whole;    /* the byline without its prefix */
    int                pieces;   /* names and roles it joins */
    const char *const *sites;
    size_t             nsites;
} byline;

/*
 * A role is dropped where it follows a name ("Jane Doe, Staff Writer"); a
 * byline that is one piece is taken as the page gives it ("Contributors
 * to Wikimedia projects").  The site's name is no person when it is the
 * whole byline: a blog named after its author gives "Name (handle)".
 */
static int add_name(cl_buf *list, span t, const byline *b)
{
    t = trim(t);
    int whole = t.s == b->whole.s && t.n == b->whole.n;
    if (t.n == 0 || t.n > CL_AUTHOR_MAX_NAME || cl_count_words(t.s, t.n) > CL_AUTHOR_MAX_WORDS ||
        (b->pieces > 1 && is_role(t)) || (whole && is_site(t, b->sites, b->nsites)) ||
        !capitalised(t) ||
        t.s[0] == '@' || strncasecmp(t.s, "http", 4) == 0)
        return 0;
    if (!listed(list, t)) {
        if (list->len)
            cl_buf_append_str(list, "; ");
        cl_buf_append(list, t.s, t.n);
    }
    return 1;
}

/* The length of the join ("and", ",", "&" ...) at i, 0 when none is. */
static size_t join_at(span t, size_t i, int commas)
{
    static const char *const joins[] = { " and ", " und ", " et ", " y ", " e ", " en ",
                                         " og ", " och ", " & ", ";" };
    if (commas && t.s[i] == ',')
        return 1;
    for (size_t k = 0; k < sizeof joins / sizeof *joins; k++) {
        size_t m = strlen(joins[k]);
        if (i + m <= t.n && strncasecmp(t.s + i, joins[k], m) == 0)
            return m;
    }
    return 0;
}

/* "Doe, Jane" is one name in the "Last, First" order: a comma splits only
 * when what it separates are names of two words or more. */
static int commas_split(span t)
{
    const char *c = memchr(t.s, ',', t.n);
    return c && cl_count_words(t.s, (size_t)(c - t.s)) >= 2;
}

int cl_author_add(cl_buf *list, const char *s, size_t n, const char *const *sites,
                  size_t nsites)
{
    byline b = { strip_prefix(trim((span){ s, n })), 1, sites, nsites };
    span t = trim((span){ b.whole.s, names_end(b.whole) });
    if (t.n < b.whole.n)
        b.pieces++;
    int commas = commas_split(t), names = 0;
    for (size_t i = 0; i < t.n; i++)
        if (join_at(t, i, commas))
            b.pieces++;
    size_t start = 0;
    for (size_t i = 0; i <= t.n; i++) {
        size_t j = i < t.n ? join_at(t, i, commas) : 1;
        if (!j)
            continue;
        names += add_name(list, strip_prefix(trim((span){ t.s + start, i - start })), &b);
        start = i + j;
        i = start - 1;
    }
    return list->oom ? -1 : names;
}
