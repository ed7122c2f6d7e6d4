#!/usr/bin/env bash
# s3-swift-stop.sh WORKDIR [--keep]: stop what s3-swift-start.sh started (by PID)
set -u
W="${1:?usage: s3-swift-stop.sh WORKDIR [--keep]}"
for f in "$W"/run/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null
done
for f in "$W"/run/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f")
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  rm -f "$f"
done
[ "${2:-}" = "--keep" ] || rm -rf "$W"
