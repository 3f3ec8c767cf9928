#!/usr/bin/env bash
# Issue 14 bench: bench-org synced through 1, 2 and 3 accounts' token pools and one App installation, under real budgets
# (5,000 points/h per account, 12,500/h for the installation) and under a budget that binds: BIND_POINTS (default 20) points
# per BIND_WINDOW seconds (default 20) per account, the installation scaled by the simulator to 2.5 times that (GitHub's
# 12,500 : 5,000). SPEC overrides the data set; ROWS=regex runs only matching rows, APPEND=1 adds them to OUT.md. Prints one markdown row per configuration: wall time, points, wall ÷ (points needed ÷ total budget) and
# the load average when the row ended; keeps each sync's log and the simulator's stats beside OUT.md (OUT-raw/).
# Usage: bench/auth/pools.sh OUT.md   (builds ./pulse; the simulator and each sync are pulse processes over HTTP)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/bench/results/auth-pools.md}"
raw="${out%.md}-raw"
bind_points="${BIND_POINTS:-20}"
bind_window="${BIND_WINDOW:-20}"
work="$(mktemp -d)"
mkdir -p "$raw"
trap 'kill "${sim:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/pulse" --help >/dev/null
dll="$root/.build/pulse/pulse.dll"
# bench-org by default; SPEC=... for a smaller organisation of the same shape (see bench/results/auth-pools.md for why).
spec="${SPEC:-repos=21,prs=10133,seed=7,tails=heavy,commits_max=300,big_body=true,extreme=5}"
dotnet "$dll" simulate generate --synthetic "$spec" --out "$work/bench-org.json" >/dev/null
openssl genrsa -traditional -out "$work/key.pem" 2048 2>/dev/null
openssl rsa -in "$work/key.pem" -pubout -out "$work/public.pem" 2>/dev/null

run() {  # name, window seconds, points per window per account, simulate args..., -- sync sign-in args...
  local name=$1 window=$2 points=$3; shift 3
  [[ "$name" =~ ${ROWS:-.} ]] || return 0   # ROWS=regex runs only the rows it matches
  local sim_args=() sync_args=()
  while [ "$1" != "--" ]; do sim_args+=("$1"); shift; done; shift
  sync_args=("$@")
  local port=$((20000 + RANDOM % 20000))
  dotnet "$dll" simulate --port "$port" --dataset "$work/bench-org.json" --sleep-scale 0 --points-per-hour "$points" \
    --rate-window-seconds "$window" "${sim_args[@]}" >"$work/sim.log" 2>&1 &
  sim=$!
  until grep -q "listening on" "$work/sim.log"; do sleep 0.2; done
  local start end
  start=$(date +%s.%N)
  dotnet "$dll" sync --github-url "http://127.0.0.1:$port/graphql" --owner synth-org --no-embeddings --quiet \
    --database "sqlite:$work/$name.db" "${sync_args[@]}" >"$work/$name.log" 2>&1
  end=$(date +%s.%N)
  local used budget
  used=$(curl -s "http://127.0.0.1:$port/_sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["points"])')
  budget=$(grep -o '[0-9]* points/h' "$work/sim.log" | head -1 | cut -d' ' -f1 || true)
  local slug load
  slug=$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-' | tr -s '-')
  curl -s "http://127.0.0.1:$port/_sim/stats" >"$raw/$slug.stats.json"
  cp "$work/$name.log" "$raw/$slug.sync.log"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  kill "$sim"; wait "$sim" 2>/dev/null || true
  python3 - "$name" "$start" "$end" "$used" "$window" "${budget:-}" "$points" "$load" "$(tail -1 "$work/$name.log")" <<'PY' >>"$out"
import sys
name, start, end, used, window, app_budget, points, load, last = sys.argv[1:10]
wall = float(end) - float(start); used = int(used); window = float(window)
accounts = {"1 account": 1, "2 accounts": 2, "3 accounts": 3}.get(name.split(",")[0], 1)
total = int(app_budget) if app_budget else accounts * int(points)
windows = used / total
print(f"| {name} | {total} per {window:g} s | {used} | {wall:.1f} | {windows:.3f} | {wall / windows:.1f} | {load} | {'ok' if 'FINISHED' in last.upper() else last} |")
PY
}

[ -n "${APPEND:-}" ] || {
  echo "# Token pools and App installation on bench-org — measured $(date -u +%FT%TZ)"
  echo
  echo "Data set \`$spec\` (pulse simulate --dataset), simulator and sync as separate pulse processes on this machine, no latency,"
  echo "\`--sleep-scale 0\`; machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Produced by \`bench/auth/pools.sh\`. \"windows\" = points needed ÷ total budget per window; the last column is wall ÷ windows:"
  echo "constant when the wall time scales with the total budget."
  echo
  echo "| configuration | total budget | points used | wall s | windows of budget needed | wall ÷ windows (s) | load average at end | result |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
} >"$out"
run "1 account, real budget" 3600 5000 --tokens a:t1 -- --token t1
run "2 accounts, real budget" 3600 5000 --tokens a:t1,b:t2 -- --token t1 --token t2
run "3 accounts, real budget" 3600 5000 --tokens a:t1,b:t2,c:t3 -- --token t1 --token t2 --token t3
run "App installation (150 repositories, 12,500 per h), real budget" 3600 5000 --app "1:$work/public.pem:2:150" -- --app-id 1 --app-key "$work/key.pem" --installation-id 2
run "1 account, binding budget" "$bind_window" "$bind_points" --tokens a:t1 -- --token t1
run "2 accounts, binding budget" "$bind_window" "$bind_points" --tokens a:t1,b:t2 -- --token t1 --token t2
run "3 accounts, binding budget" "$bind_window" "$bind_points" --tokens a:t1,b:t2,c:t3 -- --token t1 --token t2 --token t3
run "App installation (150 repositories, 2.5 accounts), binding budget" "$bind_window" "$bind_points" --app "1:$work/public.pem:2:150" -- --app-id 1 --app-key "$work/key.pem" --installation-id 2
cat "$out"
