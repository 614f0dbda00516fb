/*
 * tmpdir.h - a fresh temporary folder per test, for the tests that touch
 * files (cmocka setup/teardown functions).  Included by one test program
 * each: the definitions are static.
 */
#ifndef CLEANER_TEST_TMPDIR_H
#define CLEANER_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cleaner-test.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
