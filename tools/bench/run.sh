#!/usr/bin/env bash
# run.sh SDLINT WORKDIR — the engine benchmark of issue 7 (make bench-engine).
#
# For every row of the manifest tools/bench/gen.py writes (a family of engine
# cost and an output format), runs sdlint on the family's document of n and of
# 10n elements and `xmllint --noout` on the same inputs, and prints side by side
# the best-of-BENCH_RUNS wall times, the ratio sdlint/xmllint, and the growth of
# sdlint's time for ×10 input.  A row PASSes when the growth is at most ×12,
# the output is right (as many findings as a correct run reports, and the text
# one of them must hold) and, where the issue sets one, the ratio is within its
# target (SVRL on the every-element-fails document: 2).  It is a report, not a
# test: the exit status is 0 unless a run crashed (a signal other than our
# timeout) or the inputs could not be made.
#
# A run that takes longer than BENCH_TIMEOUT seconds (default 60) is killed and
# shown as ">60s"; its row FAILs and its 10n run is not started.  Knobs:
#   BENCH_RUNS=3      runs per measurement (the best counts)
#   BENCH_TIMEOUT=60  seconds before a run is killed
#   BENCH_SCALE=1     multiplies every family's n (inputs are regenerated)
#   BENCH_SEED=7      the generator's seed
#   BENCH_ONLY=REGEX  only the rows whose name matches
set -u
if [ $# -ne 2 ]; then
  echo "usage: run.sh SDLINT WORKDIR" >&2
  exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
here=$(cd "$(dirname "$0")" && pwd)
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-60}
scale=${BENCH_SCALE:-1}
seed=${BENCH_SEED:-7}
only=${BENCH_ONLY:-}
limit_ns=$((limit * 1000000000))

if ! command -v xmllint >/dev/null 2>&1; then
  echo "bench-engine: xmllint not found; install it with: sudo apt-get install -y libxml2-utils" >&2
  exit 2
fi
if [ ! -x "$bin" ]; then
  echo "bench-engine: no sdlint at $bin" >&2
  exit 2
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
echo "bench-engine: generating inputs in $work (seed $seed, scale $scale)"
if ! python3 "$here/gen.py" --seed "$seed" --scale "$scale" "$work/inputs" >"$work/manifest.tsv"; then
  echo "bench-engine: the generator failed" >&2
  exit 2
fi

crashed=0
# run_once CMD... — one run under the timeout; sets T (ns) and RC.  stdout and
# stderr go to $work/out and $work/err (the last run's are checked).
run_once() {
  local t0 t1
  t0=$(date +%s%N)
  timeout -k 5 "$limit" "$@" >"$work/out" 2>"$work/err" </dev/null
  RC=$?
  t1=$(date +%s%N)
  T=$((t1 - t0))
}
# best CMD... — the best of $runs runs; sets BEST (ns, or -1 after a timeout),
# RC (of the last run) and STOP=1 when a run crashed (then no more runs).
best() {
  BEST=
  STOP=0
  local k
  for ((k = 0; k < runs; k++)); do
    run_once "$@"
    if [ "$RC" = 124 ] || [ "$RC" = 137 ] || [ "$T" -ge "$limit_ns" ]; then
      BEST=-1
      return
    fi
    if [ "$RC" -ge 128 ]; then
      STOP=1
      BEST=$T
      return
    fi
    if [ -z "$BEST" ] || [ "$T" -lt "$BEST" ]; then BEST=$T; fi
  done
}
secs() {  # ns -> "0.123s", or ">60s" for a timeout, "-" when not run
  case "$1" in
    -1) echo ">${limit}s" ;;
    '') echo "-" ;;
    *) awk -v t="$1" 'BEGIN { printf "%.3fs", t / 1e9 }' ;;
  esac
}
ratio() {  # a/b with one decimal; ">x" when a timed out (x = limit/b)
  local a=$1 b=$2
  if [ -z "$a" ] || [ -z "$b" ] || [ "$b" = -1 ] || [ "$b" = 0 ]; then echo "-"; return; fi
  if [ "$a" = -1 ]; then awk -v a="$limit_ns" -v b="$b" 'BEGIN { printf ">%.0f", a / b }'; return; fi
  awk -v a="$a" -v b="$b" 'BEGIN { r = a / b; printf (r < 100 ? "%.2f" : "%.0f"), r }'
}
# findings FORMAT — the number of findings in $work/out.
findings() {
  case "$1" in
    text) grep -cE '^[^ ].*: (fatal|error|warning|info): ' "$work/out" ;;
    json) grep -o '"rule": *"' "$work/out" | wc -l ;;
    svrl) grep -oE '<svrl:(failed-assert|successful-report)[ >/]' "$work/out" | wc -l ;;
  esac
}
# check FORMAT COUNT EXPECT — "ok" when the last sdlint run's output is right.
check() {
  local got
  if [ "$RC" != 0 ] && [ "$RC" != 1 ]; then
    echo "exit $RC"
    return
  fi
  got=$(findings "$1")
  if [ "$got" != "$2" ]; then
    echo "$got/$2 findings"
    return
  fi
  if [ "$3" != - ] && ! grep -qF -- "$3" "$work/out"; then
    echo "no '$3'"
    return
  fi
  echo ok
}

declare -A parse_ns
# xml_time INPUT — xmllint --noout on the input (a folder: on its real files),
# measured once per input and kept.
xml_time() {
  local in=$1
  if [ -z "${parse_ns[$in]+x}" ]; then
    if [ -d "$in" ]; then
      best xargs -a "$in.files" xmllint --noout
    else
      best xmllint --noout "$in"
    fi
    if [ "$RC" != 0 ] && [ "$BEST" != -1 ]; then
      echo "bench-engine: xmllint failed on $in (exit $RC):" >&2
      head -5 "$work/err" >&2
      crashed=1
    fi
    parse_ns[$in]=$BEST
  fi
  XT=${parse_ns[$in]}
}

echo "sdlint: $bin ($("$bin" --version 2>&1 | head -1))"
echo "bench: tools/bench of $(cd "$here/../.." && git describe --always --dirty 2>/dev/null || echo '?')"
echo "xmllint: $(xmllint --version 2>&1 | head -1)"
echo "machine: $(nproc) cores, $(uname -sr); best of $runs runs, runs over ${limit}s are killed"
echo
fmt='%-20s %7s %9s %9s %7s | %7s %9s %9s %7s | %7s  %-18s %s\n'
# shellcheck disable=SC2059
printf "$fmt" row n sdlint xmllint ratio 10n sdlint xmllint ratio growth check verdict
printf '%s\n' "$(printf '%.0s-' $(seq 128))"
pass=0 total=0
while IFS=$'\t' read -r row format pack n in1 in10 count1 count10 expect1 expect10 maxratio; do
  if [ -n "$only" ] && ! [[ $row =~ $only ]]; then continue; fi
  total=$((total + 1))
  args=(--lang en --rules "$pack" --format "$format")
  xml_time "$in1"; x1=$XT
  xml_time "$in10"; x10=$XT
  # n
  best "$bin" "${args[@]}" "$in1"; s1=$BEST
  crash=$STOP
  if [ "$STOP" = 1 ]; then crashed=1; fi
  if [ "$s1" = -1 ]; then c1=timeout; else c1=$(check "$format" "$count1" "$expect1"); fi
  # 10n, unless n already timed out or crashed
  s10='' c10="not run"
  if [ "$s1" != -1 ] && [ "$crash" = 0 ]; then
    best "$bin" "${args[@]}" "$in10"; s10=$BEST
    if [ "$STOP" = 1 ]; then crashed=1 crash=1; fi
    if [ "$s10" = -1 ]; then c10=timeout; else c10=$(check "$format" "$count10" "$expect10"); fi
  fi
  # growth = t(10n) / t(n)
  why=
  if [ "$crash" = 1 ]; then
    growth="-"
    why="crash"
  elif [ "$s1" = -1 ]; then
    growth="-"
    why="n over ${limit}s"
  elif [ -z "$s10" ] || [ "$s10" = -1 ]; then
    growth=$(ratio -1 "$s1")
    why="10n over ${limit}s"
  else
    growth=$(ratio "$s10" "$s1")
    if awk -v g="$growth" 'BEGIN { exit !(g > 12) }'; then why="growth"; fi
  fi
  r1=$(ratio "$s1" "$x1")
  r10=$(ratio "$s10" "$x10")
  if [ "$maxratio" != - ]; then
    for r in "$r1" "$r10"; do
      if [ "$r" = - ] || [ "${r#>}" != "$r" ] || awk -v r="$r" -v m="$maxratio" 'BEGIN { exit !(r > m) }'; then
        why="${why:+$why, }ratio > $maxratio"
        break
      fi
    done
  fi
  chk=$c1
  if [ "$c1" = ok ] && [ "$c10" = ok ]; then chk=ok
  elif [ "$c1" = ok ]; then chk="10n: $c10"
  elif [ "$c1" != timeout ]; then chk="n: $c1"
  fi
  if [ "$chk" != ok ] && [ "$chk" != timeout ] && [ "$c10" != timeout ]; then
    why="${why:+$why, }output"
  fi
  if [ -z "$why" ]; then verdict=PASS; pass=$((pass + 1)); else verdict="FAIL ($why)"; fi
  # shellcheck disable=SC2059
  printf "$fmt" "$row" "$n" "$(secs "$s1")" "$(secs "$x1")" "$r1" "$((n * 10))" "$(secs "$s10")" \
    "$(secs "$x10")" "$r10" "$growth" "$chk" "$verdict"
done <"$work/manifest.tsv"
echo
echo "targets: growth <= x12 for x10 input in every row; a-every-fails-svrl within 2x of xmllint --noout"
echo "bench-engine: $pass of $total rows PASS"
if [ "$crashed" = 1 ]; then
  echo "bench-engine: a run crashed (see above)"
  exit 1
fi
exit 0
