#!/usr/bin/env bash
# Installs the Debian packages newsdedup builds with (only those missing; silent when all are
# there), then configures and builds into build/ (or $BUILD_DIR). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libxxhash-dev librocksdb-dev libabsl-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libutf8proc-dev nlohmann-json3-dev libsimdjson-dev
  # gzip and zstd dumps (RocksDB's CMake config wants them too), IANA zones for --tz.
  zlib1g-dev libzstd-dev tzdata
  # The HTML5 parser HTML pages are read with (core/html_page.h).
  libgumbo-dev
  # The server (cpp-httplib), and the XML and HTML parser its tests read feeds and pages with.
  libcpp-httplib-dev libxml2-dev
  # newsdedup_mpi (mpirun -np N newsdedup_mpi dups) and its tests; the rest builds without it.
  libopenmpi-dev openmpi-bin
  # RocksDB's CMake config looks these up even when we do not use them directly.
  libgflags-dev libsnappy-dev libbz2-dev liblz4-dev
  # The crash and bad-input tests and the end-to-end benchmark use these tools (strace injects
  # the kills right after a commit).
  time python3 strace
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-Release}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" ${CMAKE_EXTRA_ARGS:-} >/dev/null
# BUILD_TARGETS (space-separated) builds only those targets; default: all.
targets=()
for target in ${BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}" 2>&1 | grep -vE '^\[ *[0-9]+%\]|^-- ' || true
# grep above hides progress noise; a failed build must still fail the script.
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}" >/dev/null
