#!/usr/bin/env bash
# The shared real issue typeset as a PDF (tests/scripts/typeset.py: the GB/T
# 9704 grid, 28 characters a line, 22 lines a page, page numbers, indents) and
# read back, against the shared gold facts:
#   text  the PDF's text layer: every gold fact must hold;
#   scan  the PDF scanned by ghostscript at 300 dpi (an image-only PDF) and
#         read by OCR: at least MIN_SCAN facts must hold (OCR misreads
#         characters; see bench/README.md for the current figure).
# Skips (exit 77) when ../shared or a tool is missing.
#
# Usage: shared-pdf-check.sh GAZETTE SRCDIR text|scan
set -u
gazette=$1 src=$2 mode=$3
MIN_SCAN=250
shared=${GAZETTE_SHARED:-$src/../shared}
issue=$shared/corpus/tumote-zuoqi-2023-02.txt
gold=$shared/gold/tumote-zuoqi-2023-02.json
if [ ! -f "$issue" ] || [ ! -x "$shared/tools/gold-check" ]; then
  echo "SKIP: the shared corpus is not at $shared (set GAZETTE_SHARED)"; exit 77
fi
for tool in pango-view pdfunite python3 gs; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (pango1.0-tools, poppler-utils, ghostscript)"; exit 77; }
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 "$src/tests/scripts/typeset.py" "$issue" "$work/issue.pdf" || { echo "typesetting failed"; exit 1; }
pdf=$work/issue.pdf
if [ "$mode" = scan ]; then
  gs -q -sDEVICE=pdfimage8 -r300 -o "$work/scan.pdf" "$pdf" || { echo "scanning failed"; exit 1; }
  pdf=$work/scan.pdf
fi
"$gazette" convert "$pdf" --format json -o "$work/out" -q || { echo "convert failed"; exit 1; }
result=$("$shared/tools/gold-check" "$gold" "$work/out" --input "$work/out/source.txt")
echo "$result"
passed=$(tail -1 <<<"$result" | awk '{print $1}') failed=$(tail -1 <<<"$result" | awk '{print $3}')
if [ "$mode" = text ]; then
  [ "$failed" = 0 ] || { echo "FAIL: the text layer must read as the text does"; exit 1; }
else
  [ "$passed" -ge $MIN_SCAN ] || { echo "FAIL: $passed gold facts from the scan, want at least $MIN_SCAN"; exit 1; }
  python3 -c '
import json, sys, collections
r = json.load(open(sys.argv[1]))["reflow"]["readings"]
print("corrections:", dict(collections.Counter(x["rule"] for x in r if x["rule"].startswith("ocr."))))' "$work/out/issue.json"
fi
echo "PASS ($mode): $passed gold facts"
