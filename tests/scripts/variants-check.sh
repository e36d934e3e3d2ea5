#!/usr/bin/env bash
# Prints the shared real issue in the forms that OCR engines and PDF text extractors
# give (print-variant.py: hard-wrapped pages with page numbers and running heads,
# letter-spaced titles, OCR confusions), converts each variant and checks it three ways:
#  1. the shared gold check, with the variant as the input whose every line must be
#     kept: every variant must pass as many checks as the paragraph form (all of them);
#  2. the reading-order repairs (issue.json "repairs", as a set of from -> to notice pairs) are
#     those of the paragraph form: wrapping or pagination must not make the tool move
#     text that it does not move in the paragraph form, nor miss a move;
#  3. each notice holds the text it holds in the paragraph form (letters, digits and
#     Han of its strings, in order): gold-check finds fragments, so it cannot see a
#     page number or a running head that ends up inside a notice; this can.
#
# Usage: variants-check.sh GAZETTE SRCDIR [VARIANT...]
#   VARIANT names limit the run to those variants (default: all of them).
#   GAZETTE_SHARED         the shared folder (default: SRCDIR/../shared).
#   GAZETTE_VARIANTS_KEEP  a folder to keep the variants and their outputs in.
# Exit status: 0 when every variant passes every check (or fails only allowed ones),
# 1 when one does not, 2 on a usage error, 77 (skip) when the shared corpus or python3
# is missing.
set -u

# name | print-variant.py options (split on spaces)
variants=(
  "w28-print-pages|--width 28 --page-lines 0 --page-numbers dash --running-head 土默特左旗人民政府公报"
  "w28|--width 28 --page-numbers dash --running-head 土默特左旗人民政府公报 --alternate-head 2023年第2期"
  "w28-indent-ff|--width 28 --indent --form-feed --page-numbers tight --no-blank-lines"
  "w32|--width 32 --page-numbers hyphen --running-head 土默特左旗人民政府公报"
  "w28-head-dash|--width 28 --page-numbers head-dash --running-head 土默特左旗人民政府公报 --alternate-head 2023年第2期"
  "w30-plain|--width 30 --page-numbers plain --running-head 土默特左旗人民政府公报"
  "w28-noblank|--width 28 --no-blank-lines --page-numbers dash"
  "noblank|--no-blank-lines"
  "letter-spaced|--letter-space"
  "dash-one|--dash-one"
  "square|--brackets square"
  "paren|--brackets paren"
  "lenticular|--brackets lenticular"
  "fullsquare|--brackets fullsquare"
  "ring-zero|--ring-zero"
  "ring-zero-ascii|--ring-zero=O"
  "all|--all"
)

# Failures that are allowed, and why: "variant|substring of the check's name|reason".
# Besides gold-check's own checks (its FAIL lines), the names are:
#   "gold-check ran N checks"                          (it skipped checks after a failure)
#   "reading-order repairs as in the paragraph form"
#   "text of NOTICE as in the paragraph form"
#   "convert exits 0"
allowances=(
  "noblank|belongs to|without blank lines or page furniture the print's page ends are gone; a displaced fragment ends only at one, so gazette moves nothing rather than guess where"
  "noblank|level-1 numbers|the same: the displaced fragments stay where the print put them"
  "noblank|level-2 numbers|the same: the displaced fragments stay where the print put them"
  "noblank|one table headed|the same: the displaced fragments stay where the print put them"
  "noblank|gold-check ran|checks that depend on the unrepaired notices are skipped"
  "noblank|reading-order repairs|the same: no page end, no move"
  "noblank|as in the paragraph form|the same: no page end, no move"
  "paren|(内卫办中(蒙)管理字(2022|the gold tells 40号's citation from 41号's by its (2022) brackets; this variant prints 41号's with them too"
  "w30-plain|text of 土左政字〔2023〕73号|with no blank line or indent between paragraphs, 3、 at the start of a printed line reads as a new item, not as the inline list it continues"
  "w28-noblank|text of 土左政字〔2023〕102号|with no blank line or indent between paragraphs, a paragraph that ends exactly at the print width runs on into the heading after it"
)

if [ $# -lt 2 ]; then
  echo "usage: variants-check.sh GAZETTE SRCDIR [VARIANT...]"; exit 2
fi
gazette=$1 src=$2
shift 2
for name in "$@"; do
  printf '%s\n' "${variants[@]}" | grep -q "^$name|" || { echo "no variant named $name"; exit 2; }
done
shared=${GAZETTE_SHARED:-$src/../shared}
issue=$shared/corpus/tumote-zuoqi-2023-02.txt
gold=$shared/gold/tumote-zuoqi-2023-02.json
if [ ! -f "$issue" ] || [ ! -x "$shared/tools/gold-check" ]; then
  echo "SKIP: the shared corpus is not at $shared (set GAZETTE_SHARED)"; exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: the variants check needs python3"; exit 77; }
export PYTHONIOENCODING=utf-8   # the checks print Han whatever the locale
printer=$src/tests/scripts/print-variant.py

if [ -n "${GAZETTE_VARIANTS_KEEP:-}" ]; then
  work=$GAZETTE_VARIANTS_KEEP
  mkdir -p "$work" || exit 1
else
  work=$(mktemp -d) || exit 1
  trap 'rm -rf "$work"' EXIT
fi

# compare_outputs REFERENCE_DIR OUTPUT_DIR: checks 2 and 3 above. Prints one line
# "check name<TAB>detail" for each failure and nothing when both outputs agree.
compare_outputs() {
  python3 - "$1" "$2" <<'EOF'
import json, os, re, sys, unicodedata

# Keys whose strings are not the notice's text (names, node ids, the printed form of markers
# and brackets) and that a variant may legitimately change.
NOT_TEXT = {'schema', 'file', 'source', 'type', 'marker', 'brackets', 'id'}

def norm(s):
    return re.sub(r'\s+', '', unicodedata.normalize('NFKC', str(s)))

def notice(docnum):
    """A notice's name in the 〔〕 form whatever brackets the variant printed: this
    compares moves and texts; how a 文号 is spelt is gold-check's business."""
    m = re.fullmatch(r'(.+?)[〔\[(【](\d{4})[〕\])】](\d+)号', norm(docnum))  # NFKC: ［］→[] （）→()
    return '%s〔%s〕%s号' % m.groups() if m else norm(docnum)

def strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            if k not in NOT_TEXT:
                yield from strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from strings(v)

def letters(s):
    """Letters, digits and Han, as gold-check keeps them; without the zero of a
    Chinese-numeral year, which --ring-zero prints as ○ (not a letter) or O."""
    return ''.join(c for c in norm(s) if unicodedata.category(c)[0] in 'LN' and c not in '〇O')

def load(folder):
    issue = json.load(open(os.path.join(folder, 'issue.json'), encoding='utf-8'))
    # A fragment that spans pages of the variant may be moved in pieces, one
    # repair each: the notices it moves between are what must agree (check 3
    # sees what was moved).
    moves = sorted({'%s -> %s' % (notice(r.get('from')), notice(r.get('to')))
                    for r in issue.get('repairs') or []})
    texts = {}
    for entry in issue.get('notices', []):
        doc = json.load(open(os.path.join(folder, entry['file']), encoding='utf-8'))
        texts[notice(doc['docnum']['text'])] = letters(''.join(strings(doc)))
    return moves, texts

ref_moves, ref_texts = load(sys.argv[1])
moves, texts = load(sys.argv[2])
if moves != ref_moves:
    missing = [m for m in ref_moves if m not in moves]
    extra = [m for m in moves if m not in ref_moves]
    print('reading-order repairs as in the paragraph form\t%s' % '; '.join(
        ['missing ' + m for m in missing] + ['extra ' + m for m in extra]))
for key in sorted(ref_texts):
    want, got = ref_texts[key], texts.get(key)
    if got is None or got == want:
        continue   # a missing notice is gold-check's failure
    at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    print('text of %s as in the paragraph form\t%d letters, the paragraph form %d; they part at %d: '
          'paragraph form …%s|%s… variant …%s|%s…' % (key, len(got), len(want), at, want[max(0, at - 15):at],
          want[at:at + 25], got[max(0, at - 15):at], got[at:at + 25]))
EOF
}

# allowed_reason VARIANT CHECK: prints the reason when the failure is allowed.
allowed_reason() {
  local entry name pattern reason
  for entry in ${allowances[@]+"${allowances[@]}"}; do
    IFS='|' read -r name pattern reason <<<"$entry"
    if [ "$name" = "$1" ] && [[ $2 == *"$pattern"* ]]; then
      echo "$reason"; return 0
    fi
  done
  return 1
}

# The reference: the paragraph form itself, which must pass every check.
reference=$work/paragraph.out
"$gazette" convert "$issue" --format json -o "$reference" -q \
  || { echo "FAIL: convert of the paragraph form failed"; exit 1; }
"$shared/tools/gold-check" "$gold" "$reference" --input "$issue" > "$work/paragraph.gold"
reference_result=$(tail -n 1 "$work/paragraph.gold")
if ! [[ $reference_result =~ ^([0-9]+)\ passed,\ 0\ failed$ ]]; then
  echo "FAIL: the paragraph form itself does not pass the gold check ($reference_result):"
  grep -v '^[0-9]* passed' "$work/paragraph.gold"
  exit 1
fi
expected_checks=${BASH_REMATCH[1]}
repair_count=$(python3 -c 'import json, sys
print(len(json.load(open(sys.argv[1], encoding="utf-8")).get("repairs") or []))' "$reference/issue.json") \
  || { echo "FAIL: cannot read $reference/issue.json"; exit 1; }
echo "paragraph form: $reference_result; $repair_count reading-order repairs"

summary=() failed_variants=0 ran=0
for entry in "${variants[@]}"; do
  name=${entry%%|*}
  read -r -a options <<<"${entry#*|}"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  ran=$((ran + 1))
  variant=$work/$name.txt out=$work/$name.out
  fails=()   # every failed check: "name<TAB>detail"
  if ! python3 "$printer" "$issue" "$variant" "${options[@]}"; then
    result="print-variant.py failed"
    fails+=("print-variant.py ${options[*]}"$'\t')
  elif ! "$gazette" convert "$variant" --format json -o "$out" -q 2> "$work/$name.err"; then
    result="convert failed"
    fails+=("convert exits 0"$'\t'"$(head -c 300 "$work/$name.err")")
  else
    "$shared/tools/gold-check" "$gold" "$out" --input "$variant" > "$work/$name.gold" 2>&1
    result=$(tail -n 1 "$work/$name.gold")
    if [[ $result =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      total=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
      [ "$total" -eq "$expected_checks" ] \
        || fails+=("gold-check ran $expected_checks checks"$'\t'"it ran $total (it skips the checks that depend on a failed one)")
    else
      fails+=("gold-check runs"$'\t'"$result")
      result="gold-check failed"
    fi
    # gold-check prints "FAIL  what" and, on the next line, six spaces and the detail.
    while IFS= read -r line; do
      if [[ $line == "FAIL  "* ]]; then
        fails+=("${line#FAIL  }"$'\t')
      elif [[ $line == "      "* ]] && [ ${#fails[@]} -gt 0 ]; then
        fails[-1]+="${line#      }"
      fi
    done < "$work/$name.gold"
    comparison=$(compare_outputs "$reference" "$out") \
      || comparison="comparison with the paragraph form runs"$'\t'"cannot read $out"
    while IFS= read -r line; do
      [ -n "$line" ] && fails+=("$line")
    done <<<"$comparison"
    texts=$(grep -c '^text of ' <<<"$comparison")
    if grep -q '^reading-order repairs' <<<"$comparison"; then repairs=differ; else repairs=same; fi
    result+="; repairs $repairs; $texts notices' text differ"
  fi

  bad=0 allowed=0 report=()
  for f in ${fails[@]+"${fails[@]}"}; do
    check=${f%%$'\t'*} detail=${f#*$'\t'}
    if reason=$(allowed_reason "$name" "$check"); then
      allowed=$((allowed + 1))
      report+=("  allowed  $check ($reason)")
    else
      bad=$((bad + 1))
      report+=("  FAIL     $check")
      [ -n "$detail" ] && report+=("           $detail")
    fi
  done
  if [ $bad -eq 0 ]; then verdict=ok; else verdict=FAIL; failed_variants=$((failed_variants + 1)); fi
  line=$(printf '%-16s %-4s %s' "$name" "$verdict" "$result")
  [ $allowed -gt 0 ] && line+="; $allowed allowed"
  echo "$line"
  for l in ${report[@]+"${report[@]}"}; do echo "$l"; done
  summary+=("$line")
done

echo
echo "summary ($ran variants; each must give $expected_checks passed, 0 failed, the paragraph form's repairs and notice texts):"
for l in "${summary[@]}"; do echo "  $l"; done
if [ $failed_variants -gt 0 ]; then
  echo "$failed_variants of $ran variants failed"
  exit 1
fi
echo "all $ran variants passed"
