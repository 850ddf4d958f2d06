#!/usr/bin/env bash
# proctord against Debian's supervisord 4.2.5, measured in the same run.
#
#   bench/runtime_bench.sh                 # everything (about 6 minutes)
#   ONLY=idle,restart bench/runtime_bench.sh
#   QUICK=1 bench/runtime_bench.sh         # short windows, one repetition (smoke run)
#   BUILD_DIR=build-x STRICT=1 bench/runtime_bench.sh   # other build; exit 1 on a missed target
#   NO_BUILD=1 bench/runtime_bench.sh      # use the proctord already built
# Exit status: 0 done (1 with STRICT=1 if a target is missed), 2 on an error.
#
# Builds proctord (RelWithDebInfo, ./build-bench unless BUILD_DIR says
# otherwise), then runs bench/runtime_measure.py, which prints a markdown
# table: metric, proctord, supervisord, ratio, target, pass/fail. Raw
# numbers go to $OUT_JSON when set. Every daemon runs in a mkdtemp dir under
# /tmp on a unix socket and is killed (process group, then its children by
# pid) when the run ends, also on failure or Ctrl-C.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
[[ $build = /* ]] || build=$root/$build
supervisord=${SUPERVISORD:-/usr/bin/supervisord}

for tool in "$supervisord" /usr/bin/supervisorctl strace python3; do
  command -v "$tool" >/dev/null || { echo "runtime_bench: $tool is missing (apt-get install -y supervisor strace)" >&2; exit 2; }
done

if [[ -z ${NO_BUILD:-} ]]; then
  gen=()
  command -v ninja >/dev/null && [[ ! -f $build/CMakeCache.txt ]] && gen=(-G Ninja)
  cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target proctord -j"$(nproc)" >/dev/null
fi
proctord=$build/tools/proctord
[[ -x $proctord ]] || { echo "runtime_bench: no $proctord" >&2; exit 2; }

# The measuring script cleans up after itself (atexit and signal handlers);
# the trap makes sure it gets the chance, and ends its process group.
measure_pid=
cleanup() {
  if [[ -n $measure_pid ]] && kill -0 "$measure_pid" 2>/dev/null; then
    kill -TERM "$measure_pid" 2>/dev/null || true
    wait "$measure_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

args=(--proctord "$proctord" --supervisord "$supervisord")
[[ -n ${ONLY:-} ]] && args+=(--only "$ONLY")
[[ -n ${QUICK:-} ]] && args+=(--quick)
[[ -n ${OUT_JSON:-} ]] && args+=(--json "$OUT_JSON")

echo "proctord: $proctord ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'))" >&2
echo "supervisord: $supervisord ($("$supervisord" --version))" >&2
echo "machine: $(nproc) CPUs, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)" >&2

status=0
python3 "$here/runtime_measure.py" "${args[@]}" &
measure_pid=$!
wait "$measure_pid" || status=$?
measure_pid=
# runtime_measure.py: 0 every target met, 3 some missed, anything else an error.
if [[ $status -ne 0 && $status -ne 3 ]]; then
  echo "runtime_bench: the measurement failed (exit $status)" >&2
  exit 2
fi
if [[ -n ${STRICT:-} && $status -eq 3 ]]; then exit 1; fi
exit 0
