#include "names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct names {
    strmap *present;  /* "rel" -> 1 */
    strmap *stems;    /* "dir/stem" -> number of present inputs with it */
};

names *names_new(void)
{
    names *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->present = strmap_new();
    n->stems = strmap_new();
    if (!n->present || !n->stems) {
        names_free(n);
        return NULL;
    }
    return n;
}

void names_free(names *n)
{
    if (!n)
        return;
    strmap_free(n->present);
    strmap_free(n->stems);
    free(n);
}

void names_clear(names *n)
{
    strmap_clear(n->present);
    strmap_clear(n->stems);
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

int names_add(names *n, const char *rel)
{
    if (strmap_get(n->present, rel))
        return 0;
    char *stem = strndup(rel, stem_len(rel));
    if (!stem)
        return -1;
    uint64_t *count = strmap_get(n->stems, stem);
    int rc = strmap_put(n->stems, stem, count ? *count + 1 : 1);
    if (rc == 0 && strmap_put(n->present, rel, 1) < 0) {
        names_remove(n, rel);
        rc = -1;
    }
    free(stem);
    return rc;
}

void names_remove(names *n, const char *rel)
{
    if (!strmap_remove(n->present, rel))
        return;
    char *stem = strndup(rel, stem_len(rel));
    if (!stem)
        return;
    uint64_t *count = strmap_get(n->stems, stem);
    if (count && *count > 1)
        (*count)--;
    else if (count)
        strmap_remove(n->stems, stem);
    free(stem);
}

/* 1 when another present input would map to rel's plain output name. */
static int has_twin(const names *n, const char *rel, const char *stem)
{
    int self = strmap_get(n->present, rel) != NULL;
    uint64_t *count = strmap_get(n->stems, stem);
    if (count && *count > (uint64_t)self)
        return 1;
    return strcmp(stem, rel) != 0 && strmap_get(n->present, stem) != NULL;
}

char *names_output(const names *n, const char *rel, const char *ext)
{
    char *stem = strndup(rel, stem_len(rel));
    if (!stem)
        return NULL;
    const char *base = has_twin(n, rel, stem) ? rel : stem;
    size_t len = strlen(base) + strlen(ext) + 1;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s%s", base, ext);
    free(stem);
    return out;
}
