/* Unit tests for daemon/names.c: one output per input, whatever else is
 * there, and a clear error where no output name can exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

static void expect_output(const char *rel, const char *ext, const char *want)
{
    char *out;
    cl_error err = { "" };
    assert_int_equal(names_output(rel, ext, &out, &err), 0);
    assert_string_equal(out, want);
    free(out);
}

static void whole_name_plus_extension(void **state)
{
    (void)state;
    expect_output("a.html", ".txt", "a.html.txt");
    expect_output("a", ".txt", "a.txt");
    expect_output("a.txt", ".txt", "a.txt.txt");
    expect_output("sub/dir/x.md", ".json", "sub/dir/x.md.json");
    expect_output(".hidden", ".txt", ".hidden.txt");
}

/* Every pair that the old stem-based names confused, and case: distinct
 * inputs give distinct outputs, each a function of its own name only. */
static void collisions_cannot_happen(void **state)
{
    (void)state;
    const char *inputs[] = { "x", "x.html", "x.md", "x.txt", "x.txt.txt", "X.html",
                             "x.HTML", "x.", "x..txt", "d/x", "d/x.html", "d.x/y" };
    size_t n = sizeof inputs / sizeof *inputs;
    char *outs[sizeof inputs / sizeof *inputs];
    cl_error err = { "" };
    for (size_t i = 0; i < n; i++)
        assert_int_equal(names_output(inputs[i], ".txt", &outs[i], &err), 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(outs[i], outs[j]);
    for (size_t i = 0; i < n; i++)
        free(outs[i]);
}

static void names_at_the_length_limit(void **state)
{
    (void)state;
    char name[NAME_MAX + 2];
    memset(name, 'n', sizeof name);
    name[NAME_MAX - 4] = '\0';           /* 251 bytes: + ".txt" is 255 */
    char *out;
    cl_error err = { "" };
    assert_int_equal(names_output(name, ".txt", &out, &err), 0);
    assert_int_equal(strlen(out), NAME_MAX);
    free(out);
    name[NAME_MAX - 4] = 'n';
    name[NAME_MAX - 3] = '\0';           /* 252 bytes: 256, one too many */
    assert_int_equal(names_output(name, ".txt", &out, &err), -1);
    assert_null(out);
    assert_string_equal(err.msg, "output name too long: 256 bytes, the limit is 255");
    assert_int_equal(names_output(name, ".json", &out, &err), -1);
}

static void path_at_the_length_limit(void **state)
{
    (void)state;
    size_t len = PATH_MAX;
    char *rel = malloc(len + 1);
    assert_non_null(rel);
    for (size_t i = 0; i < len; i++)
        rel[i] = i % 100 == 99 ? '/' : 'p';
    rel[len] = '\0';
    char *out;
    cl_error err = { "" };
    assert_int_equal(names_output(rel, ".txt", &out, &err), -1);
    assert_non_null(strstr(err.msg, "path too long"));
    rel[PATH_MAX - 5] = '\0';            /* + ".txt" is PATH_MAX - 1 */
    assert_int_equal(names_output(rel, ".txt", &out, &err), 0);
    free(out);
    free(rel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_name_plus_extension),
        cmocka_unit_test(collisions_cannot_happen),
        cmocka_unit_test(names_at_the_length_limit),
        cmocka_unit_test(path_at_the_length_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
