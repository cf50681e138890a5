#!/bin/sh
# check_man_page.sh NEWSMON MAN_PAGE: every subcommand and every long option that
# `NEWSMON ... --help` lists appears in the man page.
set -u
newsmon=$1 page=$2
text=$(sed 's/\\-/-/g' "$page")
missing=0
# One --help per command: the binary may be slow to start (sanitizers).
subcommands() { printf '%s\n' "$1" | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'; }
options() { printf '%s\n' "$1" | grep -o -- '--[a-z][a-z-]*' | grep -v -- '^--help$' | sort -u; }
check() { # WHAT NEEDLE
  if ! printf '%s\n' "$text" | grep -qF -- "$2"; then
    echo "check_man_page: $1 \"$2\" is not in $page" >&2
    missing=1
  fi
}
help=$("$newsmon" --help 2>&1)
for option in $(options "$help"); do check option "$option"; done
for command in $(subcommands "$help"); do
  check subcommand "$command"
  command_help=$("$newsmon" "$command" --help 2>&1)
  for option in $(options "$command_help"); do check "option of $command" "$option"; done
  for sub in $(subcommands "$command_help"); do
    # "alert enable|disable|rm NAME" names three
    if ! printf '%s\n' "$text" | grep -qE -- "$command [a-z|-]*\\b$sub\\b"; then
      echo "check_man_page: subcommand \"$command $sub\" is not in $page" >&2
      missing=1
    fi
    for option in $(options "$("$newsmon" "$command" "$sub" --help 2>&1)"); do
      check "option of $command $sub" "$option"
    done
  done
done
exit $missing
