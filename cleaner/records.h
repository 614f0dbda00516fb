/*
 * records.h - a list of (key, value) byte records behind a header and a
 * digest: the format of the rules index cache (rules.h).
 *
 *   "CLRECS01"  u32 header length, header       what made the records
 *   u32 key length, u32 value length, key, value ...   (little-endian)
 *   u64 digest of every byte before it
 *
 * A reader states the header it expects (versions and everything else the
 * values depend on besides their keys); bytes with another header, a
 * wrong digest, or a record running past the end are refused whole, so
 * nothing is read from a stale, truncated or corrupted file.  The digest
 * (64 bits, multiply-xorshift over 8-byte words) catches accidents, not a
 * forger: whoever can write the bytes can write a matching digest, so the
 * bytes are trusted as much as their writer is.
 *
 * Ownership: the writer appends to the caller's cl_buf; a cl_records
 * cursor borrows the bytes it was opened on, which must outlive it.
 * Costs: opening reads every byte once (the digest) and walks the records;
 * cl_records_find() is linear in the number of records.
 */
#ifndef CLEANER_RECORDS_H
#define CLEANER_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

/* Records are counted in u32 lengths: no key or value reaches 4 GiB. */
#define CL_RECORDS_MAX_PART 0xFFFFFFFFu

/* Writing: begin, add any number, end.  Each returns 0, or -1 when out of
 * memory or a part exceeds CL_RECORDS_MAX_PART (out is then unusable). */
int cl_records_begin(cl_buf *out, const char *header);
int cl_records_add(cl_buf *out, const void *key, size_t klen, const void *value,
                   size_t vlen);
int cl_records_end(cl_buf *out);

typedef struct cl_records {
    const unsigned char *first, *end;  /* the records, between header and digest */
    const unsigned char *at;           /* cl_records_next()'s position */
} cl_records;

/* 0 when bytes hold records made with this exact header, whole and with
 * their digest; -1 otherwise (*r is then empty). */
int cl_records_open(cl_records *r, const void *bytes, size_t len, const char *header);

/* The next record: 1 and its parts (borrowed), or 0 after the last. */
int cl_records_next(cl_records *r, const void **key, size_t *klen, const void **value,
                    size_t *vlen);

/* The value of the first record whose key is exactly `key`: 1, or 0. */
int cl_records_find(const cl_records *r, const void *key, size_t klen, const void **value,
                    size_t *vlen);

/* The digest of len bytes, as the trailer holds it. */
uint64_t cl_records_digest(const void *bytes, size_t len);

#endif
