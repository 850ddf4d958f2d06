// Rules about how the file is written: unknown keys and sections, options
// that have no effect, duplicates, glued comments, log settings, groups.

#include "compiler/lint/rule_helpers.h"

namespace proctor::lint {

void add_structure_rules(std::vector<Rule>& out) { (void)out; }

}  // namespace proctor::lint
