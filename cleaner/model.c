/*
 * model.c - the learned block model (contract in model.h).
 *
 * Weights sit in an open-addressing table keyed by a 64-bit hash of the
 * feature name, at most half full: inference looks up tens of features a
 * block and never compares strings.  Two names of one model with the same
 * key would share a weight; at 64 bits that takes billions of features.
 */
#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_VERSION 1

typedef struct model_slot {
    uint64_t key;    /* 0: empty; cl_model_key() never gives 0 */
    float    weight;
} model_slot;

struct cl_model {
    model_slot *slots;
    size_t      nslots, n;
    double      bias;
    double      keep_at[CL_FORMAT_COUNT];     /* for blocks proposed dropped */
    double      drop_below[CL_FORMAT_COUNT];  /* for blocks proposed kept */
    int         stages;
};

/* Eight bytes a step: inference hashes tens of names a block, most of
 * them 8 to 30 bytes long. */
uint64_t cl_model_key(const char *name, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len, w;
    for (; len >= 8; name += 8, len -= 8) {
        memcpy(&w, name, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, name, len);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h ? h : 1;
}

static model_slot *find_slot(model_slot *slots, size_t nslots, uint64_t key)
{
    size_t i = (size_t)key & (nslots - 1);
    while (slots[i].key && slots[i].key != key)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

float cl_model_weight(const cl_model *m, uint64_t key)
{
    const model_slot *s = find_slot(m->slots, m->nslots, key);
    return s->key ? s->weight : 0.0f;
}

static int grow(cl_model *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 1024;
    model_slot *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->nslots; i++)
        if (m->slots[i].key)
            *find_slot(slots, nslots, m->slots[i].key) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 0;
}

static int add_weight(cl_model *m, const char *name, size_t len, float w)
{
    if ((m->n + 1) * 2 > m->nslots && grow(m) < 0)
        return -1;
    uint64_t key = cl_model_key(name, len);
    model_slot *s = find_slot(m->slots, m->nslots, key);
    if (!s->key)
        m->n++;
    s->key = key;
    s->weight = w;
    return 0;
}

/* One line, without its newline: "NAME NUMBER" split at the last space. */
typedef struct model_line {
    const char *name;
    size_t      name_len;
    double      value;
} model_line;

static int parse_line(const char *s, size_t n, model_line *out)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    const char *sp = NULL;
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == ' ' || s[i - 1] == '\t') {
            sp = s + i - 1;
            break;
        }
    if (!sp || sp == s)
        return -1;
    char num[64];
    size_t k = (size_t)(s + n - sp - 1);
    if (k == 0 || k >= sizeof num)
        return -1;
    memcpy(num, sp + 1, k);
    num[k] = '\0';
    char *end;
    errno = 0;
    out->value = strtod(num, &end);
    if (*end || errno || !isfinite(out->value))
        return -1;
    out->name = s;
    out->name_len = (size_t)(sp - s);
    while (out->name_len && (s[out->name_len - 1] == ' ' || s[out->name_len - 1] == '\t'))
        out->name_len--;
    return 0;
}

static int is_setting(const model_line *l, const char *name)
{
    return l->name_len == strlen(name) && memcmp(l->name, name, l->name_len) == 0;
}

/*
 * "threshold", "keep_threshold" or "drop_threshold", each optionally for
 * one format ("keep_threshold.text"): sets it (when the value is valid)
 * and returns 1; -1 for a threshold setting of an unknown name; 0 when the
 * line is no threshold setting (a weight).
 */
static int threshold_setting(cl_model *m, const model_line *l)
{
    static const char *const names[] = { "threshold", "keep_threshold", "drop_threshold" };
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(names[k]);
        if (l->name_len < n || memcmp(l->name, names[k], n) != 0)
            continue;
        int from = 0, to = CL_FORMAT_COUNT;
        if (l->name_len > n) {
            if (l->name[n] != '.')
                continue;
            from = -1;
            for (int f = 0; f < CL_FORMAT_COUNT; f++) {
                const char *fmt = cl_format_name((cl_format)f);
                if (l->name_len - n - 1 == strlen(fmt) &&
                    memcmp(l->name + n + 1, fmt, strlen(fmt)) == 0)
                    from = f;
            }
            if (from < 0)
                return -1;
            to = from + 1;
        }
        if (!(l->value >= 0 && l->value <= 1))
            return 1;
        for (int f = from; f < to; f++) {
            if (k != 2)
                m->keep_at[f] = l->value;
            if (k != 1)
                m->drop_below[f] = l->value;
        }
        return 1;
    }
    return 0;
}

/* Applies one parsed line; `version_seen` says the first line was read. */
static int apply_line(cl_model *m, const model_line *l, int *version_seen, const char *source,
                      int lineno, cl_error *err)
{
    if (!*version_seen) {
        if (!is_setting(l, "cleaner-block-model") || l->value != MODEL_VERSION)
            return cl_fail(err, "%s:%d: not a cleaner-block-model %d file", source, lineno,
                           MODEL_VERSION);
        *version_seen = 1;
        return 0;
    }
    int threshold = threshold_setting(m, l);
    if (threshold != 0) {
        if (threshold < 0)
            return cl_fail(err, "%s:%d: unknown setting '%.*s'", source, lineno,
                           (int)l->name_len, l->name);
        if (!(l->value >= 0 && l->value <= 1))
            return cl_fail(err, "%s:%d: threshold %g is not between 0 and 1", source, lineno,
                           l->value);
        return 0;
    }
    if (is_setting(l, "bias")) {
        m->bias = l->value;
        return 0;
    }
    if (add_weight(m, l->name, l->name_len, (float)l->value) < 0)
        return cl_fail(err, "out of memory");
    if (l->name_len > 2 && l->name[0] == '2' && l->name[1] == ':')
        m->stages = 2;
    return 0;
}

cl_model *cl_model_load(const char *source, const char *text, size_t len, cl_error *err)
{
    cl_model *m = calloc(1, sizeof *m);
    if (!m || grow(m) < 0) {
        free(m);
        cl_fail(err, "out of memory");
        return NULL;
    }
    for (int f = 0; f < CL_FORMAT_COUNT; f++)
        m->keep_at[f] = m->drop_below[f] = 0.5;
    m->stages = 1;
    int version_seen = 0, lineno = 0;
    for (const char *s = text, *end = text + len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        lineno++;
        const char *p = s;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        model_line l;
        if (p < e && *p != '#' && *p != '\r') {
            if (parse_line(p, (size_t)(e - p), &l) < 0) {
                cl_fail(err, "%s:%d: not a NAME NUMBER line", source, lineno);
                goto fail;
            }
            if (apply_line(m, &l, &version_seen, source, lineno, err) < 0)
                goto fail;
        }
        s = e + 1;
    }
    if (!version_seen) {
        cl_fail(err, "%s: empty: not a cleaner-block-model %d file", source, MODEL_VERSION);
        goto fail;
    }
    return m;
fail:
    cl_model_free(m);
    return NULL;
}

void cl_model_free(cl_model *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

double cl_model_bias(const cl_model *m) { return m->bias; }
double cl_model_keep_threshold(const cl_model *m, cl_format f) { return m->keep_at[f]; }
double cl_model_drop_threshold(const cl_model *m, cl_format f) { return m->drop_below[f]; }

int cl_model_decides(const cl_model *m, cl_format f)
{
    return m->drop_below[f] > 0 || m->keep_at[f] < 1;
}
size_t cl_model_count(const cl_model *m) { return m->n; }
int    cl_model_stages(const cl_model *m) { return m->stages; }
