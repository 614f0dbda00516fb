/*
 * rules_cache.h - the rules index cache on disk: CACHE_DIR/rules.index.
 *
 * The library compiles the rules' Hyperscan index and screens their
 * regexes, most of a one-file run's start-up; it can hand both over as
 * bytes and adopt them again (rules.h says what they hold and why a stale
 * or corrupt file is harmless).  This is where those bytes are read and
 * written.
 *
 * rules_cache_offer() reads the file, before the rules are loaded, and
 * offers it to the library; rules_cache_update(), once the index is
 * prepared, writes it again when anything had to be compiled or screened
 * (first run, rules changed, a new version, a corrupt file), atomically:
 * a temporary file renamed over the old one, so concurrent processes
 * sharing the folder see one whole file or another, each of which they
 * check.  One file per folder: processes with other rules rewrite it
 * in turn, each correct.
 *
 * The file is read only when it is a regular file owned by the effective
 * user and writable by no one else: its digest catches accidents, not a
 * forger, so it is trusted as much as the folder it lives in.
 *
 * Nothing here fails the caller.  No folder configured (cache_dir empty)
 * means no cache; a missing or stale file is logged at debug level; one
 * that cannot be read or written, or is refused, is a warning; the rules
 * are then compiled as without a cache.  At debug level, a warm start says
 * "rules index from cache FILE".
 */
#ifndef CLEANER_DAEMON_RULES_CACHE_H
#define CLEANER_DAEMON_RULES_CACHE_H

#include "rules.h"

/* Largest cache file read: the shipped rules' is about a megabyte. */
#define RULES_CACHE_MAX_BYTES ((size_t)64 << 20)

#define RULES_CACHE_FILE "rules.index"

/* The default cache folder: $CACHE_DIRECTORY (set by systemd's
 * CacheDirectory=; the first of a list), else $XDG_CACHE_HOME/cleaner,
 * else $HOME/.cache/cleaner.  A new string, or NULL when none is set (or
 * out of memory): no cache. */
char *rules_cache_default_dir(void);

/* Offers dir's cache file (dir NULL: none) to rules, before loading them. */
void rules_cache_offer(const char *dir, cl_rules *rules);

/* After cl_rules_prepare(): logs where the index came from, and writes
 * the cache when the rules needed anything it did not hold. */
void rules_cache_update(const char *dir, const cl_rules *rules);

#endif
