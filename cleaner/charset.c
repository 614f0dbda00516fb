/*
 * charset.c - any input to valid UTF-8 (contract in charset.h).
 *
 * Valid UTF-8 is taken as UTF-8 before any declaration: legacy text with
 * non-ASCII bytes is almost never valid UTF-8 by accident, while scraped
 * pages are often re-encoded to UTF-8 with their old <meta charset> left in.
 * So does UTF-8 with a few damaged bytes.  A declaration wins over the
 * detector, which guesses badly on short or mostly-ASCII pages, except a
 * UTF-8 one the bytes contradict.  Labels follow the WHATWG
 * Encoding standard where it differs from iconv's names (latin1 and ASCII
 * mean windows-1252; a meta that claims UTF-16 means UTF-8).
 */
#include "charset.h"
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

/* The HTML standard's prescan looks at the first 1024 bytes; pages with long
 * heads put the meta later, so we look a little further. */
#define SNIFF_BYTES 4096
#define LABEL_MAX   40

static const char fallback_charset[] = "WINDOWS-1252";

typedef struct bom {
    const char *bytes;
    size_t      len;
    const char *name;
} bom;

/* Longest first: the UTF-32LE BOM starts with the UTF-16LE one. */
static const bom boms[] = {
    { "\xFF\xFE\x00\x00", 4, "UTF-32LE" },
    { "\x00\x00\xFE\xFF", 4, "UTF-32BE" },
    { "\xEF\xBB\xBF",     3, "UTF-8" },
    { "\xFF\xFE",         2, "UTF-16LE" },
    { "\xFE\xFF",         2, "UTF-16BE" },
};

static const bom *find_bom(const char *bytes, size_t len)
{
    for (size_t i = 0; i < sizeof boms / sizeof *boms; i++)
        if (len >= boms[i].len && memcmp(bytes, boms[i].bytes, boms[i].len) == 0)
            return &boms[i];
    return NULL;
}

/* Legacy labels mapped to the superset iconv knows and browsers decode with. */
static const char *const aliases[][2] = {
    { "iso-8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" },
    { "l1", "WINDOWS-1252" },         { "us-ascii", "WINDOWS-1252" },
    { "ascii", "WINDOWS-1252" },      { "iso8859-1", "WINDOWS-1252" },
    { "x-user-defined", "WINDOWS-1252" },
    { "gb2312", "GB18030" },          { "gbk", "GB18030" },
    { "x-gbk", "GB18030" },           { "euc-kr", "CP949" },
    { "ks_c_5601-1987", "CP949" },    { "shift_jis", "CP932" },
    { "sjis", "CP932" },              { "x-sjis", "CP932" },
    { "windows-31j", "CP932" },       { "tis-620", "CP874" },
    { "iso-8859-11", "CP874" },       { "iso-8859-9", "WINDOWS-1254" },
    { "utf8", "UTF-8" },              { "unicode-1-1-utf-8", "UTF-8" },
};

static void canonical_label(const char *label, char *out, size_t size)
{
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++) {
        if (strcasecmp(label, aliases[i][0]) == 0) {
            snprintf(out, size, "%s", aliases[i][1]);
            return;
        }
    }
    /* A document that could be read to find this label is ASCII-compatible,
     * so it cannot really be UTF-16 (the HTML standard's rule). */
    if (strncasecmp(label, "utf-16", 6) == 0 || strncasecmp(label, "utf-32", 6) == 0) {
        snprintf(out, size, "UTF-8");
        return;
    }
    snprintf(out, size, "%s", label);
}

static int is_label_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
}

static const char *find_ci(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

/* Reads the label after "charset" in s[0..n): spaces, '=', quotes, name. */
static int read_label(const char *s, size_t n, char *label, size_t size)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '='))
        i++;
    while (i < n && (s[i] == '"' || s[i] == '\''))
        i++;
    size_t k = 0;
    while (i < n && k + 1 < size && is_label_char((unsigned char)s[i]))
        label[k++] = s[i++];
    label[k] = '\0';
    return k > 0;
}

/*
 * Finds `charset=` inside a <meta ...> tag of the first SNIFF_BYTES; covers
 * both <meta charset=x> and <meta http-equiv content="text/html; charset=x">.
 */
static int sniff_meta(const char *bytes, size_t len, char *label, size_t size)
{
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    const char *p = bytes, *end = bytes + n;
    while ((p = find_ci(p, (size_t)(end - p), "<meta")) != NULL) {
        const char *close = memchr(p, '>', (size_t)(end - p));
        const char *tag_end = close ? close : end;
        const char *cs = find_ci(p, (size_t)(tag_end - p), "charset");
        if (cs && read_label(cs + 7, (size_t)(tag_end - cs - 7), label, size))
            return 1;
        p += 5;
    }
    return 0;
}

static int detect_label(const char *bytes, size_t len, char *label, size_t size)
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return 0;
    int ok = 0;
    if (uchardet_handle_data(ud, bytes, len) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        if (cs && *cs) {
            snprintf(label, size, "%s", cs);
            ok = 1;
        }
    }
    uchardet_delete(ud);
    return ok;
}

static int append_replacement(cl_buf *out)
{
    return cl_buf_append(out, "\xEF\xBF\xBD", 3);
}

/* Bytes skipped on an undecodable sequence: one code unit. */
static size_t unit_size(const char *name)
{
    if (strncasecmp(name, "UTF-32", 6) == 0)
        return 4;
    if (strncasecmp(name, "UTF-16", 6) == 0)
        return 2;
    return 1;
}

/*
 * Converts with iconv, replacing each undecodable unit by U+FFFD.  Returns 0,
 * 1 when iconv does not know the charset (nothing appended), or -1 on oom.
 */
static int convert(const char *name, const char *bytes, size_t len, cl_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 1;
    char *in = (char *)bytes;
    size_t left = len, skip = unit_size(name);
    int rc = 0;
    while (left > 0 && rc == 0) {
        if (cl_buf_reserve(out, left * 2 + 16) < 0) {
            rc = -1;
            break;
        }
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &left, &dst, &room);
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        if (append_replacement(out) < 0)
            rc = -1;
        size_t step = errno == EINVAL ? left : (skip < left ? skip : left);
        in += step;
        left -= step;
    }
    iconv_close(cd);
    return rc;
}

static void copy_name(char *charset, size_t size, const char *name)
{
    if (charset && size)
        snprintf(charset, size, "%s", name);
}

/* The iconv output is UTF-8 already; repair guards against a decoder that
 * lets a surrogate or noncharacter through. */
static int finish(cl_buf *tmp, cl_buf *out)
{
    int rc = 0;
    if (cl_utf8_valid(cl_buf_cstr(tmp), tmp->len))
        rc = cl_buf_append(out, cl_buf_cstr(tmp), tmp->len);
    else
        rc = cl_utf8_repair(cl_buf_cstr(tmp), tmp->len, out) < 0 ? -1 : 0;
    cl_buf_free(tmp);
    return rc;
}

static int decode_as(const char *name, const char *bytes, size_t len,
                     cl_buf *out, char *charset, size_t size)
{
    if (strcasecmp(name, "UTF-8") == 0) {
        copy_name(charset, size, "UTF-8");
        if (cl_utf8_valid(bytes, len))
            return cl_buf_append(out, bytes, len);
        return cl_utf8_repair(bytes, len, out) < 0 ? -1 : 0;
    }
    cl_buf tmp = CL_BUF_INIT;
    int rc = convert(name, bytes, len, &tmp);
    if (rc == 1) {
        cl_buf_free(&tmp);
        name = cl_utf8_valid(bytes, len) ? "UTF-8" : fallback_charset;
        return decode_as(name, bytes, len, out, charset, size);
    }
    if (rc < 0) {
        cl_buf_free(&tmp);
        return -1;
    }
    copy_name(charset, size, name);
    return finish(&tmp, out);
}

/*
 * UTF-8 with a few damaged bytes, rather than a legacy charset: most
 * non-ASCII bytes form valid sequences.  Repairing keeps its text, where a
 * detector would turn every multi-byte character into mojibake.
 */
static int mostly_utf8(const char *bytes, size_t len)
{
    const unsigned char *u = (const unsigned char *)bytes;
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = cl_utf8_seq_len(u + i, len - i);
        if (k) {
            good += k;
            i += k;
        } else {
            bad++;
            i++;
        }
    }
    return good > 0 && good >= bad;
}

static const char *choose_charset(const char *bytes, size_t len, int sniff_html,
                                  const char *declared, char *label, size_t size)
{
    char raw[LABEL_MAX];
    if (cl_utf8_valid(bytes, len) || mostly_utf8(bytes, len))
        return "UTF-8";
    if (declared && *declared) {
        canonical_label(declared, label, size);
        if (strcasecmp(label, "UTF-8") != 0)
            return label;
    }
    if (sniff_html && sniff_meta(bytes, len, raw, sizeof raw)) {
        canonical_label(raw, label, size);
        if (strcasecmp(label, "UTF-8") != 0)
            return label;
    }
    if (detect_label(bytes, len, raw, sizeof raw)) {
        canonical_label(raw, label, size);
        return label;
    }
    return fallback_charset;
}

int cl_charset_to_utf8(const char *bytes, size_t len, int sniff_html,
                       const char *declared, cl_buf *out, char *charset, size_t charset_size,
                       cl_error *err)
{
    if (!bytes || !out)
        return cl_fail(err, "charset: no input");
    const bom *b = find_bom(bytes, len);
    int rc;
    if (b) {
        rc = decode_as(b->name, bytes + b->len, len - b->len, out, charset, charset_size);
    } else {
        char label[LABEL_MAX];
        const char *name = choose_charset(bytes, len, sniff_html, declared, label, sizeof label);
        rc = decode_as(name, bytes, len, out, charset, charset_size);
    }
    if (rc < 0 || out->oom)
        return cl_fail(err, "charset: out of memory");
    return 0;
}
