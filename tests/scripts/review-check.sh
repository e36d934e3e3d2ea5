#!/usr/bin/env bash
# The review page of each sample (and of the shared issue when ../shared is
# there), opened in headless Chromium: the rendered DOM holds every notice,
# every input line and every finding; selecting a node lights exactly its
# source lines; selecting a line finds a node that holds it; a title holding
# markup is shown as text and never run; the page loads nothing from outside.
# Usage: review-check.sh GAZETTE SOURCE_DIR   (exit 77 without chromium)
set -uo pipefail
gazette=$1 src=$2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: no chromium"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# dom PAGE HASH: the page's DOM after its script ran.
dom() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
          --dump-dom "file://$1$2" 2>/dev/null; }

check() {  # check NAME INPUT
  local name=$1 input=$2
  "$gazette" review "$input" -q -o "$work/$name.html" || { fail "$name: review exited $?"; return; }
  "$gazette" convert "$input" -q --format json -o "$work/$name.out" || { fail "$name: convert"; return; }
  "$gazette" validate "$input" --format json > "$work/$name.findings.json" 2>/dev/null
  dom "$work/$name.html" "" > "$work/$name.dom" || { fail "$name: chromium"; return; }
  dom "$work/$name.html" "#click=7" > "$work/$name.node.dom"
  dom "$work/$name.html" "#click-line=40" > "$work/$name.line.dom"
  python3 - "$work" "$name" "$input" <<'PY' || fail "$name: the rendered page is wrong"
import html.parser, json, re, sys
work, name, input_path = sys.argv[1:4]

class Dom(html.parser.HTMLParser):
    """Elements with their classes and attributes, and each one's text."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.els, self.stack, self.title = [], [], ''
    def handle_starttag(self, tag, attrs):
        e = {'tag': tag, 'attrs': dict(attrs), 'text': ''}
        e['cls'] = set((e['attrs'].get('class') or '').split())
        self.els.append(e)
        if tag not in ('br', 'img', 'input', 'meta', 'link'):
            self.stack.append(e)
    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()['tag'] == tag:
                break
    def handle_data(self, data):
        for e in self.stack:
            e['text'] += data
        if self.stack and self.stack[-1]['tag'] == 'title':
            self.title += data

def load(path):
    d = Dom()
    d.feed(open(path, encoding='utf-8').read())
    return d

ok = True
def check(cond, what):
    global ok
    if not cond:
        print('  ' + what)
        ok = False

page = open(f'{work}/{name}.html', encoding='utf-8').read()
d = load(f'{work}/{name}.dom')
issue = json.load(open(f'{work}/{name}.out/issue.json', encoding='utf-8'))
findings = json.load(open(f'{work}/{name}.findings.json', encoding='utf-8'))['findings']
text_lines = open(input_path, encoding='utf-8').read().split('\n')
if text_lines and text_lines[-1] == '':
    text_lines.pop()

body = next(e for e in d.els if e['tag'] == 'body')
check(body['attrs'].get('data-ready') == 'true', 'the script did not finish')
notices = [e for e in d.els if e['tag'] == 'section' and 'notice' in e['cls']]
check(len(notices) == len(issue['notices']), f"{len(notices)} notices shown, the issue has {len(issue['notices'])}")
for sec, n in zip(notices, issue['notices']):
    check(n['docnum'] in sec['text'], f"notice {n['docnum']} not shown in order")
lines = [e for e in d.els if e['tag'] == 'div' and 'line' in e['cls']]
check(len(lines) == len(text_lines), f'{len(lines)} source lines shown, the input has {len(text_lines)}')
for e, t in zip(lines, text_lines):
    if e['text'][len(e['attrs']['data-line']):].strip() != t.strip():
        check(False, f"line {e['attrs']['data-line']} shows {e['text']!r}, the input has {t!r}")
        break
shown = [e for e in d.els if 'finding' in e['cls']]
check(len(shown) == len(findings), f'{len(shown)} findings shown, validate has {len(findings)}')
for f in findings:
    check(any(f['message'] in e['text'] for e in shown), f"finding not shown: {f['code']} {f['message']}")
check(not re.search(r'''(src|href)\s*=\s*["']?(https?:|//)''', page), 'the page loads something from outside')
check(len(page) < 8 << 20, f'the page is {len(page)} bytes')

def hl_lines(dom):
    return {int(e['attrs']['data-line']) for e in dom.els if 'line' in e['cls'] and 'hl' in e['cls']}
def spans(attr):
    out = set()
    for part in (attr or '').split():
        a, b = part.split('-')
        out |= set(range(int(a), int(b) + 1))
    return out

# Clicking a node (#click=N dispatches a click on its text).
nd = load(f'{work}/{name}.node.dom')
sel = [e for e in nd.els if 'selected' in e['cls']]
check(len(sel) == 1, f'{len(sel)} selected elements after clicking node 7')
if sel:
    want = spans(sel[0]['attrs'].get('data-lines'))
    check(want and hl_lines(nd) == want, f"node 7 holds lines {sorted(want)}, lit {sorted(hl_lines(nd))}")
# Clicking a source line.
ld = load(f'{work}/{name}.line.dom')
sel = [e for e in ld.els if 'selected' in e['cls']]
if sel:
    check(40 in spans(sel[0]['attrs'].get('data-lines')), 'the node selected for line 40 does not hold it')
check(40 in hl_lines(ld), 'line 40 not lit when selected')
sys.exit(0 if ok else 1)
PY
  echo "$name: $(grep -o "<div class=\"line" "$work/$name.dom" | wc -l) lines, $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["notices"]))' "$work/$name.out/issue.json") notices checked"
}

for sample in "$src"/samples/*.txt; do check "$(basename "$sample" .txt)" "$sample"; done
shared="$src/../shared/corpus/tumote-zuoqi-2023-02.txt"
if [ -f "$shared" ]; then check shared "$shared"; else echo "(../shared absent: the shared issue's page not checked)"; fi

# From a folder convert wrote: the same notices beside the issue's lines; a
# folder that is not a conversion is refused with status 3 and no page.
county="$src/samples/county-gazette-2024-01.txt"
"$gazette" convert "$county" -q --format yaml -o "$work/county-folder" || fail "folder: convert"
"$gazette" review "$county" -q --folder "$work/county-folder" -o "$work/folder.html" || fail "folder: review exited $?"
n=$(dom "$work/folder.html" "" | grep -o '<section class="notice' | wc -l)
[ "$n" = 3 ] || fail "folder: $n notices shown, the folder has 3"
mkdir -p "$work/empty"
"$gazette" review "$county" -q --folder "$work/empty" -o "$work/none.html" 2>"$work/err.txt"
status=$?
[ "$status" = 3 ] || fail "folder: a folder without issue.json gives status $status, not 3"
grep -q "gazette: $work/empty" "$work/err.txt" || fail "folder: the message does not name the folder: $(cat "$work/err.txt")"
[ ! -e "$work/none.html" ] || fail "folder: a page was written for a failed run"

# A title that holds markup is shown as text, never run.
python3 - "$src/samples/county-gazette-2024-01.txt" "$work/hostile.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding='utf-8').read()
title = '关于印发《乌拉山旗2024年农村人居环境整治提升行动方案》的通知'
bad = '关于<script>document.title="PWNED"</script><img src=x onerror="document.title=\'PWNED\'">的通知'
assert title in text
open(sys.argv[2], 'w', encoding='utf-8').write(text.replace(title, bad, 1))
PY
"$gazette" review "$work/hostile.txt" -q -o "$work/hostile.html" || fail "hostile: review exited $?"
dom "$work/hostile.html" "" > "$work/hostile.dom"
grep -q '<title>gazette review: ' "$work/hostile.dom" || fail "hostile: the page's title changed"
grep -q 'PWNED' "$work/hostile.dom" || fail "hostile: the title's text is not shown"
grep -q '<script>document.title' "$work/hostile.dom" && fail "hostile: the title's markup is in the DOM as markup"
grep -q '&lt;script&gt;document.title' "$work/hostile.dom" || fail "hostile: the title is not shown as text"

[ "$failures" = 0 ] && echo "review pages: all checks passed" || echo "review pages: $failures check(s) failed"
[ "$failures" = 0 ]
