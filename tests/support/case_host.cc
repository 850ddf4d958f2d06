#include "tests/support/case_host.h"

#include <sstream>

namespace proctor::testing {

std::vector<std::pair<std::string, std::string>> CaseHost::env_for(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LC_ALL", "C.UTF-8"}};
  std::istringstream in(text);
  std::string line;
  const std::string marker = "oracle-env:";
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != ';') continue;
    std::size_t pos = line.find_first_not_of(" \t", 1);
    if (pos == std::string::npos || line.compare(pos, marker.size(), marker) != 0) continue;
    std::string kv = line.substr(pos + marker.size());
    kv.erase(0, kv.find_first_not_of(" \t"));
    while (!kv.empty() && (kv.back() == '\r' || kv.back() == ' ')) kv.pop_back();
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string key = kv.substr(0, eq);
    bool replaced = false;
    for (auto& [k, v] : env)
      if (k == key) v = kv.substr(eq + 1), replaced = true;
    if (!replaced) env.emplace_back(key, kv.substr(eq + 1));
  }
  return env;
}

}  // namespace proctor::testing
