# make bench-quality: article-extraction quality on every data set of
# ../shared (aeb-dev, readability-dev, trafeval-dev, seeds) and every input
# path (the HTML as it is, flattened to Markdown by pandoc, to text by w3m),
# one line each (issue 13; scripts/bench-quality.py says what each shows).
# Bar of issue 3: aeb-dev html F1 >= 0.96.  Flattened pages are cached in
# build/quality-cache/ whatever BUILD is (the first run spends ~5 minutes
# in pandoc).
#
#   BENCH_QUALITY_FLAGS="--sets aeb-dev --paths html"   the old single line
#   BENCH_QUALITY_FLAGS=--per-doc      the 10 worst pages of each line
#   BENCH_QUALITY_FLAGS="--pred-cmd CMD"   score another predictor (e.g. the
#                                      model's cross-validated predictions)
.PHONY: bench-quality deps-bench
bench-quality: $(BIN) deps-bench
	@python3 scripts/bench-quality.py --cleaner $(BIN) $(BENCH_QUALITY_FLAGS)

deps-bench:
	@./scripts/install-deps.sh bench

# make bench-meta: title, author and lang against readability-dev's ground
# truth (issue 14), for half A (developed on), half B (unseen sites) and
# all pages; scripts/metascore-run.py says how the halves are made.
#   BENCH_META_FLAGS="--failures title,author"   each failure of half A
.PHONY: bench-meta
bench-meta: $(BIN)
	@python3 scripts/metascore-run.py --cleaner $(BIN) $(BENCH_META_FLAGS)

# make bench-dates: publication-date accuracy on ../shared/dates-dev (issue
# 14), scored by ../shared/bench/datescore.py on the sites of two halves
# split by a hash of the host (scripts/datescore.py) and on all pages.
#   BENCH_DATES_FLAGS="--failures A"   the pages of half A it gets wrong
.PHONY: bench-dates
bench-dates: $(BIN)
	@python3 scripts/datescore.py $(BIN) -j $(shell nproc) $(BENCH_DATES_FLAGS)
