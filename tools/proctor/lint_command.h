#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace proctor::cli {

struct LintCliOptions {
  std::vector<std::string> configs;
  std::string format = "text";
  std::string fail_on = "error";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  bool env_check = false;
  std::string explain;
};

void add_lint_command(CLI::App& app, LintCliOptions& opts);
int run_lint(const LintCliOptions& opts);

}  // namespace proctor::cli
