#!/usr/bin/env python3
"""Article-extraction quality on every data set and input path: `make bench-quality`.

One line per set x path, so that a change tuned on one set is seen on the
others (issue 13).  The sets are in ../shared (see scripts/quality.py):
aeb-dev, readability-dev and trafeval-dev (HTML pages) and seeds (plain
text).  Each HTML page is read as it is (html), flattened to Markdown by
pandoc (md) and to text by w3m (text); the flattened pages are cached in
build/quality-cache/.  A set's pages on one path go through ONE
`cleaner --once -f json -i IN -o OUT`, not a process per page.

Each line gives the set's scorer's own figures (aeb_score.py: F1, precision,
recall, token accuracy; segscore.py: the same of the with/without snippets;
textscore.py: keep%, dropped%, perfect files, leftover link markup), then
the pages, how many came out empty though the gold has text, how many
failed, and how many the cleaner read as another format than the path's.

usage: bench-quality.py [--cleaner BIN] [--shared DIR] [--sets A,B] [--paths P,Q]
                        [--per-doc [N]] [--keep DIR] [-j N]
                        [--pred-cmd CMD | --pred-dir DIR]

  --sets aeb-dev --paths html   the single line `make bench-quality` used to print
  --per-doc [N]                 the N (10) worst pages of each line: score, text
                                length in characters, format read as, page id
  --keep DIR                    write each line's texts to DIR/SET.PATH.json
                                ({page id: text or null})
  --pred-cmd CMD                score another predictor instead of the cleaner
                                (cross-validated model predictions): for each
                                set x path, runs  CMD SET PATH IN PAGES OUT
                                where IN holds the inputs as the cleaner would
                                get them, PAGES is a JSON file listing them
                                ({"set", "path", "pages": [{"name", "id", "key",
                                "url", "site"}]}, site for site-grouped folds),
                                and OUT is where CMD writes {input name or page
                                id: text or null}
  --pred-dir DIR                score DIR/SET.PATH.json files (as --keep writes)
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

# No __pycache__ in scripts/ or in ../shared/bench (read-only in CI).
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402

# The cleaner's log line for a file cleaned, and its closing count.
CLEANED = re.compile(r' -> .*: \d+ -> \d+ bytes, \d+ of \d+ blocks removed|^cleaner: done: ')
CLEANER_TIMEOUT = 1800  # seconds for one set on one path; ~20 s is usual


def cleaner_text(ds, doc):
    """What is scored of one cleaner JSON object: the body, or for seeds the
    text output (title, blank line, body) that seeds.sh scores."""
    body = doc.get('body') or ''
    if ds.kind == 'seeds' and doc.get('title'):
        return doc['title'] + '\n\n' + body
    return body


def run_cleaner(cleaner, ds, names, in_dir, out_dir, jobs):
    """Clean the staged folder in one --once run.  Returns ({page id: text
    or None when it has no output}, {page id: format read as})."""
    cmd = [cleaner, '--once', '-f', 'json', '-i', in_dir, '-o', out_dir, '-j', str(jobs)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=CLEANER_TIMEOUT)
    if r.returncode not in (0, 1):
        sys.exit(f'bench-quality: {" ".join(cmd)}: exit {r.returncode}: {r.stderr.strip()}')
    for line in r.stderr.splitlines():
        if not CLEANED.search(line):
            sys.stderr.write(line + '\n')  # warnings and failures only
    texts, formats = {}, {}
    for pid, name in names.items():
        path = os.path.join(out_dir, name + '.json')
        if not os.path.isfile(path):
            texts[pid] = None
            continue
        with open(path, encoding='utf-8') as f:
            doc = json.load(f)
        texts[pid], formats[pid] = cleaner_text(ds, doc), doc.get('format', '')
    return texts, formats


def run_pred_cmd(pred_cmd, ds, path, names, in_dir, work):
    """Run an outside predictor on the staged folder (see --pred-cmd) and
    read its {input name or page id: text} back, keyed by page id."""
    pages, out = os.path.join(work, 'pages.json'), os.path.join(work, 'pred.json')
    quality.write_manifest(ds, path, names, pages)
    args = ' '.join(shlex.quote(a) for a in (ds.name, path, in_dir, pages, out))
    r = subprocess.run(f'{pred_cmd} {args}', shell=True)
    if r.returncode != 0 or not os.path.isfile(out):
        sys.exit(f'bench-quality: --pred-cmd failed on {ds.name} {path} (exit {r.returncode})')
    with open(out, encoding='utf-8') as f:
        pred = json.load(f)
    return {pid: pred.get(name, pred.get(pid)) for pid, name in names.items()}


def read_pred_dir(pred_dir, ds, path):
    """{page id: text} from DIR/SET.PATH.json, keyed by page id or input name."""
    file = os.path.join(pred_dir, f'{ds.name}.{path}.json')
    if not os.path.isfile(file):
        sys.exit(f'bench-quality: no {file}')
    with open(file, encoding='utf-8') as f:
        pred = json.load(f)
    return {p.id: pred.get(p.id, pred.get(quality.input_name(p, path))) for p in ds.pages}


def predict(a, ds, path):
    """The texts, formats (the cleaner's only) and blank inputs of one set
    on one path."""
    if a.pred_dir:
        return read_pred_dir(a.pred_dir, ds, path), {}, []
    with tempfile.TemporaryDirectory(prefix='bench-quality.') as work:
        in_dir, out_dir = os.path.join(work, 'in'), os.path.join(work, 'out')
        names = quality.stage_inputs(ds, path, in_dir, jobs=a.jobs)
        blank = quality.blank_inputs(ds, path, in_dir, names)
        if a.pred_cmd:
            return run_pred_cmd(a.pred_cmd, ds, path, names, in_dir, work), {}, blank
        os.makedirs(out_dir)
        return (*run_cleaner(a.cleaner, ds, names, in_dir, out_dir, a.jobs), blank)


def keep(a, ds, path, texts):
    """--keep: the texts of one line, for a later --pred-dir or a diff."""
    os.makedirs(a.keep, exist_ok=True)
    with open(os.path.join(a.keep, f'{ds.name}.{path}.json'), 'w', encoding='utf-8') as f:
        json.dump({p.id: texts.get(p.id) for p in ds.pages}, f, ensure_ascii=False,
                  indent=1, sort_keys=True)


def bench_one(a, ds, path):
    """Predict, score and print one set on one path."""
    start = time.monotonic()
    texts, formats, blank = predict(a, ds, path)
    res = quality.score(ds, texts, formats, blank)
    print(quality.format_line(ds, path, res), flush=True)
    if a.per_doc:
        lengths = {pid: len(t) for pid, t in texts.items() if t is not None}
        for line in quality.format_worst(res, lengths, a.per_doc):
            print(line)
        if res.empty:
            print(f'    empty: {" ".join(res.empty)}')
        if res.blank:
            print(f'    blank input: {" ".join(res.blank)}')
    if a.keep:
        keep(a, ds, path, texts)
    sys.stderr.write(f'bench-quality: {ds.name} {path}: {time.monotonic() - start:.1f} s\n')


def selection(value, known, what):
    """The names of a comma-separated option, checked against `known`."""
    if value is None:
        return list(known)
    names = [v for v in value.split(',') if v]
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f'bench-quality: unknown {what}: {", ".join(unknown)} '
                 f'(known: {", ".join(known)})')
    return names


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--cleaner', default=os.path.join(quality.REPO, 'build', 'cleaner'))
    ap.add_argument('--shared', default=quality.SHARED, help='folder of the data sets')
    ap.add_argument('--sets', help='comma-separated: ' + ','.join(quality.LAYOUTS))
    ap.add_argument('--paths', help='comma-separated: ' + ','.join(quality.EXTENSIONS))
    ap.add_argument('--per-doc', nargs='?', type=int, const=10, default=0, metavar='N')
    ap.add_argument('--keep', metavar='DIR')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1)
    pred = ap.add_mutually_exclusive_group()
    pred.add_argument('--pred-cmd', metavar='CMD')
    pred.add_argument('--pred-dir', metavar='DIR')
    return ap.parse_args()


def main():
    a = parse_args()
    set_names = selection(a.sets, quality.LAYOUTS, 'set')
    path_names = selection(a.paths, quality.EXTENSIONS, 'path')
    sets = quality.load_sets(a.shared, set_names)
    missing = [n for n in set_names if n not in sets]
    if missing:
        sys.exit(f'bench-quality: no data for {", ".join(missing)} in {a.shared}')
    start = time.monotonic()
    lines = 0
    for ds in sets.values():
        for path in (p for p in ds.paths if p in path_names):
            bench_one(a, ds, path)
            lines += 1
    if not lines:
        sys.exit('bench-quality: no set has any of the paths asked for')
    sys.stderr.write(f'bench-quality: {lines} lines in {time.monotonic() - start:.1f} s\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
