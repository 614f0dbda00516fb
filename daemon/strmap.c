#include "strmap.h"

#include <stdlib.h>
#include <string.h>

/* Smallest table; the table doubles past 1/2 full and halves below 1/8. */
#define STRMAP_MIN_CAP 16

typedef struct slot {
    char    *key;     /* NULL: empty */
    uint64_t hash;
    uint64_t value;
} slot;

struct strmap {
    slot  *slots;
    size_t cap;       /* power of two */
    size_t count;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull;    /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->slots = calloc(STRMAP_MIN_CAP, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    m->cap = STRMAP_MIN_CAP;
    return m;
}

void strmap_clear(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        m->slots[i].key = NULL;
    }
    m->count = 0;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    strmap_clear(m);
    free(m->slots);
    free(m);
}

static size_t find_slot(const strmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    while (m->slots[i].key
           && (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
        i = (i + 1) & mask;
    return i;
}

static int resize(strmap *m, size_t cap)
{
    slot *fresh = calloc(cap, sizeof *fresh);
    if (!fresh)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = (size_t)m->slots[i].hash & (cap - 1);
        while (fresh[j].key)
            j = (j + 1) & (cap - 1);
        fresh[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = fresh;
    m->cap = cap;
    return 0;
}

uint64_t *strmap_get(const strmap *m, const char *key)
{
    size_t i = find_slot(m, key, hash_key(key));
    return m->slots[i].key ? &m->slots[i].value : NULL;
}

int strmap_put(strmap *m, const char *key, uint64_t value)
{
    uint64_t h = hash_key(key);
    size_t i = find_slot(m, key, h);
    if (m->slots[i].key) {
        m->slots[i].value = value;
        return 0;
    }
    if ((m->count + 1) * 2 > m->cap) {
        if (resize(m, m->cap * 2) < 0)
            return -1;
        i = find_slot(m, key, h);
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    m->slots[i] = (slot){ copy, h, value };
    m->count++;
    return 0;
}

/* Moves later entries of the probe run back into the hole at i. */
static void close_hole(strmap *m, size_t i)
{
    size_t mask = m->cap - 1;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->slots[j].key)
            break;
        size_t home = (size_t)m->slots[j].hash & mask;
        /* Entry j may fill hole i only if its home is not in (i, j]. */
        int home_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (home_between)
            continue;
        m->slots[i] = m->slots[j];
        m->slots[j].key = NULL;
        i = j;
    }
}

int strmap_remove(strmap *m, const char *key)
{
    size_t i = find_slot(m, key, hash_key(key));
    if (!m->slots[i].key)
        return 0;
    free(m->slots[i].key);
    m->slots[i].key = NULL;
    m->count--;
    close_hole(m, i);
    if (m->cap > STRMAP_MIN_CAP && m->count * 8 < m->cap)
        resize(m, m->cap / 2);  /* failure only keeps the larger table */
    return 1;
}

size_t strmap_count(const strmap *m)
{
    return m->count;
}

int strmap_each(const strmap *m, int (*fn)(void *ctx, const char *key, uint64_t value),
                void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        int rc = fn(ctx, m->slots[i].key, m->slots[i].value);
        if (rc)
            return rc;
    }
    return 0;
}
