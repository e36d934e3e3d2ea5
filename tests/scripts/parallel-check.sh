#!/usr/bin/env bash
# The README's GNU parallel recipe, run as written on two local shards: the
# merged folder must be what one batch run over the same list writes, byte
# for byte (notices.jsonl, every issue and notice file, stamps, manifest).
#
# The archive: the samples twice (as printed and as reprints), and 8 back issues of the shared issue when
# ../shared is there (GAZETTE_SHARED overrides), in nested folders. Skipped
# (77) when GNU parallel is not installed.
#
# Usage: parallel-check.sh GAZETTE SRCDIR
set -eu
gazette=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$(cd "$2" && pwd)
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
  echo "SKIP: GNU parallel is not installed (Debian package parallel)"
  exit 77
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

mkdir -p archive/samples archive/reprints
cp "$src"/samples/*.txt archive/samples/
for f in "$src"/samples/*.txt; do cp "$f" "archive/reprints/$(basename "$f" .txt)-reprint.txt"; done
shared=${GAZETTE_SHARED:-$src/../shared}
if [ -x "$shared/corpus/make-back-issues.sh" ]; then
  "$shared/corpus/make-back-issues.sh" 8 archive/tumote/2023
else
  echo "note: no $shared/corpus: the archive is the samples alone"
fi
export PATH="$(dirname "$gazette"):$PATH"  # the recipe calls gazette by name

# The recipe, as the README gives it (with 2 shards).
find archive -name '*.txt' > issues.txt
parallel gazette batch --files-from issues.txt --shard {}/2 -o shards/{} -q ::: 1 2
gazette merge shards/* -o out -q

# One run over the same list, read from standard input.
gazette batch --files-from - -o single -q < issues.txt

issues=$(grep -c . issues.txt)
for k in 1 2; do
  n=$(grep -c '"index"' "shards/$k/.gazette-batch" || true)
  echo "shard $k/2: $n of $issues issues"
  [ "$n" -gt 0 ] && [ "$n" -lt "$issues" ] || fail "shard $k/2 holds $n of $issues issues: the test splits nothing"
done
cmp out/notices.jsonl single/notices.jsonl || fail "merged notices.jsonl differs from the single run's"
[ -s single/notices.jsonl ] || fail "the single run wrote no notices"
diff -r out single >/dev/null || { diff -r out single | head -5; fail "the merged folder differs from the single run's"; }
echo "merged: $(wc -l < out/notices.jsonl) notices, $(find out -type f -not -name '.gazette-*' | wc -l) files"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "PASS"
