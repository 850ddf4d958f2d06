#pragma once
// Helpers shared by the tests that compare proctor's plan with Supervisor's
// own output (the oracle): the oracle's --portable path substitution and the
// "superset" comparison (every key the oracle printed must be in the plan at
// the same path with the same value).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace proctor::testing {

/// Replaces every occurrence of `from` in `s` by `to` (no-op for empty `from`).
void replace_all(std::string& s, const std::string& from, const std::string& to);

/// supervisor_dump.py --portable: in every string (keys too) the config's
/// directory becomes @HERE@ and the working directory @CWD@, longer path
/// first; when both are the same directory only @HERE@ is used.
std::string portable_text(std::string s, const std::string& here, const std::string& cwd);
nlohmann::json portable(const nlohmann::json& j, const std::string& here, const std::string& cwd);

/// Every key of `want` must be in `got` with an equal value; arrays must
/// have the same length. Mismatches are appended to `out` with their JSON
/// paths ("/groups/0/priority: expected 1, got 2").
void compare_superset(const nlohmann::json& want, const nlohmann::json& got, const std::string& path,
                      std::vector<std::string>& out);

}  // namespace proctor::testing
