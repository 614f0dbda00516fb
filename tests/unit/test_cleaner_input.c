/*
 * test_cleaner_input.c - cl_clean_input(): what the carrier knows about a
 * document (its URL, the transport's charset, the fetch time) reaches it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cleaner.h"

static cl_doc *clean(const cl_input *in)
{
    cl_options o;
    cl_options_init(&o);
    cl_cleaner *c = cl_cleaner_new(&o, NULL);
    assert_non_null(c);
    cl_doc *doc = NULL;
    cl_error err = { "" };
    if (cl_clean_input(c, in, &doc, &err) < 0)
        fail_msg("cl_clean_input: %s", err.msg);
    cl_cleaner_free(c);
    return doc;
}

static void a_page_without_a_url_of_its_own_gets_the_input_url(void **state)
{
    (void)state;
    static const char page[] = "<html><body><p>Some article text.</p></body></html>";
    cl_input in = { .bytes = page, .len = sizeof page - 1, .url = "https://example.org/a" };
    cl_doc *doc = clean(&in);
    assert_string_equal(cl_doc_meta(doc, CL_META_URL), "https://example.org/a");
    assert_string_equal(doc->input_url, "https://example.org/a");
    cl_doc_free(doc);
    in.url = NULL;
    doc = clean(&in);
    assert_null(cl_doc_meta(doc, CL_META_URL));
    assert_null(doc->input_url);
    cl_doc_free(doc);
}

static void the_fetch_time_is_on_the_document(void **state)
{
    (void)state;
    static const char text[] = "Some article text.\n";
    cl_input in = { .bytes = text, .len = sizeof text - 1, .fetch_time = 1700000000 };
    cl_doc *doc = clean(&in);
    assert_true(doc->fetch_time == 1700000000);
    cl_doc_free(doc);
    in.fetch_time = -5;          /* nonsense is unknown */
    doc = clean(&in);
    assert_true(doc->fetch_time == 0);
    cl_doc_free(doc);
}

/* Bytes that are not UTF-8 are read in the charset the transport named. */
static void the_transport_charset_decodes_the_page(void **state)
{
    (void)state;
    static const char page[] = "<html><body><p>\xE1\xE8\xE1 article text here.</p></body></html>";
    cl_input in = { .bytes = page, .len = sizeof page - 1, .charset = "iso-8859-7" };
    cl_doc *doc = clean(&in);
    assert_true(doc->nblocks > 0);
    assert_non_null(strstr(doc->blocks[0].text, "\xCE\xB1\xCE\xB8\xCE\xB1"));   /* αθα */
    cl_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_page_without_a_url_of_its_own_gets_the_input_url),
        cmocka_unit_test(the_fetch_time_is_on_the_document),
        cmocka_unit_test(the_transport_charset_decodes_the_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
