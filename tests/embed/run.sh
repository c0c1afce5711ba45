#!/usr/bin/env bash
# run.sh BUILD — the embedding example (example.c) under a comma-decimal
# locale: its report on the rule examples must equal the sdlint binary's under
# LC_ALL=C, with the built-in parameters and with a fractional --param.
#
# de_DE.UTF-8 is used when the system has it; otherwise it is compiled into
# BUILD/locale with localedef (Debian's `locales` package, which .ci/run
# installs) and found through LOCPATH.  Without either, one line says the test
# was skipped.
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
ex=$build/embed/example
# The locale is set for the example only (env), not for this shell.
if locale -a 2>/dev/null | grep -qiE '^de_DE\.utf-?8$'; then
    loc=(LC_ALL=de_DE.UTF-8)
elif [ -f "$build/locale/de_DE.UTF-8/LC_NUMERIC" ] ||
     { mkdir -p "$build/locale" && localedef -i de_DE -f UTF-8 "$build/locale/de_DE.UTF-8" >/dev/null 2>&1; }; then
    loc=(LOCPATH="$(cd "$build/locale" && pwd)" LC_ALL=de_DE.UTF-8)
else
    echo "embed: skipped (no de_DE.UTF-8 locale, and localedef could not make one: apt-get install locales)"
    exit 0
fi
# The engine alone (no checker around it) compiles the built-in pack.
if ! env "${loc[@]}" "$ex" --engine rules/sanding.sch; then
    echo "FAIL embed: the built-in pack does not compile under de_DE.UTF-8"
    exit 1
fi
files="rules/examples/SD104-fail.xml rules/examples/SD104-pass.xml rules/examples/SD101-fail.xml"
fail=0
for param in "" "max-comprehensive-share=0.255"; do
    args=()
    [ -n "$param" ] && args=(--param "$param")
    # shellcheck disable=SC2086
    want=$(LC_ALL=C LOCPATH= "$build/sdlint" --lang zh --color never "${args[@]}" $files)
    # shellcheck disable=SC2086
    got=$(env "${loc[@]}" "$ex" "${args[@]}" $files)
    rc=$?
    if [ $rc -ne 0 ] || [ "$got" != "$want" ]; then
        echo "FAIL embed ${param:-(defaults)}: exit $rc; the embedded report differs from sdlint's under LC_ALL=C:"
        diff <(echo "$want") <(echo "$got")
        fail=1
    fi
done
if [ $fail -eq 0 ]; then
    echo "embed: 3 passed (the library under de_DE.UTF-8, decimal comma: the built-in pack compiles, reports equal sdlint's under C)"
fi
exit $fail
