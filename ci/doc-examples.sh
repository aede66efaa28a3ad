#!/usr/bin/env bash
# Every public item of magpie and magpie-macros has an example in its docs
# (ci/doc-examples.py lists those that do not), and the code blocks of
# docs/guide.md that are copies of a test file are still identical to it.
#
# The item list comes from rustdoc's JSON output, which needs
# RUSTC_BOOTSTRAP=1 on a stable toolchain; it is built in its own target
# directory because that variable changes the fingerprints of proc-macro2
# and everything above it.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=target/doc-json
for crate in magpie magpie-macros; do
  RUSTC_BOOTSTRAP=1 cargo rustdoc -q -p "$crate" --lib --all-features -- \
    -Zunstable-options --output-format json
done

status=0
for json in magpie magpie_macros; do
  python3 ci/doc-examples.py "$CARGO_TARGET_DIR/doc/$json.json" || status=1
done

# <!-- same as PATH --> before a ```rust block: the block is PATH's text.
python3 - <<'PY' || status=1
import re, sys
bad = 0
for md in ["docs/guide.md", "docs/migrating-from-tokio.md"]:
    text = open(md).read()
    for path, block in re.findall(r"<!-- same as (\S+) -->\n```rust[^\n]*\n(.*?)```\n", text, re.S):
        if open(path).read() != block:
            print(f"{md}: the block marked 'same as {path}' differs from {path}")
            bad = 1
sys.exit(bad)
PY
exit $status
