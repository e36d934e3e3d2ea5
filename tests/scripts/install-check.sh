#!/usr/bin/env bash
# `cmake --install` into a prefix, the installed tree moved and copied
# elsewhere, and the installed binary converting a sample with its own rule
# files (issue 16): with GAZETTE_GRAMMARS unset it reads
# PREFIX/share/gazette/grammars of the tree it belongs to, not the source
# tree's; GAZETTE_GRAMMARS, when set, is the only folder it reads; the source
# tree's rule files are the last resort. The man pages and the bash
# completion stand in their FHS places, and nothing else is installed.
#
# Usage: install-check.sh CMAKE BUILDDIR SRCDIR
set -u
cmake=$1 build=$2 src=$3
failures=0
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }
ok() { echo "ok    $*"; }
# The real path: /proc/self/exe, where the tool starts looking, has no links.
work=$(cd "$(mktemp -d)" && pwd -P); trap 'rm -rf "$work"' EXIT
sample=$src/samples/county-gazette-2024-01.txt
unset GAZETTE_GRAMMARS

"$cmake" --install "$build" --prefix "$work/staged" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; echo "FAIL  cmake --install"; exit 1; }
mkdir "$work/elsewhere"
mv "$work/staged" "$work/elsewhere/gazette-1"
prefix=$work/elsewhere/gazette-1
gazette=$prefix/bin/gazette
rules=$prefix/share/gazette/grammars

# What landed where: the binary alone in bin/, every rule file and JSON
# Schema, a man page per subcommand and gazette(1), the completion under the
# command's name.
installed=$(cd "$prefix" && find . -type f | sort)
executables=$(cd "$prefix" && find . -type f -perm -u+x | sort)
[ "$executables" = "./bin/gazette" ] || fail "installed executables: $(echo $executables) (only bin/gazette wanted)"
for f in "$src"/grammars/*.yaml; do
  cmp -s "$f" "$rules/$(basename "$f")" || fail "share/gazette/grammars/$(basename "$f") missing or not the source's"
done
subcommands=$("$gazette" --help | awk '/^Subcommands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
[ "$(echo "$subcommands" | wc -w)" -ge 7 ] || fail "the installed gazette --help lists: $subcommands"
for page in gazette $(printf 'gazette-%s\n' $subcommands); do
  [ -s "$prefix/share/man/man1/$page.1" ] || fail "share/man/man1/$page.1 not installed"
done
for f in "$src"/docs/schema/*.json; do
  cmp -s "$f" "$prefix/share/gazette/schema/$(basename "$f")" || fail "share/gazette/schema/$(basename "$f") missing or not the source's"
done
cmp -s "$src/completion/gazette.bash" "$prefix/share/bash-completion/completions/gazette" \
  || fail "share/bash-completion/completions/gazette missing or not completion/gazette.bash"
want_files=$(( $(ls "$src"/grammars/*.yaml | wc -l) + $(ls "$src"/docs/schema/*.json | wc -l) + $(echo "$subcommands" | wc -w) + 3 ))
[ "$(echo "$installed" | wc -l)" -eq "$want_files" ] || fail "$want_files files wanted, installed: $(echo $installed)"
[ "$failures" -gt 0 ] || ok "installed: bin/gazette, $(ls "$rules" | wc -l) rule files, $(ls "$prefix/share/man/man1" | wc -l) man pages, the completion"

# The moved tree reads its own rule files (grammar check prints them).
check=$("$gazette" grammar check 2>&1)
[[ $check == *"rule files: $rules/base.yaml "* && $check == *" 0 failed"* ]] \
  && ok "the moved install reads $rules" || fail "grammar check of the moved install: $check"

# It converts the sample (its three notices, 5号, 2号 and 3号), the same bytes
# as the build tree's binary with the source tree's rules.
if "$gazette" convert "$sample" -o "$work/out" -q; then
  GAZETTE_GRAMMARS=$src/grammars "$build/gazette" convert "$sample" -o "$work/ref" -q
  notices=$(ls "$work/out" | grep -vc '^issue\.')
  if [ "$notices" -eq 3 ] && [ -s "$work/out/乌旗政字-2024-5.yaml" ] && diff -r "$work/ref" "$work/out" >/dev/null; then
    ok "the moved install converts the sample: $notices notice files, the same as the build tree's"
  else
    fail "the moved install's conversion ($notices notice files) differs from the build tree's"
  fi
else
  fail "the moved install cannot convert $sample"
fi

# convert itself reads the installed rules, not the source tree's: with the
# installed base.yaml broken it fails, naming that file.
cp "$rules/base.yaml" "$work/base.yaml.good"
printf '\nbroken: [\n' >>"$rules/base.yaml"
"$gazette" convert "$sample" -o "$work/broken" -q 2>"$work/err"; status=$?
[ "$status" -eq 2 ] && grep -q "^gazette: $rules/base.yaml:" "$work/err" && [ ! -e "$work/broken" ] \
  && ok "convert reads the installed base.yaml (broken: status 2, named)" \
  || fail "convert with the installed base.yaml broken: status $status, $(cat "$work/err")"
cp "$work/base.yaml.good" "$rules/base.yaml"

# A copy of the tree reads the copy's rules; so does a link to the binary.
cp -a "$prefix" "$work/copy"
check=$("$work/copy/bin/gazette" grammar check 2>&1)
[[ $check == *"rule files: $work/copy/share/gazette/grammars/base.yaml "* ]] \
  && ok "a copy of the install reads its own rules" || fail "grammar check of a copy: $check"
mkdir "$work/links" && ln -s "$gazette" "$work/links/gazette"
check=$("$work/links/gazette" grammar check 2>&1)
[[ $check == *"rule files: $rules/base.yaml "* ]] \
  && ok "a link to the binary reads the install's rules" || fail "grammar check through a link: $check"

# GAZETTE_GRAMMARS, when set, is the only folder read.
mkdir "$work/alt" "$work/empty" && cp "$rules/base.yaml" "$work/alt/"
check=$(GAZETTE_GRAMMARS=$work/alt "$gazette" grammar check 2>&1)
[[ $check == *"rule files: $work/alt/base.yaml"$'\n'"1 rule file(s)"* ]] \
  && ok "GAZETTE_GRAMMARS comes first" || fail "grammar check with GAZETTE_GRAMMARS=$work/alt: $check"
GAZETTE_GRAMMARS=$work/empty "$gazette" convert "$sample" -o "$work/none" 2>"$work/err"; status=$?
[ "$status" -eq 2 ] && grep -q "no base.yaml in $work/empty (GAZETTE_GRAMMARS)" "$work/err" \
  && ok "GAZETTE_GRAMMARS without a base.yaml: status 2, named" \
  || fail "GAZETTE_GRAMMARS=$work/empty: status $status, $(cat "$work/err")"

# Without installed rules, the source tree's are the last resort.
rm -r "$rules"
check=$("$gazette" grammar check 2>&1)
[[ $check == *"rule files: $src/grammars/base.yaml "* ]] \
  && ok "without installed rules: the source tree's" || fail "grammar check without installed rules: $check"

# man finds the pages in the prefix's man folder; the completion completes.
if command -v man >/dev/null; then
  found=$(MANPATH=$prefix/share/man man -w gazette-convert 2>&1)
  [ "$found" = "$prefix/share/man/man1/gazette-convert.1" ] && ok "man -w gazette-convert: $found" \
    || fail "man -w gazette-convert with MANPATH=$prefix/share/man: $found"
else
  echo "man not found: the man path is not checked"
fi
got=$(bash -c 'source "$1" && COMP_WORDS=("$2" con) COMP_CWORD=1 && _gazette && echo "${COMPREPLY[*]}"' \
  _ "$prefix/share/bash-completion/completions/gazette" "$gazette")
[ "$got" = convert ] && ok "the installed completion: gazette con<TAB> -> convert" \
  || fail "the installed completion of 'gazette con': $got"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "the install works from wherever it is put"
