#!/usr/bin/env bash
# Memory checking: runs a subset of the test binaries under valgrind
# (memcheck). Fails on any memory error and on any definitely-lost block.
# Takes a few minutes on two cores; run from anywhere in the checkout.
#
#   bash ci/valgrind.sh
#
# Debug builds (faster to build, and debug assertions stay on). Tests run
# one at a time (--test-threads=1) so that reports stay readable.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 1; }

VG=(valgrind --quiet --error-exitcode=1 --leak-check=full
    --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --fair-sched=yes)

# Integration test binaries: `name` or `name:filter`.
TESTS=(rt_smoke rt_shutdown task_join_set faults rt_panic_policy)

# Builds a target and prints the path of its test executable.
build() {
  cargo test --no-run --message-format=json "$@" 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
}

status=0
run() {
  local label=$1; shift
  local start=$SECONDS
  echo "=== $label"
  if "${VG[@]}" "$@" --test-threads=1 -q; then
    echo "--- $label: ok ($((SECONDS - start)) s)"
  else
    echo "--- $label: FAILED ($((SECONDS - start)) s)"
    status=1
  fi
}

for t in "${TESTS[@]}"; do
  exe=$(build -p magpie-tests --test "$t")
  [ -n "$exe" ] || { echo "could not build $t" >&2; exit 1; }
  run "$t" "$exe"
done

lib=$(build -p magpie --lib)
[ -n "$lib" ] || { echo "could not build the magpie lib tests" >&2; exit 1; }
run "magpie --lib sync" "$lib" sync

exit $status
