#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "http.h"
#include "jsonl.h"
#include "log.h"
#include "render.h"
#include "settings.h"
#include "sink.h"
#include "warc.h"
#include "worker.h"

/* Why a WARC record was skipped, counted apart in the closing line. */
typedef enum skip_kind { SKIP_STATUS = 0, SKIP_NOT_HTML, SKIP_REVISIT, SKIP_KINDS } skip_kind;

typedef struct stream_counts {
    size_t ok, no_article, error, other;
    size_t skipped[SKIP_KINDS];
} stream_counts;

typedef struct stream {
    const config     *cfg;
    const cl_cleaner *cleaner;
    sink             *out;
    jsonl_fields      fields;
    cl_buf            lead;    /* the record's own members, each with a comma */
    cl_buf            doc;     /* the document's JSON object */
    cl_buf            line;    /* the output line */
    cl_buf            body;    /* a WARC record's decoded HTTP body */
    stream_counts     counts;
    cl_error          fatal;   /* set when the output failed */
    int               failed;
} stream;

/* The output's own keys: an input field of that name is renamed. */
static int is_output_key(const char *key)
{
    static const char *const keys[] = { "id", "fetch_url", "fetch_date", "source", "status",
                                        "format", "body", "blocks", "reason" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i]))
            return 1;
    for (int f = 0; f < CL_META_COUNT; f++)
        if (!strcmp(key, cl_meta_field_name((cl_meta_field)f)))
            return 1;
    return 0;
}

static void lead_string(cl_buf *lead, const char *key, const char *value)
{
    if (!value)
        return;
    cl_buf_printf(lead, "\"%s\":", key);
    cl_json_string(lead, value, strlen(value));
    cl_buf_append_char(lead, ',');
}

static int append_dump(const char *s, size_t n, void *ctx)
{
    return cl_buf_append(ctx, s, n);
}

static int lead_value(cl_buf *lead, const char *key, int renamed, const json_t *v)
{
    cl_buf name = CL_BUF_INIT;
    cl_buf_printf(&name, "%s%s", renamed ? "input_" : "", key);
    cl_json_string(lead, cl_buf_cstr(&name), name.len);
    cl_buf_free(&name);
    cl_buf_append_char(lead, ':');
    if (json_dump_callback(v, append_dump, lead, JSON_COMPACT | JSON_ENCODE_ANY) < 0)
        return -1;
    return cl_buf_append_char(lead, ',');
}

/* "id", "fetch_url", then the extra fields of a JSON Lines record. */
static int jsonl_lead(stream *st, const jsonl_record *rec)
{
    cl_buf_clear(&st->lead);
    if (rec->id && lead_value(&st->lead, "id", 0, rec->id) < 0)
        return -1;
    lead_string(&st->lead, "fetch_url", rec->url);
    if (!rec->object)
        return st->lead.oom ? -1 : 0;
    const char *key;
    json_t *v;
    json_object_foreach(rec->object, key, v) {
        if (jsonl_is_record_field(&st->fields, key))
            continue;
        if (lead_value(&st->lead, key, is_output_key(key), v) < 0)
            return -1;
    }
    return st->lead.oom ? -1 : 0;
}

static void warc_lead(stream *st, const warc_record *rec)
{
    cl_buf_clear(&st->lead);
    lead_string(&st->lead, "id", rec->record_id);
    lead_string(&st->lead, "fetch_url", rec->target_uri);
    lead_string(&st->lead, "fetch_date", rec->date);
}

static void put_line(stream *st)
{
    if (st->failed)
        return;
    if (st->line.oom)
        st->failed = cl_fail(&st->fatal, "out of memory for an output line");
    else if (sink_write(st->out, st->line.data, st->line.len, &st->fatal) < 0)
        st->failed = 1;
}

/* A line without a document: skipped or error, with its reason. */
static void emit_status(stream *st, const char *source, const char *status,
                        const char *reason)
{
    cl_buf *l = &st->line;
    cl_buf_clear(l);
    cl_buf_append_char(l, '{');
    cl_buf_append(l, cl_buf_cstr(&st->lead), st->lead.len);
    cl_buf_append_str(l, "\"source\":");
    cl_json_string(l, source, strlen(source));
    cl_buf_printf(l, ",\"status\":\"%s\",\"reason\":", status);
    cl_json_string(l, reason, strlen(reason));
    cl_buf_append_str(l, "}\n");
    put_line(st);
}

static void emit_error(stream *st, const char *source, const char *reason)
{
    st->counts.error++;
    emit_status(st, source, "error", reason);
}

static void emit_skipped(stream *st, const char *source, skip_kind kind, const char *reason)
{
    st->counts.skipped[kind]++;
    emit_status(st, source, "skipped", reason);
}

/* Cleans one document and writes its line: the record's lead spliced
 * into the document's object, after its '{'. */
static void emit_doc(stream *st, const char *source, const cl_input *in)
{
    engine_request rq = {
        .bytes = in->bytes, .len = in->len, .name_hint = in->name_hint, .source = source,
        .format = OUTPUT_JSON, .explain = st->cfg->explain,
        .min_body_chars = st->cfg->min_body_chars, .url = in->url, .charset = in->charset,
        .fetch_time = in->fetch_time,
    };
    engine_stats stats;
    cl_error err = { "" };
    cl_buf_clear(&st->doc);
    if (engine_clean(st->cleaner, &rq, &st->doc, NULL, &stats, &err) < 0) {
        emit_error(st, source, err.msg);
        return;
    }
    if (st->doc.len < 2 || st->doc.data[0] != '{') {
        emit_error(st, source, "internal: the document's JSON is no object");
        return;
    }
    if (stats.status == CL_STATUS_OK)
        st->counts.ok++;
    else
        st->counts.no_article++;
    cl_buf_clear(&st->line);
    cl_buf_append_char(&st->line, '{');
    cl_buf_append(&st->line, cl_buf_cstr(&st->lead), st->lead.len);
    cl_buf_append(&st->line, st->doc.data + 1, st->doc.len - 1);
    put_line(st);
}

static const char *display(const char *file)
{
    return strcmp(file, "-") == 0 ? "<stdin>" : file;
}

/* ---- JSON Lines -------------------------------------------------------- */

static void jsonl_line_out(stream *st, const char *file, const jsonl_line *line)
{
    char source[4200];
    snprintf(source, sizeof source, "%s:%llu", display(file),
             (unsigned long long)line->number);
    cl_buf_clear(&st->lead);
    if (line->too_long) {
        char why[160];
        snprintf(why, sizeof why, "line of %zu bytes, over max_input_bytes (%zu)", line->len,
                 st->cfg->max_input_bytes);
        emit_error(st, source, why);
        return;
    }
    jsonl_record rec;
    cl_error err = { "" };
    int parsed = jsonl_parse(line->bytes, line->len, &st->fields, &rec, &err);
    if (jsonl_lead(st, &rec) < 0) {
        cl_buf_clear(&st->lead);
        snprintf(err.msg, sizeof err.msg, "a field cannot be passed through (out of memory)");
        parsed = -1;
    }
    if (parsed < 0) {
        emit_error(st, source, err.msg);
    } else {
        cl_input in = { .bytes = rec.content, .len = rec.content_len,
                        .name_hint = rec.name_hint, .url = rec.url };
        emit_doc(st, source, &in);
    }
    jsonl_record_clear(&rec);
}

static int run_jsonl(stream *st, const char *file, int fd, cl_error *err)
{
    jsonl_reader *r = jsonl_reader_new(source_read_fd, &fd, st->cfg->max_input_bytes);
    if (!r)
        return cl_fail(err, "out of memory");
    jsonl_line line;
    int rc;
    while (!st->failed && (rc = jsonl_next(r, &line, err)) > 0)
        jsonl_line_out(st, file, &line);
    jsonl_reader_free(r);
    return st->failed ? 0 : rc;
}

/* ---- WARC ------------------------------------------------------------- */

static void warc_payload(stream *st, const char *source, const warc_record *rec,
                         const char *bytes, size_t len, http_span charset)
{
    char label[64] = "";
    if (charset.len && charset.len < sizeof label)
        memcpy(label, charset.s, charset.len);
    cl_input in = { .bytes = bytes, .len = len, .name_hint = "response.html",
                    .url = rec->target_uri, .charset = label[0] ? label : NULL,
                    .fetch_time = rec->fetch_time };
    emit_doc(st, source, &in);
}

/* A payload whose type is not HTML is skipped; no type: the cleaner
 * detects it. */
static int skip_not_html(stream *st, const char *source, http_span mime)
{
    if (!mime.len || http_mime_is_html(mime))
        return 0;
    char why[96];
    snprintf(why, sizeof why, "not HTML: %.*s", (int)(mime.len < 60 ? mime.len : 60), mime.s);
    emit_skipped(st, source, SKIP_NOT_HTML, why);
    return 1;
}

static int is_http_block(const char *content_type)
{
    return !content_type || strncasecmp(content_type, "application/http", 16) == 0;
}

static void warc_response(stream *st, const char *source, const warc_record *rec)
{
    http_response resp;
    cl_error err = { "" };
    if (http_parse_response(rec->block, rec->block_len, &resp, &err) < 0) {
        char why[CL_ERROR_MAX + 16];
        snprintf(why, sizeof why, "HTTP: %s", err.msg);
        emit_error(st, source, why);
        return;
    }
    if (resp.status != 200) {
        char why[48];
        snprintf(why, sizeof why, "HTTP status %d", resp.status);
        emit_skipped(st, source, SKIP_STATUS, why);
        return;
    }
    if (skip_not_html(st, source, resp.mime))
        return;
    cl_buf_clear(&st->body);
    if (http_decode_body(&resp, rec->block + resp.body_offset,
                         rec->block_len - resp.body_offset, st->cfg->max_input_bytes,
                         &st->body, &err) < 0) {
        char why[CL_ERROR_MAX + 16];
        snprintf(why, sizeof why, "HTTP body: %s", err.msg);
        emit_error(st, source, why);
        return;
    }
    warc_payload(st, source, rec, cl_buf_cstr(&st->body), st->body.len, resp.charset);
}

static void warc_document(stream *st, const char *source, const warc_record *rec)
{
    if (rec->block_cut) {
        char why[128];
        snprintf(why, sizeof why, "record of %llu bytes, over max_input_bytes (%zu)",
                 (unsigned long long)rec->content_length, st->cfg->max_input_bytes);
        emit_error(st, source, why);
        return;
    }
    if (rec->type == WARC_TYPE_RESPONSE && is_http_block(rec->content_type)) {
        warc_response(st, source, rec);
        return;
    }
    http_span mime = { NULL, 0 }, charset = { NULL, 0 };
    if (rec->content_type)
        http_parse_content_type(rec->content_type, strlen(rec->content_type), &mime, &charset);
    if (!skip_not_html(st, source, mime))
        warc_payload(st, source, rec, rec->block, rec->block_len, charset);
}

static void warc_record_out(stream *st, const char *file, const warc_record *rec)
{
    char source[4200];
    snprintf(source, sizeof source, "%s:%llu", display(file),
             (unsigned long long)rec->offset);
    warc_lead(st, rec);
    if (rec->error[0]) {
        emit_error(st, source, rec->error);
        return;
    }
    switch (rec->type) {
    case WARC_TYPE_RESPONSE:
    case WARC_TYPE_RESOURCE:
    case WARC_TYPE_CONVERSION:
        warc_document(st, source, rec);
        return;
    case WARC_TYPE_REVISIT:
        emit_skipped(st, source, SKIP_REVISIT, "revisit record: its payload is elsewhere");
        return;
    default:
        st->counts.other++;
        return;
    }
}

static int run_warc(stream *st, const char *file, int fd, cl_error *err)
{
    warc_reader *r = warc_reader_new(source_read_fd, &fd, st->cfg->max_input_bytes);
    if (!r)
        return cl_fail(err, "out of memory");
    const warc_record *rec;
    int rc;
    while (!st->failed && (rc = warc_next(r, &rec, err)) > 0)
        warc_record_out(st, file, rec);
    warc_reader_free(r);
    return st->failed ? 0 : rc;
}

/* ---- the run ------------------------------------------------------------ */

static int open_stream(const char *file, cl_error *err)
{
    if (strcmp(file, "-") == 0)
        return STDIN_FILENO;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cl_fail(err, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return cl_fail(err, "cannot read: a folder");
    }
    return fd;
}

/* 0 when the stream was read to its end; -1 (logged) when it could not be. */
static int run_file(stream *st, const char *file, int warc)
{
    cl_error err = { "" };
    int fd = open_stream(file, &err);
    if (fd < 0) {
        log_error("%s: %s", display(file), err.msg);
        return -1;
    }
    int rc = warc ? run_warc(st, file, fd, &err) : run_jsonl(st, file, fd, &err);
    if (fd != STDIN_FILENO)
        close(fd);
    if (rc < 0)
        log_error("%s: %s", display(file), err.msg);
    return rc < 0 ? -1 : 0;
}

static void log_counts(const stream_counts *c, int warc)
{
    size_t skipped = c->skipped[SKIP_STATUS] + c->skipped[SKIP_NOT_HTML]
                     + c->skipped[SKIP_REVISIT];
    size_t records = c->ok + c->no_article + skipped + c->error;
    char other[160] = "";
    if (warc)
        snprintf(other, sizeof other, " (%zu HTTP status not 200, %zu not HTML, %zu revisit);"
                 " %zu records that are no document", c->skipped[SKIP_STATUS],
                 c->skipped[SKIP_NOT_HTML], c->skipped[SKIP_REVISIT], c->other);
    log_info("done: %zu records: %zu ok, %zu no article, %zu skipped%s, %zu error%s",
             records, c->ok, c->no_article, skipped, other, c->error, c->error == 1 ? "" : "s");
}

static int run_all(stream *st, const cli_args *a)
{
    int warc = a->mode == CLI_MODE_WARC, rc = 0;
    cl_error err = { "" };
    if (!(st->out = sink_open(a->output_file, &err))) {
        log_error("%s", err.msg);
        return 1;
    }
    for (size_t i = 0; i < a->nfiles && rc == 0 && !st->failed; i++)
        rc = run_file(st, a->files[i], warc);
    if (st->failed)
        log_error("%s", st->fatal.msg);
    if (rc < 0 || st->failed) {
        sink_abort(st->out);
        rc = 1;
    } else if (sink_commit(st->out, &err) < 0) {
        log_error("%s", err.msg);
        rc = 1;
    }
    log_counts(&st->counts, warc);
    return rc;
}

int stream_run(const char *config_path, const cli_args *a)
{
    config cfg;
    cl_cleaner *c;
    if (engine_setup(config_path, a, &cfg, &c) != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    worker_set_process_limits(cfg.worker_memory_bytes);
    stream st = {
        .cfg = &cfg, .cleaner = c,
        .fields = { .id = a->id_field, .url = a->url_field, .content = a->content_field },
    };
    int rc = run_all(&st, a);
    cl_buf_free(&st.lead);
    cl_buf_free(&st.doc);
    cl_buf_free(&st.line);
    cl_buf_free(&st.body);
    cl_cleaner_free(c);
    config_free(&cfg);
    return rc;
}
