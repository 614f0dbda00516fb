/*
 * log.h - the daemon's log: one line per message on standard error.
 *
 * Under systemd (JOURNAL_STREAM naming standard error) each line starts with an sd-daemon
 * priority prefix ("<3>") so journald keeps its level; on a terminal the
 * level is spelled out.  Each line is written with a single write(), so lines
 * from the parent and its workers never interleave mid-line.
 *
 * The threshold is process-wide: main sets it from the config's log_level at
 * start and on reload, before any worker is forked.
 */
#ifndef CLEANER_DAEMON_LOG_H
#define CLEANER_DAEMON_LOG_H

typedef enum log_level {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
} log_level;

/* "error", "warn" (or "warning"), "info", "debug".  0, or -1 if unknown. */
int  log_level_parse(const char *name, log_level *out);
void log_set_level(log_level level);
int  log_enabled(log_level level);

void log_msg(log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
