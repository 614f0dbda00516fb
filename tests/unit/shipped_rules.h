/*
 * shipped_rules.h - reading a file whole and loading config/rules/, for
 * the unit tests that run the daemon's real rules or read fixtures.
 * Included by one test program each: the definitions are static.  The tests run from the
 * repository root (scripts/run-tests.sh), so the folder is relative.  A
 * program may use some of them only: they are marked unused.
 */
#ifndef CLEANER_TEST_SHIPPED_RULES_H
#define CLEANER_TEST_SHIPPED_RULES_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "rules.h"

#define SHIPPED_RULES_DIR "config/rules"

/* Replaces out's bytes with the file's. */
__attribute__((unused)) static void read_file(const char *path, cl_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char chunk[65536];
    size_t n;
    cl_buf_clear(out);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cl_buf_append(out, chunk, n);
    fclose(f);
    assert_false(out->oom);
}

__attribute__((unused)) static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every *.rules file of config/rules, loaded as the daemon loads them. */
__attribute__((unused)) static cl_rules *shipped_rules(void)
{
    cl_rules *rules = cl_rules_new();
    DIR *d = opendir(SHIPPED_RULES_DIR);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_suffix(e->d_name, ".rules"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SHIPPED_RULES_DIR, e->d_name);
        cl_buf text = CL_BUF_INIT;
        read_file(path, &text);
        cl_error err = { "" };
        if (cl_rules_load(rules, path, cl_buf_cstr(&text), text.len, &err) < 0)
            fail_msg("%s", err.msg);
        cl_buf_free(&text);
    }
    closedir(d);
    return rules;
}

#endif
