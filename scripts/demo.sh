#!/usr/bin/env bash
# Installs what is missing, builds, shows what proctor reads from the
# bundled example, then runs proctord on it in the foreground (Ctrl-C
# stops it and every process it started).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
conf=examples/demo/supervisord.conf
echo "== proctor compile $conf -o build/demo-plan.json"
./build/tools/proctor compile "$conf" -o build/demo-plan.json
echo "== proctor lint $conf"
./build/tools/proctor lint "$conf" || true
echo "== proctor graph --order $conf"
./build/tools/proctor graph --order "$conf"
echo "== proctord -c $conf -n"
echo "   from another terminal: $PWD/build/tools/proctorctl -c $PWD/$conf status"
exec ./build/tools/proctord -c "$conf" -n
