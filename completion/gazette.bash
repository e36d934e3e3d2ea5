# bash completion for gazette: subcommands, each subcommand's options, the
# values of options and arguments that take one of a set (--format, --color,
# export's table), encodings, and file names for inputs and outputs.
#
# The subcommands and options are read from `gazette [SUBCOMMAND...] --help`
# of the gazette being completed, so they are always the tool's own.
# Installed as share/bash-completion/completions/gazette (loaded on first
# use by bash-completion); or source this file from ~/.bashrc.

# Prints `gazette ARGS... --help` of the gazette in COMP_WORDS[0], or of the
# one on the PATH when that is not a command.
_gazette_help() {
  local gazette=${COMP_WORDS[0]}
  command -v -- "$gazette" >/dev/null 2>&1 || gazette=gazette
  "$gazette" "$@" --help 2>/dev/null
}

_gazette() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  # `--format=js`: bash splits the word at `=`.
  if [[ $cur == = ]]; then
    cur=""
  elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi

  # The subcommand path typed so far (`grammar explain`) and its help.
  local path=() help word subs
  help=$(_gazette_help)
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    [[ $word == -* ]] && continue
    subs=$(sed -n '/^Subcommands:/,/^$/s/^  \([a-z][^ ]*\).*/\1/p' <<<"$help")
    if [[ -n $word && $'\n'$subs$'\n' == *$'\n'$word$'\n'* ]]; then
      path+=("$word")
      help=$(_gazette_help "${path[@]}")
    fi
  done
  subs=$(sed -n '/^Subcommands:/,/^$/s/^  \([a-z][^ ]*\).*/\1/p' <<<"$help")

  # The value of the option before the cursor, when it takes one: its help
  # line is `  NAMES TYPE  description` (one space before the TYPE).
  local line names type re='^  ([-a-zA-Z0-9,]+) ([A-Z][^ ]*)'
  if [[ $prev == -* ]]; then
    while IFS= read -r line; do
      [[ $line =~ $re ]] || continue
      names=${BASH_REMATCH[1]} type=${BASH_REMATCH[2]}
      [[ ,$names, == *,$prev,* ]] || continue
      if [[ $type == *:\{*\} ]]; then  # one of a set: TEXT:{yaml,json}
        type=${type#*\{}
        type=${type%\}}
        mapfile -t COMPREPLY < <(compgen -W "${type//,/ }" -- "$cur")
      elif [[ $prev == --encoding ]]; then
        mapfile -t COMPREPLY < <(compgen -W "UTF-8 GB18030 GBK GB2312 UTF-16LE UTF-16BE Big5" -- "$cur")
      elif [[ $type == TEXT* && $prev != --ocr-lang ]]; then  # a file or a folder
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      else
        COMPREPLY=()
      fi
      return 0
    done <<<"$help"
  fi

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(sed -n 's/^  \(-[^ ]*\).*/\1/p' <<<"$help" | tr ',' ' ')" -- "$cur")
  elif [[ -n $subs ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
  elif [[ ${#path[@]} -gt 0 ]]; then
    # The argument's place among the subcommand's positionals (words that
    # are neither options nor an option's value): one of a set (export's
    # TABLE, `table TEXT:{...}`) offers the set; any other, file names.
    local n=0 after=0 takes
    for ((i = 1; i < COMP_CWORD; i++)); do
      word=${COMP_WORDS[i]}
      if ((after < ${#path[@]})); then
        [[ $word == "${path[after]}" ]] && ((after++))
        continue
      fi
      if [[ $word == -* ]]; then
        takes=$(sed -n "s/^  \([-a-zA-Z0-9,]*\) [A-Z].*/,\1,/p" <<<"$help")
        [[ $word != *=* && $takes == *",$word,"* ]] && ((i++))
        continue
      fi
      ((n++))
    done
    line=$(sed -n '/^Positionals:/,/^$/p' <<<"$help" | sed -n "$((n + 2))p")
    if [[ $line =~ ^\ \ [a-z]+\ [A-Z]+:\{([^}]*)\} ]]; then
      type=${BASH_REMATCH[1]}
      mapfile -t COMPREPLY < <(compgen -W "${type//,/ }" -- "$cur")
    else  # the inputs: issue files, folders, rule files
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
  fi
  return 0
}

complete -F _gazette gazette
