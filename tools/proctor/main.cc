// proctor: understands Supervisor's configuration. Each subcommand is a
// thin front end over the compiler library.

#include <CLI/CLI.hpp>

#include "tools/proctor/compile_command.h"
#include "tools/proctor/exit_codes.h"
#include "tools/proctor/diff_command.h"
#include "tools/proctor/graph_command.h"
#include "tools/proctor/lint_command.h"

int main(int argc, char** argv) {
  using namespace proctor::cli;
  CLI::App app{"proctor: compile, lint, diff and graph supervisord configurations"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "proctor 0.1.0 (Supervisor 4.2.5 semantics)");
  CompileOptions compile;
  add_compile_command(app, compile);
  LintCliOptions lint;
  add_lint_command(app, lint);
  DiffCliOptions diff;
  add_diff_command(app, diff);
  GraphCliOptions graph;
  add_graph_command(app, graph);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  if (app.got_subcommand("compile")) return run_compile(compile);
  if (app.got_subcommand("lint")) return run_lint(lint);
  if (app.got_subcommand("diff")) return run_diff(diff);
  if (app.got_subcommand("graph")) return run_graph(graph);
  return kUsage;
}
