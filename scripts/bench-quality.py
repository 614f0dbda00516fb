#!/usr/bin/env python3
"""Article-extraction quality on aeb-dev: `make bench-quality`.

Decompresses every ../shared/aeb-dev/html/*.html.gz into a temporary folder,
runs `CLEANER -f json FILE` on each, maps each page id to {"articleBody":
body} and scores that with ../shared/bench/aeb_score.py, whose closing line
(F1, precision, recall, accuracy) is printed.

usage: bench-quality.py [--cleaner BIN] [--data DIR] [--keep PRED.json]
                        [--per-doc]
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), 'shared')


def run_one(cleaner, path):
    """The body the cleaner extracts from one page ('' when it fails)."""
    r = subprocess.run([cleaner, '-f', 'json', path], capture_output=True, timeout=60)
    if r.returncode != 0:
        sys.stderr.write(f'{os.path.basename(path)}: exit {r.returncode}: '
                         f'{r.stderr.decode("utf-8", "replace").strip()}\n')
        return ''
    try:
        return json.loads(r.stdout.decode('utf-8')).get('body') or ''
    except ValueError as e:
        sys.stderr.write(f'{os.path.basename(path)}: bad JSON: {e}\n')
        return ''


def predict(cleaner, html_dir, tmp):
    pred = {}
    for name in sorted(os.listdir(html_dir)):
        if not name.endswith('.html.gz'):
            continue
        page_id = name[:-len('.html.gz')]
        path = os.path.join(tmp, page_id + '.html')
        with gzip.open(os.path.join(html_dir, name)) as src, open(path, 'wb') as dst:
            dst.write(src.read())
        pred[page_id] = {'articleBody': run_one(cleaner, path)}
    return pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cleaner', default=os.path.join(REPO, 'build', 'cleaner'))
    ap.add_argument('--data', default=os.path.join(SHARED, 'aeb-dev'))
    ap.add_argument('--keep', help='also write the predictions here')
    ap.add_argument('--per-doc', action='store_true')
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        sys.exit(f'bench-quality: no data at {a.data}')
    scorer = os.path.join(SHARED, 'bench', 'aeb_score.py')
    with tempfile.TemporaryDirectory(prefix='bench-quality.') as tmp:
        pred = predict(a.cleaner, os.path.join(a.data, 'html'), tmp)
        pred_path = a.keep or os.path.join(tmp, 'pred.json')
        with open(pred_path, 'w', encoding='utf-8') as f:
            json.dump(pred, f, ensure_ascii=False)
        cmd = [sys.executable, scorer, os.path.join(a.data, 'ground-truth.json'), pred_path]
        if a.per_doc:
            cmd.append('--per-doc')
        return subprocess.run(cmd).returncode


if __name__ == '__main__':
    sys.exit(main())
