/*
 * jsonl.h - JSON Lines records: one JSON object a line, parsed with
 * jansson (Debian's libjansson), never by hand.
 *
 * Two layers, each usable alone (unit tests, fuzzing):
 *   jsonl_reader  splits a source (source.h) into lines at LF (a CR
 *                 before it is dropped; a last line without LF counts).
 *                 A line longer than max_line is skipped to its end
 *                 without being stored and returned with `too_long` set,
 *                 so memory is bounded by max_line whatever the stream.
 *   jsonl_parse() turns one line into a record: the object, its id (any
 *                 JSON value but an object or array), its url (a string)
 *                 and its content, the string of the first of the
 *                 content fields present.
 *
 * Field names: jsonl_fields; NULL members take the defaults "id", "url",
 * and the content fields "html", "markdown", "text" (in that order; each
 * gives its format as a name hint: record.html, record.md, record.txt).  A
 * configured content field gives no hint: the format is detected.
 *
 * Limits: jansson refuses nesting deeper than JSON_PARSER_MAX_DEPTH (2048
 * in Debian 12's build), so a line of 100 MB of '[' is an error, not a
 * stack overflow; a string with \u0000 is refused (no NUL reaches the
 * cleaner); an integer beyond 64 bits is refused ("too big integer").
 *
 * Ownership: a jsonl_line borrows the reader's buffer until the next
 * jsonl_next(); a jsonl_record owns its object (jsonl_record_clear), and
 * its id, url and content are borrowed from it.
 */
#ifndef CLEANER_DAEMON_JSONL_H
#define CLEANER_DAEMON_JSONL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "source.h"

typedef struct jsonl_fields {
    const char *id;        /* NULL: "id" */
    const char *url;       /* NULL: "url" */
    const char *content;   /* NULL: "html", "markdown", then "text" */
} jsonl_fields;

typedef struct jsonl_line {
    const char *bytes;     /* without its LF (and CR); NULL when too_long */
    size_t      len;       /* the line's whole length, too long or not */
    uint64_t    number;    /* 1 for the first line */
    uint64_t    offset;    /* of its first byte in the stream */
    int         too_long;  /* over max_line: skipped, not stored */
} jsonl_line;

typedef struct jsonl_reader jsonl_reader;

/* NULL when out of memory.  The reader borrows its source. */
jsonl_reader *jsonl_reader_new(source_read_fn read, void *read_ctx, size_t max_line);
void          jsonl_reader_free(jsonl_reader *r);

/* 1 and *line the next line, 0 at the end, -1 with err ("read error at
 * offset N: cause") when the source fails.  Lines of only spaces, tabs or
 * CR are skipped: they hold no record. */
int jsonl_next(jsonl_reader *r, jsonl_line *line, cl_error *err);

typedef struct jsonl_record {
    json_t     *object;        /* owned; NULL when the line is no JSON object */
    json_t     *id;            /* borrowed from object; NULL: none */
    const char *url;           /* NULL: none */
    const char *content;       /* the document; NULL when the record has none */
    size_t      content_len;
    const char *content_field; /* the field it came from */
    const char *name_hint;     /* record.html, record.md, record.txt or NULL */
} jsonl_record;

/*
 * Parses line[0..len) into *rec.  0, or -1 with err saying why (invalid
 * JSON with its column, not an object, an id or url of the wrong type, no
 * content field, a content field that is no string).  Even on failure
 * rec->object (and id) are set when the line was a JSON object, so an
 * error line can carry the record's id: jsonl_record_clear() either way.
 */
int  jsonl_parse(const char *line, size_t len, const jsonl_fields *f, jsonl_record *rec,
                 cl_error *err);
void jsonl_record_clear(jsonl_record *rec);

/* 1 when key is the content field or the id or url field of f (the
 * fields a record stream does not pass through as they are). */
int  jsonl_is_record_field(const jsonl_fields *f, const char *key);

#endif
