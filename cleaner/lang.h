/*
 * lang.h - the document's language as an ISO 639-1 code ("en", "pt").
 *
 * Two sources: what the page declares (html[lang], content-language,
 * og:locale: BCP 47 or POSIX tags, normalised by cl_lang_normalise) and
 * what the text is, told by CLD2 (Debian's libcld2, 83 languages, tables
 * compiled in: no file is read).  cl_lang_settle() decides: the declared
 * code, unless the text is long and the detector sure of another language.
 *
 * Costs: detection reads at most CL_LANG_SAMPLE_BYTES of the kept body,
 * CLD2 costs about 500 instructions a byte.  No state, no allocation kept.
 */
#ifndef CLEANER_LANG_H
#define CLEANER_LANG_H

#include <stddef.h>
#include "doc.h"

/* A code and its NUL: two or three lowercase letters. */
#define CL_LANG_CODE_MAX 4

/* Enough text for a confident guess; the rest of a long body adds time,
 * not accuracy: on 482 flattened pages of trafeval-dev against their
 * html[lang], 512 bytes agree on 451, 1024 and 2048 on 463, 16384 on 461. */
#define CL_LANG_SAMPLE_BYTES 1024

/* Below this many bytes of text the detector does not overrule a declared
 * language: a short body (a caption, a title) is too easily mistaken. */
#define CL_LANG_OVERRULE_MIN_BYTES 400

/*
 * The primary subtag of a language tag, lowercased: "en-US", "en_GB",
 * "EN" -> "en"; "x-default", "*", "" and tags without a 2 or 3 letter
 * primary subtag are refused.  0, or -1 when refused (out is then "").
 */
int cl_lang_normalise(const char *tag, size_t len, char out[CL_LANG_CODE_MAX]);

/*
 * The language of UTF-8 text (the first CL_LANG_SAMPLE_BYTES of it).
 * 1 when the detector is sure (out set), 0 when it is not or the text is
 * too short (out is then its best guess or "").
 */
int cl_lang_detect(const char *text, size_t len, char out[CL_LANG_CODE_MAX]);

/*
 * Sets doc's CL_META_LANG from its declared value (already there, as a
 * reader found it) and the text of its kept blocks: the declared code,
 * normalised, unless the body has at least CL_LANG_OVERRULE_MIN_BYTES and
 * the detector is sure of another language; the detected code when none
 * is declared.  With `detect` 0 the declared code alone (normalised):
 * cl_options.skip_lang_detection.  0, or -1 on allocation failure.
 */
int cl_lang_settle(cl_doc *doc, int detect);

#endif
