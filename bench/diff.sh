#!/usr/bin/env bash
# Times `gazette diff` on two issues the size of the shared one (the issue and
# an edited copy of it: a changed deadline, an edited paragraph, a renumbered
# notice), from text files (convert included) and from folders convert wrote.
# Usage: bench/diff.sh [path/to/gazette]   (default: build-diff/gazette)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build-diff/gazette}
src=$top/../shared/corpus/tumote-zuoqi-2023-02.txt
[ -f "$src" ] || { echo "bench/diff.sh: no shared issue at $src" >&2; exit 77; }
command -v hyperfine >/dev/null || { echo "bench/diff.sh: hyperfine is not installed" >&2; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
perl -CSD -Mutf8 -pe 's/完成时限：2023年4月30日前/完成时限：2023年5月31日前/; s/请认真按照方案要求贯彻落实/请认真按照方案要求抓好贯彻落实/; s/^土左政字〔2023〕81号$/土左政字〔2023〕181号/' \
  "$src" > "$work/new.txt"
"$bin" convert "$src" --format json -o "$work/old-json" -q
"$bin" convert "$work/new.txt" --format json -o "$work/new-json" -q
"$bin" convert "$src" --format yaml -o "$work/old-yaml" -q
"$bin" convert "$work/new.txt" --format yaml -o "$work/new-yaml" -q
# diff exits 1 when the issues differ, so hyperfine is told to ignore the status:
# check once here that every command really compares (0 or 1, not an error).
check() { set +e; "$@" >/dev/null; rc=$?; set -e; [ $rc -le 1 ] || { echo "bench/diff.sh: '$*' failed ($rc)" >&2; exit 1; }; }
check "$bin" diff "$src" "$work/new.txt"
check "$bin" diff "$work/old-json" "$work/new-json"
check "$bin" diff "$work/old-yaml" "$work/new-yaml"
check "$bin" diff "$src" "$src"
hyperfine --warmup 3 --runs 20 -N -i \
  -n "text files (two converts + diff)" "$bin diff $src $work/new.txt --color never" \
  -n "text files, JSON output" "$bin diff $src $work/new.txt --format json" \
  -n "JSON folders" "$bin diff $work/old-json $work/new-json --color never" \
  -n "YAML folders" "$bin diff $work/old-yaml $work/new-yaml --color never" \
  -n "identical issue (exit 0)" "$bin diff $src $src"
