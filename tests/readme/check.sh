#!/usr/bin/env bash
# check.sh BINARY [--update] — the README's examples are the binary's output.
#
# Every fenced block of README.md that follows a marker line
#     <!-- readme-run: sdlint ARGS... [| head -n N] -->
# must hold exactly what that command prints (standard output and standard
# error together; the exit status is not compared), run with bash from the
# repository root, `sdlint` being BINARY, under LC_ALL=C (so messages are in
# Chinese unless the command says --lang en) with colours off.  The marker is
# an HTML comment: GitHub does not show it, so a reader sees only the block;
# the sentence before the block names the command.
#
# With --update (make readme-update) the blocks are rewritten from the binary
# and the diff is printed: after a change to the output format, run it, read
# the diff, commit README.md.  Exit status: 1 when a block differs (without
# --update), 2 on a malformed marker.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
readme=README.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/sdlint"

run() {
    env -u LANG -u LC_MESSAGES -u LANGUAGE -u GITHUB_ACTIONS LC_ALL=C NO_COLOR=1 PATH="$work/bin:$PATH" \
        bash -c "$1" 2>&1 </dev/null
}

mapfile -t lines < "$readme"
out=()
n=0 bad=0 i=0
while [ $i -lt ${#lines[@]} ]; do
    line=${lines[$i]}
    out+=("$line")
    i=$((i + 1))
    if [[ ! $line =~ ^'<!-- readme-run: '(.*)' -->'$ ]]; then
        continue
    fi
    cmd=${BASH_REMATCH[1]}
    fence=${lines[$i]:-}
    if [[ ! $fence =~ ^'```' ]]; then
        echo "readme: line $i: a readme-run marker must be followed by a fenced block" >&2
        exit 2
    fi
    out+=("$fence")
    i=$((i + 1))
    want=()
    while [ $i -lt ${#lines[@]} ] && [ "${lines[$i]}" != '```' ]; do
        want+=("${lines[$i]}")
        i=$((i + 1))
    done
    if [ $i -ge ${#lines[@]} ]; then
        echo "readme: the block of \"$cmd\" is not closed" >&2
        exit 2
    fi
    got=$(run "$cmd")
    n=$((n + 1))
    expected=$(printf '%s\n' "${want[@]+"${want[@]}"}")
    if [ "$got" != "$expected" ]; then
        bad=$((bad + 1))
        if [ "$update" != --update ]; then
            echo "readme: the README's output of \"$cmd\" differs from the binary's (- README, + binary):"
            diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$got") | tail -n +3
        fi
    fi
    [ -n "$got" ] && mapfile -t -O "${#out[@]}" out <<< "$got"
    out+=('```')
    i=$((i + 1))
done

if [ "$update" = --update ]; then
    printf '%s\n' "${out[@]}" > "$work/README.md"
    if cmp -s "$readme" "$work/README.md"; then
        echo "readme: $n examples, all up to date"
    else
        diff -u "$readme" "$work/README.md"
        cp "$work/README.md" "$readme"
        echo "readme: $bad of $n examples rewritten in $readme (diff above)"
    fi
    exit 0
fi
if [ $bad -gt 0 ]; then
    echo "readme: $bad of $n examples differ; if the new output is right: make readme-update"
    exit 1
fi
if [ $n -eq 0 ]; then
    echo "readme: no <!-- readme-run: … --> examples found in $readme" >&2
    exit 2
fi
echo "readme: $n examples match the binary's output"
