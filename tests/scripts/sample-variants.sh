#!/usr/bin/env bash
# Each sample printed the ways extraction prints it (print-variant.py: hard-wrapped
# at 25, 28 and 30 characters with page numbers, running heads, indents, form feeds,
# no blank lines, letter-spaced titles, —、) reads as its paragraph form does, notice
# by notice (compare-notices.py: 文号, title, issuer, signer, addressees, date,
# attachments, and every item with its responsibility). Needs only python3.
# Usage: sample-variants.sh GAZETTE SRCDIR
set -u
gazette=$1 src=$2
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
export PYTHONIOENCODING=utf-8
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
forms=(
  "--width 28 --page-numbers dash --running-head 公报"
  "--width 25 --indent --no-blank-lines --page-numbers tight --form-feed"
  "--width 30 --letter-space --dash-one --page-numbers hyphen --running-head 公报 --alternate-head 第1期"
)
failures=0
for sample in "$src"/samples/*.txt; do
  name=$(basename "$sample" .txt)
  "$gazette" convert "$sample" --format json -o "$work/$name.ref" -q || { echo "FAIL  $name: convert"; failures=$((failures + 1)); continue; }
  for k in "${!forms[@]}"; do
    # shellcheck disable=SC2086  # the options are split on purpose
    python3 "$src/tests/scripts/print-variant.py" "$sample" "$work/$name.$k.txt" ${forms[$k]} || { echo "FAIL  $name: print-variant"; failures=$((failures + 1)); continue; }
    "$gazette" convert "$work/$name.$k.txt" --format json -o "$work/$name.$k" -q || { echo "FAIL  $name form $k: convert"; failures=$((failures + 1)); continue; }
    result=$(python3 "$src/tests/scripts/compare-notices.py" "$work/$name.ref" "$work/$name.$k")
    status=$?
    echo "$name (${forms[$k]}): $(tail -1 <<<"$result")"
    [ $status -eq 0 ] || { echo "$result" | grep FAIL; failures=$((failures + 1)); }
  done
done
[ $failures -eq 0 ] && { echo "all forms of the samples read as their paragraph form"; exit 0; }
echo "$failures form(s) read otherwise"; exit 1
