# The import/render tests of issue 13 (tests/import/run.sh); make check runs them.
.PHONY: check-import
check-import: $(BUILD)/sdlint
	@echo "== tests/import/run.sh $(BUILD)/sdlint"
	@sh tests/import/run.sh $(BUILD)/sdlint
CHECK_EXTRA += check-import
