# sdlint — build, test, demo.  `make demo` and `make check` are the two set-up
# commands of the README: both install the Debian packages first (make deps).

CC      ?= cc
BUILD   ?= build
PKGS     = libxml-2.0 libpcre2-8 zlib
CSTD     = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
OPT     ?= -O2 -g
SAN     ?=
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SAN) -Isrc $(PKG_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)
PREFIX  ?= /usr/local
DESTDIR ?=

LIB_SRCS = $(sort $(wildcard src/*.c src/*/*.c))
CMD_SRCS = $(sort $(wildcard cmd/sdlint/*.c))
EMBED_FILES = $(sort $(wildcard schemas/*.xsd rules/*.sch rules/examples/*.xml rules/import-zh.txt))
# The kinds' schemas in sd_kind order (kind.c): xsdgen's labels take the first declaration.
XSD_KINDS = sanding.xsd plan.xsd catalogue.xsd
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded_data.o $(BUILD)/gen/xsd_data.o \
           $(BUILD)/gen/lean_zh_data.o $(BUILD)/gen/lean_en_data.o
LEAN_PACKS_zh = $(patsubst rules/%.sch,$(BUILD)/gen/lean/zh/%.img,$(sort $(wildcard rules/*.sch)))
LEAN_PACKS_en = $(patsubst rules/%.sch,$(BUILD)/gen/lean/en/%.img,$(sort $(wildcard rules/*.sch)))
CMD_OBJS = $(CMD_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

DEPS_PKGS = libxml2-dev libpcre2-dev libcmocka-dev zlib1g-dev pkg-config libxml2-utils python3 unzip

# Under GitHub Actions sdlint's default format is github: the suites expect
# the plain default, and set the variable themselves where they test it.
unexport GITHUB_ACTIONS

# Quiet by default: one "CC file" line per step; V=1 shows the commands.
V ?= 0
ifeq ($(V),1)
Q    =
SAY  = @true
else
Q    = @
SAY  = @printf '  %-5s %s\n'
endif

.PHONY: all deps check check-idc check-schemas check-unit check-e2e check-conformance check-corpus check-asan check-source check-deps check-audit check-tsan check-startup check-xpn \
        demo install clean golden-update

all: $(BUILD)/sdlint

$(BUILD)/libsdlint.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(SAY) AR $@
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/sdlint: $(CMD_OBJS) $(BUILD)/libsdlint.a
	$(SAY) LINK $@
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/gen/embedded_data.c: tools/embed.sh $(EMBED_FILES)
	@mkdir -p $(dir $@)
	$(SAY) EMBED $@
	$(Q)sh tools/embed.sh $@ $(EMBED_FILES)

$(BUILD)/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# Build-time work that does not depend on the input (tools/xsdgen.c): run by
# the build from schemas/*.xsd, so the stripped schemas and labels never go stale.
$(BUILD)/tools/xsdgen: tools/xsdgen.c
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CSTD) $(WARN) -O1 $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/gen/xsd_data.c: $(BUILD)/tools/xsdgen $(wildcard schemas/*.xsd)
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)$(BUILD)/tools/xsdgen $@ schemas $(XSD_KINDS)

$(BUILD)/gen/xsd_data.o: $(BUILD)/gen/xsd_data.c src/idc.h src/embedded.h
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The built-in packs without their documentation and with the messages of one
# language only (tools/leanpack.py), for runs that show no documentation;
# `rules`, `explain`, svrl and sarif compile the full ones.  Embedded as images
# of their trees (.img, loaded without reading XML); the .sch text beside each
# is what the image was made from (test_embedded compares the two).
$(LEAN_PACKS_zh): $(BUILD)/gen/lean/zh/%.img: rules/%.sch tools/leanpack.py
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)python3 tools/leanpack.py --lang zh $< $(@:.img=.sch) $@

$(LEAN_PACKS_en): $(BUILD)/gen/lean/en/%.img: rules/%.sch tools/leanpack.py
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)python3 tools/leanpack.py --lang en $< $(@:.img=.sch) $@

$(BUILD)/gen/lean_zh_data.c $(BUILD)/gen/lean_en_data.c: $(BUILD)/gen/lean_%_data.c: tools/embed.sh $(LEAN_PACKS_zh) $(LEAN_PACKS_en)
	@mkdir -p $(dir $@)
	$(SAY) EMBED $@
	$(Q)sh tools/embed.sh -t sd_embedded_lean_packs_$* $@ $(LEAN_PACKS_$*)

$(BUILD)/gen/lean_zh_data.o $(BUILD)/gen/lean_en_data.o: $(BUILD)/gen/lean_%_data.o: $(BUILD)/gen/lean_%_data.c
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -Icmd/sdlint -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsdlint.a
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libsdlint.a $(LDLIBS_ALL) -lcmocka

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d)

# Installs the build and test dependencies when missing: as root with apt-get,
# otherwise prints the exact command to run.
deps:
	@missing=""; for p in $(DEPS_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "make deps: missing$$missing; run: sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

# What a new user sees: sdlint's own output (the build says one line per file).
demo: deps
	@$(MAKE) --no-print-directory all
	@echo
	@echo "== sdlint samples/city (a sub-provincial city: catalogue, plan, 三定) =="
	@$(BUILD)/sdlint samples/city
	@echo
	@echo "== sdlint samples/county =="
	@$(BUILD)/sdlint samples/county
	@echo
	@echo "== sdlint samples/broken (schema problems, one per file; a draft that breaks rules) =="
	@$(BUILD)/sdlint samples/broken || echo "(exit code $$?: findings, as expected for broken samples)"

# The last line repeats the conformance summary (passed, known divergences by
# name, or "skipped" on a clone without the external suite), so that "all
# suites passed" never hides a listed failure or a suite that did not run.
check: deps
	@$(MAKE) --no-print-directory check-source check-deps check-schemas check-unit check-e2e check-conformance check-corpus check-audit check-idc check-tsan check-startup check-xpn $(CHECK_EXTRA)
	@$(MAKE) --no-print-directory check-asan
	@echo "make check: all suites passed; $$(cat build-asan/conformance.summary 2>/dev/null || echo 'conformance: not run')"

# The schemas' labels, the samples and rule examples valid, each broken sample one error.
check-schemas:
	@sh tests/schemas/check.sh

check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-e2e: $(BUILD)/sdlint
	@echo "== tests/e2e/run.sh $(BUILD)/sdlint"
	@bash tests/e2e/run.sh $(BUILD)/sdlint

# A generated province of plans gives exactly its injected findings (issue 10 item 8):
# 4 cities x 25 counties, every 三定 included; a smaller one under the sanitizers.
CORPUS ?= 4 25
CORPUS_RATE ?= 0.3
check-corpus: $(BUILD)/sdlint
	@echo "== tests/corpus/check.sh $(BUILD)/sdlint $(CORPUS)"
	@CORPUS_RATE=$(CORPUS_RATE) sh tests/corpus/check.sh $(BUILD)/sdlint $(CORPUS)

# sdlint audit (issue 12): -j byte identity, shards and merge, hidden folders, loops,
# progress line; and its threads under ThreadSanitizer (build-tsan/, clang).
check-audit: $(BUILD)/sdlint
	@echo "== tests/audit/check.sh $(BUILD)/sdlint"
	@bash tests/audit/check.sh $(BUILD)/sdlint

# The identity-constraint fast path (src/idc.c) gives the full schema's findings.
check-idc: $(BUILD)/sdlint
	@echo "== tests/idc/check.sh $(BUILD)/sdlint"
	@bash tests/idc/check.sh $(BUILD)/sdlint

# Fast start (issue 12): no libzip and what it pulled in; the checker left allocated at
# exit (still reachable), everything freed with SDLINT_FREE_AT_EXIT=1 (needs valgrind).
check-startup: $(BUILD)/sdlint
	@echo "== tests/startup/check.sh $(BUILD)/sdlint"
	@sh tests/startup/check.sh $(BUILD)/sdlint

check-tsan:
	@echo "== tests/audit/tsan.sh"
	@bash tests/audit/tsan.sh

check-conformance: $(BUILD)/sdlint
	@rc=0; bash tests/conformance/run.sh $(BUILD)/sdlint > $(BUILD)/conformance.out || rc=$$?; \
	  cat $(BUILD)/conformance.out; tail -n 1 $(BUILD)/conformance.out > $(BUILD)/conformance.summary; \
	  exit $$rc

# The whole suite again with AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	@echo "== the suites again with -fsanitize=address,undefined (build-asan/)"
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" CORPUS="2 8" CORPUS_RATE=1 \
	  check-unit check-e2e check-conformance check-corpus check-audit check-idc

# The native XPath evaluator (src/sch/xpn.c) against libxml2's: a build (build-xpn/) that
# evaluates every native result with libxml2 too and aborts on a difference, run on the
# e2e cases (the built-in pack on every sample and example, the corners in xpn.cases),
# the conformance suite and a generated province; then random expressions from
# tests/xpn/gen.py (a fixed seed, at most 30 s) and the fuzz_xpath regressions.
check-xpn:
	@echo "== the e2e, conformance and corpus suites with every XPath result checked against libxml2 (build-xpn/)"
	@$(MAKE) --no-print-directory BUILD=build-xpn CFLAGS="$(CFLAGS) -DSCH_XPN_CHECK" CORPUS="2 8" \
	  check-e2e check-conformance check-corpus
	@python3 tests/xpn/gen.py --sdlint build-xpn/sdlint --seed 1 --count 20000 --seconds 30
	@$(MAKE) --no-print-directory BUILD=build-xpn CFLAGS="$(CFLAGS) -DSCH_XPN_CHECK" \
	  FUZZ_TARGETS=fuzz_xpath fuzz-replay

# Functions we never call: unbounded copies and silent number parsing.
check-source:
	@if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|strtok)\s*\(' \
	    $(LIB_SRCS) $(CMD_SRCS) $$(ls src/*.h src/*/*.h 2>/dev/null); then \
	  echo "check-source: banned function used (see above)"; exit 1; fi
	@if grep -nE '\b(printf|fprintf|puts|exit|getenv)\s*\(' $(LIB_SRCS); then \
	  echo "check-source: the library must not print, exit or read the environment"; exit 1; fi
	@if grep -nE '\b(strerror|strtod|strtof|strtold|atof|setlocale)\s*\(|\bSTDIN_FILENO\b|[^"]\bstdin\b[^"]' $(LIB_SRCS); then \
	  echo "check-source: the library uses strerror_r (sd_strerror), reads numbers with sd_num_parse_double"; \
	  echo "  (not the locale's strtod), leaves the locale alone and never reads standard input"; exit 1; fi
	@echo "check-source: ok"

# Calls between the files of src/sch/ run one way (the order is in sch_int.h).
check-deps: $(BUILD)/libsdlint.a
	@sh tools/check-sch-deps.sh src/sch/sch_int.h $(BUILD)/src/sch

golden-update: $(BUILD)/sdlint $(BUILD)/tests/test_related $(BUILD)/tests/test_planrules
	SDLINT_GOLDEN_UPDATE=1 bash tests/e2e/run.sh $(BUILD)/sdlint
	SDLINT_GOLDEN_UPDATE=1 $(BUILD)/tests/test_related
	SDLINT_GOLDEN_UPDATE=1 $(BUILD)/tests/test_planrules

# The man page and completions come from the binary's own option table
# (sdlint --help-man, --help-completion), so they cannot drift from --help.
$(BUILD)/sdlint.1: $(BUILD)/sdlint
	$(SAY) GEN $@
	$(Q)$(BUILD)/sdlint --help-man > $@

$(BUILD)/sdlint.bash: $(BUILD)/sdlint
	$(Q)$(BUILD)/sdlint --help-completion bash > $@

$(BUILD)/_sdlint: $(BUILD)/sdlint
	$(Q)$(BUILD)/sdlint --help-completion zsh > $@

install: $(BUILD)/sdlint $(BUILD)/sdlint.1 $(BUILD)/sdlint.bash $(BUILD)/_sdlint
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sdlint/schemas \
	  $(DESTDIR)$(PREFIX)/share/sdlint/rules $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(BUILD)/sdlint $(DESTDIR)$(PREFIX)/bin/sdlint
	install -m 644 $(BUILD)/sdlint.1 $(DESTDIR)$(PREFIX)/share/man/man1/sdlint.1
	install -m 644 $(BUILD)/sdlint.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sdlint
	install -m 644 $(BUILD)/_sdlint $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sdlint
	install -m 644 schemas/*.xsd $(DESTDIR)$(PREFIX)/share/sdlint/schemas/
	install -m 644 rules/*.sch $(DESTDIR)$(PREFIX)/share/sdlint/rules/

clean:
	rm -rf build build-asan build-tsan

# Optional fragments (fuzzing, hardening) add their own targets and may append
# suites to CHECK_EXTRA, which make check runs after the others.
-include $(wildcard tests/*/*.mk)
