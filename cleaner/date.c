/*
 * date.c - dates as pages write them, to ISO 8601 (contract in date.h).
 *
 * Free text is read as tokens (a run of digits, a word of letters, one
 * punctuation character), and each token that can start a date tries a
 * few fixed shapes on the tokens after it: year first, day first, month
 * first.  A shape reads at most eight tokens, so a scan is linear.
 */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* A word longer than this is no month name in any language listed. */
#define WORD_MAX 40

/* How far before a date the words that mark an update are looked for:
 * "Updated on Monday, " and its like. */
#define UPDATE_WINDOW 48

/* A two-digit year is of this century: earlier ones are before
 * CL_DATE_MIN_YEAR but for 1995 to 1999, which are rare in pages still
 * served. */
#define SHORT_YEAR_BASE 2000

/* Numbers are capped while read: no date part has more digits. */
#define NUM_CAP 100000000

/*
 * Month names, lower case, as dates write them: the nominative, the
 * genitive of the languages that decline it in a date ("7 июня", "7
 * czerwca", "7. června"), the usual abbreviations and the spellings
 * without accents that pages use.  A static table rather than data in
 * config/: the names of months do not change, every caller needs all of
 * them, and a file would make a pure function depend on the file system.
 * A name shared by two languages means the same month in both (Croatian,
 * whose "listopada" is October where Polish has November, is left out).
 */
typedef struct month_name {
    const char   *name;
    unsigned char month;
} month_name;

static const month_name month_names[] = {
    /* English */
    { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
    { "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
    { "november", 11 }, { "december", 12 },
    { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
    { "aug", 8 }, { "sep", 9 }, { "sept", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
    /* German */
    { "januar", 1 }, { "jänner", 1 }, { "jän", 1 }, { "februar", 2 }, { "feber", 2 },
    { "märz", 3 }, { "maerz", 3 }, { "mrz", 3 }, { "mär", 3 }, { "mai", 5 },
    { "juni", 6 }, { "juli", 7 }, { "oktober", 10 }, { "okt", 10 }, { "dezember", 12 },
    { "dez", 12 },
    /* French */
    { "janvier", 1 }, { "janv", 1 }, { "février", 2 }, { "fevrier", 2 }, { "févr", 2 },
    { "fév", 2 }, { "mars", 3 }, { "avril", 4 }, { "avr", 4 }, { "juin", 6 },
    { "juillet", 7 }, { "juil", 7 }, { "août", 8 }, { "aout", 8 }, { "septembre", 9 },
    { "octobre", 10 }, { "novembre", 11 }, { "décembre", 12 }, { "decembre", 12 },
    { "déc", 12 },
    /* Spanish */
    { "enero", 1 }, { "ene", 1 }, { "febrero", 2 }, { "marzo", 3 }, { "abril", 4 },
    { "abr", 4 }, { "mayo", 5 }, { "junio", 6 }, { "julio", 7 }, { "agosto", 8 },
    { "ago", 8 }, { "septiembre", 9 }, { "setiembre", 9 }, { "octubre", 10 },
    { "noviembre", 11 }, { "diciembre", 12 }, { "dic", 12 },
    /* Italian */
    { "gennaio", 1 }, { "gen", 1 }, { "febbraio", 2 }, { "aprile", 4 }, { "maggio", 5 },
    { "mag", 5 }, { "giugno", 6 }, { "giu", 6 }, { "luglio", 7 }, { "lug", 7 },
    { "settembre", 9 }, { "set", 9 }, { "ottobre", 10 }, { "ott", 10 }, { "dicembre", 12 },
    /* Portuguese */
    { "janeiro", 1 }, { "fevereiro", 2 }, { "fev", 2 }, { "março", 3 }, { "marco", 3 },
    { "maio", 5 }, { "junho", 6 }, { "julho", 7 }, { "setembro", 9 }, { "outubro", 10 },
    { "out", 10 }, { "novembro", 11 }, { "dezembro", 12 },
    /* Dutch */
    { "januari", 1 }, { "februari", 2 }, { "maart", 3 }, { "mrt", 3 }, { "mei", 5 },
    { "augustus", 8 },
    /* Swedish, Danish, Norwegian (januari, februari, juni, juli, mars, maj
     * are above or below) */
    { "maj", 5 }, { "augusti", 8 }, { "marts", 3 }, { "desember", 12 },
    /* Polish */
    { "styczeń", 1 }, { "stycznia", 1 }, { "luty", 2 }, { "lutego", 2 }, { "marzec", 3 },
    { "marca", 3 }, { "kwiecień", 4 }, { "kwietnia", 4 }, { "maja", 5 },
    { "czerwiec", 6 }, { "czerwca", 6 }, { "lipiec", 7 }, { "lipca", 7 },
    { "sierpień", 8 }, { "sierpnia", 8 }, { "wrzesień", 9 }, { "września", 9 },
    { "październik", 10 }, { "października", 10 }, { "listopad", 11 },
    { "listopada", 11 }, { "grudzień", 12 }, { "grudnia", 12 },
    /* Czech */
    { "leden", 1 }, { "ledna", 1 }, { "únor", 2 }, { "února", 2 }, { "březen", 3 },
    { "března", 3 }, { "duben", 4 }, { "dubna", 4 }, { "květen", 5 }, { "května", 5 },
    { "červen", 6 }, { "června", 6 }, { "červenec", 7 }, { "července", 7 },
    { "srpen", 8 }, { "srpna", 8 }, { "září", 9 }, { "říjen", 10 }, { "října", 10 },
    { "listopadu", 11 }, { "prosinec", 12 }, { "prosince", 12 },
    /* Slovak */
    { "január", 1 }, { "januára", 1 }, { "február", 2 }, { "februára", 2 },
    { "marec", 3 }, { "apríl", 4 }, { "apríla", 4 }, { "máj", 5 }, { "mája", 5 },
    { "jún", 6 }, { "júna", 6 }, { "júl", 7 }, { "júla", 7 }, { "augusta", 8 },
    { "septembra", 9 }, { "október", 10 }, { "októbra", 10 }, { "novembra", 11 },
    { "decembra", 12 },
    /* Hungarian */
    { "március", 3 }, { "április", 4 }, { "május", 5 }, { "június", 6 },
    { "július", 7 }, { "augusztus", 8 }, { "szeptember", 9 },
    /* Romanian */
    { "ianuarie", 1 }, { "februarie", 2 }, { "martie", 3 }, { "aprilie", 4 },
    { "iunie", 6 }, { "iulie", 7 }, { "septembrie", 9 }, { "octombrie", 10 },
    { "noiembrie", 11 }, { "decembrie", 12 },
    /* Finnish: the partitive of "7. kesäkuuta 2020" */
    { "tammikuuta", 1 }, { "helmikuuta", 2 }, { "maaliskuuta", 3 },
    { "huhtikuuta", 4 }, { "toukokuuta", 5 }, { "kesäkuuta", 6 }, { "heinäkuuta", 7 },
    { "elokuuta", 8 }, { "syyskuuta", 9 }, { "lokakuuta", 10 }, { "marraskuuta", 11 },
    { "joulukuuta", 12 },
    /* Turkish */
    { "ocak", 1 }, { "şubat", 2 }, { "mart", 3 }, { "nisan", 4 }, { "mayıs", 5 },
    { "haziran", 6 }, { "temmuz", 7 }, { "ağustos", 8 }, { "eylül", 9 }, { "ekim", 10 },
    { "kasım", 11 }, { "aralık", 12 },
    /* Indonesian, Malay */
    { "maret", 3 }, { "agustus", 8 }, { "ogos", 8 },
    /* Russian */
    { "январь", 1 }, { "января", 1 }, { "янв", 1 }, { "февраль", 2 }, { "февраля", 2 },
    { "фев", 2 }, { "март", 3 }, { "марта", 3 }, { "мар", 3 }, { "апрель", 4 },
    { "апреля", 4 }, { "апр", 4 }, { "май", 5 }, { "мая", 5 }, { "июнь", 6 },
    { "июня", 6 }, { "июн", 6 }, { "июль", 7 }, { "июля", 7 }, { "июл", 7 },
    { "август", 8 }, { "августа", 8 }, { "авг", 8 }, { "сентябрь", 9 },
    { "сентября", 9 }, { "сен", 9 }, { "сент", 9 }, { "октябрь", 10 }, { "октября", 10 },
    { "окт", 10 }, { "ноябрь", 11 }, { "ноября", 11 }, { "ноя", 11 }, { "нояб", 11 },
    { "декабрь", 12 }, { "декабря", 12 }, { "дек", 12 },
    /* Ukrainian */
    { "січень", 1 }, { "січня", 1 }, { "лютий", 2 }, { "лютого", 2 }, { "березень", 3 },
    { "березня", 3 }, { "квітень", 4 }, { "квітня", 4 }, { "травень", 5 },
    { "травня", 5 }, { "червень", 6 }, { "червня", 6 }, { "липень", 7 }, { "липня", 7 },
    { "серпень", 8 }, { "серпня", 8 }, { "вересень", 9 }, { "вересня", 9 },
    { "жовтень", 10 }, { "жовтня", 10 }, { "листопад", 11 }, { "листопада", 11 },
    { "грудень", 12 }, { "грудня", 12 },
    /* Greek: the genitive of dates */
    { "ιανουαρίου", 1 }, { "φεβρουαρίου", 2 }, { "μαρτίου", 3 }, { "απριλίου", 4 },
    { "μαΐου", 5 }, { "ιουνίου", 6 }, { "ιουλίου", 7 }, { "αυγούστου", 8 },
    { "σεπτεμβρίου", 9 }, { "οκτωβρίου", 10 }, { "νοεμβρίου", 11 }, { "δεκεμβρίου", 12 },
};

/* Words between a day and its month or a month and its year: "7 de
 * junio de 2020", "7th of June", "le 7 juin". */
static const char *const fillers[] = { "de", "del", "of" };

/* What may follow a day's digits: "7th", "1er", "7º", "7-го". */
static const char *const ordinals[] = { "st", "nd", "rd", "th", "er", "e", "ème", "eme", "º",
                                        "ª", "го" };

/* The words before a date that make it an update, not the publication. */
static const char *const update_words[] = {
    "updated", "update", "last modified", "modified", "edited", "revised",
    "aktualisiert", "geändert", "aktualisierung", "stand:", "stand vom", "mis à jour",
    "mise à jour", "modifié", "actualisé", "actualizado", "actualizada", "actualización", "aggiornato",
    "aggiornamento", "atualizado", "atualização", "bijgewerkt", "gewijzigd",
    "zaktualizowano", "aktualizacja", "обновлено", "обновление", "изменено",
    "оновлено", "güncellendi", "güncelleme", "aktualizováno", "aktualizované",
    "upraveno", "uppdaterad", "opdateret", "oppdatert", "päivitetty", "frissítve",
    "更新", "수정",
};

/* ---- calendar ----------------------------------------------------------- */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int is_calendar_day(int y, int m, int d, int allow_no_day)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12)
        return 0;
    if (d == 0)
        return allow_no_day;
    return d >= 1 && d <= days_in_month(y, m);
}

int cl_date_valid(const cl_date *d, long long now, int allow_no_day)
{
    if (!d || !is_calendar_day(d->year, d->month, d->day, allow_no_day) ||
        d->year < CL_DATE_MIN_YEAR)
        return 0;
    if (d->has_time && (d->hour > 23 || d->minute > 59 || d->second > 60))
        return 0;
    if (now <= 0)
        return 1;
    long long today = now / 86400;
    return days_from_civil(d->year, d->month, d->day ? d->day : 1) <= today + 1;
}

static void set_day(cl_date *d, int y, int m, int day)
{
    memset(d, 0, sizeof *d);
    d->year = y;
    d->month = m;
    d->day = day;
}

/* ---- characters and words ----------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_ascii_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The code point at s[i], its length in *len (1 for a broken byte). */
static utf8proc_int32_t code_point(const char *s, size_t n, size_t i, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) {
        *len = 1;
        return 0xFFFD;
    }
    *len = (size_t)k;
    return cp;
}

static int is_space_cp(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
           cp == 0xA0 || cp == 0x2009 || cp == 0x202F || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200B);
}

/* The characters that mark the parts of an East Asian date. */
enum { CJK_YEAR = 0x5E74, CJK_MONTH = 0x6708, CJK_DAY = 0x65E5, CJK_DAY2 = 0x53F7,
       KO_YEAR = 0xB144, KO_MONTH = 0xC6D4, KO_DAY = 0xC77C };

static int is_cjk_mark(utf8proc_int32_t cp)
{
    return cp == CJK_YEAR || cp == CJK_MONTH || cp == CJK_DAY || cp == CJK_DAY2 ||
           cp == KO_YEAR || cp == KO_MONTH || cp == KO_DAY;
}

static int is_letter_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (is_cjk_mark(cp))
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return 1;
    default:
        return 0;
    }
}

/* Appends cp lower-cased to out[*k..cap); 0 when it does not fit. */
static int append_folded(char *out, size_t *k, size_t cap, utf8proc_int32_t cp)
{
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
    if (m <= 0 || *k + (size_t)m >= cap)
        return 0;
    memcpy(out + *k, enc, (size_t)m);
    *k += (size_t)m;
    return 1;
}

static int in_list(const char *w, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(w, list[i]) == 0)
            return 1;
    return 0;
}

static int month_of(const char *w)
{
    for (size_t i = 0; i < sizeof month_names / sizeof *month_names; i++)
        if (strcmp(w, month_names[i].name) == 0)
            return month_names[i].month;
    return 0;
}

/* ---- tokens ------------------------------------------------------------- */

typedef enum tok_kind { T_END = 0, T_NUM, T_WORD, T_PUNCT } tok_kind;

enum { W_MONTH = 1, W_FILLER = 2, W_ORDINAL = 4 };

typedef struct tok {
    tok_kind kind;
    size_t   start, end;
    int      value;    /* T_NUM: the number; T_WORD: the month, 0 for none;
                          T_PUNCT: the code point */
    int      digits;   /* T_NUM */
    unsigned word;     /* T_WORD: W_* */
    int      spaced;   /* whitespace before it */
} tok;

static tok read_number(const char *s, size_t n, size_t i)
{
    tok t = { .kind = T_NUM, .start = i };
    long v = 0;
    while (i < n && is_digit(s[i])) {
        if (v < NUM_CAP)
            v = v * 10 + (s[i] - '0');
        t.digits++;
        i++;
    }
    t.value = (int)v;
    t.end = i;
    return t;
}

static tok read_word(const char *s, size_t n, size_t i)
{
    tok t = { .kind = T_WORD, .start = i };
    char w[WORD_MAX];
    size_t k = 0, len;
    int fits = 1;
    while (i < n) {
        utf8proc_int32_t cp = code_point(s, n, i, &len);
        if (!is_letter_cp(cp))
            break;
        fits = fits && append_folded(w, &k, sizeof w, cp);
        i += len;
    }
    t.end = i;
    if (!fits)
        return t;
    w[k] = '\0';
    t.value = month_of(w);
    t.word = (t.value ? W_MONTH : 0) |
             (in_list(w, fillers, sizeof fillers / sizeof *fillers) ? W_FILLER : 0) |
             (in_list(w, ordinals, sizeof ordinals / sizeof *ordinals) ? W_ORDINAL : 0);
    return t;
}

/* The token at or after s[i]. */
static tok next_tok(const char *s, size_t n, size_t i)
{
    size_t start = i, len;
    utf8proc_int32_t cp = 0;
    while (i < n && is_space_cp(cp = code_point(s, n, i, &len)))
        i += len;
    tok t = { .kind = T_END, .start = i, .end = i };
    if (i < n && is_digit(s[i]))
        t = read_number(s, n, i);
    else if (i < n && is_letter_cp(cp))
        t = read_word(s, n, i);
    else if (i < n)
        t = (tok){ .kind = T_PUNCT, .start = i, .end = i + len, .value = cp };
    t.spaced = i > start;
    return t;
}

static int is_punct(const tok *t, int c)
{
    return t->kind == T_PUNCT && t->value == c;
}

static int is_num(const tok *t, int min_digits, int max_digits)
{
    return t->kind == T_NUM && t->digits >= min_digits && t->digits <= max_digits;
}

/* ---- shapes of dates ---------------------------------------------------- */

/* A reader over the tokens after a date's first one. */
typedef struct cursor {
    const char *s;
    size_t      n;
    tok         t;     /* the current token */
} cursor;

static void advance(cursor *c)
{
    c->t = next_tok(c->s, c->n, c->t.end);
}

/* Passes over the current token when it is the punctuation c. */
static void skip_punct(cursor *c, int ch)
{
    if (is_punct(&c->t, ch))
        advance(c);
}

static void skip_word(cursor *c, unsigned kind)
{
    if (c->t.kind == T_WORD && (c->t.word & kind))
        advance(c);
}

/* A number ends a date only where no digit or letter carries it on, nor
 * ".5", "/7", ":30" making it part of a longer figure. */
static int ends_number(const cursor *c)
{
    const char *s = c->s;
    size_t e = c->t.end;
    if (e >= c->n)
        return 1;
    if (is_ascii_alnum(s[e]))
        return 0;
    return !((s[e] == '.' || s[e] == '/' || s[e] == '-' || s[e] == ':') &&
             e + 1 < c->n && is_digit(s[e + 1]));
}

/* 2020-06-07, 2020/6/7, 2020.06.07: the separator repeats, no spaces. */
static int year_first_numeric(cursor *c, int year, cl_date *d)
{
    tok sep = c->t;
    if (sep.spaced || !(is_punct(&sep, '-') || is_punct(&sep, '/') || is_punct(&sep, '.')))
        return 0;
    advance(c);
    tok m = c->t;
    if (m.spaced || !is_num(&m, 1, 2))
        return 0;
    advance(c);
    if (c->t.spaced || !is_punct(&c->t, sep.value))
        return 0;
    advance(c);
    if (c->t.spaced || !is_num(&c->t, 1, 2))
        return 0;
    int day = c->t.value;
    int ends = c->t.end >= c->n || c->s[c->t.end] == 'T' || ends_number(c);
    set_day(d, year, m.value, day);
    return ends;
}

/* 2020年6月7日, 2020년 6월 7일. */
static int year_first_cjk(cursor *c, int year, cl_date *d)
{
    int korean = is_punct(&c->t, KO_YEAR);
    if (!korean && !is_punct(&c->t, CJK_YEAR))
        return 0;
    advance(c);
    if (!is_num(&c->t, 1, 2))
        return 0;
    int month = c->t.value;
    advance(c);
    if (!is_punct(&c->t, korean ? KO_MONTH : CJK_MONTH))
        return 0;
    advance(c);
    if (!is_num(&c->t, 1, 2))
        return 0;
    int day = c->t.value;
    advance(c);
    if (!is_punct(&c->t, korean ? KO_DAY : CJK_DAY) && !(!korean && is_punct(&c->t, CJK_DAY2)))
        return 0;
    set_day(d, year, month, day);
    return 1;
}

/* Hungarian: 2020. június 7. */
static int year_first_named(cursor *c, int year, cl_date *d)
{
    if (!is_punct(&c->t, '.'))
        return 0;
    advance(c);
    if (c->t.kind != T_WORD || !(c->t.word & W_MONTH))
        return 0;
    int month = c->t.value;
    advance(c);
    if (!is_num(&c->t, 1, 2) || !ends_number(c))
        return 0;
    set_day(d, year, month, c->t.value);
    return 1;
}

static int year_first(cursor *c, cl_date *d)
{
    int year = c->t.value;
    cursor at = *c;
    advance(c);
    cursor after_year = *c;
    if (year_first_numeric(c, year, d))
        return 1;
    *c = after_year;
    if (year_first_cjk(c, year, d))
        return 1;
    *c = after_year;
    if (year_first_named(c, year, d))
        return 1;
    *c = at;
    return 0;
}

/* The year that ends "7 June 2020", "June 7, 2020", "7 de junio de 2020". */
static int named_year(cursor *c, int *year)
{
    skip_punct(c, ',');
    skip_word(c, W_FILLER);
    if (!is_num(&c->t, 4, 4) || !ends_number(c))
        return 0;
    *year = c->t.value;
    return 1;
}

/* 07.06.2020, 7/6/2020, 07-06-2020; "07. 06. 2020" with spaces after dots. */
static int day_first_numeric(cursor *c, int a, cl_date_order order, cl_date *d)
{
    tok sep = c->t;
    if (sep.spaced || !(is_punct(&sep, '.') || is_punct(&sep, '/') || is_punct(&sep, '-')))
        return 0;
    int dot = sep.value == '.';
    advance(c);
    if ((c->t.spaced && !dot) || !is_num(&c->t, 1, 2))
        return 0;
    int b = c->t.value;
    advance(c);
    if (c->t.spaced || !is_punct(&c->t, sep.value))
        return 0;
    advance(c);
    /* "28.01.22": a two-digit year, with dots and no spaces only */
    int short_year = dot && !c->t.spaced && is_num(&c->t, 2, 2);
    if ((c->t.spaced && !dot) || !(is_num(&c->t, 4, 4) || short_year) || !ends_number(c))
        return 0;
    int mdy = a <= 12 && (b > 12 || (sep.value == '/' && order == CL_DATE_MDY));
    int year = short_year ? SHORT_YEAR_BASE + c->t.value : c->t.value;
    set_day(d, year, mdy ? a : b, mdy ? b : a);
    return 1;
}

/* 7. Juni 2020, 7 juin 2020, 1er juin 2020, 7th of June, 2020, 7 de junio de 2020. */
static int day_first_named(cursor *c, int day, cl_date *d)
{
    if (!c->t.spaced)
        skip_word(c, W_ORDINAL);
    skip_punct(c, '.');
    skip_word(c, W_FILLER);
    if (c->t.kind != T_WORD || !(c->t.word & W_MONTH))
        return 0;
    int month = c->t.value, year;
    advance(c);
    skip_punct(c, '.');
    if (!named_year(c, &year))
        return 0;
    set_day(d, year, month, day);
    return 1;
}

static int day_first(cursor *c, cl_date_order order, cl_date *d)
{
    int day = c->t.value;
    cursor at = *c;
    advance(c);
    cursor after_day = *c;
    if (day_first_numeric(c, day, order, d))
        return 1;
    *c = after_day;
    if (day_first_named(c, day, d))
        return 1;
    *c = at;
    return 0;
}

/* June 7, 2020; Jun. 7th 2020. */
static int month_first(cursor *c, cl_date *d)
{
    int month = c->t.value, year;
    cursor at = *c;
    advance(c);
    skip_punct(c, '.');
    if (!is_num(&c->t, 1, 2)) {
        *c = at;
        return 0;
    }
    int day = c->t.value;
    advance(c);
    if (!c->t.spaced)
        skip_word(c, W_ORDINAL);
    if (!named_year(c, &year)) {
        *c = at;
        return 0;
    }
    set_day(d, year, month, day);
    return 1;
}

/* A number can start a date where no letter or longer figure runs into it. */
static int starts_number(const char *s, size_t i)
{
    if (i == 0)
        return 1;
    char p = s[i - 1];
    if (is_ascii_alnum(p))
        return 0;
    return !((p == '.' || p == '/' || p == '-' || p == ':' || p == ',') && i >= 2 &&
             is_digit(s[i - 2]));
}

/* A date starting at token c->t; on success c->t is its last token. */
static int date_at(cursor *c, cl_date_order order, cl_date *d)
{
    const tok *t = &c->t;
    if (t->kind == T_WORD && (t->word & W_MONTH))
        return month_first(c, d);
    if (t->kind != T_NUM || !starts_number(c->s, t->start))
        return 0;
    if (t->digits == 4)
        return year_first(c, d);
    if (t->digits <= 2)
        return day_first(c, order, d);
    return 0;
}

/* ---- updates ------------------------------------------------------------ */

/* s[from..to) lower-cased into out (cut at cap - 1 bytes). */
static void fold_span(const char *s, size_t from, size_t to, char *out, size_t cap)
{
    size_t k = 0, len;
    for (size_t i = from; i < to; i += len) {
        utf8proc_int32_t cp = code_point(s, to, i, &len);
        if (!append_folded(out, &k, cap, is_space_cp(cp) ? ' ' : cp))
            break;
    }
    out[k] = '\0';
}

static int marks_update(const char *s, size_t from, size_t start)
{
    size_t w = start - from > UPDATE_WINDOW ? start - UPDATE_WINDOW : from;
    while (w < start && ((unsigned char)s[w] & 0xC0) == 0x80)
        w++;  /* not inside a character */
    char folded[UPDATE_WINDOW * 2 + 1];
    fold_span(s, w, start, folded, sizeof folded);
    for (size_t i = 0; i < sizeof update_words / sizeof *update_words; i++)
        if (strstr(folded, update_words[i]))
            return 1;
    return 0;
}

int cl_date_scan(const char *s, size_t n, size_t from, cl_date_order order,
                 cl_date_hit *hit)
{
    if (!s || from >= n)
        return 0;
    cursor c = { s, n, next_tok(s, n, from) };
    while (c.t.kind != T_END) {
        size_t start = c.t.start;
        cursor at = c;
        cl_date d;
        if (date_at(&c, order, &d) && is_calendar_day(d.year, d.month, d.day, 0)) {
            hit->date = d;
            hit->start = start;
            hit->end = c.t.end;
            hit->updated = marks_update(s, from, start);
            return 1;
        }
        c = at;
        advance(&c);
    }
    return 0;
}

/* ---- one date string ---------------------------------------------------- */

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Exactly `k` digits at s[*i], read into *v. */
static int digits(const char *s, size_t n, size_t *i, int k, int *v)
{
    int x = 0;
    for (int j = 0; j < k; j++) {
        if (*i + (size_t)j >= n || !is_digit(s[*i + (size_t)j]))
            return 0;
        x = x * 10 + (s[*i + (size_t)j] - '0');
    }
    *i += (size_t)k;
    *v = x;
    return 1;
}

/* Z, +02:00, +0200, +02, GMT, UTC (GMT+2 too). */
static void parse_offset(const char *s, size_t n, size_t i, cl_date *d)
{
    i = skip_spaces(s, n, i);
    if (i < n && s[i] == 'Z') {
        d->has_offset = 1;
        return;
    }
    if (i + 3 <= n && (memcmp(s + i, "GMT", 3) == 0 || memcmp(s + i, "UTC", 3) == 0)) {
        d->has_offset = 1;
        i += 3;
    }
    if (i >= n || (s[i] != '+' && s[i] != '-'))
        return;
    int sign = s[i++] == '-' ? -1 : 1, h, m = 0;
    if (!digits(s, n, &i, 2, &h))
        return;
    if (i < n && s[i] == ':')
        i++;
    if (i < n && is_digit(s[i]) && !digits(s, n, &i, 2, &m))
        return;
    if (h > 14 || m > 59)
        return;
    d->has_offset = 1;
    d->offset_min = sign * (h * 60 + m);
}

/* "T10:00", " 10:00:00.000", ", 10:00" after a date, then an offset. */
static void parse_time(const char *s, size_t n, size_t i, cl_date *d)
{
    if (i < n && (s[i] == 'T' || s[i] == ','))
        i++;
    i = skip_spaces(s, n, i);
    int h, m, sec = 0;
    if (!digits(s, n, &i, 2, &h) || i >= n || s[i] != ':')
        return;
    i++;
    if (!digits(s, n, &i, 2, &m))
        return;
    if (i < n && s[i] == ':') {
        i++;
        if (!digits(s, n, &i, 2, &sec))
            return;
    }
    while (i < n && (s[i] == '.' || s[i] == ',') && i + 1 < n && is_digit(s[i + 1]))
        for (i++; i < n && is_digit(s[i]); i++)
            ;
    if (h > 23 || m > 59 || sec > 60)
        return;
    d->has_time = 1;
    d->hour = h;
    d->minute = m;
    d->second = sec;
    parse_offset(s, n, i, d);
}

/* 20200607, 20200607T100000: a compact ISO date, the whole leading figure. */
static int compact_iso(const char *s, size_t n, size_t i, cl_date *d)
{
    int y, m, day;
    size_t j = i;
    if (!digits(s, n, &j, 4, &y) || !digits(s, n, &j, 2, &m) || !digits(s, n, &j, 2, &day))
        return 0;
    if (j < n && is_digit(s[j]))
        return 0;
    set_day(d, y, m, day);
    return 1;
}

int cl_date_parse(const char *s, size_t n, cl_date_order order, cl_date *d)
{
    if (!s)
        return 0;
    size_t i = skip_spaces(s, n, 0);
    cl_date_hit hit;
    if (compact_iso(s, n, i, d) && is_calendar_day(d->year, d->month, d->day, 0)) {
        parse_time(s, n, i + 8, d);
        return 1;
    }
    if (!cl_date_scan(s, n, i, order, &hit))
        return 0;
    *d = hit.date;
    parse_time(s, n, hit.end, d);
    return 1;
}

/* ---- URLs --------------------------------------------------------------- */

/* The path of a URL: after "scheme://host", or all of it when relative. */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return url;
    const char *slash = strchr(p + 3, '/');
    return slash ? slash : p + strlen(p);
}

static int is_url_sep(char c)
{
    return c == '/' || c == '-' || c == '_' || c == '.';
}

/* A run of digits in the path, bounded by non-digits. */
static int url_number(const char *p, size_t *i, int *v, int *len)
{
    size_t j = *i;
    int x = 0;
    while (is_digit(p[j]) && j - *i < 9)
        x = x * 10 + (p[j++] - '0');
    if (is_digit(p[j]))
        return 0;
    *len = (int)(j - *i);
    *v = x;
    *i = j;
    return *len > 0;
}

/* DD sep MM sep YYYY, the day's digits read already: "/29-10-2021". */
static int url_day_first(const char *p, size_t i, int day, cl_date *d)
{
    int m, mlen, y, ylen;
    char sep = p[i];
    if (!is_url_sep(sep) || !is_digit(p[i + 1]))
        return 0;
    i++;
    if (!url_number(p, &i, &m, &mlen) || mlen > 2 || p[i] != sep || !is_digit(p[i + 1]))
        return 0;
    i++;
    if (!url_number(p, &i, &y, &ylen) || ylen != 4)
        return 0;
    set_day(d, y, m, day);
    return is_calendar_day(y, m, day, 0);
}

/* A date starting at p[i]: YYYY sep MM sep DD, YYYYMMDD, DD sep MM sep
 * YYYY, or /YYYY/MM/ (2: the day unknown). */
static int url_date_at(const char *p, size_t i, cl_date *d)
{
    int y, ylen, m, mlen, day, dlen;
    if (!url_number(p, &i, &y, &ylen))
        return 0;
    if (ylen == 8) {
        set_day(d, y / 10000, y / 100 % 100, y % 100);
        return is_calendar_day(d->year, d->month, d->day, 0);
    }
    if (ylen <= 2)
        return url_day_first(p, i, y, d);
    char sep = p[i];
    if (ylen != 4 || !is_url_sep(sep) || !is_digit(p[i + 1]))
        return 0;
    i++;
    if (!url_number(p, &i, &m, &mlen) || mlen > 2)
        return 0;
    if (p[i] == sep && is_digit(p[i + 1])) {
        i++;
        if (url_number(p, &i, &day, &dlen) && dlen <= 2) {
            set_day(d, y, m, day);
            return is_calendar_day(y, m, day, 0);
        }
        return 0;
    }
    set_day(d, y, m, 0);
    return sep == '/' && p[i] == '/' && is_calendar_day(y, m, 0, 1) ? 2 : 0;
}

int cl_date_from_url(const char *url, cl_date *d)
{
    if (!url)
        return 0;
    const char *p = url_path(url);
    cl_date partial;
    int have_partial = 0;
    for (size_t i = 0; p[i]; i++) {
        if (!is_digit(p[i]) || (i > 0 && is_digit(p[i - 1])))
            continue;
        if (i > 0 && !is_url_sep(p[i - 1]))
            continue;
        cl_date at;
        int r = url_date_at(p, i, &at);
        if (r == 1) {
            *d = at;
            return 1;
        }
        if (r == 2 && !have_partial) {
            partial = at;
            have_partial = 1;
        }
    }
    if (have_partial)
        *d = partial;
    return have_partial;
}

/* ---- ISO text ----------------------------------------------------------- */

size_t cl_date_iso(const cl_date *d, char out[CL_DATE_ISO_MAX])
{
    int k = d->day ? snprintf(out, CL_DATE_ISO_MAX, "%04d-%02d-%02d", d->year, d->month, d->day)
                   : snprintf(out, CL_DATE_ISO_MAX, "%04d-%02d", d->year, d->month);
    if (d->day && d->has_time)
        k += snprintf(out + k, CL_DATE_ISO_MAX - (size_t)k, "T%02d:%02d:%02d", d->hour,
                      d->minute, d->second);
    if (d->day && d->has_time && d->has_offset && d->offset_min == 0)
        k += snprintf(out + k, CL_DATE_ISO_MAX - (size_t)k, "Z");
    else if (d->day && d->has_time && d->has_offset) {
        int off = d->offset_min < 0 ? -d->offset_min : d->offset_min;
        k += snprintf(out + k, CL_DATE_ISO_MAX - (size_t)k, "%c%02d:%02d",
                      d->offset_min < 0 ? '-' : '+', off / 60, off % 60);
    }
    return (size_t)k;
}
