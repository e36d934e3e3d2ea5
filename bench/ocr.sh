#!/usr/bin/env bash
# Benchmark of reading scans: OCR time per page and peak memory.
#
# Typesets a sample (tests/scripts/typeset.py), scans it at 300 dpi with
# ghostscript into an image-only PDF, and times `gazette text SCAN.pdf` (OCR of
# every page and the layout, no conversion) with --ocr-jobs 1 and with one
# job a core, and `gazette convert` of the text-layer PDF for comparison.
#
# Usage: bench/ocr.sh [GAZETTE_BINARY]
# Environment: SAMPLE (default samples/county-gazette-2024-01.txt), RUNS
# (default 3). Needs farm-bench (or falls back to GNU time), pango-view,
# pdfunite, gs, pdfinfo.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
gazette="${1:-$repo/build/gazette}"
sample="${SAMPLE:-$repo/samples/county-gazette-2024-01.txt}"
runs="${RUNS:-3}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 "$repo/tests/scripts/typeset.py" "$sample" "$work/text.pdf"
gs -q -sDEVICE=pdfimage8 -r300 -o "$work/scan.pdf" "$work/text.pdf"
pages=$(pdfinfo "$work/scan.pdf" | awk '/^Pages:/ {print $2}')
echo "sample: $(basename "$sample"), $pages pages; machine: $(nproc) cores, $(uname -m)"
time_it() {
  local label=$1; shift
  if command -v farm-bench >/dev/null; then
    echo "== $label"
    farm-bench -n "$runs" --warmup 0 --timeout 3000 -- "$@" | grep -E "wall|cpu|peak"
  else
    echo "== $label"; /usr/bin/time -f "wall %e s, cpu %U+%S s, peak %M KiB" "$@" >/dev/null
  fi
}
time_it "OCR, one page at a time (--ocr-jobs 1), $pages pages" "$gazette" text "$work/scan.pdf" --ocr-jobs 1 -o "$work/a.txt"
time_it "OCR, one page a core ($(nproc)), $pages pages" "$gazette" text "$work/scan.pdf" -o "$work/b.txt"
time_it "text layer, convert" "$gazette" convert "$work/text.pdf" -q -o "$work/out"
cmp -s "$work/a.txt" "$work/b.txt" && echo "the text read is the same with 1 and $(nproc) jobs" \
  || echo "WARNING: the text read differs between 1 and $(nproc) jobs"
