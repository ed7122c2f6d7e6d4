#!/usr/bin/env bash
# Builds MovaCluster's container images with podman, from a Debian 12 rootfs made by debootstrap (no registry image,
# no .NET base image: both hosts are published self-contained):
#   localhost/movacluster-base:bookworm           Debian 12 minbase + ca-certificates, updates applied (cached)
#   localhost/movacluster-silo:TAG-VARIANT        silo/Containerfile (cpu) or silo/Containerfile.cuda (cuda)
#   localhost/movacluster-gateway:TAG             gateway/Containerfile
#
# Usage: helm/build-images.sh [--variant cpu|cuda] [--tag TAG] [--only silo|gateway] [--rebuild-base]
#                             [--push REGISTRY] [--report FILE]
#   --variant       TorchSharp backend of the silo image (default cpu). cuda publishes with -p:TorchBackend=cuda and
#                   builds on an NVIDIA CUDA runtime image: it needs TorchSharp-cuda-linux on the NuGet feed and a
#                   registry that serves nvidia/cuda, which this project's build machines lack.
#   --tag           image tag (default: the chart's appVersion)
#   --only          build only the silo or only the gateway image
#   --rebuild-base  make the Debian base again even if a base younger than BASE_MAX_AGE_DAYS (default 7) exists
#   --push          also tag the images as REGISTRY/NAME:TAG and push them there
#   --report        write sizes (bytes) and build times (seconds) as key=value lines to FILE
# Environment: PODMAN_ARGS (default "--runtime runc --cgroup-manager=cgroupfs", what podman 4.3 on Debian 12 needs
# here), DEBIAN_MIRROR (default http://deb.debian.org/debian), CONTAINERS_CONF (default: a file under
# artifacts/images without default ulimits). Runs as root (debootstrap, podman storage).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
variant=cpu
tag=""
only=""
rebuild_base=0
push_registry=""
report=""
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --rebuild-base) rebuild_base=1; shift ;;
    --push) push_registry="${2%/}"; shift 2 ;;
    --report) report="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$variant" in cpu|cuda) ;; *) echo "--variant is cpu or cuda, not '$variant'" >&2; exit 2 ;; esac
case "$only" in ""|silo|gateway) ;; *) echo "--only is silo or gateway, not '$only'" >&2; exit 2 ;; esac
if [ -z "$tag" ]; then
  tag="$(sed -n 's/^appVersion:[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$repo/helm/mova-cluster/Chart.yaml")"
fi

work="$repo/artifacts/images"
mkdir -p "$work"
if [ -z "${CONTAINERS_CONF:-}" ]; then
  # Podman's default ulimits fail under this kind of sandbox ("setrlimit RLIMIT_NOFILE"); the runtime's are fine.
  printf '[containers]\ndefault_ulimits = []\n' > "$work/containers.conf"
  export CONTAINERS_CONF="$work/containers.conf"
fi
read -r -a podman_args <<< "${PODMAN_ARGS:---runtime runc --cgroup-manager=cgroupfs}"
podman() { command podman "${podman_args[@]}" "$@"; }
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_image=localhost/movacluster-base:bookworm
silo_image="localhost/movacluster-silo:$tag-$variant"
gateway_image="localhost/movacluster-gateway:$tag"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[build-images] %s\n' "$*"; }
declare -A timings

base_is_fresh() {
  local created
  created="$(podman image inspect --format '{{.Created.Unix}}' "$base_image" 2>/dev/null)" || return 1
  [ $(( $(date +%s) - created )) -lt $(( ${BASE_MAX_AGE_DAYS:-7} * 86400 )) ]
}

build_base() {
  local rootfs="$work/rootfs"
  command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  rm -rf "$rootfs"
  say "debootstrap bookworm (minbase + ca-certificates) from $mirror"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  # Security and point-release updates come from the sources the base build below upgrades from.
  cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  # Packages installed later (ffmpeg in the silo image) leave out documentation and translations; copyrights stay.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/movacluster-slim" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
EOF
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - localhost/movacluster-rootfs:bookworm >/dev/null
  rm -rf "$rootfs"
  mkdir -p "$work/empty-context"
  build_image "$base_image" -f - "$work/empty-context" <<'EOF'
FROM localhost/movacluster-rootfs:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
EOF
  podman rmi localhost/movacluster-rootfs:bookworm >/dev/null
}

# The libstdc++ of the image a publish will run in: the build weakens libLibTorchSharp's GLIBCXX_3.4.32 need
# against it (Directory.Build.targets), so the decision is made for the image, not for this machine.
target_libstdcxx() {
  local image="$1" out="$work/libstdc++-$2.so.6"
  podman run --rm --network none --entrypoint /bin/sh "$image" -c \
    'cat "$(ls /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 2>/dev/null | head -n 1)"' > "$out"
  [ -s "$out" ] || { echo "No libstdc++.so.6 found in $image" >&2; exit 1; }
  printf '%s' "$out"
}

# Builds an image and removes the one the tag named before, so repeated builds do not pile up untagged images.
build_image() {
  local tag="$1"; shift
  local previous
  previous="$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
  podman build --network host -t "$tag" "$@" >/dev/null
  if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$tag")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
}

publish() {
  local project="$1" out="$2"; shift 2
  rm -rf "$out"
  dotnet publish "$repo/$project" -c Release -r linux-x64 --self-contained -o "$out" -nologo -clp:ErrorsOnly "$@"
}

# A silo build needs about 4 GB at its peak (publish folder, build context, image layer); a full disk fails deep inside
# podman with a broken pipe, so it is checked first. Untagged images left by interrupted builds are removed first.
free_gb() { df -P -BG "$1" | awk 'NR == 2 { sub("G", "", $4); print $4 }'; }
ensure_free_space() {
  local storage needed="${MIN_FREE_GB:-6}"
  storage="$(podman info --format '{{.Store.GraphRoot}}' 2>/dev/null || echo /var/lib/containers)"
  mkdir -p "$storage"
  if [ "$(free_gb "$storage")" -lt "$needed" ] || [ "$(free_gb "$work")" -lt "$needed" ]; then
    say "less than $needed GB free: removing untagged images"
    podman image prune -f >/dev/null || true
  fi
  for path in "$storage" "$work"; do
    if [ "$(free_gb "$path")" -lt "$needed" ]; then
      echo "Only $(free_gb "$path") GB free under $path; building the images needs $needed GB (MIN_FREE_GB)." >&2
      echo "Free some space (podman image prune -a, podman system df shows what is held) and run this again." >&2
      exit 1
    fi
  done
}

start=$(now)
ensure_free_space
if [ "$rebuild_base" = 1 ] || ! base_is_fresh; then
  t=$(now); build_base; timings[base_seconds]=$(elapsed "$t")
  say "base image $base_image made in ${timings[base_seconds]} s"
else
  timings[base_seconds]=0
  say "reusing $base_image (younger than ${BASE_MAX_AGE_DAYS:-7} days; --rebuild-base to make it again)"
fi

if [ "$only" != gateway ]; then
  if [ "$variant" = cpu ]; then
    silo_base="$base_image"; containerfile="$repo/silo/Containerfile"
  else
    silo_base="$(sed -n 's/^ARG BASE_IMAGE=//p' "$repo/silo/Containerfile.cuda")"; containerfile="$repo/silo/Containerfile.cuda"
    podman image exists "$silo_base" || podman pull "$silo_base"
  fi
  t=$(now)
  say "publishing the silo (self-contained, TorchBackend=$variant)"
  publish silo/MovaCluster.Silo "$work/publish/silo-$variant" -p:TorchBackend="$variant" \
    -p:MovaTargetLibStdCxx="$(target_libstdcxx "$silo_base" "silo-$variant")"
  timings[silo_publish_seconds]=$(elapsed "$t")
  t=$(now)
  build_image "$silo_image" --build-arg BASE_IMAGE="$silo_base" -f "$containerfile" "$work/publish/silo-$variant"
  timings[silo_image_seconds]=$(elapsed "$t")
  rm -rf "$work/publish/silo-$variant"
  # Every native library TorchSharp loads must resolve in the image, libstdc++ versions included (a "weak version"
  # line is the weakened GLIBCXX_3.4.32 need: the loader accepts it).
  missing="$(podman run --rm --network none --entrypoint /bin/sh "$silo_image" -c \
    'for lib in /app/libLibTorchSharp.so /app/libtorch_cpu.so /app/libtorch_cuda.so; do [ -e "$lib" ] && ldd "$lib" 2>&1 | grep -E "not found" | grep -v "weak version" || true; done')"
  [ -z "$missing" ] || { echo "The silo image cannot load TorchSharp's native libraries:" >&2; echo "$missing" >&2; exit 1; }
  podman run --rm --network none --entrypoint /usr/bin/ffmpeg "$silo_image" -hide_banner -version >/dev/null
  say "$silo_image built (publish ${timings[silo_publish_seconds]} s, image ${timings[silo_image_seconds]} s)"
fi

if [ "$only" != silo ]; then
  t=$(now)
  say "publishing the gateway (self-contained)"
  publish gateway/MovaCluster.Gateway "$work/publish/gateway"
  timings[gateway_publish_seconds]=$(elapsed "$t")
  t=$(now)
  build_image "$gateway_image" --build-arg BASE_IMAGE="$base_image" -f "$repo/gateway/Containerfile" "$work/publish/gateway"
  timings[gateway_image_seconds]=$(elapsed "$t")
  rm -rf "$work/publish/gateway"
  say "$gateway_image built (publish ${timings[gateway_publish_seconds]} s, image ${timings[gateway_image_seconds]} s)"
fi
timings[total_seconds]=$(elapsed "$start")

if [ -n "$push_registry" ]; then
  for image in $([ "$only" != gateway ] && echo "$silo_image") $([ "$only" != silo ] && echo "$gateway_image"); do
    remote="$push_registry/${image#localhost/}"
    podman tag "$image" "$remote"
    podman push "$remote"
  done
fi

size() { podman image inspect --format '{{.Size}}' "$1"; }
{
  echo "base_image=$base_image"
  echo "base_image_bytes=$(size "$base_image")"
  if [ "$only" != gateway ]; then echo "silo_image=$silo_image"; echo "silo_image_bytes=$(size "$silo_image")"; fi
  if [ "$only" != silo ]; then echo "gateway_image=$gateway_image"; echo "gateway_image_bytes=$(size "$gateway_image")"; fi
  for key in "${!timings[@]}"; do echo "$key=${timings[$key]}"; done | sort
} > "$work/build-report.txt"
if [ -n "$report" ] && [ "$(realpath -m "$report")" != "$(realpath -m "$work/build-report.txt")" ]; then
  cp "$work/build-report.txt" "$report"
fi
say "done in ${timings[total_seconds]} s:"
sed 's/^/  /' "$work/build-report.txt"
