#!/usr/bin/env bash
# Installs what the test suite runs for real (idempotent, no prompts): redis-server, ffmpeg/ffprobe,
# and OpenStack Swift with memcached as the signature-checking S3 server.
set -euo pipefail

# The official openai npm package (and the load-test tools), which the gateway tests drive against the API.
load_tests="$(cd "$(dirname "$0")/../load-tests" && pwd)"
if [ ! -f "$load_tests/node_modules/openai/package.json" ]; then
  echo "Installing load-tests/ npm packages"
  (cd "$load_tests" && npm ci --no-audit --no-fund >/dev/null)
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
/usr/bin/python3 -c 'import swift.common.middleware.s3api' >/dev/null 2>&1 || missing+=(python3-swift)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing test dependencies: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
