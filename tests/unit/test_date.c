/*
 * test_date.c - date.h: date strings, dates in free text and URLs, to ISO
 * 8601; impossible, early and future dates refused; updates told apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cleaner.h"
#include "date.h"

/* 2026-12-04T00:00:00Z: the reference "now" of these tests. */
#define NOW 1796342400LL

static const char *iso(const cl_date *d)
{
    static char out[CL_DATE_ISO_MAX];
    cl_date_iso(d, out);
    return out;
}

/* The ISO text of the one date string s, or "" when it parses as none. */
static const char *parse(const char *s)
{
    cl_date d;
    return cl_date_parse(s, strlen(s), CL_DATE_DMY, &d) ? iso(&d) : "";
}

/* The ISO text of the first date in free text s, or "". */
static const char *scan_order(const char *s, cl_date_order order)
{
    cl_date_hit hit;
    return cl_date_scan(s, strlen(s), 0, order, &hit) ? iso(&hit.date) : "";
}

static const char *scan(const char *s)
{
    return scan_order(s, CL_DATE_DMY);
}

static void iso_strings_keep_their_time_and_offset(void **state)
{
    (void)state;
    assert_string_equal(parse("2020-06-07"), "2020-06-07");
    assert_string_equal(parse("2020-06-07T10:00:00+02:00"), "2020-06-07T10:00:00+02:00");
    assert_string_equal(parse("2020-06-07T10:00:00.000Z"), "2020-06-07T10:00:00Z");
    assert_string_equal(parse(" 2020-06-07 10:05:30-0500"), "2020-06-07T10:05:30-05:00");
    assert_string_equal(parse("2020-06-07T10:00"), "2020-06-07T10:00:00");
    assert_string_equal(parse("20200607"), "2020-06-07");
}

static void rfc_2822_dates_parse(void **state)
{
    (void)state;
    assert_string_equal(parse("Sun, 07 Jun 2020 10:00:00 GMT"), "2020-06-07T10:00:00Z");
    assert_string_equal(parse("Sun, 07 Jun 2020 10:00:00 +0200"), "2020-06-07T10:00:00+02:00");
}

static void a_string_without_a_date_parses_as_none(void **state)
{
    (void)state;
    assert_string_equal(parse("yesterday"), "");
    assert_string_equal(parse("1591523000"), "");
    assert_string_equal(parse(""), "");
}

static void impossible_days_are_no_dates(void **state)
{
    (void)state;
    assert_string_equal(parse("2021-02-29"), "");
    assert_string_equal(parse("2020-13-01"), "");
    assert_string_equal(scan("on 31.04.2020"), "");
    assert_string_equal(parse("2020-02-29"), "2020-02-29");
}

static void early_and_future_dates_are_not_valid(void **state)
{
    (void)state;
    cl_date d = { .year = 1994, .month = 12, .day = 31 };
    assert_false(cl_date_valid(&d, NOW, 0));
    d.year = 1995;
    assert_true(cl_date_valid(&d, NOW, 0));
    d = (cl_date){ .year = 2026, .month = 12, .day = 5 };  /* a day ahead: a time zone */
    assert_true(cl_date_valid(&d, NOW, 0));
    d.day = 6;
    assert_false(cl_date_valid(&d, NOW, 0));
    assert_true(cl_date_valid(&d, 0, 0));                 /* no "now": no future */
}

static void a_date_without_its_day_is_valid_only_when_allowed(void **state)
{
    (void)state;
    cl_date d = { .year = 2020, .month = 6, .day = 0 };
    assert_false(cl_date_valid(&d, NOW, 0));
    assert_true(cl_date_valid(&d, NOW, 1));
    assert_string_equal(iso(&d), "2020-06");
}

static void numeric_dates_in_text(void **state)
{
    (void)state;
    assert_string_equal(scan("Posted 07.06.2020 by Ann"), "2020-06-07");
    assert_string_equal(scan("am 7. 6. 2020"), "2020-06-07");
    assert_string_equal(scan("2020/06/07"), "2020-06-07");
    assert_string_equal(scan("on 2020-6-7, a Sunday"), "2020-06-07");
    assert_string_equal(scan("erstellt 28.01.22 / 0 Kommentare"), "2022-01-28");
    assert_string_equal(scan("28/01/22"), "");  /* two-digit years with dots only */
}

static void day_month_ambiguity_follows_the_order_given(void **state)
{
    (void)state;
    assert_string_equal(scan_order("7/6/2020", CL_DATE_DMY), "2020-06-07");
    assert_string_equal(scan_order("7/6/2020", CL_DATE_MDY), "2020-07-06");
    /* a part over 12 is the day, whatever the order */
    assert_string_equal(scan_order("6/17/2020", CL_DATE_DMY), "2020-06-17");
    assert_string_equal(scan_order("17/6/2020", CL_DATE_MDY), "2020-06-17");
    /* dots are day first */
    assert_string_equal(scan_order("07.06.2020", CL_DATE_MDY), "2020-06-07");
}

static void numbers_inside_longer_figures_are_no_dates(void **state)
{
    (void)state;
    assert_string_equal(scan("version 1.07.06.2020"), "");
    assert_string_equal(scan("id 12007.06.2020"), "");
    assert_string_equal(scan("call 2020-06-07-1234"), "");
}

static void month_names_in_many_languages(void **state)
{
    (void)state;
    assert_string_equal(scan("June 7th, 2020"), "2020-06-07");
    assert_string_equal(scan("Jun. 7, 2020"), "2020-06-07");
    assert_string_equal(scan("7th of June 2020"), "2020-06-07");
    assert_string_equal(scan("7. Juni 2020"), "2020-06-07");
    assert_string_equal(scan("3. März 2021"), "2021-03-03");
    assert_string_equal(scan("le 1er juin 2020"), "2020-06-01");
    assert_string_equal(scan("7 août 2020"), "2020-08-07");
    assert_string_equal(scan("7 de junio de 2020"), "2020-06-07");
    assert_string_equal(scan("7 giugno 2020"), "2020-06-07");
    assert_string_equal(scan("7 de junho de 2020"), "2020-06-07");
    assert_string_equal(scan("7 juni 2020"), "2020-06-07");
    assert_string_equal(scan("7 czerwca 2020"), "2020-06-07");
    assert_string_equal(scan("7 июня 2020 г."), "2020-06-07");
    assert_string_equal(scan("7 Haziran 2020"), "2020-06-07");
    assert_string_equal(scan("7. června 2020"), "2020-06-07");
    assert_string_equal(scan("7 JUNI 2020"), "2020-06-07");
    assert_string_equal(scan("7 Ιουνίου 2020"), "2020-06-07");
    assert_string_equal(scan("2020. június 7."), "2020-06-07");
}

static void east_asian_dates(void **state)
{
    (void)state;
    assert_string_equal(scan("发布时间：2020年6月7日 10:00"), "2020-06-07");
    assert_string_equal(scan("2020年06月07日"), "2020-06-07");
    assert_string_equal(scan("2020년 6월 7일"), "2020-06-07");
}

static void a_word_that_holds_a_month_name_is_no_month(void **state)
{
    (void)state;
    assert_string_equal(scan("7 Marches 2020"), "");
    assert_string_equal(scan("May 2020"), "");
}

static void the_scan_goes_on_from_where_it_stopped(void **state)
{
    (void)state;
    const char *s = "Published June 7, 2020. Updated June 8, 2020";
    cl_date_hit hit;
    assert_true(cl_date_scan(s, strlen(s), 0, CL_DATE_DMY, &hit));
    assert_string_equal(iso(&hit.date), "2020-06-07");
    assert_false(hit.updated);
    assert_true(cl_date_scan(s, strlen(s), hit.end, CL_DATE_DMY, &hit));
    assert_string_equal(iso(&hit.date), "2020-06-08");
    assert_true(hit.updated);
    assert_false(cl_date_scan(s, strlen(s), hit.end, CL_DATE_DMY, &hit));
}

static void update_words_in_several_languages(void **state)
{
    (void)state;
    static const char *const updates[] = {
        "Aktualisiert am 8. Juni 2020", "mis à jour le 8 juin 2020",
        "Actualizado el 8 de junio de 2020", "Last updated: June 8, 2020",
        "Обновлено 8 июня 2020",
    };
    for (size_t i = 0; i < sizeof updates / sizeof *updates; i++) {
        cl_date_hit hit;
        assert_true(cl_date_scan(updates[i], strlen(updates[i]), 0, CL_DATE_DMY, &hit));
        assert_string_equal(iso(&hit.date), "2020-06-08");
        assert_true(hit.updated);
    }
}

static const char *url(const char *u)
{
    static char out[CL_DATE_ISO_MAX];
    cl_date d;
    if (!cl_date_from_url(u, &d))
        return "";
    cl_date_iso(&d, out);
    return out;
}

static void dates_in_urls(void **state)
{
    (void)state;
    assert_string_equal(url("https://example.org/2020/06/07/a-story/"), "2020-06-07");
    assert_string_equal(url("https://example.org/news/2020-06-07-a-story"), "2020-06-07");
    assert_string_equal(url("https://example.org/news/a_2020_06_07.html"), "2020-06-07");
    assert_string_equal(url("https://example.org/20200607/a-story"), "2020-06-07");
    assert_string_equal(url("https://example.org/news/07-06-2020"), "2020-06-07");
    assert_string_equal(url("https://example.org/2020/06/a-story"), "2020-06");
    assert_string_equal(url("https://example.org/2020/a-story"), "");
    assert_string_equal(url("https://example.org/story?id=20201399"), "");
    /* the host is no path */
    assert_string_equal(url("https://2020-06-07.example.org/a"), "");
}

/* ---- a page's dates, through cl_clean_input() -------------------------- */

typedef struct page_dates {
    char date[CL_DATE_ISO_MAX + 1];
    char modified[CL_DATE_ISO_MAX + 1];
} page_dates;

static page_dates clean_page(const char *bytes, const char *name, const char *url,
                             long long now)
{
    cl_options o;
    cl_options_init(&o);
    o.now = now;
    cl_cleaner *c = cl_cleaner_new(&o, NULL);
    assert_non_null(c);
    cl_input in = { .bytes = bytes, .len = strlen(bytes), .name_hint = name, .url = url };
    cl_doc *doc = NULL;
    cl_error err = { "" };
    if (cl_clean_input(c, &in, &doc, &err) < 0)
        fail_msg("cl_clean_input: %s", err.msg);
    page_dates pd = { "", "" };
    const char *d = cl_doc_meta(doc, CL_META_DATE), *m = cl_doc_meta(doc, CL_META_DATE_MODIFIED);
    snprintf(pd.date, sizeof pd.date, "%s", d ? d : "");
    snprintf(pd.modified, sizeof pd.modified, "%s", m ? m : "");
    cl_doc_free(doc);
    cl_cleaner_free(c);
    return pd;
}

#define BODY "<h1>A headline of the story</h1><p>Some article text that goes on for a " \
             "while, with a sentence or two of body.</p>"

static void json_ld_gives_the_publication_and_the_modification(void **state)
{
    (void)state;
    const char *html =
        "<html><head><script type=\"application/ld+json\">{\"@graph\": [{\"@type\": "
        "\"NewsArticle\", \"datePublished\": \"2020-06-07T10:00:00+02:00\", "
        "\"dateModified\": \"2020-06-09T08:00:00+02:00\", \"comment\": [{\"datePublished\": "
        "\"2020-06-08\"}]}]}</script></head><body>" BODY "</body></html>";
    page_dates pd = clean_page(html, "a.html", NULL, NOW);
    assert_string_equal(pd.date, "2020-06-07T10:00:00+02:00");
    assert_string_equal(pd.modified, "2020-06-09T08:00:00+02:00");
}

static void meta_tags_rank_over_a_bare_time(void **state)
{
    (void)state;
    const char *html =
        "<html><head><meta property=\"article:published_time\" content=\"2020-06-07\">"
        "<meta property=\"article:modified_time\" content=\"2020-06-08\"></head><body>"
        "<time datetime=\"2020-01-01\">1 Jan</time>" BODY "</body></html>";
    page_dates pd = clean_page(html, "a.html", NULL, NOW);
    assert_string_equal(pd.date, "2020-06-07");
    assert_string_equal(pd.modified, "2020-06-08");
}

static void a_future_date_is_refused_against_the_callers_now(void **state)
{
    (void)state;
    const char *html =
        "<html><head><meta property=\"article:published_time\" content=\"2027-01-01\">"
        "</head><body><time datetime=\"2020-06-07\">7 June</time>" BODY "</body></html>";
    assert_string_equal(clean_page(html, "a.html", NULL, NOW).date, "2020-06-07");
    /* no "now": nothing is future, and the library reads no clock */
    assert_string_equal(clean_page(html, "a.html", NULL, 0).date, "2027-01-01");
}

static void the_url_gives_a_date_and_beats_a_utc_time_a_day_off(void **state)
{
    (void)state;
    const char *bare = "<html><body>" BODY "</body></html>";
    assert_string_equal(clean_page(bare, "a.html", "https://example.org/2020/06/07/a-story",
                                   NOW).date, "2020-06-07");
    const char *utc =
        "<html><head><meta property=\"article:published_time\" "
        "content=\"2020-06-06T23:30:00+00:00\"></head><body>" BODY "</body></html>";
    assert_string_equal(clean_page(utc, "a.html", "https://example.org/2020/06/07/a-story",
                                   NOW).date, "2020-06-07");
}

static void the_text_near_the_title_keeps_the_original_over_the_update(void **state)
{
    (void)state;
    const char *html =
        "<html><body><h1>A headline of the story</h1><p>Aktualisiert am 9. Juni 2020</p>"
        "<p>Veröffentlicht am 7. Juni 2020</p><p>Some article text that goes on for a while, "
        "with a sentence or two of body.</p></body></html>";
    page_dates pd = clean_page(html, "a.html", NULL, NOW);
    assert_string_equal(pd.date, "2020-06-07");
    assert_string_equal(pd.modified, "2020-06-09");
}

static void a_date_in_a_comment_is_not_the_pages(void **state)
{
    (void)state;
    const char *html =
        "<html><body><h1>A headline of the story</h1><p>Some article text that goes on "
        "for a while, with a sentence or two of body.</p><div class=\"comments\"><time "
        "datetime=\"2020-06-08\">8 June</time></div><span class=\"post-date\">"
        "7. Juni 2020</span></body></html>";
    assert_string_equal(clean_page(html, "a.html", NULL, NOW).date, "2020-06-07");
}

static void a_text_takes_a_date_line_near_its_top(void **state)
{
    (void)state;
    const char *text = "A headline\n\nBy Ann Lee, June 7, 2020\n\nThe first paragraph "
                       "of the article, a sentence.\n";
    assert_string_equal(clean_page(text, "a.txt", NULL, NOW).date, "2020-06-07");
    const char *marked = " date 2022-10-11 The text, which names June 7, 2020.\n";
    assert_string_equal(clean_page(marked, "a.txt", NULL, NOW).date, "2022-10-11");
    const char *md = "# A headline\n\n*7. Juni 2020*\n\nThe first paragraph.\n";
    assert_string_equal(clean_page(md, "a.md", NULL, NOW).date, "2020-06-07");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_strings_keep_their_time_and_offset),
        cmocka_unit_test(rfc_2822_dates_parse),
        cmocka_unit_test(a_string_without_a_date_parses_as_none),
        cmocka_unit_test(impossible_days_are_no_dates),
        cmocka_unit_test(early_and_future_dates_are_not_valid),
        cmocka_unit_test(a_date_without_its_day_is_valid_only_when_allowed),
        cmocka_unit_test(numeric_dates_in_text),
        cmocka_unit_test(day_month_ambiguity_follows_the_order_given),
        cmocka_unit_test(numbers_inside_longer_figures_are_no_dates),
        cmocka_unit_test(month_names_in_many_languages),
        cmocka_unit_test(east_asian_dates),
        cmocka_unit_test(a_word_that_holds_a_month_name_is_no_month),
        cmocka_unit_test(the_scan_goes_on_from_where_it_stopped),
        cmocka_unit_test(update_words_in_several_languages),
        cmocka_unit_test(dates_in_urls),
        cmocka_unit_test(json_ld_gives_the_publication_and_the_modification),
        cmocka_unit_test(meta_tags_rank_over_a_bare_time),
        cmocka_unit_test(a_future_date_is_refused_against_the_callers_now),
        cmocka_unit_test(the_url_gives_a_date_and_beats_a_utc_time_a_day_off),
        cmocka_unit_test(the_text_near_the_title_keeps_the_original_over_the_update),
        cmocka_unit_test(a_date_in_a_comment_is_not_the_pages),
        cmocka_unit_test(a_text_takes_a_date_line_near_its_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
