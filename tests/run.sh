#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs missing test dependencies (redis-server, ffmpeg, Swift S3, podman,
# helm, ...), builds the solution and the container images once, runs every test project against real services, and
# prints a one-line summary.
set -euo pipefail
cd "$(dirname "$0")/.."

tests/install-test-deps.sh

results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build MovaCluster.sln -c Release -nologo -clp:ErrorsOnly

# The container images the deployment tests play (silo, gateway), built once per run here rather than inside a test:
# the build takes minutes, and a test host silent that long would be taken for hung.
helm/build-images.sh --report artifacts/images/build-report.txt
export MOVA_IMAGES_REPORT="$PWD/artifacts/images/build-report.txt"

# The GPU bring-up kit (an archive of the self-contained GPU probe, minutes to publish and compress), likewise built
# once here for GpuKitBundleTests.
mkdir -p artifacts/gpukit
load-tests/gpu-kit/build-kit.sh --out "$PWD/artifacts/gpukit" > artifacts/gpukit/build-report.txt 2>&1 \
  || echo "build_failed=see the lines above" >> artifacts/gpukit/build-report.txt
export MOVA_GPUKIT_REPORT="$PWD/artifacts/gpukit/build-report.txt"

status=0
dotnet test MovaCluster.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 10m || status=$?

passed=0; failed=0; total=0; executed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  total=$((total + $(value total)))
  executed=$((executed + $(value executed)))
done
echo "$passed passed, $failed failed, $((total - executed)) skipped"

if [ "$passed" -eq 0 ]; then
  echo "No test passed: the run is not a success." >&2
  status=1
fi
exit "$status"
