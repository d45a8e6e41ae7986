#!/usr/bin/env bash
# Start-up: cleaning one small file, as a shell loop or a Makefile would call
# newsclean. Prints wall time and peak resident memory (/usr/bin/time -v),
# then hyperfine's mean if it is installed; with a second binary (OLD) both
# are measured in the same run, then in turn round by round
# (benches/startup_alt.py: load on a shared host hits both alike; read the
# ratios).
#
#   benches/startup.sh [NEW] [OLD] [FILE]
#   benches/startup.sh target/release/newsclean /path/to/old/newsclean samples/harbour-bridge.txt
set -euo pipefail
NEW=${1:-target/release/newsclean}
OLD=${2:-}
FILE=${3:-samples/harbour-bridge.txt}
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
for bin in "$NEW" $OLD; do
  for f in "$FILE" "$empty"; do
    /usr/bin/time -v "$bin" "$f" 2> >(awk -v b="$bin" -v f="$f" '
      /Elapsed \(wall clock\)/ { w = $NF }
      /Maximum resident set size/ { m = $NF }
      END { printf "%s %s: %s wall, %.1f MB peak RSS\n", b, f, w, m / 1024 }' >&2) > /dev/null
  done
done
sleep 0.2
if command -v hyperfine > /dev/null; then
  cmds=("$NEW $FILE")
  [ -n "$OLD" ] && cmds+=("$OLD $FILE")
  hyperfine -N --warmup 3 --runs "${RUNS:-30}" "${cmds[@]}"
fi
if [ -n "$OLD" ] && command -v python3 > /dev/null; then
  python3 "$(dirname "$0")/startup_alt.py" "${RUNS:-30}" "$FILE" "$NEW" "$OLD"
fi
