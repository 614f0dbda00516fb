/*
 * cli.h - the command line, parsed into a struct; no I/O, no exit().
 *
 *   cleaner [options] FILE... | -      clean to standard output
 *   cleaner --once -i IN -o OUT        clean IN into OUT, then exit
 *   cleaner -c FILE | -i IN -o OUT     run as a daemon in the foreground
 *   cleaner --jsonl|--warc FILE...|- [-o OUT.jsonl]   record streams (stream.h)
 *
 * Strings in cli_args are borrowed from argv; `files` is owned (cli_free).
 */
#ifndef CLEANER_DAEMON_CLI_H
#define CLEANER_DAEMON_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

typedef enum cli_mode {
    CLI_MODE_HELP = 0,
    CLI_MODE_VERSION,
    CLI_MODE_FILES,    /* FILE... or - : to standard output */
    CLI_MODE_ONCE,     /* --once */
    CLI_MODE_DAEMON,   /* -c or -i/-o without --once and without files */
    CLI_MODE_JSONL,    /* --jsonl FILE...|- */
    CLI_MODE_WARC,     /* --warc FILE...|- */
} cli_mode;

typedef struct cli_args {
    cli_mode     mode;
    const char  *config_path;  /* -c; NULL: look it up (config.h) */
    const char  *input_dir;    /* -i */
    const char  *output_dir;   /* -o */
    const char  *format;       /* -f; NULL: from the config */
    int          explain;      /* --explain */
    int          jobs;         /* -j; 0: from the config */
    /* --min-chars N; has_min_chars 0: from the config (0 is a bar too) */
    int          has_min_chars;
    long         min_chars;
    const char  *model;        /* --model FILE or none; NULL: from the config */
    const char  *url;          /* --url URL of the one FILE; NULL: none */
    /* --jsonl and --warc: -o names the output file (NULL: standard output)
     * instead of output_dir; the JSONL field names (NULL: jsonl.h's) */
    const char  *output_file;
    const char  *id_field;     /* --id-field */
    const char  *url_field;    /* --url-field */
    const char  *content_field;/* --content-field */
    const char **files;        /* owned array of borrowed strings */
    size_t       nfiles;
} cli_args;

/*
 * Parses argv.  0 with `a` filled, or -1 with err saying what is wrong with
 * the command line (a usage error: exit code 2).
 */
int  cli_parse(cli_args *a, int argc, char **argv, cl_error *err);
void cli_free(cli_args *a);
void cli_usage(FILE *out);

#endif
