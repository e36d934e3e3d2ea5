#!/usr/bin/env bash
# Time and peak memory of gazette on hostile sizes: a 30 MB line without a
# newline, 10 MB of blank lines, and synthetic issues of 10,000 and 100,000
# notices (every notice written as its own file). Usage: bench/robustness.sh [path/to/gazette]
# Prints one line per case: wall seconds, user+sys seconds, peak RSS.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/build/gazette}"
[ -x "$bin" ] || { echo "no gazette binary at $bin (build first, or pass its path)" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/gazette-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
piece = "这是一行很长的文字，没有换行。"
with open(f"{work}/long-line.txt", "w", encoding="utf-8") as f:
    f.write("某县人民政府公报\n" + piece * (30_000_000 // len(piece.encode())))
with open(f"{work}/blank-lines.txt", "w", encoding="utf-8") as f:
    f.write("某县人民政府公报\n\n2024年第1期\n" + "\n" * 10_000_000)
for n in (10_000, 100_000):
    with open(f"{work}/notices-{n}.txt", "w", encoding="utf-8") as f:
        f.write("某县人民政府公报\n\n2024年第1期\n\n")
        for i in range(n):
            doc = f"某政发〔{2001 + i // 50000}〕{i % 50000 + 1}号"
            f.write(f"某县人民政府\n\n关于第{i+1}项工作的通知\n\n{doc}\n\n各乡镇：\n\n"
                    f"现就第{i+1}项工作通知如下。\n\n某县人民政府\n\n2024年1月15日\n\n")
PY

run() {
  local name="$1"; shift
  local t="$work/time.txt"
  if /usr/bin/time -f "%e %U %S %M" -o "$t" "$bin" "$@" >/dev/null 2>"$work/err.txt"; then status=0; else status=$?; fi
  read -r wall user sys rss <"$t" || true
  printf '%-28s status %d  wall %6.2f s  cpu %6.2f s  peak %7.1f MB\n' \
    "$name" "$status" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $rss / 1024" | bc)"
  [ "$status" = 0 ] || sed 's/^/    /' "$work/err.txt"
}

run "30 MB line" convert "$work/long-line.txt" -q -o "$work/out-long" --format json
run "10 MB of blank lines" convert "$work/blank-lines.txt" -q -o "$work/out-blank" --format json
run "10,000 notices" convert "$work/notices-10000.txt" -q -o "$work/out-10k" --format json
run "100,000 notices" convert "$work/notices-100000.txt" -q -o "$work/out-100k" --format json
run "100,000 notices, again" convert "$work/notices-100000.txt" -q -o "$work/out-100k" --format json
for f in long-line blank-lines notices-100000; do printf '%-28s %6.1f MB\n' "input $f" "$(echo "scale=1; $(stat -c %s "$work/$f.txt") / 1048576" | bc)"; done
echo "files written for 100,000 notices: $(find "$work/out-100k" -type f | wc -l)"
