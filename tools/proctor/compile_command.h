#pragma once

#include <CLI/CLI.hpp>

namespace proctor::cli {

/// Registers `proctor compile CONFIG [-o PLAN]`; the returned flag tells
/// main whether it was chosen, and run_compile executes it.
struct CompileOptions {
  std::string config;
  std::string output;
  std::string hostname;
  bool quiet = false;
};

void add_compile_command(CLI::App& app, CompileOptions& opts);
int run_compile(const CompileOptions& opts);

}  // namespace proctor::cli
