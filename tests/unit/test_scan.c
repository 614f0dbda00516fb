/* Unit tests for daemon/scan.c: the iterative walk, ignored names,
 * exclusions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"
#include "tmpdir.h"

static void sh(const char *fmt)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && %s", tmpdir, fmt);
    assert_int_equal(system(cmd), 0);
}

/* Collects "f:rel" and "d:rel" lines, sorted for comparison. */
typedef struct seen {
    char items[64][128];
    int  n;
} seen;

static int on_file(void *ctx, const char *rel, const struct stat *st)
{
    seen *s = ctx;
    snprintf(s->items[s->n++], 128, "%c:%s", S_ISREG(st->st_mode) ? 'f' : 'x', rel);
    return 0;
}

static int on_dir(void *ctx, const char *rel, const struct stat *st)
{
    (void)st;
    seen *s = ctx;
    snprintf(s->items[s->n++], 128, "d:%s", rel);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void assert_seen(seen *s, const char *want)
{
    qsort(s->items, (size_t)s->n, sizeof s->items[0], by_name);
    char got[4096] = "";
    for (int i = 0; i < s->n; i++) {
        strcat(got, s->items[i]);
        strcat(got, " ");
    }
    assert_string_equal(got, want);
}

static void walks_tree_skipping_ignored(void **state)
{
    (void)state;
    sh("mkdir -p t/a/b t/.git t/out && touch t/x.html t/a/y.md t/a/b/z.txt "
       "t/.hidden t/up.part t/w.tmp t/e~ t/.git/cfg t/out/o.txt && mkfifo t/a/p && "
       "ln -s x.html t/l && ln -s a t/dirlink");
    char root[128];
    snprintf(root, sizeof root, "%s/t", tmpdir);
    seen s = { .n = 0 };
    cl_error err = { "" };
    scan_visitor v = { .on_dir = on_dir, .on_file = on_file, .ctx = &s };
    assert_int_equal(scan_tree(root, "", NULL, 0, 0, &v, &err), 0);
    assert_seen(&s, "d: d:a d:a/b d:out f:a/b/z.txt f:a/y.md f:out/o.txt f:x.html "
                    "x:a/p x:dirlink x:l ");
}

static void exclusions_and_start_folder(void **state)
{
    (void)state;
    char root[128], out[160];
    snprintf(root, sizeof root, "%s/t", tmpdir);
    snprintf(out, sizeof out, "%s/t/out", tmpdir);
    scan_exclude ex;
    assert_int_equal(scan_exclude_of(out, &ex), 0);
    seen s = { .n = 0 };
    cl_error err = { "" };
    scan_visitor v = { .on_dir = on_dir, .on_file = on_file, .ctx = &s };
    assert_int_equal(scan_tree(root, "a", &ex, 1, 0, &v, &err), 0);
    assert_seen(&s, "d:a d:a/b f:a/b/z.txt f:a/y.md x:a/p ");
    s.n = 0;
    v.on_dir = NULL;
    assert_int_equal(scan_tree(root, "", &ex, 1, 0, &v, &err), 0);
    for (int i = 0; i < s.n; i++)
        assert_null(strstr(s.items[i], "out/"));
}

static void all_names_flag_and_missing_root(void **state)
{
    (void)state;
    char root[128];
    snprintf(root, sizeof root, "%s/t/.git", tmpdir);
    seen s = { .n = 0 };
    cl_error err = { "" };
    scan_visitor v = { .on_file = on_file, .ctx = &s };
    assert_int_equal(scan_tree(root, "", NULL, 0, SCAN_ALL_NAMES, &v, &err), 0);
    assert_seen(&s, "f:cfg ");
    assert_int_equal(scan_tree("/nonexistent-cleaner", "", NULL, 0, 0, &v, &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent-cleaner: cannot open folder"));
}

/* Deep nesting costs no stack: 2000 levels. */
static void deep_tree(void **state)
{
    (void)state;
    char path[16384];
    int n = snprintf(path, sizeof path, "%s/deep", tmpdir);
    assert_int_equal(mkdir(path, 0755), 0);
    for (int i = 0; i < 2000 && n < (int)sizeof path - 4; i++) {
        n += snprintf(path + n, sizeof path - (size_t)n, "/d");
        if (mkdir(path, 0755) < 0)
            break;  /* PATH_MAX reached: deep enough */
    }
    char root[128];
    snprintf(root, sizeof root, "%s/deep", tmpdir);
    seen s = { .n = 0 };
    cl_error err = { "" };
    scan_visitor v = { .on_file = on_file, .ctx = &s };
    assert_int_equal(scan_tree(root, "", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(s.n, 0);
}

/* Records the order of the two passes: every "n:" of a folder comes before
 * its first "f:". */
typedef struct order {
    char log[64][64];
    int  n;
} order;

static int note_name(void *ctx, const char *rel)
{
    order *o = ctx;
    snprintf(o->log[o->n++], 64, "n:%s", rel);
    return 0;
}

static int note_file(void *ctx, const char *rel, const struct stat *st)
{
    (void)st;
    order *o = ctx;
    snprintf(o->log[o->n++], 64, "f:%s", rel);
    return 0;
}

static void names_pass_comes_first(void **state)
{
    (void)state;
    sh("mkdir -p two && touch two/a.md two/a.html two/b.txt && mkfifo two/p");
    char root[128];
    snprintf(root, sizeof root, "%s/two", tmpdir);
    order o = { .n = 0 };
    cl_error err = { "" };
    scan_visitor v = { .on_name = note_name, .on_file = note_file, .ctx = &o };
    assert_int_equal(scan_tree(root, "", NULL, 0, 0, &v, &err), 0);
    assert_int_equal(o.n, 7);   /* 3 names (not the FIFO), 4 entries */
    for (int i = 0; i < 3; i++)
        assert_int_equal(o.log[i][0], 'n');
    for (int i = 3; i < 7; i++)
        assert_int_equal(o.log[i][0], 'f');
}

static void ignored_names(void **state)
{
    (void)state;
    assert_true(scan_ignored(".x"));
    assert_true(scan_ignored("a.tmp"));
    assert_true(scan_ignored("a.part"));
    assert_true(scan_ignored("a~"));
    assert_false(scan_ignored("a.txt"));
    assert_false(scan_ignored("tmp"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walks_tree_skipping_ignored),
        cmocka_unit_test(exclusions_and_start_folder),
        cmocka_unit_test(all_names_flag_and_missing_root),
        cmocka_unit_test(deep_tree),
        cmocka_unit_test(names_pass_comes_first),
        cmocka_unit_test(ignored_names),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
