#!/usr/bin/env bash
# Create latency over RUNS fresh gateways, the way BENCHMARKS.md reports it: each run starts run-gateway.sh, runs
# create-latency.sh (RATE req/s for SECONDS after WARMUP) and stops the gateway. One run's tail depends on what the
# 2 cores happen to be doing (GC, JIT, the load generator), so the series gives the spread, not one number.
# Prints each run's JSON line (with the load average at its start), then the p99 spread and how many runs met GOAL_MS.
# Usage: ./create-latency-series.sh PORT [RUNS] [RATE] [SECONDS] [WARMUP] [GOAL_MS]
set -euo pipefail
port=${1:?port}; runs=${2:-6}; rate=${3:-200}; seconds=${4:-20}; warmup=${5:-5}; goal=${6:-50}
cd "$(dirname "$0")"
lines=()
for run in $(seq 1 "$runs"); do
  pid=$(./run-gateway.sh "$port")
  load=$(cut -d' ' -f1 /proc/loadavg)
  line=$(./create-latency.sh "$port" "$rate" "$seconds" "$warmup" 2>/dev/null | tail -n 1)
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  echo "{\"run\":$run,\"load\":$load,\"result\":$line}"
  lines+=("$line")
done
printf '%s\n' "${lines[@]}" | node -e '
const runs = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
const p99 = runs.map(r => r.latency_ms.p99).sort((a, b) => a - b);
const goal = Number(process.argv[1]);
console.log(JSON.stringify({ runs: runs.length, p99_ms: { min: p99[0], median: p99[Math.floor((p99.length - 1) / 2)], max: p99[p99.length - 1] },
  runs_within_goal: p99.filter(v => v <= goal).length, goal_ms: goal, errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0) }));' "$goal"
