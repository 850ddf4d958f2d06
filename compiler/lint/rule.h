#pragma once
// A lint rule is a pure function from what was read to diagnostics. Rules
// see the merged INI store (everything Supervisor read, with locations,
// including what it silently ignores) and, when the config compiled, the
// typed Config.

#include <string_view>
#include <vector>

#include "compiler/base/diagnostic.h"
#include "compiler/model/config.h"
#include "compiler/model/host.h"
#include "compiler/syntax/ini_store.h"

namespace proctor::lint {

struct LintInput {
  const SourceManager& sm;
  const syntax::IniStore& store;
  const model::Config* config;  ///< nullptr when the config did not compile
  const model::Host& host;
  bool env_check = false;       ///< also run checks Supervisor never makes (PATH lookups)
};

using RuleCheck = void (*)(const LintInput&, DiagSink&);

struct Rule {
  DiagCode code;
  RuleCheck check;
};

/// Every lint rule, in code order.
const std::vector<Rule>& all_rules();

// Each rules/*.cc file contributes its rules through one of these.
void add_structure_rules(std::vector<Rule>& out);
void add_runtime_rules(std::vector<Rule>& out);

}  // namespace proctor::lint
