# noticeboard - build, test and run.
#
#   make          build build/noticeboard
#   make run      install what is missing, build, build and publish the demo site
#   make test     install what is missing, build with ASan+UBSan (and TSan), run every test
#   make bench    the performance benchmark
#   make install  install to $(PREFIX) (default /usr/local)
#
# Objects go to build/release, build/asan or build/tsan so the sanitizer
# builds used by the tests never mix with the release binary.

CC       ?= gcc
PREFIX   ?= /usr/local
PKGS     := libcmark-gfm yaml-0.1 libgit2 jansson libmicrohttpd zlib libcrypto libutf8proc libqrencode libcurl
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CSTD     := -std=c17 -D_GNU_SOURCE
# libcurl (`audit URL`) and libmicrohttpd (`serve`) are compiled against
# but not linked: the one module using each loads it when the command
# needs it (generator/util/dynlib.h), because with what they pull in they
# were half of every run's start-up. Their sonames come from the
# development libraries, so what is loaded is what the headers describe.
DYN_PKGS := libcurl libmicrohttpd
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2)" 2>/dev/null | awk '/SONAME/ {print $$2}')
CURL_SONAME := $(call soname,libcurl,libcurl.so)
MHD_SONAME  := $(call soname,libmicrohttpd,libmicrohttpd.so)
# libqrencode is linked; its soname lets the cache ask its version even
# when it is not (output/cache.c qrencode_version).
QRENCODE_SONAME := $(call soname,libqrencode,libqrencode.so)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	$(if $(CURL_SONAME),-DNB_CURL_SONAME='"$(CURL_SONAME)"') \
	$(if $(MHD_SONAME),-DNB_MHD_SONAME='"$(MHD_SONAME)"') \
	$(if $(QRENCODE_SONAME),-DNB_QRENCODE_SONAME='"$(QRENCODE_SONAME)"')
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(DYN_PKGS),$(PKGS)) 2>/dev/null) -lpthread -lm
# The release binary allocates with jemalloc: a build makes millions of
# small jansson values and frees them again, and glibc's malloc spent a
# sixth of the CPU on that (17 % less CPU and ~8 % less peak memory at
# 10,000 documents, tests/bench/README.md). The sanitizer and fuzz builds
# keep their own allocators, so ASan still sees every allocation; valgrind
# intercepts jemalloc too (tests/valgrind.sh).
REL_LIBS   := $(PKG_LIBS) $(shell pkg-config --libs jemalloc 2>/dev/null)

# generator/ is the pipeline, a folder per stage (README, "How the code is
# laid out"); tests/<part>/test_<module>.c mirror it.
PARTS    := cli config load schema graph markdown template render output audit serve util
SRCS     := $(sort $(foreach p,$(PARTS),$(wildcard generator/$(p)/*.c)))
HDRS     := $(sort $(foreach p,$(PARTS),$(wildcard generator/$(p)/*.h)))
LIBSRCS  := $(filter-out generator/cli/main.c,$(SRCS))
TESTSRCS := $(sort $(wildcard tests/*/test_*.c))
TESTHDRS := $(wildcard tests/*.h)
vpath test_%.c $(sort $(dir $(TESTSRCS)))
THEME_FILES := $(shell find themes/default -type f 2>/dev/null | LC_ALL=C sort)
SCHEMA_FILES := $(shell find generator/schemas -type f 2>/dev/null | LC_ALL=C sort)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

REL_DIR  := build/release
ASAN_DIR := build/asan
REL_CFLAGS  := $(CSTD) $(WARN) -O2 -g $(PKG_CFLAGS) -Igenerator -I$(REL_DIR) -DNB_VERSION='"$(VERSION)"'
ASAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(PKG_CFLAGS) -Igenerator -I$(ASAN_DIR) -DNB_VERSION='"$(VERSION)"'

.PHONY: all run test unit e2e browser bench deps install clean fuzz fuzz-smoke check-spec

all: build/noticeboard

deps:
	@sh generator/tools/deps.sh

# ---- embedded data (default theme and schemas are built into the binary) ----
build/embed: generator/tools/embed.c
	@mkdir -p build
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

build/embedded.c: build/embed $(THEME_FILES) $(SCHEMA_FILES)
	build/embed $@ themes/default=theme/default generator/schemas=schemas

# ---- release build ----
REL_OBJS := $(patsubst generator/%.c,$(REL_DIR)/%.o,$(SRCS)) $(REL_DIR)/embedded.o
$(REL_DIR)/%.o: generator/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c -o $@ $<
$(REL_DIR)/embedded.o: build/embedded.c
	@mkdir -p $(REL_DIR)
	$(CC) $(REL_CFLAGS) -c -o $@ $<
build/noticeboard: $(REL_OBJS)
	$(CC) -o $@ $^ $(REL_LIBS)

# ---- sanitizer build for tests ----
ASAN_OBJS := $(patsubst generator/%.c,$(ASAN_DIR)/%.o,$(SRCS)) $(ASAN_DIR)/embedded.o
ASAN_LIBOBJS := $(filter-out $(ASAN_DIR)/cli/main.o,$(ASAN_OBJS))
$(ASAN_DIR)/%.o: generator/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<
$(ASAN_DIR)/embedded.o: build/embedded.c
	@mkdir -p $(ASAN_DIR)
	$(CC) $(ASAN_CFLAGS) -c -o $@ $<
$(ASAN_DIR)/noticeboard: $(ASAN_OBJS)
	$(CC) -fsanitize=address,undefined -o $@ $^ $(PKG_LIBS)
$(ASAN_DIR)/test_%: test_%.c $(TESTHDRS) $(ASAN_LIBOBJS)
	$(CC) $(ASAN_CFLAGS) -Itests -o $@ $< $(ASAN_LIBOBJS) -fsanitize=address,undefined $(PKG_LIBS)

# ---- ThreadSanitizer build for the determinism suite ----
# A build runs on several threads; a data race there is a build whose
# output depends on timing (markdown.c, top comment). `make test` runs
# tests/e2e_determinism.sh on this binary and fails on any report
# (tests/tsan.supp). No jemalloc: TSan brings its own allocator.
TSAN_DIR := build/tsan
TSAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=thread \
	$(PKG_CFLAGS) -Igenerator -I$(TSAN_DIR) -DNB_VERSION='"$(VERSION)"'
TSAN_OBJS := $(patsubst generator/%.c,$(TSAN_DIR)/%.o,$(SRCS)) $(TSAN_DIR)/embedded.o
$(TSAN_DIR)/%.o: generator/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TSAN_CFLAGS) -c -o $@ $<
$(TSAN_DIR)/embedded.o: build/embedded.c
	@mkdir -p $(TSAN_DIR)
	$(CC) $(TSAN_CFLAGS) -c -o $@ $<
$(TSAN_DIR)/noticeboard: $(TSAN_OBJS)
	$(CC) -fsanitize=thread -o $@ $^ $(PKG_LIBS)

TEST_BINS := $(addprefix $(ASAN_DIR)/,$(basename $(notdir $(TESTSRCS))))

unit: $(TEST_BINS)
	@sh tests/run_unit.sh $(TEST_BINS)

e2e: $(ASAN_DIR)/noticeboard
	@sh tests/e2e.sh $(ASAN_DIR)/noticeboard

test: deps
	@$(MAKE) --no-print-directory $(ASAN_DIR)/noticeboard $(TSAN_DIR)/noticeboard $(TEST_BINS)
	@sh tests/run_all.sh $(ASAN_DIR)/noticeboard $(TEST_BINS)

# ---- fuzzing (clang libFuzzer; `make fuzz FUZZ_SECONDS=300`) ----
# Library objects get coverage instrumentation (fuzzer-no-link); only the
# targets link libFuzzer's main. Not -Werror: clang warns about things gcc
# does not, and a fuzz run must not depend on that.
FUZZ_DIR     := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := $(CSTD) -Wall -Wextra -Wno-unused-parameter -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	$(PKG_CFLAGS) -Igenerator -I$(FUZZ_DIR) -DNB_VERSION='"$(VERSION)"'
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
FUZZ_LIBOBJS := $(patsubst generator/%.c,$(FUZZ_DIR)/%.o,$(LIBSRCS)) $(FUZZ_DIR)/embedded.o
.SECONDARY: $(FUZZ_LIBOBJS)
$(FUZZ_DIR)/%.o: generator/%.c $(HDRS)
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_DIR)/embedded.o: build/embedded.c
	@mkdir -p $(FUZZ_DIR)
	@clang $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIBOBJS)
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBOBJS) $(PKG_LIBS)
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)
fuzz-smoke:
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@sh tests/fuzz/run.sh smoke $(FUZZ_BINS)

run: deps
	@$(MAKE) --no-print-directory build/noticeboard
	@sh generator/tools/run_demo.sh build/noticeboard

bench: deps
	@$(MAKE) --no-print-directory build/noticeboard
	@sh tests/bench/run.sh build/noticeboard

install: build/noticeboard
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/noticeboard $(DESTDIR)$(PREFIX)/bin/noticeboard

clean:
	rm -rf build
