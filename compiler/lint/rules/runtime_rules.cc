// Rules about what happens when the config runs: commands, security,
// dependencies, environment.

#include "compiler/lint/rule_helpers.h"

namespace proctor::lint {

void add_runtime_rules(std::vector<Rule>& out) { (void)out; }

}  // namespace proctor::lint
