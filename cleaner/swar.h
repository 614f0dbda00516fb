/*
 * swar.h - eight bytes at a time in a 64-bit word ("SIMD within a register").
 *
 * The per-byte scans of the text path (whitespace, punctuation, case) look
 * at every input byte several times; on prose, most 8-byte groups need no
 * per-byte work at all, and these tests find out with a handful of integer
 * operations.  Masks carry 0x80 in each byte that passes a test and 0 in the
 * others.  Words are loaded so that the byte at the lowest address is the
 * least significant on any host: shifting a mask left by 8 moves each flag
 * to the byte that follows in the text.
 *
 * Portable C: no intrinsics, so no CPU dispatch and the same results on any
 * compiler; libc's memchr stays the tool for a single byte value.
 */
#ifndef CLEANER_SWAR_H
#define CLEANER_SWAR_H

#include <stdint.h>
#include <string.h>

#define CL_SWAR_ONES 0x0101010101010101ull
#define CL_SWAR_HIGH 0x8080808080808080ull
#define CL_SWAR_LOW7 0x7F7F7F7F7F7F7F7Full

/* The 8 bytes at p (any alignment), the first one least significant. */
static inline uint64_t cl_swar_load(const void *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* Stores w at p, the inverse of cl_swar_load. */
static inline void cl_swar_store(void *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, sizeof w);
}

/* 0x80 in each byte of w equal to c (exact: no carry crosses bytes). */
static inline uint64_t cl_swar_eq(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (CL_SWAR_ONES * c);
    return ~(((x & CL_SWAR_LOW7) + CL_SWAR_LOW7) | x | CL_SWAR_LOW7);
}

/* cl_swar_eq for a w whose every byte is below 0x80: no sum can carry into
 * a high bit, which saves two operations. */
static inline uint64_t cl_swar_eq_ascii(uint64_t w, unsigned char c)
{
    return ~((w ^ (CL_SWAR_ONES * c)) + CL_SWAR_LOW7) & CL_SWAR_HIGH;
}

/* Nonzero when some byte of w is below n (n <= 0x80).  Only the test is
 * exact: flags above the lowest true one may be spurious. */
static inline uint64_t cl_swar_any_below(uint64_t w, unsigned char n)
{
    return (w - CL_SWAR_ONES * n) & ~w & CL_SWAR_HIGH;
}

/* 0x80 in each byte of w below n (n <= 0x80), exactly: the high bit is
 * cleared before the sum, so no carry crosses bytes. */
static inline uint64_t cl_swar_below(uint64_t w, unsigned char n)
{
    return ~(((w & CL_SWAR_LOW7) + CL_SWAR_ONES * (0x80 - n)) | w) & CL_SWAR_HIGH;
}

/* Zero exactly when every byte of w is in [n, 0x80) (n <= 0x80): printable
 * ASCII for n = 0x20. */
static inline uint64_t cl_swar_outside_ascii_from(uint64_t w, unsigned char n)
{
    return ((w - CL_SWAR_ONES * n) | w) & CL_SWAR_HIGH;
}

/* w with 'A'..'Z' made 'a'..'z'; every byte of w must be below 0x80.  A
 * byte past 'Z' is also past 'A', so the high bits that differ are the
 * capitals'. */
static inline uint64_t cl_swar_ascii_lower(uint64_t w)
{
    uint64_t from_a = w + CL_SWAR_ONES * (0x80 - 'A');       /* high bit: >= 'A' */
    uint64_t past_z = w + CL_SWAR_ONES * (0x80 - 'Z' - 1);   /* high bit: >  'Z' */
    return w | (((from_a ^ past_z) & CL_SWAR_HIGH) >> 2);    /* 0x80 >> 2 = 0x20 */
}

/* The number of bytes flagged in a mask (flags only, no other bits). */
static inline unsigned cl_swar_count(uint64_t mask)
{
    return (unsigned)(((mask >> 7) * CL_SWAR_ONES) >> 56);
}

#endif
