/*
 * test_second_chance.c - an HTML page whose strict reading keeps no
 * article is read again leniently (cleaner.c, html_select.h): the article
 * text of such pages comes back, and a page of chrome alone stays without
 * an article.  The pages go through the shipped rules, whose class/id
 * rules are what names the boxes chrome.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cleaner.h"
#include "render.h"
#include "shipped_rules.h"
#include "status.h"

static cl_cleaner *cleaner;

static int setup(void **state)
{
    (void)state;
    cl_options o;
    cl_options_init(&o);
    cleaner = cl_cleaner_new(&o, shipped_rules());
    return cleaner ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cl_cleaner_free(cleaner);
    return 0;
}

/* The rendered text of page. */
static void clean_text(const char *page, cl_buf *out)
{
    cl_doc *doc = NULL;
    cl_error err = { "" };
    if (cl_clean(cleaner, page, strlen(page), "page.html", &doc, &err) < 0)
        fail_msg("cl_clean: %s", err.msg);
    cl_buf_clear(out);
    assert_int_equal(cl_render_text(doc, out), 0);
    cl_doc_free(doc);
}

#define NAV "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World news</a>" \
            "</li><li><a href=\"/sport\">Sport</a></li></ul></nav>"
#define PARAS "<p>The council approved the new budget on Tuesday, after a debate that " \
              "lasted most of the night and ended with a narrow vote.</p>"          \
              "<p>Opponents said the plan cuts too deeply into local services, while " \
              "its supporters called it the only responsible choice left.</p>"

/* A chrome word inside a compound class ("sticky-sidebar-parent") names
 * the <article> itself and the box inside it, and the page's other text is
 * in chrome: the strict reading keeps nothing. */
static void article_in_a_box_named_like_chrome(void **state)
{
    (void)state;
    static const char page[] =
        "<html><body>" NAV
        "<div class=\"widget related\"><p><a href=\"/1\">Rail strike called off after a late "
        "offer, the union says</a></p><p><a href=\"/2\">Storm closes the coast road, and "
        "schools stay shut</a></p><p><a href=\"/3\">Harbour works delayed again, the "
        "port authority admits</a></p></div>"
        "<article class=\"story sticky-sidebar-parent\">"
        "<div class=\"story-body sticky-sidebar-relative\">" PARAS "</div></article>"
        "<footer><a href=\"/privacy\">Privacy</a></footer></body></html>";
    cl_buf out = CL_BUF_INIT;
    clean_text(page, &out);
    assert_non_null(strstr(cl_buf_cstr(&out), "The council approved the new budget"));
    assert_non_null(strstr(cl_buf_cstr(&out), "the only responsible choice left."));
    assert_null(strstr(cl_buf_cstr(&out), "World news"));
    cl_buf_free(&out);
}

/* A page builder names every box a widget, each holding a paragraph: the
 * name says nothing there. */
static void page_builder_calling_every_box_a_widget(void **state)
{
    (void)state;
    static const char page[] =
        "<html><body>" NAV
        "<div class=\"builder-section\">"
        "<div class=\"builder-widget builder-widget-heading\"><h1>Budget passes</h1></div>"
        "<div class=\"builder-widget builder-widget-text\"><p>The council approved the new "
        "budget on Tuesday, after a debate that lasted most of the night.</p></div>"
        "<div class=\"builder-widget builder-widget-text\"><p>Opponents said the plan cuts "
        "too deeply into local services, while its supporters disagreed.</p></div>"
        "<div class=\"builder-widget builder-widget-text\"><p>The mayor will sign it next "
        "week, her office said in a statement on Wednesday morning.</p></div>"
        "<div class=\"builder-widget builder-widget-text\"><p>A first payment to the "
        "schools is due in March, and a second one in the autumn.</p></div>"
        "</div></body></html>";
    cl_buf out = CL_BUF_INIT;
    clean_text(page, &out);
    assert_non_null(strstr(cl_buf_cstr(&out), "The council approved the new budget"));
    assert_non_null(strstr(cl_buf_cstr(&out), "The mayor will sign it next week"));
    cl_buf_free(&out);
}

/* An article of short lines (a spec sheet) scores nothing as paragraphs:
 * the strict reading chooses the one long line of the page, a photo
 * credit, which a rule then removes. */
static void article_of_short_lines(void **state)
{
    (void)state;
    static const char page[] =
        "<html><body>" NAV
        "<div class=\"lead\"><p>Photo: the harbour at dawn, seen from the old pier.</p></div>"
        "<article><div class=\"entry-content\">"
        "<h2>Location</h2><p>Kyoto, Japan.</p><p>Osaka, Japan.</p>"
        "<h2>Film</h2><p>Fuji 400, 35 mm.</p><h2>Camera</h2><p>A Widelux F7.</p>"
        "<p>A Pentax Z-1p.</p><p>Both rolls were developed in Osaka.</p></div></article>"
        "</body></html>";
    cl_buf out = CL_BUF_INIT;
    clean_text(page, &out);
    assert_non_null(strstr(cl_buf_cstr(&out), "Kyoto, Japan."));
    assert_non_null(strstr(cl_buf_cstr(&out), "A Pentax Z-1p."));
    assert_null(strstr(cl_buf_cstr(&out), "harbour at dawn"));
    assert_null(strstr(cl_buf_cstr(&out), "World news"));
    cl_buf_free(&out);
}

/* Navigation and a footer are no article, read strictly or leniently. */
static void chrome_alone_stays_no_article(void **state)
{
    (void)state;
    static const char page[] =
        "<html><body><header><a href=\"/\">Example News</a></header>" NAV
        "<footer><nav><a href=\"/privacy\">Privacy</a> <a href=\"/terms\">Terms</a>"
        "</nav></footer></body></html>";
    cl_doc *doc = NULL;
    cl_error err = { "" };
    assert_int_equal(cl_clean(cleaner, page, strlen(page), "page.html", &doc, &err), 0);
    assert_int_equal(cl_doc_status(doc, 0, NULL), CL_STATUS_NO_ARTICLE);
    cl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(article_in_a_box_named_like_chrome),
        cmocka_unit_test(page_builder_calling_every_box_a_widget),
        cmocka_unit_test(article_of_short_lines),
        cmocka_unit_test(chrome_alone_stays_no_article),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
