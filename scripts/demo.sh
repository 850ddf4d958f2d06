#!/usr/bin/env bash
# Installs what is missing, builds, and compiles the bundled example into a
# plan, showing what proctor reads from a supervisord config.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
echo "== proctor compile examples/demo/supervisord.conf"
./build/tools/proctor compile examples/demo/supervisord.conf -o build/demo-plan.json
echo "plan written to build/demo-plan.json; its groups, in start order:"
python3 - <<'PY'
import json
plan = json.load(open("build/demo-plan.json"))
for g in plan["groups"]:
    names = ", ".join(p["name"] for p in g["processes"])
    deps = (" (after " + ", ".join(g["depends_on"]) + ")") if g["depends_on"] else ""
    print(f"  priority {g['priority']:>4}  {g['name']}: {names}{deps}")
PY
