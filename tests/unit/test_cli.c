/* Unit tests for daemon/cli.c: modes, options, usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cli.h"

#define PARSE(a, err, ...) \
    parse_argv((a), (err), (char *[]){ "cleaner", __VA_ARGS__, NULL })

static int parse_argv(cli_args *a, cl_error *err, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    return cli_parse(a, argc, argv, err);
}

static void files_mode(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "-f", "json", "--explain", "a.md", "-"), 0);
    assert_int_equal(a.mode, CLI_MODE_FILES);
    assert_int_equal(a.nfiles, 2);
    assert_string_equal(a.files[0], "a.md");
    assert_string_equal(a.files[1], "-");
    assert_string_equal(a.format, "json");
    assert_true(a.explain);
    cli_free(&a);
}

static void once_mode_with_attached_values(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "--once", "-iIN", "--output=OUT", "-j3"), 0);
    assert_int_equal(a.mode, CLI_MODE_ONCE);
    assert_string_equal(a.input_dir, "IN");
    assert_string_equal(a.output_dir, "OUT");
    assert_int_equal(a.jobs, 3);
    cli_free(&a);
}

static void daemon_mode(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "-c", "x.conf"), 0);
    assert_int_equal(a.mode, CLI_MODE_DAEMON);
    assert_string_equal(a.config_path, "x.conf");
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "-i", "in", "-o", "out"), 0);
    assert_int_equal(a.mode, CLI_MODE_DAEMON);
    cli_free(&a);
}

static void help_and_version_win(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "x.txt", "--help"), 0);
    assert_int_equal(a.mode, CLI_MODE_HELP);
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "--version"), 0);
    assert_int_equal(a.mode, CLI_MODE_VERSION);
    cli_free(&a);
}

static void double_dash_ends_options(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "--", "-odd-name.txt"), 0);
    assert_int_equal(a.mode, CLI_MODE_FILES);
    assert_string_equal(a.files[0], "-odd-name.txt");
    cli_free(&a);
}

static void min_chars_given_or_left_to_the_config(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "a.html"), 0);
    assert_false(a.has_min_chars);
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "--min-chars", "40", "a.html"), 0);
    assert_true(a.has_min_chars);
    assert_int_equal(a.min_chars, 40);
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "--once", "--min-chars=0", "-i", "in", "-o", "out"), 0);
    assert_true(a.has_min_chars);     /* 0 is a bar: only an empty body */
    assert_int_equal(a.min_chars, 0);
    cli_free(&a);
    char *bad[] = { "-1", "x", "12x", "", "1000001" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(PARSE(&a, &err, "--min-chars", bad[i], "a.html"), -1);
        if (!strstr(err.msg, "--min-chars: '") || !strstr(err.msg, "from 0 to 1000000"))
            fail_msg("'%s': unclear error '%s'", bad[i], err.msg);
    }
}

static void url_names_one_file(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(PARSE(&a, &err, "--url", "https://example.org/a", "page.html"), 0);
    assert_string_equal(a.url, "https://example.org/a");
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "--url=https://example.org/a", "-"), 0);
    assert_string_equal(a.url, "https://example.org/a");
    cli_free(&a);
    assert_int_equal(PARSE(&a, &err, "--url", "u", "a.html", "b.html"), -1);
    assert_non_null(strstr(err.msg, "one FILE, and 2 were given"));
    assert_int_equal(PARSE(&a, &err, "--url", "u", "--once", "-i", "in", "-o", "out"), -1);
    assert_non_null(strstr(err.msg, "--url names the page of one FILE"));
}

static void usage_errors_say_why(void **state)
{
    (void)state;
    cli_args a;
    cl_error err = { "" };
    assert_int_equal(parse_argv(&a, &err, (char *[]){ "cleaner", NULL }), -1);
    assert_non_null(strstr(err.msg, "nothing to do"));
    assert_int_equal(PARSE(&a, &err, "--bogus"), -1);
    assert_non_null(strstr(err.msg, "unknown option '--bogus'"));
    assert_int_equal(PARSE(&a, &err, "-f", "xml", "a"), -1);
    assert_non_null(strstr(err.msg, "unknown format 'xml'"));
    assert_int_equal(PARSE(&a, &err, "-j", "0", "a"), -1);
    assert_non_null(strstr(err.msg, "-j"));
    assert_int_equal(PARSE(&a, &err, "-j", "4x", "a"), -1);
    assert_int_equal(PARSE(&a, &err, "a", "-c"), -1);
    assert_non_null(strstr(err.msg, "needs a value"));
    assert_int_equal(PARSE(&a, &err, "--once=1"), -1);
    assert_non_null(strstr(err.msg, "takes no value"));
    assert_int_equal(PARSE(&a, &err, "--once", "-i", "a", "-o", "b", "f.txt"), -1);
    assert_non_null(strstr(err.msg, "cannot be combined"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files_mode),
        cmocka_unit_test(once_mode_with_attached_values),
        cmocka_unit_test(daemon_mode),
        cmocka_unit_test(help_and_version_win),
        cmocka_unit_test(double_dash_ends_options),
        cmocka_unit_test(min_chars_given_or_left_to_the_config),
        cmocka_unit_test(url_names_one_file),
        cmocka_unit_test(usage_errors_say_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
