/*
 * fuzz_jsonl.c - libFuzzer target on the JSON Lines reader and record
 * parser (jsonl.h).
 *
 * Each input is a stream of lines, read in steps of a size taken from its
 * last byte; every line that fits is parsed with the default field
 * names and with configured ones.  A line over the limit must come back
 * as too_long without its bytes; a parsed record's content must be a
 * string of the length it claims; every record is released whole
 * (LeakSanitizer checks it).
 */
#include <stdint.h>
#include <string.h>

#include "jsonl.h"

#define FUZZ_MAX_LINE (16u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const jsonl_line *line, const jsonl_fields *f)
{
    jsonl_record rec;
    if (jsonl_parse(line->bytes, line->len, f, &rec, NULL) == 0
        && strlen(rec.content) > rec.content_len)
        __builtin_trap();
    jsonl_record_clear(&rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    source_mem m = { (const char *)data, size, 0, (size_t)data[size - 1] * 17 + 1 };
    jsonl_reader *r = jsonl_reader_new(source_read_mem, &m, FUZZ_MAX_LINE);
    if (!r)
        return 0;
    const jsonl_fields defaults = { NULL, NULL, NULL }, named = { "k", "u", "c" };
    jsonl_line line;
    cl_error err;
    while (jsonl_next(r, &line, &err) > 0) {
        if (line.too_long != (line.len > FUZZ_MAX_LINE) || (line.too_long && line.bytes))
            __builtin_trap();
        if (line.too_long)
            continue;
        parse(&line, &defaults);
        parse(&line, &named);
    }
    jsonl_reader_free(r);
    return 0;
}
