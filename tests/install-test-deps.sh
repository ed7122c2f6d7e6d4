#!/usr/bin/env bash
# Installs what the test suite runs for real (idempotent, no prompts): redis-server, ffmpeg/ffprobe,
# OpenStack Swift with memcached as the signature-checking S3 server, Debian's chromium + chromium-driver for the
# dashboard's real-browser tests (Selenium, ExecutablePath /usr/bin/chromium), node + npm, and the official openai
# npm package that the gateway tests drive against the API.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
/usr/bin/python3 -c 'import swift.common.middleware.s3api' >/dev/null 2>&1 || missing+=(python3-swift)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

load_tests="$(cd "$(dirname "$0")/../load-tests" && pwd)"
if [ ! -f "$load_tests/node_modules/openai/package.json" ]; then
  echo "Installing load-tests/ npm packages"
  (cd "$load_tests" && npm ci --no-audit --no-fund >/dev/null)
fi
