#!/usr/bin/env bash
# Compile benchmark: proctor against Supervisor's own parse of the same
# generated config, both measured in this run on this machine.
#   bench/compile_bench.sh [PROGRAMS]        (default 10000)
# Env: BUILD_DIR (default ./build), RUNS (proctor, default 5),
#      ORACLE_RUNS (default 3), STRICT=1 to exit 1 when a target is missed.
# Wall time is the best run; CPU time (user+sys) of that run is printed too,
# because on a shared machine wall time also measures the neighbours.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
programs="${1:-10000}"
build="${BUILD_DIR:-$repo/build}"
[[ $build = /* ]] || build="$PWD/$build"  # the runs cd into the config's directory
runs="${RUNS:-5}"
oracle_runs="${ORACLE_RUNS:-3}"
target_secs=0.3
target_mb=150

if [[ ! -x /usr/bin/time ]]; then
  echo "installing: time"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

# Build (a no-op when up to date); RelWithDebInfo like scripts/build.sh.
# The build log is shown only when the build fails.
buildlog="$(mktemp)"
if ! { [[ -f "$build/CMakeCache.txt" ]] ||
       cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo; } >"$buildlog" 2>&1 ||
   ! cmake --build "$build" -j"$(nproc)" --target proctor >>"$buildlog" 2>&1; then
  cat "$buildlog" >&2
  rm -f "$buildlog"
  exit 1
fi
rm -f "$buildlog"
proctor="$build/tools/proctor"
echo "proctor: $proctor ($(grep -E '^CMAKE_BUILD_TYPE' "$build/CMakeCache.txt" | cut -d= -f2))"

work="$(mktemp -d /tmp/proctor-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
stats="$(python3 "$repo/bench/gen_config.py" "$work/config" --programs "$programs")"
echo "config: $stats ($(du -sh "$work/config" | cut -f1))"

# measure N CMD...: runs CMD N times from the config dir, stdout to a file;
# sets best_wall (s), best_cpu (s), best_rss (MB) of the fastest run and
# fails if any run exits non-zero.
measure() {
  local n="$1"; shift
  best_wall=""; best_cpu=""; best_rss=""
  for ((i = 0; i < n; i++)); do
    local t0 t1 wall cpu rss
    t0=$(date +%s%N)
    if ! (cd "$work/config" && /usr/bin/time -o "$work/time" -f "%U %S %M" "$@" >"$work/out" 2>"$work/err"); then
      echo "failed: $*" >&2
      head -20 "$work/err" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    read -r u s m <"$work/time"
    cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    rss=$(awk -v m="$m" 'BEGIN { printf "%.1f", m / 1024 }')
    if [[ -z "$best_wall" ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall="$wall"; best_cpu="$cpu"; best_rss="$rss"
    fi
  done
}

measure "$runs" "$proctor" compile supervisord.conf -o "$work/plan.json"
p_wall="$best_wall"; p_cpu="$best_cpu"; p_rss="$best_rss"
read -r groups processes < <(python3 -c '
import json, sys
plan = json.load(open(sys.argv[1]))
print(len(plan["groups"]), sum(len(g["processes"]) for g in plan["groups"]))' "$work/plan.json")

oracle="$repo/../shared/oracle/supervisor_dump.py"
s_wall="-"; s_cpu="-"; s_rss="-"; ratio="-"; cpu_ratio="-"
if [[ ! -f "$oracle" ]]; then
  echo "note: $oracle not found; Supervisor comparison skipped"
elif ! /usr/bin/python3 -c 'import supervisor' 2>/dev/null; then
  echo "note: python3-supervisor not installed (apt-get install -y supervisor); comparison skipped"
else
  measure "$oracle_runs" /usr/bin/python3 "$(cd "$(dirname "$oracle")" && pwd)/supervisor_dump.py" supervisord.conf
  s_wall="$best_wall"; s_cpu="$best_cpu"; s_rss="$best_rss"
  # Same verdict and the same number of processes, or the race is unfair.
  s_procs=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(len(g["processes"]) for g in d["groups"]))' "$work/out")
  if [[ "$s_procs" != "$processes" ]]; then
    echo "Supervisor sees $s_procs processes, proctor $processes" >&2
    exit 1
  fi
  ratio=$(awk -v s="$s_wall" -v p="$p_wall" 'BEGIN { printf "%.1fx", s / p }')
  cpu_ratio=$(awk -v s="$s_cpu" -v p="$p_cpu" 'BEGIN { if (p > 0) printf "%.1fx", s / p; else print "-" }')
fi

echo
echo "| programs | processes | groups | proctor wall | proctor CPU | proctor peak RSS | Supervisor wall | Supervisor CPU | Supervisor peak RSS | Supervisor/proctor (wall) | (CPU) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| $programs | $processes | $groups | ${p_wall} s | ${p_cpu} s | ${p_rss} MB | ${s_wall} s | ${s_cpu} s | ${s_rss} MB | $ratio | $cpu_ratio |"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs)"

ok=1
awk -v t="$p_wall" -v lim="$target_secs" 'BEGIN { exit !(t < lim) }' || ok=0
awk -v r="$p_rss" -v lim="$target_mb" 'BEGIN { exit !(r < lim) }' || ok=0
echo
if ((ok)); then
  echo "targets met: < ${target_secs} s and < ${target_mb} MB"
else
  echo "TARGET MISSED: proctor must compile in < ${target_secs} s with < ${target_mb} MB peak RSS"
  [[ "${STRICT:-0}" == 1 ]] && exit 1
fi
exit 0
