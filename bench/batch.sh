#!/usr/bin/env bash
# Benchmark of `gazette batch` against the four targets of issue 7:
#   1. batch -j 1 takes no longer than one ICU normalization pass over the same
#      bytes (uconv -f utf-8 -t utf-8 -x nfkc);
#   2. batch -j 2 is at least 1.6 times faster than -j 1 (on two cores);
#   3. peak memory (max RSS) of batch stays at or under 64 MiB;
#   4. convert of one issue, process start included, takes under 50 ms.
#
# Usage: bench/batch.sh [GAZETTE_BINARY]
#   GAZETTE_BINARY   default: build/gazette
# Environment:
#   MAKE_BACK_ISSUES  the back-issue generator (default ../shared/corpus/make-back-issues.sh next to the repo)
#   ISSUES            how many back issues (default 100, about 22 MB)
#   RUNS              timed runs per command after one warm-up (default 5)
#   BENCH_DIR         scratch folder (default: a new temporary folder, removed at the end);
#                     each invocation writes its batch outputs to a new runs-PID
#                     folder there (about 60 MB a run) and leaves them
#
# Needs hyperfine, uconv (package icu-devtools), GNU time (/usr/bin/time, package
# time) and python3 (to read hyperfine's JSON). Wall times are medians; CPU
# times (user + system) are means and steadier on a shared machine. Exits 0
# with a message when the generator is absent; the exit status is 0 even when
# a target is missed: the table says which.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
gazette="${1:-}"
if [[ -z "$gazette" ]]; then
  for c in "$repo/build/gazette"; do
    [[ -x "$c" ]] && { gazette="$c"; break; }
  done
fi
[[ -n "$gazette" && -x "$gazette" ]] || { echo "bench/batch.sh: no gazette binary; give its path" >&2; exit 2; }
gazette="$(cd "$(dirname "$gazette")" && pwd)/$(basename "$gazette")"

generator="${MAKE_BACK_ISSUES:-$repo/../shared/corpus/make-back-issues.sh}"
if [[ ! -f "$generator" ]]; then
  echo "bench/batch.sh: skipped: back-issue generator not found at $generator (set MAKE_BACK_ISSUES)"
  exit 0
fi
for tool in hyperfine uconv python3; do
  command -v "$tool" >/dev/null || { echo "bench/batch.sh: $tool is missing" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench/batch.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

n="${ISSUES:-100}"
runs="${RUNS:-5}"
if [[ -n "${BENCH_DIR:-}" ]]; then
  work="$BENCH_DIR"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi

echo "== making $n back issues with $generator"
rm -rf "$work/issues"
bash "$generator" "$n" "$work/issues"
# uconv reads the same bytes in one pass and one process, as batch does: the
# files concatenated (outside the timing). One uconv per file would add a
# process start and ICU data loading per issue and flatter batch.
cat "$work"/issues/*.txt > "$work/all.txt"
bytes=$(stat -c %s "$work/all.txt")
first="$(ls "$work"/issues/*.txt | head -n 1)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# hyperfine's JSON holds one result per command, or one per value of a
# parameter scan (a batch run per output folder): all runs count alike.
median() {  # median wall time of all runs, in seconds
  python3 -c 'import json,statistics,sys; print("%.3f" % statistics.median([t for r in json.load(open(sys.argv[1]))["results"] for t in r["times"]]))' "$1"
}
cpu_time() {  # mean user + system CPU time, in seconds
  python3 -c 'import json,statistics,sys; rs=json.load(open(sys.argv[1]))["results"]; print("%.3f" % statistics.mean(r["user"] + r["system"] for r in rs))' "$1"
}
calc() { python3 -c "print($1)"; }

uconv_cmd="uconv -f utf-8 -t utf-8 -x nfkc -o $work/all.nfkc.txt $work/all.txt"
# Every batch run writes a folder of its own, and no output is deleted until
# the end: as an archive is converted into a new folder. Deleting the last
# run's 1,500 files just before each run would time the file system instead:
# ext4 without a journal skips inodes freed in the last minutes when it
# allocates new ones, at a cost that grows with every file deleted.
runs_dir="$work/runs-$$"
j_cmd() { echo "$gazette batch $work/issues -o $runs_dir/out-j$1-{run} -j $1 --format json --quiet"; }
one_cmd="$gazette convert $first -o $work/one --format json --quiet"

echo "== timing (hyperfine, 1 warm-up, $runs runs)"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/uconv.json" "$uconv_cmd" >/dev/null
for j in 1 2; do
  hyperfine -N --runs 1 -P run 0 0 "$(j_cmd "$j")" >/dev/null  # the warm-up
  hyperfine -N --runs 1 -P run 1 "$runs" --export-json "$work/j$j.json" "$(j_cmd "$j")" >/dev/null
done
hyperfine -N --warmup 3 --runs 30 --export-json "$work/one.json" "$one_cmd" >/dev/null
t_uconv=$(median "$work/uconv.json"); c_uconv=$(cpu_time "$work/uconv.json")
t_j1=$(median "$work/j1.json"); c_j1=$(cpu_time "$work/j1.json")
t_j2=$(median "$work/j2.json"); c_j2=$(cpu_time "$work/j2.json")
t_one=$(median "$work/one.json"); c_one=$(cpu_time "$work/one.json")

echo "== peak memory (/usr/bin/time -v, max RSS)"
rss() {
  /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null
  awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/time.txt"
}
# shellcheck disable=SC2046 # the commands are word lists on purpose
rss_j1=$(rss $(j_cmd 1 | sed 's/{run}/rss/'))
# shellcheck disable=SC2046
rss_j2=$(rss $(j_cmd 2 | sed 's/{run}/rss/'))
rss_max=$(( rss_j1 > rss_j2 ? rss_j1 : rss_j2 ))
notices=$(wc -l < "$runs_dir/out-j1-1/notices.jsonl")
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

verdict() { if python3 -c "import sys; sys.exit(0 if $1 else 1)"; then echo met; else echo MISSED; fi; }
speedup=$(calc "'%.2f' % ($t_j1 / $t_j2)")
ratio=$(calc "'%.2f' % ($t_j1 / $t_uconv)")
ms_one=$(calc "'%.1f' % ($t_one * 1000)")
ms_one_cpu=$(calc "'%.1f' % ($c_one * 1000)")
cpu="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"

cat <<EOF

machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)
gazette: $("$gazette" --version 2>/dev/null || echo "?") ($gazette)
input:   $n issues, $bytes bytes, $notices notices
load:    $load_before before, $load_after after (1, 5, 15 min averages)

| measure                       | command                                 | wall (median) | CPU user+sys | target      |        |
|-------------------------------|-----------------------------------------|---------------|--------------|-------------|--------|
| ICU NFKC pass (reference)     | uconv -f utf-8 -t utf-8 -x nfkc, 1 file | $t_uconv s | $c_uconv s | | |
| batch, 1 thread               | gazette batch DIR -o OUT -j 1           | $t_j1 s | $c_j1 s | <= $t_uconv s | $(verdict "$t_j1 <= $t_uconv") |
| batch, 2 threads              | gazette batch DIR -o OUT -j 2           | $t_j2 s (x$speedup) | $c_j2 s | x1.6 vs -j 1 | $(verdict "$speedup >= 1.6") |
| peak memory, -j 1 / -j 2      | /usr/bin/time -v gazette batch ...      | $rss_j1 / $rss_j2 KiB | | <= 65536 KiB | $(verdict "$rss_max <= 65536") |
| one issue, with process start | gazette convert ISSUE -o OUT            | $ms_one ms | $ms_one_cpu ms | < 50 ms | $(verdict "$t_one < 0.050") |

batch -j 1 takes $ratio times the ICU pass (wall time). CPU time far below wall time means the
machine was busy (see load) or the run waited on the disk (fsync).
EOF
