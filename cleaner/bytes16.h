/*
 * bytes16.h - tests of sixteen bytes at once.
 *
 * The text path's scans (controls, ASCII, whitespace, separators) look at
 * every input byte; on prose most 16-byte groups need no per-byte work, and
 * one test of the whole group finds that out.  Each test returns a 16-bit
 * mask whose bit k stands for byte k of the group (the byte at the lowest
 * address is bit 0): callers do the same bit arithmetic on every host.
 *
 * With SSE2, which every x86-64 CPU has, a test is two or three
 * instructions.  Elsewhere the same tests run as SWAR on two 64-bit words
 * (swar.h).  The SWAR version (cl_swar16_*) is always compiled, so that
 * test_buf_utf8 can hold both to a byte-by-byte reference on any host.
 * No CPU dispatch: SSE2 is part of the x86-64 baseline.
 */
#ifndef CLEANER_BYTES16_H
#define CLEANER_BYTES16_H

#include <stdint.h>

#include "swar.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct cl_swar16 {
    uint64_t lo, hi;  /* bytes 0..7 and 8..15 */
} cl_swar16;

static inline cl_swar16 cl_swar16_load(const void *p)
{
    cl_swar16 b = { cl_swar_load(p), cl_swar_load((const unsigned char *)p + 8) };
    return b;
}

static inline void cl_swar16_store(void *p, cl_swar16 b)
{
    cl_swar_store(p, b.lo);
    cl_swar_store((unsigned char *)p + 8, b.hi);
}

/* The flags of a SWAR mask (0x80 per byte) as bits 0..7: the product puts
 * byte k's flag at bit 56 + k, and no two partial products meet. */
static inline unsigned cl_swar_bits(uint64_t mask)
{
    return (unsigned)(((mask >> 7) * 0x0102040810204080ull) >> 56);
}

static inline unsigned cl_swar16_bits(uint64_t lo, uint64_t hi)
{
    return cl_swar_bits(lo) | cl_swar_bits(hi) << 8;
}

/* Bytes equal to c. */
static inline unsigned cl_swar16_eq(cl_swar16 b, unsigned char c)
{
    return cl_swar16_bits(cl_swar_eq(b.lo, c), cl_swar_eq(b.hi, c));
}

/* Bytes below n, for 1 <= n <= 0x80. */
static inline unsigned cl_swar16_below(cl_swar16 b, unsigned char n)
{
    return cl_swar16_bits(cl_swar_below(b.lo, n), cl_swar_below(b.hi, n));
}

/* Bytes of 0x80 and above: not ASCII. */
static inline unsigned cl_swar16_high(cl_swar16 b)
{
    return cl_swar16_bits(b.lo & CL_SWAR_HIGH, b.hi & CL_SWAR_HIGH);
}

/* Printable ASCII bytes, 0x20 to 0x7F. */
static inline unsigned cl_swar16_printable(cl_swar16 b)
{
    return ~(cl_swar16_below(b, 0x20) | cl_swar16_high(b)) & 0xFFFF;
}

/* b with 'A'..'Z' made 'a'..'z'; every byte of b must be below 0x80. */
static inline cl_swar16 cl_swar16_ascii_lower(cl_swar16 b)
{
    cl_swar16 l = { cl_swar_ascii_lower(b.lo), cl_swar_ascii_lower(b.hi) };
    return l;
}

#if defined(__SSE2__)

typedef __m128i cl_bytes16;

static inline cl_bytes16 cl_bytes16_load(const void *p)
{
    return _mm_loadu_si128((const __m128i *)p);
}

static inline void cl_bytes16_store(void *p, cl_bytes16 b)
{
    _mm_storeu_si128((__m128i *)p, b);
}

static inline unsigned cl_bytes16_eq(cl_bytes16 b, unsigned char c)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8((char)c)));
}

/* SSE2 compares bytes as signed: a byte is below n when the unsigned
 * minimum of it and n - 1 is itself. */
static inline unsigned cl_bytes16_below(cl_bytes16 b, unsigned char n)
{
    __m128i floor = _mm_min_epu8(b, _mm_set1_epi8((char)(n - 1)));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(floor, b));
}

static inline unsigned cl_bytes16_high(cl_bytes16 b)
{
    return (unsigned)_mm_movemask_epi8(b);
}

/* As signed bytes, 0x80 and above are negative: above 0x1F means 0x20..0x7F. */
static inline unsigned cl_bytes16_printable(cl_bytes16 b)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(b, _mm_set1_epi8(0x1F)));
}

static inline cl_bytes16 cl_bytes16_ascii_lower(cl_bytes16 b)
{
    __m128i from_a = _mm_cmpgt_epi8(b, _mm_set1_epi8('A' - 1));
    __m128i to_z = _mm_cmplt_epi8(b, _mm_set1_epi8('Z' + 1));
    return _mm_or_si128(b, _mm_and_si128(_mm_and_si128(from_a, to_z), _mm_set1_epi8(0x20)));
}

#else

typedef cl_swar16 cl_bytes16;

#define cl_bytes16_load        cl_swar16_load
#define cl_bytes16_store       cl_swar16_store
#define cl_bytes16_eq          cl_swar16_eq
#define cl_bytes16_below       cl_swar16_below
#define cl_bytes16_high        cl_swar16_high
#define cl_bytes16_printable   cl_swar16_printable
#define cl_bytes16_ascii_lower cl_swar16_ascii_lower

#endif

/* Bits set in each byte value, for cl_mask16_count: two look-ups cost
 * less than the shifts and masks of a bit count, and the x86-64 baseline
 * has no popcnt (__builtin_popcount is a library call there). */
#define CL_BITS2(n) (n), (n) + 1, (n) + 1, (n) + 2
#define CL_BITS4(n) CL_BITS2(n), CL_BITS2((n) + 1), CL_BITS2((n) + 1), CL_BITS2((n) + 2)
#define CL_BITS6(n) CL_BITS4(n), CL_BITS4((n) + 1), CL_BITS4((n) + 1), CL_BITS4((n) + 2)
static const unsigned char cl_bits_in_byte[256] = {
    CL_BITS6(0), CL_BITS6(1), CL_BITS6(1), CL_BITS6(2),
};
#undef CL_BITS2
#undef CL_BITS4
#undef CL_BITS6

/* The number of bits set in a 16-bit mask. */
static inline unsigned cl_mask16_count(unsigned m)
{
    return cl_bits_in_byte[m & 0xFF] + cl_bits_in_byte[m >> 8];
}

/* The index of the lowest bit set in a nonzero mask. */
static inline unsigned cl_mask16_first(unsigned m)
{
    return (unsigned)__builtin_ctz(m);
}

#endif
