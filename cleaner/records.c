#include "records.h"

#include <string.h>

#define RECORDS_MAGIC "CLRECS01"
#define MAGIC_LEN 8
#define DIGEST_LEN 8

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int append_u32(cl_buf *out, size_t v)
{
    unsigned char b[4];
    if (v > CL_RECORDS_MAX_PART)
        return -1;
    put_u32(b, (uint32_t)v);
    return cl_buf_append(out, (const char *)b, sizeof b);
}

/* Word at a time: the cache holds a megabyte or so of databases, and a
 * byte-at-a-time hash (FNV) cost five times the instructions. */
uint64_t cl_records_digest(const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    uint64_t h = 0x9E3779B97F4A7C15u ^ len, w;
    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    w = 0;
    if (len)
        memcpy(&w, p, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

int cl_records_begin(cl_buf *out, const char *header)
{
    size_t n = strlen(header);
    cl_buf_append(out, RECORDS_MAGIC, MAGIC_LEN);
    if (append_u32(out, n) < 0)
        return -1;
    cl_buf_append(out, header, n);
    return out->oom ? -1 : 0;
}

int cl_records_add(cl_buf *out, const void *key, size_t klen, const void *value,
                   size_t vlen)
{
    if (append_u32(out, klen) < 0 || append_u32(out, vlen) < 0)
        return -1;
    cl_buf_append(out, key, klen);
    cl_buf_append(out, value, vlen);
    return out->oom ? -1 : 0;
}

int cl_records_end(cl_buf *out)
{
    if (out->oom)
        return -1;
    uint64_t d = cl_records_digest(out->data, out->len);
    unsigned char b[DIGEST_LEN];
    for (int i = 0; i < DIGEST_LEN; i++)
        b[i] = (unsigned char)(d >> (8 * i));
    return cl_buf_append(out, (const char *)b, sizeof b);
}

/* The bytes left from p to end hold a whole record. */
static int record_fits(const unsigned char *p, const unsigned char *end)
{
    if ((size_t)(end - p) < 8)
        return 0;
    uint64_t need = (uint64_t)get_u32(p) + get_u32(p + 4);
    return need <= (uint64_t)(end - p - 8);
}

static int digest_matches(const unsigned char *p, size_t len)
{
    uint64_t d = cl_records_digest(p, len - DIGEST_LEN), stored = 0;
    for (int i = 0; i < DIGEST_LEN; i++)
        stored |= (uint64_t)p[len - DIGEST_LEN + i] << (8 * i);
    return d == stored;
}

int cl_records_open(cl_records *r, const void *bytes, size_t len, const char *header)
{
    const unsigned char *p = bytes;
    size_t hlen = strlen(header);
    memset(r, 0, sizeof *r);
    if (!p || len < MAGIC_LEN + 4 + hlen + DIGEST_LEN || memcmp(p, RECORDS_MAGIC, MAGIC_LEN) != 0 ||
        get_u32(p + MAGIC_LEN) != hlen || memcmp(p + MAGIC_LEN + 4, header, hlen) != 0 ||
        !digest_matches(p, len))
        return -1;
    const unsigned char *first = p + MAGIC_LEN + 4 + hlen, *end = p + len - DIGEST_LEN;
    for (const unsigned char *q = first; q < end; q += 8 + get_u32(q) + get_u32(q + 4))
        if (!record_fits(q, end))
            return -1;
    r->first = r->at = first;
    r->end = end;
    return 0;
}

int cl_records_next(cl_records *r, const void **key, size_t *klen, const void **value,
                    size_t *vlen)
{
    if (!r->at || r->at >= r->end)
        return 0;
    *klen = get_u32(r->at);
    *vlen = get_u32(r->at + 4);
    *key = r->at + 8;
    *value = r->at + 8 + *klen;
    r->at += 8 + *klen + *vlen;
    return 1;
}

int cl_records_find(const cl_records *r, const void *key, size_t klen, const void **value,
                    size_t *vlen)
{
    cl_records it = *r;
    it.at = it.first;
    const void *k;
    size_t kl;
    while (cl_records_next(&it, &k, &kl, value, vlen))
        if (kl == klen && memcmp(k, key, klen) == 0)
            return 1;
    return 0;
}
