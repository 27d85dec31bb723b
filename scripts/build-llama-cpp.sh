#!/usr/bin/env bash
# Build (once) and print the path of a llama-cpp-python wheel that does not crash on this machine.
#
# The default build compiles with -march=native; on virtual machines whose processor advertises Intel AMX
# without enabling it, every prompt of two or more tokens then segfaults in ggml's AMX kernel. We build with
# an explicit instruction-set list instead (AVX-512 only where /proc/cpuinfo shows it) and keep the wheel in
# a cache keyed by version and flags, because pip's own wheel cache ignores CMAKE_ARGS.
set -euo pipefail
VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
PY="${PYTHON:-python3}"

flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  flags="$flags -DGGML_AVX512=ON"
  grep -qw avx512vbmi /proc/cpuinfo && flags="$flags -DGGML_AVX512_VBMI=ON"
  grep -qw avx512_vnni /proc/cpuinfo && flags="$flags -DGGML_AVX512_VNNI=ON"
  grep -qw avx512_bf16 /proc/cpuinfo && flags="$flags -DGGML_AVX512_BF16=ON"
fi
pytag=$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
key=$(printf '%s %s %s %s' "$VERSION" "$pytag" "$(uname -m)" "$flags" | sha256sum | cut -c1-16)
cache="${QA_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/qa-assistant/wheels}/llama-cpp-$key"

wheel=$(ls "$cache"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "Compiling llama-cpp-python $VERSION (first install only: about 10-16 minutes on 2 cores)" >&2
  echo "  CMAKE_ARGS=$flags" >&2
  tmp="$cache.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$PY" -m pip wheel --no-cache-dir --no-deps -w "$tmp" "llama-cpp-python==$VERSION" >&2
  rm -rf "$cache"; mv "$tmp" "$cache"   # publish the finished wheel atomically
  wheel=$(ls "$cache"/llama_cpp_python-"$VERSION"-*.whl | head -n 1)
fi
echo "$wheel"
