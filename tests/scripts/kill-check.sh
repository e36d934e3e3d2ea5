#!/usr/bin/env bash
# A run killed at any moment leaves each output folder whole: the old one or
# the new one, never a mix of the two (issue 15, items 1 and 2).
#
# Builds an issue of 1,200 notices (the county sample's notices renumbered),
# converts it once (the old folder) and once edited (the new folder) for
# reference; then, over and over, converts the edited issue into a copy of the
# old folder and kills the run (SIGKILL) at times spread over a whole run. After every kill
# the folder must be byte-identical to the old folder or to the new one; a run
# after the last kill must leave no temporary file. The same for batch with
# --incremental: every issue folder old or new, and its stamp never vouching
# for files it did not see (the next --incremental run gives the new output).
# And two batch runs into one folder: the second is refused with a message.
#
# Usage: kill-check.sh GAZETTE SRCDIR
set -u
gazette=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$2
command -v timeout >/dev/null || { echo "SKIP: timeout (coreutils) is missing"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

python3 - "$src/samples/county-gazette-2024-01.txt" "$work" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
body = text[text.index('乌拉山旗人民政府\n\n关于'):]   # the notices, without masthead and contents
def issue(n, edit):
    parts = []
    for k in range(1, n + 1):
        b = re.sub(r'〔2024〕(\d+)号', lambda m: '〔2024〕%d号' % (int(m[1]) * 10000 + k), body)
        parts.append(b.replace('认真贯彻落实', '认真贯彻执行') if edit else b)
    return '乌拉山旗人民政府公报\n\n' + '\n'.join(parts)
open(sys.argv[2] + '/old.txt', 'w', encoding='utf-8').write(issue(400, False))
open(sys.argv[2] + '/new.txt', 'w', encoding='utf-8').write(issue(400, True))
PY
snapshot() { (cd "$1" && find . -type f ! -name '.gazette-*' -print0 | sort -z | xargs -0 sha1sum) | sha1sum; }
"$gazette" convert "$work/old.txt" -o "$work/old" -q --format json || { echo "convert failed"; exit 1; }
"$gazette" convert "$work/new.txt" -o "$work/new" -q --format json || { echo "convert failed"; exit 1; }
old=$(snapshot "$work/old") new=$(snapshot "$work/new")
[ "$old" != "$new" ] || { echo "the edit changed nothing"; exit 1; }
echo "$(ls "$work/new" | wc -l) files a folder"

kills=0 olds=0 news=0
start=$(date +%s%N); "$gazette" convert "$work/new.txt" -o "$work/timed" -q --format json; end=$(date +%s%N)
run_ms=$(( (end - start) / 1000000 )); rm -rf "$work/timed"
rm -rf "$work/out"; cp -r "$work/old" "$work/out"
for step in $(seq 1 16); do
  delay=$(awk -v ms="$run_ms" -v k="$step" 'BEGIN { printf "%.3f", ms * k / 8 / 1000 }')
  timeout -s KILL "$delay" "$gazette" convert "$work/new.txt" -o "$work/out" -q --format json 2>/dev/null
  [ $? -eq 137 ] && kills=$((kills + 1))
  now=$(snapshot "$work/out")
  if [ "$now" = "$old" ]; then olds=$((olds + 1))
  elif [ "$now" = "$new" ]; then news=$((news + 1)); rm -rf "$work/out"; cp -r "$work/old" "$work/out"
  else fail "convert killed after ${delay}s left a folder that is neither the old nor the new one"; fi
done
echo "convert ($run_ms ms a run): $kills runs killed; afterwards $olds folders were the old one, $news the new one"
[ $kills -gt 0 ] && [ $olds -gt 0 ] || fail "no kill landed while the run wrote"
"$gazette" convert "$work/new.txt" -o "$work/out" -q --format json || fail "the run after the kills failed"
[ "$(snapshot "$work/out")" = "$new" ] || fail "the run after the kills did not write the new folder"
left=$(find "$work" -maxdepth 2 -name '.gazette-tmp-*')
[ -z "$left" ] || fail "temporary files or folders left after a clean run: $left"

# batch --incremental: kill while it replaces issues converted from older
# inputs. Each run is made in its own folder with the same relative paths, so
# that the outputs (which name their input) compare.
for d in ref-old ref-new run; do mkdir -p "$work/$d/issues"; done
for k in 1 2 3 4; do
  cp "$work/old.txt" "$work/ref-old/issues/i$k.txt"; cp "$work/old.txt" "$work/run/issues/i$k.txt"
  cp "$work/new.txt" "$work/ref-new/issues/i$k.txt"
done
run_batch() { local d=$1; shift; (cd "$work/$d" && "$gazette" batch issues -o b -q --format json -j 2 "$@"); }
run_batch ref-old && run_batch ref-new && run_batch run || { echo "batch failed"; exit 1; }
for k in 1 2 3 4; do
  eval "old_$k=\$(snapshot \"\$work/ref-old/b/i$k\")"; eval "new_$k=\$(snapshot \"\$work/ref-new/b/i$k\")"
done
cp "$work/ref-new/issues/"*.txt "$work/run/issues/"
for step in 1 3 5 7 9; do
  delay=$(awk -v ms="$run_ms" -v k="$step" 'BEGIN { printf "%.3f", ms * k / 4 / 1000 }')
  (cd "$work/run" && timeout -s KILL "$delay" "$gazette" batch issues -o b -q --format json -j 2 --incremental 2>/dev/null)
  for k in 1 2 3 4; do
    now=$(snapshot "$work/run/b/i$k"); eval "o=\$old_$k n=\$new_$k"
    [ "$now" = "$o" ] || [ "$now" = "$n" ] || fail "batch killed after ${delay}s left i$k neither old nor new"
  done
done
# Back to the old inputs: a folder the killed runs replaced must not be
# vouched for by the old stamp (it went with the old files).
cp "$work/ref-old/issues/"*.txt "$work/run/issues/"
run_batch run --incremental || fail "batch after the kills failed"
for k in 1 2 3 4; do
  eval "o=\$old_$k"
  [ "$(snapshot "$work/run/b/i$k")" = "$o" ] || fail "after the kills, --incremental trusted a stale stamp for i$k"
done
cp "$work/ref-new/issues/"*.txt "$work/run/issues/"
run_batch run --incremental || fail "batch after the kills failed"
for k in 1 2 3 4; do
  eval "n=\$new_$k"
  [ "$(snapshot "$work/run/b/i$k")" = "$n" ] || fail "--incremental kept a stale i$k"
done

# Two batch runs into one folder: the second is refused while the first
# runs, and the first writes every row of notices.jsonl (issue 15, item 3).
(cd "$work/run" && "$gazette" batch issues -o c -q --format json -j 2) &
first=$!
sleep 0.3
msg=$(cd "$work/run" && "$gazette" batch issues -o c -q --format json 2>&1); second=$?
wait $first; first_status=$?
[ $second -eq 4 ] || fail "a second batch into a folder in use: exit $second, want 4"
grep -q "in use by another gazette batch" <<<"$msg" || fail "a second batch into a folder in use says: $msg"
[ $first_status -eq 0 ] || fail "the first batch failed beside the second (exit $first_status)"
rows=$(wc -l < "$work/run/c/notices.jsonl") want=$(( $(ls "$work/new"/*.json | grep -vc issue.json) * 4 ))
[ "$rows" = "$want" ] || fail "notices.jsonl has $rows rows, want $want"
ls -a "$work/run/c" | grep -q '^\.notices.jsonl.tmp' && fail "a notices.jsonl temporary was left"

if [ $failures -eq 0 ]; then echo "Kills: all checks passed"; exit 0; fi
echo "Kills: $failures check(s) failed"; exit 1
