#!/usr/bin/env bash
# The core test suite built with AddressSanitizer and UBSan (NEWSDEDUP_SANITIZE) into
# build-asan; any report fails the test that triggered it. The store and tools suites (the CLI, the server,
# the MPI dups) are left to the normal build: compiling them a second time with ASan took CI's
# time past its 30 minutes on two cores, and the memory-ceiling test cannot run under ASan,
# which reserves terabytes of shadow memory that `ulimit -v` refuses.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo BUILD_TARGETS="core_tests" \
  CMAKE_EXTRA_ARGS="-DNEWSDEDUP_SANITIZE=ON -DNEWSDEDUP_BUILD_BENCHMARKS=OFF -DNEWSDEDUP_MPI=OFF" bash scripts/setup.sh
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for suite in core_tests; do
  ./build-asan/tests/$suite --gtest_brief=1
done
