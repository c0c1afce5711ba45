# tests/prop/prop.mk — the output property test (issue 8, item 3), included by
# the main Makefile: tests/prop/run.sh with the normal build and again with the
# ASan+UBSan build (make check runs it through CHECK_EXTRA).

PROP_ASAN_OPT = -O1 -g -fno-omit-frame-pointer
PROP_ASAN_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: check-prop prop-run

CHECK_EXTRA += check-prop

$(BUILD)/prop/check_output: tests/prop/check_output.c
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LDLIBS_ALL)

prop-run: $(BUILD)/sdlint $(BUILD)/prop/check_output
	@bash tests/prop/run.sh $(BUILD)/sdlint $(BUILD)/prop/check_output

check-prop:
	@$(MAKE) --no-print-directory prop-run
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="$(PROP_ASAN_OPT)" SAN="$(PROP_ASAN_SAN)" prop-run
