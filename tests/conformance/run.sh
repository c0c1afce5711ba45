#!/usr/bin/env bash
# run.sh BINARY — the Schematron conformance cases through the built sdlint.
#
# Builds runner.c (libxml2 only; it tests through the binary, not the library)
# next to the binary, writes each case into a temporary folder and prints one
# line per unexpected failure, then one summary line naming the known
# divergences ("conformance: 46 passed, 1 known divergence: ID, 3 skipped").
# The suite is external: ../shared/conformance/schematron-v1 beside the repo
# (where CI has it) unless SDLINT_CONFORMANCE_DIR says otherwise.  When the
# default place is empty (a fresh clone) the suite is reported as skipped in
# one line and the status is 0; a SDLINT_CONFORMANCE_DIR that does not hold
# the suite is an error.  Exit status: non-zero when a case fails that is not
# listed in known-divergences.txt.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build_dir=$(dirname "$bin")
conf=${SDLINT_CONFORMANCE_DIR:-$root/../shared/conformance/schematron-v1}
if [ ! -d "$conf/tests" ]; then
    if [ -n "${SDLINT_CONFORMANCE_DIR:-}" ]; then
        echo "run.sh: conformance suite not found in $conf (SDLINT_CONFORMANCE_DIR)" >&2
        exit 2
    fi
    echo "conformance: skipped (external suite not found at ../shared/conformance/schematron-v1; set SDLINT_CONFORMANCE_DIR)"
    exit 0
fi
runner=$build_dir/conformance-runner
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -O1 -g -o "$runner" "$here/runner.c" \
    $(pkg-config --cflags --libs libxml-2.0)
work=$(mktemp -d "${TMPDIR:-/tmp}/sdlint-conformance.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$runner" "$bin" "$conf" "$work" "$here/known-divergences.txt"
