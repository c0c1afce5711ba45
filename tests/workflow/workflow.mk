# Workflow suites (issue 11): the pre-commit hook on a real git repository,
# and `make install` into a temporary prefix.
.PHONY: check-workflow
check-workflow: $(BUILD)/sdlint
	@echo "== tests/workflow/git.sh $(BUILD)/sdlint"
	@bash tests/workflow/git.sh $(BUILD)/sdlint
	@echo "== tests/workflow/install.sh"
	@bash tests/workflow/install.sh $(BUILD)

CHECK_EXTRA += check-workflow
