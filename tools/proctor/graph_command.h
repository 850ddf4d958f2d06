#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace proctor::cli {

struct GraphCliOptions {
  std::string input;
  std::string format = "dot";
  std::string output;
  std::string view = "all";
  bool order = false;
};

/// Registers `proctor graph CONFIG|PLAN [--format dot|svg|png|json] [-o FILE]
/// [--view includes|processes|all] [--order]`.
void add_graph_command(CLI::App& app, GraphCliOptions& opts);
int run_graph(const GraphCliOptions& opts);

}  // namespace proctor::cli
