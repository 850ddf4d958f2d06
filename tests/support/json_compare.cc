#include "tests/support/json_compare.h"

#include <algorithm>
#include <utility>

namespace proctor::testing {

using nlohmann::json;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

std::string portable_text(std::string s, const std::string& here, const std::string& cwd) {
  std::vector<std::pair<std::string, std::string>> subs = {{here, "@HERE@"}};
  if (cwd != here) subs.push_back({cwd, "@CWD@"});
  std::sort(subs.begin(), subs.end(), [](auto& a, auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [from, to] : subs) replace_all(s, from, to);
  return s;
}

json portable(const json& j, const std::string& here, const std::string& cwd) {
  if (j.is_string()) return portable_text(j.get<std::string>(), here, cwd);
  if (j.is_array()) {
    json a = json::array();
    for (const auto& x : j) a.push_back(portable(x, here, cwd));
    return a;
  }
  if (j.is_object()) {
    json o = json::object();
    for (const auto& [k, v] : j.items()) o[portable_text(k, here, cwd)] = portable(v, here, cwd);
    return o;
  }
  return j;
}

void compare_superset(const json& want, const json& got, const std::string& path, std::vector<std::string>& out) {
  if (want.is_object() && got.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) out.push_back(path + "/" + k + ": missing, expected " + v.dump());
      else compare_superset(v, got[k], path + "/" + k, out);
    }
    return;
  }
  if (want.is_array() && got.is_array() && want.size() == got.size()) {
    for (std::size_t i = 0; i < want.size(); ++i)
      compare_superset(want[i], got[i], path + "/" + std::to_string(i), out);
    return;
  }
  if (want != got) out.push_back(path + ": expected " + want.dump() + ", got " + got.dump());
}

}  // namespace proctor::testing
