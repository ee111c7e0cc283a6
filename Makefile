# kaohe — build, run, test.  `make` builds build/kaohe; `make run`; `make test`.
# Missing Debian packages are installed with apt-get when run as root: what
# building and `make run` need for `make`, what the tests need for `make test`.

CC       ?= cc
BUILD    ?= build
PKGS      = libxml-2.0 xlsxwriter harfbuzz harfbuzz-subset libcrypto libdeflate minizip libqrencode \
            poppler-glib cairo zxing libtiff-4 libjpeg libpng libqpdf
# Building and running: compiler, libraries, the fonts the forms embed.
DEB_PKGS_BUILD = build-essential pkg-config libxml2-dev libxlsxwriter-dev libhpdf-dev \
            libharfbuzz-dev libssl-dev libdeflate-dev libminizip-dev libcsv-dev \
            fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei \
            fonts-hanazono fonts-babelstone-han fonts-dejavu-core fonts-unifont \
            libqrencode-dev libpoppler-glib-dev libzxing-dev libtiff-dev libjpeg-dev libpng-dev icc-profiles-free \
            libqpdf-dev
# Testing: the test framework and the tools no one here wrote that check the
# output (poppler, qpdf, xmllint, openpyxl, LibreOffice with its Calibri-metric font).
DEB_PKGS_TEST = libcriterion-dev libxml2-utils poppler-utils qpdf python3-openpyxl \
            libreoffice-calc fonts-crosextra-carlito time python3-docx libreoffice-writer \
            chromium libzbar-dev imagemagick libtiff-tools
SANITIZE ?=
OPT      ?= -O2
# CFLAGS and LDFLAGS are the caller's (`make CFLAGS=-O0`); what the program
# needs to compile at all is in FINAL_CFLAGS and is never replaced by them.
CFLAGS   ?= $(OPT) -g
WARN      = -Wall -Wextra -Wshadow=local -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-missing-field-initializers
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
FINAL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -pthread -Isrc \
            $(PKG_CFLAGS) $(CFLAGS) $(SANITIZE)
FINAL_LIBS = $(LDFLAGS) $(PKG_LIBS) -lhpdf -lcsv -lpng -lz -lm -ldl -lstdc++ -pthread $(SANITIZE)
# Kept for tests/extra.mk (fuzzing, valgrind).
LDLIBS    = $(FINAL_LIBS)
# src/zxread.cpp, the one C++ file (ZXing-cpp has no C API)
CXXFLAGS ?= $(OPT) -g
FINAL_CXXFLAGS = -std=c++17 -Wall -Wextra -pthread -Isrc $(PKG_CFLAGS) $(CXXFLAGS) $(SANITIZE)

# The library patches (hpdf_patch, lxw_patch) replace functions that only
# the shared libraries call, so nothing in the program pulls them out of an
# archive: they are linked as objects into every binary.
PATCH_SRC = src/hpdf_patch.c src/lxw_patch.c
PATCH_OBJ = $(PATCH_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB_SRC  = $(filter-out src/main.c $(PATCH_SRC),$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(patsubst src/%.cpp,$(BUILD)/obj/%.o,$(wildcard src/*.cpp))
UNIT_SRC = $(wildcard tests/unit/*.c)
E2E_SRC  = $(wildcard tests/e2e/*.c)

.PHONY: all deps run test test-unit test-e2e check-asan bench clean
all: $(BUILD)/kaohe

# Install what a fresh Debian 12 lacks (only as root; otherwise just report).
# Checked again when this Makefile changes (a package added to a list).
deps: $(BUILD)/.deps
$(BUILD)/.deps: Makefile
	@$(call deb_install,$(DEB_PKGS_BUILD))
	@touch $@
$(BUILD)/.deps-test: Makefile
	@$(call deb_install,$(DEB_PKGS_TEST))
	@touch $@
define deb_install
mkdir -p $(BUILD); missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
  else echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; fi; \
fi
endef

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(FINAL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: src/%.cpp | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CXX) $(FINAL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libkaohe.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kaohe: $(BUILD)/obj/main.o $(PATCH_OBJ) $(BUILD)/libkaohe.a
	$(CC) $(FINAL_CFLAGS) -o $@ $^ $(FINAL_LIBS)

$(BUILD)/test-unit: $(UNIT_SRC) $(wildcard tests/unit/*.h) $(PATCH_OBJ) $(BUILD)/libkaohe.a $(BUILD)/.deps-test
	$(CC) $(FINAL_CFLAGS) -Wno-missing-prototypes -o $@ $(UNIT_SRC) $(PATCH_OBJ) $(BUILD)/libkaohe.a -lcriterion $(FINAL_LIBS)

$(BUILD)/test-e2e: $(E2E_SRC) $(wildcard tests/e2e/*.h) tests/hostile/harness.h $(BUILD)/kaohe $(BUILD)/.deps-test
	$(CC) $(FINAL_CFLAGS) -Wno-missing-prototypes -o $@ $(E2E_SRC) -lcriterion $(FINAL_LIBS)

run: $(BUILD)/kaohe
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-1766966400} ./$(BUILD)/kaohe build -o output input/*.xml

test-unit: $(BUILD)/test-unit
	cd tests && ../$(BUILD)/test-unit --jobs 2
test-e2e: $(BUILD)/test-e2e
	cd tests && LC_ALL=C.UTF-8 KAOHE=../$(BUILD)/kaohe ../$(BUILD)/test-e2e --jobs 2
test: test-unit test-e2e

check-asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) BUILD=build-asan OPT=-O1 SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer" test

# Full builds of synthetic inputs: persons/s, pages/s, MB, peak RSS, -j2 speed-up.
bench: $(BUILD)/kaohe
	tools/bench.sh $(BUILD)/kaohe
	tools/archive-bench.sh $(BUILD)/kaohe

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(PATCH_OBJ:.o=.d) $(BUILD)/obj/main.d
-include tests/extra.mk
