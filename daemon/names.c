#include "names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The index keeps hashes, not paths: one 64-bit word a slot, a 48-bit hash
 * and a 16-bit count, so tens of thousands of inputs in IN cost a few
 * hundred kilobytes.  Two paths sharing a hash (odds about n^2 / 2^49) only
 * make an input take its long name.  Open addressing, linear probing, at
 * most 3/4 full, backward-shift deletion (no tombstones).
 */
#define TABLE_MIN_CAP 64
#define HASH_BITS     48
#define COUNT_MAX     0xffffu

typedef struct count_table {
    uint64_t *slots;    /* hash << 16 | count; 0: empty */
    size_t    cap;      /* power of two */
    size_t    n;
} count_table;

struct names {
    count_table present;  /* hash of "rel" -> 1 */
    count_table stems;    /* hash of "dir/stem" -> inputs with it */
};

static uint64_t hash_path(const char *s, size_t len, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 33;   /* finalizer: spread FNV's weak high bits */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h &= (1ull << HASH_BITS) - 1;
    return h ? h : 1;
}

static uint64_t slot_hash(uint64_t slot)
{
    return slot >> 16;
}

static int table_init(count_table *t, size_t cap)
{
    t->slots = calloc(cap, sizeof *t->slots);
    t->cap = cap;
    t->n = 0;
    return t->slots ? 0 : -1;
}

static void table_free(count_table *t)
{
    free(t->slots);
}

static size_t table_index(const count_table *t, uint64_t hash)
{
    size_t i = (size_t)hash & (t->cap - 1);
    while (t->slots[i] && slot_hash(t->slots[i]) != hash)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static uint64_t table_get(const count_table *t, uint64_t hash)
{
    return t->slots[table_index(t, hash)] & COUNT_MAX;
}

static int table_resize(count_table *t, size_t cap)
{
    count_table fresh;
    if (table_init(&fresh, cap) < 0)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i])
            fresh.slots[table_index(&fresh, slot_hash(t->slots[i]))] = t->slots[i];
    fresh.n = t->n;
    table_free(t);
    *t = fresh;
    return 0;
}

static int table_increment(count_table *t, uint64_t hash)
{
    if ((t->n + 1) * 4 > t->cap * 3 && table_resize(t, t->cap * 2) < 0)
        return -1;
    size_t i = table_index(t, hash);
    if (!t->slots[i]) {
        t->slots[i] = hash << 16;
        t->n++;
    }
    if ((t->slots[i] & COUNT_MAX) < COUNT_MAX)
        t->slots[i]++;
    return 0;
}

/* Empties slot i, moving later entries of its probe run back. */
static void table_remove_slot(count_table *t, size_t i)
{
    size_t mask = t->cap - 1, j = i;
    t->slots[i] = 0;
    t->n--;
    for (;;) {
        j = (j + 1) & mask;
        if (!t->slots[j])
            break;
        size_t home = (size_t)slot_hash(t->slots[j]) & mask;
        int home_between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (home_between)
            continue;
        t->slots[i] = t->slots[j];
        t->slots[j] = 0;
        i = j;
    }
    if (t->cap > TABLE_MIN_CAP && t->n * 8 < t->cap)
        table_resize(t, t->cap / 2);    /* failure only keeps the larger table */
}

static void table_decrement(count_table *t, uint64_t hash)
{
    size_t i = table_index(t, hash);
    if (!t->slots[i])
        return;
    if ((t->slots[i] & COUNT_MAX) <= 1)
        table_remove_slot(t, i);
    else
        t->slots[i]--;
}

static void table_clear(count_table *t)
{
    memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->n = 0;
}

names *names_new(void)
{
    names *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    if (table_init(&n->present, TABLE_MIN_CAP) < 0
        || table_init(&n->stems, TABLE_MIN_CAP) < 0) {
        names_free(n);
        return NULL;
    }
    return n;
}

void names_free(names *n)
{
    if (!n)
        return;
    table_free(&n->present);
    table_free(&n->stems);
    free(n);
}

void names_clear(names *n)
{
    table_clear(&n->present);
    table_clear(&n->stems);
}

/* Length of rel without its last extension (a dot in the final name, not
 * leading it). */
static size_t stem_len(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return strlen(rel);
    return (size_t)(dot - rel);
}

enum { SEED_NAME = 0, SEED_STEM = 0x5bd1e995 };

int names_add(names *n, const char *rel)
{
    size_t len = strlen(rel);
    uint64_t name = hash_path(rel, len, SEED_NAME);
    if (table_get(&n->present, name))
        return 0;
    if (table_increment(&n->stems, hash_path(rel, stem_len(rel), SEED_STEM)) < 0)
        return -1;
    if (table_increment(&n->present, name) < 0) {
        table_decrement(&n->stems, hash_path(rel, stem_len(rel), SEED_STEM));
        return -1;
    }
    return 0;
}

void names_remove(names *n, const char *rel)
{
    uint64_t name = hash_path(rel, strlen(rel), SEED_NAME);
    if (!table_get(&n->present, name))
        return;
    table_decrement(&n->present, name);
    table_decrement(&n->stems, hash_path(rel, stem_len(rel), SEED_STEM));
}

/* 1 when another present input would map to rel's plain output name. */
static int has_twin(const names *n, const char *rel, size_t stem)
{
    size_t len = strlen(rel);
    uint64_t self = table_get(&n->present, hash_path(rel, len, SEED_NAME));
    if (table_get(&n->stems, hash_path(rel, stem, SEED_STEM)) > self)
        return 1;
    return stem != len && table_get(&n->present, hash_path(rel, stem, SEED_NAME));
}

char *names_output(const names *n, const char *rel, const char *ext)
{
    size_t stem = stem_len(rel);
    size_t base = has_twin(n, rel, stem) ? strlen(rel) : stem;
    size_t size = base + strlen(ext) + 1;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s%s", (int)base, rel, ext);
    return out;
}
