/* Unit tests: title.c, author.c, url.c, lang.c and html_meta.c's fields
 * (issue 14: title, author, site, url, lang, description, image, tags). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "author.h"
#include "cleaner.h"
#include "lang.h"
#include "title.h"
#include "url.h"

/* ---- title -------------------------------------------------------------- */

static void title_is(const char *t, const char *site, const char *want)
{
    const char *sites[1] = { site };
    cl_title_span sp = cl_title_clean(t, strlen(t), sites, site ? 1 : 0);
    assert_int_equal(sp.len, strlen(want));
    assert_memory_equal(t + sp.start, want, sp.len);
}

static void title_loses_a_known_site_suffix_or_prefix(void **state)
{
    (void)state;
    title_is("Minecraft exploit makes it easy to crash servers | Ars Technica", "Ars Technica",
             "Minecraft exploit makes it easy to crash servers");
    title_is("SITE|X - Big news today", "SITE|X", "Big news today");
    title_is("Big news today \xE2\x80\x94 The Paper", "the paper", "Big news today");
}

static void title_loses_a_site_suffix_in_other_scripts(void **state)
{
    (void)state;
    title_is("\xE6\x96\xB0\xE9\x97\xBB\xE6\xA0\x87\xE9\xA2\x98 - \xE8\x85\xBE\xE8\xAE\xAF\xE7\xBD\x91",
             "\xE8\x85\xBE\xE8\xAE\xAF\xE7\xBD\x91", "\xE6\x96\xB0\xE9\x97\xBB\xE6\xA0\x87\xE9\xA2\x98");
    title_is("\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8 \xD0\xB4\xD0\xBD\xD1\x8F "
             "\xD0\xB8 \xD0\xBD\xD0\xB5\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8 \xC2\xBB "
             "\xD0\xA0\xD0\x98\xD0\x90", NULL,
             "\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8 \xD0\xB4\xD0\xBD\xD1\x8F "
             "\xD0\xB8 \xD0\xBD\xD0\xB5\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8");
}

static void title_without_known_site_is_cut_only_when_a_headline_stays(void **state)
{
    (void)state;
    title_is("Lorem ipsum dolor sit amet \xE2\x80\x93 My website", NULL, "Lorem ipsum dolor sit amet");
    title_is("Mozilla - Wikipedia", NULL, "Mozilla - Wikipedia");
    title_is("On Recent Events - Bradley Kuhn", NULL, "On Recent Events - Bradley Kuhn");
}

static void title_similarity_is_the_share_of_words_covered(void **state)
{
    (void)state;
    assert_true(cl_title_similarity("Hermitian matrix", "Hermitian matrix") > 0.99);
    assert_true(cl_title_similarity("matrix equal to its transpose", "Hermitian matrix") < 0.75);
    assert_true(cl_title_similarity("", "x") == 0.0);
    assert_true(cl_title_similarity("trailing space ", "trailing") > 0.99);
    assert_true(cl_title_similarity("a, ", "a") > 0.99);   /* ends past its last word */
}

/* ---- author ------------------------------------------------------------- */

static void authors_are(const char *byline, const char *site, const char *want)
{
    const char *sites[1] = { site };
    cl_buf list = CL_BUF_INIT;
    assert_true(cl_author_add(&list, byline, strlen(byline), sites, site ? 1 : 0) >= 0);
    assert_string_equal(cl_buf_cstr(&list), want);
    cl_buf_free(&list);
}

static void author_loses_by_prefixes_in_several_languages(void **state)
{
    (void)state;
    authors_are("By Jane Doe", NULL, "Jane Doe");
    authors_are("by: Jane Doe", NULL, "Jane Doe");
    authors_are("Von Erika Mustermann", NULL, "Erika Mustermann");
    authors_are("Par Jean Dupont", NULL, "Jean Dupont");
    authors_are("Door Jan Jansen", NULL, "Jan Jansen");
}

static void several_authors_are_split_and_joined(void **state)
{
    (void)state;
    authors_are("By Jane Doe and John Roe", NULL, "Jane Doe; John Roe");
    authors_are("Erika Mustermann und Max Muster", NULL, "Erika Mustermann; Max Muster");
    authors_are("Jean Dupont et Marie Curie", NULL, "Jean Dupont; Marie Curie");
    authors_are("Ann Lee, Bob Stone & Cy Twombly", NULL, "Ann Lee; Bob Stone; Cy Twombly");
    authors_are("Jong, Michiel de", NULL, "Jong, Michiel de");  /* Last, First */
}

static void author_loses_dates_and_roles(void **state)
{
    (void)state;
    authors_are("By GILLIAN MOHNEY March 11, 2015 3:46 PM", NULL, "GILLIAN MOHNEY");
    authors_are("Jane Doe | 3 March 2024", NULL, "Jane Doe");
    authors_are("Jane Doe, Staff Writer", NULL, "Jane Doe");
}

static void the_site_is_no_author(void **state)
{
    (void)state;
    authors_are("The Daily Planet", "the daily planet", "");
    authors_are("jdoe1977", NULL, "");
    authors_are("@jdoe", NULL, "");
}

/* ---- url ---------------------------------------------------------------- */

static void resolves_to(const char *base, const char *ref, const char *want)
{
    cl_buf out = CL_BUF_INIT;
    assert_true(cl_url_resolve(base, ref, &out) >= 0);
    assert_string_equal(cl_buf_cstr(&out), want);
    cl_buf_free(&out);
}

static void relative_urls_resolve_against_the_base(void **state)
{
    (void)state;
    resolves_to("https://ex.com/a/b/c.html", "/x/y", "https://ex.com/x/y");
    resolves_to("https://ex.com/a/b/c.html", "d.html", "https://ex.com/a/b/d.html");
    resolves_to("https://ex.com/a/b/c.html", "../d?q=1", "https://ex.com/a/d?q=1");
    resolves_to("https://ex.com/a/b/", "./", "https://ex.com/a/b/");
    resolves_to("https://ex.com", "p", "https://ex.com/p");
    resolves_to("https://ex.com/a?x#f", "?y", "https://ex.com/a?y");
    resolves_to("https://ex.com/a?x#f", "#g", "https://ex.com/a?x#g");
    resolves_to("https://ex.com/a", "http://other.org/z", "http://other.org/z");
}

static void protocol_relative_urls_take_the_base_scheme(void **state)
{
    (void)state;
    resolves_to("https://ex.com/a", "//cdn.ex.com/i.png", "https://cdn.ex.com/i.png");
}

static void without_absolute_base_a_relative_url_stays_relative(void **state)
{
    (void)state;
    cl_buf out = CL_BUF_INIT;
    assert_int_equal(cl_url_resolve(NULL, "/a", &out), 0);
    assert_int_equal(cl_url_resolve("/base/", "/a", &out), 0);
    cl_buf_free(&out);
}

static void host_drops_www_and_port(void **state)
{
    (void)state;
    const char *u = "https://user@www.example.co.uk:8080/x";
    size_t s, n;
    assert_int_equal(cl_url_host(u, &s, &n), 0);
    assert_int_equal(n, strlen("example.co.uk"));
    assert_memory_equal(u + s, "example.co.uk", n);
    assert_int_equal(cl_url_host("/relative", &s, &n), -1);
}

/* ---- lang --------------------------------------------------------------- */

static void norm_is(const char *tag, int rc, const char *want)
{
    char out[CL_LANG_CODE_MAX];
    assert_int_equal(cl_lang_normalise(tag, strlen(tag), out), rc);
    assert_string_equal(out, want);
}

static void language_tags_normalise_to_the_primary_subtag(void **state)
{
    (void)state;
    norm_is("en-US", 0, "en");
    norm_is("EN_gb", 0, "en");
    norm_is(" pt-BR", 0, "pt");
    norm_is("zh-Hant-TW", 0, "zh");
    norm_is("iw", 0, "he");
    norm_is("x-default", -1, "");
    norm_is("*", -1, "");
    norm_is("", -1, "");
    norm_is("english", -1, "");
}

static void language_is_detected_from_text(void **state)
{
    (void)state;
    char out[CL_LANG_CODE_MAX];
    const char *de = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für "
                     "erneuerbare Energien im kommenden Jahr deutlich zu erhöhen, wie ein "
                     "Sprecher des Ministeriums in Berlin mitteilte.";
    const char *fr = "Le gouvernement a annoncé mercredi une hausse importante des aides aux "
                     "énergies renouvelables pour l'année prochaine, selon un porte-parole du "
                     "ministère à Paris.";
    assert_int_equal(cl_lang_detect(de, strlen(de), out), 1);
    assert_string_equal(out, "de");
    assert_int_equal(cl_lang_detect(fr, strlen(fr), out), 1);
    assert_string_equal(out, "fr");
    assert_int_equal(cl_lang_detect("", 0, out), 0);
}

/* ---- through the cleaner ------------------------------------------------ */

static cl_doc *clean_html(const char *html, const char *url)
{
    cl_options o;
    cl_options_init(&o);
    cl_cleaner *c = cl_cleaner_new(&o, NULL);
    assert_non_null(c);
    cl_input in = { .bytes = html, .len = strlen(html), .name_hint = "a.html", .url = url };
    cl_doc *doc = NULL;
    cl_error err;
    assert_int_equal(cl_clean_input(c, &in, &doc, &err), 0);
    cl_cleaner_free(c);
    return doc;
}

#define BODY "<article><p>The council voted on Tuesday to extend the tram line to the " \
             "harbour, a project that has been debated for more than a decade and that " \
             "will cost about forty million euros over five years.</p></article>"

/* The page's frame names the page type in its classes ("sidebar-primary",
 * "author-4326"): its bylines are still found, inside an <aside> of the
 * article too, and a byline-named box too long to be one is looked into. */
static void bylines_inside_a_frame_with_chrome_classes(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "<html><body class=\"single sidebar-primary\"><main><article>"
        "<div class=\"article__author\">By Ann Lee</div>" BODY "</article></main></body></html>",
        "<html><body class=\"single author-4326\"><article>"
        "<p class=\"byline\"><span class=\"by\">by</span> <a class=\"byauthor\" "
        "href=\"/author/al\">Ann Lee</a></p>" BODY "</article></body></html>",
        "<html><body><article><aside><span itemprop=\"author\">Ann Lee</span></aside>"
        BODY "</article></body></html>",
        "<html><body><article><div class=\"author-box\"><p>Ann writes about the trams, the "
        "harbour and the city council, and she has done so for the paper since 2009.</p>"
        "<span class=\"author-name\">Ann Lee</span></div>" BODY "</article></body></html>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        cl_doc *doc = clean_html(pages[i], NULL);
        const char *author = cl_doc_meta(doc, CL_META_AUTHOR);
        if (!author || strcmp(author, "Ann Lee") != 0)
            fail_msg("page %zu: author '%s'", i, author ? author : "(none)");
        cl_doc_free(doc);
    }
}

static void page_fields_reach_the_document(void **state)
{
    (void)state;
    cl_doc *doc = clean_html(
        "<html lang=\"en-GB\"><head><title>Tram line extended | City Paper</title>"
        "<base href=\"/news/\">"
        "<link rel=\"canonical\" href=\"2024/tram.html\">"
        "<meta property=\"og:site_name\" content=\"City Paper\">"
        "<meta property=\"og:image\" content=\"//img.example.com/t.jpg\">"
        "<meta name=\"description\" content=\"The tram goes to the harbour.\">"
        "<meta property=\"article:tag\" content=\"Transport\">"
        "<meta name=\"keywords\" content=\"trams, harbour, Transport\">"
        "<meta name=\"author\" content=\"City Paper\">"
        "</head><body><nav><span class=\"byline\">By Someone Else</span></nav>"
        "<article><p class=\"byline\">By Ann Lee and Bob Stone</p></article>" BODY
        "</body></html>",
        "https://www.example.com/index.html");
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "Tram line extended");
    assert_string_equal(cl_doc_meta(doc, CL_META_SITE), "City Paper");
    assert_string_equal(cl_doc_meta(doc, CL_META_AUTHOR), "Ann Lee; Bob Stone");
    assert_string_equal(cl_doc_meta(doc, CL_META_URL), "https://www.example.com/news/2024/tram.html");
    assert_string_equal(cl_doc_meta(doc, CL_META_IMAGE), "https://img.example.com/t.jpg");
    assert_string_equal(cl_doc_meta(doc, CL_META_DESCRIPTION), "The tram goes to the harbour.");
    assert_string_equal(cl_doc_meta(doc, CL_META_TAGS), "Transport, trams, harbour");
    assert_string_equal(cl_doc_meta(doc, CL_META_LANG), "en");
    cl_doc_free(doc);
}

static void json_ld_article_gives_title_authors_and_publisher(void **state)
{
    (void)state;
    cl_doc *doc = clean_html(
        "<html><head><title>Ignored - Site</title><script type=\"application/ld+json\">"
        "{\"@graph\": [{\"@type\": \"WebSite\", \"name\": \"The Site\"},"
        " {\"headline\": \"Tram line extended\", \"@type\": \"NewsArticle\","
        "  \"author\": [{\"@type\": \"Person\", \"name\": \"Ann Lee\"}, {\"name\": \"Bob Stone\"}],"
        "  \"publisher\": {\"@type\": \"Organization\", \"name\": \"City Paper\"},"
        "  \"keywords\": [\"trams\", \"harbour\"], \"description\": \"Harbour tram.\"}]}"
        "</script></head><body>" BODY "</body></html>", NULL);
    assert_string_equal(cl_doc_meta(doc, CL_META_TITLE), "Tram line extended");
    assert_string_equal(cl_doc_meta(doc, CL_META_AUTHOR), "Ann Lee; Bob Stone");
    assert_string_equal(cl_doc_meta(doc, CL_META_SITE), "City Paper");
    assert_string_equal(cl_doc_meta(doc, CL_META_TAGS), "trams, harbour");
    assert_string_equal(cl_doc_meta(doc, CL_META_DESCRIPTION), "Harbour tram.");
    cl_doc_free(doc);
}

static void undeclared_language_is_detected_in_text_input(void **state)
{
    (void)state;
    cl_options o;
    cl_options_init(&o);
    cl_cleaner *c = cl_cleaner_new(&o, NULL);
    const char *text = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für "
                       "erneuerbare Energien im kommenden Jahr deutlich zu erhöhen, wie ein "
                       "Sprecher des Ministeriums in Berlin mitteilte.\n";
    cl_doc *doc = NULL;
    assert_int_equal(cl_clean(c, text, strlen(text), "a.txt", &doc, NULL), 0);
    assert_string_equal(cl_doc_meta(doc, CL_META_LANG), "de");
    cl_doc_free(doc);
    cl_cleaner_free(c);
    o.skip_lang_detection = 1;          /* the declared language only: none */
    c = cl_cleaner_new(&o, NULL);
    assert_int_equal(cl_clean(c, text, strlen(text), "a.txt", &doc, NULL), 0);
    assert_null(cl_doc_meta(doc, CL_META_LANG));
    cl_doc_free(doc);
    cl_cleaner_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(title_loses_a_known_site_suffix_or_prefix),
        cmocka_unit_test(title_loses_a_site_suffix_in_other_scripts),
        cmocka_unit_test(title_without_known_site_is_cut_only_when_a_headline_stays),
        cmocka_unit_test(title_similarity_is_the_share_of_words_covered),
        cmocka_unit_test(author_loses_by_prefixes_in_several_languages),
        cmocka_unit_test(several_authors_are_split_and_joined),
        cmocka_unit_test(author_loses_dates_and_roles),
        cmocka_unit_test(the_site_is_no_author),
        cmocka_unit_test(relative_urls_resolve_against_the_base),
        cmocka_unit_test(protocol_relative_urls_take_the_base_scheme),
        cmocka_unit_test(without_absolute_base_a_relative_url_stays_relative),
        cmocka_unit_test(host_drops_www_and_port),
        cmocka_unit_test(language_tags_normalise_to_the_primary_subtag),
        cmocka_unit_test(language_is_detected_from_text),
        cmocka_unit_test(bylines_inside_a_frame_with_chrome_classes),
        cmocka_unit_test(page_fields_reach_the_document),
        cmocka_unit_test(json_ld_article_gives_title_authors_and_publisher),
        cmocka_unit_test(undeclared_language_is_detected_in_text_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
