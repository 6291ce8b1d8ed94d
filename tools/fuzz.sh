#!/usr/bin/env bash
# The long fuzzing pass (not run in CI; CI runs tests/fuzz_smoke.rs).
#
#   tools/fuzz.sh [RUNS] [TARGET...]      default: 1000000 runs of every target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); runs on the stable toolchain with
# RUSTC_BOOTSTRAP=1. Seeds each target's corpus (fuzz/corpus/<target>/, not committed) from the
# repository's snapshots and fixtures and, when present, ../shared (the real calendar exports
# cut into small calendars, published sections). Crashes land in fuzz/artifacts/<target>/:
# copy each into tests/fixtures/fuzz/<target>/ (the CI pass replays them) and fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(ical meetup jsonld manifest sources_toml draft)
export RUSTC_BOOTSTRAP=1

python3 tools/fuzz_seeds.py fuzz/corpus

for t in "${targets[@]}"; do
  case $t in
    ical | meetup | jsonld) max_len=16384 ;;
    *) max_len=8192 ;;
  esac
  mkdir -p "fuzz/artifacts/$t"
  echo "== $t: $runs runs, max_len $max_len" >&2
  nice -n 10 cargo fuzz run --release "$t" "fuzz/corpus/$t" "tests/fixtures/fuzz/$t" -- \
    -runs="$runs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 2>&1 |
    tee "fuzz/artifacts/$t.log" | grep -E "^(#[0-9]+\s+DONE|Done|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY)" || true
done
