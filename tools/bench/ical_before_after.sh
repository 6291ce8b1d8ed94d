#!/usr/bin/env bash
# Two builds of examples/expand (BEFORE, AFTER) and the Python peer on the FINOS export's five
# conformance windows, in one run: each round runs BEFORE, AFTER and the peer once, per window,
# so a busy machine weighs on the three alike; the best wall time of RUNS rounds is printed,
# and the ratio peer / AFTER. Outputs are checked identical (sorted occurrences).
#
# Usage: tools/bench/ical_before_after.sh BEFORE AFTER [RUNS]   (needs ../shared and
#        pip install recurring-ical-events icalendar)
# Instructions (quiet, exact): valgrind --tool=callgrind BIN FINOS 2024-11-06 2024-12-04
set -euo pipefail
cd "$(dirname "$0")/../.."
before=$1 after=$2 runs=${3:-5}
peer=tests/conformance/finos_occurrences.py
finos=../shared/data/real-calendars/finos-community-2024-11-05.ics
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
echo "best of $runs rounds; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo '| window | before | after | python | python / before | python / after | outputs |'
echo '| --- | --- | --- | --- | --- | --- | --- |'
for w in "2019-03-01 2019-03-29" "2019-10-20 2019-11-17" "2023-06-07 2023-07-05" \
         "2024-10-23 2024-11-20" "2024-11-06 2024-12-04"; do
  set -- $w
  b=999999 a=999999 p=999999
  for _ in $(seq "$runs"); do
    t=$(ms "$before" "$finos" "$1" "$2"); (( t < b )) && b=$t
    t=$(ms "$after" "$finos" "$1" "$2"); (( t < a )) && a=$t
    t=$(ms python3 "$peer" "$finos" "$1" "$2"); (( t < p )) && p=$t
  done
  same=identical
  cmp -s <("$after" "$finos" "$1" "$2" 2>/dev/null | sort) <(python3 "$peer" "$finos" "$1" "$2" | sort) || same=DIFFER
  cmp -s <("$after" "$finos" "$1" "$2" 2>/dev/null | sort) <("$before" "$finos" "$1" "$2" 2>/dev/null | sort) || same="$same, before DIFFERS"
  printf '| %s..%s | %s ms | %s ms | %s ms | %s × | %s × | %s |\n' "$1" "$2" "$b" "$a" "$p" \
    "$(awk -v a="$p" -v b="$b" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }')" \
    "$(awk -v a="$p" -v b="$a" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }')" "$same"
done
