/*
 * direct.h - `cleaner FILE...` and `cleaner -`: clean to standard output.
 *
 * Each file is read safely (fileio.h; "-" is standard input) and cleaned in
 * a forked child, so that a parser crash or runaway on one input is reported
 * as that file's failure, as in the daemon.  Outputs follow each other in
 * argument order; JSON documents are one per line.  With --explain in text
 * mode, decisions go to standard error.  Returns the exit code: 0 when every
 * file was cleaned, 1 when any failed (each failure is logged as
 * "FILE: cause"), 2 on a config error.
 */
#ifndef CLEANER_DAEMON_DIRECT_H
#define CLEANER_DAEMON_DIRECT_H

#include "cli.h"

int direct_run(const char *config_path, const cli_args *a);

#endif
