#!/usr/bin/env python3
"""Metadata quality (title, author, lang) on readability-dev: `make bench-meta`.

Runs ONE `cleaner --once -f json` over readability-dev's pages, maps each
page id to its JSON object and scores it with ../shared/bench/metascore.py,
three times: half A, half B and all pages.  The halves split the pages by a
fixed hash of their site (the page id without a trailing "-N", so nytimes-1
and nytimes-5 fall in the same half): rules are developed looking at the
failures of half A only (--failures), and half B tells how they do on sites
never looked at.

usage: metascore-run.py [--cleaner BIN] [--shared DIR] [--keep PRED.json]
                        [--failures FIELD[,FIELD]] [--half A|B|all]

  --failures title,author   print each failure of those fields (of --half,
                            A by default): page id, gold, prediction
  --keep PRED.json          keep the predictions
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

TIMEOUT = 600  # seconds for the whole set; ~3 s is usual
FIELDS = {'title': 'title', 'author': 'byline', 'lang': 'lang'}


def site_of(pid):
    return re.sub(r'-\d+$', '', pid)


def half_of(pid):
    """'A' or 'B', fixed by the site's name alone."""
    return 'AB'[hashlib.sha1(site_of(pid).encode()).digest()[0] & 1]


def stage(html_dir, in_dir):
    """Decompress every page into in_dir; returns {page id: input name}."""
    names = {}
    for fname in sorted(os.listdir(html_dir)):
        if not fname.endswith('.html.gz'):
            continue
        pid = fname[:-len('.gz')][:-len('.html')]
        with gzip.open(os.path.join(html_dir, fname)) as src, \
                open(os.path.join(in_dir, pid + '.html'), 'wb') as dst:
            dst.write(src.read())
        names[pid] = pid + '.html'
    return names


def predict(cleaner, names, in_dir, out_dir):
    cmd = [cleaner, '--once', '-f', 'json', '-i', in_dir, '-o', out_dir]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    if r.returncode not in (0, 1):
        sys.exit(f'metascore-run: {" ".join(cmd)}: exit {r.returncode}: {r.stderr.strip()}')
    pred = {}
    for pid, name in names.items():
        path = os.path.join(out_dir, name + '.json')
        if os.path.isfile(path):
            with open(path, encoding='utf-8') as f:
                pred[pid] = json.load(f)
    return pred


def score(scorer, gold, pred, ids, tmp, label):
    gpath = os.path.join(tmp, f'gold-{label}.json')
    ppath = os.path.join(tmp, f'pred-{label}.json')
    with open(gpath, 'w', encoding='utf-8') as f:
        json.dump({k: gold[k] for k in ids}, f)
    with open(ppath, 'w', encoding='utf-8') as f:
        json.dump({k: pred.get(k, {}) for k in ids}, f)
    r = subprocess.run([sys.executable, scorer, gpath, ppath], capture_output=True,
                       text=True, check=True)
    last = r.stdout.strip().splitlines()[-1]
    print(f'{label:<4} {len(ids):>3} pages  {last}')


def show_failures(scorer_dir, gold, pred, ids, fields):
    """The scorer's own comparison, page by page, for the fields asked."""
    sys.path.insert(0, scorer_dir)
    import metascore  # noqa: E402
    for pid in ids:
        g, p = gold[pid], pred.get(pid, {})
        for field in fields:
            gv = metascore.norm(g.get(FIELDS[field]))
            if not gv:
                continue
            pv = metascore.norm(p.get(field) if isinstance(p.get(field), str) else '')
            if field == 'title':
                ok = pv == gv
            elif field == 'author':
                gv2 = re.sub(r'^by:? ', '', gv)
                ok = bool(pv) and (pv == gv2 or pv in gv2 or gv2 in pv)
            else:
                ok = bool(pv) and pv.split('-')[0].split('_')[0] == gv.split('-')[0].split('_')[0]
            if not ok:
                print(f'  {field:<6} {pid:<40} gold={g.get(FIELDS[field])!r}  got={p.get(field)!r}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--cleaner', default=os.path.join(here, '..', 'build', 'cleaner'))
    ap.add_argument('--shared', default=os.path.join(here, '..', '..', 'shared'))
    ap.add_argument('--keep')
    ap.add_argument('--failures', default='')
    ap.add_argument('--half', default='A', choices=('A', 'B', 'all'))
    args = ap.parse_args()
    sys.dont_write_bytecode = True
    root = os.path.join(args.shared, 'readability-dev')
    scorer = os.path.join(args.shared, 'bench', 'metascore.py')
    with open(os.path.join(root, 'ground-truth.json'), encoding='utf-8') as f:
        gold = json.load(f)
    with tempfile.TemporaryDirectory(prefix='metascore.') as tmp:
        in_dir, out_dir = os.path.join(tmp, 'in'), os.path.join(tmp, 'out')
        os.mkdir(in_dir)
        os.mkdir(out_dir)
        names = stage(os.path.join(root, 'html'), in_dir)
        pred = predict(args.cleaner, names, in_dir, out_dir)
        ids = sorted(k for k in gold if k in names)
        halves = {h: [k for k in ids if half_of(k) == h] for h in 'AB'}
        score(scorer, gold, pred, halves['A'], tmp, 'A')
        score(scorer, gold, pred, halves['B'], tmp, 'B')
        score(scorer, gold, pred, ids, tmp, 'all')
    if args.keep:
        with open(args.keep, 'w', encoding='utf-8') as f:
            json.dump(pred, f, ensure_ascii=False, indent=1)
    if args.failures:
        chosen = ids if args.half == 'all' else halves[args.half]
        show_failures(os.path.dirname(scorer), gold, pred, chosen, args.failures.split(','))


if __name__ == '__main__':
    main()
