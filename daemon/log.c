#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Process-wide by design: see log.h. */
static log_level log_threshold = LOG_LEVEL_INFO;

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const char *const journal_prefixes[] = { "<3>", "<4>", "<6>", "<7>" };

int log_level_parse(const char *name, log_level *out)
{
    if (strcmp(name, "warn") == 0) {
        *out = LOG_LEVEL_WARN;
        return 0;
    }
    for (int i = LOG_LEVEL_ERROR; i <= LOG_LEVEL_DEBUG; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_set_level(log_level level)
{
    log_threshold = level;
}

int log_enabled(log_level level)
{
    return level <= log_threshold;
}

/* 1 when standard error is the journal: JOURNAL_STREAM ("DEV:INODE") names
 * it, and it is inherited, so it must match what fd 2 really is. */
static int stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
        return 0;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/*
 * Copies msg into line[n..size) with control characters escaped ("\n",
 * "\x1b"): file names may hold any byte but a message stays one line, so a
 * name like "x\ncleaner: error: ..." cannot forge log entries.  Returns the
 * new length.
 */
static size_t escape_controls(const char *msg, char *line, size_t n, size_t size)
{
    for (const unsigned char *p = (const unsigned char *)msg; *p && n + 4 < size; p++) {
        if (*p >= 0x20 && *p != 0x7f)
            line[n++] = (char)*p;
        else if (*p == '\n')
            n += (size_t)snprintf(line + n, size - n, "\\n");
        else
            n += (size_t)snprintf(line + n, size - n, "\\x%02x", *p);
    }
    return n;
}

/* Writes all of line, retrying short writes; a failed write is dropped. */
static void write_line(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/*
 * Formats the message, escapes it and writes it with one write().  Most
 * lines fit the stack buffers; a longer one (a path deeper than PATH_MAX)
 * is formatted on the heap rather than cut, so its cause, which comes
 * last, is never lost.
 */
void log_msg(log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    char msg_buf[1024], line_buf[4200];
    char *msg = msg_buf, *line = line_buf;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(msg_buf, sizeof msg_buf, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len >= sizeof msg_buf && (msg = malloc((size_t)len + 1))) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    if (!msg)
        msg = msg_buf;
    size_t size = 64 + 4 * strlen(msg) + 2;    /* an escape is 4 bytes at most */
    if (size > sizeof line_buf && !(line = malloc(size))) {
        line = line_buf;
        size = sizeof line_buf;
    } else if (size <= sizeof line_buf) {
        size = sizeof line_buf;
    }
    size_t n;
    if (stderr_is_journal())
        n = (size_t)snprintf(line, size, "%s", journal_prefixes[level]);
    else if (level <= LOG_LEVEL_WARN)
        n = (size_t)snprintf(line, size, "cleaner: %s: ", level_names[level]);
    else
        n = (size_t)snprintf(line, size, "cleaner: ");
    n = escape_controls(msg, line, n, size - 1);
    line[n++] = '\n';
    write_line(line, n);
    if (msg != msg_buf)
        free(msg);
    if (line != line_buf)
        free(line);
}
