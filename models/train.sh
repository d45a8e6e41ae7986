#!/usr/bin/env bash
# Rebuilds the built-in block models from the public data in ../shared, byte
# for byte (training is deterministic): models/text.json and models/html.json,
# with their cross-validation reports in models/report-*.json.
#
#   models/train.sh            (from the repository root; needs ../shared)
#
# text: WCXB dev (CC-BY-4.0), the Scrapinghub benchmark and Readability's test
#       pages as scraped text, and the five seeds with their expected text.
# html: WCXB dev only, so that the three HTML benchmarks stay held out.
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared
cargo build --release --quiet
NC=target/release/newsclean
TEXT_SOURCES="WCXB v1.0 dev split, 711 article pages (Murrough Foley 2026, CC-BY-4.0); Scrapinghub article-extraction-benchmark (181 pages); Mozilla Readability test pages; newsclean seeds"
HTML_SOURCES="WCXB v1.0 dev split, 711 article pages (Murrough Foley 2026, CC-BY-4.0)"
"$NC" train --view text \
  --gold "$S/eval/wcxb-dev" --input "$S/eval/wcxb-dev" \
  --gold "$S/eval/scrapinghub-aeb" --input "$S/eval/scrapinghub-aeb" \
  --gold "$S/eval/readability-testpages" --input "$S/eval/readability-testpages" \
  --gold "$S/expected" --input "$S/seeds" \
  --trained-on "$TEXT_SOURCES" --report models/report-text.json -o models/text.json
"$NC" train --view html \
  --gold "$S/eval/wcxb-dev" \
  --trained-on "$HTML_SOURCES" --report models/report-html.json -o models/html.json
