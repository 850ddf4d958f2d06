#include <algorithm>

#include "compiler/lint/rule.h"

namespace proctor::lint {

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> r;
    add_structure_rules(r);
    add_runtime_rules(r);
    std::sort(r.begin(), r.end(), [](const Rule& a, const Rule& b) { return a.code < b.code; });
    return r;
  }();
  return rules;
}

}  // namespace proctor::lint
