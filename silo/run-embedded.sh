#!/usr/bin/env bash
# Runs the cluster on embedded defaults (one process: silo and gateway, in-memory providers, a cpu worker holding the
# tiny random-weights MOVA). The silo muxes every clip with ffmpeg/ffprobe: they are installed with apt when missing.
# Arguments go to the silo (configuration overrides, e.g. --Mova:Execution:Mova:CheckpointPath=/models/MOVA-360p).
set -euo pipefail

if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "Installing ffmpeg (the silo muxes every clip with it)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi

exec dotnet run --project "$(cd "$(dirname "$0")" && pwd)/MovaCluster.Silo" -c Release -- "$@"
