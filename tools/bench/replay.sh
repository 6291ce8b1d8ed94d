#!/usr/bin/env bash
# Benchmark: the whole pipeline on a replayed snapshot (no network: all CPU), the calendar +
# 150 and + 1,000 meetup group pages (tools/bench/gen_sources.py), for one or more release
# binaries side by side: runs interleaved (each binary once, N times), best wall time and peak
# memory, outputs checked identical between binaries.
#
# Usage: tools/bench/replay.sh [RUNS] [BIN...]   (default BIN: this checkout's release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}; shift || true
if [ $# -eq 0 ]; then cargo build --release -q; set -- target/release/twir-events; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "best of $runs interleaved runs; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo '| input | binary | wall | peak memory | events printed |'
echo '| --- | --- | --- | --- | --- |'
for groups in 150 1000; do
  snap=$tmp/s$groups
  python3 tools/bench/gen_sources.py "$groups" "$snap" 2>/dev/null
  declare -A best=() mem=()
  for _ in $(seq "$runs"); do
    for bin in "$@"; do
      t0=$(date +%s%N)
      /usr/bin/time -f "%M" -o "$tmp/mem" "$bin" render --replay "$snap" > "$tmp/out" 2>/dev/null || true
      t1=$(date +%s%N)
      ms=$(( (t1 - t0) / 1000000 )); kb=$(tail -1 "$tmp/mem")
      if [ -z "${best[$bin]:-}" ] || (( ms < best[$bin] )); then best[$bin]=$ms; fi
      if [ -z "${mem[$bin]:-}" ] || (( kb < mem[$bin] )); then mem[$bin]=$kb; fi
      if [ -f "$tmp/first$groups" ]; then
        cmp -s "$tmp/out" "$tmp/first$groups" || echo "OUTPUT DIFFERS: $bin on $groups groups" >&2
      else cp "$tmp/out" "$tmp/first$groups"; fi
    done
  done
  for bin in "$@"; do
    printf '| calendar + %s group pages | %s | %s ms | %s MiB | %s |\n' "$groups" "$bin" "${best[$bin]}" \
      "$(( mem[$bin] / 1024 ))" "$(grep -c '^\* ' "$tmp/first$groups")"
  done
  unset best mem
done
