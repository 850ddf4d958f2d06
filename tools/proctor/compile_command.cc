#include "tools/proctor/compile_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/plan/plan_text.h"
#include "tools/proctor/exit_codes.h"

namespace proctor::cli {

namespace {

// Written beside the target and renamed, so a reader never sees half a plan
// and a failed write never clobbers the previous one.
bool write_atomically(const std::string& path, const std::vector<std::string>& chunks) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const auto& chunk : chunks) out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out || !out.flush()) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool write_stdout(const std::vector<std::string>& chunks) {
  for (const auto& chunk : chunks) std::cout.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  return static_cast<bool>(std::cout.flush());
}

}  // namespace

void add_compile_command(CLI::App& app, CompileOptions& opts) {
  auto* cmd = app.add_subcommand(
      "compile", "Read a supervisord config (and its includes) exactly as Supervisor 4.2.5 does "
                 "and write the validated JSON plan");
  cmd->add_option("CONFIG", opts.config, "supervisord.conf to read")->required();
  cmd->add_option("-o,--output", opts.output, "write the plan here (default: standard output)");
  cmd->add_option("--hostname", opts.hostname, "value of %(host_node_name)s (default: this host's)");
  cmd->add_flag("-q,--quiet", opts.quiet, "print errors only, not warnings");
}

int run_compile(const CompileOptions& opts) {
  SourceManager sm;
  DiagSink sink;
  model::PosixHost host(opts.hostname.empty() ? std::nullopt : std::optional(opts.hostname));
  model::CompileResult result = model::compile_config(opts.config, host, sm, sink);
  RenderOptions render{static_cast<bool>(::isatty(STDERR_FILENO))};
  for (const auto& d : sink.all())
    if (!opts.quiet || d.severity == Severity::kError) std::cerr << render_text(d, sm, render);
  if (result.io_error) return kIoError;
  if (!result.config) {
    std::cerr << "proctor: " << render_summary(sink.all()) << "; no plan written\n";
    return kInvalidConfig;
  }
  result.store = {};  // the plan needs only the Config and the file names
  plan::PlanText plan = plan::plan_text(*result.config, sm);
  if (!plan.violations.empty()) {
    for (const auto& v : plan.violations)
      std::cerr << "proctor: internal error: plan violates its schema at '" << v.json_pointer
                << "': " << v.message << "\n";
    return kIoError;
  }
  // Freeing the Config takes about as long as writing the plan: both at once.
  std::thread release([config = std::move(result.config)]() mutable { config.reset(); });
  const bool to_stdout = opts.output.empty() || opts.output == "-";
  bool written = to_stdout ? write_stdout(plan.chunks) : write_atomically(opts.output, plan.chunks);
  release.join();
  if (!written && !to_stdout) std::cerr << "proctor: cannot write " << opts.output << "\n";
  return written ? kOk : kIoError;
}

}  // namespace proctor::cli
