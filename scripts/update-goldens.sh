#!/usr/bin/env bash
# The one command that refreshes the golden tests' expected outputs
# (tests/golden/compile/<case>/plan.json and diagnostics.txt) on purpose:
# builds proctor_golden_tests and runs it with UPDATE_GOLDEN=1, which
# rewrites the expected files from proctor's current output instead of
# comparing. Nothing checks the new files for you: reviewers read the
# `git diff` of tests/golden/ and every changed line must be explained by
# the change being made (and agree with Supervisor: the GoldenOracle tests
# still compare each fixture with the real Supervisor afterwards).
# proctor_graph_tests refreshes tests/golden/graph/<case>/ (graph.dot,
# graph.json, order.txt) the same way.
#
# Usage: scripts/update-goldens.sh [BUILD_DIR]   (default: ./build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j2 --target proctor_golden_tests proctor_graph_tests
UPDATE_GOLDEN=1 "$build/tests/proctor_golden_tests" --gtest_filter='Compile/Golden.*' --gtest_brief=1
UPDATE_GOLDEN=1 "$build/tests/proctor_graph_tests" --gtest_filter='Graph/GraphGolden.MatchesExpectedFiles/*' --gtest_brief=1
echo "goldens rewritten; review them with: git diff -- tests/golden/"
cmake --build "$build" -j2 --target proctor_lint_tests
UPDATE_GOLDEN=1 "$build/tests/proctor_lint_tests" --gtest_filter='*Fires*' --gtest_brief=1
echo "lint goldens rewritten; review them with: git diff -- tests/lint/"
