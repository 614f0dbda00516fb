/* Unit tests for daemon/scan.c: the cursor's walk in steps, ignored
 * names, exclusions, depth beyond PATH_MAX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
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

static void note(seen *s, const scan_entry *e)
{
    char kind = S_ISDIR(e->st.st_mode) ? 'd' : S_ISREG(e->st.st_mode) ? 'f' : 'x';
    if (s->n < 64)
        snprintf(s->items[s->n++], 128, "%c:%s", kind, e->rel);
}

/* Walks root/start with a cursor; -1 when it cannot be opened. */
static int walk(const char *root, const char *start, const scan_exclude *ex, size_t nex,
                unsigned flags, seen *s, int dirs, cl_error *err)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return cl_fail(err, "%s: cannot open folder", root);
    scan_cursor *c = scan_open(fd, start, ex, nex, flags, err);
    if (!c) {
        close(fd);
        return -1;
    }
    scan_entry e;
    int rc;
    while ((rc = scan_next(c, &e)) == 1)
        if (dirs || !S_ISDIR(e.st.st_mode))
            note(s, &e);
    scan_close(c);
    close(fd);
    return rc;
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
    assert_int_equal(walk(root, "", NULL, 0, 0, &s, 1, &err), 0);
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
    assert_int_equal(walk(root, "a", &ex, 1, 0, &s, 1, &err), 0);
    assert_seen(&s, "d:a d:a/b f:a/b/z.txt f:a/y.md x:a/p ");
    s.n = 0;
    assert_int_equal(walk(root, "", &ex, 1, 0, &s, 0, &err), 0);
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
    assert_int_equal(walk(root, "", NULL, 0, SCAN_ALL_NAMES, &s, 0, &err), 0);
    assert_seen(&s, "f:cfg ");
    assert_int_equal(walk(root, "missing", NULL, 0, 0, &s, 0, &err), -1);
    assert_non_null(strstr(err.msg, "missing: cannot open folder"));
}

/* A tree deeper than PATH_MAX (30 folders of 200-byte names, 6 KB) is
 * walked to its bottom: folders are opened one at a time beneath the last. */
static void deeper_than_path_max(void **state)
{
    (void)state;
    char name[201];
    memset(name, 'd', 200);
    name[200] = '\0';
    char root[128];
    snprintf(root, sizeof root, "%s/deep", tmpdir);
    assert_int_equal(mkdir(root, 0755), 0);
    int fd = open(root, O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < 30; i++) {
        assert_int_equal(mkdirat(fd, name, 0755), 0);
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY);
        close(fd);
        fd = next;
        assert_true(fd >= 0);
    }
    close(openat(fd, "bottom.txt", O_WRONLY | O_CREAT, 0644));
    close(fd);
    int root_fd = open(root, O_RDONLY | O_DIRECTORY);
    cl_error err = { "" };
    scan_cursor *c = scan_open(root_fd, "", NULL, 0, 0, &err);
    assert_non_null(c);
    scan_entry e;
    int files = 0;
    size_t longest = 0;
    while (scan_next(c, &e) == 1) {
        if (!S_ISDIR(e.st.st_mode))
            files++;
        if (strlen(e.rel) > longest)
            longest = strlen(e.rel);
    }
    scan_close(c);
    close(root_fd);
    assert_int_equal(files, 1);
    assert_true(longest > 4096);
}

/* A folder listed as a symlink is an entry, never walked into. */
static void symlinked_folder_is_not_followed(void **state)
{
    (void)state;
    sh("mkdir -p ln/real outside && touch outside/secret.txt ln/real/r.txt && "
       "ln -s ../outside ln/link");
    char root[128];
    snprintf(root, sizeof root, "%s/ln", tmpdir);
    seen s = { .n = 0 };
    cl_error err = { "" };
    assert_int_equal(walk(root, "", NULL, 0, 0, &s, 0, &err), 0);
    assert_seen(&s, "f:real/r.txt x:link ");
    s.n = 0;
    assert_int_equal(walk(root, "link", NULL, 0, 0, &s, 0, &err), -1);
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
        cmocka_unit_test(deeper_than_path_max),
        cmocka_unit_test(symlinked_folder_is_not_followed),
        cmocka_unit_test(ignored_names),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
