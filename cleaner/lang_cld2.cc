/*
 * lang_cld2.cc - C linkage to CLD2 (contract in lang_cld2.h).
 */
#include <cstdio>   /* compact_lang_det.h uses FILE without including it */
#include <climits>
#include <cstring>

#include <cld2/public/compact_lang_det.h>

#include "lang_cld2.h"

int cl_cld2_detect(const char *text, size_t len, char *code, size_t cap)
{
    bool reliable = false;
    int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;
    CLD2::Language lang = CLD2::DetectLanguage(text, n, true, &reliable);
    const char *c = CLD2::LanguageCode(lang);
    if (cap == 0)
        return 0;
    size_t k = strlen(c);
    if (k >= cap)
        k = cap - 1;
    memcpy(code, c, k);
    code[k] = '\0';
    return reliable && lang != CLD2::UNKNOWN_LANGUAGE ? 1 : 0;
}
