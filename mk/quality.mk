# make bench-quality: article-extraction F1 on ../shared/aeb-dev (issue 3).
# Prints aeb_score.py's line: F1, precision, recall, accuracy.  Bar: F1 >= 0.96.
# BENCH_QUALITY_FLAGS=--per-doc lists every page, worst first.
.PHONY: bench-quality
bench-quality: $(BIN)
	@python3 scripts/bench-quality.py --cleaner $(BIN) $(BENCH_QUALITY_FLAGS)
