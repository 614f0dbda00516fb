#include "warc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

/* The look-ahead of each layer; a header must fit in one (it is at most
 * WARC_MAX_HEADER_BYTES). */
#define WARC_CHUNK (64u << 10)

enum { KIND_UNKNOWN = 0, KIND_PLAIN, KIND_GZIP };

struct warc_reader {
    source_read_fn read;
    void          *read_ctx;
    size_t         max_block;
    int            kind;
    int            failed;      /* the source failed: every call is -1 */
    cl_error       fatal;
    /* raw bytes from the source; in[0] is at stream offset in_base */
    unsigned char  in[WARC_CHUNK];
    size_t         in_pos, in_len;
    uint64_t       in_base;
    int            in_eof;
    /* gzip: the member being inflated */
    z_stream       z;
    int            z_ready, in_member;
    uint64_t       member_start;
    uint64_t       probed;      /* the last gzip magic found inside a member */
    /* decompressed (or plain) bytes the record parser reads */
    unsigned char  out[WARC_CHUNK];
    size_t         out_pos, out_len;
    /* a break in the data (a corrupt or cut gzip member): reads end there
     * until the parser has reported it */
    char           gap[CL_ERROR_MAX];
    cl_buf         hdr, block;
    warc_record    rec;
};

warc_reader *warc_reader_new(source_read_fn read, void *read_ctx, size_t max_block)
{
    warc_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->read = read;
    r->read_ctx = read_ctx;
    r->max_block = max_block;
    return r;
}

void warc_reader_free(warc_reader *r)
{
    if (!r)
        return;
    if (r->z_ready)
        inflateEnd(&r->z);
    cl_buf_free(&r->hdr);
    cl_buf_free(&r->block);
    free(r);
}

uint64_t warc_reader_offset(const warc_reader *r)
{
    return r->in_base + r->in_len;
}

static void set_gap(warc_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_gap(warc_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->gap, sizeof r->gap, fmt, ap);
    va_end(ap);
}

static void bad(warc_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(warc_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->rec.error, sizeof r->rec.error, fmt, ap);
    va_end(ap);
}

/* ---- raw bytes ------------------------------------------------------ */

/* More bytes in r->in: 1, 0 at the end of the source, -1 when it fails. */
static int raw_fill(warc_reader *r)
{
    if (r->in_pos > 0) {
        memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
        r->in_base += r->in_pos;
        r->in_len -= r->in_pos;
        r->in_pos = 0;
    }
    if (r->in_len == sizeof r->in)
        return 1;
    if (r->in_eof)
        return 0;
    ssize_t n = r->read(r->read_ctx, r->in + r->in_len, sizeof r->in - r->in_len);
    if (n < 0) {
        cl_fail(&r->fatal, "read error at offset %llu: %s",
                (unsigned long long)(r->in_base + r->in_len), strerror(errno));
        r->failed = 1;
        return -1;
    }
    if (n == 0) {
        r->in_eof = 1;
        return 0;
    }
    r->in_len += (size_t)n;
    return 1;
}

/* Ensures n raw bytes are buffered, unless the source ends first. */
static int raw_want(warc_reader *r, size_t n)
{
    while (r->in_len - r->in_pos < n) {
        int rc = raw_fill(r);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

static int detect_kind(warc_reader *r)
{
    if (raw_want(r, 2) < 0)
        return -1;
    int gz = r->in_len - r->in_pos >= 2 && r->in[r->in_pos] == 0x1f
             && r->in[r->in_pos + 1] == 0x8b;
    r->kind = gz ? KIND_GZIP : KIND_PLAIN;
    return 0;
}

/* ---- gzip members ---------------------------------------------------- */

static int at_gzip_magic(const warc_reader *r)
{
    const unsigned char *p = r->in + r->in_pos;
    return r->in_len - r->in_pos >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

/* Skips raw bytes to the next gzip member header (or the end): the only
 * place a stream broken inside a member can be picked up again. */
static int skip_to_member(warc_reader *r)
{
    for (;;) {
        int rc = raw_want(r, 3);
        if (rc < 0)
            return -1;
        if (at_gzip_magic(r))
            return 1;
        if (r->in_len - r->in_pos < 3) {
            r->in_pos = r->in_len;
            return 0;
        }
        const unsigned char *p = memchr(r->in + r->in_pos + 1, 0x1f, r->in_len - r->in_pos - 1);
        r->in_pos = p ? (size_t)(p - r->in) : r->in_len - 2;
    }
}

static int start_member(warc_reader *r)
{
    int rc = raw_want(r, 3);
    if (rc <= 0)
        return rc;
    if (!at_gzip_magic(r)) {
        uint64_t at = r->in_base + r->in_pos;
        if ((rc = skip_to_member(r)) < 0)
            return -1;
        set_gap(r, "offset %llu: %llu bytes that are no gzip member skipped",
                (unsigned long long)at,
                (unsigned long long)(r->in_base + r->in_pos - at));
        return 0;
    }
    if (!r->z_ready) {
        if (inflateInit2(&r->z, 15 + 16) != Z_OK) {
            cl_fail(&r->fatal, "out of memory");
            r->failed = 1;
            return -1;
        }
        r->z_ready = 1;
    } else {
        inflateReset(&r->z);
    }
    r->member_start = r->probed = r->in_base + r->in_pos;
    r->in_member = 1;
    return 1;
}

/* Where inflate must stop in r->in: the next gzip magic in the member's
 * bytes not yet probed (a member cut short runs straight into the next
 * one, whose bytes inflate would otherwise eat), or the end. */
static size_t feed_end(const warc_reader *r)
{
    for (size_t i = r->in_pos; i + 3 <= r->in_len; i++) {
        const unsigned char *p = r->in + i;
        if (p[0] == 0x1f && p[1] == 0x8b && p[2] == 8 && r->in_base + i > r->probed)
            return i;
    }
    return r->in_len;
}

/* 1 when the bytes at in_pos are a gzip member that starts a WARC record:
 * the member before it was cut short.  Else it was deflate data that
 * looked like a header (a 1 in 2^24 chance a byte), and is marked probed. */
static int next_member_starts_here(warc_reader *r)
{
    if (raw_want(r, 256) < 0)
        return -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    unsigned char head[5];
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return 0;
    z.next_in = r->in + r->in_pos;
    z.avail_in = (unsigned)(r->in_len - r->in_pos);
    z.next_out = head;
    z.avail_out = sizeof head;
    inflate(&z, Z_NO_FLUSH);
    int starts = z.avail_out == 0 && memcmp(head, "WARC/", 5) == 0;
    inflateEnd(&z);
    if (!starts)
        r->probed = r->in_base + r->in_pos;
    return starts;
}

/* One inflate call; the bytes it made (0 when it needs more input). */
static size_t inflate_step(warc_reader *r, size_t end, int *zrc)
{
    size_t avail_in = end - r->in_pos, avail_out = sizeof r->out - r->out_len;
    r->z.next_in = r->in + r->in_pos;
    r->z.avail_in = (unsigned)avail_in;
    r->z.next_out = r->out + r->out_len;
    r->z.avail_out = (unsigned)avail_out;
    *zrc = inflate(&r->z, Z_NO_FLUSH);
    r->in_pos += avail_in - r->z.avail_in;
    size_t made = avail_out - r->z.avail_out;
    r->out_len += made;
    return made;
}

/* A failed member: the bytes up to here are reported, the next member is
 * looked for. */
static int member_broken(warc_reader *r, const char *why)
{
    set_gap(r, "corrupt gzip member at offset %llu (%s)",
            (unsigned long long)r->member_start, why);
    r->in_member = 0;
    return skip_to_member(r) < 0 ? -1 : 0;
}

/* Stops at each member's end, so a record's offset is its member's. */
static int fill_gzip(warc_reader *r)
{
    for (;;) {
        if (!r->in_member) {
            int rc = start_member(r);
            if (rc <= 0)
                return rc;
        }
        if (r->in_pos == r->in_len) {
            int rc = raw_fill(r);
            if (rc < 0)
                return -1;
            if (rc == 0) {
                set_gap(r, "gzip member at offset %llu cut short at offset %llu",
                        (unsigned long long)r->member_start,
                        (unsigned long long)r->in_base + r->in_len);
                r->in_member = 0;
                return 0;
            }
        }
        size_t end = feed_end(r);
        if (end == r->in_pos) {
            int starts = next_member_starts_here(r);
            if (starts < 0)
                return -1;
            if (starts) {
                set_gap(r, "gzip member at offset %llu cut short at offset %llu",
                        (unsigned long long)r->member_start,
                        (unsigned long long)(r->in_base + r->in_pos));
                r->in_member = 0;
                return 0;
            }
            end = feed_end(r);
        }
        int zrc;
        size_t made = inflate_step(r, end, &zrc);
        if (zrc == Z_STREAM_END)
            r->in_member = 0;
        else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
            return member_broken(r, r->z.msg ? r->z.msg : "zlib error") < 0 ? -1 : made > 0;
        if (made > 0)
            return 1;
    }
}

static int fill_plain(warc_reader *r)
{
    if (r->in_pos == r->in_len) {
        int rc = raw_fill(r);
        if (rc <= 0)
            return rc;
    }
    size_t n = r->in_len - r->in_pos, room = sizeof r->out - r->out_len;
    if (n > room)
        n = room;
    memcpy(r->out + r->out_len, r->in + r->in_pos, n);
    r->in_pos += n;
    r->out_len += n;
    return 1;
}

/* More bytes for the parser: 1, 0 at the end or at a gap, -1 fatal. */
static int fill(warc_reader *r)
{
    if (r->failed)
        return -1;
    if (r->gap[0])
        return 0;
    if (r->out_pos > 0) {
        memmove(r->out, r->out + r->out_pos, r->out_len - r->out_pos);
        r->out_len -= r->out_pos;
        r->out_pos = 0;
    }
    if (r->out_len == sizeof r->out)
        return 1;
    if (r->kind == KIND_UNKNOWN && detect_kind(r) < 0)
        return -1;
    return r->kind == KIND_GZIP ? fill_gzip(r) : fill_plain(r);
}

/* Ensures n bytes (n <= WARC_CHUNK) for the parser: 1, else as fill(). */
static int want(warc_reader *r, size_t n)
{
    while (r->out_len - r->out_pos < n) {
        int rc = fill(r);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

static uint64_t record_offset(const warc_reader *r)
{
    if (r->kind == KIND_GZIP)
        return r->out_pos < r->out_len ? r->member_start : r->in_base + r->in_pos;
    return r->in_base + r->in_pos - (r->out_len - r->out_pos);
}

/* ---- records ---------------------------------------------------------- */

/* Reports a pending gap as the record's error (after `what`, when the
 * record had started) and drops the bytes before it. */
static void take_gap(warc_reader *r, const char *what)
{
    bad(r, "%s%s%s", what, what[0] ? ": " : "", r->gap);
    r->gap[0] = '\0';
    r->out_pos = r->out_len;
}

static int skip_blank_lines(warc_reader *r)
{
    for (;;) {
        while (r->out_pos < r->out_len
               && (r->out[r->out_pos] == '\r' || r->out[r->out_pos] == '\n'))
            r->out_pos++;
        if (r->out_pos < r->out_len)
            return 1;
        int rc = fill(r);
        if (rc <= 0)
            return rc;
    }
}

static int at_version_line(const warc_reader *r)
{
    return r->out_len - r->out_pos >= 5 && memcmp(r->out + r->out_pos, "WARC/", 5) == 0;
}

/* Skips whole lines to the next one starting "WARC/": 1 there, 0 at the
 * end (or a gap), -1 fatal; *skipped counts the bytes. */
static int skip_to_record(warc_reader *r, uint64_t *skipped)
{
    for (;;) {
        int rc = want(r, 5);
        if (rc < 0)
            return -1;
        if (rc > 0 && at_version_line(r))
            return 1;
        size_t avail = r->out_len - r->out_pos;
        if (rc == 0) {
            *skipped += avail;
            r->out_pos = r->out_len;
            return 0;
        }
        const unsigned char *nl = memchr(r->out + r->out_pos, '\n', avail);
        size_t step = nl ? (size_t)(nl - (r->out + r->out_pos)) + 1 : avail;
        r->out_pos += step;
        *skipped += step;
    }
}

/* The header's length, through its blank line: >0, 0 when the data ends
 * first or it is too long (rec.error set), -1 fatal. */
static long header_length(warc_reader *r)
{
    size_t scanned = 0;
    for (;;) {
        const unsigned char *p = r->out + r->out_pos;
        size_t avail = r->out_len - r->out_pos;
        for (size_t i = scanned ? scanned - 1 : 0; i + 1 < avail; i++) {
            if (p[i] != '\n')
                continue;
            if (p[i + 1] == '\n')
                return (long)(i + 2);
            if (p[i + 1] == '\r' && i + 2 < avail && p[i + 2] == '\n')
                return (long)(i + 3);
        }
        scanned = avail > 1 ? avail - 1 : 0;
        if (avail >= WARC_MAX_HEADER_BYTES) {
            bad(r, "header over %u bytes", WARC_MAX_HEADER_BYTES);
            return 0;
        }
        int rc = fill(r);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (r->gap[0])
                take_gap(r, "header cut short");
            else
                bad(r, "header cut short by the end of the stream");
            return 0;
        }
    }
}

static int keeps_block(warc_type t)
{
    return t == WARC_TYPE_RESPONSE || t == WARC_TYPE_RESOURCE || t == WARC_TYPE_CONVERSION;
}

/* Reads (or skips) the block: 1, 0 when cut short (rec.error), -1 fatal. */
static int read_block(warc_reader *r)
{
    int keep = keeps_block(r->rec.type);
    uint64_t left = r->rec.content_length;
    while (left > 0) {
        if (r->out_pos == r->out_len) {
            int rc = fill(r);
            if (rc < 0)
                return -1;
            if (rc == 0) {
                char what[96];
                snprintf(what, sizeof what, "cut short: %llu of %llu block bytes",
                         (unsigned long long)(r->rec.content_length - left),
                         (unsigned long long)r->rec.content_length);
                if (r->gap[0])
                    take_gap(r, what);
                else
                    bad(r, "%s", what);
                return 0;
            }
        }
        size_t n = r->out_len - r->out_pos;
        if (n > left)
            n = (size_t)left;
        if (keep) {
            size_t room = r->max_block - r->block.len, k = n < room ? n : room;
            if (cl_buf_append(&r->block, (const char *)r->out + r->out_pos, k) < 0) {
                bad(r, "out of memory for a block of %llu bytes",
                    (unsigned long long)r->rec.content_length);
                keep = 0;
            }
            r->rec.block_cut |= k < n;
        }
        r->out_pos += n;
        left -= n;
    }
    return 1;
}

static void reset_record(warc_reader *r)
{
    memset(&r->rec, 0, sizeof r->rec);
    r->rec.type_name = "";
    r->rec.block = "";
    cl_buf_clear(&r->hdr);
    cl_buf_clear(&r->block);
}

/* A record whose header could not be used: skip past its version line to
 * the next record. */
static int skip_bad_header(warc_reader *r)
{
    uint64_t skipped = 0;
    r->out_pos++;
    return skip_to_record(r, &skipped) < 0 ? -1 : 1;
}

static int read_record(warc_reader *r)
{
    long hlen = header_length(r);
    if (hlen < 0)
        return -1;
    if (hlen == 0)
        return r->rec.error[0] && !r->gap[0] && r->out_pos < r->out_len ? skip_bad_header(r) : 1;
    if (cl_buf_append(&r->hdr, (const char *)r->out + r->out_pos, (size_t)hlen) < 0) {
        bad(r, "out of memory");
        return skip_bad_header(r);
    }
    r->out_pos += (size_t)hlen;
    cl_error err = { "" };
    if (warc_parse_header(r->hdr.data, r->hdr.len, &r->rec, &err) < 0) {
        bad(r, "%s", err.msg);
        uint64_t skipped = 0;
        return skip_to_record(r, &skipped) < 0 ? -1 : 1;
    }
    if (read_block(r) < 0)
        return -1;
    r->rec.block = cl_buf_cstr(&r->block);
    r->rec.block_len = r->block.len;
    return 1;
}

int warc_next(warc_reader *r, const warc_record **rec, cl_error *err)
{
    reset_record(r);
    *rec = &r->rec;
    int rc = skip_blank_lines(r);
    if (rc == 0 && r->gap[0])
        take_gap(r, "");
    if (rc == 0)
        return r->rec.error[0] ? 1 : 0;
    if (rc > 0) {
        r->rec.offset = record_offset(r);
        rc = want(r, 5);
    }
    if (rc >= 0 && !at_version_line(r)) {
        uint64_t skipped = 0;
        rc = skip_to_record(r, &skipped);
        if (rc >= 0)
            bad(r, "no WARC record here: %llu bytes skipped%s%s", (unsigned long long)skipped,
                r->gap[0] ? ", then " : "", r->gap);
        r->gap[0] = '\0';
        return rc < 0 ? (cl_fail(err, "%s", r->fatal.msg), -1) : 1;
    }
    if (rc >= 0)
        rc = read_record(r);
    if (rc < 0)
        return cl_fail(err, "%s", r->fatal.msg);
    return 1;
}

/* ---- header fields ---------------------------------------------------- */

static const struct {
    const char *name;
    warc_type   type;
} warc_types[] = {
    { "warcinfo", WARC_TYPE_WARCINFO },   { "response", WARC_TYPE_RESPONSE },
    { "resource", WARC_TYPE_RESOURCE },   { "request", WARC_TYPE_REQUEST },
    { "metadata", WARC_TYPE_METADATA },   { "revisit", WARC_TYPE_REVISIT },
    { "conversion", WARC_TYPE_CONVERSION }, { "continuation", WARC_TYPE_CONTINUATION },
};

static warc_type type_of(const char *name)
{
    for (size_t i = 0; i < sizeof warc_types / sizeof warc_types[0]; i++)
        if (strcasecmp(name, warc_types[i].name) == 0)
            return warc_types[i].type;
    return WARC_TYPE_OTHER;
}

long long warc_parse_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
    if (n != 3 && n != 6)
        return 0;
    if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1
        || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    return t < 0 ? 0 : (long long)t;
}

static int parse_length(const char *v, uint64_t *out)
{
    if (*v < '0' || *v > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || *end)
        return -1;
    *out = n;
    return 0;
}

/* wget writes WARC-Target-URI as "<uri>" (the WARC 1.0 grammar's form). */
static const char *unwrap_uri(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '<' && v[n - 1] == '>') {
        v[n - 1] = '\0';
        return v + 1;
    }
    return v;
}

static char *trim_in_place(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return s;
}

static void take_field(warc_record *rec, const char *name, char *value, int *has_length,
                       int *bad_length)
{
    if (!strcasecmp(name, "WARC-Type")) {
        rec->type_name = value;
        rec->type = type_of(value);
    } else if (!strcasecmp(name, "WARC-Target-URI")) {
        rec->target_uri = unwrap_uri(value);
    } else if (!strcasecmp(name, "WARC-Record-ID")) {
        rec->record_id = value;
    } else if (!strcasecmp(name, "WARC-Date")) {
        rec->date = value;
        rec->fetch_time = warc_parse_date(value);
    } else if (!strcasecmp(name, "Content-Type")) {
        rec->content_type = value;
    } else if (!strcasecmp(name, "Content-Length")) {
        *has_length = 1;
        *bad_length = parse_length(value, &rec->content_length) < 0;
    }
}

int warc_parse_header(char *hdr, size_t len, warc_record *rec, cl_error *err)
{
    char *end = hdr + len;
    char *eol = memchr(hdr, '\n', len);
    if (len < 5 || memcmp(hdr, "WARC/", 5) != 0 || !eol)
        return cl_fail(err, "no WARC version line");
    int has_length = 0, bad_length = 0;
    for (char *p = eol + 1; p < end; p = eol + 1) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon || p[0] == ' ' || p[0] == '\t')
            continue;   /* blank, junk or a folded continuation */
        *colon = '\0';
        char *name = trim_in_place(p, colon);
        char *value = trim_in_place(colon + 1, eol);
        take_field(rec, name, value, &has_length, &bad_length);
        if (eol == end)
            break;
    }
    if (!has_length)
        return cl_fail(err, "no Content-Length in the WARC header");
    if (bad_length)
        return cl_fail(err, "bad Content-Length in the WARC header");
    return 0;
}
