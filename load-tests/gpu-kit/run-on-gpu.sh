#!/usr/bin/env bash
# Runs the GPU bring-up kit on a machine with an NVIDIA GPU and PyTorch (no .NET, no network needed), in one bounded
# command, and writes what it found under $OUT (at most 6 files):
#   summary.md           the numbers on one page          results.json   everything, merged
#   env.txt              machine, driver, CUDA, compilers, PyTorch      build.log  LibTorchSharp build, verbatim
#   probe.log            the probe's own output            pytorch-reference.txt   the bench step in PyTorch eager
# Order, each stage under its own time limit inside --deadline (a slow stage cannot eat the others'):
#   1. unpack the kit (again on every run: idempotent) and record the environment
#   2. build LibTorchSharp (TorchSharp's native layer, exact sources of the TorchSharp version in the kit) and the CUDA
#      shim with CMake (+ ninja, else make) against the machine's libtorch: find_package(Torch) from torch.utils.cmake_prefix_path,
#      else the torch folder's include/ and lib/ directly; meanwhile PyTorch times the reference bench step.
#      A successful build is cached for a rerun of the same kit on the same machine.
#   3. if the build fails: the compiler errors stay in build.log, and the kit falls back to the released
#      libLibTorchSharp.so (built for libtorch 2.10), after listing which of its symbols this libtorch lacks
#   4. the probe, one process per section (goldens, bench, mova-step, executor), with the machine's libtorch and the
#      chosen LibTorchSharp on the library path; then the report.
#
# Usage: run-on-gpu.sh [KIT] [--out DIR] [--device cuda:0] [--size full|tiny] [--sections LIST] [--deadline SECONDS]
#                      [--torch-lib DIR] [--torch-root DIR] [--torch-cmake DIR]
#   KIT          the archive (default .gpukit/mova-gpukit.tar.xz) or an unpacked kit folder
#   --out        results folder (default $OUT, else ./gpukit-out)
#   --deadline   seconds for the whole run (default 300); stages get what is left, sections first-come
#   --torch-*    libtorch to use instead of python3's torch: its lib/ folder, its package root (include/, lib/) and
#                its CMake prefix (a cpu check of the kit passes the NuGet libtorch-cpu natives as --torch-lib)
set -uo pipefail

started=$SECONDS
kit=".gpukit/mova-gpukit.tar.xz"
out="${OUT:-$PWD/gpukit-out}"
device="cuda:0"
size=""
sections="goldens bench mova-step executor"
deadline=300
torch_lib=""
torch_root=""
torch_cmake=""
torch_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --device) device="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --sections) sections="${2//,/ }"; shift 2 ;;
    --deadline) deadline="$2"; shift 2 ;;
    --torch-lib) torch_lib="$2"; torch_given=1; shift 2 ;;
    --torch-root) torch_root="$2"; torch_given=1; shift 2 ;;
    --torch-cmake) torch_cmake="$2"; torch_given=1; shift 2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    -*) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
    *) kit="$1"; shift ;;
  esac
done
[ -n "$size" ] || { [[ "$device" == cuda* ]] && size=full || size=tiny; }

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="${MOVA_GPUKIT_WORK:-${TMPDIR:-/tmp}/mova-gpukit-run}"
status="$work/kit-status.env"
parts="$work/parts"
left() { echo $((deadline - (SECONDS - started))); }
say() { printf '[run-on-gpu %4ds] %s\n' $((SECONDS - started)) "$*"; }
note() { echo "$1=$2" >> "$status"; }
# A stage's limit: its own cap, but never more than what is left minus what later stages keep in reserve.
budget() { local cap=$1 reserve=$2 rest; rest=$(( $(left) - reserve )); [ "$rest" -lt "$cap" ] && cap=$rest; [ "$cap" -lt 5 ] && cap=5; echo "$cap"; }

# 1. Unpack and record the environment.
kit_path="$(cd "$(dirname "$kit")" && pwd)/$(basename "$kit")"
rm -rf "$work/kit" "$parts" "$status"
mkdir -p "$work/kit" "$parts"
if [ -d "$kit_path" ]; then
  cp -r "$kit_path/." "$work/kit/"
else
  tar -xJf "$kit_path" -C "$work/kit" --strip-components=1 || { echo "Cannot unpack $kit_path" >&2; exit 1; }
fi
kitdir="$work/kit"
probe="$kitdir/probe/MovaCluster.GpuProbe"
note device "$device"
note size "$size"
note kit "$(basename "$kit_path")"
sed 's/^/kit_/' "$kitdir/KIT.txt" >> "$status"
say "kit unpacked to $kitdir"

python_torch() { python3 -c "import torch, os; $1" 2>/dev/null; }
if [ "$torch_given" -eq 0 ] && python_torch 'pass'; then
  torch_root="$(python_torch 'print(os.path.dirname(torch.__file__))')"
  torch_lib="$torch_root/lib"
  torch_cmake="$(python_torch 'print(torch.utils.cmake_prefix_path)')"
fi
cxx11_abi="$(python_torch 'print(int(torch._C._GLIBCXX_USE_CXX11_ABI))' || echo 1)"
torch_version="$(python_torch 'print(torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' || echo "none in python3 (libtorch from --torch-lib: $torch_lib)")"
note torch "$torch_version"
note torch_lib "$torch_lib"
cuda_include=""
for candidate in "${CUDA_HOME:-/usr/local/cuda}/include" /usr/local/cuda/include; do
  [ -f "$candidate/cuda_runtime_api.h" ] && { cuda_include="$candidate"; break; }
done
if [ -z "$cuda_include" ] && python3 -c 'import nvidia' 2>/dev/null; then
  header="$(find "$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))')/nvidia" -name cuda_runtime_api.h 2>/dev/null | head -n 1)"
  [ -n "$header" ] && cuda_include="$(dirname "$header")"
fi

{
  echo "== date"; date -u
  echo "== uname"; uname -a
  echo "== os"; head -n 2 /etc/os-release 2>/dev/null
  echo "== cpus / memory"; nproc; free -g 2>/dev/null | head -n 2
  echo "== nvidia-smi"; nvidia-smi 2>&1 | head -n 20
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.limit --format=csv 2>&1
  echo "== nvcc"; nvcc --version 2>&1 | tail -n 2
  echo "== cmake / ninja / compilers"; cmake --version 2>&1 | head -n 1; ninja --version 2>&1; g++ --version 2>&1 | head -n 1
  echo "== glibc / libstdc++"; ldd --version 2>&1 | head -n 1
  strings "$(g++ -print-file-name=libstdc++.so.6 2>/dev/null)" 2>/dev/null | grep '^GLIBCXX_3\.4\.3' | sort -V | tail -n 1
  echo "== python3 torch"; echo "$torch_version"
  python_torch 'print("cuda available", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'
  echo "cmake prefix: $torch_cmake"; echo "torch lib: $torch_lib"; echo "cxx11 abi: $cxx11_abi"; echo "cuda include: $cuda_include"
  echo "== kit"; cat "$kitdir/KIT.txt"
} > "$out/env.txt" 2>&1
say "environment recorded ($torch_version)"

# 2. PyTorch's own timing of the bench step (in the background, on the GPU while the CPUs compile).
reference_pid=""
if [[ "$device" == cuda* ]] && python_torch 'assert torch.cuda.is_available()'; then
  (
    for dtype in float32 bfloat16; do
      timeout 75 python3 "$kitdir/reference/bench_step.py" 10 4 cuda "$dtype" 2>&1 || echo "bench_step.py $dtype: exit $?"
    done
  ) > "$out/pytorch-reference.txt" 2>&1 &
  reference_pid=$!
else
  echo "skipped: no CUDA device through python3's torch" > "$out/pytorch-reference.txt"
fi

# 2. Build LibTorchSharp and the shim against this libtorch (or reuse the build of an earlier run of the same kit).
cache="$work/build-$(sha256sum "$kitdir/KIT.txt" | cut -c1-12)-$(echo "$torch_version" | sha256sum | cut -c1-12)"
build="$work/build"
: > "$out/build.log"
built=""
if [ -f "$cache/libLibTorchSharp.so" ]; then
  say "reusing the LibTorchSharp built by an earlier run: $cache"
  echo "reused the build of an earlier run of this kit against this libtorch: $cache" >> "$out/build.log"
  built="$cache"
  note build reused
elif [ ! -d "$kitdir/native/torchsharp/src/Native/LibTorchSharp" ]; then
  echo "the kit carries no LibTorchSharp sources (built without a TorchSharp clone: see KIT.txt): nothing to build" >> "$out/build.log"
  note build no-sources
elif [ -z "$torch_cmake" ] && [ -z "$torch_root" ]; then
  echo "no libtorch headers known (no torch in python3, no --torch-root/--torch-cmake): nothing to build against" >> "$out/build.log"
  note build skipped
else
  configured=""
  # Ninja where the machine has it (the lent GPU machines do), else make: the same targets either way.
  if command -v ninja >/dev/null; then generator=Ninja; compile=(ninja -C "$build" -k 0 -j"$(nproc)"); else generator="Unix Makefiles"; compile=(make -C "$build" -k -j"$(nproc)"); fi
  if [ -n "$torch_cmake" ]; then
    say "configuring: find_package(Torch) under $torch_cmake"
    echo "== configure: find_package(Torch), CMAKE_PREFIX_PATH=$torch_cmake" >> "$out/build.log"
    rm -rf "$build"
    TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}" timeout "$(budget 90 150)" cmake -S "$kitdir/native" -B "$build" -G "$generator" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$torch_cmake" -DCUDA_INCLUDE_DIR="$cuda_include" >> "$out/build.log" 2>&1 \
      && configured=find_package
  fi
  if [ -z "$configured" ] && [ -n "$torch_root" ]; then
    say "configuring: the torch folder's include/ and lib/ ($torch_root)"
    echo "== configure: MOVA_TORCH_DIRECT, TORCH_ROOT=$torch_root" >> "$out/build.log"
    rm -rf "$build"
    timeout "$(budget 60 140)" cmake -S "$kitdir/native" -B "$build" -G "$generator" -DCMAKE_BUILD_TYPE=Release -DMOVA_TORCH_DIRECT=ON \
      -DTORCH_ROOT="$torch_root" -DMOVA_CXX11_ABI="$cxx11_abi" -DCUDA_INCLUDE_DIR="$cuda_include" >> "$out/build.log" 2>&1 \
      && configured=direct
  fi
  note configure "${configured:-failed}"
  if [ -n "$configured" ]; then
    limit=$(budget 200 130)
    say "compiling (${compile[*]}, at most ${limit}s)"
    echo "== build: ${compile[*]}, limit ${limit}s" >> "$out/build.log"
    timeout "$limit" "${compile[@]}" >> "$out/build.log" 2>&1
    rc=$?
    note build_exit "$rc"
    note compile_errors "$(grep -c 'error:' "$out/build.log")"
    if [ -f "$build/libLibTorchSharp.so" ]; then
      rm -rf "$cache" && mkdir -p "$cache" && cp "$build"/lib*.so "$cache/"
      built="$cache"
      note build built
    else
      note build "$([ "$rc" -eq 124 ] && echo timed-out || echo failed)"
    fi
  else
    note build configure-failed
  fi
fi

# 3. Choose the LibTorchSharp the probe loads.
if [ -n "$built" ]; then
  cp "$built/libLibTorchSharp.so" "$kitdir/probe/"
  note libtorchsharp "built from TorchSharp $(sed -n 's/^torchsharp_version=//p' "$kitdir/KIT.txt") sources against this libtorch"
  [ -f "$built/libMovaCudaShim.so" ] && cp "$built/libMovaCudaShim.so" "$kitdir/probe/" && note cuda_shim built || note cuda_shim not-built
else
  cp "$kitdir/prebuilt/libLibTorchSharp.so" "$kitdir/probe/"
  note libtorchsharp "released binary (built for libtorch $(sed -n 's/^torchsharp_built_for_libtorch=//p' "$kitdir/KIT.txt")), fallback"
  note cuda_shim not-built
  if command -v nm >/dev/null && [ -d "$torch_lib" ]; then
    # Strong undefined references into libtorch's namespaces (weak ones and the C/C++ runtime's are not libtorch's).
    nm -D --undefined-only "$kitdir/prebuilt/libLibTorchSharp.so" | awk '$1 == "U" {print $2}' | grep -v '@' \
      | grep -E '3c10|2at|5torch|6caffe2' | sort -u > "$work/needed.txt"
    nm -D --defined-only "$torch_lib"/libtorch.so "$torch_lib"/libtorch_cpu.so "$torch_lib"/libc10.so 2>/dev/null \
      | awk 'NF >= 3 {print $NF}' | sed 's/@.*//' | sort -u > "$work/defined.txt"
    comm -23 "$work/needed.txt" "$work/defined.txt" > "$work/missing.txt"
    note prebuilt_missing_symbols "$(wc -l < "$work/missing.txt")"
    {
      echo "== the released libLibTorchSharp.so against $torch_lib: $(wc -l < "$work/missing.txt") of its $(wc -l < "$work/needed.txt") libtorch symbols are missing"
      echo "   (resolved lazily: a section that calls one of them dies with 'symbol lookup error')"
      head -n 200 "$work/missing.txt" | c++filt 2>/dev/null || head -n 200 "$work/missing.txt"
    } >> "$out/build.log"
  fi
fi
[ -n "$built" ] && [ -f "$built/libMovaCudaShim.so" ] && shim="$kitdir/probe/libMovaCudaShim.so" || shim=""
if [ -n "$reference_pid" ]; then
  wait "$reference_pid"
fi

# 4. The probe, a process per section, each under its own limit.
declare -A caps=([goldens]=60 [bench]=60 [mova-step]=150 [executor]=60)
scale=1
[[ "$device" == cuda* ]] || scale=5   # a cpu check of the kit (tiny shapes on a shared cpu) is slower, not bounded by a lease
remaining_sections=$(echo "$sections" | wc -w)
for section in $sections; do
  remaining_sections=$((remaining_sections - 1))
  limit=$(budget $(( ${caps[$section]:-60} * scale )) $((remaining_sections * 15 + 10)))
  say "section $section (at most ${limit}s)"
  echo "===== section $section, limit ${limit}s" >> "$out/probe.log"
  LD_LIBRARY_PATH="$kitdir/probe:$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    MOVA_GOLDENS="$kitdir/goldens/mova-tiny" MOVA_CODEC_GOLDENS="$kitdir/goldens/codecs-tiny" MOVA_CUDA_SHIM="$shim" \
    timeout -k 10 "$limit" "$probe" --device "$device" --size "$size" --sections "$section" \
      --budget $((limit * 2 / 3)) --out "$parts/$section.json" >> "$out/probe.log" 2>&1
  rc=$?
  note "section_${section//-/_}_exit" "$rc$([ "$rc" -eq 124 ] && echo ' (timed out)')"
done

note total_seconds $((SECONDS - started))
"$probe" report --out "$out/results.json" --markdown "$out/summary.md" --status "$status" "$parts"/*.json > /dev/null 2>> "$out/probe.log" \
  || { echo "the report failed; see probe.log" >&2; cp "$status" "$out/summary.md"; }
say "done: $out"
cat "$out/summary.md"
