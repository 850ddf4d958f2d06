#!/usr/bin/env bash
# Installs what is missing, builds, runs the whole test suite, then fuzzes
# the parser briefly (libFuzzer, ASan+UBSan; FUZZ_SECONDS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
(cd build && ctest -j2 --output-on-failure "$@")
if [[ "${FUZZ_SECONDS:-20}" != 0 ]]; then
  ./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
