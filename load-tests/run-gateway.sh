#!/usr/bin/env bash
# Starts the embedded silo + gateway (Release) on loopback for the load scenarios, and prints its PID.
# Jobs for the model "mova-bench" never run (no worker holds that model; the gateway lets them wait for one for up to
# a week), so create benchmarks measure the gateway, the job grain and the queue, not ffmpeg. mova-tiny is routed to
# the simulated device (not the tiny MOVA, the embedded default), whose jobs take STEP_DELAY per step, so the fan-out
# scenario's pace does not depend on the machine's speed.
# Usage: ./run-gateway.sh PORT [STEP_DELAY]   (stop it with: kill <pid>)
set -euo pipefail
port=${1:?port}
step_delay=${2:-00:00:00.100}
root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/silo/MovaCluster.Silo/bin/Release/net10.0/MovaCluster.Silo.dll"
[ -f "$dll" ] || dotnet build -c Release "$root/silo/MovaCluster.Silo" >/dev/null
data=$(mktemp -d /tmp/mova-bench.XXXXXX)
cd "$data"
ASPNETCORE_URLS="http://127.0.0.1:$port" \
nohup dotnet "$dll" \
  --Logging:LogLevel:Default=Warning \
  --Mova:Cluster:SiloPort="$((port + 1))" --Mova:Cluster:GatewayPort="$((port + 2))" \
  --Mova:Storage:LocalDisk:RootPath="$data/clips" \
  --Mova:Execution:Executor=Synthetic --Mova:Execution:Synthetic:StepDelay="$step_delay" \
  --Mova:Queue:MaxQueuedPerTenant=1000000 --Mova:Queue:MaxQueued=1000000 \
  --Mova:Gateway:Models:mova-bench:WorkerModel=no-worker-holds-this --Mova:Gateway:WorkerWait=7.00:00:00 \
  --Mova:Gateway:Models:mova-tiny:WorkerModel="synthetic (no model; synthetic output)" \
  --Mova:Gateway:Models:mova-bench:DefaultWidth=64 --Mova:Gateway:Models:mova-bench:DefaultHeight=48 \
  --Mova:Gateway:Development:Quotas:RequestsPerSecond=1000000 --Mova:Gateway:Development:Quotas:RequestBurst=1000000 \
  --Mova:Gateway:Development:Quotas:MaxQueuedJobs=1000000 --Mova:Gateway:Development:Quotas:VideoSecondsPerDay=100000000 \
  > "$data/gateway.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/alive" >/dev/null; then echo "$pid"; exit 0; fi
  sleep 0.5
done
echo "gateway did not start; log: $data/gateway.log" >&2
kill "$pid"
exit 1
