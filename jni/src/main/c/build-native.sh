#!/bin/sh
# Builds libblackboxjni.so into OUT_DIR when a C compiler and the JDK's headers are here; otherwise says so and
# builds nothing, so that a machine without them still builds Blackbox (which then uses its pure-Java fallback).
# Maven runs it in the compile phase: build-native.sh OUT_DIR JAVA_HOME
set -eu
out_dir="$1"
java_home="$2"
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v gcc >/dev/null 2>&1; then
    echo "[blackbox-jni] gcc not found: the native shim is not built; Blackbox will use its pure-Java fallback" >&2
    exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "[blackbox-jni] $java_home/include/jni.h not found (a JRE, not a JDK?): the native shim is not built;" \
        "Blackbox will use its pure-Java fallback" >&2
    exit 0
fi
exec make -s -C "$here" OUT_DIR="$out_dir" JAVA_HOME="$java_home"
