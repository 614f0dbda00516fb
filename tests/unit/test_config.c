/* Unit tests for daemon/config.c and settings.c. */
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

#include "config.h"
#include "settings.h"
#include "tmpdir.h"

static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void defaults(void **state)
{
    (void)state;
    config c;
    config_init(&c);
    cl_options lib;
    cl_options_init(&lib);
    assert_int_equal(c.format, OUTPUT_TEXT);
    assert_int_equal(c.min_body_chars, 25);
    assert_int_equal(c.jobs, 0);
    assert_true(config_jobs(&c) >= 1);
    assert_true(c.max_input_bytes > 0);
    assert_null(c.rules_dir);
    assert_memory_equal(&c.options, &lib, sizeof lib);
    config_free(&c);
}

static void every_key_and_relative_paths(void **state)
{
    (void)state;
    const char *path = write_file("full.conf",
        "# comment\n[cleaner]\ninput_dir = in\noutput_dir = /abs/out\n"
        "done_dir = done\nfailed_dir =\nrules_dir = rules\nformat = json\n"
        "explain = yes\ninput_format = markdown\nmin_body_chars = 0\njobs = 3\n"
        "max_input_bytes = 2M\ndetect_language = false\n"
        "worker_memory = 512M\nworker_cpu_seconds = 7\nlog_level = debug\n"
        "[classifier]\nbody_min_words = 12\nmax_link_density = 0.25\n"
        "headline_min_words = 4\nheadline_max_words = 30\n");
    config c;
    config_init(&c);
    cl_error err = { "" };
    assert_int_equal(config_load(&c, path, &err), 0);
    char want[256];
    snprintf(want, sizeof want, "%s/in", tmpdir);
    assert_string_equal(c.input_dir, want);
    assert_string_equal(c.output_dir, "/abs/out");
    snprintf(want, sizeof want, "%s/rules", tmpdir);
    assert_string_equal(c.rules_dir, want);
    assert_null(c.failed_dir);
    assert_int_equal(c.format, OUTPUT_JSON);
    assert_true(c.explain);
    assert_int_equal(c.options.force_format, 1 + CL_FORMAT_MARKDOWN);
    assert_true(c.options.skip_lang_detection);
    assert_int_equal(c.min_body_chars, 0);
    assert_int_equal(c.jobs, 3);
    assert_int_equal(c.max_input_bytes, 2u << 20);
    assert_int_equal(c.worker_memory_bytes, 512u << 20);
    assert_int_equal(c.worker_cpu_seconds, 7);
    assert_int_equal(c.log_level, LOG_LEVEL_DEBUG);
    assert_int_equal(c.options.classify.body_min_words, 12);
    assert_true(c.options.classify.max_link_density == 0.25);
    assert_int_equal(c.options.classify.headline_min_words, 4);
    assert_int_equal(c.options.classify.headline_max_words, 30);
    config_free(&c);
}

/* Keys absent from the file keep the library's defaults. */
static void classifier_defaults_kept(void **state)
{
    (void)state;
    const char *path = write_file("part.conf", "[classifier]\nbody_min_words = 20\n");
    config c;
    config_init(&c);
    cl_error err = { "" };
    assert_int_equal(config_load(&c, path, &err), 0);
    cl_classify_options lib;
    cl_classify_options_init(&lib);
    assert_int_equal(c.options.classify.body_min_words, 20);
    assert_true(c.options.classify.max_link_density == lib.max_link_density);
    assert_int_equal(c.options.classify.headline_max_words, lib.headline_max_words);
    config_free(&c);
}

/* No rules_dir key: "rules" beside the config file when it exists. */
static void rules_folder_defaults_to_the_one_beside(void **state)
{
    (void)state;
    config c;
    config_init(&c);
    cl_error err = { "" };
    const char *path = write_file("norules.conf", "[cleaner]\nformat = text\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_null(c.rules_dir);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/rules", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(config_load(&c, path, &err), 0);
    assert_non_null(c.rules_dir);
    assert_string_equal(c.rules_dir, dir);
    rmdir(dir);
    config_free(&c);
}

static void errors_name_file_line_cause_and_keep_old(void **state)
{
    (void)state;
    config c;
    config_init(&c);
    cl_error err = { "" };
    const char *good = write_file("good.conf", "[cleaner]\nformat = json\ninput_dir = /x\n");
    assert_int_equal(config_load(&c, good, &err), 0);

    const struct { const char *text, *want; } bad[] = {
        { "[cleaner]\nformat = json\nbogus = 1\n", ":3: unknown key 'bogus' in [cleaner]" },
        { "[nope]\na = b\n", ":2: unknown section [nope]" },
        { "[cleaner]\njobs = -1\n", ":2: jobs: '-1'" },
        { "[cleaner]\nmin_body_chars = -5\n", ":2: min_body_chars: '-5' is not a number" },
        { "[cleaner]\nmin_body_chars = 1000001\n", ":2: min_body_chars: '1000001'" },
        { "[cleaner]\nmax_input_bytes = 12Q\n", ":2: max_input_bytes" },
        { "[cleaner]\nformat = pdf\n", ":2: format: 'pdf'" },
        { "[cleaner]\ndetect_language = maybe\n", ":2: detect_language: 'maybe'" },
        { "[classifier]\nmax_link_density = 2\n", ":2: max_link_density" },
        { "[cleaner]\nthis is not ini\n", ":2: syntax error" },
        { "[cleaner]\nformat = json\noutput_dir = /tmp/"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
          ":3: line longer than 199 bytes" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *path = write_file("bad.conf", bad[i].text);
        assert_int_equal(config_load(&c, path, &err), -1);
        assert_non_null(strstr(err.msg, "bad.conf"));
        if (!strstr(err.msg, bad[i].want))
            fail_msg("'%s' lacks '%s'", err.msg, bad[i].want);
        assert_int_equal(c.format, OUTPUT_JSON);
        assert_string_equal(c.input_dir, "/x");
    }
    char missing[200];
    snprintf(missing, sizeof missing, "%s/missing.conf", tmpdir);
    assert_int_equal(config_load(&c, missing, &err), -1);
    assert_non_null(strstr(err.msg, "missing.conf: cannot open"));
    config_free(&c);
}

/* Folder errors point at the line that set the folder; the last setting of
 * a key wins, as in inih; the command line has no line. */
static void folders_remember_their_line(void **state)
{
    (void)state;
    const char *path = write_file("lines.conf",
        "# folders\n[cleaner]\ninput_dir = a\n  output_dir=b\n"
        "input_dir = c\n[classifier]\nrules_dir = not-here\n");
    config c;
    config_init(&c);
    cl_error err = { "" };
    char where[512], want[512];
    /* rules_dir under [classifier] is an error: check lines on a valid file. */
    assert_int_equal(config_load(&c, path, &err), -1);
    path = write_file("lines.conf",
        "# folders\n[cleaner]\ninput_dir = a\n  output_dir=b\ninput_dir = c\n");
    assert_int_equal(config_load(&c, path, &err), 0);
    snprintf(want, sizeof want, "%s:5: ", path);
    assert_string_equal(config_origin(&c, CONFIG_INPUT_DIR, where, sizeof where), want);
    snprintf(want, sizeof want, "%s:4: ", path);
    assert_string_equal(config_origin(&c, CONFIG_OUTPUT_DIR, where, sizeof where), want);
    assert_string_equal(config_origin(&c, CONFIG_RULES_DIR, where, sizeof where), "");
    config_free(&c);

    cli_args a;
    memset(&a, 0, sizeof a);
    a.input_dir = "cli";
    assert_int_equal(settings_load(&c, path, &a, &err), 0);
    assert_string_equal(config_origin(&c, CONFIG_INPUT_DIR, where, sizeof where), "");
    config_free(&c);
}

static void command_line_wins(void **state)
{
    (void)state;
    const char *path = write_file("cl.conf",
        "[cleaner]\ninput_dir = in\noutput_dir = out\nformat = text\njobs = 2\n"
        "min_body_chars = 40\n");
    cli_args a;
    memset(&a, 0, sizeof a);
    a.input_dir = "cli-in";
    a.format = "json";
    a.jobs = 5;
    a.explain = 1;
    config c;
    cl_error err = { "" };
    /* Without --min-chars, min_body_chars comes from the file. */
    assert_int_equal(settings_load(&c, path, &a, &err), 0);
    assert_int_equal(c.min_body_chars, 40);
    config_free(&c);
    a.has_min_chars = 1;
    a.min_chars = 0;
    assert_int_equal(settings_load(&c, path, &a, &err), 0);
    assert_int_equal(c.min_body_chars, 0);
    assert_string_equal(c.input_dir, "cli-in");
    assert_non_null(strstr(c.output_dir, "/out"));
    assert_int_equal(c.format, OUTPUT_JSON);
    assert_int_equal(c.jobs, 5);
    assert_true(c.explain);
    config_free(&c);
}

static void find_honours_environment(void **state)
{
    (void)state;
    const char *path = write_file("env.conf", "[cleaner]\n");
    cl_error err = { "" };
    setenv("CLEANER_CONFIG", path, 1);
    char *found = config_find(&err);
    assert_non_null(found);
    assert_string_equal(found, path);
    free(found);
    setenv("CLEANER_CONFIG", "/nonexistent/cleaner.conf", 1);
    assert_null(config_find(&err));
    assert_non_null(strstr(err.msg, "/nonexistent/cleaner.conf"));
    unsetenv("CLEANER_CONFIG");
}

/* The shipped config parses, and the values it documents are the built-in
 * defaults (run-tests.sh runs unit tests from the repository root). */
static void shipped_config_documents_the_defaults(void **state)
{
    (void)state;
    config c, d;
    config_init(&c);
    config_init(&d);
    cl_error err = { "" };
    if (config_load(&c, "config/cleaner.conf", &err) < 0)
        fail_msg("%s", err.msg);
    assert_non_null(strstr(c.rules_dir, "config/rules"));
    assert_null(c.input_dir);
    assert_int_equal(c.format, d.format);
    assert_int_equal(c.explain, d.explain);
    assert_int_equal(c.min_body_chars, d.min_body_chars);
    assert_int_equal(c.jobs, d.jobs);
    assert_int_equal(c.max_input_bytes, d.max_input_bytes);
    assert_int_equal(c.worker_memory_bytes, d.worker_memory_bytes);
    assert_int_equal(c.worker_cpu_seconds, d.worker_cpu_seconds);
    assert_int_equal(c.log_level, d.log_level);
    assert_memory_equal(&c.options, &d.options, sizeof d.options);
    config_free(&c);
    config_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_key_and_relative_paths),
        cmocka_unit_test(classifier_defaults_kept),
        cmocka_unit_test(rules_folder_defaults_to_the_one_beside),
        cmocka_unit_test(errors_name_file_line_cause_and_keep_old),
        cmocka_unit_test(folders_remember_their_line),
        cmocka_unit_test(command_line_wins),
        cmocka_unit_test(find_honours_environment),
        cmocka_unit_test(shipped_config_documents_the_defaults),
    };
    return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
