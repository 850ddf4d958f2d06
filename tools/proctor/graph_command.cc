#include "tools/proctor/graph_command.h"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/graph/dot_builder.h"
#include "compiler/graph/graph_json.h"
#include "compiler/graph/graph_problems.h"
#include "compiler/graph/process_graph.h"
#include "compiler/plan/plan_schema.h"
#include "tools/proctor/exit_codes.h"

namespace proctor::cli {

namespace {

graph::View parse_view(const std::string& v) {
  if (v == "includes") return graph::View::kIncludes;
  if (v == "processes") return graph::View::kProcesses;
  return graph::View::kAll;
}

Expected<std::string> json_text(const graph::ProcessGraph& g) {
  nlohmann::json doc = graph::to_json(g);
  auto violations = plan::validate_against("graph.schema.json", doc);
  if (!violations.empty())
    return Expected<std::string>::failure("internal error: graph violates its schema at '" +
                                          violations.front().json_pointer + "': " + violations.front().message);
  return doc.dump(2) + "\n";
}

Expected<std::string> output_text(const graph::ProcessGraph& g, const GraphCliOptions& opts) {
  if (opts.order) return graph::order_text(g.order);
  if (opts.format == "json") return json_text(g);
  if (opts.format == "dot") return graph::to_dot(g);
  return graph::render(g, opts.format);
}

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return static_cast<bool>(std::cout.flush());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  return out && (out << text) && out.flush();
}

// Errors only: warnings about a config that compiled are not what a graph
// is asked for (`proctor lint` reports them).
void print_errors(const DiagSink& sink, const SourceManager& sm) {
  RenderOptions render{static_cast<bool>(::isatty(STDERR_FILENO))};
  for (const auto& d : sink.all())
    if (d.severity == Severity::kError) std::cerr << render_text(d, sm, render);
}

}  // namespace

void add_graph_command(CLI::App& app, GraphCliOptions& opts) {
  auto* cmd = app.add_subcommand(
      "graph", "Draw a config's includes, groups, processes, event listeners, sockets, depends_on "
               "edges and start order with Graphviz (or print the start and stop order)");
  cmd->add_option("CONFIG", opts.input, "supervisord.conf, or a plan written by proctor compile")->required();
  cmd->add_option("--format", opts.format, "dot (default), svg, png or json")
      ->check(CLI::IsMember({"dot", "svg", "png", "json"}));
  cmd->add_option("-o,--output", opts.output, "write here (default: standard output)");
  cmd->add_option("--view", opts.view, "includes, processes or all (default)")
      ->check(CLI::IsMember({"includes", "processes", "all"}));
  cmd->add_flag("--order", opts.order, "print the start and stop sequence as text instead");
}

int run_graph(const GraphCliOptions& opts) {
  bool to_stdout = opts.output.empty() || opts.output == "-";
  if (!opts.order && opts.format == "png" && to_stdout && ::isatty(STDOUT_FILENO)) {
    std::cerr << "proctor graph: not writing PNG to a terminal; give -o FILE\n";
    return kUsage;
  }
  SourceManager sm;
  DiagSink sink;
  model::PosixHost host;
  graph::GraphInput in = graph::load_graph_input(opts.input, host, sm, sink);
  print_errors(sink, sm);
  if (in.io_error) return kIoError;
  if (!in.plan) {
    std::cerr << "proctor: " << render_summary(sink.all()) << "; nothing to draw\n";
    return kInvalidConfig;
  }
  graph::ProcessGraph g = graph::select_view(graph::build_graph(*in.plan), parse_view(opts.view));
  Expected<std::string> text = output_text(g, opts);
  if (!text) {
    std::cerr << "proctor graph: " << text.error() << "\n";
    return kIoError;
  }
  if (!write_output(opts.output, *text)) {
    std::cerr << "proctor: cannot write " << opts.output << "\n";
    return kIoError;
  }
  // Drawn so the problems can be seen, but the config is still invalid.
  return in.dependency_problems ? kInvalidConfig : kOk;
}

}  // namespace proctor::cli
