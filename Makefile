# cleaner: boilerplate-stripping text cleaner.
#
#   make          build build/cleaner (-O2 -Wall -Wextra -Werror)
#   make run      install deps, build, clean fixtures/ into out/ with --once
#   make check    install deps, build, run every test (also under ASan/UBSan)
#
# Sources are found by wildcard: a new module in cleaner/ or daemon/, or a new
# tests/unit/test_*.c, needs no edit here.  Extra targets live in mk/*.mk.

BUILD   ?= build
CC      ?= cc
PREFIX  ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
VERSION := 0.1.0

LIB_PKGS    := gumbo md4c libpcre2-8 libhs libutf8proc inih uchardet
DAEMON_PKGS := libinotifytools libsystemd jansson zlib
# libinotifytools ships no .pc file: it is linked by name.
STREAM_PKGS := libsystemd jansson zlib
PKG_CFLAGS  := $(shell pkg-config --cflags $(LIB_PKGS) $(STREAM_PKGS) 2>/dev/null)
# libcld2 (language detection, lang.h) has no .pc file; it is C++, so the
# C++ runtime comes with it.
LIB_LIBS    := $(shell pkg-config --libs $(LIB_PKGS) 2>/dev/null) -lcld2 -lstdc++ -lm
DAEMON_LIBS := -linotifytools $(shell pkg-config --libs $(STREAM_PKGS) 2>/dev/null)

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN_FLAGS) -MMD -MP \
             -Icleaner -Idaemon $(PKG_CFLAGS) \
             -DCLEANER_VERSION='"$(VERSION)"' -DCLEANER_SYSCONFDIR='"$(SYSCONFDIR)"'
# The one C++ file, cleaner/lang_cld2.cc, wraps libcld2 in C linkage.
CXX      ?= c++
ALL_CXXFLAGS = -std=c++11 -Wall -Wextra -Werror -fno-exceptions -fno-rtti $(CFLAGS) \
               $(SAN_FLAGS) -MMD -MP -Icleaner
LDFLAGS  ?=
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

# make SAN=1 BUILD=build/asan: AddressSanitizer + UndefinedBehaviorSanitizer.
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT := -O1
endif

LIB_SRC    := $(wildcard cleaner/*.c)
LIB_CXX_SRC := $(wildcard cleaner/*.cc)
DAEMON_SRC := $(filter-out daemon/main.c,$(wildcard daemon/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(LIB_CXX_SRC:%.cc=$(BUILD)/obj/%.o)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIBCLEANER := $(BUILD)/libcleaner.a
LIBDAEMON  := $(BUILD)/libdaemon.a
BIN        := $(BUILD)/cleaner
FEATURES_BIN := $(BUILD)/cleaner-features

.PHONY: all deps run check unit clean install
all: $(BIN)

deps:
	@./scripts/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(LIBCLEANER): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LIBDAEMON): $(DAEMON_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/daemon/main.o $(LIBDAEMON) $(LIBCLEANER)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DAEMON_LIBS) $(LIB_LIBS)

# The block model's training data (tools/features.c, scripts/train.py).
$(FEATURES_BIN): $(BUILD)/obj/tools/features.o $(LIBDAEMON) $(LIBCLEANER)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DAEMON_LIBS) $(LIB_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBDAEMON) $(LIBCLEANER)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBDAEMON) $(LIBCLEANER) \
	    -lcmocka $(DAEMON_LIBS) $(LIB_LIBS)

run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) --once -i fixtures/raw -o out
	@echo "cleaned fixtures/raw into out/"

unit: $(UNIT_BIN)

# Every test: unit and integration in the optimised build, then both again
# under ASan/UBSan.  scripts/run-tests.sh prints the closing 'N passed, N failed'.
check: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all unit
	@./scripts/run-tests.sh $(BUILD) build/asan

clean:
	rm -rf $(BUILD) out

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSCONFDIR)/cleaner/rules \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cleaner
	# The installed config turns on the service's folders (commented out in
	# the tree, so runs from the source tree never write outside it).
	sed 's|^#input_dir = |input_dir = |; s|^#output_dir = |output_dir = |; s|^#cache_dir = |cache_dir = |' \
	    config/cleaner.conf > $(DESTDIR)$(SYSCONFDIR)/cleaner/cleaner.conf
	chmod 644 $(DESTDIR)$(SYSCONFDIR)/cleaner/cleaner.conf
	install -m 644 config/rules/*.rules $(DESTDIR)$(SYSCONFDIR)/cleaner/rules/
	# The unit names the default paths; point them at PREFIX and SYSCONFDIR.
	sed 's|/usr/local/bin/cleaner|$(PREFIX)/bin/cleaner|g; s|/etc/cleaner/|$(SYSCONFDIR)/cleaner/|g' \
	    systemd/cleaner.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/cleaner.service

-include $(wildcard mk/*.mk)
-include $(LIB_OBJ:.o=.d) $(DAEMON_OBJ:.o=.d) $(BUILD)/obj/daemon/main.d $(UNIT_BIN:=.d)
