#!/usr/bin/env bash
# Run the PySpark example in local mode on the repo's text fixtures:
#   python/examples/run_spark.sh [DIR]
# Uses the test environment (.venv, made by ./test.sh) and adds pyspark to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Spark in local mode talks to itself only.
export SPARK_LOCAL_IP=127.0.0.1
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -c 'import newsclean' 2>/dev/null || CARGO_TARGET_DIR="$PWD/target" .venv/bin/pip install --quiet ./python
.venv/bin/python -c 'import pyspark' 2>/dev/null || .venv/bin/pip install --quiet 'pyspark>=3.4'
exec .venv/bin/python python/examples/spark_clean.py "${1:-tests/fixtures/text}"
