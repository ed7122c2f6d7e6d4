#!/usr/bin/env bash
# Installs what the test suite runs for real (idempotent, no prompts): redis-server, ffmpeg/ffprobe,
# OpenStack Swift with memcached as the signature-checking S3 server, and Debian's chromium + chromium-driver
# for the dashboard's real-browser tests (driven by Playwright with ExecutablePath /usr/bin/chromium).
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
/usr/bin/python3 -c 'import swift.common.middleware.s3api' >/dev/null 2>&1 || missing+=(python3-swift)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing test dependencies: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
