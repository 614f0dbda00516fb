# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="clean rules config"]
#
# libFuzzer targets in fuzz/, built with clang into build/fuzz: the library
# objects with -fsanitize=fuzzer-no-link (coverage only), each target with
# -fsanitize=fuzzer, all under ASan and UBSan.  `make fuzz` seeds a corpus
# per target (build/fuzz/corpus/<target>, kept between runs) and runs each
# target in turn for FUZZ_SECONDS, one process at a time, niced: the machine
# is shared.  Crashes land in build/fuzz/artifacts/; a fixed one becomes a
# file in fixtures/regressions/.
#
# The config target is built only once daemon/config.c and what it needs
# compile; `make fuzz-build` builds whatever can be built.

FUZZ_BUILD   := build/fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE $(WARN) -O1 -g $(FUZZ_SAN) \
                -Icleaner -Idaemon $(PKG_CFLAGS) \
                -DCLEANER_VERSION='"$(VERSION)"' -DCLEANER_SYSCONFDIR='"$(SYSCONFDIR)"' \
                -MMD -MP -DFUZZ_REPO='"$(CURDIR)"'
# 128 KiB: past the detector's 64 KiB sniff window, small enough for a few
# hundred runs a second.
FUZZ_OPTS    ?= -rss_limit_mb=2048 -timeout=10 -max_len=131072
FUZZ_NICE    ?= nice -n 10
# CPU time of each run, the figure the issue asks for.
FUZZ_TIME    := $(if $(wildcard /usr/bin/time),/usr/bin/time -f "fuzz: %U s user + %S s system CPU in %e s wall")

FUZZ_LIB_OBJ    := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o) $(LIB_CXX_SRC:%.cc=$(FUZZ_BUILD)/%.o)
FUZZ_DAEMON_OBJ := $(DAEMON_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIB        := $(FUZZ_BUILD)/libcleaner.a
FUZZ_LIBDAEMON  := $(FUZZ_BUILD)/libdaemon.a

FUZZ_TARGETS ?= clean rules $(if $(wildcard daemon/config.c),config) warc jsonl

# Seeds: the fixtures, the shared seeds, a few aeb-dev pages, the rule files.
FUZZ_AEB_PAGES := $(wordlist 1,6,$(sort $(wildcard ../shared/aeb-dev/html/*.html.gz)))
FUZZ_SEEDS_clean  := $(shell find fixtures -type f 2>/dev/null) $(wildcard ../shared/seeds/*.txt fuzz/seeds/clean/*)
FUZZ_SEEDS_rules  := $(wildcard config/rules/*.rules fuzz/seeds/rules/*)
FUZZ_SEEDS_config := $(wildcard config/*.conf fuzz/seeds/config/*)
# The record readers: the shared WARC samples and small hand-made records.
FUZZ_SEEDS_warc   := $(wildcard ../shared/warc-samples/*.warc* fuzz/seeds/warc/*)
FUZZ_SEEDS_jsonl  := $(wildcard fuzz/seeds/jsonl/*)

.PHONY: fuzz fuzz-build fuzz-corpus
fuzz: fuzz-build fuzz-corpus
	@for t in $(FUZZ_TARGETS); do \
	    echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	    mkdir -p $(FUZZ_BUILD)/artifacts; \
	    $(FUZZ_TIME) $(FUZZ_NICE) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_OPTS) \
	        -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t- \
	        $(FUZZ_BUILD)/corpus/$$t || exit 1; \
	done

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz-corpus:
	@mkdir -p $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/corpus/%)
	@for f in $(FUZZ_SEEDS_clean); do \
	    cp -f "$$f" $(FUZZ_BUILD)/corpus/clean/seed-$$(basename "$$f"); done
	@for f in $(FUZZ_AEB_PAGES); do \
	    gzip -dc "$$f" > $(FUZZ_BUILD)/corpus/clean/aeb-$$(basename "$$f" .gz); done
	@if [ -d $(FUZZ_BUILD)/corpus/rules ]; then for f in $(FUZZ_SEEDS_rules); do \
	    cp -f "$$f" $(FUZZ_BUILD)/corpus/rules/seed-$$(basename "$$f"); done; fi
	@if [ -d $(FUZZ_BUILD)/corpus/config ]; then for f in $(FUZZ_SEEDS_config); do \
	    cp -f "$$f" $(FUZZ_BUILD)/corpus/config/seed-$$(basename "$$f"); done; fi
	@if [ -d $(FUZZ_BUILD)/corpus/warc ]; then for f in $(FUZZ_SEEDS_warc); do \
	    cp -f "$$f" $(FUZZ_BUILD)/corpus/warc/seed-$$(basename "$$f"); done; fi
	@if [ -d $(FUZZ_BUILD)/corpus/jsonl ]; then for f in $(FUZZ_SEEDS_jsonl); do \
	    cp -f "$$f" $(FUZZ_BUILD)/corpus/jsonl/seed-$$(basename "$$f"); done; fi

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# The C++ wrapper of libcld2 (lang_cld2.h), instrumented like the rest.
$(FUZZ_BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CC)++ -std=c++11 -Wall -Wextra -Werror -O1 -g $(FUZZ_SAN) -Icleaner -MMD -MP \
	    -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_LIBDAEMON): $(FUZZ_DAEMON_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_clean: fuzz/fuzz_clean.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LIB_LIBS)

$(FUZZ_BUILD)/fuzz_rules: fuzz/fuzz_rules.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LIB_LIBS)

$(FUZZ_BUILD)/fuzz_config: fuzz/fuzz_config.c $(FUZZ_LIBDAEMON) $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBDAEMON) $(FUZZ_LIB) \
	    $(DAEMON_LIBS) $(LIB_LIBS)

# The record readers (warc.h, http.h, jsonl.h): daemon code, no cleaner.
$(FUZZ_BUILD)/fuzz_warc $(FUZZ_BUILD)/fuzz_jsonl: $(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c \
        $(FUZZ_LIBDAEMON) $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBDAEMON) $(FUZZ_LIB) \
	    $(DAEMON_LIBS) $(LIB_LIBS)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_DAEMON_OBJ:.o=.d)
