# kaohe — build, run, test.  `make` builds build/kaohe; `make run`; `make test`.
# Missing Debian packages are installed with apt-get when run as root.

CC       ?= cc
BUILD    ?= build
PKGS      = libxml-2.0 xlsxwriter harfbuzz harfbuzz-subset libcrypto libdeflate libqrencode \
            poppler-glib cairo zxing libtiff-4 libjpeg libpng
DEB_PKGS  = build-essential pkg-config libxml2-dev libxml2-utils libxlsxwriter-dev \
            libhpdf-dev libharfbuzz-dev libcriterion-dev libssl-dev libdeflate-dev \
            fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei \
            poppler-utils qpdf python3-openpyxl libreoffice-calc fonts-crosextra-carlito time \
            libqrencode-dev libpoppler-glib-dev libzxing-dev libzbar-dev libtiff-dev libjpeg-dev libpng-dev \
            imagemagick libtiff-tools
SANITIZE ?=
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
            -Wno-unused-parameter -pthread $(SANITIZE) -Isrc
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS    += $(PKG_LIBS) -lhpdf -lpng -lz -lm -lstdc++ -pthread $(SANITIZE)
# src/zxread.cpp, the one C++ file (ZXing-cpp has no C API)
CXXFLAGS ?= $(OPT) -g
CXXFLAGS += -std=c++17 -Wall -Wextra -pthread $(SANITIZE) -Isrc

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(patsubst src/%.cpp,$(BUILD)/obj/%.o,$(wildcard src/*.cpp))
UNIT_SRC = $(wildcard tests/unit/*.c)
E2E_SRC  = $(wildcard tests/e2e/*.c)

.PHONY: all deps run test test-unit test-e2e check-asan bench clean
all: $(BUILD)/kaohe

# Install what a fresh Debian 12 lacks (only as root; otherwise just report).
deps: $(BUILD)/.deps
# Checked again when this Makefile changes (a package added to DEB_PKGS).
$(BUILD)/.deps: Makefile
	@mkdir -p $(BUILD)
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else echo "missing Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; fi; \
	fi
	@touch $@

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: src/%.cpp | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libkaohe.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/kaohe: $(BUILD)/obj/main.o $(BUILD)/libkaohe.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test-unit: $(UNIT_SRC) $(BUILD)/libkaohe.a
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $(UNIT_SRC) $(BUILD)/libkaohe.a -lcriterion $(LDLIBS)

$(BUILD)/test-e2e: $(E2E_SRC) tests/hostile/harness.h $(BUILD)/kaohe
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $(E2E_SRC) -lcriterion $(LDLIBS)

run: $(BUILD)/kaohe
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-1766966400} ./$(BUILD)/kaohe build -o output input/*.xml

test-unit: $(BUILD)/test-unit
	cd tests && ../$(BUILD)/test-unit --jobs 2
test-e2e: $(BUILD)/test-e2e
	cd tests && KAOHE=../$(BUILD)/kaohe ../$(BUILD)/test-e2e --jobs 2
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

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
-include tests/extra.mk
