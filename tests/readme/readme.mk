# tests/readme/readme.mk — the README's examples are the binary's output
# (check.sh); part of make check.  `make readme-update` rewrites the marked
# blocks from the binary and prints the diff.

CHECK_EXTRA += check-readme

.PHONY: check-readme readme-update

check-readme: $(BUILD)/sdlint
	@bash tests/readme/check.sh $(BUILD)/sdlint

readme-update: $(BUILD)/sdlint
	@bash tests/readme/check.sh $(BUILD)/sdlint --update
