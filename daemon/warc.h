/*
 * warc.h - the records of a WARC file (ISO 28500, WARC 1.0 and 1.1),
 * plain or gzipped (one gzip member per record, as crawlers write them,
 * or the whole file), read one at a time from a source (source.h).
 *
 * Why not libarchive: Debian 12's libarchive (3.6.2) reads WARC as an
 * archive of files, and that loses what a corpus needs.  Listed with its
 * bsdtar, of the twelve files of ../shared/warc-samples it gives no entry
 * for eight, stops with "Invalid record version" on two, and names the
 * others' records by a path made of WARC-Target-URI ("domains/example" for
 * http://www.iana.org/domains/example); it hides WARC-Record-ID, the
 * record type and the record's Content-Type.  The framing is a simple line
 * format (a version line, "Name: value" lines, a blank line, then exactly
 * Content-Length bytes and two CRLFs), so it is parsed here; the gzip
 * layer is zlib's inflate, member by member, never a hand-written one.
 *
 * What comes out: every record, in order, with its type, target URI (a
 * wget-style "<uri>" unwrapped), record id, date (and the date as seconds
 * since the epoch), Content-Type and Content-Length.  The block (the bytes
 * after the header: an HTTP response for a response record) is kept only
 * for the types that carry a document (response, resource, conversion),
 * and only its first max_block bytes: `block_cut` says the rest was
 * skipped.  A block is read in steps, never allocated at the size its
 * Content-Length claims.
 *
 * Errors, record by record: a record cut short (end of stream, or a gzip
 * member cut short), a corrupt gzip member, a header without Content-Length
 * or over WARC_MAX_HEADER_BYTES, bytes between records that are no record:
 * warc_next() returns that record with `error` set (its other fields as
 * far as they were read), then goes on at the next gzip member or the
 * next line starting "WARC/".  Only a failing read of the source itself is
 * fatal (-1).
 *
 * Ownership: the reader owns every record it returns; a record's strings
 * and block live until the next warc_next() or warc_reader_free().  The
 * reader borrows its source.  Memory: two 64 KiB buffers, the header, and
 * at most max_block bytes of block, whatever the stream holds.
 */
#ifndef CLEANER_DAEMON_WARC_H
#define CLEANER_DAEMON_WARC_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"
#include "source.h"

/* Real headers are under 2 KB; a "header" longer than this is junk. */
#define WARC_MAX_HEADER_BYTES (32u << 10)

typedef enum warc_type {
    WARC_TYPE_OTHER = 0,   /* a type this version does not name, or none */
    WARC_TYPE_WARCINFO,
    WARC_TYPE_RESPONSE,
    WARC_TYPE_RESOURCE,
    WARC_TYPE_REQUEST,
    WARC_TYPE_METADATA,
    WARC_TYPE_REVISIT,
    WARC_TYPE_CONVERSION,
    WARC_TYPE_CONTINUATION,
} warc_type;

typedef struct warc_record {
    uint64_t    offset;        /* where the record starts in the stream: for
                                  gzip, the offset of its gzip member (the
                                  form CDX indexes use) */
    warc_type   type;
    const char *type_name;     /* as written; "" when absent */
    const char *target_uri;    /* NULL when absent */
    const char *record_id;
    const char *date;          /* WARC-Date as written */
    long long   fetch_time;    /* WARC-Date in seconds since the epoch, 0 */
    const char *content_type;  /* of the block, e.g. application/http; ... */
    uint64_t    content_length;
    const char *block;         /* kept block bytes (NUL-terminated), or "" */
    size_t      block_len;
    int         block_cut;     /* the block was longer than max_block */
    char        error[CL_ERROR_MAX];  /* non-empty: this record is bad */
} warc_record;

typedef struct warc_reader warc_reader;

/* A reader of `read`'s bytes; blocks kept up to max_block bytes.  NULL
 * when out of memory. */
warc_reader *warc_reader_new(source_read_fn read, void *read_ctx, size_t max_block);
void         warc_reader_free(warc_reader *r);

/* 1 and *rec the next record, 0 at the end of the stream, or -1 with err
 * ("read error at offset N: cause") when the source fails. */
int warc_next(warc_reader *r, const warc_record **rec, cl_error *err);

/* Bytes read from the source so far (the offset a fatal error names). */
uint64_t warc_reader_offset(const warc_reader *r);

/*
 * Parses a record header in place (hdr[0..len), the version line through
 * the blank line, which it NUL-terminates into strings, so hdr[len] must
 * be writable: a cl_buf's NUL), filling the header fields of rec.  0, or -1 with err: no "WARC/" version line, no
 * Content-Length or a bad one.
 */
int warc_parse_header(char *hdr, size_t len, warc_record *rec, cl_error *err);

/* "2018-11-02T18:55:11Z" (fractions of a second and a date alone too) in
 * seconds since the epoch; 0 when it is no such date. */
long long warc_parse_date(const char *s);

#endif
