# tests/embed/embed.mk — the library embedded by a program under a
# comma-decimal locale (example.c, run.sh); part of make check.
# The example gets -Isrc only, not libxml2's include path: the public header
# set must not need it.

CHECK_EXTRA += check-embed

.PHONY: check-embed

$(BUILD)/embed/example: tests/embed/example.c $(BUILD)/libsdlint.a
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -Isrc -o $@ $< $(BUILD)/libsdlint.a $(LDLIBS_ALL)

check-embed: $(BUILD)/embed/example $(BUILD)/sdlint
	@bash tests/embed/run.sh $(BUILD)
