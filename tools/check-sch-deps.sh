#!/bin/sh
# check-sch-deps.sh HEADER OBJDIR — checks that calls between the files of
# src/sch/ run one way: the "sch-layers:" line of HEADER (sch_int.h) lists the
# files lowest first, and a file may call only functions defined in files to
# its left.  Read from the objects (nm), so a call through a macro or a
# declaration typed by hand is seen too.  Prints every call against the order
# and exits 1; an object missing from the list is an error as well.
set -eu
header=$1
objdir=$2
layers=$(sed -n 's/^.*sch-layers:[[:space:]]*//p' "$header")
[ -n "$layers" ] || { echo "check-sch-deps: no 'sch-layers:' line in $header"; exit 1; }
rank() {
    i=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
status=0
for o in "$objdir"/*.o; do
    f=$(basename "$o" .o)
    if [ "$(rank "$f")" -lt 0 ]; then
        echo "check-sch-deps: $f.c is not in the sch-layers line of $header"
        status=1
    fi
    nm -g --defined-only "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ {print $3, f}' >>"$defs"
done
for o in "$objdir"/*.o; do
    f=$(basename "$o" .o)
    rf=$(rank "$f")
    for sym in $(nm -u "$o" | awk '{print $2}'); do
        to=$(awk -v s="$sym" '$1 == s {print $2; exit}' "$defs")
        [ -n "$to" ] && [ "$to" != "$f" ] || continue
        if [ "$(rank "$to")" -ge "$rf" ]; then
            echo "check-sch-deps: $f.c calls $sym() of $to.c, which comes after it in sch-layers"
            status=1
        fi
    done
done
[ $status = 0 ] && echo "check-sch-deps: ok ($layers)"
exit $status
