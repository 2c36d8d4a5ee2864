#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang in their own
# build folder and runs each one for a while on its corpus.
#
#   tests/fuzz/short_run.sh [--build-dir DIR] [--seconds S] [--budget TOTAL] [--no-build]
#
#   --build-dir  the clang build folder (default: build-fuzz at the top)
#   --no-build   run the targets already built in DIR (the sanitizer build of
#                ./run.sh test builds them with the test suite)
#   --seconds    run time of each target (default 10)
#   --budget     total run time shared by the targets, 0 for none (default 0)
#
# The corpus of target NAME grows in DIR/corpus/NAME; the inputs committed in
# tests/fuzz/corpus/NAME seed it. A crash, leak, undefined behaviour or
# timeout fails the run: its input is saved as DIR/crashes/NAME-*, and
# `DIR/NAME FILE` reproduces it. Make each one a Catch2 regression test.
# Environment: CXX (default clang++), RAPPORTEUR_FUZZ_JOBS (build jobs,
# default: every core). Exit 77 when clang++ is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$ROOT/build-fuzz
SECS=10
BUDGET=0
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) DIR=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --budget) BUDGET=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "usage: short_run.sh [--build-dir DIR] [--seconds S] [--budget TOTAL] [--no-build]" >&2; exit 2 ;;
  esac
done
targets=()
for src in "$ROOT"/tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
[ ${#targets[@]} -gt 0 ] || { echo "short_run: no tests/fuzz/*_fuzz.cpp"; exit 1; }

if [ "$BUILD" = 1 ]; then
  CXX=${CXX:-clang++}
  if ! command -v "$CXX" >/dev/null; then
    echo "short_run: SKIP ($CXX not found)"
    exit 77
  fi
  # The compiler is chosen once, when the folder is first configured.
  config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRAPPORTEUR_FUZZ=ON -DRAPPORTEUR_TESTS=OFF)
  [ -f "$DIR/CMakeCache.txt" ] || config+=("-DCMAKE_CXX_COMPILER=$CXX")
  echo "short_run: building ${targets[*]} in $DIR"
  cmake -S "$ROOT" -B "$DIR" "${config[@]}" >/dev/null
  cmake --build "$DIR" -j"${RAPPORTEUR_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}" --target "${targets[@]}" >"$DIR/build.log" 2>&1 ||
    { tail -40 "$DIR/build.log"; echo "short_run: build failed (log: $DIR/build.log)"; exit 1; }
fi
for name in "${targets[@]}"; do
  [ -x "$DIR/$name" ] || { echo "short_run: $DIR/$name is not built"; exit 1; }
done

secs=$SECS
if [ "$BUDGET" -gt 0 ] && [ $((secs * ${#targets[@]})) -gt "$BUDGET" ]; then
  secs=$((BUDGET / ${#targets[@]}))
  [ "$secs" -ge 1 ] || secs=1
fi

mkdir -p "$DIR/crashes"
failed=()
for name in "${targets[@]}"; do
  corpus=$DIR/corpus/$name
  mkdir -p "$corpus"
  seeds=()
  [ -d "$ROOT/tests/fuzz/corpus/$name" ] && seeds+=("$ROOT/tests/fuzz/corpus/$name")
  log=$DIR/$name.log
  echo "short_run: $name for ${secs}s"
  if "$DIR/$name" -max_total_time="$secs" -max_len=65536 -timeout=25 -rss_limit_mb=2048 \
      -artifact_prefix="$DIR/crashes/$name-" -print_final_stats=1 "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^Done" "$log" | sed 's/^/  /' || true
  else
    tail -60 "$log"
    echo "short_run: $name FAILED (log: $log; inputs: $DIR/crashes/$name-*)"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "short_run: failed: ${failed[*]}"
  exit 1
fi
echo "short_run: ${#targets[@]} targets ran ${secs}s each without a finding"
