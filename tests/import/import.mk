# The import/render tests of issue 13 (tests/import/run.sh); make check runs them,
# on the plain build and again under AddressSanitizer and UBSan (build-asan/, which
# check-asan builds anyway).
.PHONY: check-import check-import-asan
check-import: $(BUILD)/sdlint
	@echo "== tests/import/run.sh $(BUILD)/sdlint"
	@sh tests/import/run.sh $(BUILD)/sdlint

check-import-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" check-import

CHECK_EXTRA += check-import check-import-asan
