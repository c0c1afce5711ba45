#!/usr/bin/env bash
# git.sh BINARY — the pre-commit workflow on a real repository in a temporary
# folder: `sdlint install-hook` (refuses to replace a different hook without
# --force, keeps a backup), `sdlint --staged` checks the index and not the
# working tree, names with spaces, Chinese and a line break, a suppressed
# finding does not block, and a commit touching no document is fast.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
max_ms=${SDLINT_HOOK_MAX_MS:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL git.sh: $*"; }

export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp/home GIT_AUTHOR_DATE=2026-01-01T00:00:00 GIT_COMMITTER_DATE=2026-01-01T00:00:00
mkdir -p "$HOME" "$tmp/repo"
cd "$tmp/repo" || exit 1
git init -q . && git config user.email t@example.org && git config user.name t && git config core.quotepath true
good=$root/samples/county/plan.xml
broken=$root/samples/broken/rules/yingshang-draft.xml
# a clean 三定 in vocabulary 2 (samples/county moves to it on branch samples2)
sanding=$root/tests/e2e/inputs/v2/shuiwu.xml

# A different hook exists: refused without --force, replaced with a backup with it.
printf '#!/bin/sh\necho mine\n' > .git/hooks/pre-commit
chmod 755 .git/hooks/pre-commit
if "$bin" install-hook >/dev/null 2>&1; then bad "install-hook replaced a different hook without --force"; else ok; fi
grep -q mine .git/hooks/pre-commit && ok || bad "the different hook was changed"
"$bin" install-hook --force >/dev/null || bad "install-hook --force failed"
grep -q mine .git/hooks/pre-commit.sdlint-backup && ok || bad "no backup of the previous hook"
grep -q -- '--staged' .git/hooks/pre-commit && [ -x .git/hooks/pre-commit ] && ok || bad "hook not written"
"$bin" install-hook >/dev/null && ok || bad "install-hook again (same hook) failed"

# A staged error blocks the commit; a name with a space, Chinese and a line break.
name=$'草稿 第1稿\n.xml'
cp "$broken" "$name"
git add -- "$name"
if git commit -qm broken >"$tmp/out" 2>&1; then bad "a staged error did not block the commit"; else ok; fi
grep -q "^草稿 第1稿" "$tmp/out" && ok || { bad "finding not under the repository path"; head -3 "$tmp/out"; }

# Fixing only the staged copy lets it through; the working copy stays broken.
git rm -q --cached -- "$name"
cp "$sanding" "$name"
git add -- "$name"
cp "$broken" "$name"
if git commit -qm fixed-in-index >"$tmp/out" 2>&1; then ok; else bad "the fixed staged copy was refused"; cat "$tmp/out"; fi
# And the reverse: a broken index under a fixed working copy is refused.
mkdir -p "sub dir"
cp "$broken" "sub dir/计划.xml"
git add "sub dir/计划.xml"
cp "$sanding" "sub dir/计划.xml"
if git commit -qm broken-index >"$tmp/out" 2>&1; then bad "a broken staged copy passed because the working copy is fine"; else ok; fi
grep -q "^sub dir/计划.xml:" "$tmp/out" && ok || { bad "finding not under sub dir/计划.xml"; head -3 "$tmp/out"; }
git reset -q -- "sub dir/计划.xml"

# A staged XML file that is no sdlint document (an Ant build.xml) is skipped,
# as in folder walks, and counted.
printf '<?xml version="1.0"?>\n<project name="x" default="build"/>\n' > build.xml
git add build.xml
"$bin" --lang zh --staged >"$tmp/out" 2>&1; rc=$?
[ "$rc" = 0 ] && ! grep -q SD002 "$tmp/out" && grep -q "跳过 1 个" "$tmp/out" && ok || { bad "a staged build.xml was not skipped (exit $rc)"; cat "$tmp/out"; }
git commit -qm build >/dev/null 2>&1 && ok || bad "a commit of build.xml was refused"

# A suppressed finding does not block.
python3 - "$broken" supp.xml <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
              '<?xml version="1.0" encoding="UTF-8"?>\n'
              '<?sdlint disable-file SD101,SD102,SD105,SD110 -- 经市编委批准（沈编发〔2019〕3号）?>\n', 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
git add supp.xml
if git commit -qm suppressed >"$tmp/out" 2>&1; then ok; else bad "a suppressed finding blocked the commit"; cat "$tmp/out"; fi

# --staged from a subfolder reports repository paths too.
cp "$broken" "sub dir/b.xml"
git add "sub dir/b.xml"
(cd "sub dir" && "$bin" --staged >"$tmp/out" 2>&1)
grep -q "^sub dir/b.xml:" "$tmp/out" && ok || { bad "--staged in a subfolder: not the repository path"; head -3 "$tmp/out"; }
git reset -q -- "sub dir/b.xml"

# A commit touching no document: the hook's own time, best of 5.
echo notes > notes.txt
git add notes.txt
best=999999
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  .git/hooks/pre-commit >/dev/null 2>&1 || bad "hook failed with no document staged"
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$ms" -lt "$best" ] && best=$ms
done
t0=$(date +%s%N)
git commit -qm notes >/dev/null 2>&1 || bad "a commit with no document failed"
commit_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$best" -lt "$max_ms" ]; then ok; else bad "the hook took ${best} ms with no document staged (limit ${max_ms} ms)"; fi
if [ "$commit_ms" -lt "${SDLINT_COMMIT_MAX_MS:-1000}" ]; then ok; else bad "a commit with no document took ${commit_ms} ms"; fi
echo "git.sh: hook with no document staged ${best} ms (best of 5); whole commit ${commit_ms} ms"

# Outside a repository: a usage error.
(cd "$tmp/home" && "$bin" --staged >/dev/null 2>&1); [ $? = 2 ] && ok || bad "--staged outside a repository: not exit 2"

# --stdin-filename names standard input.
"$bin" --stdin-filename "计划/草稿.xml" < "$broken" | grep -q "^计划/草稿.xml:8:5:" && ok || bad "--stdin-filename not used"

# The pre-commit framework's manifest.
grep -q '^- id: sdlint' "$root/.pre-commit-hooks.yaml" && grep -q 'language: system' "$root/.pre-commit-hooks.yaml" \
  && grep -q 'types: \[xml\]' "$root/.pre-commit-hooks.yaml" && ok || bad ".pre-commit-hooks.yaml"

echo "git.sh: $pass passed, $fail failed"
[ "$fail" = 0 ]
