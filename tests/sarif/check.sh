#!/usr/bin/env bash
# check.sh BINARY — sdlint's SARIF against the official schema, and the
# properties the schema does not state (see README.md here).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
unset GITHUB_ACTIONS
export LANG=C
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  if [ "${SDLINT_REQUIRE_JSONSCHEMA:-}" = 1 ]; then
    echo "FAIL sarif: python3-jsonschema is required here (SDLINT_REQUIRE_JSONSCHEMA=1)"
    exit 1
  fi
  echo "sarif: skipped (python3-jsonschema missing: apt-get install python3-jsonschema)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# The inputs: every sample, every rule example, the broken inputs (not the
# hostile ones made at run time by the e2e suite).
# (Not the folders whose .sdlint.xml is broken on purpose: their runs are
# usage errors, with no report at all.)
mapfile -t inputs < <(find samples rules/examples tests/e2e/inputs -name '*.xml' -type f \
  -not -path 'tests/e2e/inputs/workflow/bad*' | LC_ALL=C sort)
n=0
for f in "${inputs[@]}"; do
  "$bin" --format sarif "$f" >"$work/$n.sarif" 2>"$work/$n.err"
  rc=$?
  if [ "$rc" -gt 2 ]; then echo "FAIL sarif: exit $rc on $f"; fail=1; fi
  echo "$f" >"$work/$n.name"
  n=$((n + 1))
done
# A run against a baseline: baselined results carry baselineState.
"$bin" --format sarif --baseline tests/e2e/inputs/workflow/baseline.xml tests/e2e/inputs/workflow/draft.xml \
  >"$work/$n.sarif" 2>"$work/$n.err"
echo "baseline run" >"$work/$n.name"
grep -q '"baselineState": "unchanged"' "$work/$n.sarif" || { echo "FAIL sarif: no baselineState in a baseline run"; fail=1; }
n=$((n + 1))
"$bin" --format sarif "${inputs[@]}" >"$work/all.sarif" 2>/dev/null
"$bin" --lang en --format sarif samples >"$work/samples-en.sarif" 2>/dev/null

python3 - "$work" "$n" tests/sarif/sarif-schema-2.1.0.json <<'PY' || fail=1
import json, os, sys
import jsonschema
work, n, schema_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
validator = jsonschema.Draft7Validator(json.load(open(schema_path, encoding="utf-8")))
bad = 0
logs = [(open(os.path.join(work, f"{i}.name")).read().strip(), os.path.join(work, f"{i}.sarif")) for i in range(n)]
logs += [("all inputs at once", os.path.join(work, "all.sarif")), ("samples, English", os.path.join(work, "samples-en.sarif"))]
# Related places: no rule makes them yet; the unit test's golden log has them.
logs += [("related places (tests/unit/golden/related.sarif)", "tests/unit/golden/related.sarif")]
results = 0
for name, path in logs:
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        print(f"FAIL sarif: {name}: not JSON: {e}"); bad += 1; continue
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:3]:
        print(f"FAIL sarif: {name}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    bad += bool(errors)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for r in run["results"]:
        results += 1
        if "ruleIndex" in r and rules[r["ruleIndex"]]["id"] != r["ruleId"]:
            print(f"FAIL sarif: {name}: ruleIndex {r['ruleIndex']} is not {r['ruleId']}"); bad += 1
        art = r["locations"][0]["physicalLocation"]["artifactLocation"]
        if art.get("uriBaseId") != "SRCROOT" or art["uri"].startswith("/") or art["uri"].startswith("file:"):
            print(f"FAIL sarif: {name}: path not relative to the repository: {art}"); bad += 1
        if not r.get("partialFingerprints", {}).get("sdlint/v1"):
            print(f"FAIL sarif: {name}: no fingerprint"); bad += 1
print(f"sarif: {len(logs)} logs validated against the SARIF 2.1.0 schema, {results} results, {bad} failed")
sys.exit(1 if bad else 0)
PY

# Fingerprints: lines inserted above a finding keep it; another value changes it.
mkdir -p "$work/repo/.git" "$work/repo/d"
src=samples/broken/rules/yingshang-draft.xml
cp "$src" "$work/repo/d/a.xml"
( cd "$work/repo" && "$bin" --format sarif d/a.xml >"$work/fp1.sarif" 2>/dev/null )
{ head -n 2 "$src"; printf '\n\n\n'; tail -n +3 "$src"; } >"$work/repo/d/a.xml"
( cd "$work/repo" && "$bin" --format sarif d/a.xml >"$work/fp2.sarif" 2>/dev/null )
sed 's/posts="3"/posts="2"/' "$src" >"$work/repo/d/a.xml"
( cd "$work/repo" && "$bin" --format sarif d/a.xml >"$work/fp3.sarif" 2>/dev/null )
python3 - "$work" <<'PY' || fail=1
import json, sys
w = sys.argv[1]
def fps(n):
    res = json.load(open(f"{w}/fp{n}.sarif"))["runs"][0]["results"]
    return [(r["ruleId"], r["partialFingerprints"]["sdlint/v1"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in res]
a, b, c = fps(1), fps(2), fps(3)
ok = True
if [x[:2] for x in a] != [x[:2] for x in b] or [x[2] for x in a] == [x[2] for x in b]:
    print("FAIL sarif: fingerprints changed when lines were inserted above the findings"); ok = False
if len(set(x[1] for x in a)) != len(a):
    print("FAIL sarif: two findings share a fingerprint"); ok = False
if [x[1] for x in a] == [x[1] for x in c]:
    print("FAIL sarif: fingerprints did not change with the finding's values"); ok = False
if ok:
    print(f"sarif: fingerprints of {len(a)} findings stable across inserted lines, changed by new values")
sys.exit(0 if ok else 1)
PY

# The golden log, with the checkout's absolute path as ROOT.
"$bin" --format sarif samples/broken/rules/yingshang-draft.xml 2>/dev/null \
  | sed "s|\"file://[^\"]*/\"}}|\"file://ROOT/\"}}|" >"$work/draft.sarif"
golden=tests/sarif/golden/draft.sarif
if [ -n "${SDLINT_GOLDEN_UPDATE:-}" ]; then
  if ! cmp -s "$work/draft.sarif" "$golden"; then diff -u "$golden" "$work/draft.sarif"; cp "$work/draft.sarif" "$golden"; echo "updated $golden"; fi
elif ! cmp -s "$work/draft.sarif" "$golden"; then
  echo "FAIL sarif: golden $golden differs:"; diff -u "$golden" "$work/draft.sarif" | head -40; fail=1
fi
[ "$fail" = 0 ] && echo "sarif: ok"
exit "$fail"
