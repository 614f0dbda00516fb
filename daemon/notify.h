/*
 * notify.h - telling systemd how the service is doing (sd_notify(3)).
 *
 * Every call is a no-op when the process was not started by systemd with
 * Type=notify (NOTIFY_SOCKET unset), so the daemon calls them freely.
 */
#ifndef CLEANER_DAEMON_NOTIFY_H
#define CLEANER_DAEMON_NOTIFY_H

#include <stdint.h>

void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_watchdog(void);

/* The watchdog period systemd asked for (WatchdogSec=), in microseconds;
 * 0 when there is none. */
uint64_t notify_watchdog_usec(void);

#endif
