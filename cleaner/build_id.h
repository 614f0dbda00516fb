/*
 * build_id.h - the GNU build id of the binary this library is linked into.
 *
 * The linker (ld --build-id, Debian's default) stores a hash of the linked
 * code in a note; any change to any of it gives another id.  The rules
 * cache (rules.h) trusts what our own code derived (literals, the
 * backtracking screen) only from a cache written by the same id.  Read
 * from the loaded program headers (dl_iterate_phdr): no file is opened.
 */
#ifndef CLEANER_BUILD_ID_H
#define CLEANER_BUILD_ID_H

#include <stddef.h>

/* Ids are 20 bytes (SHA-1) by default; a longer one is not taken. */
#define CL_BUILD_ID_MAX 64

/* Copies the id into out and returns its length; 0 when the binary has
 * none (linked with --build-id=none). */
size_t cl_build_id(unsigned char out[CL_BUILD_ID_MAX]);

#endif
