/*
 * strmap.h - a hash map from strings to 64-bit values.
 *
 * Open addressing with linear probing and backward-shift deletion, so lookups
 * stay O(1) however many inserts and removals a long-running daemon does, and
 * the table shrinks back when emptied (memory follows the live entry count).
 * The map owns copies of its keys.  Not thread-safe (nothing here is).
 */
#ifndef CLEANER_DAEMON_STRMAP_H
#define CLEANER_DAEMON_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void    strmap_free(strmap *m);

/* Pointer to the key's value, or NULL when absent.  Valid until the next
 * insert or removal. */
uint64_t *strmap_get(const strmap *m, const char *key);

/* Sets key to value, inserting it if needed.  0, or -1 on allocation failure. */
int     strmap_put(strmap *m, const char *key, uint64_t value);

/* Removes key if present; returns 1 if it was. */
int     strmap_remove(strmap *m, const char *key);

size_t  strmap_count(const strmap *m);

/* Calls fn for every entry, in no order; fn must not change the map.  A
 * non-zero return stops the walk and is returned. */
int     strmap_each(const strmap *m, int (*fn)(void *ctx, const char *key,
                                              uint64_t value), void *ctx);
void    strmap_clear(strmap *m);

#endif
