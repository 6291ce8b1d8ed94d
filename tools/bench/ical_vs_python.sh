#!/usr/bin/env bash
# Benchmark: parse + expand iCalendar files, twir-events (release build of examples/expand.rs)
# against the peer, Python's recurring-ical-events, on the same file in the same run:
#   - the real FINOS Google Calendar export (4.2 MB, 2,394 VEVENTs), the five conformance windows;
#   - a generated 20,000-VEVENT calendar (tools/bench/gen_ical.py big: 3,000 series over ten
#     years, EXDATEs, 2,000 overrides, 15,000 one-offs), one four-week window;
#   - series age: 200 daily series started in 1990 vs in 2025 (gen_ical.py age), same window.
# Both are timed as whole processes (what a user runs), runs interleaved (ours, then the peer's,
# N times) so a busy machine weighs on both alike; the best wall time and the best peak memory
# (maximum resident set, /usr/bin/time) of N runs are printed, and the outputs are checked
# identical (sorted occurrences).
#
# Usage: tools/bench/ical_vs_python.sh [RUNS] [BIN]   (needs ../shared for FINOS, and
#        pip install recurring-ical-events icalendar; BIN: another build of the expand example,
#        e.g. an older commit's, instead of this checkout's)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
python3 -c 'import recurring_ical_events' 2>/dev/null || { echo "pip install recurring-ical-events icalendar" >&2; exit 1; }
if [ -n "${2:-}" ]; then bin=$2; else
  cargo build --release --example expand -q
  bin=target/release/examples/expand
fi
peer=tests/conformance/finos_occurrences.py
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

one() { # wall ms and peak KiB of one run: "MS KB"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$tmp/mem" "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(tail -1 "$tmp/mem")"
}
row() { # label file from to
  local label=$1 file=$2 from=$3 to=$4 ob=999999 om=999999999 pb=999999 pm=999999999 ms kb
  for _ in $(seq "$runs"); do
    read -r ms kb < <(one "$bin" "$file" "$from" "$to"); (( ms < ob )) && ob=$ms; (( kb < om )) && om=$kb
    read -r ms kb < <(one python3 "$peer" "$file" "$from" "$to"); (( ms < pb )) && pb=$ms; (( kb < pm )) && pm=$kb
  done
  "$bin" "$file" "$from" "$to" 2>/dev/null | sort > "$tmp/ours"
  python3 "$peer" "$file" "$from" "$to" | sort > "$tmp/peer"
  local same; same=$(cmp -s "$tmp/ours" "$tmp/peer" && echo "identical ($(wc -l < "$tmp/ours"))" || echo "DIFFER ($(wc -l < "$tmp/ours") vs $(wc -l < "$tmp/peer"))")
  printf '| %s | %s..%s | %s ms | %s ms | %s × | %s MiB | %s MiB | %s × | %s |\n' "$label" "$from" "$to" \
    "$ob" "$pb" "$(awk -v a="$pb" -v b="$ob" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }')" \
    "$(( om / 1024 ))" "$(( pm / 1024 ))" "$(awk -v a="$pm" -v b="$om" 'BEGIN { printf "%.1f", a / b }')" "$same"
  echo "$ob" > "$tmp/last_ours"
}

echo "best of $runs interleaved runs; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo '| input | window | twir-events | python | speed-up | twir memory | python memory | less memory | occurrences |'
echo '| --- | --- | --- | --- | --- | --- | --- | --- | --- |'
finos=../shared/data/real-calendars/finos-community-2024-11-05.ics
if [ -f "$finos" ]; then
  for w in "2019-03-01 2019-03-29" "2019-10-20 2019-11-17" "2023-06-07 2023-07-05" \
           "2024-10-23 2024-11-20" "2024-11-06 2024-12-04"; do
    set -- $w
    row FINOS "$finos" "$1" "$2"
  done
else
  echo "(no $finos: FINOS rows skipped)" >&2
fi
python3 tools/bench/gen_ical.py big "$tmp/big.ics" 2>/dev/null
row "generated, 20,000 VEVENTs" "$tmp/big.ics" 2024-11-06 2024-12-04
python3 tools/bench/gen_ical.py age 1990 "$tmp/age1990.ics"
python3 tools/bench/gen_ical.py age 2025 "$tmp/age2025.ics"
row "200 daily series from 1990" "$tmp/age1990.ics" 2026-01-07 2026-02-04
old=$(cat "$tmp/last_ours")
row "200 daily series from 2025" "$tmp/age2025.ics" 2026-01-07 2026-02-04
new=$(cat "$tmp/last_ours")
echo "series age: 1990 / 2025 = $(awk -v a="$old" -v b="$new" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }') × (whole processes; parse+expand alone: run $bin FILE FROM TO, it prints its own time on stderr)"
