#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Upper bound for -j: more workers than this only costs memory. */
#define CLI_MAX_JOBS 256

void cli_usage(FILE *out)
{
    fputs("usage: cleaner [options] FILE...   clean files (or - for stdin) to stdout\n"
          "       cleaner --once -i IN -o OUT  clean every file in IN into OUT, then exit\n"
          "       cleaner -c FILE | -i IN -o OUT  watch IN and clean into OUT (daemon)\n"
          "       cleaner --jsonl FILE...|- [-o OUT.jsonl]  JSON Lines records in and out\n"
          "       cleaner --warc FILE...|- [-o OUT.jsonl]   WARC (.warc, .warc.gz) records\n"
          "\n"
          "options:\n"
          "  -i, --input DIR     folder of raw inputs (config: input_dir)\n"
          "  -o, --output DIR    folder for clean outputs (config: output_dir)\n"
          "      --once          clean what is in IN now and exit\n"
          "  -f, --format FMT    text (default) or json\n"
          "      --min-chars N   a body of fewer characters is \"no article\": no text\n"
          "                      output, JSON \"status\": \"no_article\" (config:\n"
          "                      min_body_chars, default 25; 0: only an empty body)\n"
          "      --model FILE    the block model that decides what is article text\n"
          "                      (config: model, default config/model/blocks.model;\n"
          "                      none: the rules and heuristics decide alone)\n"
          "      --url URL       the address the one FILE (or -) was fetched from: its\n"
          "                      url when the page names none, and the base of its\n"
          "                      relative links\n"
          "      --jsonl         each line of FILE (or -) is a JSON object with \"html\",\n"
          "                      \"markdown\" or \"text\", and optional \"id\" and \"url\":\n"
          "                      one JSON line out per record, in order (-o FILE:\n"
          "                      written whole, atomically; records are cleaned one\n"
          "                      at a time: -j does not apply)\n"
          "      --warc          the response, resource and conversion records of\n"
          "                      WARC files, plain or gzipped, as JSON lines\n"
          "      --id-field NAME, --url-field NAME, --content-field NAME\n"
          "                      --jsonl: the fields holding the id, the URL and the\n"
          "                      document (default id, url, html|markdown|text)\n"
          "      --explain       text: each block's decision and reason to stderr;\n"
          "                      json: add \"blocks\"\n"
          "  -c, --config FILE   INI configuration (default: $CLEANER_CONFIG, then\n"
          "                      config/cleaner.conf beside the binary, then\n"
          "                      " CLEANER_SYSCONFDIR "/cleaner/cleaner.conf)\n"
          "  -j, --jobs N        worker processes (default: number of cores)\n"
          "  -h, --help          this help\n"
          "      --version       print the version\n"
          "\n"
          "exit status:\n"
          "  0  every file cleaned\n"
          "  1  some file failed (the others are still cleaned)\n"
          "  2  usage or configuration error\n"
          "  3  FILE... or -: none failed, but some had no article (--once: 0)\n", out);
}

static void cli_init(cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->mode = CLI_MODE_DAEMON;
}

void cli_free(cli_args *a)
{
    free(a->files);
    a->files = NULL;
    a->nfiles = 0;
}

/* A number from lo to hi for option `opt`, or an error naming `what`. */
static int parse_count(const char *opt, const char *what, const char *s, long lo,
                       long hi, long *out, cl_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return cl_fail(err, "%s: '%s' is not a number of %s from %ld to %ld",
                       opt, s, what, lo, hi);
    *out = v;
    return 0;
}

static int parse_jobs(const char *s, int *out, cl_error *err)
{
    long v;
    if (parse_count("-j", "jobs", s, 1, CLI_MAX_JOBS, &v, err) < 0)
        return -1;
    *out = (int)v;
    return 0;
}

typedef enum opt_id {
    OPT_NONE, OPT_INPUT, OPT_OUTPUT, OPT_ONCE, OPT_FORMAT, OPT_EXPLAIN,
    OPT_CONFIG, OPT_JOBS, OPT_MIN_CHARS, OPT_MODEL, OPT_URL, OPT_HELP, OPT_VERSION,
    OPT_JSONL, OPT_WARC, OPT_ID_FIELD, OPT_URL_FIELD, OPT_CONTENT_FIELD,
} opt_id;

typedef struct opt_spec {
    char        short_name;
    const char *long_name;
    opt_id      id;
    int         takes_value;
} opt_spec;

static const opt_spec opt_specs[] = {
    { 'i', "input",     OPT_INPUT,     1 },
    { 'o', "output",    OPT_OUTPUT,    1 },
    {  0,  "once",      OPT_ONCE,      0 },
    { 'f', "format",    OPT_FORMAT,    1 },
    {  0,  "explain",   OPT_EXPLAIN,   0 },
    { 'c', "config",    OPT_CONFIG,    1 },
    { 'j', "jobs",      OPT_JOBS,      1 },
    {  0,  "min-chars", OPT_MIN_CHARS, 1 },
    {  0,  "model",     OPT_MODEL,     1 },
    {  0,  "url",       OPT_URL,       1 },
    {  0,  "jsonl",     OPT_JSONL,     0 },
    {  0,  "warc",      OPT_WARC,      0 },
    {  0,  "id-field",  OPT_ID_FIELD,  1 },
    {  0,  "url-field", OPT_URL_FIELD, 1 },
    {  0,  "content-field", OPT_CONTENT_FIELD, 1 },
    { 'h', "help",      OPT_HELP,      0 },
    {  0,  "version",   OPT_VERSION,   0 },
};

#define NSPECS (sizeof opt_specs / sizeof opt_specs[0])

/* Finds the option `arg` names; *inline_value points past '=' or the letter. */
static const opt_spec *find_opt(const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        size_t n = strcspn(name, "=");
        for (size_t i = 0; i < NSPECS; i++) {
            const char *ln = opt_specs[i].long_name;
            if (strlen(ln) == n && strncmp(ln, name, n) == 0) {
                if (name[n] == '=')
                    *inline_value = name + n + 1;
                return &opt_specs[i];
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < NSPECS; i++) {
        if (opt_specs[i].short_name && opt_specs[i].short_name == arg[1]) {
            if (arg[2])
                *inline_value = arg + 2;
            return &opt_specs[i];
        }
    }
    return NULL;
}

/* --jsonl and --warc set the mode while the options are read; the other
 * modes are decided after them. */
static int set_stream(cli_args *a, cli_mode mode, cl_error *err)
{
    if (a->mode != CLI_MODE_DAEMON && a->mode != mode)
        return cl_fail(err, "--jsonl and --warc cannot be combined");
    a->mode = mode;
    return 0;
}

static int apply_opt(cli_args *a, opt_id id, const char *value, int *help,
                     int *version, int *once, cl_error *err)
{
    switch (id) {
    case OPT_INPUT:   a->input_dir = value; return 0;
    case OPT_OUTPUT:  a->output_dir = value; return 0;
    case OPT_CONFIG:  a->config_path = value; return 0;
    case OPT_ONCE:    *once = 1; return 0;
    case OPT_EXPLAIN: a->explain = 1; return 0;
    case OPT_HELP:    *help = 1; return 0;
    case OPT_VERSION: *version = 1; return 0;
    case OPT_JOBS:    return parse_jobs(value, &a->jobs, err);
    case OPT_MODEL:   a->model = value; return 0;
    case OPT_URL:     a->url = value; return 0;
    case OPT_JSONL:   return set_stream(a, CLI_MODE_JSONL, err);
    case OPT_WARC:    return set_stream(a, CLI_MODE_WARC, err);
    case OPT_ID_FIELD:      a->id_field = value; return 0;
    case OPT_URL_FIELD:     a->url_field = value; return 0;
    case OPT_CONTENT_FIELD: a->content_field = value; return 0;
    case OPT_MIN_CHARS:
        a->has_min_chars = 1;
        return parse_count("--min-chars", "characters", value, 0, CONFIG_MAX_BODY_CHARS,
                           &a->min_chars, err);
    case OPT_FORMAT:
        if (strcmp(value, "text") != 0 && strcmp(value, "json") != 0)
            return cl_fail(err, "-f: unknown format '%s' (text or json)", value);
        a->format = value;
        return 0;
    case OPT_NONE:
        break;
    }
    return cl_fail(err, "internal: unhandled option");
}

static int decide_stream(cli_args *a, int once, cl_error *err)
{
    const char *name = a->mode == CLI_MODE_JSONL ? "--jsonl" : "--warc";
    if (once || a->input_dir)
        return cl_fail(err, "%s cannot be combined with --once or -i", name);
    if (a->url)
        return cl_fail(err, "%s: each record has its own URL; --url does not apply", name);
    if (a->format && strcmp(a->format, "json") != 0)
        return cl_fail(err, "%s writes JSON Lines: -f %s does not apply", name, a->format);
    if (a->nfiles == 0)
        return cl_fail(err, "%s needs FILE... or - (standard input)", name);
    a->output_file = a->output_dir;
    a->output_dir = NULL;
    return 0;
}

static int decide_mode(cli_args *a, int help, int version, int once, cl_error *err)
{
    if (help) {
        a->mode = CLI_MODE_HELP;
        return 0;
    }
    if (version) {
        a->mode = CLI_MODE_VERSION;
        return 0;
    }
    if (a->mode == CLI_MODE_JSONL || a->mode == CLI_MODE_WARC)
        return decide_stream(a, once, err);
    if (a->id_field || a->url_field || a->content_field)
        return cl_fail(err, "--id-field, --url-field and --content-field need --jsonl");
    if (a->nfiles > 0) {
        if (once || a->input_dir || a->output_dir)
            return cl_fail(err, "file arguments cannot be combined with --once, -i or -o");
        if (a->url && a->nfiles > 1)
            return cl_fail(err, "--url names the page of one FILE, and %zu were given",
                           a->nfiles);
        a->mode = CLI_MODE_FILES;
        return 0;
    }
    if (a->url)
        return cl_fail(err, "--url names the page of one FILE (or -), and none was given");
    if (once) {
        a->mode = CLI_MODE_ONCE;
        return 0;
    }
    if (!a->config_path && !a->input_dir && !a->output_dir)
        return cl_fail(err, "nothing to do: give FILE..., --once -i IN -o OUT, or -c FILE");
    a->mode = CLI_MODE_DAEMON;
    return 0;
}

int cli_parse(cli_args *a, int argc, char **argv, cl_error *err)
{
    cli_init(a);
    int help = 0, version = 0, once = 0, only_files = 0;
    a->files = calloc(argc > 0 ? (size_t)argc : 1, sizeof *a->files);
    if (!a->files)
        return cl_fail(err, "out of memory");

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
            a->files[a->nfiles++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = 1;
            continue;
        }
        const char *value;
        const opt_spec *spec = find_opt(arg, &value);
        if (!spec) {
            cl_fail(err, "unknown option '%s'", arg);
            goto fail;
        }
        if (!spec->takes_value && value && arg[1] == '-') {
            cl_fail(err, "option '--%s' takes no value", spec->long_name);
            goto fail;
        }
        if (!spec->takes_value && value) {
            cl_fail(err, "unknown option '%s'", arg);
            goto fail;
        }
        if (spec->takes_value && !value) {
            if (i + 1 >= argc) {
                cl_fail(err, "option '%s' needs a value", arg);
                goto fail;
            }
            value = argv[++i];
        }
        if (apply_opt(a, spec->id, value, &help, &version, &once, err) < 0)
            goto fail;
    }
    if (decide_mode(a, help, version, once, err) < 0)
        goto fail;
    return 0;
fail:
    cli_free(a);
    return -1;
}
