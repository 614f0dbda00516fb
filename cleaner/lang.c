/*
 * lang.c - declared and detected language (contract in lang.h).
 */
#include "lang.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lang_cld2.h"
#include "utf8.h"

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Codes retired from ISO 639-1 that CLD2 and old pages still use. */
static void modernise(char *code)
{
    static const char *const retired[][2] = {
        { "iw", "he" }, { "in", "id" }, { "ji", "yi" }, { "jw", "jv" },
    };
    for (size_t i = 0; i < sizeof retired / sizeof *retired; i++)
        if (strcmp(code, retired[i][0]) == 0)
            memcpy(code, retired[i][1], 3);
}

int cl_lang_normalise(const char *tag, size_t len, char out[CL_LANG_CODE_MAX])
{
    out[0] = '\0';
    size_t i = 0;
    while (i < len && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r'))
        i++;
    size_t k = 0;
    while (i + k < len && is_alpha(tag[i + k]))
        k++;
    char end = i + k < len ? tag[i + k] : '\0';
    if (k < 2 || k > 3 || (end != '\0' && end != '-' && end != '_' && end != ' ' &&
                           end != ',' && end != ';'))
        return -1;
    for (size_t j = 0; j < k; j++)
        out[j] = lower(tag[i + j]);
    out[k] = '\0';
    modernise(out);
    return 0;
}

int cl_lang_detect(const char *text, size_t len, char out[CL_LANG_CODE_MAX])
{
    char code[16];
    len = cl_utf8_cut(text, len, CL_LANG_SAMPLE_BYTES);
    int sure = cl_cld2_detect(text, len, code, sizeof code);
    if (strcmp(code, "un") == 0 || cl_lang_normalise(code, strlen(code), out) < 0) {
        out[0] = '\0';
        return 0;
    }
    return sure;
}

/* The kept blocks' text, one line each, up to the detector's sample. */
static int body_sample(const cl_doc *doc, cl_buf *out)
{
    for (size_t i = 0; i < doc->nblocks && out->len < CL_LANG_SAMPLE_BYTES; i++) {
        const cl_block *b = &doc->blocks[i];
        if (b->decision != CL_KEEP)
            continue;
        size_t room = CL_LANG_SAMPLE_BYTES - out->len;
        cl_buf_append(out, b->text, cl_utf8_cut(b->text, b->len, room));
        cl_buf_append_char(out, '\n');
    }
    return out->oom ? -1 : 0;
}

int cl_lang_settle(cl_doc *doc, int detect)
{
    char declared[CL_LANG_CODE_MAX] = "", detected[CL_LANG_CODE_MAX] = "";
    const char *raw = doc->meta[CL_META_LANG];
    if (raw)
        cl_lang_normalise(raw, strlen(raw), declared);
    int sure = 0;
    size_t sampled = 0;
    if (detect) {
        cl_buf text = CL_BUF_INIT;
        if (body_sample(doc, &text) < 0) {
            cl_buf_free(&text);
            return -1;
        }
        sure = cl_lang_detect(cl_buf_cstr(&text), text.len, detected);
        sampled = text.len;
        cl_buf_free(&text);
    }
    const char *code = declared;
    if (sure && (!declared[0] ||
                 (sampled >= CL_LANG_OVERRULE_MIN_BYTES && strcmp(declared, detected) != 0)))
        code = detected;
    if (!code[0]) {
        free(doc->meta[CL_META_LANG]);
        doc->meta[CL_META_LANG] = NULL;
        return 0;
    }
    return cl_doc_set_meta(doc, CL_META_LANG, code, strlen(code), 1);
}
