# tests/bench/bench.mk — the engine benchmark (issue 7, item 6), included by the
# main Makefile.  Not part of make check: it is a report, not a test.
#
#   make bench-engine   generate (seeded) documents of n and 10n elements for
#                       each family of engine cost, time sdlint and
#                       `xmllint --noout` on them side by side (best of 3), and
#                       print PASS/FAIL per row against the issue's targets:
#                       growth <= x12 for x10 input, and SVRL on the
#                       every-element-fails document within 2x of the parse.
#                       Exits 0 unless a run crashes.  Inputs and the last
#                       outputs land in $(BUILD)/bench/.
#
# Needs python3 and xmllint.  On Debian/Ubuntu: sudo apt-get install -y libxml2-utils
# Knobs (environment): BENCH_RUNS=3 BENCH_TIMEOUT=60 (a run over it is killed
# and shown as ">60s") BENCH_SCALE=1 BENCH_SEED=7 BENCH_ONLY=REGEX (rows).
# See tools/bench/run.sh and tools/bench/gen.py.

.PHONY: bench-engine

bench-engine: $(BUILD)/sdlint
	@command -v xmllint >/dev/null 2>&1 || { \
	  echo "bench-engine: needs xmllint; install it with: sudo apt-get install -y libxml2-utils"; exit 2; }
	@command -v python3 >/dev/null 2>&1 || { \
	  echo "bench-engine: needs python3; install it with: sudo apt-get install -y python3"; exit 2; }
	@bash tools/bench/run.sh $(BUILD)/sdlint $(BUILD)/bench

# make bench — batch audits against the peers (issue 12, item 6): a seeded 100-county
# province and one 10× larger (kept in $(BUILD)/bench-audit/), sdlint -j1 and -jN,
# `xmllint --schema` (the floor), libxml2's Schematron and sdlint on the same cut-down pack,
# one small document end to end, and the ratios against the issue's targets.  Not part of
# make check: a report, which exits 0 unless a run crashes.  See tools/bench/audit.sh.
.PHONY: bench

bench: $(BUILD)/sdlint
	@bash tools/bench/audit.sh $(BUILD)/sdlint $(BUILD)/bench-audit
