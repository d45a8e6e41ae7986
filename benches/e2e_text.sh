#!/usr/bin/env bash
# End-to-end text speed as a user runs it, one core: a folder of 4,000 small
# text files (the seeds, copied round-robin into a temporary folder), cleaned
# by `newsclean --jobs 1 -q DIR > out`. With a second binary (OLD), both run
# in turn in the same script, and the ratio of their wall times is printed;
# their outputs must be identical.
#
#   benches/e2e_text.sh [NEW] [OLD] [ROUNDS]
#   benches/e2e_text.sh target/release/newsclean /path/to/main/newsclean 5
#
# Wall time is what a user waits for; on a loaded machine compare the ratio,
# not the MB/s. The corpus is removed at the end (never commit it).
set -euo pipefail
NEW=${1:-target/release/newsclean}
OLD=${2:-}
ROUNDS=${3:-5}
SEEDS=${SEEDS:-../shared/seeds}
FILES=${FILES:-4000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus"
seeds=("$SEEDS"/*)
[ ${#seeds[@]} -gt 0 ] || { echo "e2e_text: no seeds in $SEEDS" >&2; exit 1; }
for ((i = 0; i < FILES; i++)); do
  cp "${seeds[i % ${#seeds[@]}]}" "$dir/corpus/$(printf 'doc%05d.txt' "$i")"
done
bytes=$(cat "$dir"/corpus/* | wc -c)
echo "corpus: $FILES files, $bytes bytes"

# Best (lowest) wall time of ROUNDS runs, in seconds.
best() {
  local bin=$1 out=$2 t best=
  for ((r = 0; r < ROUNDS; r++)); do
    local s e
    s=$(date +%s.%N)
    "$bin" --jobs 1 -q "$dir/corpus" > "$out"
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}

if [ -n "$OLD" ]; then
  # Interleave the two builds round by round so that load hits both alike.
  bn= bo=
  for ((r = 0; r < ROUNDS; r++)); do
    tn=$(ROUNDS=1 best "$NEW" "$dir/new.txt")
    to=$(ROUNDS=1 best "$OLD" "$dir/old.txt")
    if [ -z "$bn" ] || (( $(echo "$tn < $bn" | bc -l) )); then bn=$tn; fi
    if [ -z "$bo" ] || (( $(echo "$to < $bo" | bc -l) )); then bo=$to; fi
  done
  cmp -s "$dir/new.txt" "$dir/old.txt" && same=identical || same=DIFFERENT
  printf 'new: %.3f s, %.1f MB/s\n' "$bn" "$(echo "$bytes / $bn / 1000000" | bc -l)"
  printf 'old: %.3f s, %.1f MB/s\n' "$bo" "$(echo "$bytes / $bo / 1000000" | bc -l)"
  printf 'new is %.2fx as fast as old; outputs %s\n' "$(echo "$bo / $bn" | bc -l)" "$same"
  [ "$same" = identical ]
else
  bn=$(best "$NEW" "$dir/new.txt")
  printf '%s: %.3f s, %.1f MB/s\n' "$NEW" "$bn" "$(echo "$bytes / $bn / 1000000" | bc -l)"
fi
