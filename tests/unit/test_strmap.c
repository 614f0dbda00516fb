/* Unit tests for daemon/strmap.c: put, get, remove, growth and shrinking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "strmap.h"

static void put_get_overwrite(void **state)
{
    (void)state;
    strmap *m = strmap_new();
    assert_non_null(m);
    assert_null(strmap_get(m, "a"));
    assert_int_equal(strmap_put(m, "a", 1), 0);
    assert_int_equal(strmap_put(m, "b", 2), 0);
    assert_int_equal(strmap_put(m, "a", 3), 0);
    assert_int_equal(*strmap_get(m, "a"), 3);
    assert_int_equal(*strmap_get(m, "b"), 2);
    assert_int_equal(strmap_count(m), 2);
    strmap_free(m);
}

/* Many keys in, every other one out: the rest must stay findable (this is
 * what backward-shift deletion has to get right). */
static void removal_keeps_probe_chains(void **state)
{
    (void)state;
    strmap *m = strmap_new();
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "in/dir%d/file%d.txt", i % 7, i);
        assert_int_equal(strmap_put(m, key, (uint64_t)i), 0);
    }
    for (int i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "in/dir%d/file%d.txt", i % 7, i);
        assert_int_equal(strmap_remove(m, key), 1);
        assert_int_equal(strmap_remove(m, key), 0);
    }
    assert_int_equal(strmap_count(m), 2500);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "in/dir%d/file%d.txt", i % 7, i);
        uint64_t *v = strmap_get(m, key);
        if (i % 2) {
            assert_non_null(v);
            assert_int_equal(*v, (uint64_t)i);
        } else {
            assert_null(v);
        }
    }
    for (int i = 1; i < 5000; i += 2) {
        snprintf(key, sizeof key, "in/dir%d/file%d.txt", i % 7, i);
        assert_int_equal(strmap_remove(m, key), 1);
    }
    assert_int_equal(strmap_count(m), 0);
    strmap_free(m);
}

static void clear_empties(void **state)
{
    (void)state;
    strmap *m = strmap_new();
    strmap_put(m, "x", 1);
    strmap_clear(m);
    assert_int_equal(strmap_count(m), 0);
    assert_null(strmap_get(m, "x"));
    assert_int_equal(strmap_put(m, "x", 2), 0);
    assert_int_equal(*strmap_get(m, "x"), 2);
    strmap_free(m);
    strmap_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_get_overwrite),
        cmocka_unit_test(removal_keeps_probe_chains),
        cmocka_unit_test(clear_empties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
