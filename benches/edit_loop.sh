#!/usr/bin/env bash
# Edit → verdict: how long from saving a model file to `check`'s verdict on its `ci`
# configuration, as a person iterating on a model sees it.
#
#   benches/edit_loop.sh [PROFILE] [MODEL:CONFIG ...]
#
# PROFILE is a cargo profile (default: model). For each model it builds once (not timed), then
# three times: touches the file (cargo rebuilds the example) and runs `check`; then three times:
# makes a real edit (a comment line at the top, which moves every item, so the macro's input
# and the generated code change) and runs `check`.
# Each line gives the wall time and the machine's load average (`uptime`), since these machines
# are shared. The edit is undone at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-model}"
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(two_phase_commit:rm3 raft:ci paxos:ci chain_replication:ci craq:ci)

for mc in "${models[@]}"; do
  model="${mc%%:*}" config="${mc#*:}"
  file="examples/$model.rs"
  backup="$(mktemp)"
  cp -p "$file" "$backup"
  trap 'cp -p "$backup" "$file"; touch "$file"' EXIT
  trap 'exit 130' INT TERM
  cargo build -q --profile "$profile" --example "$model"
  for kind in touch touch touch edit edit edit; do
    if [ "$kind" = touch ]; then
      touch "$file"
    else
      # A line at the top moves every item of the model: the macro's input and output change.
      sed -i "1i // edit $(date +%s%N)" "$file"
    fi
    load="$(uptime | sed 's/.*load average: //')"
    start=$(date +%s.%N)
    cargo run -q --profile "$profile" --example "$model" -- check --config "$config" > /dev/null 2>&1
    end=$(date +%s.%N)
    printf '%-18s %-6s %-6s %6.2f s   load %s\n' "$model" "$config" "$kind" "$(echo "$end - $start" | bc)" "$load"
  done
  cp -p "$backup" "$file"
  touch "$file"
  trap - EXIT INT TERM
done
