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
#   RUNS              timed rounds after one warm-up round (default 5); in a round
#                     uconv, batch -j 1 and batch -j 2 run once each, in turn
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
gazette="${1:-$repo/build/gazette}"
[[ -x "$gazette" ]] || { echo "bench/batch.sh: no gazette binary; give its path" >&2; exit 2; }
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

# Each timed command runs once per round (hyperfine --runs 1, one JSON file a
# run), the commands taking turns: a machine that slows down or speeds up
# during the benchmark then weighs on all of them alike, not on whichever ran
# in that stretch. The figures are over all files of a command. Every run
# starts after a `sync` (hyperfine --prepare, untimed): otherwise the data
# uconv leaves unflushed would be written out during the next batch run, whose
# syncfs flushes the whole file system.
median() {  # median wall time of all runs, in seconds
  python3 -c 'import json,statistics,sys; print("%.3f" % statistics.median([t for f in sys.argv[1:] for r in json.load(open(f))["results"] for t in r["times"]]))' "$@"
}
cpu_time() {  # mean CPU time of all runs, in seconds: user+system, user or system
  local what="$1"; shift
  python3 -c 'import json,statistics,sys
rs = [r for f in sys.argv[2:] for r in json.load(open(f))["results"]]
key = {"all": lambda r: r["user"] + r["system"], "user": lambda r: r["user"], "system": lambda r: r["system"]}[sys.argv[1]]
print("%.3f" % statistics.mean(key(r) for r in rs))' "$what" "$@"
}
calc() { python3 -c "print($1)"; }

uconv_cmd="uconv -f utf-8 -t utf-8 -x nfkc -o $work/all.nfkc.txt $work/all.txt"
# Every batch run writes a folder of its own, and no output is deleted until
# the end: as an archive is converted into a new folder. Deleting the last
# run's 1,500 files just before each run would time the file system instead:
# ext4 without a journal skips inodes freed in the last minutes when it
# allocates new ones, at a cost that grows with every file deleted.
runs_dir="$work/runs-$$"
# j_cmd J [FORMAT]: batch with J threads, JSON unless FORMAT is given
j_cmd() { echo "$gazette batch $work/issues -o $runs_dir/out-${2:-json}-j$1-{run} -j $1 --format ${2:-json} --quiet"; }
one_cmd="$gazette convert $first -o $work/one --format json --quiet"

echo "== timing (hyperfine, 1 warm-up round, $runs rounds; uconv and the batch runs take turns)"
mkdir -p "$work/times"
for round in $(seq 0 "$runs"); do  # round 0 is the warm-up
  hyperfine -N --runs 1 --prepare sync --export-json "$work/times/uconv-$round.json" "$uconv_cmd" >/dev/null
  for run in j1:1:json y1:1:yaml j2:2:json; do  # name:threads:format
    IFS=: read -r name j format <<<"$run"
    hyperfine -N --runs 1 --prepare sync --export-json "$work/times/$name-$round.json" \
      "$(j_cmd "$j" "$format" | sed "s/{run}/$round/")" >/dev/null
  done
done
hyperfine -N --warmup 3 --runs 30 --export-json "$work/one.json" "$one_cmd" >/dev/null
timed() {  # the JSON files of command $1's runs after the warm-up
  local f
  for f in "$work"/times/"$1"-*.json; do [[ "$f" == *-0.json ]] || echo "$f"; done
}
# shellcheck disable=SC2046 # file lists on purpose
{
  t_uconv=$(median $(timed uconv)); c_uconv=$(cpu_time all $(timed uconv))
  u_uconv=$(cpu_time user $(timed uconv)); s_uconv=$(cpu_time system $(timed uconv))
  t_j1=$(median $(timed j1)); c_j1=$(cpu_time all $(timed j1))
  u_j1=$(cpu_time user $(timed j1)); s_j1=$(cpu_time system $(timed j1))
  t_y1=$(median $(timed y1)); c_y1=$(cpu_time all $(timed y1))
  u_y1=$(cpu_time user $(timed y1)); s_y1=$(cpu_time system $(timed y1))
  t_j2=$(median $(timed j2)); c_j2=$(cpu_time all $(timed j2))
  u_j2=$(cpu_time user $(timed j2)); s_j2=$(cpu_time system $(timed j2))
}
t_one=$(median "$work/one.json"); c_one=$(cpu_time all "$work/one.json")

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
notices=$(wc -l < "$runs_dir/out-json-j1-1/notices.jsonl")
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

verdict() { if python3 -c "import sys; sys.exit(0 if $1 else 1)"; then echo met; else echo MISSED; fi; }
speedup=$(calc "'%.2f' % ($t_j1 / $t_j2)")
ratio=$(calc "'%.2f' % ($t_j1 / $t_uconv)")
ratio_yaml=$(calc "'%.2f' % ($t_y1 / $t_uconv)")
ms_one=$(calc "'%.1f' % ($t_one * 1000)")
ms_one_cpu=$(calc "'%.1f' % ($c_one * 1000)")
cpu="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"

cat <<EOF

machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)
gazette: $("$gazette" --version 2>/dev/null || echo "?") ($gazette)
input:   $n issues, $bytes bytes, $notices notices
load:    $load_before before, $load_after after (1, 5, 15 min averages)

| measure                       | command                                 | wall (median) | CPU user+sys (user / sys) | target      |        |
|-------------------------------|-----------------------------------------|---------------|---------------------------|-------------|--------|
| ICU NFKC pass (reference)     | uconv -f utf-8 -t utf-8 -x nfkc, 1 file | $t_uconv s | $c_uconv s ($u_uconv / $s_uconv) | | |
| batch, 1 thread, JSON         | gazette batch DIR -o OUT -j 1 --format json | $t_j1 s | $c_j1 s ($u_j1 / $s_j1) | <= $t_uconv s | $(verdict "$t_j1 <= $t_uconv") |
| batch, 1 thread, YAML         | gazette batch DIR -o OUT -j 1 --format yaml | $t_y1 s | $c_y1 s ($u_y1 / $s_y1) | <= $t_uconv s | $(verdict "$t_y1 <= $t_uconv") |
| batch, 2 threads, JSON        | gazette batch DIR -o OUT -j 2 --format json | $t_j2 s (x$speedup) | $c_j2 s ($u_j2 / $s_j2) | x1.6 vs -j 1 | $(verdict "$speedup >= 1.6") |
| peak memory, -j 1 / -j 2      | /usr/bin/time -v gazette batch ...      | $rss_j1 / $rss_j2 KiB | | <= 65536 KiB | $(verdict "$rss_max <= 65536") |
| one issue, with process start | gazette convert ISSUE -o OUT            | $ms_one ms | $ms_one_cpu ms | < 50 ms | $(verdict "$t_one < 0.050") |

batch -j 1 takes $ratio times the ICU pass in JSON, $ratio_yaml in YAML (wall time). CPU time
far below wall time means the machine was busy (see load) or the run waited on the disk.
System time is mostly the file system's: batch creates about 15 files per issue and writes
2.5 times the bytes uconv writes.
EOF
