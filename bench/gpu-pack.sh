#!/usr/bin/env bash
# Packs what bench/gpu-checks.sh needs into one archive, for a GPU machine that has the NVIDIA driver but no
# OpenBLAS, no JDK and no network: libjnas and the GPU tests from a CUDA build, ntk_bench, OpenBLAS/LAPACKE and the
# libraries they load, a jlink'd Java runtime, the CLI's classes and jars (sqlite's and JCuda's native parts cut to
# linux x86-64 and the driver API), and the NB201 table when it is at hand. Symbols are stripped to keep it small
# (about 30 MB).
#
# Usage: bench/gpu-pack.sh [BUILD_DIR] [ARCHIVE]   (defaults: build-gpu, build-gpu/gpu-pack.tar.xz)
#   BUILD_DIR: configured with -DJNAS_CUDA=ON -DJNAS_CUDA_ARCHS=<the GPU's arch> and built; the Java modules
#   built too (./jnas builds them).
# On the GPU machine, in a checkout of this repository:
#   mkdir -p /tmp/p && tar -C /tmp/p -xJf ARCHIVE && export LD_LIBRARY_PATH=/tmp/p/deps:/tmp/p/build/native/lib
#   JNAS_BUILD=/tmp/p/build JAVA=/tmp/p/jre/bin/java JNAS_CLASSPATH='/tmp/p/java/classes:/tmp/p/java/lib/*' \
#     NB201_TABLE=/tmp/p/nb201-accuracy.csv bench/gpu-checks.sh OUT_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "${1:-$ROOT/build-gpu}" && pwd)"
ARCHIVE="${2:-$BUILD/gpu-pack.tar.xz}"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT

jdk="$("$ROOT/jnas" jdk)"  # the launcher's own choice of JDK >= 22 (it says why when there is none)
[[ -x "$jdk/bin/jlink" ]] || { echo "gpu-pack: $jdk has no jlink" >&2; exit 1; }
[[ -f "$BUILD/native/lib/libjnas.so" ]] || { echo "gpu-pack: no libjnas in $BUILD (build it first)" >&2; exit 1; }
[[ -d "$ROOT/java-core/target/classes" ]] || { echo "gpu-pack: the Java modules are not built (run ./jnas version)" >&2; exit 1; }

mkdir -p "$STAGE"/{deps,build/native/lib,build/native/tests,build/bench/native,java/lib}
cp -a "$BUILD"/native/lib/libjnas.so* "$STAGE/build/native/lib/"
cp "$BUILD"/native/tests/test_gpu_* "$STAGE/build/native/tests/"
cp "$BUILD/bench/native/ntk_bench" "$STAGE/build/bench/native/"
# libjnas's libraries that a bare CUDA image lacks (ldd names them; the C and C++ runtimes are there).
ldd "$BUILD/native/lib/libjnas.so" | awk '/=> \// {print $3}' |
  grep -E 'openblas|lapack|blas|tmglib|gfortran|quadmath|gomp' | while read -r lib; do cp -L "$lib" "$STAGE/deps/"; done
table="$ROOT/../shared/data/nb201-accuracy.csv"
[[ -f "$table" ]] && cp "$table" "$STAGE/"

# java.desktop (the report command's charts) is left out: the searches and scores do not load it.
"$jdk/bin/jlink" --add-modules java.base,java.sql,java.logging,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --output "$STAGE/jre"
cp -a "$ROOT/java-core/target/classes" "$STAGE/java/classes"
cp "$ROOT"/java-core/target/lib/*.jar "$STAGE/java/lib/"
(cd "$STAGE/java/lib" &&
  zip -q -d sqlite-jdbc-*.jar 'org/sqlite/native/FreeBSD/*' 'org/sqlite/native/Linux-Musl/*' 'org/sqlite/native/Mac/*' \
    'org/sqlite/native/Windows/*' 'org/sqlite/native/Linux-Android/*' 'org/sqlite/native/Linux/aarch64/*' \
    'org/sqlite/native/Linux/arm*' 'org/sqlite/native/Linux/ppc64/*' 'org/sqlite/native/Linux/riscv64/*' \
    'org/sqlite/native/Linux/x86/*' > /dev/null || true
  zip -q -d jcuda-natives-*.jar 'lib/libJNvPTXCompiler*' 'lib/libJCudaRuntime*' 'lib/libJNvrtc*' > /dev/null || true)
strip --strip-unneeded "$STAGE"/build/native/tests/* "$STAGE/build/bench/native/ntk_bench" \
  "$STAGE"/build/native/lib/libjnas.so.*.* "$STAGE"/deps/* 2> /dev/null || true

tar -C "$STAGE" -cf - . | xz -T0 -6 > "$ARCHIVE"
echo "gpu-pack: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
