#include "render.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Longest block text an --explain line shows. */
#define EXPLAIN_TEXT_MAX 100

static int append_block(cl_buf *out, const cl_block *b, int first)
{
    if (!first)
        cl_buf_append_str(out, "\n\n");
    if (b->kind == CL_BLOCK_LIST_ITEM) {
        for (int d = 1; d < b->level; d++)
            cl_buf_append_str(out, "  ");
        cl_buf_append_str(out, "- ");
    }
    return cl_buf_append(out, b->text, b->len);
}

int cl_render_body(const cl_doc *doc, cl_buf *out)
{
    int first = 1;
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (doc->blocks[i].decision == CL_KEEP) {
            append_block(out, &doc->blocks[i], first);
            first = 0;
        }
    }
    return out->oom ? -1 : 0;
}

int cl_render_text(const cl_doc *doc, cl_buf *out)
{
    size_t start = out->len;
    const char *title = doc->meta[CL_META_TITLE];
    if (title) {
        cl_buf_append_str(out, title);
        cl_buf_append_str(out, "\n\n");
    }
    size_t body_start = out->len;
    if (cl_render_body(doc, out) < 0)
        return -1;
    if (out->len == body_start && title)
        cl_buf_truncate(out, body_start - 1);  /* title alone: one newline */
    else if (out->len > start)
        cl_buf_append_char(out, '\n');
    return out->oom ? -1 : 0;
}

/*
 * Document text is valid UTF-8 already, but `source` is a file name, which
 * may hold any bytes but '/' and NUL: invalid sequences become U+FFFD so the
 * JSON stays valid UTF-8 (RFC 8259).
 */
int cl_json_string(cl_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    cl_buf_append_char(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t seq = cl_utf8_seq_len((const unsigned char *)s + i, len - i);
            if (seq) {
                i += seq - 1;
                continue;
            }
            cl_buf_append(out, s + run, i - run);
            cl_buf_append(out, "\xEF\xBF\xBD", 3);
            run = i + 1;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cl_buf_append(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':  cl_buf_append_str(out, "\\\""); break;
        case '\\': cl_buf_append_str(out, "\\\\"); break;
        case '\n': cl_buf_append_str(out, "\\n"); break;
        case '\t': cl_buf_append_str(out, "\\t"); break;
        case '\r': cl_buf_append_str(out, "\\r"); break;
        default: {
            char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            cl_buf_append(out, u, 6);
        }
        }
    }
    cl_buf_append(out, s + run, len - run);
    return cl_buf_append_char(out, '"');
}

static void json_field(cl_buf *out, const char *key, const char *value)
{
    cl_buf_printf(out, ",\"%s\":", key);
    if (value)
        cl_json_string(out, value, strlen(value));
    else
        cl_buf_append_str(out, "null");
}

static void json_blocks(cl_buf *out, const cl_doc *doc)
{
    cl_buf_append_str(out, ",\"blocks\":[");
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        cl_buf_append_str(out, i ? ",{\"kind\":" : "{\"kind\":");
        cl_json_string(out, cl_block_kind_name(b->kind), strlen(cl_block_kind_name(b->kind)));
        cl_buf_append_str(out, ",\"text\":");
        cl_json_string(out, b->text, b->len);
        cl_buf_append_str(out, b->decision == CL_KEEP ? ",\"decision\":\"keep\""
                                                      : ",\"decision\":\"drop\"");
        cl_buf_append_str(out, ",\"reason\":");
        cl_json_string(out, b->reason, strlen(b->reason));
        cl_buf_append_char(out, '}');
    }
    cl_buf_append_char(out, ']');
}

int cl_render_json(const cl_doc *doc, const char *source, cl_status status, int explain,
                   cl_buf *out)
{
    cl_buf_append_str(out, "{\"source\":");
    if (source)
        cl_json_string(out, source, strlen(source));
    else
        cl_buf_append_str(out, "null");
    json_field(out, "status", cl_status_name(status));
    json_field(out, "format", cl_format_name(doc->format));
    for (int f = 0; f < CL_META_COUNT; f++)
        json_field(out, cl_meta_field_name((cl_meta_field)f), doc->meta[f]);
    cl_buf body = CL_BUF_INIT;
    cl_render_body(doc, &body);
    cl_buf_append_str(out, ",\"body\":");
    cl_json_string(out, cl_buf_cstr(&body), body.len);
    int oom = body.oom;
    cl_buf_free(&body);
    if (explain)
        json_blocks(out, doc);
    cl_buf_append_str(out, "}\n");
    return out->oom || oom ? -1 : 0;
}

int cl_render_explain(const cl_doc *doc, cl_buf *out)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const cl_block *b = &doc->blocks[i];
        size_t n = b->len;
        if (n > EXPLAIN_TEXT_MAX) {
            n = EXPLAIN_TEXT_MAX;
            while (n > 0 && ((unsigned char)b->text[n] & 0xC0) == 0x80)
                n--;  /* never cut a UTF-8 sequence */
        }
        cl_buf_printf(out, "%s %-10s %s: %.*s%s\n", b->decision == CL_KEEP ? "KEEP" : "DROP",
                      cl_block_kind_name(b->kind), b->reason[0] ? b->reason : "body",
                      (int)n, b->text, n < b->len ? "..." : "");
    }
    return out->oom ? -1 : 0;
}
