#!/usr/bin/env bash
# The man pages cannot drift from the tool (issue 16): every subcommand that
# `gazette --help` lists has its page gazette-SUB.1, named in gazette(1);
# every option a subcommand's --help lists is an option its page describes
# (an item of OPTIONS), and every option a page describes is one --help
# lists; every page renders without a warning (groff, when it is installed)
# and has a NAME line whatis can index (lexgrog, when installed).
#
# Usage: man-check.sh GAZETTE MANDIR   (MANDIR: the build's man/ folder)
set -u
gazette=$1 mandir=$2
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# The options a help text lists, one a line: the first column of its option
# lines (`  -o,--output TEXT ...`), split at commas.
help_options() { "$gazette" "$@" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | sort -u; }
# The subcommands a help text lists.
help_subcommands() { "$gazette" "$@" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][^ ]*\).*/\1/p'; }
# A page's text with roff's escapes for fonts and hyphens undone.
plain() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\%//g' "$1"; }
# The options a page describes: the words starting with - on the line after
# each .TP (an item's tag), one a line.
page_options() {
  plain "$1" | awk 'tag { sub(/^\.B /, ""); gsub(/,/, " ");
                           for (i = 1; i <= NF; i++) if ($i ~ /^-/) print $i; tag = 0 }
                    /^\.TP/ { tag = 1 }' | sort -u
}
# Compares the options of `gazette ARGS... --help` (each ARGS a quoted list)
# with those PAGE describes.
check_page() {
  local page=$1; shift
  [ -f "$page" ] || { fail "$page: no such man page"; return; }
  local listed=""
  for args in "$@"; do listed+=$(help_options $args)$'\n'; done
  listed=$(printf '%s' "$listed" | sed '/^$/d' | sort -u)
  [ -n "$listed" ] || { fail "gazette $* --help lists no option (is the help format changed?)"; return; }
  local described; described=$(page_options "$page")
  local missing extra
  missing=$(comm -23 <(echo "$listed") <(echo "$described"))
  extra=$(comm -13 <(echo "$listed") <(echo "$described"))
  [ -z "$missing" ] || fail "$(basename "$page"): --help lists options the page does not describe:" $missing
  [ -z "$extra" ] || fail "$(basename "$page"): the page describes options --help does not list:" $extra
  [ -n "$missing$extra" ] || echo "ok    $(basename "$page"): $(echo "$listed" | wc -l) options"
}

subcommands=$(help_subcommands)
[ "$(echo "$subcommands" | wc -w)" -ge 7 ] || fail "gazette --help lists fewer than 7 subcommands: $subcommands"
check_page "$mandir/gazette.1" ""
for sub in $subcommands; do
  plain "$mandir/gazette.1" | grep -q "^\.BR gazette-$sub (1)" || fail "gazette.1 does not name gazette-$sub(1)"
  nested=$(help_subcommands "$sub")
  if [ -n "$nested" ]; then  # grammar check, grammar explain: one page
    args=()
    for n in $nested; do args+=("$sub $n"); done
    check_page "$mandir/gazette-$sub.1" "${args[@]}"
  else
    check_page "$mandir/gazette-$sub.1" "$sub"
  fi
done
pages=$(ls "$mandir"/*.1 | wc -l)
[ "$pages" -eq $(($(echo "$subcommands" | wc -w) + 1)) ] || fail "$pages pages for $(echo $subcommands) and gazette(1)"

if command -v groff >/dev/null; then
  before=$failures
  for page in "$mandir"/*.1; do
    warnings=$(groff -k -man -Tutf8 -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "$(basename "$page"): groff warns: $warnings"
  done
  [ "$failures" -gt "$before" ] || echo "ok    groff renders the $pages pages without a warning"
else
  echo "groff not found: the pages' rendering is not checked"
fi
if command -v lexgrog >/dev/null; then
  for page in "$mandir"/*.1; do
    lexgrog "$page" >/dev/null 2>&1 || fail "$(basename "$page"): lexgrog finds no NAME line"
  done
else
  echo "lexgrog (man-db) not found: the NAME lines are not checked"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all man pages match the tool's options"
