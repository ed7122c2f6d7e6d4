#!/usr/bin/env bash
# Starts the gateway host (Release) on 127.0.0.1:PORT as a separate process in front of a silo started by
# run-gateway.sh, connected as an Orleans client to that silo's client port (run-gateway.sh's PORT + 2), so every grain
# answer crosses the network as it does in a deployment. Same catalog and lifted development quotas as run-gateway.sh.
# Prints its PID. Usage: ./run-standalone-gateway.sh PORT SILO_CLIENT_PORT   (stop it with: kill <pid>)
set -euo pipefail
port=${1:?port}; silo_client_port=${2:?silo client port}
root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/gateway/MovaCluster.Gateway/bin/Release/net10.0/MovaCluster.Gateway.dll"
[ -f "$dll" ] || dotnet build -c Release "$root/gateway/MovaCluster.Gateway" >/dev/null
data=$(mktemp -d /tmp/mova-bench-gateway.XXXXXX)
cd "$data"
ASPNETCORE_URLS="http://127.0.0.1:$port" \
nohup dotnet "$dll" \
  --Logging:LogLevel:Default=Warning \
  --Mova:Cluster:GatewayPort="$silo_client_port" \
  --Mova:Storage:LocalDisk:RootPath="$data/clips" \
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
