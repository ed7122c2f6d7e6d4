#!/usr/bin/env bash
# Runs MOVA's own workflow client (workflow/sglang_client.py of OpenMOSS/MOVA, unchanged; written for `sglang serve`)
# against a cluster on embedded defaults, the way the workflow app uses it: submit with the client's defaults
# (640x360, 193 frames, 24 fps, guidance 5.0, 50 steps), wait, ask for the download URL, download, list. The cluster
# serves mova-360p on the synthetic test device (no GPU needed) and takes keyless requests as the anonymous tenant.
# The client is never copied into this repository: it is read from the file named by MOVA_WORKFLOW_CLIENT, else from a
# git mirror of OpenMOSS/MOVA (MOVA_MIRROR, else .mirror/OpenMOSS+MOVA/repo in a folder above the repository).
# Needs python3 with requests (Debian: python3-requests). Prints the driver's JSON line and checks the download.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/mova-sglang-client.XXXXXX")"
silo_pid=""
cleanup() { [ -n "$silo_pid" ] && kill "$silo_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${MOVA_WORKFLOW_CLIENT:-}" ]; then
  cp "$MOVA_WORKFLOW_CLIENT" "$work/sglang_client.py"
else
  mirror="${MOVA_MIRROR:-}"
  dir="$repo"
  while [ -z "$mirror" ] && [ "$dir" != / ]; do
    dir="$(dirname "$dir")"
    [ -d "$dir/.mirror/OpenMOSS+MOVA/repo" ] && mirror="$dir/.mirror/OpenMOSS+MOVA/repo"
  done
  [ -n "$mirror" ] || { echo "MOVA's workflow client not found: set MOVA_WORKFLOW_CLIENT to workflow/sglang_client.py of OpenMOSS/MOVA, or MOVA_MIRROR to a git mirror of it." >&2; exit 2; }
  git -C "$mirror" show HEAD:workflow/sglang_client.py > "$work/sglang_client.py"
fi
python3 -c 'import requests' 2>/dev/null || { echo "python3 requests is missing (Debian: sudo apt-get install python3-requests)." >&2; exit 2; }

port="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
base="http://127.0.0.1:$port"
cat > "$work/config.py" <<CONFIG
SGLANG_SERVERS = {"mova-360p": {"name": "MovaCluster", "base_url": "$base", "default_size": "640x360", "description": "MovaCluster"}}
CONFIG
python3 - "$work/first_frame.png" <<'PNG'
import struct, sys, zlib
w, h = 96, 64
rows = b"".join(b"\x00" + b"".join(bytes((x * 2 % 256, y * 3 % 256, 128)) for x in range(w)) for y in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PNG

echo "starting the cluster on $base (log: $work/silo.log)"
ASPNETCORE_URLS="$base" "$repo/silo/run-embedded.sh" \
  --Mova:Execution:Executor=Synthetic \
  "--Mova:Gateway:Models:mova-360p:WorkerModel=synthetic (no model; synthetic output)" \
  --Mova:Gateway:Anonymous:Enabled=true > "$work/silo.log" 2>&1 &
silo_pid=$!
for _ in $(seq 1 300); do
  curl -fs "$base/health" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { cat "$work/silo.log" >&2; exit 1; }
  sleep 1
done

cp "$repo/load-tests/sglang-client/drive_sglang_client.py" "$work/"
result="$(cd "$work" && python3 drive_sglang_client.py mova-360p "$work/first_frame.png" "$work/out/video.mp4" | tail -n 1)"
echo "$result"
id="$(printf '%s' "$result" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["status"]=="completed", r; print(r["id"])')"
curl -fs -o "$work/content.mp4" "$base/v1/videos/$id/content"
cmp "$work/content.mp4" "$work/out/video.mp4"
echo "MOVA's workflow client: video $id completed, downloaded $(stat -c %s "$work/out/video.mp4") bytes, equal to /content"
