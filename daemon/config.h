/*
 * config.h - the INI configuration (config/cleaner.conf documents each key).
 *
 * A config starts from built-in defaults (config_init); config_load() reads a
 * file over them.  Relative paths in the file are resolved against the file's
 * folder, so `rules_dir = rules` next to cleaner.conf means config/rules/.
 * Unknown sections or keys and bad values are errors, reported as
 * "FILE:LINE: cause"; on error the config passed in is left untouched, which
 * is how a reload keeps the old config.
 *
 * Ownership: every string in a config is owned by it; config_free() releases
 * them.  A reload builds a whole new config and swaps it in.
 */
#ifndef CLEANER_DAEMON_CONFIG_H
#define CLEANER_DAEMON_CONFIG_H

#include <stddef.h>
#include "cleaner.h"
#include "error.h"
#include "log.h"

typedef enum output_format {
    OUTPUT_TEXT = 0,
    OUTPUT_JSON,
} output_format;

/* The keys naming folders, whose errors point at the line that set them. */
typedef enum config_folder {
    CONFIG_INPUT_DIR = 0,
    CONFIG_OUTPUT_DIR,
    CONFIG_DONE_DIR,
    CONFIG_FAILED_DIR,
    CONFIG_RULES_DIR,
    CONFIG_FOLDERS
} config_folder;

/* A bar for min_body_chars beyond any article (a million characters is a
 * book) is a mistake in the file or the command line. */
#define CONFIG_MAX_BODY_CHARS 1000000

typedef struct config {
    char         *path;             /* the file read; NULL: built-in defaults */
    char         *input_dir;        /* NULL: unset */
    char         *output_dir;
    char         *done_dir;         /* NULL: inputs stay where they are */
    char         *failed_dir;       /* NULL: failures are logged only */
    char         *rules_dir;        /* NULL: no rules */
    char         *model_file;       /* the block model (model.h); NULL: none,
                                       the proposals are the decisions */
    char         *cache_dir;        /* the rules index cache (rules_cache.h);
                                       NULL: none */
    output_format format;
    int           explain;
    size_t        min_body_chars;   /* a shorter body is "no article" (status.h) */
    int           jobs;             /* 0: number of cores */
    size_t        max_input_bytes;
    size_t        worker_memory_bytes;  /* 0: no limit */
    unsigned      worker_cpu_seconds;   /* 0: no limit */
    unsigned      settle_ms;        /* without a read lease (fileio.h) */
    unsigned      rescan_interval;  /* seconds between rescans; 0: none */
    log_level     log_level;
    cl_options    options;          /* input format and classifier */
    unsigned      folder_line[CONFIG_FOLDERS];  /* line of `path` that set
                                                   it; 0: not the file */
} config;

/* The defaults; cache_dir is the user's cache folder, from the
 * environment (rules_cache_default_dir). */
void config_init(config *c);
void config_free(config *c);

/* Reads `path` over the values already in *c.  0, or -1 (c unchanged). */
int  config_load(config *c, const char *path, cl_error *err);

/* Replaces *field with a copy of value (NULL clears it).  0 or -1 (oom). */
int  config_set_path(char **field, const char *value);

/*
 * The config file to read when no -c is given: $CLEANER_CONFIG (which must
 * exist), else <dir of /proc/self/exe>/../config/cleaner.conf, else
 * CLEANER_SYSCONFDIR/cleaner/cleaner.conf, whichever exists first.  Returns a
 * new string, or NULL when none exists (built-in defaults) or on error, in
 * which case err->msg is non-empty.
 */
char *config_find(cl_error *err);

/*
 * "FILE:LINE: " when the config file set that folder, else "" (a built-in
 * default or the command line): the prefix of every error about it.
 * Writes into buf and returns it.
 */
const char *config_origin(const config *c, config_folder f, char *buf, size_t size);

/* Number of workers to run: `jobs`, or the number of online CPUs. */
int   config_jobs(const config *c);

const char *output_format_ext(output_format f);   /* ".txt" or ".json" */
int         output_format_parse(const char *s, output_format *out);

#endif
