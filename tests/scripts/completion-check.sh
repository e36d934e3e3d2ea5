#!/usr/bin/env bash
# The bash completion (completion/gazette.bash) offers what the tool takes:
# every subcommand `gazette --help` lists, every option of each subcommand's
# --help, the values of --format and --color, encodings, and file names for
# inputs and outputs. Each case sets COMP_WORDS and COMP_CWORD as bash does
# on <TAB>, calls the completion function and reads COMPREPLY.
#
# Usage: completion-check.sh GAZETTE SRCDIR
set -u
gazette=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") src=$2
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# shellcheck source=../../completion/gazette.bash
source "$src/completion/gazette.bash" || { echo "FAIL  cannot source completion/gazette.bash"; exit 1; }
[[ $(complete -p gazette 2>/dev/null) == *"-F _gazette gazette"* ]] || fail "no completion registered for gazette"

# The completions of a command line whose last word is the one being
# completed (`gazette con` completes `con`), sorted, one a line.
completions() {
  COMP_WORDS=("$gazette" "$@")
  COMP_CWORD=$#
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _gazette
  printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}
# expect "WANTED (one a line)" WORDS...: the completions are exactly WANTED.
expect() {
  local wanted; wanted=$(printf '%s\n' "$1" | sed '/^$/d' | sort); shift
  local got; got=$(completions "$@")
  if [ "$got" = "$wanted" ]; then
    echo "ok    gazette $*<TAB>: $(echo $got)"
  else
    fail "gazette $*<TAB>: got [$(echo $got)], wanted [$(echo $wanted)]"
  fi
}
lines() { printf '%s\n' "$@"; }

expect convert con
expect --format convert --for
expect "$(lines json yaml)" convert --format ''
expect json convert --format = js
expect "$(lines json jsonl text)" validate --format ''
expect "$(lines auto always never)" diff -q --color ''
expect "$(lines GB18030 GB2312 GBK)" convert --encoding G
expect "$(lines check explain)" grammar ''
expect --from grammar explain --fr
expect "$(lines --help --version)" --
expect "" convert -q --ocr-dpi ''

# Every subcommand --help lists, and nothing else (read here with awk, not
# with the completion's sed).
listed=$("$gazette" --help | awk '/^Subcommands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
[ "$(echo "$listed" | wc -w)" -ge 7 ] || fail "gazette --help lists fewer than 7 subcommands: $listed"
expect "$listed" ''

# Every option each subcommand's --help lists.
for sub in $listed "grammar check" "grammar explain"; do
  # shellcheck disable=SC2086
  options=$("$gazette" $sub --help | awk '/^Options:/ { on = 1; next } on && /^  -/ { split($1, n, ","); for (k in n) print n[k] }')
  [ -n "$options" ] || { fail "gazette $sub --help lists no option"; continue; }
  # shellcheck disable=SC2086
  expect "$options" $sub -
done

# File names: inputs, and the value of an option that names a file.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/issues 2024" "$work/out"
touch "$work/issues 2024/a.txt" "$work/issues 2024/b.pdf"
cd "$work" || exit 1
expect "$(lines 'issues 2024/a.txt' 'issues 2024/b.pdf')" convert 'issues 2024/'
expect "$(lines 'issues 2024' out)" batch -j 2 -o ''
expect out review 'issues 2024/a.txt' --folder o
expect "" convert --format x
# export's first argument is one of its tables; the second, a file or folder.
expect "$(lines notices references responsibilities)" export ''
expect responsibilities export -o out/t.csv res
expect "$(lines 'issues 2024/a.txt' 'issues 2024/b.pdf')" export notices 'issues 2024/'
expect "$(lines csv jsonl xlsx)" export notices --format ''

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "the completion offers every subcommand and option"
