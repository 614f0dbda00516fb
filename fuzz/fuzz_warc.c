/*
 * fuzz_warc.c - libFuzzer target on the WARC reader (warc.h) and the HTTP
 * response decoding (http.h) of every document block it yields.
 *
 * The input is read as a WARC stream (plain, or gzip when it starts like
 * one) in reads of a size taken from its last byte, so buffer boundaries
 * fall everywhere.  Every call must end (the reader always moves forward),
 * every record's strings must be readable, and memory must stay within
 * the block limit whatever the Content-Length claims.
 */
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "warc.h"

/* Small, so blocks over it (block_cut) are exercised too. */
#define FUZZ_MAX_BLOCK (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const warc_record *rec, cl_buf *body)
{
    http_response r;
    if (http_parse_response(rec->block, rec->block_len, &r, NULL) < 0)
        return;
    cl_buf_clear(body);
    http_decode_body(&r, rec->block + r.body_offset, rec->block_len - r.body_offset,
                     FUZZ_MAX_BLOCK, body, NULL);
    if (body->len > FUZZ_MAX_BLOCK)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    source_mem m = { (const char *)data, size, 0, (size_t)data[size - 1] * 31 + 1 };
    warc_reader *r = warc_reader_new(source_read_mem, &m, FUZZ_MAX_BLOCK);
    if (!r)
        return 0;
    cl_buf body = CL_BUF_INIT;
    const warc_record *rec;
    cl_error err;
    while (warc_next(r, &rec, &err) > 0) {
        if (rec->block_len > FUZZ_MAX_BLOCK || strlen(rec->block) > rec->block_len)
            __builtin_trap();
        if (rec->target_uri)
            (void)strlen(rec->target_uri);
        if (!rec->error[0])
            decode(rec, &body);
    }
    cl_buf_free(&body);
    warc_reader_free(r);
    return 0;
}
