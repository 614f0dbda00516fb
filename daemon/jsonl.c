#include "jsonl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The read step; a line may span many. */
#define JSONL_CHUNK (64u << 10)

struct jsonl_reader {
    source_read_fn read;
    void          *read_ctx;
    size_t         max_line;
    char          *in;          /* JSONL_CHUNK bytes read ahead */
    size_t         in_pos, in_len;
    uint64_t       in_base;     /* stream offset of in[0] */
    int            eof;
    uint64_t       number;
    char          *line;        /* the line being gathered, max_line + 1 */
    size_t         line_len;
};

static const char *const default_content[] = { "html", "markdown", "text" };
static const char *const default_hint[] = { "record.html", "record.md", "record.txt" };

jsonl_reader *jsonl_reader_new(source_read_fn read, void *read_ctx, size_t max_line)
{
    jsonl_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->read = read;
    r->read_ctx = read_ctx;
    r->max_line = max_line;
    r->in = malloc(JSONL_CHUNK);
    if (!r->in) {
        jsonl_reader_free(r);
        return NULL;
    }
    return r;
}

void jsonl_reader_free(jsonl_reader *r)
{
    if (!r)
        return;
    free(r->in);
    free(r->line);
    free(r);
}

static int refill(jsonl_reader *r, cl_error *err)
{
    r->in_base += r->in_len;
    r->in_pos = r->in_len = 0;
    ssize_t n = r->read(r->read_ctx, r->in, JSONL_CHUNK);
    if (n < 0)
        return cl_fail(err, "read error at offset %llu: %s", (unsigned long long)r->in_base,
                       strerror(errno));
    r->eof = n == 0;
    r->in_len = (size_t)n;
    return 0;
}

/* Appends to the line while it fits; past max_line only counts.  The line
 * buffer is allocated at max_line + 1 on first use: untouched pages cost
 * no memory, and a line never reallocates. */
static int keep_bytes(jsonl_reader *r, const char *s, size_t n, size_t *total)
{
    if (*total + n <= r->max_line) {
        if (!r->line && !(r->line = malloc(r->max_line + 1)))
            return -1;
        memcpy(r->line + r->line_len, s, n);
        r->line_len += n;
    }
    *total += n;
    return 0;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Gathers one raw line: 1, 0 at the end with nothing gathered, -1. */
static int gather(jsonl_reader *r, jsonl_line *line, cl_error *err)
{
    size_t total = 0;
    int started = 0;
    r->line_len = 0;
    for (;;) {
        if (r->in_pos == r->in_len) {
            if (!r->eof && refill(r, err) < 0)
                return -1;
            if (r->eof)
                return started;
        }
        if (!started) {
            line->offset = r->in_base + r->in_pos;
            started = 1;
        }
        const char *p = r->in + r->in_pos;
        const char *nl = memchr(p, '\n', r->in_len - r->in_pos);
        size_t n = nl ? (size_t)(nl - p) : r->in_len - r->in_pos;
        if (keep_bytes(r, p, n, &total) < 0)
            return cl_fail(err, "out of memory for a line of %zu bytes", total + n);
        r->in_pos += n + (nl != NULL);
        if (nl)
            break;
    }
    line->len = total;
    line->too_long = total > r->max_line;
    return 1;
}

int jsonl_next(jsonl_reader *r, jsonl_line *line, cl_error *err)
{
    for (;;) {
        memset(line, 0, sizeof *line);
        int rc = gather(r, line, err);
        if (rc <= 0)
            return rc;
        line->number = ++r->number;
        if (line->too_long)
            return 1;
        if (r->line_len && r->line[r->line_len - 1] == '\r')
            r->line_len--;
        line->len = r->line_len;
        line->bytes = r->line ? r->line : "";
        if (!is_blank(line->bytes, line->len))
            return 1;
    }
}

void jsonl_record_clear(jsonl_record *rec)
{
    json_decref(rec->object);
    memset(rec, 0, sizeof *rec);
}

int jsonl_is_record_field(const jsonl_fields *f, const char *key)
{
    if (!strcmp(key, f->id ? f->id : "id") || !strcmp(key, f->url ? f->url : "url"))
        return 1;
    if (f->content)
        return !strcmp(key, f->content);
    for (size_t i = 0; i < sizeof default_content / sizeof default_content[0]; i++)
        if (!strcmp(key, default_content[i]))
            return 1;
    return 0;
}

static int take_content(const jsonl_fields *f, jsonl_record *rec, cl_error *err)
{
    size_t n = f->content ? 1 : sizeof default_content / sizeof default_content[0];
    for (size_t i = 0; i < n; i++) {
        const char *name = f->content ? f->content : default_content[i];
        json_t *v = json_object_get(rec->object, name);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v))
            return cl_fail(err, "field '%s' is not a string", name);
        rec->content = json_string_value(v);
        rec->content_len = json_string_length(v);
        rec->content_field = name;
        rec->name_hint = f->content ? NULL : default_hint[i];
        return 0;
    }
    if (f->content)
        return cl_fail(err, "no '%s' field", f->content);
    return cl_fail(err, "no 'html', 'markdown' or 'text' field");
}

int jsonl_parse(const char *line, size_t len, const jsonl_fields *f, jsonl_record *rec,
                cl_error *err)
{
    memset(rec, 0, sizeof *rec);
    json_error_t jerr;
    json_t *v = json_loadb(line, len, 0, &jerr);
    if (!v)
        return cl_fail(err, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return cl_fail(err, "not a JSON object");
    }
    rec->object = v;
    const char *id_name = f->id ? f->id : "id", *url_name = f->url ? f->url : "url";
    json_t *id = json_object_get(v, id_name);
    if (id && (json_is_object(id) || json_is_array(id)))
        return cl_fail(err, "field '%s' is an object or array, not an id", id_name);
    rec->id = id && !json_is_null(id) ? id : NULL;
    json_t *url = json_object_get(v, url_name);
    if (url && !json_is_null(url) && !json_is_string(url))
        return cl_fail(err, "field '%s' is not a string", url_name);
    rec->url = url ? json_string_value(url) : NULL;
    return take_content(f, rec, err);
}
