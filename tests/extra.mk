# tests/extra.mk — fuzzing and valgrind, included by the Makefile (issue 6).
#
#   make fuzz             libFuzzer + ASan + UBSan (clang): every target for
#                         FUZZ_SECONDS (default 60) each, one after the other,
#                         under nice; corpora seeded from tests/data,
#                         tests/hostile, templates/; crashes go to
#                         build-fuzz/crashes/. Known crashers of the past
#                         (tests/fuzz/regress/TARGET/) are replayed first.
#   make fuzz-build       just the fuzz binaries
#   make fuzz-values      the property test of SPEC 3.4a (issue 22) over
#                         VALUE_CASES (default 5000) seeded inputs from
#                         VALUE_SEED (default 1; make test runs 320 from 22):
#                         each written plainly and respelled must give the
#                         same results.xml; a failing case leaves both inputs
#                         in /dev/shm (named in the message).
#   make check-valgrind   the unit and e2e suites under valgrind (memcheck):
#                         every error and every definite or indirect leak
#                         fails; children (the kaohe binary) are traced.
#
# Uses BUILD, LIB_SRC, PKG_CFLAGS, LDLIBS from the Makefile.

FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS  = ingest policy template
FUZZ_FLAGS    = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
                -pthread -Isrc $(PKG_CFLAGS) $(FUZZ_FLAGS)
FUZZ_LIBS     = $(filter-out -fsanitize=%,$(LDLIBS))
FUZZ_OBJ      = $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o) $(PATCH_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS     = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# seeds per target: read-only corpora after the working one
FUZZ_SEEDS_ingest   = tests/data tests/hostile tests/fuzz/seeds/ingest
FUZZ_SEEDS_policy   = templates/policies tests/fuzz/seeds/policy
FUZZ_SEEDS_template = templates/forms tests/fuzz/seeds/template
FUZZ_OPTS_ingest    = -max_len=65536 -dict=tests/fuzz/xml.dict
FUZZ_OPTS_policy    = -max_len=8192 -dict=tests/fuzz/policy.dict
FUZZ_OPTS_template  = -max_len=32768 -dict=tests/fuzz/xml.dict

.PHONY: fuzz fuzz-build fuzz-regress fuzz-values check-valgrind

VALUE_CASES ?= 5000
VALUE_SEED  ?= 1
fuzz-values: $(BUILD)/test-unit
	cd tests && KAOHE_VALUE_CASES=$(VALUE_CASES) KAOHE_VALUE_SEED=$(VALUE_SEED) nice -n 19 \
	  ../$(BUILD)/test-unit --jobs 2 --verbose --filter 'values_property/*' >../$(BUILD)/fuzz-values.log 2>&1; \
	  rc=$$?; grep -E "values slice|FAIL|Assertion|  case |  inputs:|  plain:|  respelled:|Synthesis" \
	  ../$(BUILD)/fuzz-values.log; exit $$rc

$(FUZZ_BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/libkaohe-fuzz.a: $(FUZZ_OBJ)
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libkaohe-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libkaohe-fuzz.a $(FUZZ_LIBS)

fuzz-build: $(FUZZ_BINS)

# Every input that once crashed a target, run once (no fuzzing).
fuzz-regress: $(FUZZ_BINS)
	@for t in $(FUZZ_TARGETS); do \
	  files=$$(ls tests/fuzz/regress/$$t/* 2>/dev/null); \
	  [ -z "$$files" ] && continue; \
	  echo "fuzz_$$t: replaying $$(echo $$files | wc -w) regression inputs"; \
	  ./$(FUZZ_BUILD)/fuzz_$$t -runs=0 $$files >$(FUZZ_BUILD)/regress-$$t.log 2>&1 || \
	    { tail -40 $(FUZZ_BUILD)/regress-$$t.log; exit 1; }; \
	done

# One target's run: fuzz-run-TARGET (one after the other, never in parallel).
define FUZZ_RUN
fuzz-run-$(1): $(FUZZ_BUILD)/fuzz_$(1) $(2)
	@mkdir -p $(FUZZ_BUILD)/crashes $(FUZZ_BUILD)/corpus/$(1)
	@echo "fuzz_$(1): $(FUZZ_SECONDS) s, seeds: $(wildcard $(FUZZ_SEEDS_$(1)))"
	@nice -n 19 ./$(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_BUILD)/corpus/$(1) $(wildcard $(FUZZ_SEEDS_$(1))) \
	  -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/crashes/$(1)- $(FUZZ_OPTS_$(1)) >$(FUZZ_BUILD)/fuzz-$(1).log 2>&1; rc=$$$$?; \
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" $(FUZZ_BUILD)/fuzz-$(1).log | sed "s/^/  /"; \
	if [ $$$$rc -ne 0 ]; then echo "fuzz_$(1) FAILED (exit $$$$rc): see $(FUZZ_BUILD)/fuzz-$(1).log"; \
	  grep -A30 "ERROR: \|runtime error" $(FUZZ_BUILD)/fuzz-$(1).log | head -40; exit 1; fi
endef
$(eval $(call FUZZ_RUN,ingest,fuzz-regress))
$(eval $(call FUZZ_RUN,policy,fuzz-run-ingest))
$(eval $(call FUZZ_RUN,template,fuzz-run-policy))
.PHONY: fuzz-run-ingest fuzz-run-policy fuzz-run-template

fuzz: fuzz-run-template

-include $(FUZZ_OBJ:.o=.d)

# --- valgrind ---------------------------------------------------------------
# Criterion forks one worker per test (valgrind follows forks); the e2e tests
# exec the kaohe binary, directly or through sh (--trace-children). Every
# process writes its own log; only the logs of our programs (test-unit,
# test-e2e, kaohe) are judged: any error, or any definite or indirect leak,
# fails. The slowest tools the tests call are not traced at all.
# KAOHE_TEST_SLOW tells the tests to allow for valgrind's speed and to skip
# the few that would take an hour under it.
VALGRIND      ?= valgrind
VALGRIND_JOBS ?= 2
VALGRIND_LOGS  = $(BUILD)/valgrind
# Not traced: the checking tools the tests run, and the plain utilities the
# shell commands of the tests use (each traced one costs a valgrind start and
# a log; their leaks are theirs). Never sh or env: kaohe runs under them.
VALGRIND_SKIP_TOOLS = */xmllint,*/unzip,*/sha256sum,*/pdftotext,*/pdfinfo,*/pdffonts,*/pdftoppm,*/awk,*/qpdf,*/python3*,*/gzip,*/mount,*/umount,*/libreoffice*,*/soffice*,*/timeout
VALGRIND_SKIP_UTILS = */rm,*/ls,*/wc,*/tr,*/cut,*/sed,*/grep,*/cmp,*/diff,*/find,*/mkdir,*/touch,*/cat,*/head,*/tail,*/sort,*/chmod,*/cp,*/mv,*/printf
VALGRIND_SKIP  = $(VALGRIND_SKIP_TOOLS),$(VALGRIND_SKIP_UTILS)
VALGRIND_OPTS  = --leak-check=full --errors-for-leak-kinds=definite,indirect \
                 --show-leak-kinds=definite,indirect --num-callers=30 \
                 --trace-children=yes --child-silent-after-fork=no \
                 --trace-children-skip='$(VALGRIND_SKIP)' \
                 --suppressions=$(CURDIR)/tests/valgrind.supp

check-valgrind: $(BUILD)/test-unit $(BUILD)/test-e2e
	@rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS) && chmod 1777 $(VALGRIND_LOGS)
	-cd tests && KAOHE_TEST_SLOW=1 $(VALGRIND) $(VALGRIND_OPTS) --log-file=$(CURDIR)/$(VALGRIND_LOGS)/unit.%p.log \
	  ../$(BUILD)/test-unit --jobs $(VALGRIND_JOBS); echo $$? > $(CURDIR)/$(VALGRIND_LOGS)/unit.status
	-cd tests && KAOHE_TEST_SLOW=1 KAOHE=../$(BUILD)/kaohe $(VALGRIND) $(VALGRIND_OPTS) \
	  --log-file=$(CURDIR)/$(VALGRIND_LOGS)/e2e.%p.log ../$(BUILD)/test-e2e --jobs $(VALGRIND_JOBS); \
	  echo $$? > $(CURDIR)/$(VALGRIND_LOGS)/e2e.status
	@bad=0; n=0; for f in $(VALGRIND_LOGS)/*.log; do \
	  grep -qE "^==[0-9]+== Command: [^ ]*(test-unit|test-e2e|/kaohe)( |$$)" $$f || continue; n=$$((n+1)); \
	  if grep -qE "ERROR SUMMARY: [1-9]|definitely lost: [1-9]|indirectly lost: [1-9]" $$f; then \
	    bad=$$((bad+1)); echo "== $$f"; grep -E "Command:|ERROR SUMMARY|definitely lost|indirectly lost" $$f; \
	    [ $$bad -le 3 ] && sed -n '/HEAP SUMMARY\|Invalid\|uninitialised\|Mismatched/,$$p' $$f | head -60; fi; \
	done; \
	echo "valgrind: $$n processes of ours checked, $$bad with errors or leaks; suites exited $$(cat $(VALGRIND_LOGS)/unit.status) and $$(cat $(VALGRIND_LOGS)/e2e.status)"; \
	[ $$bad -eq 0 ] && [ "$$(cat $(VALGRIND_LOGS)/unit.status)" = 0 ] && [ "$$(cat $(VALGRIND_LOGS)/e2e.status)" = 0 ]
