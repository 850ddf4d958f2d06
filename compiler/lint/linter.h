#pragma once
// proctor lint: compile the config (every way Supervisor rejects it is a
// diagnostic with its own code), run every lint rule on what was read,
// then apply suppression comments and --select/--ignore.

#include <string>
#include <vector>

#include "compiler/base/diagnostic.h"
#include "compiler/model/host.h"

namespace proctor::lint {

struct LintOptions {
  bool env_check = false;
  std::vector<std::string> select;  ///< ids, names or id prefixes ("P30"); empty = all
  std::vector<std::string> ignore;
};

struct LintReport {
  std::string config;
  std::vector<Diagnostic> diagnostics;  ///< sorted by file, line, column
  bool io_error = false;
};

/// Lints one config. `sm` must outlive the report (diagnostics point into it).
LintReport lint_config(const std::string& path, const model::Host& host, SourceManager& sm,
                       const LintOptions& options);

/// True when `code` matches one of the patterns (id, name, or id prefix).
bool code_matches(DiagCode code, const std::vector<std::string>& patterns);

}  // namespace proctor::lint
