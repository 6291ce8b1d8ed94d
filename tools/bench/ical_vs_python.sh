#!/usr/bin/env bash
# Benchmark: parse + expand the real FINOS Google Calendar export (4.2 MB, 2,394 VEVENTs) for
# the five conformance windows, twir-events (release build of examples/expand.rs) against the
# peer, Python's recurring-ical-events, on the same file in the same run. Both are timed as
# whole processes (what a user runs), best of N runs, and the outputs are checked identical.
#
# Usage: tools/bench/ical_vs_python.sh [RUNS]      (needs ../shared and
#        pip install recurring-ical-events icalendar)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
file=../shared/data/real-calendars/finos-community-2024-11-05.ics
[ -f "$file" ] || { echo "no $file: run from a checkout with ../shared beside it" >&2; exit 1; }
python3 -c 'import recurring_ical_events' 2>/dev/null || { echo "pip install recurring-ical-events icalendar" >&2; exit 1; }
cargo build --release --example expand -q
bin=target/release/examples/expand
best() { # best wall time in ms of N runs of a command
  local b=999999 t0 t1 ms
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); (( ms < b )) && b=$ms
  done
  echo "$b"
}
printf '%-24s %10s %10s %8s %s\n' window twir-ms python-ms ratio outputs
for w in "2019-03-01 2019-03-29" "2019-10-20 2019-11-17" "2023-06-07 2023-07-05" \
         "2024-10-23 2024-11-20" "2024-11-06 2024-12-04"; do
  set -- $w
  ours=$(best "$bin" "$file" "$1" "$2")
  peer=$(best python3 tests/conformance/finos_occurrences.py "$file" "$1" "$2")
  same=$(cmp -s <("$bin" "$file" "$1" "$2" 2>/dev/null | sort) \
               <(python3 tests/conformance/finos_occurrences.py "$file" "$1" "$2" | sort) \
         && echo identical || echo DIFFER)
  printf '%-24s %10s %10s %7sx %s\n' "$1..$2" "$ours" "$peer" \
    "$(awk -v a="$peer" -v b="$ours" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }')" "$same"
done
