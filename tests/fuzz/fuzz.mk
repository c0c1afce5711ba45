# tests/fuzz/fuzz.mk — fuzzing (issue 4), included by the main Makefile.
#
#   make fuzz [FUZZ_SECONDS=60]   build the libFuzzer targets with clang
#                                 (-fsanitize=fuzzer,address,undefined) into
#                                 build-fuzz/ and run each for FUZZ_SECONDS;
#                                 fails on any crash, leak, timeout or OOM.
#                                 Crash inputs land in build-fuzz/artifacts/.
#   make check-fuzz-regressions   replay tests/fuzz/regressions/<target>/ and the
#                                 small seeds with the normal and the ASan build
#                                 (part of make check).  regressions/*/known/
#                                 holds open issues and is not replayed.
#   make check-valgrind           the end-to-end suite under valgrind memcheck
#                                 (tests/hostile/valgrind.supp; not in make check).

FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build-fuzz
FUZZ_TARGETS  = fuzz_document fuzz_pack fuzz_regex fuzz_docx fuzz_xpath
FUZZ_CC      ?= clang
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_FLAGS    = -timeout=10 -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1
ASAN_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_OPT      = -O1 -g -fno-omit-frame-pointer

.PHONY: fuzz fuzz-build fuzz-replay check-fuzz-regressions check-valgrind

CHECK_EXTRA += check-fuzz-regressions

# The library again with clang and the fuzzer's coverage instrumentation (the
# inner make, with BUILD=$(FUZZ_BUILD), knows what is out of date), and with
# -DSCH_XPN_CHECK: every result of the native XPath evaluator (src/sch/xpn.c)
# is evaluated with libxml2 too and a difference aborts, so every target
# cross-checks the two (fuzz_xpath aims at it).
ifneq ($(BUILD),$(FUZZ_BUILD))
$(FUZZ_BUILD)/libsdlint.a: fuzz-lib-force
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="-Wno-unknown-warning-option -DSCH_XPN_CHECK" \
	  OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libsdlint.a
.PHONY: fuzz-lib-force
fuzz-lib-force:
endif

$(FUZZ_BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_BUILD)/libsdlint.a
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(FUZZ_CC) $(CSTD) $(WARN) -Wno-unknown-warning-option -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $(FUZZ_SAN) \
	  -Isrc $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libsdlint.a $(LDLIBS_ALL)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/%)

fuzz: fuzz-build
	@rm -rf $(FUZZ_BUILD)/seeds
	@bash tests/fuzz/seeds.sh $(FUZZ_BUILD)/seeds
	@set -e; failed=""; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/$$t.log)"; \
	  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	     $(FUZZ_BUILD)/fuzz/$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	       -dict=$$(if [ -f tests/fuzz/$$t.dict ]; then echo tests/fuzz/$$t.dict; else echo tests/fuzz/xml.dict; fi) \
	       -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	       $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/seeds/$$t >$(FUZZ_BUILD)/$$t.log 2>&1; then \
	    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' $(FUZZ_BUILD)/$$t.log || true; \
	    echo "   corpus: $$(ls $(FUZZ_BUILD)/corpus/$$t | wc -l) inputs"; \
	  else \
	    echo "FAIL fuzz $$t: see $(FUZZ_BUILD)/$$t.log and $(FUZZ_BUILD)/artifacts/$$t/"; \
	    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' $(FUZZ_BUILD)/$$t.log | head -20; \
	    failed="$$failed $$t"; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "make fuzz: failed:$$failed"; exit 1; fi; \
	echo "make fuzz: $(FUZZ_TARGETS) ran $(FUZZ_SECONDS) s each without a crash, leak or timeout"

# A replay binary per target for the current BUILD (any compiler).
$(BUILD)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libsdlint.a
	@mkdir -p $(dir $@)
	$(SAY) CC $@
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c $< $(BUILD)/libsdlint.a $(LDLIBS_ALL)

fuzz-replay: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  files=$$(find tests/fuzz/regressions/$$t tests/fuzz/seeds/$$t -maxdepth 1 -type f 2>/dev/null | sort); \
	  if [ -n "$$files" ]; then \
	    timeout 120 $(BUILD)/fuzz/replay_$$t $$files >/dev/null \
	      || { echo "fuzz-replay $(BUILD) $$t: FAILED (crash, sanitizer report, leak or hang over 120 s)"; exit 1; }; \
	    echo "fuzz-replay $(BUILD) $$t: $$(echo "$$files" | wc -l) inputs ok"; \
	  fi; \
	done

check-fuzz-regressions:
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="$(ASAN_OPT)" SAN="$(ASAN_SAN)" fuzz-replay

VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
           --suppressions=$(CURDIR)/tests/hostile/valgrind.supp

check-valgrind: $(BUILD)/sdlint
	SDLINT_CASE_TIMEOUT=300 SDLINT_WRAPPER="$(VALGRIND)" bash tests/e2e/run.sh $(BUILD)/sdlint
