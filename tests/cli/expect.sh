#!/usr/bin/env bash
# expect.sh STATUS PATTERN COMMAND...: runs COMMAND and passes when it exits with STATUS and
# its combined output has a line matching the extended regex PATTERN.
set -u
expected_status=$1 pattern=$2
shift 2
output=$("$@" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -ne "$expected_status" ]; then
  echo "expect.sh: exit status $status, wanted $expected_status" >&2
  exit 1
fi
if ! printf '%s\n' "$output" | grep -Eq -- "$pattern"; then
  echo "expect.sh: no line matches /$pattern/" >&2
  exit 1
fi
