#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer and UBSan (NEWSDEDUP_SANITIZE) into
# build-asan: the tests that run the `newsdedup` binary run the sanitized one. Any report fails
# the test that triggered it. Benchmarks are not built, so the tests that need the corpus
# generator or newsdedup_eval skip; the normal suite runs them. newsdedup_mpi is not built here
# (OpenMPI keeps allocations past MPI_Finalize, which LeakSanitizer reports from every rank): its
# byte-equality tests run in the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo \
  CMAKE_EXTRA_ARGS="-DNEWSDEDUP_SANITIZE=ON -DNEWSDEDUP_BUILD_BENCHMARKS=OFF -DNEWSDEDUP_MPI=OFF" bash scripts/setup.sh
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-asan
ctest --output-on-failure -j"$(nproc)" --timeout 900
