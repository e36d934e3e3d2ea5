#!/usr/bin/env bash
# Converts the shared real issue and runs the shared gold check on the output
# (and on validate's findings). Skips (exit 77) when ../shared is not there.
set -u
gazette=$1 src=$2
shared=${GAZETTE_SHARED:-$src/../shared}
issue=$shared/corpus/tumote-zuoqi-2023-02.txt
gold=$shared/gold/tumote-zuoqi-2023-02.json
if [ ! -f "$issue" ] || [ ! -x "$shared/tools/gold-check" ]; then
  echo "SKIP: the shared corpus is not at $shared (set GAZETTE_SHARED)"; exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: gold-check needs python3"; exit 77; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$gazette" convert "$issue" --format json -o "$out/conv" -q || { echo "convert failed"; exit 1; }
args=()
if "$gazette" validate --help >/dev/null 2>&1; then
  "$gazette" validate "$issue" --format json > "$out/findings.json"
  status=$?
  [ $status -le 1 ] || { echo "validate failed with status $status"; exit 1; }
  args=(--findings "$out/findings.json")
fi
"$shared/tools/gold-check" "$gold" "$out/conv" --input "$issue" "${args[@]}"
