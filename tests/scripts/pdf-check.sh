#!/usr/bin/env bash
# PDF input: typesets each sample text into a PDF with a text layer (pango-view,
# one PDF page per 40 lines of the text with its page number under it, then
# pdfunite), converts the PDF and checks that every notice reads as it does
# from the text (tests/scripts/compare-notices.py); then that a truncated PDF, an
# encrypted one, one with no pages and (with --no-ocr) a PDF page without a text layer are refused
# with exit 3, a message naming the file, and no output folder.
#
# Usage: pdf-check.sh GAZETTE SRCDIR
# Exit status 0 when all passes, 1 when not, 77 (skip) when pango-view,
# pdfunite, a CJK font or python3 is missing.
set -u
gazette=$1 src=$2
for tool in pango-view pdfunite python3 fc-list; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing (pango1.0-tools, poppler-utils, python3, fontconfig)"; exit 77; }
done
fc-list :lang=zh | grep -q . || { echo "SKIP: no CJK font (fonts-noto-cjk)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# typeset TEXT PDF: 40 text lines a page, each page with its number under it.
typeset() {
  local dir=$work/pages-$(basename "$2" .pdf)
  mkdir -p "$dir"
  python3 - "$1" "$dir" <<'PY'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
for n, start in enumerate(range(0, len(lines), 40), 1):
    page = lines[start:start + 40]
    with open('%s/page-%03d.txt' % (sys.argv[2], n), 'w', encoding='utf-8') as f:
        f.write('\n'.join(page) + '\n\n— %d —\n' % n)
PY
  for p in "$dir"/page-*.txt; do
    pango-view --no-display --font="Noto Sans CJK SC 10.5" --width=300 --wrap=char -o "${p%.txt}.pdf" "$p" \
      2>/dev/null || return 1
  done
  pdfunite "$dir"/page-*.pdf "$2"
}

for sample in "$src"/samples/*.txt; do
  name=$(basename "$sample" .txt)
  typeset "$sample" "$work/$name.pdf" || { fail "$name: typesetting failed"; continue; }
  "$gazette" convert "$sample" --format json -o "$work/$name.text" -q || { fail "$name: convert of the text"; continue; }
  if ! "$gazette" convert "$work/$name.pdf" --format json -o "$work/$name.pdf.out" -q; then
    fail "$name: convert of the PDF"; continue
  fi
  result=$(python3 "$src/tests/scripts/compare-notices.py" --tables-from-text "$work/$name.text" "$work/$name.pdf.out")
  status=$?
  echo "$name.pdf: $(tail -1 <<<"$result")"
  [ $status -eq 0 ] || { echo "$result"; fail "$name: the PDF reads otherwise than the text"; }
  # The page numbers are page furniture, every page's.
  pages=$(ls "$work/pages-$name"/page-*.pdf | wc -l)
  found=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["reflow"]; print(sum(f["kind"]=="page-number" for f in r["furniture"]))' "$work/$name.pdf.out/issue.json")
  [ "$found" = "$pages" ] || fail "$name: $found page numbers found as furniture, the PDF has $pages pages"
done

# expect_refused PDF WORDS [OPTION]: exit 3, the file and WORDS in the message, no output.
expect_refused() {
  local pdf=$1 words=$2 out=$work/refused-$RANDOM
  msg=$("$gazette" convert "$pdf" -o "$out" ${3:-} 2>&1 >/dev/null); status=$?
  [ $status -eq 3 ] || fail "$(basename "$pdf"): exit $status, want 3 ($msg)"
  grep -qF "$pdf" <<<"$msg" || fail "$(basename "$pdf"): the message does not name the file: $msg"
  grep -qF "$words" <<<"$msg" || fail "$(basename "$pdf"): the message does not say '$words': $msg"
  [ ! -e "$out" ] || fail "$(basename "$pdf"): an output folder was written"
}
first=$(ls "$work"/*.pdf | head -1)
head -c 4000 "$first" > "$work/truncated.pdf"
expect_refused "$work/truncated.pdf" "damaged or truncated"
if command -v qpdf >/dev/null; then
  qpdf --encrypt user owner 256 -- "$first" "$work/encrypted.pdf" 2>/dev/null
  expect_refused "$work/encrypted.pdf" "encrypted"
  qpdf --empty "$work/no-pages.pdf"
  expect_refused "$work/no-pages.pdf" "has no pages"
else
  echo "SKIP  encrypted PDF: qpdf is missing"
fi
# A page with no text: an image-only page, as a scan gives.
if command -v convert >/dev/null && convert -size 200x200 xc:white "$work/blank.pdf" 2>/dev/null; then :; else
  printf ' \n' > "$work/space.txt"
  pango-view --no-display --width=300 -o "$work/blank.pdf" "$work/space.txt" 2>/dev/null
fi
pdfunite "$first" "$work/blank.pdf" "$work/scanned-page.pdf"
# With OCR off, a scanned page is refused, naming its page.
expect_refused "$work/scanned-page.pdf" "has no text layer" --no-ocr
pages=$(pdfinfo "$work/scanned-page.pdf" | awk '/^Pages:/ {print $2}')
expect_refused "$work/scanned-page.pdf" "page $pages of $pages" --no-ocr

if [ $failures -eq 0 ]; then echo "PDF input: all checks passed"; exit 0; fi
echo "PDF input: $failures check(s) failed"; exit 1
