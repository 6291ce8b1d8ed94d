#!/usr/bin/env bash
# The long fuzzing pass (not run in CI; CI runs tests/fuzz_smoke.rs).
#
#   tools/fuzz.sh [RUNS] [TARGET...]      default: 1000000 runs of every target
#   FUZZ_MAX_TIME=SECS (per target) and FUZZ_PARALLEL=N (targets at once) bound the pass.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); runs on the stable toolchain with
# RUSTC_BOOTSTRAP=1. Seeds each target's corpus (fuzz/corpus/<target>/, not committed) from the
# repository's snapshots and fixtures and, when present, ../shared (the real calendar exports
# cut into small calendars, published sections). Crashes land in fuzz/artifacts/<target>/:
# copy each into tests/fixtures/fuzz/<target>/ (the CI pass replays them) and fix it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
# At most this many seconds per target (0: no limit), and how many targets at once.
max_time=${FUZZ_MAX_TIME:-0}
jobs=${FUZZ_PARALLEL:-1}
shift || true
targets=("$@")
# Every target of src/fuzzing.rs has its regression folder (tests/fuzz_smoke.rs checks it).
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(ls tests/fixtures/fuzz)
export RUSTC_BOOTSTRAP=1

python3 tools/fuzz_seeds.py fuzz/corpus

run_one() {
  local t=$1 max_len
  case $t in
    manifest | sources_toml | draft) max_len=2048 ;;
    *) max_len=4096 ;; # the readers of the kinds of source
  esac
  mkdir -p "fuzz/artifacts/$t"
  echo "== $t: $runs runs, max_len $max_len" >&2
  # No sanitizer: the code is safe Rust; what is looked for is panics, hangs and memory blow-ups.
  # One fuzz binary, `target`, runs the target TWIR_FUZZ_TARGET names (fuzz/fuzz_targets/target.rs).
  TWIR_FUZZ_TARGET=$t nice -n 10 cargo fuzz run --sanitizer none --release target "fuzz/corpus/$t" "tests/fixtures/fuzz/$t" -- \
    -runs="$runs" -max_total_time="$max_time" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"fuzz/artifacts/$t.log" 2>&1 || true
  grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)|ERROR|SUMMARY|panicked" \
    "fuzz/artifacts/$t.log" | sed "s/^/$t: /"
}

mkdir -p "${targets[@]/#/fuzz/corpus/}"
# Build once, then run the targets, $jobs at a time.
RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none --release >&2
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait
