#!/usr/bin/env bash
# The main job on the sample dumps: installs what is missing, builds, ingests
# the five seeds (in capture order, with their capture dates) into a fresh
# embedded store in ./newsdedup-db and prints each snapshot's report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf newsdedup-db
./build/tools/newsdedup ingest --db newsdedup-db --source novastan \
  --at 2025-03-29 --at 2025-05-02 --at 2025-07-31 --at 2025-08-15 --at 2025-09-26 \
  seeds/000_cf8142584f5eb925.txt seeds/001_8a463b74158542bd.txt \
  seeds/002_be30da7762e67050.txt seeds/003_3e9d996f7f80b2c1.txt \
  seeds/004_9e2104cae3fc0cc9.txt
