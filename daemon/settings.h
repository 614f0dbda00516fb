/*
 * settings.h - the effective configuration: the config file, then the
 * command line over it (-i, -o, -f, --explain, -j, --min-chars win over
 * the file).
 *
 * -i and -o are taken relative to the current folder, as on any command
 * line; paths in the file are relative to the file's folder (config.h).
 */
#ifndef CLEANER_DAEMON_SETTINGS_H
#define CLEANER_DAEMON_SETTINGS_H

#include "cli.h"
#include "config.h"
#include "error.h"

/* Fills *out (config_free() it) from config_path (NULL: built-in defaults)
 * and the command line.  0, or -1 with err and *out empty. */
int settings_load(config *out, const char *config_path, const cli_args *a,
                  cl_error *err);

#endif
