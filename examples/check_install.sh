#!/bin/sh
# check_install.sh BUILD_DIR SOURCE_DIR WORK_DIR — installs BUILD_DIR into WORK_DIR/prefix with cmake --install,
# compiles examples/c/score.c against it with nothing but `pkg-config --cflags --libs jnas`, and runs it on one
# architecture: what a C or C++ project that finds libjnas through pkg-config does.
set -eu
build=$1 source=$2 work=$3
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" > /dev/null
libdir=$(dirname "$(find "$work/prefix" -name jnas.pc)")/..
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c99 -Wall -Werror "$source/examples/c/score.c" $(pkg-config --cflags --libs jnas) \
   -Wl,-rpath,"$(pkg-config --variable=libdir jnas)" -o "$work/score"
"$work/score" --batch 4 --repeat 1 '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'
ldd "$work/score" | grep -q "$work/prefix/.*libjnas.so" || { echo "score did not link the installed libjnas" >&2; exit 1; }
