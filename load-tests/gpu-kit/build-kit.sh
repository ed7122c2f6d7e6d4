#!/usr/bin/env bash
# Builds the GPU bring-up kit: one archive (under 64 MiB, what a lent GPU machine's upload allows) that a GPU machine
# with PyTorch but no .NET and no network can run with run-on-gpu.sh (README.md beside this file).
#   probe/      load-tests/MovaCluster.GpuProbe published self-contained for linux-x64 with -p:TorchBackend=external:
#               the managed TorchSharp.dll, no libtorch (the GPU machine's own is used)
#   prebuilt/   the released libLibTorchSharp.so of the TorchSharp package (built for libtorch 2.10), the fallback
#   native/     LibTorchSharp's native sources at the TorchSharp commit the package was built from, the CUDA shim's
#               source and the CMake file that builds both against the machine's libtorch
#   goldens/    the mova-tiny and codecs-tiny golden sets
#   reference/  load-tests/pytorch-reference/bench_step.py (the bench step in PyTorch eager, for comparison)
#   run-on-gpu.sh, README.md, KIT.txt (versions, commit, sizes)
#
# Usage: load-tests/gpu-kit/build-kit.sh [--out DIR] [--torchsharp-repo GIT_DIR] [--goldens DIR] [--codec-goldens DIR]
#   --out              where the archive goes (default: .gpukit/ in the repository, ignored by git; name it in the
#                      device tool's carry list)
#   --torchsharp-repo  a git clone or bare mirror of dotnet/TorchSharp (default $TORCHSHARP_REPO, else
#                      .mirror/dotnet+TorchSharp/repo in a folder above the repository). None found: the kit carries
#                      no LibTorchSharp sources (KIT.txt says so) and run-on-gpu.sh uses the released binary.
#   --goldens, --codec-goldens   golden set folders (default: $MOVA_GOLDENS / $MOVA_CODEC_GOLDENS, else
#                      ../shared/goldens/mova-tiny and codecs-tiny beside the repository)
# Prints the archive's path and size last; fails when the archive is 64 MiB or more.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/.gpukit"
torchsharp_repo="${TORCHSHARP_REPO:-}"
if [ -z "$torchsharp_repo" ]; then
  dir="$repo"
  while [ "$dir" != / ]; do
    dir="$(dirname "$dir")"
    [ -d "$dir/.mirror/dotnet+TorchSharp/repo" ] && { torchsharp_repo="$dir/.mirror/dotnet+TorchSharp/repo"; break; }
  done
fi
goldens="${MOVA_GOLDENS:-$repo/../shared/goldens/mova-tiny}"
codec_goldens="${MOVA_CODEC_GOLDENS:-$repo/../shared/goldens/codecs-tiny}"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --torchsharp-repo) torchsharp_repo="$2"; shift 2 ;;
    --goldens) goldens="$2"; shift 2 ;;
    --codec-goldens) codec_goldens="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

limit=$((64 * 1024 * 1024))
say() { printf '[build-kit] %s\n' "$*"; }

# The TorchSharp package in use, and the commit of dotnet/TorchSharp it was built from. The package records no
# commit; 0.107.0 is c20b6a1c ("Update release notes", which set BranchInfo.props to 0.107.0, the package's release
# day), and the functions its libLibTorchSharp.so exports are exactly those the native sources there declare.
torchsharp_version="$(sed -n 's/.*PackageVersion Include="TorchSharp" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")"
case "$torchsharp_version" in
  0.107.0) torchsharp_commit=c20b6a1cc574d690707638a488d2583f3b8b983f ;;
  *) echo "No known TorchSharp commit for package version '$torchsharp_version': add it to $0." >&2; exit 1 ;;
esac
if [ -n "$torchsharp_repo" ]; then
  git -C "$torchsharp_repo" cat-file -e "$torchsharp_commit^{commit}" 2>/dev/null \
    || { echo "TorchSharp commit $torchsharp_commit is not in $torchsharp_repo (pass --torchsharp-repo)." >&2; exit 1; }
  branch_version="$(git -C "$torchsharp_repo" show "$torchsharp_commit:build/BranchInfo.props" \
    | sed -n 's/.*<\(Major\|Minor\|Patch\)Version>\([0-9]*\)<.*/\2/p' | paste -sd.)"
  [ "$branch_version" = "$torchsharp_version" ] \
    || { echo "TorchSharp commit $torchsharp_commit says version $branch_version, not $torchsharp_version." >&2; exit 1; }
fi
for set in "$goldens" "$codec_goldens"; do
  [ -f "$set/manifest.json" ] || { echo "Golden set $set has no manifest.json (pass --goldens/--codec-goldens)." >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/mova-gpukit-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
stage="$work/mova-gpukit"
mkdir -p "$stage/native/torchsharp" "$stage/prebuilt" "$stage/goldens" "$stage/reference" "$out"

if [ -n "$torchsharp_repo" ]; then
  say "LibTorchSharp sources of TorchSharp $torchsharp_version ($torchsharp_commit)"
  git -C "$torchsharp_repo" archive "$torchsharp_commit" src/Native LICENSE.txt | tar -x -C "$stage/native/torchsharp"
  torchsharp_sources=present
else
  say "no TorchSharp clone or mirror (--torchsharp-repo): the kit carries no LibTorchSharp sources, run-on-gpu.sh will use the released binary"
  torchsharp_sources=absent
fi
cp "$repo/load-tests/gpu-kit/native/CMakeLists.txt" "$stage/native/"
cp "$repo/src/MovaCluster.Execution/Native/mova_cuda_shim.cpp" "$stage/native/"

say "publishing the probe (self-contained linux-x64, TorchBackend=external)"
started=$SECONDS
# Its own artifacts folder: the repository's bin/ and obj/ (a cpu build) stay as they are.
dotnet publish "$repo/load-tests/MovaCluster.GpuProbe" -c Release -r linux-x64 --self-contained \
  -p:TorchBackend=external -p:DebugType=none -p:PublishDocumentationFile=false -p:PublishDocumentationFiles=false \
  -p:SatelliteResourceLanguages=en --artifacts-path "$work/artifacts" -o "$stage/probe" -nologo -clp:ErrorsOnly
publish_seconds=$((SECONDS - started))
# Debugger and tracing support of the runtime, never loaded by a plain run.
rm -f "$stage/probe/libmscordaccore.so" "$stage/probe/libmscordbi.so" "$stage/probe/libcoreclrtraceptprovider.so" "$stage/probe/createdump"
if ls "$stage/probe" | grep -q '^libtorch'; then
  echo "The publish contains libtorch binaries; TorchBackend=external should have left them out." >&2; exit 1
fi
mv "$stage/probe/libLibTorchSharp.so" "$stage/prebuilt/"

say "golden sets and the PyTorch reference"
cp -r "$goldens" "$stage/goldens/mova-tiny"
cp -r "$codec_goldens" "$stage/goldens/codecs-tiny"
cp "$repo/load-tests/pytorch-reference/bench_step.py" "$stage/reference/"
cp "$repo/load-tests/gpu-kit/run-on-gpu.sh" "$repo/load-tests/gpu-kit/README.md" "$stage/"

size_of() { du -sb "$1" | cut -f1; }
{
  echo "built_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "repository_commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo '+changes')"
  echo "torchsharp_version=$torchsharp_version"
  echo "torchsharp_commit=$torchsharp_commit"
  echo "torchsharp_sources=$torchsharp_sources"
  echo "torchsharp_built_for_libtorch=$(sed -n 's/.*PackageVersion Include="libtorch-cpu-linux-x64" Version="\([^"]*\)".*/\1/p' "$repo/Directory.Packages.props")"
  echo "probe_bytes=$(size_of "$stage/probe")"
  echo "prebuilt_bytes=$(size_of "$stage/prebuilt")"
  echo "native_source_bytes=$(size_of "$stage/native")"
  echo "goldens_bytes=$(size_of "$stage/goldens")"
  echo "publish_seconds=$publish_seconds"
} > "$stage/KIT.txt"

say "compressing"
started=$SECONDS
archive="$out/mova-gpukit.tar.xz"
tar -C "$work" -cf - mova-gpukit | xz -T0 -6 > "$archive.partial"
mv "$archive.partial" "$archive"
size=$(stat -c %s "$archive")
cat "$stage/KIT.txt"
echo "compress_seconds=$((SECONDS - started))"
echo "unpacked_bytes=$(size_of "$stage")"
echo "archive=$archive"
echo "archive_bytes=$size"
if [ "$size" -ge "$limit" ]; then
  echo "The kit is $size bytes, over the 64 MiB a device call may carry." >&2
  exit 1
fi
echo "kit: $archive ($((size / 1024 / 1024)) MiB)"
