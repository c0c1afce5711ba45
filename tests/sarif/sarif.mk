# tests/sarif/sarif.mk — SARIF output against the official 2.1.0 schema, rule
# indexes, relative paths, stable fingerprints, a golden log; part of make check.

CHECK_EXTRA += check-sarif

.PHONY: check-sarif

check-sarif: $(BUILD)/sdlint
	@bash tests/sarif/check.sh $(BUILD)/sdlint
