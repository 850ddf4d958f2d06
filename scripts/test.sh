#!/usr/bin/env bash
# Installs what is missing, builds, runs the whole test suite, then fuzzes
# the parser briefly (libFuzzer, ASan+UBSan; FUZZ_SECONDS=0 skips it).
# The last line repeats ctest's verdict as "tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
log=$(mktemp)
status=0
(cd build && ctest -j2 --output-on-failure "$@") 2>&1 | tee "$log" || status=$?
if [[ "${FUZZ_SECONDS:-20}" != 0 ]]; then
  ./scripts/fuzz.sh "${FUZZ_SECONDS:-20}" || status=$?
fi
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1 || true)
# Repeat the names of failed tests last, where a truncated CI log still
# shows them.
failures=$(sed -n '/^The following tests FAILED:/,/^$/p' "$log")
rm -f "$log"
[[ -n "$failures" ]] && echo "$failures"
if [[ -n "$summary" ]]; then
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $((total - failed)) passed, $failed failed"
fi
exit "$status"
