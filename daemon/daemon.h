/*
 * daemon.h - the two folder modes.
 *
 * daemon_once(): clean every input now in IN whose output is missing or
 * older, with the worker pool, log "done: N cleaned, N failed, N up to
 * date, N no article", then return the exit code: 0 none failed (inputs
 * with no article are no failures), 1 some input failed (the others are
 * written), 2 usage or config error.
 *
 * daemon_run(): the watch-folder daemon, in the foreground.  It watches IN
 * first, tells systemd READY=1, then scans the backlog (watching first, so
 * nothing created meanwhile is missed), and loops: inotify events queue
 * inputs, idle workers take them, results are logged.  SIGTERM/SIGINT stop taking new
 * inputs, let the workers finish theirs, and return 0; SIGHUP reloads the
 * config and rules (a bad new config is logged and the old one kept; the
 * watches stay, so no event is lost); an inotify queue overflow triggers a
 * rescan of IN.  STATUS= carries the counts; WATCHDOG=1 is sent at half the
 * WatchdogSec period.  Returns 0 on a requested stop, 1 on a runtime error,
 * 2 on a config error at start.
 */
#ifndef CLEANER_DAEMON_DAEMON_H
#define CLEANER_DAEMON_DAEMON_H

#include "cli.h"

/* config_path: the file to read, or NULL for built-in defaults. */
int daemon_once(const char *config_path, const cli_args *a);
int daemon_run(const char *config_path, const cli_args *a);

#endif
