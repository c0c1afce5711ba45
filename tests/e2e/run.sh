#!/usr/bin/env bash
# run.sh BINARY — end-to-end tests: the built sdlint on real files, compared
# byte for byte with golden output (stdout, stderr and exit code).
#
# Cases are data: tests/e2e/*.cases, one per line, "NAME  ARGS..." (ARGS are
# split by the shell and run from the repository root, or from a scratch folder
# of generated inputs when ARGS start with @scratch).  The golden file
# tests/e2e/golden/NAME.out holds stdout, then stderr after a "--- stderr"
# line when there is any, then "--- exit N".  SDLINT_GOLDEN_UPDATE=1 rewrites
# the golden files and shows the diff (make golden-update).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
update=${SDLINT_GOLDEN_UPDATE:-}
scratch=$(mktemp -d)
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# Inputs that cannot live in git: made fresh for every run.
mkdir -p "$scratch/in/loop" "$scratch/in/empty-folder" "$scratch/in/folder.xml"
ln -s . "$scratch/in/loop/self"
cp tests/e2e/inputs/not-xml.xml "$scratch/in/loop/ok-not-xml.xml"
mkfifo "$scratch/in/fifo.xml"
printf '<?xml version="1.0"?>\n<secret/>\n' > "$scratch/in/unreadable.xml"
chmod 000 "$scratch/in/unreadable.xml"
printf 'A\0B\0\1\2\3\n' > "$scratch/in/binary.xml"
# An unreadable file stays readable for root, so as root run that case as nobody.
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$scratch" "$scratch/in"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

export LANG=C LC_ALL= LC_MESSAGES= NO_COLOR=
unset LC_ALL LC_MESSAGES NO_COLOR
hash_inputs() { find samples tests/e2e/inputs -type f -exec sha256sum {} + | sort; }
before_hashes=$(hash_inputs)
pass=0 fail=0
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  read -r name args <<<"$line"
  dir=$root
  runner=()
  if [ "${args#@scratch }" != "$args" ]; then
    dir=$scratch/in
    args=${args#@scratch }
  fi
  if [ "${args#@nobody }" != "$args" ]; then
    runner=("${as_user[@]}")
    args=${args#@nobody }
  fi
  out=$scratch/out.$name
  # shellcheck disable=SC2086
  (cd "$dir" && eval "${runner[*]} \"$bin\" $args" >"$out.stdout" 2>"$out.stderr" </dev/null)
  rc=$?
  {
    cat "$out.stdout"
    if [ -s "$out.stderr" ]; then echo "--- stderr"; cat "$out.stderr"; fi
    echo "--- exit $rc"
  } >"$out"
  golden=tests/e2e/golden/$name.out
  if [ -n "$update" ]; then
    if ! cmp -s "$out" "$golden" 2>/dev/null; then
      diff -u "$golden" "$out" 2>/dev/null || true
      cp "$out" "$golden"
      echo "updated $golden"
    fi
    pass=$((pass + 1))
  elif cmp -s "$out" "$golden"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: sdlint $args"
    diff -u "$golden" "$out" | head -40
  fi
done < <(cat tests/e2e/*.cases)

# Reading must never change an input: every input hashes the same afterwards.
if [ "$(hash_inputs)" != "$before_hashes" ]; then
  fail=$((fail + 1))
  echo "FAIL inputs-untouched: an input file changed during the run"
fi
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
