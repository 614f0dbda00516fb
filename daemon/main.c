/*
 * main.c - parses the command line, finds the config, runs the mode.
 * Exit codes: 0 success, 1 some input failed, 2 usage or config error,
 * 3 (file mode) no input failed but some had no article.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "config.h"
#include "daemon.h"
#include "direct.h"
#include "log.h"
#include "stream.h"

static int run(const cli_args *a)
{
    cl_error err = { "" };
    char *config_path = NULL;
    if (a->config_path) {
        config_path = realpath(a->config_path, NULL);
        if (!config_path) {
            log_error("%s: cannot open config: %m", a->config_path);
            return 2;
        }
    } else if (!(config_path = config_find(&err)) && err.msg[0]) {
        log_error("%s", err.msg);
        return 2;
    }
    int rc;
    switch (a->mode) {
    case CLI_MODE_FILES:  rc = direct_run(config_path, a); break;
    case CLI_MODE_ONCE:   rc = daemon_once(config_path, a); break;
    case CLI_MODE_DAEMON: rc = daemon_run(config_path, a); break;
    case CLI_MODE_JSONL:
    case CLI_MODE_WARC:   rc = stream_run(config_path, a); break;
    default:              rc = 2; break;
    }
    free(config_path);
    return rc;
}

int main(int argc, char **argv)
{
    cli_args a;
    cl_error err = { "" };
    if (cli_parse(&a, argc, argv, &err) < 0) {
        log_error("%s", err.msg);
        fputs("Try 'cleaner --help'.\n", stderr);
        return 2;
    }
    int rc = 0;
    if (a.mode == CLI_MODE_HELP)
        cli_usage(stdout);
    else if (a.mode == CLI_MODE_VERSION)
        printf("cleaner %s\n", CLEANER_VERSION);
    else
        rc = run(&a);
    cli_free(&a);
    return rc;
}
