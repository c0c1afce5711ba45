# tests/html/html.mk — the audit summary's HTML page (issue 12 item 3); part of make check:
# the page is well-formed, self-contained, escapes what documents say, and every number on
# it equals the JSON report's.  The browser test (chromium.sh) runs in .ci/run only.

CHECK_EXTRA += check-html

.PHONY: check-html check-html-browser

check-html: $(BUILD)/sdlint
	@sh tests/html/check.sh $(BUILD)/sdlint

# Headless Chromium: no console error, the page's own self-check says ok, a screenshot
# kept in build/ci-artefacts/ (needs Debian's chromium; .ci/run installs it).
check-html-browser: $(BUILD)/sdlint
	@sh tests/html/chromium.sh $(BUILD)/sdlint build/ci-artefacts
