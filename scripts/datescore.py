#!/usr/bin/env python3
"""Publication-date accuracy of the cleaner on a dates set (issue 14).

usage: datescore.py CLEANER [--set DIR] [-j N] [--pred FILE] [--failures A|B|all]

Runs `CLEANER --url URL -f json FILE` on every page of DIR/dates.json
(default ../shared/dates-dev), keeps the `date` each printed (null when
none) and scores it with ../shared/bench/datescore.py on three lines: the
sites of half A, those of half B and all.  A site is the URL's host
without "www."; its half is fixed by a hash of that name, so every page of
a site is on the same side: rules tuned on the failures of A and still
right on B generalise to sites never seen.  --failures prints the pages
of a half the cleaner got wrong (gold, predicted, file), to develop on A
alone.  A cleaner without --url (older builds) is run without it.
"""
import argparse
import concurrent.futures
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'shared')
SCORER = os.path.join(SHARED, 'bench', 'datescore.py')


def site(url):
    host = (urllib.parse.urlsplit(url).hostname or '').lower()
    return host[4:] if host.startswith('www.') else host


def half(url):
    digest = hashlib.sha1(site(url).encode('utf-8')).digest()
    return 'A' if digest[0] % 2 == 0 else 'B'


def takes_url(cleaner):
    out = subprocess.run([cleaner, '--help'], capture_output=True, text=True)
    return '--url' in out.stdout + out.stderr


def unpack(src, tmp):
    """The page as the cleaner reads it: the set stores it gzipped."""
    if not src.endswith('.gz'):
        return src
    dst = os.path.join(tmp, os.path.basename(src)[:-3])
    with gzip.open(src, 'rb') as f, open(dst, 'wb') as out:
        out.write(f.read())
    return dst


def predict(cleaner, use_url, url, src, tmp):
    path = unpack(src, tmp)
    cmd = [cleaner, '-f', 'json'] + (['--url', url] if use_url else []) + [path]
    out = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(out.stdout).get('date')
    except ValueError:
        return None


def page(set_dir, item):
    path = os.path.join(set_dir, 'html', item['file'])
    return path if os.path.exists(path) else path + '.gz'


def score(gold, pred, label):
    # A gold date of NaN (a page without one) would crash the scorer on
    # any answer: no answer can be right there, so none is passed on.
    pred = {u: (p if isinstance(gold[u]['date'], str) else None)
            for u, p in pred.items() if u in gold}
    with tempfile.TemporaryDirectory() as tmp:
        gpath, ppath = os.path.join(tmp, 'gold.json'), os.path.join(tmp, 'pred.json')
        json.dump(gold, open(gpath, 'w', encoding='utf-8'))
        json.dump(pred, open(ppath, 'w', encoding='utf-8'))
        out = subprocess.run([sys.executable, SCORER, gpath, ppath],
                             capture_output=True, text=True, check=True)
    print(f'{label:4} {out.stdout.strip().splitlines()[-1]}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('cleaner')
    ap.add_argument('--set', default=os.path.join(SHARED, 'dates-dev'))
    ap.add_argument('-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--pred', help='also write the predictions here')
    ap.add_argument('--failures', choices=['A', 'B', 'all'])
    a = ap.parse_args()
    gold = json.load(open(os.path.join(a.set, 'dates.json'), encoding='utf-8'))
    use_url = takes_url(a.cleaner)
    if not use_url:
        print('note: this cleaner has no --url; pages run without their URL')
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(max_workers=a.j) as ex:
        futs = {url: ex.submit(predict, a.cleaner, use_url, url, page(a.set, item), tmp)
                for url, item in gold.items()}
        pred = {url: f.result() for url, f in futs.items()}
    if a.pred:
        json.dump(pred, open(a.pred, 'w', encoding='utf-8'), indent=1, sort_keys=True)
    for label in ('A', 'B'):
        score({u: g for u, g in gold.items() if half(u) == label}, pred, label)
    score(gold, pred, 'all')
    if a.failures:
        for url, item in sorted(gold.items(), key=lambda kv: kv[1]['file']):
            p = pred.get(url) or ''
            if (a.failures == 'all' or half(url) == a.failures) and \
                    not p.startswith(str(item['date'])):
                print(f"{item['date']}  {p or '-':28}  {item['file']}  {url}")


if __name__ == '__main__':
    main()
