#!/usr/bin/env bash
# check_units.sh SYSTEMD_ANALYZE UNIT_DIR MAX_EXPOSURE: every unit passes systemd-analyze verify
# without a word, every service's offline security exposure is at most MAX_EXPOSURE, and every
# service bounds its memory, tasks and descriptors and denies link-local addresses.
set -u
analyze=$1 dir=$2 limit=$3
status=0
for unit in "$dir"/*.service "$dir"/*.timer; do
  output=$("$analyze" verify "$unit" 2>&1)
  if [ -n "$output" ]; then
    echo "verify $(basename "$unit"): $output"
    status=1
  fi
done
for unit in "$dir"/*.service; do
  line=$("$analyze" security --offline=yes "$unit" 2>&1 | grep "Overall exposure level")
  exposure=$(printf '%s\n' "$line" | grep -oE '[0-9]+\.[0-9]+' | head -n 1)
  echo "$(basename "$unit"): exposure ${exposure:-unknown} (limit $limit)"
  if [ -z "$exposure" ] || ! awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e <= l) }'; then
    status=1
  fi
done
for unit in "$dir"/*.service; do
  for setting in MemoryMax= TasksMax= LimitNOFILE= 'IPAddressDeny=169.254.0.0/16 fe80::/10'; do
    if ! grep -q "^$setting" "$unit"; then
      echo "$(basename "$unit"): no $setting"
      status=1
    fi
  done
done
exit $status
