#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace proctor::cli {

struct DiffCliOptions {
  std::string old_path;
  std::string new_path;
  std::string format = "text";
};

void add_diff_command(CLI::App& app, DiffCliOptions& opts);
/// Exit status like diff(1): 0 no change, 1 changes, 2 trouble.
int run_diff(const DiffCliOptions& opts);

}  // namespace proctor::cli
