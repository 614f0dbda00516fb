/*
 * direct.h - `cleaner FILE...` and `cleaner -`: clean to standard output.
 *
 * File mode runs on the same event loop and worker pool as --once and the
 * daemon: each file is read and cleaned by a pool worker, under the same
 * memory and CPU limits, so a parser crash or runaway on one input is
 * reported as that file's failure; the worker hands the rendered output
 * back as a memory file passed over its socket.  Outputs are written to
 * standard output in argument order, whatever order the workers finish
 * in; at most DIRECT_AHEAD files past the next one to print are in flight
 * or waiting, so memory stays flat however many files are named.  JSON
 * documents are one per line.  With --explain in text mode, decisions go
 * to standard error.  A file with no article (status.h) is logged as
 * "FILE: no article: cause"; its JSON is printed, with "status":
 * "no_article", its text is not.  Returns the exit code, once everything
 * is printed: 0 when every file was cleaned, 1 when any failed (each
 * failure is logged as "FILE: cause"), else 3 when any had no article,
 * 2 on a config error.
 */
#ifndef CLEANER_DAEMON_DIRECT_H
#define CLEANER_DAEMON_DIRECT_H

#include "cli.h"

/* Files cleaned ahead of the one standard output waits for, per worker. */
#define DIRECT_AHEAD 4

int direct_run(const char *config_path, const cli_args *a);

#endif
