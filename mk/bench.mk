# make bench: every speed and memory figure of issue 5, measured in one run.
#
# Figures are printed, never asserted: the machine is shared and noisy, so the
# in-process figures are medians of several passes and the process figures
# medians of repeated runs, each next to its target.  Scratch files go to
# $(BENCH_WORK), removed and remade by each step.
#
#   make bench                   all figures
#   make bench BENCH_PASSES=9    more passes for the in-process figures

BENCH_SHARED ?= ../shared
BENCH_PASSES ?= 5
BENCH_WORK   ?= $(BUILD)/bench-work
BENCH_CLEAN  := $(BUILD)/bench/bench_clean
BENCH_DROPS  := $(BUILD)/bench/drop_latency

.PHONY: bench

$(BENCH_CLEAN): bench/bench_clean.c $(LIBCLEANER)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBCLEANER) $(LIB_LIBS) -lz

$(BENCH_DROPS): bench/drop_latency.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The process figures need build/cleaner and the unit tests; while those do
# not build, their steps say so and the in-process figures still print.
bench: deps $(BENCH_CLEAN) $(BENCH_DROPS)
	@$(MAKE) --no-print-directory all unit >/dev/null 2>&1 || \
	    echo "bench: '$(MAKE) all unit' fails: steps needing $(BIN) or the tests are skipped"
	@echo "== make bench: $$(date -u '+%Y-%m-%d %H:%M UTC'), $$(nproc) cores, load $$(cut -d' ' -f1-3 /proc/loadavg)"
	@$(BENCH_CLEAN) -p $(BENCH_PASSES) -r config/rules \
	    $(BENCH_SHARED)/aeb-dev/html $(BENCH_SHARED)/seeds
	@echo "-- the same text and Markdown with detect_language = false (no CLD2):"
	@for s in text markdown; do $(BENCH_CLEAN) -p $(BENCH_PASSES) -r config/rules -L off -s $$s \
	    $(BENCH_SHARED)/aeb-dev/html $(BENCH_SHARED)/seeds | grep -E '^ +(text|markdown) +:'; done
	@./bench/parallel.sh $(BIN) $(BENCH_SHARED) $(BENCH_WORK)
	@./bench/latency.sh $(BIN) $(BENCH_DROPS) $(BENCH_SHARED) $(BENCH_WORK)
	@./bench/rss.sh $(BIN) $(BENCH_SHARED) $(BENCH_WORK)
	@./bench/leaks.sh $(BUILD)
