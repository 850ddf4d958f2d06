#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) in ./build-fuzz and
# runs it for SECONDS (default 30) from the seed corpus. Exits non-zero when
# the fuzzer finds a crash; the reproducer is left in build-fuzz/crashes/.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"

missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
./scripts/deps.sh

# Release-level optimisation with debug info: faster executions per second,
# still readable stack traces.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPROCTOR_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target proctor_parser_fuzzer

# The checked-in seeds stay read-only: new coverage goes to a scratch
# corpus inside the build dir.
work=build-fuzz/fuzz-corpus
crashes=build-fuzz/crashes
mkdir -p "$work" "$crashes"
log=build-fuzz/fuzz.log
echo "== fuzzing for ${seconds}s (progress in $log)"
status=0
# libFuzzer's progress lines would bury the test verdicts in CI output; the
# log keeps them, and is printed in full only when something was found.
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  build-fuzz/tests/fuzz/proctor_parser_fuzzer "$work" tests/fuzz/corpus \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || status=$?
if ((status == 0)); then
  grep -E '^(Done|stat::)' "$log" || true
else
  cat "$log" >&2
  echo "fuzz: crash found (exit $status); reproducer(s):" >&2
  ls -1 "$crashes" >&2
  echo "re-run one with: build-fuzz/tests/fuzz/proctor_parser_fuzzer $crashes/<file>" >&2
fi
exit "$status"
