/* Unit tests for daemon/names.c: output names and collisions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "names.h"

static void expect_output(names *n, const char *rel, const char *ext, const char *want)
{
    char *out = names_output(n, rel, ext);
    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void last_extension_replaced(void **state)
{
    (void)state;
    names *n = names_new();
    names_add(n, "a.html");
    names_add(n, "sub/b.page.md");
    names_add(n, "noext");
    names_add(n, "dir.v2/file");
    names_add(n, ".hidden");
    expect_output(n, "a.html", ".txt", "a.txt");
    expect_output(n, "sub/b.page.md", ".json", "sub/b.page.json");
    expect_output(n, "noext", ".txt", "noext.txt");
    expect_output(n, "dir.v2/file", ".txt", "dir.v2/file.txt");
    expect_output(n, ".hidden", ".txt", ".hidden.txt");
    names_free(n);
}

static void twins_keep_full_names(void **state)
{
    (void)state;
    names *n = names_new();
    names_add(n, "a.md");
    names_add(n, "a.html");
    names_add(n, "other/a.txt");
    expect_output(n, "a.md", ".txt", "a.md.txt");
    expect_output(n, "a.html", ".txt", "a.html.txt");
    expect_output(n, "other/a.txt", ".txt", "other/a.txt");  /* another folder */
    names_remove(n, "a.html");
    expect_output(n, "a.md", ".txt", "a.txt");
    names_free(n);
}

/* "b.c" (stem "b") would get "b.c.txt" as a twin of "b.d", the plain name
 * of "b.c.md": all three must end distinct. */
static void long_names_never_collide_with_plain_ones(void **state)
{
    (void)state;
    names *n = names_new();
    names_add(n, "b.c");
    names_add(n, "b.d");
    names_add(n, "b.c.md");
    expect_output(n, "b.c", ".txt", "b.c.txt");
    expect_output(n, "b.d", ".txt", "b.d.txt");
    expect_output(n, "b.c.md", ".txt", "b.c.md.txt");
    names_free(n);
}

static void input_without_extension_and_its_twin(void **state)
{
    (void)state;
    names *n = names_new();
    names_add(n, "a");
    names_add(n, "a.md");
    expect_output(n, "a", ".txt", "a.txt");
    expect_output(n, "a.md", ".txt", "a.md.txt");
    names_free(n);
}

static void add_is_idempotent(void **state)
{
    (void)state;
    names *n = names_new();
    names_add(n, "x.md");
    names_add(n, "x.md");
    expect_output(n, "x.md", ".txt", "x.txt");
    names_remove(n, "x.md");
    names_remove(n, "x.md");
    expect_output(n, "x.md", ".txt", "x.txt");
    names_add(n, "x.md");
    names_add(n, "x.html");
    names_clear(n);
    expect_output(n, "x.md", ".txt", "x.txt");
    names_free(n);
}

/* Thousands of inputs in and out: the hashed index keeps every twin. */
static void many_inputs_in_and_out(void **state)
{
    (void)state;
    names *n = names_new();
    char a[64], b[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(a, sizeof a, "d%d/doc%d.md", i % 5, i);
        assert_int_equal(names_add(n, a), 0);
        if (i % 3 == 0) {
            snprintf(b, sizeof b, "d%d/doc%d.html", i % 5, i);
            assert_int_equal(names_add(n, b), 0);
        }
    }
    for (int i = 0; i < 3000; i += 2) {
        snprintf(a, sizeof a, "d%d/doc%d.md", i % 5, i);
        names_remove(n, a);
    }
    for (int i = 1; i < 3000; i += 2) {
        snprintf(a, sizeof a, "d%d/doc%d.md", i % 5, i);
        char want[80];
        snprintf(want, sizeof want, i % 3 == 0 ? "d%d/doc%d.md.txt" : "d%d/doc%d.txt", i % 5, i);
        expect_output(n, a, ".txt", want);
    }
    names_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(last_extension_replaced),
        cmocka_unit_test(twins_keep_full_names),
        cmocka_unit_test(long_names_never_collide_with_plain_ones),
        cmocka_unit_test(input_without_extension_and_its_twin),
        cmocka_unit_test(add_is_idempotent),
        cmocka_unit_test(many_inputs_in_and_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
