#!/usr/bin/env bash
# Status GET throughput: one video, GET /v1/videos/{id} as fast as the gateway answers, bounded in time.
# A warm-up of WARMUP seconds (same load, not measured) runs first. With REFERENCE_IMAGE set to a PNG or JPEG file, the
# video is created (multipart) with that file as its reference image.
# Usage: [REFERENCE_IMAGE=FILE] ./status-get.sh PORT [SECONDS] [CONNECTIONS] [WARMUP]
set -euo pipefail
port=${1:?port}; seconds=${2:-15}; connections=${3:-64}; warmup=${4:-3}
cd "$(dirname "$0")"
if [ -n "${REFERENCE_IMAGE:-}" ]; then
  created=$(curl -sf -H 'Authorization: Bearer mova-dev-key' -F prompt='status benchmark' -F model=mova-bench -F num_frames=9 -F fps=8 \
    -F "input_reference=@$REFERENCE_IMAGE" "http://127.0.0.1:$port/v1/videos")
else
  created=$(curl -sf -H 'Authorization: Bearer mova-dev-key' -H 'Content-Type: application/json' \
    -d '{"prompt":"status benchmark","model":"mova-bench","num_frames":9,"fps":8}' "http://127.0.0.1:$port/v1/videos")
fi
id=$(node -pe 'JSON.parse(process.argv[1]).id' "$created")
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
