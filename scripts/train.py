#!/usr/bin/env python3
"""Train the block model (config/model/blocks.model): `make train`.

The decision module (cleaner/decide.h) keeps a block when a logistic
regression over its features (cleaner/block_features.h) says it is article
text.  This script fits that regression on the data sets of ../shared
(scripts/quality.py: aeb-dev, readability-dev, trafeval-dev, seeds), each
HTML page on the three paths the cleaner reads (html, and flattened to md
and text), and writes the weights as a text file the cleaner loads at start.

    train.py fit [--out FILE]            the model, from every page
    train.py cv  --dir DIR [--folds K]   site-grouped K-fold models (no site
                                         in both a model's training data and
                                         its held-out pages) and their block-
                                         level out-of-fold figures
    train.py predict DIR SET PATH IN PAGES OUT
                                         bench-quality.py's --pred-cmd: each
                                         held-out page cleaned by the model
                                         of its fold (DIR 'none': no model,
                                         the same config)

Labels come from each set's ground truth: a block is article text when most
of its word 4-grams are in the gold body (aeb-dev, readability-dev), or when
it holds a snippet the page's output must have and none it must not have
(trafeval-dev: the 'with' and 'without' snippets; seeds: keep and drop).
Blocks the snippets say nothing about are not used.

Reproducible: the blocks are read in a fixed order, liblinear's solver runs
with a fixed seed, and weights are written rounded, sorted by name: the same
data and cleaner give a byte-identical file (`make train` twice, then cmp).
"""
import argparse
import collections
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality  # noqa: E402

REPO = quality.REPO
MODEL_HEADER = 'cleaner-block-model 1'
SEED = 0
C_REG = 0.5            # inverse L2 strength, chosen by site-grouped CV
TOKEN = re.compile(r'\w+', re.UNICODE)
BATCH = 100            # files per cleaner-features run


# ---------------------------------------------------------------- blocks

def run_features(tool, config, files):
    """The tool's rows for these files: (file, index, proposed, words,
    features, text)."""
    cmd = [tool] + (['-c', config] if config else []) + files
    r = subprocess.run(cmd, capture_output=True, timeout=1800)
    if r.returncode not in (0, 1):
        sys.exit(f'train: {cmd[0]}: exit {r.returncode}: {r.stderr.decode()[:500]}')
    rows = []
    for line in r.stdout.decode('utf-8', 'replace').split('\n'):
        parts = line.split('\t')
        if len(parts) == 6:
            rows.append((parts[0], int(parts[1]), parts[2], int(parts[3]),
                         parts[4].split(' ') if parts[4] else [], parts[5]))
    return rows


def collect(a, sets, work):
    """Every block of every page on every path: a list of dicts, in set,
    path, page and block order."""
    blocks = []
    for ds in sets.values():
        for path in ds.paths:
            in_dir = os.path.join(work, ds.name, path)
            names = quality.stage_inputs(ds, path, in_dir, jobs=a.jobs)
            by_file = {os.path.join(in_dir, n): pid for pid, n in names.items()}
            files = sorted(by_file)
            batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
            with ThreadPoolExecutor(a.jobs) as ex:
                results = list(ex.map(lambda b: run_features(a.features, a.config, b), batches))
            pages = {p.id: p for p in ds.pages}
            for rows in results:
                for f, idx, proposed, words, feats, text in rows:
                    page = pages[by_file[f]]
                    blocks.append({'set': ds.name, 'path': path, 'page': page.id,
                                   'group': group_of(ds, page), 'index': idx,
                                   'final': proposed.startswith('final-'),
                                   'proposed': proposed.replace('final-', ''),
                                   'words': words, 'features': feats, 'text': text})
            sys.stderr.write(f'train: {ds.name} {path}: {len(files)} pages\n')
    return blocks


def group_of(ds, page):
    """The site a page's fold is chosen by: its host, else what its id
    names of one (trafeval's 'site.tld-slug' files)."""
    if page.site:
        return page.site
    return page.id.split('-')[0] if ds.kind == 'seg' else f'{ds.name}:{page.id}'


# ---------------------------------------------------------------- labels

def shingles(tokens, n=4):
    return {tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 1))}


class Gold:
    """What each page's ground truth says of a block: 1, 0 or None."""

    def __init__(self, sets):
        self.sets = sets
        self.cache = {}

    def page(self, ds, pid):
        key = (ds.name, pid)
        if key not in self.cache:
            self.cache[key] = self._load(ds, pid)
        return self.cache[key]

    def _load(self, ds, pid):
        page = next(p for p in ds.pages if p.id == pid)
        if ds.kind == 'aeb':
            body = (ds.gold.get(page.key) or {}).get('articleBody') or ''
            tokens = TOKEN.findall(body.lower())
            return ('aeb', shingles(tokens), ' ' + ' '.join(tokens) + ' ')
        if ds.kind == 'seg':
            item = ds.gold[page.key]
            return ('seg', [norm(s) for s in item['with']], [norm(s) for s in item['without']])
        item = next(g for g in ds.gold if g['file'] == page.key)
        return ('seeds', [norm(s).lower() for s in item.get('keep', [])],
                [norm(s).lower() for s in item.get('drop', [])])

    def label(self, block):
        ds = self.sets[block['set']]
        gold = self.page(ds, block['page'])
        text = norm(block['text'])
        if gold[0] == 'aeb':
            tokens = TOKEN.findall(text.lower())
            if not tokens:
                return None
            if len(tokens) < 4:
                return int(' ' + ' '.join(tokens) + ' ' in gold[2])
            sh = shingles(tokens)
            return int(len(sh & gold[1]) * 2 >= len(sh))
        if gold[0] == 'seeds':
            text = text.lower()
        keep = any(covers(text, s) for s in gold[1])
        drop = any(covers(text, s) for s in gold[2])
        if keep == drop:
            return None
        return int(keep)


def norm(t):
    return re.sub(r'\s+', ' ', t).strip()


def covers(block, snippet):
    """The block holds the snippet, or is a long enough part of it."""
    return snippet in block or (len(block) >= 20 and block in snippet)


# ---------------------------------------------------------------- the fit

# trafeval-dev labels only the blocks that hold one of its snippets, and its
# 'with' snippets sample the article more densely than its 'without' ones
# sample the chrome: at full weight its labelled blocks tilt the model
# towards keeping (site-grouped CV: aeb-dev html F1 0.960 at 1, 0.965 at 0.3).
SET_WEIGHT = {'trafeval-dev': 0.3}


def weight(block):
    """Long blocks count more, as the token scores count them, but not in
    proportion: a one-word 'Share' line is a snippet of its own."""
    return (1 + block['words']) ** 0.5 * SET_WEIGHT.get(block['set'], 1.0)


MIN_SITES = 2          # a feature seen on fewer sites says nothing of others


def shared_features(blocks):
    """The features seen on at least MIN_SITES sites: one site's class
    names and boilerplate are what a model must not learn."""
    sites = collections.defaultdict(set)
    for b in blocks:
        for f in b['features']:
            if len(sites[f]) < MIN_SITES:
                sites[f].add(b['group'])
    return {f for f, g in sites.items() if len(g) >= MIN_SITES}


def fit_stage1(blocks, c_reg):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    keep = shared_features(blocks)
    vec = DictVectorizer(dtype=float, sort=True)
    x = vec.fit_transform(collections.Counter(f for f in b['features'] if f in keep)
                          for b in blocks)
    y = [b['label'] for b in blocks]
    clf = LogisticRegression(C=c_reg, solver='liblinear', random_state=SEED, max_iter=1000)
    clf.fit(x, y, sample_weight=[weight(b) for b in blocks])
    return vec, clf


def predict_stage1(model, blocks):
    vec, clf = model
    x = vec.transform(collections.Counter(b['features']) for b in blocks)
    return clf.predict_proba(x)[:, 1]


# The second stage (cleaner/block_features.h, cl_block_stage2_features):
# the same features, computed the same way as the C code does.
STAGE1_KEEP = 0.5
STAGE2_WINDOW = 3
STAGE2_WIDE = 10
STAGE2_BODY_WORDS = 10
FORMAT_LETTER = {'f=html': 'H', 'f=markdown': 'M', 'f=text': 'T'}


def stage2_page(page, p):
    """The second stage's features of each block of one page (its blocks in
    order, p their first-stage probabilities)."""
    n = len(page)
    w = [b['words'] + 1.0 for b in page]
    total = sum(w)
    doc_mean = sum(wi * pi for wi, pi in zip(w, p)) / total if total else 0.5
    kept = [j for j in range(n) if p[j] >= STAGE1_KEEP and page[j]['words'] >= STAGE2_BODY_WORDS]
    first, last = (kept[0], kept[-1]) if kept else (1, 0)
    out = []
    for i, b in enumerate(page):
        letter = next((FORMAT_LETTER[f] for f in b['features'] if f in FORMAT_LETTER), 'T')
        feats = collections.Counter()

        def ev(name, v):
            feats[name] += v
            feats[f'2:{letter}|{name[2:]}'] += v
        q = min(max(p[i], 1e-4), 1 - 1e-4)
        ev('2:bias', 1.0)
        ev('2:logit', min(max(math.log(q / (1 - q)), -8.0), 8.0))
        if i >= 1:
            ev('2:prev', p[i - 1])
        else:
            ev('2:prev-edge', 1.0)
        if i + 1 < n:
            ev('2:next', p[i + 1])
        else:
            ev('2:next-edge', 1.0)
        if i >= 2:
            ev('2:prev2', p[i - 2])
        if i + 2 < n:
            ev('2:next2', p[i + 2])
        for name, width in (('2:win', STAGE2_WINDOW), ('2:wide', STAGE2_WIDE)):
            js = [j for j in range(max(0, i - width), min(n, i + width + 1)) if j != i]
            ww = sum(w[j] for j in js)
            ev(name, sum(w[j] * p[j] for j in js) / ww if ww else 0.5)
        ev('2:doc', doc_mean)
        if b['proposed'] == 'keep':
            ev('2:proposed', 1.0)
        if first < i < last:
            ev('2:between', 1.0)
        out.append(feats)
    return out


def pages_of(blocks):
    """The blocks grouped by page and path, each page's in order."""
    pages = collections.defaultdict(list)
    for b in blocks:
        pages[(b['set'], b['path'], b['page'])].append(b)
    for page in pages.values():
        page.sort(key=lambda b: b['index'])
    return pages


def first_stage_probs(model, blocks):
    """p for every block: the model's for those it scores, the decision for
    final ones."""
    scored = [b for b in blocks if not b['final']]
    for b, p in zip(scored, predict_stage1(model, scored) if scored else []):
        b['p1'] = float(p)
    for b in blocks:
        if b['final']:
            b['p1'] = 1.0 if b['proposed'] == 'keep' else 0.0


def stage2_rows(blocks):
    """(block, stage-2 features) for every block, from their 'p1'."""
    rows = []
    for page in pages_of(blocks).values():
        for b, f in zip(page, stage2_page(page, [x['p1'] for x in page])):
            rows.append((b, f))
    return rows


def trainable(blocks):
    return [b for b in blocks if b.get('label') is not None and not b['final']]


def fit(blocks, c_reg, inner_folds=4):
    """Both stages on these blocks (all of their pages' blocks, labelled or
    not).  The second stage learns from first-stage probabilities the first
    stage did not see the labels of: out-of-fold, site-grouped."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    fold = folds_of(blocks, inner_folds)
    for k in range(inner_folds):
        inner = fit_stage1(trainable([b for b in blocks if fold[b['group']] != k]), c_reg)
        first_stage_probs(inner, [b for b in blocks if fold[b['group']] == k])
    rows = [(b, f) for b, f in stage2_rows(blocks) if b.get('label') is not None and not b['final']]
    vec2 = DictVectorizer(dtype=float, sort=True)
    x = vec2.fit_transform(f for _, f in rows)
    clf2 = LogisticRegression(C=c_reg, solver='liblinear', random_state=SEED, max_iter=1000,
                              fit_intercept=False)
    clf2.fit(x, [b['label'] for b, _ in rows], sample_weight=[weight(b) for b, _ in rows])
    return fit_stage1(trainable(blocks), c_reg), (vec2, clf2)


def predict(model, blocks):
    """Final probabilities of the blocks (whole pages): both stages."""
    stage1, (vec2, clf2) = model
    first_stage_probs(stage1, blocks)
    rows = stage2_rows(blocks)
    probs = clf2.predict_proba(vec2.transform(f for _, f in rows))[:, 1]
    for (b, _), p in zip(rows, probs):
        b['p'] = b['p1'] if b['final'] else float(p)
    return [b['p'] for b in blocks]


def write_model(path, model, thresholds, note):
    (vec, clf), (vec2, clf2) = model
    lines = [MODEL_HEADER, f'# {note}']
    for fmt, (drop_t, keep_t) in sorted(thresholds.items()):
        lines += [f'drop_threshold.{fmt} {drop_t:.3f}', f'keep_threshold.{fmt} {keep_t:.3f}']
    lines.append(f'bias {clf.intercept_[0]:.6g}')
    nsettings = len(lines)
    weights = list(zip(vec.get_feature_names_out(), clf.coef_[0]))
    weights += list(zip(vec2.get_feature_names_out(), clf2.coef_[0]))
    for name, w in sorted(weights):
        if abs(w) >= 1e-4 and ' ' not in name:
            lines.append(f'{name} {w:.6g}')
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    os.replace(tmp, path)
    return len(lines) - nsettings


def labelled(sets, blocks):
    """Sets each block's 'label' (1, 0 or None); returns how many have one."""
    gold = Gold(sets)
    n = 0
    for b in blocks:
        b['label'] = gold.label(b)
        n += b['label'] is not None
    return n


def block_figures(blocks, probs, threshold):
    """Word-weighted precision, recall and F1 of the labelled blocks kept."""
    tp = fp = fn = 0
    for b, p in zip(blocks, probs):
        if b.get('label') is None:
            continue
        w = b['words']
        if p >= threshold:
            tp += w * b['label']
            fp += w * (1 - b['label'])
        else:
            fn += w * b['label']
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0


# Searched from the most conservative pair (0: the model never drops a
# block the proposals kept; 1: it never keeps one they dropped), and F1
# compared to three decimals, so that a pair must do better to be chosen.
DROP_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
KEEP_GRID = (1.0, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5)
# The formats the model decides.  HTML is left to its reader's proposals:
# under site-grouped CV through the whole cleaner the model moved HTML F1
# by -0.005 (aeb-dev), +0.005 (readability-dev) and +0.002 (trafeval-dev),
# it kept the navigation cells of a layout table and a newsletter box that
# the reader had dropped (fixtures table_layout.html, news_chrome.html),
# and HTML is where its cost would show against the Gumbo parse.
MODEL_FORMATS = ('markdown', 'text')
# What a threshold pair may lose against the proposals, on any one set: the
# model must not make a set worse (seeds, tuned by hand, stay perfect).
RECALL_SLACK = 0.01
F1_SLACK = 0.005


def block_format(b):
    return next((f[2:] for f in b['features'] if f in FORMAT_LETTER), 'text')


def decided(b, p, drop_t, keep_t):
    if b['final']:
        return b['proposed'] == 'keep'
    return p >= (drop_t if b['proposed'] == 'keep' else keep_t)


def choose_thresholds(blocks, probs):
    """For each format, the (drop, keep) threshold pair with the best mean
    F1 over the sets, among those that lose no set more than RECALL_SLACK of
    the proposals' recall and F1_SLACK of their F1 (out-of-fold
    probabilities: what unseen pages would get).  Returns {format: (drop,
    keep)} and a report."""
    by = collections.defaultdict(lambda: collections.defaultdict(list))
    for b in blocks:
        if b.get('label') is not None:
            by[block_format(b)][b['set']].append(b)
    chosen, report = {'html': (0.0, 1.0)}, []
    for fmt, sets in sorted(by.items()):
        if fmt not in MODEL_FORMATS:
            continue
        base = {s: block_figures(bs, [1.0 if b['proposed'] == 'keep' else 0.0 for b in bs], 0.5)
                for s, bs in sets.items()}
        best = None
        for drop_t in DROP_GRID:
            for keep_t in KEEP_GRID:
                figs = {s: block_figures(bs, [1.0 if decided(b, probs[id(b)], drop_t, keep_t)
                                              else 0.0 for b in bs], 0.5)
                        for s, bs in sets.items()}
                loss = max(max(base[s][1] - figs[s][1] - RECALL_SLACK,
                               base[s][2] - figs[s][2] - F1_SLACK) for s in sets)
                mean_f1 = round(sum(f[2] for f in figs.values()) / len(figs), 3)
                key = (loss <= 0, mean_f1 if loss <= 0 else -loss)
                if best is None or key > best[0]:
                    best = (key, drop_t, keep_t, figs)
        chosen[fmt] = (best[1], best[2])
        for s in sorted(sets):
            report.append(f'thresholds {fmt:8} drop<{best[1]:.2f} keep>={best[2]:.2f}  {s:16} '
                          f'model P {best[3][s][0]:.3f} R {best[3][s][1]:.3f} F1 {best[3][s][2]:.3f}'
                          f'   proposals P {base[s][0]:.3f} R {base[s][1]:.3f} F1 {base[s][2]:.3f}')
    return chosen, report


def folds_of(blocks, k):
    """Site-grouped folds: each group's pages all in one fold, the groups
    dealt largest first to the fold with the fewest blocks (deterministic,
    balanced)."""
    sizes = collections.Counter(b['group'] for b in blocks)
    load = [0] * k
    fold = {}
    for g, n in sorted(sizes.items(), key=lambda t: (-t[1], t[0])):
        f = min(range(k), key=lambda i: (load[i], i))
        fold[g] = f
        load[f] += n
    return fold


# ---------------------------------------------------------------- commands

def gather(a):
    sets = quality.load_sets(a.shared, a.sets.split(',') if a.sets else None)
    with tempfile.TemporaryDirectory(prefix='train.') as work:
        blocks = collect(a, sets, work)
    n = labelled(sets, blocks)
    pos = sum(1 for b in blocks if b['label'] == 1)
    sys.stderr.write(f'train: {len(blocks)} blocks, {n} labelled '
                     f'({pos} article, {n - pos} not)\n')
    return blocks


def out_of_fold(blocks, k, c_reg, fold_dir=None):
    """Site-grouped k-fold: each block's probability from the model of the
    folds its site is not in.  Writes each fold's model (thresholds 0.5) to
    fold_dir when given.  Returns ({id(block): p}, {group: fold})."""
    fold = folds_of(blocks, k)
    probs = {}
    for f in range(k):
        model = fit([b for b in blocks if fold[b['group']] != f], c_reg)
        held = [b for b in blocks if fold[b['group']] == f]
        for b, p in zip(held, predict(model, held)):
            probs[id(b)] = p
        if fold_dir:
            write_model(os.path.join(fold_dir, f'fold{f}.model'), model, {},
                        f'fold {f} of {k}, site-grouped')
    return probs, fold


def cmd_fit(a):
    blocks = gather(a)
    probs, _ = out_of_fold(blocks, a.folds, a.C)
    thresholds, report = choose_thresholds(blocks, probs)
    for line in report:
        print(line)
    model = fit(blocks, a.C)
    n = write_model(a.out, model, thresholds,
                    f'make train: {sum(b["label"] is not None for b in blocks)} labelled '
                    f'blocks, C={a.C}, seed {SEED}, thresholds from {a.folds}-fold '
                    f'site-grouped cross-validation')
    print(f'train: {a.out}: {n} weights')


def cmd_cv(a):
    """Fold models for bench-quality.py --pred-cmd, with the thresholds the
    out-of-fold probabilities choose (six numbers chosen on all folds: the
    only figures of a fold model its held-out pages had a say in)."""
    blocks = gather(a)
    os.makedirs(a.dir, exist_ok=True)
    probs, fold = out_of_fold(blocks, a.folds, a.C, a.dir)
    thresholds, report = choose_thresholds(blocks, probs)
    for line in report:
        print(line)
    for f in range(a.folds):
        path = os.path.join(a.dir, f'fold{f}.model')
        with open(path, encoding='utf-8') as fh:
            lines = fh.read().split('\n')
        settings = [f'drop_threshold.{fmt} {d:.3f}\nkeep_threshold.{fmt} {k:.3f}'
                    for fmt, (d, k) in sorted(thresholds.items())]
        with open(path, 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(lines[:2] + settings + lines[2:]))
    with open(os.path.join(a.dir, 'folds.json'), 'w', encoding='utf-8') as f:
        json.dump(fold, f, indent=0, sort_keys=True)
    with open(os.path.join(a.dir, 'oof.json'), 'w', encoding='utf-8') as f:
        json.dump([[b['set'], b['path'], b['page'], b['index'], b['words'], b['label'],
                    b['proposed'], b['final'], round(probs[id(b)], 4)] for b in blocks], f)


def cmd_predict(a):
    """--pred-cmd of bench-quality.py: SET PATH IN PAGES OUT."""
    fold = {}
    if a.dir != 'none':
        with open(os.path.join(a.dir, 'folds.json'), encoding='utf-8') as f:
            fold = json.load(f)
    with open(a.pages_json, encoding='utf-8') as f:
        manifest = json.load(f)
    sets = quality.load_sets(a.shared, [manifest['set']])
    ds = sets[manifest['set']]
    pages = {p.id: p for p in ds.pages}
    by_fold = collections.defaultdict(list)
    for e in manifest['pages']:
        g = group_of(ds, pages[e['id']])
        by_fold[fold.get(g, 0)].append(e['name'])
    out = {}
    with tempfile.TemporaryDirectory(prefix='train-predict.') as work:
        for k, names in sorted(by_fold.items()):
            src, dst = os.path.join(work, f'in{k}'), os.path.join(work, f'out{k}')
            os.makedirs(src)
            os.makedirs(dst)
            for n in names:  # the cleaner refuses symbolic links in its input
                shutil.copyfile(os.path.join(a.in_dir, n), os.path.join(src, n))
            model = 'none' if a.dir == 'none' else os.path.join(a.dir, f'fold{k}.model')
            cmd = [a.cleaner, '--once', '-c', a.config, '-f', 'json', '--model', model,
                   '-i', src, '-o', dst, '-j', str(a.jobs)]
            subprocess.run(cmd, capture_output=True, timeout=1800)
            for n in names:
                path = os.path.join(dst, n + '.json')
                if os.path.isfile(path):
                    with open(path, encoding='utf-8') as f:
                        doc = json.load(f)
                    body = doc.get('body') or ''
                    if ds.kind == 'seeds' and doc.get('title'):
                        body = doc['title'] + '\n\n' + body
                    out[n] = body
                else:
                    out[n] = None
    with open(a.out_json, 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--features', default=os.path.join(REPO, 'build', 'cleaner-features'))
    ap.add_argument('--cleaner', default=os.path.join(REPO, 'build', 'cleaner'))
    ap.add_argument('--config', default=os.path.join(REPO, 'config', 'cleaner.conf'))
    ap.add_argument('--shared', default=quality.SHARED)
    ap.add_argument('--sets', help='comma-separated (default: every set found)')
    ap.add_argument('-C', type=float, default=C_REG)
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--set-weight', action='append', default=[], metavar='SET=W')
    ap.add_argument('-j', '--jobs', type=int, default=os.cpu_count() or 1)
    sub = ap.add_subparsers(dest='cmd', required=True)
    f = sub.add_parser('fit')
    f.add_argument('--out', default=os.path.join(REPO, 'config', 'model', 'blocks.model'))
    c = sub.add_parser('cv')
    c.add_argument('--dir', required=True)
    p = sub.add_parser('predict')
    p.add_argument('dir')
    p.add_argument('set')
    p.add_argument('path')
    p.add_argument('in_dir')
    p.add_argument('pages_json')
    p.add_argument('out_json')
    return ap.parse_args()


def main():
    a = parse_args()
    for sw in a.set_weight:
        name, w = sw.split('=')
        SET_WEIGHT[name] = float(w)
    {'fit': cmd_fit, 'cv': cmd_cv, 'predict': cmd_predict}[a.cmd](a)
    return 0


if __name__ == '__main__':
    sys.exit(main())
