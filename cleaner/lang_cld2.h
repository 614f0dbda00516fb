/*
 * lang_cld2.h - C linkage to CLD2 (libcld2, C++), for lang.c only.
 *
 * lang_cld2.cc is the tree's one C++ file: it catches nothing and throws
 * nothing (CLD2 does not throw), and allocates nothing the caller sees.
 */
#ifndef CLEANER_LANG_CLD2_H
#define CLEANER_LANG_CLD2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * CLD2's verdict on `len` bytes of valid UTF-8 plain text: writes its code
 * ("en", "zh-Hant", "un" when unknown) into code[0..cap), NUL-terminated
 * and cut to fit.  1 when CLD2 calls it reliable, else 0.
 */
int cl_cld2_detect(const char *text, size_t len, char *code, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
