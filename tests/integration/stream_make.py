#!/usr/bin/env python3
"""Builds the inputs of the stream_*.sh tests and checks their outputs
(standard library only; not a test itself).

  stream_make.py synthetic DIR          DIR/synth.warc.gz (a gzip member per
                                        record) and DIR/synth.warc (plain)
  stream_make.py pages SRC GT DIR       the pages of SRC/*.html.gz as
                                        DIR/pages/NAME.html, DIR/pages.warc.gz,
                                        DIR/urls.tsv (GT: ground-truth.json with
                                        each page's url), and DIR/pages.jsonl of
                                        the UTF-8 pages, listed in
                                        DIR/jsonl-pages.txt
  stream_make.py check FILE             every line of FILE is a JSON object
                                        with a known status (and a reason for
                                        skipped and error); prints the statuses
  stream_make.py bodies A B             the "body" of line i of A equals that
                                        of line i of B, for every line
"""
import gzip
import json
import os
import sys

ARTICLE = ("<html><head><title>Harbour ferry</title></head><body><article>"
           "<h1>Harbour ferry</h1>"
           "<p>The council met on Monday to discuss the harbour ferry service and its "
           "costs for the coming year, and residents spoke for an hour.</p>"
           "<p>Residents said the late crossings matter to people who work night "
           "shifts in the port district, and asked for a {word} timetable.</p>"
           "</article></body></html>")


def record(rtype, uri, rid, block, content_type="application/http; msgtype=response"):
    head = ("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
            "WARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: 2026-11-30T10:00:00Z\r\n"
            "Content-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (rtype, uri, rid, content_type, len(block)))
    return head.encode() + block + b"\r\n\r\n"


def http(status, headers, body):
    lines = ["HTTP/1.1 %s" % status] + headers
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(body, size=40):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def synthetic_records():
    page = ARTICLE.format(word="new").encode()
    cafe = ARTICLE.format(word="caf\u00e9").encode("cp1252")
    return [
        ("warcinfo", record("warcinfo", "", "info", b"software: stream_make.py\r\n",
                            "application/warc-fields")),
        ("ok", record("response", "http://news.example/ferry", "ok",
                      http("200 OK", ["Content-Type: text/html"], page))),
        ("request", record("request", "http://news.example/ferry", "req",
                           b"GET /ferry HTTP/1.1\r\nHost: news.example\r\n\r\n",
                           "application/http; msgtype=request")),
        ("404", record("response", "http://news.example/gone", "404",
                       http("404 Not Found", ["Content-Type: text/html"], b"<p>gone</p>"))),
        ("png", record("resource", "http://news.example/logo.png", "png",
                       b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png")),
        ("chunked", record("response", "http://news.example/chunked", "chunked",
                           http("200 OK", ["Content-Type: text/html; charset=utf-8",
                                           "Transfer-Encoding: chunked"], chunked(page)))),
        ("charset", record("response", "http://news.example/cafe", "charset",
                           http("200 OK", ["Content-Type: text/html; charset=windows-1252"],
                                cafe))),
        ("gzip", record("response", "http://news.example/gz", "gzip",
                        http("200 OK", ["Content-Type: text/html", "Content-Encoding: gzip"],
                             gzip.compress(page)))),
        ("truncated", record("response", "http://news.example/cut", "truncated",
                             http("200 OK", ["Content-Type: text/html"], page))),
        ("after", record("resource", "http://news.example/after", "after", page,
                         "text/html")),
        ("revisit", record("revisit", "http://news.example/ferry", "revisit",
                           http("200 OK", ["Content-Type: text/html"], b""))),
    ]


def synthetic(out_dir):
    recs = synthetic_records()
    with open(os.path.join(out_dir, "synth.warc.gz"), "wb") as gz:
        for name, rec in recs:
            member = gzip.compress(rec)
            gz.write(member[:len(member) // 2] if name == "truncated" else member)
    with open(os.path.join(out_dir, "synth.warc"), "wb") as plain:
        for name, rec in recs:
            plain.write(rec)


def pages(src, ground_truth, out_dir):
    truth = json.load(open(ground_truth, encoding="utf-8"))
    os.makedirs(os.path.join(out_dir, "pages"), exist_ok=True)
    names = sorted(n for n in os.listdir(src) if n.endswith(".html.gz"))
    with open(os.path.join(out_dir, "pages.warc.gz"), "wb") as warc, \
            open(os.path.join(out_dir, "pages.jsonl"), "w", encoding="utf-8") as jl, \
            open(os.path.join(out_dir, "urls.tsv"), "w", encoding="utf-8") as urls, \
            open(os.path.join(out_dir, "jsonl-pages.txt"), "w", encoding="utf-8") as in_jsonl:
        for i, name in enumerate(names):
            key = name[:-len(".html.gz")]
            page = gzip.open(os.path.join(src, name)).read()
            path = os.path.join(out_dir, "pages", key + ".html")
            open(path, "wb").write(page)
            url = truth.get(key, {}).get("url") or "http://pages.example/%s" % key
            warc.write(gzip.compress(record("response", url, key,
                                            http("200 OK", ["Content-Type: text/html"], page))))
            urls.write("%s\t%s\n" % (path, url))
            try:    # a JSON string carries a UTF-8 page byte for byte, no other
                text = page.decode("utf-8")
            except UnicodeDecodeError:
                continue
            jl.write(json.dumps({"id": i, "name": key, "html": text},
                                ensure_ascii=False) + "\n")
            in_jsonl.write(path + "\n")


def check(path):
    statuses = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        obj = json.loads(line)
        status = obj.get("status")
        if status not in ("ok", "no_article", "skipped", "error"):
            sys.exit("%s:%d: bad status %r" % (path, n, status))
        if status in ("skipped", "error") and not obj.get("reason"):
            sys.exit("%s:%d: %s without a reason" % (path, n, status))
        statuses.append(status)
    print(" ".join(statuses))


def bodies(a, b):
    la = open(a, encoding="utf-8").read().splitlines()
    lb = open(b, encoding="utf-8").read().splitlines()
    if len(la) != len(lb):
        sys.exit("%s has %d lines, %s %d" % (a, len(la), b, len(lb)))
    differ = [i + 1 for i, (x, y) in enumerate(zip(la, lb))
              if json.loads(x).get("body") != json.loads(y).get("body")]
    if differ:
        sys.exit("bodies differ on lines %s" % differ[:10])
    print("%d bodies identical" % len(la))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"synthetic": synthetic, "pages": pages, "check": check, "bodies": bodies}[cmd](*args)
