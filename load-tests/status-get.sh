#!/usr/bin/env bash
# Status GET throughput: one video, GET /v1/videos/{id} as fast as the gateway answers, bounded in time.
# A warm-up of WARMUP seconds (same load, not measured) runs first.
# Usage: ./status-get.sh PORT [SECONDS] [CONNECTIONS] [WARMUP]
set -euo pipefail
port=${1:?port}; seconds=${2:-15}; connections=${3:-64}; warmup=${4:-3}
cd "$(dirname "$0")"
id=$(curl -sf -H 'Authorization: Bearer mova-dev-key' -H 'Content-Type: application/json' \
  -d '{"prompt":"status benchmark","model":"mova-bench","num_frames":9,"fps":8}' "http://127.0.0.1:$port/v1/videos" | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
mkdir -p results
if [ "$warmup" -gt 0 ]; then
  node node_modules/autocannon/autocannon.js -j -c "$connections" -d "$warmup" \
    -H 'Authorization=Bearer mova-dev-key' "http://127.0.0.1:$port/v1/videos/$id" > /dev/null 2>&1
fi
node node_modules/autocannon/autocannon.js -j -c "$connections" -d "$seconds" \
  -H 'Authorization=Bearer mova-dev-key' "http://127.0.0.1:$port/v1/videos/$id" > results/status-get.json
node -e '
const r = JSON.parse(require("fs").readFileSync("results/status-get.json"));
console.log(JSON.stringify({ requests_per_second: r.requests.average, total: r.requests.total, non2xx: r.non2xx, errors: r.errors,
  latency_ms: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max } }));'
