/* Unit tests: cleaner/charset.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "charset.h"
#include "utf8.h"

typedef struct decoded {
    cl_buf out;
    char   name[32];
} decoded;

static void decode_declared(decoded *d, const char *bytes, size_t len, int sniff_html,
                            const char *declared)
{
    memset(d, 0, sizeof *d);
    cl_error err;
    assert_int_equal(cl_charset_to_utf8(bytes, len, sniff_html, declared, &d->out, d->name,
                                        sizeof d->name, &err), 0);
    assert_true(cl_utf8_valid(cl_buf_cstr(&d->out), d->out.len));
}

static void decode(decoded *d, const char *bytes, size_t len, int sniff_html)
{
    decode_declared(d, bytes, len, sniff_html, NULL);
}

static void test_utf8_bom_is_removed(void **state)
{
    (void)state;
    decoded d;
    decode(&d, "\xEF\xBB\xBF" "caf\xC3\xA9", 8, 0);
    assert_string_equal(cl_buf_cstr(&d.out), "caf\xC3\xA9");
    assert_string_equal(d.name, "UTF-8");
    cl_buf_free(&d.out);
}

static void test_utf16le_bom_decodes(void **state)
{
    (void)state;
    decoded d;
    decode(&d, "\xFF\xFEh\0i\0\xE9\0", 8, 0);
    assert_string_equal(cl_buf_cstr(&d.out), "hi\xC3\xA9");
    assert_string_equal(d.name, "UTF-16LE");
    cl_buf_free(&d.out);
}

static void test_utf16be_bom_decodes(void **state)
{
    (void)state;
    decoded d;
    decode(&d, "\xFE\xFF\0o\0k", 6, 0);
    assert_string_equal(cl_buf_cstr(&d.out), "ok");
    cl_buf_free(&d.out);
}

static void test_meta_charset_is_honoured(void **state)
{
    (void)state;
    const char html[] = "<html><head><meta charset=\"windows-1252\"></head><body>caf\xE9 \x80</body>";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "caf\xC3\xA9 \xE2\x82\xAC"));
    assert_string_equal(d.name, "windows-1252");
    cl_buf_free(&d.out);
}

/* An HTTP Content-Type charset beats the page's meta, as in browsers; valid
 * UTF-8 still wins over both (a stale label on a re-encoded page). */
static void test_declared_charset_beats_the_meta(void **state)
{
    (void)state;
    const char page[] = "<meta charset=windows-1251><p>\xA3\xF3\xE9</p>";
    decoded d;
    decode_declared(&d, page, sizeof page - 1, 1, "iso-8859-7");
    assert_string_equal(d.name, "iso-8859-7");
    assert_non_null(strstr(cl_buf_cstr(&d.out), "\xC2\xA3\xCF\x83\xCE\xB9"));
    cl_buf_free(&d.out);
    decode_declared(&d, "caf\xC3\xA9", 5, 1, "iso-8859-7");
    assert_string_equal(cl_buf_cstr(&d.out), "caf\xC3\xA9");
    cl_buf_free(&d.out);
}

static void test_http_equiv_latin1_means_windows_1252(void **state)
{
    (void)state;
    const char html[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                        "\x93quoted\x94";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "\xE2\x80\x9Cquoted\xE2\x80\x9D"));
    assert_string_equal(d.name, "WINDOWS-1252");
    cl_buf_free(&d.out);
}

static void test_meta_is_ignored_for_plain_text(void **state)
{
    (void)state;
    const char text[] = "<meta charset=koi8-r> caf\xE9";
    decoded d;
    decode(&d, text, sizeof text - 1, 0);
    assert_string_not_equal(d.name, "koi8-r");
    cl_buf_free(&d.out);
}

static void test_valid_utf8_wins_over_a_stale_meta(void **state)
{
    (void)state;
    const char html[] = "<meta charset=iso-8859-1><p>caf\xC3\xA9</p>";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "caf\xC3\xA9</p>"));
    assert_string_equal(d.name, "UTF-8");
    cl_buf_free(&d.out);
}

static void test_shift_jis_meta_decodes(void **state)
{
    (void)state;
    /* "日本" in Shift_JIS */
    const char html[] = "<meta charset=shift_jis><p>\x93\xFA\x96\x7B</p>";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "\xE6\x97\xA5\xE6\x9C\xAC"));
    cl_buf_free(&d.out);
}

static void test_unknown_label_falls_back(void **state)
{
    (void)state;
    const char html[] = "<meta charset=x-no-such-charset><p>caf\xE9</p>";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "caf\xC3\xA9"));
    cl_buf_free(&d.out);
}

static void test_undeclared_legacy_text_is_detected(void **state)
{
    (void)state;
    const char text[] = "Le caf\xE9 est tr\xE8s bon, et la cr\xE8me br\xFBl\xE9"
                        "e aussi. \xC0 demain, ch\xE8re amie.";
    decoded d;
    decode(&d, text, sizeof text - 1, 0);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "caf\xC3\xA9"));
    cl_buf_free(&d.out);
}

static void test_bad_bytes_become_replacement_characters(void **state)
{
    (void)state;
    const char html[] = "<p>caf\xC3\xA9 ok\xFFok</p>";
    decoded d;
    decode(&d, html, sizeof html - 1, 1);
    assert_non_null(strstr(cl_buf_cstr(&d.out), "caf\xC3\xA9 ok\xEF\xBF\xBDok"));
    cl_buf_free(&d.out);
}

static void test_truncated_utf16_is_repaired(void **state)
{
    (void)state;
    decoded d;
    decode(&d, "\xFF\xFEh\0\x3D\xD8", 6, 0);  /* a lone high surrogate */
    assert_string_equal(cl_buf_cstr(&d.out), "h\xEF\xBF\xBD");
    cl_buf_free(&d.out);
}

static void test_random_bytes_always_give_valid_utf8(void **state)
{
    (void)state;
    unsigned seed = 7;
    char buf[512];
    for (int round = 0; round < 300; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)(seed >> 16);
        }
        decoded d;
        decode(&d, buf, sizeof buf, round & 1);
        cl_buf_free(&d.out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_bom_is_removed),
        cmocka_unit_test(test_utf16le_bom_decodes),
        cmocka_unit_test(test_utf16be_bom_decodes),
        cmocka_unit_test(test_meta_charset_is_honoured),
        cmocka_unit_test(test_declared_charset_beats_the_meta),
        cmocka_unit_test(test_http_equiv_latin1_means_windows_1252),
        cmocka_unit_test(test_meta_is_ignored_for_plain_text),
        cmocka_unit_test(test_valid_utf8_wins_over_a_stale_meta),
        cmocka_unit_test(test_shift_jis_meta_decodes),
        cmocka_unit_test(test_unknown_label_falls_back),
        cmocka_unit_test(test_undeclared_legacy_text_is_detected),
        cmocka_unit_test(test_bad_bytes_become_replacement_characters),
        cmocka_unit_test(test_truncated_utf16_is_repaired),
        cmocka_unit_test(test_random_bytes_always_give_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
