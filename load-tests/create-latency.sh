#!/usr/bin/env bash
# Create latency at a fixed arrival rate: POST /v1/videos (JSON) at RATE requests/s for SECONDS, bounded.
# The jobs use the "mova-bench" model, which no worker runs, so they stay queued (see run-gateway.sh).
# A warm-up of WARMUP seconds at the same rate runs first and is not measured (JIT tiering, thread pool growth, first
# grain activations); its jobs stay queued too, so the measured part starts with RATE*WARMUP jobs waiting.
# The API key is $API_KEY (default: the embedded gateway's development key).
# Usage: [API_KEY=...] ./create-latency.sh PORT [RATE] [SECONDS] [WARMUP]
set -euo pipefail
port=${1:?port}; rate=${2:-200}; seconds=${3:-20}; warmup=${4:-5}
cd "$(dirname "$0")"
mkdir -p results
create() {
  node node_modules/autocannon/autocannon.js -j -c 50 -R "$rate" -d "$1" -m POST \
    -H "Authorization=Bearer ${API_KEY:-mova-dev-key}" -H 'Content-Type=application/json' \
    -b '{"prompt":"create latency benchmark","model":"mova-bench","num_frames":9,"fps":8,"num_inference_steps":4}' \
    "http://127.0.0.1:$port/v1/videos"
}
if [ "$warmup" -gt 0 ]; then create "$warmup" > results/create-latency-warmup.json 2>/dev/null; fi
create "$seconds" > results/create-latency.json
node -e '
const r = JSON.parse(require("fs").readFileSync("results/create-latency.json"));
console.log(JSON.stringify({ target_rate: Number(process.argv[1]), warmup_seconds: Number(process.argv[2]), achieved_rate: r.requests.average, total: r.requests.total, non2xx: r.non2xx, errors: r.errors,
  latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max } }));' "$rate" "$warmup"
