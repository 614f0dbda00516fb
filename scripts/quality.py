"""Data sets, input paths and scorers behind `make bench-quality` (issue 13).

One module so that the bench and anything else that predicts article text
(the trainable model's cross-validation, say) are scored the same way:

    import quality
    sets = quality.load_sets()                     # every set in ../shared
    ds = sets['aeb-dev']
    names = quality.stage_inputs(ds, 'md', 'IN')   # page id -> file in IN
    texts = {...}                                  # page id -> text or None
    result = quality.score(ds, texts)
    print(quality.format_line(ds, 'md', result))

A set is a list of pages with gold data and one scorer from ../shared/bench:
aeb-dev and readability-dev (aeb_score.py: shingle F1 of the article
body), trafeval-dev (segscore.py: 'with'/'without' snippets found in the
text) and seeds (textscore.py: keep/drop snippets in the text output).

A path is the form the pages reach the cleaner in.  Each HTML page is also
flattened to Markdown by pandoc and to plain text by w3m, because scrapers
hand us all three and the cleaner must generalise across them; the
flattened files are cached under build/quality-cache/SET/PATH/, keyed by
the converter's command and version, as pandoc takes about a second a page.
"""
import concurrent.futures
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), 'shared')
CACHE = os.path.join(REPO, 'build', 'quality-cache')

# The extension each path's inputs get: the cleaner decides the format from
# the content first and uses the name only to break ties (cleaner/detect.h),
# so the right extension keeps a borderline page on its path.
EXTENSIONS = {'html': '.html', 'md': '.md', 'text': '.txt'}
# The "format" the cleaner's JSON reports for a page read on each path.
FORMATS = {'html': 'html', 'md': 'markdown', 'text': 'text'}

# The converters.  pandoc: without native divs the HTML reader keeps their
# content but not the tags, which gfm-raw_html would otherwise still print
# as <div> lines (pandoc 2.17; spans do not leak, and -native_spans makes
# it fail on Wikipedia's citation spans); no wrapping, as scraped Markdown
# has one paragraph a line; UNWRAP_TABLES for layout tables.  w3m: a fixed
# width.  {home} is a fresh folder, the tools' HOME: no user configuration.
CONVERTERS = {
    'md': ['pandoc', '-f', 'html-native_divs', '-t', 'gfm-raw_html', '--wrap=none',
           '--lua-filter={home}/unwrap-tables.lua'],
    'text': ['w3m', '-dump', '-T', 'text/html', '-I', 'UTF-8', '-O', 'UTF-8', '-cols', '80'],
}
# Without raw HTML, pandoc's gfm writer prints a table it cannot make a pipe
# table of (a cell with several blocks or line breaks, a span) as the one
# word "[TABLE]": a page laid out in a table would reach the cleaner with no
# article at all (43 pages of the three sets).  This filter prints such a
# table's cells' blocks in reading order instead, as a layout table reads.
UNWRAP_TABLES = r"""
local function plain_cell(cell)
  local c = cell.contents
  if cell.row_span ~= 1 or cell.col_span ~= 1 then return false end
  if #c == 0 then return true end
  if #c > 1 or (c[1].t ~= 'Plain' and c[1].t ~= 'Para') then return false end
  for _, inl in ipairs(c[1].content) do
    if inl.t == 'LineBreak' then return false end
  end
  return true
end

local function all_rows(tbl)
  local out = {}
  local function add(rows) for _, r in ipairs(rows) do out[#out + 1] = r end end
  add(tbl.head.rows)
  for _, b in ipairs(tbl.bodies) do add(b.head); add(b.body) end
  add(tbl.foot.rows)
  return out
end

function Table(tbl)
  local rows = all_rows(tbl)
  for _, r in ipairs(rows) do
    for _, c in ipairs(r.cells) do
      if not plain_cell(c) then
        local blocks = {}
        for _, r2 in ipairs(rows) do
          for _, c2 in ipairs(r2.cells) do
            for _, b in ipairs(c2.contents) do blocks[#blocks + 1] = b end
          end
        end
        return blocks
      end
    end
  end
  return nil
end
"""
# Bump when decode_html or the cache layout changes: the cache is rebuilt.
CONVERT_REVISION = '2'
CONVERT_TIMEOUT = 300  # seconds for one page; pandoc needs ~1 s for 600 kB


@dataclass
class Page:
    """One document: `id` names it in reports and input files, `key` is its
    key in the gold file, `source` the raw file (gzip when it ends in .gz)."""
    id: str
    key: str
    source: str
    url: str = ''
    site: str = ''


@dataclass
class DataSet:
    """A set of pages, its gold file and how it is scored (`kind`: 'aeb',
    'seg' or 'seeds').  `paths` lists the input paths it is measured on,
    the one its pages come in first."""
    name: str
    kind: str
    gold_path: str
    pages: list
    paths: tuple
    gold: object = field(repr=False, default=None)
    bench: str = os.path.join(SHARED, 'bench')

    @property
    def native(self):
        """The path the pages come in: the others are flattened from it."""
        return self.paths[0]


@dataclass
class Result:
    """A scored run: `metrics` as (label, value) in print order, `per_doc`
    as (score, page id) pairs, `empty` the ids with no text where the gold
    has some, `failed` the ids with no prediction at all, `blank` the ids
    whose flattened input lost the article (see blank_inputs)."""
    metrics: list
    per_doc: list
    empty: list
    failed: list
    pages: int
    formats: dict = field(default_factory=dict)
    blank: list = field(default_factory=list)


# ---------------------------------------------------------------- the sets

def _site(url):
    """The host of a URL, without 'www.': what site-grouped folds group on."""
    host = urllib.parse.urlsplit(url.strip()).hostname or ''
    return host[4:] if host.startswith('www.') else host


def _load_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def _aeb_layout(name, root):
    """aeb-dev and readability-dev: html/ID.html.gz and ground-truth.json."""
    gold_path = os.path.join(root, 'ground-truth.json')
    gold = _load_json(gold_path)
    pages = []
    for fname in sorted(os.listdir(os.path.join(root, 'html'))):
        if fname.endswith('.html.gz'):
            pid = fname[:-len('.html.gz')]
            g = gold.get(pid) or {}
            url = g.get('url', '')
            pages.append(Page(pid, pid, os.path.join(root, 'html', fname), url,
                              _site(url) or g.get('siteName') or ''))
    return DataSet(name, 'aeb', gold_path, pages, ('html', 'md', 'text'), gold)


def _trafeval_layout(name, root):
    """trafeval-dev: evaldata.json keyed by URL, each naming html/FILE.gz."""
    gold_path = os.path.join(root, 'evaldata.json')
    gold = _load_json(gold_path)
    pages = []
    for key in sorted(gold):
        fname = gold[key]['file']
        pid = fname[:-len('.html')] if fname.endswith('.html') else fname
        url = key if '://' in key else ''  # 'hard::FILE' keys name no URL
        pages.append(Page(pid, key, os.path.join(root, 'html', fname + '.gz'), url, _site(url)))
    pages.sort(key=lambda p: p.id)
    return DataSet(name, 'seg', gold_path, pages, ('html', 'md', 'text'), gold)


def _seeds_layout(name, root):
    """seeds: plain-text articles NAME.txt and seeds-gold.json."""
    gold_path = os.path.join(root, 'seeds-gold.json')
    gold = _load_json(gold_path)
    pages = [Page(os.path.splitext(item['file'])[0], item['file'],
                  os.path.join(root, item['file'])) for item in gold]
    pages.sort(key=lambda p: p.id)
    return DataSet(name, 'seeds', gold_path, pages, ('text',), gold)


LAYOUTS = {
    'aeb-dev': _aeb_layout,
    'readability-dev': _aeb_layout,
    'trafeval-dev': _trafeval_layout,
    'seeds': _seeds_layout,
}


def load_sets(shared=SHARED, names=None):
    """The data sets found under `shared` (all of LAYOUTS unless `names`),
    in LAYOUTS order; a set whose folder is missing is left out."""
    sets = {}
    for name, layout in LAYOUTS.items():
        root = os.path.join(shared, name)
        if (names is None or name in names) and os.path.isdir(root):
            sets[name] = layout(name, root)
            sets[name].bench = os.path.join(shared, 'bench')
    return sets


# ---------------------------------------------------------------- the inputs

def read_source(page):
    """The page's raw bytes, decompressed."""
    opener = gzip.open if page.source.endswith('.gz') else open
    with opener(page.source, 'rb') as f:
        return f.read()


CHARSET = re.compile(rb'<meta[^>]+charset\s*=\s*["\']?\s*([A-Za-z0-9_.:-]+)', re.I)


def decode_html(raw):
    """The page as text for the converters, which read UTF-8 only: UTF-8 when
    it is valid, else the charset its <meta> declares, else windows-1252
    (which the HTML standard reads ISO-8859-1 as).  Always the same text for
    the same bytes, so conversions are deterministic."""
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        pass
    m = CHARSET.search(raw[:8192])
    declared = m.group(1).decode('ascii').lower() if m else 'windows-1252'
    if declared in ('iso-8859-1', 'latin1', 'latin-1', 'us-ascii', 'ascii'):
        declared = 'windows-1252'
    try:
        return raw.decode(declared, errors='replace')
    except LookupError:
        return raw.decode('windows-1252', errors='replace')


def _tool_env(home):
    """A fixed environment: no user configuration, UTF-8 locale."""
    return {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': home,
            'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8'}


def converter_command(path, home):
    """The converter of `path` run with `home` as its HOME and files."""
    return [arg.replace('{home}', home) for arg in CONVERTERS[path]]


def converter_stamp(path):
    """What a cache folder is keyed by: the command, the tool's version, the
    table filter and CONVERT_REVISION.  A cache with another stamp is rebuilt."""
    tool = CONVERTERS[path][0]
    try:
        out = subprocess.run([tool, '-version' if tool == 'w3m' else '--version'],
                             capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        sys.exit(f'bench-quality: {tool} is missing: run scripts/install-deps.sh')
    stamp = {'cmd': CONVERTERS[path], 'version': (out.splitlines() or ['?'])[0],
             'revision': CONVERT_REVISION}
    if any('unwrap-tables.lua' in arg for arg in CONVERTERS[path]):
        stamp['filter'] = hashlib.sha256(UNWRAP_TABLES.encode()).hexdigest()
    return json.dumps(stamp)


def _convert_one(page, path, dest, home):
    """Flatten one page with the path's converter into `dest` (atomically, so
    an interrupted run leaves no half file in the cache)."""
    html = decode_html(read_source(page)).encode('utf-8')
    cmd = converter_command(path, home)
    r = subprocess.run(cmd, input=html, capture_output=True, env=_tool_env(home),
                       timeout=CONVERT_TIMEOUT)
    if r.returncode != 0:
        raise RuntimeError(f'{cmd[0]} failed on {page.source}: '
                           f'{r.stderr.decode("utf-8", "replace").strip()}')
    tmp = dest + '.part'
    with open(tmp, 'wb') as f:
        f.write(r.stdout)
    os.replace(tmp, dest)


def _fresh_cache(folder, stamp):
    """Make `folder` a cache for `stamp`, emptying it if it held another."""
    stamp_path = os.path.join(folder, '.stamp')
    if os.path.isdir(folder):
        try:
            with open(stamp_path, encoding='utf-8') as f:
                same = f.read() == stamp
        except FileNotFoundError:
            same = False
        if not same:
            shutil.rmtree(folder)
    os.makedirs(folder, exist_ok=True)
    with open(stamp_path, 'w', encoding='utf-8') as f:
        f.write(stamp)


def ensure_cache(ds, path, cache=CACHE, jobs=None):
    """The cache folder of `ds` on a flattened `path`, with every page's file
    present: missing ones are converted, `jobs` at a time."""
    folder = os.path.join(cache, ds.name, path)
    _fresh_cache(folder, converter_stamp(path))
    todo = [p for p in ds.pages if not os.path.isfile(os.path.join(folder, input_name(p, path)))]
    if not todo:
        return folder
    sys.stderr.write(f'bench-quality: flattening {len(todo)} pages of {ds.name} '
                     f'to {path} with {CONVERTERS[path][0]}\n')
    with tempfile.TemporaryDirectory(prefix='bench-quality-home.') as home, \
            concurrent.futures.ThreadPoolExecutor(jobs or os.cpu_count()) as pool:
        with open(os.path.join(home, 'unwrap-tables.lua'), 'w', encoding='utf-8') as f:
            f.write(UNWRAP_TABLES)
        futures = [pool.submit(_convert_one, p, path,
                               os.path.join(folder, input_name(p, path)), home)
                   for p in todo]
        for fut in futures:
            fut.result()
    return folder


def input_name(page, path):
    """The file name a page has on a path: its id and the path's extension."""
    return page.id + EXTENSIONS[path]


def stage_inputs(ds, path, dest, cache=CACHE, jobs=None):
    """Write every page of `ds`, on `path`, into folder `dest` as
    input_name(page, path).  Returns {page id: file name}.  Copies, not
    links: the cleaner refuses symbolic links."""
    os.makedirs(dest, exist_ok=True)
    names = {p.id: input_name(p, path) for p in ds.pages}
    if path != ds.native:
        folder = ensure_cache(ds, path, cache, jobs)
        for p in ds.pages:
            shutil.copyfile(os.path.join(folder, names[p.id]), os.path.join(dest, names[p.id]))
    else:
        for p in ds.pages:
            with open(os.path.join(dest, names[p.id]), 'wb') as f:
                f.write(read_source(p))
    return names


WORD = re.compile(r'\w+')
BLANK_WORDS = 10  # an input this short has no article left in it


def _gold_words(ds, page):
    """How many words the gold expects from the page."""
    if ds.kind == 'aeb':
        text = (ds.gold.get(page.key) or {}).get('articleBody', '')
    elif ds.kind == 'seg':
        text = ' '.join(ds.gold[page.key]['with'])
    else:
        text = ' '.join(next(i for i in ds.gold if i['file'] == page.key)['keep'])
    return len(WORD.findall(text))


def blank_inputs(ds, path, folder, names):
    """The pages that a converter emptied: fewer than BLANK_WORDS words left
    in the flattened input though the gold expects more.  Their low scores
    are the converter's (pandoc dropping a page whose <noscript> sits in
    <head>, w3m one whose <body> has a Vue attribute), not the cleaner's."""
    if path == ds.native:
        return []
    blank = []
    for p in ds.pages:
        with open(os.path.join(folder, names[p.id]), encoding='utf-8', errors='replace') as f:
            words = len(WORD.findall(f.read()))
        if words < BLANK_WORDS <= _gold_words(ds, p):
            blank.append(p.id)
    return blank


def write_manifest(ds, path, names, dest):
    """pages.json for an outside predictor: one entry per page with its
    input file name, id, gold key, URL and site (for site-grouped folds;
    both '' where the set does not say)."""
    entries = [{'name': names[p.id], 'id': p.id, 'key': p.key, 'url': p.url, 'site': p.site}
               for p in ds.pages]
    with open(dest, 'w', encoding='utf-8') as f:
        json.dump({'set': ds.name, 'path': path, 'pages': entries}, f,
                  ensure_ascii=False, indent=1)


# ---------------------------------------------------------------- the scorers

def _scorer(ds, name):
    """A scorer of ../shared/bench, imported for its per-document helpers."""
    if ds.bench not in sys.path:
        sys.path.insert(0, ds.bench)
    return __import__(name)


def _run_scorer(args):
    """The closing line a scorer prints, run as its own program so the
    headline numbers are exactly the scorer's."""
    r = subprocess.run([sys.executable] + args, capture_output=True, text=True, timeout=600)
    lines = r.stdout.strip().splitlines()
    if r.returncode != 0 or not lines:
        sys.exit(f'bench-quality: {" ".join(args)} failed: {r.stderr.strip()}')
    return lines[-1]


def _numbers(line, labels):
    """{label: value} for each 'label value' pair in a scorer's line."""
    return {lab: re.search(re.escape(lab) + r' (\S+)', line).group(1) for lab in labels}


def _gold_has_text(ds, page):
    """Whether the gold expects some text from the page."""
    g = ds.gold
    if ds.kind == 'aeb':
        return bool((g.get(page.key) or {}).get('articleBody', '').strip())
    if ds.kind == 'seg':
        return bool(g[page.key]['with'])
    item = next(i for i in g if i['file'] == page.key)
    return bool(item['keep'])


def _score_aeb(ds, texts, work):
    """aeb_score.py on {key: {"articleBody": text}}; per page its F1 as
    aeb_score --per-doc computes it."""
    pred = {p.key: {'articleBody': texts.get(p.id) or ''} for p in ds.pages}
    pred_path = os.path.join(work, 'pred.json')
    with open(pred_path, 'w', encoding='utf-8') as f:
        json.dump(pred, f, ensure_ascii=False)
    line = _run_scorer([os.path.join(ds.bench, 'aeb_score.py'), ds.gold_path, pred_path])
    n = _numbers(line, ('F1', 'precision', 'recall', 'accuracy'))
    aeb = _scorer(ds, 'aeb_score')
    per_doc = []
    for p in ds.pages:
        tp, fp, fn = aeb.doc_counts(ds.gold[p.key].get('articleBody', ''), pred[p.key]['articleBody'])
        per_doc.append((2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0, p.id))
    metrics = [('F1', n['F1']), ('P', n['precision']), ('R', n['recall']), ('acc', n['accuracy'])]
    return metrics, per_doc


def _score_seg(ds, texts, work):
    """segscore.py on {URL: text or null}; per page the F1 of its snippets
    (with found = tp, with missing = fn, without found = fp)."""
    pred = {p.key: texts.get(p.id) for p in ds.pages}
    pred_path = os.path.join(work, 'pred.json')
    with open(pred_path, 'w', encoding='utf-8') as f:
        json.dump(pred, f, ensure_ascii=False)
    line = _run_scorer([os.path.join(ds.bench, 'segscore.py'), ds.gold_path, pred_path])
    n = _numbers(line, ('F1', 'precision', 'recall', 'accuracy'))
    norm = _scorer(ds, 'segscore').norm
    per_doc = []
    for p in ds.pages:
        item, out = ds.gold[p.key], norm(pred[p.key] or '')
        tp = sum(norm(w) in out for w in item['with'])
        fp = sum(norm(w) in out for w in item['without'])
        fn = len(item['with']) - tp
        per_doc.append((2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0, p.id))
    metrics = [('F1', n['F1']), ('P', n['precision']), ('R', n['recall']), ('acc', n['accuracy'])]
    return metrics, per_doc


def _score_seeds(ds, texts, work):
    """textscore.py on a folder of the text outputs; per page the share of
    its snippets handled right (keeps present, drops absent)."""
    out_dir = os.path.join(work, 'seeds-out')
    os.makedirs(out_dir, exist_ok=True)
    for p in ds.pages:
        if texts.get(p.id) is not None:
            with open(os.path.join(out_dir, p.key), 'w', encoding='utf-8') as f:
                f.write(texts[p.id])
    line = _run_scorer([os.path.join(ds.bench, 'textscore.py'), ds.gold_path, out_dir])
    n = _numbers(line, ('keep', 'dropped', 'files-perfect', 'markup-left'))
    ts = _scorer(ds, 'textscore')
    per_doc = []
    for p in ds.pages:
        item = next(i for i in ds.gold if i['file'] == p.key)
        raw = texts.get(p.id) or ''
        out, out_nolinks = ts.norm(raw), ts.norm(ts.LINK.sub(r'\1', raw))
        keep = [ts.norm(ts.LINK.sub(r'\1', s)) for s in item['keep']]
        drop = [ts.norm(ts.LINK.sub(r'\1', s)) for s in item['drop']]
        good = sum(s in out for s in keep) + sum(s not in out and s not in out_nolinks for s in drop)
        per_doc.append((good / (len(keep) + len(drop)) if keep or drop else 1.0, p.id))
    metrics = [('keep', n['keep']), ('dropped', n['dropped']),
               ('perfect', n['files-perfect']), ('markup', n['markup-left'])]
    return metrics, per_doc


SCORERS = {'aeb': _score_aeb, 'seg': _score_seg, 'seeds': _score_seeds}


def score(ds, texts, formats=None, blank=None):
    """Score `texts` ({page id: extracted text, or None when the predictor
    failed on it}) with the set's scorer.  For aeb and trafeval sets the
    text is the article body; for seeds, the whole text output (title and
    body), as tests/integration/seeds.sh scores it.  `formats`, when given,
    maps page ids to the format the cleaner read them as; `blank`, the
    ids blank_inputs found."""
    with tempfile.TemporaryDirectory(prefix='bench-quality-score.') as work:
        metrics, per_doc = SCORERS[ds.kind](ds, texts, work)
    empty = [p.id for p in ds.pages
             if texts.get(p.id) is not None and not texts[p.id].strip() and _gold_has_text(ds, p)]
    failed = [p.id for p in ds.pages if texts.get(p.id) is None]
    return Result(metrics, sorted(per_doc), empty, failed, len(ds.pages), formats or {},
                  blank or [])


def score_pred_file(ds, pred_path):
    """Score a prediction made elsewhere: a JSON object mapping page ids (or
    input file names, as stage_inputs names them) to text or null."""
    pred = _load_json(pred_path)
    texts = {}
    for p in ds.pages:
        for k in (p.id, *(input_name(p, path) for path in ds.paths)):
            if k in pred:
                texts[p.id] = pred[k]
                break
    return score(ds, texts)


# ---------------------------------------------------------------- the report

def format_line(ds, path, res):
    """One line: set, path, the scorer's metrics, pages and defects."""
    metrics = '  '.join(f'{lab} {val}' for lab, val in res.metrics)
    notes = [f'{res.pages} pages', f'{len(res.empty)} empty']
    if res.failed:
        notes.append(f'{len(res.failed)} failed')
    if res.blank:
        notes.append(f'{len(res.blank)} blank after {CONVERTERS[path][0]}')
    off = sorted({f for f in res.formats.values() if f and f != FORMATS[path]})
    for fmt in off:
        count = sum(1 for f in res.formats.values() if f == fmt)
        notes.append(f'{count} read as {fmt}')
    return f'{ds.name:<16}{path:<6}{metrics}  ({", ".join(notes)})'


def format_worst(res, lengths, count):
    """The `count` worst pages, one line each: score, text length, format
    the cleaner read it as, id.  Pages with no text are listed first."""
    lines = []
    for s, pid in res.per_doc[:count]:
        n = lengths.get(pid)
        size = 'failed' if n is None else f'{n:6d} ch'
        lines.append(f'    {s:.3f}  {size:>8}  {res.formats.get(pid, ""):<8}  {pid}')
    return lines
