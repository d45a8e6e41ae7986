#!/usr/bin/env bash
# newsclean's HTML speed beside Resiliparse's, in one run, on one core.
#
#   benches/html-vs-resiliparse.sh [DIR] [RUNS]
#
# DIR defaults to the Scrapinghub pages (../shared/eval/scrapinghub-aeb/html),
# RUNS to 5. Times (a) `newsclean --jobs 1 -q DIR > out`, end to end, as a
# user runs it, and (b) Resiliparse's `extract_plain_text(main_content=True)`
# over the same files in one Python process, reading the files included.
# The runs alternate, and the best of each is reported (CPU and wall), with
# the ratio. Resiliparse comes from pip, in a virtual environment under
# target/ (made on the first run; set VENV to use another one). NEWSCLEAN
# names the binary (default: target/release/newsclean, built first);
# BEFORE names an older one, timed in the same rounds, for a before/after
# ratio measured under the same load.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/eval/scrapinghub-aeb/html}
RUNS=${2:-5}
VENV=${VENV:-target/bench-venv}
BIN=${NEWSCLEAN:-target/release/newsclean}
[ -d "$DIR" ] || { echo "error: $DIR: no such directory" >&2; exit 2; }
if [ ! -x "$VENV/bin/python" ]; then
    echo "making $VENV and installing resiliparse ..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet resiliparse
fi
if [ -z "${NEWSCLEAN:-}" ]; then
    cargo build --release --quiet >&2
fi
exec "$VENV/bin/python" benches/html_vs_resiliparse.py "$BIN" "$DIR" "$RUNS" "${BEFORE:-}"
