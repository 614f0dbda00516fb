/*
 * title.c - site names off the <title> (contract in title.h).
 */
#include "title.h"

#include <string.h>
#include <strings.h>

#include "doc.h"

/* Separators between a headline and a site's or section's name; the
 * hierarchical ones (a path: "Site » Section") never end a headline. */
static const char *const seps[] = {
    " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB ",
    " / ", " \\ ", " > ", " \xEF\xBD\x9C ",
};
#define N_SEPS (sizeof seps / sizeof *seps)
#define FIRST_HIERARCHICAL 6

/* The separator at t + i: its index + 1, or 0. */
static size_t sep_at(const char *t, size_t n, size_t i, size_t *len)
{
    for (size_t k = 0; k < N_SEPS; k++) {
        size_t m = strlen(seps[k]);
        if (i + m <= n && memcmp(t + i, seps[k], m) == 0) {
            *len = m;
            return k + 1;
        }
    }
    return 0;
}

static size_t words(const char *t, size_t start, size_t end)
{
    return end > start ? cl_count_words(t + start, end - start) : 0;
}

/* "Site | Headline" or "Headline - Site" for a known site name. */
static int cut_site(const char *t, cl_title_span *sp, const char *site)
{
    size_t k = site ? strlen(site) : 0, m = 0;
    const char *s = t + sp->start;
    size_t n = sp->len;
    if (k == 0 || k + 3 >= n)
        return 0;
    if (strncasecmp(s, site, k) == 0 && sep_at(s, n, k, &m)) {
        sp->start += k + m;
        sp->len -= k + m;
        return 1;
    }
    for (size_t i = n - k; i > 0; i--) {  /* the separator ends where the name starts */
        if (strncasecmp(s + n - k, site, k) != 0)
            break;
        if (sep_at(s, n, i - 1, &m) && i - 1 + m == n - k) {
            sp->len = i - 1;
            return 1;
        }
        if (n - k - i > 3)
            break;
    }
    return 0;
}

static cl_title_span readability_cut(const char *t, size_t n)
{
    cl_title_span whole = { 0, n };
    size_t first = 0, last = 0, first_len = 0, last_len = 0, m = 0, count = 0;
    int hierarchical = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = sep_at(t, n, i, &m);
        if (!k)
            continue;
        if (!count++)
            first = i, first_len = m;
        last = i, last_len = m;
        hierarchical |= k > FIRST_HIERARCHICAL;
        i += m - 2;  /* the space after a separator can start the next */
    }
    if (!count)
        return whole;
    cl_title_span cut = { 0, last };
    if (words(t, 0, last) < 3)
        cut = (cl_title_span){ first + first_len, n - first - first_len };
    size_t w = words(t, cut.start, cut.start + cut.len);
    size_t all = cl_count_words(t, n) - count;
    if (w <= 4 && (!hierarchical || w != all - 1))
        return whole;
    (void)last_len;
    return cut;
}

cl_title_span cl_title_clean(const char *t, size_t n, const char *const *sites,
                             size_t nsites)
{
    cl_title_span sp = { 0, n };
    for (size_t i = 0; i < nsites; i++)
        if (cut_site(t, &sp, sites[i]))
            return sp;
    return readability_cut(t, n);
}

/* ---- similarity --------------------------------------------------------- */

static int word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_' || c >= 0x80;
}

static size_t next_word(const char *s, size_t i, size_t *len)
{
    while (s[i] && !word_byte((unsigned char)s[i]))
        i++;
    size_t j = i;
    while (s[j] && word_byte((unsigned char)s[j]))
        j++;
    *len = j - i;
    return i;
}

static int has_word(const char *s, const char *w, size_t k)
{
    size_t len, i = 0;
    while (s[i]) {
        i = next_word(s, i, &len);
        if (len == k && strncasecmp(s + i, w, k) == 0)
            return 1;
        i += len;
    }
    return 0;
}

static size_t count_title_words(const char *s)
{
    size_t len, i = 0, n = 0;
    while (s[i]) {
        i = next_word(s, i, &len);
        if (!len)
            break;
        n++;
        i += len;
    }
    return n;
}

double cl_title_similarity(const char *a, const char *b)
{
    size_t len, i = 0, total = 0, missing = 0, na = count_title_words(a), nb = 0;
    while (b[i]) {
        i = next_word(b, i, &len);
        if (!len)
            break;
        total += len + (nb++ ? 1 : 0);
        if (!has_word(a, b + i, len))
            missing += len + (missing ? 1 : 0);
        i += len;
    }
    if (!na || !nb)
        return 0;
    return 1.0 - (double)missing / (double)total;
}

int cl_title_names_heading(const char *title, const char *heading, size_t len)
{
    if (!title || len == 0)
        return 0;
    size_t n = strlen(title);
    if (n == len)
        return strncasecmp(title, heading, len) == 0;
    if (len < 8 || len * 5 < n * 2 || len > n)
        return 0;
    for (size_t i = 0; i + len <= n; i++)
        if (strncasecmp(title + i, heading, len) == 0)
            return 1;
    return 0;
}

int cl_title_extends(const char *t, size_t n, const char *head, size_t hn)
{
    size_t m = 0;
    if (!t || !head || hn == 0 || hn + 3 > n)
        return 0;
    if (memcmp(t, head, hn) == 0 && sep_at(t, n, hn, &m) && hn + m < n)
        return 1;
    for (size_t i = 0; i + 3 <= n - hn; i++)
        if (sep_at(t, n, i, &m) && i + m == n - hn && i > 0)
            return memcmp(t + n - hn, head, hn) == 0;
    return 0;
}
