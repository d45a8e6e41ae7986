#!/usr/bin/env bash
# The one test command: the Rust tests, then the Python package's tests.
#
#   ./test.sh
#
# Makes .venv (once) for the Python build and test tools, builds and installs
# the package from ./python into it (maturin, fetched by pip), and runs pytest.
# The wheel is built with the `test` profile into ./target, beside the Rust
# tests' build, so that a warm run rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

cargo test

[ -x .venv/bin/python ] || python3 -m venv .venv
export CARGO_TARGET_DIR="$PWD/target"
MATURIN_PEP517_ARGS="--profile test" .venv/bin/python -m pip install --quiet --disable-pip-version-check "./python[test]"
.venv/bin/python -m pytest python/tests
