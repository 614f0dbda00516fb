/*
 * stream.h - `cleaner --jsonl FILE...|-` and `cleaner --warc FILE...|-`:
 * record streams in, JSON Lines out, one line per record, in input order.
 *
 * Each line is the document's JSON (render.h: source, status, format,
 * the metadata, body) with the record's own fields first:
 *   "id"          the JSONL id field, or WARC-Record-ID
 *   "fetch_url"   the JSONL url field, or WARC-Target-URI (the page's own
 *                 canonical URL, when it names one, is "url")
 *   "fetch_date"  WARC-Date as written (WARC)
 *   JSONL only: every other field of the input object but its content, as
 *   it was (an extra field named like one of the output's is renamed
 *   "input_NAME", so no line has a key twice).
 * "source" is "FILE:LINE" (JSONL) or "FILE:OFFSET" (WARC: the record's
 * offset, its gzip member's for a gzipped file), "<stdin>" for -.
 *
 * "status": ok, no_article (status.h), skipped (a WARC record that holds
 * no HTML page: HTTP status other than 200, a non-HTML Content-Type, a
 * revisit record; "reason" says which, and the closing log line counts
 * each), or error with "reason" (an invalid JSON line, a record without
 * content, a line or record over max_input_bytes, a truncated or corrupt
 * record, a broken HTTP header or body, an input the cleaner refuses).  A
 * bad record never stops the stream.  WARC records that are no document
 * (warcinfo, request, metadata) give no line; the closing log line counts
 * them.
 *
 * The run stops only when a stream cannot be read on (it cannot be opened,
 * a read fails) or the output cannot be written: that is logged with the
 * file and the byte offset, and the exit status is 1; a -o file is then
 * not created (its temporary file is removed).  Otherwise 0, whatever the
 * records held; 2 for a configuration error.
 *
 * Costs: the rules and model are compiled once (engine_new); each record
 * is cleaned in this process, one at a time (-j does not apply yet), under
 * the worker memory limit (worker_memory), so an allocation a hostile
 * record provokes fails that record.  Memory is flat in the number of
 * records: one line or record (at most max_input_bytes) and its output.
 */
#ifndef CLEANER_DAEMON_STREAM_H
#define CLEANER_DAEMON_STREAM_H

#include "cli.h"

int stream_run(const char *config_path, const cli_args *a);

#endif
