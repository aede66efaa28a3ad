#!/usr/bin/env bash
# Nothing outside the loom shims may name std's atomics or locks directly:
# under `--cfg loom` the shim swaps them for loom's, and a direct use would
# hide that code from the model checker.
#
# Not counted: comments, test-only files (`tests.rs`, `*_tests.rs`, files
# under a `tests/` directory: test scaffolding, not protocol code), and lines
# marked `shim-exempt` (with the reason on the same line).
set -euo pipefail
cd "$(dirname "$0")/.."
hits=$(grep -rnE 'std::sync::(atomic|Mutex|Condvar|RwLock)|parking_lot::' runtime/src reactor/src \
  | grep -v '/src/loom/' \
  | grep -vE '^[^:]+:[0-9]+:\s*//' \
  | grep -vE '(/tests/|/tests\.rs:|_tests\.rs:)' \
  | grep -v 'shim-exempt' || true)
if [ -n "$hits" ]; then
  echo "direct use of std::sync / parking_lot outside the loom shim:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "loom shim check: ok"
